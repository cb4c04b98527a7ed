"""Chinese for objective weights and sensitivity (scoring.analysis.objective_weights, .sensitivity)."""
ZH: dict[str, str] = {
    "Data-driven weights beside the rule file's.": "按数据客观赋权，与规则权重对照。",
    "Which weights decide ranks and outcomes?": "哪些权重决定排名和结果？",
    "Objective weights of the indicators from the data (entropy, CRITIC or equal), beside the rule\n"
    "file's weights, and how the ranking and outcomes would change under them.":
        "按数据计算各指标的客观权重（熵权法、CRITIC 法或等权法），与规则文件的权重对照，\n"
        "并给出采用这些权重后排名和考核结果的变化。",
    "First-order and total Sobol indices of every weight for each unit's rank and outcome, and the\n"
    "share of units whose outcome each weight decides.":
        "各权重对每个考核对象排名和考核结果的一阶及总效应 Sobol 指数，\n以及每个权重决定考核结果的单位占比。",
    "Entropy weights (熵权法), CRITIC, or equal weights.": "熵权法（entropy）、CRITIC 法（critic）或等权法（equal）。",
    "Base samples of the Sobol sequence, a power of two; N x (weights + 2) weight sets are scored.":
        "Sobol 序列的基础样本数，须为 2 的幂；共计算 N ×（权重个数 + 2）组权重。",
    "Each weight varies uniformly in [w (1 - S), w (1 + S)]; 0 <= S < 1.": "各权重在 [w (1 - S), w (1 + S)] 内均匀变化；0 <= S < 1。",
    "Random seed from 0 to 4294967295; the same seed gives identical output.": "随机种子，0 至 4294967295；同一种子输出完全相同。",
    "Invalid --method option": "--method 选项无效",
    "unknown weighting method": "未知的赋权方法",
    "Too few units to compute weights from the data": "单位太少，无法按数据计算权重",
    "units assessed with a value for every indicator": "参评且各指标均有取值的单位数",
    "at least 2": "至少 2 个",
    "The data gives no weights by this method: the indicators do not tell the units apart (each has one "
    "value for every unit, or they are perfectly correlated)":
        "按此方法数据无法给出权重：各指标区分不出各单位（每个指标各单位取值相同，或指标之间完全相关）",
    "Invalid --samples option": "--samples 选项无效",
    "the number of base samples must be a power of two": "基础样本数须为 2 的幂",
    "2, 4, 8 … {most}, e.g. 1024": "2、4、8 … {most}，如 1024",
    "Invalid --seed option": "--seed 选项无效",
    "a seed is a whole number from 0 to {most}": "随机种子须为 0 至 {most} 之间的整数",
    "e.g. 20231231": "例如 20231231",
}

"""Chinese for the messages of scoring.analysis (explain, robustness, weight options)."""
ZH: dict[str, str] = {
    # --- explain: which unit (analysis/explain.py) ---
    "{count} units are named '{name}': {ids}; give the id": "有 {count} 个单位名为“{name}”：{ids}；请给出编号",
    "{count} unit ids differ from '{name}' only in letter case: {ids}; give the id exactly":
        "有 {count} 个单位编号与“{name}”仅大小写不同：{ids}；请准确给出编号",
    "did you mean: {units}?": "是否指：{units}？",
    "no close match; ids are in the column '{id_column}', names in '{name_column}'":
        "没有相近的单位；编号在“{id_column}”列，名称在“{name_column}”列",
    "Unknown {unit} '{name}': no unit has this id or name; {hint}": "未知的{unit}“{name}”：没有单位使用这个编号或名称；{hint}",
    # --- weights (analysis/options.py) ---
    "Invalid --weight option": "--weight 选项无效",
    "weight must be a positive number": "权重必须是正数",
    "a number above zero, e.g. 50": "大于零的数，例如 50",
    "weight too large": "权重过大",
    "a number above zero and at most {most}": "大于零且不超过 {most} 的数",
    # --- robustness (analysis/robustness.py) ---
    "Invalid --draws option": "--draws 选项无效",
    "need at least one draw": "至少抽样一次",
    "e.g. 10000": "例如 10000",
    "Invalid --seed option": "--seed 选项无效",
    "a seed is a whole number from 0 to {most}": "随机种子须为 0 至 {most} 之间的整数",
    "e.g. 20231231": "例如 20231231",
    "the fixed limit used where free memory cannot be read": "无法读取可用内存时使用的固定上限",
    "{share} of the memory available now": "当前可用内存的 {share}",
    "Invalid --draws option: not enough memory": "--draws 选项无效：内存不足",
    "{draws} draws x {units} units need about {size} of memory; {limit} may be used ({source})":
        "抽样 {draws} 次 × {units} 个单位约需 {size} 内存；可用 {limit}（{source}）",
    "at most {most} draws": "不超过 {most} 次抽样",
}

"""Chinese for the messages of scoring.engine and scoring.registry."""
ZH: dict[str, str] = {
    # --- adjustments (engine/actions.py) ---
    "The {key} of rule '{rule}' are undefined for {count} unit(s)": "规则“{rule}”的 {key} 对 {count} 个单位无法计算",
    "undefined for unit(s) {units} (division by zero, log of zero or less, or a missing value)":
        "以下单位无法计算：{units}（除以零、对零或负数取对数，或数据缺失）",
    "a number for every unit the rule applies to, e.g. if(b > 0, a / b, 0)":
        "规则适用的每个单位都能算出数值，例如 if(b > 0, a / b, 0)",
    "total": "总分",
    "Internal error: a {what} is not a finite number; no result is given": "内部错误：{what}不是有限数值，不给出结果",
    "{what} undefined for unit(s) {units}": "以下单位的{what}无法计算：{units}",
    "finite numbers (please report this with the rule and data files)": "有限数值（请连同规则文件和数据文件报告此问题）",
    "A {what} is out of range": "{what}超出范围",
    "{what} beyond ±{limit} for unit(s) {units}": "以下单位的{what}超出 ±{limit}：{units}",
    "points of an ordinary size: check the data's magnitudes and the rules' points and factors":
        "正常大小的分值：请检查数据的数量级以及规则中的分值和系数",
    # --- scoring methods (engine/methods.py, engine/draws.py) ---
    "Indicator '{indicator}' cannot be scored": "指标“{indicator}”无法计分",
    "{what} must be positive": "{what}必须大于零",
    "a value above zero": "大于零的数值",
    "the benchmark": "基准值",
    "the target": "目标值",
    "Indicator '{indicator}' cannot be scored with method '{method}'": "指标“{indicator}”无法用计分方法“{method}”计分",
    "Invalid --spread option": "--spread 选项无效",
    "spread must be at least 0 and below 1": "浮动幅度须不小于 0 且小于 1",
    "e.g. 0.2 for +/-20%": "例如 0.2 表示上下浮动 20%",
    "Invalid --draws option": "--draws 选项无效",
    "need at least one draw": "至少抽样一次",
    "e.g. 10000": "例如 10000",
    # --- missing values (engine/tree.py) ---
    "value is missing or undefined (e.g. growth on a zero or negative base)": "取值缺失或无法计算（例如基数为零或负数时的增速）",
    "unit {unit}": "单位 {unit}",
    "a value, or a 'missing' policy: zero, mean, lowest or fallback":
        "填写数值，或设置缺失处理方式（missing）：zero、mean、lowest 或 fallback",
    "the fallback is undefined for this unit (division by zero, log of zero or less, or a missing value)":
        "该单位的替代计算（fallback）无法计算（除以零、对零或负数取对数，或数据缺失）",
    "unit {unit}: {fallback}": "单位 {unit}：{fallback}",
    "a fallback that gives a number for every unit it applies to": "对适用的每个单位都能算出数值的替代计算",
    "{count} missing value(s) cannot be scored": "{count} 个缺失值无法计分",
    # --- outcomes (engine/ranking.py) ---
    "outcome '{outcome}' asks for {wanted} units but the data has {count}":
        "考核结果“{outcome}”要求 {wanted} 个单位，但数据中只有 {count} 个",
    "at most {count}": "最多 {count}",
    "Outcomes do not fit the data in {path}": "考核结果设置与数据文件 {path} 不符",
    # --- the rule engine (engine/conditions.py, durable_rules.py, engine_codec.py) ---
    "unknown engine {engine}": "未知的规则引擎 {engine}",
    "Condition cannot be evaluated": "条件无法计算",
    "text can only be compared with text, using == or !=": "文本只能与文本比较，且只能用 == 或 !=",
    "numbers on both sides of <, <=, >, >=": "<、<=、>、>= 两边都应是数值",
    "a number compared with a number, or a text column with == / != and a quoted text":
        "数值与数值比较，或文字列用 == / != 与加引号的文字比较",
    "A rule condition is too large for the rule engine": "规则条件过大，规则引擎无法处理",
    "condition too large for durable-rules ({reason})": "条件对 durable-rules 过大（{reason}）",
    "a shorter condition, or the rule split into several rules": "更短的条件，或把规则拆成几条",
    "The rule engine fired a rule when units were released": "规则引擎在释放单位时触发了规则",
    "durable-rules queued an action after retracting facts": "durable-rules 在撤回数据后仍排入了动作",
    "no action": "没有动作",
    "The rule engine {verb} not every unit": "规则引擎未处理全部单位（{verb}）",
    "durable-rules answered {code} to a batch of units": "durable-rules 对一批单位返回了 {code}",
    "The rule engine rejected what zonescore gave it": "规则引擎拒绝了 zonescore 提交的内容",
    "durable-rules: {error}": "durable-rules：{error}",
    "input the engine reads (this is a zonescore bug)": "规则引擎能读取的输入（这是 zonescore 的缺陷）",
    "the rule engine and the numpy check disagree for {count} unit(s): {units}":
        "规则引擎与 numpy 核对结果在 {count} 个单位上不一致：{units}",
    "the same firings from both evaluations": "两种计算触发的规则相同",
    "Internal error: the rule engine disagrees with the rules; no result is given "
    "(please report this with the rule and data files)":
        "内部错误：规则引擎的结果与规则不符，不给出结果（请连同规则文件和数据文件报告此问题）",
    "it reads {count} values per unit; the engine holds at most {most}":
        "每个单位要读取 {count} 个数值，规则引擎最多容纳 {most} 个",
    "durable-rules error {code}: {reason}": "durable-rules 错误 {code}：{reason}",
    "too many rules in one ruleset": "一组中的规则过多",
    "too many alternatives ('or') in one condition": "一个条件中的“或”（or）分支过多",
    "too many rules sharing one comparison": "共用同一比较的规则过多",
    "too many comparisons chained in one condition": "一个条件中连续的比较过多",
    "too many values per unit": "每个单位的数值过多",
    "too many comparisons holding at once for one unit": "一个单位同时成立的比较过多",
    "too many facts in one frame": "一批中的单位过多",
    "a unit's values are too large": "一个单位的数值过大",
    "a value is too large": "某个数值过大",
    "durable-rules property names collide": "durable-rules 的属性名称冲突",
    "non-finite number {value} cannot be given to the rule engine": "非有限数值 {value} 不能交给规则引擎",
    # --- the registries (scoring/registry: checked at import) ---
    "scoring.registry: an adjustment action is declared twice": "scoring.registry：某个加减分动作重复声明",
    "scoring.registry: an action's effect is unknown, or a points action lacks its sign":
        "scoring.registry：某个动作的作用未知，或加减分动作缺少正负号",
    "scoring.registry: an action's amount key is not one of its required keys":
        "scoring.registry：某个动作的数额键不在其必填键中",
    "scoring.registry: a format or a file extension is declared twice": "scoring.registry：某个格式或文件扩展名重复声明",
    "scoring.registry: a command writes a format that is not declared": "scoring.registry：某个命令输出未声明的格式",
    "scoring.registry: a command writes files in a format without extensions":
        "scoring.registry：某个命令输出的文件格式没有扩展名",
    "{where} lacks what scoring.registry declares for: {absent}": "{where} 缺少 scoring.registry 所声明的：{absent}",
    "scoring.registry: an aggregate or a missing-value policy is declared twice":
        "scoring.registry：某个汇总方式或缺失处理方式重复声明",
    "scoring.registry: a scoring method is declared twice": "scoring.registry：某个计分方法重复声明",
    "scoring.registry: a method's monotonicity is not one of MONOTONICITY, or lacks its condition":
        "scoring.registry：某个计分方法的单调性不在 MONOTONICITY 中，或缺少其条件",
}

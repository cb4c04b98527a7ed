"""Chinese for the messages of scoring.report, the what-if analysis and the commands run, whatif,
robustness, warnings and commended."""
ZH: dict[str, str] = {
    # scoring.report.formatting
    "Internal error: a number that is not finite reached the output; nothing was written":
        "内部错误：输出中出现了非有限数值（无穷大），未写入任何内容",
    "not a finite number": "不是有限数值",
    "a finite number, or an empty cell / null for a missing value (please report this)":
        "有限数值；缺失值应为空单元格或 null（请报告此问题）",
    # scoring.analysis.whatif
    "Invalid --weight option": "--weight 选项有误",
    "label names several nodes; use the id": "该名称对应多个分组或指标，请改用编号",
    "one of: {ids}": "以下之一：{ids}",
    "unknown node": "没有这个分组或指标",
    "a group or indicator id or label: {valid}": "分组或指标的编号或名称：{valid}",
    "expected NODE=VALUE": "应为 节点=数值",
    "e.g. --weight growth=50 or --weight 增速=50": "例如 --weight growth=50 或 --weight 增速=50",
}

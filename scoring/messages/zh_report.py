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
    "Invalid --weight option": "--weight 选项无效",
    "label names several nodes; use the id": "该名称对应多个分组或指标，请改用编号",
    "one of: {ids}": "以下之一：{ids}",
    "unknown node": "没有这个分组或指标",
    "a group or indicator id or label: {valid}": "分组或指标的编号或名称：{valid}",
    "expected NODE=VALUE": "应为 节点=数值",
    "e.g. --weight growth=50 or --weight 增速=50": "例如 --weight growth=50 或 --weight 增速=50",
    "no weight left for the other weights of this level": "同级其余权重已无分值可分",
    "{nodes}: new weights {new:g}, level sum {total:g}": "{nodes}：新权重合计 {new:g}，同级权重合计 {total:g}",
    "new weights below the level's sum, with at least one sibling left unchanged":
        "新权重合计小于同级权重合计，且同级至少留一项未指定新权重",
    "--keep-total cannot keep the full score": "--keep-total 无法保持满分不变",
    # cli_commands (run, whatif, robustness, warnings, commended)
    "--keep-total applies to --weight only": "--keep-total 只能与 --weight 一起使用",
    "--keep-total given with --against": "--keep-total 与 --against 同时给出",
    "--weight NODE=VALUE with --keep-total, or --against without it":
        "--weight 节点=数值 加 --keep-total，或只用 --against",
    "Show every column, however wide the table (no columns left out or shortened).":
        "显示全部列，不论表格多宽（不省略、不截短任何列）。",
    "Fit the table to this many columns, also when the output is piped [default: the terminal's width on a "
    "terminal, the full table when piped].":
        "按此宽度（字符列数）排版表格，输出到管道时也如此［默认：在终端中按终端宽度，输出到管道时显示完整表格］。",
    "Keep the full score: rescale the other weights of each changed weight's level (its siblings) in "
    "proportion, so that their sum stays as it was.":
        "保持满分不变：按比例缩放被调整权重的同级其余权重，使同级权重合计不变。",
    "Note: the full score changes from {before:g} to {after:g}; --keep-total rescales the other weights of "
    "the same level to keep it":
        "注意：满分由 {before:g} 变为 {after:g}；加 --keep-total 可按比例缩放同级其余权重，保持满分不变",
}

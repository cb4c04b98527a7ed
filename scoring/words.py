"""Fixed words of the output documents (sheet names, generic headers) in the rule file's language.

Headers that name things in the rule file (units, groups, indicators, outcomes, ``labels``) come
from the rule file itself. The few words it has no key for come from here: Chinese when the rule
file's title or labels are written in Chinese, English otherwise.
"""
from __future__ import annotations

import unicodedata

WORDS = {
    "zh": {
        "ranking": "排名", "points": "指标得分", "adjustments": "加减分明细", "rules": "规则",
        "provenance": "来源", "distance": "距{outcome}线", "line": "{outcome}线", "rule_id": "规则编号", "rule": "规则",
        "action": "动作", "points_value": "分值", "factor": "系数", "outcome": "结果", "note": "说明",
        "level": "层级", "node_id": "编号", "label": "名称", "weight": "权重", "share": "占总分",
        "value": "取值", "unit": "单位", "direction": "方向", "method": "计分方法", "missing": "缺失处理",
        "aggregate": "汇总方式", "key": "项目", "content": "内容", "title": "考核", "run_id": "运行编号",
        "tool": "程序版本", "rules_file": "规则文件", "data_file": "数据文件", "units": "单位数",
        "timestamp": "生成时间", "counts": "个数", "tie": "边界并列", "notes": "备注", "column": "表头",
        "name": "规则中的名称", "range": "取值范围", "higher": "越高越好", "lower": "越低越好",
        "template": "数据模板", "list": "名单", "capped": "封顶扣除",
        "action.bonus": "加分", "action.deduction": "扣分", "action.multiply": "系数", "action.veto": "否决",
        "action.force": "强制", "action.exempt": "不定等级", "action.exclude": "不参评", "action.flag": "提示",
        "action.pool_cap": "合计封顶", "action.total_cap": "总分限制",
    },
    "en": {
        "ranking": "Ranking", "points": "Indicator points", "adjustments": "Adjustments", "rules": "Rules",
        "provenance": "Provenance", "distance": "Distance to {outcome} line", "line": "{outcome} line",
        "rule_id": "Rule id",
        "rule": "Rule", "action": "Action", "points_value": "Points", "factor": "Factor", "outcome": "Outcome",
        "note": "Note", "level": "Level", "node_id": "Id", "label": "Label", "weight": "Weight",
        "share": "Share of total", "value": "Value", "unit": "Unit", "direction": "Direction",
        "method": "Method", "missing": "Missing values", "aggregate": "Aggregate", "key": "Item",
        "content": "Value", "title": "Assessment", "run_id": "Run id", "tool": "Tool version",
        "rules_file": "Rule file", "data_file": "Data file", "units": "Units", "timestamp": "Generated",
        "counts": "Count", "tie": "Tie at boundary", "notes": "Note", "column": "Header",
        "name": "Name in the rules", "range": "Range", "higher": "higher is better", "lower": "lower is better",
        "template": "Data template", "list": "List", "capped": "Cut by cap",
    },
}


def is_cjk(text: str | None) -> bool:
    return any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text or "")


def words(spec) -> dict[str, str]:
    """The word table for a :class:`scoring.api.models.RuleFile`."""
    labels = spec.labels
    chinese = is_cjk(spec.title) or is_cjk(labels.rank) or is_cjk(labels.total)
    return WORDS["zh" if chinese else "en"]


def display_width(text: str) -> int:
    """Columns a text takes in a terminal or spreadsheet: wide (CJK) characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)

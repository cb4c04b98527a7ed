"""The fixed words of every output (headers, headings, footers, notes) in the rule file's language.

Words that name things in the rule file (units, groups, indicators, inputs, outcomes) come from
the rule file itself. Every other word comes from :data:`WORDS`: Chinese ("zh") when the rule
file's title or ``labels.rank`` / ``labels.total`` is written in Chinese, English ("en")
otherwise. A key that the rule file's ``labels`` also has (a field of
:class:`scoring.api.models.Labels` with the same name, e.g. ``rank``, ``total``, ``reason``)
is taken from the rule file when it sets it; ``unit`` (what the assessed units are called)
also falls back to the rule file's top-level ``unit``. :func:`words` gives the merged table.

The labels of adjustment actions (``action.bonus`` ...) and scoring methods (``method.minmax``
...) come from :mod:`scoring.registry`, where each action and method is declared.

Some words are templates with placeholders (``{outcome}``, ``{points}`` ...): fill them with
``str.format``. Keys are ASCII ids and never appear in output.
"""
from __future__ import annotations

import unicodedata

from ..registry import ACTIONS, METHODS

# key: (Chinese, English)
_WORDS: dict[str, tuple[str, str]] = {
    # --- also keys of the rule file's `labels` (the rule file's value wins) ---
    "unit": ("单位", "unit"),  # what the assessed units are called; also the rule file's top-level `unit`
    "rank": ("排名", "Rank"),
    "total": ("总分", "Total"),
    "base_total": ("基础分", "Base"),
    "adjustments": ("加减分", "Adjustments"),
    "outcome": ("考核结果", "Outcome"),
    "exempt": ("不定等级", "not classified"),
    "excluded": ("不参评", "not assessed"),
    "none": ("-", "-"),
    "count": ("个数", "Count"),
    "boundary_tie": ("边界并列", "Tie at boundary"),
    "reason": ("原因", "Reason"),
    "weakest": ("薄弱项", "weakest"),
    "strongest": ("优势项", "strongest"),
    # --- workbook sheets, columns and the data template ---
    "ranking": ("排名", "Ranking"),
    "points": ("指标得分", "Indicator points"),
    "adjustments_sheet": ("加减分明细", "Adjustments"),
    "rules": ("规则", "Rules"),
    "provenance": ("来源", "Provenance"),
    "distance": ("距{outcome}线", "Distance to {outcome} line"),
    "line": ("{outcome}线", "{outcome} line"),
    "rule_id": ("规则编号", "Rule id"),
    "rule": ("规则", "Rule"),
    "action": ("动作", "Action"),
    "points_value": ("分值", "Points"),
    "factor": ("系数", "Factor"),
    "note": ("说明", "Note"),
    "level": ("层级", "Level"),
    "node_id": ("编号", "Id"),
    "label": ("名称", "Label"),
    "weight": ("权重", "Weight"),
    "share": ("占总分", "Share of total"),
    "value": ("取值", "Value"),
    "measure_unit": ("单位", "Unit"),
    "direction": ("方向", "Direction"),
    "method": ("计分方法", "Method"),
    "missing": ("缺失处理", "Missing values"),
    "aggregate": ("汇总方式", "Aggregate"),
    "key": ("项目", "Item"),
    "content": ("内容", "Value"),
    "title": ("考核", "Assessment"),
    "run_id": ("运行编号", "Run id"),
    "tool": ("程序版本", "Tool version"),
    "rules_file": ("规则文件", "Rule file"),
    "data_file": ("数据文件", "Data file"),
    "units": ("单位数", "Units"),
    "timestamp": ("生成时间", "Generated"),
    "notes": ("备注", "Note"),
    "column": ("表头", "Header"),
    "name": ("规则中的名称", "Name in the rules"),
    "range": ("取值范围", "Range"),
    "higher": ("越高越好", "higher is better"),
    "lower": ("越低越好", "lower is better"),
    "template": ("数据模板", "Data template"),
    # action.<name> of every adjustment action and method.<name> of every scoring method: from
    # scoring.registry (below); these two are steps of the work, not actions of a rule file
    "action.pool_cap": ("合计封顶", "pool_cap"),
    "action.total_cap": ("总分限制", "total_cap"),
    # --- report footers and provenance ---
    "run_note": ("说明: {note}", "note: {note}"),
    "short_outcome": ("{label}应有 {wanted} 个单位，但符合条件的只有 {eligible} 个",
                      "outcome '{outcome}' wanted {wanted} unit(s) but only {eligible} were eligible"),
    "no_rows": ("（无）", "(none)"),
    "provenance_run": ("运行编号 {run_id} · zonescore {version} · 单位数 {units}",
                       "run {run_id} · zonescore {version} · {units} units"),
    "provenance_files": ("规则文件 {rules} sha256:{sha256} · 数据文件 {data}",
                         "rules {rules} sha256:{sha256} · data {data}"),
    "provenance_time": ("生成时间 {timestamp}", "generated {timestamp}"),
    # --- explain ---
    "indicators": ("指标", "Indicators"),
    "inputs": ("所用数据", "Inputs"),
    "fraction": ("得分率", "fraction"),
    "peer_rank": ("同类排名", "peer rank"),
    "subtotal": ("小计", "subtotal"),
    "of_full": ("{points}（满分 {full}）", "{points} of {full}"),
    "missing_applied": ("取值缺失，按缺失处理方式“{policy}”计分",
                        "Value missing: '{policy}' policy applied"),
    "condition": ("触发条件", "when"),
    "capped": ("封顶扣减", "capped by"),
    "veto": ("不得评为{outcome}", "barred from {outcome}"),
    "force": ("强制列为{outcome}", "forced into {outcome}"),
    "flag": ("提示", "flagged"),
    "pool_cap": ("合计封顶", "pool cap"),
    "total_cap": ("总分限制", "total limit"),
    "no_adjustments": ("未触发加减分规则", "none fired"),
    "lines": ("距各结果分数线", "Distance to the lines"),
    "line_total": ("分数线", "line"),
    "line_distance": ("距线", "distance"),
    "member": ("本单位在内", "this unit"),
    "needed_reach": ("进入{outcome}所需数值", "Needed to be {outcome}"),
    "needed_escape": ("脱离{outcome}所需数值", "Needed to escape {outcome}"),
    "needed_note": ("每次只改变一项数据、其余不变，全部单位重新计分；"
                    "所需数值再少一个步长即不能越线",
                    "one input changed, all else unchanged, whole assessment re-scored; "
                    "one step less does not cross"),
    "indicator": ("指标", "indicator"),
    "input": ("数据项", "input"),
    "now": ("现值", "now"),
    "needed": ("所需数值", "needed"),
    "change": ("变化", "change"),
    "unreachable": ("无法通过该指标达到", "not reachable through this indicator"),
    "vetoed": ("一票否决，不因该指标改变", "vetoed: this indicator cannot change it"),
    "input_missing": ("数据缺失", "input is missing"),
    "no_input": ("无可调整的数值数据", "no number input to vary"),
    "searched_to": ("已搜索至", "searched to"),
    "no_goal": ("无需越过的分数线", "no line to cross"),
    "by_peer_rank": ("{title}（按同类排名）", "{title} (by peer rank)"),
    "stat.min": ("最小值", "min"),
    "stat.max": ("最大值", "max"),
    "stat.best": ("最优值", "best"),
    "stat.benchmark": ("基准值", "benchmark"),
    "stat.target": ("目标值", "target"),
    "stat.rank": ("名次", "rank"),
    "stat.count": ("参评数", "count"),
    "stat.pct_rank": ("百分位", "pct_rank"),
    "stat.mean": ("平均值", "mean"),
    "stat.std": ("标准差", "std"),
    "stat.z": ("标准分", "z"),
    "stat.points": ("得分", "points"),
    # --- whatif ---
    "whatif_title": ("{title} — 情景模拟", "{title} — what-if"),
    "in_baseline": ("{label}（调整前）", "{label} (baseline)"),
    "in_scenario": ("{label}（调整后）", "{label} (scenario)"),
    "rank_change": ("排名变化", "Change"),
    "weights_changed": ("权重", "Weights"),
    "rules_compared": ("规则文件", "Rules"),
    "full_score": ("满分", "Full score"),
    "spearman": ("斯皮尔曼等级相关系数", "Spearman's rho"),
    "kendall": ("肯德尔等级相关系数", "Kendall's tau"),
    "no_changes": ("排名和考核结果均无变化。", "No changes in ranks or outcomes."),
    "enters": ("新进入", "enters"),
    "leaves": ("退出", "leaves"),
    "movers": ("排名变化最大", "Largest movers"),
    "not_available": ("无法计算", "n/a"),
    # --- robustness ---
    "robustness_title": ("{title} — 稳健性分析", "{title} — robustness"),
    "median_rank": ("排名中位数", "Median rank"),
    "rank_interval": ("排名区间（5%-95%）", "Rank 5%-95%"),
    "mean_shift": ("平均排名变动", "Mean shift"),
    "probability": ("{outcome}概率", "P({outcome})"),
    "verdict": ("结论", "Verdict"),
    "robust": ("稳健", "robust"),
    "borderline": ("临界", "borderline"),
    "draws": ("抽样 {draws} 次 · 各权重乘以 U({low}, {high}) 随机系数 · 随机种子 {seed}",
              "Draws: {draws} · each weight x U({low}, {high}) · seed {seed}"),
    "methods_varied": ("计分方法随机选取", "scoring methods varied"),
    "mean_rank_shift": ("平均绝对排名变动", "Mean absolute rank shift"),
    "borderline_units": ("临界单位（原考核结果保持的抽样不足 {share}）",
                         "Borderline (nominal outcome in < {share} of draws)"),
    "none_listed": ("无", "none"),
}

_WORDS.update({f"action.{a.name}": (a.zh, a.en) for a in ACTIONS})
_WORDS.update({f"method.{m.name}": (m.zh, m.en) for m in METHODS})

# --- the tuning page of `zonescore serve` (scoring/web; keys "serve.*") ---
_WORDS.update({
    "serve.weights": ("权重", "Weights"),
    "serve.full_score": ("满分", "Full score"),
    "serve.keep_total": ("保持满分不变（同级权重按比例调整）", "Keep the full score (rebalance the siblings)"),
    "serve.reset": ("恢复原权重", "Reset"),
    "serve.download_rules": ("下载规则文件", "Download rule file"),
    "serve.download_results": ("下载结果", "Download results"),
    "serve.ranking": ("排名", "Ranking"),
    "serve.change": ("变动", "Change"),
    "serve.baseline": ("原方案", "baseline"),
    "serve.scenario": ("调整后", "scenario"),
    "serve.moves": ("名单变化", "Who enters and leaves"),
    "serve.no_change": ("名单和排名均无变化", "No change in ranks or outcomes"),
    "serve.agreement": ("与原方案排名的一致程度", "Agreement with the baseline ranking"),
    "serve.agree_same": ("完全一致", "identical"),
    "serve.agree_very_high": ("几乎一致", "almost identical"),
    "serve.agree_high": ("高度一致", "very similar"),
    "serve.agree_moderate": ("有明显差异", "noticeably different"),
    "serve.agree_low": ("差异很大", "very different"),
    "serve.line_text": ("{outcome}线：{before} → {after}", "{outcome} line: {before} → {after}"),
    "serve.explain": ("得分说明", "Explanation"),
    "serve.explain_hint": ("点击表格中的单位查看其得分说明", "Click a unit to see how its total was made"),
    "serve.robustness": ("稳健性", "Robustness"),
    "serve.spread": ("权重浮动 ±%", "Weights ±%"),
    "serve.draws": ("抽样次数", "Draws"),
    "serve.run_robustness": ("计算稳健性", "Compute robustness"),
    "serve.rank_band": ("排名区间（5%-95%）", "Rank band (5%-95%)"),
    "serve.busy": ("计算中…", "Computing…"),
    "serve.error": ("请求未通过", "Request refused"),
    "serve.share": ("本页地址即为当前方案，可复制分享", "This page's address holds the scenario: copy it to share"),
    "serve.agreement_text": ("{agreement}：{verdict}（{spearman} {rho}，{kendall} {tau}）",
                             "{agreement}: {verdict} ({spearman} {rho}, {kendall} {tau})"),
    "serve.move_text": ("{outcome}：{enters} {entered}；{leaves} {left}", "{outcome}: {enters} {entered}; {leaves} {left}"),
    "serve.lines_text": ("分数线：{lines}", "Lines: {lines}"),
    "serve.list_separator": ("、", ", "),
    "serve.line_separator": ("；", "; "),
})

LANGUAGES = ("zh", "en")
WORDS: dict[str, dict[str, str]] = {lang: {key: pair[i] for key, pair in _WORDS.items()}
                                    for i, lang in enumerate(LANGUAGES)}


def is_cjk(text: str | None) -> bool:
    return any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text or "")


def language(spec) -> str:
    """"zh" when the rule file's title or rank/total label is Chinese, else "en"."""
    labels = spec.labels
    chinese = is_cjk(spec.title) or is_cjk(getattr(labels, "rank", None)) or is_cjk(getattr(labels, "total", None))
    return "zh" if chinese else "en"


def words(spec) -> dict[str, str]:
    """The word table for ``spec`` (a :class:`scoring.api.models.RuleFile`, or anything with its
    ``title`` and ``labels``): :data:`WORDS` in the rule file's language, with every key the
    rule file's ``labels`` sets taken from there."""
    table = dict(WORDS[language(spec)])
    labels = spec.labels
    for key in table:
        value = getattr(labels, key, None) if key.isidentifier() else None
        if isinstance(value, str):
            table[key] = value
    if not getattr(labels, "unit", None) and "unit" in getattr(spec, "model_fields_set", ()):
        table["unit"] = spec.unit  # a rule file's own top-level `unit`, when it sets one
    return table


def display_width(text: str) -> int:
    """Columns a text takes in a terminal or spreadsheet: wide (CJK) characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)

"""The fixed words of every output (headers, headings, footers, notes) in the rule file's language.

Words that name things in the rule file (units, groups, indicators, inputs, outcomes) come from
the rule file itself. Every other word comes from :data:`WORDS`: Chinese ("zh") when the rule
file's title or ``labels.rank`` / ``labels.total`` is written in Chinese, English ("en")
otherwise. A key that the rule file's ``labels`` also has (a field of
:class:`scoring.api.models.Labels` with the same name, e.g. ``rank``, ``total``, ``reason``)
is taken from the rule file when it sets it; ``unit`` (what the assessed units are called)
also falls back to the rule file's top-level ``unit``. :func:`words` gives the merged table.

The labels of adjustment actions (``action.bonus`` ...), scoring methods (``method.minmax`` ...),
aggregates (``aggregate.geometric``) and missing policies (``missing.zero``) come from
:mod:`scoring.registry`, where each is declared; a method's settings in words come from
:func:`scoring.registry.describe.describe_method`.

Some words are templates with placeholders (``{outcome}``, ``{points}`` ...): fill them with
``str.format``. Keys are ASCII ids and never appear in output.
"""
from __future__ import annotations

import unicodedata

from ..registry import ACTIONS, AGGREGATES, METHODS, MISSING_POLICIES

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
    # --- printed workbooks (scoring.report.print_setup, excel, exports) ---
    "page_footer": ("第 &P 页 共 &N 页", "Page &P of &N"),  # &P / &N: the page number / count
    "serial": ("序号", "No."),
    "ranking_heading": ("综合得分及排名", "Scores and ranking"),
    "points_heading": ("各项指标得分", "Points of every indicator"),
    "rules_heading": ("计分规则", "Scoring rules"),
    "list_heading": ("{outcome}名单", "{outcome} list"),
    "indicator_value": ("数值", "Value"),
    "indicator_points": ("得分", "Points"),
    "completion": ("完成率", "Completion"),
    "with_unit": ("{label}\n（{unit}）", "{label}\n({unit})"),  # a header: the unit on a line of its own
    "sha256": ("SHA-256", "SHA-256"),
    "above_line": ("高于{line} {number} 分", "{number} above the {line}"),  # {number}: the distance
    "below_line": ("低于{line} {number} 分", "{number} below the {line}"),
    "on_line": ("与{line}持平", "on the {line}"),
    # aggregations and missing-value policies of the rule file (scoring.api.models)
    "aggregate.arithmetic": ("加权算术平均", "weighted arithmetic mean"),
    "aggregate.geometric": ("加权几何平均", "weighted geometric mean"),
    "missing.error": ("不得缺失（缺失即报错）", "not allowed (an error)"),
    "missing.zero": ("记零分", "zero points"),
    "missing.mean": ("按其他单位平均得分率", "mean fraction of the others"),
    "missing.lowest": ("按其他单位最低得分率", "lowest fraction of the others"),
    "missing.fallback": ("按公式计分：{formula}", "points by formula: {formula}"),
    # settings of the scoring methods, in method_description()
    "param.floor": ("最低得分率 {value}", "floor {value}"),
    "param.cap": ("得分率上限 {value}", "cap {value}"),
    "param.benchmark": ("基准 {value}", "benchmark {value}"),
    "param.factor": ("基准系数 {value}", "factor {value}"),
    "param.target": ("目标 {value}", "target {value}"),
    "param.below_target_zero": ("未达目标记零分", "zero below target"),
    "param.step": ("每差一名扣 {value} 分", "{value} points less per place"),
    "param.lo": ("下限 {value}", "low {value}"),
    "param.hi": ("上限 {value}", "high {value}"),
    "param.log": ("取对数", "logarithmic"),
    "param.spread": ("标准分范围 ±{value}", "spread ±{value}"),
    "param.points": ("得分 = {value}", "points = {value}"),
    "param.min_points": ("最低 {value} 分", "at least {value} points"),
    "param.max_points": ("最高 {value} 分", "at most {value} points"),
    "band.at_least": ("≥{value}", ">={value}"),
    "band.at_most": ("≤{value}", "<={value}"),
    "band.else": ("其余", "else"),
    "band.fraction": ("得分率 {value}", "fraction {value}"),
    "band.points": ("{value} 分", "{value} points"),
    "stat.median": ("中位数", "median"),
    # action.<name> of every adjustment action and method.<name> of every scoring method: from
    # scoring.registry (below); these two are steps of the work, not actions of a rule file
    "action.pool_cap": ("合计封顶", "pool_cap"),
    "action.total_cap": ("总分限制", "total_cap"),
    # --- year over year (scoring.history) ---
    "prev_rank": ("上年排名", "Last year's rank"),
    "prev_outcome": ("上年结果", "Last year's outcome"),
    "new_unit": ("新参评", "new"),
    "prev_run": ("上年：{year}年终审（运行 #{run}）", "last year: {year} final (run #{run})"),
    "diff_title": ("运行 #{first}（{first_stage}）与 #{second}（{second_stage}）的差异",
                   "Changes from run #{first} ({first_stage}) to #{second} ({second_stage})"),
    "diff_units": ("排名、总分或结果有变化的单位", "Units whose rank, total or outcome changed"),
    "diff_cells": ("数据变更", "Data cells changed"),
    "diff_rules": ("规则文件变更", "Rule file changes"),
    "before": ("变更前", "before"),
    "after": ("变更后", "after"),
    "old_value": ("原值", "old"),
    "new_value": ("新值", "new"),
    "correction": ("更正", "correction"),
    "file": ("文件", "file"),
    "year": ("年度", "Year"),
    "stage": ("阶段", "Stage"),
    "run": ("运行", "Run"),
    "history_title": ("历年终审结果", "Final results by year"),
    "runs_title": ("已记录的运行", "Recorded runs"),
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
    "fraction": ("得分率", "score rate"),
    "points_of_full": ("得分（满分）", "points (of full)"),
    "peer_rank": ("同类排名", "peer rank"),
    "subtotal": ("小计", "subtotal"),
    "of_full": ("{points}（满分 {full}）", "{points} of {full}"),
    "missing_applied": ("取值缺失，{effect}", "Value missing: {effect}"),
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
    "needed_fall": ("落入{outcome}的临界数值", "How far from {outcome}"),
    "fall_down": ("{input} 再减少 {change}（降至 {needed}，现为 {now}）将落入{outcome}",
                  "{input} {change} lower (at {needed}, now {now}) puts it into {outcome}"),
    "fall_up": ("{input} 再增加 {change}（增至 {needed}，现为 {now}）将落入{outcome}",
                "{input} {change} higher (at {needed}, now {now}) puts it into {outcome}"),
    "safe_down": ("{input} 即使降至 {limit}（现为 {now}），也不会落入{outcome}",
                  "even {input} lowered to {limit} (now {now}) does not put it into {outcome}"),
    "safe_up": ("{input} 即使增至 {limit}（现为 {now}），也不会落入{outcome}",
                "even {input} raised to {limit} (now {now}) does not put it into {outcome}"),
    "needed_note": ("假设只改变其中一项数据、其他数据都不变，重新计算全部单位的得分和排名：",
                    "one input changed at a time, all else unchanged, every unit scored again:"),
    "goal_reach": ("进入{outcome}", "into {outcome}"),
    "goal_escape": ("脱离{outcome}", "out of {outcome}"),
    "goal_fall": ("落入{outcome}", "into {outcome}"),
    "needed_up": ("{input} 增至 {needed}（现为 {now}，需增加 {change}），即可{goal}",
                  "{input} raised to {needed} (now {now}, +{change}) gets it {goal}"),
    "needed_down": ("{input} 降至 {needed}（现为 {now}，需减少 {change}），即可{goal}",
                    "{input} lowered to {needed} (now {now}, -{change}) gets it {goal}"),
    "never_up": ("{input} 即使增至 {limit}（现为 {now}），也不能{goal}",
                 "even {input} raised to {limit} (now {now}) does not get it {goal}"),
    "never_down": ("{input} 即使降至 {limit}（现为 {now}），也不能{goal}",
                   "even {input} lowered to {limit} (now {now}) does not get it {goal}"),
    "needed_for": ("（涉及指标：{indicators}）", " (indicators: {indicators})"),
    "needed_missing": ("{input} 数据缺失，无法推算", "{input} is missing: nothing to vary"),
    "needed_no_input": ("{indicator} 没有可调整的数值数据", "{indicator}: no number input to vary"),
    "needed_vetoed": ("已触发“{rule}”，任何一项数据的变化都不能{goal}",
                      "{rule} applies: no single input can get it {goal}"),
    "needed_vetoed_some": ("已触发“{rule}”，{inputs} 的变化不能{goal}",
                           "{rule} applies: {inputs} cannot get it {goal}"),
    "indicator": ("指标", "indicator"),
    "no_goal": ("没有需要越过的分数线", "no line to cross"),
    "by_rate": ("{title}（按得分率）", "{title} (by score rate)"),
    "list_sep": ("、", ", "),
    "clause_sep": ("；", "; "),
    "colon": ("：", ": "),
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
    # --- objective weights and sensitivity (zonescore weights / sensitivity) ---
    "weights_title": ("{title} — 客观赋权（{method}）", "{title} — objective weights ({method})"),
    "weight_method.entropy": ("熵权法", "entropy"),
    "weight_method.critic": ("CRITIC 法", "CRITIC"),
    "weight_method.equal": ("等权法", "equal weights"),
    "file_weight": ("规则权重", "Rule weight"),
    "data_weight": ("{method}权重", "{method} weight"),
    "weight_change": ("增减", "Change"),
    "units_used": ("计算所用单位 {used} 个", "{used} units used"),
    "units_left_out": ("缺少指标值、未参与计算的单位：{units}", "Left out (an indicator value is missing): {units}"),
    "token_weight": ("{labels} 各单位取值相同，权重为 0（比较排名时保留极小权重）",
                     "{labels}: the same value for every unit, weight 0 (a token weight in the comparison)"),
    "sensitivity_title": ("{title} — 权重敏感性（Sobol 指数）", "{title} — weight sensitivity (Sobol indices)"),
    "rank_first": ("排名一阶指数", "Rank S1"),
    "rank_total": ("排名总效应指数", "Rank ST"),
    "outcome_total": ("结果总效应指数", "Outcome ST"),
    "decides": ("决定结果的单位数", "Decides outcomes"),
    "sobol_settings": ("基础样本 {samples} 个（共 {rows} 组权重）· 各权重乘以 U({low}, {high}) 随机系数 · 随机种子 {seed}",
                       "{samples} base samples ({rows} weight sets) · each weight x U({low}, {high}) · seed {seed}"),
    "outcome_varies": ("考核结果随权重变化的单位 {count} 个", "Units whose outcome changes with the weights: {count}"),
    "sobol_note": ("指数为各单位指数按其方差加权的平均；总效应含该权重与其他权重的交互作用",
                   "indices of all units pooled, each weighted by its variance; total indices include interactions"),
    # --- the HTML report and report cards (scoring.publish) ---
    "report_title": ("{title}结果报告", "{title} — results report"),
    "summary": ("结果摘要", "Summary"),
    "units_total": ("参评总数", "Units in all"),
    "serial": ("序号", "No."),
    "list_word": ("名单", " list"),
    "tie_text": ("{outcome}边界并列（总分 {total}）：入选 {inside}；未入选 {outside}",
                 "{outcome} boundary tie at {total}: in {inside}; out {outside}"),
    "charts": ("图表", "Charts"),
    "totals_chart": ("总分（按排名）及分数线", "Totals in rank order, with the lines"),
    "groups_chart": ("各组得分", "Group points per unit"),
    "heatmap_chart": ("各指标得分率（%）", "Share of full points per indicator (%)"),
    "units_section": ("各{unit}得分说明", "Each {unit}"),
    "card_heading": ("{name}（{id}）", "{name} ({id})"),
    "median": ("全体中位数", "median of all units"),
    "missing_word": ("缺失", "missing"),
    "within_line": ("在{line}以内（差 {number} 分）", "within the {line} ({number} to go)"),
    "card_input": ("数据项", "input"),
    "card_now": ("现值", "now"),
    "card_needed": ("所需数值", "needed"),
    "full_marks": ("满分", "Full marks"),
    "needed_title": ("越线所需数值", "Values needed to cross a line"),
    "rank_trend": ("历年排名", "Rank by year"),
    "needed_plain": ("每次只改变一项数据、其余不变，全部单位重新计分后得出。",
                     "Each found by changing one input alone and re-scoring every unit."),

}

# --- terminal tables that fit, and the what-if verdict (scoring.report.fitting, whatif_render) ---
_WORDS.update({
    "hidden_columns": ("另有 {count} 列未显示（{names}），加 --wide 显示全部",
                       "{count} more column(s) not shown ({names}); add --wide to show all"),
    "shortened_columns": ("{names}列已截短（…），加 --wide 显示全文", "shortened (…): {names}; add --wide to show all"),
    "list_separator": ("、", ", "),
    "now_short": ("现{label}", "{label} now"),
    "before_short": ("原{label}", "{label} before"),
    "rank_interval_short": ("排名区间", "Rank range"),
    "distance_short": ("距{outcome}线", "To {outcome} line"),
    "unchanged": ("不变", "unchanged"),
    "no_change": ("名单无变化", "no change"),
    "full_score_drifts": ("其余权重未变，满分随之改变", "other weights unchanged, so the full score changes"),
    "rescaled": ("为保持满分不变，同级其余权重按比例缩放 ×{factor}", "kept the full score: sibling weights scaled by ×{factor}"),
    "rank_order": ("排名顺序", "Rank order"),
    "order.identical": ("完全相同", "identical"),
    "order.almost": ("几乎不变", "almost unchanged"),
    "order.close": ("非常接近", "very close"),
    "order.similar": ("大体相近", "broadly similar"),
    "order.different": ("明显不同", "clearly different"),
    "order.very_different": ("差异很大", "very different"),
    "correlations": ("{spearman} {rho}，{kendall} {tau}；等于 1 表示顺序完全相同",
                     "{spearman} {rho}, {kendall} {tau}; 1 means the same order"),
    "ties_included": ("含并列", "ties included"),
})

_WORDS.update({f"action.{a.name}": (a.zh, a.en) for a in ACTIONS})
_WORDS.update({f"method.{m.name}": (m.zh, m.en) for m in METHODS})
_WORDS.update({f"aggregate.{a.name}": (a.zh, a.en) for a in AGGREGATES})
_WORDS.update({f"missing.{p.name}": (p.zh, p.en) for p in MISSING_POLICIES})

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

# --- what a result is and is not (explain, run): the deciding rule, uncapped totals, geometric means ---
_WORDS.update({
    "decides": ("决定结果", "decides the outcome"),
    "overridden": ("已被“{rule}”覆盖，不起作用", "overridden by '{rule}'"),
    "over_full": ("{points}（满分 {full}，可超过满分）", "{points} (full {full}; may score above it)"),
    "total_over_full": ("{points}（满分 {full}，部分指标得分可超过满分）",
                        "{points} (full score {full}; some indicators may score above their full points)"),
    "total_with_bonus": ("{points}（满分 {full}，含加分）", "{points} (full score {full}; bonuses included)"),
    "geometric_total": ("总分按加权几何平均计算，各组得分之和不等于总分",
                        "The total is a weighted geometric mean: the groups' points do not add up to it"),
    "geometric_group": ("{group}按加权几何平均计算，各项得分之和不等于其小计",
                        "{group} is a weighted geometric mean: its items' points do not add up to its subtotal"),
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


def method_description(method, spec) -> str:
    """A scoring method in the rule file's language: its name and settings, e.g. ``功效系数法，
    最低得分率 0.6`` / ``min-max, floor 0.6``.

    The one place the workbooks describe a method (and missing policies, aggregations below):
    to be switched to the registry's description function when it has one.
    """
    if method is None:
        return ""
    lang, word = language(spec), words(spec)
    data = method.model_dump(exclude_none=True, exclude_defaults=True)
    data.pop("type", None)
    data.pop("bands", None)
    parts = [word[f"method.{method.type}"]]
    for key, value in data.items():
        parts.append(word[f"param.{key}"].format(value=_setting_text(value, word)))
    if getattr(method, "bands", None):
        parts.append("；".join(_band_text(band, word) for band in method.bands) if lang == "zh"
                     else "; ".join(_band_text(band, word) for band in method.bands))
    return ("，" if lang == "zh" else ", ").join(parts)


def _band_text(band, word: dict[str, str]) -> str:
    bounds = [word[f"band.{key}"].format(value=f"{getattr(band, key):g}") for key in ("at_least", "at_most")
              if getattr(band, key) is not None]
    score = (word["band.fraction"].format(value=f"{band.fraction:g}") if band.fraction is not None
             else word["band.points"].format(value=f"{band.points:g}"))
    return f"{' '.join(bounds) or word['band.else']} {score}"


def _setting_text(value, word: dict[str, str]) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return word.get(f"stat.{value}", str(value))


def missing_description(missing, spec) -> str:
    """The missing-value policy of an indicator in the rule file's language."""
    if missing is None:
        return ""
    return words(spec)[f"missing.{missing.policy}"].format(formula=missing.fallback or "")


def aggregate_description(name: str, spec) -> str:
    """An aggregation (``arithmetic``, ``geometric``) in the rule file's language."""
    return words(spec)[f"aggregate.{name}"]

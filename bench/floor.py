"""The floors the benchmarks compare with: what plain pandas + numpy code takes for the same work.

* :func:`run_floor` — the full run of rules/qingpu-2023.yaml written by hand: ``pd.read_csv``,
  the same arithmetic in numpy (derived values, the eight scoring methods, the weighted tree,
  bonuses, deductions, pools, the total limit, rounding half up, the tie-break chain, vetoes,
  forced and exempt units, top 12 / bottom 5) and ``to_csv`` of a table of the same size as the
  engine's CSV output (10 columns, one row per unit). No checks, no explanations, no provenance.
  :func:`outcome_digest` of its result equals the engine's on the same data (the benchmarks
  verify it), so the floor does the same arithmetic, not less.
* :func:`robustness_floor` — draws x leaves weights (each weight times a uniform factor) times the
  leaves x units matrix of weighted leaf fractions (one matrix product), then ``argsort`` of
  every draw's totals: the least any weight-robustness analysis must do.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

# rules/qingpu-2023.yaml, by hand: (leaf, weight) per group, in file order
TREE = {"growth": (40.0, [("tax_growth", 20.0), ("tax_completion", 20.0)]),
        "households": (30.0, [("new_taxpayers", 15.0), ("taxpayer_completion", 15.0)]),
        "quality": (30.0, [("tax_per_taxpayer", 10.0), ("million_firms", 8.0), ("strategic_share", 6.0),
                           ("track_share", 6.0)])}
LEAVES = [leaf for _, (_, children) in TREE.items() for leaf, _ in children]
LEAF_WEIGHTS = np.array([w for _, (_, children) in TREE.items() for _, w in children])
OUTCOME_LABELS = {"commended": "表彰", "warned": "预警提示", None: "-"}


def _finite(values: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(values), values, np.nan)


def _rank_desc_min(x: np.ndarray) -> np.ndarray:
    """1 for the highest value, ties share the best rank (pandas rank(ascending=False, method='min'))."""
    ordered = np.sort(x)
    return (len(x) - np.searchsorted(ordered, x, side="right") + 1).astype(float)


def _pct_rank(x: np.ndarray) -> np.ndarray:
    """(average rank - 1) / (count - 1), ascending, ties averaged."""
    ordered = np.sort(x)
    less, upto = np.searchsorted(ordered, x, side="left"), np.searchsorted(ordered, x, side="right")
    average = less + (upto - less + 1) / 2.0
    return (average - 1.0) / (len(x) - 1.0) if len(x) > 1 else np.ones(len(x))


def _combine(parts: list[np.ndarray], weights: list[float]) -> np.ndarray:
    total, weight_sum = None, None
    for part, weight in zip(parts, weights):
        term = part * weight
        total = term if total is None else total + term
        weight_sum = weight if weight_sum is None else weight_sum + weight
    return total / weight_sum


def displayed(values: np.ndarray, precision: int = 2) -> np.ndarray:
    scale = 10.0 ** precision
    nudged = values + np.sign(values) * np.abs(values) * 1e-12
    return np.sign(nudged) * np.floor(np.abs(nudged) * scale + 0.5) / scale + 0.0


def score(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The qingpu-2023 arithmetic on a frame of raw columns: points, totals, order and outcomes."""
    col = {name: frame[column].to_numpy(float) for name, column in (
        ("tax", "税收（万元）"), ("last", "上年税收（万元）"), ("target", "税收目标（万元）"),
        ("new", "新增有效纳税户数"), ("new_target", "新增户数目标"), ("stock", "有效纳税户数"),
        ("million", "纳税百万元以上企业数"), ("strategic", "战略性新兴产业税收（万元）"),
        ("track_new", "赛道企业新增户数"), ("projects", "重大项目数"), ("fake", "虚假注册户数"),
        ("rebate", "违规返税"), ("year", "设立年份"))}
    n = len(frame)
    with np.errstate(all="ignore"):
        growth = np.where(col["last"] > 0, (col["tax"] / col["last"] - 1.0) * 100.0, np.nan)
        per_firm = _finite(col["tax"] / col["stock"])
        strategic = _finite(col["strategic"] / col["tax"] * 100)
        track = _finite(col["track_new"] / np.maximum(col["new"], 1) * 100)

        frac = {}
        lo, hi = np.nanmin(growth), np.nanmax(growth)
        share = np.where(hi - lo > 0, (growth - lo) / (hi - lo), 1.0)
        minmax = np.where(np.isnan(growth), np.nan, 0.6 + 0.4 * share)
        fallback = np.clip(col["tax"] / col["target"], 0, 1) * 16 / 20.0
        frac["tax_growth"] = np.where(np.isnan(minmax), fallback, minmax)
        target = np.where(col["target"] > 0, col["target"], np.nan)
        frac["tax_completion"] = np.minimum(np.clip(col["tax"] / target, 0, None), 1.2)
        rank = _rank_desc_min(col["new"])
        frac["new_taxpayers"] = np.where(n > 1, 1.0 - 0.5 * (rank - 1) / max(n - 1, 1), 1.0)
        new_target = np.where(col["new_target"] > 0, col["new_target"], np.nan)
        frac["taxpayer_completion"] = np.minimum(np.clip(col["new"] / new_target, 0, None), 1.0)
        frac["tax_per_taxpayer"] = np.minimum(np.clip(per_firm / np.nanmean(per_firm), 0, None), 1.5)
        m = col["million"]
        frac["million_firms"] = np.select([m >= 30, m >= 15, m >= 5], [1.0, 0.75, 0.5], 0.25)
        frac["strategic_share"] = _pct_rank(strategic)
        frac["track_share"] = np.clip((track - 10) / (60 - 10), 0, 1)

    groups = {g: _combine([frac[leaf] for leaf, _ in children], [w for _, w in children])
              for g, (_, children) in TREE.items()}
    base = _combine(list(groups.values()), [w for w, _ in TREE.values()]) * 100.0
    points = {g: groups[g] * TREE[g][0] for g in TREE}

    project = np.where(col["projects"] > 0, np.clip(col["projects"] * 1, -np.inf, 3), 0.0)
    model = np.where((track >= 50) & (col["new"] >= 100), 2.0, 0.0)
    fake = np.where(col["fake"] > 0, -(col["fake"] * 0.5), 0.0)
    bonuses = project + model
    deductions = fake
    cuts = [np.clip(bonuses, -np.inf, 4) - bonuses, np.clip(deductions, -10, np.inf) - deductions]
    adjustment = project + model + fake + cuts[0] + cuts[1]
    total = np.clip((base + adjustment) * 1.0, 0, np.inf)
    shown = displayed(total)

    ids = frame["编号"].to_numpy(str)
    id_code = np.empty(n)
    id_code[np.argsort(ids, kind="stable")] = np.arange(n)
    order = np.lexsort((id_code, -(frac["tax_growth"] * 20.0), -shown))
    vetoed = (col["rebate"] == 1)[order]
    forced = (growth < -20)[order]
    exempt = (col["year"] >= 2023)[order]
    outcome = np.where(forced, 1, 2)  # 0 commended, 1 warned, 2 none (in rank order)
    eligible = (outcome == 2) & ~exempt & ~vetoed
    outcome[eligible & (np.cumsum(eligible) <= 12)] = 0
    eligible = (outcome == 2) & ~exempt
    wanted = max(0, 5 - int(forced.sum()))
    outcome[eligible & (np.cumsum(eligible[::-1])[::-1] <= wanted)] = 1
    return {"ids": ids, "order": order, "points": points, "adjustment": adjustment, "total": total, "shown": shown,
            "outcome": outcome, "frame": frame}


def result_table(scored: dict) -> pd.DataFrame:
    """The 10 columns of the engine's CSV (id, rank, name, unit, three groups, adjustments, total, outcome)."""
    order, frame = scored["order"], scored["frame"]
    labels = np.array([OUTCOME_LABELS["commended"], OUTCOME_LABELS["warned"], OUTCOME_LABELS[None]], object)
    return pd.DataFrame({
        "编号": scored["ids"][order], "排名": np.arange(1, len(order) + 1),
        "经济小区": frame["小区名称"].to_numpy()[order], "所属单位": frame["所属单位"].to_numpy()[order],
        **{name: scored["points"][g][order] for g, name in (("growth", "增速"), ("households", "户数"),
                                                            ("quality", "质量"))},
        "加减分": scored["adjustment"][order], "总分": scored["shown"][order], "考核结果": labels[scored["outcome"]],
    })


def outcome_digest(ids, shown, outcomes) -> str:
    """SHA-256 of (id, displayed total, outcome) in id order: equal for the engine and the floor."""
    ids = np.asarray(ids).astype(str)
    outcomes = np.array([o if isinstance(o, str) else "None" for o in outcomes], object)
    by_id = np.argsort(ids, kind="stable")
    lines = (f"{i},{t:.2f},{o}" for i, t, o in zip(ids[by_id], np.asarray(shown, float)[by_id],
                                                   outcomes[by_id]))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def floor_digest(scored: dict) -> str:
    names = np.array(["commended", "warned", "None"], object)
    outcome = np.empty(len(scored["order"]), object)
    outcome[scored["order"]] = names[scored["outcome"]]
    return outcome_digest(scored["ids"], scored["shown"], outcome)


def run_floor(csv_in, csv_out) -> str:
    """read_csv -> numpy scoring -> to_csv; returns the outcome digest."""
    scored = score(pd.read_csv(csv_in))
    result_table(scored).to_csv(csv_out, index=False, float_format="%.2f")
    return floor_digest(scored)


def robustness_floor(leaf_fractions: np.ndarray, draws: int, spread: float = 0.2, seed: int = 1) -> np.ndarray:
    """Per draw, unit indices best first: (weights x factors) @ leaf fractions, then argsort.

    ``leaf_fractions`` is leaves x units; weights are the leaf weights of the rule file, each
    multiplied by a factor drawn uniformly from [1 - spread, 1 + spread] per draw.
    """
    rng = np.random.default_rng(seed)
    weights = LEAF_WEIGHTS * rng.uniform(1 - spread, 1 + spread, (draws, len(LEAF_WEIGHTS)))
    totals = weights @ leaf_fractions
    return np.argsort(-totals, axis=1)

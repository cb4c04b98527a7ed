"""Time the robustness analysis (vectorised draws) with the shipped Qingpu rule file.

Usage:  python bench/bench_robustness.py [UNITS:DRAWS ...]     (default: 39:10000 10000:1000)

Targets (issue #4): 10,000 draws on the 39 zones in under 2 s; 1,000 draws on 10,000 units in
under 30 s. With 39 units the sample zones.csv is used when it exists; other sizes get seeded
synthetic units with the columns of rules/qingpu-2023.yaml. Timed: the nominal run (scoring,
durable-rules adjustments, ranking) plus all draws; loading the files is reported separately.
Add ``--vary-method`` to time method swaps too (the shipped rules name no alternatives).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.api.assessment import load_assessment  # noqa: E402
from scoring.data import load_data  # noqa: E402
from scoring.robustness import robustness  # noqa: E402

RULES = ROOT / "rules" / "qingpu-2023.yaml"
SAMPLE = ROOT / "zones.csv"


def synthetic_units(count: int, seed: int = 2023) -> pd.DataFrame:
    """``count`` invented zones with the input columns of rules/qingpu-2023.yaml (seeded)."""
    rng = np.random.default_rng(seed)
    last_tax = rng.uniform(10_000, 250_000, count).round(1)
    last_tax[rng.random(count) < 0.02] = 0.0  # new zones: growth undefined, fallback points
    tax = (np.maximum(last_tax, 12_000) * rng.uniform(0.7, 2.0, count)).round(1)
    new_firms = rng.integers(20, 800, count)
    return pd.DataFrame({
        "编号": [f"U{i:06d}" for i in range(count)],
        "小区名称": [f"合成小区{i}" for i in range(count)],
        "所属单位": rng.choice(["夏阳街道", "徐泾镇", "华新镇", "青浦工业园区"], count),
        "税收（万元）": tax,
        "上年税收（万元）": last_tax,
        "税收目标（万元）": (np.maximum(last_tax, 12_000) * rng.uniform(1.0, 1.3, count)).round(1),
        "新增有效纳税户数": new_firms,
        "新增户数目标": (new_firms * rng.uniform(0.7, 1.2, count)).astype(int) + 1,
        "有效纳税户数": new_firms * rng.integers(3, 12, count),
        "纳税百万元以上企业数": rng.integers(0, 80, count),
        "战略性新兴产业税收（万元）": (tax * rng.uniform(0.05, 0.6, count)).round(1),
        "赛道企业新增户数": (new_firms * rng.uniform(0.05, 0.8, count)).astype(int),
        "重大项目数": rng.poisson(0.6, count),
        "虚假注册户数": rng.poisson(0.4, count),
        "违规返税": (rng.random(count) < 0.02).astype(int),
        "设立年份": np.where(rng.random(count) < 0.03, 2023, rng.integers(2000, 2022, count)),
    })


def time_case(units: int, draws: int, vary_method: bool = False) -> dict[str, float]:
    """Seconds to load, and to run the nominal assessment plus ``draws`` perturbed ones."""
    with tempfile.TemporaryDirectory() as tmp:
        path = SAMPLE if units == 39 and SAMPLE.exists() else Path(tmp) / "units.csv"
        if path != SAMPLE:
            synthetic_units(units).to_csv(path, index=False)
        start = time.perf_counter()
        assessment = load_assessment(RULES)
        data = load_data(assessment, path)
        loaded = time.perf_counter()
        result = robustness(assessment, data, draws=draws, spread=0.2, seed=20231231, vary_method=vary_method)
        done = time.perf_counter()
    return {"load": loaded - start, "robustness": done - loaded, "borderline": len(result.borderline),
            "shift": result.mean_rank_shift, "source": path.name if path == SAMPLE else "synthetic"}


def main(argv: list[str]) -> None:
    vary = "--vary-method" in argv
    cases = [tuple(int(x) for x in a.split(":")) for a in argv if not a.startswith("--")] or [(39, 10_000),
                                                                                              (10_000, 1_000)]
    print(f"{'units':>7}  {'draws':>6}  {'data':>9}  {'load s':>7}  {'robust s':>8}  {'shift':>7}  {'borderline':>10}")
    for units, draws in cases:
        t = time_case(units, draws, vary)
        print(f"{units:>7}  {draws:>6}  {t['source']:>9}  {t['load']:>7.2f}  {t['robustness']:>8.2f}  "
              f"{t['shift']:>7.2f}  {t['borderline']:>10}")


if __name__ == "__main__":
    main(sys.argv[1:])

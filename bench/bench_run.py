"""Time a full scoring run on N synthetic units with the shipped Qingpu rule file.

Usage:  python bench/bench_run.py [N ...]        (default: 39 10000 100000)

Each run generates N units (seeded, realistic magnitudes), writes them to a temporary CSV,
then times: reading and checking the data, scoring + adjustments (durable-rules) + ranking,
and rendering the CSV output. Results go in the README.
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
from scoring.render import render_run  # noqa: E402
from scoring.run import run_assessment  # noqa: E402

RULES = ROOT / "rules" / "qingpu-2023.yaml"


def synthetic_units(count: int, seed: int = 2023) -> pd.DataFrame:
    """``count`` invented zones with the columns of rules/qingpu-2023.yaml."""
    rng = np.random.default_rng(seed)
    last_tax = rng.uniform(10_000, 250_000, count).round(1)
    last_tax[rng.random(count) < 0.02] = 0.0  # new zones: growth undefined, fallback points
    tax = (np.maximum(last_tax, 12_000) * rng.uniform(0.7, 2.0, count)).round(1)
    new_firms = rng.integers(20, 800, count)
    stock = new_firms * rng.integers(3, 12, count)
    return pd.DataFrame({
        "编号": [f"U{i:06d}" for i in range(count)],
        "小区名称": [f"合成小区{i}" for i in range(count)],
        "所属单位": rng.choice(["夏阳街道", "徐泾镇", "华新镇", "青浦工业园区"], count),
        "税收（万元）": tax,
        "上年税收（万元）": last_tax,
        "税收目标（万元）": (np.maximum(last_tax, 12_000) * rng.uniform(1.0, 1.3, count)).round(1),
        "新增有效纳税户数": new_firms,
        "新增户数目标": (new_firms * rng.uniform(0.7, 1.2, count)).astype(int) + 1,
        "有效纳税户数": stock,
        "纳税百万元以上企业数": rng.integers(0, 80, count),
        "战略性新兴产业税收（万元）": (tax * rng.uniform(0.05, 0.6, count)).round(1),
        "赛道企业新增户数": (new_firms * rng.uniform(0.05, 0.8, count)).astype(int),
        "重大项目数": rng.poisson(0.6, count),
        "虚假注册户数": rng.poisson(0.4, count),
        "违规返税": (rng.random(count) < 0.02).astype(int),
        "设立年份": np.where(rng.random(count) < 0.03, 2023, rng.integers(2000, 2022, count)),
    })


def time_run(count: int) -> dict[str, float]:
    """Seconds per stage for one full run on ``count`` synthetic units."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "units.csv"
        synthetic_units(count).to_csv(path, index=False)
        start = time.perf_counter()
        assessment = load_assessment(RULES)
        data = load_data(assessment, path)
        loaded = time.perf_counter()
        result = run_assessment(assessment, data)
        scored = time.perf_counter()
        render_run(result, "csv")
        rendered = time.perf_counter()
    return {"load": loaded - start, "score": scored - loaded, "render": rendered - scored,
            "total": rendered - start}


def main(argv: list[str]) -> None:
    counts = [int(a) for a in argv] or [39, 10_000, 100_000]
    print(f"{'units':>8}  {'load s':>7}  {'score s':>7}  {'render s':>8}  {'total s':>7}")
    for count in counts:
        t = time_run(count)
        print(f"{count:>8}  {t['load']:>7.2f}  {t['score']:>7.2f}  {t['render']:>8.2f}  {t['total']:>7.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])

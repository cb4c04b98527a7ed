"""Synthetic units for the benchmarks: the columns of rules/qingpu-2023.yaml, seeded, realistic magnitudes.

Shared by every script in bench/ (``from synthetic import synthetic_units, write_units``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "qingpu-2023.yaml"
SAMPLE = ROOT / "zones.csv"


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


def write_units(count: int, directory: Path) -> Path:
    """The CSV the benchmarks read: zones.csv for 39 units, else ``count`` synthetic units (cached by size)."""
    if count == 39 and SAMPLE.exists():
        return SAMPLE
    path = Path(directory) / f"units-{count}.csv"
    if not path.exists():
        synthetic_units(count).to_csv(path, index=False)
    return path

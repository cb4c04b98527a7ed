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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scoring.api.assessment import load_assessment  # noqa: E402
from scoring.data import load_data  # noqa: E402
from scoring.robustness import robustness  # noqa: E402

from bench_run import synthetic_units  # noqa: E402  (same synthetic zones as the run benchmark)

RULES = ROOT / "rules" / "qingpu-2023.yaml"
SAMPLE = ROOT / "zones.csv"


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

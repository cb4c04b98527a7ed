"""Robustness draws against their numpy floor, with the shipped Qingpu rule file.

Usage:  nice python bench/bench_robustness.py [UNITS:DRAWS ...] [--repeat=R] [--vary-method]
        (default cases: 39:10000 10000:1000; default repeat 5)

Timed (in this process, medians of the repeats; wall and CPU via ``time.process_time``):

* robustness: :func:`scoring.analysis.robustness.robustness_of` on a nominal run made beforehand (the
  run itself is bench_run.py's figure): preparing the model, drawing weights, scoring, adjusting,
  ranking and classifying every draw, rank statistics and the per-unit table;
* floor: :func:`floor.robustness_floor` on the nominal leaf fractions: draws x leaves random
  weights, one matrix product with the leaves x units fractions, ``argsort`` of every draw.

With 39 units the sample zones.csv is used; other sizes get seeded synthetic units.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

from floor import robustness_floor  # noqa: E402
from synthetic import RULES, write_units  # noqa: E402

from scoring.api.assessment import load_assessment  # noqa: E402
from scoring.io.data import load_data  # noqa: E402
from scoring.analysis.robustness import robustness_of  # noqa: E402
from scoring.engine.run import run_assessment  # noqa: E402

DEFAULT_CASES = [(39, 10_000), (10_000, 1_000)]


def timed(work) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def time_case(units: int, draws: int, repeat: int, vary_method: bool, data_dir: Path) -> dict:
    path = write_units(units, data_dir)
    assessment = load_assessment(RULES)
    nominal = run_assessment(assessment, load_data(assessment, path))
    leaves = nominal.tree.fractions[assessment.leaves].to_numpy(float).T.copy()  # leaves x units
    engine, floor = [], []
    result = None
    for _ in range(repeat):  # interleaved
        def engine_work():
            nonlocal result
            result = robustness_of(nominal, draws, 0.2, 20231231, vary_method)
        engine.append(timed(engine_work))
        floor.append(timed(lambda: robustness_floor(leaves, draws, 0.2, 20231231)))
    med = {name: (statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs))
           for name, runs in (("engine", engine), ("floor", floor))}
    return {"units": units, "draws": draws, "wall": med["engine"][0], "cpu": med["engine"][1],
            "floor_wall": med["floor"][0], "floor_cpu": med["floor"][1], "borderline": len(result.borderline),
            "shift": result.mean_rank_shift, "source": "zones.csv" if path.name == "zones.csv" else "synthetic"}


def main(argv: list[str]) -> None:
    options = {a.split("=")[0]: a.split("=", 1)[1] for a in argv if a.startswith("--") and "=" in a}
    vary = "--vary-method" in argv
    cases = [tuple(int(x) for x in a.split(":")) for a in argv if not a.startswith("--")] or DEFAULT_CASES
    repeat = int(options.get("--repeat", 5))
    data_dir = Path(options.get("--data-dir", Path(tempfile.gettempdir()) / "zonescore-bench"))
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"# {time.strftime('%Y-%m-%d')} · {os.cpu_count()} cores · medians of {repeat}"
          f"{' · --vary-method' if vary else ''}")
    print(f"{'units':>7}  {'draws':>6}  {'data':>9}  {'wall s':>7}  {'CPU s':>7} | {'floor wall s':>12} "
          f"{'floor CPU s':>11} | {'CPU ratio':>9} {'wall ratio':>10}  {'shift':>6} {'borderline':>10}")
    for units, draws in cases:
        t = time_case(units, draws, repeat, vary, data_dir)
        print(f"{units:>7,}  {draws:>6,}  {t['source']:>9}  {t['wall']:>7.3f}  {t['cpu']:>7.3f} | "
              f"{t['floor_wall']:>12.3f} {t['floor_cpu']:>11.3f} | {t['cpu'] / t['floor_cpu']:>8.1f}x "
              f"{t['wall'] / t['floor_wall']:>9.1f}x  {t['shift']:>6.2f} {t['borderline']:>10}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Full run (read CSV -> check -> score -> adjustments -> rank -> write CSV) against its numpy floor.

Usage:  nice python bench/bench_run.py [N ...] [--engines=numpy,durable-rules] [--repeat=R] [--memory-gb=G]
        (default sizes: 39 10000 100000 1000000; default repeat: 3 below 10^6, 1 at 10^6;
        both backends below 10^6, numpy only at 10^6 unless --engines is given; every
        subprocess's address space is limited to G GiB, default 12, so a runaway run fails alone)

Every measurement runs in its own subprocess (``--child``), which imports first and then times
only the work, reporting wall time, CPU time (user + system, ``resource.getrusage``) and peak
resident memory (``ru_maxrss``, the whole process: the interpreter and its imports included).

* engine: ``load_assessment`` + ``load_data`` (strict reading and checks) + ``run_assessment``
  (with ``engine=`` each backend when the library takes it) + ``render_run(result, "csv")``
  written to a file.
* floor: :func:`floor.run_floor` — ``pd.read_csv``, the same arithmetic written by hand in numpy,
  ``to_csv`` of a table of the same size. Its totals, order and outcomes are checked equal to
  the engine's (``same`` column: digest of id, displayed total and outcome per unit).

The ratio is engine CPU / floor CPU in the same run (medians of the repeats). Data: 39 units
are zones.csv; other sizes are seeded synthetic units (bench/synthetic.py), written once to
``--data-dir`` (default: a ``zonescore-bench`` folder in the temporary directory).
"""
from __future__ import annotations

import inspect
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

DEFAULT_SIZES = [39, 10_000, 100_000, 1_000_000]
ENGINES = ["numpy", "durable-rules"]


def engine_supported() -> bool:
    """Whether run_assessment takes ``engine=`` (the two backends)."""
    from scoring.engine.run import run_assessment

    return "engine" in inspect.signature(run_assessment).parameters


def _usage() -> tuple[float, float]:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0  # MiB on Linux (kilobytes there)


def child_engine(csv: str, out: str, engine: str) -> dict:
    from floor import outcome_digest
    from synthetic import RULES

    from scoring.api.assessment import load_assessment
    from scoring.engine.ranking import displayed
    from scoring.io.data import load_data
    from scoring.report.render import render_run
    from scoring.engine.run import run_assessment

    cpu0, _ = _usage()
    start = time.perf_counter()
    assessment = load_assessment(RULES)
    data = load_data(assessment, csv)
    loaded = time.perf_counter()
    result = run_assessment(assessment, data, engine=engine) if engine != "default" else \
        run_assessment(assessment, data)
    scored = time.perf_counter()
    Path(out).write_text(render_run(result, "csv"), encoding="utf-8")
    done = time.perf_counter()
    cpu1, peak = _usage()
    table = result.table()
    digest = outcome_digest(table["id"].to_numpy(), displayed(table["total"].to_numpy(float),
                                                              assessment.spec.precision), list(table["outcome"]))
    return {"wall": done - start, "cpu": cpu1 - cpu0, "peak_mb": peak, "load": loaded - start,
            "score": scored - loaded, "render": done - scored, "digest": digest,
            "engine": getattr(result, "engine", engine)}


def child_floor(csv: str, out: str) -> dict:
    import floor

    cpu0, _ = _usage()
    start = time.perf_counter()
    digest = floor.run_floor(csv, out)
    done = time.perf_counter()
    cpu1, peak = _usage()
    return {"wall": done - start, "cpu": cpu1 - cpu0, "peak_mb": peak, "digest": digest}


def measure(kind: str, csv: Path, out: Path, engine: str = "", memory_gb: float = 12.0) -> dict:
    args = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(csv), str(out), engine]

    def limit() -> None:
        import resource

        size = int(memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    done = subprocess.run(args, capture_output=True, text=True, cwd=HERE.parent,
                          preexec_fn=limit if os.name == "posix" else None)
    if done.returncode != 0:
        raise SystemExit(f"{kind} {engine} on {csv.name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        kind, csv, out, engine = argv[1:5]
        print(json.dumps(child_engine(csv, out, engine) if kind == "engine" else child_floor(csv, out)))
        return
    from synthetic import write_units

    options = {a.split("=")[0]: a.split("=", 1)[1] for a in argv if a.startswith("--") and "=" in a}
    sizes = [int(a) for a in argv if not a.startswith("--")] or DEFAULT_SIZES
    supported = engine_supported()
    memory_gb = float(options.get("--memory-gb", 12))
    data_dir = Path(options.get("--data-dir", Path(tempfile.gettempdir()) / "zonescore-bench"))
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"# {time.strftime('%Y-%m-%d')} · {os.cpu_count()} cores · python {sys.version.split()[0]} · "
          f"engine option: {'yes' if supported else 'no (library default)'}")
    print(f"{'units':>9}  {'backend':<13} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'load s':>7} {'score s':>7} "
          f"{'write s':>7} | {'floor CPU s':>11} {'floor MB':>8} | {'CPU ratio':>9} {'wall ratio':>10}  same")
    for size in sizes:
        csv = write_units(size, data_dir)
        repeat = int(options.get("--repeat", 3 if size < 1_000_000 else 1))
        engines = (options["--engines"].split(",") if "--engines" in options
                   else ENGINES if size < 1_000_000 else ["numpy"]) if supported else ["default"]
        runs: dict[str, list[dict]] = {engine: [] for engine in engines}
        floors: list[dict] = []
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(repeat):  # interleaved: every backend and the floor once per round
                floors.append(measure("floor", csv, Path(tmp) / "floor.csv", memory_gb=memory_gb))
                for engine in engines:
                    runs[engine].append(measure("engine", csv, Path(tmp) / "out.csv", engine, memory_gb))
        floor_cpu, floor_wall = median_of(floors, "cpu"), median_of(floors, "wall")
        for engine in engines:
            r = runs[engine]
            cpu, wall = median_of(r, "cpu"), median_of(r, "wall")
            same = "yes" if r[0]["digest"] == floors[0]["digest"] else "NO"
            print(f"{size:>9,}  {engine:<13} {wall:>8.2f} {cpu:>8.2f} {max(x['peak_mb'] for x in r):>8.0f} "
                  f"{median_of(r, 'load'):>7.2f} {median_of(r, 'score'):>7.2f} {median_of(r, 'render'):>7.2f} | "
                  f"{floor_cpu:>11.2f} {max(x['peak_mb'] for x in floors):>8.0f} | {cpu / floor_cpu:>8.1f}x "
                  f"{wall / floor_wall:>9.1f}x  {same}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

"""Start-up and end to end: CLI commands on the 39 zones against ``python -c "import pandas"``.

Usage:  nice /tmp/bench-venv/bin/python bench/bench_startup.py [--repeat=N] [--no-cold]

Measure a non-editable install (an editable one imports from the work tree and differs):

    python -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install /path/to/repo
    nice /tmp/bench-venv/bin/python bench/bench_startup.py          (reinstall after every change)

The ``zonescore`` next to this interpreter is run from the repository root (default rules and
data), every command once per round, interleaved with the floor ``python -c "import pandas"``,
for N rounds (default 21, at least 15); wall times are medians. The rule-file cache is warm
(one untimed run first); ``run (cache off)`` shows the same command with ``ZONESCORE_CACHE=off``.
Targets (issue "One scoring core"): run <= 1.3x, explain <= 1.5x, whatif and robustness <= 1.5x.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ZONESCORE = BIN / ("zonescore.exe" if os.name == "nt" else "zonescore")

COMMANDS: list[tuple[str, list[str], dict, float | None]] = [
    # label, argv, extra environment, target ratio
    ("import pandas (floor)", [sys.executable, "-c", "import pandas"], {}, None),
    ("run", [str(ZONESCORE), "run"], {}, 1.3),
    ("explain Z37", [str(ZONESCORE), "explain", "Z37"], {}, 1.5),
    ("whatif --weight growth=50", [str(ZONESCORE), "whatif", "--weight", "growth=50"], {}, 1.5),
    ("robustness --draws 10000", [str(ZONESCORE), "robustness", "--draws", "10000"], {}, 1.5),
    ("run (cache off)", [str(ZONESCORE), "run"], {"ZONESCORE_CACHE": "off"}, None),
]


def installed_from() -> str:
    done = subprocess.run([sys.executable, "-c", "import scoring, sys; sys.stdout.write(scoring.__file__)"],
                          capture_output=True, text=True, cwd=BIN)
    return done.stdout.strip()


def once(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    options = {a.split("=")[0]: a.split("=", 1)[1] for a in argv if a.startswith("--") and "=" in a}
    rounds = max(15, int(options.get("--repeat", 21)))
    commands = [c for c in COMMANDS if not ("--no-cold" in argv and c[2])]
    if not ZONESCORE.exists():
        raise SystemExit(f"no zonescore next to {sys.executable}: pip install the repository into this environment")
    where = installed_from()
    editable = str(ROOT) in where
    print(f"# {time.strftime('%Y-%m-%d')} · {os.cpu_count()} cores · python {sys.version.split()[0]} · "
          f"medians of {rounds} interleaved rounds · scoring from {where}"
          f"{'  (EDITABLE: numbers not representative)' if editable else ''}")
    for _, args, env, _ in commands:  # warm-up: caches of the OS and of zonescore
        once(args, env)
    times: dict[str, list[float]] = {label: [] for label, *_ in commands}
    for _ in range(rounds):
        for label, args, env, _ in commands:
            times[label].append(once(args, env))
    floor = statistics.median(times[commands[0][0]])
    print(f"{'command':<28} {'median ms':>9} {'min ms':>7} {'ratio':>6} {'target':>7}")
    for label, _, _, target in commands:
        median = statistics.median(times[label])
        verdict = "" if target is None else f"<= {target}x {'ok' if median / floor <= target else 'MISS'}"
        print(f"{label:<28} {median * 1000:>9.0f} {min(times[label]) * 1000:>7.0f} {median / floor:>5.2f}x "
              f"{verdict}")


if __name__ == "__main__":
    main(sys.argv[1:])

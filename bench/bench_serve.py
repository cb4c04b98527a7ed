"""Latency of ``POST /api/whatif`` against a running ``zonescore serve``, with the shipped Qingpu rule file.

Usage:  python bench/bench_serve.py [UNITS ...] [--requests=N]
        (default units: 39 10000; default requests: 200 for 39 units, 40 for more)

For each size a server is started as a user starts it (``python -m scoring serve --no-browser
--port 0``, a separate process), then requests are sent one after another from here, each with
new random weights (1 to 4 nodes of the tree, so that no answer comes from the server's few
remembered scenarios), and the wall time of each request/answer is measured. Printed: p50, p95
and max in milliseconds, the server's CPU time per request (Linux: a fairer figure than the wall
time on a busy machine) and the size of an answer. Targets: p95 <= 50 ms for 39 units, <= 1 s
for 10,000 units.

With 39 units the sample zones.csv is used; other sizes get seeded synthetic units (synthetic.py).
"""
from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import RULES, ROOT, write_units  # noqa: E402

NODES = ["growth", "tax_growth", "tax_completion", "households", "new_taxpayers", "taxpayer_completion",
         "quality", "tax_per_taxpayer", "million_firms", "strategic_share", "track_share"]
TARGET_MS = {39: 50, 10_000: 1000}


def start_server(data: Path) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "scoring", "serve", "--no-browser", "--port", "0", "--rules", str(RULES),
               "--data", str(data), "--lang", "en"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    line = server.stderr.readline()
    if "http://" not in line:
        server.kill()
        raise SystemExit(f"the server did not start: {line}{server.stderr.read()}")
    return server, line.split("at ", 1)[1].split()[0].rstrip("/")


def ask(address: str, weights: dict) -> tuple[float, int]:
    body = json.dumps({"weights": weights}).encode()
    request = urllib.request.Request(address + "/api/whatif", data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        size = len(response.read())
        status = response.status
    elapsed = time.perf_counter() - started
    if status != 200:
        raise SystemExit(f"HTTP {status}")
    return elapsed, size


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_case(units: int, requests: int, data_dir: Path) -> dict:
    rng = random.Random(units)
    server, address = start_server(write_units(units, data_dir))
    try:
        ask(address, {"growth": 41})  # warm-up: first imports of the request path
        times, size, cpu_before = [], 0, cpu_seconds(server.pid)
        for _ in range(requests):
            weights = {node: round(rng.uniform(1, 60), 2) for node in rng.sample(NODES, rng.randint(1, 4))}
            elapsed, size = ask(address, weights)
            times.append(elapsed * 1000)
        cpu_after = cpu_seconds(server.pid)
    finally:
        server.terminate()
        server.wait(10)
    times.sort()
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)]
    cpu = None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) * 1000 / requests
    return {"units": units, "requests": requests, "p50": statistics.median(times), "p95": p95, "max": times[-1],
            "bytes": size, "cpu": cpu}


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv if not a.startswith("--")] or [39, 10_000]
    count = next((int(a.split("=", 1)[1]) for a in argv if a.startswith("--requests=")), None)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs" if hasattr(os, "getloadavg") else "")
    print(f"{'units':>7}  {'requests':>8}  {'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}  {'server CPU ms':>13}  "
          f"{'answer':>10}  target p95")
    with tempfile.TemporaryDirectory() as folder:
        for units in sizes:
            row = time_case(units, count or (200 if units <= 1000 else 40), Path(folder))
            target = TARGET_MS.get(units)
            verdict = "" if target is None else f"<= {target} ms: {'ok' if row['p95'] <= target else 'MISSED'}"
            cpu = "n/a" if row["cpu"] is None else f"{row['cpu']:.1f}"
            print(f"{row['units']:>7}  {row['requests']:>8}  {row['p50']:>8.1f}  {row['p95']:>8.1f}  {row['max']:>8.1f}  "
                  f"{cpu:>13}  {row['bytes'] / 1024:>8.0f} K  {verdict}")


if __name__ == "__main__":
    main(sys.argv[1:])

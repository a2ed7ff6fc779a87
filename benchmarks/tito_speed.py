"""Time the commands students run dozens of times an hour.

Run from the repository root with the environment active:

    python benchmarks/tito_speed.py [--runs N] [--module NAME]

Each command runs N times as a fresh process; the script prints the median,
the minimum and the target for each. Targets are for a 2-core machine.
`tito export` runs on an unchanged source, the usual case in a student's loop.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time


def time_command(argv: list[str], runs: int) -> list[float]:
    """Run `argv` `runs` times and return the wall-clock seconds of each run."""
    env = {**os.environ, "NO_COLOR": "1"}
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(argv, capture_output=True, env=env)
        seconds.append(time.perf_counter() - start)
        if result.returncode != 0:
            output = (result.stdout + result.stderr).decode("utf-8", "replace")
            raise SystemExit(f"{' '.join(argv)} failed:\n{output}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="Runs per command.")
    parser.add_argument("--module", default="activations", help="Module to use.")
    args = parser.parse_args()

    tito = [sys.executable, "-m", "tito"]
    commands = [
        ("tito --help", [*tito, "--help"], 0.3),
        (f"tito export --module {args.module}", [*tito, "export", args.module], 1.5),
        (f"tito test --module {args.module}", [*tito, "test", args.module], 10.0),
    ]

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {args.runs} runs each"
    )
    print(f"{'command':<36} {'median':>8} {'min':>8} {'target':>8}  verdict")
    for label, argv, target in commands:
        seconds = time_command(argv, args.runs)
        median = statistics.median(seconds)
        verdict = "ok" if median <= target else f"over by {median / target:.2f}x"
        print(
            f"{label:<36} {median:>7.2f}s {min(seconds):>7.2f}s {target:>7.1f}s  "
            f"{verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

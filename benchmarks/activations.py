"""Time TinyTorch's activations against NumPy, SciPy and PyTorch, or measure accuracy.

Run from the repository root with the environment active:

    python benchmarks/activations.py             # 1M and 10M elements, ~30 s
    python benchmarks/activations.py --quick     # small arrays, a few seconds
    python benchmarks/activations.py --accuracy  # worst error in ulp, against mpmath

Timing: for each dtype (float32, float64) and size, every function runs once to
warm up, then the functions of one activation take turns for --repeats rounds,
so a change in machine load affects them alike. The table shows the median time,
its ratio to the NumPy or SciPy baseline and to PyTorch (CPU, one thread), and the
peak memory one call allocates beyond what existed before it (tracemalloc counts
NumPy's allocations but not PyTorch's). Softmax runs on rows of 1,000 elements.
SciPy and PyTorch are optional (`pip install -e ".[bench]"`); rows that need a
missing one are skipped with a note.

Accuracy: Sigmoid and Tanh are compared with mpmath at 50 significant digits on
every finite float16 value and on a dense float32 and float64 grid. The grid
covers every binade from the smallest subnormal to the largest finite value, plus
the points where the functions overflow or saturate. Errors are in units in the
last place (ulp) of the exact value where it is a normal number, and in multiples
of the smallest subnormal below that.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tinytorch.core.activations import ReLU, Sigmoid, Softmax, Tanh
from tinytorch.core.tensor import Tensor

SOFTMAX_ROW = 1_000
ACTIVATIONS = {"ReLU": ReLU, "Sigmoid": Sigmoid, "Tanh": Tanh, "Softmax": Softmax}
# Targets for float32 at the largest size: the ratio of the median time of a call
# to the median time of its baseline.
TARGETS = {"ReLU": 1.15, "Sigmoid": 1.5, "Tanh": 1.1, "Softmax": 1.2}


@dataclass
class Row:
    """One timed function and what the table prints about it."""

    label: str
    function: Callable[[], object]
    kind: str  # "ours", "baseline" or "torch"
    times: list[float] = field(default_factory=list)
    peak_bytes: int | None = None


# Machine and libraries ---------------------------------------------------------


def cpu_model() -> str:
    """Return the CPU model from /proc/cpuinfo, or the platform's processor name."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def optional_modules() -> tuple[object | None, object | None]:
    """Import SciPy's special module and torch when they are installed."""
    try:
        import scipy.special as special
    except ImportError:
        special = None
    try:
        import torch
    except ImportError:
        torch = None
    else:
        torch.set_num_threads(1)
    return special, torch


def describe_machine(special, torch) -> str:
    scipy_version = "not installed"
    if special is not None:
        import scipy

        scipy_version = scipy.__version__
    torch_version = "not installed"
    if torch is not None:
        torch_version = f"{torch.__version__} (1 thread)"
    if hasattr(os, "sched_getaffinity"):
        usable = len(os.sched_getaffinity(0))
    else:
        usable = os.cpu_count()
    return (
        f"machine: {usable} usable cores (nproc), "
        f"{cpu_model()}, Python {platform.python_version()}\n"
        f"libraries: NumPy {np.__version__}, SciPy {scipy_version}, "
        f"PyTorch {torch_version}"
    )


# Timing ---------------------------------------------------------------------------


def activation_rows(name, x: np.ndarray, special, torch) -> list[Row]:
    """Return the rows timed together for one activation on input `x`."""
    if name == "Softmax":
        x = x.reshape(-1, SOFTMAX_ROW)
    tensor = Tensor(x)
    activation = ACTIVATIONS[name]()
    rows = [
        Row(f"{name}()(x)", lambda: activation(tensor), "ours"),
        Row(f"{name}.forward(x)", lambda: activation.forward(tensor), "ours"),
    ]

    if name == "ReLU":
        rows.append(Row("np.maximum(x, 0)", lambda: np.maximum(x, 0), "baseline"))
    elif name == "Tanh":
        rows.append(Row("np.tanh(x)", lambda: np.tanh(x), "baseline"))
    elif special is not None and name == "Sigmoid":
        rows.append(Row("scipy expit(x)", lambda: special.expit(x), "baseline"))
    elif special is not None:
        softmax = special.softmax
        rows.append(
            Row("scipy softmax(x, -1)", lambda: softmax(x, axis=-1), "baseline")
        )

    if torch is not None:
        xt = torch.from_numpy(x)
        call = {
            "ReLU": lambda: torch.relu(xt),
            "Sigmoid": lambda: torch.sigmoid(xt),
            "Tanh": lambda: torch.tanh(xt),
            "Softmax": lambda: torch.softmax(xt, dim=-1),
        }[name]
        rows.append(Row(f"torch.{name.lower()}", call, "torch"))
    return rows


def time_rows(rows: list[Row], repeats: int) -> None:
    """Warm each row up, then time all rows in turn for `repeats` rounds."""
    for row in rows:
        row.function()
    for _ in range(repeats):
        for row in rows:
            start = time.perf_counter()
            row.function()
            row.times.append(time.perf_counter() - start)


def measure_peak(rows: list[Row]) -> None:
    """Record the peak memory one call of each NumPy-based row allocates."""
    tracemalloc.start()
    try:
        for row in rows:
            if row.kind == "torch":
                continue
            tracemalloc.reset_peak()
            before, _ = tracemalloc.get_traced_memory()
            result = row.function()
            _, peak = tracemalloc.get_traced_memory()
            row.peak_bytes = peak - before
            del result
    finally:
        tracemalloc.stop()


def median_ms(row: Row) -> float:
    return 1000 * statistics.median(row.times)


def format_ratio(row: Row, other: Row | None) -> str:
    if other is None or row.kind != "ours":
        return "-"
    return f"{median_ms(row) / median_ms(other):.2f}"


def run_timing(sizes: list[int], repeats: int, special, torch) -> list[tuple]:
    """Time every activation and print the table; return the float32 target rows."""
    rng = np.random.default_rng(0)
    header = (
        f"{'dtype':<8} {'elements':>10}  {'function':<21} {'median ms':>10} "
        f"{'vs baseline':>11} {'vs torch':>9} {'peak extra MiB':>15} {'x output':>9}"
    )
    print(header)
    print("-" * len(header))
    checks = []
    for dtype in (np.float32, np.float64):
        for size in sizes:
            x = rng.normal(0.0, 5.0, size).astype(dtype)
            output_bytes = x.nbytes
            for name in ("ReLU", "Sigmoid", "Tanh", "Softmax"):
                rows = activation_rows(name, x, special, torch)
                time_rows(rows, repeats)
                measure_peak(rows)
                baseline = next((r for r in rows if r.kind == "baseline"), None)
                reference = next((r for r in rows if r.kind == "torch"), None)
                for row in rows:
                    peak = "-" if row.peak_bytes is None else row.peak_bytes
                    share = "-"
                    if row.peak_bytes is not None:
                        share = f"{row.peak_bytes / output_bytes:.2f}"
                        peak = f"{row.peak_bytes / 2**20:.1f}"
                    print(
                        f"{np.dtype(dtype).name:<8} {size:>10,}  {row.label:<21} "
                        f"{median_ms(row):>10.2f} {format_ratio(row, baseline):>11} "
                        f"{format_ratio(row, reference):>9} {peak:>15} {share:>9}"
                    )
                if dtype is np.float32 and size == max(sizes) and baseline:
                    checks.append((name, rows[0], baseline, output_bytes))
            print()
    return checks


def print_targets(checks: list[tuple]) -> None:
    """Print each float32 target with the measured ratio and memory."""
    print("targets (float32, largest size, the activation called as a function):")
    for name, ours, baseline, output_bytes in checks:
        ratio = median_ms(ours) / median_ms(baseline)
        target = TARGETS[name]
        verdict = "met" if ratio <= target else f"missed by {ratio / target - 1:.0%}"
        # The memory budget: the output plus one temporary of the input's size.
        memory = ours.peak_bytes / output_bytes
        memory_verdict = "met" if memory <= 2.0 else "missed"
        print(
            f"  {name:<8} time {ratio:.2f}x {baseline.label} (target <= {target}): "
            f"{verdict}; memory {memory:.2f}x output (target <= 2): {memory_verdict}"
        )


# Accuracy -------------------------------------------------------------------------


def accuracy_inputs(dtype, per_binade: int, seed: int = 0) -> np.ndarray:
    """Return finite inputs of `dtype`: every float16, or a dense grid for wider types.

    The grid contains `per_binade` values (1.0 among them) times every power of two
    from the smallest subnormal to the largest finite value, with both signs,
    plus a fine linear grid where sigmoid and tanh bend, and the listed points.
    """
    info = np.finfo(dtype)
    if info.bits == 16:
        every = np.arange(2**16, dtype=np.uint16).view(np.float16)
        return every[np.isfinite(every)]

    rng = np.random.default_rng(seed)
    exponents = np.arange(info.minexp - info.nmant, info.maxexp)
    mantissas = np.concatenate([[1.0], rng.uniform(1.0, 2.0, per_binade - 1)])
    magnitudes = np.ldexp(mantissas[None, :], exponents[:, None]).ravel()
    points = [0.0, 1e-8, 1.0, 10.0, 20.0, 40.0, 88.0, 89.0, 700.0, 710.0, 1000.0]
    points += [float(info.max), float(info.tiny), float(info.smallest_subnormal)]
    linear = np.linspace(-800.0, 800.0, 20 * per_binade + 1)
    values = np.concatenate([magnitudes, linear, points])
    with np.errstate(over="ignore"):
        values = np.concatenate([values, -values]).astype(dtype)
    return np.unique(values[np.isfinite(values)])


def ulp_errors(got: np.ndarray, x: np.ndarray, exact, dtype) -> tuple:
    """Return (ulp errors where the exact value is normal, errors below, in subnormals).

    `exact` maps an mpmath number to the exact function value.
    """
    import mpmath

    info = np.finfo(dtype)
    digits = info.nmant + 1
    tiny = mpmath.mpf(float(info.tiny))
    smallest = mpmath.mpf(float(info.smallest_subnormal))
    normal, below = np.full(x.size, np.nan), np.full(x.size, np.nan)
    for index, (value, point) in enumerate(zip(got.tolist(), x.tolist(), strict=True)):
        truth = exact(mpmath.mpf(point))
        if not np.isfinite(value):
            error = mpmath.inf
        else:
            error = abs(mpmath.mpf(value) - truth)
        if abs(truth) >= tiny:
            _, exponent = mpmath.frexp(truth)  # truth = m * 2**exponent, m in [0.5, 1)
            normal[index] = float(error / mpmath.ldexp(1, exponent - digits))
        else:
            below[index] = float(error / smallest)
    return normal, below


def run_accuracy(per_binade: int) -> None:
    """Print the worst error of Sigmoid and Tanh per dtype."""
    import mpmath

    mpmath.mp.dps = 50
    functions = [
        ("Sigmoid", Sigmoid(), lambda t: 1 / (1 + mpmath.exp(-t))),
        ("Tanh", Tanh(), mpmath.tanh),
    ]
    print("bounds: 4 ulp where the exact value is normal, else 2 smallest subnormals")
    header = (
        f"{'dtype':<8} {'function':<8} {'inputs':>8} {'worst ulp':>10} "
        f"{'at x':>14} {'worst below normal':>19}  verdict"
    )
    print(header)
    print("-" * len(header))
    for dtype in (np.float16, np.float32, np.float64):
        # float32 has 8 times fewer binades than float64, so it gets 8 times
        # as many values per binade for about the same cost.
        x = accuracy_inputs(dtype, per_binade * (8 if dtype is np.float32 else 1))
        for name, activation, exact in functions:
            got = activation(Tensor(x)).data
            normal, below = ulp_errors(got, x, exact, dtype)
            worst = int(np.nanargmax(normal))
            worst_below = np.nanmax(below) if np.isfinite(below).any() else 0.0
            ok = normal[worst] <= 4 and worst_below <= 2
            print(
                f"{np.dtype(dtype).name:<8} {name:<8} {x.size:>8,} "
                f"{normal[worst]:>10.3f} {float(x[worst]):>14.6g} "
                f"{worst_below:>19.3f}  {'ok' if ok else 'OVER'}"
            )


# Command line ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="Use small arrays (10,000 and 100,000 elements) and 3 repeats.",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help="Timed calls per function (default: 15, or 3 with --quick).",
    )
    parser.add_argument(
        "--accuracy",
        action="store_true",
        help="Measure the worst error against mpmath instead of timing.",
    )
    args = parser.parse_args(argv)

    if args.accuracy:
        run_accuracy(per_binade=4 if args.quick else 24)
        return 0

    special, torch = optional_modules()
    print(describe_machine(special, torch))
    if special is None:
        print("note: SciPy is not installed, so the Sigmoid and Softmax baselines are")
        print('      skipped; install them with: pip install -e ".[bench]"')
    if torch is None:
        print("note: PyTorch is not installed, so the torch rows are skipped")
    print()

    sizes = [10_000, 100_000] if args.quick else [1_000_000, 10_000_000]
    repeats = args.repeats or (3 if args.quick else 15)
    checks = run_timing(sizes, repeats, special, torch)
    if args.quick:
        print("targets apply to 10,000,000 elements: run without --quick to check them")
    else:
        print_targets(checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The activations benchmark runs and prints every row; no timing is asserted."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "activations.py"

OUR_ROWS = [
    f"{name}{suffix}"
    for name in ("ReLU", "Sigmoid", "Tanh", "Softmax")
    for suffix in ("()(x)", ".forward(x)")
]
NUMPY_ROWS = ["np.maximum(x, 0)", "np.tanh(x)"]
SCIPY_ROWS = ["scipy expit(x)", "scipy softmax(x, -1)"]
TORCH_ROWS = ["torch.relu", "torch.sigmoid", "torch.tanh", "torch.softmax"]

# Run the benchmark with SciPy and torch made unimportable.
WITHOUT_OPTIONAL = """
import runpy, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("scipy", "torch"):
            raise ImportError(f"{name} is blocked for this test")
sys.meta_path.insert(0, Block())
sys.argv = [sys.argv[1], "--quick"]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=240,
    )


def installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def table_rows(output: str) -> list[str]:
    """Return the lines of the timing table that start with a dtype."""
    return [line for line in output.splitlines() if line.startswith("float")]


@pytest.fixture(scope="module")
def quick_run() -> subprocess.CompletedProcess:
    return run(str(SCRIPT), "--quick")


def test_benchmark_quick_prints_every_row(quick_run):
    assert quick_run.returncode == 0, quick_run.stderr
    rows = table_rows(quick_run.stdout)
    expected = OUR_ROWS + NUMPY_ROWS
    expected += SCIPY_ROWS if installed("scipy") else []
    expected += TORCH_ROWS if installed("torch") else []
    for label in expected:
        found = [row for row in rows if f"  {label} " in row]
        # One row per dtype (float32, float64) and size (two sizes).
        assert len(found) == 4, f"expected 4 rows for {label!r}, got {len(found)}"


def test_benchmark_quick_names_the_machine(quick_run):
    import numpy as np

    assert quick_run.returncode == 0, quick_run.stderr
    assert "machine:" in quick_run.stdout
    assert f"NumPy {np.__version__}" in quick_run.stdout


def test_benchmark_runs_without_scipy_and_torch():
    result = run("-c", WITHOUT_OPTIONAL, str(SCRIPT))

    assert result.returncode == 0, result.stderr
    assert "SciPy is not installed" in result.stdout
    assert "PyTorch is not installed" in result.stdout
    rows = table_rows(result.stdout)
    for label in OUR_ROWS + NUMPY_ROWS:
        assert any(f"  {label} " in row for row in rows), f"missing row {label!r}"
    for label in SCIPY_ROWS + TORCH_ROWS:
        assert not any(label in row for row in rows), f"unexpected row {label!r}"


@pytest.mark.skipif(not installed("mpmath"), reason="mpmath is not installed")
def test_benchmark_accuracy_quick_prints_every_dtype():
    result = run(str(SCRIPT), "--accuracy", "--quick")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for dtype in ("float16", "float32", "float64"):
        for name in ("Sigmoid", "Tanh"):
            found = [line for line in lines if line.split()[:2] == [dtype, name]]
            assert len(found) == 1, f"expected one {dtype} {name} line: {lines}"
            assert found[0].endswith("ok"), f"accuracy bound exceeded: {found[0]}"

"""Numerical accuracy and special values of the activations.

The oracle is mpmath at 50 significant digits. Sigmoid and Tanh must be within
4 ulp of the exact value wherever that value is a normal number of the dtype, and
within 2 smallest subnormals below that. The inputs are every finite float16.
For float32 and float64 they are a grid with several values in every binade from
the smallest subnormal to the largest finite number. Both grids also contain the
points where the functions overflow or saturate: 1e-8, 1, 10, 20, 40, 88, 89,
700, 710 and 1000, with both signs.
"""

from __future__ import annotations

import functools
import warnings

import mpmath
import numpy as np
import pytest

from tinytorch.core.activations import ReLU, Sigmoid, Softmax, Tanh
from tinytorch.core.tensor import Tensor

DTYPES = [np.float16, np.float32, np.float64]
DTYPE_IDS = ["float16", "float32", "float64"]
HARD_POINTS = [0.0, 1e-8, 1.0, 10.0, 20.0, 40.0, 88.0, 89.0, 700.0, 710.0, 1000.0]
# Values per binade in the float32 and float64 grids.
PER_BINADE = {np.float32: 8, np.float64: 3}
# Longer than several blocks of the blocked kernels (65,536 to 262,144 elements
# each, depending on the dtype), with a partial last block.
LONG = 4 * 65_536 + 3

mpmath.mp.dps = 50
EXACT = {
    "sigmoid": lambda t: 1 / (1 + mpmath.exp(-t)),
    "tanh": mpmath.tanh,
}
ACTIVATIONS = {"sigmoid": Sigmoid, "tanh": Tanh}


# --- the grid and the oracle ---------------------------------------------------------


@functools.cache
def grid(dtype) -> np.ndarray:
    """Return the finite test inputs for `dtype`, both zeros included."""
    info = np.finfo(dtype)
    if info.bits == 16:
        every = np.arange(2**16, dtype=np.uint16).view(np.float16)
        return every[np.isfinite(every)]

    rng = np.random.default_rng(0)
    exponents = np.arange(info.minexp - info.nmant, info.maxexp)
    mantissas = np.concatenate([[1.0], rng.uniform(1, 2, PER_BINADE[dtype] - 1)])
    magnitudes = np.ldexp(mantissas[None, :], exponents[:, None]).ravel()
    points = [*HARD_POINTS, float(info.max), float(info.smallest_subnormal)]
    linear = np.linspace(-120, 120, 2401)
    values = np.concatenate([magnitudes, points, linear])
    values = np.unique(np.concatenate([values, -values]).astype(dtype))
    # np.unique keeps only one of the two zeros, so both are added back.
    return np.concatenate([values[values != 0], np.array([0.0, -0.0], dtype)])


@functools.cache
def exact_values(name: str, dtype) -> tuple:
    """Return the exact function values on `grid(dtype)`, as mpmath numbers."""
    return tuple(EXACT[name](mpmath.mpf(point)) for point in grid(dtype).tolist())


def errors(got: np.ndarray, exact: tuple, dtype) -> tuple[np.ndarray, np.ndarray]:
    """Return the errors in ulp where the exact value is normal, else in subnormals.

    The first array has NaN where the exact value is below the normal range, and
    the second has NaN everywhere else.
    """
    if np.finfo(dtype).bits <= 32:
        return errors_via_float64(got, exact, dtype)
    info = np.finfo(dtype)
    tiny = mpmath.mpf(float(info.tiny))
    smallest = mpmath.mpf(float(info.smallest_subnormal))
    in_ulp = np.full(got.size, np.nan)
    in_subnormals = np.full(got.size, np.nan)
    for index, (value, truth) in enumerate(zip(got.tolist(), exact, strict=True)):
        error = abs(mpmath.mpf(value) - truth) if np.isfinite(value) else mpmath.inf
        if abs(truth) >= tiny:
            # truth = m * 2**exponent with m in [0.5, 1), so one ulp is
            # 2**(exponent - 1 - nmant).
            _, exponent = mpmath.frexp(truth)
            in_ulp[index] = float(error / mpmath.ldexp(1, exponent - 1 - info.nmant))
        else:
            in_subnormals[index] = float(error / smallest)
    return in_ulp, in_subnormals


def errors_via_float64(
    got: np.ndarray, exact: tuple, dtype
) -> tuple[np.ndarray, np.ndarray]:
    """Compute `errors` with NumPy, for dtypes of 32 bits or fewer.

    The exact value rounded to float64 is within 2**-53 of it, relative, which is
    below 1e-8 ulp of float32, so the error measured from it is the true error to
    that accuracy. One ulp is taken from the binade just below the value, so at
    an exact power of two the error is overstated by at most 2x, never understated.
    """
    info = np.finfo(dtype)
    truth = np.array([float(value) for value in exact])
    wide = got.astype(np.float64)
    with np.errstate(invalid="ignore"):
        error = np.where(np.isfinite(wide), np.abs(wide - truth), np.inf)
    below = np.nextafter(np.abs(truth), 0)
    _, exponent = np.frexp(below)
    ulp = np.ldexp(1.0, exponent - 1 - info.nmant)
    normal = np.abs(truth) >= float(info.tiny)
    # Below the normal range the ulp computed here can underflow to 0; those
    # points are measured in subnormals instead, so their quotient is unused.
    with np.errstate(divide="ignore", invalid="ignore"):
        in_ulp = np.where(normal, error / ulp, np.nan)
    in_subnormals = np.where(normal, np.nan, error / float(info.smallest_subnormal))
    return in_ulp, in_subnormals


@functools.cache
def measured(name: str, dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the activation's output on `grid(dtype)` and its two error arrays."""
    got = run_quietly(ACTIVATIONS[name](), Tensor(grid(dtype))).data
    return (got, *errors(got, exact_values(name, dtype), dtype))


def run_quietly(function, *args):
    """Call `function` with every warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return function(*args)


# --- accuracy against mpmath --------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_grid_holds_required_points(dtype):
    values = grid(dtype)
    info = np.finfo(dtype)

    assert np.any((values == 0) & np.signbit(values)), "grid lacks -0.0"
    assert np.any((values == 0) & ~np.signbit(values)), "grid lacks +0.0"
    assert np.any(np.abs(values) == info.smallest_subnormal), "grid lacks subnormals"
    assert np.any(values == info.max), "grid lacks the largest finite value"
    for point in HARD_POINTS:
        expected = dtype(point)
        assert np.any(values == expected), f"grid lacks {point} ({expected})"
        assert np.any(values == -expected), f"grid lacks {-point} ({-expected})"


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_error_within_4_ulp_where_normal(name, dtype):
    x = grid(dtype)

    got, in_ulp, _ = measured(name, dtype)

    worst = int(np.nanargmax(in_ulp))
    assert in_ulp[worst] <= 4, (
        f"{name} on {np.dtype(dtype).name}: expected at most 4 ulp, got "
        f"{in_ulp[worst]:.3f} ulp at x = {x[worst]!r} (returned {got[worst]!r})"
    )


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_error_within_2_subnormals_below_normal(name, dtype):
    x = grid(dtype)

    got, _, in_subnormals = measured(name, dtype)

    assert np.isfinite(in_subnormals).any(), "no exact value below the normal range"
    worst = int(np.nanargmax(in_subnormals))
    assert in_subnormals[worst] <= 2, (
        f"{name} on {np.dtype(dtype).name}: expected an error of at most 2 smallest "
        f"subnormals, got {in_subnormals[worst]:.3f} at x = {x[worst]!r} "
        f"(returned {got[worst]!r})"
    )


@pytest.mark.parametrize("dtype", [np.float16, np.float32], ids=["float16", "float32"])
def test_sigmoid_within_1_ulp_across_blocks(dtype):
    # A float64 reference is exact enough to judge float16 and float32 results,
    # and this input spans several blocks of the blocked kernel.
    x = np.random.default_rng(1).uniform(-100, 100, LONG).astype(dtype)
    wide = x.astype(np.float64)
    reference = np.exp(np.minimum(wide, 0)) / (1 + np.exp(-np.abs(wide)))

    got = run_quietly(Sigmoid(), Tensor(x)).data.astype(np.float64)

    normal = reference >= np.finfo(dtype).tiny
    ulp = np.spacing(reference[normal].astype(dtype)).astype(np.float64)
    worst = np.max(np.abs(got[normal] - reference[normal]) / ulp)
    assert worst <= 1, f"expected at most 1 ulp on every block, got {worst:.3f}"


# --- ranges and special values ----------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_sigmoid_stays_in_closed_unit_interval(dtype):
    got = run_quietly(Sigmoid(), Tensor(grid(dtype))).data

    assert got.min() >= 0, f"expected no output below 0, got {got.min()!r}"
    assert got.max() <= 1, f"expected no output above 1, got {got.max()!r}"
    assert not np.signbit(got).any(), "expected no negative zero"


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_tanh_stays_in_closed_interval(dtype):
    got = run_quietly(Tanh(), Tensor(grid(dtype))).data

    assert got.min() >= -1, f"expected no output below -1, got {got.min()!r}"
    assert got.max() <= 1, f"expected no output above 1, got {got.max()!r}"


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_sigmoid_special_values(dtype):
    big = np.finfo(dtype).max
    x = np.array([-np.inf, np.inf, np.nan, -big, big, 0.0, -0.0], dtype=dtype)

    got = run_quietly(Sigmoid(), Tensor(x)).data

    expected = np.array([0, 1, np.nan, 0, 1, 0.5, 0.5], dtype=dtype)
    assert np.array_equal(got, expected, equal_nan=True), (
        f"Sigmoid of {x} should be {expected}, got {got}"
    )


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_tanh_special_values(dtype):
    big = np.finfo(dtype).max
    x = np.array([-np.inf, np.inf, np.nan, -big, big, 0.0, -0.0], dtype=dtype)

    got = run_quietly(Tanh(), Tensor(x)).data

    expected = np.array([-1, 1, np.nan, -1, 1, 0, 0], dtype=dtype)
    assert np.array_equal(got, expected, equal_nan=True), (
        f"Tanh of {x} should be {expected}, got {got}"
    )


def layouts(dtype) -> dict[str, np.ndarray]:
    """Return arrays of -0.0, NaN and ±1 in several sizes and memory layouts."""
    base = np.tile(np.array([-0.0, 1.0, -1.0, np.nan], dtype=dtype), LONG // 4 + 1)
    return {
        "short": base[:7],
        "long": base[:LONG],
        "step_slice": base[::3],
        "transposed": base[: 4 * 1001].reshape(4, 1001).T,
        "zero_d": np.array(-0.0, dtype=dtype),
    }


@pytest.mark.parametrize(
    "layout", ["short", "long", "step_slice", "transposed", "zero_d"]
)
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_relu_returns_no_negative_zero(dtype, layout):
    x = layouts(dtype)[layout]

    got = run_quietly(ReLU(), Tensor(x)).data

    zeros = got == 0
    assert zeros.any(), "the input should produce zeros"
    assert not np.signbit(got[zeros]).any(), (
        f"expected +0.0 everywhere, got {np.signbit(got[zeros]).sum()} negative zeros"
    )


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_relu_propagates_both_nan_signs(dtype):
    nan = np.array(np.nan, dtype=dtype)
    x = np.array([nan, np.copysign(nan, -1), -1.0, 2.0], dtype=dtype)

    got = run_quietly(ReLU(), Tensor(x)).data

    assert np.isnan(got[:2]).all(), f"expected NaN for both NaN inputs, got {got[:2]}"
    assert np.array_equal(got[2:], [0.0, 2.0]), f"expected [0, 2], got {got[2:]}"


@pytest.mark.parametrize("layout", ["long", "step_slice", "transposed", "zero_d"])
@pytest.mark.parametrize(
    "activation", [ReLU, Sigmoid, Tanh], ids=["relu", "sigmoid", "tanh"]
)
def test_layout_does_not_change_values(activation, layout):
    x = layouts(np.float32)[layout] * np.float32(3.5)

    got = run_quietly(activation(), Tensor(x)).data
    expected = activation()(Tensor(x.copy(order="C"))).data

    assert np.array_equal(got, expected, equal_nan=True), (
        f"{activation.__name__} on a {layout} view differs from a contiguous copy"
    )


# --- softmax -----------------------------------------------------------------------


@pytest.mark.parametrize("length", [1, 7, 1000])
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_softmax_slices_sum_to_one(dtype, length):
    logits = np.random.default_rng(2).normal(0, 4, (6, length)).astype(dtype)

    for dim in (-1, 0):
        got = run_quietly(Softmax(dim=dim), Tensor(logits)).data

        sums = got.astype(np.float64).sum(axis=dim)
        # A few ulp of 1 per element of the slice.
        bound = 2 * np.finfo(dtype).eps * logits.shape[dim]
        worst = np.max(np.abs(sums - 1))
        assert worst <= bound, (
            f"dim={dim}: expected every sum within {bound:.3g} of 1, got {worst:.3g}"
        )


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_softmax_neg_inf_gives_exact_zero(dtype):
    x = np.array([[-np.inf, 0.0, 1.0], [2.0, -np.inf, -np.inf]], dtype=dtype)

    got = run_quietly(Softmax(), Tensor(x)).data

    assert np.array_equal(got[x == -np.inf], [0, 0, 0]), f"got {got}"
    assert got[1, 0] == 1, f"expected 1 for the only finite logit, got {got[1, 0]}"


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_softmax_all_neg_inf_slice_is_nan(dtype):
    x = np.array([[-np.inf, -np.inf], [0.0, 0.0]], dtype=dtype)

    got = run_quietly(Softmax(), Tensor(x)).data

    assert np.isnan(got[0]).all(), f"expected NaN for an all -inf slice, got {got[0]}"
    assert np.array_equal(got[1], [0.5, 0.5]), f"expected [0.5, 0.5], got {got[1]}"


@pytest.mark.parametrize("bad", [np.inf, np.nan], ids=["inf", "nan"])
@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_softmax_inf_or_nan_slice_is_nan(dtype, bad):
    x = np.array([[bad, 1.0, -np.inf], [0.0, 1.0, 2.0]], dtype=dtype)

    got = run_quietly(Softmax(), Tensor(x)).data

    assert np.isnan(got[0]).all(), f"expected NaN for the slice {x[0]}, got {got[0]}"
    assert np.isfinite(got[1]).all(), f"expected the other slice finite, got {got[1]}"


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_softmax_widest_finite_range(dtype):
    big = np.finfo(dtype).max
    x = np.array([-big, big, 0.0], dtype=dtype)

    got = run_quietly(Softmax(), Tensor(x)).data

    assert np.array_equal(got, [0, 1, 0]), f"expected [0, 1, 0], got {got}"


@pytest.mark.parametrize("dim", [0, -1])
@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0)], ids=["0", "0x3", "3x0"])
@pytest.mark.parametrize("dtype", [np.float16, np.float64, np.int64], ids=str)
def test_softmax_empty_keeps_shape_and_dtype(dtype, shape, dim):
    if len(shape) == 1 and dim == 0:
        dim = -1
    x = np.zeros(shape, dtype=dtype)

    got = run_quietly(Softmax(dim=dim), Tensor(x))

    expected_dtype = np.float32 if dtype is np.int64 else dtype
    assert got.shape == shape, f"expected shape {shape}, got {got.shape}"
    assert got.dtype == expected_dtype, f"expected {expected_dtype}, got {got.dtype}"


# --- no warnings on any special input ------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(
    "activation",
    [ReLU, Sigmoid, Tanh, Softmax],
    ids=["relu", "sigmoid", "tanh", "softmax"],
)
def test_special_inputs_raise_no_warning(activation, dtype):
    info = np.finfo(dtype)
    specials = [np.inf, -np.inf, np.nan, 0.0, -0.0, info.max, -info.max, info.tiny]
    specials += [info.smallest_subnormal, -info.smallest_subnormal, 1000.0, -1000.0]
    x = np.array(specials, dtype=dtype)
    module = activation()

    run_quietly(module, Tensor(x))
    run_quietly(module.backward, Tensor(np.ones_like(x)))

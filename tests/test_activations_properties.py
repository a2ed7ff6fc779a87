"""Properties of the activations that hold for any bounded, finite input.

Hypothesis draws shapes (0-d included) and dtypes. Every tolerance is derived from
the dtype's machine epsilon, so float16 is held only to what float16 can represent.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tinytorch.core.activations import ReLU, Sigmoid, Softmax, Tanh
from tinytorch.core.tensor import Tensor

# One fixed profile for this file: the same examples on every run, no deadline
# (the first call of a function pays for imports) and no example database on disk.
settings.register_profile(
    "activations",
    deadline=None,
    max_examples=60,
    derandomize=True,
    database=None,
    print_blob=True,
)
ACTIVATION_SETTINGS = settings.get_profile("activations")

FLOAT_DTYPES = hnp.floating_dtypes(sizes=(16, 32, 64), endianness="=")
INTEGER_DTYPES = hnp.integer_dtypes(endianness="=") | hnp.unsigned_integer_dtypes(
    endianness="="
)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=6)


def bounded_floats(bound: float):
    """Arrays of any float dtype and shape with finite values in [-bound, bound]."""
    elements = {
        "min_value": -bound,
        "max_value": bound,
        "allow_nan": False,
        "allow_infinity": False,
    }
    return FLOAT_DTYPES.flatmap(
        lambda dtype: hnp.arrays(dtype, SHAPES, elements=elements)
    )


def eps_of(array: np.ndarray) -> float:
    return float(np.finfo(array.dtype).eps)


def run(activation, data: np.ndarray) -> np.ndarray:
    out = activation(Tensor(data))
    assert out.dtype == data.dtype, f"dtype {data.dtype} came back as {out.dtype}"
    assert out.shape == data.shape, f"shape {data.shape} came back as {out.shape}"
    return out.data.astype(np.float64)


@ACTIVATION_SETTINGS
@given(bounded_floats(100.0))
def test_sigmoid_symmetric_about_half(x):
    # Each side is within a couple of ulps of its exact value, and outputs are at
    # most 1, so the two sides may differ by a few multiples of eps.
    sigmoid = Sigmoid()

    positive = run(sigmoid, x)
    negative = run(sigmoid, -x)

    np.testing.assert_allclose(negative, 1.0 - positive, rtol=0, atol=4 * eps_of(x))


@ACTIVATION_SETTINGS
@given(bounded_floats(100.0))
def test_tanh_is_odd_function(x):
    tanh = Tanh()

    positive = run(tanh, x)
    negative = run(tanh, -x)

    np.testing.assert_allclose(negative, -positive, rtol=0, atol=4 * eps_of(x))


@ACTIVATION_SETTINGS
@given(bounded_floats(100.0))
def test_sigmoid_monotonic_on_sorted_input(x):
    ordered = np.sort(x.ravel())

    out = run(Sigmoid(), ordered)

    steps = np.diff(out)
    assert np.all(steps >= 0), f"decreases after {ordered[:-1][steps < 0]}"


@ACTIVATION_SETTINGS
@given(bounded_floats(100.0))
def test_tanh_monotonic_on_sorted_input(x):
    ordered = np.sort(x.ravel())

    out = run(Tanh(), ordered)

    steps = np.diff(out)
    assert np.all(steps >= 0), f"decreases after {ordered[:-1][steps < 0]}"


@ACTIVATION_SETTINGS
@given(bounded_floats(100.0))
def test_sigmoid_tanh_stay_in_range(x):
    sigmoid_out = run(Sigmoid(), x)
    tanh_out = run(Tanh(), x)

    assert np.all((sigmoid_out >= 0) & (sigmoid_out <= 1)), sigmoid_out
    assert np.all((tanh_out >= -1) & (tanh_out <= 1)), tanh_out


@st.composite
def softmax_cases(draw):
    """An array, a valid dim for it, and a per-slice constant to add along dim."""
    x = draw(bounded_floats(50.0))
    if x.ndim == 0:
        dim = draw(st.sampled_from([0, -1]))
        shift_shape = ()
    else:
        dim = draw(st.integers(-x.ndim, x.ndim - 1))
        shift_shape = list(x.shape)
        shift_shape[dim] = 1
    shift = draw(
        hnp.arrays(
            np.float64,
            tuple(shift_shape),
            elements=st.floats(-50.0, 50.0, allow_nan=False, allow_infinity=False),
        )
    )
    return x, dim, shift


@ACTIVATION_SETTINGS
@given(softmax_cases())
def test_softmax_invariant_to_shift(case):
    x, dim, shift = case
    shifted = (x.astype(np.float64) + shift).astype(x.dtype)
    softmax = Softmax(dim=dim)

    original = run(softmax, x)
    moved = run(softmax, shifted)

    # Rounding x + shift to the dtype moves each logit by up to rounding_error, and
    # the implementation rounds (x - max) once more, by up to half an ulp of the
    # largest span. exp turns an absolute logit error d into a relative error of
    # about d, and the two outputs can err in opposite directions.
    rounding_error = np.max(
        np.abs(shifted.astype(np.float64) - shift - x.astype(np.float64)), initial=0
    )
    span = 2.0 * (np.max(np.abs(x), initial=0) + np.max(np.abs(shift), initial=0))
    internal = float(np.spacing(x.dtype.type(span)))
    eps = eps_of(x)
    rtol = 2.0 * (rounding_error + internal) + 16 * eps
    atol = 2.0 * float(np.finfo(x.dtype).tiny)
    np.testing.assert_allclose(moved, original, rtol=rtol, atol=atol)


@ACTIVATION_SETTINGS
@given(softmax_cases())
def test_softmax_keeps_argmax(case):
    x, dim, _ = case
    if x.ndim == 0:
        x = x.reshape(1)
        dim = 0

    out = run(Softmax(dim=dim), x)

    winners = np.expand_dims(np.argmax(x, axis=dim), axis=dim)
    at_winner = np.take_along_axis(out, winners, axis=dim)
    largest = np.max(out, axis=dim, keepdims=True)
    np.testing.assert_array_equal(at_winner, largest)


@ACTIVATION_SETTINGS
@given(softmax_cases())
def test_softmax_sums_to_one_along_dim(case):
    x, dim, _ = case

    out = run(Softmax(dim=dim), x)

    axis = dim if x.ndim else None
    length = x.shape[dim] if x.ndim else 1
    sums = np.sum(out, axis=axis)
    np.testing.assert_allclose(sums, 1.0, rtol=0, atol=(length + 2) * eps_of(x))


@ACTIVATION_SETTINGS
@given(bounded_floats(1e4))
def test_relu_equals_maximum_float(x):
    out = ReLU()(Tensor(x))

    assert out.dtype == x.dtype
    np.testing.assert_array_equal(out.data, np.maximum(x, 0))


@ACTIVATION_SETTINGS
@given(INTEGER_DTYPES.flatmap(lambda dtype: hnp.arrays(dtype, SHAPES)))
def test_relu_equals_maximum_integer(x):
    out = ReLU()(Tensor(x))

    assert out.dtype == x.dtype
    np.testing.assert_array_equal(out.data, np.maximum(x, 0))

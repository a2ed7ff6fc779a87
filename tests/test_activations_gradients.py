"""Backward passes of the activations, checked against central finite differences.

For a loss L = sum(g * f(x)) with a fixed upstream gradient g, backward(g) must
return dL/dx. The numerical estimate perturbs one input at a time in float64:
(L(x + h) - L(x - h)) / 2h. Its truncation error is O(h**2) and its rounding error
O(eps / h). With h = 1e-5 and outputs and derivatives of order 1, both are about
1e-11 (an estimate), far below the 1e-6 bound.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tinytorch.core.activations import ReLU, Sigmoid, Softmax, Tanh
from tinytorch.core.tensor import Tensor

ACTIVATIONS = [ReLU, Sigmoid, Tanh, Softmax]
ACTIVATION_IDS = ["relu", "sigmoid", "tanh", "softmax"]
STEP = 1e-5
MAX_RELATIVE_ERROR = 1e-6


def numerical_gradient(activation, x: np.ndarray, upstream: np.ndarray) -> np.ndarray:
    """Estimate d sum(upstream * f(x)) / dx by central differences."""
    gradient = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus = x.copy()
        minus = x.copy()
        plus[index] += STEP
        minus[index] -= STEP
        # Subtract before summing. For elementwise functions every other term
        # cancels exactly, so the sum adds no rounding error of its own.
        difference = activation(Tensor(plus)).data - activation(Tensor(minus)).data
        gradient[index] = np.sum(upstream * difference) / (2 * STEP)
    return gradient


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numeric), 1e-30)
    return float(np.linalg.norm(analytic - numeric) / scale)


def analytic_gradient(activation, x: np.ndarray, upstream: np.ndarray) -> np.ndarray:
    activation(Tensor(x))
    grad = activation.backward(Tensor(upstream))
    assert isinstance(grad, Tensor), f"backward returned {type(grad).__name__}"
    assert grad.shape == x.shape, f"gradient shape {grad.shape}, input {x.shape}"
    return grad.data


def away_from_kink(rng: np.random.Generator, shape) -> np.ndarray:
    """Values in [-3, -0.1] or [0.1, 3], so ReLU is differentiable at each one."""
    magnitude = rng.uniform(0.1, 3.0, size=shape)
    sign = rng.choice([-1.0, 1.0], size=shape)
    return magnitude * sign


# --- finite differences -----------------------------------------------------------


@pytest.mark.parametrize("shape", [(7,), (3, 4), (2, 2, 3)], ids=["1d", "2d", "3d"])
@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_backward_matches_finite_differences(activation_class, shape):
    rng = np.random.default_rng(20)
    x = away_from_kink(rng, shape)
    upstream = rng.normal(size=shape)
    activation = activation_class()

    numeric = numerical_gradient(activation, x, upstream)
    analytic = analytic_gradient(activation, x, upstream)

    error = relative_error(analytic, numeric)
    assert error <= MAX_RELATIVE_ERROR, (
        f"relative error {error:.2e}\nanalytic {analytic}\nnumeric {numeric}"
    )


@pytest.mark.parametrize(
    "dim", [0, -1, 1, -2], ids=["dim0", "dim_last", "dim1", "dim_m2"]
)
def test_softmax_batch_backward_finite_differences(dim):
    rng = np.random.default_rng(21)
    x = rng.normal(scale=2.0, size=(4, 5))
    upstream = rng.normal(size=(4, 5))
    softmax = Softmax(dim=dim)

    numeric = numerical_gradient(softmax, x, upstream)
    analytic = analytic_gradient(softmax, x, upstream)

    error = relative_error(analytic, numeric)
    assert error <= MAX_RELATIVE_ERROR, (
        f"relative error {error:.2e}\nanalytic {analytic}\nnumeric {numeric}"
    )


@pytest.mark.parametrize("dim", [0, 1, 2, -1], ids=["dim0", "dim1", "dim2", "dim_last"])
def test_softmax_3d_backward_finite_differences(dim):
    rng = np.random.default_rng(22)
    x = rng.normal(size=(2, 3, 4))
    upstream = rng.normal(size=(2, 3, 4))
    softmax = Softmax(dim=dim)

    numeric = numerical_gradient(softmax, x, upstream)
    analytic = analytic_gradient(softmax, x, upstream)

    error = relative_error(analytic, numeric)
    assert error <= MAX_RELATIVE_ERROR, f"relative error {error:.2e}"


def test_softmax_backward_matches_jacobian():
    # Explicit Jacobian of one row: J = diag(s) - s s^T.
    x = np.array([[0.5, -1.0, 2.0, 0.0]])
    upstream = np.array([[1.0, -2.0, 0.5, 3.0]])
    softmax = Softmax(dim=-1)

    analytic = analytic_gradient(softmax, x, upstream)

    s = np.exp(x[0] - x[0].max())
    s /= s.sum()
    jacobian = np.diag(s) - np.outer(s, s)
    np.testing.assert_allclose(analytic[0], jacobian.T @ upstream[0], rtol=1e-12)


def test_softmax_backward_rows_sum_to_zero():
    # Every column of diag(s) - s s^T sums to zero, so each row of the input
    # gradient does too, whatever the upstream gradient is.
    rng = np.random.default_rng(23)
    x = rng.normal(size=(5, 6))
    softmax = Softmax(dim=-1)

    analytic = analytic_gradient(softmax, x, rng.normal(size=(5, 6)))

    np.testing.assert_allclose(analytic.sum(axis=-1), 0.0, rtol=0, atol=1e-14)


# --- which forward the backward uses ------------------------------------------------


@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_backward_uses_last_forward(activation_class):
    rng = np.random.default_rng(24)
    first = away_from_kink(rng, (2, 3))
    last = away_from_kink(rng, (2, 3))
    upstream = rng.normal(size=(2, 3))

    fresh = analytic_gradient(activation_class(), last, upstream)
    reused = activation_class()
    reused(Tensor(first))
    after_two = analytic_gradient(reused, last, upstream)

    np.testing.assert_array_equal(after_two, fresh)


@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_backward_leaves_grad_output_unchanged(activation_class):
    rng = np.random.default_rng(25)
    x = away_from_kink(rng, (3, 4))
    upstream = rng.normal(size=(3, 4))
    before = upstream.copy()

    analytic_gradient(activation_class(), x, upstream)

    np.testing.assert_array_equal(upstream, before)


@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_backward_before_forward_raises(activation_class):
    activation = activation_class()

    with pytest.raises(RuntimeError, match=r"(?i)forward"):
        activation.backward(Tensor(np.ones((2, 3))))


# --- gradient facts -----------------------------------------------------------------


def test_sigmoid_derivative_peaks_at_zero():
    x = np.linspace(-6.0, 6.0, 121)
    sigmoid = Sigmoid()

    slope = analytic_gradient(sigmoid, x, np.ones_like(x))

    assert slope[60] == 0.25, f"sigmoid'(0) should be exactly 0.25, got {slope[60]!r}"
    assert np.all(slope <= 0.25), f"maximum slope was {slope.max()!r}"
    assert np.argmax(slope) == 60


def test_tanh_derivative_peaks_at_zero():
    x = np.linspace(-6.0, 6.0, 121)
    tanh = Tanh()

    slope = analytic_gradient(tanh, x, np.ones_like(x))

    assert slope[60] == 1.0, f"tanh'(0) should be exactly 1, got {slope[60]!r}"
    assert np.all(slope <= 1.0), f"maximum slope was {slope.max()!r}"
    assert np.argmax(slope) == 60


@pytest.mark.parametrize("activation_class", [Sigmoid, Tanh], ids=["sigmoid", "tanh"])
def test_saturated_derivative_is_tiny(activation_class):
    # Far from 0 both functions are flat, so the gradient vanishes (no overflow).
    x = np.array([-1000.0, -50.0, 50.0, 1000.0])

    slope = analytic_gradient(activation_class(), x, np.ones_like(x))

    assert np.all(np.isfinite(slope)), slope
    assert np.all(slope >= 0.0), slope
    assert np.all(slope < 1e-20), slope


def test_relu_derivative_zero_for_negatives():
    x = -np.geomspace(1e-300, 1e300, 61)
    relu = ReLU()

    slope = analytic_gradient(relu, x, np.full_like(x, 7.0))

    np.testing.assert_array_equal(slope, np.zeros_like(x))


def test_relu_derivative_passes_positive_gradient():
    x = np.geomspace(1e-300, 1e300, 61)
    upstream = np.random.default_rng(26).normal(size=x.shape)
    relu = ReLU()

    slope = analytic_gradient(relu, x, upstream)

    np.testing.assert_array_equal(slope, upstream)


def test_relu_derivative_zero_at_zero():
    x = np.array([0.0, -0.0])
    relu = ReLU()

    slope = analytic_gradient(relu, x, np.ones_like(x))

    np.testing.assert_array_equal(slope, [0.0, 0.0])


# --- infinite and huge gradients: no RuntimeWarning --------------------------------

INF = np.inf
FLOAT32_MAX = float(np.finfo(np.float32).max)


def backward_without_warnings(activation, x: np.ndarray, upstream: np.ndarray):
    """Run forward on `x`, then backward on `upstream`, failing on any warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        activation(Tensor(x))
        return activation.backward(Tensor(upstream)).data


def test_relu_inf_grad_zero_where_x_nonpositive():
    x = np.array([-1.0, 0.0, -0.0, 2.0], dtype=np.float32)
    upstream = np.array([INF, -INF, INF, INF], dtype=np.float32)

    grad = backward_without_warnings(ReLU(), x, upstream)

    np.testing.assert_array_equal(grad, [0.0, 0.0, 0.0, INF])
    assert not np.any(np.signbit(grad[:3])), f"expected +0.0, got {grad[:3]}"


def test_relu_nan_grad_zero_where_x_nonpositive():
    x = np.array([-1.0, 0.0, 2.0], dtype=np.float32)
    upstream = np.full(3, np.nan, dtype=np.float32)

    grad = backward_without_warnings(ReLU(), x, upstream)

    np.testing.assert_array_equal(grad[:2], [0.0, 0.0])
    assert np.isnan(grad[2]), f"expected NaN to pass where x > 0, got {grad[2]}"


def test_sigmoid_inf_grad_saturated_is_nan():
    # In float32 sigmoid(88) rounds to 1 and sigmoid(-inf) is 0: slope 0.
    x = np.array([0.0, 88.0, -INF], dtype=np.float32)
    upstream = np.full(3, INF, dtype=np.float32)

    grad = backward_without_warnings(Sigmoid(), x, upstream)

    assert grad[0] == INF, f"expected inf * 0.25 = inf, got {grad[0]}"
    assert np.all(np.isnan(grad[1:])), f"expected inf * 0 = NaN, got {grad[1:]}"


def test_tanh_inf_grad_saturated_is_nan():
    # In float32 tanh(20) and tanh(-inf) are exactly ±1: slope 0.
    x = np.array([0.0, 20.0, -INF], dtype=np.float32)
    upstream = np.full(3, INF, dtype=np.float32)

    grad = backward_without_warnings(Tanh(), x, upstream)

    assert grad[0] == INF, f"expected inf * 1 = inf, got {grad[0]}"
    assert np.all(np.isnan(grad[1:])), f"expected inf * 0 = NaN, got {grad[1:]}"


def test_softmax_inf_grad_is_nonfinite():
    # s = [0.5, 0.5] and dot = inf: 0.5 * (1 - inf) = -inf, 0.5 * (inf - inf) = NaN.
    x = np.zeros(2, dtype=np.float32)
    upstream = np.array([1.0, INF], dtype=np.float32)

    grad = backward_without_warnings(Softmax(), x, upstream)

    assert grad[0] == -INF, f"expected -inf, got {grad[0]}"
    assert np.isnan(grad[1]), f"expected NaN, got {grad[1]}"


def test_softmax_opposite_max_grads_stay_finite():
    # g - dot is about [0.54, -1.46] * max, which overflows float32, but the
    # gradient s * (g - dot) is about [0.39, -0.39] * max.
    x = np.array([1.0, 0.0], dtype=np.float32)
    upstream = np.array([FLOAT32_MAX, -FLOAT32_MAX], dtype=np.float32)

    grad = backward_without_warnings(Softmax(), x, upstream)

    s = Softmax()(Tensor(x)).data.astype(np.float64)
    g = upstream.astype(np.float64)
    expected = s * (g - np.sum(g * s))
    np.testing.assert_allclose(grad, expected, rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_softmax_constant_max_grad_is_zero(dtype):
    # A constant upstream gradient has zero input gradient, but sum(g * s) can
    # round above max because the rounded s sums to slightly more than 1.
    maximum = np.finfo(dtype).max
    x = np.random.default_rng(27).normal(size=(200, 7)).astype(dtype)
    upstream = np.full(x.shape, maximum, dtype=dtype)

    grad = backward_without_warnings(Softmax(), x, upstream)

    assert np.all(np.isfinite(grad)), "expected a finite gradient in every slice"
    largest = np.abs(grad.astype(np.float64)).max() / maximum
    assert largest < 1e-2, f"expected about 0, got {largest:.2e} * max"


def test_huge_float64_grad_becomes_inf():
    x = np.array([1.0, -1.0], dtype=np.float32)
    upstream = np.array([1e300, 1e300])

    grad = backward_without_warnings(ReLU(), x, upstream)

    assert grad.dtype == np.float32, f"expected float32, got {grad.dtype}"
    np.testing.assert_array_equal(grad, [INF, 0.0])


# --- gradient dtype: the forward output's, not grad_output's -----------------------


@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_int_grad_after_float32_forward_is_float32(activation_class):
    activation = activation_class()
    activation(Tensor(np.array([-1.0, 2.0], dtype=np.float32)))

    grad = activation.backward(Tensor(np.array([3, 4], dtype=np.int64)))

    assert grad.dtype == np.float32, f"expected float32, got {grad.dtype}"


@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float64_grad_keeps_forward_dtype(activation_class, dtype):
    activation = activation_class()
    activation(Tensor(np.array([-1.0, 2.0], dtype=dtype)))

    grad = activation.backward(Tensor(np.array([0.5, 0.25], dtype=np.float64)))

    assert grad.dtype == dtype, f"expected {np.dtype(dtype)}, got {grad.dtype}"


@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_float32_grad_keeps_float64_forward(activation_class):
    activation = activation_class()
    activation(Tensor(np.array([-1.0, 2.0])))

    grad = activation.backward(Tensor(np.array([0.5, 0.25], dtype=np.float32)))

    assert grad.dtype == np.float64, f"expected float64, got {grad.dtype}"


@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
@pytest.mark.parametrize("dtype", [np.int64, np.int8, np.uint8, np.bool_])
def test_grad_after_int_or_bool_forward_is_float32(activation_class, dtype):
    activation = activation_class()
    activation(Tensor(np.array([0, 1], dtype=dtype)))

    grad = activation.backward(Tensor(np.array([1, 1], dtype=np.int64)))

    assert grad.dtype == np.float32, f"expected float32, got {grad.dtype}"


def test_relu_grad_after_int_forward_values():
    relu = ReLU()
    relu(Tensor(np.array([-2, 0, 3], dtype=np.int64)))

    grad = relu.backward(Tensor(np.array([5, 5, 5], dtype=np.int64))).data

    np.testing.assert_array_equal(grad, np.array([0.0, 0.0, 5.0], dtype=np.float32))

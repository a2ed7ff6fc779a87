"""Each bad input to an activation raises a TypeError whose message explains it.

A non-Tensor input must name the activation, the type received and how to wrap it
(`Tensor(...)`). A Tensor with a non-numeric dtype must name that dtype.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from tinytorch.core import activations
from tinytorch.core.activations import ReLU, Sigmoid, Softmax, Tanh
from tinytorch.core.tensor import Tensor

ACTIVATIONS = [ReLU, Sigmoid, Tanh, Softmax]
ACTIVATION_IDS = ["relu", "sigmoid", "tanh", "softmax"]

# (value, the type name the message must contain)
NOT_TENSORS = [
    ([1.0, -2.0], "list"),
    ((1.0, -2.0), "tuple"),
    (np.array([1.0, -2.0]), "ndarray"),
    (3, "int"),
    (2.5, "float"),
    (None, "None"),
]
NOT_TENSOR_IDS = ["list", "tuple", "ndarray", "int", "float", "none"]


def tensor_holding(array: np.ndarray) -> Tensor:
    """Build a Tensor around `array`, bypassing the constructor if it rejects it."""
    try:
        tensor = Tensor(array)
    except (TypeError, ValueError):
        tensor = Tensor(np.zeros(1))
        tensor.data = array
    assert tensor.data.dtype == array.dtype, "could not build the Tensor under test"
    return tensor


def test_activations_public_names_exact():
    assert sorted(activations.__all__) == ["ReLU", "Sigmoid", "Softmax", "Tanh"]


@pytest.mark.parametrize(("value", "type_name"), NOT_TENSORS, ids=NOT_TENSOR_IDS)
@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_call_rejects_non_tensor_input(activation_class, value, type_name):
    activation = activation_class()

    with pytest.raises(TypeError, match=re.escape(activation_class.__name__)) as info:
        activation(value)

    message = str(info.value)
    assert type_name in message, f"message does not name {type_name!r}: {message}"
    assert "Tensor(" in message, f"message does not show `Tensor(`: {message}"


@pytest.mark.parametrize(("value", "type_name"), NOT_TENSORS, ids=NOT_TENSOR_IDS)
@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_forward_rejects_non_tensor_input(activation_class, value, type_name):
    activation = activation_class()

    with pytest.raises(TypeError, match=re.escape(activation_class.__name__)) as info:
        activation.forward(value)

    message = str(info.value)
    assert type_name in message, f"message does not name {type_name!r}: {message}"
    assert "Tensor(" in message, f"message does not show `Tensor(`: {message}"


BAD_DTYPES = [
    np.array([1 + 2j, -1j], dtype=np.complex128),
    np.array([1 + 2j, -1j], dtype=np.complex64),
    np.array([1.0, "a", None], dtype=object),
    np.array(["1.0", "-2.0"]),
    np.array([b"1.0", b"-2.0"]),
]
BAD_DTYPE_IDS = ["complex128", "complex64", "object", "str", "bytes"]


@pytest.mark.parametrize("array", BAD_DTYPES, ids=BAD_DTYPE_IDS)
@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_forward_rejects_non_numeric_dtype(activation_class, array):
    tensor = tensor_holding(array)
    # Either spelling names the dtype: `complex128` or `<U4` / `str128`.
    names = {array.dtype.name, str(array.dtype)}
    pattern = "|".join(re.escape(name) for name in names)

    with pytest.raises(TypeError, match=pattern):
        activation_class()(tensor)


@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_rejected_input_not_cached_for_backward(activation_class):
    # A forward that raised must not leave a half-set cache behind.
    activation = activation_class()
    with pytest.raises(TypeError):
        activation([1.0, 2.0])

    with pytest.raises(RuntimeError, match=r"(?i)forward"):
        activation.backward(Tensor(np.ones(2)))


@pytest.mark.parametrize("dim", [2, -3, 5], ids=["dim2", "dim_m3", "dim5"])
def test_softmax_rejects_out_of_range_dim(dim):
    softmax = Softmax(dim=dim)
    x = Tensor(np.zeros((2, 3)))

    with pytest.raises(IndexError, match=r"dim") as info:
        softmax(x)

    assert "ndim" in str(info.value), str(info.value)


@pytest.mark.parametrize(("value", "type_name"), NOT_TENSORS, ids=NOT_TENSOR_IDS)
@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_backward_rejects_non_tensor_gradient(activation_class, value, type_name):
    activation = activation_class()
    activation(Tensor(np.array([1.0, -2.0])))

    with pytest.raises(TypeError, match=re.escape(activation_class.__name__)) as info:
        activation.backward(value)

    message = str(info.value)
    assert type_name in message, f"message does not name {type_name!r}: {message}"
    assert "Tensor(" in message, f"message does not show `Tensor(`: {message}"


@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_backward_rejects_mismatched_gradient_shape(activation_class):
    activation = activation_class()
    activation(Tensor(np.zeros((2, 3))))

    with pytest.raises(ValueError, match=r"\(2, 3\)") as info:
        activation.backward(Tensor(np.ones((3, 2))))

    assert "(3, 2)" in str(info.value), str(info.value)


@pytest.mark.parametrize(
    "dim", [1.0, "1", None, True], ids=["float", "str", "none", "bool"]
)
def test_softmax_rejects_non_integer_dim(dim):
    with pytest.raises(TypeError, match="dim"):
        Softmax(dim=dim)

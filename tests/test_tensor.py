"""Tests of tinytorch.core.tensor: construction, dtypes, operators and reductions."""

import doctest
import functools
import re

import numpy as np
import pytest

from tinytorch.core.tensor import Tensor


def tensor_later(*args, **kwargs) -> functools.partial:
    """Return a call that builds `Tensor(*args, **kwargs)` when a test runs it.

    Parameter lists contain these instead of tensors. A Tensor built at import
    time runs `Tensor.__init__` while pytest collects the file, so in a student's
    copy, where it is still a stub, no test of the file would run.
    """
    return functools.partial(Tensor, *args, **kwargs)


def built(value):
    """Return the Tensor that `tensor_later` describes, or `value` itself."""
    return value() if isinstance(value, functools.partial) else value


# ---------------------------------------------------------------------------
# Construction and default dtypes


@pytest.mark.parametrize(
    ("data", "shape", "dtype"),
    [
        (2.5, (), np.float32),
        (3, (), np.int64),
        (True, (), np.bool_),
        (1 + 2j, (), np.complex64),
        ([1.0, 2.0], (2,), np.float32),
        ([1, 2, 3], (3,), np.int64),
        ([True, False], (2,), np.bool_),
        ([[1, 2], [3, 4]], (2, 2), np.int64),
        ((1.0, 2.0), (2,), np.float32),
        ([(1, 2), (3, 4)], (2, 2), np.int64),
        ([[[1.0]]], (1, 1, 1), np.float32),
        ([], (0,), np.float32),
        ([[], []], (2, 0), np.float32),
    ],
)
def test_tensor_from_python_values(data, shape, dtype):
    tensor = Tensor(data)

    assert tensor.shape == shape
    assert tensor.dtype == dtype
    np.testing.assert_array_equal(tensor.data, np.array(data, dtype=dtype))


@pytest.mark.parametrize(
    ("data", "dtype"),
    [
        ([True, 1], np.int64),
        ([1, 2.5], np.float32),
        ([True, 2.5], np.float32),
        ([1.0, 2j], np.complex64),
        ([[1, 2], [3, 4.5]], np.float32),
    ],
)
def test_tensor_mixed_list_takes_widest_kind(data, dtype):
    assert Tensor(data).dtype == dtype


def test_tensor_numpy_scalars_in_list_count_by_kind():
    tensor = Tensor([np.float64(1.5), np.int32(2)])

    assert tensor.dtype == np.float32
    np.testing.assert_array_equal(tensor.data, [1.5, 2.0])


@pytest.mark.parametrize(
    "dtype", [np.float16, np.float32, np.float64, np.int8, np.uint8, np.int32]
)
def test_tensor_array_keeps_dtype(dtype):
    array = np.arange(4).astype(dtype)

    assert Tensor(array).dtype == dtype


def test_tensor_array_is_wrapped_without_copy():
    array = np.arange(3.0)
    tensor = Tensor(array)

    assert tensor.data is array
    array[0] = 10.0
    assert tensor.data[0] == 10.0


def test_tensor_from_tensor_shares_array_and_dtype():
    original = Tensor(np.arange(3, dtype=np.int16))
    copy = Tensor(original)

    assert copy.data is original.data
    assert copy.dtype == np.int16


def test_tensor_numpy_scalar_keeps_dtype():
    tensor = Tensor(np.float64(2.5))

    assert tensor.shape == ()
    assert tensor.dtype == np.float64


def test_tensor_complex_array_is_accepted():
    tensor = Tensor(np.array([1 + 1j, 2]))

    assert tensor.dtype == np.complex128


@pytest.mark.parametrize(
    ("data", "dtype", "expected"),
    [
        ([1, 2], np.float32, np.float32),
        ([1.5, 2.5], "float64", np.float64),
        ([1.7, 2.2], np.int64, np.int64),
        (3, np.float16, np.float16),
        (np.arange(3), np.float32, np.float32),
        (tensor_later([1.0]), np.float64, np.float64),
    ],
)
def test_tensor_dtype_argument_converts(data, dtype, expected):
    assert Tensor(built(data), dtype=dtype).dtype == expected


def test_tensor_dtype_argument_truncates_floats_to_int():
    np.testing.assert_array_equal(Tensor([1.7, -2.2], dtype="int64").data, [1, -2])


def test_tensor_same_dtype_argument_does_not_copy():
    array = np.arange(3.0, dtype=np.float32)

    assert Tensor(array, dtype=np.float32).data is array


def test_tensor_different_dtype_argument_copies():
    array = np.arange(3, dtype=np.int64)
    tensor = Tensor(array, dtype=np.float32)

    array[0] = 99
    assert tensor.data[0] == 0


def test_tensor_float_too_large_for_float32_is_inf():
    tensor = Tensor([1e39, 1.0])

    assert tensor.data[0] == np.inf
    assert tensor.dtype == np.float32


# ---------------------------------------------------------------------------
# Bad input


def test_tensor_rejects_none():
    with pytest.raises(TypeError, match=r"got None; expected a number"):
        Tensor(None)


def test_tensor_rejects_str():
    with pytest.raises(TypeError, match=r"got str 'abc'; expected"):
        Tensor("abc")


def test_tensor_rejects_bytes():
    with pytest.raises(TypeError, match=r"got bytes b'abc'; expected"):
        Tensor(b"abc")


def test_tensor_rejects_dict():
    with pytest.raises(TypeError, match=r"got dict \{'a': 1\}; expected"):
        Tensor({"a": 1})


def test_tensor_rejects_set():
    with pytest.raises(TypeError, match=r"got set \{1, 2\}; expected"):
        Tensor({1, 2})


def test_tensor_rejects_generator():
    with pytest.raises(TypeError, match=r"got generator .*; expected"):
        Tensor(x for x in range(3))


def test_tensor_rejects_str_in_list():
    with pytest.raises(TypeError, match=r"got str 'a' at index \[1\]"):
        Tensor([1, "a"])


def test_tensor_rejects_none_deep_in_list():
    with pytest.raises(TypeError, match=r"got None at index \[1, 0\]"):
        Tensor([[1, 2], [None, 4]])


def test_tensor_rejects_tensor_in_list():
    with pytest.raises(TypeError, match=r"got Tensor .* at index \[0\]"):
        Tensor([Tensor([1.0])])


def test_tensor_rejects_ragged_list():
    with pytest.raises(ValueError, match=r"ragged nested list.*index \[1\]"):
        Tensor([[1, 2], [3]])


def test_tensor_rejects_number_beside_list():
    with pytest.raises(ValueError, match=r"ragged nested list"):
        Tensor([1, [2]])


def test_tensor_rejects_ragged_inner_list():
    with pytest.raises(
        ValueError,
        match=r"index \[1, 1\] has shape \(2,\), but .* \[1, 0\] has shape \(1,\)",
    ):
        Tensor([[[1], [2]], [[3], [4, 5]]])


def test_tensor_rejects_too_deep_nesting():
    data = [1.0]
    for _ in range(70):
        data = [data]

    with pytest.raises(ValueError, match=r"deeper than 64 levels"):
        Tensor(data)


def test_tensor_rejects_self_containing_list():
    data = []
    data.append(data)

    with pytest.raises(ValueError, match=r"deeper than 64 levels"):
        Tensor(data)


def test_tensor_rejects_int_too_large_for_int64():
    with pytest.raises(OverflowError, match=r"does not fit in int64"):
        Tensor([2**70])


@pytest.mark.parametrize(
    ("array", "dtype_text"),
    [
        (np.array(["a", "b"]), "<U1"),
        (np.array([b"a"]), "|S1"),
        (np.array([1, 2], dtype=object), "object"),
        (np.array(["2024-01-01"], dtype="datetime64[D]"), "datetime64"),
    ],
)
def test_tensor_rejects_non_numeric_array(array, dtype_text):
    with pytest.raises(TypeError, match=rf"array of dtype {dtype_text}.*only numbers"):
        Tensor(array)


def test_tensor_rejects_numpy_str_scalar():
    with pytest.raises(TypeError, match=r"dtype <U3"):
        Tensor(np.str_("abc"))


def test_tensor_rejects_unknown_dtype_argument():
    with pytest.raises(TypeError, match=r"dtype='floaty' is not a NumPy dtype"):
        Tensor([1.0], dtype="floaty")


def test_tensor_rejects_non_numeric_dtype_argument():
    with pytest.raises(TypeError, match=r"dtype=<class 'str'> is not numeric"):
        Tensor([1.0], dtype=str)


# ---------------------------------------------------------------------------
# Properties, len and repr


def test_tensor_properties_match_numpy():
    tensor = Tensor(np.zeros((2, 3, 4), dtype=np.float32))

    assert tensor.shape == (2, 3, 4)
    assert tensor.dtype == np.float32
    assert tensor.size == 24
    assert tensor.ndim == 3
    assert len(tensor) == 2


def test_tensor_scalar_properties():
    tensor = Tensor(5.0)

    assert tensor.shape == ()
    assert tensor.size == 1
    assert tensor.ndim == 0


def test_tensor_len_of_scalar_raises():
    with pytest.raises(TypeError, match=r"len\(\) of a 0-d tensor"):
        len(Tensor(1.0))


@pytest.mark.parametrize(
    ("tensor", "expected"),
    [
        (
            tensor_later([1.0, 2.0, 3.0]),
            "Tensor([1. 2. 3.], shape=(3,), dtype=float32)",
        ),
        (tensor_later([1, 2]), "Tensor([1 2], shape=(2,), dtype=int64)"),
        (tensor_later(2.5), "Tensor(2.5, shape=(), dtype=float32)"),
        (tensor_later([True]), "Tensor([ True], shape=(1,), dtype=bool)"),
        (tensor_later([]), "Tensor([], shape=(0,), dtype=float32)"),
        (
            tensor_later([[1, 2], [3, 4]]),
            "Tensor([[1 2]\n        [3 4]], shape=(2, 2), dtype=int64)",
        ),
    ],
)
def test_tensor_repr(tensor, expected):
    assert repr(built(tensor)) == expected


def test_tensor_str_is_repr():
    tensor = Tensor([1.0])

    assert str(tensor) == repr(tensor)


def test_tensor_item_returns_python_number():
    value = Tensor([[2.5]]).item()

    assert value == 2.5
    assert type(value) is float


def test_tensor_item_of_many_elements_raises():
    with pytest.raises(ValueError, match=r"one element, got shape \(2,\)"):
        Tensor([1.0, 2.0]).item()


# ---------------------------------------------------------------------------
# Element-wise operators

OPERATORS = [
    ("+", lambda a, b: a + b, np.add),
    ("-", lambda a, b: a - b, np.subtract),
    ("*", lambda a, b: a * b, np.multiply),
    ("/", lambda a, b: a / b, np.true_divide),
]
OPERATOR_IDS = [name for name, _, _ in OPERATORS]


@pytest.mark.parametrize(("name", "apply", "ufunc"), OPERATORS, ids=OPERATOR_IDS)
def test_operator_tensor_with_tensor(name, apply, ufunc):
    rng = np.random.default_rng(0)
    a = rng.uniform(1.0, 2.0, (3, 4)).astype(np.float32)
    b = rng.uniform(1.0, 2.0, (3, 4)).astype(np.float32)

    result = apply(Tensor(a), Tensor(b))

    assert isinstance(result, Tensor)
    assert result.dtype == np.float32
    np.testing.assert_allclose(result.data, ufunc(a, b), rtol=1e-6)


@pytest.mark.parametrize(("name", "apply", "ufunc"), OPERATORS, ids=OPERATOR_IDS)
@pytest.mark.parametrize(
    ("left_shape", "right_shape", "out_shape"),
    [
        ((2, 3), (3,), (2, 3)),
        ((2, 1), (1, 3), (2, 3)),
        ((4, 1, 3), (2, 1), (4, 2, 3)),
        ((2, 3), (), (2, 3)),
    ],
)
def test_operator_broadcasts(name, apply, ufunc, left_shape, right_shape, out_shape):
    rng = np.random.default_rng(1)
    a = rng.uniform(1.0, 2.0, left_shape)
    b = rng.uniform(1.0, 2.0, right_shape)

    result = apply(Tensor(a), Tensor(b))

    assert result.shape == out_shape
    np.testing.assert_allclose(result.data, ufunc(a, b), rtol=1e-12)


@pytest.mark.parametrize(("name", "apply", "ufunc"), OPERATORS, ids=OPERATOR_IDS)
def test_operator_incompatible_shapes_raise(name, apply, ufunc):
    with pytest.raises(ValueError, match=r"broadcast"):
        apply(Tensor(np.ones((2, 3))), Tensor(np.ones((4,))))


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (lambda t: t + 1, [2.0, 3.0, 5.0]),
        (lambda t: 1 + t, [2.0, 3.0, 5.0]),
        (lambda t: t - 1, [0.0, 1.0, 3.0]),
        (lambda t: 2 - t, [1.0, 0.0, -2.0]),
        (lambda t: t * 3, [3.0, 6.0, 12.0]),
        (lambda t: 3 * t, [3.0, 6.0, 12.0]),
        (lambda t: t / 2, [0.5, 1.0, 2.0]),
        (lambda t: 1 / t, [1.0, 0.5, 0.25]),
        (lambda t: -t, [-1.0, -2.0, -4.0]),
    ],
    ids=["t+1", "1+t", "t-1", "2-t", "t*3", "3*t", "t/2", "1/t", "-t"],
)
def test_operator_with_python_scalar(expression, expected):
    result = expression(Tensor([1.0, 2.0, 4.0]))

    assert isinstance(result, Tensor)
    assert result.dtype == np.float32
    np.testing.assert_array_equal(result.data, expected)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (lambda t, a: t + a, [11.0, 22.0]),
        (lambda t, a: a + t, [11.0, 22.0]),
        (lambda t, a: a - t, [9.0, 18.0]),
        (lambda t, a: a / t, [10.0, 10.0]),
    ],
    ids=["t+array", "array+t", "array-t", "array/t"],
)
def test_operator_with_numpy_array_returns_tensor(expression, expected):
    result = expression(Tensor([1.0, 2.0]), np.array([10.0, 20.0]))

    assert isinstance(result, Tensor)
    np.testing.assert_array_equal(result.data, expected)


def test_operator_with_numpy_scalar_on_left_returns_tensor():
    result = np.float32(2.0) - Tensor([1.0, 2.0])

    assert isinstance(result, Tensor)
    np.testing.assert_array_equal(result.data, [1.0, 0.0])


def test_operator_does_not_change_operands():
    a = Tensor([1.0, 2.0])
    b = Tensor([3.0, 4.0])

    _ = a + b
    _ = -a

    np.testing.assert_array_equal(a.data, [1.0, 2.0])
    np.testing.assert_array_equal(b.data, [3.0, 4.0])


@pytest.mark.parametrize(
    ("left", "right", "dtype"),
    [
        (tensor_later([1, 2]), tensor_later([3, 4]), np.int64),
        (tensor_later([1, 2]), 3, np.int64),
        (tensor_later([1, 2], dtype=np.int32), 3, np.int32),
        (tensor_later([1.0, 2.0]), 3, np.float32),
        (tensor_later([1.0, 2.0]), 2.5, np.float32),
        (tensor_later([1, 2]), 2.5, np.float32),
        (tensor_later([1, 2]), tensor_later([1.0, 2.0]), np.float32),
        (tensor_later([True]), tensor_later([2]), np.int64),
        (tensor_later([1.0]), tensor_later(np.array([1.0])), np.float64),
        (tensor_later(np.array([1.0])), 2, np.float64),
        (tensor_later([1, 2]), tensor_later(np.array([1.0])), np.float64),
        (tensor_later([1.0]), 1j, np.complex64),
        (tensor_later([1]), 1j, np.complex64),
        (tensor_later(np.array([1.0])), 1j, np.complex128),
    ],
)
def test_operator_result_dtype(left, right, dtype):
    left, right = built(left), built(right)

    assert (left + right).dtype == dtype
    assert (right * left).dtype == dtype


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (tensor_later([1, 2]), tensor_later([2, 4])),
        (tensor_later([1, 2]), 2),
        (1, tensor_later([1, 2])),
        (tensor_later([True, False]), tensor_later([1, 2])),
    ],
)
def test_true_division_of_integers_gives_float32(left, right):
    left, right = built(left), built(right)
    result = left / right

    assert result.dtype == np.float32
    np.testing.assert_allclose(result.data, np.true_divide(_raw(left), _raw(right)))


def test_true_division_of_float64_stays_float64():
    result = Tensor(np.array([1.0])) / Tensor([2])

    assert result.dtype == np.float64


def _raw(value):
    return value.data if isinstance(value, Tensor) else value


# pytest turns warnings into errors, so the tests below also check that NumPy
# emits no warning for these IEEE 754 results.


def test_division_by_zero_gives_inf_nan():
    result = Tensor([1.0, -1.0, 0.0]) / 0

    np.testing.assert_array_equal(result.data, [np.inf, -np.inf, np.nan])


def test_int_division_by_zero_gives_inf():
    result = Tensor([1, 0]) / Tensor([0, 0])

    assert result.dtype == np.float32
    np.testing.assert_array_equal(result.data, [np.inf, np.nan])


def test_float32_overflow_gives_inf():
    result = Tensor([3e38]) * 10

    assert result.data[0] == np.inf


@pytest.mark.parametrize("other", ["abc", None, [1, 2], (1,), {"a": 1}, object()])
@pytest.mark.parametrize(("name", "apply", "ufunc"), OPERATORS, ids=OPERATOR_IDS)
def test_operator_unsupported_type_raises_type_error(name, apply, ufunc, other):
    tensor = Tensor([1.0, 2.0])

    with pytest.raises(TypeError):
        apply(tensor, other)
    with pytest.raises(TypeError):
        apply(other, tensor)


@pytest.mark.parametrize("name", ["__add__", "__radd__", "__truediv__", "__rsub__"])
def test_operator_unsupported_type_returns_not_implemented(name):
    assert getattr(Tensor([1.0]), name)("abc") is NotImplemented


def test_operator_object_array_returns_not_implemented():
    assert Tensor([1.0]).__add__(np.array([1], dtype=object)) is NotImplemented


def test_negation_of_int_keeps_dtype():
    result = -Tensor([1, -2])

    assert result.dtype == np.int64
    np.testing.assert_array_equal(result.data, [-1, 2])


# ---------------------------------------------------------------------------
# Matrix multiplication


@pytest.mark.parametrize(
    ("left_shape", "right_shape", "out_shape"),
    [
        ((2, 3), (3, 4), (2, 4)),
        ((2, 3), (3,), (2,)),
        ((3,), (3, 4), (4,)),
        ((3,), (3,), ()),
        ((5, 2, 3), (3, 4), (5, 2, 4)),
        ((5, 2, 3), (5, 3, 4), (5, 2, 4)),
    ],
)
def test_matmul_matches_numpy(left_shape, right_shape, out_shape):
    rng = np.random.default_rng(0)
    a = rng.standard_normal(left_shape).astype(np.float32)
    b = rng.standard_normal(right_shape).astype(np.float32)

    result = Tensor(a) @ Tensor(b)

    assert isinstance(result, Tensor)
    assert result.shape == out_shape
    assert result.dtype == np.float32
    np.testing.assert_allclose(result.data, np.matmul(a, b), rtol=1e-5, atol=1e-6)


def test_matmul_known_values():
    result = Tensor([[1, 2], [3, 4]]) @ Tensor([[5, 6], [7, 8]])

    assert result.dtype == np.int64
    np.testing.assert_array_equal(result.data, [[19, 22], [43, 50]])


def test_matmul_int_with_float32_gives_float32():
    result = Tensor([[1, 2]]) @ Tensor([[1.5], [2.5]])

    assert result.dtype == np.float32
    np.testing.assert_array_equal(result.data, [[6.5]])


def test_matmul_with_numpy_array_on_either_side():
    matrix = np.array([[1.0, 0.0], [0.0, 2.0]])
    tensor = Tensor([[1.0, 1.0]])

    right = tensor @ matrix
    left = matrix @ Tensor([[1.0], [1.0]])

    assert isinstance(right, Tensor)
    assert isinstance(left, Tensor)
    np.testing.assert_array_equal(right.data, [[1.0, 2.0]])
    np.testing.assert_array_equal(left.data, [[1.0], [2.0]])


def test_matmul_inner_mismatch_names_shapes():
    pattern = (
        r"cannot multiply shapes \(2, 3\) and \(2, 3\): the last dimension of the "
        r"left operand \(3\) must equal the second-to-last dimension of the right "
        r"operand \(2\)"
    )
    with pytest.raises(ValueError, match=pattern):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3)))


def test_matmul_vector_mismatch_names_shapes():
    with pytest.raises(ValueError, match=r"only dimension of the right operand \(4\)"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones(4))


def test_matmul_batch_mismatch_names_batch_dimensions():
    with pytest.raises(ValueError, match=r"batch dimensions \(2,\) and \(3,\)"):
        Tensor(np.ones((2, 2, 3))) @ Tensor(np.ones((3, 3, 4)))


def test_matmul_scalar_tensor_raises():
    with pytest.raises(ValueError, match=r"at least one dimension.*\(\) and \(2,\)"):
        Tensor(2.0) @ Tensor([1.0, 2.0])


@pytest.mark.parametrize("other", [2, 2.5, "abc", [1.0, 2.0], None])
def test_matmul_unsupported_operand_raises_type_error(other):
    tensor = Tensor([1.0, 2.0])

    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for @"):
        tensor @ other
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for @"):
        other @ tensor


# ---------------------------------------------------------------------------
# reshape


@pytest.mark.parametrize(
    ("args", "shape"),
    [
        ((2, 3), (2, 3)),
        (((3, 2),), (3, 2)),
        (([6],), (6,)),
        ((-1,), (6,)),
        ((3, -1), (3, 2)),
        ((1, 2, 3), (1, 2, 3)),
    ],
)
def test_reshape_shapes(args, shape):
    tensor = Tensor(np.arange(6.0))

    result = tensor.reshape(*args)

    assert result.shape == shape
    np.testing.assert_array_equal(result.data.ravel(), np.arange(6.0))


def test_reshape_shares_memory_with_original():
    tensor = Tensor(np.arange(6.0))

    reshaped = tensor.reshape(2, 3)

    assert np.shares_memory(reshaped.data, tensor.data)
    assert reshaped.dtype == tensor.dtype


def test_reshape_wrong_size_raises():
    with pytest.raises(ValueError, match=r"cannot reshape array of size 6"):
        Tensor(np.arange(6)).reshape(4, 2)


# ---------------------------------------------------------------------------
# Reductions

MATRIX = np.arange(1.0, 7.0, dtype=np.float32).reshape(2, 3)


@pytest.mark.parametrize("method", ["sum", "mean", "max"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduction_matches_numpy(method, axis, keepdims):
    result = getattr(Tensor(MATRIX), method)(axis=axis, keepdims=keepdims)
    expected = getattr(np, method)(MATRIX, axis=axis, keepdims=keepdims)

    assert isinstance(result, Tensor)
    assert result.shape == np.shape(expected)
    assert result.dtype == np.float32
    np.testing.assert_allclose(result.data, expected, rtol=1e-6)


def test_reduction_to_scalar_is_zero_dim_tensor():
    result = Tensor([1.0, 2.0]).sum()

    assert isinstance(result, Tensor)
    assert result.shape == ()
    assert result.item() == 3.0


@pytest.mark.parametrize(
    ("data", "dtype"),
    [([True, True, False], np.int64), ([1, 2], np.int64), ([1.5], np.float32)],
)
def test_sum_dtype(data, dtype):
    assert Tensor(data).sum().dtype == dtype


def test_sum_of_bools_counts_true_values():
    assert Tensor([True, True, False]).sum().item() == 2


@pytest.mark.parametrize("data", [[1, 2], [True, False]])
def test_mean_of_integers_and_bools_is_float32(data):
    result = Tensor(data).mean()

    assert result.dtype == np.float32
    assert result.item() == pytest.approx(np.mean(data))


def test_mean_of_float64_stays_float64():
    assert Tensor(np.array([1.0, 2.0])).mean().dtype == np.float64


def test_mean_of_empty_is_nan():
    assert np.isnan(Tensor([]).mean().item())


def test_mean_over_empty_axis_is_nan():
    result = Tensor(np.zeros((0, 3), dtype=np.float32)).mean(axis=0)

    assert result.shape == (3,)
    assert np.isnan(result.data).all()


def test_mean_of_empty_result_is_empty():
    result = Tensor(np.zeros((3, 0), dtype=np.float32)).mean(axis=0)

    assert result.shape == (0,)


def test_max_keeps_integer_dtype():
    result = Tensor([[1, 5], [7, 2]]).max(axis=1)

    assert result.dtype == np.int64
    np.testing.assert_array_equal(result.data, [5, 7])


def test_max_propagates_nan():
    assert np.isnan(Tensor([1.0, np.nan, 3.0]).max().item())


def test_max_of_empty_tensor_raises():
    with pytest.raises(ValueError, match=r"zero-size array"):
        Tensor([]).max()


def test_reduction_invalid_axis_raises():
    with pytest.raises(ValueError, match=r"axis 2 is out of bounds"):
        Tensor(MATRIX).sum(axis=2)


def test_reduction_does_not_change_tensor():
    tensor = Tensor(MATRIX.copy())

    tensor.sum(axis=0)
    tensor.mean()
    tensor.max(axis=1)

    np.testing.assert_array_equal(tensor.data, MATRIX)


# ---------------------------------------------------------------------------
# Examples in the module README


def test_readme_examples_produce_what_they_show(repo_root):
    readme = repo_root / "modules" / "source" / "02_tensor" / "README.md"
    blocks = re.findall(r"```python\n(.*?)```", readme.read_text("utf-8"), re.S)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)

    for number, block in enumerate(blocks):
        runner.run(parser.get_doctest(block, {}, f"README block {number}", None, 0))

    assert blocks
    assert runner.summarize(verbose=False).failed == 0

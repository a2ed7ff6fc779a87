# %% [markdown]
# # Module 2: Tensor
#
# > Tensor: an n-dimensional array of numbers with arithmetic, matmul and reductions.
#
# Every number a neural network touches lives in a tensor: the input images, the
# weights of each layer, the activations between layers and the loss at the end.
# In this module you build TinyTorch's `Tensor` class on top of a NumPy array.
#
# ## What you will learn
#
# - How Python values become a NumPy array, and which dtype each one gets.
# - How to reject bad input early, with an error message that helps.
# - How `+ - * /` work between tensors, arrays and plain numbers (broadcasting).
# - How matrix multiplication (`@`) checks and combines shapes.
# - How `reshape`, `sum`, `mean` and `max` change the shape of the data.
#
# ## Before you start
#
# You need the Setup module (Module 1) done, and some NumPy: creating arrays,
# `.shape` and `.dtype`. The tensor behaves like PyTorch's `torch.Tensor` wherever
# that is easy to do, so what you learn here carries over to PyTorch.

# %% tags=["colab-setup"]
# Google Colab starts without TinyTorch, so this cell installs the course
# package there with pip. Anywhere else (your machine, Binder) it does nothing.
import subprocess
import sys

TINYTORCH_URL = "git+https://github.com/VJProductions/TinyTorch@main"
if "google.colab" in sys.modules:
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
    subprocess.run([*pip, TINYTORCH_URL], check=True)
    print("TinyTorch is installed for this Colab session.")

# %%
#| default_exp core.tensor

# %%
#| export
import numpy as np

# %% [markdown]
# ## Step 1: From Python values to a NumPy array
#
# A `Tensor` keeps its numbers in a NumPy array. The first job is to turn whatever
# the user passes in into that array, with a sensible **dtype** (the type of each
# element). We follow PyTorch's defaults:
#
# | You pass | Example | dtype |
# |---|---|---|
# | Python floats (in a list or alone) | `Tensor([1.0, 2.5])` | `float32` |
# | Python ints | `Tensor([1, 2])` | `int64` |
# | Python bools | `Tensor([True, False])` | `bool` |
# | Python complex numbers | `Tensor([1j])` | `complex64` |
# | a mix | `Tensor([1, 2.5])` | the "widest" kind: `float32` |
# | an empty list | `Tensor([])` | `float32` |
# | a NumPy array or NumPy scalar | `Tensor(np.arange(3))` | the array's own dtype |
#
# Why `float32` and not NumPy's `float64`? Deep learning rarely needs 16 digits of
# precision, and `float32` halves the memory and speeds up the arithmetic.
#
# A NumPy array is **wrapped, not copied**, as `torch.from_numpy` does. Later
# modules create a new array in every operation, and copying it again inside
# `Tensor` would double their time and memory. The price: if you change the array
# afterwards, the tensor changes too.
#
# Bad input should fail *here*, with a message that names what was given. NumPy
# itself happily turns `[1, "a"]` into an array of strings and `[1, None]` into an
# array of Python objects, and neither can do arithmetic. So a tensor accepts only
# numbers: bool, integer, float and complex.
#
# The helpers in the next cell are given to you. `_scan_nested` walks a nested list,
# checks that every item is a number and that every row has the same length, and
# returns the shape and the kinds of numbers it saw. NumPy names those kinds with
# one letter: `"b"` bool, `"i"` integer, `"u"` unsigned integer, `"f"` float and
# `"c"` complex.

# %%
#| export
# tito: no-solution
# NumPy 2 arrays have at most 64 dimensions.
_MAX_NDIM = 64
_NUMERIC_KINDS = "biufc"
_KIND_OF_TYPE = {bool: "b", int: "i", float: "f", complex: "c"}
_ACCEPTED = (
    "a number, a nested list or tuple of numbers, a NumPy array of numbers or a Tensor"
)


def _describe(value) -> str:
    """Name a value for an error message: its type and a short repr."""
    if value is None:
        return "None"
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


def _number_kind(value) -> str | None:
    """Return the NumPy kind letter of a scalar number, or None for anything else.

    Python numbers and NumPy scalars count: "b" bool, "i" integer, "f" float,
    "c" complex. `bool` is checked first because Python's bool is a subclass of int.
    """
    if isinstance(value, (bool, np.bool_)):
        return "b"
    if isinstance(value, (int, np.integer)):
        return "i"
    if isinstance(value, (float, np.floating)):
        return "f"
    if isinstance(value, (complex, np.complexfloating)):
        return "c"
    return None


def _scan_nested(data, index: tuple[int, ...] = ()) -> tuple[tuple[int, ...], set]:
    """Return the shape of nested lists of numbers and the kinds of numbers in them.

    Args:
        data: a number, or a list or tuple whose items are numbers or lists.
        index: where `data` sits inside the outermost list, for error messages.

    Returns:
        `(shape, kinds)`, such as `((2, 2), {"i", "f"})` for `[[1, 2], [3, 4.5]]`.

    Raises:
        TypeError: an item is neither a number nor a list or tuple.
        ValueError: the rows have different lengths, or the nesting is too deep.
    """
    if not isinstance(data, (list, tuple)):
        kind = _number_kind(data)
        if kind is None:
            raise TypeError(
                f"Tensor() got {_describe(data)} at index {list(index)}; a nested "
                "list may contain only numbers (bool, int, float or complex)"
            )
        return (), {kind}
    if len(index) >= _MAX_NDIM:
        raise ValueError(
            f"nested list is deeper than {_MAX_NDIM} levels, the most dimensions a "
            "NumPy array can have"
        )

    # Fast path for a row of plain Python numbers, the common case: one dict
    # lookup per item instead of a recursive call.
    row_kinds = {_KIND_OF_TYPE.get(type(item)) for item in data}
    if data and None not in row_kinds:
        return (len(data),), row_kinds

    first_shape = None
    kinds = set()
    for position, item in enumerate(data):
        shape, item_kinds = _scan_nested(item, (*index, position))
        if first_shape is None:
            first_shape = shape
        elif shape != first_shape:
            raise ValueError(
                f"ragged nested list: the item at index {[*index, position]} has "
                f"shape {shape}, but the item at index {[*index, 0]} has shape "
                f"{first_shape}; every row must have the same length"
            )
        kinds |= item_kinds
    return (len(data), *(first_shape or ())), kinds


def _check_numeric(array: np.ndarray) -> np.ndarray:
    """Return `array` unchanged, or raise TypeError when its dtype is not numeric."""
    if array.dtype.kind not in _NUMERIC_KINDS:
        raise TypeError(
            f"Tensor() got a NumPy array of dtype {array.dtype} "
            f"({array.dtype.kind!r} kind); a Tensor contains only numbers: use an "
            "array of bool, integer, float or complex dtype"
        )
    return array


def _as_dtype(dtype) -> np.dtype:
    """Turn a dtype argument such as `np.float32` or `"int64"` into a numeric dtype."""
    try:
        result = np.dtype(dtype)
    except TypeError:
        raise TypeError(
            f"dtype={dtype!r} is not a NumPy dtype; use one such as np.float32 "
            'or "int64"'
        ) from None
    if result.kind not in _NUMERIC_KINDS:
        raise TypeError(
            f"dtype={dtype!r} is not numeric; a Tensor contains only bool, integer, "
            "float or complex numbers"
        )
    return result


def _array_from_nested(data, dtype: np.dtype) -> np.ndarray:
    """Build an array of `dtype` from a number or nested lists already scanned."""
    try:
        # A float too large for float32 becomes inf, as in PyTorch, without a warning.
        with np.errstate(over="ignore"):
            return np.array(data, dtype=dtype)
    except OverflowError:
        raise OverflowError(
            f"Tensor() got an integer that does not fit in {dtype}; use a float, "
            "or pass dtype=np.float64"
        ) from None


# %% [markdown]
# ### Your turn: choose the default dtype
#
# `_scan_nested([1, 2.5, True])` returns the kinds `{"i", "f", "b"}`. Write
# `_default_dtype`, which picks the dtype for a list holding those kinds. The widest
# kind wins: complex beats float, float beats integer, integer beats bool.


# %%
#| export
def _default_dtype(kinds: set) -> np.dtype:
    """Return the dtype PyTorch gives to a list that contains these kinds of numbers.

    Args:
        kinds: kind letters from `_scan_nested`: "b", "i", "f" and/or "c".

    Returns:
        `complex64` when a complex number is present, else `float32` when a float
        is present, else `int64` when an integer is present, else `bool` when only
        bools are present. An empty list has no kinds and gets `float32`.

    Example:
        `_default_dtype({"b", "i"})` returns `dtype('int64')`.

    Steps:
        1. Check the kinds from widest to narrowest: "c", "f", "i", "b".
        2. Return `np.dtype(np.complex64)`, `np.dtype(np.float32)`,
           `np.dtype(np.int64)` or `np.dtype(np.bool_)` for the first one found.
        3. When no kind is found, return `np.dtype(np.float32)`.
    """
    ### BEGIN SOLUTION
    if "c" in kinds:
        return np.dtype(np.complex64)
    if "f" in kinds:
        return np.dtype(np.float32)
    if "i" in kinds:
        return np.dtype(np.int64)
    if "b" in kinds:
        return np.dtype(np.bool_)
    return np.dtype(np.float32)
    ### END SOLUTION


# %%
def test_unit_default_dtype():
    """Check the PyTorch default dtype for each mix of kinds."""
    print("🔬 Unit Test: default dtype...")
    cases = [
        ({"f"}, np.float32),
        ({"i"}, np.int64),
        ({"b"}, np.bool_),
        ({"c"}, np.complex64),
        ({"b", "i"}, np.int64),
        ({"i", "f"}, np.float32),
        ({"f", "c"}, np.complex64),
        (set(), np.float32),
    ]
    for kinds, expected in cases:
        result = _default_dtype(kinds)
        assert result == expected, (
            f"_default_dtype({sorted(kinds)}) should return {np.dtype(expected)}, "
            f"returned {result}"
        )
    print("✅ the widest kind wins: complex > float > integer > bool")
    print("✅ an empty list gets float32")
    print("📈 Progress: default dtype ✓")


test_unit_default_dtype()


# %% [markdown]
# ### Your turn: convert any accepted input to an array
#
# `_to_array` is the front door of the `Tensor` class. It takes what the user gave
# and returns a NumPy array of numbers, or raises a clear error. There are three
# cases:
#
# 1. **A NumPy array or NumPy scalar** (`np.ndarray` or `np.generic`): wrap it with
#    `np.asarray` (no copy) and check that its dtype is numeric.
# 2. **A number, list or tuple**: scan it, choose its dtype and build the array.
# 3. **Anything else** (`None`, a string, a dict, a set...): raise a `TypeError`
#    that names what was given and what is accepted.


# %%
#| export
def _to_array(data, dtype=None) -> np.ndarray:
    """Convert `data` to a NumPy array of numbers, with PyTorch's default dtypes.

    Args:
        data: a Python number, a nested list or tuple of numbers, or a NumPy array
            or scalar of a numeric dtype.
        dtype: the dtype to convert to, or None for the defaults in Step 1.

    Returns:
        A NumPy array. A NumPy array passed in is returned itself, not a copy,
        unless `dtype` differs from the array's dtype.

    Raises:
        TypeError: `data` or one of its items is not a number, or `dtype` is not a
            numeric dtype.
        ValueError: a nested list is ragged, such as `[[1, 2], [3]]`.

    Example:
        `_to_array([[1, 2], [3, 4.5]])` returns a 2x2 float32 array.

    Steps:
        1. If `dtype` is not None, replace it with `_as_dtype(dtype)`.
        2. If `data` is an `np.ndarray` or `np.generic`: `array = np.asarray(data)`,
           then `_check_numeric(array)`.
        3. Else, if `data` is a list or tuple, or `_number_kind(data)` is not None:
           `_, kinds = _scan_nested(data)`, pick `dtype` or `_default_dtype(kinds)`,
           and build `array = _array_from_nested(data, that_dtype)`.
        4. Else raise `TypeError(f"Tensor() got {_describe(data)}; expected
           {_ACCEPTED}")`.
        5. If `dtype` is given and differs from `array.dtype`, convert with
           `array.astype(dtype)`. Return the array.
    """
    ### BEGIN SOLUTION
    if dtype is not None:
        dtype = _as_dtype(dtype)

    if isinstance(data, (np.ndarray, np.generic)):
        array = _check_numeric(np.asarray(data))
    elif isinstance(data, (list, tuple)) or _number_kind(data) is not None:
        _, kinds = _scan_nested(data)
        # NOTE: test `is None`, because `bool(np.dtype(...))` is False.
        target = dtype if dtype is not None else _default_dtype(kinds)
        array = _array_from_nested(data, target)
    else:
        raise TypeError(f"Tensor() got {_describe(data)}; expected {_ACCEPTED}")

    if dtype is not None and array.dtype != dtype:
        array = array.astype(dtype)
    return array
    ### END SOLUTION


# %%
def test_unit_to_array():
    """Check dtypes, shapes and the no-copy rule of `_to_array`."""
    print("🔬 Unit Test: converting input to an array...")
    cases = [
        (3.5, (), np.float32),
        (7, (), np.int64),
        (True, (), np.bool_),
        ([1.0, 2.0], (2,), np.float32),
        ([[1, 2], [3, 4]], (2, 2), np.int64),
        ((1, 2.5), (2,), np.float32),
        ([[True], [False]], (2, 1), np.bool_),
        ([], (0,), np.float32),
    ]
    for data, shape, dtype in cases:
        array = _to_array(data)
        assert array.shape == shape, (
            f"_to_array({data!r}) should have shape {shape}, returned {array.shape}"
        )
        assert array.dtype == dtype, (
            f"_to_array({data!r}) should have dtype {np.dtype(dtype)}, "
            f"returned {array.dtype}"
        )
    print("✅ Python numbers and lists get PyTorch's default dtypes")

    original = np.arange(6, dtype=np.float64)
    assert _to_array(original) is original, (
        "_to_array(array) should return the same array object, returned a copy"
    )
    assert _to_array(original).dtype == np.float64, "an array should keep its dtype"
    print("✅ NumPy arrays are wrapped as they are, without a copy")

    converted = _to_array([1, 2], dtype="float64")
    assert converted.dtype == np.float64, (
        f"dtype='float64' should give float64, returned {converted.dtype}"
    )
    print("✅ dtype= overrides the default")
    print("📈 Progress: converting input ✓")


test_unit_to_array()


# %%
def _expect_error(error_type, call, words):
    """Run `call` and check that it raises `error_type` with `words` in its message."""
    try:
        call()
    except error_type as error:
        for word in words:
            assert word in str(error), (
                f"the {error_type.__name__} message should mention {word!r}, "
                f"it was: {error}"
            )
    else:
        raise AssertionError(f"expected {error_type.__name__}, nothing was raised")


def test_unit_to_array_bad_input():
    """Check that bad input raises a clear TypeError or ValueError."""
    print("🔬 Unit Test: rejecting bad input...")
    for data, words in [
        (None, ["None", "expected"]),
        ("abc", ["str", "expected"]),
        (b"abc", ["bytes", "expected"]),
        ({"a": 1}, ["dict", "expected"]),
        ({1, 2}, ["set", "expected"]),
        ([1, "a"], ["str", "index [1]"]),
        ([[1, 2], [None, 4]], ["None", "index [1, 0]"]),
        (np.array(["a", "b"]), ["dtype <U1", "numbers"]),
        (np.array([1, 2], dtype=object), ["dtype object", "numbers"]),
    ]:
        _expect_error(TypeError, lambda data=data: _to_array(data), words)
    print("✅ non-numbers raise TypeError naming what was given")

    _expect_error(ValueError, lambda: _to_array([[1, 2], [3]]), ["ragged"])
    _expect_error(ValueError, lambda: _to_array([1, [2]]), ["ragged"])
    print("✅ ragged nested lists raise ValueError")
    print("📈 Progress: rejecting bad input ✓")


test_unit_to_array_bad_input()


# %% [markdown]
# ## Step 2: The Tensor class
#
# Now the class itself. A tensor stores its array in the attribute `data` and
# describes it with four properties, all taken straight from NumPy:
#
# | Property | Meaning | For `Tensor([[1, 2, 3], [4, 5, 6]])` |
# |---|---|---|
# | `shape` | size of each dimension | `(2, 3)` |
# | `dtype` | type of each element | `int64` |
# | `size` | number of elements | `6` |
# | `ndim` | number of dimensions | `2` |
#
# A good `repr` makes debugging pleasant, so print the values, the shape and the
# dtype: `Tensor([1. 2. 3.], shape=(3,), dtype=float32)`.
#
# The class also defines the operators `+ - * / @`. Each one hands its work to a
# helper that you write in Steps 3 and 4 (`_elementwise` and `_matmul`). Python
# looks a function up only when the line runs, so the class works as soon as the
# helpers exist. `reshape`, `sum`, `mean` and `max` are methods you fill in during
# Step 5; leave them as they are for now.
#
# One line deserves a word: `__array_ufunc__ = None`. Without it, `array + tensor`
# makes NumPy treat the tensor as one opaque Python object, and the result is a
# NumPy array of objects. With it, NumPy steps aside and Python calls
# `Tensor.__radd__`, so the result is a `Tensor`.


# %%
#| export
class Tensor:
    """An n-dimensional array of numbers, kept as a NumPy array in `data`.

    Create one from a Python number, nested lists or tuples of numbers, a NumPy
    array or another Tensor. Python floats become float32, ints int64 and bools
    bool, as in PyTorch; NumPy arrays and Tensors keep their dtype.
    """

    # NumPy returns NotImplemented for `ndarray + Tensor` and similar operations,
    # so Python calls the Tensor's reflected method (`__radd__`, ...).
    __array_ufunc__ = None

    def __init__(self, data, dtype=None) -> None:
        """Create a tensor.

        Args:
            data: a Python number, a nested list or tuple of numbers, a NumPy array
                or scalar of a numeric dtype, or a Tensor.
            dtype: a NumPy dtype such as `np.float32` or `"int64"`, or None for the
                default: float32 for Python floats, int64 for ints, bool for bools,
                complex64 for complex numbers, and the dtype of an array or tensor.

        A NumPy array or Tensor is wrapped without copying (like
        `torch.from_numpy`), unless `dtype` differs from its dtype. Changing the
        array later changes the tensor.

        Raises:
            TypeError: `data` is not one of the accepted inputs, contains
                something other than numbers, or `dtype` is not numeric.
            ValueError: nested lists are ragged, such as `[[1, 2], [3]]`.

        Steps:
            1. If `data` is a Tensor, use its array: `data = data.data`.
            2. Store `self.data = _to_array(data, dtype)`.
        """
        ### BEGIN SOLUTION
        if isinstance(data, Tensor):
            data = data.data
        self.data = _to_array(data, dtype)
        ### END SOLUTION

    @property
    def shape(self) -> tuple[int, ...]:
        """Size of each dimension, such as `(2, 3)`; `()` for a scalar tensor."""
        ### BEGIN SOLUTION
        return self.data.shape
        ### END SOLUTION

    @property
    def dtype(self) -> np.dtype:
        """NumPy dtype of the elements, such as `dtype('float32')`."""
        ### BEGIN SOLUTION
        return self.data.dtype
        ### END SOLUTION

    @property
    def size(self) -> int:
        """Number of elements: the product of the shape."""
        ### BEGIN SOLUTION
        return self.data.size
        ### END SOLUTION

    @property
    def ndim(self) -> int:
        """Number of dimensions: `len(self.shape)`."""
        ### BEGIN SOLUTION
        return self.data.ndim
        ### END SOLUTION

    def __len__(self) -> int:
        """Return the size of the first dimension, as `len()` does for a list.

        Raises:
            TypeError: the tensor is a scalar (0 dimensions).
        """
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor: a scalar has no first dimension")
        return self.shape[0]

    def __repr__(self) -> str:
        """Return the values, shape and dtype.

        Example:
            `repr(Tensor([1.0, 2.0, 3.0]))` is
            `Tensor([1. 2. 3.], shape=(3,), dtype=float32)`.

        Steps:
            1. Format the values with `np.array2string(self.data, prefix="Tensor(")`;
               the prefix lines up the rows of a matrix under the first one.
            2. Return `f"Tensor({values}, shape={self.shape}, dtype={self.dtype})"`.
        """
        ### BEGIN SOLUTION
        values = np.array2string(self.data, prefix="Tensor(")
        return f"Tensor({values}, shape={self.shape}, dtype={self.dtype})"
        ### END SOLUTION

    def item(self):
        """Return the value of a one-element tensor as a Python number.

        Raises:
            ValueError: the tensor does not have exactly one element.
        """
        if self.size != 1:
            raise ValueError(
                f"item() needs a tensor with one element, got shape {self.shape}"
            )
        return self.data.item()

    # Arithmetic (Step 3). `2 - t` calls `t.__rsub__(2)`, so the reflected
    # versions pass the operands in swapped order.
    def __add__(self, other):
        return _elementwise(np.add, self, other)

    def __radd__(self, other):
        return _elementwise(np.add, other, self)

    def __sub__(self, other):
        return _elementwise(np.subtract, self, other)

    def __rsub__(self, other):
        return _elementwise(np.subtract, other, self)

    def __mul__(self, other):
        return _elementwise(np.multiply, self, other)

    def __rmul__(self, other):
        return _elementwise(np.multiply, other, self)

    def __truediv__(self, other):
        return _elementwise(np.true_divide, self, other)

    def __rtruediv__(self, other):
        return _elementwise(np.true_divide, other, self)

    def __neg__(self) -> "Tensor":
        return Tensor(np.negative(self.data))

    # Matrix multiplication (Step 4).
    def __matmul__(self, other):
        return _matmul(self, other)

    def __rmatmul__(self, other):
        return _matmul(other, self)

    # Shape and reductions (Step 5).
    def reshape(self, *shape) -> "Tensor":
        """Return a tensor with the same elements arranged in a new shape.

        Args:
            shape: the new shape, as separate ints (`reshape(2, 3)`) or one tuple
                (`reshape((2, 3))`). One dimension may be -1: NumPy works it out.

        Returns:
            A Tensor that shares memory with this one when NumPy can make a view.

        Raises:
            ValueError: the new shape has a different number of elements.

        Steps:
            1. If `shape` is one tuple or list, unpack it: `shape = tuple(shape[0])`.
            2. Return `Tensor(self.data.reshape(shape))`.
        """
        ### BEGIN SOLUTION
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return Tensor(self.data.reshape(shape))
        ### END SOLUTION

    def sum(self, axis=None, keepdims: bool = False) -> "Tensor":
        """Add up the elements, over all of them or along `axis`.

        Args:
            axis: None for all elements, an int, or a tuple of ints.
            keepdims: keep each reduced dimension with size 1, as NumPy does.

        Returns:
            A Tensor. NumPy picks the dtype: floats keep theirs, and bools and
            integers sum to int64.

        Example:
            `Tensor([[1, 2], [3, 4]]).sum(axis=0)` has values `[4 6]` (int64).

        Steps:
            1. Return `Tensor(np.sum(self.data, axis=axis, keepdims=keepdims))`.
        """
        ### BEGIN SOLUTION
        return Tensor(np.sum(self.data, axis=axis, keepdims=keepdims))
        ### END SOLUTION

    def mean(self, axis=None, keepdims: bool = False) -> "Tensor":
        """Average the elements, over all of them or along `axis`.

        Args:
            axis: None for all elements, an int, or a tuple of ints.
            keepdims: keep each reduced dimension with size 1, as NumPy does.

        Returns:
            A Tensor: float32 for bool and integer tensors (like `/`), else the
            tensor's own dtype. The mean of no elements is nan.

        Example:
            `Tensor([[1.0, 2.0], [3.0, 4.0]]).mean(axis=1)` has values `[1.5 3.5]`.

        Steps:
            1. `total = self.sum(axis=axis, keepdims=keepdims)`.
            2. Count the elements added into each result:
               `count = self.size // max(total.size, 1)`.
            3. Return `total / count`.
        """
        ### BEGIN SOLUTION
        total = self.sum(axis=axis, keepdims=keepdims)
        # Each element of `total` is the sum of the same number of elements. The
        # max() keeps an empty result from dividing by zero here.
        count = self.size // max(total.size, 1)
        return total / count
        ### END SOLUTION

    def max(self, axis=None, keepdims: bool = False) -> "Tensor":
        """Return the largest element, over all of them or along `axis`.

        Args:
            axis: None for all elements, an int, or a tuple of ints.
            keepdims: keep each reduced dimension with size 1, as NumPy does.

        Returns:
            A Tensor of the same dtype. A nan anywhere makes the result nan.

        Raises:
            ValueError: the reduction covers no elements (an empty tensor).

        Steps:
            1. Return `Tensor(np.max(self.data, axis=axis, keepdims=keepdims))`.
        """
        ### BEGIN SOLUTION
        return Tensor(np.max(self.data, axis=axis, keepdims=keepdims))
        ### END SOLUTION


# %% [markdown]
# Try it out: create tensors from numbers, lists and arrays, and look at them.


# %%
def test_unit_tensor_creation():
    """Check construction from each accepted input and the dtype rules."""
    print("🔬 Unit Test: Tensor creation...")
    cases = [
        (Tensor(2.5), (), np.float32),
        (Tensor(4), (), np.int64),
        (Tensor([1.0, 2.0, 3.0]), (3,), np.float32),
        (Tensor([[1, 2], [3, 4]]), (2, 2), np.int64),
        (Tensor([True, False]), (2,), np.bool_),
        (Tensor(np.zeros((2, 3), dtype=np.float64)), (2, 3), np.float64),
        (Tensor([1, 2], dtype=np.float32), (2,), np.float32),
    ]
    for tensor, shape, dtype in cases:
        assert tensor.shape == shape, f"expected shape {shape}, returned {tensor.shape}"
        assert tensor.dtype == dtype, (
            f"expected dtype {np.dtype(dtype)}, returned {tensor.dtype}"
        )
    print("✅ numbers, lists and arrays get the right shape and dtype")

    array = np.arange(3.0)
    tensor = Tensor(array)
    assert tensor.data is array, "Tensor(array) should wrap the array, not copy it"
    assert Tensor(tensor).data is array, "Tensor(tensor) should share its array"
    print("✅ arrays and tensors are wrapped without a copy")
    print("📈 Progress: Tensor creation ✓")


test_unit_tensor_creation()


# %%
def test_unit_tensor_properties():
    """Check shape, dtype, size, ndim, len() and repr."""
    print("🔬 Unit Test: Tensor properties...")
    tensor = Tensor([[1, 2, 3], [4, 5, 6]])
    assert tensor.shape == (2, 3), f"expected shape (2, 3), returned {tensor.shape}"
    assert tensor.dtype == np.int64, f"expected int64, returned {tensor.dtype}"
    assert tensor.size == 6, f"expected size 6, returned {tensor.size}"
    assert tensor.ndim == 2, f"expected ndim 2, returned {tensor.ndim}"
    assert len(tensor) == 2, f"expected len() 2, returned {len(tensor)}"
    print("✅ shape, dtype, size, ndim and len() match NumPy")

    expected = "Tensor([1. 2. 3.], shape=(3,), dtype=float32)"
    result = repr(Tensor([1.0, 2.0, 3.0]))
    assert result == expected, f"expected repr {expected}, returned {result}"
    print("✅ repr shows values, shape and dtype")
    print("📈 Progress: Tensor properties ✓")


test_unit_tensor_properties()


# %% [markdown]
# ## Step 3: Element-wise arithmetic and broadcasting
#
# `a + b`, `a - b`, `a * b` and `a / b` work element by element. When the shapes
# differ, NumPy **broadcasts**: it lines the shapes up from the right, and a
# dimension of size 1 (or a missing one) is stretched to match the other.
#
# ```
# shape (2, 3)  +  shape (3,)   ->  (2, 3)   each row gets the same vector
# shape (2, 1)  *  shape (1, 3) ->  (2, 3)   an outer product
# shape (2, 3)  +  a number     ->  (2, 3)   the number goes everywhere
# ```
#
# All eight operator methods of `Tensor` call one helper, `_elementwise(ufunc,
# left, right)`, where `ufunc` is a NumPy function such as `np.add`. The helper
# must:
#
# - accept a Tensor, a NumPy array or a number on either side, so that `t + 1`,
#   `1 + t` and `array * t` all work;
# - return `NotImplemented` for anything else, such as a string or a list. This
#   is Python's signal for "I don't know this type"; Python then raises its usual
#   `TypeError: unsupported operand type(s)`;
# - follow PyTorch for the result dtype. NumPy turns `int / int` and
#   `int + 2.5` into float64, but PyTorch gives its default float, float32. A
#   result becomes float64 only when an operand was float64 already.
#
# Dividing by zero gives `inf` or `nan`, as in PyTorch, without NumPy's warning.
# The next cell gives you the two small helpers that handle operands and dtypes.


# %%
#| export
# tito: no-solution
def _operand(value):
    """Return the array or number inside an operand, or None when unsupported.

    Tensors give their array, numeric NumPy arrays and scalars are used as they
    are, and Python numbers stay numbers so that NumPy keeps the tensor's dtype
    (`float32_tensor + 2.5` stays float32).
    """
    if isinstance(value, Tensor):
        return value.data
    if isinstance(value, (np.ndarray, np.generic)):
        return value if value.dtype.kind in _NUMERIC_KINDS else None
    if _number_kind(value) is not None:
        return value
    return None


def _float32_by_default(result, operands):
    """Narrow a float64 result to float32 unless an operand was 64-bit already.

    NumPy promotes integers mixed with floats to float64, where PyTorch gives its
    default float32; complex128 becomes complex64 for the same reason.
    """
    if result.dtype not in (np.float64, np.complex128):
        return result
    for operand in operands:
        if isinstance(operand, (np.ndarray, np.generic)) and operand.dtype in (
            np.float64,
            np.complex128,
        ):
            return result
    narrow = np.float32 if result.dtype == np.float64 else np.complex64
    return result.astype(narrow)


# %% [markdown]
# ### Your turn: write `_elementwise`


# %%
#| export
def _elementwise(ufunc, left, right):
    """Apply a NumPy ufunc such as `np.add` to two operands and return a Tensor.

    Args:
        ufunc: `np.add`, `np.subtract`, `np.multiply` or `np.true_divide`.
        left, right: Tensors, NumPy arrays or numbers; shapes broadcast.

    Returns:
        A new Tensor, or `NotImplemented` when an operand is of another type, so
        that Python raises its usual TypeError.

    Example:
        `_elementwise(np.add, Tensor([1, 2]), 10)` returns a Tensor with values
        `[11 12]`.

    Steps:
        1. `a, b = _operand(left), _operand(right)`; if either is None, return
           `NotImplemented`.
        2. Inside `with np.errstate(all="ignore"):` compute `result = ufunc(a, b)`,
           so dividing by zero gives inf or nan without a warning.
        3. Return `Tensor(_float32_by_default(result, (a, b)))`.
    """
    ### BEGIN SOLUTION
    a, b = _operand(left), _operand(right)
    if a is None or b is None:
        return NotImplemented

    # Like PyTorch, follow IEEE 754 (1 / 0 is inf, 0 / 0 is nan) without warnings.
    with np.errstate(all="ignore"):
        result = ufunc(a, b)
    return Tensor(_float32_by_default(result, (a, b)))
    ### END SOLUTION


# %%
def test_unit_arithmetic():
    """Check + - * / and unary minus on tensors of the same shape."""
    print("🔬 Unit Test: arithmetic...")
    a = Tensor([1.0, 2.0, 3.0])
    b = Tensor([4.0, 5.0, 6.0])
    cases = [
        ("a + b", a + b, [5.0, 7.0, 9.0]),
        ("a - b", a - b, [-3.0, -3.0, -3.0]),
        ("a * b", a * b, [4.0, 10.0, 18.0]),
        ("b / a", b / a, [4.0, 2.5, 2.0]),
        ("-a", -a, [-1.0, -2.0, -3.0]),
    ]
    for text, result, expected in cases:
        assert isinstance(result, Tensor), f"{text} should return a Tensor"
        assert np.allclose(result.data, expected), (
            f"{text} should be {expected}, returned {result.data}"
        )
        assert result.dtype == np.float32, (
            f"{text} should stay float32, returned {result.dtype}"
        )
    print("✅ + - * / and unary minus work element by element")

    quotient = Tensor([1, 2]) / Tensor([2, 4])
    assert quotient.dtype == np.float32, (
        f"int / int should give float32, returned {quotient.dtype}"
    )
    print("✅ int / int gives float32, as in PyTorch")
    print("📈 Progress: arithmetic ✓")


test_unit_arithmetic()


# %%
def test_unit_broadcasting():
    """Check broadcasting and numbers on either side of an operator."""
    print("🔬 Unit Test: broadcasting...")
    matrix = Tensor([[1.0, 2.0], [3.0, 4.0]])
    row = Tensor([10.0, 20.0])
    result = matrix + row
    expected = np.array([[11.0, 22.0], [13.0, 24.0]])
    assert np.allclose(result.data, expected), (
        f"matrix + row should be {expected.tolist()}, returned {result.data.tolist()}"
    )
    print("✅ a row is added to every row of a matrix")

    t = Tensor([1.0, 2.0, 4.0])
    for text, value, expected in [
        ("t + 1", t + 1, [2.0, 3.0, 5.0]),
        ("2 - t", 2 - t, [1.0, 0.0, -2.0]),
        ("3 * t", 3 * t, [3.0, 6.0, 12.0]),
        ("1 / t", 1 / t, [1.0, 0.5, 0.25]),
    ]:
        assert np.allclose(value.data, expected), (
            f"{text} should be {expected}, returned {value.data}"
        )
    print("✅ numbers work on either side, in the right order")

    try:
        t + "abc"
    except TypeError:
        pass
    else:
        raise AssertionError("t + 'abc' should raise TypeError")
    print("✅ unsupported operands raise TypeError")
    print("📈 Progress: broadcasting ✓")


test_unit_broadcasting()


# %% [markdown]
# ## Step 4: Matrix multiplication
#
# `a @ b` is the workhorse of every neural network layer. For matrices of shapes
# `(m, k)` and `(k, n)` the result has shape `(m, n)`, and each entry is a dot
# product of a row of `a` with a column of `b`:
#
# $$C_{ij} = \sum_{p=1}^{k} A_{ip} B_{pj}$$
#
# The inner sizes (`k`) must match. NumPy's `np.matmul` does the work, and also
# handles vectors and stacks of matrices (batches). When the shapes don't fit,
# NumPy's error message is hard to read, so the helper below builds a clearer one.
# Numbers are not accepted: `t @ 2` raises `TypeError`, as in PyTorch.


# %%
#| export
# tito: no-solution
def _matmul_error(a_shape: tuple, b_shape: tuple) -> str:
    """Explain why two shapes cannot be matrix-multiplied."""
    if not a_shape or not b_shape:
        return (
            f"matmul needs tensors with at least one dimension, got shapes "
            f"{a_shape} and {b_shape}"
        )
    inner_b = b_shape[0] if len(b_shape) == 1 else b_shape[-2]
    if a_shape[-1] != inner_b:
        return (
            f"matmul cannot multiply shapes {a_shape} and {b_shape}: the last "
            f"dimension of the left operand ({a_shape[-1]}) must equal the "
            f"{'only' if len(b_shape) == 1 else 'second-to-last'} dimension of the "
            f"right operand ({inner_b})"
        )
    return (
        f"matmul cannot multiply shapes {a_shape} and {b_shape}: the batch "
        f"dimensions {a_shape[:-2]} and {b_shape[:-2]} do not broadcast"
    )


# %% [markdown]
# ### Your turn: write `_matmul`


# %%
#| export
def _matmul(left, right):
    """Multiply two tensors or arrays as matrices and return a Tensor.

    Args:
        left, right: Tensors or NumPy arrays with at least one dimension.

    Returns:
        A new Tensor, or `NotImplemented` when an operand is not a Tensor or an
        array (a number, a list...), so that Python raises its usual TypeError.
        Integers mixed with floats give float32, as in `_elementwise`.

    Raises:
        ValueError: the shapes do not fit; the message names the sizes that differ.

    Example:
        `Tensor([[1, 2], [3, 4]]) @ Tensor([1, 1])` returns a Tensor with values
        `[3 7]`.

    Steps:
        1. If `left` or `right` is not a Tensor or an `np.ndarray`, return
           `NotImplemented`. Else `a, b = _operand(left), _operand(right)`, and
           return `NotImplemented` if either is None.
        2. If `a.ndim == 0` or `b.ndim == 0`, raise
           `ValueError(_matmul_error(a.shape, b.shape))`.
        3. `result = np.matmul(a, b)`; catch ValueError and raise
           `ValueError(_matmul_error(a.shape, b.shape))` instead.
        4. Return `Tensor(_float32_by_default(result, (a, b)))`.
    """
    ### BEGIN SOLUTION
    if not all(isinstance(x, (Tensor, np.ndarray)) for x in (left, right)):
        return NotImplemented
    a, b = _operand(left), _operand(right)
    if a is None or b is None:
        return NotImplemented

    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(_matmul_error(a.shape, b.shape))
    try:
        result = np.matmul(a, b)
    except ValueError as error:
        raise ValueError(_matmul_error(a.shape, b.shape)) from error
    return Tensor(_float32_by_default(result, (a, b)))
    ### END SOLUTION


# %%
def test_unit_matmul():
    """Check matrix-matrix, matrix-vector and shape errors."""
    print("🔬 Unit Test: matrix multiplication...")
    a = Tensor([[1.0, 2.0], [3.0, 4.0]])
    b = Tensor([[5.0, 6.0], [7.0, 8.0]])
    result = a @ b
    expected = np.array([[19.0, 22.0], [43.0, 50.0]])
    assert np.allclose(result.data, expected), (
        f"a @ b should be {expected.tolist()}, returned {result.data.tolist()}"
    )
    assert result.dtype == np.float32, f"expected float32, returned {result.dtype}"
    print("✅ (2, 2) @ (2, 2) gives the right numbers")

    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 3)).astype(np.float32)
    w = rng.standard_normal((3, 5)).astype(np.float32)
    product = Tensor(x) @ Tensor(w)
    assert product.shape == (4, 5), f"expected shape (4, 5), returned {product.shape}"
    assert np.allclose(product.data, x @ w, rtol=1e-5), "(4, 3) @ (3, 5) is wrong"
    print("✅ (4, 3) @ (3, 5) gives shape (4, 5)")

    try:
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3)))
    except ValueError as error:
        assert "(2, 3)" in str(error), f"the message should name shapes: {error}"
    else:
        raise AssertionError("(2, 3) @ (2, 3) should raise ValueError")
    print("✅ mismatched shapes raise ValueError naming the shapes")
    print("📈 Progress: matrix multiplication ✓")


test_unit_matmul()


# %% [markdown]
# ## Step 5: Reshaping and reductions
#
# Go back to the `Tensor` class in Step 2 and fill in the last four methods.
#
# - `reshape` keeps the elements in order and changes only how they are grouped.
#   A `(2, 3)` tensor can become `(3, 2)`, `(6,)` or `(1, 6)`; `-1` means "work
#   this size out", so `reshape(-1)` flattens.
# - A **reduction** combines many elements into one: `sum`, `mean` and `max`.
#   With `axis=None` they reduce everything to a scalar tensor (shape `()`). With
#   `axis=0` they collapse the rows of a matrix, leaving one value per column;
#   `axis=1` leaves one value per row. `keepdims=True` keeps the reduced axis
#   with size 1, which is handy for broadcasting the result back:
#   `x - x.mean(axis=1, keepdims=True)` centres every row.
#
# The mean is the sum divided by how many elements went into it, so you can
# build `mean` from `sum` and `/`.


# %%
def test_unit_reshape():
    """Check reshape with separate ints, a tuple and -1."""
    print("🔬 Unit Test: reshape...")
    t = Tensor(np.arange(6.0))
    for args, expected in [((2, 3), (2, 3)), (((3, 2),), (3, 2)), ((-1, 2), (3, 2))]:
        result = t.reshape(*args)
        assert result.shape == expected, (
            f"reshape{args} should give shape {expected}, returned {result.shape}"
        )
    assert np.array_equal(t.reshape(2, 3).data[1], [3.0, 4.0, 5.0]), (
        "reshape must keep the elements in order"
    )
    print("✅ reshape accepts ints, a tuple and -1, and keeps the order")
    print("📈 Progress: reshape ✓")


test_unit_reshape()


# %%
def test_unit_reductions():
    """Check sum, mean and max with and without axis and keepdims."""
    print("🔬 Unit Test: reductions...")
    t = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    cases = [
        ("t.sum()", t.sum(), 21.0),
        ("t.sum(axis=0)", t.sum(axis=0), [5.0, 7.0, 9.0]),
        ("t.mean()", t.mean(), 3.5),
        ("t.mean(axis=1)", t.mean(axis=1), [2.0, 5.0]),
        ("t.max()", t.max(), 6.0),
        ("t.max(axis=0)", t.max(axis=0), [4.0, 5.0, 6.0]),
    ]
    for text, result, expected in cases:
        assert isinstance(result, Tensor), f"{text} should return a Tensor"
        assert np.allclose(result.data, expected), (
            f"{text} should be {expected}, returned {result.data}"
        )
    print("✅ sum, mean and max reduce everything or one axis")

    kept = t.mean(axis=1, keepdims=True)
    assert kept.shape == (2, 1), f"keepdims should give (2, 1), returned {kept.shape}"
    centred = t - kept
    assert np.allclose(centred.sum(axis=1).data, 0.0), "centred rows should sum to 0"
    print("✅ keepdims=True keeps the axis for broadcasting")

    mean = Tensor([1, 2]).mean()
    assert mean.dtype == np.float32, f"int mean should be float32, got {mean.dtype}"
    print("✅ the mean of integers is float32")
    print("📈 Progress: reductions ✓")


test_unit_reductions()


# %% [markdown]
# ## Summary
#
# You built the data structure that the rest of TinyTorch is built on:
#
# - `Tensor(data)` accepts numbers, nested lists, NumPy arrays and tensors, picks
#   PyTorch's default dtypes, wraps arrays without copying, and rejects anything
#   else with a message that explains what went wrong.
# - `shape`, `dtype`, `size`, `ndim`, `len()` and a readable `repr`.
# - `+ - * /` and unary minus with broadcasting and numbers on either side, and
#   `@` with clear shape errors.
# - `reshape`, `sum`, `mean` and `max`, with `axis` and `keepdims`.
#
# Export your work and run the tests:
#
# ```bash
# tito export --module tensor
# tito test --module tensor
# ```
#
# ## Limitations
#
# - Tensors do not track gradients yet; that comes with autograd.
# - There is no indexing (`t[0]`) or comparison (`t > 0`): use `t.data` for now.
# - Result dtypes follow NumPy's promotion, except that a float64 result becomes
#   float32 unless an operand was float64 already. PyTorch's own rules differ in
#   rare cases, such as float16 with int32 (float16 in PyTorch, float32 here).
#
# ## What's next
#
# In the Activations module you give networks their non-linearity: ReLU, Sigmoid,
# Tanh and Softmax, each taking a `Tensor` and returning a new one.

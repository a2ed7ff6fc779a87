# %% [markdown]
# # Module 3: Activations
#
# > Activation functions: ReLU, Sigmoid, Tanh and Softmax, with their gradients.
#
# A layer of a neural network multiplies its input by a weight matrix and adds a
# bias. Stack two such layers and you still have one linear function: $W_2 (W_1 x +
# b_1) + b_2$ is just $W x + b$ with other numbers. However many layers you stack,
# the network can only draw straight lines through the data.
#
# An **activation function** sits between the layers and bends the line. It is a
# simple nonlinear function applied to every number (or, for Softmax, to every
# row). With it, a deep network can approximate almost any function. In this
# module you build the four activations that modern networks use most.
#
# ## What you will learn
#
# - Why networks need nonlinear functions between their layers.
# - How to implement ReLU, Sigmoid, Tanh and Softmax with NumPy, so that they stay
#   accurate for every input: ±1000, ±inf, NaN, -0.0 and tiny numbers.
# - How each function's gradient (its `backward`) follows from its output.
# - How to write fast NumPy code: fresh output arrays, `out=` arguments and
#   in-place operations instead of temporary arrays.
# - How to compare the functions by measuring them: ranges, zeros, speed.
#
# ## Build → Use → Analyze
#
# 1. **Build** each activation as a class with `forward` and `backward`.
# 2. **Use** it: the inline tests check it on ordinary and extreme inputs, and a
#    plot shows its shape.
# 3. **Analyze** the four side by side: a measured table of their properties and
#    speed, and each function beside its derivative.
#
# ## Before you start
#
# You need the Tensor module (Module 2): here every activation takes a `Tensor`
# and returns a new one. You should also know NumPy's elementwise functions
# (`np.exp`, `np.maximum`) and the `axis=` argument of reductions such as `np.sum`.

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
#| default_exp core.activations

# %%
#| export
import numpy as np

from tinytorch.core.tensor import Tensor

# %% [markdown]
# ## Given code: checking the input and working in blocks
#
# Every activation begins the same way, so the helpers in the next cell are given
# to you. Read them, because your code calls them.
#
# - `_input_array(x, name)` checks that `x` is a `Tensor` holding bool, integer or
#   floating-point numbers, and returns its NumPy array. Anything else raises a
#   `TypeError` that explains what went wrong and how to fix it.
# - `_float_dtype(data)` gives the dtype of a result that needs fractions: float
#   inputs keep their dtype (float16, float32 or float64), and bool or integer
#   inputs give float32, as in PyTorch.
# - `_map_blocks(kernel, data, dtype, work_dtype)` creates the output array and
#   fills it block by block. Each block takes 512 KiB (65,536 float64 numbers),
#   small enough to stay in the CPU's cache, so a kernel can make several passes
#   over a block while it reads and writes main memory only once.
# - `_Activation` is the parent class of the four activations. Calling an
#   activation, as in `relu(x)`, runs its `forward`. Its `_grad_array` method checks
#   the `grad_output` passed to `backward` and converts it to the gradient's dtype:
#   the dtype of the forward output if that is a float dtype, else float32.
#
# Each activation keeps the output of its last `forward` in `self._out`, because
# every gradient in this module can be computed from the output alone.

# %%
#| export
# tito: no-solution
# This cell is given code: the activations below call these helpers.

# Bytes per block in `_map_blocks`, in the work dtype: 65,536 float64 or 131,072
# float32 numbers. Blocks this size stay in a 1-2 MiB L2 cache, and are large
# enough that the Python loop over them costs little. A smaller cache costs
# speed, never correctness.
_BLOCK_BYTES = 512 * 1024


def _type_name(value) -> str:
    """Name the type of `value` for an error message, such as `numpy.ndarray`."""
    if value is None:
        return "None"
    cls = type(value)
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__.split('.')[0]}.{cls.__qualname__}"


def _input_array(x, name: str) -> np.ndarray:
    """Return the NumPy array inside the Tensor `x`, after checking its type.

    Args:
        x: the input of the activation `name`.
        name: the activation's name for error messages, such as "ReLU".

    Raises:
        TypeError: `x` is not a Tensor, or its dtype is not bool, integer or
            floating point (complex, object and string arrays are rejected).
    """
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{name} expects a Tensor, got {_type_name(x)}; "
            "wrap the data first: Tensor(data)"
        )
    data = np.asarray(x.data)
    if data.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} supports bool, integer and floating-point tensors, "
            f"got a tensor of dtype {data.dtype}"
        )
    return data


def _float_dtype(data: np.ndarray) -> np.dtype:
    """Return the dtype of a fractional result: floats keep theirs, others float32."""
    if data.dtype.kind == "f":
        return data.dtype
    return np.dtype(np.float32)


def _map_blocks(kernel, data: np.ndarray, dtype, work_dtype) -> np.ndarray:
    """Return a new array of `dtype` with `kernel` applied to `data`, block by block.

    Args:
        kernel: `kernel(x, out)` writes its result for the 1-d block `x` into
            `out`; both have `work_dtype`, and `x` must stay unchanged.
        data: the input array, of any shape and memory layout.
        dtype: the dtype of the returned array, which has the shape of `data`.
        work_dtype: the dtype the kernel computes in. When it differs from
            `dtype`, each block's result is rounded once into the output.
    """
    out = np.empty(data.shape, dtype)
    # A view for contiguous data; a non-contiguous input is copied in C order.
    flat_x = data.reshape(-1)
    flat_out = out.reshape(-1)

    step = _BLOCK_BYTES // np.dtype(work_dtype).itemsize
    for start in range(0, flat_x.size, step):
        stop = start + step
        x = flat_x[start:stop].astype(work_dtype, copy=False)
        if out.dtype == work_dtype:
            kernel(x, flat_out[start:stop])
        else:
            result = np.empty_like(x)
            kernel(x, result)
            flat_out[start:stop] = result
    return out


def _tensor(values) -> Tensor:
    """Wrap a NumPy result in a Tensor, keeping a 0-d result an array.

    NumPy arithmetic on 0-d arrays returns scalars such as `np.float64(0.5)`;
    `np.asarray` turns them back into fresh 0-d arrays and leaves arrays alone.
    """
    return Tensor(np.asarray(values))


class _Activation:
    """The parent class of every activation: calling, repr and backward checks."""

    def __init__(self) -> None:
        # The output of the last forward, which backward reads. Modifying that
        # output in place before calling backward changes the gradient.
        self._out = None

    def __call__(self, x: Tensor) -> Tensor:
        return self.forward(x)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def _grad_array(self, grad_output) -> np.ndarray:
        """Check `grad_output` against the last forward and return it as an array.

        The array has the gradient's dtype: the dtype of the last forward's output
        if that is a float dtype, else float32 (ReLU on bool or integer input,
        where PyTorch has no gradient at all). So an integer `grad_output` never
        gives an integer gradient, and a float64 one gives a float32 gradient after
        a float32 forward. Values too large for that dtype become ±inf.
        """
        name = f"{type(self).__name__}.backward"
        if self._out is None:
            raise RuntimeError(
                f"{name} needs the output of a forward pass: call forward (or the "
                "activation itself) on a Tensor first"
            )
        grad = _input_array(grad_output, name)
        if grad.shape != self._out.shape:
            raise ValueError(
                f"{name} expects grad_output of shape {self._out.shape}, the shape "
                f"of the last forward output, got shape {grad.shape}"
            )
        dtype = _float_dtype(self._out)
        if grad.dtype == dtype:
            return grad
        # Narrowing a float, say 1e300 to float32, gives inf with a warning.
        with np.errstate(over="ignore"):
            return grad.astype(dtype)


# %% [markdown]
# ## Step 1: ReLU, the rectified linear unit
#
# ReLU keeps positive numbers and replaces everything else by zero:
#
# $$\mathrm{ReLU}(x) = \max(0, x)$$
#
# It is the default activation in the hidden layers of most networks today. It
# costs one comparison per number, and for positive inputs its slope is exactly 1,
# so gradients pass through many layers without shrinking. On typical input about
# half of its outputs are exactly zero, which makes the next layer's input sparse.
#
# **Gradient.** The slope is 1 where $x > 0$ and 0 where $x < 0$. At the kink
# $x = 0$ we use 0, as PyTorch does. `backward` passes the incoming gradient where
# $x > 0$ and puts exactly 0 elsewhere. It selects with `np.where` instead of
# multiplying by the slope, because an infinite or NaN gradient times 0 is NaN, not
# 0. We keep the output, not the input, because `out > 0` is true exactly where
# `x > 0` is.
#
# **Shapes and dtypes.** The output has the input's shape and dtype: an integer
# tensor stays integer, and a bool tensor stays bool (True and False act as 1 and 0,
# which ReLU leaves as they are). Gradients need fractions, so after a bool or
# integer forward `backward` returns float32.
#
# **Two traps.** `np.maximum` returns NaN when either argument is NaN, so NaN
# stays NaN, as it should. But for `-0.0` it may return either zero, depending on
# which of its loops NumPy runs, and ReLU should never return a negative zero.
# Adding 0 turns `-0.0` into `+0.0` and changes no other number. In a cached block
# this extra pass costs little.
#
# **Your task:** write `_relu_block`, then ReLU's `forward` and `backward`.


# %%
#| export
def _relu_block(x: np.ndarray, out: np.ndarray) -> None:
    """Write max(0, x) into `out`, for one block of `_map_blocks`.

    Steps:
        1. `np.maximum(x, 0, out=out)` computes the maximum straight into `out`.
        2. `out += 0` turns any -0.0 into +0.0 (see the note).

    Example:
        For x = [-2.0, -0.0, 3.0], out becomes [0.0, 0.0, 3.0], all zeros positive.
    """
    ### BEGIN SOLUTION
    np.maximum(x, 0, out=out)
    # NOTE: when x is -0.0, np.maximum returns -0.0 or +0.0 depending on the loop
    # NumPy picks (SIMD or scalar, which varies with dtype and CPU). Adding 0
    # gives +0.0 for both and leaves every other value, NaN included, unchanged.
    out += 0
    ### END SOLUTION


class ReLU(_Activation):
    """Rectified linear unit, max(0, x) for each element."""

    def forward(self, x: Tensor) -> Tensor:
        """Apply max(0, x) to each element of `x`, and keep the output for backward.

        Steps:
            1. Bool input: return a copy of the data (ReLU keeps 0 and 1).
            2. Otherwise let `_map_blocks` run `_relu_block` over the data, with
               the input's dtype as both the output and the work dtype.
            3. Keep the output in `self._out` for backward and return it as a
               Tensor.

        Args:
            x: a Tensor of any shape, with a bool, integer or float dtype.

        Returns:
            A Tensor of the same shape and dtype. Negative numbers and -0.0
            become +0.0, and NaN stays NaN.

        Example:
            `ReLU()(Tensor([-2.0, 0.0, 3.0]))` contains `[0.0, 0.0, 3.0]` (float32).
        """
        data = _input_array(x, "ReLU")
        ### BEGIN SOLUTION
        if data.dtype == np.bool_:
            out = data.copy()
        else:
            out = _map_blocks(_relu_block, data, data.dtype, data.dtype)
        self._out = out
        return Tensor(out)
        ### END SOLUTION

    def backward(self, grad_output: Tensor) -> Tensor:
        """Return the gradient with respect to the input of the last forward.

        Steps:
            1. `_grad_array` gives `grad_output` in the gradient's dtype.
            2. `np.where(self._out > 0, grad, 0)` keeps it where the output is
               positive and puts 0 elsewhere.

        Args:
            grad_output: the gradient with respect to this activation's output,
                with the shape of the last forward's output.

        Returns:
            A new Tensor of that shape: `grad_output` where x > 0, and exactly 0
            elsewhere, even where `grad_output` is inf or NaN (as in PyTorch). Its
            dtype is the forward output's if that is a float dtype, else float32.

        Example:
            After `relu(Tensor([-1.0, 2.0]))`, `relu.backward(Tensor([5.0, 5.0]))`
            contains `[0.0, 5.0]`.
        """
        grad = self._grad_array(grad_output)
        ### BEGIN SOLUTION
        # NOTE: select, don't multiply: inf * 0 and NaN * 0 are NaN, and the
        # gradient where x <= 0 must be 0 whatever grad_output holds.
        return _tensor(np.where(self._out > 0, grad, 0))
        ### END SOLUTION


# %% [markdown]
# ### 🧪 Test: ReLU
#
# The test checks negative, positive and extreme inputs (±1000), the special values
# -0.0 and NaN, the dtype and shape rules, and the gradient.


# %%
def test_unit_relu():
    """Check ReLU's values, special inputs, dtypes and gradient."""
    print("🔬 Unit Test: ReLU activation...")
    relu = ReLU()

    got = relu(Tensor([-3.0, -1.0, -0.5])).data
    assert np.array_equal(got, [0.0, 0.0, 0.0]), (
        f"ReLU of [-3, -1, -0.5] should be [0, 0, 0], got {got}"
    )
    print("✅ ReLU handles negative inputs correctly")

    x = Tensor([0.5, 2.0, 7.25])
    got = relu(x).data
    assert np.array_equal(got, x.data), (
        f"ReLU should return positive inputs unchanged: expected {x.data}, got {got}"
    )
    print("✅ ReLU preserves positive inputs")

    data = np.random.default_rng(0).standard_normal((4, 5)).astype(np.float32)
    got = relu(Tensor(data)).data
    assert got.shape == (4, 5), f"expected shape (4, 5), got {got.shape}"
    assert got.min() >= 0, f"expected no negative output, got minimum {got.min()}"
    print("✅ ReLU output range is [0, ∞)")

    got = relu(Tensor([-1000.0, 1000.0])).data
    assert np.array_equal(got, [0.0, 1000.0]), (
        f"ReLU of [-1000, 1000] should be [0, 1000], got {got}"
    )
    print("✅ ReLU handles extreme inputs (±1000)")

    got = relu(Tensor([-0.0, float("nan")])).data
    assert not np.signbit(got[0]), f"ReLU(-0.0) should be +0.0, got {got[0]}"
    assert np.isnan(got[1]), f"ReLU(nan) should be nan, got {got[1]}"
    print("✅ ReLU turns -0.0 into +0.0 and keeps NaN")

    got = relu(Tensor([-2, 3]))
    assert got.dtype == np.int64, f"expected dtype int64, got {got.dtype}"
    print("✅ ReLU keeps integer dtypes")

    relu(Tensor([-2.0, 0.0, 3.0]))
    grad = relu.backward(Tensor([5.0, 5.0, 5.0])).data
    assert np.array_equal(grad, [0.0, 0.0, 5.0]), (
        f"ReLU backward at x = [-2, 0, 3] should be [0, 0, 5], got {grad}"
    )
    print("✅ ReLU backward passes gradients only where x > 0")
    print("📈 Progress: ReLU ✓")


test_unit_relu()

# %% [markdown]
# ### 📊 See it: ReLU
#
# The helper in the next cell draws a plot in a notebook. When this file runs as a
# script, it closes the figure instead, so nothing blocks and no window opens.

# %%
import sys

import matplotlib.pyplot as plt


def show(fig) -> None:
    """Display `fig` in a Jupyter kernel; anywhere else, close it without showing."""
    if "ipykernel" in sys.modules:
        plt.show()
    else:
        plt.close(fig)


def plot_activation(name: str, xs: np.ndarray, ys: np.ndarray, formula: str):
    """Plot one activation over `xs` and return the figure."""
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(xs, ys, linewidth=2, label=f"{name}(x)")
    ax.axhline(0, color="gray", linewidth=0.5)
    ax.axvline(0, color="gray", linewidth=0.5)
    ax.set_title(f"{name}: {formula}")
    ax.set_xlabel("x")
    ax.set_ylabel(f"{name}(x)")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return fig


# %%
print("📊 Plotting ReLU behavior across range [-5, 5]...")
xs = np.linspace(-5, 5, 201)
ys = ReLU()(Tensor(xs)).data
fig = plot_activation("ReLU", xs, ys, "max(0, x)")
assert np.array_equal(ys, np.maximum(xs, 0)), "the plotted ReLU is not max(0, x)"
print("📈 Function visualization shows expected behavior")
show(fig)

# %% [markdown]
# ## Step 2: Sigmoid
#
# Sigmoid squashes any number into the interval from 0 to 1:
#
# $$\sigma(x) = \frac{1}{1 + e^{-x}}$$
#
# So its output can be read as a probability: the last layer of a yes/no classifier
# uses it, and so do the gates of LSTM and GRU cells. $\sigma(0) = 0.5$, and
# $\sigma(-x) = 1 - \sigma(x)$.
#
# **Gradient.** $\sigma'(x) = \sigma(x)\,(1 - \sigma(x))$, which we compute from the
# output we kept. It is largest at $x = 0$, where it is $0.25$, and it vanishes for
# large $|x|$: a saturated sigmoid passes almost no gradient back.
#
# **The stability trick.** Written as above, $e^{-x}$ overflows for $x < -88$ in
# float32 (NumPy warns and returns inf). The other way round, $e^x / (1 + e^x)$,
# overflows for large positive $x$. One formula covers both sides, with exponents
# that are never positive:
#
# $$\sigma(x) = \frac{e^{\min(x, 0)}}{1 + e^{-|x|}}$$
#
# For $x \ge 0$ it is $1 / (1 + e^{-x})$, and for $x < 0$ it is $e^x / (1 + e^x)$.
# The second form also keeps full precision where $\sigma(x)$ is tiny, because no
# subtraction cancels digits there.
#
# **Precision.** NumPy's float32 `np.exp` can be 2.5 units in the last place (ulp)
# off (we measured 2.54 with NumPy 2.4 on an AVX-512 CPU), and the formula adds
# three more roundings. So each block is computed in float64 and rounded to the
# output dtype once, which keeps every float16 and float32 result we tested within
# 1 ulp of the exact value. Bool and integer inputs give float32.
#
# **Your task:** write `_sigmoid_block`, then Sigmoid's `forward` and `backward`.


# %%
#| export
def _sigmoid_block(x: np.ndarray, out: np.ndarray) -> None:
    """Write sigmoid(x) = exp(min(x, 0)) / (1 + exp(-|x|)) into `out`, for one block.

    Steps:
        1. The numerator: `np.minimum(x, 0, out=out)`, then `np.exp` in place.
        2. The denominator: `np.copysign(x, -1)` is -|x| in a new array; take
           `np.exp` of it in place and add 1 in place.
        3. Divide `out` by the denominator in place.

    Example:
        For x = [0.0, 2.0, -2.0], out becomes [0.5, 0.8808, 0.1192] (rounded).
    """
    ### BEGIN SOLUTION
    # NOTE: both exponents are <= 0, so neither exp overflows. The denominator
    # is between 1 and 2 (or NaN for NaN input), so the division is safe.
    np.minimum(x, 0, out=out)
    np.exp(out, out=out)
    denominator = np.copysign(x, -1)
    np.exp(denominator, out=denominator)
    denominator += 1
    out /= denominator
    ### END SOLUTION


class Sigmoid(_Activation):
    """The logistic sigmoid, 1 / (1 + exp(-x)) for each element."""

    def forward(self, x: Tensor) -> Tensor:
        """Apply sigmoid to each element of `x`, and keep the output for backward.

        Steps:
            1. Find the output dtype with `_float_dtype`.
            2. Choose the work dtype: float64, or the input's dtype if it is wider
               (`np.promote_types(dtype, np.float64)`).
            3. Let `_map_blocks` run `_sigmoid_block` over the data.
            4. Keep the output in `self._out` and return it as a Tensor.

        Args:
            x: a Tensor of any shape, with a bool, integer or float dtype.

        Returns:
            A Tensor of the same shape, with values in [0, 1]: float inputs keep
            their dtype, others give float32. sigmoid(-inf) is 0, sigmoid(inf)
            is 1 and NaN stays NaN.

        Example:
            `Sigmoid()(Tensor([0.0, 2.0]))` contains `[0.5, 0.8808]` (rounded).
        """
        data = _input_array(x, "Sigmoid")
        ### BEGIN SOLUTION
        dtype = _float_dtype(data)
        work_dtype = np.promote_types(dtype, np.float64)
        out = _map_blocks(_sigmoid_block, data, dtype, work_dtype)
        self._out = out
        return Tensor(out)
        ### END SOLUTION

    def backward(self, grad_output: Tensor) -> Tensor:
        """Return the gradient with respect to the input of the last forward.

        Steps:
            1. With s the output of the last forward, the slope is s * (1 - s).
            2. Multiply `grad_output` by that slope, with NumPy's "invalid"
               warning off (see the note).

        Args:
            grad_output: the gradient with respect to this activation's output,
                with the shape of the last forward's output.

        Returns:
            A new Tensor of that shape, with the dtype of the forward output. An
            infinite `grad_output` where the slope is 0 gives NaN, as in PyTorch.

        Example:
            After `sigmoid(Tensor([0.0]))`, `sigmoid.backward(Tensor([1.0]))`
            contains `[0.25]`.
        """
        grad = self._grad_array(grad_output)
        ### BEGIN SOLUTION
        s = self._out
        # NOTE: a saturated output (s = 1 from x = 88 in float32, or s = 0) has
        # slope 0, and inf * 0 is NaN. NaN is the honest result, so no warning.
        with np.errstate(invalid="ignore"):
            return _tensor(grad * s * (1 - s))
        ### END SOLUTION


# %% [markdown]
# ### 🧪 Test: Sigmoid


# %%
def test_unit_sigmoid():
    """Check Sigmoid's values, range, symmetry, extreme inputs and gradient."""
    print("🔬 Unit Test: Sigmoid activation...")
    sigmoid = Sigmoid()

    values = np.array([0.0, 2.0, -2.0])
    got = sigmoid(Tensor(values.astype(np.float32))).data
    expected = 1 / (1 + np.exp(-values))
    assert np.allclose(got, expected, rtol=1e-6, atol=0), (
        f"Sigmoid of [0, 2, -2] should be {expected}, got {got}"
    )
    print("✅ Sigmoid matches 1 / (1 + exp(-x))")

    data = np.random.default_rng(0).uniform(-30, 30, 1000).astype(np.float32)
    got = sigmoid(Tensor(data)).data
    assert got.min() >= 0, f"expected outputs of at least 0, got {got.min()}"
    assert got.max() <= 1, f"expected outputs of at most 1, got {got.max()}"
    print("✅ Sigmoid output range is [0, 1]")

    mirrored = sigmoid(Tensor(-data)).data
    assert np.allclose(got + mirrored, 1, rtol=0, atol=1e-6), (
        "expected sigmoid(-x) = 1 - sigmoid(x), got a largest gap of "
        f"{np.abs(got + mirrored - 1).max()}"
    )
    print("✅ Sigmoid is symmetric: sigmoid(-x) = 1 - sigmoid(x)")

    got = sigmoid(Tensor([-1000.0, 1000.0, -float("inf"), float("inf")])).data
    assert np.array_equal(got, [0.0, 1.0, 0.0, 1.0]), (
        f"Sigmoid of [-1000, 1000, -inf, inf] should be [0, 1, 0, 1], got {got}"
    )
    print("✅ Sigmoid handles extreme inputs (±1000, ±inf) without overflow")

    got = sigmoid(Tensor([-80.0])).data[0]
    assert np.isclose(got, 1.804851e-35, rtol=1e-6, atol=0), (
        f"Sigmoid(-80) should be 1.804851e-35 (about exp(-80)), got {got}"
    )
    print("✅ Sigmoid keeps its precision for tiny outputs")

    sigmoid(Tensor([0.0, 2.0]))
    grad = sigmoid.backward(Tensor([1.0, 1.0])).data
    expected = np.array([0.25, 0.104994], dtype=np.float32)
    assert np.allclose(grad, expected, rtol=1e-5, atol=0), (
        f"Sigmoid backward at x = [0, 2] should be {expected}, got {grad}"
    )
    print("✅ Sigmoid backward is s * (1 - s)")
    print("📈 Progress: Sigmoid ✓")


test_unit_sigmoid()

# %% [markdown]
# ### 📊 See it: Sigmoid

# %%
print("📊 Plotting Sigmoid behavior across range [-5, 5]...")
xs = np.linspace(-5, 5, 201)
ys = Sigmoid()(Tensor(xs)).data
fig = plot_activation("Sigmoid", xs, ys, "1 / (1 + exp(-x))")
ax = fig.axes[0]
ax.axhline(1, color="gray", linewidth=0.5, linestyle="--")
assert np.all((ys > 0) & (ys < 1)), "the plotted Sigmoid leaves (0, 1)"
assert np.all(np.diff(ys) > 0), "the plotted Sigmoid is not increasing"
print("📈 Function visualization shows expected behavior")
show(fig)

# %% [markdown]
# ## Step 3: Tanh, the hyperbolic tangent
#
# Tanh squashes numbers into the interval from -1 to 1:
#
# $$\tanh(x) = \frac{e^x - e^{-x}}{e^x + e^{-x}} = 2\sigma(2x) - 1$$
#
# It has the S shape of the sigmoid, stretched to $(-1, 1)$ and centred on zero:
# $\tanh(0) = 0$ and $\tanh(-x) = -\tanh(x)$. Outputs centred on zero make the next
# layer's job easier, which is why recurrent networks use tanh for their hidden
# state.
#
# **Gradient.** $\tanh'(x) = 1 - \tanh(x)^2$. It peaks at $x = 0$ with the value 1,
# four times sigmoid's peak, so tanh passes stronger gradients.
#
# **Stability.** NumPy's `np.tanh` is already stable: it never overflows, it returns
# ±1 for large $|x|$, and it returns $x$ itself for tiny $x$. Its float32 results
# were within 1.4 ulp of the exact values in our tests (NumPy 2.4, AVX-512 CPU).
# Computing the formula above directly would overflow $e^x$ at $x = 89$ in
# float32.
#
# **Speed.** `np.tanh(data, out=out)` writes straight into a fresh output array:
# one pass, no temporary. Passing `dtype=out.dtype` makes integer and bool inputs
# compute in float32 directly.
#
# **Your task:** write Tanh's `forward` and `backward`.


# %%
#| export
class Tanh(_Activation):
    """The hyperbolic tangent, tanh(x) for each element."""

    def forward(self, x: Tensor) -> Tensor:
        """Apply tanh to each element of `x`, and keep the output for backward.

        Steps:
            1. Create the output with `np.empty(data.shape, _float_dtype(data))`.
            2. Fill it with `np.tanh(data, out=out, dtype=out.dtype)`.
            3. Keep the output in `self._out` and return it as a Tensor.

        Args:
            x: a Tensor of any shape, with a bool, integer or float dtype.

        Returns:
            A Tensor of the same shape, with values in [-1, 1]: float inputs
            keep their dtype, others give float32. NaN stays NaN.

        Example:
            `Tanh()(Tensor([0.0, 1.0]))` contains `[0.0, 0.7616]` (rounded).
        """
        data = _input_array(x, "Tanh")
        ### BEGIN SOLUTION
        out = np.empty(data.shape, _float_dtype(data))
        np.tanh(data, out=out, dtype=out.dtype)
        self._out = out
        return Tensor(out)
        ### END SOLUTION

    def backward(self, grad_output: Tensor) -> Tensor:
        """Return the gradient with respect to the input of the last forward.

        Steps:
            1. With t the output of the last forward, the slope is 1 - t².
               Compute it as (1 - t) * (1 + t), which rounds less near t = ±1.
            2. Multiply `grad_output` by that slope, with NumPy's "invalid"
               warning off (see the note).

        Args:
            grad_output: the gradient with respect to this activation's output,
                with the shape of the last forward's output.

        Returns:
            A new Tensor of that shape, with the dtype of the forward output. An
            infinite `grad_output` where the slope is 0 gives NaN, as in PyTorch.

        Example:
            After `tanh(Tensor([0.0]))`, `tanh.backward(Tensor([1.0]))` contains
            `[1.0]`.
        """
        grad = self._grad_array(grad_output)
        ### BEGIN SOLUTION
        t = self._out
        # NOTE: where t = ±1 the slope is 0, and inf * 0 is NaN. NaN is the honest
        # result, so no warning.
        with np.errstate(invalid="ignore"):
            return _tensor(grad * ((1 - t) * (1 + t)))
        ### END SOLUTION


# %% [markdown]
# ### 🧪 Test: Tanh


# %%
def test_unit_tanh():
    """Check Tanh's values, range, symmetry, extreme inputs and gradient."""
    print("🔬 Unit Test: Tanh activation...")
    tanh = Tanh()

    values = np.array([0.0, 1.0, -1.0])
    got = tanh(Tensor(values.astype(np.float32))).data
    expected = (np.exp(values) - np.exp(-values)) / (np.exp(values) + np.exp(-values))
    assert np.allclose(got, expected, rtol=1e-6, atol=0), (
        f"Tanh of [0, 1, -1] should be {expected}, got {got}"
    )
    print("✅ Tanh matches (e^x - e^-x) / (e^x + e^-x)")

    data = np.random.default_rng(0).uniform(-30, 30, 1000).astype(np.float32)
    got = tanh(Tensor(data)).data
    assert got.min() >= -1, f"expected outputs of at least -1, got {got.min()}"
    assert got.max() <= 1, f"expected outputs of at most 1, got {got.max()}"
    print("✅ Tanh output range is [-1, 1]")

    mirrored = tanh(Tensor(-data)).data
    assert np.array_equal(mirrored, -got), "expected tanh(-x) = -tanh(x) exactly"
    print("✅ Tanh is odd: tanh(-x) = -tanh(x)")

    got = tanh(Tensor([-1000.0, 1000.0, -float("inf"), float("inf")])).data
    assert np.array_equal(got, [-1.0, 1.0, -1.0, 1.0]), (
        f"Tanh of [-1000, 1000, -inf, inf] should be [-1, 1, -1, 1], got {got}"
    )
    print("✅ Tanh handles extreme inputs (±1000, ±inf) without overflow")

    got = tanh(Tensor([3, -3]))
    assert got.dtype == np.float32, f"expected float32 for int input, got {got.dtype}"
    print("✅ Tanh gives float32 for integer input")

    tanh(Tensor([0.0, 1.0]))
    grad = tanh.backward(Tensor([1.0, 1.0])).data
    expected = np.array([1.0, 0.419974], dtype=np.float32)
    assert np.allclose(grad, expected, rtol=1e-5, atol=0), (
        f"Tanh backward at x = [0, 1] should be {expected}, got {grad}"
    )
    print("✅ Tanh backward is 1 - t²")
    print("📈 Progress: Tanh ✓")


test_unit_tanh()

# %% [markdown]
# ### 📊 See it: Tanh

# %%
print("📊 Plotting Tanh behavior across range [-5, 5]...")
xs = np.linspace(-5, 5, 201)
ys = Tanh()(Tensor(xs)).data
fig = plot_activation("Tanh", xs, ys, "tanh(x)")
ax = fig.axes[0]
ax.axhline(1, color="gray", linewidth=0.5, linestyle="--")
ax.axhline(-1, color="gray", linewidth=0.5, linestyle="--")
assert np.all((ys > -1) & (ys < 1)), "the plotted Tanh leaves (-1, 1)"
assert np.array_equal(Tanh()(Tensor(-xs)).data, -ys), "the plotted Tanh is not odd"
print("📈 Function visualization shows expected behavior")
show(fig)

# %% [markdown]
# ## Step 4: Softmax
#
# Softmax turns a vector of scores (logits) into probabilities: every output is
# positive and they sum to 1.
#
# $$\mathrm{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}$$
#
# Unlike the other three, softmax does not work on each number alone: it
# normalises along one axis, `dim`. With a batch of shape `(batch, classes)`, the
# default `dim=-1` gives one probability vector per row. A classifier's last layer
# uses it, and so does attention. For two logits $[x, 0]$, softmax gives
# $[\sigma(x), 1 - \sigma(x)]$: sigmoid is the two-class case.
#
# **The stability trick.** Adding the same number to every logit of a slice does
# not change the result, because it multiplies the numerator and the denominator
# by the same factor. So we subtract each slice's maximum $m$ first:
# $\mathrm{softmax}(x)_i = e^{x_i - m} / \sum_j e^{x_j - m}$. Now every exponent is
# at most 0, so `exp` cannot overflow. The largest term is $e^0 = 1$, so the sum is
# at least 1 and the division is safe.
#
# **Special slices.** A logit of `-inf` gets probability exactly 0. A slice whose
# maximum is not finite has no finite shift: if it is all `-inf`, or contains `+inf` or
# NaN, every output of that slice is NaN, as in PyTorch. We make that happen by
# shifting such a slice by NaN instead of computing `inf - inf`, because NumPy warns
# about the latter. A difference such as `-3e38 - 3e38` can overflow to `-inf`,
# which is the right result here, so we silence that one warning.
#
# **Gradient.** For output $s$ and incoming gradient $g$, the gradient with respect
# to the input is $s_i (g_i - \sum_j g_j s_j)$ along `dim`: the Jacobian-vector
# product, computed without building the Jacobian. We compute it as
# $s_i g_i - s_i \sum_j g_j s_j$, because $g_i - \sum_j g_j s_j$ can overflow when
# $g$ contains numbers near the dtype's max, while neither term here is larger than the
# largest $|g_j|$, up to rounding.
#
# **Shapes and dtypes.** Any `dim` works, negative or positive; a `dim` outside the
# tensor's dimensions raises an `IndexError`. Empty tensors return an empty result
# of the same shape. float16 is computed in float32 and rounded once at the end.
#
# **Your task:** write `_softmax`, then Softmax's `forward` and `backward`.


# %%
#| export
def _softmax(x: np.ndarray, axis: int, dtype) -> np.ndarray:
    """Return softmax of the non-empty array `x` along `axis`, as a new array.

    Steps:
        1. Choose the work dtype: at least float32 (`np.promote_types`).
        2. Take each slice's max with `keepdims=True`, as the work dtype, and set
           the entries that are not finite to NaN.
        3. Subtract the max into a new array, with overflow warnings off.
        4. Apply `np.exp` in place, then divide in place by the sum along `axis`.
        5. Return the result as `dtype`.

    Example:
        For x = [1.0, 2.0, 3.0] the result is [0.0900, 0.2447, 0.6652] (rounded).
    """
    ### BEGIN SOLUTION
    work_dtype = np.promote_types(dtype, np.float32)
    shift = np.max(x, axis=axis, keepdims=True).astype(work_dtype)
    # NOTE: a slice whose max is ±inf or NaN has no finite shift, and inf - inf
    # would warn. A NaN shift makes the whole slice NaN quietly, as in PyTorch.
    shift[~np.isfinite(shift)] = np.nan
    # NOTE: x - max can overflow to -inf, say -3e38 - 3e38 in float32. exp then
    # gives the right 0, so only that warning is silenced.
    with np.errstate(over="ignore"):
        out = np.subtract(x, shift, dtype=work_dtype)
    np.exp(out, out=out)
    out /= np.sum(out, axis=axis, keepdims=True)
    return out.astype(dtype, copy=False)
    ### END SOLUTION


class Softmax(_Activation):
    """Softmax along `dim`: exp(x_i) / sum_j exp(x_j), so each slice sums to 1.

    A slice that is all -inf, or contains +inf or NaN, gives NaN everywhere in that
    slice, as PyTorch does.
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        if isinstance(dim, bool) or not isinstance(dim, int | np.integer):
            raise TypeError(f"Softmax dim must be an integer, got {_type_name(dim)}")
        self.dim = int(dim)
        self._axis = None  # the axis of the last forward, for backward

    def __repr__(self) -> str:
        return f"Softmax(dim={self.dim})"

    def _check_dim(self, ndim: int) -> int:
        """Return `self.dim` as an axis from 0 to ndim - 1; a 0-d tensor has axis 0."""
        size = max(ndim, 1)
        if not -size <= self.dim < size:
            raise IndexError(
                f"Softmax dim {self.dim} is out of range for a tensor with ndim "
                f"{ndim}: use a dim from {-size} to {size - 1}"
            )
        return self.dim % size

    def forward(self, x: Tensor) -> Tensor:
        """Apply softmax to `x` along `self.dim`, and keep the output for backward.

        Steps:
            1. Find the output dtype with `_float_dtype`.
            2. An empty tensor gives an empty array of that dtype and shape.
            3. Otherwise call `_softmax` on `np.atleast_1d(data)` (a 0-d tensor
               becomes shape (1,)) and reshape the result to the input's shape.
            4. Keep the output and the axis for backward, and return the output
               as a Tensor.

        Args:
            x: a Tensor of any shape, with a bool, integer or float dtype.

        Returns:
            A Tensor of the same shape, whose slices along `dim` sum to 1: float
            inputs keep their dtype, others give float32.

        Example:
            `Softmax()(Tensor([1.0, 2.0, 3.0]))` contains `[0.0900, 0.2447, 0.6652]`
            (rounded).
        """
        data = _input_array(x, "Softmax")
        axis = self._check_dim(data.ndim)
        ### BEGIN SOLUTION
        dtype = _float_dtype(data)
        if data.size == 0:
            out = np.empty(data.shape, dtype)
        else:
            out = _softmax(np.atleast_1d(data), axis, dtype).reshape(data.shape)
        self._out = out
        self._axis = axis
        return Tensor(out)
        ### END SOLUTION

    def backward(self, grad_output: Tensor) -> Tensor:
        """Return the gradient with respect to the input of the last forward.

        Steps:
            1. With s the last output and g `grad_output` (both as at least 1-d),
               compute g * s and its sum along the axis, `dot`, keeping the axis.
            2. The gradient s * (g - dot) equals g * s - s * dot: subtract s * dot
               from g * s in place, and reshape the result to the shape of g.
            3. Do both steps with NumPy's "invalid" and "overflow" warnings off
               (see the note). If `dot` is not finite although g is, halve
               g * s, repeat step 2 and double the result.

        Args:
            grad_output: the gradient with respect to this activation's output,
                with the shape of the last forward's output.

        Returns:
            A new Tensor of that shape, with the dtype of the forward output. An
            infinite `grad_output` gives inf or NaN in its slice, as in PyTorch.

        Example:
            After `softmax(Tensor([0.0, 0.0]))`, `softmax.backward(Tensor([1.0,
            0.0]))` contains `[0.25, -0.25]`.
        """
        grad = self._grad_array(grad_output)
        ### BEGIN SOLUTION
        s = np.atleast_1d(self._out)
        g = np.atleast_1d(grad)
        # NOTE: g - dot can overflow for finite g, say [max, -max] with s = [0.7,
        # 0.3], but g * s and s * dot are at most the largest |g|, up to rounding.
        # An infinite g gives inf - inf or inf * 0 = NaN, as in PyTorch. NaN is
        # honest there, so those warnings are off.
        with np.errstate(invalid="ignore", over="ignore"):
            out = g * s
            dot = np.sum(out, axis=self._axis, keepdims=True)
            if np.isfinite(dot).all() or not np.isfinite(g).all():
                out -= s * dot
            else:
                # NOTE: the slices of s sum to 1 only up to rounding, so when g
                # is near max everywhere, dot can round up to inf. Halving g * s
                # first (exact except for subnormals) keeps dot finite.
                out *= 0.5
                out -= s * np.sum(out, axis=self._axis, keepdims=True)
                out *= 2
        return _tensor(out.reshape(grad.shape))
        ### END SOLUTION


# %% [markdown]
# ### 🧪 Test: Softmax


# %%
def test_unit_softmax():
    """Check Softmax's values, sums, shift invariance, special slices and gradient."""
    print("🔬 Unit Test: Softmax activation...")

    got = Softmax()(Tensor([1.0, 2.0, 3.0])).data
    expected = np.array([0.090031, 0.244728, 0.665241], dtype=np.float32)
    assert np.allclose(got, expected, rtol=1e-5, atol=0), (
        f"Softmax of [1, 2, 3] should be {expected}, got {got}"
    )
    print("✅ Softmax matches exp(x) / sum(exp(x))")

    data = np.random.default_rng(0).normal(0, 5, (8, 10)).astype(np.float32)
    for dim in (0, 1, -1):
        sums = Softmax(dim=dim)(Tensor(data)).data.sum(axis=dim)
        assert np.allclose(sums, 1, rtol=0, atol=1e-6), (
            f"expected every slice along dim={dim} to sum to 1, got sums {sums}"
        )
    print("✅ Softmax slices sum to 1 along any dim")

    # float64, because adding 100 to float32 logits rounds them by up to 4e-6.
    logits = data.astype(np.float64)
    shifted = Softmax()(Tensor(logits + 100)).data
    plain = Softmax()(Tensor(logits)).data
    assert np.allclose(shifted, plain, rtol=0, atol=1e-12), (
        "expected softmax(x + 100) = softmax(x), got a largest difference of "
        f"{np.abs(shifted - plain).max()}"
    )
    print("✅ Softmax ignores a constant added to every logit")

    got = Softmax()(Tensor([-1000.0, 0.0, 1000.0])).data
    assert np.array_equal(got, [0.0, 0.0, 1.0]), (
        f"Softmax of [-1000, 0, 1000] should be [0, 0, 1], got {got}"
    )
    print("✅ Softmax handles extreme inputs (±1000) without overflow")

    inf = float("inf")
    got = Softmax()(Tensor([[-inf, 0.0], [-inf, -inf]])).data
    assert np.array_equal(got[0], [0.0, 1.0]), (
        f"Softmax of [-inf, 0] should be [0, 1], got {got[0]}"
    )
    assert np.all(np.isnan(got[1])), f"an all -inf slice should give NaN, got {got[1]}"
    print("✅ Softmax gives 0 for -inf, and NaN for a slice of only -inf")

    softmax = Softmax()
    softmax(Tensor([0.0, 0.0]))
    grad = softmax.backward(Tensor([1.0, 0.0])).data
    assert np.allclose(grad, [0.25, -0.25], rtol=1e-6, atol=0), (
        "Softmax backward at x = [0, 0] with grad_output [1, 0] should be "
        f"[0.25, -0.25], got {grad}"
    )
    print("✅ Softmax backward is s * (g - sum(g * s))")
    print("📈 Progress: Softmax ✓")


test_unit_softmax()

# %% [markdown]
# ### 📊 See it: Softmax
#
# Softmax takes a whole vector, so we plot the three probabilities for the logits
# $[x, 1, 0]$ as $x$ moves from -5 to 5. Each row of the input is one set of logits.

# %%
print("📊 Plotting Softmax behavior across range [-5, 5]...")
xs = np.linspace(-5, 5, 201)
logits = np.stack([xs, np.ones_like(xs), np.zeros_like(xs)], axis=1)
probs = Softmax(dim=-1)(Tensor(logits)).data
fig, ax = plt.subplots(figsize=(6, 3.5))
for column, label in enumerate(["p(x)", "p(1)", "p(0)"]):
    ax.plot(xs, probs[:, column], linewidth=2, label=label)
ax.set_title("Softmax of the logits [x, 1, 0]")
ax.set_xlabel("x")
ax.set_ylabel("probability")
ax.grid(True, alpha=0.3)
ax.legend()
assert np.allclose(probs.sum(axis=1), 1), "the plotted probabilities do not sum to 1"
assert np.all(np.diff(probs[:, 0]) > 0), "p(x) does not grow with x"
print("📈 Function visualization shows expected behavior")
show(fig)

# %% [markdown]
# ## Use: the four activations side by side
#
# The plot puts the four curves on one set of axes. For Softmax we plot the first
# probability of the two logits $[x, 0]$: it lies exactly on the sigmoid curve.

# %%
print("📊 Plotting all activations across range [-5, 5]...")
xs = np.linspace(-5, 5, 201)
pairs = np.stack([xs, np.zeros_like(xs)], axis=1)
curves = {
    "ReLU": ReLU()(Tensor(xs)).data,
    "Sigmoid": Sigmoid()(Tensor(xs)).data,
    "Tanh": Tanh()(Tensor(xs)).data,
    "Softmax([x, 0])[0]": Softmax()(Tensor(pairs)).data[:, 0],
}
fig, ax = plt.subplots(figsize=(7, 4))
for label, ys in curves.items():
    style = ":" if label.startswith("Softmax") else "-"
    ax.plot(xs, ys, style, linewidth=2, label=label)
ax.set_ylim(-1.5, 3)
ax.set_title("Activation functions compared")
ax.set_xlabel("x")
ax.set_ylabel("output")
ax.grid(True, alpha=0.3)
ax.legend()
assert np.allclose(curves["Softmax([x, 0])[0]"], curves["Sigmoid"], atol=1e-12)
show(fig)

# %% [markdown]
# ## Analyze: measuring the activations
#
# Now we measure. The first table applies each function to 100,000 random float64
# numbers from a standard normal distribution (almost all lie in [-4, 4]), to 0 and
# to ±1000. Softmax works on rows, so it gets the same numbers as rows of 4 logits, a
# row of 4 zeros, and the row `[-1000, 1000]`.

# %%
rng = np.random.default_rng(0)
inputs = rng.standard_normal(100_000)
extremes = np.array([-1000.0, 1000.0])


def measure(name, activation, row_length=None):
    """Return one table row: output range, value at 0, share of zeros, ±1000."""
    shape = (-1,) if row_length is None else (-1, row_length)
    outputs = activation(Tensor(inputs.reshape(shape))).data
    at_zero = activation(Tensor(np.zeros(row_length or 1))).data[0]
    at_extremes = activation(Tensor(extremes)).data
    zeros = np.mean(outputs == 0)
    return (name, outputs.min(), outputs.max(), at_zero, zeros, *at_extremes)


rows = [
    measure("ReLU", ReLU()),
    measure("Sigmoid", Sigmoid()),
    measure("Tanh", Tanh()),
    measure("Softmax", Softmax(), row_length=4),
]
print(f"{'function':<9} {'output range':>24} {'f(0)':>6} {'zeros':>6}", end="")
print(f" {'f(-1000)':>9} {'f(1000)':>8}")
for name, low, high, at_zero, zeros, at_minus, at_plus in rows:
    span = f"[{low:.6g}, {high:.6g}]"
    print(f"{name:<9} {span:>24} {at_zero:>6.3g} {zeros:>6.1%}", end="")
    print(f" {at_minus:>9.3g} {at_plus:>8.4g}")

# %% [markdown]
# How to read it:
#
# - **ReLU** is the only unbounded one, and it returns exactly 0 for about half of
#   the random inputs. That sparsity is cheap to compute on, but a unit whose inputs
#   are always negative gets no gradient at all: the "dying ReLU" problem.
# - **Sigmoid** stays strictly inside $(0, 1)$ on these inputs and is $0.5$ at
#   zero. It reaches its limits only for extreme inputs: in float32 it rounds to 1
#   from about $x = 17$ and to 0 below about $x = -104$.
# - **Tanh** is the zero-centred version: $0$ at zero, outputs in $(-1, 1)$, and ±1
#   at ±1000.
# - **Softmax** gives $1/4$ to each of 4 equal logits. At $[-1000, 1000]$ it returns
#   exactly $[0, 1]$ without overflowing.
#
# Next, speed. We time each activation on a million float32 numbers (the median of
# 5 calls) and compare it with the plainest NumPy expression of the same function.
# The benchmark `benchmarks/activations.py` does this more carefully, at 10 million
# numbers and against SciPy and PyTorch.

# %%
import time


def median_ms(function, repeats=5):
    """Return the median time of `function()` over `repeats` calls, in ms."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


large = Tensor(rng.standard_normal(1_000_000).astype(np.float32))
rows_of_1000 = Tensor(large.data.reshape(-1, 1000))
timings = [
    ("ReLU", ReLU(), large, lambda: np.maximum(large.data, 0)),
    ("Sigmoid", Sigmoid(), large, lambda: 1 / (1 + np.exp(-large.data))),
    ("Tanh", Tanh(), large, lambda: np.tanh(large.data)),
    (
        "Softmax",
        Softmax(),
        rows_of_1000,
        lambda: (
            np.exp(rows_of_1000.data)
            / np.exp(rows_of_1000.data).sum(axis=-1, keepdims=True)
        ),
    ),
]
print(f"{'function':<9} {'ours (ms)':>10} {'plain NumPy (ms)':>17} {'ratio':>6}")
for name, activation, x, plain in timings:
    ours = median_ms(lambda activation=activation, x=x: activation(x))
    baseline = median_ms(plain)
    print(f"{name:<9} {ours:>10.2f} {baseline:>17.2f} {ours / baseline:>6.2f}")

# %% [markdown]
# The plain expressions are the unsafe ones: `1 / (1 + np.exp(-x))` overflows
# (with a warning) for $x < -88$, and the plain softmax overflows for logits above
# 88. On standard normal input they happen to work, so the timing is fair.
#
# - **ReLU** and **Tanh** cost about as much as the NumPy call they wrap. ReLU's
#   block loop and extra pass (adding 0) show most on arrays that already fit in
#   the cache, as here.
# - **Sigmoid** is the most expensive by far: two exponentials per number, in
#   float64 for accuracy, where the plain formula takes one in float32. That is the
#   price of a result that is right for every input. The benchmark compares it
#   with SciPy's `expit`, which is also safe.
# - **Softmax** adds a max and a subtraction to the plain version, and saves a
#   temporary array by working in place.
#
# Exact numbers depend on your machine and on what else it is running; run the cell
# again and they change.

# %% [markdown]
# ## Analyze: each function beside its derivative
#
# `backward` with a gradient of ones returns the derivative at each input. The plots
# show each function (solid) with its derivative (dashed). For Softmax we use the
# first probability of $[x, 0]$ again, and its derivative with respect to $x$.

# %%
print("📊 Plotting each activation beside its derivative across range [-5, 5]...")
xs = np.linspace(-5, 5, 201)
ones = np.ones_like(xs)
curves, slopes = {}, {}
for name, activation in [("ReLU", ReLU()), ("Sigmoid", Sigmoid()), ("Tanh", Tanh())]:
    curves[name] = activation(Tensor(xs)).data
    slopes[name] = activation.backward(Tensor(ones)).data

# Softmax of [x, 0]: the gradient [1, 0] selects the slope of its first output.
softmax = Softmax()
curves["Softmax"] = softmax(Tensor(np.stack([xs, 0 * xs], axis=1))).data[:, 0]
slopes["Softmax"] = softmax.backward(Tensor(np.stack([ones, 0 * xs], axis=1))).data[
    :, 0
]

fig, axes = plt.subplots(1, 4, figsize=(14, 3.5))
for ax, name in zip(axes, curves, strict=True):
    ax.plot(xs, curves[name], linewidth=2, label=name)
    ax.plot(xs, slopes[name], "--", linewidth=2, label="derivative")
    ax.set_title(name)
    ax.set_xlabel("x")
    ax.set_ylabel("value")
    ax.grid(True, alpha=0.3)
    ax.legend()
fig.tight_layout()
show(fig)

for name in ("Sigmoid", "Tanh"):
    peak = np.argmax(slopes[name])
    print(f"{name}'s gradient peaks at {slopes[name][peak]:.4f}, at x = {xs[peak]:g}")
negative = slopes["ReLU"][xs < 0]
positive = slopes["ReLU"][xs > 0]
print(f"ReLU's gradient for negative inputs takes the values {np.unique(negative)}")
print(f"ReLU's gradient for positive inputs takes the values {np.unique(positive)}")
assert np.isclose(slopes["Sigmoid"].max(), 0.25)
assert np.isclose(slopes["Tanh"].max(), 1.0)
assert np.all(negative == 0)
assert np.allclose(slopes["Softmax"], slopes["Sigmoid"])

# %% [markdown]
# What the derivatives tell you:
#
# - **Sigmoid's** gradient is at most 0.25. Each sigmoid layer multiplies the
#   gradient flowing back by at most 0.25, so in a deep stack of them the gradient
#   vanishes.
# - **Tanh's** gradient reaches 1 at zero, four times more, and it is zero-centred:
#   better for hidden layers, but it also saturates for large $|x|$.
# - **ReLU's** gradient is exactly 1 for every positive input and 0 for every
#   negative one. Gradients pass through positive units unchanged, which is why deep
#   networks train well with ReLU, and negative units pass nothing back.
# - **Softmax** along two logits has sigmoid's derivative, as you would expect.
#
# ## Summary
#
# You built the four activations TinyTorch uses:
#
# | Function | Output range | f(0) | Gradient | Stability trick |
# |---|---|---|---|---|
# | ReLU | [0, ∞) | 0 | 1 for x > 0, else 0 | add 0, so -0.0 becomes +0.0 |
# | Sigmoid | [0, 1] | 0.5 | s (1 - s) | only exponents ≤ 0; float64 blocks |
# | Tanh | [-1, 1] | 0 | 1 - t² | `np.tanh` is already stable |
# | Softmax | [0, 1], slices sum to 1 | 1/n | s (g - Σ g s) | subtract the max |
#
# Each one checks its input, never changes it, returns a new array and passes
# through ±inf and NaN without a warning.
#
# Export your code with `tito export --module activations`, then run
# `tito test --module activations` to run these tests and the package tests.
#
# ## What's next
#
# In the Layers module you build the `Dense` layer, $y = W x + b$, and stack layers
# with these activations between them: your first real neural network.

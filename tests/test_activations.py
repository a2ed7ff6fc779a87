"""Behaviour of ReLU, Sigmoid, Tanh and Softmax, checked against NumPy formulas.

Each reference formula below is written independently of the package, in float64,
and every comparison states its tolerances. The README examples are executed and
their `# [values]` comments are compared with what the code returns.
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import io
import re
import tokenize
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from tinytorch.core.activations import ReLU, Sigmoid, Softmax, Tanh
from tinytorch.core.tensor import Tensor

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "modules" / "source" / "03_activations" / "README.md"

ACTIVATIONS = [ReLU, Sigmoid, Tanh, Softmax]
ACTIVATION_IDS = ["relu", "sigmoid", "tanh", "softmax"]
FLOAT_DTYPES = [np.float16, np.float32, np.float64]
FLOAT_IDS = ["float16", "float32", "float64"]

# (rtol, atol) for an activation evaluated in a dtype, against the float64 formula
# applied to the same (already rounded) input values. Each allows a few units in the
# last place of that dtype (eps: 9.8e-4, 1.2e-7, 2.2e-16).
TOLERANCES = {
    np.float16: (8e-3, 1e-4),
    np.float32: (4e-6, 1e-7),
    np.float64: (1e-12, 1e-15),
}


# --- reference formulas (float64, moderate inputs only) ---------------------------


def relu_reference(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0, x, 0.0)


def sigmoid_reference(x: np.ndarray) -> np.ndarray:
    # Overflows for x < -709, so callers keep |x| moderate.
    return 1.0 / (1.0 + np.exp(-x))


def tanh_reference(x: np.ndarray) -> np.ndarray:
    # tanh(x) = (e^2x - 1) / (e^2x + 1), and expm1 keeps it accurate near 0.
    e = np.expm1(2.0 * x)
    return e / (e + 2.0)


def softmax_reference(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


REFERENCES = {
    ReLU: relu_reference,
    Sigmoid: sigmoid_reference,
    Tanh: tanh_reference,
    Softmax: softmax_reference,
}


def apply(activation_class, data) -> np.ndarray:
    """Run a fresh activation on `data` (wrapped in a Tensor) and return the array."""
    out = activation_class()(Tensor(data))
    assert isinstance(out, Tensor), f"expected a Tensor, got {type(out).__name__}"
    return out.data


# --- mathematical correctness ------------------------------------------------------


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=FLOAT_IDS)
@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_activation_matches_reference_formula(activation_class, dtype):
    rng = np.random.default_rng(0)
    x = rng.uniform(-3.0, 3.0, size=(4, 7)).astype(dtype)
    rtol, atol = TOLERANCES[dtype]

    out = apply(activation_class, x)

    expected = REFERENCES[activation_class](x.astype(np.float64))
    np.testing.assert_allclose(out.astype(np.float64), expected, rtol=rtol, atol=atol)


@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_activation_matches_reference_wide_range(activation_class):
    x = np.linspace(-30.0, 30.0, 241).reshape(1, -1)

    out = apply(activation_class, x)

    expected = REFERENCES[activation_class](x)
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-15)


def test_relu_matches_maximum_exactly():
    x = np.random.default_rng(1).normal(size=(3, 5))

    out = apply(ReLU, x)

    np.testing.assert_array_equal(out, np.maximum(x, 0.0))


@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_activation_call_equals_forward(activation_class):
    x = Tensor(np.random.default_rng(2).normal(size=(2, 6)))
    activation = activation_class()

    called = activation(x)
    forwarded = activation.forward(x)

    np.testing.assert_array_equal(called.data, forwarded.data)


@pytest.mark.parametrize("dim", [0, 1, 2, 3, -1, -2, -3, -4])
def test_softmax_any_dim_matches_reference(dim):
    x = np.random.default_rng(3).normal(scale=3.0, size=(2, 3, 4, 5))

    out = Softmax(dim=dim)(Tensor(x)).data

    np.testing.assert_allclose(out, softmax_reference(x, axis=dim), rtol=1e-12)
    np.testing.assert_allclose(out.sum(axis=dim), 1.0, rtol=0, atol=1e-12)


def test_softmax_default_dim_is_last():
    x = np.random.default_rng(4).normal(size=(3, 4))

    out = Softmax()(Tensor(x)).data

    np.testing.assert_allclose(out, softmax_reference(x, axis=-1), rtol=1e-12)


# --- examples the module README shows ---------------------------------------------


def rounded(out: Tensor, digits: int) -> np.ndarray:
    """Round in float64, so float32 outputs compare equal to decimal literals."""
    return np.round(out.data.astype(np.float64), digits)


def test_relu_readme_example():
    out = ReLU()(Tensor([-2.0, -1.0, 0.0, 1.0, 2.0]))

    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.data, [0.0, 0.0, 0.0, 1.0, 2.0])


def test_sigmoid_readme_example():
    out = Sigmoid()(Tensor([0.0, 1.0, -1.0]))

    assert out.dtype == np.float32
    np.testing.assert_array_equal(rounded(out, 2), [0.5, 0.73, 0.27])


def test_tanh_readme_example():
    out = Tanh()(Tensor([0.0, 1.0, -1.0]))

    assert out.dtype == np.float32
    np.testing.assert_array_equal(rounded(out, 2), [0.0, 0.76, -0.76])


def test_sigmoid_readme_batch_example():
    x = Tensor([[-2.0, -1.0, 0.0, 1.0, 2.0]])

    out = Sigmoid()(x)

    assert out.shape == (1, 5)
    assert out.dtype == np.float32
    expected = [[0.12, 0.27, 0.5, 0.73, 0.88]]
    np.testing.assert_array_equal(rounded(out, 2), expected)


def test_tanh_readme_batch_example():
    x = Tensor([[-2.0, -1.0, 0.0, 1.0, 2.0]])

    out = Tanh()(x)

    assert out.shape == (1, 5)
    assert out.dtype == np.float32
    expected = [[-0.96, -0.76, 0.0, 0.76, 0.96]]
    np.testing.assert_array_equal(rounded(out, 2), expected)


# --- every python block of the module README, executed ----------------------------

# A trailing comment that shows expected values: `# [0.5, 0.73]`, `# -> [0 1 2]`.
EXPECTED_COMMENT = re.compile(
    r"^#\s*(?:->|→|=>|output:|returns?:?)?\s*(\[.*\])\s*$", re.IGNORECASE
)
NUMBER = re.compile(r"[-+]?(?:inf|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)", re.I)


def read_readme_blocks() -> list[tuple[int, str]]:
    """Return (first line number, text) for every ```python block of the README."""
    if not README.exists():
        return []
    blocks = []
    lines = README.read_text(encoding="utf-8").splitlines()
    start = None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if start is None and re.fullmatch(r"```\s*(python|py|pycon)\b.*", stripped):
            start = number
        elif start is not None and stripped.startswith("```"):
            blocks.append((start + 1, "\n".join(lines[start : number - 1]) + "\n"))
            start = None
    return blocks


def is_doctest(text: str) -> bool:
    return any(line.lstrip().startswith(">>>") for line in text.splitlines())


def plain_code(text: str) -> str:
    """Turn a `>>>` session into code with each statement on its README line.

    Prompts and expected output are dropped, and so are examples that expect an
    exception, because doctest itself checks those.
    """
    if not is_doctest(text):
        return text
    lines = [""] * len(text.splitlines())
    for example in doctest.DocTestParser().get_examples(text):
        if example.exc_msg is not None:
            continue
        for offset, source_line in enumerate(example.source.splitlines()):
            lines[example.lineno + offset] = source_line
    return "\n".join(lines) + "\n"


def run_quietly(code: str, namespace: dict) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code, "<README>", "exec"), namespace)


def expected_comments(code: str) -> dict[int, str]:
    """Map line number (1-based, in `code`) to the bracketed text of its comment."""
    found = {}
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        row, column = token.start
        has_code_before = code.splitlines()[row - 1][:column].strip() != ""
        match = EXPECTED_COMMENT.match(token.string)
        if has_code_before and match:
            found[row] = match.group(1)
    return found


def evaluate_statement(statement: ast.stmt, namespace: dict):
    """Execute one top-level statement and return the value its comment describes."""
    is_print = (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Name)
        and statement.value.func.id == "print"
        and len(statement.value.args) == 1
    )
    if is_print:
        argument = ast.Expression(statement.value.args[0])
        value = eval(compile(argument, "<README>", "eval"), namespace)
        print(value)
        return value
    if isinstance(statement, ast.Expr):
        return eval(
            compile(ast.Expression(statement.value), "<README>", "eval"), namespace
        )
    if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value:
        if isinstance(statement, ast.Assign):
            target = statement.targets[-1]
        else:
            target = statement.target
        exec(compile(ast.Module([statement], []), "<README>", "exec"), namespace)
        return eval(ast.unparse(target), namespace)
    raise AssertionError(
        f"cannot check a `# [values]` comment on a {type(statement).__name__} "
        "statement. Put it on an expression, a print() or an assignment."
    )


def as_float_array(value) -> np.ndarray:
    data = value.data if isinstance(value, Tensor) else value
    return np.asarray(data, dtype=np.float64).ravel()


def check_shown_digits(got: np.ndarray, comment_text: str, where: str) -> None:
    """Check that `got` rounds to every number in `comment_text`, digit for digit."""
    tokens = NUMBER.findall(comment_text)
    assert got.size == len(tokens), (
        f"{where}: the comment shows {len(tokens)} values {comment_text}, "
        f"the code returned {got.size}: {got.tolist()}"
    )
    for index, (value, token) in enumerate(zip(got, tokens, strict=True)):
        expected = float(token)
        if np.isnan(expected) or np.isinf(expected):
            assert np.array_equal(value, expected, equal_nan=True), (
                f"{where}: value {index} should be {token}, got {value!r}"
            )
            continue
        # The last digit shown is at 10**exponent, so the value is good to half that.
        exponent = Decimal(token.lstrip("+")).as_tuple().exponent
        half_unit = 0.5 * 10.0**exponent
        assert abs(value - expected) <= half_unit * (1 + 1e-9), (
            f"{where}: value {index} should round to {token}, got {value!r}"
        )


README_BLOCKS = read_readme_blocks()


def test_readme_has_checked_examples():
    assert README.exists(), f"missing {README.relative_to(ROOT)}"
    checked = [text for _, text in README_BLOCKS if expected_comments(plain_code(text))]
    doctests = [text for _, text in README_BLOCKS if is_doctest(text)]
    assert checked or doctests, (
        "no ```python block of the README has a `>>>` session or a trailing "
        "`# [values]` comment, so no example is checked"
    )


@pytest.mark.parametrize(
    "block_index",
    range(len(README_BLOCKS)),
    ids=[f"readme_line{line}" for line, _ in README_BLOCKS],
)
def test_readme_python_example_runs(block_index):
    namespace: dict = {"__name__": "readme_example"}
    # Blocks are read top to bottom in one session, so earlier ones run first.
    for _, earlier in README_BLOCKS[:block_index]:
        run_quietly(plain_code(earlier), namespace)

    first_line, text = README_BLOCKS[block_index]
    code = plain_code(text)
    comments = expected_comments(code)
    statements = ast.parse(code).body
    last_lines = {statement.end_lineno for statement in statements}
    for line in comments:
        where = f"{README.relative_to(ROOT)}:{first_line + line - 1}"
        assert line in last_lines, (
            f"{where}: a `# [values]` comment must end a top-level statement"
        )

    with contextlib.redirect_stdout(io.StringIO()):
        for statement in statements:
            line = statement.end_lineno
            where = f"{README.relative_to(ROOT)}:{first_line + line - 1}"
            if line in comments:
                value = evaluate_statement(statement, namespace)
                check_shown_digits(as_float_array(value), comments[line], where)
            else:
                run_quietly(ast.unparse(statement), namespace)

    if is_doctest(text):
        check_doctest_output(text, first_line, block_index)


def check_doctest_output(text: str, first_line: int, block_index: int) -> None:
    """Run a `>>>` session with doctest, which compares the output it shows."""
    namespace: dict = {"__name__": "readme_example"}
    for _, earlier in README_BLOCKS[:block_index]:
        run_quietly(plain_code(earlier), namespace)
    name = f"{README.relative_to(ROOT)}:{first_line}"
    test = doctest.DocTestParser().get_doctest(
        text, namespace, name, str(README), first_line - 1
    )
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    runner = doctest.DocTestRunner(optionflags=flags)
    report = io.StringIO()

    result = runner.run(test, out=report.write, clear_globs=False)

    assert result.failed == 0, report.getvalue()


# --- numerical stability -----------------------------------------------------------

EXTREME = [-np.inf, -1000.0, -1.0, 0.0, 1.0, 1000.0, np.inf]
EXTREME_EXPECTED = {
    ReLU: [0.0, 0.0, 0.0, 0.0, 1.0, 1000.0, np.inf],
    Sigmoid: [0.0, 0.0, 0.2689414213699951, 0.5, 0.7310585786300049, 1.0, 1.0],
    Tanh: [-1.0, -1.0, -0.7615941559557649, 0.0, 0.7615941559557649, 1.0, 1.0],
}


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=FLOAT_IDS)
@pytest.mark.parametrize(
    "activation_class", [ReLU, Sigmoid, Tanh], ids=["relu", "sigmoid", "tanh"]
)
def test_elementwise_extreme_inputs_stable(activation_class, dtype):
    x = np.array(EXTREME, dtype=dtype)
    rtol, atol = TOLERANCES[dtype]

    out = apply(activation_class, x)

    assert out.dtype == dtype
    expected = np.array(EXTREME_EXPECTED[activation_class], dtype=np.float64)
    np.testing.assert_allclose(out.astype(np.float64), expected, rtol=rtol, atol=atol)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=FLOAT_IDS)
@pytest.mark.parametrize(
    "activation_class", [ReLU, Sigmoid, Tanh], ids=["relu", "sigmoid", "tanh"]
)
def test_elementwise_nan_propagates(activation_class, dtype):
    x = np.array([np.nan, 1.0, -1.0], dtype=dtype)

    out = apply(activation_class, x)

    assert np.isnan(out[0]), f"expected NaN for a NaN input, got {out[0]!r}"
    assert np.all(np.isfinite(out[1:])), f"expected finite values, got {out[1:]}"


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=FLOAT_IDS)
def test_softmax_large_logits_stable(dtype):
    x = np.array(
        [[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 1000.0], [-1000.0, -1000.0, -999.0]],
        dtype=dtype,
    )

    out = apply(Softmax, x)

    assert out.dtype == dtype
    assert np.all(np.isfinite(out)), f"expected finite values, got {out}"
    third = 1.0 / 3.0
    e = np.exp(1.0)
    expected = [
        [1.0, 0.0, 0.0],
        [third, third, third],
        [1 / (2 + e), 1 / (2 + e), e / (2 + e)],
    ]
    rtol, atol = TOLERANCES[dtype]
    np.testing.assert_allclose(out.astype(np.float64), expected, rtol=rtol, atol=atol)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=FLOAT_IDS)
def test_softmax_negative_infinity_gives_zero(dtype):
    x = np.array([[-np.inf, 0.0, 1.0], [2.0, -np.inf, -np.inf]], dtype=dtype)

    out = apply(Softmax, x)

    assert out[0, 0] == 0.0, f"expected exactly 0 for -inf, got {out[0, 0]!r}"
    assert out[1, 1] == 0.0, f"expected exactly 0 for -inf, got {out[1, 1]!r}"
    assert out[1, 2] == 0.0, f"expected exactly 0 for -inf, got {out[1, 2]!r}"
    assert out[1, 0] == 1.0, (
        f"expected exactly 1 for the only finite entry, got {out[1, 0]!r}"
    )
    rtol, atol = TOLERANCES[dtype]
    expected = softmax_reference(np.array([0.0, 1.0]))
    np.testing.assert_allclose(
        out[0, 1:].astype(np.float64), expected, rtol=rtol, atol=atol
    )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=FLOAT_IDS)
def test_softmax_all_negative_infinity_nan(dtype):
    x = np.array([[-np.inf, -np.inf, -np.inf], [0.0, 0.0, 0.0]], dtype=dtype)

    out = apply(Softmax, x)

    assert np.all(np.isnan(out[0])), f"expected NaN for an all -inf row, got {out[0]}"
    np.testing.assert_allclose(
        out[1].astype(np.float64), 1.0 / 3.0, rtol=TOLERANCES[dtype][0]
    )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=FLOAT_IDS)
def test_softmax_nan_poisons_its_slice(dtype):
    x = np.array([[np.nan, 0.0, 1.0], [0.0, 1.0, 2.0]], dtype=dtype)

    out = apply(Softmax, x)

    assert np.all(np.isnan(out[0])), f"expected NaN across the row, got {out[0]}"
    assert np.all(np.isfinite(out[1])), f"expected the other row finite, got {out[1]}"


@pytest.mark.parametrize(
    "x",
    [[np.inf, 0.0, 1.0], [np.inf, np.inf, 0.0], [np.inf, -np.inf, 0.0]],
    ids=["one_inf", "two_inf", "inf_and_minus_inf"],
)
def test_softmax_positive_infinity_gives_nan(x):
    # PyTorch also returns NaN across a slice that contains +inf. pytest turns any
    # RuntimeWarning from inf - inf into an error.
    out = apply(Softmax, np.array([x, [0.0, 1.0, 2.0]]))

    assert np.all(np.isnan(out[0])), f"expected NaN across the row, got {out[0]}"
    assert np.all(np.isfinite(out[1])), f"expected the other row finite, got {out[1]}"


# --- shapes ------------------------------------------------------------------------

SHAPES = [(), (5,), (3, 4), (2, 3, 4, 5)]
SHAPE_IDS = ["0d", "1d", "2d", "4d"]
EMPTY_SHAPES = [(0,), (0, 3), (2, 0), (2, 0, 3)]
EMPTY_IDS = ["0", "0x3", "2x0", "2x0x3"]


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_activation_preserves_shape(activation_class, shape):
    x = np.random.default_rng(5).normal(size=shape)

    out = apply(activation_class, x)

    assert out.shape == shape
    assert out.dtype == np.float64


@pytest.mark.parametrize("shape", EMPTY_SHAPES, ids=EMPTY_IDS)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=FLOAT_IDS)
@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_activation_empty_input_keeps_shape(activation_class, dtype, shape):
    x = np.zeros(shape, dtype=dtype)

    out = apply(activation_class, x)

    assert out.shape == shape
    assert out.dtype == dtype


@pytest.mark.parametrize("dim", [0, 1, -1], ids=["dim0", "dim1", "dim_last"])
def test_softmax_empty_input_any_dim(dim):
    x = np.zeros((2, 0), dtype=np.float32)

    out = Softmax(dim=dim)(Tensor(x))

    assert out.shape == (2, 0)
    assert out.dtype == np.float32


@pytest.mark.parametrize("dim", [0, -1], ids=["dim0", "dim_last"])
def test_softmax_scalar_input_is_one(dim):
    out = Softmax(dim=dim)(Tensor(np.array(3.5)))

    assert out.shape == ()
    assert out.data == 1.0


@pytest.mark.parametrize(
    "activation_class", [ReLU, Sigmoid, Tanh], ids=["relu", "sigmoid", "tanh"]
)
def test_elementwise_scalar_input_value(activation_class):
    out = apply(activation_class, np.array(0.75))

    assert out.shape == ()
    np.testing.assert_allclose(out, REFERENCES[activation_class](0.75), rtol=1e-12)


# --- ranges ------------------------------------------------------------------------


def test_sigmoid_output_strictly_inside_unit_interval():
    x = np.linspace(-30.0, 30.0, 601)

    out = apply(Sigmoid, x)

    assert np.all(out > 0.0), f"minimum was {out.min()!r}"
    assert np.all(out < 1.0), f"maximum was {out.max()!r}"


def test_sigmoid_output_within_closed_unit_interval():
    x = np.linspace(-2000.0, 2000.0, 4001)

    out = apply(Sigmoid, x)

    assert np.all(out >= 0.0), f"minimum was {out.min()!r}"
    assert np.all(out <= 1.0), f"maximum was {out.max()!r}"


def test_tanh_output_within_minus_one_one():
    x = np.linspace(-2000.0, 2000.0, 4001)

    out = apply(Tanh, x)

    assert np.all(out >= -1.0), f"minimum was {out.min()!r}"
    assert np.all(out <= 1.0), f"maximum was {out.max()!r}"


def test_tanh_output_strictly_inside_minus_one_one():
    # tanh(15) = 1 - 1.9e-13, still below 1 in float64.
    x = np.linspace(-15.0, 15.0, 301)

    out = apply(Tanh, x)

    assert np.all(np.abs(out) < 1.0), f"largest magnitude was {np.abs(out).max()!r}"


def test_relu_output_never_negative():
    x = np.random.default_rng(6).normal(scale=100.0, size=1000)

    out = apply(ReLU, x)

    assert np.all(out >= 0.0), f"minimum was {out.min()!r}"


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=FLOAT_IDS)
def test_softmax_rows_are_distributions(dtype):
    x = np.random.default_rng(7).normal(scale=5.0, size=(6, 10)).astype(dtype)

    out = apply(Softmax, x)

    assert np.all(out >= 0.0), f"minimum was {out.min()!r}"
    assert np.all(out <= 1.0), f"maximum was {out.max()!r}"
    eps = np.finfo(dtype).eps
    sums = out.astype(np.float64).sum(axis=-1)
    np.testing.assert_allclose(sums, 1.0, rtol=0, atol=16 * eps)


# --- dtype rules -------------------------------------------------------------------

INTEGER_DTYPES = [np.int8, np.int32, np.int64, np.uint8]
INTEGER_IDS = ["int8", "int32", "int64", "uint8"]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=FLOAT_IDS)
@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_activation_preserves_float_dtype(activation_class, dtype):
    x = np.array([[-1.5, 0.0, 2.5]], dtype=dtype)

    out = activation_class()(Tensor(x))

    assert out.dtype == dtype
    assert out.data.dtype == dtype


@pytest.mark.parametrize(
    "dtype", INTEGER_DTYPES + [np.bool_], ids=INTEGER_IDS + ["bool"]
)
@pytest.mark.parametrize(
    "activation_class", [Sigmoid, Tanh, Softmax], ids=["sigmoid", "tanh", "softmax"]
)
def test_activation_integer_input_gives_float32(activation_class, dtype):
    x = np.array([[0, 1, 1]], dtype=dtype)

    out = activation_class()(Tensor(x))

    assert out.dtype == np.float32
    expected = REFERENCES[activation_class](x.astype(np.float64))
    np.testing.assert_allclose(out.data, expected, rtol=4e-6, atol=1e-7)


@pytest.mark.parametrize("dtype", INTEGER_DTYPES, ids=INTEGER_IDS)
def test_relu_keeps_integer_dtype(dtype):
    info = np.iinfo(dtype)
    x = np.array([info.min, -1 if info.min < 0 else 0, 0, 1, info.max], dtype=dtype)

    out = ReLU()(Tensor(x))

    assert out.dtype == dtype
    expected = np.array([0, 0, 0, 1, info.max], dtype=dtype)
    np.testing.assert_array_equal(out.data, expected)


def test_relu_keeps_bool_dtype():
    x = np.array([True, False, True])

    out = ReLU()(Tensor(x))

    assert out.dtype == np.bool_
    np.testing.assert_array_equal(out.data, x)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=FLOAT_IDS)
def test_relu_negative_zero_becomes_positive(dtype):
    out = apply(ReLU, np.array([-0.0, 0.0], dtype=dtype))

    assert not np.any(np.signbit(out)), f"expected +0.0, got {out.tolist()}"


def test_tensor_of_python_ints_relu_int64():
    out = ReLU()(Tensor([-3, 0, 4]))

    assert out.dtype == np.int64
    np.testing.assert_array_equal(out.data, [0, 0, 4])


# --- inputs are never modified and outputs never alias them -----------------------


def views_of(base: np.ndarray) -> dict[str, np.ndarray]:
    return {
        "contiguous": base,
        "transpose": base.T,
        "step_slice": base[::2, ::3],
        "negative_step": base[::-1],
        "scalar": base[1, 2, ...],
    }


VIEW_NAMES = ["contiguous", "transpose", "step_slice", "negative_step", "scalar"]


@pytest.mark.parametrize("view", VIEW_NAMES)
@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_activation_leaves_input_unchanged(activation_class, view):
    base = np.random.default_rng(8).normal(size=(6, 9))
    before = base.copy()
    x = views_of(base)[view]

    activation_class()(Tensor(x))

    np.testing.assert_array_equal(base, before)


@pytest.mark.parametrize("view", VIEW_NAMES)
@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_activation_output_not_sharing_memory(activation_class, view):
    # All-positive input, so an identity-like ReLU shortcut would be caught too.
    base = np.random.default_rng(9).uniform(0.5, 2.0, size=(6, 9))
    x = views_of(base)[view]

    out = activation_class()(Tensor(x))

    assert out.data is not x
    assert not np.shares_memory(out.data, x)
    assert not np.shares_memory(out.data, base)


@pytest.mark.parametrize("view", VIEW_NAMES)
@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_activation_view_matches_contiguous_copy(activation_class, view):
    base = np.random.default_rng(10).normal(size=(6, 9))
    x = views_of(base)[view]

    out = apply(activation_class, x)

    expected = apply(activation_class, np.ascontiguousarray(x))
    assert out.shape == x.shape
    np.testing.assert_allclose(out, expected, rtol=1e-15, atol=0)


@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_activation_integer_output_not_aliased(activation_class):
    x = np.array([[1, 2, 3]], dtype=np.int64)

    out = activation_class()(Tensor(x))

    assert not np.shares_memory(out.data, x)


@pytest.mark.parametrize("activation_class", ACTIVATIONS, ids=ACTIVATION_IDS)
def test_activation_repeated_calls_independent(activation_class):
    activation = activation_class()
    x = np.random.default_rng(11).normal(size=(2, 3))

    first = activation(Tensor(x)).data.copy()
    activation(Tensor(x * 10.0))
    again = activation(Tensor(x)).data

    np.testing.assert_array_equal(again, first)


# --- working with Tensor operations ------------------------------------------------


def test_relu_weights_softmax_batch_pipeline():
    rng = np.random.default_rng(12)
    x = rng.normal(size=(8, 5))
    weights = rng.normal(size=(5, 4))
    scale = rng.uniform(0.5, 2.0, size=(1, 4))
    bias = rng.normal(size=(4,))

    hidden = ReLU()(Tensor(x) @ Tensor(weights))
    logits = hidden * Tensor(scale) + Tensor(bias)
    probabilities = Softmax(dim=-1)(logits)

    expected_logits = np.maximum(x @ weights, 0.0) * scale + bias
    expected = softmax_reference(expected_logits, axis=-1)
    assert probabilities.shape == (8, 4)
    np.testing.assert_allclose(probabilities.data, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(probabilities.data.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(
        probabilities.data.argmax(axis=1), expected_logits.argmax(axis=1)
    )


def test_sigmoid_tanh_identity_through_tensor_ops():
    # tanh(x) = 2 * sigmoid(2x) - 1, computed with Tensor arithmetic.
    x = Tensor(np.linspace(-4.0, 4.0, 17))

    doubled = x * Tensor(np.array(2.0))
    via_sigmoid = Sigmoid()(doubled) * Tensor(np.array(2.0)) - Tensor(np.array(1.0))
    direct = Tanh()(x)

    np.testing.assert_allclose(via_sigmoid.data, direct.data, rtol=0, atol=1e-14)


def test_softmax_output_feeds_division():
    x = Tensor(np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]))

    probabilities = Softmax()(x)
    ratio = probabilities / Tensor(np.array([[1.0], [2.0]]))

    np.testing.assert_allclose(ratio.data.sum(axis=1), [1.0, 0.5], rtol=0, atol=1e-12)

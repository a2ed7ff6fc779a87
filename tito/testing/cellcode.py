"""Parse and prepare the code cells that `tito test` runs from a module source.

Standard library only: tito parses cells to find the tests, and the
inline-test child process parses them again to run them.
"""

from __future__ import annotations

import ast

TEST_PREFIX = "test_"


def parse_cell(code: str, filename: str, first_line: int) -> ast.Module:
    """Parse a cell so that line numbers, in errors too, are lines of the source file.

    Raises SyntaxError with `filename` and the file line of the mistake.
    """
    padding = "\n" * max(first_line - 1, 0)
    return ast.parse(padding + comment_out_magics(code), filename=filename)


def comment_out_magics(code: str) -> str:
    """Replace IPython magics (`%matplotlib inline`) and shell escapes with `pass`.

    jupytext turns the commented magic `# %matplotlib inline` of a percent
    file back into a magic. Plain Python cannot run it, and a test run does
    not need it. The line count stays the same.
    """
    lines = code.split("\n")
    for number, line in enumerate(lines):
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            indent = line[: len(line) - len(stripped)]
            lines[number] = f"{indent}pass  # {stripped}"
    return "\n".join(lines)


def find_test_functions(tree: ast.Module) -> list[str]:
    """Return the names of the top-level `test_*` functions, in source order."""
    return [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith(TEST_PREFIX)
    ]


def remove_test_calls(tree: ast.Module) -> ast.Module:
    """Remove top-level calls such as `test_unit_relu()`, also under a top-level `if`.

    tito calls each test itself, once, and reports it by name.
    """
    tree.body = _without_test_calls(tree.body)
    for node in tree.body:
        if isinstance(node, ast.If):
            node.body = _without_test_calls(node.body) or [_pass_like(node)]
            node.orelse = _without_test_calls(node.orelse)
    return tree


def _without_test_calls(statements: list[ast.stmt]) -> list[ast.stmt]:
    return [node for node in statements if not _is_test_call(node)]


def _is_test_call(node: ast.stmt) -> bool:
    """Return True for a statement that only calls `test_something(...)`."""
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return False
    function = node.value.func
    return isinstance(function, ast.Name) and function.id.startswith(TEST_PREFIX)


def _pass_like(node: ast.stmt) -> ast.Pass:
    return ast.copy_location(ast.Pass(), node)

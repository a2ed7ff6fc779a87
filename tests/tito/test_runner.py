"""Tests of `tito test`: exit codes and output for passing, failing and broken modules.

Each test builds a one-module course in tmp_path from the fixture source
`fixtures/runner/<case>_dev.py` and, when there is one, the pytest file
`fixtures/runner/<case>_tests.py` (copied to `tests/test_<case>.py`).
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from tito.cli import main
from tito.project import Project
from tito.testing.cellcode import (
    comment_out_magics,
    find_test_functions,
    parse_cell,
    remove_test_calls,
)
from tito.testing.pytest_run import find_test_files
from tito.testing.stubs import stub_name

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures" / "runner"


@pytest.fixture
def course(mini_course: Path) -> Callable[..., Path]:
    """Add the fixture module `case` to the mini course; return its source path."""
    shutil.copy2(ROOT / "jupytext.toml", mini_course / "jupytext.toml")

    def add(case: str, number: int = 1, *, with_tests: bool = True) -> Path:
        folder = mini_course / "modules" / "source" / f"{number:02d}_{case}"
        folder.mkdir(parents=True)
        source = folder / f"{case}_dev.py"
        shutil.copy2(FIXTURES / f"{case}_dev.py", source)
        tests = FIXTURES / f"{case}_tests.py"
        if with_tests and tests.exists():
            (mini_course / "tests").mkdir(exist_ok=True)
            shutil.copy2(tests, mini_course / "tests" / f"test_{case}.py")
        return source

    return add


def run_tito(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    code = main(["test", *args])
    return code, capsys.readouterr().out


def last_line(output: str) -> str:
    return output.rstrip("\n").splitlines()[-1]


def test_passing_module_exits_zero(course, capsys):
    course("passing")

    code, out = run_tito(capsys, "--module", "01_passing")

    assert code == 0
    assert "📈 Progress: double ✓" in out
    assert out.count("🔬 Unit Test: double...") == 1  # the cell's own call is removed
    assert out.count("🔬 Unit Test: halve...") == 1
    assert "PASSED test_unit_double" in out
    assert "PASSED test_unit_halve" in out
    assert "inline tests: 2 passed, 0 failed" in out
    assert "pytest: 2 passed, 0 failed" in out
    assert last_line(out) == "4 passed, 0 failed"


def test_all_modules_add_up(course, capsys):
    course("passing", 1)
    course("failing", 2)

    code, out = run_tito(capsys, "--all")

    assert code == 1
    assert "01_passing: Passing" in out
    assert "02_failing: Failing" in out
    assert last_line(out) == "6 passed, 3 failed"


def test_failing_module_reports_each_failure(course, capsys):
    course("failing")

    code, out = run_tito(capsys, "failing")

    assert code == 1
    assert "PASSED test_unit_type" in out
    assert (
        "FAILED test_unit_double: AssertionError: double(2) should be 4, returned 5"
        in out
    )
    assert "modules/source/01_failing/failing_dev.py:23 in test_unit_double" in out
    assert "FAILED test_unit_error: TypeError: unsupported operand" in out
    assert "inline tests: 1 passed, 2 failed" in out
    assert "FAILED tests/test_failing.py::test_double_of_zero: AssertionError" in out
    assert "pytest: 1 passed, 1 failed" in out
    assert last_line(out) == "2 passed, 3 failed"


def test_module_without_tests_fails(course, capsys):
    course("no_tests")

    code, out = run_tito(capsys, "no_tests")

    assert code == 1
    assert (
        "no tests ran: no code cell of modules/source/01_no_tests/no_tests_dev.py "
        "defines a `test_*` function" in out
    )
    assert "no tests ran: pytest collected no tests from tests/test_no_tests.py" in out
    assert last_line(out) == "0 passed, 2 failed"


def test_module_without_pytest_file_fails(course, capsys):
    course("passing", with_tests=False)

    code, out = run_tito(capsys, "passing")

    assert code == 1
    assert "inline tests: 2 passed, 0 failed" in out
    assert (
        "no tests ran: no pytest file for passing (tests/test_passing.py or "
        "tests/test_passing_*.py)" in out
    )
    assert last_line(out) == "2 passed, 1 failed"


def test_hanging_tests_stop_at_timeout(course, capsys):
    course("hanging")
    started = time.monotonic()

    code, out = run_tito(capsys, "hanging", "--timeout", "1")

    assert code == 1
    assert "FAILED test_unit_spin: timed out after 1 s" in out
    assert "hanging_dev.py:12 in spin" in out
    assert "FAILED test_unit_ignores_alarm: timed out after 1 s" in out
    assert "inline tests: 0 passed, 2 failed, 1 did not run" in out
    assert "FAILED tests/test_hanging.py::test_sleeps: timed out after 1 s" in out
    assert "pytest: 1 passed, 1 failed" in out
    assert time.monotonic() - started < 20


def test_stuck_c_code_is_killed(course, capsys):
    course("stuck")

    code, out = run_tito(capsys, "stuck", "--timeout", "1")

    assert code == 1
    assert (
        "FAILED test_unit_total: timed out after 1 s, so tito stopped the test "
        "process" in out
    )


def test_exit_calls_count_as_failures(course, capsys):
    course("exiting")

    code, out = run_tito(capsys, "exiting")

    assert code == 1
    assert "FAILED test_unit_sys_exit: the test called sys.exit(0)" in out
    assert "PASSED test_unit_passes" in out
    assert "FAILED test_unit_os_exit: ended the test process (exit code 0)" in out
    assert "inline tests: 1 passed, 2 failed, 1 did not run" in out
    assert "test_exiting.py::test_sys_exit: the test called sys.exit(0)" in out
    assert "FAILED tests/test_exiting.py::test_os_exit: ended the test process" in out
    assert "pytest: 0 passed, 2 failed, 1 did not run" in out
    assert last_line(out) == "1 passed, 4 failed"


def test_syntax_error_in_test_cell_names_line(course, capsys):
    source = course("passing")
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("double(2) == 4,", "double(2) == 4 4,"), "utf-8")

    code, out = run_tito(capsys, "passing")

    assert code == 1
    assert "FAILED modules/source/01_passing/passing_dev.py:20: SyntaxError:" in out
    assert "assert double(2) == 4 4," in out
    assert "^" in out
    assert "inline tests: 0 passed, 1 failed" in out


def test_syntax_error_in_exported_cell_stops_module(course, capsys):
    source = course("passing")
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("return x / 2", "return x / 2)"), "utf-8")

    code, out = run_tito(capsys, "passing")

    assert code == 1
    assert "FAILED modules/source/01_passing/passing_dev.py:32: syntax error" in out
    assert "32 |     return x / 2)" in out
    assert "inline tests" not in out
    assert last_line(out) == "0 passed, 1 failed"


def test_import_error_names_file_and_line(course, capsys):
    course("import_error")

    code, out = run_tito(capsys, "import_error")

    assert code == 1
    assert (
        "FAILED modules/source/01_import_error/import_error_dev.py:10: "
        "ModuleNotFoundError: No module named 'tinytorch_missing_dependency'" in out
    )
    assert "Traceback" not in out


def test_stubs_reported_by_name(course, capsys):
    course("stubs")

    code, out = run_tito(capsys, "stubs")

    assert code == 1
    assert "FAILED test_unit_relu: ReLU.forward is not implemented yet" in out
    assert "FAILED test_unit_scale: Scale.backward is not implemented yet" in out
    assert "ReLU.forward is not implemented yet (4 tests)" in out
    assert "Scale.backward is not implemented yet (1 test)" in out
    assert "pytest: 1 passed, 5 failed" in out
    assert "Traceback" not in out
    assert "skipped" not in out
    assert (
        "FAILED test_unit_own_error: NotImplementedError: raised by the test itself"
        in out
    )


def test_stub_at_import_names_stub(course, capsys):
    course("stub_at_import")

    code, out = run_tito(capsys, "stub_at_import")

    assert code == 1
    assert (
        "FAILED tests/test_stub_at_import.py: Box.__init__ is not implemented yet\n"
        in out
    )
    assert "none of the file's tests ran" in out
    assert "FAILED test_unit_box: Box.__init__ is not implemented yet" in out
    assert "Traceback" not in out
    assert ": NotImplementedError" not in out


def test_stub_at_import_of_earlier_module_names_it(course, mini_course, capsys):
    course("stubs", 1)
    course("passing", 2)
    (mini_course / "tests" / "test_passing.py").write_text(
        "from tinytorch.core.stubs import ReLU\n\n"
        "VALUE = ReLU()(1)\n\n\n"
        "def test_value():\n    assert VALUE == 1\n",
        encoding="utf-8",
    )

    code, out = run_tito(capsys, "passing")

    assert code == 1
    assert (
        "FAILED tests/test_passing.py: ReLU.forward is not implemented yet "
        "(module 01_stubs: finish it first, then run `tito test --module stubs`)" in out
    )
    assert "Traceback" not in out


@pytest.mark.slow
def test_released_test_files_load_with_stubs(course_copy, tmp_path):
    destination = tmp_path / "student"
    assert main(["release", "--all", "--to", str(destination)]) == 0
    project = Project(destination)
    files = [
        project.relative(path)
        for module in project.modules
        for path in find_test_files(project, module)
    ]
    assert "tests/test_tensor.py" in files

    # `python -m pytest` puts the working directory first on sys.path, so the
    # tests import the released package with its stubs.
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q"]
        + ["-p", "no:cacheprovider", *files],
        cwd=destination,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert collected.returncode == 0, collected.stdout[-3000:]
    assert "error" not in last_line(collected.stdout)


def test_stale_package_exported_first(course, capsys):
    source = course("passing")
    assert main(["export", "passing"]) == 0
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("return 2 * x", "return 3 * x"), "utf-8")
    capsys.readouterr()

    code, out = run_tito(capsys, "passing")

    assert code == 1
    lines = out.splitlines()
    assert lines[1] == (
        "modules/source/01_passing/passing_dev.ipynb: notebook regenerated from the "
        "source"
    )
    assert lines[2] == (
        "exporting first: modules/source/01_passing/passing_dev.py changed since "
        "the last export"
    )
    assert "double(2) should be 4, returned 6" in out
    assert "FAILED tests/test_passing.py::test_double" in out
    package = source.parents[3] / "tinytorch" / "core" / "passing.py"
    assert "3 * x" in package.read_text(encoding="utf-8")


def test_notebook_edit_synced_and_named(course, capsys):
    source = course("passing")
    assert main(["export", "passing"]) == 0
    notebook_path = source.with_suffix(".ipynb")
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        cell.source = cell.source.replace("return 2 * x", "return 3 * x")
    nbformat.write(notebook, notebook_path)
    capsys.readouterr()

    code, out = run_tito(capsys, "passing")

    assert code == 1
    lines = out.splitlines()
    assert lines[1] == (
        "modules/source/01_passing/passing_dev.py: source updated from the notebook"
    )
    assert lines[2].startswith("exporting first: ")
    assert "return 3 * x" in source.read_text(encoding="utf-8")
    assert "double(2) should be 4, returned 6" in out


def test_many_pytest_failures_summarised(course, capsys):
    course("many_failures")

    code, out = run_tito(capsys, "many_failures")

    assert code == 1
    lines = out.splitlines()
    assert (
        "FAILED test_unit_clip: AssertionError: clip(20) should be 10, returned 20"
        in lines
    )
    assert (
        '        assert clip(20) == 10, f"clip(20) should be 10, returned {clip(20)}"'
        in lines
    )
    assert (
        "FAILED tests/test_many_failures.py::test_clip_high[11] and 14 more cases: "
        "AssertionError: clip(11) should be 10, returned 11" in lines
    )
    assert (
        "FAILED tests/test_many_failures.py::test_clip_close: AssertionError: "
        "Not equal to tolerance rtol=1e-07, atol=0" in lines
    )
    pytest_failures = [line for line in lines if line.startswith("FAILED tests/")]
    assert len(pytest_failures) == 10
    assert (
        "... and 3 more (run `python -m pytest tests/test_many_failures.py -x` for "
        "full tracebacks)" in lines
    )
    assert not any(line.lstrip().startswith("E ") for line in lines)
    assert "pytest: 1 passed, 38 failed" in lines
    assert lines[-2] == (
        "failed in 01_many_failures: test_unit_clip, test_clip_high (15 cases), "
        "test_clip_close, test_clip_numbered (12 cases), test_clip_a, test_clip_b, "
        "test_clip_c, test_clip_d and 6 more"
    )
    assert lines[-1] == "1 passed, 39 failed"


def test_verbose_keeps_tracebacks_without_hypothesis_advice(course, capsys):
    course("many_failures")

    code, out = run_tito(capsys, "many_failures", "--verbose")

    assert code == 1
    assert "FAILED tests/test_many_failures.py::test_clip_high[25]: Assert" in out
    assert "E   AssertionError: clip(11) returned 11" in out
    assert "Failing test case: test_clip_in_range(" in out
    assert "These lines were always and only run by failing test cases" not in out
    assert "Explanation:" not in out
    assert "@reproduce_failure" not in out
    assert last_line(out) == "1 passed, 39 failed"


def test_stub_of_earlier_module_names_it(course, capsys):
    course("stubs", 1)
    course("stub_user", 2)

    code, out = run_tito(capsys, "stub_user")

    assert code == 1
    earlier = "module 01_stubs: finish it first, then run `tito test --module stubs`"
    assert (
        f"FAILED test_unit_relu_twice: ReLU.forward is not implemented yet ({earlier})"
        in out
    )
    assert "FAILED test_unit_halve: halve is not implemented yet\n" in out
    assert f"ReLU.forward is not implemented yet (2 tests, {earlier})" in out
    assert "halve is not implemented yet (1 test)\n" in out
    assert "pytest: 0 passed, 3 failed" in out


def test_quiet_hides_output_and_passes(course, capsys):
    course("passing")

    code, out = run_tito(capsys, "passing", "--quiet")

    assert code == 0
    assert "🔬" not in out
    assert "PASSED" not in out
    assert last_line(out) == "4 passed, 0 failed"


def test_verbose_without_timeout_lists_tests(course, capsys):
    course("passing")

    code, out = run_tito(capsys, "passing", "--verbose", "--timeout", "0")

    assert code == 0
    assert "PASSED tests/test_passing.py::test_double" in out


@pytest.mark.parametrize("value", ["-1", "soon", "inf"])
def test_invalid_timeout_is_usage_error(course, capsys, value):
    course("passing")

    code = main(["test", "passing", "--timeout", value])

    assert code == 2
    assert "--timeout" in capsys.readouterr().err


@pytest.mark.parametrize(
    "environment",
    [{"PYTHONIOENCODING": "cp1252"}, {"LANG": "C", "LC_ALL": "C"}],
    ids=["cp1252", "lang-c"],
)
def test_unicode_output_in_narrow_encodings(course, mini_course, environment):
    course("unicode")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONIOENCODING"}
    env.update(environment)
    env.pop("TINYTORCH_ROOT", None)

    done = subprocess.run(
        [sys.executable, "-m", "tito", "test", "unicode"],
        cwd=mini_course,
        env=env,
        capture_output=True,
        timeout=120,
    )

    encoding = "cp1252" if "PYTHONIOENCODING" in environment else "utf-8"
    out = done.stdout.decode(encoding, errors="strict")
    err = done.stderr.decode(encoding, errors="replace")
    assert done.returncode == 1, out + err
    assert "Traceback" not in err
    assert "PASSED test_unit_sigma" in out
    assert "FAILED test_unit_sigma_fails: AssertionError:" in out
    assert "FAILED tests/test_unicode.py::test_sigma_fails" in out
    assert last_line(out) == "2 passed, 2 failed"


def test_remove_test_calls_keeps_other_statements():
    code = (
        "def test_unit_a():\n    pass\n\n"
        "test_unit_a()\n"
        "print('kept')\n"
        "if __name__ == '__main__':\n    test_unit_a()\n"
    )

    tree = remove_test_calls(parse_cell(code, "cell.py", 1))

    text = ast.unparse(tree)
    assert text.count("test_unit_a()") == 1  # the definition only
    assert "print('kept')" in text
    assert "if __name__ == '__main__':\n    pass" in text


def test_find_test_functions_in_source_order():
    code = "def test_b():\n    pass\ndef helper():\n    pass\ndef test_a():\n    pass"

    assert find_test_functions(parse_cell(code, "cell.py", 1)) == ["test_b", "test_a"]


def test_parse_cell_reports_file_lines():
    with pytest.raises(SyntaxError) as error:
        parse_cell("x = 1\ny = (\n", "source.py", 40)

    assert error.value.filename == "source.py"
    assert error.value.lineno == 41


def test_comment_out_magics_keeps_line_count():
    code = "%matplotlib inline\nx = 1\n    !ls\n"

    result = comment_out_magics(code)

    lines = result.splitlines()
    assert lines == ["pass  # %matplotlib inline", "x = 1", "    pass  # !ls"]


STUB_CODE = """\
class ReLU:
    def forward(self, x):
        raise NotImplementedError()
"""


def raise_from_stub(filename: str, *, skip: bool = False) -> BaseException:
    """Call a stub compiled as `filename` and return what it raised."""
    namespace: dict = {}
    exec(compile(STUB_CODE, filename, "exec"), namespace)
    try:
        try:
            namespace["ReLU"]().forward(1)
        except NotImplementedError:
            if not skip:
                raise
            raise RuntimeError("skipped because of the stub") from None
    except (NotImplementedError, RuntimeError) as exc:
        return exc
    raise AssertionError("the stub did not raise")


def test_stub_name_is_qualified_name():
    error = raise_from_stub("/course/tinytorch/core/act.py")

    name = stub_name(error, lambda filename, line: filename.endswith("act.py"))

    assert name == "ReLU.forward"


def test_stub_name_follows_context():
    error = raise_from_stub("/course/tinytorch/core/act.py", skip=True)

    name = stub_name(error, lambda filename, line: filename.endswith("act.py"))

    assert name == "ReLU.forward"


def test_stub_name_ignores_other_code():
    error = raise_from_stub("/elsewhere/numpy_like.py")

    assert stub_name(error, lambda filename, line: "tinytorch" in filename) is None

"""Tests of `tito export`: nbdev's selection, our checks, and safe writes."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from tito.cli import main
from tito.errors import TitoError
from tito.exporter import export_module, is_stale
from tito.project import find_project
from tito.textfiles import write_atomic

BASIC = """\
# %% [markdown]
# # Module 1: Demo
# > A demo module.

# %%
#| default_exp core.demo
import math

# %%
#| export
def double(x):
    "Return twice `x`."
    ### BEGIN SOLUTION
    return 2 * x
    ### END SOLUTION

# %%
def test_unit_double():
    assert double(2) == 4


test_unit_double()
"""


def export(name: str = "demo"):
    project = find_project()
    return export_module(project, project.module(name))


def exported_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "__all__":
            return ast.literal_eval(node.value)
    raise AssertionError(f"no __all__ in {path}")


def test_export_writes_exported_cells_only(write_module, mini_course):
    write_module("demo", BASIC)

    result = export()

    text = result.target.read_text(encoding="utf-8")
    assert result.target == mini_course / "tinytorch" / "core" / "demo.py"
    assert "def double(x):" in text
    assert "test_unit_double" not in text
    assert "import math" not in text


def test_export_strips_solution_markers(write_module):
    write_module("demo", BASIC)

    text = export().target.read_text(encoding="utf-8")

    assert "BEGIN SOLUTION" not in text
    assert "END SOLUTION" not in text
    assert "    return 2 * x\n" in text


def test_export_header_names_source_to_edit(write_module):
    write_module("demo", BASIC)

    text = export().target.read_text(encoding="utf-8")

    assert text.startswith('"""A demo module."""')
    assert "File to edit: ../../modules/source/01_demo/demo_dev.py" in text


def test_export_all_lists_public_names(write_module):
    write_module(
        "demo",
        """\
        # %%
        #| default_exp core.demo

        # %%
        #| export
        _SCALE = 2


        def double(x):
            return _SCALE * x


        def _helper():
            return None


        class Doubler:
            pass
        """,
    )

    assert exported_names(export().target) == ["double", "Doubler"]


def test_export_writes_package_init_with_version(write_module, mini_course):
    write_module("demo", BASIC)

    export()

    init = (mini_course / "tinytorch" / "__init__.py").read_text(encoding="utf-8")
    assert '__version__ = "0.1.0"' in init
    assert (mini_course / "tinytorch" / "core" / "__init__.py").exists()


def test_export_twice_is_byte_identical(write_module):
    write_module("demo", BASIC)
    first = export()
    before = first.target.read_bytes()

    second = export()

    assert first.changed
    assert not second.changed
    assert second.target.read_bytes() == before


def test_export_drops_deleted_cell(write_module):
    path = write_module(
        "demo", BASIC + "\n# %%\n#| export\ndef triple(x):\n    return 3 * x\n"
    )
    assert "def triple" in export().target.read_text(encoding="utf-8")

    path.write_text(BASIC, encoding="utf-8")

    text = export().target.read_text(encoding="utf-8")
    assert "def triple" not in text
    assert "triple" not in exported_names(export().target)


@pytest.mark.parametrize(
    "directive",
    ["#|export", "#| export", "# | export", "#|  export", "#| export   "],
    ids=["no-space", "one-space", "space-before-bar", "two-spaces", "trailing-space"],
)
def test_export_accepts_directive_spellings(write_module, directive):
    write_module(
        "demo",
        f"# %%\n#| default_exp core.demo\n\n# %%\n{directive}\ndef double(x):\n"
        "    return 2 * x\n",
        dedent=False,
    )

    assert exported_names(export().target) == ["double"]


def test_export_directive_below_comment(write_module):
    write_module(
        "demo",
        """\
        # %%
        #| default_exp core.demo

        # %%
        # The function students write first.
        #| export
        def double(x):
            return 2 * x
        """,
    )

    text = export().target.read_text(encoding="utf-8")

    assert "def double(x):" in text
    assert "# The function students write first." in text
    assert "#| export" not in text


def test_export_exporti_keeps_name_out_of_all(write_module):
    write_module(
        "demo",
        """\
        # %%
        #| default_exp core.demo

        # %%
        #| exporti
        def internal():
            return 1

        # %%
        #| exports
        def shown():
            return 2
        """,
    )

    target = export().target

    assert "def internal():" in target.read_text(encoding="utf-8")
    assert exported_names(target) == ["shown"]


def test_export_directive_after_code_is_error(write_module, capsys):
    write_module(
        "demo",
        """\
        # %%
        #| default_exp core.demo

        # %%
        x = 1
        #| export
        def double(x):
            return 2 * x
        """,
    )

    code = main(["export", "demo"])

    err = capsys.readouterr().err
    assert code == 1
    assert "modules/source/01_demo/demo_dev.py:6:" in err
    assert "comes after code" in err


def test_export_misspelled_directive_is_error(write_module, capsys):
    write_module("demo", "# %%\n#| default_exp core.demo\n\n# %%\n#| exprot\nx = 1\n")

    assert main(["export", "demo"]) == 1
    assert "did you mean `#| export`" in capsys.readouterr().err


def test_export_syntax_error_keeps_package_file(write_module, capsys):
    path = write_module("demo", BASIC)
    target = export().target
    before = target.read_bytes()
    path.write_text(BASIC.replace("return 2 * x", "return 2 * (x"), encoding="utf-8")

    code = main(["export", "demo"])

    err = capsys.readouterr().err
    assert code == 1
    assert "syntax error in exported cell" in err
    assert "modules/source/01_demo/demo_dev.py:" in err
    assert target.read_bytes() == before


def test_export_syntax_error_names_source_line(write_module):
    path = write_module("demo", BASIC.replace("return 2 * x", "return 2 *"))

    with pytest.raises(TitoError) as caught:
        export()

    assert caught.value.path == path
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[caught.value.line - 1].strip() == "return 2 *"


def test_export_without_default_exp_is_error(write_module):
    write_module("demo", "# %%\n#| export\ndef f():\n    return 1\n")

    with pytest.raises(TitoError, match="no `#\\| default_exp`"):
        export()


def test_export_two_default_exp_is_error(write_module):
    write_module(
        "demo",
        "# %%\n#| default_exp core.a\n\n# %%\n#| default_exp core.b\n\n"
        "# %%\n#| export\ndef f():\n    return 1\n",
    )

    with pytest.raises(TitoError, match="2 `#\\| default_exp` directives"):
        export()


@pytest.mark.parametrize(
    "name",
    [
        "../x",
        "/tmp/x",
        "core/../../x",
        "core..x",
        ".core",
        "core.",
        "core.1abc",
        "core.my-mod",
        "core.class",
        "core/x",
    ],
)
def test_export_rejects_target_outside_package(write_module, mini_course, name):
    write_module("demo", f"# %%\n#| default_exp {name}\n\n# %%\n#| export\nx = 1\n")

    with pytest.raises(TitoError, match="invalid `#\\| default_exp"):
        export()

    written = [p for p in mini_course.rglob("*.py") if "modules" not in p.parts]
    assert written == []


def test_export_magic_in_exported_cell_is_error(write_module):
    path = write_module(
        "demo",
        "# %%\n#| default_exp core.demo\n\n# %%\n#| export\n# %matplotlib inline\n"
        "import math\n",
    )

    with pytest.raises(TitoError, match="Jupyter magic `%matplotlib inline`") as caught:
        export()

    assert caught.value.path == path
    assert caught.value.line == 6


def test_export_cell_magic_elsewhere_is_fine(write_module):
    write_module(
        "demo",
        "# %%\n#| default_exp core.demo\n\n# %%\n# %%timeit\nsum(range(10))\n\n"
        "# %% [markdown]\n# %%timeit in prose\n\n# %%\n#| export\ndef f():\n"
        "    return 1\n",
    )

    assert exported_names(export().target) == ["f"]


def test_export_cell_marker_inside_string(write_module):
    write_module(
        "demo",
        '# %%\n#| default_exp core.demo\n\n# %%\n#| export\nTEMPLATE = """\n'
        '# %% not a cell\n"""\n',
        dedent=False,
    )

    assert '# %% not a cell\n"""' in export().target.read_text(encoding="utf-8")


def test_export_crlf_and_bom_match_lf(write_module, mini_course):
    path = write_module("demo", BASIC)
    expected = export().target.read_bytes()

    path.write_bytes(b"\xef\xbb\xbf" + BASIC.replace("\n", "\r\n").encode("utf-8"))
    (mini_course / "tinytorch" / "core" / "demo.py").unlink()

    assert export().target.read_bytes() == expected


def test_export_non_utf8_names_byte_offset(write_module, capsys):
    path = write_module("demo", BASIC)
    data = BASIC.encode("utf-8").replace(b"Return twice", b"Return tw\xe9ce")
    path.write_bytes(data)

    assert main(["export", "demo"]) == 1

    offset = data.index(b"\xe9")
    err = capsys.readouterr().err
    assert "modules/source/01_demo/demo_dev.py" in err
    assert f"byte offset {offset}" in err


def test_export_read_only_target_is_error(write_module, capsys):
    path = write_module("demo", BASIC)
    target = export().target
    target.chmod(0o444)
    path.write_text(BASIC.replace("2 * x", "x + x"), encoding="utf-8")

    assert main(["export", "demo"]) == 1

    assert "tinytorch/core/demo.py: file is read-only" in capsys.readouterr().err
    assert "2 * x" in target.read_text(encoding="utf-8")


def test_export_other_module_target_is_error(write_module):
    write_module(
        "demo", "# %%\n#| default_exp core.demo\n\n# %%\n#| export core.other\nx = 1\n"
    )

    with pytest.raises(TitoError, match="names a module of its own"):
        export()


def test_is_stale_follows_source_edits(write_module):
    path = write_module("demo", BASIC)
    project = find_project()
    module = project.module("demo")
    assert is_stale(project, module)

    export()
    assert not is_stale(project, module)

    path.write_text(BASIC.replace("2 * x", "x + x"), encoding="utf-8")
    assert is_stale(project, module)


def test_write_atomic_interrupted_keeps_old(tmp_path, monkeypatch):
    target = tmp_path / "module.py"
    target.write_text("old\n", encoding="utf-8")

    def interrupt(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new\n")

    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["module.py"]


def test_write_atomic_unchanged_keeps_mtime(tmp_path):
    target = tmp_path / "module.py"
    write_atomic(target, "same\n")
    os.utime(target, (1, 1))

    assert write_atomic(target, "same\n") is False
    assert target.stat().st_mtime == 1


def test_export_prints_source_and_target(write_module, capsys):
    write_module("demo", BASIC)

    assert main(["export", "--module", "demo"]) == 0

    out = capsys.readouterr().out
    assert "modules/source/01_demo/demo_dev.py → tinytorch/core/demo.py" in out


def test_export_unknown_module_lists_available(write_module, capsys):
    write_module("demo", BASIC)

    assert main(["export", "dmeo"]) == 2

    err = capsys.readouterr().err
    assert "unknown module 'dmeo' (did you mean demo?)" in err
    assert "available modules: 01_demo" in err


@pytest.mark.parametrize("name", ["demo", "01_demo", "01", "1"])
def test_export_accepts_module_spellings(write_module, name):
    write_module("demo", BASIC)

    assert main(["export", name]) == 0


def test_export_in_copy_matches_committed_package(course_copy, repo_root):
    assert main(["export", "--all"]) == 0

    for committed in sorted((repo_root / "tinytorch").rglob("*.py")):
        relative = committed.relative_to(repo_root)
        assert (course_copy / relative).read_bytes() == committed.read_bytes(), relative


def test_export_drops_no_solution_line(write_module):
    write_module(
        "demo",
        """\
        # %%
        #| default_exp core.demo

        # %%
        #| export
        # tito: no-solution
        def given(x):
            return x
        """,
    )

    text = export().target.read_text(encoding="utf-8")

    assert "def given(x):" in text
    assert "tito: no-solution" not in text


@pytest.mark.parametrize(
    "name",
    ["core.__init__", "__init__", "tinytorch.core.demo", "core"],
    ids=["subpackage-init", "package-init", "package-prefix", "shadowed-by-folder"],
)
def test_export_rejects_package_files(write_module, mini_course, name):
    (mini_course / "tinytorch" / "core").mkdir(parents=True)
    (mini_course / "tinytorch" / "core" / "other.py").write_text("x = 1\n")
    write_module("demo", f"# %%\n#| default_exp {name}\n\n# %%\n#| export\nx = 1\n")

    with pytest.raises(TitoError, match="invalid `#\\| default_exp"):
        export()

    assert not (mini_course / "tinytorch" / "core" / "__init__.py").exists()
    assert not (mini_course / "tinytorch" / "core.py").exists()


def test_export_rejects_other_module_target(write_module):
    write_module("demo", BASIC)
    export()
    write_module("copycat", BASIC.replace("Demo", "Copycat"), number=2)

    with pytest.raises(TitoError, match="01_demo/demo_dev.py exports to"):
        export("copycat")


def test_export_rejects_symlinked_target(write_module, mini_course, tmp_path):
    write_module("demo", BASIC)
    outside = tmp_path / "outside.py"
    outside.write_text("x = 1\n")
    (mini_course / "tinytorch" / "core").mkdir(parents=True)
    (mini_course / "tinytorch" / "core" / "demo.py").symlink_to(outside)

    with pytest.raises(TitoError, match="is a symbolic link"):
        export()

    assert outside.read_text() == "x = 1\n"


def test_export_target_folder_is_error(write_module, mini_course):
    write_module("demo", BASIC)
    (mini_course / "tinytorch" / "core" / "demo.py").mkdir(parents=True)

    with pytest.raises(TitoError, match="a folder is in the way"):
        export()


@pytest.mark.parametrize(
    "line", ["#| EXPORT", "##| export"], ids=["upper-case", "double-hash"]
)
def test_export_reports_ignored_directive(write_module, line):
    write_module(
        "demo", f"# %%\n#| default_exp core.demo\n\n# %%\n{line}\nx = 1\n", dedent=False
    )

    with pytest.raises(TitoError, match="#\\| export") as caught:
        export()

    assert caught.value.line == 5


@pytest.mark.parametrize(
    "body",
    ["return (x\n            % 2)", "return (x\n            != 2)"],
    ids=["modulo", "not-equal"],
)
def test_export_continuation_line_is_not_magic(write_module, body):
    write_module(
        "demo",
        f"# %%\n#| default_exp core.demo\n\n# %%\n#| export\ndef odd(x):\n    {body}\n",
        dedent=False,
    )

    assert exported_names(export().target) == ["odd"]


def test_export_non_utf8_after_bom_names_offset(write_module, capsys):
    path = write_module("demo", BASIC)
    data = b"\xef\xbb\xbf" + BASIC.encode("utf-8").replace(b"twice", b"tw\xe9ce")
    path.write_bytes(data)

    assert main(["export", "demo"]) == 1

    offset = data.index(b"\xe9")
    err = capsys.readouterr().err
    assert f"byte 0xe9 at byte offset {offset}" in err


@pytest.mark.parametrize(
    "version", ['0.1"; import os #', "banana"], ids=["injection", "not-a-version"]
)
def test_export_invalid_version_writes_nothing(write_module, mini_course, version):
    write_module("demo", BASIC)
    settings = mini_course / "settings.ini"
    settings.write_text(
        settings.read_text().replace("version = 0.1.0", f"version = {version}")
    )

    with pytest.raises(TitoError, match="invalid \\[course\\] version"):
        export()

    assert not (mini_course / "tinytorch").exists()


def test_settings_not_utf8_is_error(write_module, mini_course, capsys):
    write_module("demo", BASIC)
    settings = mini_course / "settings.ini"
    settings.write_bytes(settings.read_bytes().replace(b"TinyTorch", b"Tiny\xffTorch"))

    assert main(["export", "demo"]) == 1

    assert "settings.ini" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "module_file"),
    [("core.tensor.sub", "core/tensor.py"), ("core.tensor.sub", "core.py")],
    ids=["parent-module", "grandparent-module"],
)
def test_export_rejects_package_shadowing_module(
    write_module, mini_course, name, module_file
):
    shadowed = mini_course / "tinytorch" / module_file
    shadowed.parent.mkdir(parents=True, exist_ok=True)
    shadowed.write_text("class Tensor:\n    pass\n")
    write_module("demo", BASIC.replace("core.demo", name))

    with pytest.raises(TitoError, match="would hide it from imports") as caught:
        export()

    assert f"tinytorch/{module_file}" in str(caught.value)
    assert not (mini_course / "tinytorch" / "core" / "tensor").exists()
    assert shadowed.read_text() == "class Tensor:\n    pass\n"


def test_export_allows_nested_module_without_shadowing(write_module, mini_course):
    write_module("demo", BASIC.replace("core.demo", "core.nn.demo"))

    result = export()

    assert result.target == mini_course / "tinytorch" / "core" / "nn" / "demo.py"
    assert (mini_course / "tinytorch" / "core" / "nn" / "__init__.py").is_file()


def test_export_rejects_hand_written_target(write_module, mini_course):
    target = mini_course / "tinytorch" / "core" / "demo.py"
    target.parent.mkdir(parents=True)
    target.write_text('"""Written by hand."""\n\nVALUE = 1\n')
    write_module("demo", BASIC)

    with pytest.raises(TitoError, match="a file tito did not generate") as caught:
        export()

    assert "tinytorch/core/demo.py" in str(caught.value)
    assert "core.<name>" in caught.value.hint
    assert target.read_text() == '"""Written by hand."""\n\nVALUE = 1\n'


def test_export_rejects_file_that_only_mentions_header(write_module, mini_course):
    target = mini_course / "tinytorch" / "core" / "demo.py"
    target.parent.mkdir(parents=True)
    text = "# File to edit: modules/source/01_demo/demo_dev.py\nVALUE = 1\n"
    target.write_text(text)
    write_module("demo", BASIC)

    with pytest.raises(TitoError, match="a file tito did not generate"):
        export()

    assert target.read_text() == text

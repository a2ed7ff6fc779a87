"""Check that README links into the repository (GitHub, Colab, Binder) resolve here."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tito.project import Project
from tito.readme import HEADER_END, HEADER_START, render_readme

ROOT = Path(__file__).resolve().parents[1]
PROJECT = Project(ROOT)
MODULES = PROJECT.modules
USER, NAME, BRANCH = (
    PROJECT.setting("repository", key).strip() for key in ("user", "name", "branch")
)
MARKDOWN_LINK = re.compile(r"\]\((https?://[^)\s]+)\)")


def readmes() -> list[Path]:
    found = [ROOT / "README.md"] if (ROOT / "README.md").exists() else []
    return found + [module.readme for module in MODULES if module.readme.exists()]


def repository_path(url: str) -> tuple[str, str] | None:
    """Return (branch, path) for a link into this repository, else None."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if parts.netloc == "github.com":
        if segments[:2] == [USER, NAME] and segments[2:3] in (["blob"], ["tree"]):
            return segments[3], "/".join(segments[4:])
    elif parts.netloc == "colab.research.google.com":
        if segments[:4] == ["github", USER, NAME, "blob"]:
            return segments[4], "/".join(segments[5:])
    elif parts.netloc == "mybinder.org":
        if segments[:4] == ["v2", "gh", USER, NAME]:
            query = parse_qs(parts.query)
            target = (query.get("labpath") or query.get("filepath") or [""])[0]
            return segments[4], target
    return None


def repository_links() -> list[tuple[Path, str]]:
    return [
        (readme, url)
        for readme in readmes()
        for url in MARKDOWN_LINK.findall(readme.read_text(encoding="utf-8"))
        if repository_path(url) is not None
    ]


def test_every_module_has_a_readme():
    assert MODULES, "the course has no modules"
    missing = [module.dirname for module in MODULES if not module.readme.exists()]
    assert not missing, f"modules without README.md: {missing}"


@pytest.mark.parametrize("module", MODULES, ids=[module.name for module in MODULES])
def test_module_readme_has_current_links(module):
    text = module.readme.read_text(encoding="utf-8")

    assert HEADER_START in text, f"{module.readme} has no `{HEADER_START}` line"
    assert HEADER_END in text, f"{module.readme}: run `tito notebooks {module.name}`"
    assert render_readme(PROJECT, module, text) == text, (
        f"{module.readme}: header out of date; run `tito notebooks {module.name}`"
    )
    labels = ("Launch Binder", "Open in Colab", "View source")
    block = text[text.index(HEADER_START) : text.index(HEADER_END)]
    assert all(f"[{label}](" in block for label in labels)


@pytest.mark.parametrize(
    ("readme", "url"),
    repository_links(),
    ids=[f"{readme.parent.name}:{url}" for readme, url in repository_links()],
)
def test_repository_link_resolves(readme: Path, url: str):
    branch, path = repository_path(url)

    assert branch == BRANCH, f"{readme}: {url} points at branch {branch}, not {BRANCH}"
    assert path, f"{readme}: {url} names no file"
    assert (ROOT / path).exists(), f"{readme}: {url} names {path}, which does not exist"


def test_module_readmes_link_to_binder_colab_and_source():
    urls = {url for _, url in repository_links()}
    for module in MODULES:
        source = module.source.relative_to(ROOT).as_posix()
        notebook = module.notebook.relative_to(ROOT).as_posix()
        binder = f"https://mybinder.org/v2/gh/{USER}/{NAME}/{BRANCH}?labpath={source}"
        assert binder in urls
        colab = "https://colab.research.google.com/github"
        assert f"{colab}/{USER}/{NAME}/blob/{BRANCH}/{notebook}" in urls
        assert f"https://github.com/{USER}/{NAME}/blob/{BRANCH}/{source}" in urls

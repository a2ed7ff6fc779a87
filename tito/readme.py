"""The header that tito writes into each module README.

Between `HEADER_START` and `HEADER_END` every module README carries its Binder,
Colab and source links, built from settings.ini `[repository]`, and its Module
Info list, built from the module's module.toml. `tito notebooks` writes the
block and `tito notebooks --check` reports it when it is out of date.
"""

from __future__ import annotations

from tito.errors import TitoError
from tito.project import Module, Project, repository

HEADER_START = "<!-- tito:module-header -->"
HEADER_END = "<!-- tito:module-header:end -->"
_LEVELS = {1: "Beginner", 2: "Intermediate", 3: "Advanced"}


def module_links(project: Project, module: Module) -> dict[str, str]:
    """Return the Binder, Colab and source URLs of a module, by label."""
    user, name, branch = repository(project)
    source = project.relative(module.source)
    notebook = project.relative(module.notebook)
    github = f"https://github.com/{user}/{name}"
    return {
        "Launch Binder": f"https://mybinder.org/v2/gh/{user}/{name}/{branch}"
        f"?labpath={source}",
        "Open in Colab": f"https://colab.research.google.com/github/{user}/{name}"
        f"/blob/{branch}/{notebook}",
        "View source": f"{github}/blob/{branch}/{source}",
    }


def header_block(project: Project, module: Module) -> str:
    """Return the README header: the links, then the module info from module.toml."""
    icons = {"Launch Binder": "🚀", "Open in Colab": "📓", "View source": "👀"}
    links = " · ".join(
        f"{icons[label]} [{label}]({url})"
        for label, url in module_links(project, module).items()
    )
    info = "\n".join(module_info_lines(project, module))
    return f"{HEADER_START}\n{links}\n\n## 📊 Module Info\n{info}\n{HEADER_END}"


def module_info_lines(project: Project, module: Module) -> list[str]:
    """Return the Module Info bullet list, built from the module's module.toml."""
    meta = module.meta
    difficulty = int(meta.get("difficulty", 1))
    level = _LEVELS.get(difficulty, "")
    prerequisites = [
        _module_reference(project, module, name, must_exist=True)
        for name in meta.get("prerequisites", [])
    ]
    lines = [
        f"- **Difficulty**: {'⭐' * difficulty} {level}".rstrip(),
        f"- **Time Estimate**: {meta.get('time_estimate', 'not given')}",
        f"- **Prerequisites**: {', '.join(prerequisites) or 'none'}",
    ]
    if meta.get("next"):
        lines.append(
            f"- **Next Steps**: {_module_reference(project, module, meta['next'])}"
        )
    return lines


def _module_reference(
    project: Project, module: Module, name: str, *, must_exist: bool = False
) -> str:
    """Return a link to the module called `name`, or its name if it is not here.

    A prerequisite (`must_exist`) has to be another module of this course.
    """
    other = next((item for item in project.modules if item.name == name), None)
    if must_exist and (other is None or other == module):
        known = ", ".join(item.name for item in project.modules if item != module)
        raise TitoError(
            f"prerequisite {name!r} is not another module of this course",
            path=module.folder / "module.toml",
            hint=f"name modules from this list: {known or 'none'}",
        )
    if other is None:
        return f"{name.replace('_', ' ').title()} module (not in this repository yet)"
    return f"[{other.title} module](../{other.dirname}/README.md)"


def render_readme(project: Project, module: Module, text: str) -> str | None:
    """Return the README text with a current header block, or None without a marker.

    The block replaces everything from the start marker to the end marker; a
    README with only the start marker gets the block right after it.
    """
    start = text.find(HEADER_START)
    if start < 0:
        return None
    end = text.find(HEADER_END, start)
    if end < 0:
        end = start + len(HEADER_START)
    else:
        end += len(HEADER_END)
    return text[:start] + header_block(project, module) + text[end:]

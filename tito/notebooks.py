"""Keep each module's percent source and its paired notebook in step."""

from __future__ import annotations

from tito.project import Module, Project


def sync_module(project: Project, module: Module) -> None:
    """Bring the source and notebook of `module` in step, never losing edits."""
    # NOTE: pairing with the .ipynb is not handled yet; the .py is the only side.
    return None

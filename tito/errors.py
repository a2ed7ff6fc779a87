"""The exception type that tito reports to the user without a traceback."""

from __future__ import annotations

from pathlib import Path


class TitoError(Exception):
    """A failure the user can fix: what went wrong, where, and what to do.

    `path` and `line` locate the problem (both optional), `hint` names the
    command or edit that fixes it, and `exit_code` is 1 for a failed action
    and 2 for a usage error such as an unknown module name.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
        exit_code: int = 1,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.hint = hint
        self.exit_code = exit_code

    def location(self) -> str:
        """Return `path:line` (or just the path), or an empty string.

        A path inside the working directory is shown relative to it, as
        compilers and linters show file names.
        """
        if self.path is None:
            return ""
        try:
            display_path = (
                self.path.resolve().relative_to(Path.cwd().resolve()).as_posix()
            )
        except (ValueError, OSError):
            display_path = str(self.path)
        return f"{display_path}:{self.line}" if self.line else display_path

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message

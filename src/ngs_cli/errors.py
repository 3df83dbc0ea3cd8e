"""The errors ngs raises. Only the CLI turns them into messages and exit codes."""

from typing import NamedTuple


class NgsError(Exception):
    """Base of every error ngs reports to a user."""


class Problem(NamedTuple):
    """One thing wrong with a data file: where it is, what it is, and its line if known."""

    where: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        from .i18n import _

        at = _("line {n}: ").format(n=self.line) if self.line else ""
        return f"{at}{self.where}: {self.message}" if self.where else f"{at}{self.message}"


class BadValue(NgsError, ValueError):
    """A value the library cannot take: a date, a sort key, a citation style."""


class DataError(NgsError):
    """A data file that cannot be read, parsed or validated."""

    def __init__(self, path: str, summary: str, problems: list[Problem] | None = None):
        super().__init__(path, summary)
        self.path = path
        self.summary = summary
        self.problems = problems or []

    def __str__(self) -> str:
        lines = [f"{self.path}: {self.summary}"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class OutputError(NgsError):
    """A file (or stream) ngs was asked to write could not be written, or must not be."""

"""The errors ngs raises. Only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field


class NgsError(Exception):
    """Base of every error ngs reports to a user."""


@dataclass
class Problem:
    """One thing wrong with a data file: where it is and what it is."""

    where: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        at = f"line {self.line}: " if self.line else ""
        return f"{at}{self.where}: {self.message}" if self.where else f"{at}{self.message}"


@dataclass
class DataError(NgsError):
    """A data file that cannot be read, parsed or validated."""

    path: str
    summary: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"{self.path}: {self.summary}"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class OutputError(NgsError):
    """A file ngs was asked to write could not be written."""

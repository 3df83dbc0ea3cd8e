"""The errors ngs raises. Only the CLI turns them into messages and exit codes."""

from typing import NamedTuple


class NgsError(Exception):
    """Base of every error ngs reports to a user.

    Its message is a message id of the catalog, marked with ``N_`` where it is raised,
    and the values it names are keywords: ``BadValue(N_("cannot sort by {key}"),
    key="x")``. ``str()`` gives it in English, as a program that calls the library reads
    it; ``translated()`` in the user's language, as the command line shows it. A message
    translated where it is raised (``_()``) is shown as it is. ``tools/catalog.py
    --check`` fails on a message raised as plain text, which no catalog can translate.
    """

    def __init__(self, *args: object, **params: object) -> None:
        super().__init__(*args)
        self.params = params

    def __str__(self) -> str:
        text = super().__str__()
        return text.format(**self.params) if self.params else text

    def translated(self) -> str:
        """The message in the user's language."""
        if len(self.args) != 1 or not isinstance(self.args[0], str):
            return str(self)
        from .i18n import _

        text = _(self.args[0])
        return text.format(**self.params) if self.params else text


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

    option: str | None = None  # the command-line option that gave it, where one did


class DataError(NgsError):
    """A data file that cannot be read, parsed or validated."""

    def __init__(self, path: str, summary: str, problems: list[Problem] | None = None):
        super().__init__(path, summary)
        self.path = path
        self.summary = summary
        self.problems = problems or []

    def translated(self) -> str:
        return str(self)  # its summary and problems are translated where they are made

    def __str__(self) -> str:
        lines = [f"{self.path}: {self.summary}"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class OutputError(NgsError):
    """A file (or stream) ngs was asked to write could not be written, or must not be."""

"""The output formats: one table, from which every ``--format`` decision is derived.

Each format names its shape (what it writes), the file extensions that choose it, its
writer (``module:function`` in this package, imported only when used: a records writer
takes ``(stream, records, RecordOptions)``, a document writer ``(stream, Verslagen)``, a
database writer ``(connection, path)``, a workbook writer ``(labels, meetings, path)``
with the meetings whole), whether it is binary (then it needs ``--output`` and never
goes to a terminal), whether it takes the
filters of ``list``, and whether it follows the locale's encoding in a pipe. The
``--format`` choices of a command, the guess from an ``--output`` extension, its help and
the "needs --output" rule all come from here; ``cli.output.emit`` is the one dispatcher.
A new format is one entry here and one module beside this one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Collection, MeetingRecord
    from ..summary import Labels


# Plain classes, not NamedTuples: these are made on every command's start, and a
# NamedTuple class costs a quarter of a million instructions or more to create.
class Format:
    """One output format."""

    __slots__ = ("binary", "extensions", "fields", "filters", "help", "json", "locale", "name",
                 "shape", "writer")  # fmt: skip

    def __init__(
        self,
        name: str,
        # "view" (drawn or tab-separated rows), "records", "document", "database" (the
        # compiled dataset), "workbook" (the selected meetings, whole, into a file)
        shape: str,
        extensions: tuple[str, ...] = (),
        writer: str = "",  # "module:function" in this package
        *,
        binary: bool = False,  # bytes, not text: written to a file named with --output
        filters: bool = True,  # takes list's filters (a database is the whole dataset)
        locale: bool = False,  # in a pipe, follows the locale's encoding, not UTF-8
        json: bool = False,  # JSON text: escaped on a terminal as JSON escapes
        fields: bool = True,  # a records format that --fields chooses the fields of
        help: str = "",
    ):
        self.name, self.shape, self.extensions, self.writer = name, shape, extensions, writer
        self.binary, self.filters, self.locale, self.help = binary, filters, locale, help
        self.json, self.fields = json, fields


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("table", "view", locale=True, help="a table for the terminal"),
        Format("plain", "view", help="tab-separated rows"),
        Format("csv", "records", (".csv",), "csv:write_records", help="CSV"),
        Format("json", "records", (".json",), "json:write_records", json=True, help="JSON"),
        Format("ndjson", "records", (".ndjson", ".jsonl"), "json:write_lines", json=True,
               help="JSON Lines"),
        Format("atom", "records", (".atom",), "atom:write_records", fields=False,
               help="an Atom feed"),
        Format("markdown", "document", (".md", ".markdown"), "markdown:write_document",
               help="Markdown"),
        Format("text", "document", (".txt",), "text:write_document", help="text"),
        Format("html", "document", (".html", ".htm"), "html:write_document",
               help="a self-contained HTML page"),
        Format("sqlite", "database", (".db", ".sqlite", ".sqlite3"), "sqlite:write_sqlite",
               binary=True, filters=False, help="an SQLite database"),
        Format("xlsx", "workbook", (".xlsx",), "xlsx:write_workbook", binary=True,
               help="an Excel workbook"),
    )
}  # fmt: skip


def names(*shapes: str, exclude: Sequence[str] = ()) -> tuple[str, ...]:
    """The formats of these shapes, in the table's order."""
    return tuple(f.name for f in FORMATS.values() if f.shape in shapes and f.name not in exclude)


def from_extension(filename: str, offered: Sequence[str]) -> Format | None:
    """The format of ``offered`` that a file name's extension chooses, or None."""
    lowered = filename.lower()
    for name in offered:
        if any(lowered.endswith(ext) for ext in FORMATS[name].extensions):
            return FORMATS[name]
    return None


def extensions(offered: Sequence[str]) -> str:
    """The extensions of ``offered``, for a message: '.csv, .md, .markdown, ...'."""
    return ", ".join(ext for name in offered for ext in FORMATS[name].extensions)


def writer(name: str) -> Callable[..., Any]:
    """The writer function of a format, imported now."""
    import importlib

    module, function = FORMATS[name].writer.split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)  # type: ignore[no-any-return]


class RecordOptions:
    """How a records format writes: every record writer takes these and uses its own."""

    __slots__ = ("ascii_only", "collection", "columns", "excel", "indent", "single")

    def __init__(
        self,
        columns: Sequence[str] = (),  # csv: the columns, in order
        ascii_only: bool = False,  # json: escape what the stream's encoding cannot hold
        indent: bool = False,  # json: indented for reading (on a terminal)
        excel: bool = False,  # csv: for Excel
        single: bool = False,  # json: one record, as that object, not a list
        collection: Any = None,  # atom: the collection's own description (its title, ...)
    ):
        self.columns, self.ascii_only, self.indent = columns, ascii_only, indent
        self.excel, self.single, self.collection = excel, single, collection


class Verslagen:
    """What a document format writes: whole meetings (sections included) and the topic
    labels; with ``contents``, one document of the collection: its title, introduction
    and a table of contents of those meetings, then every verslag."""

    __slots__ = ("base_url", "collection", "contents", "labels", "meetings")

    def __init__(
        self,
        meetings: Iterable[MeetingRecord],
        labels: Labels,
        collection: Collection | None = None,
        contents: Sequence[MeetingRecord] | None = None,
        base_url: str | None = None,  # html: where the page is published
    ):
        self.meetings, self.labels = meetings, labels
        self.collection, self.contents, self.base_url = collection, contents, base_url

"""The output formats: one table, from which every ``--format`` decision is derived.

Each format names its shape (what it writes), the file extensions that choose it, its
writer, whether it is binary (then it needs ``--output`` and never goes to a terminal),
whether it takes the filters of ``list``, and whether it follows the locale's encoding in
a pipe. The ``--format`` choices of a command, the guess from an ``--output`` extension,
its help, and export's rules (``plan``) all come from here; ``write`` is the one call of
a writer (by ``cli.output.emit`` for what a view shows, by ``export`` and ``serve`` for a
binary file). JSON that the database assembled already (``View.encoded``) is written as
it comes, by ``json.write_encoded``.

Every writer has one signature, ``write(target, job)`` (``Writer``): the target is a
text stream, or for a binary format the path of the file to make, and the ``Job`` holds
what it writes. The table names each writer by a loader that imports its module only
when the format is used, and whose declared return type lets mypy check the writer
against ``Writer``. A new format is one module beside this one with its ``write``, one
loader and one entry in the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from ..errors import BadValue
from ..i18n import N_
from ..text import safe_url

if TYPE_CHECKING:
    from typing import Protocol, TypeVar

    from ..model import MeetingRecord
    from ..summary import Labels

    Target = TypeVar("Target", contravariant=True)

    class Writer(Protocol[Target]):
        """What every format's ``write`` is: the job written to the target."""

        def __call__(self, target: Target, job: Job, /) -> None: ...


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
        writer: Callable[[], Writer[Any]] | None = None,  # its loader (see the table)
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


# Each writer's loader: its module imported when the format is used, its ``write``
# checked by mypy against ``Writer`` for the target it takes.
def _csv() -> Writer[IO[str]]:
    from .csv import write

    return write


def _json() -> Writer[IO[str]]:
    from .json import write

    return write


def _ndjson() -> Writer[IO[str]]:
    from .json import write_lines

    return write_lines


def _atom() -> Writer[IO[str]]:
    from .atom import write

    return write


def _markdown() -> Writer[IO[str]]:
    from .markdown import write

    return write


def _text() -> Writer[IO[str]]:
    from .text import write

    return write


def _html() -> Writer[IO[str]]:
    from .html import write

    return write


def _sqlite() -> Writer[str]:
    from .sqlite import write

    return write


def _xlsx() -> Writer[str]:
    from .xlsx import write

    return write


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("table", "view", locale=True, help="a table for the terminal"),
        Format("plain", "view", help="tab-separated rows"),
        Format("csv", "records", (".csv",), _csv, help="CSV"),
        Format("json", "records", (".json",), _json, json=True, help="JSON"),
        Format("ndjson", "records", (".ndjson", ".jsonl"), _ndjson, json=True,
               help="JSON Lines"),
        Format("atom", "records", (".atom",), _atom, fields=False, help="an Atom feed"),
        Format("markdown", "document", (".md", ".markdown"), _markdown, help="Markdown"),
        Format("text", "document", (".txt",), _text, help="text"),
        Format("html", "document", (".html", ".htm"), _html,
               help="a self-contained HTML page"),
        Format("sqlite", "database", (".db", ".sqlite", ".sqlite3"), _sqlite, binary=True,
               filters=False, help="an SQLite database"),
        Format("xlsx", "workbook", (".xlsx",), _xlsx, binary=True,
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


def write(name: str, target: Any, job: Job) -> None:
    """Write ``job`` to ``target`` as the format ``name``: the one call of a writer."""
    load = FORMATS[name].writer
    assert load is not None, f"{name} is drawn, not written"
    load()(target, job)


def plan(
    fmt: str | None,
    offered: Sequence[str],
    output: str | None = None,
    *,
    output_is_file: bool = True,
    excel: bool = False,
    base_url: str | None = None,
    fields: bool = False,
    filtered: bool = False,
) -> Format:
    """The format ``export`` writes, by its rules: ``fmt``, else the one the ``output``
    file's extension names (a regular file with no known extension is refused), else
    CSV; and the options that go with it. A refusal is a ``BadValue`` that names its
    option (``error.option``)."""
    if fmt is None:
        guessed = from_extension(output, offered) if output else None
        if output and guessed is None and output_is_file:
            raise _refused(
                "--output",
                N_(
                    "{name} has no extension ngs knows ({extensions}); "
                    "add --format ({formats}) to choose one."
                ),
                name=repr(output),
                extensions=extensions(offered),
                formats="|".join(offered),
            )
        fmt = guessed.name if guessed else "csv"
    form = FORMATS[fmt]
    if excel and fmt != "csv":
        raise _refused("--excel", N_("--excel goes with --format csv."))
    if base_url is not None and (fmt not in ("html", "atom") or not safe_url(base_url)):
        raise _refused(
            "--base-url",
            N_("give the http(s) address of the published page, with --format html or atom."),
        )
    if fields and form.shape != "records":
        raise _refused("--fields", N_("--fields goes with csv, json and ndjson."))
    if filtered and not form.filters:
        raise _refused(
            "--format",
            N_("the {format} format exports the whole dataset; leave out the filters."),
            format=fmt,
        )
    return form


def _refused(option: str, message: str, **params: object) -> BadValue:
    error = BadValue(message, **params)
    error.option = option
    return error


class RecordOptions:
    """How a records format writes: every record writer takes these and uses its own."""

    __slots__ = ("ascii_only", "columns", "excel", "indent", "single")

    def __init__(
        self,
        columns: Sequence[str] = (),  # csv: the columns, in order
        ascii_only: bool = False,  # json: escape what the stream's encoding cannot hold
        indent: bool = False,  # json: indented for reading (on a terminal)
        excel: bool = False,  # csv: for Excel
        single: bool = False,  # json: one record, as that object, not a list
    ):
        self.columns, self.ascii_only, self.indent = columns, ascii_only, indent
        self.excel, self.single = excel, single


class Job:
    """What a writer writes, whatever its format.

    - ``records``: the records a records format writes (summaries or whole records),
      with ``options``;
    - ``meetings``: whole meetings (sections included), for a document or a workbook,
      with the topic ``labels``; with ``contents``, a document is the collection's one
      document: its title, introduction and a table of contents of those meetings,
      then every verslag;
    - ``collection``: the collection's own description (title, source, publisher, ...;
      for a feed also ``base_url`` and ``self_url``);
    - ``base_url``: where the HTML page is published;
    - ``language``: the language of the words a document adds to the data (text,
      Markdown, the workbook; the HTML page is Dutch);
      None: the interface's;
    - ``database``: the compiled dataset (an open ``sqlite3`` connection), for the
      database format.
    """

    __slots__ = ("base_url", "collection", "contents", "database", "labels", "language",
                 "meetings", "options", "records")  # fmt: skip

    def __init__(
        self,
        *,
        records: Iterable[Mapping[str, Any]] = (),
        options: RecordOptions | None = None,
        meetings: Iterable[MeetingRecord] = (),
        labels: Labels | None = None,
        collection: Mapping[str, Any] | None = None,
        contents: Sequence[MeetingRecord] | None = None,
        base_url: str | None = None,
        language: str | None = None,
        database: Any = None,
    ):
        self.records, self.options = records, options or RecordOptions()
        self.meetings, self.labels, self.contents = meetings, labels or {}, contents
        self.collection, self.base_url, self.language = collection, base_url, language
        self.database = database

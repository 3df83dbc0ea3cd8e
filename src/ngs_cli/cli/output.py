"""One way out: a command builds a ``View`` and ``emit`` writes it in the chosen format.

What each format is comes from the table in ``formats``: ``table`` (a terminal) and
``plain`` (tab-separated rows, the default in a pipe) are drawn here; ``csv``, ``json``
and ``ndjson`` are records their writer takes; ``text`` and ``markdown`` are documents
the view writes. Every byte of data that reaches a terminal passes ``text.printable``:
tables and drawn documents as they draw (``render``), all else through ``TerminalSafe``.
Long terminal views go through a pager (``pager``); ``files.open_output`` is the one way
to write a file the user named.
"""

import copy
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, Protocol

import typer

from ..formats import FORMATS, Format, Job, RecordOptions, write
from ..i18n import _
from ..text import one_line
from .env import Environment, TerminalSafe
from .pager import write_paged

# The fields that hold an id a user copies into the next command.
ID_FIELDS = ("id", "meeting")


class Column:
    """A column of a terminal table: its header, its cell of a record, and how it fits:
    a ``wide`` one wraps, a ``whole`` one (an id, which a user copies into the next
    command) is never broken, and when the screen is too narrow the columns with a
    ``drop`` are left out, lowest first."""

    __slots__ = ("cell", "drop", "header", "style", "whole", "wide")

    def __init__(
        self,
        header: str,
        cell: Callable[[dict[str, Any]], Any],
        *,
        wide: bool = False,
        whole: bool = False,
        style: str = "",
        drop: int = 0,
    ):
        self.header, self.cell, self.wide, self.whole = header, cell, wide, whole
        self.style, self.drop = style, drop


class View:
    """What a command shows: its records and how each format lays them out.

    ``records`` are what json, ndjson and ``--fields`` see. ``plain`` gives the default
    tab-separated row of a record (else the ``fields``) and ``columns`` the default csv
    columns; ``table`` the terminal table's columns (``terminal`` replaces the table for
    views that are not one, like search hits or the timeline). ``document`` writes the
    formats that are not records (text, markdown, a citation style): to a stream, given
    the environment when it is drawn for a terminal (width, colour) and None when it goes
    to a pipe or a file; on a terminal it is written through ``TerminalSafe``, but for
    the formats it ``draws`` (wraps and styles, escaping each piece of data itself, as a
    table does). ``single``: json writes a view of one record as that object, not a
    list. ``page``: long enough to want a pager on a terminal. ``encoded``, given the
    fields and whether compact, gives the records already as the JSON text json and
    ndjson write of them (assembled by the database), for a pipe or a file in UTF-8.
    ``collection`` gives the collection's description, for a feed.
    """

    __slots__ = ("collection", "columns", "document", "draws", "encoded", "fields", "page",
                 "plain", "records", "single", "table", "terminal")  # fmt: skip

    def __init__(
        self,
        records: Iterable[dict[str, Any]],
        fields: Sequence[str] = (),
        *,
        plain: Callable[[dict[str, Any]], Sequence[Any]] | None = None,
        columns: Sequence[str] = (),
        table: Sequence[Column] = (),
        terminal: Callable[[Any, list[dict[str, Any]]], None] | None = None,
        document: Callable[[Any, str, Environment | None], object] | None = None,
        draws: Sequence[str] = (),
        single: bool = False,
        page: bool = False,
        encoded: Callable[[Sequence[str], bool], Iterable[str]] | None = None,
        collection: Callable[[], Any] | None = None,
    ):
        self.records, self.fields, self.plain, self.columns = records, fields, plain, columns
        self.table, self.terminal, self.document, self.draws = table, terminal, document, draws
        self.single, self.page, self.encoded, self.collection = single, page, encoded, collection

    def replace(self, **changes: Any) -> "View":
        """The same view with these of its fields changed."""
        view = copy.copy(self)
        for name, value in changes.items():
            setattr(view, name, value)
        return view


def default_format(env: Environment, fmt: str | None) -> str:
    """The chosen format, else a table on a terminal and plain rows in a pipe (like gh)."""
    return fmt or ("table" if env.is_terminal else "plain")


def check_fields(env: Environment, wanted: str | None, known: Sequence[str]) -> list[str] | None:
    """``--fields a,b`` as a list of known field names; ``--fields help`` (or a quoted
    ``'?'``: a bare ? is a shell wildcard) lists them and exits.

    An unknown name is a usage error with the nearest field suggested.
    """
    if wanted is None:
        return None
    if wanted.strip() in ("?", "help"):
        env.stdout.write("\n".join(known) + "\n")
        raise typer.Exit(0)
    names = [n.strip() for n in wanted.split(",") if n.strip()]
    if not names:
        raise _bad(
            "--fields", _("name at least one field: {fields}").format(fields=", ".join(known))
        )
    from ..query import did_you_mean

    for name in names:
        if name not in known:
            near = did_you_mean(name, known, n=1)
            tip = " " + _("Did you mean {value}?").format(value=repr(near[0])) if near else ""
            raise _bad(
                "--fields",
                _("no field {name}.").format(name=repr(name))
                + tip
                + " "
                + _("The fields are: {fields}.").format(fields=", ".join(known)),
            )
    return list(dict.fromkeys(names))


def _bad(option: str, message: str) -> typer.BadParameter:
    return typer.BadParameter(message, param_hint=f"'{option}'")


class Writable(Protocol):
    """Where a view is written: a text file, or a stream that escapes or encodes for one."""

    def write(self, text: str, /) -> int: ...


class _Utf8:
    """Text written as UTF-8 to a binary stream (standard output's own bytes)."""

    def __init__(self, buffer: IO[bytes]):
        self.buffer = buffer

    def write(self, text: str) -> int:
        # Surrogates are the bytes of a file name that is not UTF-8: written back as such.
        return self.buffer.write(text.encode("utf-8", "surrogateescape"))

    def flush(self) -> None:
        self.buffer.flush()


class Sink:
    """Where a view goes, chosen before anything is written: a named file or stream as
    given; standard output's own bytes as UTF-8 (data in a pipe whose locale is not
    UTF-8); a terminal, through ``TerminalSafe`` but for what is drawn for it; and on a
    terminal, a buffer that is paged once written (``screen``)."""

    __slots__ = ("ascii_only", "out", "screen", "terminal")

    def __init__(self, env: Environment, view: View, form: Format, stream: Writable | None):
        self.terminal = stream is None and env.is_terminal
        self.screen: io.StringIO | None = None
        self.ascii_only = stream is None and not env.unicode
        out: Any = stream if stream is not None else env.stdout
        buffer = getattr(env.stdout, "buffer", None)
        piped = stream is None and not self.terminal
        if piped and not env.utf8 and not form.locale and buffer is not None:
            # Data is UTF-8 in a pipe as in a file, whatever the locale or PYTHONIOENCODING
            # say, plain rows too: they are what a script reads by default. Only a table,
            # drawn for reading, follows the locale, with \xeb for what it cannot hold.
            env.stdout.flush()
            out, self.ascii_only = _Utf8(buffer), False
        if self.terminal and (form.shape == "document" or (view.page and form.name != "table")):
            out = self.screen = io.StringIO()  # records and rows are paged as a table is
        if self.terminal and form.name != "table" and form.name not in view.draws:
            out = TerminalSafe(out, json=form.json)
        self.out = out

    def done(self, env: Environment, view: View) -> None:
        """Show what was written into the screen's buffer, through a pager if long."""
        if self.screen is not None:
            write_paged(env, self.screen.getvalue(), page=view.page)


def emit(
    env: Environment,
    view: View,
    fmt: str,
    fields: Sequence[str] | None = None,
    stream: Writable | None = None,
    *,
    excel: bool = False,
) -> int:
    """Write ``view`` as ``fmt`` to ``stream`` (default stdout); return the record count.

    The sink is chosen first (``Sink``), then the format writes to it: machine formats
    shown on a terminal are still shown, not obeyed; in a pipe whose encoding is not
    UTF-8, every data format is still written as UTF-8. For a document the count is 0.
    """
    form = FORMATS[fmt]
    sink = Sink(env, view, form, stream)
    count = 0
    if form.shape == "document":
        assert view.document is not None, f"no {fmt} document for this view"
        view.document(sink.out, fmt, env if sink.terminal else None)
    elif form.shape == "records":
        count = _write_records(view, form, sink, fields, excel)
    elif fmt == "plain":
        count = _write_plain(view, sink.out, fields)
    else:
        rows = list(view.records)
        count = len(rows)
        if rows:
            terminal_view(env, view, rows, fields, stream=stream)
    sink.done(env, view)
    return count


class _Counted:
    """The items of an iterable, counted as they are taken."""

    def __init__(self, items: Iterable[Any]):
        self.items, self.count = items, 0

    def __iter__(self) -> Iterator[Any]:
        for item in self.items:
            self.count += 1
            yield item


def _write_records(
    view: View, form: Format, sink: Sink, fields: Sequence[str] | None, excel: bool
) -> int:
    """A records format: the JSON the database assembled where it can, else the writer's."""
    if fields is not None and not form.fields:
        raise typer.BadParameter(
            _("--fields does not go with the {format} format.").format(format=form.name),
            param_hint="'--fields'",
        )
    columns = fields or view.columns or view.fields
    encoded = view.encoded if form.json and not sink.terminal else None
    if encoded is not None and not (sink.ascii_only or view.single):
        from ..formats.json import write_encoded

        texts = _Counted(encoded(columns, form.name == "ndjson"))
        write_encoded(sink.out, texts, lines=form.name == "ndjson")
        return texts.count
    records = _Counted(
        view.records if fields is None else ({f: r.get(f) for f in fields} for r in view.records)
    )
    options = RecordOptions(
        columns, ascii_only=sink.ascii_only, indent=sink.terminal, excel=excel, single=view.single
    )
    collection = view.collection() if view.collection is not None else None
    write(form.name, sink.out, Job(records=records, options=options, collection=collection))
    return records.count


def _write_plain(view: View, out: Writable, fields: Sequence[str] | None) -> int:
    """Tab-separated rows: the view's own, or the fields asked for."""
    from ..summary import plain_cell

    pick = view.plain if view.plain is not None and fields is None else None
    names = fields or view.fields
    count = 0
    for count, record in enumerate(view.records, 1):  # noqa: B007 (the count is the result)
        row = pick(record) if pick is not None else [record.get(f) for f in names]
        out.write("\t".join(one_line(plain_cell(v)) for v in row) + "\n")
    return count


def emit_text(env: Environment, text: str) -> None:
    """A short report (``validate``'s verdict, ``draft``'s YAML) on stdout, as a view."""
    emit(
        env,
        View(records=(), document=lambda out, fmt, terminal: out.write(text)),
        "text",
    )


class _Screen(io.StringIO):
    """What a view is drawn into: it tells Rich the terminal's encoding, so that a terminal
    that cannot show box-drawing characters gets ASCII rules instead of \u2500."""

    def __init__(self, encoding: str):
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding


def terminal_view(
    env: Environment,
    view: View,
    rows: list[dict[str, Any]],
    fields: Sequence[str] | None,
    stream: Writable | None = None,
) -> None:
    """Draw rows for a terminal; page it when it is taller than the screen."""
    from .. import render

    buffer = _Screen(env.encoding)
    out = render.console(buffer, env.width, env.colour)
    if view.terminal is not None and fields is None:
        view.terminal(out, rows)
    elif fields is not None:
        ids = [i for i, f in enumerate(fields) if f in ID_FIELDS]
        render.table(out, list(fields), [[r.get(f) for f in fields] for r in rows], whole=ids)
    else:
        cols = view.table
        render.table(
            out,
            [c.header for c in cols],
            [[c.cell(r) for c in cols] for r in rows],
            {i: c.style for i, c in enumerate(cols) if c.style},
            [i for i, c in enumerate(cols) if c.wide],
            [i for i, c in enumerate(cols) if c.whole],
            sorted((i for i, c in enumerate(cols) if c.drop), key=lambda i: cols[i].drop),
        )
    write_paged(env, buffer.getvalue(), page=view.page, stream=stream)

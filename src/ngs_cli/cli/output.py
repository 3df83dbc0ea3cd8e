"""One way out: a command builds a ``View`` and ``emit`` writes it in the chosen format.

What each format is comes from the table in ``formats``: ``table`` (a terminal) and
``plain`` (tab-separated rows, the default in a pipe) are drawn here; ``csv``, ``json``
and ``ndjson`` are records their writer takes; ``text`` and ``markdown`` are documents
the view writes. Every byte of data that reaches a terminal passes ``text.printable``:
tables and drawn documents as they draw (``render``), all else through ``TerminalSafe``.
Long terminal views go through a pager (``pager``); ``files.open_output`` is the one way
to write a file the user named.
"""

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, NamedTuple, Protocol

import typer

from ..formats import FORMATS, RecordOptions, writer
from ..i18n import _
from ..text import one_line
from .env import Environment, TerminalSafe
from .pager import write_paged

# The fields that hold an id a user copies into the next command.
ID_FIELDS = ("id", "meeting")


class View(NamedTuple):
    """What a command shows: its records and how each format lays them out.

    ``records`` are what json, ndjson and ``--fields`` see. ``plain`` gives the default
    tab-separated row of a record (else the ``fields``) and ``columns`` the default csv
    columns; ``headers`` and ``table_row`` the terminal table (``terminal`` replaces the
    table for views that are not one, like search hits or the timeline); of its columns,
    ``wide`` ones wrap, ``whole`` ones (ids) are never broken, and ``drop`` ones are left
    out first when the screen is too narrow. ``document``
    writes the formats that are not records (text, markdown, a citation style): to a
    stream, given the environment when it is drawn for a terminal (width, colour) and
    None when it goes to a pipe or a file; on a terminal it is written through
    ``TerminalSafe``, but for the formats it ``draws`` (wraps and styles, escaping each
    piece of data itself, as a table does). ``single``: json writes a view of one record
    as that object, not a list. ``encoded``, given the fields and whether compact, gives
    the records already as the JSON text json and ndjson write of them (assembled by
    the database), for a pipe or a file in UTF-8.
    """

    records: Iterable[dict[str, Any]]
    fields: Sequence[str]
    plain: Callable[[dict[str, Any]], Sequence[Any]] | None = None
    columns: Sequence[str] = ()
    headers: Sequence[str] = ()
    table_row: Callable[[dict[str, Any]], Sequence[Any]] | None = None
    wide: Sequence[int] = ()
    styles: dict[int, str] = {}  # noqa: RUF012 (never changed)
    whole: Sequence[int] = ()  # the table's id columns, never broken
    drop: Sequence[int] = ()  # columns left out, in this order, when the screen is narrow
    terminal: Callable[[Any, list[dict[str, Any]]], None] | None = None
    document: Callable[[Any, str, Environment | None], object] | None = None
    draws: Sequence[str] = ()
    single: bool = False
    page: bool = False  # long enough to want a pager on a terminal
    encoded: Callable[[Sequence[str], bool], Iterable[str]] | None = None
    collection: Callable[[], Any] | None = None  # the collection's description, for a feed


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

    On a terminal, everything but what is drawn for it (the table, the documents a view
    ``draws``), which escapes as it draws, passes ``TerminalSafe``: machine formats shown
    there are still shown, not obeyed. In a pipe whose encoding is not UTF-8, every data
    format (CSV, JSON, JSON Lines, documents) is still written as UTF-8, to stdout's bytes.
    For a document the count is 0.
    """
    from ..summary import plain_cell

    form = FORMATS[fmt]
    terminal = stream is None and env.is_terminal
    if stream is None and not terminal and not env.utf8 and not form.locale:
        # Data is UTF-8 in a pipe as in a file, whatever the locale or PYTHONIOENCODING
        # say, plain rows too: they are what a script reads by default. Only a table,
        # drawn for reading, follows the locale, with \xeb for what it cannot hold.
        buffer = getattr(env.stdout, "buffer", None)
        if buffer is not None:
            env.stdout.flush()
            return emit(env, view, fmt, fields, _Utf8(buffer), excel=excel)
    out: Any = stream if stream is not None else env.stdout
    screen = None
    if terminal and view.page and form.shape != "document" and fmt != "table":
        # Records and rows shown on a terminal are paged as the table is.
        out = screen = io.StringIO()
    if terminal and fmt != "table":
        out = TerminalSafe(out, json=form.json)
    if form.shape == "document":
        assert view.document is not None, f"no {fmt} document for this view"
        if terminal:
            buffer = io.StringIO()
            view.document(buffer if fmt in view.draws else TerminalSafe(buffer), fmt, env)
            write_paged(env, buffer.getvalue(), page=view.page)
        else:
            view.document(out, fmt, None)
        return 0
    ascii_only = not env.unicode and stream is None
    records: Iterable[dict[str, Any]] = view.records
    if fields is not None and not form.fields:
        raise typer.BadParameter(
            _("--fields does not go with the {format} format.").format(format=fmt),
            param_hint="'--fields'",
        )
    if fields is not None:
        records = ({f: r.get(f) for f in fields} for r in view.records)
    count = 0

    def counted(items: Iterable[Any]) -> Iterator[Any]:
        nonlocal count
        for item in items:
            count += 1
            yield item

    encoded = view.encoded if fmt in ("json", "ndjson") and not terminal else None
    if encoded is not None and not (ascii_only or view.single):
        from ..formats.json import write_encoded

        texts = encoded(fields or view.columns or view.fields, fmt == "ndjson")
        write_encoded(out, counted(texts), lines=fmt == "ndjson")
        return count
    if form.shape == "records":
        options = RecordOptions(
            columns=fields or view.columns or view.fields,
            ascii_only=ascii_only,
            indent=terminal,
            excel=excel,
            single=view.single,
            collection=view.collection() if view.collection is not None else None,
        )
        writer(fmt)(out, counted(records), options)
    elif fmt == "plain":
        pick = view.plain if view.plain is not None and fields is None else None
        names = fields or view.fields
        for record in counted(view.records):
            row = pick(record) if pick is not None else [record.get(f) for f in names]
            out.write("\t".join(one_line(plain_cell(v)) for v in row) + "\n")
    else:
        rows = list(counted(view.records))
        if rows:
            terminal_view(env, view, rows, fields, stream=stream)
    if screen is not None:
        write_paged(env, screen.getvalue(), page=True)
    return count


def emit_text(env: Environment, text: str) -> None:
    """A short report (``validate``'s verdict, ``draft``'s YAML) on stdout, as a view."""
    emit(
        env,
        View(records=(), fields=(), document=lambda out, fmt, terminal: out.write(text)),
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
        assert view.table_row is not None
        table_rows = [view.table_row(r) for r in rows]
        render.table(out, view.headers, table_rows, view.styles, view.wide, view.whole, view.drop)
    write_paged(env, buffer.getvalue(), page=view.page, stream=stream)

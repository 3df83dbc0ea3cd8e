"""Commands about meetings: list, show, export, search."""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import formats, i18n, query
from .. import summary as shown
from ..errors import BadValue
from ..i18n import N_, _
from ..progress import tracked
from ..text import printable
from .files import open_output
from .options import (
    DEFAULT_DATA,
    NO_FILTERS,
    Ctx,
    DataChoice,
    FieldsOpt,
    LimitOpt,
    ListFormatOpt,
    NoPagerOpt,
    RefArg,
    choice,
    explain_no_match,
    format_option,
    with_data,
    with_filters,
)
from .output import View, check_fields, default_format, emit
from .registry import command
from .views import SUMMARY_FIELDS, meetings_view, resolve_one, summaries

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..model import MeetingRecord
    from .env import Environment

CITATION_STYLES = ("apa", "bibtex", "csl-json", "ris")  # as cite.STYLES, without importing cite
# The formats each kind of command offers, from the table in ``formats``.
# A page (html) is of the collection, as export writes it.
SHOW_FORMATS = formats.names("document", "records", exclude=("csv", "html"))
TEXT_FIELD = "text"
URL_FIELD = "url"
EXPORT_FORMATS = formats.names("records", "document", "database", "workbook")


@command(
    "list",
    help=N_("List meetings, newest first: date, city, title, themes."),
    epilog=N_("""Examples:

  ngs list --theme ondermijning

  ngs list --city Utrecht --city Amsterdam --since 2012

  ngs list --fields id,date,city --format csv

  ngs list --format ndjson | jq -r .id"""),
)
@with_filters
@with_data
def list_(
    ctx: typer.Context,
    filters: query.Filters = NO_FILTERS,
    limit: LimitOpt = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            metavar="[date|city|title]",
            callback=choice("sort", query.SORT_KEYS),
            autocompletion=lambda: list(query.SORT_KEYS),
            help=N_("Order by date (newest first), city or title."),
        ),
    ] = "date",
    reverse: Annotated[
        bool, typer.Option("--reverse", "-r", help=N_("Reverse the order."))
    ] = False,
    fields: FieldsOpt = None,
    fmt: ListFormatOpt = None,
    no_pager: NoPagerOpt = False,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    c = Ctx(ctx, data)
    chosen = check_fields(c.env, fields, SUMMARY_FIELDS)
    f = filters
    found = query.iter_meetings(
        c.store, f, sort=sort, reverse=reverse, limit=limit, only=shown.SUMMARY_SOURCES
    )
    records = summaries(found)

    def encoded(names: "Sequence[str]", compact: bool) -> Iterable[str]:
        return query.iter_summary_json(
            c.store, f, names, compact=compact, sort=sort, reverse=reverse, limit=limit
        )

    view = meetings_view(c.env, records, encoded, c.store.collection).replace(page=not no_pager)
    count = emit(c.env, view, default_format(c.env, fmt), chosen)
    if not count and limit != 0:
        explain_no_match(c, f)


@command(
    "show",
    help=N_("Show one full verslag: its facts, its people, then the verslag as written."),
    epilog=N_("""Examples:

  ngs show 2023

  ngs show leeuwarden

  ngs show 2015 --all

  ngs show 2023 | grep -i kloof

  ngs show 2014-rotterdam --format markdown > rotterdam.md"""),
)
@with_data
def show(
    ctx: typer.Context,
    ref: RefArg,
    all_: Annotated[
        bool,
        typer.Option("--all", "-a", help=N_("When REF matches several meetings, show them all.")),
    ] = False,
    fmt: Annotated[str, format_option(SHOW_FORMATS, N_("Output format."))] = "text",
    no_pager: NoPagerOpt = False,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    c = Ctx(ctx, data)
    found = resolve_one(c, ref, all_)
    meetings = list(query.iter_full_meetings(c.store, found))
    view = View(
        records=(query.full_record(c.store, m) for m in meetings),
        fields=c.store.meeting_fields(),
        document=verslagen(c, lambda: meetings),
        draws=("text",),
        single=not all_,  # with --all, always a list, however many match
        page=not no_pager,
    )
    emit(c.env, view, fmt)


def verslagen(
    c: Ctx,
    full: "Callable[[], Iterable[MeetingRecord]]",
    contents: "list[MeetingRecord] | None" = None,
    base_url: str | None = None,
) -> "Callable[[Any, str, Environment | None], None]":
    """The document of full verslagen (``full`` yields them, sections included): text,
    wrapped and styled when drawn for a terminal, or Markdown. Given the ``contents``,
    the Markdown is one document: the collection's title, introduction and a table of
    contents, then every verslag."""

    def write(out: Any, fmt: str, terminal: "Environment | None") -> None:
        labels = query.topic_labels(c.store)
        if fmt == "text" and terminal is not None:
            from ..render import show_meeting

            for n, meeting in enumerate(full()):
                if n:
                    out.write("\n")
                show_meeting(out, meeting, labels, terminal.width, terminal.colour)
            return
        collection = c.store.collection() if contents is not None else None
        job = formats.Job(
            meetings=full(), labels=labels, collection=collection, contents=contents,
            base_url=base_url, language=i18n.language(),
        )  # fmt: skip
        formats.write(fmt, out, job)

    return write


def _is_a_file(path: Path) -> bool:
    """Whether ``--output`` names a regular file, or none yet (not a directory, a FIFO
    or a device, which are written as they are, or refused, by ``open_output``)."""
    import os
    import stat

    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


@command(
    "export",
    help=N_(
        "Export the collection, or what the filters select, as CSV, Markdown, JSON, text, an\n"
        "HTML page, an Excel workbook or an SQLite database."
    ),
    epilog=N_("""Examples:

  ngs export --format csv --excel --output verslagen.csv

  ngs export --output verslagen.md

  ngs export --format json --theme radicalisering | jq length

  ngs export --format ndjson | jq -c '{id, city}'

  ngs export --format sqlite --output verslagen.db"""),
)
@with_filters
@with_data
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str | None,
        format_option(
            EXPORT_FORMATS,
            N_("Output format. Default: from the --output file's extension, else csv."),
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=N_("Write to FILE (replaced only when the export succeeds); '-' is stdout."),
        ),
    ] = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel",
            help=N_("CSV for Excel: byte order mark, ';' as delimiter, formulas neutralised."),
        ),
    ] = False,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help=N_(
                "Where the HTML page is published: its verslagen's links made absolute "
                "(html), and the feed's entries linked to them (atom)."
            ),
        ),
    ] = None,
    fields: FieldsOpt = None,
    filters: query.Filters = NO_FILTERS,
    no_pager: NoPagerOpt = False,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    c = Ctx(ctx, data)
    named = output is not None and str(output) != "-"
    form = _plan(fmt, output if named else None, excel, base_url, fields, filters)
    whole = form.name in ("json", "ndjson")  # the full records; csv has the summaries
    known = c.store.meeting_fields() if whole else SUMMARY_FIELDS
    # The whole verslag as plain text, and in the whole records the link to the verslag
    # on the source page: fields only --fields asks for, never a default.
    chosen = check_fields(c.env, fields, (*known, TEXT_FIELD, *((URL_FIELD,) if whole else ())))
    protect = c.data_files()
    if form.shape == "database":
        with open_output(c.env, output, protect=protect, binary=True) as target:
            formats.write(form.name, target, formats.Job(database=c.store.conn))
        return
    meetings = query.find_meetings(c.store, filters)
    # Progress as the writer takes each meeting; not while they are written to this very
    # terminal, where the display would run through the data.
    with c.showing(named or not c.env.is_terminal) as progress:
        exporting = _("Exporting meetings")
        each = lambda: tracked(  # noqa: E731
            progress, query.iter_full_meetings(c.store, meetings), exporting, len(meetings)
        )
        if form.shape == "workbook":
            with open_output(c.env, output, protect=protect, binary=True) as target:
                labels = query.topic_labels(c.store)
                job = formats.Job(meetings=each(), labels=labels, language=i18n.language())
                formats.write(form.name, target, job)
        else:
            selected = lambda: tracked(progress, meetings, exporting, len(meetings))  # noqa: E731
            records = _export_records(c, each, selected, chosen, whole)
            view = _export_view(
                c, records, known, each, meetings, base_url, output if named else None
            )
            json, newline = form.json, "" if form.name == "csv" else None
            with open_output(c.env, output, protect=protect, newline=newline, json=json) as out:
                to = None if out is c.env.stdout else out
                emit(c.env, view.replace(page=not no_pager), form.name, chosen, to, excel=excel)
    if not meetings:
        explain_no_match(c, filters)


def _plan(
    fmt: str | None,
    output: Path | None,
    excel: bool,
    base_url: str | None,
    fields: str | None,
    filters: query.Filters,
) -> formats.Format:
    """The format export writes (``formats.plan``); a refusal is a usage error of the
    option it names."""
    try:
        return formats.plan(
            fmt,
            EXPORT_FORMATS,
            output.name if output is not None else None,
            output_is_file=output is not None and _is_a_file(output),
            excel=excel,
            base_url=base_url,
            fields=fields is not None,
            filtered=not filters.is_empty(),
        )
    except BadValue as e:
        raise typer.BadParameter(e.translated(), param_hint=f"'{e.option}'") from None


def _export_records(
    c: Ctx,
    full: "Callable[[], Iterable[MeetingRecord]]",
    selected: "Callable[[], Iterable[MeetingRecord]]",
    chosen: "list[str] | None",
    whole: bool,
) -> Iterator[dict[str, Any]]:
    """What a records format exports: the summaries, or (json, ndjson) the whole records;
    with ``text`` or ``url`` when ``--fields`` names them."""
    if chosen is not None and TEXT_FIELD in chosen:
        return _with_text(c, full(), whole)
    if whole and chosen is not None and URL_FIELD in chosen:
        return ({**query.full_record(c.store, m), URL_FIELD: m["url"]} for m in full())
    if whole:
        return (query.full_record(c.store, m) for m in full())
    return summaries(selected())


def _export_view(
    c: Ctx,
    records: Iterable[dict[str, Any]],
    known: "Sequence[str]",
    full: "Callable[[], Iterable[MeetingRecord]]",
    meetings: "list[MeetingRecord]",
    base_url: str | None,
    output: Path | None,
) -> View:
    """The collection as export writes it: its records, its one document, its feed
    (``output``: the file it is written to, where one is named)."""
    from urllib.parse import urljoin

    base = base_url.split("#")[0] if base_url else None
    return View(
        records=records,
        fields=known,
        columns=shown.CSV_COLUMNS,
        document=verslagen(c, full, contents=meetings, base_url=base),
        draws=("text",),
        collection=lambda: {
            **c.store.collection(),
            "base_url": base,
            # Published beside the page: the feed's own address, its self link.
            "self_url": urljoin(base, output.name) if base and output else None,
        },
    )


def _with_text(c: Ctx, full: "Iterable[MeetingRecord]", whole: bool) -> Iterator[dict[str, Any]]:
    """The records (whole, or the summaries) with ``text``, the verslag as plain text."""
    from ..formats.text import verslag_text

    for m in full:
        record = query.full_record(c.store, m) if whole else shown.summary(m)
        record[TEXT_FIELD] = verslag_text(m)
        record[URL_FIELD] = m["url"]
        yield record


@command(
    "cite",
    help=N_(
        "A reference to a verslag to paste into a paper or article: APA, BibTeX, CSL-JSON or RIS."
    ),
    epilog=N_("""Examples:

  ngs cite 2023

  ngs cite 2016-amersfoort --style bibtex --accessed 2026-11-29 >> verslagen.bib

  ngs cite 2015 --all --style csl-json

  ngs cite 2015 --all --style ris > verslagen.ris"""),
)
@with_data
def cite(
    ctx: typer.Context,
    ref: RefArg,
    style: Annotated[
        str,
        typer.Option(
            "--style",
            metavar="[apa|bibtex|csl-json|ris]",
            callback=choice("style", CITATION_STYLES),
            autocompletion=lambda: list(CITATION_STYLES),
            help=N_("Citation style."),
        ),
    ] = "apa",
    accessed: Annotated[
        str | None,
        typer.Option(
            "--accessed",
            metavar="DATE",
            help=N_("When you consulted the source page (YYYY-MM-DD, or 'today')."),
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            metavar="[en|nl]",
            callback=choice("lang", ("en", "nl")),
            autocompletion=lambda: ["en", "nl"],
            help=N_(
                "The language of an APA reference and of BibTeX's and RIS's note "
                "(default: the interface's)."
            ),
        ),
    ] = None,
    all_: Annotated[
        bool,
        typer.Option("--all", "-a", help=N_("When REF matches several meetings, cite them all.")),
    ] = False,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    from .. import cite as citations

    c = Ctx(ctx, data)
    day = None
    if accessed is not None:
        try:
            day = citations.parse_accessed(accessed)
        except BadValue as e:
            raise typer.BadParameter(e.translated(), param_hint="'--accessed'") from None
    found = resolve_one(c, ref, all_)
    collection = c.store.collection()

    def document(out: Any, fmt: str, terminal: "Environment | None") -> None:
        language = lang or i18n.language()
        text = "\n\n".join(citations.cite(m, collection, style, day, language) for m in found)
        out.write(printable(text) + "\n")  # escaped as show's text is, in a file too

    view = View(
        records=(citations.csl(m, collection, day) for m in found), fields=(), document=document
    )
    # A citation style is cite's own: CSL-JSON is records, the others text.
    emit(c.env, view, "json" if style == "csl-json" else "text")

"""Commands about meetings: list, show, export, search."""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import formats, i18n, query
from .. import summary as shown
from ..calendar import in_words
from ..errors import BadValue
from ..i18n import N_, _
from ..progress import tracked
from ..text import printable, safe_url
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
from .registry import ExitCode, command

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..model import MeetingRecord
    from .env import Environment

SUMMARY_FIELDS = tuple(shown.CSV_COLUMNS)
CITATION_STYLES = ("apa", "bibtex", "csl-json", "ris")  # as cite.STYLES, without importing cite
# The formats each kind of command offers, from the table in ``formats``.
# A page (html) is of the collection, as export writes it.
SHOW_FORMATS = formats.names("document", "records", exclude=("csv", "html"))
TEXT_FIELD = "text"
URL_FIELD = "url"
EXPORT_FORMATS = formats.names("records", "document", "database", "workbook")


def meetings_view(
    env: "Environment",
    records: Iterable[dict[str, Any]],
    encoded: "Callable[[Sequence[str], bool], Iterable[str]] | None" = None,
    collection: "Callable[[], Any] | None" = None,
) -> View:
    """Meetings as list and search show them: one summary per meeting (``encoded``:
    the same summaries as JSON text, see ``View``)."""
    wide = env.width >= 140  # themes need room; on a narrow terminal the title will do
    return View(
        encoded=encoded,
        collection=collection,
        records=records,
        fields=SUMMARY_FIELDS,
        plain=lambda r: [r["id"], shown.iso_or_year(r), r["city"], r["title"], r["themes"]],
        columns=shown.CSV_COLUMNS,
        headers=[_("Date"), _("City"), _("Title"), *([_("Themes")] if wide else []), _("Id")],
        table_row=lambda r: [
            in_words(r),
            r["city"] or "—",
            r["title"],
            *([r["themes"]] if wide else []),
            r["id"],
        ],
        wide=(2, 3) if wide else (2,),
        styles={3 + wide: "cyan"},
        whole=(3 + wide,),
        drop=(3, 1) if wide else (1,),  # themes, then the city
    )


def _summaries(meetings: "Iterable[MeetingRecord]") -> Iterator[dict[str, Any]]:
    for m in meetings:
        yield shown.summary(m)


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
    records = _summaries(found)

    def encoded(names: "Sequence[str]", compact: bool) -> Iterable[str]:
        return query.iter_summary_json(
            c.store, f, names, compact=compact, sort=sort, reverse=reverse, limit=limit
        )

    view = meetings_view(c.env, records, encoded, c.store.collection)._replace(page=not no_pager)
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
        doc = formats.Verslagen(full(), labels, collection, contents, base_url)
        formats.writer(fmt)(out, doc)

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


def resolve_one(c: Ctx, ref: str, all_: bool | None) -> "list[MeetingRecord]":
    """The meetings REF names; exits 1 with suggestions for none, 2 for several without
    --all (``all_`` None: the command has no --all, and takes one meeting only)."""
    found = query.resolve_ref(c.store, ref)
    if not found:
        near = query.did_you_mean(ref, query.known_values(c.store, "ref"))
        c.env.error(
            _("no meeting matches {ref}.").format(ref=repr(ref))
            + (
                " " + _("Did you mean {value}?").format(value=", ".join(map(repr, near)))
                if near
                else ""
            )
            + " "
            + _("Try 'ngs list' to see them all.")
        )
        raise typer.Exit(ExitCode.ERROR)
    if len(found) > 1 and not all_:
        c.env.error(
            (
                _("{ref} matches {n} meetings; name one:")
                if all_ is None
                else _("{ref} matches {n} meetings; name one, or add --all:")
            ).format(ref=repr(ref), n=len(found))
        )
        for m in found:
            c.env.message("\t".join([m["id"], in_words(m), m["city"] or "", m["title"]]))
        raise typer.Exit(ExitCode.USAGE)
    return found


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
    if fmt is None:
        guessed = formats.from_extension(output.name, EXPORT_FORMATS) if output and named else None
        if named and guessed is None and _is_a_file(output):  # type: ignore[arg-type]
            raise typer.BadParameter(
                _(
                    "{name} has no extension ngs knows ({extensions}); "
                    "add --format ({formats}) to choose one."
                ).format(
                    name=repr(output.name),  # type: ignore[union-attr]
                    extensions=formats.extensions(EXPORT_FORMATS),
                    formats="|".join(EXPORT_FORMATS),
                ),
                param_hint="'--output'",
            )
        fmt = guessed.name if guessed else "csv"
    form = formats.FORMATS[fmt]
    if excel and fmt != "csv":
        raise typer.BadParameter(_("--excel goes with --format csv."), param_hint="'--excel'")
    if base_url is not None and (fmt not in ("html", "atom") or not safe_url(base_url)):
        raise typer.BadParameter(
            _("give the http(s) address of the published page, with --format html or atom."),
            param_hint="'--base-url'",
        )
    base = base_url.split("#")[0] if base_url else None
    from urllib.parse import urljoin

    whole = fmt in ("json", "ndjson")  # the full records; csv has the summaries
    known = c.store.meeting_fields() if whole else SUMMARY_FIELDS
    # The whole verslag as plain text, and in the whole records the link to the verslag
    # on the source page: fields only --fields asks for, never a default.
    selectable = (*known, TEXT_FIELD, *((URL_FIELD,) if whole else ()))
    chosen = check_fields(c.env, fields, selectable) if form.shape == "records" else None
    if fields is not None and chosen is None:
        raise typer.BadParameter(
            _("--fields goes with csv, json and ndjson."), param_hint="'--fields'"
        )
    f = filters
    if not form.filters and not f.is_empty():
        raise typer.BadParameter(
            _("the {format} format exports the whole dataset; leave out the filters.").format(
                format=fmt
            ),
            param_hint="'--format'",
        )
    if form.shape == "database":
        with open_output(c.env, output, protect=c.data_files(), binary=True) as target:
            formats.writer(fmt)(c.store.conn, target)
        return
    meetings = query.find_meetings(c.store, f)
    # Progress as the writer takes each meeting; not while they are written to this very
    # terminal, where the display would run through the data.
    with c.showing(named or not c.env.is_terminal) as progress:
        exporting = _("Exporting meetings")
        if form.shape == "workbook":
            with open_output(c.env, output, protect=c.data_files(), binary=True) as target:
                selected = query.iter_full_meetings(c.store, meetings)
                selected = tracked(progress, selected, exporting, len(meetings))
                formats.writer(fmt)(query.topic_labels(c.store), selected, target)
        else:

            def full() -> "Iterable[MeetingRecord]":
                each = query.iter_full_meetings(c.store, meetings)
                return tracked(progress, each, exporting, len(meetings))

            if chosen is not None and TEXT_FIELD in chosen:
                records = _with_text(c, full(), whole)
            elif whole and chosen is not None and URL_FIELD in chosen:
                records = ({**query.full_record(c.store, m), URL_FIELD: m["url"]} for m in full())
            elif whole:
                records = (query.full_record(c.store, m) for m in full())
            else:
                records = _summaries(tracked(progress, meetings, exporting, len(meetings)))
            view = View(
                records=records,
                fields=known,
                columns=shown.CSV_COLUMNS,
                document=verslagen(c, full, contents=meetings, base_url=base),
                draws=("text",),
                page=not no_pager,
                collection=lambda: {
                    **c.store.collection(),
                    "base_url": base,
                    # Published beside the page: the feed's own address, its self link.
                    "self_url": urljoin(base, output.name) if base and named and output else None,
                },
            )
            with open_output(
                c.env,
                output,
                protect=c.data_files(),
                newline="" if fmt == "csv" else None,
                json=formats.FORMATS[fmt].json,
            ) as stream:
                emit(
                    c.env,
                    view,
                    fmt,
                    chosen,
                    None if stream is c.env.stdout else stream,
                    excel=excel,
                )

    if not meetings:
        explain_no_match(c, f)


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

"""The ``ngs`` command line. The only module that imports Typer.

Each command parses its options, calls the library and hands the result to one writer.
Errors from the library are turned into a message and an exit code in one place
(``NgsGroup.invoke``). The terminal views are imported only when output goes to a
terminal; Rich is used only by Typer, for help and usage errors.
"""

from __future__ import annotations

import contextlib
import enum
import os
import sys
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from typer.core import TyperGroup

from . import __version__, dataset, query
from .errors import NgsError, OutputError
from .query import Filters


class ExitCode(enum.IntEnum):
    """What ``ngs`` exits with; Typer itself exits 2 on usage errors and 130 on Ctrl-C."""

    OK = 0
    ERROR = 1  # bad data, nothing found, a file that could not be written
    USAGE = 2  # a mistyped command or option, or a REF that names several meetings
    INTERRUPTED = 130


class _LazyCommands(MutableMapping[str, Any]):
    """The group's commands, each turned into a Click command only when first asked for.

    Typer builds every command's parameters on every call; for ngs that was a fifth of
    its start-up. Running one command now builds one (``--help`` still builds them all).
    """

    def __init__(self, infos: dict[str, Any]):
        self._infos = infos
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            from typer.main import get_command_from_info

            info = self._infos[name]  # KeyError for an unknown command, as a dict would
            self._built[name] = get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._infos.setdefault(name, None)
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._infos[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._infos)

    def __len__(self) -> int:
        return len(self._infos)


_COMMAND_INFOS: dict[str, Any] = {}


class NgsGroup(TyperGroup):
    """Builds commands lazily; turns ngs's own errors into a message and an exit code."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.commands = _LazyCommands(_COMMAND_INFOS)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NgsError as e:
            _error(str(e))
            raise typer.Exit(ExitCode.ERROR) from None
        except Exception as e:
            # Usage errors, exits and a closed pipe are Typer's to report; anything else
            # is a bug: said in one line, with the traceback only when asked for.
            if (
                os.environ.get("NGS_DEBUG")
                or isinstance(e, (typer.Exit, typer.Abort, BrokenPipeError))
                or hasattr(e, "exit_code")
            ):
                raise
            _error(
                f"internal error: {type(e).__name__}: {e} "
                "(run with NGS_DEBUG=1 for details, and please report it)"
            )
            raise typer.Exit(ExitCode.ERROR) from None


app = typer.Typer(
    cls=NgsGroup,
    name="ngs",
    help="Search, filter and export the verslagen of the Netwerk Grote Steden (2007-2023).",
    epilog="Run 'ngs COMMAND --help' for a command's options and examples.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _error(message: str) -> None:
    sys.stderr.write(f"ngs: {message}\n")


def _hint(message: str) -> None:
    sys.stderr.write(f"{message}\n")


# --- shared options --------------------------------------------------------------------


def _load(ctx: typer.Context | None = None, *, bodies: bool = False) -> dataset.Dataset:
    """The dataset the command's --data/--no-cache ask for; the verslag text only if needed."""
    params = ctx.params if ctx is not None else {}
    return dataset.load(
        params.get("data"), use_cache=not params.get("no_cache", False), bodies=bodies
    )


def _completer(kind: str) -> Callable[[typer.Context, str], list[str]]:
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        try:
            values = query.known_values(_load(ctx), kind)
        except NgsError:
            return []
        # Typer keeps only completions that start with what was typed, to the letter;
        # completing "utr" as "utrecht" rather than "Utrecht" keeps matching free of case
        # and accents, and the filters ignore both anyway.
        want = query.fold(incomplete)
        found: dict[str, None] = {}
        for value in values:
            if query.fold(value).startswith(want):
                typed = incomplete + value[len(incomplete) :]
                found[typed if query.fold(typed) == query.fold(value) else value] = None
        return sorted(found, key=query.fold)

    return complete


def _choice(name: str, values: tuple[str, ...]) -> Callable[[str | None], str | None]:
    """A callback that accepts one of ``values`` and suggests the nearest otherwise."""

    def check(value: str | None) -> str | None:
        if value is None or value in values:
            return value
        near = query.did_you_mean(value, values, n=1)
        tip = f" Did you mean {near[0]!r}?" if near else ""
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(values)}.{tip}")

    return check


def _format_option(values: tuple[str, ...], help_: str) -> Any:
    return typer.Option(
        "--format",
        "-f",
        help=help_,
        metavar="[" + "|".join(values) + "]",
        callback=_choice("format", values),
        autocompletion=lambda: list(values),
    )


def _since_until(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return query.parse_bound(value)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        envvar=dataset.DATA_ENV,
        metavar="PATH",
        show_envvar=True,
        help="Use this data file instead of the bundled verslagen.",
        is_eager=True,
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache", help="Parse the data file afresh instead of using the cache.", is_eager=True
    ),
]
ThemeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--theme",
        "-t",
        metavar="TEXT",
        autocompletion=_completer("theme"),
        help="Stated theme or topic (aliases too); a part of a word is enough. "
        "Repeat for any of several.",
    ),
]
CityOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--city",
        "-c",
        metavar="CITY",
        autocompletion=_completer("city"),
        help="Host city. Repeat for any of several.",
    ),
]
YearOpt = Annotated[
    list[int] | None,
    typer.Option("--year", "-y", metavar="YEAR", help="Year. Repeat for any of several."),
]
SpeakerOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--speaker",
        "-s",
        metavar="NAME",
        autocompletion=_completer("speaker"),
        help="Someone who spoke or led a session (part of the name). Repeat for any of several.",
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        callback=_since_until,
        help="Only meetings on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).",
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option(
        "--until",
        metavar="DATE",
        callback=_since_until,
        help="Only meetings on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD).",
    ),
]
LimitOpt = Annotated[
    int | None, typer.Option("--limit", "-n", min=0, metavar="N", help="Show at most N meetings.")
]


def _filters(
    theme: list[str] | None,
    city: list[str] | None,
    year: list[int] | None,
    speaker: list[str] | None,
    since: str | None,
    until: str | None,
) -> Filters:
    return Filters(
        themes=theme or (),
        cities=city or (),
        years=year or (),
        speakers=speaker or (),
        since=since,
        until=until,
    )


def _explain_no_match(ds: dataset.Dataset, f: Filters) -> None:
    """Nothing matched: say so on stderr, with a did-you-mean for values close to real ones."""
    _hint("No meetings match these filters.")
    for option, values, kind in (
        ("--city", f.cities, "city"),
        ("--theme", f.themes, "theme"),
        ("--speaker", f.speakers, "speaker"),
    ):
        known = query.known_values(ds, kind)
        for value in values:
            if any(query.fold(value) == query.fold(k) for k in known):
                continue
            near = query.did_you_mean(value, known)
            if near:
                _hint(f"  {option} {value!r}: did you mean {' or '.join(map(repr, near))}?")
    for year in f.years:
        years = sorted({m["year"] for m in ds.meetings if m["year"] is not None})
        if year not in years and years:
            _hint(
                f"  --year {year}: the data has meetings from {years[0]} to {years[-1]}, "
                f"none in {year}."
            )


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _default_format(fmt: str | None) -> str:
    """The chosen format, else a table on a terminal and plain rows in a pipe (like gh)."""
    return fmt or ("table" if _stdout_is_terminal() else "plain")


def _style(stream: IO[str] | None = None) -> Any:
    from .render import Style

    return Style.for_stream(stream or sys.stdout)


# --- output files -------------------------------------------------------------------------


def _check_output(value: Path | None) -> Path | None:
    if value is None or str(value) == "-":
        return value
    if value.is_dir():
        raise typer.BadParameter(f"{str(value)!r} is a directory; give a file name.")
    parent = value.parent if str(value.parent) else Path(".")
    if not parent.is_dir():
        raise typer.BadParameter(f"the folder {str(parent)!r} does not exist.")
    return value


@contextmanager
def _open_output(path: Path | None, *, newline: str | None = None) -> Iterator[IO[str]]:
    """stdout, or a temporary file beside ``path`` that replaces it only when all went well."""
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- commands -----------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ngs {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Search, filter and export the verslagen of the Netwerk Grote Steden (2007-2023)."""


LIST_FORMATS = ("table", "plain", "csv", "json")
REPORT_FORMATS = ("table", "plain", "json")  # people, topics, cities, timeline


@app.command(
    "list",
    epilog="""Examples:

  ngs list --theme ondermijning

  ngs list --city Utrecht --city Amsterdam --since 2012

  ngs list --format json | jq -r '.[].id'""",
)
def list_(
    ctx: typer.Context,
    theme: ThemeOpt = None,
    city: CityOpt = None,
    year: YearOpt = None,
    speaker: SpeakerOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            metavar="[date|city|title]",
            callback=_choice("sort", query.SORT_KEYS),
            help="Order by date (newest first), city or title.",
        ),
    ] = "date",
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    fmt: Annotated[
        str | None,
        _format_option(
            LIST_FORMATS,
            "Output format. Default: table on a terminal, plain (tab-separated) in a pipe.",
        ),
    ] = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List meetings, newest first: date, city, title, themes."""
    ds = _load(ctx)
    f = _filters(theme, city, year, speaker, since, until)
    meetings = query.find_meetings(ds, f, sort=sort, reverse=reverse, limit=limit)
    _write_meetings(meetings, fmt)
    if not meetings and limit != 0:
        _explain_no_match(ds, f)


def _write_meetings(meetings: list[query.Meeting], fmt: str | None) -> None:
    from . import export

    out = sys.stdout
    fmt = _default_format(fmt)
    if fmt == "json":
        export.write_summaries_json(out, meetings)
    elif fmt == "csv":
        export.write_csv(out, meetings)
    elif fmt == "plain":
        export.write_tsv(out, export.list_rows(meetings))
    elif meetings:
        from .render import meetings_table

        meetings_table(out, meetings, _style(out))


SHOW_FORMATS = ("text", "markdown", "json")


@app.command(
    epilog="""Examples:

  ngs show 2023

  ngs show leeuwarden

  ngs show 2015 --all

  ngs show 2014-rotterdam --format markdown > rotterdam.md"""
)
def show(
    ctx: typer.Context,
    ref: Annotated[
        str,
        typer.Argument(
            metavar="REF",
            autocompletion=_completer("ref"),
            help="A meeting's id, a year, a city, or the start of an id.",
        ),
    ],
    all_: Annotated[
        bool, typer.Option("--all", "-a", help="When REF matches several meetings, show them all.")
    ] = False,
    fmt: Annotated[str, _format_option(SHOW_FORMATS, "Output format.")] = "text",
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show one full verslag: facts, programme, people, then every section in order."""
    from . import export

    ds = _load(ctx)
    found = query.resolve_ref(ds, ref)
    ds.with_bodies(found)
    if not found:
        near = query.did_you_mean(ref, query.known_values(ds, "ref"))
        _error(
            f"no meeting matches {ref!r}."
            + (f" Did you mean {', '.join(map(repr, near))}?" if near else "")
            + " Try 'ngs list' to see them all."
        )
        raise typer.Exit(ExitCode.ERROR)
    if len(found) > 1 and not all_:
        _error(f"{ref!r} matches {len(found)} meetings; name one, or add --all:")
        export.write_tsv(
            sys.stderr, ([m["id"], export.when(m), m["city"] or "", m["title"]] for m in found)
        )
        raise typer.Exit(ExitCode.USAGE)
    if fmt == "json":
        export.write_json(sys.stdout, found[0] if len(found) == 1 else found)
        return
    for n, meeting in enumerate(found):
        if n:
            sys.stdout.write("\n")
        if fmt == "markdown":
            sys.stdout.write(export.meeting_markdown(ds, meeting))
        elif _stdout_is_terminal():
            from .render import show_meeting

            show_meeting(sys.stdout, ds, meeting, _style())
        else:
            export.write_meeting_text(sys.stdout, ds, meeting, width=_width())


def _width() -> int:
    import shutil

    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))


EXPORT_FORMATS = ("csv", "markdown", "json")
_EXTENSIONS = {".csv": "csv", ".md": "markdown", ".markdown": "markdown", ".json": "json"}


@app.command(
    epilog="""Examples:

  ngs export --format csv --excel --output verslagen.csv

  ngs export --output verslagen.md

  ngs export --format json --theme radicalisering | jq length"""
)
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str | None,
        _format_option(
            EXPORT_FORMATS, "Output format. Default: from the --output file's extension, else csv."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            callback=_check_output,
            help="Write to FILE (replaced only when the export succeeds) instead of stdout.",
        ),
    ] = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel",
            help="CSV for Excel: byte order mark, ';' as delimiter, formulas neutralised.",
        ),
    ] = False,
    theme: ThemeOpt = None,
    city: CityOpt = None,
    year: YearOpt = None,
    speaker: SpeakerOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Export the collection, or what the filters select, as CSV, Markdown or JSON."""
    from . import export as writers

    if fmt is None:
        fmt = _EXTENSIONS.get(output.suffix.lower(), "csv") if output else "csv"
    if excel and fmt != "csv":
        raise typer.BadParameter("--excel goes with --format csv.", param_hint="'--excel'")
    ds = _load(ctx, bodies=fmt != "csv")
    f = _filters(theme, city, year, speaker, since, until)
    meetings = query.find_meetings(ds, f)
    with _open_output(output, newline="" if fmt == "csv" else None) as stream:
        if fmt == "csv":
            writers.write_csv(stream, meetings, excel=excel)
        elif fmt == "json":
            writers.write_json(stream, meetings)
        else:
            writers.write_markdown(stream, ds, meetings)
    if not meetings:
        _explain_no_match(ds, f)


@app.command(
    epilog="""Examples:

  ngs search carbid

  ngs search syriegangers

  ngs search '"nationale politie"' --since 2012

  ngs search bibob --format json | jq -r '.[].id'"""
)
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(metavar="QUERY", help='Words that must all occur; "quote" a phrase.'),
    ],
    theme: ThemeOpt = None,
    city: CityOpt = None,
    year: YearOpt = None,
    speaker: SpeakerOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = None,
    fmt: Annotated[
        str | None,
        _format_option(
            LIST_FORMATS, "Output format. Default: table on a terminal, plain in a pipe."
        ),
    ] = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Full-text search of every meeting, best match first, with snippets."""
    from . import export as writers

    text = " ".join(words)
    if not query.parse_query(text):
        raise typer.BadParameter("give at least one word to search for.", param_hint="QUERY")
    ds = _load(ctx)
    f = _filters(theme, city, year, speaker, since, until)
    fmt = _default_format(fmt)
    # One line per meeting in plain output, so one snippet; CSV has none.
    snippets = {"plain": 1, "csv": 0}.get(fmt, 3)
    hits = query.search(ds, text, f, limit=limit, snippets=snippets)
    if fmt == "json":
        writers.write_search_json(sys.stdout, hits)
    elif fmt == "csv":
        writers.write_csv(sys.stdout, [h.meeting for h in hits])
    elif fmt == "plain":
        writers.write_tsv(
            sys.stdout,
            (
                [
                    h.meeting["id"],
                    writers.iso_or_year(h.meeting),
                    h.meeting["city"] or "",
                    h.meeting["title"],
                    h.score,
                    h.snippets[0][0] if h.snippets else "",
                ]
                for h in hits
            ),
        )
    elif hits:
        from .render import search_results

        search_results(sys.stdout, hits, _style())
    if not hits:
        _hint(
            f"No meetings contain {text!r}"
            + ("" if f.is_empty() else " within these filters")
            + "."
        )


@app.command(
    epilog="""Examples:

  ngs people

  ngs people bruls

  ngs people --format json | jq -r '.[].name'"""
)
def people(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="[NAME]",
            autocompletion=_completer("speaker"),
            help="Only people whose name contains NAME (accents and case ignored).",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        _format_option(
            REPORT_FORMATS, "Output format. Default: table on a terminal, plain in a pipe."
        ),
    ] = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Everyone who spoke or led a session, with their role and meetings."""
    from . import export as writers

    ds = _load(ctx)
    found = query.people_index(ds, name)
    fmt = _default_format(fmt)
    if fmt == "json":
        writers.write_json(sys.stdout, found)
    elif fmt == "plain":
        writers.write_tsv(
            sys.stdout,
            (
                [
                    p["name"],
                    a["meeting"],
                    a["date"] or a["year"] or "",
                    a["role"] or "",
                    a["organisation"] or "",
                ]
                for p in found
                for a in p["appearances"]
            ),
        )
    elif found:
        from .render import people_table

        people_table(sys.stdout, found, _style())
    if not found:
        near = query.did_you_mean(name or "", query.known_values(ds, "speaker"))
        _hint(
            f"Nobody in the verslagen is called {name!r}."
            + (f" Did you mean {' or '.join(map(repr, near))}?" if near else "")
        )


def _facet_command(ctx: typer.Context, kind: str, fmt: str | None) -> None:
    from . import export as writers

    ds = _load(ctx)
    rows = query.facet(ds, kind)
    fmt = _default_format(fmt)
    if fmt == "json":
        writers.write_json(sys.stdout, rows)
    elif fmt == "plain":
        if kind == "topic":
            writers.write_tsv(
                sys.stdout,
                (
                    [
                        r["id"],
                        r["count"],
                        ",".join(map(str, r["years"])),
                        r["label"],
                        ", ".join(r["aliases"]),
                    ]
                    for r in rows
                ),
            )
        else:
            writers.write_tsv(
                sys.stdout,
                ([r["city"] or "", r["count"], ",".join(map(str, r["years"]))] for r in rows),
            )
    else:
        from .render import facet_table

        facet_table(sys.stdout, rows, kind, _style())


@app.command(
    epilog="""Examples:

  ngs topics

  ngs topics --format json | jq -r '.[] | select(.count > 2) | .id'"""
)
def topics(
    ctx: typer.Context,
    fmt: Annotated[str | None, _format_option(REPORT_FORMATS, "Output format.")] = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Every topic --theme understands: label, aliases, number of meetings, years."""
    _facet_command(ctx, "topic", fmt)


@app.command(
    epilog="""Examples:

  ngs cities

  ngs cities --format plain | sort -t$'\\t' -k2 -nr"""
)
def cities(
    ctx: typer.Context,
    fmt: Annotated[str | None, _format_option(REPORT_FORMATS, "Output format.")] = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Every host city with its number of meetings and their years."""
    _facet_command(ctx, "city", fmt)


@app.command(
    epilog="""Examples:

  ngs timeline

  ngs timeline --theme radicalisering

  ngs timeline --format json"""
)
def timeline(
    ctx: typer.Context,
    theme: ThemeOpt = None,
    city: CityOpt = None,
    speaker: SpeakerOpt = None,
    fmt: Annotated[str | None, _format_option(REPORT_FORMATS, "Output format.")] = None,
    data: DataOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """The collection year by year: each meeting's date, city and topics at a glance."""
    from . import export as writers

    ds = _load(ctx)
    f = _filters(theme, city, None, speaker, None, None)
    years = query.timeline(ds, query.find_meetings(ds, f))
    fmt = _default_format(fmt)
    if fmt == "json":
        writers.write_json(
            sys.stdout,
            [
                {"year": y, "count": len(ms), "meetings": [writers.summary(m) for m in ms]}
                for y, ms in years
            ],
        )
    elif fmt == "plain":
        writers.write_tsv(
            sys.stdout,
            (
                [y if y is not None else "unknown", len(ms), " ".join(m["id"] for m in ms)]
                for y, ms in years
            ),
        )
    else:
        from .render import timeline_view

        label = "; ".join(theme) if theme else None
        timeline_view(sys.stdout, ds, years, label, _style())
    if f.themes and not any(ms for _, ms in years):
        _explain_no_match(ds, f)


@app.command(
    epilog="""Examples:

  ngs validate

  ngs validate my-network.yaml"""
)
def validate(
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="[PATH]",
            help="The data file to check (default: --data, $NGS_DATA or the bundled one).",
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Check a data file against the schema and the model; report every problem at once."""
    target = dataset.resolve_path(path or data)
    raw = dataset.read_bytes(target)
    loaded = dataset.parse_and_validate(raw, target)
    typer.echo(
        f"{target}: valid ({len(loaded['meetings'])} meetings, {len(loaded['topics'])} topics)"
    )


# Hand the commands to NgsGroup to build on demand, rather than to Typer to build all.
_COMMAND_INFOS.update(
    {c.name or c.callback.__name__: c for c in app.registered_commands}  # type: ignore[union-attr]
)
app.registered_commands.clear()


def main() -> None:
    """Entry point of the ``ngs`` console script."""
    app(prog_name="ngs")


if __name__ == "__main__":  # pragma: no cover
    main()

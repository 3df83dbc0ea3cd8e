"""Options that several commands share, declared once, their completion, and the
command context.

Two option groups are applied per command as decorators, the way sqlite-utils applies
its output options: ``with_data`` (``--data``, ``--no-cache``; the command receives a
``DataChoice``) and ``with_filters`` (the six filters of ``list``; the command receives a
``query.Filters``). ``Ctx`` is what each command starts from: the environment, and the
compiled dataset its ``DataChoice`` names, opened on first use.
"""

import contextlib
import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from .. import formats, i18n, query, store
from ..errors import BadValue, NgsError
from ..i18n import N_, _, alternatives
from ..progress import SILENT, Progress
from ..store import Store, open_store
from ..text import fold, printable
from . import settings
from .env import Environment


class DataChoice:
    """The dataset a command reads: ``--data`` (None: ``$NGS_DATA``, else the bundled
    one, as ``store.resolve_path`` decides) and ``--no-cache``."""

    __slots__ = ("no_cache", "path")

    def __init__(self, path: str | None = None, no_cache: bool = False):
        self.path, self.no_cache = path, no_cache


# The defaults a command's signature names; the option groups replace them.
DEFAULT_DATA = DataChoice()
NO_FILTERS = query.Filters()


class Ctx:
    """A command's environment and its dataset, opened when first asked for."""

    def __init__(self, ctx: typer.Context, data: DataChoice):
        obj = ctx.find_root().obj
        self.env: Environment = obj if isinstance(obj, Environment) else Environment.from_system()
        self.data = data
        self._ctx = ctx
        self._store: Store | None = None

    @property
    def settings(self) -> "store.Settings":
        """What the environment says of the data file, its size limit and the cache."""
        return settings.current()

    @property
    def store(self) -> Store:
        if self._store is None:
            try:
                with self.showing() as progress:  # a compile: erased before any output
                    self._store = open_store(
                        self.data.path,
                        use_cache=not self.data.no_cache,
                        stdin=self.env.stdin_bytes,
                        progress=progress,
                        settings=self.settings,
                    )
            except BadValue as e:  # an empty --data "$UNSET"
                raise typer.BadParameter(e.translated(), param_hint="'--data'") from None
        return self._store

    def showing(self, wanted: bool = True) -> contextlib.AbstractContextManager[Progress]:
        """A progress for the work inside the block, erased when it ends, however it ends:
        drawn where it is ``wanted`` and the environment allows
        (``Environment.draws_progress``), else ``SILENT``."""
        if not (wanted and self.env.draws_progress):
            return contextlib.nullcontext(SILENT)
        from .progress import showing

        return showing(self.env)

    def data_files(self) -> list[Path]:
        """The data file being read, for refusing to write over it."""
        # As the user named it, for the message; the check itself resolves links.
        return [Path(self.store.name)] if self.store.data_path is not None else []


def completer(kind: str) -> Callable[[typer.Context, str], list[str]]:
    """Completion of an option's values from the dataset, ignoring case and accents."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        try:
            store = open_store(ctx.params.get("data"), settings=settings.current())
            values = query.known_values(store, kind)
        except NgsError:
            return []
        # Typer keeps only completions that start with what was typed, to the letter;
        # completing "utr" as "utrecht" rather than "Utrecht" keeps matching free of case
        # and accents, and the filters ignore both anyway.
        want = fold(incomplete)
        found: dict[str, None] = {}
        for value in values:
            if fold(value).startswith(want):
                typed = incomplete + value[len(incomplete) :]
                found[typed if fold(typed) == fold(value) else value] = None
        # Completion writes to the terminal too: the same escaping as every view.
        return sorted((printable(v) for v in found), key=fold)

    return complete


def choice(name: str, values: tuple[str, ...]) -> Callable[[str | None], str | None]:
    """A callback that accepts one of ``values`` and suggests the nearest otherwise."""

    def check(value: str | None) -> str | None:
        if value is None or value in values:
            return value
        near = query.did_you_mean(value, values, n=1)
        tip = " " + _("Did you mean {value}?").format(value=repr(near[0])) if near else ""
        raise typer.BadParameter(
            _("{value} is not one of {choices}.").format(
                value=repr(value), choices=", ".join(values)
            )
            + tip
        )

    return check


def format_option(values: tuple[str, ...], help_: str) -> Any:
    """``--format``, offering ``values`` (names from the ``formats`` table)."""
    return typer.Option(
        "--format",
        "-f",
        help=help_,
        metavar="[" + "|".join(values) + "]",
        callback=choice("format", values),
        autocompletion=lambda: list(values),
    )


def _date_bound(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return query.parse_bound(value)
    except BadValue as e:
        raise typer.BadParameter(e.translated()) from None


DataOpt = Annotated[
    str | None,  # as typed: Path("") would be ".", and an empty --data is an error
    typer.Option(
        "--data",
        metavar="PATH",
        help=N_(
            "Use this data file instead of the bundled verslagen ('-' reads standard input). "
            "Default: $NGS_DATA if set."
        ),
        is_eager=True,
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help=N_("Compile the data file in memory instead of using the cache."),
        is_eager=True,
    ),
]
ThemeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--theme",
        "-t",
        metavar="TEXT",
        autocompletion=completer("theme"),
        help=N_(
            "Stated theme or topic (aliases too); a part of a word is enough. "
            "Repeat for any of several."
        ),
    ),
]
CityOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--city",
        "-c",
        metavar="CITY",
        autocompletion=completer("city"),
        help=N_("Host city. Repeat for any of several."),
    ),
]
YearOpt = Annotated[
    list[int] | None,
    typer.Option("--year", "-y", metavar="YEAR", help=N_("Year. Repeat for any of several.")),
]
SpeakerOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--speaker",
        "-s",
        metavar="NAME",
        autocompletion=completer("speaker"),
        help=N_(
            "Someone who spoke or led a session (part of the name). Repeat for any of several."
        ),
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        callback=_date_bound,
        help=N_("Only meetings that may lie on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)."),
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option(
        "--until",
        metavar="DATE",
        callback=_date_bound,
        help=N_("Only meetings that may lie on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD)."),
    ),
]


def not_negative(value: int | None) -> int | None:
    """A count of 0 or more (checked here rather than by a range, which help would show
    as noise beside N)."""
    if value is not None and value < 0:
        raise typer.BadParameter(_("give 0 or more, not {value}.").format(value=value))
    return value


LimitOpt = Annotated[
    int | None,
    typer.Option("--limit", "-n", metavar="N", callback=not_negative, help=N_("Show at most N.")),
]
FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="A,B,...",
        help=N_("Only these fields, in this order (csv, plain, json, ndjson); 'help' lists them."),
    ),
]


# The formats of the commands that list meetings: a table, plain rows, csv, json, ndjson,
# an Atom feed.
LIST_FORMATS = formats.names("view", "records")
ListFormatOpt = Annotated[
    str | None,
    format_option(
        LIST_FORMATS, N_("Output format. Default: table on a terminal, plain in a pipe.")
    ),
]
# The indexes (people, topics, cities, timeline) are no meetings: no feed of them.
INDEX_FORMATS = tuple(name for name in LIST_FORMATS if name != "atom")
IndexFormatOpt = Annotated[
    str | None,
    format_option(
        INDEX_FORMATS, N_("Output format. Default: table on a terminal, plain in a pipe.")
    ),
]
RefArg = Annotated[
    str,
    typer.Argument(
        metavar="REF",
        autocompletion=completer("ref"),
        help=N_("A meeting's id, a year, a city, or the start of an id."),
    ),
]
NoPagerOpt = Annotated[
    bool, typer.Option("--no-pager", help=N_("Never page the output on a terminal."))
]


def make_filters(
    theme: list[str] | None = None,
    city: list[str] | None = None,
    year: list[int] | None = None,
    speaker: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
) -> query.Filters:
    """The filters of the options; an empty value or an inverted date range is a usage
    error."""
    for option, values in (("--theme", theme), ("--city", city), ("--speaker", speaker)):
        if any(not v.strip() for v in values or ()):  # "$UNSET": every theme, or none?
            raise typer.BadParameter(_("give a value (it is empty)."), param_hint=f"'{option}'")
    try:
        query.check_range(since, until)
    except BadValue:  # each bound was checked as its option was parsed: it is the range
        raise typer.BadParameter(
            _("--since {since} is after --until {until}: nothing could match.").format(
                since=since, until=until
            ),
            param_hint="'--since'",
        ) from None
    return query.Filters(
        themes=theme or (),
        cities=city or (),
        years=year or (),
        speakers=speaker or (),
        since=since,
        until=until,
    )


def explain_no_match(c: Ctx, f: query.Filters) -> None:
    """Nothing matched: say so on stderr, with a did-you-mean for values close to real ones."""
    env = c.env
    env.notice(_("No meetings match these filters."))
    explain_unknown(c, f)
    span = query.year_span(c.store)
    for year in f.years:
        if span and not span[0] <= year <= span[1]:
            env.notice(
                "  "
                + _(
                    "--year {year}: the data has meetings from {first} to {last}, none in {year}."
                ).format(year=year, first=span[0], last=span[1])
            )


def explain_unknown(c: Ctx, f: query.Filters) -> None:
    """A did-you-mean on stderr for each filter value close to a real one but not one."""
    # Under a Dutch interface, a theme is suggested in Dutch: by its topic's id and label
    # and the stated themes, not by the aliases, some of which are English.
    english = i18n.language() == "en"
    for option, value, near in query.unknown_values(c.store, f, aliases=english):
        if near:
            choices = alternatives(near)
            c.env.notice(
                "  "
                + _("{option} {value}: did you mean {alternatives}?").format(
                    option=option, value=repr(value), alternatives=choices
                )
            )


def _group(
    function: Callable[..., Any],
    replaced: str,
    options: list[tuple[str, Any, Any]],
    build: Callable[..., Any],
) -> Callable[..., Any]:
    """``function`` with its parameter ``replaced`` turned into the ``options`` (name,
    annotation, default), which ``build`` makes into the value it receives instead."""
    signature = inspect.signature(function)
    params: list[inspect.Parameter] = []
    for param in signature.parameters.values():
        if param.name == replaced:
            params += [
                inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=d,
                                  annotation=a)
                for n, a, d in options
            ]  # fmt: skip
        else:
            params.append(param)
    names = [n for n, _, _ in options]

    @functools.wraps(function)
    def command(*args: Any, **kwargs: Any) -> Any:
        kwargs[replaced] = build(**{n: kwargs.pop(n) for n in names})
        return function(*args, **kwargs)

    command.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    return command


def with_data(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--data`` and ``--no-cache``, received as ``data: DataChoice``."""
    options = [("data", DataOpt, None), ("no_cache", NoCacheOpt, False)]
    return _group(function, "data", options, lambda data, no_cache: DataChoice(data, no_cache))


def with_filters(function: Callable[..., Any] | None = None, *, short: bool = True) -> Any:
    """The six filters of ``list``, received as ``filters: query.Filters``; without their
    one-letter names with ``short=False`` (search, where ``-corona`` is a word)."""

    def apply(function: Callable[..., Any]) -> Callable[..., Any]:
        options = [
            ("theme", ThemeOpt, None),
            ("city", CityOpt, None),
            ("year", YearOpt, None),
            ("speaker", SpeakerOpt, None),
            ("since", SinceOpt, None),
            ("until", UntilOpt, None),
        ]
        if not short:
            options = [(name, _long_only(alias), default) for name, alias, default in options]
        return _group(function, "filters", options, make_filters)

    return apply(function) if function is not None else apply


def _long_only(alias: Any) -> Any:
    """An ``Annotated`` option without its one-letter name."""
    import copy

    kind, info = alias.__origin__, copy.copy(alias.__metadata__[0])
    info.param_decls = tuple(d for d in info.param_decls if d.startswith("--"))
    return Annotated[kind, info]

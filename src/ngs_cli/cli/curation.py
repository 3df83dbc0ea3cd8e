"""Commands for curators: validate a data file (and, with --source, check it against a
saved copy of the page), and draft a new meeting record from its verslag."""

import os
from pathlib import Path
from typing import Annotated

import typer

from .. import store
from ..i18n import N_, _, ngettext
from .options import DEFAULT_DATA, Ctx, DataChoice, with_data
from .output import emit_text
from .registry import ExitCode, command


@command(
    "validate",
    help=N_("Check a data file against the schema and the model; report every problem at once."),
    epilog=N_("""Examples:

  ngs validate

  ngs validate my-network.yaml

  ngs validate --source verslagen-netwerk-grote-steden.txt"""),
)
@with_data
def validate(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            metavar="[PATH]",
            help=N_("The data file to check (default: --data, $NGS_DATA or the bundled one)."),
        ),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            metavar="PAGE",
            help=N_("Also compare with a saved copy of the source page (text or HTML)."),
        ),
    ] = None,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    c = Ctx(ctx, data)
    page = None if source is None else _read_page(source, c, path or data.path)
    target = store.resolve_path(path or data.path)
    name = str(path or data.path or target)
    with c.showing() as progress:  # erased before the verdict is written
        data_source = store.data_source(target, c.env.stdin_bytes)
        loaded = store.parse_and_validate(data_source, name, progress)
    _refuse_leftovers(data_source, name)
    emit_text(
        c.env,
        _("{name}: valid ({meetings}, {topics})").format(
            name=name,
            meetings=ngettext("{n} meeting", "{n} meetings", len(loaded["meetings"])).format(
                n=len(loaded["meetings"])
            ),
            topics=ngettext("{n} topic", "{n} topics", len(loaded["topics"])).format(
                n=len(loaded["topics"])
            ),
        )
        + "\n",
    )
    if page is None:
        return
    from ..curation.pagecheck import check_page

    with c.showing() as progress:
        report = check_page(page, loaded, progress)
    if report.ok:
        emit_text(
            c.env,
            _("{source}: every sentence of the page is in the data").format(source=source) + "\n",
        )
        return
    c.env.messages(report.lines())
    raise typer.Exit(ExitCode.ERROR)


def _read_page(source: Path, c: Ctx, data: Path | str | None) -> str:
    """The saved page that --source names (``-``: standard input), as text; read before
    the data, so that a wrong page is told before a verdict on the data."""
    from ..curation.page import DraftError, decode

    if str(source) == store.STDIN:
        if data is not None and str(data) == store.STDIN:
            raise typer.BadParameter(
                _("the data and the page cannot both come from standard input."),
                param_hint="'--source'",
            )
        raw = store.read_stdin(_("standard input"), c.env.stdin_bytes, empty_ok=True)
    else:
        raw = _read_text_file(
            str(source), "'--source'", _("not a regular file; save the page to a file.")
        )
    try:
        return decode(raw)
    except DraftError as e:
        raise typer.BadParameter(f"{source}: {e.translated()}", param_hint="'--source'") from None


def _refuse_leftovers(data_source: store.DataSource, name: str) -> None:
    """A data file that holds a draft's note or comments: a decision not yet taken."""
    from ..curation.leftovers import left_behind
    from ..errors import DataError

    with data_source.stream() as stream:
        problems = left_behind(stream.read(), name)
    if problems:
        raise DataError(
            name,
            ngettext(
                "{n} thing left of a draft", "{n} things left of a draft", len(problems)
            ).format(n=len(problems)),
            problems,
        )


def _read_text_file(file: str, hint: str, not_regular: str) -> bytes:
    """A regular file of at most the size limit; a device or a pipe could be endless.

    ``hint`` names the parameter; ``not_regular`` says what to do instead of a device.
    """
    import stat

    def bad(why: str) -> typer.BadParameter:
        return typer.BadParameter(f"{file}: {why}", param_hint=hint)

    try:
        # Without blocking: a FIFO nobody writes to is refused, not waited on.
        fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise bad(_("a folder, not a file."))
            if not stat.S_ISREG(mode):
                raise bad(not_regular)
            limit = store.max_size()
            raw = f.read(limit + 1)
    except IsADirectoryError:
        raise bad(_("a folder, not a file.")) from None
    except OSError as e:
        raise bad(_("cannot be read ({reason}).").format(reason=e.strerror or e)) from None
    if len(raw) > limit:
        raise bad(
            _("larger than the limit of {limit} bytes (${variable}).").format(
                limit=limit, variable=store.MAX_SIZE_ENV
            )
        )
    return raw


@command(
    "draft",
    help=N_("Draft a meeting record, in the data file's YAML, from the text of one verslag."),
    epilog=N_("""Examples:

  ngs draft nieuw.txt > concept.yaml

  pbpaste | ngs draft - --city Utrecht --date 2024-11-21"""),
)
@with_data
def draft(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(metavar="[FILE|-]", help=N_("The verslag's text, copied from the page.")),
    ] = "-",
    id_: Annotated[
        str | None, typer.Option("--id", metavar="ID", help=N_("The meeting's id."))
    ] = None,
    city: Annotated[
        str | None, typer.Option("--city", metavar="CITY", help=N_("The host city."))
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", metavar="DATE", help=N_("The (first) day, YYYY-MM-DD."))
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", metavar="YEAR", help=N_("The year."))
    ] = None,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    from ..curation.draft import BadOverride, draft_meeting, to_yaml
    from ..query import known_topics

    c = Ctx(ctx, data)
    if file == "-":
        stdin = c.env.stdin
        if stdin is None or stdin.isatty():
            raise typer.BadParameter(_("pipe the text in, or name a file."), param_hint=_("FILE"))
        raw = store.read_stdin(_("standard input"), c.env.stdin_bytes, empty_ok=True)
    else:
        raw = _read_text_file(
            file,
            _("FILE"),
            _("not a regular file; save the text to a file, or pipe it in with '-'."),
        )
    overrides = {k: v for k, v in (("id", id_), ("city", city), ("date", date), ("year", year))
                 if v is not None}  # fmt: skip
    try:
        topics = known_topics(c.store)
        with c.showing() as progress:
            result = draft_meeting(raw, topics=topics, overrides=overrides, progress=progress)
    except BadOverride as e:
        raise typer.BadParameter(e.translated(), param_hint=f"'--{e.field}'") from None
    emit_text(c.env, to_yaml(result))

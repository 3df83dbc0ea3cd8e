"""Commands for curators: validate a data file (and, with --source, check it against a
saved copy of the page), and draft a new meeting record from its verslag."""

from pathlib import Path
from typing import Annotated

import typer

from .. import store
from ..i18n import N_, _, ngettext
from .files import read_page, read_text_file
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
    page = None if source is None else read_page(source, c.env, path or data.path)
    target = store.resolve_path(path or data.path, c.settings.data)
    name = str(path or data.path or target)
    with c.showing() as progress:  # erased before the verdict is written
        data_source = store.data_source(target, c.env.stdin_bytes, c.settings.max_size)
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
        raw = store.read_stdin(
            _("standard input"), c.env.stdin_bytes, empty_ok=True,
            limit=c.settings.max_size,
        )  # fmt: skip
    else:
        raw = read_text_file(
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

"""Commands for curators: validate (and, with the page, check it against the source)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import store
from . import command
from .options import Ctx, DataOpt


@command(
    "validate",
    epilog="""Examples:

  ngs validate

  ngs validate my-network.yaml""",
)
def validate(
    ctx: typer.Context,
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
    c = Ctx(ctx)
    target = store.resolve_path(path or data)
    name = str(path or data or target)
    loaded = store.parse_and_validate(store.data_source(target), name)
    c.env.stdout.write(
        f"{name}: valid ({len(loaded['meetings'])} meetings, {len(loaded['topics'])} topics)\n"
    )

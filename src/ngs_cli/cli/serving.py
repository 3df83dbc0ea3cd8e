"""``ngs serve``: the collection as a Datasette site, for an intranet or a browser."""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from ..i18n import N_, _
from .options import DEFAULT_DATA, Ctx, DataChoice, with_data
from .output import emit_text
from .registry import ExitCode, command


def need(c: Ctx, module: str, message: str) -> None:
    """Exit 1 with ``message`` (which names the extra to install) where ``module`` is
    not installed; found, it is not imported here."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        c.env.error(message)
        raise typer.Exit(ExitCode.ERROR)


def host_name(value: str) -> str:
    if not value.strip():  # Datasette would listen on every address
        raise typer.BadParameter(_("give an address, such as 127.0.0.1."))
    return value


def port_number(value: int) -> int:
    if not 0 <= value <= 65535:
        raise typer.BadParameter(_("a port is a number from 0 to 65535."))
    return value


@command(
    "serve",
    help=N_("Serve the collection as a Datasette site: browse, facet, search, and a JSON API."),
    epilog=N_("""Needs Datasette: pip install 'ngs-cli\\[serve]'. The site has one database,
verslagen, opened read-only, with facets on city, year and topics and the canned query
zoeken, which finds what ngs search finds. --print-config writes its configuration, for
datasette serve or datasette publish with a file named verslagen.db (ngs export -o
verslagen.db).

Examples:

  ngs serve

  ngs serve --port 8080 --host 0.0.0.0

  ngs serve --print-config > metadata.json"""),
)
@with_data
def serve(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option(
            "--host", metavar="HOST", callback=host_name, help=N_("The address to listen on.")
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option(
            "--port", metavar="PORT", callback=port_number, help=N_("The port to listen on.")
        ),
    ] = 8001,
    print_config: Annotated[
        bool,
        typer.Option("--print-config", help=N_("Write the site's configuration and stop.")),
    ] = False,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    from ..serve import DATABASE, site_config

    c = Ctx(ctx, data)
    config = site_config(dict(c.store.collection()))
    if print_config:
        emit_text(c.env, json.dumps(config, ensure_ascii=False, indent=2) + "\n")
        return
    need(c, "datasette", _("ngs serve needs Datasette: pip install 'ngs-cli[serve]'"))
    from .. import formats

    folder = Path(tempfile.mkdtemp(prefix="ngs-serve-"))
    try:
        database = folder / f"{DATABASE}.db"
        formats.write("sqlite", str(database), formats.Job(database=c.store.conn))
        metadata = folder / "metadata.json"
        metadata.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
        if port == 0:  # any free port: chosen here, so that the address said is the one served
            port = _free_port(host)
        c.env.message(_("Serving {title} at http://{host}:{port}/ (Ctrl-C stops)").format(
            title=config["title"], host=host, port=port))  # fmt: skip
        command = [sys.executable, "-m", "datasette", "serve", "--immutable", str(database),
                   "--metadata", str(metadata), "--host", host, "--port", str(port)]  # fmt: skip
        code = subprocess.call(command)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if code:
        raise typer.Exit(ExitCode.ERROR)


def _free_port(host: str) -> int:
    """A port free on ``host`` now (the system's choice), else 0 for Datasette to choose."""
    import socket

    try:
        family = socket.getaddrinfo(host, 0, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.bind((host, 0))
            return int(s.getsockname()[1])
    except OSError:
        return 0  # the server's own error about the address is the one to see


@command(
    "mcp",
    help=N_("Run a Model Context Protocol server on stdio, for an assistant to search and cite."),
    epilog=N_("""Needs the MCP SDK: pip install 'ngs-cli\\[mcp]'. An assistant starts it and
talks to it on standard input and output: the tools 'search', 'list', 'show', 'people'
and 'cite', and each verslag as the resource ngs://verslag/ID. Add it to the assistant's MCP
configuration as the command ngs with the argument mcp.

Examples:

  ngs mcp

  ngs mcp --data mijn-verslagen.yaml"""),
)
@with_data
def mcp(ctx: typer.Context, data: DataChoice = DEFAULT_DATA) -> None:
    if data.path == "-":  # standard input is the protocol's
        raise typer.BadParameter(
            _("standard input is the assistant's channel: give a data file."),
            param_hint="'--data'",
        )
    c = Ctx(ctx, data)
    need(c, "mcp", _("ngs mcp needs the MCP SDK: pip install 'ngs-cli[mcp]'"))
    from ..mcp_server import build

    build(c.store).run("stdio")

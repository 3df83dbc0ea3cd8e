"""The ``ngs`` command line: the only package that imports Typer.

Each command parses its options, calls the library, builds a view and hands it to
``output.emit``. This module is the app: the group that builds only the invoked command
(through Click's ``get_command``/``list_commands``) and turns errors inside a command
into a message and an exit code; beside it, ``process`` (the process, its signals and
``main``), ``reporting`` (errors to messages and exit codes), ``helptext`` (help in the
user's language) and ``shim`` (every change ngs makes to Typer's own behaviour).
"""

import os
from typing import Annotated, Any

from .. import i18n
from . import settings, shim

shim.bind_gettext()  # before Typer reads its own strings through gettext
i18n.use(settings.languages(os.environ))  # the app's own help is made in it

import typer  # noqa: E402
from typer.core import TyperGroup  # noqa: E402

from .. import __version__  # noqa: E402
from ..i18n import N_, _  # noqa: E402
from .helptext import NgsCommand, Speaks, paragraphs  # noqa: E402
from .process import main  # noqa: E402
from .registry import COMMANDS, ExitCode  # noqa: E402
from .reporting import EXPECTED_ERRORS, Terminated, env_of, escape_usage_error, report  # noqa: E402

__all__ = ["Terminated", "app", "main"]


# The module that defines each command, in the order help lists them. A command's module
# is imported, and the command built, only when it runs (or help lists them all).
_MODULES = {
    "list": "meetings",
    "show": "meetings",
    "search": "searching",
    "export": "meetings",
    "related": "searching",
    "cite": "meetings",
    "people": "indexes",
    "topics": "indexes",
    "cities": "indexes",
    "timeline": "indexes",
    "validate": "curation",
    "draft": "curation",
    "check": "checking",
    "about": "checking",
    "serve": "serving",
    "mcp": "serving",
}
_BUILT: dict[tuple[str, str], Any] = {}  # (name, language) -> the command, once built


class NgsGroup(Speaks, TyperGroup):
    """Builds commands lazily; turns ngs's own errors into a message and an exit code."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # The environment of this run, read again (a test may run several in one process).
        settings.forget()
        i18n.use(settings.languages(os.environ))
        return super().main(*args, **kwargs)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(_MODULES)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        module = _MODULES.get(cmd_name)
        if module is None:
            return None
        key = (cmd_name, i18n.language())  # its help in the language of this run
        if key not in _BUILT:
            import importlib

            from typer.main import get_command_from_info

            importlib.import_module(f"{__name__}.{module}")
            function, options = COMMANDS[cmd_name]
            shown: dict[str, Any] = {
                k: paragraphs(_(v)) if k in ("help", "epilog") and v else v
                for k, v in options.items()
                if k != "words_may_start_with_dash"
            }
            app.command(cmd_name, cls=NgsCommand, **shown)(function)
            _BUILT[key] = get_command_from_info(
                app.registered_commands.pop(),
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
            if options.get("words_may_start_with_dash"):
                _BUILT[key].words_may_start_with_dash = True
        return _BUILT[key]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except Exception as e:
            # Click's usage errors (not the Exit of --version or --help, which are done)
            if hasattr(e, "exit_code") and hasattr(e, "format_message"):
                raise escape_usage_error(e)  # noqa: B904 (the same error, its quotes escaped)
            raise

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in _MODULES:
            # As git does: the nearest commands, not a bare "No such command".
            from ..i18n import alternatives
            from ..query import did_you_mean

            near = did_you_mean(name, _MODULES)
            if near:
                ctx.fail(f"No such command {name!r}. Did you mean {alternatives(near)}?")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except EXPECTED_ERRORS as e:
            raise typer.Exit(report(env_of(ctx), e)) from None
        except Exception as e:
            # Usage errors are Click's to report; anything else is a bug: said in one
            # line, with the traceback only when asked for.
            if hasattr(e, "exit_code"):
                raise escape_usage_error(e)  # noqa: B904 (the same error, its quotes escaped)
            if os.environ.get("NGS_DEBUG"):
                raise
            env_of(ctx).error(
                _(
                    "internal error: {error} "
                    "(run with NGS_DEBUG=1 for details, and please report it)"
                ).format(error=f"{type(e).__name__}: {e}")
            )
            raise typer.Exit(ExitCode.ERROR) from None


app = typer.Typer(
    cls=NgsGroup,
    name="ngs",
    help=_("Search, filter and export the verslagen of the Netwerk Grote Steden (2007-2023)."),
    epilog=_("Run 'ngs COMMAND --help' for a command's options and examples."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(ctx: typer.Context, value: bool) -> None:
    if value:
        env_of(ctx).stdout.write(f"ngs {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help=N_("Show the version and exit."),
        ),
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help=N_("No progress and no notices on stderr; errors are still reported."),
        ),
    ] = False,
) -> None:
    """The group's own options (the help is the app's)."""
    if quiet:
        ctx.obj = env_of(ctx)._replace(quiet=True)

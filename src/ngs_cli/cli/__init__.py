"""The ``ngs`` command line: the only package that imports Typer.

Each command parses its options, calls the library, builds a view and hands it to
``output.emit``. Errors are turned into a message and an exit code in one place
(``main``, and ``NgsGroup.invoke`` for errors inside a command); only the invoked
command is built, through Click's ``get_command``/``list_commands``.
"""

import contextlib
import copy
import os
import re
import signal
import sys
from collections.abc import Callable
from typing import Annotated, Any

from .. import i18n

i18n.bind_typer()  # before Typer reads its own strings through gettext

import typer  # noqa: E402
from typer.core import TyperCommand, TyperGroup  # noqa: E402

from .. import __version__, stops  # noqa: E402
from ..errors import NgsError  # noqa: E402
from ..i18n import N_, _, os_reason  # noqa: E402
from ..text import printable  # noqa: E402
from .env import Environment, isatty, make_streams_safe  # noqa: E402
from .registry import COMMANDS, SIGNALLED, ExitCode  # noqa: E402


class Terminated(BaseException):
    """SIGTERM or SIGHUP: unwinds like Ctrl-C, so that every cleanup runs."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


# The errors ngs expects, which ``report`` turns into a message and an exit code.
EXPECTED_ERRORS = (KeyboardInterrupt, Terminated, NgsError, OSError)


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


# The names of values in help and usage lines, which the help texts quote.
METAVARS = (N_("TEXT"), N_("CITY"), N_("YEAR"), N_("NAME"), N_("DATE"), N_("FILE"), N_("PATH"),
            N_("PAGE"), N_("QUERY"), N_("QUERY..."), N_("ID"), N_("FORMAT"), N_("SORT"),
            N_("STYLE"), N_("URL"), N_("DIR"), N_("SECONDS"), N_("HOST"), N_("PORT"),
            N_("[OPTIONS]"),
            N_("COMMAND [ARGS]..."))  # fmt: skip
# A list of choices this long as an option's metavar would be folded inside a word in an
# 80-column help: it is named instead (FORMAT), and the choices are said in its help.
_CHOICES = re.compile(r"\[[\w-]+(?:\|[\w-]+)+\]")
LONGEST_CHOICES = 16
_OPTIONAL = re.compile(r"\[[A-Z]+(?:\|-)?\]")


class _Speaks:
    """What a command and the group share: their help, usage line and the help of every
    option in the user's language (Typer and its Click write them in English)."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if getattr(param, "_ngs_translated", False):
                continue
            if getattr(param, "help", None):
                param.help = _(param.help)
            metavar = getattr(param, "metavar", None)
            opts = getattr(param, "opts", None)
            if metavar and opts and _CHOICES.fullmatch(metavar) and len(metavar) > LONGEST_CHOICES:
                param.metavar = _(opts[0].lstrip("-").upper())
                choices = _("Choices: {choices}.").format(
                    choices=", ".join(metavar[1:-1].split("|"))
                )
                param.help = f"{param.help} {choices}" if param.help else choices
            elif metavar in METAVARS:
                param.metavar = _(metavar)
            elif (
                metavar and _OPTIONAL.fullmatch(metavar) and metavar[1:-1].split("|")[0] in METAVARS
            ):
                # An optional argument, "[NAME]" or "[FILE|-]": its name translated.
                name, *rest = metavar[1:-1].split("|")
                param.metavar = "[" + "|".join([_(name), *rest]) + "]"
            if param.param_type_name == "argument":
                # An argument's type is a string: "<str>" beside it says nothing.
                param.type = copy.copy(param.type)
                param.type.get_metavar = lambda *args, **kwargs: ""
            param._ngs_translated = True
        return params  # type: ignore[no-any-return]

    def get_usage(self, ctx: Any) -> str:
        usage: str = super().get_usage(ctx)  # type: ignore[misc]
        # Typer puts a required argument in braces ({REF}), which no usage line does.
        usage = re.sub(r"\{([^{}\s]+)\}", r"\1", usage)
        usage = usage.replace("Usage: ", _("Usage: "), 1)
        return usage.replace("[OPTIONS]", _("[OPTIONS]")).replace(
            "COMMAND [ARGS]...", _("COMMAND [ARGS]...")
        )


class NgsCommand(_Speaks, TyperCommand):
    """A command of ngs."""

    words_may_start_with_dash = False  # search: -corona is a word to leave out

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if self.words_may_start_with_dash:
            args = _dash_words_last(self, ctx, args)
        return super().parse_args(ctx, args)  # type: ignore[no-any-return]


def _is_option(arg: str, shorts: set[str]) -> bool:
    """Whether ``-x…`` is one of the command's short options: the option alone, or a
    one-letter option with its number attached (``-n5``); ``-nood`` is a word."""
    return arg == "-" or arg in shorts or (arg[:2] in shorts and arg[2:].isdigit())


def _dash_words_last(command: Any, ctx: Any, args: list[str]) -> list[str]:
    """The arguments with each ``-word`` that is no option of the command moved behind
    ``--``, where it is read as a word: ``ngs search veiligheid -corona`` as typed in a
    web search, not as ``-c orona``."""
    options = [param for param in command.get_params(ctx) if getattr(param, "opts", None)]
    shorts = {opt for param in options for opt in param.opts if len(opt) == 2}
    takes_value = {
        opt for param in options if not getattr(param, "is_flag", True) for opt in param.opts
    }
    end = args.index("--") if "--" in args else len(args)
    kept, words = [], []
    value_next = False
    for arg in args[:end]:
        dash = arg.startswith("-") and not arg.startswith("--")
        if dash and not value_next and not _is_option(arg, shorts):
            words.append(arg)
            continue
        kept.append(arg)
        value_next = not value_next and arg in takes_value  # its value may start with '-'
    return [*kept, "--", *words, *args[end + 1 :]] if words else args


class NgsGroup(_Speaks, TyperGroup):
    """Builds commands lazily; turns ngs's own errors into a message and an exit code."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        i18n.use(None)  # the locale of this run (a test may run several in one process)
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
            function, settings = COMMANDS[cmd_name]
            shown: dict[str, Any] = {
                k: _paragraphs(_(v)) if k in ("help", "epilog") and v else v
                for k, v in settings.items()
                if k != "words_may_start_with_dash"
            }
            app.command(cmd_name, cls=NgsCommand, **shown)(function)
            _BUILT[key] = get_command_from_info(
                app.registered_commands.pop(),
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
            if settings.get("words_may_start_with_dash"):
                _BUILT[key].words_may_start_with_dash = True
        return _BUILT[key]

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except Exception as e:
            # Click's usage errors (not the Exit of --version or --help, which are done)
            if hasattr(e, "exit_code") and hasattr(e, "format_message"):
                raise _escape_usage_error(e)  # noqa: B904 (the same error, its quotes escaped)
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
            raise typer.Exit(report(_env(ctx), e)) from None
        except Exception as e:
            # Usage errors are Click's to report; anything else is a bug: said in one
            # line, with the traceback only when asked for.
            if hasattr(e, "exit_code"):
                raise _escape_usage_error(e)  # noqa: B904 (the same error, its quotes escaped)
            if os.environ.get("NGS_DEBUG"):
                raise
            _env(ctx).error(
                _(
                    "internal error: {error} "
                    "(run with NGS_DEBUG=1 for details, and please report it)"
                ).format(error=f"{type(e).__name__}: {e}")
            )
            raise typer.Exit(ExitCode.ERROR) from None


def report(env: Environment, error: BaseException) -> int:
    """The one mapping from an error ngs expects to its message on stderr and exit code.

    A failed write to standard output is reported once: what is left in its buffer is
    dropped, so that no later flush (ours, or Python's at exit) fails and reports again.
    """
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if isinstance(error, Terminated):
        hangup = error.signum == getattr(signal, "SIGHUP", -1)
        return ExitCode.HANGUP if hangup else ExitCode.TERMINATED
    if isinstance(error, BrokenPipeError):
        # The reader left (ngs show | head -1): nothing to say to anyone.
        _drop_stdout()
        return ExitCode.ERROR
    if isinstance(error, OSError):
        env.error(_os_message(error))
        if not error.filename:
            _drop_stdout()
        return ExitCode.ERROR
    if isinstance(error, NgsError):
        env.error(error.translated())
        return ExitCode.ERROR
    raise error


def _drop_stdout() -> None:
    """Point standard output at the null device: what its buffer still holds goes nowhere."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            fd = sys.stdout.fileno() if sys.stdout is not None else 1
        except (AttributeError, OSError, ValueError):  # a test's stand-in stream
            fd = 1
        os.dup2(devnull, fd)
        os.close(devnull)


def _paragraphs(text: str) -> str:
    """Help text with its paragraphs' lines joined: a source line's break is no break on
    the screen, which wraps the text itself (blank lines and indented examples stay)."""
    import re

    return re.sub(r"(?<=\S)\n(?=\S)", " ", text)


def _escape_usage_error(error: Exception) -> Exception:
    """A usage error with what it quotes of the command line (an option, an argument)
    escaped, as every message is: Click shows it as it was typed; and its message in the
    user's language (Click's own messages are English)."""
    if isinstance(getattr(error, "possibilities", None), list):
        _nearest_option(error)
    for name in ("message", "param_hint", "option_name"):
        value = getattr(error, name, None)
        if isinstance(value, str):
            setattr(error, name, printable(value))
    english = getattr(error, "format_message", None)
    if english is not None and i18n.language() != "en":
        error.format_message = lambda: i18n.click_message(english())  # type: ignore[attr-defined]
    _plain_errors_off_a_terminal()
    return error


# An option as other commands name it: cite's --style is the --format of the others.
_OTHER_NAMES = {"--format": "--style", "--style": "--format"}


def _nearest_option(error: Any) -> None:
    """An unknown option's suggestion: the nearest of that command's own options, by the
    did-you-mean that values use (Click offers any that share a few letters)."""
    from ..query import did_you_mean

    ctx = getattr(error, "ctx", None)
    typed = getattr(error, "option_name", None)
    if ctx is None or not isinstance(typed, str) or not typed.startswith("--"):
        error.possibilities = []
        return
    names = [
        opt
        for param in ctx.command.get_params(ctx)
        for opt in getattr(param, "opts", ())
        if opt.startswith("--")
    ]
    near = did_you_mean(typed[2:], [n[2:] for n in names], n=1)
    if typed in _OTHER_NAMES and _OTHER_NAMES[typed] in names:
        near = [_OTHER_NAMES[typed][2:]]  # what another command calls it
    error.possibilities = []
    if near:
        error.message = f"No such option: {typed}. Did you mean --{near[0]}?"


def _plain_errors_off_a_terminal() -> None:
    """Usage errors written to a pipe or a log as two plain lines, not a drawn box: the
    message, and where to find help. On a terminal, Typer draws them as it does."""
    import typer.rich_utils as drawn

    if getattr(drawn.rich_format_error, "ngs", False):
        return
    boxed = drawn.rich_format_error

    def show(error: Any) -> None:
        stderr = sys.stderr
        if type(error).__name__ == "NoArgsIsHelpError" or stderr is None or isatty(stderr):
            boxed(error)  # the help was shown, and that is all; or a terminal's box
            return
        ctx = getattr(error, "ctx", None)
        lines = [f"ngs: {error.format_message()}"]
        if ctx is not None:
            lines.append(_("Try '{command}' for help.").format(command=f"{ctx.command_path} -h"))
        with contextlib.suppress(OSError, ValueError, AttributeError):
            stderr.write(printable("\n".join(lines)) + "\n")

    show.ngs = True  # type: ignore[attr-defined]
    drawn.rich_format_error = show  # type: ignore[assignment]


def _env(ctx: Any) -> Environment:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Environment) else Environment.from_system()


def _os_message(e: OSError) -> str:
    what = (
        _("cannot write {file}").format(file=e.filename)
        if e.filename
        else _("cannot write to standard output")
    )
    return f"{what}: {os_reason(e)}"


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
        _env(ctx).stdout.write(f"ngs {__version__}\n")
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
        ctx.obj = _env(ctx)._replace(quiet=True)


def _on_signal(signum: int, frame: Any) -> None:
    """Ctrl-C, SIGTERM or SIGHUP: an exception that unwinds, also out of a query SQLite
    is running (which the store ends when told)."""
    SIGNALLED.append(signum)
    error = KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)
    stops.stop(error)  # a query SQLite is running ends with it
    raise error


def _quiet_if_stopped(report: Callable[[Any], object]) -> Callable[[Any], None]:
    """Python's ``report`` of an exception it had to drop, but for a stop signal's, which
    the exit status tells (see ``SIGNALLED``): no "Exception ignored" on the way out."""

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, (KeyboardInterrupt, Terminated)):
            report(unraisable)

    return hook


def _plug_closed_descriptors() -> None:
    """Open /dev/null on a standard descriptor closed before start (``ngs list >&-``).

    Otherwise the next file ngs opened (the database, an output file) would get that
    number, and what was meant for stdout would be written into it.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.open(os.devnull, os.O_RDWR)


def main(argv: list[str] | None = None) -> None:
    """Run the command line on ``argv`` (default: the process's) and exit with an
    ``ExitCode``; the console script reaches it through ``ngs_cli.__main__``."""
    _plug_closed_descriptors()
    make_streams_safe()
    SIGNALLED.clear()  # the signals of this run only
    # Installed for the rest of the process: a finaliser may drop a signal's error on the
    # way out too. Any other report goes to the hook that was there.
    sys.unraisablehook = _quiet_if_stopped(sys.unraisablehook)
    for signum in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signum, _on_signal)
    if argv is None:
        # Bytes that are not UTF-8 in an argument arrive as lone surrogates, which no
        # encoder takes: shown and matched as U+FFFD instead.
        argv = [a.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                for a in sys.argv[1:]]  # fmt: skip
    env = Environment.from_system()
    closed = sys.stdout is None
    if closed:
        # Closed before start (>&-): Click would print help into nothing and succeed.
        sys.stdout = env.stdout
    code: int = ExitCode.OK
    try:
        app(args=argv, prog_name="ngs", obj=env, standalone_mode=True)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except EXPECTED_ERRORS as e:
        code = report(env, e)
    if closed:
        sys.stdout = None  # as it was, for whoever runs after (a test calling main)
    code = _flush(env, code)
    if SIGNALLED and code < 128:  # its error was dropped on the way: still a stop
        code = 128 + SIGNALLED[-1]
    sys.exit(code)


def _flush(env: Environment, code: int) -> int:
    """Flush the process's stdout now (Click writes help there too), so that a full disk
    or a closed pipe is reported, not ignored."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as e:
        failed = report(env, e)
        code = code or failed
    # Messages that could not be written are lost, not a reason to exit otherwise: Python
    # would exit 120 when its last flush of stderr fails (2>/dev/full).
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stderr.fileno())
            os.close(devnull)
    return code

"""Error reporting: the one mapping from an error ngs expects to its message on stderr
and its exit code (``report``), and Click's usage errors escaped and in the user's
language."""

import contextlib
import os
import signal
import sys
from typing import Any

from ..errors import NgsError
from ..i18n import _, os_reason
from ..text import printable
from . import shim
from .env import Environment
from .registry import ExitCode


class Terminated(BaseException):
    """SIGTERM or SIGHUP: unwinds like Ctrl-C, so that every cleanup runs."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


# The errors ngs expects, which ``report`` turns into a message and an exit code.
EXPECTED_ERRORS = (KeyboardInterrupt, Terminated, NgsError, OSError)


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
    too_large = getattr(error, "too_large", None)  # store.TooLarge, not imported for it
    if isinstance(error, NgsError) and too_large is not None:
        from ..store import MAX_SIZE_ENV  # imported already: the error came from it

        env.error(too_large(MAX_SIZE_ENV))  # the command line's limit: its variable
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


def escape_usage_error(error: Exception) -> Exception:
    """A usage error with what it quotes of the command line (an option, an argument)
    escaped, as every message is: Click shows it as it was typed; and its message in the
    user's language (Click's own messages are English)."""
    if isinstance(getattr(error, "possibilities", None), list):
        _nearest_option(error)
    for name in ("message", "param_hint", "option_name"):
        value = getattr(error, name, None)
        if isinstance(value, str):
            setattr(error, name, printable(value))
    shim.usage_error_in_language(error)
    shim.plain_errors_off_a_terminal()
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


def env_of(ctx: Any) -> Environment:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Environment) else Environment.from_system()


def _os_message(e: OSError) -> str:
    what = (
        _("cannot write {file}").format(file=e.filename)
        if e.filename
        else _("cannot write to standard output")
    )
    return f"{what}: {os_reason(e)}"

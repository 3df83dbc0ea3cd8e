"""What a command module needs from the app, without importing it: the exit codes and
the ``command`` registrar. The app (``cli/__init__.py``) imports a command's module, and
builds the command, only when it runs."""

import enum
from collections.abc import Callable
from typing import Any


class ExitCode(enum.IntEnum):
    """What ``ngs`` exits with."""

    OK = 0
    ERROR = 1  # bad data, nothing found, a file that could not be written
    USAGE = 2  # a mistyped command or option, or a REF that names several meetings
    DIFFERS = 3  # ngs check: the data and the source page differ
    HANGUP = 128 + 1
    INTERRUPTED = 128 + 2
    TERMINATED = 128 + 15


# The stop signals taken (Ctrl-C, SIGTERM, SIGHUP), in order. Python drops an exception
# raised inside some of its own callbacks (an import lock's, a finaliser's), so the
# signal's error can be lost while the command goes on: the exit status still tells it.
SIGNALLED: list[int] = []

# name -> the command's function and the settings for Typer's app.command
COMMANDS: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {}


def command(name: str, **settings: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command by name, with the settings ``typer.Typer.command`` takes."""

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        COMMANDS[name] = (function, settings)
        return function

    return register

"""Where ngs changes Typer's own behaviour, all in one place: each change says why. The
app calls them as it is built (``cli/__init__.py``), as help is drawn (``helptext``) or
as a usage error is shown (``reporting``).

- ``bind_gettext``: Typer's own strings ("Options", "Usage", "Try ... for help.") read
  ngs's catalog: Typer asks the global gettext domain once, as it imports its help
  module, so this runs before Typer is imported;
- ``plain_errors_off_a_terminal``: a usage error written to a pipe or a log is two plain
  lines, not the box Typer draws (``typer.rich_utils.rich_format_error`` replaced);
- ``unnamed_argument_type``: an argument's type is not shown as ``<str>`` beside it;
- ``usage_error_in_language``: Click's usage errors (English) in the user's language.
"""

import contextlib
import copy
import sys
from typing import Any

from .. import i18n
from ..i18n import _
from ..text import printable
from .env import isatty


def bind_gettext() -> None:
    """Typer's own strings in the user's language (see the module's docstring): the
    process's gettext domain is ngs's."""
    import gettext

    gettext.bindtextdomain(i18n.DOMAIN, str(i18n.LOCALE_DIR))
    gettext.textdomain(i18n.DOMAIN)


def unnamed_argument_type(param: Any) -> None:
    """An argument's type (a string) no longer named beside it: "<str>" says nothing."""
    param.type = copy.copy(param.type)
    param.type.get_metavar = lambda *args, **kwargs: ""


def plain_errors_off_a_terminal() -> None:
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


def usage_error_in_language(error: Any) -> None:
    """Click's usage error, whose message Click makes in English, shown in the user's."""
    english = getattr(error, "format_message", None)
    if english is not None and i18n.language() != "en":
        error.format_message = lambda: i18n.click_message(english())

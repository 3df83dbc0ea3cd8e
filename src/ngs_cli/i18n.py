"""The user's language: Dutch under a Dutch locale, English otherwise.

The command line reads the language from the environment as every gettext program
chooses it (``cli/settings.py``: the first of ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``
and ``LANG`` that is set; ``nl``, ``nl_NL.UTF-8``, ``nl_BE.UTF-8``: Dutch; anything
else: English), without needing the locale installed, and says it here (``use``); a
program that calls the library gets English unless it says otherwise.
The Dutch is a gettext catalog (``locale/nl/LC_MESSAGES/ngs.po``, compiled to ``.mo``,
refreshed with ``python tools/catalog.py``). Only what a person reads is translated:
data, JSON keys, CSV headers and the rows of a pipe never change with the language.

``_`` translates a message now; ``N_`` marks one for the catalog that is translated
where it is shown (help texts, which Click reads later).
"""

from __future__ import annotations

import errno
import gettext
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

DOMAIN = "ngs"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "nl")

_active: gettext.NullTranslations | None = None


def translation() -> gettext.NullTranslations:
    """The catalog of the user's language (a null one for English)."""
    global _active
    if _active is None:
        _active = gettext.NullTranslations()
    return _active


def use(language: str | Sequence[str] | None) -> None:
    """Speak ``language`` (``en``, ``nl``) from now on, or the first of several that has
    a catalog, as gettext chooses (``["nl_NL.UTF-8"]``, ``["en", "nl"]``); None or none
    of them: English."""
    global _active
    if not language:
        _active = None
        return
    wanted = [language] if isinstance(language, str) else list(language)
    _active = gettext.translation(DOMAIN, LOCALE_DIR, languages=wanted, fallback=True)


def language() -> str:
    """``nl`` or ``en``: the language the user reads."""
    return "nl" if isinstance(translation(), gettext.GNUTranslations) else "en"


def speaking(language: str | None) -> Callable[[str], str]:
    """The translating function of ``language`` ("en", "nl"; None: the user's), for a
    document that has a language of its own."""
    if language is None:
        return _
    if language not in _SPEAKING:
        found = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)
        _SPEAKING[language] = found.gettext
    return _SPEAKING[language]


_SPEAKING: dict[str, Callable[[str], str]] = {}  # language -> its translating function


def _(message: str) -> str:
    """``message`` in the user's language."""
    return translation().gettext(message)


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for it)
    """``message`` as it is, marked for the catalog: translated where it is shown."""
    return message


def alternatives(values: Iterable[object]) -> str:
    """'a' or 'b' or 'c', in the user's language."""
    return (" " + _("or") + " ").join(map(repr, values))


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural of a message for ``n``, in the user's language."""
    return translation().ngettext(singular, plural, n)


# --- Click's own messages ------------------------------------------------------------

# The messages of the Click that Typer carries, which it writes in English only: each
# pattern (on the English text) and its message id in the catalog (marked for it).
_CLICK = (
    (r"^Invalid value for (?P<a>.+?): (?P<b>.*)$", N_("Invalid value for {a}: {b}")),
    (r"^Invalid value: (?P<a>.*)$", N_("Invalid value: {a}")),
    (r"^Missing argument (?P<a>.+)\.$", N_("Missing argument {a}.")),
    (r"^Missing option (?P<a>.+)\.$", N_("Missing option {a}.")),
    (r"^Missing parameter (?P<a>.+)\.$", N_("Missing parameter {a}.")),
    (r"^No such option: (?P<a>\S+)$", N_("No such option: {a}")),
    (r"^No such option: (?P<a>\S+?)\.? Did you mean (?P<b>.+)\?$", N_("No such option: {a} Did you mean {b}?")),  # noqa: E501
    (r"^No such option: (?P<a>\S+) \(Possible options: (?P<b>.+)\)$",
     N_("No such option: {a} (Possible options: {b})")),
    (r"^No such command (?P<a>.+)\. Did you mean (?P<b>.+)\?$", N_("No such command {a}. Did you mean {b}?")),  # noqa: E501
    (r"^No such command (?P<a>.+)\.$", N_("No such command {a}.")),
    (r"^Got unexpected extra (?:arguments?|argument\(s\)) \((?P<a>.*)\)$",
     N_("Got unexpected extra argument ({a})")),
    (r"^Option (?P<a>.+) requires an argument\.$", N_("Option {a} requires an argument.")),
    (r"^Option (?P<a>.+) requires (?P<b>\d+) arguments\.$", N_("Option {a} requires {b} arguments.")),  # noqa: E501
    (r"^Option (?P<a>.+) does not take a value\.$", N_("Option {a} does not take a value.")),
    (r"^(?P<a>.+) is not a valid int(?:eger| range)?\.$", N_("{a} is not a valid integer.")),
    (r"^(?P<a>.+) is not a valid float\.$", N_("{a} is not a valid float.")),
    (r"^(?P<a>.+) is not a valid boolean\.(?P<b>.*)$", N_("{a} is not a valid boolean.{b}")),
    (r"^(?P<a>.+) is not in the range (?P<b>.+)\.$", N_("{a} is not in the range {b}.")),
    (r"^(?P<a>.+) is not one of (?P<b>.+)\.$", N_("{a} is not one of {b}.")),
)  # fmt: skip


def click_message(message: str) -> str:
    """One of Click's English messages in the user's language (nested ones too:
    "Invalid value for '--limit': 'x' is not a valid integer.")."""
    if language() == "en":
        return message
    import re

    for pattern, msgid in _CLICK:
        found = re.match(pattern, message, re.DOTALL)
        if found:
            parts = {k: click_message(v) if k == "b" else v for k, v in found.groupdict().items()}
            return _(msgid).format(**parts)
    return message


# Typer's and Click's own strings, read through gettext or translated where shown.
_TYPER_IDS = (
    N_("Usage: "), N_("Show this message and exit."), N_("Options"), N_("Commands"),
    N_("Arguments"), N_("Error"), N_("Aborted."), N_("[default: {}]"), N_("[required]"),
    N_("[env var: {}]"), N_("(deprecated) "),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)  # fmt: skip


# The system's reasons a file cannot be read or written that users meet, in the words
# of its English messages (the message ids): a Dutch reader gets them in Dutch.
_OS_REASONS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EROFS: N_("Read-only file system"),
    errno.EEXIST: N_("File exists"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.ELOOP: N_("Too many levels of symbolic links"),
    errno.EIO: N_("Input/output error"),
}


def os_reason(error: OSError) -> str:
    """Why ``error`` happened, in the user's language where it is a common reason."""
    reason = _OS_REASONS.get(error.errno or 0)
    return _(reason) if reason else str(error.strerror or error)

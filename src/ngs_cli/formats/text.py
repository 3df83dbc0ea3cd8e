"""Plain text: a verslag as ``show`` writes it in a pipe, or wrapped to a width."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from ..i18n import speaking
from ..summary import Labels, in_language, meeting_facts, person_line, programme_shown
from ..text import one_line, printable, wrap

if TYPE_CHECKING:
    from ..model import MeetingRecord
    from . import Job


def _wrap(text: str, width: int | None, first: str = "", rest: str | None = None) -> list[str]:
    """Printable text wrapped to ``width`` after ``first``; on one line when width is None."""
    if width is None:
        return [first + one_line(text)]
    rest = " " * len(first) if rest is None else rest
    return wrap(printable(text), width, first, rest) or [first.rstrip()]


def _text_items(
    items: list[Any], numbered: bool, width: int | None, indent: str = "  "
) -> list[str]:
    lines = []
    for n, item in enumerate(items, 1):
        marker = f"{n}. " if numbered else "• "
        text = item if isinstance(item, str) else item["text"]
        lines += _wrap(text, width, indent + marker)
        if not isinstance(item, str):
            pad = indent + " " * len(marker)
            lines += _text_items(item.get("bullets", []), False, width, pad)
            lines += _text_items(item.get("numbered", []), True, width, pad)
    return lines


def _unstyled(text: str, *styles: str) -> str:
    return text


# The underline of each kind of heading in plain text: the title, ngs's own parts
# (People, Programme, Verslag, Notes), and the verslag's headings by level.
UNDERLINES = {"title": "=", "part": "-", 2: "~"}
UNDERLINE_DEEPER = "."


def write_meeting_text(
    stream: IO[str],
    meeting: MeetingRecord,
    labels: Labels,
    width: int | None = None,
    style: Callable[..., str] = _unstyled,
    lang: str | None = None,
) -> None:
    """A meeting's full verslag as text: the facts, the people (role, organisation), the
    programme when the verslag has none of its own, then the verslag in its own words
    and order; each fact once.

    Headings are underlined in plain text (``=`` the title, ``-`` ngs's parts, ``~`` and
    ``.`` the verslag's own), and styled instead where ``style(text, *names)`` decorates
    (the terminal view passes ANSI styles). ``width=None`` writes each paragraph and list
    item on one line, so that ``grep`` finds whole sentences; a terminal passes its
    width. Wrapping is done on the plain text first, and all data is made printable.
    """
    plain = style is _unstyled
    say = speaking(lang)  # the language of its words (None: the interface's)

    def underlined(lines: list[str], kind: str | int) -> list[str]:
        mark = UNDERLINES.get(kind, UNDERLINE_DEEPER)
        return [*lines, mark * max(map(len, lines))]

    title = _wrap(meeting["title"], width)
    lines = underlined(title, "title") if plain else [style(x, "bold", "accent") for x in title]
    lines.append("")
    facts = meeting_facts(meeting, labels, lang)
    label_width = max(len(k) for _field, k, _value in facts) + 2
    for field, k, v in facts:
        room = None if width is None else width - label_width
        ident = field == "id"
        if (
            room is not None
            and len(v) > room
            and (ident or max(map(len, v.split()), default=0) > room)
        ):
            # No room beside the label: the value goes under it, an id whole on a line of
            # its own (the terminal wraps it, and it is copied as one line).
            lines.append(style(k + ":", "bold"))
            lines += [printable(v)] if ident else _wrap(v, width, "  ", "  ")
            continue
        wrapped = _wrap(v, width, f"{k + ':':<{label_width}}")
        wrapped[0] = style(wrapped[0][:label_width], "bold") + wrapped[0][label_width:]
        lines += wrapped

    def part(text: str) -> list[str]:
        return ["", *(underlined([text], "part") if plain else [style(text, "bold", "underline")])]

    if meeting["people"]:
        lines += part(say("People"))
        for p in meeting["people"]:
            lines += _wrap(person_line(p), width, "  ", "    ")
    programme = programme_shown(meeting)
    if programme:
        lines += part(say("Programme"))
        for item, who in programme:
            lines += _wrap(item + (f" — {who}" if who else ""), width, "  • ")
    lines += part(say("Verslag"))
    for section in meeting["sections"]:
        if section["heading"]:
            text = one_line(section["heading"])
            level = section["level"] or 2
            if plain:
                lines += ["", *underlined(_wrap(text, width), level)]
            else:
                indent = "  " * (level - 2)
                names = ("bold", "accent") if level == 2 else ("bold",)
                lines += ["", *(style(x, *names) for x in _wrap(text, width, indent))]
        block: Any
        for block in section["blocks"]:
            lines.append("")
            if "paragraph" in block:
                lines += _wrap(block["paragraph"], width)
            elif "numbered" in block:
                lines += _text_items(block["numbered"], True, width)
            else:
                lines += _text_items(block["bullets"], False, width)
    notes = in_language(meeting, "notes", lang)
    if notes:
        lines += part(say("Notes"))
        for note in notes:
            lines += [style(x, "dim") for x in _wrap(note, width, "  • ")]
    stream.write("\n".join(lines) + "\n")


def verslag_text(meeting: MeetingRecord) -> str:
    """The whole verslag as plain text: every heading, paragraph and list item in order,
    as the data has it, separated by a blank line."""
    from ..verslag import meeting_texts

    return "\n\n".join(meeting_texts(meeting))


def write(stream: IO[str], job: Job) -> None:
    """The verslagen as text, one after another, each paragraph on one line."""
    for n, meeting in enumerate(job.meetings):
        if n:
            stream.write("\n")
        write_meeting_text(stream, meeting, job.labels, lang=job.language)

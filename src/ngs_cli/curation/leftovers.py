"""What a curator leaves behind of a draft in the data file, for ``ngs validate``.

A draft (``ngs draft``) comes with a note on what was read by rule, to be removed once
checked, and with comments: one above the record on what to do, and one "to decide"
comment above each field whose value the text did not settle. Left in the file, each
means a decision not taken. ``left_behind`` finds them, with their lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..errors import Problem
from ..i18n import _

# The draft's note, in either language: its start, and the words that close it.
_NOTE = (
    ("Concept uit de tekst:", "verwijder dan deze opmerking"),
    ("Drafted from the text:", "remove this note"),
)
# The first words of the draft's comments, as it writes them in either language.
_TO_DECIDE = ("to decide:", "te beslissen:")
_HEADERS = (
    "A draft meeting:",
    "Een concept van een bijeenkomst:",
    "Still to decide:",
    "Nog te beslissen:",
)
_KEY = re.compile(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):(?:\s+(\S.*))?$")


def is_draft_note(note: Any) -> bool:
    """Whether a note is the draft's "read by rule; check, then remove this note"."""
    return isinstance(note, str) and any(
        note.startswith(start) and end in note for start, end in _NOTE
    )


def left_behind(raw: bytes, name: str) -> list[Problem]:
    """The draft's note and comments still in a data file (its bytes), each with its line."""
    import io

    from ..store.source import where_in
    from ..yamlio import line_of, parse_with_nodes

    text = raw.decode("utf-8-sig")
    markers = [start for start, _end in _NOTE] + list(_TO_DECIDE) + list(_HEADERS)
    if not any(marker in text for marker in markers):
        return []  # the common case: nothing to parse again
    data, nodes = parse_with_nodes(io.BytesIO(raw), name)
    found: list[Problem] = []
    for i, meeting in enumerate(_meetings(data)):
        for key in ("notes", "notes_en"):
            for j, note in enumerate(meeting.get(key) or ()):
                if is_draft_note(note):
                    path = ("meetings", i, key, j)
                    found.append(
                        Problem(
                            where_in(data, path),
                            _(
                                "the draft's note is still here: check what it lists, then "
                                "remove it"
                            ),
                            line_of(nodes, path),
                        )
                    )
    found += _comments(text)
    return sorted(found, key=lambda p: p.line or 0)


def _meetings(data: Any) -> Iterator[dict[str, Any]]:
    meetings = data.get("meetings") if isinstance(data, dict) else None
    for meeting in meetings if isinstance(meetings, list) else ():
        yield meeting if isinstance(meeting, dict) else {}


def _comments(text: str) -> list[Problem]:
    """The draft's comments: the lines that start one (a wrapped comment goes on below)."""
    found: list[Problem] = []
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        stripped = line.lstrip()
        if not stripped.startswith("#"):
            continue
        comment = stripped[1:].strip()
        if comment.startswith(_HEADERS):
            found.append(
                Problem(
                    "",
                    _("a comment of the draft is still here: do what it says, then remove it"),
                    number,
                )
            )
        elif comment.startswith(_TO_DECIDE):
            below = next((ln for ln in lines[number:] if not ln.lstrip().startswith("#")), "")
            key = _KEY.match(below)
            field = (f"{key[1]}: {key[2]}" if key[2] else key[1]) if key else "?"
            found.append(
                Problem(
                    "",
                    _(
                        "a \"to decide\" comment of the draft is still here, above '{field}': "
                        "decide its value, then remove the comment (not the field)"
                    ).format(field=field[:60]),
                    number,
                )
            )
    return found

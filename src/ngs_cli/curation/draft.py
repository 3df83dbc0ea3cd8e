"""Draft a meeting record from the text of one verslag, as copied from the page.

``draft_meeting`` reads one verslag in the page's format (headings on their own line,
``•`` bullets, ``1.`` numbered items, a closing "Bestanden" line, stray HTML fragments)
and returns a ``Draft``: one record in the data file's form, with every sentence of the
text in order, and the fields the curator still has to decide. ``to_yaml`` renders it
for pasting under ``meetings:``, with comments on what was read and what was guessed.

Nothing is invented: what the text does not state stays null or empty. A year the text
does not state is inferred only from a range of years the caller gives, and marked so.

The stages are the modules beside this one: ``page`` reads the text into sections,
``themes``, ``dates``, ``place`` and ``people`` read the fields, and ``findings``
collects what they leave the curator to decide.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import BadValue
from ..i18n import N_, _
from ..model import SLUG, Meeting
from ..progress import SILENT, Progress
from ..text import fold, wrap
from .dates import read_when, settle_date
from .findings import Findings
from .page import (
    DraftError,
    Section,
    decode,
    gc_paused,
    read_elements,
    read_lines,
    read_sections,
    shorten,
    split_statements,
    text_lines,
)
from .people import read_programme, read_prose_people, speakers_of_sections
from .place import read_city, read_format, read_participants
from .themes import read_title, suggest_topics

__all__ = [
    "FIELDS",
    "OVERRIDES",
    "BadOverride",
    "Draft",
    "DraftError",
    "draft_meeting",
    "slug",
    "to_yaml",
]

OVERRIDES = ("id", "city", "date", "year")
# A meeting's fields in the data file's order, as the model names them.
FIELDS = tuple(Meeting.__annotations__)


class BadOverride(DraftError, BadValue):
    """A value given for one of the draft's fields (``field``) that it cannot take."""

    def __init__(self, field: str, message: str, **params: object):
        super().__init__(message, **params)
        self.field = field


@dataclass
class Draft:
    """A meeting record drafted from text, and what the curator still has to decide.

    ``record`` has every field of a meeting in the data file's order; ``undecided``
    holds one "field: explanation" line per decision left to the curator; ``remarks``
    says, per field, where its value was read or that it was guessed.
    """

    record: dict[str, Any]
    undecided: list[str] = field(default_factory=list)
    remarks: dict[str, str] = field(default_factory=dict)


# Control characters that white space normalising does not remove; YAML cannot hold them.
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def slug(text: str, words: int = 6) -> str:
    """A slug of the text's first words (articles left out): lower case ASCII and hyphens."""
    parts = [w for w in re.sub(r"[^a-z0-9]+", " ", fold(text)).split() if w not in _ARTICLES]
    return "-".join(parts[:words])


_ARTICLES = frozenset({"de", "het", "een"})


def _check_overrides(overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    unknown = sorted(set(given) - set(OVERRIDES))
    if unknown:
        raise DraftError(
            N_("cannot set {fields} when drafting (only {allowed})"),
            fields=", ".join(unknown),
            allowed=", ".join(OVERRIDES),
        )
    if "id" in given and (not isinstance(given["id"], str) or not re.fullmatch(SLUG, given["id"])):
        raise BadOverride(
            "id",
            N_(
                "the id {id} is not a slug: lower case letters, digits and single hyphens, "
                "such as 2024-zwolle"
            ),
            id=repr(given["id"]),
        )
    city = given.get("city")
    if city is not None and (
        not isinstance(city, str) or not city.strip() or re.search(r"[\x00-\x1f\x7f-\x9f]", city)
    ):
        raise BadOverride("city", N_("the city must be a name, such as Zwolle"))
    if "date" in given and not isinstance(given["date"], dt.date):
        value = given["date"]
        try:
            if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                raise ValueError
            given["date"] = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise BadOverride(
                "date",
                N_("the date {date} is not a date in the form YYYY-MM-DD, such as 2024-03-14"),
                date=repr(value),
            ) from None
        if not 1900 <= given["date"].year <= 2100:  # as for --year, and as the schema says
            raise BadOverride(
                "date", N_("the date {date} is not between 1900 and 2100"), date=repr(value)
            )
    if "year" in given:
        value = given["year"]
        # isdigit() alone takes "²", which int() does not.
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2100:
            raise BadOverride(
                "year",
                N_("the year {year} is not a year between 1900 and 2100"),
                year=repr(given["year"]),
            )
        given["year"] = value
    if "date" in given and "year" in given and given["date"].year != given["year"]:
        raise BadOverride(
            "year",
            N_("the date {date} is not in the year {year}"),
            date=given["date"].isoformat(),
            year=given["year"],
        )
    return given


@gc_paused()
def draft_meeting(
    text: str | bytes,
    *,
    topics: Iterable[Mapping[str, Any]],
    overrides: Mapping[str, Any] | None = None,
    year_range: tuple[int, int] | None = None,
    progress: Progress = SILENT,
) -> Draft:
    """Draft one meeting record from the text of one verslag (``progress`` hears how).

    Every sentence of the text is kept, in order and in its words, in sections as the
    data file has them. Title, themes, date, city, venue, attendance, programme and
    people are read from the text where it states them; topics are suggested from the
    vocabulary ``topics``. ``overrides`` (id, city, date as YYYY-MM-DD, year; None
    values are ignored) win over what the text says. A year the text does not state is
    inferred only when ``year_range`` (first, last) is given and exactly one year in it
    puts the stated days on the stated weekdays (or, with none stated, on a Thursday).
    What is neither stated nor given stays null and is listed in ``Draft.undecided``.

    Raises DraftError for text that is empty, binary, not UTF-8, the whole page or
    more than one verslag, or that has no sentences; and for a bad override.
    """
    if isinstance(text, bytes):
        text = decode(text)
    if "\x00" in text:
        raise DraftError(N_("the text is binary data (it contains NUL bytes), not a verslag"))
    control = _CONTROL.search(text)
    if control:
        line = len(text_lines(text[: control.start()] + "x"))
        raise DraftError(
            N_(
                "the text holds a control character ({char} at line {line}), which no "
                "verslag has: is it a binary file?"
            ),
            char=f"U+{ord(control.group()):04X}",
            line=line,
        )
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DraftError(N_("the text is empty: give the text of one verslag"))
    given = _check_overrides(overrides)
    if year_range is not None:
        low, high = year_range
        if not (isinstance(low, int) and isinstance(high, int) and 1900 <= low <= high <= 2100):
            raise DraftError(
                N_("the range of years {years} is not two years, first to last"),
                years=repr(year_range),
            )

    f = Findings()
    lines, files_announced, notes = read_lines(text, progress)
    progress.stage(_("Drafting the record"))
    elements = read_elements(lines)
    if not elements:
        raise DraftError(
            N_("the text has no sentences: only markup, list markers or file headings")
        )
    for nl, en in notes:
        f.note(nl, en)
    sections = read_sections(elements)
    paragraphs = [e for e in elements if e.kind == "paragraph"]
    statements = [s for p in paragraphs for s in split_statements(p.text)]

    title, themes = read_title(paragraphs, f)
    when = read_when(statements)
    dates = settle_date(when, given.get("date"), given.get("year"), year_range, f)

    city, venue = read_city(statements, f)
    if "city" in given:
        if city and fold(city) != fold(given["city"]):
            f.decide(
                "city",
                _("the text says {city}, the city given is {given}").format(
                    city=city, given=given["city"]
                ),
            )
        f.remarks["city"] = _("given")
        city = given["city"].strip()
    elif city is None:
        f.decide("city", _("the text names no host city: give it if you know it, else leave null"))
    if venue:
        f.remark("venue", _('stated: "in ... {venue} in {city}"').format(venue=venue, city=city))

    participants = read_participants(statements, f)
    programme, people = read_programme(sections, f)
    speakers_of_sections(sections, people)
    read_prose_people(statements + _item_texts(elements), people, f)

    record_sections = [_section_dict(s) for s in sections]
    texts = [t for s in record_sections for t in _section_texts(s)]
    meeting_format = read_format(texts, city is not None and "city" not in given, f)
    topic_ids = suggest_topics(list(topics), " \n ".join([title, *themes]), " \n ".join(texts), f)
    _structure_notes(sections, f)

    record_id = _settle_id(given.get("id"), dates, city, title, f)
    if files_announced:
        f.remark("files_announced", _('the text has a "Bestanden" line'))
    guessed = [
        name
        for name, present in (
            ("title and themes", "title" in f.remarks),
            ("topics", bool(topic_ids)),
            ("programme", bool(programme)),
            ("people", bool(people)),
            ("participants", participants is not None),
            ("format", meeting_format is not None),
            ("heading levels", any(s.level == 3 for s in sections)),
        )
        if present
    ]
    if guessed:
        dutch = {
            "title and themes": "titel en thema's", "title": "titel", "city": "stad",
            "venue": "locatie", "themes": "thema's",
            "topics": "onderwerpen", "participants": "deelnemers", "programme": "programma",
            "people": "sprekers", "format": "vorm", "heading levels": "kopniveaus",
        }  # fmt: skip
        f.note(
            "Concept uit de tekst: deze onderdelen zijn automatisch herkend: "
            + ", ".join(dutch.get(g, g) for g in guessed)
            + ". Controleer ze en verwijder dan deze opmerking.",
            "Drafted from the text: "
            + ", ".join(guessed)
            + " were read by rule; check them, then remove this note.",
            first=True,
        )
    record: dict[str, Any] = {
        "id": record_id,
        "title": title,
        **dates,
        "city": city,
        "venue": venue,
        "format": meeting_format,
        "themes": themes,
        "topics": topic_ids,
        "participants": participants,
        "files_announced": files_announced,
        "programme": programme,
        "people": people,
        "sections": record_sections,
        "notes": f.notes,
        "notes_en": f.notes_en,
    }
    # In the model's order; a field the draft does not read is left to its default.
    return Draft({k: record[k] for k in FIELDS if k in record}, f.undecided, f.remarks)


def _item_texts(elements: list[Any]) -> list[str]:
    """The sentences of the lists' items (and their nested items)."""
    texts: list[str] = []
    for element in elements:
        for item in element.block.get("bullets", []) + element.block.get("numbered", []):
            parts = (
                [item]
                if isinstance(item, str)
                else [item["text"], *item.get("bullets", ()), *item.get("numbered", ())]
            )
            texts += [s for part in parts for s in split_statements(part)]
    return texts


def _section_dict(section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if section.heading is not None:
        out["heading"] = section.heading
        if section.level != 2:
            out["level"] = section.level
        if section.speakers:
            out["speakers"] = section.speakers
    out["blocks"] = [
        {"paragraph": e.text} if e.kind == "paragraph" else e.block for e in section.elements
    ]
    return out


def _section_texts(section: dict[str, Any]) -> list[str]:
    texts = [section["heading"]] if section.get("heading") else []
    for block in section["blocks"]:
        if "paragraph" in block:
            texts.append(block["paragraph"])
            continue
        for item in next(iter(block.values())):
            if isinstance(item, str):
                texts.append(item)
            else:
                texts += [item["text"], *item.get("bullets", ()), *item.get("numbered", ())]
    return texts


def _structure_notes(sections: list[Section], f: Findings) -> None:
    """Notes the curated records keep: empty headings, lists announced but absent."""
    for i, section in enumerate(sections):
        opens_group = i + 1 < len(sections) and sections[i + 1].level > section.level
        if section.heading and not section.elements and not opens_group:
            f.note(
                f'De kop "{section.heading}" staat in de tekst zonder eigen tekst; '
                "hij is bewaard als leeg onderdeel.",
                f'The heading "{section.heading}" stands in the text without text of its own; '
                "it is kept as an empty section.",
            )
        for j, element in enumerate(section.elements):
            following = section.elements[j + 1] if j + 1 < len(section.elements) else None
            if (
                element.kind == "paragraph"
                and element.text.endswith(":")
                and (following is None or following.kind != "list")
            ):
                lead = split_statements(element.text)[-1]
                f.note(
                    f'De tekst kondigt een lijst aan ("{shorten(lead, 80)}"),'
                    " maar de lijst zelf staat niet in de tekst.",
                    f'The text announces a list ("{shorten(lead, 80)}"),'
                    " but the list itself is not in the text.",
                )
    levels = [s.heading for s in sections if s.level == 3]
    if levels:
        f.decide(
            "sections",
            _(
                "level 3 guessed for headings under a heading without text of its own: {headings}"
            ).format(headings=", ".join(f'"{shorten(h or "", 40)}"' for h in levels)),
        )


def _settle_id(
    given: str | None, dates: dict[str, Any], city: str | None, title: str, f: Findings
) -> str:
    """The given id, or one made like the data file's: year and city, else the title."""
    if given:
        f.remarks["id"] = "given"
        return given
    year = dates["year"]
    if year and city and slug(city):
        made = f"{year}-{slug(city)}"
        basis = _("the year and the city")
    elif year:
        made = "-".join(p for p in (str(year), slug(title, 4)) if p)
        basis = _("the year and the title")
    else:
        made = slug(title, 5) or "verslag"
        basis = _("the title")
    f.remark(
        "id", _("made from {basis}; ngs validate reports it if it is taken").format(basis=basis)
    )
    if not (year and city) or "year" in f.decided():
        f.decide(
            "id",
            _("made from {basis}, which the text does not settle; choose a lasting id").format(
                basis=basis
            ),
        )
    return made


_KEY_LINE = re.compile(r"^(?:- |  )([a-z_]+):")


@gc_paused()
def to_yaml(draft: Draft) -> str:
    """The draft as YAML to paste under ``meetings:``, with comments on what to decide.

    The text is a one-item list (``- id: ...``); comments above a field say where its
    value was read, what was guessed, and what is still to decide.
    """
    from .. import yamlio

    # libyaml's emitter, twenty times faster for long values (20,000 names: 4 s, 0.2 s);
    # it escapes what lies beyond the BMP ("\U0001F600"), the pure-Python one does not.
    body = yamlio.dump([draft.record])
    if "\\" in body:
        body = yamlio.dump_pure([draft.record])
    out = [
        *_comment(
            _(
                "A draft meeting: paste it under `meetings:` in the data file, in the page's "
                "order (newest first), decide what is listed here, remove these comments, then "
                "check the file you edited:"
            ),
            "",
        ),
        "#   ngs validate data/reports.yaml",
    ]
    if draft.undecided:
        names = ", ".join(dict.fromkeys(u.split(":", 1)[0] for u in draft.undecided))
        out += _comment(
            _("Still to decide: {names} (see the comments above those fields).").format(
                names=names
            ),
            "",
        )
    out.append("")
    by_field: dict[str, list[str]] = {}
    for item in draft.undecided:
        name = item.split(":", 1)[0]
        why = item.split(":", 1)[1].strip()
        by_field.setdefault(name, []).append(_("to decide: {why}").format(why=why))
    for name, remark in draft.remarks.items():
        by_field.setdefault(name, []).insert(0, remark)
    for line in body.splitlines():
        key = _KEY_LINE.match(line)
        if key and not line.startswith("   ") and key[1] in by_field:
            indent = "" if line.startswith("- ") else "  "
            for remark in by_field.pop(key[1]):
                out += _comment(remark, indent)
        out.append(line)
    return "\n".join(out) + "\n"


def _comment(text: str, indent: str) -> list[str]:
    text = " ".join(text.split())  # a line break would end the comment
    wrapped = wrap(text, 96 - len(indent)) or [""]
    return [f"{indent}# {line}" for line in wrapped]

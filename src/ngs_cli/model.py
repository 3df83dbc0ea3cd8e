"""The record types of an ngs data file and the rules between fields that a schema cannot say.

The types are ``TypedDict`` classes: a dataset is plain dicts and lists, which cost
nothing to build, store or serialise, while these classes stay the one source of truth
for the structure. Each field's constraints and documentation sit in a ``Meta`` beside
its type; ``ngs_cli.validate`` hands the types to pydantic, which reads them, validates
and writes the JSON Schema. A field with a default is ``NotRequired`` in a file and always
present once validated. No I/O happens here, and pydantic is not imported.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal, Union

from typing_extensions import NotRequired, TypedDict

from . import SCHEMA_VERSION  # noqa: F401 (re-exported: the model's version)
from .i18n import _
from .text import fold


class Meta:
    """Constraints and documentation attached to a field with ``Annotated``.

    pydantic calls the two ``__get_pydantic_*`` hooks while it builds its validator and
    JSON Schema; they import pydantic only then.
    """

    __slots__ = ("description", "pattern", "minimum", "maximum", "min_length", "default")

    def __init__(
        self,
        description: str,
        *,
        pattern: str | None = None,
        minimum: int | None = None,
        maximum: int | None = None,
        min_length: int | None = None,
        default: Any = ...,
    ) -> None:
        self.description = description
        self.pattern = pattern
        self.minimum = minimum
        self.maximum = maximum
        self.min_length = min_length
        self.default = default

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        schema = handler(source)
        inner = schema
        while inner.get("type") == "nullable":
            inner = inner["schema"]
        kind = inner.get("type")
        if kind == "str":
            if self.min_length:
                inner["min_length"] = self.min_length
                # Blank text is empty text: at least one character that is not a space.
                inner.setdefault("pattern", self.pattern or r"\S")
            if self.pattern:
                inner["pattern"] = self.pattern
        elif kind == "list" and self.min_length:
            inner["min_length"] = self.min_length
        elif kind == "int":
            if self.minimum is not None:
                inner["ge"] = self.minimum
            if self.maximum is not None:
                inner["le"] = self.maximum
        if self.default is not ...:
            if isinstance(self.default, list):
                schema = core_schema.with_default_schema(schema, default_factory=list)
            else:
                schema = core_schema.with_default_schema(schema, default=self.default)
        return schema

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        result = handler(schema)
        result["description"] = self.description
        if self.default is not ...:
            result["default"] = self.default
        return result


ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
# An address a reader's program may open: http or https (what else it holds, every
# output escapes or leaves as text where it cannot be a link).
HTTP_URL = r"^https?://"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Text = Annotated[str, Meta("Text", min_length=1)]


class Person(TypedDict):
    """Someone who spoke or led a session, as the verslag names them."""

    name: Annotated[str, Meta("The name as the verslag gives it.", min_length=1)]
    role: NotRequired[
        Annotated[str | None, Meta("Role or function, as the verslag gives it.", default=None)]
    ]
    organisation: NotRequired[
        Annotated[str | None, Meta("Organisation or city they spoke for, as given.", default=None)]
    ]
    sort_as: NotRequired[
        Annotated[
            str | None,
            Meta(
                "The words of the name an index files it under, where the name alone cannot "
                "tell: 'Smit' for Jan Willem Smit (two given names), 'Groot Nibbelink' is found "
                "without it. The same wherever the name appears.",
                default=None,
            ),
        ]
    ]


class ProgrammeItem(TypedDict):
    """One item of a meeting's programme or agenda."""

    title: Annotated[str, Meta("What the item was about.", min_length=1)]
    speakers: NotRequired[
        Annotated[list[Person], Meta("Who gave it, if the source says.", default=[])]
    ]


class Participants(TypedDict):
    """The attendance, where the source counts it."""

    count: Annotated[int, Meta("Number of participants.", minimum=1)]
    approximate: Annotated[bool, Meta("True when the source says 'ruim', 'rond', ...")]
    cities: NotRequired[
        Annotated[
            int | None, Meta("Number of cities they came from, if stated.", minimum=1, default=None)
        ]
    ]
    text: Annotated[str, Meta("The source's own words for the attendance.", min_length=1)]


class _NestedItemText(TypedDict):
    text: Annotated[str, Meta("The item's text.", min_length=1)]


class NestedItem(_NestedItemText, total=False):
    """A list item with a list of its own beneath it."""

    bullets: Annotated[list[Text], Meta("A bulleted sub-list.")]
    numbered: Annotated[list[Text], Meta("A numbered sub-list.")]


Item = Union[Text, NestedItem]  # noqa: UP007 (a runtime alias, read by pydantic)


class Paragraph(TypedDict):
    """A paragraph of running text."""

    paragraph: Annotated[str, Meta("The paragraph, in the source's words.", min_length=1)]


class Bullets(TypedDict):
    """A bulleted list."""

    bullets: Annotated[list[Item], Meta("The items, in order.", min_length=1)]


class Numbered(TypedDict):
    """A numbered list; numbering starts at 1."""

    numbered: Annotated[list[Item], Meta("The items, in order.", min_length=1)]


Block = Union[Paragraph, Bullets, Numbered]  # noqa: UP007


class Section(TypedDict):
    """A part of the verslag: an optional heading and its text, in order."""

    heading: NotRequired[
        Annotated[str | None, Meta("The heading, or null for untitled text.", default=None)]
    ]
    level: NotRequired[
        Annotated[
            int, Meta("2 for a section, 3 for a sub-section.", minimum=2, maximum=3, default=2)
        ]
    ]
    speakers: NotRequired[
        Annotated[list[str], Meta("Who spoke in this section, if any.", default=[])]
    ]
    blocks: NotRequired[Annotated[list[Block], Meta("Paragraphs and lists, in order.", default=[])]]


DatePrecision = Literal["day", "month", "season", "year", "unknown"]
Season = Literal["spring", "summer", "autumn", "winter"]
MeetingFormat = Literal["in_person", "online"]


class Meeting(TypedDict):
    """One netwerkdag (or two-day netwerkdagen) and its verslag."""

    id: Annotated[str, Meta("Stable, readable slug; unique.", pattern=SLUG)]
    title: Annotated[str, Meta("A short title, in the source's words.", min_length=1)]
    date: NotRequired[
        Annotated[
            str | None,
            Meta(
                "ISO date of the (first) day, or null if the day is unknown.",
                pattern=ISO_DATE,
                default=None,
            ),
        ]
    ]
    end_date: NotRequired[
        Annotated[
            str | None,
            Meta(
                "ISO date of the last day of a multi-day meeting.", pattern=ISO_DATE, default=None
            ),
        ]
    ]
    year: NotRequired[
        Annotated[
            int | None,
            Meta("The year, or null if unknown.", minimum=1900, maximum=2100, default=None),
        ]
    ]
    date_precision: Annotated[DatePrecision, Meta("How much of the date is known.")]
    season: NotRequired[
        Annotated[Season | None, Meta("The season, when that is all that is known.", default=None)]
    ]
    date_inferred: NotRequired[
        Annotated[bool, Meta("True when the year or date is inferred, not stated.", default=False)]
    ]
    date_note: NotRequired[
        Annotated[
            str | None,
            Meta(
                "How the date was established, with the evidence, in the dataset's language.",
                default=None,
            ),
        ]
    ]
    date_note_en: NotRequired[
        Annotated[
            str | None,
            Meta("The date_note in English, for English readers.", default=None),
        ]
    ]
    city: NotRequired[
        Annotated[str | None, Meta("The host city; null if the source does not say.", default=None)]
    ]
    venue: NotRequired[Annotated[str | None, Meta("The venue, where named.", default=None)]]
    format: NotRequired[Annotated[MeetingFormat | None, Meta("In person or online.", default=None)]]
    themes: NotRequired[
        Annotated[list[str], Meta("The themes as the source states them.", default=[])]
    ]
    topics: NotRequired[
        Annotated[list[str], Meta("Topic ids from the controlled vocabulary.", default=[])]
    ]
    participants: NotRequired[
        Annotated[Participants | None, Meta("Attendance, if counted.", default=None)]
    ]
    files_announced: NotRequired[
        Annotated[
            bool, Meta("The page offered downloadable files for this meeting.", default=False)
        ]
    ]
    programme: NotRequired[
        Annotated[list[ProgrammeItem], Meta("The programme or agenda.", default=[])]
    ]
    people: NotRequired[
        Annotated[list[Person], Meta("Everyone who spoke or led a session.", default=[])]
    ]
    sections: Annotated[list[Section], Meta("The verslag, in order.", min_length=1)]
    notes: NotRequired[
        Annotated[
            list[str], Meta("Curator's notes on the record, in the dataset's language.", default=[])
        ]
    ]
    notes_en: NotRequired[
        Annotated[
            list[str],
            Meta("The notes in English, item for item, for English readers.", default=[]),
        ]
    ]


class MeetingRecord(TypedDict):
    """A meeting as the compiled dataset gives it back (``query``, ``search``): the file's
    fields with defaults filled in, ``speakers`` (everyone who spoke or led a session),
    and ``sections`` only where the whole verslag was asked for."""

    id: str
    title: str
    date: str | None
    end_date: str | None
    year: int | None
    date_precision: DatePrecision
    season: Season | None
    date_inferred: bool
    date_note: str | None
    date_note_en: str | None
    city: str | None
    venue: str | None
    format: MeetingFormat | None
    themes: list[str]
    topics: list[str]
    participants: Participants | None
    files_announced: bool
    programme: list[ProgrammeItem]
    people: list[Person]
    notes: list[str]
    notes_en: list[str]
    speakers: list[str]
    url: str | None  # the verslag on the source page (links.verslag_urls)
    sections: NotRequired[list[Section]]


class Topic(TypedDict):
    """A term of the controlled topic vocabulary."""

    id: Annotated[str, Meta("Slug used in meetings' topics.", pattern=SLUG)]
    label: Annotated[str, Meta("Human label.", min_length=1)]
    aliases: NotRequired[
        Annotated[list[str], Meta("Other words that mean this topic.", default=[])]
    ]
    description: NotRequired[
        Annotated[
            str | None,
            Meta("What the topic covers, in the dataset's language (Dutch).", default=None),
        ]
    ]
    description_en: NotRequired[Annotated[str | None, Meta("The same in English.", default=None)]]


class Collection(TypedDict):
    """What the file is: its title, source and introduction."""

    title: Annotated[str, Meta("Title of the collection.", min_length=1)]
    source_url: NotRequired[
        Annotated[
            str | None,
            Meta(
                "Where the source text was published: an http(s) address.",
                pattern=HTTP_URL,
                default=None,
            ),
        ]
    ]
    publisher: NotRequired[Annotated[str | None, Meta("Who published the source.", default=None)]]
    retrieved: NotRequired[
        Annotated[
            str | None,
            Meta(
                "ISO date on which the source page was read for this data (ngs about).",
                pattern=ISO_DATE,
                default=None,
            ),
        ]
    ]
    introduction: NotRequired[
        Annotated[list[str], Meta("The collection's introduction, paragraphs.", default=[])]
    ]


class Dataset(TypedDict):
    """An ngs data file."""

    schema_version: Annotated[int, Meta("Version of this structure.", minimum=1, maximum=1)]
    collection: Annotated[Collection, Meta("The collection's own description.")]
    topics: NotRequired[
        Annotated[list[Topic], Meta("The controlled vocabulary of topics.", default=[])]
    ]
    meetings: Annotated[list[Meeting], Meta("The meetings, newest first.")]


# pydantic reads these: unknown fields are errors, and YAML's types are taken as they
# are (no "2019" accepted for a year).
RECORD_CONFIG = {"extra": "forbid", "strict": True}
for _record in (
    Person,
    ProgrammeItem,
    Participants,
    NestedItem,
    Paragraph,
    Bullets,
    Numbered,
    Section,
    Meeting,
    Topic,
    Collection,
    Dataset,
):
    setattr(_record, "__pydantic_config__", RECORD_CONFIG)  # noqa: B010 (TypedDicts are classes)


def stored_fields() -> list[tuple[str, str]]:
    """Each field of ``Meeting``, in order, with how the compiled database keeps it:
    ``text``, ``integer``, ``bool``, ``json`` (lists and objects), or ``table`` (the
    sections, a table of their own). The one list of a meeting's fields: the database's
    columns, the records read back and the order of whole records all come from it."""
    import types
    import typing

    from typing_extensions import get_type_hints, is_typeddict

    out = []
    for name, hint in get_type_hints(Meeting).items():
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
            hint = args[0]  # X | None
        origin = typing.get_origin(hint)
        if name == "sections":
            kind = "table"
        elif origin is list or is_typeddict(hint):
            kind = "json"
        elif hint is bool:
            kind = "bool"
        elif hint is int:
            kind = "integer"
        else:
            kind = "text"
        out.append((name, kind))
    return out


def meeting_people(meeting: Meeting) -> list[str]:
    """Names of everyone who spoke or led a session at the meeting, first mention first."""
    names = [p["name"] for p in meeting["people"]]
    for item in meeting["programme"]:
        names += [p["name"] for p in item["speakers"]]
    for section in meeting["sections"]:
        names += section["speakers"]
    return list(dict.fromkeys(names))


# --- rules between fields -------------------------------------------------------------

Path = tuple  # a location in the data: keys and list indexes


def check_rules(data: Dataset, broken: set[tuple]) -> list[tuple[Path, str]]:
    """Rules that involve more than one field, on the records whose own fields are valid.

    ``broken`` holds the ``("meetings", i)`` and ``("topics", i)`` of records with type
    problems; they are skipped, so that one broken meeting does not hide the problems of
    the others.
    """
    out: list[tuple[Path, str]] = []
    topic_ids: set[str] = set()
    for i, topic in enumerate(data["topics"]):
        if ("topics", i) in broken:
            continue
        if topic["id"] in topic_ids:
            out.append(
                (("topics", i, "id"), _("duplicate topic id {id}").format(id=repr(topic["id"])))
            )
        topic_ids.add(topic["id"])
    # A topic's label and aliases, folded, for a meeting that names a topic by one.
    aliases = {
        fold(name): topic["id"]
        for i, topic in enumerate(data["topics"])
        if ("topics", i) not in broken
        for name in (topic["id"], topic["label"], *topic["aliases"])
    }
    seen: dict[str, int] = {}
    filed: dict[str, tuple[str, str]] = {}  # a name's sort_as, and the meeting that gave it
    for i, m in enumerate(data["meetings"]):
        at = ("meetings", i)
        if at in broken:
            if isinstance(m, dict) and isinstance(m.get("id"), str):
                seen.setdefault(m["id"], i)
            continue
        if m["id"] in seen:
            first = seen[m["id"]] + 1
            out.append(
                (
                    (*at, "id"),
                    _("duplicate id {id} (also meeting #{n})").format(id=repr(m["id"]), n=first),
                )
            )
        seen.setdefault(m["id"], i)
        for t in m["topics"]:
            if t not in topic_ids:
                alias = aliases.get(fold(t))
                message = (
                    _("{t} is an alias of topic {id}: write {plain}").format(
                        t=repr(t), id=repr(alias), plain=alias
                    )
                    if alias
                    else _("topic {t} is not defined under 'topics'").format(t=repr(t))
                )
                out.append(((*at, "topics"), message))
        # notes_en translates notes item for item, in the same order.
        if m["notes_en"] and len(m["notes_en"]) != len(m["notes"]):
            n, n_en = len(m["notes"]), len(m["notes_en"])
            out.append(
                ((*at, "notes_en"), _("has {n_en} items but notes has {n}").format(n_en=n_en, n=n))
            )
        out += [((*at, f), msg) for f, msg in _date_rules(m)]
        out += [((*at, *f), msg) for f, msg in _sort_rules(m, filed)]
    return out


def _sort_rules(m: Meeting, filed: dict[str, tuple[str, str]]) -> list[tuple[Path, str]]:
    """A person's ``sort_as`` is words of the name, one after the other, and the same
    wherever the name has one (``filed``: each folded name's first sort_as, as given, and
    the meeting that gave it)."""
    out: list[tuple[Path, str]] = []
    people: list[tuple[Path, Person]] = [(("people", j), p) for j, p in enumerate(m["people"])]
    for k, item in enumerate(m["programme"]):
        people += [(("programme", k, "speakers", j), p) for j, p in enumerate(item["speakers"])]
    for path, person in people:
        sort_as = person.get("sort_as")
        if sort_as is None:
            continue
        name, words = person["name"], fold(sort_as).split()
        name_words = fold(name).split()
        if not words or not any(
            name_words[i : i + len(words)] == words for i in range(len(name_words) - len(words) + 1)
        ):
            out.append(
                ((*path, "sort_as"), _("{sort_as} is not a part of the name {name}").format(
                    sort_as=repr(sort_as), name=repr(name)))
            )  # fmt: skip
            continue
        first = filed.setdefault(fold(name), (sort_as, m["id"]))
        if fold(first[0]).split() != words:
            out.append(
                ((*path, "sort_as"), _("{name} is sorted under {here} here but under {there} "
                   "in meeting {id}; give the name the same sort_as everywhere").format(
                    name=repr(name), here=repr(sort_as), there=repr(first[0]), id=first[1]))
            )  # fmt: skip
    return out


def _date_rules(m: Meeting) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    date, end, year, precision = m["date"], m["end_date"], m["year"], m["date_precision"]
    for name, value in (("date", date), ("end_date", end)):
        try:
            if value is not None:
                _dt.date.fromisoformat(value)
        except ValueError:
            return [(name, _("{value} is not a valid date").format(value=repr(value)))]
    if date is not None and year is not None and int(date[:4]) != year:
        out.append(("date", _("{date} contradicts year {year}").format(date=date, year=year)))
    if date is not None and year is None:
        out.append(("year", _("missing while date is {date}").format(date=date)))
    if end is not None:
        if date is None:
            out.append(("end_date", _("set while date is null")))
        elif end < date:
            out.append(("end_date", _("{end} is before date {date}").format(end=end, date=date)))
    if precision == "day" and date is None:
        out.append(("date_precision", _("is 'day' but date is null")))
    if precision != "day" and date is not None:
        out.append(
            (
                "date_precision",
                _("is {precision} but a full date is given").format(precision=repr(precision)),
            )
        )
    if precision == "season" and m["season"] is None:
        out.append(("season", _("missing while date_precision is 'season'")))
    if precision == "unknown" and year is not None:
        out.append(("date_precision", _("is 'unknown' but the year is known")))
    if precision != "unknown" and year is None:
        out.append(
            (
                "year",
                _("missing while date_precision is {precision}").format(precision=repr(precision)),
            )
        )
    if m["date_inferred"] and not m["date_note"]:
        out.append(("date_note", _("an inferred date needs a note with the reasoning")))
    # The English is a translation of a note in the dataset's language, never a note of its
    # own; a file in one language needs no translation, so a note without its English is fine.
    if m["date_note_en"] and not m["date_note"]:
        out.append(
            ("date_note", _("missing while date_note_en is set: the note goes in date_note"))
        )
    return out

"""The record types of an ngs data file, their validation and their JSON Schema.

The types are ``TypedDict`` classes: a loaded dataset is plain dicts and lists, which
cost nothing to build, cache or serialise, while these classes stay the one source of
truth for the structure. ``validate`` checks raw data against them and reports every
problem at once; ``json_schema`` generates ``docs/reports.schema.json`` from them.
No I/O happens here.
"""

from __future__ import annotations

import datetime as _dt
import re
import types
import typing
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal, TypedDict, Union

SCHEMA_VERSION = 1


class Meta:
    """Constraints and documentation attached to a field with ``Annotated``."""

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


ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Text = Annotated[str, Meta("Text", min_length=1)]


class Person(TypedDict):
    """Someone who spoke or led a session, as the verslag names them."""

    name: Annotated[str, Meta("The name as the verslag gives it.", min_length=1)]
    role: Annotated[str | None, Meta("Role or function, as the verslag gives it.", default=None)]
    organisation: Annotated[
        str | None, Meta("Organisation or city they spoke for, as given.", default=None)
    ]


class ProgrammeItem(TypedDict):
    """One item of a meeting's programme or agenda."""

    title: Annotated[str, Meta("What the item was about.", min_length=1)]
    speakers: Annotated[list[Person], Meta("Who gave it, if the source says.", default=[])]


class Participants(TypedDict):
    """The attendance, where the source counts it."""

    count: Annotated[int, Meta("Number of participants.", minimum=1)]
    approximate: Annotated[bool, Meta("True when the source says 'ruim', 'rond', ...")]
    cities: Annotated[
        int | None, Meta("Number of cities they came from, if stated.", minimum=1, default=None)
    ]
    text: Annotated[str, Meta("The source's own words for the attendance.", min_length=1)]


class _NestedItemText(TypedDict):
    text: Annotated[str, Meta("The item's text.", min_length=1)]


class NestedItem(_NestedItemText, total=False):
    """A list item with a list of its own beneath it."""

    bullets: Annotated[list[Text], Meta("A bulleted sub-list.")]
    numbered: Annotated[list[Text], Meta("A numbered sub-list.")]


Item = Union[Text, NestedItem]  # noqa: UP007 (a runtime alias, read by the validator)


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

    heading: Annotated[str | None, Meta("The heading, or null for untitled text.", default=None)]
    level: Annotated[
        int, Meta("2 for a section, 3 for a sub-section.", minimum=2, maximum=3, default=2)
    ]
    speakers: Annotated[list[str], Meta("Who spoke in this section, if any.", default=[])]
    blocks: Annotated[list[Block], Meta("Paragraphs and lists, in order.", default=[])]


DatePrecision = Literal["day", "month", "season", "year", "unknown"]
Season = Literal["spring", "summer", "autumn", "winter"]
MeetingFormat = Literal["in_person", "online"]


class Meeting(TypedDict):
    """One netwerkdag (or two-day netwerkdagen) and its verslag."""

    id: Annotated[str, Meta("Stable, readable slug; unique.", pattern=SLUG)]
    title: Annotated[str, Meta("A short title, in the source's words.", min_length=1)]
    date: Annotated[
        str | None,
        Meta(
            "ISO date of the (first) day, or null if the day is unknown.",
            pattern=ISO_DATE,
            default=None,
        ),
    ]
    end_date: Annotated[
        str | None,
        Meta("ISO date of the last day of a multi-day meeting.", pattern=ISO_DATE, default=None),
    ]
    year: Annotated[
        int | None, Meta("The year, or null if unknown.", minimum=1900, maximum=2100, default=None)
    ]
    date_precision: Annotated[DatePrecision, Meta("How much of the date is known.")]
    season: Annotated[
        Season | None, Meta("The season, when that is all that is known.", default=None)
    ]
    date_inferred: Annotated[
        bool, Meta("True when the year or date is inferred, not stated.", default=False)
    ]
    date_note: Annotated[
        str | None, Meta("How the date was established, with the evidence.", default=None)
    ]
    city: Annotated[
        str | None, Meta("The host city; null if the source does not say.", default=None)
    ]
    venue: Annotated[str | None, Meta("The venue, where named.", default=None)]
    format: Annotated[MeetingFormat | None, Meta("In person or online.", default=None)]
    themes: Annotated[list[str], Meta("The themes as the source states them.", default=[])]
    topics: Annotated[list[str], Meta("Topic ids from the controlled vocabulary.", default=[])]
    participants: Annotated[Participants | None, Meta("Attendance, if counted.", default=None)]
    files_announced: Annotated[
        bool, Meta("The page offered downloadable files for this meeting.", default=False)
    ]
    programme: Annotated[list[ProgrammeItem], Meta("The programme or agenda.", default=[])]
    people: Annotated[list[Person], Meta("Everyone who spoke or led a session.", default=[])]
    sections: Annotated[list[Section], Meta("The verslag, in order.", min_length=1)]
    notes: Annotated[list[str], Meta("Curator's notes on the record.", default=[])]


class Topic(TypedDict):
    """A term of the controlled topic vocabulary."""

    id: Annotated[str, Meta("Slug used in meetings' topics.", pattern=SLUG)]
    label: Annotated[str, Meta("Human label.", min_length=1)]
    aliases: Annotated[list[str], Meta("Other words that mean this topic.", default=[])]
    description: Annotated[str | None, Meta("What the topic covers.", default=None)]


class Collection(TypedDict):
    """What the file is: its title, source and introduction."""

    title: Annotated[str, Meta("Title of the collection.", min_length=1)]
    source_url: Annotated[str | None, Meta("Where the source text was published.", default=None)]
    publisher: Annotated[str | None, Meta("Who published the source.", default=None)]
    introduction: Annotated[
        list[str], Meta("The collection's introduction, paragraphs.", default=[])
    ]


class Dataset(TypedDict):
    """An ngs data file."""

    schema_version: Annotated[int, Meta("Version of this structure.", minimum=1, maximum=1)]
    collection: Annotated[Collection, Meta("The collection's own description.")]
    topics: Annotated[list[Topic], Meta("The controlled vocabulary of topics.", default=[])]
    meetings: Annotated[list[Meeting], Meta("The meetings, newest first.")]


def meeting_texts(meeting: Meeting) -> Iterator[str]:
    """Every piece of text of the verslag itself, in order: headings, paragraphs, items."""
    for section in meeting["sections"]:
        if section.get("heading"):
            yield section["heading"]
        for block in section.get("blocks", ()):
            if "paragraph" in block:
                yield block["paragraph"]
                continue
            for item in block.get("bullets") or block.get("numbered") or ():
                if isinstance(item, str):
                    yield item
                else:
                    yield item["text"]
                    yield from item.get("bullets", ())
                    yield from item.get("numbered", ())


# --- validation -----------------------------------------------------------------------

Path = tuple  # a location in the data: keys and list indexes


def _hints(td: type) -> dict[str, Any]:
    cached = _HINTS.get(td)
    if cached is None:
        cached = _HINTS[td] = typing.get_type_hints(td, include_extras=True)
    return cached


_HINTS: dict[type, dict[str, Any]] = {}


def _split(tp: Any) -> tuple[Any, Meta | None]:
    if typing.get_origin(tp) is Annotated:
        base, *extra = typing.get_args(tp)
        meta = next((m for m in extra if isinstance(m, Meta)), None)
        return base, meta
    return tp, None


def _is_typeddict(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, dict) and hasattr(tp, "__required_keys__")


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (Union, types.UnionType)


def _describe(tp: Any) -> str:
    tp, _ = _split(tp)
    if tp is type(None):
        return "null"
    if tp in (str, int, bool):
        return {str: "a string", int: "an integer", bool: "true or false"}[tp]
    if _is_union(tp):
        return " or ".join(_describe(a) for a in typing.get_args(tp))
    if typing.get_origin(tp) is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    if typing.get_origin(tp) is list:
        return "a list"
    if _is_typeddict(tp):
        return (
            "a mapping with " + ", ".join(sorted(tp.__required_keys__))
            if tp.__required_keys__
            else "a mapping"
        )
    return str(tp)


def _typename(value: Any) -> str:
    if value is None:
        return "null"
    return {
        str: "a string",
        int: "an integer",
        bool: "a boolean",
        float: "a number",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


Checker = Callable[[Any, Path, list[tuple[Path, str]]], Any]
_CHECKERS: dict[Any, Checker] = {}


def _check(value: Any, tp: Any, path: Path, out: list[tuple[Path, str]]) -> Any:
    """Check value against tp, append problems to out, return the normalised value."""
    return _checker(tp)(value, path, out)


def _checker(tp: Any) -> Checker:
    """A function that checks values of type ``tp``, built once per type.

    Reading the annotations again for every value made validation of a large file
    several times slower; the checkers close over what they need instead.
    """
    checker = _CHECKERS.get(tp)
    if checker is None:
        checker = _CHECKERS[tp] = _build_checker(tp)
    return checker


def _build_checker(annotated: Any) -> Checker:
    tp, meta = _split(annotated)
    if _is_union(tp):
        return _union_checker(tp, meta)
    origin = typing.get_origin(tp)
    if origin is Literal:
        allowed = typing.get_args(tp)
        wanted = _describe(tp)

        def check_literal(value: Any, path: Path, out: list[tuple[Path, str]]) -> Any:
            if value not in allowed:
                out.append((path, f"expected {wanted}, got {value!r}"))
            return value

        return check_literal
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        item = _checker(item_tp)
        min_items = meta.min_length if meta else None

        def check_list(value: Any, path: Path, out: list[tuple[Path, str]]) -> Any:
            if not isinstance(value, list):
                out.append((path, f"expected a list, got {_typename(value)}"))
                return value
            if min_items and len(value) < min_items:
                out.append((path, f"must have at least {min_items} item(s)"))
            return [item(v, (*path, i), out) for i, v in enumerate(value)]

        return check_list
    if _is_typeddict(tp):
        return _mapping_checker(tp)
    if tp is bool:

        def check_bool(value: Any, path: Path, out: list[tuple[Path, str]]) -> Any:
            if not isinstance(value, bool):
                out.append((path, f"expected true or false, got {_typename(value)}"))
            return value

        return check_bool
    if tp is int:
        low = meta.minimum if meta else None
        high = meta.maximum if meta else None

        def check_int(value: Any, path: Path, out: list[tuple[Path, str]]) -> Any:
            if not isinstance(value, int) or isinstance(value, bool):
                out.append((path, f"expected an integer, got {_typename(value)}"))
            elif low is not None and value < low:
                out.append((path, f"must be at least {low}, got {value}"))
            elif high is not None and value > high:
                out.append((path, f"must be at most {high}, got {value}"))
            return value

        return check_int
    if tp is str:
        min_length = meta.min_length if meta else None
        pattern = re.compile(meta.pattern) if meta and meta.pattern else None
        is_date = bool(meta and meta.pattern == ISO_DATE)

        def check_str(value: Any, path: Path, out: list[tuple[Path, str]]) -> Any:
            if not isinstance(value, str):
                out.append((path, f"expected a string, got {_typename(value)}"))
                return value
            if min_length and len(value.strip()) < min_length:
                out.append((path, "must not be empty"))
            if "\x00" in value:  # never text; YAML can write it as "\0"
                out.append((path, "contains a NUL character"))
            if pattern is not None:
                if not pattern.match(value):
                    out.append((path, f"{value!r} does not match {pattern.pattern}"))
                elif is_date:
                    try:
                        _dt.date.fromisoformat(value)
                    except ValueError:
                        out.append((path, f"{value!r} is not a valid date"))
            return value

        return check_str
    raise TypeError(f"unsupported type in model: {tp!r}")  # pragma: no cover


def _union_checker(tp: Any, meta: Meta | None) -> Checker:
    options = typing.get_args(tp)
    nullable = type(None) in options
    members = [o for o in options if o is not type(None)]
    wanted = _describe(tp)
    if len(members) == 1:
        (only,) = members
        inner = _checker(Annotated[only, meta] if meta else only)

        def check_optional(value: Any, path: Path, out: list[tuple[Path, str]]) -> Any:
            if value is None:
                if not nullable:
                    out.append((path, f"expected {wanted}, got null"))
                return None
            return inner(value, path, out)

        return check_optional
    shapes: list[tuple[Any, Any, Any, Checker]] = []
    for option in members:
        base, _ = _split(option)
        if _is_typeddict(base):
            shapes.append((base.__required_keys__, frozenset(_hints(base)), None, _checker(option)))
        else:
            shapes.append((None, None, base, _checker(option)))

    def check_union(value: Any, path: Path, out: list[tuple[Path, str]]) -> Any:
        if value is None and nullable:
            return None
        for required, allowed, base, inner in shapes:
            if base is None:
                if isinstance(value, dict) and required <= value.keys() <= allowed:
                    return inner(value, path, out)
            elif isinstance(value, base):
                return inner(value, path, out)
        out.append((path, f"expected {wanted}, got {_typename(value)}"))
        return value

    return check_union


def _mapping_checker(td: Any) -> Checker:
    hints = _hints(td)
    fields = []
    for key, field_tp in hints.items():
        _, meta = _split(field_tp)
        default = meta.default if meta is not None else ...
        fields.append((key, key in td.__optional_keys__, default, field_tp))
    expected = ", ".join(hints)
    wanted = _describe(td)
    compiled: list[tuple[str, bool, Any, Checker]] = []

    def check_mapping(value: Any, path: Path, out: list[tuple[Path, str]]) -> Any:
        if not compiled:  # built on first use: the types may refer to each other
            compiled.extend((k, opt, d, _checker(t)) for k, opt, d, t in fields)
        if not isinstance(value, dict):
            out.append((path, f"expected {wanted}, got {_typename(value)}"))
            return value
        for key in value:
            if key not in hints:
                out.append(((*path, key), f"unknown field (expected one of: {expected})"))
        result: dict[str, Any] = {}
        for key, optional, default, check in compiled:
            if key in value:
                result[key] = check(value[key], (*path, key), out)
            elif optional:
                continue
            elif default is not ...:
                result[key] = list(default) if isinstance(default, list) else default
            else:
                out.append(((*path, key), "missing required field"))
        return result

    return check_mapping


def validate(data: Any) -> tuple[Any, list[tuple[Path, str]]]:
    """Check raw data against ``Dataset`` and the rules between fields.

    Returns the data with defaults filled in, and every problem found as
    ``(path, message)`` pairs; an empty list means the data is valid.
    """
    problems: list[tuple[Path, str]] = []
    if not isinstance(data, dict):
        return data, [((), f"expected a mapping at the top level, got {_typename(data)}")]
    normalised = _check(data, Dataset, (), problems)
    broken = {p[:2] for p, _ in problems if len(p) >= 2}
    if not any(len(p) < 2 or p[0] not in ("meetings", "topics") for p, _ in problems):
        # Rules between fields run on every record whose own fields are well-typed,
        # so that one broken meeting does not hide the problems of the others.
        problems += _check_rules(normalised, broken)
    return normalised, problems


def _check_rules(data: Dataset, broken: set[tuple]) -> list[tuple[Path, str]]:
    """Rules that involve more than one field, on the records in which types are right."""
    out: list[tuple[Path, str]] = []
    topic_ids: set[str] = set()
    for i, topic in enumerate(data["topics"]):
        if ("topics", i) in broken:
            continue
        if topic["id"] in topic_ids:
            out.append((("topics", i, "id"), f"duplicate topic id {topic['id']!r}"))
        topic_ids.add(topic["id"])
    seen: dict[str, int] = {}
    for i, m in enumerate(data["meetings"]):
        at = ("meetings", i)
        if at in broken:
            if isinstance(m, dict) and isinstance(m.get("id"), str):
                seen.setdefault(m["id"], i)
            continue
        if m["id"] in seen:
            first = seen[m["id"]] + 1
            out.append(((*at, "id"), f"duplicate id {m['id']!r} (also meeting #{first})"))
        seen.setdefault(m["id"], i)
        for t in m["topics"]:
            if t not in topic_ids:
                out.append(((*at, "topics"), f"topic {t!r} is not defined under 'topics'"))
        out += [((*at, f), msg) for f, msg in _date_rules(m)]
    return out


def _date_rules(m: Meeting) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    date, end, year, precision = m["date"], m["end_date"], m["year"], m["date_precision"]
    if date is not None and year is not None and int(date[:4]) != year:
        out.append(("date", f"{date} contradicts year {year}"))
    if date is not None and year is None:
        out.append(("year", f"missing while date is {date}"))
    if end is not None:
        if date is None:
            out.append(("end_date", "set while date is null"))
        elif end < date:
            out.append(("end_date", f"{end} is before date {date}"))
    if precision == "day" and date is None:
        out.append(("date_precision", "is 'day' but date is null"))
    if precision != "day" and date is not None:
        out.append(("date_precision", f"is {precision!r} but a full date is given"))
    if precision == "season" and m["season"] is None:
        out.append(("season", "missing while date_precision is 'season'"))
    if precision == "unknown" and year is not None:
        out.append(("date_precision", "is 'unknown' but the year is known"))
    if precision != "unknown" and year is None:
        out.append(("year", f"missing while date_precision is {precision!r}"))
    if m["date_inferred"] and not m["date_note"]:
        out.append(("date_note", "an inferred date needs a note with the reasoning"))
    return out


# --- JSON Schema ------------------------------------------------------------------------


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an ngs data file, generated from the types."""
    defs: dict[str, Any] = {}
    _schema_of(Dataset, defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ngs data file",
        **defs.pop("Dataset"),
        "$defs": dict(sorted(defs.items())),
    }


def _schema_of(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    tp, meta = _split(tp)
    schema: dict[str, Any]
    if _is_union(tp):
        members = [_schema_of(a, defs) for a in typing.get_args(tp)]
        schema = {"anyOf": members}
        simple = [m.get("type") for m in members]
        if all(isinstance(t, str) for t in simple) and all(len(m) == 1 for m in members):
            schema = {"type": simple}
        elif len(members) == 2 and {"type": "null"} in members:
            other = next(m for m in members if m != {"type": "null"})
            if isinstance(other.get("type"), str) and "enum" in other:
                schema = {**other, "type": [other["type"], "null"], "enum": [*other["enum"], None]}
            elif isinstance(other.get("type"), str):
                schema = {**other, "type": [other["type"], "null"]}
    elif typing.get_origin(tp) is Literal:
        schema = {"type": "string", "enum": list(typing.get_args(tp))}
    elif typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp)
        schema = {"type": "array", "items": _schema_of(item, defs)}
    elif _is_typeddict(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            hints = _hints(tp)
            defs[name] = {
                "type": "object",
                "description": " ".join((tp.__doc__ or "").split()),
                "properties": {k: _schema_of(v, defs) for k, v in hints.items()},
                "required": [
                    k for k in hints if k in tp.__required_keys__ and not _has_default(hints[k])
                ],
                "additionalProperties": False,
            }
        schema = {"$ref": f"#/$defs/{name}"}
    elif tp is type(None):
        schema = {"type": "null"}
    else:
        schema = {"type": {str: "string", int: "integer", bool: "boolean"}[tp]}
    if meta is not None:
        if "$ref" in schema:
            schema = {"$ref": schema["$ref"], "description": meta.description}
        else:
            schema["description"] = meta.description
        _constraints(schema, meta)
    return schema


def _has_default(tp: Any) -> bool:
    meta = _split(tp)[1]
    return meta is not None and meta.default is not ...


def _constraints(schema: dict[str, Any], meta: Meta) -> None:
    types_ = schema.get("type")
    kinds = set(types_) if isinstance(types_, list) else {types_}
    if meta.pattern:
        schema["pattern"] = meta.pattern
    if meta.minimum is not None:
        schema["minimum"] = meta.minimum
    if meta.maximum is not None:
        schema["maximum"] = meta.maximum
    if meta.min_length:
        schema["minItems" if "array" in kinds else "minLength"] = meta.min_length
    if meta.default is not ...:
        schema["default"] = meta.default


if __name__ == "__main__":  # python -m ngs_cli.model > docs/reports.schema.json
    import json
    import sys

    json.dump(json_schema(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")

"""Filters, sorting, REFs, people, facets and the timeline: SQL in, records out.

Every function takes an open ``Store`` and reads only the rows it needs. Matching is
case- and accent-insensitive everywhere: the compiled database holds folded copies of the
matched fields (``text.fold``), and values asked for are folded the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import BadValue
from .i18n import N_
from .store import Store
from .text import NAME_PARTICLES, fold

if TYPE_CHECKING:
    from .model import MeetingRecord, Section


def sql_int(n: int) -> int:
    """An integer SQLite can take: held to its 64 bits (a larger year matches nothing, a
    larger limit is no limit, as they would be)."""
    return max(-(2**63), min(n, 2**63 - 1))


# --- filters ------------------------------------------------------------------------


class Filters(NamedTuple):
    """What ``list``, ``export``, ``search``, ``related`` and ``timeline`` select by.

    Values of one kind are alternatives (any may hold); different kinds must all hold.
    ``since``/``until`` are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: a meeting passes when
    the period it may lie in (see ``store.period``) overlaps the range asked for.
    """

    themes: Sequence[str] = ()
    cities: Sequence[str] = ()
    years: Sequence[int] = ()
    speakers: Sequence[str] = ()
    since: str | None = None
    until: str | None = None

    def is_empty(self) -> bool:
        return not (
            self.themes or self.cities or self.years or self.speakers or self.since or self.until
        )

    def where(self) -> tuple[str, list[Any]]:
        """The filters as an SQL condition on ``meetings m``, with its parameters.

        Raises BadValue for a year that is not a whole number, a ``since``/``until`` that
        is not a date, or a range that is inverted."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.years:
            for y in self.years:
                if not isinstance(y, int) or isinstance(y, bool):
                    raise BadValue(N_("the year {year} is not a whole number"), year=repr(y))
            clauses.append(f"m.year IN ({', '.join('?' * len(self.years))})")
            params += [sql_int(y) for y in self.years]
        if self.cities:
            clauses.append(f"m.city_key IN ({', '.join('?' * len(self.cities))})")
            params += [fold(c) for c in self.cities]
        for column, values in (("theme_text", self.themes), ("speaker_text", self.speakers)):
            if values:
                clauses.append("(" + " OR ".join(f"instr(m.{column}, ?)" for _ in values) + ")")
                params += [fold(v) for v in values]
        since = parse_bound(self.since) if self.since else None
        until = parse_bound(self.until) if self.until else None
        check_range(since, until)
        if since:
            clauses.append("m.last_day >= ?")
            params.append(first_day(since))
        if until:
            clauses.append("m.first_day <= ?")
            params.append(last_day(until))
        return (" AND ".join(clauses) or "1"), params


def parse_bound(value: str) -> str:
    """Check a --since/--until value: YYYY, YYYY-MM or YYYY-MM-DD. Returns it normalised."""
    import datetime as _dt

    value = value.strip()
    for fmt, size in (("%Y", 4), ("%Y-%m", 7), ("%Y-%m-%d", 10)):
        if len(value) == size and value.isascii():
            try:
                _dt.datetime.strptime(value, fmt)
            except ValueError:
                break
            return value
    raise BadValue(N_("{value} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"), value=repr(value))


def first_day(bound: str) -> str:
    """The first day a bound covers: 2013 is 2013-01-01, 2013-03 is 2013-03-01."""
    return bound + "-01-01"[: 10 - len(bound)] if len(bound) < 10 else bound


def last_day(bound: str) -> str:
    """The last day a bound covers: 2013 is 2013-12-31, 2013-02 is 2013-02-28."""
    if len(bound) == 4:
        return f"{bound}-12-31"
    if len(bound) == 7:
        year, month = int(bound[:4]), int(bound[5:])
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
        return f"{bound}-{days:02d}"
    return bound


def check_range(since: str | None, until: str | None) -> None:
    """Raise BadValue when a bound is not a date, or the range is empty because it is
    inverted."""
    since = parse_bound(since) if since else None
    until = parse_bound(until) if until else None
    if since and until and first_day(since) > last_day(until):
        raise BadValue(N_("since {since} is after until {until}"), since=since, until=until)


SORT_KEYS = ("date", "city", "title")


def _order(sort: str, reverse: bool) -> str:
    """ORDER BY for meetings: newest first, or by city or title; unknown values last.

    Within one date, earlier in the file (newer on the page) comes first.
    """
    if sort not in SORT_KEYS:
        raise BadValue(N_("cannot sort by {key}"), key=repr(sort))
    newest = "m.sort_date DESC, m.position" if not reverse else "m.sort_date, m.position DESC"
    if sort == "date":
        return f"m.sort_date IS NULL, {newest}"
    key = "m.city_key" if sort == "city" else "m.title_key"
    return f"{key} IS NULL, {key}{' DESC' if reverse else ''}, m.sort_date DESC, m.position"


def find_meetings(
    store: Store,
    filters: Filters | None = None,
    *,
    sort: str = "date",
    reverse: bool = False,
    limit: int | None = None,
) -> list[MeetingRecord]:
    """The meetings that pass ``filters``, newest first (``sort="date"``) or by city/title.

    Meetings without a known date sort last either way; ``reverse`` flips the rest.
    """
    return list(iter_meetings(store, filters, sort=sort, reverse=reverse, limit=limit))


def iter_meetings(
    store: Store,
    filters: Filters | None = None,
    *,
    sort: str = "date",
    reverse: bool = False,
    limit: int | None = None,
    only: Sequence[str] | None = None,
) -> Iterator[MeetingRecord]:
    """``find_meetings``, one record at a time as the database yields them; with
    ``only``, records of just those fields (what a summary shows).

    Bad filters raise BadValue here, before the first record (and before any output).
    """
    where, params = (filters or Filters()).where()
    sql = (
        f"SELECT {store.record_sql(only=only)} FROM meetings m WHERE {where} "
        f"ORDER BY {_order(sort, reverse)}"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(sql_int(limit))
    return (record for record, _ in store.iter_records(sql, params))


# The summary fields that are not a column of the same name (``summary.summary``).
_SUMMARY_COLUMNS = {"participants": "participant_count", "people": "speakers"}


def iter_summary_json(
    store: Store,
    filters: Filters | None,
    fields: Sequence[str],
    *,
    compact: bool = False,
    sort: str = "date",
    reverse: bool = False,
    limit: int | None = None,
) -> Iterator[str]:
    """The ``fields`` of each meeting's summary (``summary.summary``) as the JSON text
    ``json.dumps(..., ensure_ascii=False)`` writes of it (``compact``: with the
    separators ``,`` and ``:``), assembled by SQLite as it reads the rows.

    What ``list --format json`` writes of many meetings costs little more than reading
    them: no record is decoded into Python values to be encoded again, and the lists the
    database keeps as JSON are copied as they are. Filters, order and limit as in
    ``iter_meetings``, and their bad values raise here, before the first text.
    """
    from .text import json_encoder

    where, params = (filters or Filters()).where()
    _names, json_names, bool_names = store.kinds()
    key = json_encoder()
    comma, colon = (",", ":") if compact else (", ", ": ")
    pieces = []
    for i, field in enumerate(fields):
        column = _SUMMARY_COLUMNS.get(field, field)
        kind = "json" if column in json_names else "bool" if column in bool_names else ""
        if kind == "json":  # written by the compile as json.dumps writes it, or minified
            value = f"coalesce({'json' if compact else ''}(m.[{column}]), 'null')"
        elif kind == "bool":
            value = f"CASE WHEN m.[{column}] THEN 'true' ELSE 'false' END"
        else:
            value = f"json_quote(m.[{column}])"
        head = ("{" if i == 0 else comma) + key(field) + colon
        pieces.append(f"'{head}' || {value}")
    text = " || ".join(pieces) + " || '}'" if pieces else "'{}'"
    sql = f"SELECT {text} FROM meetings m WHERE {where} ORDER BY {_order(sort, reverse)}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(sql_int(limit))
    return store.iter_column(sql, params)


def get_meeting(store: Store, meeting_id: str) -> MeetingRecord | None:
    """One whole meeting record, sections included, or None."""
    sql = f"SELECT {store.record_sql()} FROM meetings m WHERE m.id = ?"
    found = [record for record, _ in store.iter_records(sql, (meeting_id,))]
    if not found:
        return None
    meeting = found[0]
    meeting["sections"] = _sections(store, meeting_id)
    return meeting


def _sections(store: Store, meeting_id: str) -> list[Section]:
    return [
        {"heading": h, "level": lv, "speakers": json.loads(sp), "blocks": json.loads(b)}
        for h, lv, sp, b in store.rows(
            "SELECT heading, level, speakers, blocks FROM sections WHERE meeting_id = ? "
            "ORDER BY position",
            (meeting_id,),
        )
    ]


def full_record(store: Store, meeting: MeetingRecord) -> dict[str, Any]:
    """A meeting as the data file has it: the record's own fields, in the model's order."""
    fields: dict[str, Any] = dict(meeting)
    return {k: fields[k] for k in store.meeting_fields()}


def iter_full_meetings(store: Store, meetings: Iterable[MeetingRecord]) -> Iterable[MeetingRecord]:
    """Each of ``meetings`` with its sections, one at a time (nothing held for the rest)."""
    for m in meetings:
        full: MeetingRecord = {**m, "sections": _sections(store, m["id"])}
        yield full


def topic_labels(store: Store) -> dict[str, str]:
    rows = store.rows("SELECT id, label FROM topics ORDER BY position")
    return {r["id"]: r["label"] for r in rows}


# --- REF ------------------------------------------------------------------------------


def resolve_ref(store: Store, ref: str) -> list[MeetingRecord]:
    """The meetings a REF names: an id, a year, a city, or the start of an id.

    An exact id wins. Returns every match, newest first; an empty list for none.
    """
    ref = ref.strip()
    if not ref:
        return []
    order = _order("date", False)
    for where, param in _ref_conditions(ref):
        sql = f"SELECT {store.record_sql()} FROM meetings m WHERE {where} ORDER BY {order}"
        found = [record for record, _ in store.iter_records(sql, (param,))]
        if found:
            return found
    return []


def _ref_conditions(ref: str) -> Iterable[tuple[str, Any]]:
    yield "m.id = ?", ref
    if len(ref) == 4 and ref.isascii() and ref.isdigit():
        yield "m.year = ?", int(ref)
    folded = fold(ref)
    yield "m.city_key = ?", folded
    # A prefix of an id, compared as text: no LIKE wildcards to escape.
    yield "substr(m.id, 1, length(?1)) = ?1", folded


# --- names and values -------------------------------------------------------------------


def known_values(store: Store, kind: str) -> list[str]:
    """Every value an option of this kind can take in this dataset (for hints, completion)."""
    values: list[str] = []
    if kind == "city":
        values = [
            r["city"]
            for r in store.rows(
                "SELECT DISTINCT city FROM meetings WHERE city IS NOT NULL ORDER BY position"
            )
        ]
    elif kind == "theme":
        for tid, label, aliases in store.rows(
            "SELECT id, label, aliases FROM topics ORDER BY position"
        ):
            values += [tid, label, *json.loads(aliases)]
        for (themes,) in store.rows("SELECT themes FROM meetings ORDER BY position"):
            values += json.loads(themes)
    elif kind == "speaker":
        values = [r["name"] for r in store.rows("SELECT DISTINCT name FROM people")]
    elif kind == "year":
        values = [
            str(r["year"])
            for r in store.rows(
                "SELECT DISTINCT year FROM meetings WHERE year IS NOT NULL ORDER BY year DESC"
            )
        ]
    elif kind == "ref":
        values = [r["id"] for r in store.rows("SELECT id FROM meetings ORDER BY position")]
        values += known_values(store, "city") + known_values(store, "year")
    elif kind == "topic":
        values = [r["id"] for r in store.rows("SELECT id FROM topics ORDER BY position")]
    return list(dict.fromkeys(values))


def known_topics(store: Store) -> list[dict[str, Any]]:
    """The topic vocabulary: id, label, aliases and description of each topic."""
    return [
        {"id": i, "label": label, "aliases": json.loads(aliases), "description": description}
        for i, label, aliases, description in store.rows(
            "SELECT id, label, aliases, description FROM topics ORDER BY position"
        )
    ]


def no_such_meeting(store: Store, ref: str) -> BadValue:
    """The error of a REF that names no meeting, with the nearest REFs of the dataset:
    what the command line and the MCP server both say."""
    near = did_you_mean(ref, known_values(store, "ref"))
    if near:
        return BadValue(
            N_("no meeting matches {ref}. Did you mean {value}?"),
            ref=repr(ref),
            value=", ".join(map(repr, near)),
        )
    return BadValue(N_("no meeting matches {ref}."), ref=repr(ref))


def several_meetings(ref: str, found: Sequence[MeetingRecord]) -> BadValue:
    """The error of a REF that names several meetings where one is wanted."""
    return BadValue(N_("{ref} matches {n} meetings; name one:"), ref=repr(ref), n=len(found))


def did_you_mean(value: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates closest to value (accent- and case-insensitive)."""
    import difflib

    folded: dict[str, str] = {}
    for c in candidates:
        folded.setdefault(fold(c), c)
    close = difflib.get_close_matches(fold(value), list(folded), n=n, cutoff=0.6)
    return [folded[c] for c in close]


def unknown_values(
    store: Store, f: Filters, *, aliases: bool = True
) -> list[tuple[str, str, list[str]]]:
    """The filter values that name nothing in the data, with the nearest real ones.

    Each is ``(option, value, suggestions)``; a value that is a known one, or part of
    one for the options that match parts, is not listed. Without ``aliases`` a theme is
    suggested by its topic's id and label and the themes the verslagen state, not by
    the aliases (some English: "undermining"), which --theme matches all the same.
    """
    found = []
    for option, values, kind, partial in (
        ("--city", f.cities, "city", False),
        ("--theme", f.themes, "theme", True),
        ("--speaker", f.speakers, "speaker", True),
    ):
        if not values:
            continue
        known = known_values(store, kind)
        folded = [fold(k) for k in known]
        offered = known if aliases or kind != "theme" else _themes_without_aliases(store)
        for value in values:
            v = fold(value)
            if any(v == k or (partial and v in k) for k in folded):
                continue
            found.append((option, value, did_you_mean(value, offered)))
    return found


def _themes_without_aliases(store: Store) -> list[str]:
    values = [r["id"] for r in store.rows("SELECT id FROM topics ORDER BY position")]
    values += [r["label"] for r in store.rows("SELECT label FROM topics ORDER BY position")]
    for (themes,) in store.rows("SELECT themes FROM meetings ORDER BY position"):
        values += json.loads(themes)
    return list(dict.fromkeys(values))


def year_span(store: Store) -> tuple[int, int] | None:
    row = store.rows("SELECT min(year) AS first, max(year) AS last FROM meetings")[0]
    return (row["first"], row["last"]) if row["first"] is not None else None


# --- people, facets, timeline ------------------------------------------------------------


PEOPLE_SORT_KEYS = ("name", "count")


def people_index(
    store: Store,
    name: str | None = None,
    *,
    roles: Sequence[str] = (),
    sort: str = "name",
) -> list[dict[str, Any]]:
    """Everyone who spoke or led a session: their roles as given, their meetings and
    how many (``count``).

    ``name`` keeps only people whose name contains it, ``roles`` only the appearances
    whose role or organisation contains any of them (both accent-insensitive). Sorted
    by surname, or with ``sort="count"`` by most meetings first; each person's meetings
    newest first.
    """
    if sort not in PEOPLE_SORT_KEYS:
        raise BadValue(
            N_("cannot sort people by {key}; use one of {keys}"),
            key=repr(sort),
            keys=", ".join(PEOPLE_SORT_KEYS),
        )
    sql = (
        "SELECT p.name, p.name_key, p.role, p.organisation, m.id, m.date, m.end_date, "
        "m.season, m.year, m.city, m.title FROM people p JOIN meetings m ON m.id = p.meeting_id "
        "WHERE 1"
    )
    params: list[Any] = []
    if name:
        sql += " AND instr(p.name_key, ?)"
        params.append(fold(name))
    if roles:
        described = "(coalesce(p.role, '') || ' | ' || coalesce(p.organisation, ''))"
        sql += " AND (" + " OR ".join(f"instr(fold({described}), ?)" for _ in roles) + ")"
        params += [fold(r) for r in roles]
    sql += f" ORDER BY {_order('date', False)}, p.rowid"
    people: dict[str, dict[str, Any]] = {}
    # A name's sort_as, where the data gives one: given once, it holds for every
    # appearance, those the filters leave out too.
    filed: dict[str, str] = {
        r["name_key"]: r["sort_as"]
        for r in store.rows("SELECT name_key, sort_as FROM people WHERE sort_as IS NOT NULL")
    }
    conn = store.conn
    conn.create_function("fold", 1, lambda t: fold(t) if t else "", deterministic=True)
    for row in store.rows(sql, params):
        entry = people.setdefault(
            row["name_key"], {"name": row["name"], "count": 0, "appearances": []}
        )
        entry["count"] += 1
        entry["appearances"].append(
            {
                "meeting": row["id"],
                "date": row["date"],
                "end_date": row["end_date"],
                "season": row["season"],
                "year": row["year"],
                "city": row["city"],
                "title": row["title"],
                "role": row["role"],
                "organisation": row["organisation"],
            }
        )
    order = sorted(people, key=lambda key: surname_key(people[key]["name"], filed.get(key)))
    ranked = [people[key] for key in order]
    if sort == "count":
        ranked.sort(key=lambda e: -e["count"])  # stable: by surname among equals
    return ranked


def surname_key(name: str, sort_as: str | None = None) -> tuple[str, str]:
    """Dutch names sort as a Dutch index files them: on all that follows the given name
    (the first word, and initials after it), without particles: "Patrick van den Brink"
    under B, "Martijn Groot Nibbelink" under G, "J. H. de Vries" under V. A name of one
    word is its own surname. Two given names, "Jan Willem Smit", would file under W: the
    name alone cannot tell them from a double surname; there the data says, ``sort_as``
    ("Smit"), which wins."""
    if sort_as:
        return fold(sort_as), fold(name)
    parts = name.split()
    i = 1 if len(parts) > 1 else 0
    while i < len(parts) - 1 and parts[i].endswith("."):
        i += 1  # an initial
    surname = " ".join(p for p in parts[i:] if p.lower() not in NAME_PARTICLES) or name
    return fold(surname), fold(name)


def facet(store: Store, kind: str) -> list[dict[str, Any]]:
    """Each value of ``kind`` ('topic' or 'city') with its number of meetings and years."""
    rows: dict[Any, dict[str, Any]] = {}
    if kind == "topic":
        for tid, label, aliases in store.rows(
            "SELECT id, label, aliases FROM topics ORDER BY position"
        ):
            rows[tid] = {
                "id": tid,
                "label": label,
                "aliases": json.loads(aliases),
                "count": 0,
                "years": [],
                "meetings": [],
            }
        pairs = store.rows(
            "SELECT t.topic_id, m.id, m.year FROM meeting_topics t JOIN meetings m "
            f"ON m.id = t.meeting_id ORDER BY {_order('date', False)}"
        )
    else:
        pairs = store.rows(
            f"SELECT m.city, m.id, m.year FROM meetings m ORDER BY {_order('date', False)}"
        )
    for key, mid, year in pairs:
        row = rows.setdefault(
            key,
            {"city": key, "count": 0, "years": [], "meetings": []}
            if kind == "city"
            else {"id": key, "label": key, "aliases": [], "count": 0, "years": [], "meetings": []},
        )
        row["count"] += 1
        row["meetings"].append(mid)
        if year is not None and year not in row["years"]:
            row["years"].append(year)
    for row in rows.values():
        row["years"].sort()
    return sorted(
        rows.values(), key=lambda r: (-r["count"], fold(r.get("label") or r.get("city") or "~"))
    )


def timeline(
    store: Store, meetings: list[MeetingRecord], *, fill: bool = True
) -> list[tuple[int | None, list[MeetingRecord]]]:
    """Meetings grouped by year, oldest first; with ``fill``, the empty years in between.

    ``meetings`` come newest first (as ``find_meetings`` gives them); meetings of unknown
    year come last, under ``None``.
    """
    by_year: dict[int | None, list[MeetingRecord]] = {}
    for m in reversed(meetings):
        by_year.setdefault(m["year"], []).append(m)
    known = sorted(y for y in by_year if y is not None)
    span = year_span(store) if fill else None
    if span:
        known = list(range(span[0], span[1] + 1))
    result: list[tuple[int | None, list[MeetingRecord]]] = [(y, by_year.get(y, [])) for y in known]
    if None in by_year:
        result.append((None, by_year[None][::-1]))
    return result

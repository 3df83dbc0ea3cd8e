"""Filtering, sorting, resolving a REF, searching and counting meetings. Pure functions.

Matching is case- and accent-insensitive everywhere: text is *folded* (decomposed,
combining marks dropped, case-folded, typographic quotes and dashes made plain), so
``syriegangers`` finds "Syriëgangers" and ``oov'ers`` finds "OOV’ers".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .model import meeting_texts

if TYPE_CHECKING:
    from .dataset import Dataset

Meeting = dict[str, Any]

_PLAIN = {
    "’": "'",
    "‘": "'",
    "‚": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "–": "-",
    "—": "-",
    "\u00a0": " ",
}


def _plain(text: str) -> str:
    # A few str.replace calls beat str.translate with a mapping several times over.
    for fancy, plain in _PLAIN.items():
        if fancy in text:
            text = text.replace(fancy, plain)
    return text


# The combining diacritical marks that NFKD splits off accented letters.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Text reduced for matching: no accents, no case, plain quotes and dashes."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", _plain(text))
    return _COMBINING.sub("", decomposed).casefold()


def fold_with_map(text: str) -> tuple[str, list[int]] | tuple[str, None]:
    """Like ``fold``, plus for each folded character the index it came from in ``text``.

    The map is None when folding kept the text's length, which in practice means each
    character folded to one (an accented letter to its base letter): positions carry over.
    """
    folded = fold(text)
    if len(folded) == len(text):
        return folded, None
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch)
        out.append(f)
        origin.extend([i] * len(f))
    return "".join(out), origin


# --- filters ------------------------------------------------------------------------


class Filters:
    """What ``list``, ``export``, ``search`` and ``timeline`` select by.

    Values of one kind are alternatives (any may hold); different kinds must all hold.
    """

    def __init__(
        self,
        themes: Sequence[str] = (),
        cities: Sequence[str] = (),
        years: Sequence[int] = (),
        speakers: Sequence[str] = (),
        since: str | None = None,
        until: str | None = None,
    ):
        self.themes = themes
        self.cities = cities
        self.years = years
        self.speakers = speakers
        self.since = since
        self.until = until
        self._folded_topics: dict[str, str] = {}

    def is_empty(self) -> bool:
        return not (
            self.themes or self.cities or self.years or self.speakers or self.since or self.until
        )


def parse_bound(value: str) -> str:
    """Check a --since/--until value: YYYY, YYYY-MM or YYYY-MM-DD. Returns it normalised."""
    import datetime as _dt

    value = value.strip()
    for fmt, size in (("%Y", 4), ("%Y-%m", 7), ("%Y-%m-%d", 10)):
        if len(value) == size:
            try:
                _dt.datetime.strptime(value, fmt)
            except ValueError:
                break
            return value
    raise ValueError(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")


def theme_text(ds: Dataset, meeting: Meeting, cache: dict[str, str]) -> str:
    """Everything a --theme value is matched against, folded: themes and topics with aliases."""
    parts = [fold(t) for t in meeting["themes"]]
    for tid in meeting["topics"]:
        if tid not in cache:
            topic = ds.topic(tid) or {"label": "", "aliases": []}
            cache[tid] = fold(" | ".join([tid, topic["label"], *topic["aliases"]]))
        parts.append(cache[tid])
    return " | ".join(parts)


def meeting_people(meeting: Meeting) -> list[str]:
    """Names of everyone who spoke or led a session at the meeting."""
    names = [p["name"] for p in meeting["people"]]
    for item in meeting["programme"]:
        names += [p["name"] for p in item["speakers"]]
    for section in meeting["sections"]:
        names += section["speakers"]
    return list(dict.fromkeys(names))


def _in_range(meeting: Meeting, since: str | None, until: str | None) -> bool:
    """Whether the meeting overlaps the range; one known only to its year spans that year."""
    if meeting["year"] is None:
        return False
    if meeting["date"]:
        first, last = meeting["date"], meeting["end_date"] or meeting["date"]
    else:
        first, last = f"{meeting['year']}-01-01", f"{meeting['year']}-12-31"
    if since and last[: len(since)] < since:
        return False
    return not (until and first[: len(until)] > until)


def matches(ds: Dataset, meeting: Meeting, f: Filters) -> bool:
    """Whether one meeting passes the filters."""
    if f.years and meeting["year"] not in f.years:
        return False
    if f.cities:
        city = fold(meeting["city"] or "")
        if not any(fold(c) == city for c in f.cities):
            return False
    if f.themes:
        text = theme_text(ds, meeting, f._folded_topics)
        if not any(fold(t) in text for t in f.themes):
            return False
    if f.speakers:
        people = fold(" | ".join(meeting_people(meeting)))
        if not any(fold(s) in people for s in f.speakers):
            return False
    return not ((f.since or f.until) and not _in_range(meeting, f.since, f.until))


SORT_KEYS = ("date", "city", "title")


def chronological_key(meeting: Meeting, position: int) -> tuple:
    """Sorts oldest first; within a date, later in the file (older on the page) first."""
    season_month = {"spring": 4, "summer": 7, "autumn": 10, "winter": 12}
    if meeting["date"]:
        month, day = int(meeting["date"][5:7]), int(meeting["date"][8:10])
    else:
        month, day = season_month.get(meeting["season"] or "", 0), 0
    return (meeting["year"] or 0, month, day, -position)


def find_meetings(
    ds: Dataset,
    filters: Filters | None = None,
    *,
    sort: str = "date",
    reverse: bool = False,
    limit: int | None = None,
) -> list[Meeting]:
    """The meetings that pass ``filters``, newest first (``sort="date"``) or by city/title.

    Meetings without a known date sort last either way; ``reverse`` flips the order of the
    rest.
    """
    f = filters or Filters()
    chosen = [(i, m) for i, m in enumerate(ds.meetings) if f.is_empty() or matches(ds, m, f)]
    ordered = sort_meetings(chosen, sort=sort, reverse=reverse)
    return ordered[:limit] if limit is not None else ordered


def sort_meetings(
    chosen: list[tuple[int, Meeting]], *, sort: str = "date", reverse: bool = False
) -> list[Meeting]:
    """Order (position, meeting) pairs; unknown values last."""
    if sort not in SORT_KEYS:
        raise ValueError(f"cannot sort by {sort!r}")
    by_date = sorted(chosen, key=lambda pm: chronological_key(pm[1], pm[0]), reverse=True)
    if sort == "date":
        known = [m for _, m in by_date if m["year"] is not None]
        unknown = [m for _, m in by_date if m["year"] is None]
        return (known[::-1] if reverse else known) + unknown
    field_ = "city" if sort == "city" else "title"
    known = [m for _, m in by_date if m[field_]]
    known.sort(key=lambda m: fold(m[field_]), reverse=reverse)
    return known + [m for _, m in by_date if not m[field_]]


def known_values(ds: Dataset, kind: str) -> list[str]:
    """Every value an option of this kind can take in this dataset (for hints, completion)."""
    values: list[str] = []
    if kind == "city":
        values = [m["city"] for m in ds.meetings if m["city"]]
    elif kind == "theme":
        for t in ds.topics:
            values += [t["id"], t["label"], *t["aliases"]]
        for m in ds.meetings:
            values += m["themes"]
    elif kind == "speaker":
        for m in ds.meetings:
            values += meeting_people(m)
    elif kind == "year":
        values = [str(m["year"]) for m in ds.meetings if m["year"] is not None]
    elif kind == "ref":
        values = [m["id"] for m in ds.meetings]
        values += [m["city"] for m in ds.meetings if m["city"]]
        values += [str(m["year"]) for m in ds.meetings if m["year"] is not None]
    return list(dict.fromkeys(values))


def did_you_mean(value: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates closest to value (accent- and case-insensitive)."""
    import difflib

    cands = list(dict.fromkeys(candidates))
    folded: dict[str, str] = {}
    for c in cands:
        folded.setdefault(fold(c), c)
    close = difflib.get_close_matches(fold(value), list(folded), n=n, cutoff=0.6)
    return [folded[c] for c in close]


# --- REF --------------------------------------------------------------------------------


def resolve_ref(ds: Dataset, ref: str) -> list[Meeting]:
    """The meetings a REF names: an id, a year, a city, or a unique prefix of an id.

    An exact id wins. Returns every match (newest first); an empty list for none.
    """
    ref = ref.strip()
    for m in ds.meetings:
        if m["id"] == ref:
            return [m]
    folded = fold(ref)
    if ref.isdigit() and len(ref) == 4:
        chosen = [m for m in ds.meetings if m["year"] == int(ref)]
    else:
        chosen = [m for m in ds.meetings if m["city"] and fold(m["city"]) == folded]
    if not chosen and folded:
        chosen = [m for m in ds.meetings if m["id"].startswith(folded)]
    return sort_meetings(list(enumerate(chosen)))


# --- search -----------------------------------------------------------------------------

SEARCH_WEIGHTS = (6, 4, 3, 1)  # title and themes, topics, people and programme, the verslag


def _search_fields(ds: Dataset, meeting: Meeting) -> list[str]:
    # Topic labels are searched, their aliases not: an alias says what a topic means,
    # not that the verslag used the word.
    topics = [(ds.topic(t) or {"label": t})["label"] for t in meeting["topics"]]
    programme = [i["title"] for i in meeting["programme"]]
    people = [
        " ".join(filter(None, (p["name"], p["role"], p["organisation"]))) for p in meeting["people"]
    ]
    heading, body = snippet_sources(meeting)
    return [
        _lines(heading),
        _lines(topics),
        _lines([*meeting_people(meeting), *people, *programme]),
        _lines(body),
    ]


def _lines(texts: Iterable[str]) -> str:
    """Folded texts, one a line, so that line k of a field is text k of its source."""
    return "\n".join(fold(" ".join(t.split())) for t in texts)


def snippet_sources(meeting: Meeting) -> tuple[list[str], list[str]]:
    """The texts behind the first and last search fields, in the order of their lines."""
    return [meeting["title"], *meeting["themes"]], [
        *meeting_texts(meeting),
        meeting["city"] or "",
        meeting["venue"] or "",
    ]


def build_search_text(ds: Dataset) -> list[str]:
    """One folded text per meeting, its fields separated by a form feed (cached on disk).

    Fields, by weight: title and themes; topic labels; people and programme; the verslag.
    """
    return ["\f".join(_search_fields(ds, m)) for m in ds.meetings]


class Hit:
    """A meeting that matched a search, its score and the snippets that show why."""

    __slots__ = ("meeting", "score", "snippets")

    def __init__(
        self, meeting: Meeting, score: float, snippets: list[tuple[str, list[tuple[int, int]]]]
    ):
        self.meeting = meeting
        self.score = score
        self.snippets = snippets


def parse_query(query: str) -> list[str]:
    """Folded search terms: words, and "quoted phrases" kept whole."""
    terms = []
    for phrase, word in re.findall(r'"([^"]*)"?|(\S+)', _plain(query)):
        term = " ".join(fold(phrase or word).split())
        term = term.strip("\"'.,;:!?()[]")
        if term:
            terms.append(term)
    return terms


def _term_pattern(term: str) -> re.Pattern[str]:
    # A term matches at the start of a word: "radicalis" finds "radicalisering".
    return re.compile(r"(?<!\w)" + re.escape(term).replace(r"\ ", r"\s+"))


def search(
    ds: Dataset,
    query: str,
    filters: Filters | None = None,
    *,
    limit: int | None = None,
    snippets: int = 3,
) -> list[Hit]:
    """Meetings in which every term of ``query`` occurs, best match first."""
    terms = parse_query(query)
    if not terms:
        return []
    patterns = [_term_pattern(t) for t in terms]
    texts = ds.search_text()
    f = filters or Filters()
    hits: list[tuple[float, int, Meeting, list[str]]] = []
    for i, (meeting, text) in enumerate(zip(ds.meetings, texts)):
        # A plain substring test first: far faster than the regex, and nearly always
        # what rules a meeting out.
        if not all(t in text for t in terms) or not all(p.search(text) for p in patterns):
            continue
        if not f.is_empty() and not matches(ds, meeting, f):
            continue
        fields = text.split("\f")
        score = 0.0
        for term in terms:
            for weight, field_text in zip(SEARCH_WEIGHTS, fields):
                # Counting is plain substring counting: fast, and the regex above has
                # already decided that the term occurs at the start of a word.
                n = field_text.count(term)
                if n:
                    score += weight * (1 + min(n, 10) ** 0.5)
        hits.append((score, i, meeting, fields))
    hits.sort(key=lambda h: (-h[0], -chronological_key(h[2], h[1])[0], h[1]))
    if limit is not None:
        hits = hits[:limit]
    return [
        Hit(
            m,
            round(s, 2),
            find_snippets(m, patterns, snippets, fields, ds.snippet_sources(i)) if snippets else [],
        )
        for s, i, m, fields in hits
    ]


def find_snippets(
    meeting: Meeting,
    patterns: list[re.Pattern[str]],
    most: int,
    fields: list[str] | None = None,
    sources: tuple[list[str], list[str]] | None = None,
    width: int = 160,
) -> list[tuple[str, list[tuple[int, int]]]]:
    """Up to ``most`` pieces of the meeting's text around hits, with the hits' spans.

    ``fields`` is the meeting's search text, split, and ``sources`` the texts behind its
    lines (``snippet_sources``); they tell which texts hold a hit, so that only those are
    folded again, to map the hits back onto the original text.
    """
    sources = sources or snippet_sources(meeting)
    if fields is None:
        fields = [_lines(sources[0]), "", "", _lines(sources[1])]
    candidates: list[str] = []
    for field, texts in zip((fields[0], fields[3]), sources):
        hit_lines: set[int] = set()
        for p in patterns:
            line, pos, found = 0, 0, 0
            for mt in p.finditer(field):
                line += field.count("\n", pos, mt.start())
                pos = mt.start()
                if line not in hit_lines:
                    hit_lines.add(line)
                    found += 1
                    if found >= most:
                        break
        candidates += [texts[n] for n in sorted(hit_lines) if n < len(texts)]
    out: list[tuple[str, list[tuple[int, int]]]] = []
    for text in dict.fromkeys(candidates):
        snippet = _snippet(text, patterns, width)
        if snippet:
            out.append(snippet)
            if len(out) >= most:
                break
    return out


def _snippet(
    text: str, patterns: list[re.Pattern[str]], width: int
) -> tuple[str, list[tuple[int, int]]] | None:
    folded, origin = fold_with_map(text)
    spans = []
    for p in patterns:
        for mt in p.finditer(folded):
            if mt.end() > mt.start():
                if origin is None:
                    spans.append((mt.start(), mt.end()))
                else:
                    spans.append((origin[mt.start()], origin[mt.end() - 1] + 1))
    if not spans:
        return None
    spans.sort()
    start = max(0, spans[0][0] - width // 3)
    end = min(len(text), start + width)
    if start > 0:
        start = text.rfind(" ", 0, start) + 1
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shifted = [
        (a - start + len(prefix), b - start + len(prefix))
        for a, b in spans
        if a >= start and b <= end
    ]
    return prefix + text[start:end] + suffix, shifted


# --- indexes and facets --------------------------------------------------------------


def people_index(ds: Dataset, name: str | None = None) -> list[dict[str, Any]]:
    """Everyone who spoke or led a session: their roles as given and their meetings.

    ``name`` keeps only people whose name contains it (accent-insensitive).
    """
    people: dict[str, dict[str, Any]] = {}
    ordered = find_meetings(ds)
    for meeting in ordered:
        details = {p["name"]: p for p in meeting["people"]}
        for item in meeting["programme"]:
            for p in item["speakers"]:
                details.setdefault(p["name"], p)
        for person in meeting_people(meeting):
            key = fold(person)
            entry = people.setdefault(key, {"name": person, "appearances": []})
            p = details.get(person, {})
            entry["appearances"].append(
                {
                    "meeting": meeting["id"],
                    "date": meeting["date"],
                    "year": meeting["year"],
                    "city": meeting["city"],
                    "title": meeting["title"],
                    "role": p.get("role"),
                    "organisation": p.get("organisation"),
                }
            )
    wanted = fold(name) if name else None
    result = [e for k, e in people.items() if wanted is None or wanted in k]
    result.sort(key=lambda e: _surname_key(e["name"]))
    return result


def _surname_key(name: str) -> tuple[str, str]:
    # Dutch names sort on the surname without its prefix: "Pieter Tops" under T,
    # "Patrick van den Brink" under B.
    parts = name.split()
    prefixes = {"van", "de", "den", "der", "het", "ten", "ter", "te", "vd", "'t", "in"}
    i = len(parts) - 1
    while i > 0 and parts[i - 1].lower() in prefixes:
        i -= 1
    surname = " ".join(p for p in parts[i:] if p.lower() not in prefixes) or name
    return fold(surname), fold(name)


def facet(ds: Dataset, kind: str, meetings: list[Meeting] | None = None) -> list[dict[str, Any]]:
    """Each value of ``kind`` ('topic' or 'city') with its number of meetings and years."""
    meetings = ds.meetings if meetings is None else meetings
    rows: dict[Any, dict[str, Any]] = {}
    if kind == "topic":
        for t in ds.topics:
            rows[t["id"]] = {
                "id": t["id"],
                "label": t["label"],
                "aliases": t["aliases"],
                "count": 0,
                "years": [],
                "meetings": [],
            }
    for m in meetings:
        keys = m["topics"] if kind == "topic" else [m["city"]]
        for key in keys:
            row = rows.setdefault(
                key,
                {"city": key, "count": 0, "years": [], "meetings": []}
                if kind == "city"
                else {
                    "id": key,
                    "label": key,
                    "aliases": [],
                    "count": 0,
                    "years": [],
                    "meetings": [],
                },
            )
            row["count"] += 1
            row["meetings"].append(m["id"])
            if m["year"] is not None and m["year"] not in row["years"]:
                row["years"].append(m["year"])
    for row in rows.values():
        row["years"].sort()
    return sorted(
        rows.values(), key=lambda r: (-r["count"], fold(r.get("label") or r.get("city") or "~"))
    )


def timeline(
    ds: Dataset, meetings: list[Meeting], *, fill: bool = True
) -> list[tuple[int | None, list[Meeting]]]:
    """Meetings grouped by year, oldest first; with ``fill``, empty years in between too.

    Meetings of unknown year come last, under ``None``.
    """
    by_year: dict[int | None, list[Meeting]] = {}
    for m in sort_meetings(list(enumerate(meetings)), reverse=True):
        by_year.setdefault(m["year"], []).append(m)
    known = sorted(y for y in by_year if y is not None)
    if fill and ds.meetings:
        all_years = [m["year"] for m in ds.meetings if m["year"] is not None]
        if all_years:
            known = list(range(min(all_years), max(all_years) + 1))
    result: list[tuple[int | None, list[Meeting]]] = [(y, by_year.get(y, [])) for y in known]
    if None in by_year:
        result.append((None, by_year[None]))
    return result

"""The meeting's date, as far as the text states it: day, month, year, season, and the
weekdays it names for those days, checked against the calendar.

``settle_date`` combines what the text states with what the curator gives; a year the
text does not state is inferred only from a range of years the caller gives.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..calendar import MONTHS_EN, MONTHS_NL, SEASON_WORDS_NL, WEEKDAYS_EN, WEEKDAYS_NL
from ..i18n import _, language
from .findings import Findings

_THURSDAY, _FRIDAY = 3, 4

_WD = "|".join(WEEKDAYS_NL)
_MO = "|".join(MONTHS_NL)
# A date as the text writes it, after "op" or a weekday: "op donderdag 16 maart 2023",
# "donderdag 14 en vrijdag 15 november".
DATE = re.compile(
    rf"(?:\b(?P<op>op)\s+(?:(?P<wd>{_WD})\s+)?|\b(?P<wd0>{_WD})\s+)"
    rf"(?P<d1>\d{{1,2}})(?:\s*(?:en|t/m|tot en met|-|–)\s*(?:(?P<wd2>{_WD})\s+)?(?P<d2>\d{{1,2}}))?"
    rf"\s+(?P<month>{_MO})\b(?:\s+(?P<year>(?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\d,.])(?:19[5-9]\d|20\d\d)(?![\d]|[,.]\d)")
_SEASON = re.compile(
    rf"\b({'|'.join(SEASON_WORDS_NL)})\s+(?:van\s+)?((?:19|20)\d\d)\b", re.IGNORECASE
)
# Words that make the year after them another thing's: "het rapport uit 2019", "sinds 2015".
_OTHER_YEAR = re.compile(
    r"\b(?:uit|sinds|sedert|vanaf|tot|voor|vóór|na)\s+(?:het\s+jaar\s+)?$", re.IGNORECASE
)
_MONTH_YEAR = re.compile(rf"\bin\s+({_MO})\s+((?:19|20)\d\d)\b", re.IGNORECASE)
# A sentence about the meeting itself, where its date and place are stated.
ABOUT_MEETING = re.compile(
    r"netwerkdag|bijeen|\bplaats\b|plaatsvond|gehouden|\bthema|\bverslag", re.IGNORECASE
)


@dataclass
class When:
    """The date as the text states it, and what it says around it."""

    day: int | None = None
    day2: int | None = None
    month: int | None = None
    phrase: str | None = None  # the date as written
    year: int | None = None  # the year as stated
    year_phrase: str | None = None  # where the year is stated, if not with the date
    other_years: list[int] = field(default_factory=list)
    weekdays: list[tuple[str, int, int, str]] = field(default_factory=list)
    season: str | None = None
    season_phrase: str | None = None
    month_only: int | None = None


def read_when(statements: list[str]) -> When:
    """The date as the text states it, with every weekday stated for those days."""
    w = When()
    for s in statements:
        about = bool(ABOUT_MEETING.search(s))
        for m in DATE.finditer(s):
            d1, month = int(m["d1"]), MONTHS_NL.index(m["month"].lower()) + 1
            d2 = int(m["d2"]) if m["d2"] and int(m["d2"]) > d1 else None
            if w.day is None and about:
                w.day, w.day2, w.month, w.phrase = d1, d2, month, m.group(0)
                if m["year"]:
                    w.year = int(m["year"])
            if w.day is None or month != w.month or not w.day <= d1 <= (w.day2 or w.day):
                continue  # another day the text mentions, not the meeting's
            weekday = m["wd"] or m["wd0"]
            if weekday:
                w.weekdays.append((weekday.lower(), d1, month, m.group(0)))
            if m["wd2"] and d2:
                w.weekdays.append((m["wd2"].lower(), d2, month, m.group(0)))
    for s in statements:
        if not ABOUT_MEETING.search(s):
            continue
        season = _SEASON.search(s)
        if season and w.season is None:
            w.season, w.season_phrase = SEASON_WORDS_NL[season[1].lower()], season.group(0)
        month_year = _MONTH_YEAR.search(s)
        if month_year and w.month_only is None and w.day is None:
            w.month_only = MONTHS_NL.index(month_year[1].lower()) + 1
        for y in _YEAR.finditer(s):
            year = int(y.group())
            if _OTHER_YEAR.search(s, max(0, y.start() - 40), y.start()):
                continue  # "het rapport uit 2019": the year of something else
            if w.year is None:
                w.year, w.year_phrase = year, _excerpt(s, y.start(), y.end())
            elif year != w.year and year not in w.other_years:
                w.other_years.append(year)
    return w


def _excerpt(sentence: str, start: int, end: int) -> str:
    """A few words around sentence[start:end], for quoting the evidence."""
    before = sentence[:start].split()[-4:]
    after = sentence[end:].split()[:1]
    text = " ".join([*before, sentence[start:end], *after])
    lead = "..." if len(sentence[:start].split()) > 4 else ""
    tail = " ..." if len(sentence[end:].split()) > 1 else ""
    return f"{lead}{text}{tail}".strip()


def _english(day: dt.date) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def _dutch(day: dt.date) -> str:
    return f"{day.day} {MONTHS_NL[day.month - 1]} {day.year}"


def _weekday_fact_nl(first: dt.date, last: dt.date | None) -> str:
    if last is None:
        return f"{_dutch(first)} was een {WEEKDAYS_NL[first.weekday()]}."
    return (
        f"{first.day} en {_dutch(last)} waren een {WEEKDAYS_NL[first.weekday()]} "
        f"en een {WEEKDAYS_NL[last.weekday()]}."
    )


def _note(out: dict[str, Any], nl: str, en: str) -> None:
    """A date note: in Dutch, the dataset's language, with its English beside it."""
    out["date_note"], out["date_note_en"] = nl, en


def _weekday_fact(first: dt.date, last: dt.date | None) -> str:
    if last is None:
        return f"{_english(first)} was a {WEEKDAYS_EN[first.weekday()]}."
    return (
        f"{first.day} and {_english(last)} were a {WEEKDAYS_EN[first.weekday()]} "
        f"and a {WEEKDAYS_EN[last.weekday()]}."
    )


def _date_or_none(year: int, month: int, day: int | None) -> dt.date | None:
    if day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year_candidates(w: When, low: int, high: int) -> list[int]:
    """Years in the range in which the stated days fall on the stated (or usual) weekdays."""
    found = []
    for year in range(low, high + 1):
        first = _date_or_none(year, w.month or 1, w.day)
        if first is None:
            continue
        if w.weekdays:
            fits = all(
                (d := _date_or_none(year, mo, day)) is not None and WEEKDAYS_NL[d.weekday()] == wd
                for wd, day, mo, _ in w.weekdays
            )
        else:
            last = _date_or_none(year, w.month or 1, w.day2)
            fits = first.weekday() == _THURSDAY and (last is None or last.weekday() == _FRIDAY)
        if fits:
            found.append(year)
    return found


def settle_date(
    w: When,
    over_date: dt.date | None,
    over_year: int | None,
    year_range: tuple[int, int] | None,
    f: Findings,
) -> dict[str, Any]:
    """The date fields from what the text states, what the curator gave, and the range."""
    out: dict[str, Any] = {
        "date": None,
        "end_date": None,
        "year": None,
        "date_precision": "unknown",
        "season": None,
        "date_inferred": False,
        "date_note": None,
        "date_note_en": None,
    }
    stated = f'"{w.phrase}"' if w.phrase else None
    year_evidence = f'"{w.year_phrase}"' if w.year_phrase else None
    if w.other_years:
        f.decide(
            "year",
            _(
                "the text names more than one year ({years}); check which one the meeting was "
                "held in"
            ).format(years=", ".join(map(str, [w.year, *w.other_years]))),
        )
    day_month = (
        f"{w.day} {MONTHS_EN[(w.month or 1) - 1]}" if w.day is not None and w.month else None
    )
    day_month_nl = (
        f"{w.day} {MONTHS_NL[(w.month or 1) - 1]}" if w.day is not None and w.month else None
    )

    year = over_date.year if over_date else over_year
    given = year is not None
    if year is not None and w.year is not None and w.year != year:
        f.decide(
            "year",
            _("the text states {stated}, the year given is {given}").format(
                stated=w.year, given=year
            ),
        )
    if year is None and w.year is not None:
        year = w.year
    inferred_from_range: list[int] | None = None
    if year is None and w.day is not None and year_range:
        low, high = year_range
        candidates = _year_candidates(w, low, high)
        basis = (
            "the weekday the text states"
            if w.weekdays
            else "a Thursday, the network's usual day (the text states no weekday)"
        )
        basis_nl = (
            "de weekdag die de tekst noemt"
            if w.weekdays
            else "een donderdag, de gebruikelijke dag van het netwerk (de tekst noemt geen weekdag)"
        )
        dutch = language() == "nl"  # the curator's comments: the interface's language
        shown_day, shown_basis = (day_month_nl, basis_nl) if dutch else (day_month, basis)
        if len(candidates) == 1:
            year = candidates[0]
            inferred_from_range = candidates
            _note(
                out,
                f"Dag en maand vermeld ({stated}), jaar afgeleid: van de jaren {low}-{high} viel "
                f"{day_month_nl} alleen in {year} op {basis_nl}.",
                f"Day and month stated ({stated}), year inferred: of the years {low}-{high}, "
                f"{day_month} fell on {basis} only in {year}.",
            )
            f.decide(
                "year",
                _(
                    "inferred as {year} from the weekday within {low}-{high}; check it against "
                    "the neighbouring meetings and add that evidence to date_note"
                ).format(year=year, low=low, high=high),
            )
        elif candidates:
            f.decide(
                "year",
                _(
                    "{day} fell on {basis} in {years}, all within {low}-{high}: give the year "
                    "with the evidence in date_note"
                ).format(
                    day=shown_day,
                    basis=shown_basis,
                    years=", ".join(map(str, candidates)),
                    low=low,
                    high=high,
                ),
            )
        else:
            f.decide(
                "year",
                _(
                    "{day} fell on {basis} in none of the years {low}-{high}: give the year "
                    "with the evidence in date_note"
                ).format(day=shown_day, basis=shown_basis, low=low, high=high),
            )
    if (
        year is not None
        and year_range
        and w.year is not None
        and not (year_range[0] <= w.year <= year_range[1])
    ):
        f.decide(
            "year",
            _("the text states {stated}, outside the range {range}").format(
                stated=w.year, range=f"{year_range[0]}-{year_range[1]}"
            ),
        )

    if over_date is not None:
        out.update(date=over_date.isoformat(), year=over_date.year, date_precision="day")
        if w.day is not None and (w.day, w.month) != (over_date.day, over_date.month):
            f.decide(
                "date",
                _("the text says {stated}, the date given is {given}").format(
                    stated=stated, given=over_date.isoformat()
                ),
            )
        elif w.day2 is not None:
            last = _date_or_none(over_date.year, over_date.month, w.day2)
            out["end_date"] = last.isoformat() if last else None
    elif year is not None:
        out["year"] = year
        first = _date_or_none(year, w.month or 1, w.day)
        if w.day is not None and first is None:
            f.decide("date", _("{stated} is no date in {year}").format(stated=stated, year=year))
        if first is not None:
            out.update(date=first.isoformat(), date_precision="day")
            last = _date_or_none(year, w.month or 1, w.day2)
            out["end_date"] = last.isoformat() if last else None
        elif w.season and (w.year is None or w.season_phrase and str(year) in w.season_phrase):
            out.update(date_precision="season", season=w.season)
        elif w.month_only:
            out["date_precision"] = "month"
        else:
            out["date_precision"] = "year"

    first = dt.date.fromisoformat(out["date"]) if out["date"] else None
    last = dt.date.fromisoformat(out["end_date"]) if out["end_date"] else None
    if first is not None:
        for weekday, day, month, phrase in w.weekdays:
            actual = _date_or_none(first.year, month, day)
            if actual is not None and WEEKDAYS_NL[actual.weekday()] != weekday:
                f.decide(
                    "date",
                    _('the text says "{phrase}", but {day} was a {weekday}').format(
                        phrase=phrase,
                        day=actual.isoformat(),
                        weekday=(WEEKDAYS_NL if language() == "nl" else WEEKDAYS_EN)[
                            actual.weekday()
                        ],
                    ),
                )

    text_states_year = w.year is not None and w.year == out["year"]
    text_states_day = w.day is not None and (
        first is None or (w.day, w.month) == (first.day, first.month)
    )
    if inferred_from_range:
        out["date_inferred"] = True
    elif given and not (text_states_year and (text_states_day or out["date"] is None)):
        out["date_inferred"] = True
        what = f"date, {out['date']}," if over_date else f"year, {out['year']},"
        if over_date and (w.day, w.month) == (over_date.day, over_date.month):
            what = f"year, {out['year']},"
        what_nl = f"datum ({out['date']})" if over_date else f"jaar ({out['year']})"
        if over_date and (w.day, w.month) == (over_date.day, over_date.month):
            what_nl = f"jaar ({out['year']})"
        article = "de" if what_nl.startswith("datum") else "het"
        if w.phrase:
            _note(
                out,
                f"Dag en maand vermeld ({stated}); {article} {what_nl} is opgegeven door de "
                "samensteller en staat niet in de tekst.",
                f"Day and month stated ({stated}); the {what} was given by the curator, "
                "not stated in the text.",
            )
        else:
            _note(
                out,
                f"{article.capitalize()} {what_nl} is opgegeven door de samensteller; de tekst "
                f"noemt geen {'datum' if over_date else 'dag of maand'}.",
                f"The {what} was given by the curator; the text states no "
                f"{'date' if over_date else 'day or month'}.",
            )
        f.decide("date_note", _("give the evidence for what the text does not state"))
    elif out["year"] is not None:
        evidence = " and ".join(e for e in (stated, year_evidence) if e)
        evidence_nl = " en ".join(e for e in (stated, year_evidence) if e)
        if out["date_precision"] == "day" and first is not None:
            _note(
                out,
                f"Vermeld: {evidence_nl}; {_weekday_fact_nl(first, last)}",
                f"Stated: {evidence}; {_weekday_fact(first, last)}",
            )
        elif out["date_precision"] == "season":
            _note(
                out,
                f'Vermeld: "{w.season_phrase}". De tekst noemt geen dagen.',
                f'Stated: "{w.season_phrase}". The text gives no days.',
            )
        else:
            _note(
                out,
                f"Vermeld: {evidence_nl}. De tekst noemt geen dag of maand.",
                f"Stated: {evidence}. The text gives no day or month.",
            )
    elif w.phrase:
        _note(
            out,
            f"Dag en maand vermeld ({stated}); het jaar wordt niet vermeld.",
            f"Day and month stated ({stated}); the year is not stated.",
        )
    if out["year"] is None and "year" not in f.decided():
        f.decide(
            "year",
            _(
                "the text states no year: give it (--year, or --date for the day) with the "
                "evidence in date_note, or leave it unknown"
            ),
        )
    if over_date is not None:
        f.remark("date", _("given"))
    elif w.phrase:
        f.remark("date", _("read from {stated}").format(stated=stated))
    return out

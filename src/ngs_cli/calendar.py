"""The calendar's words, in one place: months, weekdays and seasons in Dutch and English,
the months a season covers, and a meeting's date in words as far as the data knows it.

The formats, the citations, the compile and a draft's reading of a verslag take these
from here; how a citation style writes a date (APA's "2015, 19–20 november") stays with
the style.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .i18n import N_, _, language

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december")  # fmt: skip
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The seasons as the data names them, in the year's order (CSL numbers them so, 1 to 4).
SEASONS = ("spring", "summer", "autumn", "winter")
SEASONS_NL = {"spring": "voorjaar", "summer": "zomer", "autumn": "najaar", "winter": "winter"}
# In the interface's language (the catalog has them).
_SEASONS_SHOWN = {"spring": N_("spring"), "summer": N_("summer"), "autumn": N_("autumn"),
                  "winter": N_("winter")}  # fmt: skip
# The words a Dutch text may use for a season: the data's, and "lente" and "herfst".
SEASON_WORDS_NL = {**{word: season for season, word in SEASONS_NL.items()},
                   "lente": "spring", "herfst": "autumn"}  # fmt: skip
# A season's meteorological months: its first day, its last (winter's is in the next
# year, the 29th in a leap year), and the month it sorts by.
SEASON_MONTHS = {
    "spring": ("03-01", "05-31", 4),
    "summer": ("06-01", "08-31", 7),
    "autumn": ("09-01", "11-30", 10),
    "winter": ("12-01", "02-28", 12),
}


def dutch_date(date: str, end: str | None) -> str:
    """A day or days in Dutch: '16 maart 2023', '19–20 november 2015', '30 juni – 1 juli
    2016' (``date`` and ``end`` as YYYY-MM-DD)."""

    def day(iso: str, *, year: bool = True) -> str:
        text = f"{int(iso[8:10])} {MONTHS_NL[int(iso[5:7]) - 1]}"
        return f"{text} {iso[:4]}" if year else text

    if not end or end == date:
        return day(date)
    if end[:7] == date[:7]:
        return f"{int(date[8:10])}–{day(end)}"
    if end[:4] == date[:4]:
        return f"{day(date, year=False)} – {day(end)}"
    return f"{day(date)} – {day(end)}"


def in_words(meeting: Mapping[str, Any], lang: str | None = None) -> str:
    """A meeting's date as far as it is known, for a person, in ``lang`` ("nl" or "en";
    None: the interface's language): '19–20 november 2015', 'najaar 2013', '2017',
    'onbekend' in Dutch; '2015-11-19/20', 'autumn 2013', '2017', 'unknown' in English."""
    dutch = (lang or language()) == "nl"
    date, end = meeting["date"], meeting["end_date"]
    if date and dutch:
        return dutch_date(date, end)
    if date:
        if end and end != date:
            return f"{date}/{end[8:]}" if end[:7] == date[:7] else f"{date}/{end}"
        return str(date)
    season, year = meeting["season"], meeting["year"]
    if season and year:
        if lang is None:
            return f"{_(_SEASONS_SHOWN.get(season, season))} {year}"
        return f"{SEASONS_NL.get(season, season) if dutch else season} {year}"
    if year:
        return str(year)
    if lang is None:
        return _("unknown")
    return "onbekend" if dutch else "unknown"

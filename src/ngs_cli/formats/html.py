"""HTML: the verslagen as one self-contained page to open, mail or put on an intranet.

The page holds everything it needs (its style and script inline, no font, image or
request from elsewhere) and says so in a Content-Security-Policy that allows nothing but
its own inline style and script, each by its SHA-256 hash, computed here as the page is
written. Data only ever reaches the page through Jinja2's autoescaping (and ``printable``
first, so no control character does either): none of it can become markup, script or a
link; the one outside link is the source page, and only when its address is http(s).

The page is Dutch, like the verslagen it holds and the people who read them: its own
words (headings, labels) are Dutch whatever the interface language, so that its
``lang="nl"`` is true for every word on it (screen readers, hyphenation, translation
tools go by it). Jinja2 is imported only when a page is written.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, TYPE_CHECKING, Any, cast

from ..calendar import in_words
from ..summary import Labels, meeting_facts, person_line, programme_shown
from ..text import printable, safe_url

if TYPE_CHECKING:
    from ..model import Collection, MeetingRecord
    from . import Job

PRECISION = {
    "day": "de dag is bekend",
    "month": "alleen de maand is bekend",
    "season": "alleen het seizoen is bekend",
    "year": "alleen het jaar is bekend",
    "unknown": "de datum is onbekend",
}
# Where the year is inferred: what the source states, and that the year is not (the
# note, "Over de datum", says how it was inferred).
INFERRED = {
    "day": "dag en maand staan in de bron; het jaar is afgeleid",
    "month": "de maand staat in de bron; het jaar is afgeleid",
    "season": "het seizoen staat in de bron; het jaar is afgeleid",
    "year": "alleen het jaar is bekend en dat is afgeleid",
}
ABOUT_DATE = "Over de datum"  # the label show gives the date's note in Dutch
ABOUT_DATE_QUOTED = f"‘{ABOUT_DATE}’"

# The chart's measures, in pixels.
CELL = 28
ROW = 24
CHAR = 7.0  # the width of an average character of the labels' 13px sans-serif
TOP = 56  # room for the years, written at a slant
LABEL = 40  # characters of a topic's label in the chart (the table has it whole)


def date_text(meeting: MeetingRecord) -> str:
    """The date in Dutch as far as it is known: '16 maart 2023', 'najaar 2013', '2017'."""
    return in_words(meeting, "nl")


def certainty(meeting: MeetingRecord) -> str:
    """How certain the date is, in Dutch: how much of it is known, and whether the year
    was read from the verslag or inferred (as ``show`` says it: "jaar afgeleid")."""
    precision = meeting["date_precision"]
    text = PRECISION.get(precision, precision)
    if meeting["date_inferred"] and precision != "unknown":
        text = INFERRED[precision]
    if meeting["date_note"] and (
        meeting["date_inferred"] or meeting["date_precision"] == "unknown"
    ):
        text += f" (zie {ABOUT_DATE_QUOTED})"
    elif meeting["date_inferred"] and precision != "unknown":
        text += " (niet in de bron vermeld)"
    return text


# The fields of the search index (store.database's meeting_text), as the page's
# search (search.js) reads them from an element's data-z.
TITLE_FIELD, TOPICS_FIELD, PEOPLE_FIELD, TEXT_FIELD = range(4)


def facts(meeting: MeetingRecord, labels: Labels) -> list[tuple[str, str, int | None]]:
    """The facts at the head of a verslag (``summary.meeting_facts``, in Dutch), each with
    the field of the search index that holds it (None: the index does not): the date as
    far as it is known and how certain it is, with its note beside it; no link, which
    the page gives the verslag's heading."""
    found = meeting_facts(meeting, labels, "nl")
    said = {field: (label, value) for field, label, value in found}
    out: list[tuple[str, str, int | None]] = [
        (said["date"][0], date_text(meeting), None),
        ("Nauwkeurigheid datum", certainty(meeting), None),
    ]
    if "date_note" in said:
        out.append((*said["date_note"], None))
    for field, label, value in found:
        if field not in ("date", "date_note", "url"):
            stated = meeting.get(field)
            out.append((label, value, _INDEXED.get(field) if stated else None))
    return out


# The search index's field of each fact that it holds, when the meeting states it.
_INDEXED = {"city": TEXT_FIELD, "venue": TEXT_FIELD, "themes": TITLE_FIELD,
            "topics": TOPICS_FIELD}  # fmt: skip


def verslag_link(meeting: MeetingRecord) -> str | None:
    """The meeting's link to its verslag on the source page, where it is a safe http(s)
    address (else the page shows none)."""
    return safe_url(meeting.get("url"))


def csp_source(code: str) -> str:
    """The CSP source that allows exactly this inline style or script."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _sections(meeting: MeetingRecord) -> list[dict[str, Any]]:
    """The verslag's sections with the heading level each gets on the page: under the
    meeting's h2 and its h3 "Verslag", a section is an h4 and a sub-section an h5, never
    more than one level below the heading before it."""
    out, above = [], 3
    for section in meeting.get("sections", []):
        level = None
        if section.get("heading"):
            level = min(2 + section.get("level", 2), above + 1)
            above = level
        out.append({**section, "h": level})
    return out


def chart(meetings: Sequence[MeetingRecord], labels: Labels) -> dict[str, Any] | None:
    """Topics against years: for each topic, a dot in every year it came up (larger for
    more meetings), with everything the SVG and its table need; None without a topic in
    a meeting of known year."""
    counts: dict[str, dict[int, int]] = {}
    undated = 0
    for m in meetings:
        if m["year"] is None:
            undated += bool(m["topics"])
            continue
        for t in m["topics"]:
            per_year = counts.setdefault(t, {})
            per_year[m["year"]] = per_year.get(m["year"], 0) + 1
    if not counts:
        return None
    first = min(min(y) for y in counts.values())
    last = max(max(y) for y in counts.values())
    years = list(range(first, last + 1))
    order = sorted(
        counts, key=lambda t: (min(counts[t]), -sum(counts[t].values()), labels.get(t, t))
    )
    short = {t: _shorten(labels.get(t, t)) for t in order}
    label_width = round(16 + CHAR * max(len(short[t]) for t in order))
    most = max(n for y in counts.values() for n in y.values())
    rows = []
    for i, t in enumerate(order):
        y = TOP + ROW * i + ROW / 2
        dots = [
            {
                "year": year,
                "n": n,
                "x": label_width + CELL * (year - first) + CELL / 2,
                "y": y,
                "r": round(4 + 7 * ((n / most) ** 0.5 if most > 1 else 0), 1),
            }
            for year, n in sorted(counts[t].items())
        ]
        rows.append(
            {"topic": t, "label": labels.get(t, t), "short": short[t], "y": y, "dots": dots}
        )
    return {
        "years": [
            {"year": year, "x": label_width + CELL * i + CELL / 2} for i, year in enumerate(years)
        ],
        "rows": rows,
        "label_width": label_width,
        "width": label_width + CELL * (last - first + 1) + 8,
        "height": TOP + ROW * len(order) + 8,
        "first": first,
        "last": last,
        "undated": undated,
    }


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL else label[: LABEL - 1].rstrip() + "…"


def choices(meetings: Sequence[MeetingRecord], labels: Labels) -> dict[str, list[tuple[str, str]]]:
    """The filters' options, (value, text): topics by label, cities and years, with an
    option for meetings where the source does not say ('?')."""
    topics = sorted(
        {t for m in meetings for t in m["topics"]}, key=lambda t: labels.get(t, t).lower()
    )
    cities = sorted({m["city"] for m in meetings if m["city"]}, key=str.lower)
    years = sorted({m["year"] for m in meetings if m["year"] is not None}, reverse=True)
    city_options = [(city_key(c), c) for c in cities]
    if any(not m["city"] for m in meetings):
        city_options.append((city_key(None), "onbekend"))
    year_options = [(str(y), str(y)) for y in years]
    if any(m["year"] is None for m in meetings):
        year_options.append(("?", "onbekend"))
    return {
        "topics": [(t, labels.get(t, t)) for t in topics],
        "cities": city_options,
        "years": year_options,
    }


def city_key(city: str | None) -> str:
    """A city's value in the page's city filter: "?" where the source names none, the
    city itself otherwise, but for a name that starts as such a key would ("?", "=?"),
    which gets a "=" in front: no city is ever taken for "city unknown"."""
    if not city:
        return "?"
    return "=" + city if city.startswith(("?", "=")) else city


def _printable(value: Any) -> Any:
    """What every ``{{ }}`` of the templates writes: data with its control characters
    made visible, as on a terminal (HTML holds none of them); markup made here as is."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return printable(value)
    return value


def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ngs_cli", "templates"),
        autoescape=jinja2.select_autoescape(("html", "svg")),
        undefined=jinja2.StrictUndefined,
        finalize=_printable,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        facts=facts, date_text=date_text, person_line=person_line, programme_shown=programme_shown,
        city_key=city_key,
    )  # fmt: skip
    env.filters["sections"] = _sections
    return env


def _static(name: str) -> str:
    from importlib.resources import files

    return (files("ngs_cli") / "templates" / name).read_text(encoding="utf-8")


def page(
    collection: Collection,
    contents: Sequence[MeetingRecord],
    full: Iterable[MeetingRecord],
    labels: Labels,
    base_url: str | None = None,
) -> Iterator[str]:
    """The page, in pieces: ``contents`` are the meetings' records for the contents,
    chart and filters; ``full`` yields the same meetings with their sections, one at a
    time, so that a large page is written as it is made."""
    from markupsafe import Markup

    from .. import __version__

    style, script = _static("page.css"), _static("search.js") + _static("page.js")
    policy = (
        f"default-src 'none'; style-src {csp_source(style)}; script-src {csp_source(script)}; "
        "base-uri 'none'; form-action 'none'"
    )
    template = _environment().get_template("page.html")
    return template.generate(
        collection=collection,
        source=safe_url(collection["source_url"]),
        verslag_link=verslag_link,
        base_url=safe_url(base_url),
        coins=lambda meeting: coins(meeting, collection),
        contents=contents,
        meetings=full,
        labels=labels,
        chart=chart(contents, labels),
        choices=choices(contents, labels),
        style=Markup(style),
        script=Markup(script),
        policy=policy,
        version=__version__,
    )


def coins(meeting: MeetingRecord, collection: Collection) -> str:
    """The meeting's reference as COinS, for Zotero's connector (``cite.coins``)."""
    from ..cite import coins as kev

    return kev(meeting, collection)


def write(stream: IO[str], job: Job) -> None:
    """The verslagen as one HTML page: the collection's title and introduction, the
    contents, a chart of topics by year, search and filters, then every verslag."""
    meetings = job.meetings
    contents = job.contents
    if contents is None:  # the meetings themselves are the contents
        meetings = contents = list(meetings)
    collection = cast("Collection", job.collection) or {
        "title": "Verslagen",
        "source_url": None,
        "publisher": None,
        "introduction": [],
    }
    for piece in page(collection, contents, meetings, job.labels, job.base_url):
        stream.write(piece)

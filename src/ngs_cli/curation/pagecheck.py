"""Compare a saved copy of the source page with a data file, sentence by sentence.

``check_page`` tells what a curator needs to know after the page changed: which
sentences of the page the data lacks, which sentences of the data the page no longer
has, and which blocks of the page belong to no meeting (a new verslag). Findings are
grouped by meeting, with the page's line numbers. Nothing here reads files.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import NgsError
from ..i18n import N_, _, ngettext
from ..progress import SILENT, Progress
from ..text import normalise_space, sentences
from ..verslag import text_places
from .page import CHROME, FILES_MARKERS, clean_line, gc_paused, page_lines

if TYPE_CHECKING:
    from ..model import Dataset


class PageError(NgsError):
    """A page that cannot be compared: empty, or not text."""


@dataclass(frozen=True)
class Finding:
    """One sentence that the page and the data do not share."""

    sentence: str
    meeting: str | None  # the meeting's id; None for the collection or no meeting
    line: int | None = None  # 1-based line of the page, for sentences on the page
    where: str | None = None  # place in the data, for sentences in the data


@dataclass(frozen=True)
class Block:
    """Consecutive lines of the page that belong to no meeting of the data."""

    first_line: int
    last_line: int
    sentences: tuple[str, ...]
    text: str = ""  # its lines as the page has them (a list item with its marker)


@dataclass
class PageReport:
    """What ``check_page`` found; ``ok`` when the page and the data agree."""

    missing: list[Finding] = field(default_factory=list)  # on the page, not in the data
    gone: list[Finding] = field(default_factory=list)  # in the data, not on the page
    unassigned: list[Block] = field(default_factory=list)  # page blocks of no meeting
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # id -> page lines
    collection_span: tuple[int, int] | None = None  # the collection's title and introduction
    sentences_checked: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.gone or self.unassigned)

    def lines(self) -> list[str]:
        """The report for a person, one line of text each, grouped by meeting, in the
        user's language (the data's paths, such as ``sections[0].heading``, and
        ``collection`` stay as the data file names them)."""
        if self.ok:
            return [
                _("The page and the data agree: {sentences}, {meetings}.").format(
                    sentences=ngettext(
                        "{n} sentence of the page",
                        "{n} sentences of the page",
                        self.sentences_checked,
                    ).format(n=self.sentences_checked),
                    meetings=ngettext("{n} meeting", "{n} meetings", len(self.spans)).format(
                        n=len(self.spans)
                    ),
                )
            ]
        count = len(self.missing) + len(self.gone) + sum(len(b.sentences) for b in self.unassigned)
        out = [
            _("The page and the data disagree ({sentences}):").format(
                sentences=ngettext("{n} sentence", "{n} sentences", count).format(n=count)
            )
        ]
        for block in self.unassigned:
            out.append(
                _("no meeting ({where}): a new verslag? Add a meeting for it (ngs draft).").format(
                    where=page_span(block.first_line, block.last_line)
                )
            )
            # Quoted as _quote does, without a call for each: a page saved over and over
            # has hundreds of thousands of such sentences.
            out += [f'  "{s}"' for s in block.sentences]
        order = list(self.spans) + [
            f.meeting for f in self.missing + self.gone if f.meeting not in self.spans
        ]
        by_meeting: dict[str | None, tuple[list[Finding], list[Finding]]] = {}
        for finding in self.missing:
            by_meeting.setdefault(finding.meeting, ([], []))[0].append(finding)
        for finding in self.gone:
            by_meeting.setdefault(finding.meeting, ([], []))[1].append(finding)
        for meeting in dict.fromkeys(order):
            missing, gone = by_meeting.get(meeting, ([], []))
            if not (missing or gone):
                continue
            span = self.spans.get(meeting) if meeting else self.collection_span
            where = page_span(*span) if span else _("not on the page")
            out.append(f"{meeting or 'collection'} ({where}):")
            out += [
                "  "
                + _("line {line}: not in the data: {sentence}").format(
                    line=f.line, sentence=_quote(f.sentence)
                )
                for f in missing
            ]
            out += [
                "  "
                + _("{where}: not on the page: {sentence}").format(
                    where=f.where, sentence=_quote(f.sentence)
                )
                for f in gone
            ]
        return out

    def format(self) -> str:
        """The report as one text, ending in a newline."""
        return "\n".join(self.lines()) + "\n"


@dataclass(frozen=True)
class Change:
    """A meeting (or, with ``id`` None, the collection's title and introduction) whose
    sentences on the page and in the data differ."""

    id: str | None
    title: str | None
    lines: tuple[int, int] | None  # where the page has it
    added: tuple[str, ...]  # on the page, not in the data
    removed: tuple[str, ...]  # in the data, not on the page


@dataclass(frozen=True)
class Changes:
    """What differs between the page and the data, as ``ngs check`` tells it: blocks of
    the page that are no meeting of the data (a new verslag each), meetings whose
    sentences differ, and meetings the page no longer has (id and title)."""

    new: list[Block]
    changed: list[Change]
    removed: list[tuple[str, str]]

    @property
    def agree(self) -> bool:
        return not (self.new or self.changed or self.removed)


def changes(report: PageReport, data: Dataset) -> Changes:
    """The report of ``check_page`` as new, changed and removed verslagen."""
    meetings = [m for m in data.get("meetings") or () if isinstance(m, dict)]
    ids = [str(m.get("id") or f"#{i + 1}") for i, m in enumerate(meetings)]
    titles = dict(zip(ids, (str(m.get("title") or "") for m in meetings)))
    removed = [(i, titles[i]) for i in ids if i not in report.spans]
    gone_whole = {i for i, _title in removed}
    added: dict[str | None, list[str]] = {}
    dropped: dict[str | None, list[str]] = {}
    for finding in report.missing:
        added.setdefault(finding.meeting, []).append(finding.sentence)
    for finding in report.gone:
        if finding.meeting not in gone_whole:
            dropped.setdefault(finding.meeting, []).append(finding.sentence)
    changed = [
        Change(
            meeting,
            titles.get(meeting) if meeting else None,
            report.spans.get(meeting) if meeting else report.collection_span,
            tuple(added.get(meeting, ())),
            tuple(dropped.get(meeting, ())),
        )
        for meeting in dict.fromkeys([*ids, *added, *dropped])
        if meeting not in gone_whole and (added.get(meeting) or dropped.get(meeting))
    ]
    return Changes(list(report.unassigned), changed, removed)


def _quote(sentence: str) -> str:
    return f'"{sentence}"'


def page_span(first: int, last: int) -> str:
    """Page lines for a person: "page line 3", "page lines 3-40"."""
    if first == last:
        return _("page line {line}").format(line=first)
    return _("page lines {first}-{last}").format(first=first, last=last)


@dataclass(slots=True)
class _Unit:
    line: int
    text: str
    sentences: list[str]
    meeting: int | None = None  # index into the meetings; -1 for the collection
    held: bool = False  # every sentence is in its meeting's text (known when assigned)
    index: int = 0  # its place in the page's lines (page_lines)


class _Texts:
    """The sentences of one part of the data, for exact and contained look-ups."""

    def __init__(self, texts: list[str], split: list[list[str]] | None = None) -> None:
        """``split``: the texts' sentences where known, their white space normalised."""
        if split is None:
            texts = [normalise_space(t) for t in texts]
            split = [sentences(t, normalised=True) for t in texts]
        self.sentences = {s for part in split for s in part}
        self.joined = " " + " \n ".join(texts) + " "

    def has(self, sentence: str) -> bool:
        # Contained, as whole words, covers a paragraph that joins two lines of the page.
        return sentence in self.sentences or f" {sentence} " in self.joined

    def count(self, sentences: list[str]) -> int:
        """How many of ``sentences`` this part holds (``has``)."""
        own, joined = self.sentences, self.joined
        held = 0
        for s in sentences:  # a loop, not sum() of a generator: most units are a sentence
            if s in own or f" {s} " in joined:
                held += 1
        return held


@gc_paused()
def check_page(page_text: str, data: Dataset, progress: Progress = SILENT) -> PageReport:
    """Compare the page's text with the data; every disagreement is in the report
    (``progress`` hears how the comparison goes: a unit a piece of the page's content).

    ``page_text`` is the page saved as text (one block a line, as the source page is);
    a saved HTML document is accepted too and read as a browser shows it
    (``html_text.html_lines``). ``data`` is a data file's plain dict; defaults need not be filled
    in. Each content line of the page is assigned, in page order, to the meeting whose
    text holds its sentences (the page and the data both run newest first), or above the
    meetings to the collection where it holds more of them; lines no meeting holds go
    with the meeting around them, with the collection above its lines, or, after its
    lines, at the bottom or after a verslag's "Bestanden" line, to no meeting.
    """
    refuse_nothing_to_compare(page_text)
    collection = data.get("collection") or {}
    meetings = [m for m in data.get("meetings") or () if isinstance(m, dict)]
    ids = [str(m.get("id") or f"#{i + 1}") for i, m in enumerate(meetings)]
    texts = [_Texts([t for _, t in text_places(m)]) for m in meetings]
    head = _Texts([collection.get("title") or "", *(collection.get("introduction") or ())])

    units, boundaries, lines = _units(page_text)
    if not units:
        raise PageError(N_("the page has no content lines"))
    _assign(units, texts, head, progress)
    progress.stage(_("Comparing the data with the page"))
    report = PageReport(sentences_checked=sum(len(u.sentences) for u in units))
    _place_unmatched(units, boundaries, report, lines)

    by_meeting: dict[int | None, list[_Unit]] = {i: [] for i in [None, *range(-1, len(meetings))]}
    spans = report.spans
    for unit in units:
        index, line = unit.meeting, unit.line
        by_meeting[index].append(unit)
        if index is None:
            continue
        if index >= 0:
            span = spans.get(ids[index])
            spans[ids[index]] = (
                (line, line) if span is None else (min(span[0], line), max(span[1], line))
            )
        else:
            span = report.collection_span
            report.collection_span = (span[0] if span else line, line)
        if unit.held:
            continue
        owner = head if index < 0 else texts[index]
        for s in unit.sentences:
            if not owner.has(s):
                report.missing.append(Finding(s, ids[index] if index >= 0 else None, line=line))

    on_page = {i: _of_units(by_meeting[i]) for i in range(-1, len(meetings))}
    for i, meeting in enumerate(meetings):
        for where, text in text_places(meeting):
            for s in sentences(text):
                if not on_page[i].has(s):
                    report.gone.append(Finding(s, ids[i], where=where))
    # The collection's sentences may stand anywhere on the page: in any meeting's part of
    # it, or in none (a sentence is in one unit's text, so in one part's), made into a
    # part only where one is looked for there.
    parts = list(on_page.values())
    rest: _Texts | None = None
    for where, text in [("collection.title", collection.get("title") or "")] + [
        (f"collection.introduction[{i}]", t)
        for i, t in enumerate(collection.get("introduction") or ())
    ]:
        for s in sentences(text):
            if any(part.has(s) for part in parts):
                continue
            if rest is None:
                rest = _of_units(by_meeting[None])
            if not rest.has(s):
                report.gone.append(Finding(s, None, where=where))
    return report


def refuse_nothing_to_compare(page_text: str) -> None:
    """Raise PageError for a page that is not text (NUL bytes) or is empty."""
    if "\x00" in page_text:
        raise PageError(N_("the page is not a text file (it contains NUL bytes)"))
    if not page_text.strip():
        raise PageError(N_("the page is empty"))


def _of_units(units: list[_Unit]) -> _Texts:
    return _Texts([u.text for u in units], [u.sentences for u in units])


def _units(page_text: str) -> tuple[list[_Unit], set[int], list[tuple[int, str]]]:
    """The page's content lines, the line numbers of its "Bestanden" markers, and all
    its lines as read."""
    units: list[_Unit] = []
    boundaries: set[int] = set()
    lines, markup = page_lines(page_text, PageError)
    for index, (number, raw) in enumerate(lines):
        if not raw:
            continue  # the empty line between two blocks of a saved page
        line = clean_line(raw, markup=markup)
        if not line or line in CHROME:
            continue
        if line in FILES_MARKERS:
            boundaries.add(number)
            continue
        units.append(_Unit(number, line, sentences(line, normalised=True), index=index))
    return units, boundaries, lines


def _assign(units: list[_Unit], texts: list[_Texts], head: _Texts, progress: Progress) -> None:
    """Give each unit the meeting that holds its sentences, moving forward in page order.

    A unit goes back up the data only to a meeting that has no lines yet: one the data
    lists out of the page's order. A meeting that already has its lines never takes
    more from further down, so a sentence that only another meeting holds is missing.
    """
    current: int | None = None
    unseen = list(range(len(texts)))  # meetings without lines yet, in the data's order
    progress.stage(_("Comparing the page with the data"), len(units))
    for unit in units:
        progress.advance()
        wanted = len(unit.sentences)
        in_head = head.count(unit.sentences) if current is None else 0
        if in_head == wanted and current is None:
            unit.meeting, unit.held = -1, True
            continue
        here = -1 if current is None else texts[current].count(unit.sentences)
        if here == wanted:
            unit.meeting, unit.held = current, True
            continue
        start = 0 if current is None else current
        # The first of equal scores: the nearest meeting down the page.
        best, top = None, 0
        for i in range(start, len(texts)):
            score = here if i == current else texts[i].count(unit.sentences)
            if score > top:
                best, top = i, score
                if top == wanted:
                    break  # none further down can score more
        if in_head and in_head >= top:
            unit.meeting = -1  # above the meetings, the collection's, a sentence of it changed
            continue
        if best is None and unseen:
            best = next(
                (i for i in unseen if i < start and texts[i].count(unit.sentences) == wanted),
                None,
            )
        if best is not None and wanted:
            unit.meeting = current = best
            if best in unseen:
                unseen.remove(best)


def _place_unmatched(
    units: list[_Unit], boundaries: set[int], report: PageReport, lines: list[tuple[int, str]]
) -> None:
    """Runs of lines no meeting holds: part of the meeting around them, of the collection
    above its own lines, or of none (a block of its own for each verslag, as a
    "Bestanden" line ends each).

    One pass: the unit before a run is the last one placed, and a "Bestanden" line
    between the two is looked up in the sorted markers; a run's own markers are taken
    from them at once and placed among its lines (the units run in page order, their
    line numbers never going down).
    """
    markers = sorted(boundaries)
    before: _Unit | None = None  # the last unit with a meeting
    i = 0
    while i < len(units):
        if units[i].meeting is not None:
            before = units[i]
            i += 1
            continue
        j = i
        while j < len(units) and units[j].meeting is None:
            j += 1
        if before is None and j < len(units) and units[j].meeting == -1:
            for u in units[i:j]:  # above the collection's title or introduction: its own
                u.meeting = -1
            before = units[j - 1]
        elif before is None or before.meeting == -1 or _marker_between(markers, before, units[i]):
            # Cut the run where a "Bestanden" line stands between two of its units: for
            # each marker within it, before the first unit below the marker's line, unless
            # the unit above is on the marker's line (blocks of a saved page that share a
            # line: the numbers cannot tell which side of it they stand on).
            run_lines = [u.line for u in units[i:j]]
            inside = markers[
                bisect_right(markers, run_lines[0]) : bisect_left(markers, run_lines[-1])
            ]
            below = [bisect_right(run_lines, marker) for marker in inside]
            cuts = sorted({c for c, m in zip(below, inside) if run_lines[c - 1] < m})
            for first, end in zip([0, *cuts], [*cuts, j - i]):
                run = units[i + first : i + end]
                report.unassigned.append(
                    Block(
                        run[0].line,
                        run[-1].line,
                        # Lists, not generators: a page saved over and over is such runs.
                        tuple([s for u in run for s in u.sentences]),
                        "\n".join([raw for _, raw in lines[run[0].index : run[-1].index + 1]]),
                    )
                )
        else:
            for u in units[i:j]:
                u.meeting = before.meeting
            before = units[j - 1]
        i = j


def _marker_between(markers: list[int], before: _Unit, after: _Unit) -> bool:
    """Whether a "Bestanden" line stands between two units (``markers`` sorted)."""
    at = bisect_right(markers, before.line)
    return at < len(markers) and markers[at] < after.line

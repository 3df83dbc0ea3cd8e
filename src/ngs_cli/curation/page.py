"""Reading the source page's text, as the page check and a draft both need it.

The lines as an editor numbers them (``text_lines``; ``page_lines`` also reads the page
saved as an HTML document, as a browser shows it: ``html_lines``) and each line as
content (``clean_line``). For a draft,
one verslag's lines classified (``read_lines``), gathered into headings, paragraphs and
lists (``read_elements``), and those into sections as the data file has them
(``read_sections``). Nothing here reads files.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..errors import NgsError
from ..i18n import N_, _
from ..progress import SILENT, Progress
from ..text import fold, normalise_space
from .html_scan import UnreadablePage
from .html_text import html_lines

# Lines of the page that are navigation or layout, not content.
CHROME = frozenset(
    {
        "Ga naar de inhoud",
        "Skyline van een stad. Ter illustratie van het CCV-dossier Grote steden.",
    }
)
# The headings under which the page offers a verslag's files; one ends each verslag.
FILES_MARKERS = frozenset({"Bestanden", "Bestand"})

# A tag: "<" to the nearest ">", never across another "<" (which keeps the search linear
# on a line of "<": each start stops at the next one).
_TAG = re.compile(r"<[^<>]*>")
_LIST_MARKER = re.compile(r"^(•|\d+\.)\s+")
_LONE_MARKER = re.compile(r"\d{1,2}\.")
_WORD_CHAR = re.compile(r"\w")
# A document rather than text with a stray fragment: what a browser's "save as" writes.
_HTML_DOCUMENT = re.compile(r"<(?:!doctype|html|body)\b", re.IGNORECASE)
# A part of a page copied as HTML (a browser's "copy element"): it starts with a tag or a
# comment and ends with an end tag (a text that only starts with a tag is text).
_HTML_PART = re.compile(r"\A\s*<(?:!--|[A-Za-z][A-Za-z0-9-]*[\s/>])")
_HTML_PART_END = re.compile(r"</[A-Za-z][A-Za-z0-9-]*\s*>\s*\Z")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector paused while a page's text becomes many small objects
    (lines, sentences, a draft's nodes), none of which refer back to another: on a page
    of many megabytes its passes over all of them take as long as the reading itself.
    Reference counting frees them as ever; the collector runs again after. The switch is
    the process's: a program that calls the library from several threads pauses it for
    all of them while a page is read."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def clean_line(line: str, *, markup: bool = True) -> str:
    """A line of the page as content: markup (where the line is of a text with markup in
    it, not of a saved page's text, in which "<b>" is what a browser shows), white space
    runs and list markers removed. A line of a saved page (``markup`` false) is one of
    ``html_lines``, whose white space is normalised already.

    A line with no letter or digit, or only a list marker ("•", "3."), comes out empty.
    """
    if markup:
        line = normalise_space(_TAG.sub("", line))
    # The common cases first, without a pattern: it runs once for every line of a page.
    first = line[:1]
    if first.isalnum() and not first.isdecimal():
        return line  # a letter first: no list marker, and a word
    if first == "•" and line[1:2] == " " and line[2:3].isalnum():
        return line[2:]  # an item's marker, then a word
    if first == "•" or first.isdecimal():  # where a marker may be (\d: a decimal digit)
        if _LONE_MARKER.fullmatch(line):
            return ""
        line = _LIST_MARKER.sub("", line)
    return line if _WORD_CHAR.search(line) else ""


def text_lines(text: str) -> list[str]:
    """The lines of a text as an editor numbers them: split at \\n, \\r\\n and \\r only."""
    lines = _LINE_BREAK.split(text)
    if lines[-1] == "":
        lines.pop()  # the break that ends the last line starts no line
    return lines


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def is_html_document(text: str) -> bool:
    """Whether the text is a saved HTML page (a doctype, <html> or <body>) or a part of
    one (from a tag, such as ``<article>``, to an end tag), not plain text."""
    if _HTML_DOCUMENT.search(text) is not None:
        return True
    return _HTML_PART.match(text) is not None and _HTML_PART_END.search(text) is not None


def page_lines(page_text: str, error: type[NgsError]) -> tuple[list[tuple[int, str]], bool]:
    """The page's lines with their numbers as an editor numbers them, and whether they
    may hold markup to remove (``clean_line``'s ``markup``).

    A saved HTML document is read as a browser shows it (``html_lines``): each block on
    a line of its own, numbered by the line of the file where it starts, and an empty
    line between blocks; its text is what a browser shows, in which "<b>" is text. A page
    nested too deep for that is refused with ``error``.
    """
    if not is_html_document(page_text):
        return list(enumerate(text_lines(page_text), start=1)), True
    try:
        return html_lines(page_text), False
    except UnreadablePage as e:
        raise error(*e.args, **e.params) from None


class DraftError(NgsError):
    """Text that cannot be drafted into one meeting: empty, binary, a whole page, ..."""


_BULLET = re.compile(r"^[•·▪◦‣∙*–-]\s+")
_NUMBER = re.compile(r"^(\d{1,2})\.\s+")
_FILES = {fold(m) for m in FILES_MARKERS}  # compared with a folded line
# File links a browser copy may carry under "Bestanden": names, formats, sizes.
_FILE_LINK = re.compile(
    r"\.(?:pdf|docx?|pptx?|xlsx?|odt|zip)\b|\((?:pdf|docx?|pptx?)\b|\b\d+(?:[.,]\d+)?\s?[kKM]B\b",
    re.IGNORECASE,
)
_PAGE_TITLE = "verslagen netwerk grote steden"
_PAGE_INTRO = "hieronder vind je de beschikbare verslagen"


@dataclass
class Line:
    """One line of a verslag's text, classified, with its list marker removed."""

    number: int
    kind: str  # "text", "bullet", "numbered" or "blank"
    text: str = ""
    ordinal: int | None = None  # the number of a numbered item


@dataclass
class Element:
    """A heading, a paragraph or a list (``block``, as the data file has it)."""

    kind: str  # "heading", "paragraph" or "list"
    line: int
    text: str = ""
    block: dict[str, list[Any]] = field(default_factory=dict)


def decode(raw: bytes, *, page: bool = False) -> str:
    """Bytes of a text file as text (UTF-8, or UTF-16 where a byte order mark says so, as
    a browser reads it), or a DraftError that speaks of the text or (``page``) the page."""
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    try:
        return raw.decode("utf-16") if utf16 else raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        before = raw[: e.start].decode("utf-16" if utf16 else "utf-8", "replace")
        if page:
            message = N_(
                "the page is not {encoding} (byte {byte} at line {line}): save it again from "
                "the browser (in UTF-8)"
            )
        else:
            message = N_(
                "the text is not {encoding} (byte {byte} at line {line}): save it as UTF-8 "
                "text, or paste it from the page"
            )
        raise DraftError(
            message,
            encoding="UTF-16" if utf16 else "UTF-8",
            byte=f"{raw[e.start]:#04x}",
            line=before.count("\n") + 1,
        ) from None


def read_lines(
    text: str, progress: Progress = SILENT
) -> tuple[list[Line], bool, list[tuple[str, str]]]:
    """The lines of the text classified, whether files were announced, and notes."""
    lines: list[Line] = []
    notes: list[tuple[str, str]] = []  # (Dutch, English)
    files_line: int | None = None
    page, markup = page_lines(text, DraftError)
    progress.stage(_("Reading the text"), len(page))
    for number, raw in page:
        progress.advance()
        fragments = _TAG.findall(raw) if markup else []
        line = normalise_space(_TAG.sub("", raw) if markup else raw)
        if not clean_line(line, markup=markup):
            lines.append(Line(number, "blank"))  # white space, or a list marker alone
            continue
        unmarked = _unmark(line)
        folded = fold(unmarked)  # once a line: folding non-ASCII text is slow
        _refuse_page_chrome(number, unmarked, folded)
        if unmarked.endswith(":"):
            folded = fold(unmarked.rstrip(":"))
        if folded in _FILES:
            files_line = files_line or number
            continue
        if files_line is not None:
            if _FILE_LINK.search(line):
                continue
            raise DraftError(
                N_(
                    'the text goes on at line {line} after the "Bestanden" line (line '
                    "{files_line}), which ends a verslag on the page: it holds more than one "
                    "verslag. Copy one verslag, from its first paragraph down to its "
                    '"Bestanden" line.'
                ),
                line=number,
                files_line=files_line,
            )
        if fragments:
            shown = " ".join(normalise_space(f) for f in fragments)
            quoted = shorten(unmarked, 80)
            notes.append(
                (
                    f'In de bron staat vóór de tekst "{quoted}" een los HTML-fragment ({shown}); '
                    "dat is opmaakcode en is weggelaten.",
                    f'In the source the text "{quoted}" is preceded by a stray '
                    f"HTML fragment ({shown}), which is markup and is left out.",
                )
            )
        numbered = _NUMBER.match(line)
        if _BULLET.match(line):
            lines.append(Line(number, "bullet", _BULLET.sub("", line, count=1)))
        elif numbered:
            lines.append(Line(number, "numbered", line[numbered.end() :], int(numbered[1])))
        else:
            lines.append(Line(number, "text", line))
    return lines, files_line is not None, notes


def _unmark(line: str) -> str:
    return _NUMBER.sub("", _BULLET.sub("", line, count=1), count=1)


def _refuse_page_chrome(number: int, line: str, folded: str) -> None:
    if line in CHROME or folded == _PAGE_TITLE or _PAGE_INTRO in folded:
        raise DraftError(
            N_(
                'line {line} ("{text}") is part of the page around the verslagen: this looks '
                "like the whole page, not one verslag. Copy one verslag, from its first "
                'paragraph down to its "Bestanden" line.'
            ),
            line=number,
            text=shorten(line, 60),
        )


def read_elements(lines: list[Line]) -> list[Element]:
    """Headings, paragraphs and lists, in order; a list may hold one nested list per item."""
    out: list[Element] = []
    para: list[str] = []
    para_line = 0
    open_list: Element | None = None
    blank_before = True

    def flush() -> None:
        nonlocal para
        if para:
            text = " ".join(para)
            kind = "heading" if len(para) == 1 and _looks_like_heading(text) else "paragraph"
            out.append(Element(kind, para_line, text))
        para = []

    for line in lines:
        if line.kind == "blank":
            flush()
            blank_before = True
            continue
        if line.kind == "text":
            if open_list is not None and not blank_before and _wraps(_last_text(open_list), line):
                _continue_item(open_list, line.text)
            else:
                open_list = None
                heading = len(para) == 1 and _looks_like_heading(para[0])
                if not para or blank_before or (heading and line.text[:1].isupper()):
                    flush()
                    para_line = line.number
                para.append(line.text)
        else:
            flush()
            key = "bullets" if line.kind == "bullet" else "numbered"
            top = next(iter(open_list.block)) if open_list is not None else ""
            restart = key == "numbered" and line.ordinal == 1
            if open_list is not None and top != key and not blank_before and _may_nest(open_list):
                last = open_list.block[top][-1]
                if isinstance(last, str):
                    last = open_list.block[top][-1] = {"text": last}
                last.setdefault(key, []).append(line.text)
            elif open_list is not None and top == key and not (restart and open_list.block[key]):
                open_list.block[key].append(line.text)
            else:
                open_list = Element("list", line.number, block={key: [line.text]})
                out.append(open_list)
        blank_before = False
    flush()
    return out


def _wraps(text: str, line: Line) -> bool:
    """Whether a line without a marker goes on with the text above it (wrapped text)."""
    return line.text[:1].islower() or text.rstrip(")’'\"”").rstrip()[-1:] not in ".!?:;"


def _last_text(element: Element) -> str:
    last = list_items(element)[-1]
    if isinstance(last, str):
        return last
    nested = last.get("bullets") or last.get("numbered") or [last["text"]]
    return nested[-1]


def _may_nest(element: Element) -> bool:
    """Whether the next item of the other kind belongs beneath the list's last item."""
    last = next(iter(element.block.values()))[-1]
    if isinstance(last, dict):
        return True
    return last.rstrip().endswith(":")


def _continue_item(element: Element, text: str) -> None:
    items = next(iter(element.block.values()))
    last = items[-1]
    if isinstance(last, str):
        items[-1] = f"{last} {text}"
        return
    nested = last.get("bullets") or last.get("numbered")
    if nested:
        nested[-1] = f"{nested[-1]} {text}"
    else:
        last["text"] = f"{last['text']} {text}"


def _looks_like_heading(text: str) -> bool:
    """A line on its own that is short, starts with a capital and ends no sentence."""
    bare = text.rstrip(")’'\"”»").rstrip()
    if not bare or bare[-1] in ".!?:;,":
        return False
    if ": " in text or len(text.split()) > 20:
        return False
    first = next((c for c in text if c.isalnum()), "")
    return first.isupper() or first.isdigit()


@dataclass
class Section:
    """A heading (None for text above the first) and the elements under it."""

    heading: str | None
    level: int
    line: int
    elements: list[Element] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)


def read_sections(elements: list[Element]) -> list[Section]:
    """Sections as the data file has them; a heading right above another opens a group.

    On the page a heading with no text of its own, followed by headings that each name
    a speaker, is a session and its speakers: those headings are level 3.
    """
    sections: list[Section] = []
    current: Section | None = None
    in_group = False
    for i, element in enumerate(elements):
        if element.kind == "heading":
            followed_by_heading = i + 1 < len(elements) and elements[i + 1].kind == "heading"
            if followed_by_heading:
                level, in_group = 2, True
            else:
                level = 3 if in_group else 2
            current = Section(element.text, level, element.line)
            sections.append(current)
        else:
            if current is None:
                current = Section(None, 2, element.line)
                sections.append(current)
            current.elements.append(element)
    return sections


def split_statements(text: str) -> list[str]:
    """A paragraph's sentences, split only after . ! ? before a capital (not after ':')."""
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9‘“\"'(À-Þ])", text) if s]


def shorten(text: str, width: int) -> str:
    """The text, or its first words and "…" in at most ``width`` characters."""
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"


def list_items(element: Element) -> list[Any]:
    """The items of a list element: texts, or items with a nested list."""
    return next(iter(element.block.values()))

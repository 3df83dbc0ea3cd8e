"""Reading the source page's text, as the page check and a draft both need it.

The lines as an editor numbers them (``text_lines``; ``page_lines`` also reads the page
saved as an HTML document, as a browser shows it: ``html_lines``) and each line as
content (``clean_line``). For a draft,
one verslag's lines classified (``read_lines``), gathered into headings, paragraphs and
lists (``read_elements``), and those into sections as the data file has them
(``read_sections``). Nothing here reads files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from ..errors import NgsError
from ..i18n import _
from ..progress import SILENT, Progress
from ..text import fold, normalise_space

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
# A document rather than text with a stray fragment: what a browser's "save as" writes.
_HTML_DOCUMENT = re.compile(r"<(?:!doctype|html|body)\b", re.IGNORECASE)


def clean_line(line: str) -> str:
    """A line of the page as content: markup, white space runs and list markers removed.

    A line with no letter or digit, or only a list marker ("•", "3."), comes out empty.
    """
    line = normalise_space(_TAG.sub("", line))
    if _LONE_MARKER.fullmatch(line):
        return ""
    line = _LIST_MARKER.sub("", line)
    return line if re.search(r"\w", line) else ""


def text_lines(text: str) -> list[str]:
    """The lines of a text as an editor numbers them: split at \\n, \\r\\n and \\r only."""
    lines = _LINE_BREAK.split(text)
    if lines[-1] == "":
        lines.pop()  # the break that ends the last line starts no line
    return lines


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def is_html_document(text: str) -> bool:
    """Whether the text is a saved HTML page (a doctype, <html> or <body>), not plain text."""
    return _HTML_DOCUMENT.search(text) is not None


def page_lines(page_text: str) -> list[tuple[int, str]]:
    """The page's lines with their numbers as an editor numbers them.

    A saved HTML document is read as a browser shows it (``html_lines``): each block on
    a line of its own, numbered by the line of the file where it starts, and an empty
    line between blocks.
    """
    if is_html_document(page_text):
        return html_lines(page_text)
    return list(enumerate(text_lines(page_text), start=1))


def html_lines(document: str) -> list[tuple[int, str]]:
    """The text a browser shows of an HTML document, one block a line, with the number of
    the document's line where the block starts; "" between blocks.

    Not text: comments, the head, ``<script>``, ``<style>``, ``<template>``, and what is
    hidden (``hidden``, ``aria-hidden="true"``, an inline ``display: none`` or
    ``visibility: hidden``). Paragraphs, headings, list items, table cells and other
    blocks are lines of their own; a list item starts with "• " (or "1. " in a numbered
    list). Character references are decoded once. Read by the standard library's
    ``html.parser``, in time linear in the document's length.
    """
    # A "<" after the last ">" starts no tag and no comment; html.parser would look for
    # the end of each such "<" all the way to the end of the document, which takes time
    # as the square of their number (a line of "<a " or "<!--"). A browser shows them.
    last = document.rfind(">") + 1
    if "<" in document[last:]:
        document = document[:last] + document[last:].replace("<", "&lt;")
    reader = _HTMLText()
    try:
        reader.feed(document)
        reader.close()
    except AssertionError:
        # html.parser gives up on some declarations ("<![x"); a browser takes each for a
        # bogus comment. Read them as text instead, or, failing that, the whole as text.
        reader = _HTMLText()
        try:
            reader.feed(_DECLARATION.sub("&lt;!", document))
            reader.close()
        except AssertionError:
            reader = _HTMLText()
            reader.feed(document.replace("<", "&lt;"))
            reader.close()
    reader.flush(blank=True)
    lines = reader.lines
    while lines and not lines[-1][1]:
        lines.pop()
    return lines


# A declaration html.parser may refuse: "<!" but a comment or the doctype.
_DECLARATION = re.compile(r"<!(?!--|doctype)", re.IGNORECASE)
# Elements whose content is not text a browser shows.
_NOT_SHOWN = frozenset({"script", "style", "template", "head", "title", "noscript"})
# Elements that stand apart from the text around them.
_BLOCKS = frozenset(
    """address article aside blockquote body caption dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main menu nav
    ol p pre section summary table tbody td tfoot th thead tr ul""".split()  # noqa: SIM905
)
# Elements without content or end tag: never the start of hidden content.
_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()  # noqa: SIM905
)
# Elements that a start tag of their own kind closes (<p>a<p>b: two paragraphs).
_SELF_CLOSING_BY_SIBLING = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})


def _hidden(tag: str, attrs: list[tuple[str, str | None]]) -> bool:
    if tag in _NOT_SHOWN:
        return True
    for name, value in attrs:
        if name == "hidden":
            return True
        if name == "aria-hidden" and (value or "").strip().lower() == "true":
            return True
        if name == "style" and value:
            style = "".join(value.lower().split())
            if "display:none" in style or "visibility:hidden" in style:
                return True
    return False


class _HTMLText(HTMLParser):
    """Collects the shown text of a document into numbered lines (see ``html_lines``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self._parts: list[str] = []
        self._start = 0  # the document's line where the current block starts
        self._hiding: str | None = None  # the element whose content is hidden
        self._depth = 0  # how many of that element are open
        self._lists: list[int | None] = []  # per open list: the next number, or None
        self._marker = ""  # the list marker the next text starts with

    def flush(self, *, blank: bool) -> None:
        text = normalise_space("".join(self._parts))
        self._parts = []
        if text:
            self.lines.append((self._start, self._marker + text))
            self._marker = ""
        if blank and self.lines and self.lines[-1][1]:
            self.lines.append((self.getpos()[0], ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hiding is not None:
            if tag == self._hiding:
                if self._depth == 1 and tag in _SELF_CLOSING_BY_SIBLING:
                    self._hiding = None  # closed by its sibling, which is shown
                else:
                    self._depth += 1
                    return
            else:
                return
        if tag in _BLOCKS or tag == "br":
            self.flush(blank=tag not in ("br", "li"))
        if tag in ("ul", "ol", "menu"):
            self._lists.append(1 if tag == "ol" else None)
        if tag == "li":
            number = self._lists[-1] if self._lists else None
            self._marker = "• " if number is None else f"{number}. "
            if number is not None:
                self._lists[-1] = number + 1
        if tag not in _VOID and _hidden(tag, attrs):
            self._hiding, self._depth = tag, 1

    def handle_endtag(self, tag: str) -> None:
        if self._hiding is not None:
            if tag == self._hiding:
                self._depth -= 1
                if self._depth == 0:
                    self._hiding = None
            return
        if tag in ("ul", "ol", "menu") and self._lists:
            self._lists.pop()
        if tag in _BLOCKS:
            self.flush(blank=tag != "li")

    def handle_data(self, data: str) -> None:
        if self._hiding is not None:
            return
        if not self._parts and data.strip():
            # The line of the block's first character (getpos is the data's start).
            self._start = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        if self._parts or data.strip():
            self._parts.append(data)


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


def decode(raw: bytes) -> str:
    """Bytes of a text file as text (UTF-8, a BOM allowed), or a DraftError."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise DraftError(
            f"the text is not UTF-8 (byte {raw[e.start]:#04x} at line {line}): "
            "save it as UTF-8 text, or paste it from the page"
        ) from None


def read_lines(
    text: str, progress: Progress = SILENT
) -> tuple[list[Line], bool, list[tuple[str, str]]]:
    """The lines of the text classified, whether files were announced, and notes."""
    lines: list[Line] = []
    notes: list[tuple[str, str]] = []  # (Dutch, English)
    files_line: int | None = None
    page = page_lines(text)
    progress.stage(_("Reading the text"), len(page))
    for number, raw in page:
        progress.advance()
        fragments = _TAG.findall(raw)
        line = normalise_space(_TAG.sub("", raw))
        if not clean_line(line):
            lines.append(Line(number, "blank"))  # white space, or a list marker alone
            continue
        _refuse_page_chrome(number, _unmark(line))
        if fold(_unmark(line).rstrip(":")) in _FILES:
            files_line = files_line or number
            continue
        if files_line is not None:
            if _FILE_LINK.search(line):
                continue
            raise DraftError(
                f'the text goes on at line {number} after the "Bestanden" line (line '
                f"{files_line}), which ends a verslag on the page: it holds more than one "
                "verslag. Copy one verslag, from its first paragraph down to its "
                '"Bestanden" line.'
            )
        if fragments:
            shown = " ".join(normalise_space(f) for f in fragments)
            quoted = shorten(_unmark(line), 80)
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


def _refuse_page_chrome(number: int, line: str) -> None:
    folded = fold(line)
    if line in CHROME or folded == _PAGE_TITLE or _PAGE_INTRO in folded:
        raise DraftError(
            f'line {number} ("{shorten(line, 60)}") is part of the page around the verslagen: '
            "this looks like the whole page, not one verslag. Copy one verslag, from its "
            'first paragraph down to its "Bestanden" line.'
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

"""The text a browser shows of a saved HTML page, a block a line (``html_lines``), read
by the standard library's ``html.parser`` in time linear in the page's length."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..text import normalise_space


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

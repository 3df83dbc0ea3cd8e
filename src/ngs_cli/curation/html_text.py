"""The text a browser shows of a saved HTML page, a block a line (``html_lines``).

The page is parsed as a browser parses it, by lexbor (through ``selectolax``), a
conformant HTML5 parser in C: implied end tags (``<p>`` closed by a ``<div>``, ``<li>``
by ``</ul>``), an unclosed ``<head>``, raw-text elements and unclosed comments all end
where a browser ends them, in time linear in the page's length. The standard library's
``html.parser`` does not build HTML's tree, and takes time as the square of the number of
unclosed comments.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..text import normalise_space
from .html_scan import BLOCKS, scan_markup

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

# Elements whose content is not text a browser shows.
_NOT_SHOWN = frozenset(
    """script style template head title noscript iframe video audio canvas datalist
    textarea meter progress""".split()  # noqa: SIM905
)  # what a browser shows of these is not their text (a player, a picture, a field, a bar)
_LISTS = frozenset({"ul", "ol", "menu"})
_PLAIN_BLOCKS = BLOCKS - _LISTS - {"li"}  # blocks but lists and their items
# Elements hidden by an attribute: found by lexbor's selector engine, in C.
_MAY_HIDE = "[hidden], [aria-hidden], [style], dialog, details"
# The start of a block's text, looked for in the document to tell the block's line: its
# first run of ASCII letters and digits, which a page writes as they are, never as "&..;".
_SEARCHED_WORD = re.compile(r"[A-Za-z0-9]{1,40}")
_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)
# What follows a "<" that starts a tag, a comment or a declaration (else it is text).
_TAG_START = frozenset(string.ascii_letters + "/!?")
_NEAR = 4096  # characters looked through ahead (and behind) before the rest


def html_lines(document: str) -> list[tuple[int, str]]:
    """The text a browser shows of an HTML document, one block a line, with the number of
    the document's line where the block starts; "" between blocks.

    Not text: comments, the head, ``<script>``, ``<style>``, ``<template>``, and what is
    hidden (``hidden``, ``aria-hidden="true"``, an inline ``display: none`` or
    ``visibility: hidden``). Paragraphs, headings, list items, table cells and other
    blocks are lines of their own; a list item starts with "• " (or "1. " in a numbered
    list). Character references are decoded once. Linear in the document's length.

    A block's line is where its first word stands in the document (found by a search
    that only moves forward, from after the text before it, and gives up, keeping the
    last line found, once it has looked through the document a few times over): the
    parser keeps no positions.
    """
    from selectolax.lexbor import LexborHTMLParser

    not_text = scan_markup(document)
    tree = LexborHTMLParser(document)
    body = tree.body
    if body is None:
        return []
    if "hidden" in (tree.root.attributes if tree.root is not None else {}):
        return []  # <html hidden>: nothing is shown
    hidden: set[int] = set()
    visibility: dict[int, bool] = {}  # an element's own visibility (CSS), where set
    for node in tree.css(_MAY_HIDE):
        attrs = node.attributes
        if node.tag == "details" and "open" not in attrs:  # its first summary alone shows
            children = _children(node)
            summary = next((c for c in children if c.tag == "summary"), None)
            hidden.update(c.mem_id for c in children if c is not summary)
        shown = _shown(node.tag or "", attrs)
        if shown is False:
            hidden.add(node.mem_id)
        elif shown is not None:
            visibility[node.mem_id] = shown == "visible"
    lines = _read(body, hidden, visibility, _positions(document, not_text))
    while lines and not lines[-1][1]:
        lines.pop()
    return lines


def _shown(tag: str, attrs: dict[str, str | None]) -> bool | str | None:
    """False where an element and all it holds are not shown (``hidden``,
    ``aria-hidden="true"``, ``display: none``, a ``<dialog>`` not open, where no inline
    ``display`` shows it after all); "hidden" or "visible" where its inline style sets
    its own visibility, which its content inherits unless it sets its own; None where
    nothing here says."""
    display, visibility = _style(attrs.get("style") or "")
    if display == "none":
        return False
    if display is None and ("hidden" in attrs or (tag == "dialog" and "open" not in attrs)):
        return False
    if (attrs.get("aria-hidden") or "").strip().lower() == "true":
        return False  # decoration (an icon's glyph), not text, for those who hear the page
    if visibility in ("hidden", "collapse"):
        return "hidden"
    return "visible" if visibility == "visible" else None


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.S)
# CSS's display values, of one keyword or two: another is invalid, and leaves the one
# before it in force; a value that resets (initial, revert) shows the element.
_DISPLAYS = frozenset(
    """none block inline inline-block flex inline-flex grid inline-grid table inline-table
    table-row table-cell table-caption table-column table-row-group table-header-group
    table-footer-group table-column-group list-item contents flow-root flow run-in ruby
    ruby-text math initial unset revert revert-layer""".split()  # noqa: SIM905
)
_OUTER = frozenset({"block", "inline", "run-in"})
_INNER = frozenset({"flow", "flow-root", "table", "flex", "grid", "ruby", "list-item"})
_VISIBILITY = {"hidden": "hidden", "collapse": "hidden", "visible": "visible",
               "initial": "visible", "revert": "visible", "revert-layer": "visible"}  # fmt: skip


def _style(style: str) -> tuple[str | None, str | None]:
    """The display and visibility an inline style gives, as CSS reads it: the last valid
    declaration of each wins, but an ``!important`` one wins over those that are not; a
    value in quotes or a comment is no declaration."""
    found: dict[str, tuple[str, bool]] = {}
    text = _QUOTED.sub("''", re.sub(r"/\*.*?\*/", "", style, flags=re.S)).lower()
    for declaration in text.split(";"):
        name, _colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        important = value.endswith("!important")
        value = value.removesuffix("!important").strip()
        words = value.split()
        if name == "display":
            valid = (len(words) == 1 and words[0] in _DISPLAYS) or (
                len(words) == 2 and words[0] in _OUTER and words[1] in _INNER
            )
        elif name == "visibility":
            valid = value in _VISIBILITY
            value = _VISIBILITY.get(value, value)
        else:
            continue
        if valid and (important or not found.get(name, ("", False))[1]):
            found[name] = (value, important)
    display, visibility = found.get("display"), found.get("visibility")
    return (display[0] if display else None), (visibility[0] if visibility else None)


def _children(node: LexborNode) -> list[LexborNode]:
    children, child = [], node.child
    while child is not None:
        children.append(child)
        child = child.next
    return children


def _positions(document: str, not_text: list[tuple[int, int]]) -> Callable[[str], int]:
    """The line of the document where a text stands, by a search that moves forward
    from after the text found before it; negative for a text with no word to look for
    (the line is the last one found).

    A word is looked for as a word of its own, in the document's text: not in a tag
    (``<meta content="...">``, ``alt="..."``) nor in ``not_text`` (comments, scripts;
    sorted). A text the tree has moved before where the document has it (a table's
    stray text goes before the table) is not found ahead: it is looked for close behind,
    and takes the line where it stands there. The characters the searches may look at
    in all are limited, or a search for each such text to the document's end would take
    quadratic time. A closure, not a class: it is called once for every block."""
    length = len(document)
    budget = 4 * length + (1 << 20)
    cursor = counted = 0  # where the next search starts; where ``line`` was counted to
    line = 1
    returns = "\r" in document  # else a line break is a "\n" alone
    # Every line break "\r\n" (a page saved on Windows): a text's "\n" is two characters
    # of the document (or a reference, more).
    crlf = returns and document.count("\r") == document.count("\n") == document.count("\r\n")
    search, find, rfind = _SEARCHED_WORD.search, document.find, document.rfind
    starts = [start for start, _end in not_text]

    def span_end(at: int) -> int:
        """The end of the comment or script ``at`` is in, else -1."""
        if starts:
            i = bisect_right(starts, at) - 1
            if i >= 0 and at < not_text[i][1]:
                return not_text[i][1]
        return -1

    def tag_end(at: int, low: int, end: int) -> int:
        """After the end of the tag ``at`` is in (looked for back to ``low``, on to
        ``end``, or ``end`` where the tag never ends there), else -1."""
        opened = rfind("<", low, at)
        if (
            opened >= 0
            and document[opened + 1 : opened + 2] in _TAG_START
            and opened > rfind(">", low, at)
        ):
            closed = find(">", at, end)
            return end if closed < 0 else closed + 1
        return -1

    def seek(word: str, start: int, end: int) -> int:
        """Where the word first stands from ``start`` as a word of the text, or -1."""
        size = len(word)
        found = find(word, start, end)
        while found >= 0:
            after = found + size
            if (found and document[found - 1] in _ASCII_ALNUM) or (
                after < length and document[after] in _ASCII_ALNUM
            ):
                found = find(word, found + 1, end)  # the start or end of a longer word
                continue
            skip = span_end(found)  # in a comment or a script
            if skip < 0:
                skip = tag_end(found, counted, end)  # in a tag
            if skip < 0:
                return found
            found = find(word, skip, end)
        return -1

    def of(text: str) -> int:
        nonlocal budget, cursor, counted, line
        first = search(text)
        if first is None:
            return -line
        if budget <= 0:
            return line
        word = first[0]
        end = min(length, cursor + budget)
        near = min(end, cursor + _NEAR)
        found = seek(word, cursor, near)
        if found < 0 and near < end:
            # Not near: a text the tree moved, which stands close behind the text found
            # last (its start, up to a line's worth, as the page writes it, at a word's
            # start, in the text)? Else further on.
            low = max(0, counted - _NEAR)
            behind = rfind(text[first.start() : first.start() + 40], low, counted)
            budget -= near - cursor + counted - low
            if behind >= 0 and (
                (behind and document[behind - 1] in _ASCII_ALNUM)
                or span_end(behind) >= 0
                or tag_end(behind, low, counted) >= 0
            ):
                behind = -1
            if behind >= 0:
                return line - _breaks(document, behind, counted)
            found = seek(word, near, end)
            budget -= (found if found >= 0 else end) - near
        else:
            budget -= (found if found >= 0 else near) - cursor
        if found >= 0:
            line += (
                _breaks(document, counted, found)
                if returns
                else document.count("\n", counted, found)
            )
            counted = found
            # The next text starts after the rest of this one, which takes at least as many
            # characters in the document as in the text (a reference, "&amp;", or "\r\n"
            # more; a tag between two of them more still): the next search starts there, not
            # in this text, where the next text's first word ("De", "In") may stand too.
            cursor = found + len(text) - first.start()
            if crlf:
                cursor += text.count("\n", first.start())
        return line

    return of


def _breaks(document: str, start: int, end: int) -> int:
    """The line breaks between two places: "\r\n" and "\r" are one each, as the parser
    reads them."""
    newlines = document.count("\n", start, end)
    return newlines + document.count("\r", start, end) - document.count("\r\n", start, end)


def _read(
    root: LexborNode, hidden: set[int], visibility: dict[int, bool], of: Callable[[str], int]
) -> list[tuple[int, str]]:
    """The shown text under ``root`` as numbered lines (see ``html_lines``), the last
    block ended by a blank line; ``of`` tells a text's line (``_positions``).

    Depth first without recursion: a page may nest elements many thousands deep. A None
    on the stack closes the element below it. One loop, its steps written out in it: it
    runs once for every node of a page that may have millions."""
    stack: list[LexborNode | None] = [root]
    closing: list[tuple[str, bool]] = []  # per open element: its tag, the visibility before
    lists: list[int | None] = []  # per open list: the next number, or None
    lines: list[tuple[int, str]] = []
    parts: list[str] = []  # the current block's text
    start = 0  # the document's line where the current block starts
    marker = ""  # the list marker the next text starts with
    visible = True

    def flush(blank: bool) -> None:
        nonlocal marker, start
        start = abs(start)  # no word in the block: the line of the last one found
        if parts:
            text = normalise_space("".join(parts))
            parts.clear()
            if text:
                lines.append((start, marker + text))
                marker = ""
        if blank and lines and lines[-1][1]:
            lines.append((start, ""))

    while stack:
        node = stack.pop()
        if node is None:
            ended, visible = closing.pop()
            if ended in _LISTS and lists:
                lists.pop()
            if ended in BLOCKS:
                flush(ended != "li")
            continue
        if node is not root:
            after = node.next
            if after is not None:
                stack.append(after)
        tag = node.tag
        if tag == "-text":
            if visible and not (hidden and node.mem_id in hidden):
                data = node.text_content or ""
                if parts:
                    parts.append(data)
                    at = of(data)  # the next block starts after it
                    if start < 0:  # the block's first word, in a text after its first
                        start = at
                elif data and not data.isspace():
                    start = of(data)
                    parts.append(data)
            else:
                of(node.text_content or "")  # not shown: the search passes it
            continue
        if tag is None or tag[:1] in ("-", "_", "!") or tag in _NOT_SHOWN:
            continue  # a comment, a doctype; content a browser does not show
        if hidden and node.mem_id in hidden:
            of(node.text() or "")  # not shown, but in the document: the search passes it
            continue
        child = node.child
        if (
            tag in _PLAIN_BLOCKS
            and child is not None
            and child.next is None
            and child.tag == "-text"
        ):
            # A block with one text alone in it ("<p>Tekst.</p>"), most of a page, read at
            # once: the lines the steps below give it, and no other (the flush as it
            # starts, where there is something to flush; its text, with the list marker;
            # the blank line as it ends). A change to those steps is a change here too
            # (tests/test_pagecheck.py compares the lines with html5lib's tree's).
            if parts or (lines and lines[-1][1]):
                flush(True)
            shown = visibility.get(node.mem_id, visible) if visibility else visible
            if shown and not (hidden and child.mem_id in hidden):
                data = child.text_content or ""
                if data and not data.isspace():  # as the text node and the block's end do
                    start = abs(of(data))
                    lines.append((start, marker + normalise_space(data)))
                    lines.append((start, ""))
                    marker = ""
            else:
                of(child.text_content or "")  # not shown: the search passes it
            continue
        if tag in BLOCKS or tag == "br":
            flush(tag not in ("br", "li"))
        if tag in _LISTS:
            lists.append(1 if tag == "ol" else None)
        elif tag == "li":
            number = lists[-1] if lists else None
            marker = "• " if number is None else f"{number}. "
            if number is not None:
                lists[-1] = number + 1
        stack.append(None)
        closing.append((tag, visible))
        if visibility:
            visible = visibility.get(node.mem_id, visible)
        if child is not None:
            stack.append(child)
    flush(True)
    return lines

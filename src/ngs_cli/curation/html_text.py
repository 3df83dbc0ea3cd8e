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
from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import NgsError
from ..i18n import N_
from ..text import normalise_space

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

# Elements whose content is not text a browser shows.
_NOT_SHOWN = frozenset(
    """script style template head title noscript iframe video audio canvas datalist
    textarea meter progress""".split()  # noqa: SIM905
)  # what a browser shows of these is not their text (a player, a picture, a field, a bar)
# Elements that stand apart from the text around them.
_BLOCKS = frozenset(
    """address article aside blockquote body caption center dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li
    listing main menu nav ol optgroup option p plaintext pre search section summary table
    tbody td tfoot th thead tr ul xmp""".split()  # noqa: SIM905
)
_LISTS = frozenset({"ul", "ol", "menu"})
_PLAIN_BLOCKS = _BLOCKS - _LISTS - {"li"}  # blocks but lists and their items
# Elements hidden by an attribute: found by lexbor's selector engine, in C.
_MAY_HIDE = "[hidden], [aria-hidden], [style], dialog, details"
# Browsers stop nesting at 512 elements (Blink, WebKit); HTML's tree construction looks
# through the open elements for many start tags, so a page nested without end takes time
# as the square of its depth. Deeper pages are refused, before they are parsed.
MAX_DEPTH = 512
_VOID = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr".split()  # noqa: SIM905
)
# A common element with text alone in it, start to end ("<p>Tekst.</p>"), its names' case
# as HTML folds it, ASCII only ("</dİv>" ends no <div>).
_LEAF = (
    r"(?a:<(?P<leaf>p|div|span|li|dt|dd|h[1-6]|section|article|header|footer|main|nav"
    r"|aside|blockquote|figcaption|label|sub|sup|abbr|cite|q|time|mark)(?=[\s/>])"
    r"[^<>]*>[^<]*</(?P=leaf)(?=[\s/>]))"
)
# Raw text (up to the element's own end tag), comments and the rest after <plaintext>,
# each consumed whole, or to the end of the page where it never ends; else a tag's name.
_TOKENS = re.compile(
    r"<(script|style|textarea|title|xmp|iframe|noembed|noframes)\b[\s\S]*?(?:</\1|\Z)"
    r"|<!--[\s\S]*?(?:-->|\Z)|<plaintext\b[\s\S]*"
    r"|<[!?][^>]*>?"  # a doctype, "<![CDATA[", "<?x": up to the next ">", as a browser reads
    # Such elements one after another, with text alone between them, one token: most of a
    # page, taken at once where they only open and close themselves (see below).
    + "|"
    + _LEAF
    + r"(?a:(?:[^<>]*>[^<]*<(?P=leaf)(?=[\s/>])[^<>]*>[^<]*</(?P=leaf)(?=[\s/>])){0,1000})"
    r"|<(?P<end>/?)(?P<name>[a-zA-Z][^\s/>]*)",
    re.IGNORECASE,
)
_ONE_LEAF = re.compile(_LEAF, re.IGNORECASE)
# What an element's start tag closes, where one is open within reach (below): a new item
# its open sibling, a block an open paragraph, a link an open link.
_SIBLINGS = {"li": ("li",), "dt": ("dt", "dd"), "dd": ("dt", "dd"), "td": ("td", "th"),
             "th": ("td", "th"), "tr": ("tr", "td", "th"), "option": ("option",),
             "optgroup": ("option", "optgroup")}  # fmt: skip
_CLOSES: dict[str, tuple[str, ...]] = {
    **{tag: ("p",) for tag in _BLOCKS - {"body", "html", "td", "th", "tr"} - _SIBLINGS.keys()},
    **{tag: (*closes, "p") for tag, closes in _SIBLINGS.items()},
    "a": ("a",), "nobr": ("nobr",), "button": ("button",),
}  # fmt: skip
_COUNTED = {tag for closes in _CLOSES.values() for tag in closes}
# Where the search for what a start tag closes stops (HTML's scopes): an item is looked
# for up to the list around it, a paragraph up to a table cell or a button.
_SPECIAL = frozenset(
    """applet area article aside base basefont bgsound blockquote body br button caption
    center col colgroup dd details dir dl dt embed fieldset figcaption figure footer form
    frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li
    link listing main marquee menu meta nav noembed noframes noscript object ol param
    plaintext pre script search section select source style summary table tbody td
    template textarea tfoot th thead title tr track ul wbr xmp""".split()  # noqa: SIM905
)
# HTML's special elements, all (an item's search above passes address, div and p): one
# in a formatting element its end tag finds stays open, where the element ends.
_ALL_SPECIAL = _SPECIAL | {"address", "div", "p"}
_SCOPE = frozenset("applet caption html table td th marquee object template".split())  # noqa: SIM905
_BOUNDS = {
    "li": _SPECIAL - {"li"}, "dt": _SPECIAL - {"dd", "dt"}, "dd": _SPECIAL - {"dd", "dt"},
    "p": _SCOPE | {"button"}, "button": _SCOPE, "td": frozenset({"table", "html", "template"}),
    "th": frozenset({"table", "html", "template"}), "tr": frozenset({"table", "html", "template"}),
    "a": _SCOPE, "nobr": _SCOPE,
}  # fmt: skip
_TABLE_BOUNDS = frozenset({"td", "th", "html", "template"})
_REACH = 64  # open elements looked through for what a start tag closes; beyond, none
# Formatting elements: closed by a block, a browser opens them again inside the next one.
_FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())  # noqa: SIM905
_MARKERS = frozenset("applet caption marquee object td th template".split())  # noqa: SIM905
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# In SVG or MathML a tag that ends in "/>" closes itself; these leave SVG and MathML.
_FOREIGN = frozenset({"svg", "math"})
_BREAKOUT = frozenset(
    """b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr
    i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table
    tt u ul var""".split()  # noqa: SIM905
)
_TAG_END = 1024  # characters of attributes looked through for "/>" in SVG or MathML
_TABLE_PARTS = frozenset({"table", "tbody", "thead", "tfoot", "tr"})
# Start tags a browser leaves out where no table is open.
_TABLE_ONLY = frozenset("caption col colgroup tbody td tfoot th thead tr".split())  # noqa: SIM905
# Text in a table outside its cells goes before the table, each piece joined to the text
# moved before it, which lexbor copies whole each time: work (and memory) as the square of
# that text (2,000 pieces of 1,000 characters: 0.6 s and 660 MB). Beyond this, refused.
_MOVED_WORK = 200_000_000
# The start of a block's text, looked for in the document to tell the block's line: its
# first run of ASCII letters and digits, which a page writes as they are, never as "&..;".
_SEARCHED_WORD = re.compile(r"[A-Za-z0-9]{1,40}")
_ASCII_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
# What follows a "<" that starts a tag, a comment or a declaration (else it is text).
_TAG_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/!?")
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

    not_text = _refuse_deep_nesting(document)
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


class UnreadablePage(NgsError):
    """A page ngs does not read, as no saved web page is made: nested deeper than a
    browser nests its elements (``PageTooDeep``), or more text in a table outside its
    cells than the parser moves in a time and memory that grow with the page."""


class PageTooDeep(UnreadablePage):
    """A page whose elements are nested deeper than a browser nests them."""


def _refuse_deep_nesting(document: str) -> list[tuple[int, int]]:
    """Raise PageTooDeep where elements stay open more than MAX_DEPTH deep; else the
    places of the document's comments and raw text (``<script>``, ``<style>``,
    ``<title>`` ...), in order, which hold no text of the page, for the search of a
    block's line.

    The depth is counted as HTML's tree construction keeps it, closely enough for a page
    a browser saved: an end tag closes what is open since its start tag; a block closes
    an open paragraph, an item its open sibling, a link an open link, a heading a heading
    just opened, each within HTML's scopes; formatting a block closed counts as open
    again (a browser reopens it); in SVG and MathML "<x/>" closes itself; comments and
    raw text are skipped. One pass of one pattern, which reads paragraphs one after
    another as one token; a run of them that changes something is read again, element
    by element: linear.
    """
    stack: list[str] = []
    foreign: list[bool] = []  # per open element: SVG or MathML
    open_count = dict.fromkeys(_COUNTED | _FORMATTING, 0)
    formatting = 0  # formatting elements a browser keeps to reopen (its "active" list)
    formatting_open = 0  # those of them open now
    marks: list[int] = []  # that count where each open table cell (a marker) began
    # Per table cell: how often each formatting element (its tag and attributes) is kept;
    # a browser keeps three alike at most (HTML's "Noah's Ark").
    alike: list[dict[str, int]] = [{}]
    latest: dict[str, str] = {}  # per formatting tag: its latest element's key
    # Per table cell: formatting elements closed by the end of one they were in, which the
    # next text or inline element opens again (and nothing may close: "<b><i>x</b>" over
    # and over nests deeper each time).
    reopen: list[list[str]] = [[]]
    moved = [0, 0]  # in the table open last: characters of text outside its cells; work

    def push(name: str, in_foreign: bool) -> None:
        nonlocal formatting_open
        stack.append(name)
        foreign.append(in_foreign)
        open_count[name] = open_count.get(name, 0) + 1
        formatting_open += name in _FORMATTING

    def pop() -> str:
        nonlocal formatting, formatting_open
        top = stack.pop()
        foreign.pop()
        open_count[top] -= 1
        formatting_open -= top in _FORMATTING
        if top in _MARKERS and marks:
            formatting = marks.pop()
            alike.pop()
            if len(reopen) > 1:
                reopen.pop()
        return top

    def forget(name: str) -> None:
        """One formatting element ``name`` is no longer kept (its end tag, or a new link)."""
        nonlocal formatting
        key = latest.get(name)
        if key is not None and alike[-1].get(key):
            formatting -= alike[-1][key] <= 3
            alike[-1][key] -= 1

    def close(targets: tuple[str, ...], bounds: frozenset[str]) -> None:
        """Pop up to the nearest of ``targets``, unless a bound (or _REACH) comes first."""
        for depth in range(1, min(len(stack), _REACH) + 1):
            name = stack[-depth]
            if name in targets:
                for _ in range(depth):
                    pop()
                return
            if name in bounds:
                return

    def adopt(name: str) -> bool:
        """A formatting element ``name`` ends (its end tag, or a new link): True where a
        block in it stays open and the element alone ends (HTML's adoption agency); else
        the formatting elements in it are to be opened again, and False."""
        nonlocal formatting_open
        at = len(stack) - 1 - stack[::-1].index(name)
        above = stack[at + 1 :]
        if any(t in _ALL_SPECIAL for t in above):
            del stack[at], foreign[at]
            open_count[name] -= 1
            formatting_open -= 1
            return True
        reopen[-1].extend(t for t in above if t in _FORMATTING)
        return False

    def step(name: str, closing: bool, at: int, after: int) -> None:
        """One tag: ``name`` (lower case), an end tag or not, where it starts and where
        its name ends."""
        nonlocal formatting, formatting_open
        if closing:
            if name in _FORMATTING:
                forget(name)
                if open_count.get(name) and adopt(name):
                    return
            if open_count.get(name):
                while pop() != name:
                    pass
            elif name in reopen[-1]:  # opened again by the text before this end, and closed
                del reopen[-1][len(reopen[-1]) - 1 - reopen[-1][::-1].index(name)]
            return
        if name in _VOID:
            return
        if name in _TABLE_ONLY and not open_count.get("table"):
            return  # a row or a cell out of a table: left out
        in_foreign = bool(foreign) and foreign[-1]
        if in_foreign and name in _BREAKOUT:
            while foreign and foreign[-1]:
                pop()
            in_foreign = False
        if in_foreign or name in _FOREIGN:
            end = document.find(">", after, after + _TAG_END)
            if end > 0 and document[end - 1] == "/":
                return  # <path/>: closed as it opens
        closes = _CLOSES.get(name)
        if closes is not None:
            if "p" in closes and open_count["p"]:
                close(("p",), _BOUNDS["p"])
            siblings = tuple(t for t in closes if t != "p")
            if name in _FORMATTING and open_count[name]:  # a link in a link ends it
                at_link = len(stack) - 1 - stack[::-1].index(name)
                if not any(t in _SCOPE for t in stack[at_link + 1 :]):
                    forget(name)
                    if not adopt(name):
                        close(siblings, _SCOPE)
            elif siblings and any(open_count[t] for t in siblings):
                close(siblings, _BOUNDS.get(name, _SCOPE))
        if name in ("form", "html", "body") and open_count.get(name):
            return  # a form in a form, a second <body>: left out, their attributes kept
        if name == "table" and open_count.get("table"):
            close(("table",), _TABLE_BOUNDS)  # a table in a table, not in a cell, ends it
        if name in _HEADINGS and stack and stack[-1] in _HEADINGS:
            pop()
        if name in ("a", "nobr") and name in reopen[-1]:
            reopen[-1].remove(name)  # a new link ends the one kept to reopen
        if reopen[-1] and name not in _BLOCKS:
            for kept in reopen[-1]:  # opened again, around this element
                push(kept, False)
            reopen[-1].clear()
        if name == "table":
            moved[0] = moved[1] = 0
        if name in _MARKERS:
            marks.append(formatting)
            alike.append({})
            reopen.append([])
        if name in _FORMATTING:
            end = document.find(">", after, after + _TAG_END)
            key = name + " ".join(document[after : end if end > 0 else after].split())
            latest[name] = key
            alike[-1][key] = alike[-1].get(key, 0) + 1
            formatting += alike[-1][key] <= 3
        push(name, in_foreign or name in _FOREIGN)
        if len(stack) + max(0, formatting - formatting_open) > MAX_DEPTH:
            line = 1 + document.count("\n", 0, at)
            raise PageTooDeep(
                N_(
                    "the page nests its elements more than {depth} deep (at line {line}),"
                    " deeper than a browser reads them: is it a saved web page?"
                ),
                depth=MAX_DEPTH,
                line=line,
            )

    def passes(name: str) -> bool:
        """Whether an element with text alone in it, ``name``, changes nothing here."""
        return not (
            (foreign and foreign[-1])
            or any(open_count[t] for t in _CLOSES.get(name, ()))
            or (name in _HEADINGS and stack and stack[-1] in _HEADINGS)
            or len(stack) + 1 + max(0, formatting - formatting_open) > MAX_DEPTH
        )

    not_text: list[tuple[int, int]] = []
    last = 0  # where the token before ends (a tag: its name)
    for m in _TOKENS.finditer(document):
        if stack and stack[-1] in _TABLE_PARTS:  # text here goes before the table
            gap = document.find(">", last, m.start()) + 1 if last else 0
            if gap and not document[gap : m.start()].isspace():
                moved[0] += m.start() - gap
                moved[1] += moved[0]  # each piece is joined to the text moved before it
                if moved[1] > _MOVED_WORK:
                    raise UnreadablePage(
                        N_(
                            "the page has more text in a table outside its cells than a "
                            "saved web page has (at line {line}): is it a saved web page?"
                        ),
                        line=1 + document.count("\n", 0, m.start()),
                    )
        last = m.end()
        name = m["name"]
        if name is not None:
            step(name.lower(), bool(m["end"]), m.start(), m.end())
            continue
        leaf = m["leaf"]
        if leaf is None:
            not_text.append(m.span())  # a comment, raw text
            continue
        name = leaf.lower()
        # Each opened and closed again, changing nothing, where its start tag closes no
        # open element, out of SVG and MathML, and (a heading) not on a heading: then the
        # next, of the same name, changes nothing either.
        if not passes(name):
            # The lookahead after the last end tag's name looks one character further.
            for one in _ONE_LEAF.finditer(document, m.start(), m.end() + 1):
                if not passes(name):  # else one tag at a time
                    step(name, False, one.start(), one.end("leaf"))
                    step(name, True, one.end() - len(one["leaf"]) - 2, one.end())
    return not_text


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
            if starts:
                at = bisect_right(starts, found) - 1
                if at >= 0 and found < not_text[at][1]:
                    found = find(word, not_text[at][1], end)  # in a comment or a script
                    continue
            opened = rfind("<", counted, found)
            if (
                opened >= 0
                and document[opened + 1 : opened + 2] in _TAG_START
                and opened > rfind(">", counted, found)
            ):
                closed = find(">", found, end)  # in a tag: after it
                found = find(word, closed, end) if closed >= 0 else -1
                continue
            return found
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
            # Not near: a text the tree moved, which stands close behind (its start, up to
            # a line's worth, as the page writes it)? Else further on.
            behind = rfind(text[first.start() : first.start() + 40], max(0, cursor - _NEAR), cursor)
            budget -= near - cursor + min(cursor, _NEAR)
            if behind >= 0:
                if behind >= counted:
                    return line + _breaks(document, counted, behind)
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
            if ended in _BLOCKS:
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
        if tag in _BLOCKS or tag == "br":
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

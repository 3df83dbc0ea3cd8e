"""The markup of a saved HTML page looked through before it is parsed (``scan_markup``).

A page no browser saves, which lexbor would take time or memory as the square of its
length to read, is refused: elements nested deeper than a browser nests them, counted as
HTML's tree construction keeps them, and more text in a table outside its cells than a
page has. The scan also tells where the page's comments and raw text (scripts, styles)
stand, which hold no text of the page. One pass of one pattern: linear.
"""

from __future__ import annotations

import re

from ..errors import NgsError
from ..i18n import N_

# Elements that stand apart from the text around them (a line each, for the reader; here,
# what closes an open paragraph and what formatting is not opened again around).
BLOCKS = frozenset(
    """address article aside blockquote body caption center dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li
    listing main menu nav ol optgroup option p plaintext pre search section summary table
    tbody td tfoot th thead tr ul xmp""".split()  # noqa: SIM905
)
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
    **{tag: ("p",) for tag in BLOCKS - {"body", "html", "td", "th", "tr"} - _SIBLINGS.keys()},
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
# that text (2,000 pieces of 1,000 characters: 0.6 s and 660 MB). Beyond this (about 200
# MB; a reference such as "&nbsp;" counts as written), refused.
_MOVED_WORK = 600_000_000


class UnreadablePage(NgsError):
    """A page unlike any a browser saves, which the parser would take time or memory as
    the square of its length to read: nested too deep (``PageTooDeep``), or too much text
    in a table outside its cells."""


class PageTooDeep(UnreadablePage):
    """A page whose elements are nested deeper than a browser nests them."""


def scan_markup(document: str) -> list[tuple[int, int]]:
    """The places of the document's comments and raw text (``<script>``, ``<style>``,
    ``<title>`` ...), in order, which hold no text of the page, for the search of a
    block's line; or UnreadablePage: PageTooDeep where elements stay open more than
    MAX_DEPTH deep, or too much text in a table outside its cells.

    The depth is counted as HTML's tree construction keeps it, closely enough for a page
    a browser saved: an end tag closes what is open since its start tag; a block closes
    an open paragraph, an item its open sibling, a link an open link, a heading a heading
    just opened, each within HTML's scopes; formatting a block closed counts as open
    again (a browser reopens it), and so does formatting closed by the end of formatting
    it was in, which stays open where nothing closes it; a block in formatting whose end
    tag comes first stays open (HTML's adoption agency); a row or a cell out of a table
    is left out; in SVG and MathML "<x/>" closes itself; comments and raw text are
    skipped. One pass of one pattern, which reads paragraphs one after another as one
    token; a run of them that changes something is read again, element by element:
    linear.
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
    # Per table cell: formatting elements closed by the end of one they were in, which a
    # browser opens again at the next text or inline element (and nothing may close:
    # "<b><i>x</b>" over and over nests deeper each time). The scan sees no text: the next
    # start tag that is not a block's opens them here.
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

    def above(name: str) -> list[str]:
        """What is open in the last open element ``name``."""
        return stack[len(stack) - stack[::-1].index(name) :]

    def adopt(name: str) -> bool:
        """A formatting element ``name`` ends (its end tag, or a new link): True where a
        block in it stays open and the element alone ends (HTML's adoption agency); else
        the formatting elements in it are to be opened again, and False."""
        nonlocal formatting_open
        inside = above(name)
        at = len(stack) - 1 - len(inside)
        if any(t in _ALL_SPECIAL for t in inside):
            del stack[at], foreign[at]
            open_count[name] -= 1
            formatting_open -= 1
            return True
        reopen[-1].extend(t for t in inside if t in _FORMATTING)
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
                if not any(t in _SCOPE for t in above(name)):
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
        if name == "a" and not open_count["a"]:
            forget(name)  # a link a block closed, kept to open again, ends at a new one
        if name in ("a", "nobr") and name in reopen[-1]:
            reopen[-1].remove(name)  # a new link ends the one kept to reopen
        if reopen[-1] and name not in BLOCKS:
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
            # From the end of the token before: a tag's name, raw text's end tag or a run
            # of paragraphs ends before its ">", a comment after it.
            if not last or document[last - 1] == ">":
                gap = last
            else:
                gap = document.find(">", last, m.start()) + 1
            if 0 < gap < m.start() and not document[gap : m.start()].isspace():
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

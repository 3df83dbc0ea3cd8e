"""Reading the source page's text: its lines as an editor numbers them, and each line as
content, with markup, list markers and the page's navigation left out.

``page_lines`` also accepts the page saved as an HTML document. Nothing here reads files.
"""

from __future__ import annotations

import html
import re

from ..text import normalise_space

# Lines of the page that are navigation or layout, not content.
CHROME = frozenset(
    {
        "Ga naar de inhoud",
        "Skyline van een stad. Ter illustratie van het CCV-dossier Grote steden.",
    }
)
# The headings under which the page offers a verslag's files; one ends each verslag.
FILES_MARKERS = frozenset({"Bestanden", "Bestand"})

_TAG = re.compile(r"<[^>]*>")
_LIST_MARKER = re.compile(r"^(•|\d+\.)\s+")
_LONE_MARKER = re.compile(r"\d{1,2}\.")
# A document rather than text with a stray fragment: the tags a browser's "save as" keeps.
_HTML_DOCUMENT = re.compile(r"<(?:!doctype|html|body|p|div|li|ul|ol|br|h[1-6])\b", re.IGNORECASE)
_HTML_SKIP = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_BREAK = re.compile(
    r"<(?:br|/?p|/?div|/?li|/?ul|/?ol|/?h[1-6]|/?section|/?article|/?tr)\b[^>]*>", re.IGNORECASE
)


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


def page_lines(page_text: str) -> list[str]:
    """The page's lines; an HTML document is first turned into text, one block a line."""
    if _HTML_DOCUMENT.search(page_text):
        page_text = _HTML_SKIP.sub("", page_text)
        page_text = _HTML_BREAK.sub("\n", page_text)
        page_text = html.unescape(_TAG.sub("", page_text))
    return text_lines(page_text)

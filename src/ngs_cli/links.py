"""Links that land on one verslag of the source page: the page's address with a text
fragment (``#:~:text=...``, WICG's Text Fragments, which Chrome, Edge and Safari follow)
made of the start of that verslag's own text.

The page holds every sentence of the data and nothing else of the verslagen, so the data
is the page's text: the fragment is the fewest words from the start of one of the
verslag's blocks (its first, where that will do) that no other place of the page starts
a match with, as a browser matches: case ignored, white space as one space, on word
boundaries, within one block. A browser without text fragments opens the page at its top.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from .text import normalise_space, safe_url
from .verslag import text_places

MIN_WORDS = 4  # a fragment shorter than this would read as no more than a phrase
MAX_WORDS = 40  # one block's start; past it, the next block is tried


def page_blocks(data: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    """The page's blocks of text as the data has them: the collection's title and
    introduction (owner None), then each meeting's headings, paragraphs and items."""
    collection = data.get("collection") or {}
    blocks: list[tuple[str | None, str]] = [(None, collection.get("title") or "")]
    blocks += [(None, text) for text in collection.get("introduction") or ()]
    for meeting in data.get("meetings") or ():
        blocks += [(meeting.get("id"), text) for _place, text in text_places(meeting)]
    return [(owner, normalise_space(text)) for owner, text in blocks if text.strip()]


def _places(block: str, wanted: str) -> int:
    """How often ``wanted`` stands in ``block`` as a browser matches a text directive:
    on word boundaries, by string search (no pattern to compile for each start)."""
    count, at = 0, block.find(wanted)
    while at >= 0:
        end = at + len(wanted)
        if (at == 0 or not _is_word(block[at - 1])) and (
            end == len(block) or not _is_word(block[end])
        ):
            count += 1
        at = block.find(wanted, at + 1)
    return count


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


_WORD = re.compile(r"\w+")
BLOCKS_TRIED = 3  # of a verslag's blocks, from its first; then the page's address alone


class _Page:
    """The page's blocks, folded, with the blocks each word stands in: a start is looked
    for only in the blocks that hold all its words, the rarest first."""

    def __init__(self, blocks: list[tuple[str | None, str]]) -> None:
        self.blocks = blocks
        self.own: dict[str | None, list[str]] = {}  # each meeting's blocks, in order
        for owner, text in blocks:
            self.own.setdefault(owner, []).append(text)
        self.folded = [text.casefold() for _owner, text in blocks]
        self.holding: dict[str, set[int]] = {}
        self._counts: dict[str, int] = {}
        for i, text in enumerate(self.folded):
            for word in set(_WORD.findall(text)):
                self.holding.setdefault(word, set()).add(i)

    def count(self, start: str) -> int:
        """How many places of the page ``start`` matches (remembered: verslagen share
        their blocks' starts)."""
        known = self._counts.get(start)
        if known is None:
            known = self._counts[start] = self._count(start)
        return known

    def _count(self, start: str) -> int:
        words = sorted(
            set(_WORD.findall(start.casefold())), key=lambda w: len(self.holding.get(w, ()))
        )
        if not words:
            return 0
        candidates = set(self.holding.get(words[0], ()))
        for word in words[1:]:
            candidates &= self.holding.get(word, set())
            if not candidates:
                return 0
        wanted = start.casefold()
        return sum(_places(self.folded[i], wanted) for i in candidates)


def fragment(meeting_id: str, page: _Page) -> str | None:
    """The start of a block of the meeting that matches exactly once on the page; None
    where none of its first blocks does (a verslag whose blocks stand elsewhere too).

    A longer start matches no more places than a shorter one: a block whose start of
    ``MAX_WORDS`` words (or the whole block) matches more than once is passed over at
    once, and otherwise the fewest words are found by halving."""
    own = page.own.get(meeting_id, [])[:BLOCKS_TRIED]
    for text in own:
        words = text.split()
        longest = min(MAX_WORDS, len(words))
        if page.count(" ".join(words[:longest])) != 1:
            continue
        low, high = min(MIN_WORDS, longest), longest  # the answer lies in [low, high]
        while low < high:
            middle = (low + high) // 2
            if page.count(" ".join(words[:middle])) == 1:
                high = middle
            else:
                low = middle + 1
        return " ".join(words[:low])
    return None


def directive(text: str) -> str:
    """``text`` as a text directive's value: percent-encoded, "-", "&" and "," too."""
    return quote(text, safe="").replace("-", "%2D")


def verslag_urls(data: Mapping[str, Any]) -> dict[str, str | None]:
    """Each meeting's link (its id -> the address), None where the data names no source
    page; the page's address alone where no fragment is unique."""
    source = safe_url(((data.get("collection") or {}).get("source_url") or "").split("#")[0])
    meetings = [m for m in data.get("meetings") or () if m.get("id")]
    if not source:
        return {m["id"]: None for m in meetings}
    page = _Page(page_blocks(data))
    out: dict[str, str | None] = {}
    for meeting in meetings:
        start = fragment(meeting["id"], page)
        out[meeting["id"]] = f"{source}#:~:text={directive(start)}" if start else source
    return out

"""The one walk over a verslag's blocks: each heading, paragraph and list item of a
meeting's sections, in order, with its place in the record. The index, the workbook,
the plain-text verslag, the page check and the links share it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def text_places(meeting: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Each text of a meeting's verslag with its place in the record
    ("sections[0].blocks[2].bullets[1]"), in order. A record as read from a file will do
    (defaults need not be filled in; what is not a mapping is passed over)."""
    for si, section in enumerate(meeting.get("sections") or ()):
        if not isinstance(section, dict):
            continue
        at = f"sections[{si}]"
        if section.get("heading"):
            yield f"{at}.heading", section["heading"]
        for bi, block in enumerate(section.get("blocks") or ()):
            if not isinstance(block, dict):
                continue
            if "paragraph" in block:
                yield f"{at}.blocks[{bi}].paragraph", block["paragraph"]
                continue
            kind = "bullets" if block.get("bullets") else "numbered"
            for ii, item in enumerate(block.get(kind) or ()):
                place = f"{at}.blocks[{bi}].{kind}[{ii}]"
                if isinstance(item, str):
                    yield place, item
                elif isinstance(item, dict):
                    yield f"{place}.text", item.get("text", "")
                    for sub in ("bullets", "numbered"):
                        for ni, nested in enumerate(item.get(sub) or ()):
                            yield f"{place}.{sub}[{ni}]", nested


def meeting_texts(meeting: Mapping[str, Any]) -> Iterator[str]:
    """Every piece of text of the verslag itself, in order: headings, paragraphs, items."""
    for _place, text in text_places(meeting):
        yield text

"""An Atom feed (RFC 4287) of the selected meetings, for a feed reader to follow a
filter or a search: one entry a meeting, newest first as selected.

Each entry's id is a ``tag:`` URI made from the meeting's id, so that a reader never
shows a meeting twice; its link is the meeting's ``url`` (the verslag on the source
page); its ``updated`` is the meeting's date, or, where the day is not known, the day
the page was read for the data (``collection.retrieved``), and its summary says the
date as far as it is known. The feed is data: the same in every interface language,
its words Dutch as the verslagen are. Written with the standard library's ElementTree,
which escapes every value: a title stays text in every reader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from . import Job

NS = "http://www.w3.org/2005/Atom"
# The date of every entry's tag: fixed, so that an id never changes (RFC 4151 asks a date
# on which the authority held the name; the ids were first made in 2026).
TAG_DATE = "2026"
# Characters XML 1.0 cannot hold, even escaped: shown as U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write(stream: IO[str], job: Job) -> None:
    """The feed of the job's records (meetings' summaries, with their ``url``), described
    by its ``collection``."""
    import xml.etree.ElementTree as ET

    from ..calendar import in_words

    collection: Mapping[str, Any] = job.collection or {}
    records = job.records
    # Atom asks an author of every entry: the publisher, else the collection itself.
    author_name = collection.get("publisher") or collection.get("title") or "ngs"
    source = collection.get("source_url") or None
    base = collection.get("base_url") or None  # where the HTML page is published
    retrieved = collection.get("retrieved") or None
    authority = (urlsplit(source).hostname if source else None) or "localhost"
    minted = TAG_DATE

    def text(parent: Any, tag: str, value: str, **attributes: str) -> Any:
        element = ET.SubElement(parent, f"{{{NS}}}{tag}", attributes)
        element.text = _NOT_XML.sub("\ufffd", value)
        return element

    ET.register_namespace("", NS)
    feed = ET.Element(f"{{{NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "nl"})
    entries = []
    for record in records:
        entry = ET.Element(f"{{{NS}}}entry")
        text(entry, "id", f"tag:{authority},{minted}:verslagen/{record['id']}")
        text(entry, "title", record["title"] or record["id"])
        # The meeting's day; where the verslag gives none, the first of its year (said in
        # the summary), and only where not even the year is known, the day the page was
        # read: a meeting's "updated" never moves when the data is refreshed.
        day = record.get("date") or (
            f"{record['year']}-01-01" if record.get("year") else retrieved or "1970-01-01"
        )
        text(entry, "updated", f"{day}T00:00:00Z")
        author = ET.SubElement(entry, f"{{{NS}}}author")
        text(author, "name", author_name)
        page = f"{base}#m-{record['id']}" if base else None
        if page or record.get("url"):
            ET.SubElement(
                entry,
                f"{{{NS}}}link",
                {"rel": "alternate", "type": "text/html", "href": _attr(page or record["url"])},
            )
        if page and record.get("url"):  # the verslag on the source page, beside the copy
            ET.SubElement(
                entry,
                f"{{{NS}}}link",
                {"rel": "related", "type": "text/html", "href": _attr(record["url"])},
            )
        when = in_words(record, "nl")
        place = record.get("city") or "stad onbekend"
        themes = "; ".join(record.get("themes") or ())
        summary = f"{when}, {place}." + (f" Thema’s: {themes}." if themes else "")
        if not record.get("date"):
            summary += (
                " De dag staat niet in het verslag; ‘updated’ is 1 januari van het jaar."
                if record.get("year")
                else " Het jaar staat niet in het verslag; ‘updated’ is de dag waarop de bron"
                " is gelezen."
            )
        text(entry, "summary", summary, type="text")
        entries.append((day, entry))
    text(feed, "id", source or f"tag:{authority},{minted}:verslagen")
    text(feed, "title", collection.get("title") or "Verslagen")
    newest = max((day for day, _entry in entries), default=retrieved or "1970-01-01")
    text(feed, "updated", f"{newest}T00:00:00Z")
    author = ET.SubElement(feed, f"{{{NS}}}author")
    text(author, "name", author_name)
    if collection.get("self_url"):
        ET.SubElement(
            feed,
            f"{{{NS}}}link",
            {"rel": "self", "type": "application/atom+xml", "href": _attr(collection["self_url"])},
        )
    home = base or source
    if home:
        ET.SubElement(
            feed, f"{{{NS}}}link", {"rel": "alternate", "type": "text/html", "href": _attr(home)}
        )
    ET.SubElement(
        feed, f"{{{NS}}}generator", {"uri": "https://pypi.org/project/ngs-cli/"}
    ).text = "ngs"
    for _day, entry in entries:
        feed.append(entry)
    ET.indent(feed)
    stream.write('<?xml version="1.0" encoding="utf-8"?>\n')
    stream.write(ET.tostring(feed, encoding="unicode"))
    stream.write("\n")


def _attr(value: str) -> str:
    """An attribute's value as XML can hold it."""
    return _NOT_XML.sub("\ufffd", value)

"""Markdown: one verslag, or the collection as one document with a table of contents."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any, cast

from ..i18n import speaking
from ..summary import Labels, in_language, meeting_facts, person_line, programme_shown
from ..text import md_text, safe_url

if TYPE_CHECKING:
    from ..model import Collection, MeetingRecord
    from . import Job


_HEADING = re.compile(r"^#{1,6} (.*)$", re.MULTILINE)
_ESCAPE = re.compile(r"\\(.)")


def _github_slug(text: str) -> str:
    """The identifier GitHub (and pandoc's ``gfm`` reader) gives a heading: lower case,
    punctuation dropped, each space a hyphen."""
    kept = "".join(c for c in text.lower() if c.isalnum() or c in "_- ")
    return kept.replace(" ", "-")


def _pandoc_slug(text: str) -> str:
    """The identifier pandoc's own Markdown reader gives a heading (``auto_identifiers``):
    lower case, only letters, digits, ``_``, ``-`` and ``.``, words joined by hyphens,
    nothing before the first letter; ``section`` when nothing is left."""
    kept = "".join(c for c in text.lower() if c.isalnum() or c in "_-." or c.isspace())
    ident = "-".join(kept.split())
    while ident and not ident[0].isalpha():
        ident = ident[1:]
    return ident or "section"


class HeadingIds:
    """The identifiers given so far, and for each base the number its next repeat tries
    first: as github-slugger and pandoc count, in time linear in the headings (counting
    from 1 again for each "Verslag" took 10 s at 5,000 meetings)."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.next: dict[str, int] = {}

    def take(self, base: str) -> str:
        """``base``, or the first ``base-1``, ``base-2``, ... not yet used."""
        n = self.next.get(base, 0)
        ident = f"{base}-{n}" if n else base
        while ident in self.ids:
            n += 1
            ident = f"{base}-{n}"
        self.ids.add(ident)
        self.next[base] = n + 1
        return ident


def heading_ids(markdown: str, used: tuple[HeadingIds, HeadingIds]) -> list[tuple[str, str]]:
    """The identifiers GitHub and pandoc give each heading of ``markdown`` (written by this
    module: a line that starts with ``#`` is a heading), after the headings in ``used``,
    which this adds to."""
    ids = []
    for match in _HEADING.finditer(markdown):
        text = _ESCAPE.sub(r"\1", match[1])  # the text as shown, which both read
        github, pandoc = used
        ids.append((github.take(_github_slug(text)), pandoc.take(_pandoc_slug(text))))
    return ids


def _md_items(items: list[Any], numbered: bool, indent: str = "") -> list[str]:
    lines = []
    for n, item in enumerate(items, 1):
        marker = f"{n}." if numbered else "-"
        text = item if isinstance(item, str) else item["text"]
        lines.append(f"{indent}{marker} {md_text(text)}")
        if not isinstance(item, str):
            pad = indent + " " * (len(marker) + 1)
            if item.get("bullets"):
                lines += _md_items(item["bullets"], False, pad)
            if item.get("numbered"):
                lines += _md_items(item["numbered"], True, pad)
    return lines


def meeting_markdown(
    meeting: MeetingRecord, labels: Labels, level: int = 1, lang: str | None = None
) -> str:
    """One meeting's full verslag as Markdown, in ``lang`` (None: the interface's
    language); its title at heading ``level``."""
    say = speaking(lang)
    h = "#" * level
    out = [f"{h} {md_text(meeting['title'])}", ""]
    out += [
        f"- **{k}:** <{v}>" if field == "url" and safe_url(v) else f"- **{k}:** {md_text(v)}"
        for field, k, v in meeting_facts(meeting, labels, lang)
    ]
    if meeting["people"]:
        out += ["", f"{h}# {say('People')}", ""]
        out += [f"- {md_text(person_line(p))}" for p in meeting["people"]]
    programme = programme_shown(meeting)
    if programme:
        out += ["", f"{h}# {say('Programme')}", ""]
        for title, who in programme:
            out.append(f"- {md_text(title)}" + (f" — {md_text(who)}" if who else ""))
    out += ["", f"{h}# {say('Verslag')}"]
    for section in meeting["sections"]:
        if section["heading"]:
            out += ["", f"{h}{'#' * section['level']} {md_text(section['heading'])}"]
        block: Any
        for block in section["blocks"]:
            out.append("")
            if "paragraph" in block:
                out.append(md_text(block["paragraph"]))
            else:
                numbered = "numbered" in block
                out += _md_items(block["numbered"] if numbered else block["bullets"], numbered)
    notes = in_language(meeting, "notes", lang)
    if notes:
        out += ["", f"{h}# {say('Notes')}", ""]
        out += [f"- {md_text(n)}" for n in notes]
    return "\n".join(out) + "\n"


def md_link(url: str) -> str:
    """A printable http(s) address as an autolink; anything else as escaped text."""
    return f"<{url}>" if safe_url(url) else md_text(url)


def write_markdown(
    stream: IO[str],
    collection: Collection,
    meetings: Sequence[MeetingRecord],
    full: Iterable[MeetingRecord],
    labels: Labels,
    lang: str | None = None,
) -> None:
    """One document: title, introduction, a table of contents and every full verslag,
    in ``lang`` (None: the interface's language).

    ``meetings`` are the records for the contents; ``full`` yields the same meetings with
    their sections, one at a time.
    """
    say = speaking(lang)
    title = md_text(collection["title"])
    # A metadata block: pandoc -s names the document (pagetitle: its title shows once,
    # as the document's own heading, not again as a title block) and knows its
    # language; GitHub shows it as a table.
    stream.write(f"---\npagetitle: {json.dumps(title, ensure_ascii=False)}\nlang: nl\n---\n\n")
    head = f"# {title}\n\n"
    for para in collection["introduction"]:
        head += md_text(para) + "\n\n"
    # The publisher, then the page: "Bron: CCV, https://…" (no brackets in brackets).
    source = [md_text(collection["publisher"])] if collection["publisher"] else []
    if collection["source_url"]:
        source.append(md_link(collection["source_url"]))
    if source:
        head += say("Source: {source}").format(source=", ".join(source)) + "\n\n"
    contents = say("Contents")
    head += f"## {contents}\n\n"
    # The contents link to each verslag's heading by the identifier GitHub and pandoc
    # both compute from its text, which depends on every heading before it: the
    # verslagen are written out before the contents.
    used = (HeadingIds(), HeadingIds())
    heading_ids(head, used)
    bodies, targets = [], {}
    for m in full:
        body = meeting_markdown(m, labels, level=2, lang=lang)
        github, pandoc = heading_ids(body, used)[0]
        # They differ only for a title with a '.', a lone symbol between spaces
        # ("a & b") or digits before its first letter: then pandoc's, so that the
        # document pandoc makes for Word (its Markdown reader, the default) links.
        targets[m["id"]] = github if github == pandoc else pandoc
        bodies.append(body)
    # A list, not a table: pandoc lays out a table of long rows for Word in columns one
    # letter wide; a list item reads as a line of its own in Word, on GitHub and in HTML.
    # The year, then the title: the longest title (103 letters) still fits two printed
    # lines of a page in Word; the day and the city are the first lines of each verslag.
    unknown = say("year unknown")
    items = "".join(
        f"- {m['year'] if m['year'] is not None else unknown}: "
        f"[{md_text(m['title'])}](#{targets.get(m['id'], m['id'])})\n"
        for m in meetings
    )
    stream.write(head + items)
    for body in bodies:
        stream.write("\n" + body)


def write(stream: IO[str], job: Job) -> None:
    """The job's verslagen as Markdown: the collection's one document when the job has
    its contents, else each verslag in turn."""
    if job.contents is not None and job.collection is not None:
        collection = cast("Collection", job.collection)
        write_markdown(stream, collection, job.contents, job.meetings, job.labels, job.language)
        return
    for n, meeting in enumerate(job.meetings):
        if n:
            stream.write("\n")
        stream.write(meeting_markdown(meeting, job.labels, lang=job.language))

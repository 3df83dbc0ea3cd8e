"""What the commands about meetings share: the view of meetings as ``list`` and
``search`` show them, their summaries, and a REF resolved to the meetings it names."""

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import typer

from .. import query
from .. import summary as shown
from ..calendar import in_words
from ..i18n import _
from .options import Ctx
from .output import Column, View
from .registry import ExitCode

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ..model import MeetingRecord
    from .env import Environment

SUMMARY_FIELDS = tuple(shown.CSV_COLUMNS)


def meetings_view(
    env: "Environment",
    records: Iterable[dict[str, Any]],
    encoded: "Callable[[Sequence[str], bool], Iterable[str]] | None" = None,
    collection: "Callable[[], Any] | None" = None,
) -> View:
    """Meetings as list and search show them: one summary per meeting (``encoded``:
    the same summaries as JSON text, see ``View``)."""
    wide = env.width >= 140  # themes need room; on a narrow terminal the title will do
    themes = Column(_("Themes"), lambda r: r["themes"], wide=True, drop=1)
    return View(
        encoded=encoded,
        collection=collection,
        records=records,
        fields=SUMMARY_FIELDS,
        plain=lambda r: [r["id"], shown.iso_or_year(r), r["city"], r["title"], r["themes"]],
        columns=shown.CSV_COLUMNS,
        table=(
            Column(_("Date"), in_words),
            Column(_("City"), lambda r: r["city"] or "—", drop=2),  # after the themes
            Column(_("Title"), lambda r: r["title"], wide=True),
            *((themes,) if wide else ()),
            Column(_("Id"), lambda r: r["id"], whole=True, style="cyan"),
        ),
    )


def summaries(meetings: "Iterable[MeetingRecord]") -> Iterator[dict[str, Any]]:
    """Each meeting's summary (``summary.summary``), as list, search and CSV show it."""
    for m in meetings:
        yield shown.summary(m)


def resolve_one(c: Ctx, ref: str, all_: bool | None) -> "list[MeetingRecord]":
    """The meetings REF names; exits 1 with suggestions for none, 2 for several without
    --all (``all_`` None: the command has no --all, and takes one meeting only)."""
    found = query.resolve_ref(c.store, ref)
    if not found:
        unmatched = query.no_such_meeting(c.store, ref).translated()
        c.env.error(unmatched + " " + _("Try 'ngs list' to see them all."))
        raise typer.Exit(ExitCode.ERROR)
    if len(found) > 1 and not all_:
        c.env.error(
            query.several_meetings(ref, found).translated()
            if all_ is None
            else _("{ref} matches {n} meetings; name one, or add --all:").format(
                ref=repr(ref), n=len(found)
            )
        )
        for m in found:
            c.env.message("\t".join([m["id"], in_words(m), m["city"] or "", m["title"]]))
        raise typer.Exit(ExitCode.USAGE)
    return found

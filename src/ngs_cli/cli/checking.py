"""Commands that say how current and complete the data is: ``check`` compares it with the
source page as it is now (fetched, or a saved copy), ``about`` tells what the data is."""

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import store
from ..i18n import N_, _, ngettext, os_reason
from ..store import lastcheck  # only check and about read or keep the last check
from . import settings
from .files import read_page, write_new
from .options import DEFAULT_DATA, Ctx, DataChoice, format_option, with_data
from .output import View, emit, emit_text
from .registry import ExitCode, command

if TYPE_CHECKING:
    from ..curation.draft import Draft
    from ..curation.pagecheck import Block, Changes
    from ..fetch import Fetched
    from ..model import Dataset


@command(
    "check",
    help=N_(
        "Compare the data with the source page as it is now: the verslagen that are new, "
        "changed or removed."
    ),
    epilog=N_("""The page is the one the data names (collection.source_url), unless --url
or --source names another; https is verified against the system's certificates. Exit
status: 0 when the data and the page agree, 3 when they differ, 1 when the page cannot
be fetched.

Examples:

  ngs check

  ngs check --format json | jq .status

  ngs check --draft concepten/

  ngs check --source verslagen-netwerk-grote-steden.html"""),
)
@with_data
def check(
    ctx: typer.Context,
    url: Annotated[
        str | None,
        typer.Option("--url", metavar="URL", help=N_("Fetch the page from this address.")),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            metavar="PAGE",
            help=N_("Read a saved copy of the page (text or HTML) instead of fetching it."),
        ),
    ] = None,
    draft_dir: Annotated[
        Path | None,
        typer.Option(
            "--draft",
            metavar="DIR",
            help=N_("Write a draft record of each new verslag into DIR (never over a file)."),
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            min=0.1,
            max=3600,
            help=N_("Give up on the page after this many seconds."),
        ),
    ] = 30.0,
    fmt: Annotated[str, format_option(("text", "json"), N_("Output format."))] = "text",
    data: DataChoice = DEFAULT_DATA,
) -> None:
    from ..curation.pagecheck import changes, check_page

    c = Ctx(ctx, data)
    if url is not None and source is not None:
        raise typer.BadParameter(_("give --url or --source, not both."), param_hint="'--url'")
    if url is not None and not url.strip():
        raise typer.BadParameter(_("give the page's address."), param_hint="'--url'")
    if not math.isfinite(timeout):
        raise typer.BadParameter(_("give a number of seconds."), param_hint="'--timeout'")
    page = read_page(source, c.env, data.path) if source is not None else None
    loaded, _digest = _load(c, data)
    fetched = None
    if page is None:
        url = url or loaded["collection"].get("source_url")
        if not url:
            raise typer.BadParameter(
                _("the data names no source page (collection.source_url): give --url."),
                param_hint="'--url'",
            )
        fetched, page = _fetch(url, timeout)
    where = url or str(source)
    with c.showing() as progress:
        found = changes(check_page(page, loaded, progress), loaded)
        drafts = _drafts(found.new, loaded["topics"])
    checked_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    report = _report(where, checked_at, found, drafts)
    if fetched is not None:
        _remember(report, fetched, page)
    if fmt == "json":
        emit(c.env, View(records=[report], fields=(), single=True), "json")
    else:
        emit_text(c.env, _as_text(where, found, drafts, len(loaded["meetings"])))
    c.env.stdout.flush()  # a report that cannot be written is an error, whatever it says
    if draft_dir is not None and not _write_drafts(c, draft_dir, drafts):
        raise typer.Exit(ExitCode.ERROR)
    if not found.agree:
        raise typer.Exit(ExitCode.DIFFERS)


def _remember(report: dict[str, Any], fetched: "Fetched", page: str) -> None:
    """Keep what this check of a fetched page found, and the page, for the next check
    and ``ngs about``."""
    import hashlib

    state = {k: report[k] for k in ("url", "checked_at", "status")}
    state.update({k: len(report[k]) for k in ("new", "changed", "removed")})
    state.update(etag=fetched.etag, last_modified=fetched.last_modified)
    state["page_sha256"] = hashlib.sha256(page.encode("utf-8")).hexdigest()
    lastcheck.write_last_check(settings.current().cache_dir, state, page)


def _load(c: Ctx, data: DataChoice) -> "tuple[Dataset, str | None]":
    """The data file as a validated mapping (the page check reads it as the file has
    it), and its SHA-256."""
    target = store.resolve_path(data.path, c.settings.data)
    with c.showing() as progress:
        source = store.data_source(target, c.env.stdin_bytes, c.settings.max_size)
        loaded = store.parse_and_validate(source, str(data.path or target), progress)
    return loaded, source.sha256 or None


def _fetch(url: str, timeout: float) -> "tuple[Fetched, str]":
    from ..fetch import fetch_page

    cache_dir = settings.current().cache_dir
    return fetch_page(
        url,
        timeout=timeout,
        last=lastcheck.read_last_check(cache_dir),
        kept=lastcheck.read_last_page(cache_dir),
        proxies=settings.proxies(),
    )


def _drafts(blocks: "list[Block]", topics: Any) -> "list[Draft | None]":
    """The draft of each new block, None where it does not read as one verslag."""
    from ..curation.draft import DraftError, draft_meeting

    out: list[Draft | None] = []
    for block in blocks:
        try:
            out.append(draft_meeting(block.text, topics=topics))
        except DraftError:
            out.append(None)
    return out


def _report(
    where: str, checked_at: str, found: "Changes", drafts: "list[Draft | None]"
) -> dict[str, Any]:
    """What ``check --format json`` writes: the same in every language."""
    new = []
    for block, drafted in zip(found.new, drafts):
        record = drafted.record if drafted else {}
        new.append(
            {
                "lines": [block.first_line, block.last_line],
                "heading": _first_line(block),
                "first_sentence": block.sentences[0] if block.sentences else "",
                "date": record.get("date"),
                "end_date": record.get("end_date"),
                "year": record.get("year"),
                "city": record.get("city"),
                "sentences": list(block.sentences),
            }
        )
    return {
        "url": where,
        "checked_at": checked_at,
        "status": "agree" if found.agree else "differ",
        "new": new,
        "changed": [
            {
                "id": change.id,
                "title": change.title,
                "lines": list(change.lines) if change.lines else None,
                "added": list(change.added),
                "removed": list(change.removed),
            }
            for change in found.changed
        ],
        "removed": [{"id": i, "title": title} for i, title in found.removed],
    }


def _first_line(block: "Block") -> str:
    from ..curation.page import clean_line

    for line in block.text.splitlines():
        text = clean_line(line, markup=False) if line.strip() else ""
        if text:
            return text
    return ""


def _as_text(where: str, found: "Changes", drafts: "list[Draft | None]", meetings: int) -> str:
    from ..calendar import in_words
    from ..curation.pagecheck import page_span
    from ..text import one_line

    if found.agree:
        return (
            _("{page}: the data and the page agree ({meetings}).").format(
                page=where,
                meetings=ngettext("{n} meeting", "{n} meetings", meetings).format(n=meetings),
            )
            + "\n"
        )
    out = [_("{page}: the data and the page differ.").format(page=where)]
    if found.new:
        out += ["", _("New on the page ({n}), a verslag each:").format(n=len(found.new))]
        for block, drafted in zip(found.new, drafts):
            heading = one_line(_first_line(block))
            out.append(f"  {page_span(block.first_line, block.last_line)}: “{_short(heading)}”")
            if drafted is not None:
                record = drafted.record
                when = in_words({k: record.get(k) for k in ("date", "end_date", "season", "year")})
                out.append(
                    "    "
                    + _("date: {date}; city: {city}").format(
                        date=when, city=record.get("city") or _("unknown")
                    )
                )
            first = block.sentences[0] if block.sentences else ""
            if first and first != heading:
                out.append(f"    “{_short(one_line(first))}”")
    if found.changed:
        out += ["", _("Changed ({n}):").format(n=len(found.changed))]
        for change in found.changed:
            span = f" ({page_span(*change.lines)})" if change.lines else ""
            label = change.id or _("the page's introduction (collection)")
            out.append(f"  {label}{span}")
            out += [f"    + “{one_line(s)}”" for s in change.added]
            out += [f"    - “{one_line(s)}”" for s in change.removed]
    if found.removed:
        out += ["", _("Removed from the page ({n}):").format(n=len(found.removed))]
        out += [f"  {i}: {one_line(title)}" for i, title in found.removed]
    return "\n".join(out) + "\n"


def _short(text: str, most: int = 100) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _write_drafts(c: Ctx, folder: Path, drafts: "list[Draft | None]") -> bool:
    """Each draft into ``folder``/<id>.yaml, never over a file (a number is added
    instead); what was written, what is still to decide, and what could not be written,
    told on stderr. False when a draft could not be written."""
    from ..curation.draft import to_yaml
    from ..errors import OutputError

    if drafts and not folder.is_dir():
        try:
            folder.mkdir(parents=True)
        except OSError as e:
            c.env.error(
                _("{folder}: cannot be made ({reason}).").format(folder=folder, reason=os_reason(e))
            )
            return False
    written = True
    for n, drafted in enumerate(drafts, start=1):
        if drafted is None:
            c.env.message(
                _("new verslag {n}: not drafted (it does not read as one verslag)").format(n=n)
            )
            continue
        stem = (drafted.record.get("id") or f"nieuw-{n}")[:80]
        try:
            path = write_new(folder, stem, ".yaml", to_yaml(drafted))
        except OutputError as e:
            c.env.error(e.translated())
            written = False
            continue
        names = dict.fromkeys(u.split(":", 1)[0] for u in drafted.undecided)
        c.env.message(
            _("{file}: drafted; still to decide: {fields}").format(
                file=path, fields=", ".join(names) or _("nothing")
            )
        )
    return written


@command(
    "about",
    help=N_("What the data is, where it comes from, and how complete and current it is."),
    epilog=N_("""Examples:

  ngs about

  ngs about --format json | jq .last_check"""),
)
@with_data
def about(
    ctx: typer.Context,
    fmt: Annotated[str, format_option(("text", "json"), N_("Output format."))] = "text",
    data: DataChoice = DEFAULT_DATA,
) -> None:
    from ..summary import data_facts

    c = Ctx(ctx, data)
    loaded, digest = _load(c, data)
    last = lastcheck.read_last_check(c.settings.cache_dir)
    if last is not None and last.get("url") != loaded["collection"].get("source_url"):
        last = None  # a check of another page says nothing of this data's
    facts = data_facts(loaded, digest, last and {
        k: last.get(k) for k in ("url", "checked_at", "status", "new", "changed", "removed")
    })  # fmt: skip
    if fmt == "json":
        emit(c.env, View(records=[facts], fields=(), single=True), "json")
    else:
        emit_text(c.env, _about_text(facts))


def _about_text(facts: dict[str, Any]) -> str:
    last = facts["last_check"]
    if last:
        outcome = {
            "agree": _("the data and the page agreed"),
            "differ": _("the data and the page differed"),
        }.get(  # fmt: skip
            last.get("status"), str(last.get("status"))
        )
        checked = _("{when}, {page}: {outcome} (new {new}, changed {changed}, removed {removed})")
        checked = checked.format(
            when=last.get("checked_at"),
            page=last.get("url"),
            outcome=outcome,
            new=last.get("new"),
            changed=last.get("changed"),
            removed=last.get("removed"),
        )
    else:
        checked = _("never (ngs check)")
    years = ", ".join(f"{y}: {n}" for y, n in facts["per_year"].items())
    rows = [
        (_("Title"), facts["title"]),
        (_("Source"), facts["source_url"] or _("unknown")),
        (_("Publisher"), facts["publisher"] or _("unknown")),
        (_("Page read"), facts["retrieved"] or _("unknown")),
        (_("Last check"), checked),
        (_("Meetings"), str(facts["meetings"])),
        (_("Per year"), years or _("none")),
        (_("Years without"), ", ".join(map(str, facts["years_without"])) or _("none")),
        (_("Year unknown"), str(facts["year_unknown"])),
        (_("Year inferred"), str(facts["years_inferred"])),
        (_("City unknown"), str(facts["cities_unknown"])),
        (_("Versions"), _("ngs {ngs}, schema {schema}, data {data}").format(
            ngs=facts["ngs_version"], schema=facts["schema_version"],
            data=(facts["data_sha256"] or "?")[:12])),
    ]  # fmt: skip
    width = max(len(label) for label, _value in rows)
    return "".join(f"{label + ':':<{width + 2}}{value}\n" for label, value in rows)

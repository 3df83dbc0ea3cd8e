"""Commands that say how current and complete the data is: ``check`` compares it with the
source page as it is now (fetched, or a saved copy), ``about`` tells what the data is."""

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import __version__, store
from ..i18n import N_, _, ngettext
from .options import DEFAULT_DATA, Ctx, DataChoice, format_option, with_data
from .output import View, emit, emit_text
from .registry import ExitCode, command

if TYPE_CHECKING:
    from ..curation.pagecheck import Block, Changes
    from ..model import Dataset

TIMEOUT = 30.0


@command(
    "check",
    help=N_(
        "Compare the data with the source page as it is now: the verslagen that are new, "
        "changed or removed."
    ),
    epilog=N_("""The page is the one the data names (collection.source_url), fetched
over HTTPS, unless --url or --source names another. Exit status: 0 when the data and
the page agree, 3 when they differ, 1 when the page cannot be fetched or read.

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
            "--timeout", metavar="SECONDS", min=0.1, help=N_("Give up on the page after this.")
        ),
    ] = TIMEOUT,
    fmt: Annotated[str, format_option(("text", "json"), N_("Output format."))] = "text",
    data: DataChoice = DEFAULT_DATA,
) -> None:
    from ..curation.pagecheck import changes, check_page

    c = Ctx(ctx, data)
    if url is not None and source is not None:
        raise typer.BadParameter(_("give --url or --source, not both."), param_hint="'--url'")
    page = None
    if source is not None:
        from .curation import _read_page

        page = _read_page(source, c, data.path)
    target = store.resolve_path(data.path)
    with c.showing() as progress:
        loaded = store.parse_and_validate(
            store.data_source(target, c.env.stdin_bytes), str(data.path or target), progress
        )
    where = str(source) if source is not None else None
    fetched = None
    if page is None:
        where = url or (loaded["collection"].get("source_url") or "")
        if not where:
            raise typer.BadParameter(
                _("the data names no source page (collection.source_url): give --url."),
                param_hint="'--url'",
            )
        fetched, page = _fetch(where, timeout)
    with c.showing() as progress:
        found = changes(check_page(page, loaded, progress), loaded)
        drafts = _drafts(c, found.new)
    checked_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    status = "agree" if found.agree else "differ"
    report = _as_json(where, checked_at, status, found, drafts)
    written = _write_drafts(c, draft_dir, drafts) if draft_dir is not None else []
    if fmt == "json":
        emit(c.env, View(records=[report], fields=(), single=True), "json")
    else:
        emit_text(c.env, _as_text(where, found, drafts, len(loaded["meetings"])))
    for line in written:
        c.env.message(line)
    state = {k: report[k] for k in ("url", "checked_at", "status")}
    state.update({k: len(report[k]) for k in ("new", "changed", "removed")})
    if fetched is not None:
        state.update(etag=fetched.etag, last_modified=fetched.last_modified)
    store.write_last_check(state, fetched.text if fetched is not None else None)
    if not found.agree:
        raise typer.Exit(ExitCode.DIFFERS)


def _fetch(url: str, timeout: float) -> tuple[Any, str]:
    """The page at ``url``, asked for on the condition that it changed since the last
    check of the same address (whose copy is then used)."""
    from ..fetch import fetch

    last = store.read_last_check() or {}
    kept = store.read_last_page() if last.get("url") == url else None
    if kept is not None:
        fetched = fetch(
            url, timeout=timeout, etag=last.get("etag"), last_modified=last.get("last_modified")
        )
        if fetched.text is None:  # not modified
            return fetched, kept
    else:
        fetched = fetch(url, timeout=timeout)
    if fetched.text is None:  # not modified, though nothing was asked on condition
        fetched = fetch(url, timeout=timeout)
    return fetched, fetched.text or ""


def _drafts(c: Ctx, blocks: "list[Block]") -> list[dict[str, Any] | None]:
    """What a draft reads of each new block (its record and the draft), None where the
    block cannot be drafted as one verslag."""
    from ..curation.draft import DraftError, draft_meeting
    from ..query import known_topics

    if not blocks:
        return []
    topics = known_topics(c.store)
    out: list[dict[str, Any] | None] = []
    for block in blocks:
        try:
            made = draft_meeting(block.text, topics=topics)
        except DraftError:
            out.append(None)
            continue
        out.append({"record": made.record, "draft": made})
    return out


def _as_json(
    where: str | None,
    checked_at: str,
    status: str,
    found: "Changes",
    drafts: list[dict[str, Any] | None],
) -> dict[str, Any]:
    new = []
    for block, drafted in zip(found.new, drafts):
        record = drafted["record"] if drafted else {}
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
        "status": status,
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


def _as_text(
    where: str | None, found: "Changes", drafts: list[dict[str, Any] | None], meetings: int
) -> str:
    from ..calendar import in_words
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
            record = drafted["record"] if drafted else None
            heading = one_line(_first_line(block))
            out.append(f"  {_span(block.first_line, block.last_line)}: “{_short(heading)}”")
            if record is not None:
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
            name = change.id or "collection"
            span = f" ({_span(*change.lines)})" if change.lines else ""
            out.append(f"  {name}{span}")
            out += [f"    + “{one_line(s)}”" for s in change.added]
            out += [f"    - “{one_line(s)}”" for s in change.removed]
    if found.removed:
        out += ["", _("Removed from the page ({n}):").format(n=len(found.removed))]
        out += [f"  {i}: {one_line(title)}" for i, title in found.removed]
    return "\n".join(out) + "\n"


def _span(first: int, last: int) -> str:
    if first == last:
        return _("page line {line}").format(line=first)
    return _("page lines {first}-{last}").format(first=first, last=last)


def _short(text: str, most: int = 100) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _write_drafts(c: Ctx, folder: Path, drafts: list[dict[str, Any] | None]) -> list[str]:
    """Each draft into ``folder``/<id>.yaml, never over a file that is there (a number
    is added instead); what was written, or why not, as lines for the user."""
    from ..curation.draft import to_yaml

    lines = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise typer.BadParameter(
            _("{folder}: cannot be made ({reason}).").format(folder=folder, reason=e.strerror),
            param_hint="'--draft'",
        ) from None
    for n, drafted in enumerate(drafts, start=1):
        if drafted is None:
            lines.append(
                _("new verslag {n}: not drafted (it does not read as one verslag)").format(n=n)
            )
            continue
        made = drafted["draft"]
        stem = made.record.get("id") or f"nieuw-{n}"
        text = to_yaml(made)
        for attempt in range(1, 100):
            path = folder / (f"{stem}.yaml" if attempt == 1 else f"{stem}-{attempt}.yaml")
            try:
                fd = os.open(
                    path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644
                )
            except FileExistsError:
                continue
            except OSError as e:
                raise typer.BadParameter(
                    _("{file}: cannot be written ({reason}).").format(file=path, reason=e.strerror),
                    param_hint="'--draft'",
                ) from None
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            undecided = ", ".join(made.undecided) or _("nothing")
            lines.append(
                _("{file}: drafted; still to decide: {fields}").format(file=path, fields=undecided)
            )
            break
    return lines


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
    c = Ctx(ctx, data)
    target = store.resolve_path(data.path)
    with c.showing() as progress:
        source = store.data_source(target, c.env.stdin_bytes)
        loaded = store.parse_and_validate(source, str(data.path or target), progress)
    facts = _about(loaded, source.sha256 or None)
    if fmt == "json":
        emit(c.env, View(records=[facts], fields=(), single=True), "json")
    else:
        emit_text(c.env, _about_text(facts))


def _about(data: "Dataset", digest: str | None) -> dict[str, Any]:
    collection: Any = data["collection"]
    meetings: list[Any] = data["meetings"]
    per_year: dict[int, int] = {}
    for m in meetings:
        if m.get("year") is not None:
            per_year[m["year"]] = per_year.get(m["year"], 0) + 1
    years = sorted(per_year)
    missing = [y for y in range(years[0], years[-1] + 1) if y not in per_year] if years else []
    last = store.read_last_check()
    return {
        "title": collection["title"],
        "source_url": collection.get("source_url"),
        "publisher": collection.get("publisher"),
        "retrieved": collection.get("retrieved"),
        "last_check": last
        and {
            k: last.get(k) for k in ("url", "checked_at", "status", "new", "changed", "removed")
        },  # fmt: skip
        "meetings": len(meetings),
        "per_year": {str(y): per_year[y] for y in years},
        "years_without": missing,
        "year_unknown": sum(1 for m in meetings if m.get("year") is None),
        "dates_inferred": sum(1 for m in meetings if m.get("date_inferred")),
        "cities_unknown": sum(1 for m in meetings if not m.get("city")),
        "schema_version": data["schema_version"],
        "data_sha256": digest,
        "ngs_version": __version__,
    }


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
        (_("Year inferred"), str(facts["dates_inferred"])),
        (_("City unknown"), str(facts["cities_unknown"])),
        (_("Versions"), _("ngs {ngs}, schema {schema}, data {data}").format(
            ngs=facts["ngs_version"], schema=facts["schema_version"],
            data=(facts["data_sha256"] or "?")[:12])),
    ]  # fmt: skip
    width = max(len(label) for label, _value in rows)
    return "".join(f"{label + ':':<{width + 2}}{value}\n" for label, value in rows)

"""Commands that index the collection: people, topics, cities, timeline."""

from typing import Annotated, Any

import typer

from .. import query
from .. import summary as shown
from ..calendar import in_words
from ..i18n import N_, _, alternatives
from .options import (
    DEFAULT_DATA,
    NO_FILTERS,
    Ctx,
    DataChoice,
    FieldsOpt,
    IndexFormatOpt,
    NoPagerOpt,
    choice,
    completer,
    explain_no_match,
    with_data,
    with_filters,
)
from .output import Column, View, check_fields, default_format, emit
from .registry import command

APPEARANCE_FIELDS = ("name", "meeting", "date", "year", "city", "title", "role", "organisation")
# What --fields may also name: the person's number of meetings.
PEOPLE_FIELDS = (*APPEARANCE_FIELDS, "count")


@command(
    "people",
    help=N_(
        "Everyone who spoke or led a session, with their role, meetings and number of\n"
        "meetings.\n"
        "\n"
        "JSON gives one object per person with their appearances; --fields and csv give one\n"
        "row per appearance."
    ),
    epilog=N_("""Examples:

  ngs people

  ngs people bruls

  ngs people --role burgemeester

  ngs people --sort count

  ngs people --fields name,count,meeting,role --format csv

  ngs people --format json | jq -r '.[].name'"""),
)
@with_data
def people(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="[NAME]",
            autocompletion=completer("speaker"),
            help=N_("Only people whose name contains NAME (accents and case ignored)."),
        ),
    ] = None,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            metavar="TEXT",
            help=N_(
                "Only appearances whose role or organisation contains TEXT "
                "(burgemeester, politie, gemeente Utrecht). Repeat for any of several."
            ),
        ),
    ] = None,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            metavar="[name|count]",
            callback=choice("sort", query.PEOPLE_SORT_KEYS),
            autocompletion=lambda: list(query.PEOPLE_SORT_KEYS),
            help=N_("By surname, or by number of meetings (most first)."),
        ),
    ] = "name",
    fields: FieldsOpt = None,
    fmt: IndexFormatOpt = None,
    no_pager: NoPagerOpt = False,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    c = Ctx(ctx, data)
    chosen = check_fields(c.env, fields, PEOPLE_FIELDS)
    for value in role or ():
        if not value.strip():
            raise typer.BadParameter(_("give a value (it is empty)."), param_hint="'--role'")
    found = query.people_index(c.store, name, roles=role or (), sort=sort)
    fmt = default_format(c.env, fmt)
    rows = [
        {"name": p["name"], **a, "count": p["count"], "first": i == 0}
        for p in found
        for i, a in enumerate(p["appearances"])
    ]
    nested = fmt in ("json", "ndjson") and chosen is None
    view = View(
        records=found if nested else rows,
        fields=APPEARANCE_FIELDS,
        plain=lambda r: [
            r["name"],
            r["meeting"],
            r["date"] or r["year"],
            r["role"],
            r["organisation"],
        ],
        columns=APPEARANCE_FIELDS,
        table=(
            Column(_("Name"), lambda r: r["name"], wide=True, style="bold"),
            Column(_("Meetings"), lambda r: r["count"] if r["first"] else "", drop=2),
            Column(
                _("Role, organisation"),
                lambda r: ", ".join(filter(None, (r["role"], r["organisation"]))),
                wide=True,
            ),
            Column(_("Date"), in_words, drop=1),  # the id has its year
            Column(_("Meeting"), lambda r: r["meeting"], whole=True, style="cyan"),
        ),
        page=not no_pager,
    )
    emit(c.env, view, fmt, chosen)
    if not found:
        if role:
            roles = alternatives(role)
            c.env.notice(
                (
                    _("Nobody called {name} spoke as {roles}.")
                    if name
                    else _("Nobody spoke as {roles}.")
                ).format(name=repr(name), roles=roles)
            )
        elif name:
            near = query.did_you_mean(name, query.known_values(c.store, "speaker"))
            c.env.notice(
                _("Nobody in the verslagen is called {name}.").format(name=repr(name))
                + (
                    " " + _("Did you mean {value}?").format(value=alternatives(near))
                    if near
                    else ""
                )
            )
        else:
            c.env.notice(_("The data names nobody who spoke or led a session."))


def _facet(
    ctx: typer.Context, data: DataChoice, kind: str, fmt: str | None, no_pager: bool
) -> None:
    c = Ctx(ctx, data)
    rows = query.facet(c.store, kind)
    if kind == "topic":
        view = View(
            records=rows,
            fields=("id", "label", "aliases", "count", "years", "meetings"),
            plain=lambda r: [r["id"], r["count"], ",".join(map(str, r["years"])), r["label"],
                             ", ".join(r["aliases"])],
            table=(
                Column(_("Id"), lambda r: r["id"], whole=True, style="cyan"),
                Column(_("Topic"), lambda r: r["label"], wide=True),
                Column(_("Meetings"), lambda r: r["count"]),
                Column(_("Years"), _years, wide=True, drop=1),
                Column(_("Also matches"), lambda r: ", ".join(r["aliases"]), wide=True,
                       style="dim", drop=2),
            ),
        )  # fmt: skip
    else:
        view = View(
            records=rows,
            fields=("city", "count", "years", "meetings"),
            plain=lambda r: [r["city"], r["count"], ",".join(map(str, r["years"]))],
            table=(
                Column(_("City"), lambda r: r["city"] or _("(unknown)"), style="bold"),
                Column(_("Meetings"), lambda r: r["count"]),
                Column(_("Years"), _years, wide=True),
            ),
        )  # fmt: skip
    emit(c.env, view.replace(page=not no_pager), default_format(c.env, fmt))


def _years(row: dict[str, Any]) -> str:
    return ", ".join(map(str, row["years"]))


@command(
    "topics",
    help=N_("Every topic --theme understands: label, aliases, number of meetings, years."),
    epilog=N_("""Examples:

  ngs topics

  ngs topics --format json | jq -r '.[] | select(.count > 2) | .id'"""),
)
@with_data
def topics(
    ctx: typer.Context,
    fmt: IndexFormatOpt = None,
    no_pager: NoPagerOpt = False,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    _facet(ctx, data, "topic", fmt, no_pager)


@command(
    "cities",
    help=N_("Every host city with its number of meetings and their years."),
    epilog=N_("""Examples:

  ngs cities

  ngs cities --format plain | sort -t$'\\t' -k2 -nr"""),
)
@with_data
def cities(
    ctx: typer.Context,
    fmt: IndexFormatOpt = None,
    no_pager: NoPagerOpt = False,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    _facet(ctx, data, "city", fmt, no_pager)


@command(
    "timeline",
    help=N_("The collection year by year: each meeting's date, city and topics at a glance."),
    epilog=N_("""Examples:

  ngs timeline

  ngs timeline --theme radicalisering

  ngs timeline --format json"""),
)
@with_filters
@with_data
def timeline(
    ctx: typer.Context,
    filters: query.Filters = NO_FILTERS,
    fmt: IndexFormatOpt = None,
    no_pager: NoPagerOpt = False,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    c = Ctx(ctx, data)
    f = filters
    years = query.timeline(c.store, query.find_meetings(c.store, f))
    labels = query.topic_labels(c.store)
    records = [
        {"year": y, "count": len(ms), "meetings": [shown.summary(m) for m in ms]} for y, ms in years
    ]

    def terminal(out: Any, rows: list[dict[str, Any]]) -> None:
        from ..render import timeline_view

        timeline_view(out, years, labels, alternatives(filters.themes) if filters.themes else None)

    view = View(
        records=records,
        fields=("year", "count", "meetings"),
        plain=lambda r: [
            r["year"] if r["year"] is not None else "unknown",
            r["count"],
            " ".join(m["id"] for m in r["meetings"]),
        ],
        terminal=terminal,
        page=not no_pager,
    )
    emit(c.env, view, default_format(c.env, fmt))
    if not f.is_empty() and not any(ms for _, ms in years):
        explain_no_match(c, f)

"""Commands that find meetings by what they hold: search and related."""

from typing import Annotated, Any

import typer

from .. import query
from .. import summary as shown
from ..calendar import in_words
from ..i18n import N_, _
from .options import (
    DEFAULT_DATA,
    NO_FILTERS,
    Ctx,
    DataChoice,
    FieldsOpt,
    LimitOpt,
    ListFormatOpt,
    NoPagerOpt,
    RefArg,
    explain_unknown,
    not_negative,
    with_data,
    with_filters,
)
from .output import Column, check_fields, default_format, emit
from .registry import command
from .views import SUMMARY_FIELDS, meetings_view, resolve_one


@command(
    "search",
    words_may_start_with_dash=True,
    help=N_("Full-text search of every meeting, best match first, with a snippet."),
    epilog=N_("""Query language: every word must occur, in any of its Dutch forms
(burgemeesters also finds burgemeester) and the compounds it ends (inbraak also finds
woninginbraak); OR between words widens; -word or NOT word leaves out; "a phrase" is
those words in that order; word* is any word that starts so; ( ) groups. Case and
accents are ignored. Best first: a word in the title or a topic before one in the text,
the word itself before its forms and compounds; relevance is the share of the best hit.

Examples:

  ngs search burgemeesters

  ngs search 'jeugd OR jongeren'

  ngs search 'veiligheid -corona'

  ngs search '"nationale politie"' --since 2012

  ngs search 'radicalis*'

  ngs search bibob --format json | jq -r '.[].id'

  ngs search radicalisering --fields id,relevance --format csv"""),
)
@with_filters(short=False)
@with_data
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY...",
            help=N_('Words that must all occur; OR, -word, NOT, "a phrase", word*, ( ).'),
        ),
    ],
    filters: query.Filters = NO_FILTERS,
    limit: LimitOpt = None,
    fields: FieldsOpt = None,
    fmt: ListFormatOpt = None,
    no_pager: NoPagerOpt = False,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    from ..search import BadQuery, parse_query, search_meetings, why_nothing

    c = Ctx(ctx, data)
    known = (*SUMMARY_FIELDS, "relevance", "score", "snippets")
    chosen = check_fields(c.env, fields, known)
    text = " ".join(words)
    try:
        tree = parse_query(text)
    except BadQuery as e:
        raise typer.BadParameter(f"{e.translated()}.", param_hint=_("QUERY")) from None
    if tree is None:
        raise typer.BadParameter(_("give at least one word to search for."), param_hint=_("QUERY"))
    f = filters
    fmt = default_format(c.env, fmt)
    wants_snippets = fmt != "csv" or (chosen is not None and "snippets" in chosen)
    hits = search_meetings(
        c.store, tree, f, limit=limit, snippets=wants_snippets, only=shown.SUMMARY_SOURCES
    )
    records = [
        {
            **shown.summary(h.meeting),
            "relevance": h.relevance,
            "score": h.score,
            "snippets": [s for s, _ in h.snippets],
        }
        for h in hits
    ]

    def terminal(out: Any, rows: list[dict[str, Any]]) -> None:
        from ..render import search_results

        search_results(out, hits)

    view = meetings_view(c.env, records, collection=c.store.collection).replace(
        fields=known,
        plain=lambda r: [
            r["id"], shown.iso_or_year(r), r["city"], r["title"], r["relevance"],
            (r["snippets"] or [""])[0],
        ],
        terminal=terminal,
        page=not no_pager,
    )  # fmt: skip
    emit(c.env, view, fmt, chosen)
    if not hits and limit != 0:
        c.env.notice(
            (
                _("No meetings match {query}.")
                if f.is_empty()
                else _("No meetings match {query} within these filters.")
            ).format(query=repr(text))
        )
        for line in why_nothing(c.store, tree, f):
            c.env.notice(f"  {line}")
        if not f.is_empty():
            explain_unknown(c, f)


@command(
    "related",
    help=N_(
        "The meetings most like one meeting, best first, with what they share: topics,\n"
        "people and distinctive words."
    ),
    epilog=N_("""Examples:

  ngs related 2014-rotterdam

  ngs related 2023 --limit 3 --format json

  ngs related leeuwarden --since 2012"""),
)
@with_filters
@with_data
def related(
    ctx: typer.Context,
    ref: RefArg,
    filters: query.Filters = NO_FILTERS,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", metavar="N", callback=not_negative, help=N_("Show at most N.")
        ),
    ] = 5,
    fields: FieldsOpt = None,
    fmt: ListFormatOpt = None,
    no_pager: NoPagerOpt = False,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    from ..search import related_meetings

    c = Ctx(ctx, data)
    known = (*SUMMARY_FIELDS, "score", "shared_topics", "shared_people", "shared_words")
    chosen = check_fields(c.env, fields, known)
    (meeting,) = resolve_one(c, ref, None)
    f = filters
    hits = related_meetings(c.store, meeting, f, limit=limit)
    labels = query.topic_labels(c.store)
    records = [
        {
            **shown.summary(h.meeting),
            "score": h.score,
            "shared_topics": h.topics,
            "shared_people": h.people,
            "shared_words": h.terms,
        }
        for h in hits
    ]

    def why(r: dict[str, Any], say: Any = str) -> str:
        """What a meeting shares: in English in a pipe (the rows scripts read never
        change with the language), in the user's on a terminal (``say=_``)."""
        parts = []
        if r["shared_topics"]:
            topics = ", ".join(labels.get(t, t) for t in r["shared_topics"])
            parts.append(say("topics: {values}").format(values=topics))
        if r["shared_people"]:
            parts.append(say("people: {values}").format(values=", ".join(r["shared_people"])))
        if r["shared_words"]:
            words = ", ".join(r["shared_words"][:6])
            parts.append(say("words: {values}").format(values=words))
        return "; ".join(parts)

    N_("topics: {values}"), N_("people: {values}"), N_("words: {values}")

    view = meetings_view(c.env, records, collection=c.store.collection).replace(
        fields=known,
        plain=lambda r: [
            r["id"], shown.iso_or_year(r), r["city"], r["title"], r["score"], why(r),
        ],
        table=(
            Column(_("Date"), in_words),
            Column(_("City"), lambda r: r["city"] or "—", drop=1),
            Column(_("Title"), lambda r: r["title"], wide=True),
            Column(_("Shares"), lambda r: why(r, _), wide=True),
            Column(_("Id"), lambda r: r["id"], whole=True, style="cyan"),
        ),
        page=not no_pager,
    )  # fmt: skip
    emit(c.env, view, default_format(c.env, fmt), chosen)
    if not hits and limit != 0:
        c.env.notice(
            (
                _("No other meeting shares topics, people or distinctive words with {id}.")
                if f.is_empty()
                else _(
                    "No other meeting shares topics, people or distinctive words with {id} "
                    "within these filters."
                )
            ).format(id=repr(meeting["id"]))
        )
        if not f.is_empty():
            explain_unknown(c, f)

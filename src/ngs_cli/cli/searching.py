"""Commands that find meetings by what they hold: search and related."""

from typing import Annotated, Any

import typer

from .. import query
from .. import summary as shown
from .meetings import LIST_FORMATS, MAX_TERMS, SUMMARY_FIELDS, meetings_view, resolve_one
from .options import (
    DEFAULT_DATA,
    NO_FILTERS,
    Ctx,
    DataChoice,
    FieldsOpt,
    LimitOpt,
    RefArg,
    explain_unknown,
    format_option,
    with_data,
    with_filters,
)
from .output import check_fields, default_format, emit
from .registry import command


@command(
    "search",
    epilog="""Query language: every word must occur, in any of its Dutch forms
(burgemeesters also finds burgemeester); OR between words widens; -word or NOT word
leaves out; "a phrase" is those words in that order; word* is any word that starts so;
( ) groups. Case and accents are ignored.

Examples:

  ngs search burgemeesters

  ngs search 'jeugd OR jongeren'

  ngs search 'veiligheid -corona'

  ngs search '"nationale politie"' --since 2012

  ngs search 'radicalis*'

  ngs search bibob --format json | jq -r '.[].id'

  ngs search radicalisering --fields id,score --format csv""",
)
@with_filters
@with_data
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY",
            help='Words that must all occur; OR, -word, NOT, "a phrase", word*, ( ).',
        ),
    ],
    filters: query.Filters = NO_FILTERS,
    limit: LimitOpt = None,
    fields: FieldsOpt = None,
    fmt: Annotated[
        str | None,
        format_option(
            LIST_FORMATS, "Output format. Default: table on a terminal, plain in a pipe."
        ),
    ] = None,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    """Full-text search of every meeting, best match first, with a snippet."""
    from ..search import BadQuery, parse_query, search_meetings, terms, why_nothing

    c = Ctx(ctx, data)
    known = (*SUMMARY_FIELDS, "score", "snippets")
    chosen = check_fields(c.env, fields, known)
    text = " ".join(words)
    try:
        tree = parse_query(text)
    except BadQuery as e:
        raise typer.BadParameter(f"{e}.", param_hint="QUERY") from None
    count = len(terms(tree, excluded=True))
    if tree is None:
        raise typer.BadParameter("give at least one word to search for.", param_hint="QUERY")
    if count > MAX_TERMS:
        # Every word must occur: past a few dozen the index's work grows with the square
        # of their number, and SQLite cannot be interrupted meanwhile.
        raise typer.BadParameter(
            f"{count} words; search for at most {MAX_TERMS}.", param_hint="QUERY"
        )
    f = filters
    fmt = default_format(c.env, fmt)
    wants_snippets = fmt != "csv" or (chosen is not None and "snippets" in chosen)
    hits = search_meetings(c.store, tree, f, limit=limit, snippets=wants_snippets)
    records = [
        {
            **shown.summary(h.meeting),
            "score": h.score,
            "snippets": [s for s, _ in h.snippets],
        }
        for h in hits
    ]

    def terminal(out: Any, rows: list[dict[str, Any]]) -> None:
        from ..render import search_results

        search_results(out, hits)

    view = meetings_view(c.env, records)._replace(
        fields=known,
        plain=lambda r: [
            r["id"], shown.iso_or_year(r), r["city"], r["title"], r["score"],
            (r["snippets"] or [""])[0],
        ],
        terminal=terminal,
    )  # fmt: skip
    emit(c.env, view, fmt, chosen)
    if not hits and limit != 0:
        c.env.message(
            f"No meetings match {text!r}" + ("" if f.is_empty() else " within these filters") + "."
        )
        for line in why_nothing(c.store, tree, f):
            c.env.message(f"  {line}")
        if not f.is_empty():
            explain_unknown(c, f)


@command(
    "related",
    epilog="""Examples:

  ngs related 2014-rotterdam

  ngs related 2023 --limit 3 --format json

  ngs related leeuwarden --since 2012""",
)
@with_filters
@with_data
def related(
    ctx: typer.Context,
    ref: RefArg,
    filters: query.Filters = NO_FILTERS,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, metavar="N", help="Show at most N (default 5).")
    ] = 5,
    fields: FieldsOpt = None,
    fmt: Annotated[
        str | None,
        format_option(
            LIST_FORMATS, "Output format. Default: table on a terminal, plain in a pipe."
        ),
    ] = None,
    data: DataChoice = DEFAULT_DATA,
) -> None:
    """The meetings most like one meeting, best first, with what they share: topics,
    people and distinctive words."""
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

    def why(r: dict[str, Any]) -> str:
        parts = []
        if r["shared_topics"]:
            parts.append("topics: " + ", ".join(labels.get(t, t) for t in r["shared_topics"]))
        if r["shared_people"]:
            parts.append("people: " + ", ".join(r["shared_people"]))
        if r["shared_words"]:
            parts.append("words: " + ", ".join(r["shared_words"][:6]))
        return "; ".join(parts)

    view = meetings_view(c.env, records)._replace(
        fields=known,
        plain=lambda r: [
            r["id"], shown.iso_or_year(r), r["city"], r["title"], r["score"], why(r),
        ],
        headers=["Date", "City", "Title", "Shares", "Id"],
        table_row=lambda r: [shown.when(r), r["city"] or "—", r["title"], why(r), r["id"]],
        wide=(2, 3),
        styles={4: "cyan"},
    )  # fmt: skip
    emit(c.env, view, default_format(c.env, fmt), chosen)
    if not hits and limit != 0:
        c.env.message(
            f"No other meeting shares topics, people or distinctive words with {meeting['id']!r}"
            + ("" if f.is_empty() else " within these filters")
            + "."
        )
        if not f.is_empty():
            explain_unknown(c, f)

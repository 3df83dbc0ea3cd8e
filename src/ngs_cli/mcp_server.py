"""``ngs mcp``: the verslagen for assistants, as a Model Context Protocol server on
stdio (the official SDK, the extra ``ngs-cli[mcp]``; imported by this command only).

Tools ``search``, ``list``, ``show``, ``people`` and ``cite`` give the library's records
(the objects of the command line's ``--format json``), each meeting with its link and an
APA reference, so that an assistant can cite the verslag it quotes; the resource
``ngs://verslag/{id}`` is a verslag as Markdown. A bad ref or filter is a tool error with
the command line's message; no text of the data reaches the client with a control
character or an escape in it unescaped.
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError

from . import query as queries
from . import summary as shown
from .cite import cite as reference
from .errors import BadValue
from .search import BadQuery, search_meetings
from .store import Store
from .text import printable

INSTRUCTIONS = """The verslagen (reports) of the Netwerk Grote Steden, the network of
public-order-and-safety officials of the large Dutch cities, 2007-2023, in Dutch. Use
search to find meetings about a subject (Dutch words; OR, -word, "a phrase", word* work
as in a web search), list to select by city, year or topic, show to read one verslag
whole, people for who spoke, cite for a reference. Quote the verslag's own words and
cite it with its url or citation; a date marked inferred is not stated in the source."""


def safe(value: Any) -> Any:
    """``value`` with every string's control characters made visible (text.printable)."""
    if isinstance(value, str):
        return printable(value, json=True)
    if isinstance(value, list):
        return [safe(v) for v in value]
    if isinstance(value, dict):
        return {k: safe(v) for k, v in value.items()}
    return value


def build(store: Store) -> MCPServer:
    """The server over an open dataset. Its tools and resource are coroutines: they run
    in the thread of the event loop, which opened the dataset (SQLite's connection
    belongs to its thread), and each is quick."""
    from . import __version__

    server = MCPServer("ngs", instructions=INSTRUCTIONS, version=__version__, log_level="WARNING")
    collection = store.collection()

    def meeting(record: Any, **more: Any) -> dict[str, Any]:
        return safe(
            {**shown.summary(record), **more, "citation": reference(record, collection, "apa")}
        )

    def filters(
        city: list[str] | None, year: list[int] | None, theme: list[str] | None
    ) -> queries.Filters:
        f = queries.Filters(themes=theme or (), cities=city or (), years=year or ())
        try:
            f.where()
        except BadValue as e:
            raise ToolError(e.translated()) from None
        return f

    def nothing(f: queries.Filters) -> None:
        """A tool error where filters name what the data does not hold."""
        unknown = queries.unknown_values(store, f)
        if unknown:
            raise ToolError(
                "; ".join(
                    f"{option} {value!r}: nothing has it"
                    + (f"; did you mean {', '.join(map(repr, near))}?" if near else "")
                    for option, value, near in unknown
                )
            )

    @server.tool(
        name="search",
        description=(
            "Full-text search of the verslagen, best match first: Dutch words find their "
            "forms and the compounds they end (inbraak finds woninginbraak). Every word "
            'must occur; OR, -word, NOT, "a phrase", word* as in a web search. Filters: '
            "city, year, theme (topic). Each hit: id, title, date, date_precision, "
            "date_inferred, city, url, relevance, snippets (the verslag's own words), "
            "citation (APA)."
        ),
    )
    async def search(
        query: str,
        city: list[str] | None = None,
        year: list[int] | None = None,
        theme: list[str] | None = None,
        limit: int = 10,
    ) -> list[dict[str, Any]]:
        f = filters(city, year, theme)
        try:
            hits = search_meetings(store, query, f, limit=max(1, min(limit, 100)))
        except BadQuery as e:
            raise ToolError(e.translated()) from None
        if not query.strip():
            raise ToolError("give at least one word to search for.")
        if not hits:
            nothing(f)
        return [
            meeting(
                h.meeting, relevance=h.relevance, score=h.score, snippets=[s for s, _ in h.snippets]
            )
            for h in hits
        ]

    @server.tool(
        name="list",
        description=(
            "The meetings, newest first, selected by city, year and theme (topic): id, "
            "title, date and how certain it is, city, themes, topics, url, citation."
        ),
    )
    async def list_meetings(
        city: list[str] | None = None,
        year: list[int] | None = None,
        theme: list[str] | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        f = filters(city, year, theme)
        found = queries.find_meetings(store, f, limit=max(1, min(limit, 500)))
        if not found:
            nothing(f)
        return [meeting(m) for m in found]

    def one(ref: str) -> Any:
        found = queries.resolve_ref(store, ref)
        if not found:
            raise ToolError(str(queries.no_such_meeting(store, ref)))
        if len(found) > 1:
            several = queries.several_meetings(ref, found)
            raise ToolError(f"{several} " + ", ".join(m["id"] for m in found))
        return found[0]

    @server.tool(
        name="show",
        description=(
            "One verslag whole, by its id (or a year, a city, the start of an id, when it "
            "names one meeting): its facts, people, programme, sections and text, url and "
            "citation."
        ),
    )
    async def show(ref: str) -> dict[str, Any]:
        (record,) = queries.iter_full_meetings(store, [one(ref)])
        return {**meeting(record), **safe({"sections": record["sections"]})}

    @server.tool(
        name="people",
        description=(
            "Everyone who spoke or led a session, with their meetings: filter by a part of "
            "the name and by role or organisation."
        ),
    )
    async def people(name: str | None = None, role: str | None = None) -> list[dict[str, Any]]:
        return safe(queries.people_index(store, name, roles=[role] if role else ()))

    @server.tool(
        name="cite",
        description=(
            "A reference to one verslag: style apa (default), bibtex, ris or csl-json; "
            "language en or nl."
        ),
    )
    async def cite(ref: str, style: str = "apa", language: str = "en") -> str:
        record = one(ref)
        try:
            return safe(reference(record, collection, style, language=language))
        except BadValue as e:
            raise ToolError(e.translated()) from None

    @server.resource(
        "ngs://verslag/{id}",
        name="verslag",
        description="A verslag as Markdown, by its id.",
        mime_type="text/markdown",
    )
    async def verslag(id: str) -> str:  # noqa: A002 (the URI template's name)
        found = queries.resolve_ref(store, id)
        if len(found) != 1 or found[0]["id"] != id:
            raise ResourceNotFoundError(f"no verslag {id!r}")
        from .formats.markdown import meeting_markdown

        (record,) = queries.iter_full_meetings(store, found)
        return safe(meeting_markdown(record, queries.topic_labels(store)))

    del search, list_meetings, show, people, cite, verslag  # registered on the server
    return server

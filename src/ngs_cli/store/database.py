"""The compiled dataset: the SQLite schema, the compile, and an open database whose
meeting rows are read by column name.

The meetings table holds each field of the model's ``Meeting`` (but its sections, which
have a table of their own) as a column of the same name, lists and objects as JSON; the
compile writes which fields those are into ``meta`` (``record_columns``), so that reading
a record needs neither the model nor a list of its own.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import SCHEMA_VERSION, __version__
from ..calendar import SEASON_MONTHS
from ..errors import DataError
from ..i18n import _
from ..progress import SILENT, Progress
from ..text import json_decoder, json_encoder
from .stopping import is_stopped, stoppable, stopped_error, watch

if TYPE_CHECKING:
    from ..model import Collection, Dataset, Meeting, MeetingRecord, Person

# Private-use characters around a hit in a snippet, unless the text holds them.
SNIPPET_MARKS = ("\ue000", "\ue001")
# Bump when the tables change, so that databases of an older layout are not read.
DB_FORMAT = 11  # 9: collection.retrieved; 10: stem_reversed; 11: sort_as, description_en


class Store:
    """An open, compiled dataset: the connection every query goes through, and the
    reader of its meeting records."""

    __slots__ = ("_columns", "_fields", "_split", "conn", "data_path", "db_path", "name")

    def __init__(
        self,
        name: str,
        data_path: Path | None,
        conn: sqlite3.Connection,
        db_path: Path | None = None,
    ):
        self.name = name  # the data file as the user named it, for messages
        self.data_path = data_path  # None for standard input
        self.conn = conn
        self.db_path = db_path  # None when compiled in memory
        conn.row_factory = sqlite3.Row  # rows are read by column name
        watch(conn)
        self._columns: list[tuple[str, str]] | None = None
        self._fields: tuple[str, ...] | None = None
        self._split: tuple[list[str], list[str], list[str]] | None = None

    def rows(self, sql: str, params: tuple | list = ()) -> list[sqlite3.Row]:
        """Run one query; a damaged database is removed and reported, never a traceback."""
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as e:
            if isinstance(e, sqlite3.OperationalError) and "fts5" in str(e).lower():
                raise
            raise self._read_error(e) from None

    def tuples(self, sql: str, params: tuple | list = ()) -> list[tuple[Any, ...]]:
        """Like ``rows``, as plain tuples: for the many rows of a search's ranking, where
        making a row object each costs more than the query."""
        try:
            cursor = self.conn.cursor()
            cursor.row_factory = None
            return cursor.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as e:
            raise self._read_error(e) from None

    def iter_rows(self, sql: str, params: tuple | list = ()) -> Iterator[sqlite3.Row]:
        """Like ``rows``, one row at a time, for output that is written as it is read."""
        try:
            yield from self.conn.execute(sql, params)
        except sqlite3.DatabaseError as e:
            raise self._read_error(e) from None

    def iter_column(self, sql: str, params: tuple | list = ()) -> Iterator[Any]:
        """The one column of each row of ``sql``, as it is read (no row objects made)."""
        try:
            cursor = self.conn.cursor()
            cursor.row_factory = None
            for (value,) in cursor.execute(sql, params):
                yield value
        except sqlite3.DatabaseError as e:
            raise self._read_error(e) from None

    def _read_error(self, e: sqlite3.DatabaseError) -> BaseException:
        """What a failed read stands for, the one way every read method tells it: a query
        ended by a signal raises the signal's error (the database is sound); else SQLite
        found the database damaged, which is removed and reported."""
        if is_stopped(e):
            return stopped_error()
        return self._damaged(e)

    def _damaged(self, e: sqlite3.DatabaseError) -> DataError:
        """Remove a database SQLite found damaged; the error that says so."""
        if self.db_path is not None:
            with contextlib.suppress(OSError):
                self.db_path.unlink()
        return DataError(
            str(self.db_path or _("the compiled dataset")),
            _("is damaged ({reason}); it has been removed and is rebuilt on the next run").format(
                reason=e
            ),
        )

    def collection(self) -> Collection:
        """The collection's own description: title, source_url, publisher, introduction,
        retrieved."""
        (row,) = self.rows(
            "SELECT title, source_url, publisher, introduction, retrieved FROM collection"
        )
        return {
            "title": row["title"],
            "source_url": row["source_url"],
            "publisher": row["publisher"],
            "introduction": json.loads(row["introduction"]),
            "retrieved": row["retrieved"],
        }

    def _meta(self, key: str) -> Any:
        rows = self.rows("SELECT value FROM meta WHERE key = ?", (key,))
        if not rows:
            raise self._damaged(sqlite3.DatabaseError(f"no {key} in its meta table"))
        return json.loads(rows[0]["value"])

    def snippet_marks(self) -> tuple[str, str]:
        """Two characters to mark a hit in a snippet with (search): ``SNIPPET_MARKS``, or
        two the compile chose because the text holds those."""
        rows = self.rows("SELECT value FROM meta WHERE key = 'snippet_marks'")
        if not rows:
            return SNIPPET_MARKS
        first, last = json.loads(rows[0]["value"])
        return first, last

    def meeting_fields(self) -> tuple[str, ...]:
        """The fields of a meeting in the data file, in the model's order."""
        if self._fields is None:
            self._fields = tuple(self._meta("meeting_fields"))
        return self._fields

    def record_sql(self, table: str = "m", only: Sequence[str] | None = None) -> str:
        """The columns of ``meetings`` (as ``table``) that ``iter_records`` reads: all of
        the record's, or ``only`` those (a view that shows a summary needs no programme)."""
        names = [n for n, _ in self._record_columns() if only is None or n in only]
        return ", ".join(f"{table}.[{name}]" for name in names)

    def iter_records(
        self, sql: str, params: tuple | list = ()
    ) -> Iterator[tuple[MeetingRecord, dict[str, Any]]]:
        """Each row of ``sql`` (the columns of ``record_sql``, then any others) as a
        meeting record and a dict of the other columns: names read once from the cursor,
        as sqlite-utils does, not looked up row by row."""
        try:
            cursor = self.conn.cursor()
            cursor.row_factory = None
            cursor.execute(sql, params)
            names = [d[0] for d in cursor.description]
            record_names, json_names, bool_names = self.kinds()
            known = set(record_names)
            extra = [n for n in names if n not in known]
            decode = [n for n in json_names if n in names]
            flags = [n for n in bool_names if n in names]
            loads = json_decoder()
            for values in cursor:
                record: dict[str, Any] = dict(zip(names, values))
                others = {n: record.pop(n) for n in extra}
                for name in decode:
                    value = record[name]
                    if value is not None:
                        record[name] = loads(value)
                for name in flags:
                    record[name] = bool(record[name])
                yield record, others  # type: ignore[misc]
        except sqlite3.DatabaseError as e:
            raise self._read_error(e) from None

    def kinds(self) -> tuple[list[str], list[str], list[str]]:
        """The record's column names, and those of them kept as JSON and as 0/1."""
        if self._split is None:
            columns = self._record_columns()
            self._split = (
                [n for n, _ in columns],
                [n for n, k in columns if k == "json"],
                [n for n, k in columns if k == "bool"],
            )
        return self._split

    def _record_columns(self) -> list[tuple[str, str]]:
        if self._columns is None:
            self._columns = [(str(n), str(k)) for n, k in self._meta("record_columns")]
        return self._columns

    def close(self) -> None:
        self.conn.close()


def require_fts5() -> None:
    if not _fts5_available():
        raise DataError(
            "sqlite3",
            _(
                "this Python's SQLite ({version}) was built without FTS5, the full-text index "
                "ngs needs; use a Python whose SQLite has it (python.org, Debian, Ubuntu and "
                "Homebrew builds do)"
            ).format(version=sqlite3.sqlite_version),
        )


def in_memory(
    name: str,
    data_path: Path | None,
    data: Dataset,
    content: str = "",
    progress: Progress = SILENT,
) -> Store:
    """A validated dataset compiled into a database in memory, nothing written: the one
    in-memory compile (``--no-cache``, standard input, a cache folder that cannot be
    written, records a program gives)."""
    require_fts5()
    conn = watch(sqlite3.connect(":memory:"))
    with stoppable():
        compile_into(conn, data, content, progress)
    return Store(name, data_path, conn)


def _fts5_available() -> bool:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


def connect_read_only(db_path: Path) -> sqlite3.Connection:
    # immutable: the file is never changed in place (a new one is renamed over it), so
    # SQLite may skip locking and change detection.
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    return conn


def format_tag() -> str:
    return f"s{SCHEMA_VERSION}-f{DB_FORMAT}-v{__version__}"


# --- compiling ------------------------------------------------------------------------

# The meetings table: a column for each field of the model's Meeting (``model.
# stored_fields``: lists and objects as JSON), then these, derived for matching and order.
DERIVED_COLUMNS = """
    position INTEGER NOT NULL UNIQUE,  -- in the data file, from 0
    participant_count INTEGER,  -- participants.count
    speakers TEXT NOT NULL,  -- JSON array: everyone who spoke or led a session
    first_day TEXT, last_day TEXT,  -- the period the meeting may lie in (ISO dates)
    sort_date INTEGER,  -- YYYYMMDD as far as known, for ordering
    city_key TEXT, title_key TEXT, theme_text TEXT NOT NULL, speaker_text TEXT NOT NULL,
    text TEXT NOT NULL,  -- the verslag: every heading, paragraph and item, a line each
    url TEXT  -- the verslag on the source page (a text fragment: links.verslag_urls)
"""
INDEXES_SQL = """
CREATE INDEX meetings_city ON meetings (city_key);
CREATE INDEX meetings_year ON meetings (year);
CREATE INDEX meetings_order ON meetings (sort_date, position);
"""
_SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "bool": "INTEGER", "json": "TEXT"}

SCHEMA_SQL = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE collection (
    title TEXT NOT NULL, source_url TEXT, publisher TEXT,
    introduction TEXT NOT NULL,  -- JSON array of paragraphs
    retrieved TEXT  -- ISO date the source page was read for the data
);
CREATE TABLE topics (
    id TEXT PRIMARY KEY, position INTEGER NOT NULL, label TEXT NOT NULL,
    aliases TEXT NOT NULL,  -- JSON array
    description TEXT,  -- in the dataset's language (Dutch)
    description_en TEXT,  -- in English
    match_text TEXT NOT NULL  -- id, label and aliases, folded: what --theme matches
);
CREATE TABLE meeting_topics (
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    topic_id TEXT NOT NULL REFERENCES topics (id),
    PRIMARY KEY (meeting_id, topic_id)
) WITHOUT ROWID;
CREATE TABLE sections (
    meeting_id TEXT NOT NULL REFERENCES meetings (id), position INTEGER NOT NULL,
    heading TEXT, level INTEGER NOT NULL,
    speakers TEXT NOT NULL, blocks TEXT NOT NULL,  -- JSON arrays
    PRIMARY KEY (meeting_id, position)
) WITHOUT ROWID;
CREATE TABLE people (
    name TEXT NOT NULL, meeting_id TEXT NOT NULL REFERENCES meetings (id),
    role TEXT, organisation TEXT, name_key TEXT NOT NULL,
    sort_as TEXT  -- the words of the name an index files it under, where the data says
);
CREATE INDEX people_meeting ON people (meeting_id);
CREATE TABLE meeting_text (
    meeting_id TEXT NOT NULL UNIQUE REFERENCES meetings (id),
    title TEXT NOT NULL,  -- title and themes
    topics TEXT NOT NULL,  -- topic labels
    people TEXT NOT NULL,  -- people, their roles, and the programme
    text TEXT NOT NULL  -- the verslag, with city and venue
);
-- Written the way sqlite-utils writes it (content=[table]), so that sqlite-utils and
-- Datasette find the index of meeting_text.
CREATE VIRTUAL TABLE meeting_text_fts USING FTS5 (
    title, topics, people, text,
    tokenize='unicode61 remove_diacritics 2', prefix='2 3', content=[meeting_text]
);
-- Each word of the index and its Dutch stem (Snowball's dutch_porter): search's forms.
-- Each indexed word, its Dutch stem, and the stem backwards: the compounds a word ends
-- are the stems that start, backwards, with its stem backwards (an index range).
CREATE TABLE term_stems (term TEXT PRIMARY KEY, stem TEXT NOT NULL, stem_reversed TEXT NOT NULL)
    WITHOUT ROWID;
CREATE INDEX term_stems_stem ON term_stems (stem);
CREATE INDEX term_stems_reversed ON term_stems (stem_reversed);
-- How many meetings each indexed word occurs in: what makes a word distinctive.
CREATE VIRTUAL TABLE meeting_text_vocab USING fts5vocab (meeting_text_fts, 'row');
"""


def period(meeting: Meeting) -> tuple[str | None, str | None]:
    """The first and last day the meeting may have been held, as far as the data tells.

    A day (range) is itself; a season is its meteorological months (winter runs into
    the next year); a year alone is the whole year; an unknown year is (None, None).
    """
    year = meeting["year"]
    if meeting["date"]:
        return meeting["date"], meeting["end_date"] or meeting["date"]
    if year is None:
        return None, None
    season = (
        SEASON_MONTHS.get(meeting["season"] or "")
        if meeting["date_precision"] == "season"
        else None
    )
    if season:
        last_year = year + 1 if meeting["season"] == "winter" else year
        last = season[1]
        if last == "02-28" and last_year % 4 == 0 and (last_year % 100 or last_year % 400 == 0):
            last = "02-29"  # a winter that ends in a leap year
        return f"{year}-{season[0]}", f"{last_year}-{last}"
    return f"{year}-01-01", f"{year}-12-31"


def _sort_date(meeting: Meeting) -> int | None:
    if meeting["year"] is None:
        return None
    if meeting["date"]:
        return int(meeting["date"].replace("-", ""))
    season = SEASON_MONTHS.get(meeting["season"] or "")
    return meeting["year"] * 10000 + (season[2] * 100 if season else 0)


def compile_into(
    conn: sqlite3.Connection, data: Dataset, content: str, progress: Progress = SILENT
) -> None:
    """Write a validated dataset into an empty database: tables, rows and the FTS index
    (stages of ``progress``, a unit a meeting).

    In three stages, each a function: the tables (``create_tables``), the rows of every
    record in one pass over the data (``insert_records``), then the full-text index and
    the stems of its words, built once over all rows (``build_search_index``). The
    garbage collector is paused meanwhile, as for the parse: the rows made here are not
    garbage, and its passes would walk the whole parsed dataset again and again.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        create_tables(conn, data, content)
        insert_records(conn, data, progress)
        from .index import build_search_index

        build_search_index(conn, progress)
    finally:
        if enabled:
            gc.enable()


def create_tables(conn: sqlite3.Connection, data: Dataset, content: str) -> None:
    """The schema, the meta table, the collection and the topics."""
    from ..model import stored_fields

    dumps = json_encoder()
    conn.executescript(SCHEMA_SQL)
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [("format", format_tag()), ("content_sha256", content), ("ngs_version", __version__)],
    )
    coll = data["collection"]
    conn.execute(
        "INSERT INTO collection VALUES (?, ?, ?, ?, ?)",
        (
            coll["title"],
            coll["source_url"],
            coll["publisher"],
            dumps(coll["introduction"]),
            coll.get("retrieved"),
        ),
    )
    conn.executemany(
        "INSERT INTO topics VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (t["id"], i, t["label"], dumps(t["aliases"]), t["description"],
             t.get("description_en"), topic_match_text(t))  # fmt: skip
            for i, t in enumerate(data["topics"])
        ],
    )  # fmt: skip
    fields = stored_fields()
    columns = _meeting_columns()
    conn.execute(
        "CREATE TABLE meetings (\n    "
        + ",\n    ".join(
            f"[{name}] {_SQL_TYPES[kind]}" + (" PRIMARY KEY" if name == "id" else "")
            for name, kind in columns
        )
        + ","
        + DERIVED_COLUMNS
        + ")"
    )
    conn.executescript(INDEXES_SQL)
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [
            ("meeting_fields", dumps([name for name, _ in fields])),
            ("record_columns", dumps([*columns, ("speakers", "json"), ("url", "text")])),
        ],
    )


def _meeting_columns() -> list[tuple[str, str]]:
    from ..model import stored_fields

    return [(name, kind) for name, kind in stored_fields() if kind != "table"]


_DERIVED = ("position", "participant_count", "speakers", "first_day", "last_day",
            "sort_date", "city_key", "title_key", "theme_text", "speaker_text",
            "text", "url")  # fmt: skip
# Rows are written a batch of meetings at a time (an ``executemany`` per table): far
# fewer calls than a statement per row, and only a batch's rows held beside the data.
_BATCH = 500


def topic_match_text(topic: Any) -> str:
    """What ``--theme`` matches of a topic: its id, label and aliases, folded."""
    from ..text import fold

    return fold(" | ".join([topic["id"], topic["label"], *topic["aliases"]]))


def insert_records(conn: sqlite3.Connection, data: Dataset, progress: Progress = SILENT) -> None:
    """The rows of every meeting (meetings, sections, people, topics, text), in one pass
    over the meetings, inside the one transaction of the compile."""

    topics = data["topics"]
    match_text = {t["id"]: topic_match_text(t) for t in topics}
    labels = {t["id"]: t["label"] for t in topics}
    columns = _meeting_columns()
    names = [name for name, _ in columns] + list(_DERIVED)
    statements = (
        f"INSERT INTO meetings (rowid, {', '.join(f'[{n}]' for n in names)}) "
        f"VALUES ({', '.join('?' * (len(names) + 1))})",
        "INSERT INTO meeting_topics VALUES (?, ?)",
        "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?)",
        "INSERT INTO people VALUES (?, ?, ?, ?, ?, ?)",
        "INSERT INTO meeting_text (rowid, meeting_id, title, topics, people, text) "
        "VALUES (?, ?, ?, ?, ?, ?)",
    )
    batch: tuple[list[Any], ...] = ([], [], [], [], [])
    from ..links import verslag_urls

    rows = _MeetingRows(columns, match_text, labels, verslag_urls(data))
    progress.stage(_("Indexing"), len(data["meetings"]))
    advance = progress.advance
    for position, m in enumerate(data["meetings"]):
        advance()
        rows.add(position, m, batch)
        if len(batch[0]) >= _BATCH:
            _flush(conn, statements, batch)
    _flush(conn, statements, batch)


def _flush(conn: sqlite3.Connection, statements: tuple[str, ...], batch: tuple[list, ...]) -> None:
    for sql, rows in zip(statements, batch):
        if rows:
            conn.executemany(sql, rows)
            rows.clear()


class _MeetingRows:
    """The rows one meeting adds to each table, appended to a batch."""

    def __init__(
        self,
        columns: list[tuple[str, str]],
        match_text: dict[str, str],
        labels: dict[str, str],
        urls: dict[str, str | None],
    ):
        self.dumps = json_encoder()
        self.columns = columns
        self.match_text = match_text
        self.labels = labels
        self.urls = urls

    def add(self, position: int, m: Meeting, batch: tuple[list[Any], ...]) -> None:
        from ..model import meeting_people
        from ..text import fold
        from ..verslag import meeting_texts

        dumps, match_text = self.dumps, self.match_text
        meetings, meeting_topics, sections, people, texts = batch
        mid = m["id"]
        speakers = meeting_people(m)
        first, last = period(m)
        theme_text = " | ".join(
            [fold(t) for t in m["themes"]] + [match_text.get(t, fold(t)) for t in m["topics"]]
        )
        participants = m["participants"]
        verslag = "\n".join(meeting_texts(m))
        record: Any = m
        meetings.append(
            (
                position + 1,
                *[
                    dumps(record[name]) if kind == "json" and record[name] is not None
                    else record[name]
                    for name, kind in self.columns
                ],
                position,
                participants["count"] if participants else None,
                dumps(speakers),
                first,
                last,
                _sort_date(m),
                fold(m["city"]) if m["city"] else None,
                fold(m["title"]),
                theme_text,
                fold(" | ".join(speakers)),
                verslag,
                self.urls.get(mid),
            )
        )  # fmt: skip
        meeting_topics.extend((mid, t) for t in dict.fromkeys(m["topics"]))
        sections.extend(
            (mid, i, s["heading"], s["level"], dumps(s["speakers"]), dumps(s["blocks"]))
            for i, s in enumerate(m["sections"])
        )
        details: dict[str, Person] = {p["name"]: p for p in m["people"]}
        sort_as: dict[str, str] = {}
        for p in [*m["people"], *(p for item in m["programme"] for p in item["speakers"])]:
            details.setdefault(p["name"], p)
            if given := p.get("sort_as"):
                sort_as.setdefault(p["name"], given)
        nobody: Person = {"name": ""}
        for name in speakers:
            person = details.get(name, nobody)
            people.append((name, mid, person.get("role"), person.get("organisation"),
                           fold(name), sort_as.get(name)))  # fmt: skip
        roles = [
            " ".join(filter(None, (p["name"], p["role"], p["organisation"]))) for p in m["people"]
        ]
        texts.append(
            (
                position + 1,
                mid,
                "\n".join([m["title"], *m["themes"]]),
                "\n".join(self.labels.get(t, t) for t in m["topics"]),
                "\n".join([*speakers, *roles, *(i["title"] for i in m["programme"])]),
                "\n".join([verslag, m["city"] or "", m["venue"] or ""]),
            )
        )

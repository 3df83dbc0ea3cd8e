"""Work that stops when asked: a query SQLite is running stops on Ctrl-C and SIGTERM, and
a search costs at most what its documented limits allow."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from ngs_cli import search, store
from ngs_cli.search import BadQuery

from .conftest import MINI, REPO, cache_folder
from .process import posix, user_env

# A command whose query never ends (a recursive CTE, through the library's store), which
# says on stderr when it has started it.
ENDLESS = """
import sys
from ngs_cli import query
from ngs_cli.store import Store

def endless(store, *args, **kwargs):
    sys.stderr.write("querying\\n")
    sys.stderr.flush()
    store.rows("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
               "SELECT count(*) FROM r")
    return []

query.iter_meetings = endless
from ngs_cli.cli import main
main(["list", "--data", sys.argv[1]])
"""


@posix
@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)],
)
def test_a_running_query_stops_on_a_signal_with_its_exit_code(tmp_path, signum, code):
    env = user_env(tmp_path, PYTHONPATH=str(REPO / "src"))
    env.pop("NGS_DEBUG")
    proc = subprocess.Popen(
        [sys.executable, "-c", ENDLESS, str(MINI)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert proc.stderr is not None
        assert proc.stderr.readline() == b"querying\n"
        proc.send_signal(signum)
        # Without a way into SQLite's loop, it never returns: the timeout is the failure.
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == code, stderr
    assert stderr == b"", stderr  # quietly, as for any other signal: no error, no traceback


_SLOW = "SELECT count(*) FROM meetings m, meetings n, meetings o"


@pytest.mark.parametrize(
    "read",
    [
        lambda s: s.rows(_SLOW),
        lambda s: list(s.iter_rows(_SLOW)),
        lambda s: list(s.iter_column(_SLOW)),
        lambda s: list(s.iter_records(_SLOW)),
    ],
    ids=["rows", "iter_rows", "iter_column", "iter_records"],
)
def test_an_interrupted_query_keeps_the_database(mini, read):
    # SQLite's "interrupted" is no damage: the database stays, the interrupt goes on,
    # whichever of the store's ways of reading ran the query.
    s = store.open_store(mini)
    (db,) = cache_folder().glob("*.sqlite")
    s.conn.set_progress_handler(lambda: 1, 100)  # as when a signal came
    with pytest.raises(KeyboardInterrupt):
        read(s)
    assert db.exists()


def test_a_signal_inside_a_function_sqlite_calls_is_the_signal(mini):
    # A signal handled while SQLite calls one of ngs's functions (ngs_fold, as the index
    # is built) fails the query with that function's error: still the signal, no damage.
    from ngs_cli.store import stopping

    s = store.open_store(mini)
    (db,) = cache_folder().glob("*.sqlite")
    try:

        def signal_handled_here(_text: str) -> str:  # as ngs's handler does, inside it
            stopping.stop_queries(KeyboardInterrupt())
            raise KeyboardInterrupt

        s.conn.create_function("ngs_stop", 1, signal_handled_here)
        with pytest.raises(KeyboardInterrupt):
            s.rows("SELECT ngs_stop(title) FROM meetings")
        assert db.exists()
    finally:
        stopping.forget_stops()


def test_a_ctrl_c_the_pager_took_stops_no_later_query(mini):
    from ngs_cli.cli import pager
    from ngs_cli.store import stopping

    s = store.open_store(mini)
    stopping.stop_queries(KeyboardInterrupt())  # Ctrl-C while the pager ran ...
    pager._forget_stops()  # ... which took it
    assert s.rows("SELECT count(*) FROM meetings")[0][0] > 0


# --- limits on what a query may cost --------------------------------------------------


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        ("veiligheid " * 200, search.MAX_QUERY_LENGTH),
        ('"' + " ".join(["de"] * (search.MAX_PHRASE_WORDS + 1)) + '"', search.MAX_PHRASE_WORDS),
        (" ".join(f"w{i}" for i in range(search.MAX_TERMS + 1)), search.MAX_TERMS),
        (" OR ".join(f"a{i}*" for i in range(search.MAX_TERMS + 1)), search.MAX_TERMS),
        ("veiligheid v*", search.MIN_PREFIX),
        ("title:v*", search.MIN_PREFIX),
    ],
    ids=["length", "phrase", "terms", "prefixes", "short prefix", "short prefix of a part"],
)
def test_a_query_past_a_limit_is_refused_naming_the_limit(ngs, query, limit):
    with pytest.raises(BadQuery, match=str(limit)):
        search.parse_query(query)
    r = ngs("search", query)
    assert r.exit_code == 2 and str(limit) in " ".join(r.stderr.split())


def test_a_query_within_the_limits_is_read(ngs):
    words = " ".join(f"w{i}" for i in range(search.MAX_TERMS))
    assert search.parse_query(words) is not None
    phrase = '"' + " ".join(["corona"] * search.MAX_PHRASE_WORDS) + '"'
    assert search.parse_query(phrase) is not None
    assert search.parse_query("ve*") is not None
    assert ngs("search", "corona").exit_code == 0


@pytest.mark.parametrize(
    "query",
    [" ".join(["de"] * 64), " OR ".join(["de", "het"] * 30), '"de stad" ' * 40, "de* " * 50],
    ids=["and", "or", "phrase", "prefix"],
)
def test_a_word_given_again_costs_nothing_more(ngs, query):
    # Each copy of a word would be matched and scored again, per meeting found: 64 of
    # "de" took a minute at 5,000 meetings. A copy asks nothing more and is dropped.
    parsed = search.parse_query(query)
    assert len(search.terms(parsed, excluded=True)) <= 2
    once = " ".join(dict.fromkeys(query.split()))  # each word, phrase or OR once
    assert (
        ngs("search", query, "--format", "plain").stdout
        == ngs("search", once, "--format", "plain").stdout
    )

"""ngs serve: the collection as a Datasette site, its search the search of ngs search.

Datasette comes with the test extra (and `pip install 'ngs-cli[serve]'`); CI installs it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ngs_cli import store
from ngs_cli.search import search_meetings

from .conftest import REPO
from .process import needs_ngs, user_env
from .test_html_browser import browser as browser  # the fixture

needs_datasette = pytest.mark.skipif(
    __import__("importlib").util.find_spec("datasette") is None,
    reason="Datasette is not installed (pip install '.[test]')",
)
QUERIES = ["inbraak", "veiligheid -corona", '"nationale politie"', "presentaties", "radicalis*"]


def ngs_ids(query: str) -> list[str]:
    ds = store.open_store(REPO / "data" / "reports.yaml", use_cache=False)
    return [h.meeting["id"] for h in search_meetings(ds, query)]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The export named as the configuration names it, and the configuration beside it."""
    folder = tmp_path_factory.mktemp("site")
    env = {**user_env(folder), "NGS_DATA": str(REPO / "data" / "reports.yaml")}
    ngs = Path(sys.executable).parent / "ngs"
    subprocess.run([ngs, "export", "-o", folder / "verslagen.db"], env=env, check=True)
    config = subprocess.run(
        [ngs, "serve", "--print-config"], env=env, check=True, capture_output=True, text=True
    ).stdout
    (folder / "metadata.json").write_text(config, encoding="utf-8")
    return folder


def datasette_get(site: Path, path: str):
    """What ``datasette serve verslagen.db -m metadata.json`` answers to ``path``."""
    r = subprocess.run(
        [sys.executable, "-m", "datasette", "serve", "--immutable", site / "verslagen.db",
         "--metadata", site / "metadata.json", "--get", path],
        capture_output=True, text=True, timeout=120, env={**os.environ, "NGS_DATA": ""},
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout)


@needs_ngs
@needs_datasette
@pytest.mark.parametrize("query", QUERIES)
def test_the_canned_query_finds_what_ngs_search_finds(site, query):
    from urllib.parse import quote

    found = datasette_get(site, f"/verslagen/zoeken.json?_shape=array&q={quote(query)}")
    assert [row["id"] for row in found] == ngs_ids(query) != []
    assert all(1 <= row["relevantie"] <= 100 for row in found)


@needs_ngs
@needs_datasette
def test_the_configuration_is_datasette_s_own(site):
    config = json.loads((site / "metadata.json").read_text(encoding="utf-8"))
    assert config["title"] == "Verslagen Netwerk Grote Steden"
    assert config["source_url"].startswith("https://hetccv.nl/")
    meta = datasette_get(site, "/-/metadata.json")
    assert meta["databases"]["verslagen"]["queries"]["zoeken"]["title"] == "Zoeken"
    meetings = datasette_get(site, "/verslagen/meetings.json?_shape=objects&_size=max")
    rows = meetings["rows"]
    assert len(rows) == 18 and rows[0]["id"] == "2023-nijmegen"  # newest first
    facets = meetings["facet_results"]
    assert {"city", "year", "topics"} <= set(facets)
    cities = {r["value"]: r["count"] for r in facets["city"]["results"]}
    topics = {r["value"]: r["count"] for r in facets["topics"]["results"]}
    assert cities["Utrecht"] == 3 and topics["radicalisering"] == 2
    # Datasette's own search keeps its plain full-text index, words as typed.
    plain = datasette_get(site, "/verslagen/meetings.json?_search=carbid&_shape=array")
    assert [r["id"] for r in plain] and all("carbid" in r["text"].lower() for r in plain)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@needs_ngs
@needs_datasette
def test_port_0_serves_at_the_address_it_says(tmp_path):
    """Any free port: the address ngs says is the one that answers."""
    import re

    env = {**user_env(tmp_path), "TMPDIR": str(tmp_path)}
    ngs = Path(sys.executable).parent / "ngs"
    proc = subprocess.Popen(
        [ngs, "serve", "--port", "0"], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stderr is not None
        said = proc.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", said)
        assert found and found[1] != "0", said
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{found[0]}verslagen/meetings.json") as r:
                    assert len(json.load(r)["rows"]) == 18
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError(f"nothing answered at {found[0]}")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)


@needs_ngs
@needs_datasette
def test_ngs_serve_serves_the_site_and_leaves_nothing_behind(tmp_path):
    port = free_port()
    env = {**user_env(tmp_path), "TMPDIR": str(tmp_path)}
    ngs = Path(sys.executable).parent / "ngs"
    proc = subprocess.Popen(
        [ngs, "serve", "--port", str(port)], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{base}/verslagen/meetings.json") as r:
                    meetings = json.load(r)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError(f"the site never answered: {proc.stderr}")
        assert len(meetings["rows"]) == 18
        assert {"city", "year", "topics"} <= set(meetings["facet_results"])
        with urllib.request.urlopen(f"{base}/verslagen/meetings.json?_facet=city") as r:
            facet = json.load(r)["facet_results"]["city"]["results"]
        assert {f["value"]: f["count"] for f in facet}["Utrecht"] == 3
        with urllib.request.urlopen(f"{base}/verslagen/zoeken.json?_shape=array&q=inbraak") as r:
            assert [row["id"] for row in json.load(r)] == ngs_ids("inbraak")
        assert list(tmp_path.glob("ngs-serve-*/verslagen.db"))  # opened from a copy
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert "http://127.0.0.1:" in err  # where, said on stderr
    assert not list(tmp_path.glob("ngs-serve-*"))  # the copy removed


def test_without_datasette_serve_names_the_extra(ngs, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "datasette" else real(name, *a),
    )
    r = ngs("serve")
    assert r.exit_code == 1 and "pip install 'ngs-cli[serve]'" in r.stderr and not r.stdout


@pytest.fixture(scope="module")
def running(site):
    """``datasette serve`` of the site, on a free port, for the browser."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", "--immutable", site / "verslagen.db",
         "--metadata", site / "metadata.json", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/-/versions.json").close()
            break
        except OSError:
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=30)


@needs_ngs
@needs_datasette
@pytest.mark.browser
@pytest.mark.parametrize(
    "path", ["/", "/verslagen", "/verslagen/zoeken?q=inbraak", "/verslagen/meetings"]
)
def test_the_site_in_chromium_without_an_error_or_a_serious_axe_finding(
    browser,  # noqa: F811 (the fixture)
    running,
    path,
):
    from .test_html_browser import axe_source

    axe = axe_source()
    if axe is None:
        pytest.skip("no axe-core: npm install --prefix ~/.cache/ngs-test-node axe-core@4")
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(running + path)
    page.wait_for_load_state("load")
    if "zoeken" in path:
        assert "Woninginbraak en transities sociaal domein" in page.inner_text("body")
    page.evaluate(axe.read_text(encoding="utf-8") + "\n;0")
    found = page.evaluate(
        "async () => (await axe.run(document)).violations.map(v => ({id: v.id, impact: v.impact}))"
    )
    page.close()
    assert [v for v in found if v["impact"] in ("serious", "critical")] == []
    assert errors == []


@pytest.mark.parametrize("args", [["--host", ""], ["--host", " "], ["--port", "70000"]])
def test_an_address_that_is_none_is_a_usage_error(ngs, args):
    r = ngs("serve", *args)
    assert r.exit_code == 2 and not r.stdout  # "" would be every address


@needs_ngs
@needs_datasette
def test_a_query_ngs_search_refuses_finds_nothing_on_the_site(site):
    assert datasette_get(site, "/verslagen/zoeken.json?_shape=array&q=-corona") == []

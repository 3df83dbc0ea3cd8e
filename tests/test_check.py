"""`ngs check` against a real HTTP server on 127.0.0.1, and `ngs about`.

The server, started by the tests in a thread, serves the tests' copy of the source page
as the CCV's page is (HTML, a paragraph or list item a line) and variants made from it:
a new netwerkdag at the top, one sentence changed, one verslag removed, and the ways a
fetch can fail. HTTPS is served with a certificate authority the tests make (trustme).
No test reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import gzip
import http.server
import json
import re
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from ngs_cli.verslag import meeting_texts

from .conftest import REPO
from .process import needs_ngs, run, user_env

pytestmark = needs_ngs

SOURCE = REPO / "tests" / "fixtures" / "source" / "verslagen-netwerk-grote-steden.txt"
LINES = SOURCE.read_text(encoding="utf-8").splitlines()
DATA = yaml.safe_load((REPO / "data" / "reports.yaml").read_text(encoding="utf-8"))
ENDS = [i for i, line in enumerate(LINES) if line.strip() in ("Bestanden", "Bestand")]
FIRST_THEME = "Het thema in 2023 was Maatschappelijke onrust en ongenoegen."
NEW = [
    "Het thema in 2024 was Weerbare wijken.",
    "Op donderdag 14 november 2024 kwamen de OOV’ers van de grote steden bijeen in Zwolle.",
    "De dag begon met een wandeling door de wijk Holtenbroek.",
    "",
    "Bestanden",
    "",
]
OLD_SENTENCE = "In totaal hebben 258 mensen de vragenlijst ingevuld."
NEW_SENTENCE = "In totaal hebben 259 mensen de vragenlijst ingevuld."


def escaped(text: str) -> str:
    """Text as HTML, but for the tag the source's copy shows of the page's own markup
    ("<h4class=...>"), which stays a tag, as the data reads it."""
    return re.sub(r"<(?![A-Za-z/!])", "&lt;", text.replace("&", "&amp;"))


def as_html(lines: list[str]) -> str:
    """The page as the CCV serves it: a paragraph a line, a list of its "•" lines."""
    out, items = [], []
    for line in [*lines, ""]:
        text = line.strip()
        if text.startswith("•"):
            items.append(f"<li>{escaped(text.lstrip('• ').strip())}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if text:
            out.append(f"<p>{escaped(text)}</p>")
    return (
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
        "<title>Verslagen Netwerk Grote Steden</title></head><body><main>\n"
        + "\n".join(out)
        + "\n</main></body></html>\n"
    )


def with_new() -> list[str]:
    at = LINES.index(FIRST_THEME)
    return LINES[:at] + NEW + LINES[at:]


def with_change() -> list[str]:
    changed = [line.replace("258 mensen\xa0de", "259 mensen de") for line in LINES]
    assert changed != LINES
    return changed


def without_third() -> list[str]:
    return LINES[: ENDS[1] + 1] + LINES[ENDS[2] + 1 :]


PAGES = {
    "/page": as_html(LINES),
    "/new": as_html(with_new()),
    "/changed": as_html(with_change()),
    "/removed": as_html(without_third()),
}
ETAG = '"v1"'


class Handler(http.server.BaseHTTPRequestHandler):
    seen: list[dict[str, str]] = []  # the headers of each request, for the tests to read

    def log_message(self, *args: object) -> None:
        pass

    def send(self, status: int, body: bytes, kind: str = "text/html; charset=utf-8",
             **headers: str) -> None:  # fmt: skip
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        Handler.seen.append(dict(self.headers.items()))
        path = self.path
        if path.startswith("http://"):  # a proxy's request names the whole address
            path = "/proxied/" + path.split("/", 3)[-1]
        if path == "/proxied/page":
            return self.send(200, PAGES["/page"].encode())
        if path in PAGES:
            if path == "/page" and self.headers.get("If-None-Match") == ETAG:
                self.send_response(304)
                self.end_headers()
                return None
            return self.send(200, PAGES[path].encode(), ETag=ETAG)
        if path == "/404":
            return self.send(404, b"<p>weg</p>")
        if path == "/500":
            return self.send(500, b"<p>stuk</p>")
        if path == "/slow":
            time.sleep(4)
            return self.send(200, PAGES["/page"].encode())
        if path == "/elsewhere":
            self.send_response(302)
            self.send_header("Location", "https://example.org/verslagen")
            self.end_headers()
            return None
        if path == "/big":
            return self.send(200, b"<p>" + b"x" * (20 * 1024 * 1024) + b"</p>")
        if path == "/gzip":
            return self.send(200, gzip.compress(PAGES["/page"].encode()), Content_Encoding="gzip")
        if path == "/bomb":
            body = gzip.compress(b"<p>" + b"x" * (30 * 1024 * 1024))
            return self.send(200, body, Content_Encoding="gzip")
        if path == "/cp1252":
            page = PAGES["/page"].replace('<meta charset="utf-8">', "")
            return self.send(200, page.encode("cp1252"), "text/html; charset=windows-1252")
        if path == "/pdf":
            return self.send(200, b"%PDF-1.4", "application/pdf")
        if path == "/slowloris":  # a byte at a time, each well within any timeout
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"<")
                self.wfile.flush()
                time.sleep(0.5)
            return None
        if path == "/cut":  # says the whole page's length, sends half, and closes
            body = PAGES["/page"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return None
        if path == "/gzip-cut":
            body = gzip.compress(PAGES["/page"].encode())
            return self.send(200, body[: len(body) // 2], Content_Encoding="gzip")
        if path == "/gzip-members":
            page = PAGES["/page"].encode()
            body = gzip.compress(page[:5000]) + gzip.compress(page[5000:])
            return self.send(200, body, Content_Encoding="gzip")
        if path == "/deflate":
            return self.send(200, b"x\x9c", Content_Encoding="deflate")
        if path == "/partial":
            return self.send(206, PAGES["/page"].encode())
        if path == "/bom":  # a UTF-8 byte order mark outweighs the header's charset
            page = b"\xef\xbb\xbf" + PAGES["/page"].encode()
            return self.send(200, page, "text/html; charset=windows-1252")
        if path == "/meta-utf16":  # HTML reads "utf-16" in a <meta> of such bytes as UTF-8
            page = PAGES["/page"].replace('charset="utf-8"', 'charset="utf-16"')
            return self.send(200, page.encode(), "text/html")
        if path == "/binary":
            noise = bytes(range(128, 256)) * 4000
            return self.send(200, noise, "text/html; charset=utf-8")
        if path == "/pag%C3%A9":  # a path of letters beyond ASCII, percent-encoded
            return self.send(200, PAGES["/page"].encode())
        if path == "/kept-old":  # a page kept from before, then "not modified"
            if self.headers.get("If-None-Match") == ETAG:
                self.send_response(304)
                self.end_headers()
                return None
            return self.send(200, PAGES["/page"].encode(), ETag=ETAG)
        return self.send(404, b"")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def check(env: dict[str, str], *args: str):
    return run("check", *args, env=env)


def test_an_unchanged_page_agrees(server, tmp_path):
    env = user_env(tmp_path)
    result = check(env, "--url", f"{server}/page")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{server}/page: the data and the page agree (18 meetings).\n"
    report = json.loads(check(env, "--url", f"{server}/page", "--format", "json").stdout)
    assert report["status"] == "agree" and report["url"] == f"{server}/page"
    assert (report["new"], report["changed"], report["removed"]) == ([], [], [])


def test_a_new_netwerkdag_at_the_top_is_new_with_its_date_and_city(server, tmp_path):
    env = user_env(tmp_path)
    result = check(env, "--url", f"{server}/new", "--format", "json")
    assert result.returncode == 3, result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == "differ" and (report["changed"], report["removed"]) == ([], [])
    (new,) = report["new"]
    assert new["sentences"] == [s for s in NEW if s and s != "Bestanden"]
    assert (new["date"], new["year"], new["city"]) == ("2024-11-14", 2024, "Zwolle")
    assert new["heading"] == new["first_sentence"] == NEW[0]
    text = check(env, "--url", f"{server}/new").stdout
    assert "New on the page (1), a verslag each:" in text
    assert "date: 14 november 2024; city: Zwolle" not in text  # English: the ISO form
    assert "date: 2024-11-14; city: Zwolle" in text


def test_the_report_is_dutch_under_a_dutch_locale_and_json_is_not(server, tmp_path):
    env = user_env(tmp_path, LANG="nl_NL.UTF-8")
    text = check(env, "--url", f"{server}/new").stdout
    assert "Nieuwe verslagen op de pagina (1):" in text
    assert "datum: 14 november 2024; stad: Zwolle" in text
    english = json.loads(check(user_env(tmp_path), "--url", f"{server}/new", "-f", "json").stdout)
    dutch = json.loads(check(env, "--url", f"{server}/new", "--format", "json").stdout)
    assert {**dutch, "checked_at": ""} == {**english, "checked_at": ""}


def test_one_changed_sentence_is_a_changed_verslag(server, tmp_path):
    result = check(user_env(tmp_path), "--url", f"{server}/changed", "--format", "json")
    assert result.returncode == 3
    report = json.loads(result.stdout)
    assert (report["new"], report["removed"]) == ([], [])
    (changed,) = report["changed"]
    assert changed["id"] == "2023-nijmegen"
    assert (changed["added"], changed["removed"]) == ([NEW_SENTENCE], [OLD_SENTENCE])


def test_a_verslag_gone_from_the_page_is_removed(server, tmp_path):
    result = check(user_env(tmp_path), "--url", f"{server}/removed", "--format", "json")
    assert result.returncode == 3
    report = json.loads(result.stdout)
    # The meeting whose verslag holds the first sentence of the lines taken out.
    first = next(line for line in LINES[ENDS[1] + 1 :] if line.strip()).split(". ")[0]
    (gone,) = [m for m in DATA["meetings"] if first in " ".join(meeting_texts(m))]
    assert report["removed"] == [{"id": gone["id"], "title": gone["title"]}]
    assert (report["new"], report["changed"]) == ([], [])


def test_a_second_check_asks_on_condition_and_reads_a_304_as_the_page_it_kept(server, tmp_path):
    env = user_env(tmp_path)
    Handler.seen.clear()
    assert check(env, "--url", f"{server}/page").returncode == 0
    assert "If-None-Match" not in Handler.seen[-1]
    again = check(env, "--url", f"{server}/page")
    assert again.returncode == 0 and "agree" in again.stdout
    assert Handler.seen[-1]["If-None-Match"] == ETAG
    assert Handler.seen[-1]["User-Agent"].startswith("ngs/")


def test_drafts_of_the_new_verslagen_never_overwrite_a_file(server, tmp_path):
    env = user_env(tmp_path)
    folder = tmp_path / "concepten"
    folder.mkdir()
    first = check(env, "--url", f"{server}/new", "--draft", str(folder))
    assert first.returncode == 3
    (made,) = sorted(folder.iterdir())
    record = yaml.safe_load(made.read_text(encoding="utf-8"))[0]
    texts = [b.get("paragraph") for s in record["sections"] for b in s["blocks"]]
    assert " ".join(filter(None, texts)) == " ".join(s for s in NEW if s and s != "Bestanden")
    assert (record["city"], record["date"]) == ("Zwolle", "2024-11-14")
    assert "still to decide" in first.stderr
    made.write_text("# mine\n", encoding="utf-8")
    second = check(env, "--url", f"{server}/new", "--draft", str(folder))
    assert second.returncode == 3
    assert made.read_text(encoding="utf-8") == "# mine\n"  # kept
    assert len(list(folder.iterdir())) == 2


@pytest.mark.parametrize(
    ("path", "args", "said"),
    [
        ("/404", (), "the server answered 404 Not Found"),
        ("/500", (), "the server answered 500 Internal Server Error"),
        ("/slow", ("--timeout", "1"), "no answer within 1 seconds"),
        ("/elsewhere", (), "which is not https on the same site"),
        ("/big", (), "larger than 10 MB"),
        ("/bomb", (), "larger than 10 MB"),
        ("/pdf", (), "not an HTML page (application/pdf)"),
        ("/slowloris", ("--timeout", "2"), "no answer within 2 seconds"),
        ("/cut", (), "the answer broke off"),
        ("/gzip-cut", (), "the answer broke off"),
        ("/deflate", (), "compressed as deflate"),
        ("/partial", (), "206 Partial Content"),
        ("/binary", (), "not text in the charset it declares"),
    ],
)
def test_each_failure_is_one_line_and_exit_1_and_nothing_is_written(
    server, tmp_path, path, args, said
):
    env = user_env(tmp_path)
    folder = tmp_path / "concepten"
    start = time.monotonic()
    result = check(env, "--url", f"{server}{path}", "--draft", str(folder), *args)
    took = time.monotonic() - start
    assert result.returncode == 1, result.stderr
    assert result.stdout == "" and not folder.exists()
    assert result.stderr.count("\n") == 1 and said in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    if path in ("/slow", "/slowloris"):
        assert took < float(args[1]) + 1 + 3  # the timeout and a second, and Python's start
    assert not (tmp_path / "cache" / "last-check.json").exists()


def test_no_network_and_an_unknown_name_are_one_line_each(tmp_path):
    env = user_env(tmp_path)
    refused = check(env, "--url", "http://127.0.0.1:9/verslagen")  # the discard port
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "refused the connection" in refused.stderr or "cannot connect" in refused.stderr
    dutch = check(user_env(tmp_path, LANG="nl_NL.UTF-8"), "--url", "http://127.0.0.1:9/v")
    assert "de server weigerde de verbinding" in dutch.stderr, dutch.stderr
    unknown = check(env, "--url", "https://ngs-test.invalid/verslagen")
    assert unknown.returncode == 1 and unknown.stderr.count("\n") == 1
    assert "the name of the server is not known" in unknown.stderr


def test_gzip_and_windows_1252_read_as_the_page(server, tmp_path):
    env = user_env(tmp_path)
    for path in ("/gzip", "/cp1252", "/gzip-members", "/bom", "/meta-utf16", "/pagé"):
        result = check(env, "--url", f"{server}{path}")
        assert result.returncode == 0, (path, result.stdout, result.stderr)


def test_the_proxy_of_the_environment_is_used(server, tmp_path):
    env = user_env(tmp_path, HTTP_PROXY=server)
    result = check(env, "--url", "http://verslagen.invalid/page")
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def https_server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    pem = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    yield f"https://127.0.0.1:{httpd.server_address[1]}", pem
    httpd.shutdown()


def test_https_is_verified_against_the_systems_trust(https_server, tmp_path):
    url, pem = https_server
    untrusted = check(user_env(tmp_path), "--url", f"{url}/page")
    assert untrusted.returncode == 1 and untrusted.stderr.count("\n") == 1
    assert "certificate is not trusted" in untrusted.stderr, untrusted.stderr
    # A system that trusts the authority (as a municipal network's computers trust the
    # one that inspects their TLS): OpenSSL's own variable names the trusted authorities.
    trusted = check(user_env(tmp_path, SSL_CERT_FILE=str(pem)), "--url", f"{url}/page")
    assert trusted.returncode == 0, trusted.stderr


def test_about_gives_figures_that_match_the_data(server, tmp_path):
    env = user_env(tmp_path)
    # A copy of the data whose page is the test server's /changed.
    text = (REPO / "data" / "reports.yaml").read_text(encoding="utf-8")
    own = tmp_path / "own.yaml"
    own.write_text(text.replace(DATA["collection"]["source_url"], f"{server}/changed"), "utf-8")
    about = ("about", "--data", str(own), "--format", "json")
    assert json.loads(run(*about, env=env).stdout)["last_check"] is None
    assert check(env, "--data", str(own)).returncode == 3
    check(env, "--url", f"{server}/page")  # a check of another page: not this data's
    assert json.loads(run(*about, env=env).stdout)["last_check"] is None
    check(env, "--data", str(own))
    facts = json.loads(run(*about, env=env).stdout)
    meetings = DATA["meetings"]
    years = [m["year"] for m in meetings if m.get("year") is not None]
    assert facts["meetings"] == len(meetings)
    assert facts["per_year"] == {str(y): years.count(y) for y in sorted(set(years))}
    assert facts["years_without"] == sorted(set(range(min(years), max(years) + 1)) - set(years))
    assert facts["year_unknown"] == sum(m.get("year") is None for m in meetings)
    assert facts["years_inferred"] == sum(
        bool(m.get("date_inferred")) and m.get("year") is not None for m in meetings
    )
    assert facts["cities_unknown"] == sum(not m.get("city") for m in meetings)
    assert facts["retrieved"] == DATA["collection"]["retrieved"]
    assert facts["source_url"] == f"{server}/changed"
    last = facts["last_check"]
    assert (last["url"], last["status"], last["changed"]) == (f"{server}/changed", "differ", 1)
    text = run("about", "--data", str(own), env=user_env(tmp_path, LANG="nl_NL.UTF-8")).stdout
    assert "Bijeenkomsten:" in text and "verschilden" in text
    # A check of a saved copy is no check of the page: it is not kept.
    check(env, "--data", str(own), "--source", str(SOURCE))
    assert json.loads(run(*about, env=env).stdout)["last_check"]["status"] == "differ"


def test_a_sentence_added_to_the_introduction_is_a_change_of_the_collection(tmp_path):
    lines = list(LINES)
    at = next(i for i, line in enumerate(lines) if line.startswith("Om het veiligheidsbeleid"))
    lines[at] += " Een extra zin over het netwerk."
    page = tmp_path / "pagina.txt"
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = check(user_env(tmp_path), "--source", str(page), "--format", "json")
    assert result.returncode == 3, result.stderr
    report = json.loads(result.stdout)
    assert report["new"] == []
    assert report["changed"] == [
        {
            "id": None,
            "title": None,
            "lines": [3, at + 1],
            "added": ["Een extra zin over het netwerk."],
            "removed": [],
        }
    ]


def test_a_saved_copy_is_checked_offline_and_two_new_verslagen_are_two(tmp_path):
    env = user_env(tmp_path)
    same = check(env, "--source", str(SOURCE))
    assert same.returncode == 0, same.stderr
    assert same.stdout == f"{SOURCE}: the data and the page agree (18 meetings).\n"
    second = [line.replace("2024", "2025").replace("Zwolle", "Assen") for line in NEW]
    page = tmp_path / "pagina.html"
    at = LINES.index(FIRST_THEME)
    page.write_text(as_html(LINES[:at] + second + NEW + LINES[at:]), encoding="utf-8")
    result = check(env, "--source", str(page), "--format", "json")
    assert result.returncode == 3
    new = json.loads(result.stdout)["new"]
    assert [(n["year"], n["city"]) for n in new] == [(2025, "Assen"), (2024, "Zwolle")]
    assert not (tmp_path / "cache" / "last-check.json").exists()  # a copy is not the page


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--url", "http://127.0.0.1:9/", "--source", str(SOURCE)), "not both"),
        (("--source", "/nonexistent/pagina.html"), "cannot be read"),
        (("--url", "ftp://example.org/v"), "is not an http or https address"),
    ],
)
def test_usage_errors(tmp_path, args, said):
    result = check(user_env(tmp_path), *args)
    assert result.returncode == (1 if "ftp" in args[1] else 2), result.stderr
    assert said in result.stderr and result.stdout == ""


def test_data_that_names_no_page_needs_url(tmp_path):
    text = (REPO / "tests" / "fixtures" / "mini.yaml").read_text(encoding="utf-8")
    own = tmp_path / "own.yaml"
    own.write_text(re.sub(r"(?m)^  source_url: .*\n", "", text), encoding="utf-8")
    result = check(user_env(tmp_path), "--data", str(own))
    assert result.returncode == 2 and "give --url" in result.stderr


def test_changes_name_new_changed_and_removed_from_the_report():
    from ngs_cli.curation.pagecheck import changes, check_page

    page = "\n".join(with_new())
    page = page.replace("258 mensen\xa0de", "259 mensen de")
    found = changes(check_page(page, DATA), DATA)
    assert [b.sentences[0] for b in found.new] == [NEW[0]]
    assert [c.id for c in found.changed] == ["2023-nijmegen"]
    assert found.removed == []
    assert not found.agree and changes(check_page(PAGES_TEXT, DATA), DATA).agree


PAGES_TEXT = "\n".join(LINES)


def test_an_address_with_a_password_is_refused_and_never_shown(server, tmp_path):
    env = user_env(tmp_path)
    result = check(env, "--url", server.replace("http://", "http://wie:geheim@") + "/page")
    assert result.returncode == 1 and "geheim" not in result.stderr + result.stdout
    assert "user name or password" in result.stderr


@pytest.mark.parametrize(
    ("url", "status"),
    [("http://[::1", 1), ("http://127.0.0.1:abc/", 1), ("http://x/\x1b]0;t\x07", 1),
     ("", 2), ("   ", 2)],
)  # fmt: skip
def test_a_malformed_address_is_one_line(tmp_path, url, status):
    result = check(user_env(tmp_path), "--url", url)
    lines = 1 if status == 1 else 2  # a usage error adds "Try 'ngs check -h' for help."
    assert result.returncode == status and result.stderr.count("\n") == lines, result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "1e308"])
def test_a_timeout_must_be_a_number_of_seconds(tmp_path, value):
    result = check(user_env(tmp_path), "--url", "http://127.0.0.1:9/", "--timeout", value)
    assert result.returncode == 2 and "--timeout" in result.stderr, result.stderr


def test_redirects_stay_on_the_site():
    from ngs_cli.fetch import _same_site

    assert _same_site("hetccv.nl", "www.hetccv.nl") and _same_site("www.hetccv.nl", "hetccv.nl")
    assert not _same_site("www.hetccv.nl", "nl")  # never up to a bare top-level domain
    assert not _same_site("www.hetccv.nl", "evil.hetccv.nl.example")
    assert not _same_site("127.0.0.1", "0.1") and not _same_site("10.0.0.1", "0.0.1")
    assert _same_site("127.0.0.1", "127.0.0.1")


def test_a_damaged_or_swapped_kept_copy_is_not_trusted(server, tmp_path):
    env = user_env(tmp_path)
    assert check(env, "--url", f"{server}/kept-old").returncode == 0
    cache = tmp_path / "cache"
    (cache / "last-check.html").write_text(PAGES["/new"], encoding="utf-8")  # swapped
    again = check(env, "--url", f"{server}/kept-old")
    assert again.returncode == 0, again.stdout  # the copy is not the one kept: fetched anew
    state = json.loads((cache / "last-check.json").read_text(encoding="utf-8"))
    for damage in ({**state, "etag": ["x"]}, {**state, "status": ["agree"]}, {"url": "\ud800"}):
        (cache / "last-check.json").write_text(json.dumps(damage), encoding="utf-8")
        assert check(env, "--url", f"{server}/kept-old").returncode == 0
        (cache / "last-check.json").write_text(json.dumps(damage), encoding="utf-8")
        about = run("about", "--format", "json", env=env)
        assert about.returncode == 0 and "internal error" not in about.stderr


def test_a_report_that_cannot_be_written_is_an_error(server, tmp_path):
    import subprocess

    from .process import NGS

    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [NGS, "check", "--url", f"{server}/new"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=user_env(tmp_path),
            timeout=60,
        )
    assert result.returncode == 1 and "cannot write" in result.stderr, result.stderr

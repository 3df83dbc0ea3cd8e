"""Fetching the source page, as a careful client does: the one place ngs touches the
network, imported only by ``ngs check``.

The standard library's ``urllib`` does the HTTP (no client of its own to install or
import for one GET a day); ``truststore`` makes it verify HTTPS against the system's
trust store, as pip does, so that a municipal network that inspects TLS with its own
certificate authority is trusted where the system trusts it. The proxy variables
(``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``) are honoured; a redirect is followed only
to ``https:`` on the same site; the body is read to a limit (compressed or not); the
charset is the one the answer or the page declares.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import ssl
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from . import __version__
from .errors import NgsError
from .i18n import N_, _

MAX_BYTES = 10 * 1024 * 1024  # a page larger than this is refused: the CCV's is 0.2 MB
TIMEOUT = 30.0  # seconds for the whole answer
USER_AGENT = f"ngs/{__version__} (+https://pypi.org/project/ngs-cli/; checks the verslagen page)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


class FetchError(NgsError):
    """The page could not be fetched: no network, a name not found, TLS, a timeout, an
    HTTP error status, too large, or not HTML."""


@dataclass(frozen=True)
class Fetched:
    """An answer: the page's text (None when the server says it has not changed since
    ``etag``/``last_modified`` were given), and its validators for the next request."""

    text: str | None
    etag: str | None = None
    last_modified: str | None = None


def fetch(
    url: str,
    *,
    timeout: float = TIMEOUT,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BYTES,
    proxies: dict[str, str] | None = None,
) -> Fetched:
    """GET ``url`` (http or https); ``etag`` and ``last_modified`` from the last answer
    make it conditional; ``proxies`` by scheme, as the command line read them from the
    environment (``urllib.request.getproxies``; None: none). The whole answer, from the
    connection to the body's last byte, must come within ``timeout`` seconds, however
    slowly a server sends it. Raises FetchError with one line that says what went wrong."""
    import threading

    address = _address(url)
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(
                _get(address, url, timeout, etag, last_modified, max_bytes, proxies or {})
            )
        except BaseException as e:  # handed to the caller's thread
            outcome.append(e)

    worker = threading.Thread(target=run, name="ngs-fetch", daemon=True)
    worker.start()
    worker.join(timeout + 0.5)  # interrupted by Ctrl-C; the worker dies with the process
    if not outcome:
        raise FetchError(
            N_("{url}: no answer within {seconds} seconds"), url=url, seconds=_seconds(timeout)
        )
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]  # type: ignore[no-any-return]


def _address(url: str) -> str:
    """``url`` as it is sent: an http(s) address without a user name or password (ngs
    reads a public page), its path and query percent-encoded, its host IDNA-encoded;
    FetchError for anything else."""
    from urllib.parse import quote, urlunsplit

    if not url.strip() or not url.isprintable() or any(c.isspace() for c in url):
        raise FetchError(N_("{url} is not an http or https address"), url=url)
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:  # "http://[::1", a port that is no number
        raise FetchError(N_("{url} is not an http or https address"), url=url) from None
    if parts.scheme not in ("http", "https") or not host:
        raise FetchError(N_("{url} is not an http or https address"), url=url)
    if parts.username is not None or parts.password is not None:
        raise FetchError(
            N_("{url}: an address with a user name or password is not fetched"),
            url=_without_password(url),
        )
    try:
        name = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise FetchError(N_("{url} is not an http or https address"), url=url) from None
    if ":" in name:
        name = f"[{name}]"  # an IPv6 address
    netloc = f"{name}:{port}" if port is not None else name
    safe = "/%:@!$&'()*+,;=?~-._"
    return urlunsplit(
        (parts.scheme, netloc, quote(parts.path, safe=safe), quote(parts.query, safe=safe), "")
    )


def _without_password(url: str) -> str:
    try:
        parts = urlsplit(url)
        return url.replace(parts.netloc, parts.netloc.rpartition("@")[2], 1)
    except ValueError:
        return "…"


def _get(
    address: str,
    url: str,
    timeout: float,
    etag: str | None,
    last_modified: str | None,
    max_bytes: int,
    proxies: dict[str, str],
) -> Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html", "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler(proxies),  # urllib reads NO_PROXY itself
        urllib.request.HTTPSHandler(context=_tls_context()),
        _SameSiteRedirects(),
    )
    request = urllib.request.Request(address, headers=headers)
    try:
        with opener.open(request, timeout=timeout) as answer:
            return _read(answer, url, max_bytes)
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return Fetched(None, etag, last_modified)
        raise FetchError(
            N_("{url}: the server answered {status} {reason}"),
            url=url,
            status=e.code,
            reason=_one_line(e.reason),
        ) from None
    except FetchError:
        raise
    except urllib.error.URLError as e:
        raise _reason(url, e.reason, timeout) from None
    except (OSError, ValueError, http.client.HTTPException) as e:  # reset mid-way, bad header
        raise _reason(url, e, timeout) from None


def _one_line(value: Any) -> str:
    """What a server or the system says, on one line (a reason may hold line breaks)."""
    return " ".join(str(value).split())


def fetch_page(
    url: str,
    *,
    timeout: float,
    last: dict[str, Any] | None,
    kept: str | None,
    proxies: dict[str, str] | None = None,
) -> tuple[Fetched, str]:
    """The page at ``url`` and its text: asked for on the condition that it changed since
    ``last`` (what the last check of the same address kept: its ``etag``,
    ``last_modified`` and ``page_sha256``), whose copy ``kept`` is the page when the
    server says it has not; a copy that is not the one kept is not used."""
    import hashlib

    usable = (
        last is not None
        and kept
        and last.get("url") == url
        and last.get("page_sha256") == hashlib.sha256(kept.encode("utf-8")).hexdigest()
    )
    if usable and last is not None and kept:
        etag, modified = last.get("etag"), last.get("last_modified")
        fetched = fetch(
            url,
            timeout=timeout,
            etag=etag if isinstance(etag, str) and etag.isprintable() else None,
            last_modified=modified
            if isinstance(modified, str) and modified.isprintable()
            else None,
            proxies=proxies,
        )
        if fetched.text is None:
            return fetched, kept
        return fetched, fetched.text
    fetched = fetch(url, timeout=timeout, proxies=proxies)
    if fetched.text is None:  # "not modified", though nothing was asked on a condition
        raise FetchError(
            N_("{url}: the server answered 304 Not Modified to a plain request"), url=url
        )
    return fetched, fetched.text


def _reason(url: str, reason: Any, timeout: float) -> FetchError:
    if isinstance(reason, FetchError):
        return reason
    if isinstance(reason, TimeoutError):
        return FetchError(
            N_("{url}: no answer within {seconds} seconds"), url=url, seconds=_seconds(timeout)
        )
    if isinstance(reason, socket.gaierror):
        return FetchError(N_("{url}: the name of the server is not known (no network?)"), url=url)
    if isinstance(reason, ssl.SSLCertVerificationError):
        return FetchError(
            N_("{url}: the server's certificate is not trusted ({why})"),
            url=url,
            why=_one_line(reason.verify_message or reason.reason),
        )
    if isinstance(reason, ssl.SSLError):
        return FetchError(
            N_("{url}: a secure connection failed ({why})"), url=url, why=_one_line(reason)
        )
    if isinstance(reason, ConnectionRefusedError):
        return FetchError(N_("{url}: the server refused the connection"), url=url)
    if isinstance(reason, (ConnectionError, http.client.HTTPException, ValueError)):
        return FetchError(N_("{url}: the answer broke off ({why})"), url=url, why=_one_line(reason))
    why = getattr(reason, "strerror", None) or reason
    return FetchError(N_("{url}: cannot connect ({why})"), url=url, why=_one_line(why))


def _seconds(timeout: float) -> str:
    return f"{timeout:g}"  # "1", "2.5"


def _tls_context() -> Any:
    """HTTPS verified against the system's trust store (truststore), or, where it cannot
    be had, Python's default verification."""
    try:
        import truststore

        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except (ImportError, OSError, ssl.SSLError):  # pragma: no cover (a system without it)
        return ssl.create_default_context()


def _read(answer: Any, url: str, max_bytes: int) -> Fetched:
    status = getattr(answer, "status", 200)
    if status != 200:  # 203, 204 No Content, 206 Partial Content: not the whole page
        raise FetchError(
            N_("{url}: the server answered {status} {reason}"),
            url=url,
            status=status,
            reason=_one_line(getattr(answer, "reason", "")),
        )
    kind = answer.headers.get_content_type()
    if kind not in _HTML_TYPES:
        raise FetchError(N_("{url}: not an HTML page ({type})"), url=url, type=_one_line(kind))
    coding = (answer.headers.get("Content-Encoding") or "").strip().lower()
    if coding not in ("", "identity", "gzip", "x-gzip"):
        raise FetchError(
            N_("{url}: the page comes compressed as {coding}, which ngs did not ask for"),
            url=url,
            coding=_one_line(coding),
        )
    lengths = answer.headers.get_all("Content-Length") or []
    expected = int(lengths[0]) if len(set(lengths)) == 1 and lengths[0].strip().isdigit() else None
    if expected is not None and expected > max_bytes:
        raise _too_large(url, max_bytes)
    chunks: list[bytes] = []
    size = 0
    while chunk := answer.read1(64 * 1024):  # what has come, never waiting for 64 KB
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(url, max_bytes)
        chunks.append(chunk)
    if expected is not None and size < expected:
        raise FetchError(
            N_("{url}: the answer broke off ({why})"),
            url=url,
            why=_("{received} of {expected} bytes").format(received=size, expected=expected),
        )
    body = b"".join(chunks)
    if coding in ("gzip", "x-gzip"):
        body = _gunzip(body, url, max_bytes)
    text = _decode(body, answer.headers.get_content_charset())
    replaced = text.count("\ufffd")
    if replaced > 16 and replaced > len(text) // 100:
        raise FetchError(N_("{url}: the page is not text in the charset it declares"), url=url)
    etag, modified = answer.headers.get("ETag"), answer.headers.get("Last-Modified")
    return Fetched(
        text,
        etag if etag and etag.isprintable() else None,
        modified if modified and modified.isprintable() else None,
    )


def _decode(body: bytes, declared: str | None) -> str:
    """The page's text as a browser decodes it: a byte order mark first, then the
    charset the answer declares, then the one the page declares in a <meta>, else UTF-8;
    a <meta> that says UTF-16 of bytes that are not is read as UTF-8, as HTML says."""
    import codecs

    for mark, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                        (codecs.BOM_UTF16_BE, "utf-16-be")):  # fmt: skip
        if body.startswith(mark):
            return body[len(mark) :].decode(codec, errors="replace")
    charset = declared
    if charset is None:
        charset = _declared_charset(body)
        if charset and charset.lower().replace("_", "-").startswith("utf-16"):
            charset = "utf-8"
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")  # a charset Python does not know


def _too_large(url: str, max_bytes: int) -> FetchError:
    return FetchError(
        N_("{url}: the page is larger than {size} MB, more than any page of verslagen"),
        url=url,
        size=max_bytes // (1024 * 1024),
    )


def _gunzip(body: bytes, url: str, max_bytes: int) -> bytes:
    """A gzip body, every member of it, to ``max_bytes``; a stream that stops before its
    end is an answer that broke off."""
    out = b""
    rest = body
    while rest:
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflate.decompress(rest, max_bytes + 1 - len(out))
        except zlib.error:
            raise FetchError(N_("{url}: the compressed page is damaged"), url=url) from None
        if len(out) > max_bytes or inflate.unconsumed_tail:
            raise _too_large(url, max_bytes)
        if not inflate.eof:
            raise FetchError(
                N_("{url}: the answer broke off ({why})"),
                url=url,
                why=_("the compressed page stops before its end"),
            )
        rest = inflate.unused_data
    return out


def _declared_charset(body: bytes) -> str | None:
    """The charset a page declares in a <meta> near its start, as a browser looks."""
    found = _META_CHARSET.search(body[:4096])
    return found[1].decode("ascii") if found else None


def _same_site(old: str, new: str) -> bool:
    """Whether two hosts are one site: the same, or one a subdomain of the other
    (hetccv.nl and www.hetccv.nl), never a bare top-level domain; an IP address is only
    itself."""
    import ipaddress

    old, new = old.lower().rstrip("."), new.lower().rstrip(".")
    if old == new:
        return True
    for host in (old, new):
        with contextlib.suppress(ValueError):
            ipaddress.ip_address(host)
            return False
    shorter, longer = sorted((old, new), key=len)
    return shorter.count(".") >= 1 and longer.endswith("." + shorter)


class _SameSiteRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to https: on the same site; refuses any other (file: and
    ftp: too, before urllib looks at them)."""

    max_redirections = 5

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        location = headers.get("location") or headers.get("uri")
        if location:
            self.redirect_request(req, fp, code, msg, headers, location, check_only=True)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(
        self,
        req: Any,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
        check_only: bool = False,
    ) -> urllib.request.Request | None:
        try:
            target = urljoin(req.full_url, _one_line(newurl))
            parts, before = urlsplit(target), urlsplit(req.full_url)
            host = parts.hostname or ""
        except ValueError:
            target, parts, host = newurl, None, ""
        if (
            parts is None
            or parts.scheme != "https"
            or parts.username is not None
            or not _same_site(before.hostname or "", host)
        ):
            raise FetchError(
                N_("{url}: the server sends on to {target}, which is not https on the same site"),
                url=req.full_url,
                target=_without_password(target),
            )
        if check_only:
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)

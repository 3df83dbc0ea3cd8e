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

import http.client
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from . import __version__
from .errors import NgsError
from .i18n import N_

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

    url: str
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
) -> Fetched:
    """GET ``url`` (http or https); ``etag`` and ``last_modified`` from the last answer
    make it conditional. Raises FetchError with one line that says what went wrong."""
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise FetchError(N_("{url} is not an http or https address"), url=url)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html", "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler(),  # the environment's proxies, NO_PROXY included
        urllib.request.HTTPSHandler(context=_tls_context()),
        _SameSiteRedirects(),
    )
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(request, timeout=timeout) as answer:
            return _read(answer, url, max_bytes, time.monotonic() + timeout)
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return Fetched(url, None, etag, last_modified)
        raise FetchError(
            N_("{url}: the server answered {status} {reason}"),
            url=url,
            status=e.code,
            reason=e.reason,
        ) from None
    except FetchError:
        raise
    except urllib.error.URLError as e:
        raise _reason(url, e.reason, timeout) from None
    except (OSError, ValueError, http.client.HTTPException) as e:  # reset mid-way, bad header
        raise _reason(url, e, timeout) from None


def fetch_page(
    url: str, *, timeout: float, last: dict[str, Any] | None, kept: str | None
) -> tuple[Fetched, str]:
    """The page at ``url`` and its text: asked for on the condition that it changed since
    ``last`` (what the last check of the same address kept: its ``etag`` and
    ``last_modified``), whose copy ``kept`` is the page when the server says it has not."""
    if last is not None and kept is not None and last.get("url") == url:
        fetched = fetch(
            url, timeout=timeout, etag=last.get("etag"), last_modified=last.get("last_modified")
        )
        if fetched.text is None:
            return fetched, kept
        return fetched, fetched.text
    fetched = fetch(url, timeout=timeout)
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
            why=reason.verify_message or reason.reason,
        )
    if isinstance(reason, ssl.SSLError):
        return FetchError(N_("{url}: a secure connection failed ({why})"), url=url, why=reason)
    if isinstance(reason, ConnectionRefusedError):
        return FetchError(N_("{url}: the server refused the connection"), url=url)
    if isinstance(reason, (ConnectionError, http.client.HTTPException, ValueError)):
        return FetchError(N_("{url}: the answer broke off ({why})"), url=url, why=reason)
    why = getattr(reason, "strerror", None) or reason
    return FetchError(N_("{url}: cannot connect ({why})"), url=url, why=why)


def _seconds(timeout: float) -> str:
    return f"{timeout:g}"


def _tls_context() -> Any:
    """HTTPS verified against the system's trust store (truststore), or, where it cannot
    be had, Python's default verification."""
    try:
        import truststore

        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    except (ImportError, OSError, ssl.SSLError):  # pragma: no cover (a system without it)
        return ssl.create_default_context()


def _read(answer: Any, url: str, max_bytes: int, deadline: float) -> Fetched:
    kind = answer.headers.get_content_type()
    if kind not in _HTML_TYPES:
        raise FetchError(N_("{url}: not an HTML page ({type})"), url=url, type=kind)
    length = answer.headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise _too_large(url, max_bytes)
    chunks: list[bytes] = []
    size = 0
    while chunk := answer.read(64 * 1024):  # each read waits at most the timeout
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(url, max_bytes)
        if time.monotonic() > deadline:  # a page sent a little at a time: the whole
            raise TimeoutError  # answer, not each part, must come within the timeout
        chunks.append(chunk)
    body = b"".join(chunks)
    if (answer.headers.get("Content-Encoding") or "").strip().lower() in ("gzip", "x-gzip"):
        body = _gunzip(body, url, max_bytes)
    charset = answer.headers.get_content_charset() or _declared_charset(body) or "utf-8"
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")  # a charset Python does not know
    return Fetched(
        answer.geturl() or url,
        text.removeprefix("\ufeff"),
        answer.headers.get("ETag"),
        answer.headers.get("Last-Modified"),
    )


def _too_large(url: str, max_bytes: int) -> FetchError:
    return FetchError(
        N_("{url}: the page is larger than {size} MB, more than any page of verslagen"),
        url=url,
        size=max_bytes // (1024 * 1024),
    )


def _gunzip(body: bytes, url: str, max_bytes: int) -> bytes:
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflate.decompress(body, max_bytes + 1)
    except zlib.error:
        raise FetchError(N_("{url}: the compressed page is damaged"), url=url) from None
    if len(out) > max_bytes:
        raise _too_large(url, max_bytes)
    return out


def _declared_charset(body: bytes) -> str | None:
    """The charset a page declares in a <meta> near its start, as a browser looks."""
    found = _META_CHARSET.search(body[:4096])
    return found[1].decode("ascii") if found else None


def _same_site(old: str, new: str) -> bool:
    """Whether two hosts are one site: the same, or one a subdomain of the other
    (hetccv.nl and www.hetccv.nl)."""
    old, new = old.lower().rstrip("."), new.lower().rstrip(".")
    shorter = min(old, new, key=len)
    if shorter.count(".") < 1 and old != new:
        return False  # never on to a bare top-level domain ("nl")
    return old == new or old.endswith("." + new) or new.endswith("." + old)


class _SameSiteRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to https: on the same site; refuses any other."""

    max_redirections = 5

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        target = urljoin(req.full_url, newurl)
        parts, before = urlsplit(target), urlsplit(req.full_url)
        if parts.scheme != "https" or not _same_site(before.hostname or "", parts.hostname or ""):
            raise FetchError(
                N_("{url}: the server sends on to {target}, which is not https on the same site"),
                url=req.full_url,
                target=target,
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)

"""The workbench's guards: the access token (required when the server listens beyond this machine; compared in
constant time), the Host check (a server on 127.0.0.1 answers only to local host names: no DNS rebinding), and the
cross-site request check on every state-changing request (same origin, and the CSRF token of the page)."""
from __future__ import annotations

import hmac
import ipaddress
import secrets
from typing import Optional
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse

TOKEN_COOKIE, CSRF_COOKIE = "auditor_token", "auditor_csrf"
CSRF_HEADER, CSRF_FIELD = "x-csrf-token", "csrf_token"
LOCAL_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def same(a: Optional[str], b: Optional[str]) -> bool:
    """Constant-time comparison of two secrets (False when either is missing)."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def _deny(request: Request, status: int, zh: str, en: str):
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": f"{zh} / {en}"}, status_code=status)
    return PlainTextResponse(f"{zh} / {en}", status_code=status)


class Guard:
    """Pure ASGI middleware: Host check, then the token (when one is set)."""

    def __init__(self, app, token: Optional[str], local_only: bool):
        self.app, self.token, self.local_only = app, token, local_only

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        if self.local_only and hostname(request.headers.get("host") or "") not in LOCAL_NAMES:
            return await _deny(request, 421, "本服务只接受本机访问", "this server answers only to localhost")(
                scope, receive, send)
        if self.token:
            given = _bearer(request) or request.headers.get("x-auditor-token") or request.cookies.get(TOKEN_COOKIE)
            query = request.query_params.get("token")
            if query is not None and same(query, self.token) and request.method == "GET":
                # a link with ?token=… : remember it in a cookie and drop it from the address bar
                url = request.url.remove_query_params("token")
                resp = RedirectResponse(str(url.path) + (f"?{url.query}" if url.query else ""), status_code=303)
                resp.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
                return await resp(scope, receive, send)
            if not same(given, self.token):
                return await _deny(request, 401, "需要访问令牌（--token）", "a valid access token is required")(
                    scope, receive, send)
        return await self.app(scope, receive, _with_headers(send))


HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
           (b"referrer-policy", b"same-origin"),
           (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                        b"script-src 'self'; frame-ancestors 'none'; form-action 'self'")]


def _with_headers(send):
    """Every response: no MIME sniffing, no framing, scripts and styles only from this server."""
    async def inner(msg):
        if msg["type"] == "http.response.start":
            msg = dict(msg, headers=list(msg.get("headers", [])) + HEADERS)
        await send(msg)
    return inner


def hostname(host_header: str) -> str:
    """The name in a Host header, without the port (``[::1]:8765`` -> ``[::1]``)."""
    if host_header.startswith("["):
        return host_header.split("]")[0] + "]"
    return host_header.rsplit(":", 1)[0].lower()


def _bearer(request: Request) -> Optional[str]:
    auth = request.headers.get("authorization") or ""
    return auth[7:].strip() if auth.lower().startswith("bearer ") else None


def _origin_of(url: str) -> Optional[str]:
    try:
        p = urlsplit(url)
    except ValueError:
        return None
    return f"{p.scheme}://{p.netloc}".lower() if p.scheme and p.netloc else None


def cross_site(request: Request, form_token: Optional[str] = None) -> Optional[str]:
    """Why a state-changing request must be refused as cross-site, or None when it may go on.

    A browser marks its requests (Origin, Referer, Sec-Fetch-Site): those must come from this server's own origin
    and carry the page's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``, equal to the
    ``auditor_csrf`` cookie). A script (curl, Python) sends none of these headers and cannot be made to by another
    site, so it needs no CSRF token (when the server has an access token, it still needs that)."""
    own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
    origin, referer = request.headers.get("origin"), request.headers.get("referer")
    site = request.headers.get("sec-fetch-site")
    browser = bool(origin or referer or site)
    if origin is not None and origin.lower() != own:
        return f"cross-origin request from {origin}"
    if origin is None and referer is not None and _origin_of(referer) != own:
        return "cross-origin referer"
    if site is not None and site not in ("same-origin", "none"):
        return f"Sec-Fetch-Site: {site}"
    if browser:
        token = form_token or request.headers.get(CSRF_HEADER)
        if not same(token, request.cookies.get(CSRF_COOKIE)):
            return "missing or wrong CSRF token"
    return None


def csrf_denied(request: Request, why: str):
    return _deny(request, 403, f"跨站请求被拒绝（{why}）", f"cross-site request refused ({why})")

"""What keeps the review pages safe: a Host allow-list, an access token with server-side sessions,
CSRF protection and strict response headers, on every response including errors.

- Host: a request must name this server in its `Host` header: a loopback name, the address it
  was started on, or a name given with --allowed-host. Anything else is a 400, so a page on
  another site whose name is rebound to 127.0.0.1 (DNS rebinding) cannot read the queue.
- Token: when the server has one (at least `MIN_TOKEN_LENGTH` characters; required beyond
  127.0.0.1), every request must show it, once as `?token=...` or as
  `Authorization: Bearer ...`. A token in the address opens a session: a random id kept on the
  server for `SESSION_SECONDS`, in an HttpOnly cookie (`Secure` with --secure-cookies), and the
  browser is sent on to the same local path without the token. A wrong token costs a small delay,
  and after `MAX_FAILURES` wrong tokens in `FAILURE_WINDOW` seconds a client is refused for the
  rest of the window (429), whatever it sends.
- CSRF: a signed double-submit token. Each browser gets a random value signed with the server's
  key in a cookie; every form carries the same value, and a POST whose form value
  is missing, unsigned or different from the cookie is refused with 403.
- Headers: a Content-Security-Policy that allows no inline script at all, so even text that
  escaped escaping could not run; no framing, no sniffing, no referrer. An unexpected error is an
  HTML 500 page with the same headers, never a bare text response.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import socket
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, quote, quote_from_bytes, unquote_plus

CSRF_COOKIE = "claimcheck_csrf"
CSRF_FIELD = "csrf_token"
AUTH_COOKIE = "claimcheck_auth"
MIN_TOKEN_LENGTH = 16
SESSION_SECONDS = 12 * 3600  # a working day: a session opened in the morning lasts the shift
MAX_SESSIONS = 10_000  # the oldest are forgotten first; a forgotten session just asks again
FAILURE_DELAY = 0.5  # seconds a wrong token waits before its answer
MAX_FAILURES = 10  # wrong tokens from one client address within FAILURE_WINDOW seconds
FAILURE_WINDOW = 300
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger(__name__)


def same_text(a: str, b: str) -> bool:
    """Constant-time equality of two strings, whatever characters they hold."""
    return hmac.compare_digest(
        a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass")
    )


def token_problem(token: str) -> str | None:
    """Why `token` cannot be an access token, or None when it can."""
    if len(token) < MIN_TOKEN_LENGTH:
        return (
            f"The access token has {len(token)} character(s); use at least {MIN_TOKEN_LENGTH} "
            "(or give none and claimcheck makes one)."
        )
    if not token.isascii() or not token.isprintable() or " " in token:
        return "The access token must be printable ASCII without spaces (it goes in a link)."
    return None


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 32 characters, 192 random bits


def host_name(header: str) -> str:
    """The name in a Host header, without its port, lower-cased: `[::1]:8765` -> `::1`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    if header.count(":") == 1:
        return header.split(":", 1)[0]
    return header


def allowed_hosts_for(bind: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host names a server bound to `bind` answers: loopback, the bind address, `extra`.

    Bound to every interface (0.0.0.0), the machine's own name and addresses are added too, so
    colleagues can use the address they were given without further options.
    """
    names = {*LOOPBACK_NAMES, *(host_name(h) for h in extra if h.strip())}
    if bind in WILDCARD_ADDRESSES:
        names.update(machine_names())
    else:
        names.add(host_name(bind) if not bind.count(":") > 1 else bind.strip("[]").lower())
    return frozenset(names)


def machine_names() -> set[str]:
    names: set[str] = set()
    try:
        host = socket.gethostname()
        names.update({host.lower(), socket.getfqdn().lower()})
        for info in socket.getaddrinfo(host, None):
            names.add(str(info[4][0]).lower())
    except OSError:  # no resolver: the names given with --allowed-host still work
        pass
    return names


class CsrfSigner:
    """Makes and checks signed CSRF values: `nonce.signature`."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def _sign(self, nonce: str) -> str:
        return hmac.new(
            self._key, nonce.encode("utf-8", "surrogatepass"), hashlib.sha256
        ).hexdigest()

    def new_value(self) -> str:
        nonce = secrets.token_urlsafe(24)
        return f"{nonce}.{self._sign(nonce)}"

    def is_valid(self, value: str | None) -> bool:
        if not value or "." not in value:
            return False
        nonce, signature = value.rsplit(".", 1)
        return same_text(signature, self._sign(nonce))

    def matches(self, cookie_value: str | None, form_value: str | None) -> bool:
        """True when the form echoes this browser's signed cookie value exactly."""
        if not self.is_valid(cookie_value) or not form_value:
            return False
        return same_text(str(cookie_value), str(form_value))


class Sessions:
    """Random session ids given to browsers that showed the token, each expiring on the server."""

    def __init__(self, lifetime: float = SESSION_SECONDS, limit: int = MAX_SESSIONS) -> None:
        self.lifetime = lifetime
        self.limit = limit
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def open(self) -> str:
        session = secrets.token_urlsafe(32)
        with self._lock:
            self._expiry[session] = time.monotonic() + self.lifetime
            while len(self._expiry) > self.limit:
                self._expiry.popitem(last=False)
        return session

    def is_open(self, session: str | None) -> bool:
        if not session:
            return False
        with self._lock:
            expiry = self._expiry.get(session)
            if expiry is None:
                return False
            if expiry < time.monotonic():
                del self._expiry[session]
                return False
            return True


class Failures:
    """Wrong tokens per client address within a sliding window."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = FAILURE_WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._times: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        times = self._times.setdefault(client, deque())
        while times and times[0] < now - self.window:
            times.popleft()
        return times

    def blocked(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client, time.monotonic())) >= self.limit

    def add(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._recent(client, now).append(now)
            if len(self._times) > MAX_SESSIONS:  # forget quiet clients, keep memory bounded
                for quiet in [c for c in self._times if not self._recent(c, now)]:
                    del self._times[quiet]


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is treated as no cookies
                continue
    return {k: m.value for k, m in jar.items()}


def _header(scope: Scope, wanted: bytes) -> str | None:
    for name, value in scope.get("headers", []):
        if name == wanted:
            return bytes(value).decode("latin-1")
    return None


def set_cookie_header(
    name: str, value: str, *, secure: bool, max_age: int | None = None
) -> tuple[bytes, bytes]:
    # Lax, not Strict: a Strict cookie is not sent when an editor follows a link from chat or
    # email, and re-issuing it then would break forms open in other tabs. The double-submit check
    # does not rely on SameSite.
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    return (b"set-cookie", "; ".join(parts).encode("latin-1"))


def local_location(path: str, query_string: bytes) -> str:
    """A redirect target on this server only, without the token: `//evil.example/x` and
    `/\\evil.example` become `/evil.example/...` here, and path and query are percent-encoded
    (any character may arrive), the other parameters kept as they were sent."""
    local = "/" + path.lstrip("/\\")
    kept = [
        piece
        for piece in query_string.split(b"&")
        if piece and unquote_plus(piece.split(b"=", 1)[0].decode("latin-1")) != "token"
    ]
    query = quote_from_bytes(b"&".join(kept), safe="=&+%/:@!$'()*,;?-._~")
    return quote(local, safe="/-._~!$&'()*+,;=:@") + (f"?{query}" if query else "")


def html_page(status: int, title: str, message: str) -> bytes:
    from html import escape

    return (
        '<!doctype html><html lang="en"><meta charset="utf-8">'
        f'<title>{escape(title)}</title><link rel="stylesheet" href="/static/style.css">'
        f'<main><h1>{escape(title)}</h1><p class="error" role="alert">{escape(message)}</p>'
        "</main></html>"
    ).encode()


async def send_page(
    send: Send, status: int, title: str, message: str, extra: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                *SECURITY_HEADERS,
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": html_page(status, title, message)})


class SecurityMiddleware:
    """Host check, token gate, CSRF cookie issuance and security headers for every response."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        signer: CsrfSigner,
        token: str | None,
        allowed_hosts: Iterable[str] = LOOPBACK_NAMES,
        secure_cookies: bool = False,
    ) -> None:
        if token is not None:
            problem = token_problem(token)
            if problem:
                raise ValueError(problem)
        self.app = app
        self.signer = signer
        self.token = token
        self.allowed_hosts = frozenset(host_name(h) for h in allowed_hosts)
        self.secure = secure_cookies
        self.sessions = Sessions()
        self.failures = Failures()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = host_name(_header(scope, b"host") or "")
        if host not in self.allowed_hosts:
            await send_page(
                send, 400, "Unknown server name",
                "This server does not answer to that name; use the address it was started on "
                "(whoever runs it can allow more names with --allowed-host).",
            )  # fmt: skip
            return
        try:
            bytes(scope.get("query_string", b"")).decode("utf-8")
        except UnicodeDecodeError:
            # Browsers percent-encode addresses; raw bytes that are not UTF-8 come only from
            # hand-made requests, and Starlette cannot build the request's URL from them.
            await send_page(
                send, 400, "Bad address",
                "The address holds bytes that are not UTF-8 text; percent-encode them.",
            )  # fmt: skip
            return
        cookies = _cookies(scope)
        if self.token:
            if not await self._authorised(scope, receive, send, cookies):
                return
        extra: list[tuple[bytes, bytes]] = []
        csrf = cookies.get(CSRF_COOKIE)
        if not self.signer.is_valid(csrf):
            csrf = self.signer.new_value()
            extra.append(set_cookie_header(CSRF_COOKIE, csrf, secure=self.secure))
        scope.setdefault("state", {})["csrf_token"] = csrf
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in present]
                headers += extra
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started:
                raise
            log.exception("Error answering %s %s", scope.get("method"), scope.get("path"))
            await send_page(
                send, 500, "Something went wrong",
                "claimcheck could not answer this request; nothing was changed. "
                "The server's log says why.",
            )  # fmt: skip

    async def _authorised(
        self, scope: Scope, receive: Receive, send: Send, cookies: dict[str, str]
    ) -> bool:
        """Whether the request may go on; when not, the answer has been sent."""
        assert self.token is not None
        client = str((scope.get("client") or ("unknown",))[0])
        if self.failures.blocked(client):
            await send_page(
                send, 429, "Too many wrong tokens",
                f"Too many wrong access tokens from this address; wait {FAILURE_WINDOW // 60} "
                "minutes and open the link you were given again.",
                [(b"retry-after", str(FAILURE_WINDOW).encode())],
            )  # fmt: skip
            return False
        if self.sessions.is_open(cookies.get(AUTH_COOKIE)):
            return True
        shown: str | None = None
        authorization = _header(scope, b"authorization")
        if authorization is not None:
            shown = authorization.removeprefix("Bearer ").strip()
            if same_text(shown, self.token):
                return True
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        given = dict(query).get("token")
        if given is not None:
            shown = given
            if same_text(given, self.token):
                if scope["method"] in ("GET", "HEAD"):
                    await self._open_session(scope, send)
                    return False
                return True
        if shown is not None:
            self.failures.add(client)
            await asyncio.sleep(FAILURE_DELAY)
            message = "That access token is not this server's; check the link you were given."
        elif AUTH_COOKIE in cookies:
            message = "Your session has ended; open the link with ?token=... you were given again."
        else:
            message = (
                "This claimcheck server needs its access token: open it with ?token=... in the "
                "address, as given by whoever runs it."
            )
        await send_page(send, 401, "Access token required", message)
        return False

    async def _open_session(self, scope: Scope, send: Send) -> None:
        """Keep the token out of the address bar, history and logs once the cookie holds a
        session; the redirect stays on this server whatever the path."""
        location = local_location(str(scope.get("path", "/")), scope.get("query_string", b""))
        cookie = set_cookie_header(
            AUTH_COOKIE, self.sessions.open(), secure=self.secure, max_age=SESSION_SECONDS
        )
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [(b"location", location.encode("ascii")), cookie, *SECURITY_HEADERS],
            }
        )
        await send({"type": "http.response.body", "body": b""})

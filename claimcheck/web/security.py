"""What keeps the review pages safe: an access token, CSRF protection and strict response headers.

- Token: when the server has one (required beyond 127.0.0.1), every request must show it, once as
  `?token=...` (then kept in an HttpOnly cookie holding a keyed digest, never the token itself) or
  as `Authorization: Bearer ...`.
- CSRF: a signed double-submit token. Each browser gets a random value signed with the server's
  key in a cookie; every form carries the same value, and a POST whose form value
  is missing, unsigned or different from the cookie is refused with 403.
- Headers: a Content-Security-Policy that allows no inline script at all, so even text that
  escaped escaping could not run; no framing, no sniffing, no referrer.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

CSRF_COOKIE = "claimcheck_csrf"
CSRF_FIELD = "csrf_token"
AUTH_COOKIE = "claimcheck_auth"
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


class CsrfSigner:
    """Makes and checks signed CSRF values: `nonce.signature`."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode(), hashlib.sha256).hexdigest()

    def new_value(self) -> str:
        nonce = secrets.token_urlsafe(24)
        return f"{nonce}.{self._sign(nonce)}"

    def is_valid(self, value: str | None) -> bool:
        if not value or "." not in value:
            return False
        nonce, signature = value.rsplit(".", 1)
        return hmac.compare_digest(signature, self._sign(nonce))

    def matches(self, cookie_value: str | None, form_value: str | None) -> bool:
        """True when the form echoes this browser's signed cookie value exactly."""
        if not self.is_valid(cookie_value) or not form_value:
            return False
        return hmac.compare_digest(str(cookie_value), str(form_value))


def auth_digest(token: str) -> str:
    return hmac.new(token.encode(), b"claimcheck-auth", hashlib.sha256).hexdigest()


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is treated as no cookies
                continue
    return {k: m.value for k, m in jar.items()}


def _set_cookie(name: str, value: str, same_site: str) -> tuple[bytes, bytes]:
    return (
        b"set-cookie",
        f"{name}={value}; Path=/; HttpOnly; SameSite={same_site}".encode("latin-1"),
    )


class SecurityMiddleware:
    """Token gate, CSRF cookie issuance and security headers for every HTTP response."""

    def __init__(self, app: ASGIApp, *, signer: CsrfSigner, token: str | None) -> None:
        self.app = app
        self.signer = signer
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _cookies(scope)
        extra: list[tuple[bytes, bytes]] = []
        if self.token:
            verdict = self._authorise(scope, cookies)
            if verdict == "redirect":
                await self._redirect_without_token(scope, send)
                return
            if verdict == "refuse":
                await self._refuse(send)
                return
        csrf = cookies.get(CSRF_COOKIE)
        if not self.signer.is_valid(csrf):
            csrf = self.signer.new_value()
            # Lax, not Strict: a Strict cookie is not sent when an editor follows a link from
            # chat or email, and re-issuing it then would break forms open in other tabs. The
            # double-submit check does not rely on SameSite.
            extra.append(_set_cookie(CSRF_COOKIE, csrf, "Lax"))
        scope.setdefault("state", {})["csrf_token"] = csrf

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in present]
                headers += extra
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _authorise(self, scope: Scope, cookies: dict[str, str]) -> str:
        assert self.token is not None
        expected = auth_digest(self.token)
        if hmac.compare_digest(cookies.get(AUTH_COOKIE, ""), expected):
            return "ok"
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                given = value.decode("latin-1").removeprefix("Bearer ").strip()
                if hmac.compare_digest(given.encode(), self.token.encode()):
                    return "ok"
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        given = query.get("token")
        if given and hmac.compare_digest(given.encode(), self.token.encode()):
            return "redirect" if scope["method"] in ("GET", "HEAD") else "ok"
        return "refuse"

    async def _redirect_without_token(self, scope: Scope, send: Send) -> None:
        """Keep the token out of the address bar, history and logs once the cookie holds it."""
        assert self.token is not None
        query = [
            (k, v)
            for k, v in parse_qsl(scope.get("query_string", b"").decode("latin-1"))
            if k != "token"
        ]
        location = scope.get("path", "/") + (f"?{urlencode(query)}" if query else "")
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode("latin-1")),
                    _set_cookie(AUTH_COOKIE, auth_digest(self.token), "Lax"),
                    *SECURITY_HEADERS,
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    async def _refuse(self, send: Send) -> None:
        body = (
            b"<!doctype html><title>Access token required</title>"
            b"<p>This claimcheck server needs its access token: open it with ?token=... "
            b"in the address, as given by whoever runs it.</p>"
        )
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    *SECURITY_HEADERS,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

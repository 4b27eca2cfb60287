"""Property-based: every route of the review web app, with generated paths, ids, query strings,
form fields and headers (Host, Cookie, Origin, Authorization), answers a page of its own: never
a 500, always the security headers, HTML for every page that is not a redirect or a static file
(docs/guarantees.md, "Web").

Requests are sent to the ASGI app directly, as a server would pass them, so paths and headers no
HTTP client library would send (`//host`, bytes that are not UTF-8) are tried too.
"""

from __future__ import annotations

import asyncio
import re
from urllib.parse import quote_from_bytes, urlencode

import pytest
from conftest import HashingEmbedder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reviewdata import add_stored_article, submit_contradiction

from claimcheck.archive import Store

web_app = pytest.importorskip("claimcheck.web.app")

TOKEN = "fuzzing-review-token-0123"
SECURITY_HEADERS = (
    b"content-security-policy",
    b"x-content-type-options",
    b"x-frame-options",
    b"referrer-policy",
    b"cache-control",
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Answer:
    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status = status
        self.headers = dict(headers)
        self.all_headers = headers
        self.body = body


def call(
    app,
    method: str,
    path: str,
    query: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes = b"",
) -> Answer:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode("utf-8", "surrogateescape"),
        "root_path": "", "query_string": query, "headers": headers or [],
        "client": ("127.0.0.1", 50123), "server": ("127.0.0.1", 8765),
    }  # fmt: skip
    sent: list[dict] = []
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        if chunks:
            return chunks.pop()
        await asyncio.sleep(3600)  # nothing more: as a client that keeps the connection open
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    assert start["type"] == "http.response.start"
    content = b"".join(m.get("body", b"") for m in sent[1:])
    return Answer(start["status"], start["headers"], content)


def assert_proper(answer: Answer, path: str) -> None:
    assert answer.status < 500, (answer.status, path, answer.body[:500])
    for name in SECURITY_HEADERS:
        assert name in answer.headers, (name, path)
    if answer.status not in (301, 302, 303, 307, 308) and not path.startswith("/static/"):
        assert answer.headers[b"content-type"].startswith(b"text/html"), path


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    """The app without a token and with one, over an archive holding one flag."""
    from claimcheck.judge import load_judge

    db = tmp_path_factory.mktemp("fuzz") / "web.db"
    store = Store.open(db)
    flag = submit_contradiction(store, add_stored_article(store), number="7").flag_ids[0]
    store.close()

    def make(**options):
        return web_app.create_app(
            str(db), embedder_factory=HashingEmbedder, judge_factory=load_judge, **options
        )

    return {"open": make(), "token": make(token=TOKEN), "flag": flag}


def csrf_pair(app) -> tuple[str, str]:
    """A valid CSRF cookie and form value, as a browser that loaded a page has."""
    answer = call(app, "GET", "/check", headers=[(b"host", b"127.0.0.1")])
    value = re.search(rb'name="csrf_token" value="([^"]+)"', answer.body).group(1).decode()
    return value, value


text = st.text(max_size=60)
any_bytes = st.binary(max_size=60)
ids = st.one_of(
    st.integers(min_value=0, max_value=10**30).map(str),
    st.integers(min_value=2**63 - 2, max_value=10**40).map(str),  # beyond SQLite's integers
    st.sampled_from(
        ["FLAG", "1", "-1", "0", "²", "1.5", "1e9", "%00", "9223372036854775808", "style.css"]
    ),
    text.map(lambda t: quote_from_bytes(t.encode("utf-8", "surrogatepass"))),
)
hosts = st.one_of(
    st.sampled_from([b"127.0.0.1", b"localhost:8765", b"[::1]:8765", b"evil.example", b""]),
    any_bytes,
)
params = st.dictionaries(
    st.sampled_from(
        [
            "page",
            "status",
            "speaker",
            "outlet",
            "done",
            "text",
            "token",
            "q",
            "csrf_token",
            "since",
            "until",
            "kind",
            "sort",
        ]
    ),
    text,
    max_size=4,
)
raw_queries = st.one_of(
    params.map(lambda d: urlencode(d).encode()),
    any_bytes,
)
form_fields = st.dictionaries(
    st.sampled_from(
        [
            "action",
            "editor",
            "note",
            "expected_status",
            "status",
            "speaker",
            "outlet",
            "text",
            "title",
            "url",
            "published",
            "csrf_token",
        ]
    ),  # fmt: skip
    st.one_of(
        text,
        st.sampled_from(
            ["confirm", "dismiss", "follow-up", "reopen", "note", "pending", "confirmed", "Ann"]
        ),
    ),
    max_size=8,
)
cookies = st.one_of(
    st.just(b""),
    any_bytes,
    text.map(lambda t: f"claimcheck_csrf={t}; claimcheck_auth={t}".encode("utf-8", "replace")),
)


def route(kind: str, ident: str) -> tuple[str, str]:
    return {
        "queue": ("GET", "/"),
        "flag": ("GET", f"/flags/{ident}"),
        "decide": ("POST", f"/flags/{ident}/decision"),
        "quotes": ("GET", "/quotes"),
        "check": ("GET", "/check"),
        "submit": ("POST", "/check"),
        "run": ("GET", f"/runs/{ident}"),
        "static": ("GET", f"/static/{ident}"),
        "odd": ("GET", "/" + ident),
    }[kind]


ROUTES = ["queue", "flag", "decide", "quotes", "check", "submit", "run", "static", "odd"]


@FUZZ
@given(
    mode=st.sampled_from(["open", "token"]),
    kind=st.sampled_from(ROUTES),
    ident=ids,
    query=raw_queries,
    host=hosts,
    cookie=cookies,
    form=form_fields,
    valid_csrf=st.booleans(),
    authorised=st.booleans(),
    origin=st.sampled_from([None, b"null", b"http://127.0.0.1", b"https://evil.example"]),
)
def test_every_route_answers_a_proper_page(
    apps, mode, kind, ident, query, host, cookie, form, valid_csrf, authorised, origin
):
    app = apps[mode]
    if kind in ("flag", "decide") and ident == "FLAG":
        ident = str(apps["flag"])
    method, path = route(kind, ident)
    headers = [(b"host", host)]
    if cookie:
        headers.append((b"cookie", cookie))
    if origin:
        headers.append((b"origin", origin))
    if mode == "token" and authorised:
        headers.append((b"authorization", f"Bearer {TOKEN}".encode()))
    body = b""
    if method == "POST":
        if valid_csrf and host in (b"127.0.0.1", b"localhost:8765"):
            cookie_value, form_value = csrf_pair(apps["open"])
            headers.append((b"cookie", f"claimcheck_csrf={cookie_value}".encode()))
            form = {**form, "csrf_token": form_value}
        body = urlencode(form).encode()
        headers.append((b"content-type", b"application/x-www-form-urlencoded"))
        headers.append((b"content-length", str(len(body)).encode()))
    answer = call(app, method, path, query, headers, body)
    assert_proper(answer, path)
    location = answer.headers.get(b"location", b"")
    assert not location.startswith((b"//", b"/\\")) and b"://" not in location


@FUZZ
@given(
    mode=st.sampled_from(["open", "token"]),
    kind=st.sampled_from(["flag", "decide", "run"]),
    ident=ids,
    query=params.map(lambda d: urlencode(d).encode()),
)
def test_any_id_in_a_path_is_a_page(apps, mode, kind, ident, query):
    if ident == "FLAG":
        ident = str(apps["flag"])
    method, path = route(kind, ident)
    headers = [(b"host", b"127.0.0.1:8765")]
    if mode == "token":
        headers.append((b"authorization", f"Bearer {TOKEN}".encode()))
    answer = call(app=apps[mode], method=method, path=path, query=query, headers=headers)
    assert_proper(answer, path)
    assert answer.status in (200, 303, 400, 403, 404), (answer.status, path)


@FUZZ
@given(flag_form=form_fields, editor=text, note=text)
def test_decisions_with_any_fields_never_fail(apps, flag_form, editor, note):
    """A real browser session (valid CSRF, loopback host) posting any decision fields."""
    app = apps["open"]
    cookie_value, form_value = csrf_pair(app)
    form = {**flag_form, "editor": editor, "note": note, "csrf_token": form_value}
    body = urlencode(form).encode()
    headers = [
        (b"host", b"127.0.0.1:8765"),
        (b"cookie", f"claimcheck_csrf={cookie_value}".encode()),
        (b"content-type", b"application/x-www-form-urlencoded"),
    ]
    answer = call(app, "POST", f"/flags/{apps['flag']}/decision", b"", headers, body)
    assert_proper(answer, "/flags/decision")
    assert answer.status in (303, 400, 409), answer.body[:300]

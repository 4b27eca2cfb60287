"""Bad input through the web app's check form, over HTTP: a 400 page that says what is wrong,
never a 500, and nothing recorded."""

from __future__ import annotations

import re
import sqlite3

import pytest
from conftest import HashingEmbedder
from starlette.testclient import TestClient

from claimcheck.read import MAX_ARTICLE_CHARS

web_app = pytest.importorskip("claimcheck.web.app")
LOCAL = "http://127.0.0.1"  # the Host a browser on this machine sends (the server checks it)

ARTICLE = (
    "Talks end\n\nRustem Umerov said the prisoner swap was agreed on Friday.\n\n"
    '"We will meet again next week," Umerov told reporters.\n'
)


def make_client(db_path) -> TestClient:
    from claimcheck.judge import load_judge

    app = web_app.create_app(
        str(db_path), embedder_factory=HashingEmbedder, judge_factory=load_judge
    )
    return TestClient(app, base_url=LOCAL, raise_server_exceptions=False)


def submit(client: TestClient, text: str):
    page = client.get("/check")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/check", data={"csrf_token": token, "text": text}, follow_redirects=False)


def submissions(db_path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("select count(*) from submissions").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize(
    "text,message",
    [
        ("   \n\t  ", "Paste the article"),
        ("--- *** !!!", "no words"),
        ("Headline\n\n" + "word " * 1200, "without a sentence break"),
        ("Word said. " * (MAX_ARTICLE_CHARS // 10), "characters"),
        ("<html><body><script>var a = 1;</script></body></html>", "no article text"),
    ],
)
def test_bad_pasted_text_gets_a_400_page_that_says_why(db_path, text, message):
    client = make_client(db_path)
    response = submit(client, text)
    assert response.status_code == 400, response.text[:500]
    assert message in response.text
    assert submissions(db_path) == 0


def test_pasted_text_with_invisible_characters_and_crlf_is_checked(db_path):
    client = make_client(db_path)
    pasted = ARTICLE.replace("\n", "\r\n").replace("Umerov said", "Ume\u200brov said")
    response = submit(client, pasted)
    assert response.status_code == 303, response.text[:500]
    conn = sqlite3.connect(db_path)
    text = conn.execute("select text from submissions").fetchone()[0]
    rows = conn.execute("select quote, start, [end] from check_results").fetchall()
    conn.close()
    assert "\r" not in text and "\u200b" not in text
    assert rows and all(text[start:end] == quote for quote, start, end in rows)


def test_a_write_failure_during_a_check_is_a_page_not_a_crash(db_path, monkeypatch):
    import sqlite_utils.db

    client = make_client(db_path)
    real_insert = sqlite_utils.db.Table.insert

    def disk_full(self, record, *args, **kwargs):
        if self.name == "check_runs":
            raise sqlite3.OperationalError("database or disk is full")
        return real_insert(self, record, *args, **kwargs)

    monkeypatch.setattr(sqlite_utils.db.Table, "insert", disk_full)
    response = submit(client, ARTICLE)
    assert response.status_code == 400
    assert "disk is full" in response.text
    assert submissions(db_path) == 0


# ------------------------------------------------------------------ round two: the server itself
TOKEN = "newsroom-review-token-2025"
HEADER_NAMES = (
    "content-security-policy",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "cache-control",
)


def is_safe_page(response, status: int) -> None:
    """A page of the expected status, HTML, with every security header."""
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    for name in HEADER_NAMES:
        assert name in response.headers, name


@pytest.fixture
def flag_id(db_path) -> int:
    from reviewdata import add_stored_article, submit_contradiction

    from claimcheck.archive import Store

    store = Store.open(db_path)
    try:
        return submit_contradiction(store, add_stored_article(store), number="9").flag_ids[0]
    finally:
        store.close()


def token_client(db_path, **options) -> TestClient:
    app = web_app.create_app(
        str(db_path), embedder_factory=HashingEmbedder, judge_factory=object, token=TOKEN,
        **options,
    )  # fmt: skip
    return TestClient(app, base_url=LOCAL, raise_server_exceptions=False)


def flag_status(db_path, flag_id: int) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("select status from flags where id = ?", [flag_id]).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize(
    "host", ["attacker.example", "attacker.example:8765", "127.0.0.1.evil.example", "", "[::2]"]
)
def test_a_request_naming_another_host_is_refused(db_path, flag_id, host):
    client = make_client(db_path)
    for path in ("/", f"/flags/{flag_id}", "/quotes?speaker=Umerov", "/static/style.css"):
        response = client.get(path, headers={"host": host})
        is_safe_page(response, 400)
        assert "does not answer to that name" in response.text
        assert "Umerov" not in response.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/check").text).group(1)
    refused = client.post(
        f"/flags/{flag_id}/decision",
        data={"csrf_token": token, "action": "confirm", "editor": "Mallory",
              "expected_status": "pending"},
        headers={"host": host},
    )  # fmt: skip
    is_safe_page(refused, 400)
    assert flag_status(db_path, flag_id) == "pending"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost:8765", "[::1]:8765", "LOCALHOST"])
def test_loopback_names_are_answered(db_path, host):
    assert make_client(db_path).get("/", headers={"host": host}).status_code == 200


def test_allowed_hosts_are_what_serve_names(db_path):
    from claimcheck.web.security import allowed_hosts_for

    hosts = allowed_hosts_for("10.1.2.3", ["reviews.newsroom.example"])
    assert {"127.0.0.1", "localhost", "::1", "10.1.2.3", "reviews.newsroom.example"} == hosts
    app = web_app.create_app(
        str(db_path), embedder_factory=object, judge_factory=object, allowed_hosts=hosts
    )
    client = TestClient(app, base_url="http://reviews.newsroom.example")
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"host": "10.1.2.3:8765"}).status_code == 200
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


@pytest.mark.parametrize(
    "path,status",
    [
        ("/?page=99999999999999999999999", 400),
        ("/?page=%C2%B2", 400),  # '²' is a digit to str.isdigit, not to int()
        ("/?page=0", 400),
        ("/?page=-1", 400),
        ("/?page=1e3", 400),
        ("/flags/99999999999999999999999", 404),
        ("/flags/9223372036854775808", 404),
        ("/flags/0", 404),
        ("/runs/99999999999999999999999", 404),
        ("/flags/99999999999999999999999?status=pending&done=confirm", 404),
        ("/quotes?speaker=%00&text=%FF%FE", 200),
        ("/?status=%00&speaker=%C0&outlet=%ED%A0%80", 200),
        ("/caf%C3%A9/%E2%82%AC", 404),
    ],
)
def test_odd_parameters_are_a_page_never_a_500(db_path, flag_id, path, status):
    is_safe_page(make_client(db_path).get(path), status)


def test_a_huge_flag_id_in_a_decision_is_a_404(db_path, flag_id):
    client = make_client(db_path)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/check").text).group(1)
    form = {"csrf_token": token, "action": "confirm", "editor": "Ann", "expected_status": "pending"}
    is_safe_page(client.post("/flags/99999999999999999999999/decision", data=form), 404)


@pytest.mark.parametrize("value", ["é", "\u2603.\u2603", "ü" * 60 + ".abc", "\x00"])
def test_a_non_ascii_csrf_token_is_a_403_page(db_path, flag_id, value):
    client = make_client(db_path)
    client.get("/check")
    form = {"csrf_token": value, "action": "confirm", "editor": "A", "expected_status": "pending"}
    is_safe_page(client.post(f"/flags/{flag_id}/decision", data=form), 403)
    # The same in the cookie: a new cookie is issued, the post still refused.
    client.cookies.set("claimcheck_csrf", "x.y")
    is_safe_page(client.post(f"/flags/{flag_id}/decision", data=form), 403)
    assert flag_status(db_path, flag_id) == "pending"


def test_a_decision_without_expected_status_is_refused(db_path, flag_id):
    client = make_client(db_path)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/check").text).group(1)
    for missing in ({}, {"expected_status": ""}, {"expected_status": "whatever"}):
        form = {"csrf_token": token, "action": "confirm", "editor": "Ann", **missing}
        response = client.post(f"/flags/{flag_id}/decision", data=form)
        is_safe_page(response, 400)
        assert "does not say which status the flag had" in response.text
    assert flag_status(db_path, flag_id) == "pending"


@pytest.mark.parametrize(
    "field,value",
    [("editor", "Ann\x1b[2J"), ("editor", "Ann\nBob"), ("note", "ok\x1b]0;owned\x07"),
     ("note", "back\u202ewards")],
)  # fmt: skip
def test_control_characters_in_a_decision_are_refused(db_path, flag_id, field, value):
    client = make_client(db_path)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/check").text).group(1)
    form = {"csrf_token": token, "action": "confirm", "editor": "Ann", "expected_status": "pending"}
    response = client.post(f"/flags/{flag_id}/decision", data={**form, field: value})
    is_safe_page(response, 400)
    assert "holds the character" in response.text
    assert flag_status(db_path, flag_id) == "pending"
    # A note on several lines, as a textarea sends it, is fine.
    ok = client.post(
        f"/flags/{flag_id}/decision",
        data={**form, "note": "line one\r\nline two\ttabbed"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert flag_status(db_path, flag_id) == "confirmed"


@pytest.mark.parametrize("field", ["outlet", "title", "url"])
def test_control_characters_in_the_check_form_are_refused(db_path, field):
    client = make_client(db_path)
    page = client.get("/check")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/check", data={"csrf_token": token, "text": ARTICLE, field: "Wire\x1b[31m"}
    )
    is_safe_page(response, 400)
    assert f"The {field} holds the character" in response.text
    assert submissions(db_path) == 0


# ------------------------------------------------------------------ token mode
def raw_get(app, path: str, query: bytes) -> tuple[int, dict[bytes, bytes]]:
    """One GET sent to the app as a server would pass it, with a path no HTTP client would send
    as-is (`//evil.example/x` is a host to them)."""
    import asyncio

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path, "raw_path": path.encode("utf-8"), "root_path": "",
        "query_string": query, "headers": [(b"host", b"127.0.0.1:8765")],
        "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8765),
    }  # fmt: skip
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    return start["status"], dict(start["headers"])


@pytest.mark.parametrize(
    "path,location",
    [
        ("//evil.example/x", "/evil.example/x"),
        ("/\\evil.example", "/evil.example"),
        ("/\\/evil.example/", "/evil.example/"),
        ("///evil.example", "/evil.example"),
        ("/caf\u00e9/\u20ac", "/caf%C3%A9/%E2%82%AC"),  # not Latin-1: encoded, never a crash
        ("/flags/1", "/flags/1"),
    ],
)
def test_the_token_redirect_stays_on_this_server(db_path, path, location):
    app = token_client(db_path).app
    status, headers = raw_get(app, path, f"token={TOKEN}&status=pending&q=%C3%A9+x".encode())
    assert status == 303
    assert headers[b"location"].decode("ascii") == location + "?status=pending&q=%C3%A9+x"
    for name in HEADER_NAMES:
        assert name.encode() in headers


def test_each_session_gets_its_own_random_cookie_that_expires(db_path, monkeypatch):
    from claimcheck.web import security

    clients = [token_client(db_path) for _ in range(2)]
    app = clients[0].app
    cookies = []
    for client in (TestClient(app, base_url=LOCAL), TestClient(app, base_url=LOCAL)):
        entry = client.get(f"/?token={TOKEN}", follow_redirects=False)
        header = entry.headers["set-cookie"]
        assert "HttpOnly" in header and "Max-Age=43200" in header and "Secure" not in header
        cookies.append(client.cookies["claimcheck_auth"])
        assert client.get("/").status_code == 200
    assert cookies[0] != cookies[1]  # per session, not HMAC(token, constant)
    assert TOKEN not in "".join(cookies) and len(cookies[0]) >= 32
    # A made-up cookie opens nothing.
    stranger = TestClient(app, base_url=LOCAL)
    stranger.cookies.set("claimcheck_auth", "made-up-session-id")
    is_safe_page(stranger.get("/"), 401)
    # Sessions end on the server: once the clock passes their lifetime, the cookie is refused.
    real = security.time.monotonic
    monkeypatch.setattr(security.time, "monotonic", lambda: real() + security.SESSION_SECONDS + 1)
    client = TestClient(app, base_url=LOCAL)
    client.cookies.set("claimcheck_auth", cookies[0])
    expired = client.get("/")
    is_safe_page(expired, 401)
    assert "session has ended" in expired.text


def test_secure_cookies_are_marked_secure(db_path):
    client = token_client(db_path, secure_cookies=True)
    entry = client.get(f"/?token={TOKEN}", follow_redirects=False)
    assert all("Secure" in c for c in entry.headers.get_list("set-cookie"))
    page = client.get("/", headers={"authorization": f"Bearer {TOKEN}"})
    assert all("Secure" in c for c in page.headers.get_list("set-cookie"))


def test_wrong_tokens_are_slowed_then_refused_for_a_while(db_path, monkeypatch):
    from claimcheck.web import security

    slept = []

    async def no_wait(seconds):
        slept.append(seconds)

    monkeypatch.setattr(security.asyncio, "sleep", no_wait)
    client = token_client(db_path)
    for n in range(security.MAX_FAILURES):
        is_safe_page(client.get(f"/?token=guess-{n}"), 401)
    assert slept == [security.FAILURE_DELAY] * security.MAX_FAILURES
    is_safe_page(client.get("/", headers={"authorization": "Bearer another-guess"}), 429)
    blocked = client.get(f"/?token={TOKEN}", follow_redirects=False)  # even the right one
    is_safe_page(blocked, 429)
    assert blocked.headers["retry-after"] == str(security.FAILURE_WINDOW)
    # After the window, the right token works again.
    real = security.time.monotonic
    monkeypatch.setattr(security.time, "monotonic", lambda: real() + security.FAILURE_WINDOW + 1)
    assert client.get(f"/?token={TOKEN}").status_code == 200


@pytest.mark.parametrize(
    "token", ["s", "s3cret", "fifteen-chars!!", "has space in it 123", "é" * 20]
)
def test_a_short_or_odd_token_is_refused_at_start(db_path, token):
    with pytest.raises(ValueError, match="access token"):
        web_app.create_app(str(db_path), embedder_factory=object, judge_factory=object,
                           token=token)  # fmt: skip


def test_an_unexpected_error_is_an_html_500_with_the_headers(db_path, monkeypatch):
    from claimcheck import review

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    client = make_client(db_path)
    monkeypatch.setattr(review, "list_flags", broken)
    response = client.get("/")
    is_safe_page(response, 500)
    assert "nothing was changed" in response.text and "a bug" not in response.text


@pytest.mark.parametrize("path", ["/", "/check", "/quotes", "/flags/1"])
def test_a_query_string_that_is_not_utf8_is_a_400_page(db_path, path):
    status, headers = raw_get(make_client(db_path).app, path, b"page=\x80&speaker=\xff")
    assert status == 400
    assert headers[b"content-type"].startswith(b"text/html")
    for name in HEADER_NAMES:
        assert name.encode() in headers


def test_wrong_token_records_forget_quiet_clients(monkeypatch):
    from claimcheck.web import security

    failures = security.Failures(limit=3, window=60)
    monkeypatch.setattr(security, "MAX_SESSIONS", 5)
    for n in range(5):
        failures.add(f"10.0.0.{n}")
    real = security.time.monotonic
    monkeypatch.setattr(security.time, "monotonic", lambda: real() + 61)
    failures.add("10.0.1.1")  # the sixth client: the five quiet ones are forgotten
    assert list(failures._times) == ["10.0.1.1"]
    assert not failures.blocked("10.0.0.1")

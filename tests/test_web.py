"""Every page and action of the review web app, over HTTP (Starlette's TestClient, no browser)."""

from __future__ import annotations

import re

import pytest
from conftest import HashingEmbedder
from reviewdata import STORED_QUOTE, add_stored_article, submit_contradiction
from starlette.testclient import TestClient

from claimcheck.archive.store import Store
from claimcheck.errors import ModelError
from claimcheck.review import queue as review
from claimcheck.web.app import create_app

LOCAL = "http://127.0.0.1"  # the Host a browser on this machine sends (the server checks it)
XSS = ' <script>window.pwned=1</script><img src=x onerror="window.pwned=2">'

STORED_ARTICLE = (
    "Prisoner swap agreed in Istanbul\n\n"
    "Ukrainian defence minister Rustem Umerov said the two sides had agreed to exchange "
    "1,000 prisoners each.\n"
)
NEW_ARTICLE = (
    "Talks end quickly\n\n"
    "Ukrainian defence minister Rustem Umerov said the two sides had agreed to exchange "
    "500 prisoners each.\n"
)


class Factories:
    """Counts model loads, to show they happen once per process, not per request."""

    def __init__(self) -> None:
        self.loads = 0

    def embedder(self) -> HashingEmbedder:
        self.loads += 1
        return HashingEmbedder()

    def judge(self):
        from claimcheck.judge import load_judge

        return load_judge()


@pytest.fixture
def flags(db_path):
    store = Store.open(db_path)
    stored = add_stored_article(store)
    ids = [
        submit_contradiction(store, stored, number="1,000", extra=XSS).flag_ids[0],
        submit_contradiction(store, stored, number="2,000", outlet="Daily Planet").flag_ids[0],
        submit_contradiction(store, stored, number="3,000", url="javascript:alert(1)").flag_ids[0],
    ]
    store.close()
    return ids


@pytest.fixture
def factories() -> Factories:
    return Factories()


@pytest.fixture
def client(db_path, factories) -> TestClient:
    app = create_app(
        str(db_path), embedder_factory=factories.embedder, judge_factory=factories.judge
    )
    return TestClient(app, base_url=LOCAL)


def csrf(client: TestClient, path: str = "/check") -> str:
    page = client.get(path)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def decide(client: TestClient, flag_id: int, **form: str):
    data = {"csrf_token": csrf(client, f"/flags/{flag_id}"), **form}
    return client.post(f"/flags/{flag_id}/decision", data=data, follow_redirects=False)


def status_of(db_path, flag_id: int) -> str:
    store = Store.open(db_path)
    try:
        return review.flag_status(store, flag_id)
    finally:
        store.close()


# ----------------------------------------------------------------- queue
def test_queue_lists_pending_first_with_counts(client, flags, db_path):
    store = Store.open(db_path)
    review.decide_flag(store, flags[0], "confirm", "Ann")
    store.close()
    page = client.get("/")
    assert page.status_code == 200
    rows = re.findall(r'<td class="id"><a href="/flags/(\d+)', page.text)
    assert [int(r) for r in rows] == [flags[1], flags[2], flags[0]]
    assert '<span class="n" data-count="pending">2</span>' in page.text
    assert '<span class="n" data-count="confirmed">1</span>' in page.text
    assert "500 prisoners would be exchanged next week" in page.text


def test_queue_filters_by_status_speaker_and_outlet(client, flags):
    def ids(query: str) -> list[int]:
        page = client.get("/?" + query)
        return [int(r) for r in re.findall(r'<td class="id"><a href="/flags/(\d+)', page.text)]

    assert ids("status=confirmed") == []
    assert ids("status=pending") == flags
    assert ids("outlet=Daily+Planet") == [flags[1]]
    assert ids("speaker=Umierov") == flags  # misspelt, as editors type it
    assert ids("speaker=Zelensky") == []
    assert "No flags match these filters." in client.get("/?speaker=Zelensky").text


def test_empty_queue_points_to_the_check_page(client):
    assert 'No flags yet. <a href="/check">' in client.get("/").text


# ----------------------------------------------------------------- one flag
def test_flag_page_shows_both_claims_side_by_side_with_terms_marked(client, flags):
    page = client.get(f"/flags/{flags[1]}?status=pending")
    assert page.status_code == 200
    html = page.text
    new_side = html[html.index('class="side new"') : html.index('class="side stored"')]
    stored_side = html[html.index('class="side stored"') : html.index('class="why"')]
    assert '<span class="claim"><mark>2,000</mark></span>' in new_side
    assert "Rustem Umerov said" in new_side and "Daily Planet" in new_side
    assert '<span class="claim"><mark>500</mark></span>' in stored_side
    assert "He added that more talks were planned." in stored_side  # the whole paragraph
    assert "Kyiv Independent" in stored_side and "2025-05-16" in stored_side
    assert "numbers differ: 2,000 vs 500" in html
    assert "<strong>87%</strong>" in html
    # j/k navigation within the pending queue.
    assert f'id="prev-flag" href="/flags/{flags[0]}?status=pending"' in html
    assert f'id="next-flag" href="/flags/{flags[2]}?status=pending"' in html
    assert "flagged" in html[html.index('class="history"') :]


def test_article_text_is_escaped_never_run(client, flags):
    page = client.get(f"/flags/{flags[0]}")
    assert "<script>window.pwned" not in page.text
    assert "<img src=x" not in page.text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page.text
    assert "&lt;img src=x onerror=&#34;window.pwned=2&#34;&gt;" in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-frame-options"] == "DENY"


def test_a_javascript_url_from_an_article_is_never_a_link(client, flags):
    page = client.get(f"/flags/{flags[2]}")
    assert "javascript:" not in page.text
    assert "Talks in Istanbul" in page.text


def test_unknown_flag_and_pages_are_404(client, flags):
    assert client.get("/flags/999").status_code == 404
    assert "There is no flag 999." in client.get("/flags/999").text
    assert client.get("/runs/999").status_code == 404
    assert client.get("/nowhere").status_code == 404


# ----------------------------------------------------------------- decisions
def test_confirm_with_a_note_records_it_and_returns_to_the_flag(client, flags, db_path):
    response = decide(
        client, flags[0], action="confirm", editor="Ann Editor", note="Ask the ministry",
        expected_status="pending", status="pending",
    )  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"] == f"/flags/{flags[0]}?status=pending&done=confirm"
    assert status_of(db_path, flags[0]) == "confirmed"
    page = client.get(response.headers["location"])
    assert "Saved: confirmed by Ann Editor with a note." in page.text
    history = page.text[page.text.index('class="history"') :]
    assert "Ann Editor" in history and "Ask the ministry" in history
    # The editor's name is remembered for the next decision.
    assert 'value="Ann Editor"' in client.get(f"/flags/{flags[1]}").text


def test_a_decision_without_an_editor_is_refused_and_keeps_the_note(client, flags, db_path):
    response = decide(
        client, flags[0], action="dismiss", editor=" ", note="typed note",
        expected_status="pending",
    )  # fmt: skip
    assert response.status_code == 409
    assert "An editor name is required" in response.text
    assert ">typed note</textarea>" in response.text
    assert status_of(db_path, flags[0]) == "pending"


def test_a_stale_decision_is_refused(client, flags, db_path):
    decide(client, flags[0], action="dismiss", editor="Bob", expected_status="pending")
    response = decide(client, flags[0], action="confirm", editor="Ann", expected_status="pending")
    assert response.status_code == 409
    assert "changed to dismissed while you were looking at it" in response.text
    assert status_of(db_path, flags[0]) == "dismissed"


def test_posts_without_the_csrf_token_are_refused(client, flags, db_path):
    url = f"/flags/{flags[0]}/decision"
    form = {"action": "confirm", "editor": "Mallory"}
    client.get("/")  # the browser has its cookie, but the form lacks the token
    assert client.post(url, data=form).status_code == 403
    assert client.post(url, data={**form, "csrf_token": "forged.value"}).status_code == 403
    # A token from another browser's session does not match this browser's cookie.
    other = TestClient(client.app, base_url=LOCAL)
    assert client.post(url, data={**form, "csrf_token": csrf(other)}).status_code == 403
    # A valid token sent from another site's page.
    token = csrf(client)
    cross = client.post(
        url, data={**form, "csrf_token": token}, headers={"origin": "https://evil.example"}
    )
    assert cross.status_code == 403
    assert status_of(db_path, flags[0]) == "pending"


def test_writes_are_post_only(client, flags, db_path):
    assert client.get(f"/flags/{flags[0]}/decision?action=confirm&editor=A").status_code == 405
    assert status_of(db_path, flags[0]) == "pending"


# ----------------------------------------------------------------- quotes
def test_quotes_by_speaker_are_typo_tolerant(client, flags):
    page = client.get("/quotes?speaker=Umierov")
    assert "Speaker: <strong>Rustem Umerov</strong>" in page.text
    assert STORED_QUOTE in page.text
    assert STORED_QUOTE in client.get("/quotes?speaker=umerov&text=prisoners").text
    assert "No quotes match." in client.get("/quotes?speaker=umerov&text=ceasefire").text
    assert "No speaker matches" in client.get("/quotes?speaker=Zelensky").text


# ----------------------------------------------------------------- checking an article
def test_submitting_an_article_finds_the_contradiction_and_queues_it(client, factories, db_path):
    store = Store.open(db_path)
    from claimcheck.archive.ingest import store_articles
    from claimcheck.read import article_from_text

    stored = article_from_text(STORED_ARTICLE, outlet="Kyiv Independent", published="2025-05-16")
    store_articles(store, [stored], HashingEmbedder())
    store.close()

    token = csrf(client)
    form = {"csrf_token": token, "text": NEW_ARTICLE, "outlet": "Meridian Wire", "title": ""}
    response = client.post("/check", data=form, follow_redirects=False)
    assert response.status_code == 303
    run = client.get(response.headers["location"])
    assert "1 contradict" in run.text
    flag_id = int(re.search(r'href="/flags/(\d+)">Review flag', run.text).group(1))
    flag = client.get(f"/flags/{flag_id}").text
    assert "<mark>500 prisoners each</mark>" in flag or "<mark>500</mark>" in flag
    assert "Meridian Wire" in flag
    # Checking the same text again: a new run, but no duplicate flag; models loaded once.
    again = client.post("/check", data=form, follow_redirects=False)
    assert again.headers["location"] != response.headers["location"]
    store = Store.open(db_path)
    assert store.db["flags"].count == 1
    assert store.db["check_runs"].count == 2
    store.close()
    assert factories.loads == 1


def test_check_errors_are_shown_on_the_form(client):
    token = csrf(client)
    empty = client.post("/check", data={"csrf_token": token, "text": "  "})
    assert empty.status_code == 400 and "Paste the article" in empty.text
    bad_date = client.post(
        "/check", data={"csrf_token": token, "text": NEW_ARTICLE, "published": "16 May"}
    )
    assert bad_date.status_code == 400
    assert "is not a date like 2025-05-16" in bad_date.text
    assert "Talks end quickly" in bad_date.text  # the pasted text is kept


def test_a_model_that_cannot_load_is_reported_and_retried_later(db_path):
    attempts = []

    def broken():
        attempts.append(1)
        raise ModelError("Cannot load embedding model 'x': missing files")

    client = TestClient(
        create_app(str(db_path), embedder_factory=broken, judge_factory=object), base_url=LOCAL
    )
    token = csrf(client)
    for _ in range(2):
        page = client.post("/check", data={"csrf_token": token, "text": NEW_ARTICLE})
        assert page.status_code == 400
        assert "Cannot load embedding model" in page.text
    assert len(attempts) == 2


# ----------------------------------------------------------------- access token
TOKEN = "s3cret-newsroom-token"


def test_a_token_is_required_for_every_page_when_set(db_path, flags):
    app = create_app(str(db_path), embedder_factory=object, judge_factory=object, token=TOKEN)
    client = TestClient(app, base_url=LOCAL)
    for path in ("/", f"/flags/{flags[0]}", "/quotes", "/check", "/static/style.css"):
        assert client.get(path).status_code == 401
    assert client.get("/?token=wrong").status_code == 401
    assert client.get("/", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200
    entry = client.get(f"/?token={TOKEN}&status=pending", follow_redirects=False)
    assert entry.status_code == 303
    assert entry.headers["location"] == "/?status=pending"  # the token leaves the address bar
    assert TOKEN not in entry.headers["set-cookie"]
    assert client.get(f"/flags/{flags[0]}").status_code == 200  # the cookie now carries it


def test_check_refuses_an_address_that_is_not_a_web_address(client):
    form = {"csrf_token": csrf(client), "text": NEW_ARTICLE, "url": "javascript:alert(1)"}
    page = client.post("/check", data=form)
    assert page.status_code == 400
    assert "The address must start with http:// or https://." in page.text


def test_queue_pages_through_long_lists(client, db_path, monkeypatch):
    import claimcheck.web.app as web_app

    monkeypatch.setattr(web_app, "QUEUE_PAGE_SIZE", 2)
    store = Store.open(db_path)
    stored = add_stored_article(store)
    ids = [submit_contradiction(store, stored, number=str(n)).flag_ids[0] for n in range(5)]
    store.close()
    app = create_app(str(db_path), embedder_factory=object, judge_factory=object)
    paged = TestClient(app, base_url=LOCAL)
    first = paged.get("/?status=pending")
    assert [int(r) for r in re.findall(r'<td class="id"><a href="/flags/(\d+)', first.text)] == ids[
        :2
    ]
    assert "Showing 2 of 5." in first.text
    third = paged.get("/?status=pending&page=3")
    assert [int(r) for r in re.findall(r'<td class="id"><a href="/flags/(\d+)', third.text)] == ids[
        4:
    ]
    assert "Next page" not in third.text


def test_a_decision_the_database_refuses_is_a_page_not_a_crash(client, flags, db_path, monkeypatch):
    import sqlite3

    import sqlite_utils.db

    real_insert = sqlite_utils.db.Table.insert

    def disk_full(self, record, *args, **kwargs):
        if self.name == "flag_events":
            raise sqlite3.OperationalError("database or disk is full")
        return real_insert(self, record, *args, **kwargs)

    token = csrf(client, f"/flags/{flags[0]}")
    monkeypatch.setattr(sqlite_utils.db.Table, "insert", disk_full)
    response = client.post(
        f"/flags/{flags[0]}/decision",
        data={
            "csrf_token": token,
            "action": "confirm",
            "editor": "Ann",
            "expected_status": "pending",
        },  # fmt: skip
        follow_redirects=False,
    )
    assert response.status_code == 503
    assert "disk is full" in response.text
    monkeypatch.undo()
    assert status_of(db_path, flags[0]) == "pending"

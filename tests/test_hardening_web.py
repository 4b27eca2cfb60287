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

ARTICLE = (
    "Talks end\n\nRustem Umerov said the prisoner swap was agreed on Friday.\n\n"
    '"We will meet again next week," Umerov told reporters.\n'
)


def make_client(db_path) -> TestClient:
    from claimcheck.judge import load_judge

    app = web_app.create_app(
        str(db_path), embedder_factory=HashingEmbedder, judge_factory=load_judge
    )
    return TestClient(app, raise_server_exceptions=False)


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

"""A corrected story replaces the stored one: one article, its next version, no duplicate claim,
only changed claims embedded, flags still pointing at what they cited; and articles can be
listed and removed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import SEED, HashingEmbedder
from reviewdata import add_stored_article, submit_contradiction

from claimcheck.archive import Store, load_index, remove_article
from claimcheck.cli import cli

CORRECTION = (
    "Turkish foreign minister Hakan Fidan said the delegations would meet again in Istanbul "
    "next month."
)


class CountingEmbedder(HashingEmbedder):
    """The test embedder, counting the texts it is asked to encode."""

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded.extend(texts)
        return super().encode(texts)


@pytest.fixture
def counting(monkeypatch) -> CountingEmbedder:
    import claimcheck.embed

    embedder = CountingEmbedder()
    monkeypatch.setattr(claimcheck.embed, "load_embedder", lambda model=None: embedder)
    return embedder


@pytest.fixture
def story(tmp_path) -> Path:
    path = tmp_path / "desk" / "istanbul-talks.txt"
    path.parent.mkdir()
    path.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    path.with_suffix(".json").write_text(
        SEED.with_suffix(".json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return path


def ingest(*args) -> dict:
    result = CliRunner().invoke(cli, ["ingest", *map(str, args), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.splitlines()[-1])


def rows(db_path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


def correct(path: Path, *, add: str = "", drop: str = "") -> None:
    """Edit the story as a desk would: add a paragraph after the third, drop one."""
    paragraphs = path.read_text(encoding="utf-8").split("\n")
    if drop:
        paragraphs = [p for p in paragraphs if drop not in p]
    if add:
        paragraphs.insert(3, add)
    path.write_text("\n".join(paragraphs), encoding="utf-8")


def test_a_corrected_story_replaces_the_stored_one(story, counting, db_path):
    first = ingest(story)
    assert first["articles_added"] == 1
    before = {
        (quote, claim_id)
        for claim_id, quote in rows(db_path, "select id, quote from claims order by id")
    }
    encoded_first = len(counting.encoded)
    assert encoded_first == len(before)

    correct(story, add=CORRECTION)
    second = ingest(story)
    assert (second["articles_added"], second["articles_updated"]) == (0, 1)

    articles = rows(db_path, "select id, version, updated_at, claim_count from articles")
    assert len(articles) == 1
    article_id, version, updated_at, claim_count = articles[0]
    assert version == 2 and updated_at
    claims = rows(db_path, "select id, quote, start from claims where article_id = ?", (1,))
    assert len(claims) == claim_count
    quotes = [quote for _, quote, _ in claims]
    assert len(quotes) == len(set(quotes)), "a claim is stored twice"
    # Only the new paragraph's claims were embedded; every unchanged claim kept its row and id.
    new_texts = counting.encoded[encoded_first:]
    assert new_texts and all("Fidan" in text or "Istanbul" in text for text in new_texts)
    assert second["claims_encoded"] == len(new_texts) < 4
    after = {(quote, claim_id) for claim_id, quote, _ in claims}
    assert before <= after
    assert len(after - before) == second["claims_changed"] >= 1
    # Offsets follow the text: each kept claim still quotes exactly what it points at.
    text = rows(db_path, "select text from articles")[0][0]
    for _, quote, start in claims:
        assert text[start : start + len(quote)] == quote
    # The version it replaced is kept.
    kept = rows(db_path, "select article_id, version, claim_count from article_versions")
    assert kept == [(article_id, 1, len(before))]
    # One vector per claim, and the keyword index has exactly the current claims.
    assert rows(db_path, "select count(*) from embeddings")[0][0] == claim_count
    assert rows(db_path, "select count(*) from claims_fts")[0][0] == claim_count
    fidan = CliRunner().invoke(cli, ["quotes", "Fidan", "--json"]).output.splitlines()
    assert len([line for line in fidan if "next month" in line]) == 1
    assert len(fidan) == len(set(fidan))

    # The identical file again, and the earlier version's text again: nothing changes.
    encoded = len(counting.encoded)
    assert ingest(story)["articles_skipped"] == 1
    story.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    older = ingest(story)
    assert older["articles_skipped"] == 1 and older["articles_updated"] == 0
    assert rows(db_path, "select version from articles") == [(2,)]
    assert len(counting.encoded) == encoded


def test_a_correction_that_drops_a_claim_removes_it_and_its_vector(story, counting, db_path):
    ingest(story)
    dropped = "He confirmed that the Ukrainian side had requested a face-to-face meeting"
    gone = rows(db_path, "select id, quote from claims where quote like ?", (f"%{dropped[3:40]}%",))
    assert gone
    correct(story, drop=dropped)
    summary = ingest(story)
    assert summary["articles_updated"] == 1 and summary["claims_removed"] >= 1
    assert summary["claims_encoded"] == 0  # nothing new to say: no text embedded at all
    ids = [claim_id for claim_id, _ in gone]
    marks = ",".join("?" * len(ids))
    assert not rows(db_path, f"select id from claims where id in ({marks})", tuple(ids))
    assert not rows(
        db_path, f"select claim_id from embeddings where claim_id in ({marks})", tuple(ids)
    )
    removed = rows(
        db_path,
        f"select claim_id, reason, article_version from removed_claims where claim_id in ({marks})",
        tuple(ids),
    )
    assert {(r[1], r[2]) for r in removed} == {("corrected", 1)} and len(removed) == len(ids)


def test_the_matrix_cache_follows_a_correction(story, counting, db_path):
    ingest(story)
    store = Store.open(db_path)
    try:
        index = load_index(store, counting.name)
        generation = store.vectors_generation()
        correct(story, add=CORRECTION, drop="Prisoners of war exchanges")
        ingest(story)
        assert store.vectors_generation() > generation
        index = load_index(store, counting.name)
        stored_ids, matrix = store.load_vectors(counting.name)
        assert sorted(np.asarray(index.ids).tolist()) == sorted(stored_ids.tolist())
        assert len(index.ids) == store.claim_count()
    finally:
        store.close()


def test_identity_is_the_canonical_url_else_the_file_and_outlet(tmp_path, counting, db_path):
    page = tmp_path / "a.txt"
    page.write_text(
        "Bridge opens\nMayor Helen Carter said the bridge would open in May.\n", encoding="utf-8"
    )
    ingest(page, "--outlet", "Vale Courier")
    # The same file under another outlet is another article.
    page.write_text(
        "Bridge opens\nMayor Helen Carter said the bridge would open in June.\n", encoding="utf-8"
    )
    ingest(page, "--outlet", "Harbour Herald")
    assert rows(db_path, "select count(*) from articles")[0][0] == 2
    # The same canonical URL from another file (with tracking and a trailing slash) is the same.
    copy = tmp_path / "b.txt"
    copy.write_text(
        "Bridge opens\nMayor Helen Carter said the bridge would open in July.\n", encoding="utf-8"
    )
    ingest(copy, "--url", "https://valecourier.example/bridge")
    copy.write_text(
        "Bridge opens\nMayor Helen Carter said the bridge would open in August.\n",
        encoding="utf-8",
    )
    ingest(copy, "--url", "https://www.valecourier.example/bridge/?utm_source=x")
    assert rows(db_path, "select count(*) from articles")[0][0] == 3
    assert rows(db_path, "select max(version) from articles")[0][0] == 2
    # A file name reused for another story (new title, nothing in common) is a new article.
    page.write_text(
        "Ferry fares rise\nThe ferry operator said fares would rise by 5 percent in May.\n",
        encoding="utf-8",
    )
    summary = ingest(page, "--outlet", "Harbour Herald")
    assert (summary["articles_added"], summary["articles_updated"]) == (1, 0)
    assert rows(db_path, "select count(*) from articles")[0][0] == 4
    assert rows(db_path, "select count(*) from articles where title = 'Bridge opens'")[0][0] == 3


def test_flags_keep_what_they_cited_through_corrections(story, counting, db_path, tmp_path):
    ingest(story)
    checked = tmp_path / "rival.txt"
    checked.write_text(
        "Swap\n\nThe two sides agreed to exchange 500 prisoners of war on each side.\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["check", str(checked), "--outlet", "Daily Briefing"]).exit_code == 0
    flag_id, cited = rows(db_path, "select id, stored_claim_id from flags order by id")[0]
    (quote,) = rows(db_path, "select quote from claims where id = ?", (cited,))[0]
    listed = runner.invoke(cli, ["review", "list"]).output
    assert quote[:40] in listed and "removed" not in listed

    # A correction that keeps the cited claim: the flag still cites the same claim row.
    correct(story, add=CORRECTION)
    assert ingest(story)["articles_updated"] == 1
    assert rows(db_path, "select stored_claim_id from flags where id = ?", (flag_id,)) == [(cited,)]
    shown = runner.invoke(cli, ["review", "show", str(flag_id)]).output
    assert f"Conflicts with claim #{cited}" in shown

    # A correction without it: the flag says the claim is gone, and what it said.
    paragraph = next(p for p in story.read_text(encoding="utf-8").split("\n") if quote in p)
    correct(story, drop=paragraph)
    assert ingest(story)["claims_removed"] >= 1
    assert rows(
        db_path, "select stored_claim_id, removed_claim_id from flags where id = ?", (flag_id,)
    ) == [(None, cited)]
    listed = runner.invoke(cli, ["review", "list"]).output
    assert quote[:40] in listed and "removed when article 1 was corrected" in listed
    shown = runner.invoke(cli, ["review", "show", str(flag_id)])
    assert shown.exit_code == 0, shown.output
    assert f"Cited claim #{cited} by " in shown.output
    assert "removed when article 1 was corrected (version 3 no longer says it)" in shown.output
    as_json = json.loads(runner.invoke(cli, ["review", "show", str(flag_id), "--json"]).output)
    assert cited not in [c["id"] for c in as_json["stored_claims"]]
    assert [c["quote"] for c in as_json["removed_claims"]] == [quote]
    # The web page says so too.
    from starlette.testclient import TestClient

    from claimcheck.web.app import create_app

    app = create_app(str(db_path), embedder_factory=lambda: counting, judge_factory=lambda: None)
    client = TestClient(app, base_url="http://127.0.0.1")
    page_html = client.get(f"/flags/{flag_id}").text
    assert "removed when article 1 was corrected" in page_html
    queue_html = client.get("/").text
    assert "removed when article 1 was corrected" in queue_html
    # No flag cites a claim that does not exist (doctor's orphan check stays clean).
    assert not rows(
        db_path,
        "select id from flags where stored_claim_id is not null "
        "and stored_claim_id not in (select id from claims)",
    )


def test_articles_lists_and_removes_with_confirmation(story, counting, db_path, monkeypatch):
    ingest(story)
    runner = CliRunner()
    listed = runner.invoke(cli, ["articles"])
    assert listed.exit_code == 0
    assert "[1] Ukraine–Russia talks in Istanbul" in listed.output
    assert "Financial Times, 2025-05-16" in listed.output and str(story) in listed.output
    row = json.loads(runner.invoke(cli, ["articles", "--json"]).output)
    assert (row["id"], row["version"], row["source"]) == (1, 1, str(story))
    claims = row["claims"]
    assert claims == rows(db_path, "select count(*) from claims")[0][0] > 0

    # No terminal and no --yes: refused in one line, nothing removed.
    refused = runner.invoke(cli, ["articles", "remove", "1"])
    assert refused.exit_code == 1
    assert refused.output.strip().splitlines() == [
        "Error: Removing article 1 (Ukraine–Russia talks in Istanbul: prisoner swap agreed, no "
        f"ceasefire) and its {claims} claim(s) needs --yes (there is no terminal to ask on; "
        "nothing was removed)."
    ]
    assert rows(db_path, "select count(*) from claims")[0][0] == claims
    # At a terminal, answering no keeps it; yes removes it.
    monkeypatch.setattr("claimcheck.cli.articles._can_ask", lambda: True)
    kept = runner.invoke(cli, ["articles", "remove", "1"], input="n\n")
    assert kept.exit_code == 1 and "Nothing was removed." in kept.output
    generation = rows(db_path, "select value from meta where key = 'vectors_generation'")[0][0]
    done = runner.invoke(cli, ["articles", "remove", "1"], input="y\n")
    assert done.exit_code == 0 and f"Removed article 1 and {claims} claim(s)." in done.output
    for table in ("articles", "claims", "embeddings", "claims_fts", "article_versions"):
        assert rows(db_path, f"select count(*) from [{table}]")[0][0] == 0, table
    assert int(
        rows(db_path, "select value from meta where key = 'vectors_generation'")[0][0]
    ) > int(generation)
    missing = runner.invoke(cli, ["articles", "remove", "1", "--yes"])
    assert missing.exit_code == 1 and "There is no article 1." in missing.output
    assert "No articles stored" in runner.invoke(cli, ["articles"]).output


def test_remove_article_keeps_flags_readable(db_path):
    store = Store.open(db_path)
    stored = add_stored_article(store)
    flag_id = submit_contradiction(store, stored).flag_ids[0]
    assert remove_article(store, stored.claim.article_id) == 1
    store.close()
    shown = CliRunner().invoke(cli, ["review", "show", str(flag_id)])
    assert shown.exit_code == 0
    assert "removed with article 1" in shown.output


def test_a_schema_2_database_is_upgraded_with_identities(tmp_path):
    from sqlite_utils import Database

    from claimcheck.archive.migrations import migrations

    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m003_article_versions")
    db["articles"].insert(
        {
            "outlet": "Vale Courier",
            "title": "Bridge",
            "url": "https://www.valecourier.example/bridge/",
            "text": "Bridge",
            "content_hash": "x",
            "source_path": "bridge.txt",
            "ingested_at": "2025-01-01T00:00:00+00:00",
            "claim_count": 0,
        }
    )
    db.conn.close()
    store = Store.open(path)
    try:
        row = store.db.execute("select identity, version from articles").fetchone()
        assert row == ("url:https://valecourier.example/bridge", 1)
        assert "removed_claim_id" in store.db["flags"].columns_dict
    finally:
        store.close()


def test_check_save_of_a_corrected_story_replaces_it(story, counting, db_path):
    ingest(story)
    claims = rows(db_path, "select count(*) from claims")[0][0]
    correct(story, add=CORRECTION)
    result = CliRunner().invoke(cli, ["check", str(story), "--save", "--json"])
    assert result.exit_code == 0, result.output
    assert rows(db_path, "select count(*), max(version) from articles") == [(1, 2)]
    assert rows(db_path, "select saved_article_id from check_runs") == [(1,)]
    assert claims < rows(db_path, "select count(*) from claims")[0][0] <= claims + 3


def test_speakers_follow_removals_and_corrections(story, counting, db_path):
    ingest(story)
    runner = CliRunner()
    speakers = {name for (name,) in rows(db_path, "select name from speakers")}
    assert "Hakan Fidan" in speakers
    # A correction that drops every claim of one speaker: that speaker is no longer offered.
    fidan = [q for (q,) in rows(db_path, "select quote from claims where speaker = 'Hakan Fidan'")]
    assert fidan
    text = story.read_text(encoding="utf-8")
    kept = [p for p in text.split("\n") if not any(q in p for q in fidan)]
    story.write_text("\n".join(kept), encoding="utf-8")
    assert ingest(story)["articles_updated"] == 1
    assert not rows(db_path, "select id from speakers where name = 'Hakan Fidan'")
    assert not rows(db_path, "select alias from speaker_aliases where alias like '%Fidan%'")
    assert "Fidan" not in runner.invoke(cli, ["speakers"]).output
    # Removing the article leaves no speaker behind (no flag names any of them).
    assert runner.invoke(cli, ["articles", "remove", "1", "--yes"]).exit_code == 0
    assert rows(db_path, "select count(*) from speakers")[0][0] == 0
    assert rows(db_path, "select count(*) from speaker_aliases")[0][0] == 0

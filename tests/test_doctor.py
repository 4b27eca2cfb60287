"""`claimcheck doctor`: finds each kind of damage, repairs the safe ones, fails while any remain."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest
from click.testing import CliRunner

from claimcheck.archive.store import Store
from claimcheck.cli import cli

ARTICLE = (
    "Talks end\n\nRustem Umerov said the prisoner swap was agreed on Friday.\n\n"
    '"We will meet again next week," Umerov told reporters.\n\n'
    "Kremlin aide Vladimir Medinsky said Russia was satisfied with the talks.\n"
)


@pytest.fixture
def runner(monkeypatch, embedder):
    import claimcheck.embed

    monkeypatch.setattr(claimcheck.embed, "load_embedder", lambda model=None: embedder)
    monkeypatch.setenv("CLAIMCHECK_MODEL", embedder.name)
    return CliRunner()


@pytest.fixture
def ingested(runner, tmp_path, db_path):
    for i, day in enumerate(["Friday", "Monday"]):
        path = tmp_path / f"a{i}.txt"
        path.write_text(ARTICLE.replace("Friday", day), encoding="utf-8")
        result = runner.invoke(cli, ["ingest", str(path)])
        assert result.exit_code == 0, result.output
    return db_path


def doctor(runner, *args) -> tuple[int, dict]:
    result = runner.invoke(cli, ["doctor", "--json", *args])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.output.splitlines()[-1])


def findings(report: dict) -> dict[str, dict]:
    return {f["code"]: f for f in report["findings"]}


def test_a_healthy_database_passes(runner, ingested):
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "No problems found." in result.output
    code, report = doctor(runner)
    assert code == 0 and report["ok"] and report["claims"] > 0
    assert all(f["ok"] for f in report["findings"])


def damage(db_path) -> dict[str, int]:
    """Break the archive the ways hand edits and crashes of other tools do."""
    conn = sqlite3.connect(db_path)  # foreign keys off, as in the sqlite3 shell
    claim_ids = [r[0] for r in conn.execute("select id from claims order by id")]
    conn.execute("delete from embeddings where claim_id in (?, ?)", claim_ids[:2])
    conn.execute("update embeddings set model = 'another-model' where claim_id = ?", [claim_ids[2]])
    conn.execute(
        "update embeddings set vector = substr(vector, 1, 100) where claim_id = ?", [claim_ids[3]]
    )
    conn.execute("update claims set assertion = 'Edited by hand' where id = ?", [claim_ids[4]])
    conn.execute(
        "insert into speaker_aliases (speaker_id, alias, folded) values (9999, 'Ghost', 'ghost')"
    )
    conn.execute(
        "insert into flags (fingerprint, stored_claim_id, status) values ('x', 9999, 'pending')"
    )
    # An alias key folded by an older claimcheck (before "ł" was folded to "l").
    conn.execute(
        "insert into speaker_aliases (speaker_id, alias, folded) "
        "select min(id), 'Wałęsa', 'wałesa' from speakers"
    )
    # A claim deleted without the trigger that keeps the keyword index in step.
    conn.execute("drop trigger claims_ad")
    victim = claim_ids[-1]  # the last claim of the second article; the edits above are earlier
    conn.execute("delete from claims where id = ?", [victim])  # its vector is now an orphan
    conn.commit()
    conn.close()
    return {"victim": victim, "edited": claim_ids[4], "unembedded": claim_ids[0]}


def test_doctor_finds_each_kind_of_damage(runner, ingested):
    damage(ingested)
    code, report = doctor(runner)
    assert code == 1 and not report["ok"]
    found = findings(report)
    assert found["integrity"]["ok"] and found["schema"]["ok"]
    assert found["vectors"]["count"] == 5  # 2 missing, 1 other model, 1 truncated, 1 stale
    assert found["orphan_embeddings"]["count"] == 1
    assert found["orphan_aliases"]["count"] == 1
    assert found["orphan_flags"]["count"] == 1
    assert found["claim_counts"]["count"] == 1
    assert found["alias_keys"]["count"] == 1
    assert not found["keyword_index"]["ok"]
    assert found["orphan_claims"]["ok"] and found["claims_without_speaker"]["ok"]
    human = runner.invoke(cli, ["doctor"])
    assert human.exit_code == 1
    assert "Run 'claimcheck doctor --repair'" in human.output
    assert "problem(s) remain" in human.output


def test_repair_fixes_what_is_safe_and_reports_the_rest(runner, ingested, embedder):
    hurt = damage(ingested)
    generation_before = Store.open(ingested).vectors_generation()
    code, report = doctor(runner, "--repair", "--yes")  # one vector is of another model
    found = findings(report)
    assert code == 1  # a lost claim and a dangling flag need a person
    assert {f["code"] for f in report["findings"] if not f["ok"]} == {
        "claim_counts",
        "orphan_flags",
    }
    assert "Embedded 5 claim(s) again" in found["vectors"]["repaired"]
    assert found["keyword_index"]["repaired"] and found["keyword_index"]["ok"]
    assert found["orphan_embeddings"]["repaired"] and found["orphan_aliases"]["repaired"]
    assert found["claim_counts"]["advice"]
    assert found["alias_keys"]["ok"] and found["alias_keys"]["repaired"]

    store = Store.open(ingested)
    try:
        assert store.vectors_generation() > generation_before  # caches reload
        ids, matrix = store.load_vectors(embedder.name)
        assert set(ids.tolist()) == {r[0] for r in store.db.execute("select id from claims")}
        row = list(ids).index(hurt["edited"])
        assert np.allclose(matrix[row], embedder.encode(["Edited by hand"])[0])
        # The rebuilt keyword index finds claims again, and not the deleted one.
        hits = store.keyword_candidates("Medinsky Russia satisfied", limit=10)
        assert hits and hurt["victim"] not in hits
        triggers = {
            r[0] for r in store.db.execute("select name from sqlite_master where type = 'trigger'")
        }
        assert "claims_ad" in triggers
    finally:
        store.close()
    # A second repair has nothing more it may do, and changes nothing.
    again_code, again = doctor(runner, "--repair")
    assert again_code == 1
    assert not any(f["repaired"] for f in again["findings"])


def test_doctor_on_a_file_that_is_not_a_database(runner, db_path):
    db_path.write_text("not a database")
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert result.output.startswith("Error:") and "not a SQLite database" in result.output


def test_doctor_without_a_database(runner, db_path):
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 1 and "No database" in result.output
    assert not db_path.exists()


def test_doctor_on_a_corrupted_file_fails_in_one_line(runner, ingested):
    data = bytearray(ingested.read_bytes())
    # Overwrite pages after the header: the file still says SQLite but its b-trees are garbage.
    conn = sqlite3.connect(ingested)
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    data = bytearray(ingested.read_bytes())
    page = 4096
    for offset in range(page, len(data) - page, page * 3):
        data[offset + 10 : offset + 400] = b"\xa5" * 390
    ingested.write_bytes(bytes(data))
    result = runner.invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    # Depending on which pages the damage hits, opening or the integrity check reports it.
    assert any(
        words in result.output for words in ("integrity check failed", "damaged", "malformed")
    )


def test_repair_on_a_read_only_database_says_so(runner, ingested, monkeypatch):
    import claimcheck.archive.connection

    damage(ingested)
    monkeypatch.setattr(claimcheck.archive.connection, "is_read_only", lambda path: True)
    result = runner.invoke(cli, ["doctor", "--repair"])
    assert result.exit_code == 1
    assert "read-only; --repair needs write access" in result.output


def test_repair_asks_before_replacing_vectors_of_another_model(runner, ingested, monkeypatch):
    import claimcheck.cli.doctor as doctor_cli

    def other_model_vectors() -> int:
        conn = sqlite3.connect(ingested)
        n = conn.execute("select count(*) from embeddings where model = 'other'").fetchone()[0]
        conn.close()
        return n

    conn = sqlite3.connect(ingested)
    conn.execute("update embeddings set model = 'other' where claim_id in (1, 2)")
    conn.commit()
    conn.close()
    # No terminal to ask on, and no --yes: refused in one line, nothing replaced.
    refused = runner.invoke(cli, ["doctor", "--repair"])
    assert refused.exit_code == 1 and len(refused.output.strip().splitlines()) == 1
    assert "2 claim vector(s) of other" in refused.output and "--yes" in refused.output
    assert other_model_vectors() == 2
    # On a terminal, "no" changes nothing; "yes" replaces them.
    monkeypatch.setattr(doctor_cli, "can_ask", lambda: True)
    declined = runner.invoke(cli, ["doctor", "--repair"], input="n\n")
    assert declined.exit_code == 1 and "Nothing was repaired" in declined.output
    assert other_model_vectors() == 2
    accepted = runner.invoke(cli, ["doctor", "--repair"], input="y\n")
    assert "Replace them?" in accepted.output and "Embedded 2 claim(s) again" in accepted.output
    assert accepted.exit_code == 0, accepted.output
    assert other_model_vectors() == 0


def test_repair_yes_replaces_vectors_of_another_model_without_asking(runner, ingested):
    conn = sqlite3.connect(ingested)
    conn.execute("update embeddings set model = 'other' where claim_id = 1")
    conn.commit()
    conn.close()
    result = runner.invoke(cli, ["doctor", "--repair", "--yes"])
    assert result.exit_code == 0, result.output
    assert "Replace them?" not in result.output and "Embedded 1 claim(s) again" in result.output


def test_repair_of_missing_vectors_alone_does_not_ask(runner, ingested):
    conn = sqlite3.connect(ingested)
    conn.execute("delete from embeddings where claim_id = 1")
    conn.commit()
    conn.close()
    result = runner.invoke(cli, ["doctor", "--repair"])
    assert result.exit_code == 0, result.output

"""The command line, through click's CliRunner, on the founding corpus with a fake embedder."""

import json

import pytest
from click.testing import CliRunner

from claimcheck import __version__
from claimcheck.cli import cli


@pytest.fixture
def runner(monkeypatch, embedder):
    import claimcheck.embed

    monkeypatch.setattr(claimcheck.embed, "load_embedder", lambda model=None: embedder)
    return CliRunner()


@pytest.fixture
def ingested(runner, corpus_copy):
    result = runner.invoke(cli, ["ingest", str(corpus_copy)])
    assert result.exit_code == 0, result.output
    return result


def claims_json(runner, *args):
    result = runner.invoke(cli, ["claims", "--json", *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_version_and_help(runner):
    assert __version__ in runner.invoke(cli, ["--version"]).output
    assert "Usage" in runner.invoke(cli, ["-h"]).output


def test_ingest_reports_and_is_idempotent(runner, corpus_copy, ingested):
    assert "Added 1 article(s)" in ingested.output
    again = runner.invoke(cli, ["ingest", str(corpus_copy)])
    assert again.exit_code == 0
    assert "Added 0 article(s)" in again.output and "1 already stored" in again.output


def test_claims_json_contract(runner, ingested, seed_text):
    rows = claims_json(runner)
    assert len(rows) >= 25
    required = {
        "id",
        "article_id",
        "speaker",
        "speaker_mention",
        "kind",
        "quote",
        "assertion",
        "start",
        "end",
        "paragraph",
    }
    for row in rows:
        assert required <= set(row)
        assert seed_text[row["start"] : row["end"]] == row["quote"]
        assert row["kind"] in {"direct", "indirect", "unattributed"}


def test_quotes_by_speaker_tolerates_spelling(runner, ingested):
    for query in ["Zelensky", "zelenskiy", "Volodymyr Zelenskyy", "President Zelenskyy"]:
        result = runner.invoke(cli, ["quotes", query, "--json"])
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert rows, query
        assert {r["speaker"] for r in rows} == {"Volodymyr Zelenskyy"}, query
    umerov = runner.invoke(cli, ["quotes", "Umierov", "--json"]).stdout.splitlines()
    assert umerov and all(json.loads(r)["speaker"] == "Rustem Umerov" for r in umerov)


def test_quotes_with_text_filter(runner, ingested):
    result = runner.invoke(cli, ["quotes", "Zelensky", "--text", "sanctions", "--json"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(
        "sanctions" in r["quote"].lower() or "sanctions" in r["assertion"].lower() for r in rows
    )


def test_no_quotes_for_someone_who_never_spoke(runner, ingested):
    result = runner.invoke(cli, ["quotes", "Putin", "--json"])
    assert result.exit_code == 0
    assert result.stdout.strip() == ""
    assert "No speaker matches" in runner.invoke(cli, ["quotes", "Putin"]).output


def test_speakers_lists_canonical_names(runner, ingested):
    result = runner.invoke(cli, ["speakers", "--json"])
    names = {json.loads(line)["name"] for line in result.stdout.splitlines()}
    assert {"Volodymyr Zelenskyy", "Rustem Umerov", "Vladimir Medinsky", "Financial Times"} <= names
    assert "Vladimir Putin" not in names


def test_missing_path_is_one_clear_error(runner, tmp_path):
    result = runner.invoke(cli, ["ingest", str(tmp_path / "nope.txt")])
    assert result.exit_code != 0
    assert "does not exist" in result.output
    assert "Traceback" not in result.output


def test_not_a_database_is_one_clear_error(runner, tmp_path, corpus_copy):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"hello, this is not sqlite at all")
    result = runner.invoke(cli, ["-d", str(bad), "claims"])
    assert result.exit_code == 1
    assert "not a SQLite database" in result.output
    assert bad.read_bytes() == b"hello, this is not sqlite at all"


def test_empty_file_changes_nothing(runner, tmp_path, db_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    result = runner.invoke(cli, ["ingest", str(empty)])
    assert result.exit_code == 1
    assert "empty" in result.output


def test_check_reports_contradiction_and_records_flag(runner, ingested, tmp_path):
    story = tmp_path / "brief.txt"
    story.write_text(
        "Talks end in Geneva\n\n"
        "The talks in Istanbul wrapped up after five hours, officials said.\n"
    )
    result = runner.invoke(cli, ["check", str(story), "--json", "--outlet", "Daily Briefing"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows
    for row in rows:
        assert {
            "speaker",
            "kind",
            "quote",
            "assertion",
            "start",
            "end",
            "verdict",
            "confidence",
            "matches",
        } <= set(row)
        for m in row["matches"]:
            assert {
                "claim_id",
                "article_id",
                "speaker",
                "quote",
                "relation",
                "score",
                "reasons",
            } <= set(m)


def test_check_reads_standard_input(runner, ingested):
    result = runner.invoke(
        cli, ["check", "-", "--json"], input="Headline\n\nZelenskyy said US support is essential.\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip()


def test_check_on_a_read_only_archive_reports_without_recording(
    runner, ingested, monkeypatch, db_path
):
    import sqlite3

    import claimcheck.archive.connection as connection

    monkeypatch.setattr(connection, "is_read_only", lambda path: True)
    text = "Talks\n\nThe meeting in Istanbul lasted five hours.\n"
    result = runner.invoke(cli, ["check", "-", "--json"], input=text)
    assert result.exit_code == 0, result.output
    assert "not recorded" in result.stderr
    assert [json.loads(line)["verdict"] for line in result.stdout.splitlines()]
    saved = runner.invoke(cli, ["check", "-", "--save"], input=text)
    assert saved.exit_code == 1 and "read-only" in saved.output
    conn = sqlite3.connect(db_path)
    assert conn.execute("select count(*) from check_runs").fetchone()[0] == 0
    conn.close()

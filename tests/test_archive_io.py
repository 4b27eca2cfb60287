"""Backup, archive export and import: everything comes back, and nothing overwrites the archive.

The round trip is run through the command line on a real archive (the corpus and a second
article ingested, a check that raises flags, an editor's decisions with notes) with the fake
embedder, and every table is compared row by row, ids and vector bytes included.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from claimcheck.archive import Store
from claimcheck.archive.portable import NOT_CARRIED, RECORD_TABLES
from claimcheck.cli import cli

SECOND = (
    "Talks resume\n\nRustem Umerov said the prisoner swap was agreed on Friday.\n\n"
    '"We will meet again next week," Umerov told reporters.\n'
)
CHECKED = "Swap\n\nThe two sides agreed to exchange 500 prisoners of war on each side.\n"


@pytest.fixture
def runner(monkeypatch, embedder):
    import claimcheck.embed

    monkeypatch.setattr(claimcheck.embed, "load_embedder", lambda model=None: embedder)
    monkeypatch.setenv("CLAIMCHECK_MODEL", embedder.name)
    return CliRunner()


def invoke(runner, *args, **kwargs):
    result = runner.invoke(cli, [str(a) for a in args], **kwargs)
    assert "Traceback" not in result.output
    return result


def one_error_line(result) -> str:
    assert result.exit_code != 0, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    return lines[0]


@pytest.fixture
def archive(runner, corpus_copy, tmp_path, db_path) -> Path:
    """A database with articles, speakers, claims, vectors, runs, flags and decisions."""
    second = tmp_path / "second.txt"
    second.write_text(SECOND, encoding="utf-8")
    checked = tmp_path / "checked.txt"
    checked.write_text(CHECKED, encoding="utf-8")
    assert invoke(runner, "ingest", corpus_copy, second).exit_code == 0
    result = invoke(runner, "check", checked, "--outlet", "Daily Briefing", "--save", "--json")
    assert result.exit_code == 0, result.output
    flags = [
        json.loads(line) for line in invoke(runner, "review", "list", "--json").stdout.splitlines()
    ]
    assert flags, "the check should raise at least one flag"
    first = flags[0]["id"]
    decided = invoke(runner, "review", "confirm", first, "--editor", "Ann", "--note", "Call MoD")
    assert decided.exit_code == 0, decided.output
    invoke(runner, "review", "follow-up", first, "--editor", "Bo", "--note", "Ask “the” desk")
    # A corrected second article: an earlier version kept, a claim it no longer has removed.
    second.write_text(SECOND.replace("next week", "on Monday"), encoding="utf-8")
    assert invoke(runner, "ingest", second).exit_code == 0
    return db_path


def dump(path: Path) -> list[str]:
    """The database's content as SQL: what is stored, whatever a checkpoint did to the file."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def table_rows(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"select * from [{table}] order by rowid").fetchall()
    finally:
        conn.close()


def test_an_archive_round_trips_every_table_row_by_row(runner, archive, tmp_path, embedder):
    out = tmp_path / "news.jsonl"
    result = invoke(runner, "export", "--format", "archive", "-o", out)
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["type"] == "header" and header["format"] == "claimcheck-archive"
    assert header["version"] == 1 and header["embedding_models"] == [embedder.name]
    assert {json.loads(line)["type"] for line in lines[1:]} == set(RECORD_TABLES)

    restored = tmp_path / "restored.db"
    result = invoke(runner, "-d", restored, "import", out)
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output

    for table in RECORD_TABLES.values():
        before, after = table_rows(archive, table), table_rows(restored, table)
        assert before, f"the fixture should fill {table}"
        assert after == before, table
    old, new = Store.open(archive), Store.open(restored)
    try:
        old_ids, old_matrix = old.load_vectors(embedder.name)
        new_ids, new_matrix = new.load_vectors(embedder.name)
        assert np.array_equal(old_ids, new_ids) and np.array_equal(old_matrix, new_matrix)
        # The keyword index was rebuilt from the claims as they went in.
        assert new.keyword_candidates("prisoner swap Friday", limit=5) == old.keyword_candidates(
            "prisoner swap Friday", limit=5
        )
        assert new.vectors_generation() > 0
    finally:
        old.close()
        new.close()
    # The restored database works as the original does: the same flag, with its history.
    shown = invoke(runner, "-d", restored, "review", "list", "--json").stdout
    assert shown == invoke(runner, "review", "list", "--json").stdout
    assert "Ask “the” desk" in shown


def test_every_table_is_carried_or_deliberately_left_out(store):
    """A new migration's table must be added to the archive (or to NOT_CARRIED)."""
    tables = set(store.db.table_names())
    carried = set(RECORD_TABLES.values())
    left_out = {t for t in tables if t.startswith(NOT_CARRIED)}
    assert tables - carried - left_out == set()


def test_an_empty_database_round_trips(runner, store, tmp_path):
    out = tmp_path / "empty.jsonl"
    assert invoke(runner, "export", "--format", "archive", "-o", out).exit_code == 0
    assert invoke(runner, "-d", tmp_path / "new.db", "import", out).exit_code == 0


def test_the_archive_can_go_to_standard_output_and_come_from_standard_input(
    runner, archive, tmp_path
):
    text = invoke(runner, "export", "--format", "archive").stdout
    restored = tmp_path / "piped.db"
    result = invoke(runner, "-d", restored, "import", "-", input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert table_rows(restored, "claims") == table_rows(archive, "claims")


# ------------------------------------------------------------------------------- refusals
def test_import_refuses_a_database_that_is_not_empty(runner, archive, tmp_path):
    out = tmp_path / "news.jsonl"
    invoke(runner, "export", "--format", "archive", "-o", out)
    before = table_rows(archive, "claims")
    line = one_error_line(invoke(runner, "import", out))
    assert "is not empty" in line and "nothing was imported" in line
    assert table_rows(archive, "claims") == before


def corrupt(lines: list[str], index: int, change) -> str:
    record = json.loads(lines[index])
    change(record)
    return "\n".join([*lines[:index], json.dumps(record), *lines[index + 1 :]]) + "\n"


def find(lines: list[str], kind: str) -> int:
    return next(i for i, line in enumerate(lines) if json.loads(line)["type"] == kind)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda lines: "\n".join(lines[:-1]) + "\n", "header counts"),  # a line lost at the end
        (lambda lines: "\n".join(lines) + "\n{not json\n", "is not a JSON object"),
        (lambda lines: "\n".join(lines) + '\n{"type": "planet", "id": 1}\n', "unknown record"),
        (lambda lines: corrupt(lines, 1, lambda r: r.pop("text")), "lacks 'text'"),
        (lambda lines: corrupt(lines, 1, lambda r: r.update(extra=1)), "unknown field 'extra'"),
        (lambda lines: corrupt(lines, 1, lambda r: r.update(id="one")), "id is not a number"),
        (
            lambda lines: corrupt(lines, find(lines, "claim"), lambda r: r.update(start="x")),
            "start is not integer",
        ),
        (
            lambda lines: corrupt(lines, find(lines, "vector"), lambda r: r.update(vector="@@")),
            "not valid base64",
        ),
        (
            lambda lines: corrupt(
                lines,
                find(lines, "vector"),
                lambda r: r.update(vector=base64.b64encode(b"\0" * 12).decode()),
            ),
            "does not hold",
        ),
        (
            lambda lines: corrupt(
                lines, find(lines, "claim"), lambda r: r.update(id=1_000_000)
            ).replace('"article_id": 1,', '"article_id": 999,', 1),
            "cite",
        ),
        (  # two claims with the same id
            lambda lines: corrupt(
                lines,
                find(lines, "claim") + 1,
                lambda r: r.update(id=json.loads(lines[find(lines, "claim")])["id"]),
            ),
            "clashes",
        ),
        (lambda lines: "\n".join(lines[1:]) + "\n", "not a claimcheck archive"),
        (lambda lines: corrupt(lines, 0, lambda r: r.update(version=99)), "newer claimcheck"),
        (lambda lines: "", "is empty"),
    ],
)
def test_a_damaged_archive_is_refused_in_one_line_and_stores_nothing(
    runner, archive, tmp_path, damage, message
):
    out = tmp_path / "news.jsonl"
    invoke(runner, "export", "--format", "archive", "-o", out)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(damage(out.read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    target = tmp_path / "target.db"
    line = one_error_line(invoke(runner, "-d", target, "import", bad))
    assert message in line
    assert not target.exists()  # the database the import would have created is not left behind


def test_a_failed_import_into_an_existing_empty_database_leaves_it_empty(runner, tmp_path):
    target = tmp_path / "empty.db"
    Store.open(target).close()
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\xff\xfe not text\n")
    line = one_error_line(invoke(runner, "-d", target, "import", bad))
    assert "not a claimcheck archive" in line or "not UTF-8" in line
    assert target.exists() and table_rows(target, "articles") == []


def test_a_binary_line_is_refused_with_its_number(runner, archive, tmp_path):
    out = tmp_path / "news.jsonl"
    invoke(runner, "export", "--format", "archive", "-o", out)
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(out.read_bytes() + b"\xff\xfe\n")
    line = one_error_line(invoke(runner, "-d", tmp_path / "t.db", "import", bad))
    assert "line" in line and "not UTF-8" in line


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "claimreview", "archive"])
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_never_writes_over_the_database(runner, archive, fmt, suffix):
    target = Path(str(archive) + suffix)
    existed = target.exists()
    before = target.read_bytes() if existed else None
    args = ["export", "--format", fmt, "-o", target, "--force"]
    if fmt in ("jsonl", "csv"):
        args += ["--table", "claims"]
    line = one_error_line(invoke(runner, *args))
    assert "is the database" in line and "nothing was written" in line
    assert target.exists() == existed
    if existed and suffix != "-shm":
        assert target.read_bytes() == before


def test_export_refuses_the_database_through_a_symlink_and_a_hard_link(runner, archive, tmp_path):
    link = tmp_path / "looks-harmless.json"
    link.symlink_to(archive)
    hard = tmp_path / "hard.json"
    os.link(archive, hard)
    before = dump(archive)
    for path in (link, hard, tmp_path / "." / archive.name):
        line = one_error_line(invoke(runner, "export", "-o", path, "--force"))
        assert "is the database" in line
    assert dump(archive) == before
    assert table_rows(archive, "claims")


def test_export_refuses_an_existing_file_without_force(runner, archive, tmp_path):
    out = tmp_path / "reviews.json"
    out.write_text("keep me")
    line = one_error_line(invoke(runner, "export", "--format", "csv", "-o", out))
    assert "already exists; use --force" in line
    assert out.read_text() == "keep me"
    result = invoke(runner, "export", "--format", "csv", "-o", out, "--force")
    assert result.exit_code == 0 and out.read_text().startswith("id,status")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_a_failed_export_leaves_no_file(runner, archive, tmp_path):
    conn = sqlite3.connect(archive)
    conn.execute("update claims set start = 'the start' where id = 1")  # a hand edit
    conn.commit()
    conn.close()
    out = tmp_path / "news.jsonl"
    line = one_error_line(invoke(runner, "export", "--format", "archive", "-o", out))
    assert "claims row 1: column start holds 'the start'" in line
    assert list(tmp_path.glob("*news.jsonl*")) == []


def test_rows_citing_deleted_rows_are_archived_as_they_are(runner, archive, tmp_path):
    """A flag citing a claim deleted by hand (doctor reports it and keeps the flag) round-trips."""
    conn = sqlite3.connect(archive)  # foreign keys off, as in the sqlite3 shell
    conn.execute("update flags set stored_claim_id = 99999 where id = (select min(id) from flags)")
    conn.commit()
    conn.close()
    out = tmp_path / "news.jsonl"
    result = invoke(runner, "export", "--format", "archive", "-o", out)
    assert result.exit_code == 0 and "1 row(s) cite rows that no longer exist" in result.output
    assert json.loads(out.read_text().splitlines()[0])["dangling_references"] == 1
    restored = tmp_path / "restored.db"
    assert invoke(runner, "-d", restored, "import", out).exit_code == 0
    assert table_rows(restored, "flags") == table_rows(archive, "flags")


# ------------------------------------------------------------------------------- backup
def test_backup_is_a_whole_copy_that_opens_as_a_database(runner, archive, tmp_path):
    copy = tmp_path / "backups" / "news.db"
    copy.parent.mkdir()
    result = invoke(runner, "backup", copy)
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output
    for table in RECORD_TABLES.values():
        assert table_rows(copy, table) == table_rows(archive, table)
    assert not Path(str(copy) + "-wal").exists()
    assert invoke(runner, "-d", copy, "doctor").exit_code == 0


def test_backup_refuses_the_database_and_an_existing_file(runner, archive, tmp_path):
    before = dump(archive)
    link = tmp_path / "link.db"
    link.symlink_to(archive)
    for target in (archive, link, Path(str(archive) + "-wal")):
        line = one_error_line(invoke(runner, "backup", target, "--force"))
        assert "is the database" in line
    assert dump(archive) == before
    existing = tmp_path / "old-backup.db"
    existing.write_bytes(b"an older backup")
    line = one_error_line(invoke(runner, "backup", existing))
    assert "already exists; use --force" in line
    assert existing.read_bytes() == b"an older backup"
    assert invoke(runner, "backup", existing, "--force").exit_code == 0
    assert table_rows(existing, "claims") == table_rows(archive, "claims")


WRITER = """
import sys, time
from pathlib import Path
import numpy as np
from claimcheck.archive import Store
from claimcheck.models import Article, Claim, Extraction

def claim(text, quote):
    start = text.index(quote)
    return Claim(speaker="Anna Smith", speaker_mention="Anna Smith", kind="indirect",
                 quote=quote, assertion="Anna Smith said " + quote, start=start,
                 end=start + len(quote), paragraph=1)

store, stop, i = Store.open(sys.argv[1]), Path(sys.argv[2]), 0
while not stop.exists():
    text = f"Story {i}\\n\\nAnna Smith said the figure was {i}. She added it was {i + 1}.\\n"
    claims = [claim(text, f"the figure was {i}"), claim(text, f"it was {i + 1}")]
    vectors = np.eye(2, 8, dtype=np.float32)
    store.add_articles([(Article(text=text), Extraction(claims, []), vectors)], model="m")
    i += 1
    time.sleep(0.005)
store.close()
"""


def test_backups_taken_while_another_process_writes_are_consistent(store, tmp_path):
    """Each copy is one moment of the database, whole articles only, while a writer in another
    process keeps adding articles (two claims and two vectors each)."""
    from claimcheck.archive import backup_database

    def counts(path: Path) -> tuple[int, int, int]:
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
            return conn.execute(
                "select (select count(*) from articles), (select count(*) from claims), "
                "(select count(*) from embeddings)"
            ).fetchone()
        finally:
            conn.close()

    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, store.path, str(stop)])
    try:
        deadline = time.monotonic() + 60
        while counts(Path(store.path))[0] < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        copies = []
        for n in range(5):
            path = tmp_path / f"copy{n}.db"
            backup_database(store, path, force=False)
            copies.append(counts(path))
            time.sleep(0.1)
    finally:
        stop.touch()
        assert writer.wait(timeout=60) == 0
    for articles, claims, vectors in copies:
        assert articles >= 3 and claims == vectors == 2 * articles
    assert copies[-1][0] > copies[0][0]  # the writer went on while the copies were taken

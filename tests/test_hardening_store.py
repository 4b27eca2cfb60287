"""A database that cannot be used as asked: one clear sentence, and nothing half-written."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimcheck.archive.store import Store
from claimcheck.cli import cli
from claimcheck.errors import StoreError

TESTS = Path(__file__).resolve().parent
FAKE_CLI = TESTS / "fake_cli.py"
NOBODY = 65534
ARTICLE = (
    "Talks end\n\nRustem Umerov said the prisoner swap was agreed on Friday.\n\n"
    '"We will meet again next week," Umerov told reporters.\n'
)


@pytest.fixture
def runner(monkeypatch, embedder):
    import claimcheck.embed

    monkeypatch.setattr(claimcheck.embed, "load_embedder", lambda model=None: embedder)
    return CliRunner()


def write_articles(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"{i:02d}.txt").write_text(
            ARTICLE.replace("Friday", f"day {i}"), encoding="utf-8"
        )
    return folder


def counts(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        return {
            t: conn.execute(f"select count(*) from [{t}]").fetchone()[0]
            for t in ("articles", "claims", "embeddings", "speakers", "speaker_aliases")
        }
    finally:
        conn.close()


def error_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    [line] = [x for x in result.output.splitlines() if x.startswith("Error:")]
    return line


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(runner, tmp_path, db_path):
    db_path.write_bytes(b"These are my notes, not a database.\n" * 10)
    before = db_path.read_bytes()
    articles = write_articles(tmp_path / "a", 1)
    assert "is not a SQLite database" in error_line(runner.invoke(cli, ["ingest", str(articles)]))
    assert "is not a SQLite database" in error_line(runner.invoke(cli, ["claims"]))
    assert db_path.read_bytes() == before


def test_a_sqlite_file_of_another_application_is_not_mangled(runner, tmp_path, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("create table articles (id integer primary key, body text)")
    conn.commit()
    conn.close()
    line = error_line(runner.invoke(cli, ["ingest", str(write_articles(tmp_path / "a", 1))]))
    assert "SQLite database of another application" in line
    conn = sqlite3.connect(db_path)
    assert [r[0] for r in conn.execute("select name from sqlite_master")] == ["articles"]
    conn.close()


def test_a_database_of_a_newer_schema_is_refused(runner, tmp_path, db_path):
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("update meta set value = '99' where key = 'schema_version'")
    conn.commit()
    conn.close()
    line = error_line(runner.invoke(cli, ["ingest", str(write_articles(tmp_path / "a", 1))]))
    assert "schema version 99" in line and "upgrade claimcheck" in line
    assert counts(db_path)["articles"] == 0


def test_the_database_path_is_a_directory(runner, tmp_path):
    folder = tmp_path / "db-folder"
    folder.mkdir()
    result = runner.invoke(cli, ["-d", str(folder), "claims"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "directory" in result.output


def test_databases_are_created_in_wal_mode(db_path):
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    conn.close()


# ------------------------------------------------------------------ disk full, mid-write
def test_a_write_error_half_way_leaves_no_partial_article(runner, tmp_path, db_path, monkeypatch):
    import sqlite_utils.db

    articles = write_articles(tmp_path / "a", 3)
    Store.open(db_path).close()
    real_insert_all = sqlite_utils.db.Table.insert_all
    calls = {"embeddings": 0}

    def failing_insert_all(self, records, *args, **kwargs):
        if self.name == "embeddings":
            calls["embeddings"] += 1
            if calls["embeddings"] == 2:  # the second article: the first is already written
                raise sqlite3.OperationalError("database or disk is full")
        return real_insert_all(self, records, *args, **kwargs)

    monkeypatch.setattr(sqlite_utils.db.Table, "insert_all", failing_insert_all)
    line = error_line(runner.invoke(cli, ["ingest", str(articles)]))
    assert "disk is full" in line and "nothing was saved" in line
    assert counts(db_path) == {
        "articles": 0,
        "claims": 0,
        "embeddings": 0,
        "speakers": 0,
        "speaker_aliases": 0,
    }
    monkeypatch.setattr(sqlite_utils.db.Table, "insert_all", real_insert_all)
    result = runner.invoke(cli, ["ingest", str(articles)])
    assert result.exit_code == 0 and "Added 3 article(s)" in result.output
    after = counts(db_path)
    assert after["articles"] == 3 and after["claims"] == after["embeddings"] > 0


def test_a_write_error_while_recording_a_check_is_one_line(runner, tmp_path, db_path, monkeypatch):
    import sqlite_utils.db

    runner.invoke(cli, ["ingest", str(write_articles(tmp_path / "a", 1))])
    real_insert = sqlite_utils.db.Table.insert

    def failing_insert(self, record, *args, **kwargs):
        if self.name == "check_runs":
            raise sqlite3.OperationalError("database or disk is full")
        return real_insert(self, record, *args, **kwargs)

    monkeypatch.setattr(sqlite_utils.db.Table, "insert", failing_insert)
    draft = tmp_path / "draft.txt"
    draft.write_text(ARTICLE.replace("Friday", "Monday"), encoding="utf-8")
    line = error_line(runner.invoke(cli, ["check", str(draft), "--save"]))
    assert "disk is full" in line
    conn = sqlite3.connect(db_path)
    assert conn.execute("select count(*) from submissions").fetchone()[0] == 0
    assert conn.execute("select count(*) from articles").fetchone()[0] == 1
    conn.close()


def _mount_tiny_filesystem(where: Path, size: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
    )
    return done.returncode == 0


def test_a_really_full_disk_fails_cleanly_and_keeps_whole_articles(tmp_path):
    disk = tmp_path / "tiny"
    disk.mkdir()
    if not _mount_tiny_filesystem(disk, "1m"):
        pytest.skip("needs root and tmpfs to simulate a full disk")
    try:
        db = disk / "claimcheck.db"
        articles = write_articles(tmp_path / "many", 1)
        long_article = (ARTICLE * 40).replace("Friday", "a day")
        outcome = None
        for i in range(60):
            # A new file each time: the same file with new text would be a correction that
            # replaces the stored article instead of adding one.
            (articles / f"{i:02}.txt").write_text(f"Issue {i}\n\n" + long_article, encoding="utf-8")
            outcome = subprocess.run(
                [sys.executable, str(FAKE_CLI), "-d", str(db), "ingest", str(articles)],
                capture_output=True,
                text=True,
                timeout=120,
            )
            if outcome.returncode != 0:
                break
        assert i > 0, "the first article should fit"
        assert outcome is not None and outcome.returncode == 1, "the disk never filled"
        assert "Traceback" not in outcome.stderr
        assert "disk is full" in outcome.stderr, outcome.stderr
        conn = sqlite3.connect(db)
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        rows = conn.execute(
            "select claim_count, (select count(*) from claims where article_id = articles.id) "
            "from articles"
        ).fetchall()
        conn.close()
        assert len(rows) == i and all(expected == actual for expected, actual in rows)
    finally:
        subprocess.run(["umount", str(disk)], check=False)


# ------------------------------------------------------------------ read-only
def _others_can_read(path: Path) -> bool:
    """Whether a user with no rights of owner or group can read `path` (every folder above it
    searchable, the file readable)."""
    if not path.stat().st_mode & 0o004:
        return False
    return all(folder.stat().st_mode & 0o001 for folder in path.resolve().parents)


def _run_as_unprivileged(args: list[str], folder: Path) -> subprocess.CompletedProcess:
    """Run the CLI as a user the file modes apply to (root ignores them)."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: file modes cannot be tested")
        if not _others_can_read(FAKE_CLI):
            # A checkout inside a private folder (mktemp -d makes 0700 ones) is out of reach of
            # any other user, so file modes cannot be tested from it.
            pytest.skip(f"{FAKE_CLI} is not readable by other users: file modes cannot be tested")
        # setpriv drops root only at exec, so the interpreter under /root is still found.
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    env = {**os.environ, "HOME": str(folder)}
    env.pop("CLAIMCHECK_DB", None)
    return subprocess.run(
        [*prefix, sys.executable, str(FAKE_CLI), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
        env=env,
    )


@pytest.fixture
def shared_folder():
    """A folder outside pytest's private tmp tree, so an unprivileged user can reach it."""
    folder = Path(tempfile.mkdtemp(prefix="claimcheck-ro-"))
    folder.chmod(0o777)
    yield folder
    for p in [folder, *folder.rglob("*")]:
        p.chmod(0o777 if p.is_dir() else 0o666)
    shutil.rmtree(folder)


def _ingested_database(folder: Path) -> Path:
    articles = write_articles(folder / "articles", 2)
    for p in [articles, *articles.iterdir()]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    data = folder / "data"
    data.mkdir()
    db = data / "claimcheck.db"
    done = subprocess.run(
        [sys.executable, str(FAKE_CLI), "-d", str(db), "ingest", str(articles / "00.txt")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return db


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_database_reads_and_refuses_writes_in_one_line(shared_folder, what):
    db = _ingested_database(shared_folder)
    if what == "file":
        db.parent.chmod(0o777)
        for p in db.parent.iterdir():
            p.chmod(0o444)
    else:
        for p in db.parent.iterdir():
            p.chmod(0o644)
        db.parent.chmod(0o555)
    before = counts(db)

    listed = _run_as_unprivileged(["-d", str(db), "claims", "--json"], shared_folder)
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == before["claims"]

    added = _run_as_unprivileged(
        ["-d", str(db), "ingest", str(shared_folder / "articles" / "01.txt")], shared_folder
    )
    assert added.returncode == 1
    assert "Traceback" not in added.stderr
    assert "attempt to write a readonly database" not in added.stderr
    [line] = [x for x in added.stderr.splitlines() if x.startswith("Error:")]
    assert "is read-only" in line and "permissions" in line
    assert counts(db) == before


def test_a_database_in_a_read_only_folder_cannot_be_created(shared_folder):
    folder = shared_folder / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    article = shared_folder / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    article.chmod(0o644)
    done = _run_as_unprivileged(["-d", str(folder / "new.db"), "ingest", str(article)], folder)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "folder is not writable" in done.stderr


def test_store_open_reports_read_only(tmp_path, monkeypatch):
    import claimcheck.archive.connection as connection

    db = tmp_path / "ro.db"
    Store.open(db).close()
    monkeypatch.setattr(connection, "is_read_only", lambda path: True)
    store = Store.open(db)
    assert store.read_only
    assert store.claim_count() == 0
    with pytest.raises(StoreError, match="read-only"):
        with store.db.atomic():
            store.db.execute("delete from meta")
    store.close()


def test_a_database_in_a_missing_folder(runner, tmp_path):
    article = write_articles(tmp_path / "a", 1)
    result = runner.invoke(
        cli, ["-d", str(tmp_path / "no" / "such" / "x.db"), "ingest", str(article)]
    )
    assert "folder" in error_line(result) and "does not exist" in error_line(result)
    assert not (tmp_path / "no").exists()


def test_ctrl_c_half_way_through_a_batch_rolls_it_back(tmp_path, db_path, embedder, monkeypatch):
    import sqlite_utils.db

    from claimcheck.archive.ingest import ingest_paths

    articles = sorted(write_articles(tmp_path / "a", 3).iterdir())
    store = Store.open(db_path)
    real_insert_all = sqlite_utils.db.Table.insert_all
    calls = []

    def interrupted(self, records, *args, **kwargs):
        if self.name == "embeddings":
            calls.append(1)
            if len(calls) == 2:
                raise KeyboardInterrupt
        return real_insert_all(self, records, *args, **kwargs)

    monkeypatch.setattr(sqlite_utils.db.Table, "insert_all", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths(store, articles, embedder)
    assert not store.db.conn.in_transaction
    assert counts(db_path)["articles"] == counts(db_path)["claims"] == 0
    monkeypatch.setattr(sqlite_utils.db.Table, "insert_all", real_insert_all)
    summary = ingest_paths(store, articles, embedder)  # the same connection carries on
    assert summary.articles_added == 3
    store.close()

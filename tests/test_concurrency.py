"""Several real processes on one database, and a process killed mid-write: nothing lost, nothing
twice, nothing half-written. The processes run the real command line with the test embedder
(tests/fake_cli.py), so no torch is loaded."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimcheck.archive.store import Store
from claimcheck.extract import extract_claims
from claimcheck.read import read_article

TESTS = Path(__file__).resolve().parent
FAKE_CLI = TESTS / "fake_cli.py"
DEVSET = TESTS / "data" / "devset" / "articles"
SEED = TESTS.parent / "corpus" / "ft-2025-05-16-istanbul-talks.txt"


def cli_process(db: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(FAKE_CLI), "-d", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def finish(proc: subprocess.Popen, timeout: float = 300) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def article_files(folder: Path, count: int | None = None) -> list[Path]:
    files = sorted(DEVSET.glob("*.txt"))[:count]
    folder.mkdir(exist_ok=True)
    copies = []
    for f in files:
        dest = folder / f.name
        dest.write_bytes(f.read_bytes())
        copies.append(dest)
    return copies


def expected_spans(paths: list[Path]) -> dict[str, set[tuple[int, int]]]:
    """What a single, undisturbed extraction gives for each article: its claims' spans."""
    spans = {}
    for path in paths:
        article = read_article(path)
        claims = extract_claims(article.text, article.outlet).claims
        spans[article.text] = {(c.start, c.end) for c in claims}
    return spans


def stored_spans(db: Path) -> dict[str, list[tuple[int, int]]]:
    conn = sqlite3.connect(db)
    out: dict[str, list[tuple[int, int]]] = {}
    for article_id, text in conn.execute("select id, text from articles"):
        assert text not in out, "an article is stored twice"
        out[text] = [
            tuple(r)
            for r in conn.execute(
                "select start, [end] from claims where article_id = ? order by start", [article_id]
            )
        ]
    conn.close()
    return out


def assert_whole_and_consistent(db: Path) -> None:
    """Integrity ok; every article has exactly its claim_count claims; every claim a vector."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        partial = conn.execute(
            "select id from articles where claim_count != "
            "(select count(*) from claims where claims.article_id = articles.id)"
        ).fetchall()
        assert partial == []
        unembedded = conn.execute(
            "select count(*) from claims where id not in (select claim_id from embeddings)"
        ).fetchone()[0]
        assert unembedded == 0
        orphans = conn.execute(
            "select count(*) from claims where article_id not in (select id from articles)"
        ).fetchone()[0]
        assert orphans == 0
        dup_speakers = conn.execute(
            "select name, kind from speakers group by name, kind having count(*) > 1"
        ).fetchall()
        assert dup_speakers == []
    finally:
        conn.close()


def test_parallel_ingests_store_every_claim_exactly_once(tmp_path):
    db = tmp_path / "shared.db"  # not created yet: the processes also race to create the schema
    files = article_files(tmp_path / "articles", 8)
    halves = [files[:5], files[3:], list(reversed(files))]
    procs = [cli_process(db, "ingest", *map(str, part)) for part in halves]
    results = [finish(p) for p in procs]
    for code, _out, err in results:
        assert code == 0, err
        assert "locked" not in err and "Traceback" not in err
    assert_whole_and_consistent(db)
    stored = stored_spans(db)
    expected = expected_spans(files)
    assert set(stored) == set(expected)
    for text, spans in stored.items():
        assert len(spans) == len(set(spans)), "a claim is stored twice"
        assert set(spans) == expected[text]


def test_checks_and_review_writes_while_an_ingest_runs(tmp_path, embedder):
    from claimcheck.check import check_article
    from claimcheck.judge import load_judge

    db = tmp_path / "busy.db"
    first = cli_process(db, "ingest", str(SEED))
    assert finish(first)[0] == 0
    files = article_files(tmp_path / "articles")
    ingest = cli_process(db, "ingest", *map(str, files))
    drafts = files[:2]
    checks = [cli_process(db, "check", "--save", str(d)) for d in drafts]
    # Serve-style writes from this process meanwhile: a fresh connection per request, as the
    # web app opens one, recording each check run.
    judge = load_judge()
    recorded = 0
    while ingest.poll() is None and recorded < 20:
        store = Store.open(db)
        try:
            article = read_article(files[-1 - recorded % 3])
            article.text += f"\n\nUpdate {recorded}: the minister said talks would go on.\n"
            report = check_article(store, article, embedder=embedder, judge=judge, record=True)
            assert report.run_id is not None
            recorded += 1
        finally:
            store.close()
    for proc in [ingest, *checks]:
        code, _out, err = finish(proc)
        assert code == 0, err
        assert "locked" not in err and "Traceback" not in err
    assert recorded > 0
    assert_whole_and_consistent(db)
    conn = sqlite3.connect(db)
    runs = conn.execute("select count(*) from check_runs").fetchone()[0]
    saved = conn.execute(
        "select count(*) from check_runs where saved_article_id in (select id from articles)"
    ).fetchone()[0]
    conn.close()
    assert runs == recorded + len(drafts)
    assert saved == len(drafts)  # --save stored (or found already stored) each draft


def test_a_process_killed_mid_batch_leaves_whole_articles_and_resumes(tmp_path):
    db = tmp_path / "killed.db"
    files = article_files(tmp_path / "articles", 6)
    assert finish(cli_process(db, "ingest", str(files[0])))[0] == 0

    marker = tmp_path / "in-transaction"
    doomed = cli_process(
        db, "ingest", *map(str, files), env={"FAKE_CLI_PAUSE_IN_WRITE": str(marker)}
    )
    deadline = time.monotonic() + 240
    while not marker.exists():
        assert doomed.poll() is None, doomed.communicate()[1]
        assert time.monotonic() < deadline, "the ingest never reached its write"
        time.sleep(0.1)
    # Two articles are written inside the open transaction; the process dies before COMMIT.
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=30)

    assert_whole_and_consistent(db)
    assert len(stored_spans(db)) == 1  # only the article committed before

    code, out, err = finish(cli_process(db, "ingest", *map(str, files)))
    assert code == 0, err
    assert "Added 5 article(s)" in out and "1 already stored" in out
    assert_whole_and_consistent(db)
    stored = stored_spans(db)
    expected = expected_spans(files)
    assert {t: set(s) for t, s in stored.items()} == expected
    assert all(len(s) == len(set(s)) for s in stored.values())


def test_the_vector_cache_sees_claims_added_by_another_process(tmp_path, embedder):
    from claimcheck.archive.index import load_index

    db = tmp_path / "cache.db"
    files = article_files(tmp_path / "articles", 3)
    assert finish(cli_process(db, "ingest", str(files[0])))[0] == 0
    store = Store.open(db)  # one long-lived connection, as a running web app keeps
    try:
        before = load_index(store, embedder.name)
        assert before.size == store.claim_count() > 0
        assert load_index(store, embedder.name) is before  # unchanged: served from the cache
        assert finish(cli_process(db, "ingest", str(files[1]), str(files[2])))[0] == 0
        after = load_index(store, embedder.name)
        assert after.size == store.claim_count() > before.size
        conn = sqlite3.connect(db)
        newest = conn.execute("select max(id) from claims").fetchone()[0]
        conn.close()
        assert newest in set(after.ids.tolist())
        ids, _ = after.search(embedder.encode(["the minister said talks would go on"]), 5)
        assert ids.shape == (1, 5)
    finally:
        store.close()


@pytest.mark.parametrize("writers", [4])
def test_many_writers_on_a_fresh_database_all_succeed(tmp_path, writers):
    """The first open of a blank file by several processes at once: one migrates, none fail."""
    db = tmp_path / "fresh.db"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys; sys.path.insert(0, sys.argv[2]);"
                "from claimcheck.archive.store import Store; s = Store.open(sys.argv[1]);"
                "print(s.claim_count()); s.close()",
                str(db),
                str(TESTS.parent),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(writers)
    ]
    for proc in procs:
        code, out, err = finish(proc, 120)
        assert code == 0, err
        assert out.strip() == "0"
    conn = sqlite3.connect(db)
    applied = conn.execute("select count(*) from _sqlite_migrations").fetchone()[0]
    conn.close()
    from claimcheck.archive.migrations import migrations

    assert applied == len(migrations._migrations)


def test_a_transaction_that_reads_then_writes_never_fails_on_a_stale_snapshot(tmp_path):
    """With SQLite's default deferred BEGIN, a transaction that reads, lets another writer commit,
    then writes, fails at once with "database is locked" (its snapshot is stale). Every claimcheck
    transaction takes the write lock first, so the other writer waits instead."""
    import threading

    db = tmp_path / "snapshot.db"
    Store.open(db).close()
    first, second = Store.open(db), Store.open(db)
    reading = threading.Event()
    errors: list[BaseException] = []

    def read_then_write() -> None:
        try:
            with first.db.atomic():
                first.db.execute("select count(*) from meta").fetchone()
                reading.set()
                time.sleep(0.5)
                first.db.execute("insert into meta (key, value) values ('first', '1')")
        except BaseException as exc:  # reported below
            errors.append(exc)

    def write_meanwhile() -> None:
        reading.wait(10)
        try:
            with second.db.atomic():
                second.db.execute("insert into meta (key, value) values ('second', '2')")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read_then_write), threading.Thread(target=write_meanwhile)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    first.close()
    second.close()
    assert errors == []
    conn = sqlite3.connect(db)
    keys = {r[0] for r in conn.execute("select key from meta where key in ('first', 'second')")}
    conn.close()
    assert keys == {"first", "second"}

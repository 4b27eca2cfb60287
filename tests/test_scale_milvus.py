"""The vectors in Milvus (a real Milvus Lite file in the test's folder): written with each ingest
batch, searched in one call per article, verified and rebuilt from SQLite by `doctor`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.scale
pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DEVSET = TESTS / "data/devset/articles"


@pytest.fixture(autouse=True)
def fake_embedder_and_clean_clients(monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_EMBEDDER", "conftest:HashingEmbedder")
    monkeypatch.setenv("CLAIMCHECK_MODEL", "test-hashing-embedder")  # what doctor expects
    monkeypatch.delenv("CLAIMCHECK_INDEX", raising=False)
    yield
    from claimcheck.archive.milvus import close_clients

    close_clients()


def run(*args: str):
    from claimcheck.cli import cli

    # As a separate process would: --index sets $CLAIMCHECK_INDEX for the command's own run only.
    return CliRunner().invoke(cli, list(args), env={"CLAIMCHECK_INDEX": None})


def test_ingest_writes_milvus_and_check_searches_it(tmp_path, db_path, embedder):
    from claimcheck.archive import MilvusIndex, Store, load_index, parse_index_spec

    spec = f"milvus:{tmp_path / 'index.milvus.db'}"
    stories = sorted(DEVSET.glob("*.txt"))
    done = run("ingest", str(ROOT / "corpus"), *map(str, stories[2:9]), "--index", spec)
    assert done.exit_code == 0, done.output

    store = Store.open(db_path, create=False)
    index = MilvusIndex(store, embedder.name, parse_index_spec(spec))
    assert index.verify() == []
    stored = store.db.execute("select count(*) from embeddings").fetchone()[0]
    assert index.recorded()[2] == stored > 100

    # Nearest neighbours from Milvus are the exact scan's (a small archive: HNSW finds them all).
    exact = load_index(store, embedder.name)
    queries = embedder.encode(["Talks in Istanbul lasted under two hours", "prisoner exchange"])
    ids, scores = index.search(queries, 8)
    want_ids, want_scores = exact.search(queries, 8)
    assert ids.shape == (2, 8)
    np.testing.assert_allclose(scores, want_scores, atol=1e-5)
    assert ids.tolist() == want_ids.tolist()  # equal scores in claim id order, as the scan's
    # Two claims tie at the 8th place for this one (the hashing embedder): the cut is the scan's.
    tied = embedder.encode(["Russian and Ukrainian delegations met in Istanbul on Thursday"])
    assert index.search(tied, 8)[0].tolist() == exact.search(tied, 8)[0].tolist()
    some = [int(i) for i in want_ids[0][:3]]
    np.testing.assert_allclose(
        index.similarities(queries[0], some), exact.similarities(queries[0], some), atol=1e-6
    )
    store.close()

    # A check with the Milvus index gives the verdicts the numpy matrix gives.
    story = str(stories[0])
    with_numpy = run("check", story, "--json")
    with_milvus = run("check", story, "--json", "--index", spec)
    assert with_numpy.exit_code == with_milvus.exit_code == 0, with_milvus.output
    assert [json.loads(x) for x in with_milvus.stdout.splitlines()] == [
        json.loads(x) for x in with_numpy.stdout.splitlines()
    ]

    # A new process finds the collection another process wrote (released until loaded).
    from claimcheck.archive.milvus import close_clients

    close_clients()  # Milvus Lite lets one process at a time open its file
    fresh = subprocess.run(
        [sys.executable, str(TESTS / "fake_cli.py"), "-d", str(db_path), "check", story]
        + ["--json", "--index", spec],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
        env={**os.environ, "CLAIMCHECK_JUDGE": "rules"},
    )
    assert fresh.returncode == 0, fresh.stderr[-2000:]
    # Reloaded, the collection is searched through its HNSW graph (approximate: a tie at the
    # eighth neighbour may go the other way), so the verdicts agree, not every match.
    got = [json.loads(x) for x in fresh.stdout.splitlines()]
    want = [json.loads(x) for x in with_numpy.stdout.splitlines()]
    assert [g["quote"] for g in got] == [w["quote"] for w in want]
    same = sum(g["verdict"] == w["verdict"] for g, w in zip(got, want, strict=True))
    assert same >= 0.9 * len(want)


def test_doctor_verifies_and_rebuilds_the_milvus_index(tmp_path, db_path, embedder):
    from claimcheck.archive import MilvusIndex, Store, parse_index_spec

    spec = f"milvus:{tmp_path / 'index.milvus.db'}"
    stories = sorted(DEVSET.glob("*.txt"))
    assert run("ingest", str(ROOT / "corpus"), "--index", spec).exit_code == 0
    ok = run("doctor", "--index", spec)
    assert ok.exit_code == 0, ok.output
    assert "Milvus index" in ok.output and "holds the database's vectors" in ok.output

    # An ingest without the index leaves Milvus behind: doctor says so, and --repair rebuilds.
    assert run("ingest", str(stories[1])).exit_code == 0
    behind = run("doctor", "--index", spec, "--json")
    assert behind.exit_code == 1
    finding = {f["code"]: f for f in json.loads(behind.stdout)["findings"]}["milvus"]
    assert not finding["ok"] and finding["repairable"] and "behind" in finding["summary"]
    fixed = run("doctor", "--index", spec, "--repair")
    assert fixed.exit_code == 0, fixed.output
    assert "Rebuilt the Milvus index" in fixed.output

    # A vector changed in place (what a repair's re-embedding does) is found, row by row too.
    store = Store.open(db_path)
    claim_id, blob = store.db.execute(
        "select claim_id, vector from embeddings order by claim_id limit 1"
    ).fetchone()
    changed = -np.frombuffer(blob, dtype="<f4")
    with store.db.atomic():
        store.db.execute(
            "update embeddings set vector = ? where claim_id = ?",
            [changed.astype("<f4").tobytes(), claim_id],
        )
    index = MilvusIndex(store, embedder.name, parse_index_spec(spec))
    assert index.verify()
    assert index.sync() == "rebuilt"  # a rewrite is never appended over
    assert index.verify() == []
    got = index.client.get(index.name, ids=[claim_id], output_fields=["vector"])[0]["vector"]
    np.testing.assert_allclose(got, changed, atol=1e-6)

    # Growth is appended, not rebuilt, the next time the index is used.
    assert run("ingest", str(stories[2])).exit_code == 0
    assert index.sync() == "appended"
    assert index.verify() == []
    store.close()


def test_bad_index_options_are_one_line_and_change_nothing(tmp_path, db_path):
    story = str(ROOT / "corpus/ft-2025-05-16-istanbul-talks.txt")
    for spec, words in [
        ("milvus:", "needs a URI"),
        ("faiss:x", "Unknown index"),
        ("milvus:ftp://host/x", "http"),
    ]:
        done = run("ingest", story, "--index", spec)
        assert done.exit_code == 2 and words in done.output, done.output
    assert not db_path.exists()

"""Ingest can parse the next batch in a worker process while this one is encoded and written
(the default with four CPUs or more): the archive it makes is the one extraction in this process
makes, and a worker that fails changes nothing but the speed."""

from __future__ import annotations

from pathlib import Path

import numpy as np

TESTS = Path(__file__).resolve().parent
DEVSET = TESTS / "data/devset/articles"


def copies(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    sources = sorted(DEVSET.glob("*.txt"))
    out = []
    for i in range(count):
        path = folder / f"{i:03d}.txt"
        path.write_text(f"Edition {i}: " + sources[i % len(sources)].read_text(encoding="utf-8"))
        out.append(path)
    return out


def stored(db: Path) -> tuple[list, list, np.ndarray]:
    from claimcheck.archive import Store

    store = Store.open(db, create=False)
    q = store.db.execute
    claims = q(
        "select article_id, speaker, kind, quote, assertion, start, [end] from claims order by id"
    ).fetchall()
    speakers = q("select name, kind from speakers order by id").fetchall()
    blobs = [r[0] for r in q("select vector from embeddings order by claim_id")]
    store.close()
    return claims, speakers, np.frombuffer(b"".join(blobs), dtype="<f4")


def ingest(db: Path, paths: list[Path], embedder, **options):
    from claimcheck.archive import Store, ingest_paths

    store = Store.open(db)
    batches: list[int] = []
    summary = ingest_paths(
        store,
        paths,
        embedder,
        batch_articles=3,
        on_batch=lambda: batches.append(store.claim_count()),
        **options,
    )
    store.close()
    return summary, batches


def test_overlapped_ingest_stores_what_serial_ingest_stores(tmp_path, embedder, monkeypatch):
    paths = copies(tmp_path / "articles", 9)  # three batches, two of them parsed ahead
    serial, serial_batches = ingest(tmp_path / "serial.db", paths, embedder, overlap=False)
    overlapped, batches = ingest(tmp_path / "overlap.db", paths, embedder, overlap=True)
    assert serial.articles_added == overlapped.articles_added == 9
    assert serial.claims_added == overlapped.claims_added
    assert batches == serial_batches and len(batches) == 3  # committed batch by batch, in order
    a, b = stored(tmp_path / "serial.db"), stored(tmp_path / "overlap.db")
    assert a[0] == b[0] and a[1] == b[1]
    np.testing.assert_array_equal(a[2], b[2])

    # A worker that cannot start: every batch is extracted here instead, with the same result.
    from claimcheck.archive import prefetch

    monkeypatch.setattr(prefetch, "_WORKER", "import sys; sys.exit(3)")
    fallback, _ = ingest(tmp_path / "fallback.db", paths, embedder, overlap=True)
    assert fallback.claims_added == serial.claims_added
    c = stored(tmp_path / "fallback.db")
    assert a[0] == c[0] and a[1] == c[1]

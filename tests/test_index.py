"""The vector index and its on-disk matrix cache: exact results, never stale vectors."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from claimcheck.archive import index as index_module
from claimcheck.archive import matrix_cache
from claimcheck.archive.index import VectorIndex, load_index
from claimcheck.archive.store import Store
from claimcheck.models import Article, Claim, Extraction, SpeakerInfo

MODEL = "test-model"
DIMS = 16


def unit_rows(rng: np.random.Generator, n: int, dims: int = DIMS) -> np.ndarray:
    m = rng.normal(size=(n, dims)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def article_with_claims(label: str, count: int) -> tuple[Article, Extraction]:
    """An article by one speaker making `count` distinct claims."""
    text = f"Report {label}\n\n"
    claims = []
    for i in range(count):
        quote = f"statement {label} number {i}"
        start = len(text) + 1
        text += f'"{quote}," Anna Smith said. '
        claims.append(
            Claim(
                speaker="Anna Smith",
                speaker_mention="Anna Smith",
                kind="direct",
                quote=quote,
                assertion=quote,
                start=start,
                end=start + len(quote),
                paragraph=1,
            )
        )
    return Article(text=text), Extraction(claims=claims, speakers=[SpeakerInfo("Anna Smith")])


def add_vectors(store: Store, label: str, vectors: np.ndarray) -> list[int]:
    """Store one article whose claims have `vectors`; the new claim ids in order."""
    article, extraction = article_with_claims(label, len(vectors))
    store.add_articles([(article, extraction, vectors)], model=MODEL)
    return [c.id for c in extraction.claims]


@pytest.fixture(autouse=True)
def fresh_process_cache():
    """Each test starts like a new process: no index held in memory."""
    index_module._cache.clear()
    yield
    index_module._cache.clear()


# --------------------------------------------------------------------------- search
@pytest.mark.parametrize("block_rows", [7, 64, 100_000])
def test_search_equals_one_full_product_whatever_the_block_size(monkeypatch, block_rows):
    monkeypatch.setattr(index_module, "BLOCK_ROWS", block_rows)
    rng = np.random.default_rng(3)
    m = unit_rows(rng, 500)
    q = m[:30] + 0.2 * rng.normal(size=(30, DIMS)).astype(np.float32)
    ids = np.arange(1000, 1500, dtype=np.int64)
    found, scores = VectorIndex(ids=ids, matrix=m).search(q, k=8)
    full = q @ m.T
    expected = np.argsort(-full, axis=1, kind="stable")[:, :8]
    assert (found == ids[expected]).all()
    assert np.allclose(scores, np.take_along_axis(full, expected, axis=1), atol=1e-6)


def test_equal_scores_come_in_claim_id_order(monkeypatch):
    monkeypatch.setattr(index_module, "BLOCK_ROWS", 3)
    m = np.tile(np.eye(1, DIMS, dtype=np.float32), (10, 1))  # ten identical vectors
    ids = np.arange(50, 60, dtype=np.int64)
    found, _ = VectorIndex(ids=ids, matrix=m).search(m[:1], k=4)
    assert found.tolist() == [[50, 51, 52, 53]]


def test_k_larger_than_archive_and_empty_queries():
    m = unit_rows(np.random.default_rng(0), 3)
    index = VectorIndex(ids=np.array([5, 6, 7]), matrix=m)
    found, scores = index.search(m, k=10)
    assert found.shape == (3, 3) and found[:, 0].tolist() == [5, 6, 7]
    assert index.search(np.zeros((0, DIMS), np.float32), k=3)[0].shape == (0, 0)


# --------------------------------------------------------------------------- the cache
def test_index_is_served_from_a_memory_mapped_cache_beside_the_database(store):
    rng = np.random.default_rng(1)
    v = unit_rows(rng, 5)
    ids = add_vectors(store, "a", v)
    index = load_index(store, MODEL)
    assert index.mapping is not None  # memory-mapped, not read from SQLite
    assert index.ids.tolist() == ids
    assert np.array_equal(index.matrix, v)
    folder = matrix_cache.cache_dir(store, MODEL)
    assert folder is not None and (folder / "meta.json").exists()
    assert folder.parent.name == "claimcheck.db.vectors"


def test_rows_added_later_are_appended_not_rebuilt(store):
    rng = np.random.default_rng(2)
    add_vectors(store, "a", unit_rows(rng, 4))
    load_index(store, MODEL)
    folder = matrix_cache.cache_dir(store, MODEL)
    build = json.loads((folder / "meta.json").read_text())["build"]
    new = unit_rows(rng, 3)
    new_ids = add_vectors(store, "b", new)
    index = load_index(store, MODEL)
    assert json.loads((folder / "meta.json").read_text())["build"] == build
    assert index.size == 7
    found, _ = index.search(new, k=1)
    assert found[:, 0].tolist() == new_ids


def test_claims_added_by_another_process_are_found_at_once(store, db_path):
    """A long-running process (the web app) must see what a concurrent ingest wrote."""
    rng = np.random.default_rng(4)
    add_vectors(store, "a", unit_rows(rng, 6))
    before = load_index(store, MODEL)
    assert before.size == 6
    target = unit_rows(rng, 1)[0]
    script = textwrap.dedent(
        f"""
        import sys, numpy as np
        sys.path.insert(0, {str(__import__("pathlib").Path(__file__).parent)!r})
        from test_index import add_vectors, MODEL
        from claimcheck.archive.store import Store
        from claimcheck.archive.index import load_index
        s = Store.open({str(db_path)!r})
        load_index(s, MODEL)  # the other process refreshes the shared cache first
        v = np.array([[{", ".join(repr(float(x)) for x in target)}]], dtype=np.float32)
        print(add_vectors(s, "other", v)[0])
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    new_id = int(out.stdout.strip())
    found, scores = load_index(store, MODEL).search(target[None, :], k=1)
    assert found[0, 0] == new_id
    assert scores[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_a_recreated_database_with_the_same_generation_is_not_served_old_vectors(db_path):
    rng = np.random.default_rng(5)
    first = Store.open(db_path)
    add_vectors(first, "a", unit_rows(rng, 3))
    assert load_index(first, MODEL).size == 3
    first.close()
    for suffix in ("", "-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    index_module._cache.clear()
    second = Store.open(db_path)  # same path, same generation (1) once written
    fresh = unit_rows(rng, 3)
    ids = add_vectors(second, "b-different-text", fresh)
    assert second.vectors_generation() == 1
    index = load_index(second, MODEL)
    found, _ = index.search(fresh, k=1)
    assert found[:, 0].tolist() == ids
    assert np.array_equal(index.matrix, fresh)
    second.close()


def test_rows_left_by_an_interrupted_append_are_ignored(store):
    rng = np.random.default_rng(6)
    v = unit_rows(rng, 4)
    add_vectors(store, "a", v)
    load_index(store, MODEL)
    folder = matrix_cache.cache_dir(store, MODEL)
    meta = json.loads((folder / "meta.json").read_text())
    vectors_file, ids_file = matrix_cache._files(folder, meta["build"])
    with open(vectors_file, "ab") as fh:  # half-written rows, never recorded in meta.json
        fh.write(np.ones((2, DIMS), np.float32).tobytes())
    with open(ids_file, "ab") as fh:
        fh.write(np.array([999], np.int64).tobytes())
    index_module._cache.clear()
    assert load_index(store, MODEL).size == 4
    more = unit_rows(rng, 2)
    more_ids = add_vectors(store, "b", more)
    index = load_index(store, MODEL)
    assert index.size == 6
    assert index.ids[-2:].tolist() == more_ids
    assert np.array_equal(index.matrix[-2:], more)


def test_a_corrupt_meta_file_means_a_rebuild(store):
    rng = np.random.default_rng(7)
    v = unit_rows(rng, 3)
    add_vectors(store, "a", v)
    load_index(store, MODEL)
    folder = matrix_cache.cache_dir(store, MODEL)
    (folder / "meta.json").write_text("{ not json")
    index_module._cache.clear()
    assert np.array_equal(load_index(store, MODEL).matrix, v)


def test_without_a_writable_folder_vectors_come_from_sqlite(store, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(matrix_cache, "cache_dir", lambda s, m: blocker / "cannot-be-made")
    rng = np.random.default_rng(8)
    v = unit_rows(rng, 3)
    ids = add_vectors(store, "a", v)
    index = load_index(store, MODEL)
    assert index.mapping is None
    assert index.ids.tolist() == ids and np.array_equal(index.matrix, v)


def test_in_memory_database_has_no_cache_and_sees_new_rows():
    s = Store.open(":memory:")
    rng = np.random.default_rng(9)
    add_vectors(s, "a", unit_rows(rng, 2))
    assert load_index(s, MODEL).size == 2
    add_vectors(s, "b", unit_rows(rng, 2))
    assert load_index(s, MODEL).size == 4


def test_vectors_of_another_model_are_not_mixed_in(store):
    rng = np.random.default_rng(10)
    add_vectors(store, "a", unit_rows(rng, 3))
    article, extraction = article_with_claims("other-model", 2)
    store.add_articles([(article, extraction, unit_rows(rng, 2))], model="other")
    assert load_index(store, MODEL).size == 3
    assert load_index(store, "other").size == 2


class ConstantEmbedder:
    """Embeds every text as the same unit vector: a re-embedding that is easy to recognise."""

    name = MODEL
    dimensions = DIMS

    def __init__(self, vector: np.ndarray) -> None:
        self.vector = vector

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.tile(self.vector, (len(texts), 1)).astype(np.float32)


def test_a_vector_repaired_in_place_by_doctor_is_not_served_stale(store):
    """`doctor` re-embeds a stale claim under its old id: no new row, same maximum id."""
    from claimcheck.doctor import reembed_claims

    rng = np.random.default_rng(11)
    ids = add_vectors(store, "a", unit_rows(rng, 4))
    load_index(store, MODEL)
    store.db.execute("update claims set assertion = 'edited by hand' where id = ?", [ids[1]])
    replacement = unit_rows(rng, 1)[0]
    assert reembed_claims(store, [ids[1]], ConstantEmbedder(replacement)) == 1
    index = load_index(store, MODEL)
    found, scores = index.search(replacement[None, :], k=1)
    assert found[0, 0] == ids[1] and scores[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_with_a_rewrite_counter_an_unchanged_counter_skips_the_fingerprint_scan(store, monkeypatch):
    rng = np.random.default_rng(12)
    add_vectors(store, "a", unit_rows(rng, 3))
    # The schema keeps the counter (migration m002); its triggers bump it on any rewrite.
    assert store.db.execute("select value from meta where key='vectors_rewrites'").fetchone()
    load_index(store, MODEL)
    scans = []
    original = matrix_cache.stored_fingerprint
    monkeypatch.setattr(
        matrix_cache, "stored_fingerprint", lambda *a: scans.append(a) or original(*a)
    )
    add_vectors(store, "b", unit_rows(rng, 2))
    assert load_index(store, MODEL).size == 5
    assert scans == []
    # A rewrite bumps the counter (the schema's trigger); then the rows are verified.
    store.db.execute("update embeddings set model = model where claim_id = 1")
    store.db.execute(
        "update meta set value = cast(value as integer) + 1 where key = 'vectors_generation'"
    )
    assert load_index(store, MODEL).size == 5
    assert len(scans) == 1


@pytest.mark.parametrize("cached_first", [False, True])
def test_a_truncated_vector_is_left_out_without_shifting_the_rows_after_it(store, cached_first):
    rng = np.random.default_rng(13)
    v = unit_rows(rng, 5)
    ids = add_vectors(store, "a", v)
    if cached_first:
        load_index(store, MODEL)
    # Damage of the kind `claimcheck doctor` reports: a blob cut short (half a vector).
    store.db.execute(
        "update embeddings set vector = substr(vector, 1, 32) where claim_id = ?", [ids[1]]
    )
    more = unit_rows(rng, 2)
    more_ids = add_vectors(store, "b", more)  # bumps the generation: the cache revalidates
    index = load_index(store, MODEL)
    assert index.ids.tolist() == [ids[0], *ids[2:], *more_ids]
    found, scores = index.search(np.vstack([v[2:], more]), k=1)
    assert found[:, 0].tolist() == [*ids[2:], *more_ids]
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5)
    assert index.similarities(v[1], [ids[1]])[0] == 0.0

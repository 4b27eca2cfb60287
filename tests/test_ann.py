"""The approximate index: used above its threshold only, as good as the exact scan on clustered
vectors, never stale (appended rows scanned exactly, then folded in; a repair rebuilds it)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from claimcheck.archive import ann, matrix_cache
from claimcheck.archive import index as index_module
from claimcheck.archive.index import load_index
from tests.test_index import MODEL, ConstantEmbedder, add_vectors

pytest.importorskip("faiss")
DIMS = 16


@pytest.fixture(autouse=True)
def fresh_process_cache(monkeypatch):
    index_module._cache.clear()
    monkeypatch.setenv(ann.MIN_ROWS_ENV, "2000")
    monkeypatch.setenv(ann.NPROBE_ENV, "40")  # of ~100 lists: 16-d noise spreads widely
    yield
    index_module._cache.clear()


def clustered(rng: np.random.Generator, n: int, centres: np.ndarray) -> np.ndarray:
    """Unit vectors around a few centres, as sentence embeddings cluster around topics."""
    picks = rng.integers(0, len(centres), size=n)
    rows = centres[picks] + 0.35 * rng.normal(size=(n, DIMS)).astype(np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def centres():
    rng = np.random.default_rng(0)
    c = rng.normal(size=(40, DIMS)).astype(np.float32)
    return c / np.linalg.norm(c, axis=1, keepdims=True)


def fill(store, rng, centres, total, label="a", per_article=500):
    ids = []
    for n in range(0, total, per_article):
        ids += add_vectors(store, f"{label}{n}", clustered(rng, per_article, centres))
    return ids


def exact_top(store, queries, k):
    index_module._cache.clear()
    exact = index_module.load_index(store, MODEL)
    exact.approximate = None  # the same matrix, scanned in full
    return exact.search(queries, k)


def recall(found, expected):
    return np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(found, expected, strict=True)])


def test_below_the_threshold_the_scan_is_exact_and_no_index_is_written(store, centres):
    rng = np.random.default_rng(1)
    fill(store, rng, centres, 1500)
    index = load_index(store, MODEL)
    assert index.approximate is None
    folder = matrix_cache.cache_dir(store, MODEL)
    assert not list(folder.glob("ann-*"))


def test_above_the_threshold_the_index_finds_what_the_exact_scan_finds(store, centres):
    rng = np.random.default_rng(2)
    fill(store, rng, centres, 3000)
    index = load_index(store, MODEL)
    assert index.approximate is not None and index.approximate.rows == 3000
    folder = matrix_cache.cache_dir(store, MODEL)
    meta = json.loads((folder / "ann.json").read_text())
    assert meta["rows"] == 3000 and meta["lists"] == ann.lists_for(3000)
    queries = clustered(rng, 30, centres)
    found, scores = index.search(queries, 10)
    expected, expected_scores = exact_top(store, queries, 10)
    assert recall(found, expected) >= 0.98
    assert np.all(np.diff(scores, axis=1) <= 1e-6)  # best first
    # where the same claims are found, the scores are the exact cosines
    same = found == expected
    assert np.allclose(scores[same], expected_scores[same], atol=1e-5)
    assert index.search(queries, 10)[0].tolist() == found.tolist()  # deterministic


def test_a_new_process_opens_the_same_index_without_rebuilding(store, centres):
    rng = np.random.default_rng(3)
    fill(store, rng, centres, 2500)
    load_index(store, MODEL)
    folder = matrix_cache.cache_dir(store, MODEL)
    built = json.loads((folder / "ann.json").read_text())["build"]
    index_module._cache.clear()
    again = load_index(store, MODEL)
    assert json.loads((folder / "ann.json").read_text())["build"] == built
    assert again.approximate is not None


def test_claims_added_later_are_found_at_once_then_folded_in(store, centres, monkeypatch):
    rng = np.random.default_rng(4)
    fill(store, rng, centres, 2500)
    load_index(store, MODEL)
    folder = matrix_cache.cache_dir(store, MODEL)
    first = json.loads((folder / "ann.json").read_text())
    # a few new claims: scanned exactly beside the index, which is left as it is
    fresh = clustered(rng, 3, centres)
    new_ids = add_vectors(store, "late", fresh)
    index = load_index(store, MODEL)
    assert json.loads((folder / "ann.json").read_text())["build"] == first["build"]
    assert index.size == 2503 and index.approximate.rows == 2500
    found, scores = index.search(fresh, 1)
    assert found[:, 0].tolist() == new_ids
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5)
    # past the fold limit the new rows are added to the lists: same lists, no retraining
    monkeypatch.setattr(ann, "fold_rows", lambda indexed: 100)
    more = fill(store, rng, centres, 500, label="more")
    index = load_index(store, MODEL)
    folded = json.loads((folder / "ann.json").read_text())
    assert folded["build"] != first["build"] and folded["rows"] == 3003
    assert folded["lists"] == first["lists"] and folded["matrix_build"] == first["matrix_build"]
    assert not (folder / f"ann-{first['build']}.faiss").exists()
    target = index.matrix[index.size - 1][None, :]
    assert index.search(target, 1)[0][0, 0] == more[-1]


def test_a_vector_repaired_in_place_rebuilds_the_index(store, centres):
    from claimcheck.doctor import reembed_claims

    rng = np.random.default_rng(5)
    ids = fill(store, rng, centres, 2500)
    load_index(store, MODEL)
    folder = matrix_cache.cache_dir(store, MODEL)
    first = json.loads((folder / "ann.json").read_text())
    store.db.execute("update claims set assertion = 'edited by hand' where id = ?", [ids[7]])
    replacement = clustered(rng, 1, centres)[0]
    assert reembed_claims(store, [ids[7]], ConstantEmbedder(replacement)) == 1
    index = load_index(store, MODEL)
    rebuilt = json.loads((folder / "ann.json").read_text())
    assert rebuilt["matrix_build"] != first["matrix_build"]
    found, scores = index.search(replacement[None, :], 1)
    assert found[0, 0] == ids[7] and scores[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_a_damaged_index_file_is_rebuilt(store, centres):
    rng = np.random.default_rng(6)
    fill(store, rng, centres, 2500)
    load_index(store, MODEL)
    folder = matrix_cache.cache_dir(store, MODEL)
    meta = json.loads((folder / "ann.json").read_text())
    path = folder / f"ann-{meta['build']}.faiss"
    path.write_bytes(path.read_bytes()[:1000])  # torn
    index_module._cache.clear()
    index = load_index(store, MODEL)
    assert index.approximate is not None and index.approximate.rows == 2500
    assert json.loads((folder / "ann.json").read_text())["build"] != meta["build"]


def test_without_faiss_or_with_the_threshold_at_zero_the_scan_is_exact(store, centres, monkeypatch):
    rng = np.random.default_rng(7)
    fill(store, rng, centres, 2500)
    monkeypatch.setattr(ann, "available", lambda: False)
    assert load_index(store, MODEL).approximate is None
    monkeypatch.undo()
    monkeypatch.setenv(ann.MIN_ROWS_ENV, "0")
    index_module._cache.clear()
    assert load_index(store, MODEL).approximate is None

"""Retrieval alone: claimcheck's index against the plain-numpy floor and a naive SQLite scan.

All three answer the same question — the top k stored claims for each of an article's claim
vectors — over the same archive, measured in the same run, alternately, so that a busy machine
slows them alike.
"""

from __future__ import annotations

import copy
import heapq
import math
import os
import shutil
import struct
import time
from typing import Any

import numpy as np

from bench.stats import summary
from claimcheck.archive import ann as ann_module
from claimcheck.archive import index as index_module
from claimcheck.archive import matrix_cache
from claimcheck.archive.store import Store

RECALL_AT = 10
NPROBE_SWEEP = (8, 16, 32, 48, 64, 96, 128)


def numpy_floor(queries: np.ndarray, matrix: np.ndarray, k: int) -> np.ndarray:
    """The least work possible: one float32 matrix-matrix product and an argpartition."""
    scores = queries @ matrix.T
    return np.argpartition(scores, scores.shape[1] - k, axis=1)[:, -k:]


def naive_sqlite_search(
    store: Store, model: str, query: np.ndarray, k: int, limit: int | None
) -> list[tuple[float, int]]:
    """What simple SQLite embedding tools do: decode every row's blob, cosine in Python."""
    q = [float(x) for x in query]
    q_norm = math.sqrt(sum(x * x for x in q))
    sql = "select claim_id, vector from embeddings where model = ?"
    params: list[Any] = [model]
    if limit:
        sql += " limit ?"
        params.append(limit)
    scored = []
    for claim_id, blob in store.db.execute(sql, params):
        v = struct.unpack("<" + "f" * (len(blob) // 4), blob)
        dot = sum(a * b for a, b in zip(q, v, strict=True))
        scored.append((dot / (q_norm * math.sqrt(sum(b * b for b in v))), claim_id))
    return heapq.nlargest(k, scored)


def measure_retrieval(
    db_path: str,
    model: str,
    queries: np.ndarray,
    *,
    runs: int,
    k: int,
    naive_rows: int | None,
) -> dict[str, Any]:
    store = Store.open(db_path, create=False)
    out: dict[str, Any] = {"queries": int(queries.shape[0]), "k": k}
    try:
        # Cold: no cache on disk, as after upgrading or the first check of a new archive.
        folder = matrix_cache.cache_dir(store, model)
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        index_module._cache.clear()
        threshold = ann_module.min_rows()
        os.environ[ann_module.MIN_ROWS_ENV] = "0"  # the matrix alone first
        started = time.perf_counter()
        index = index_module.load_index(store, model)
        out["cache_build_s"] = time.perf_counter() - started
        out["cache_mb"] = _folder_mb(folder)
        os.environ[ann_module.MIN_ROWS_ENV] = str(threshold)
        index_module._cache.clear()
        started = time.perf_counter()
        index = index_module.load_index(store, model)
        out["ann_build_s"] = time.perf_counter() - started if index.approximate else None
        out["ann_mb"] = _folder_mb(folder) - out["cache_mb"]
        # Warm: what every later `claimcheck check` process pays to open the archive.
        warm = []
        for _ in range(runs):
            index_module._cache.clear()
            started = time.perf_counter()
            index = index_module.load_index(store, model)
            warm.append(time.perf_counter() - started)
        out["open_index_s"] = summary(warm)
        out["rows"] = index.size
        out["refresh_after_one_article_s"] = _refresh_after_one_article(store, model)

        in_memory = np.array(index.matrix)  # the floor gets a plain in-memory array
        exact = copy.copy(index)
        exact.approximate = None  # the same mapped matrix, scanned in full
        out["approximate"] = index.approximate is not None
        index_times, exact_times, floor_times = [], [], []
        for _ in range(runs):
            started = time.perf_counter()
            found, _ = index.search(queries, k)
            index_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            exact.search(queries, k)
            exact_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            numpy_floor(queries, in_memory, k)
            floor_times.append(time.perf_counter() - started)
        out["index_s"] = summary(index_times)
        out["exact_s"] = summary(exact_times)
        out["floor_s"] = summary(floor_times)
        out["index_vs_floor"] = out["index_s"]["p50"] / out["floor_s"]["p50"]
        out["index_vs_exact"] = out["index_s"]["p50"] / out["exact_s"]["p50"]
        out["recall_at_10"] = _recall(index, queries, in_memory)
        if index.approximate is not None:
            out["nprobe"] = _nprobe_sweep(index, queries, in_memory, k, runs)
        del in_memory

        if naive_rows is not None:
            out["naive"] = _measure_naive(store, model, queries[0], k, index.size, naive_rows)
            out["naive"]["speedup_of_index"] = (
                out["naive"]["seconds_for_all_queries"] / out["index_s"]["p50"]
            )
    finally:
        store.close()
    return out


def _refresh_after_one_article(store: Store, model: str) -> float:
    """What the next check pays after an ingest added one article: verify the rows, append."""
    from bench.synthetic import VectorModel, synthetic_articles

    number = store.claim_count() + 10_000_000  # an article number no archive build uses
    item = next(synthetic_articles(1, VectorModel.create(), seed=number, first_number=number))
    store.add_articles([item], model)
    index_module._cache.clear()
    started = time.perf_counter()
    index_module.load_index(store, model)
    return time.perf_counter() - started


def _nprobe_sweep(
    index: index_module.VectorIndex, queries: np.ndarray, matrix: np.ndarray, k: int, runs: int
) -> dict[str, Any]:
    """Search time and recall@10 of the approximate index at several list counts probed."""
    out: dict[str, Any] = {}
    before = os.environ.get(ann_module.NPROBE_ENV)
    try:
        for probes in NPROBE_SWEEP:
            os.environ[ann_module.NPROBE_ENV] = str(probes)
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                index.search(queries, k)
                times.append(time.perf_counter() - started)
            out[str(probes)] = {
                "seconds": summary(times),
                "recall_at_10": _recall(index, queries, matrix),
            }
    finally:
        if before is None:
            os.environ.pop(ann_module.NPROBE_ENV, None)
        else:
            os.environ[ann_module.NPROBE_ENV] = before
    return out


def _recall(index: index_module.VectorIndex, queries: np.ndarray, matrix: np.ndarray) -> float:
    """Share of the exact float32 top-10 (full stable sort) that the index returned."""
    found, _ = index.search(queries, RECALL_AT)
    exact = np.argsort(-(queries @ matrix.T), axis=1, kind="stable")[:, :RECALL_AT]
    exact_ids = index.ids[exact]
    hits = sum(
        len(set(a.tolist()) & set(b.tolist())) for a, b in zip(found, exact_ids, strict=True)
    )
    return hits / exact_ids.size


def _measure_naive(
    store: Store, model: str, query: np.ndarray, k: int, rows: int, naive_rows: int
) -> dict[str, Any]:
    """One query over (up to) `naive_rows` rows, scaled to every query over every row."""
    scanned = min(rows, naive_rows)
    started = time.perf_counter()
    naive_sqlite_search(store, model, query, k, limit=scanned if scanned < rows else None)
    seconds = time.perf_counter() - started
    per_row_query = seconds / scanned
    return {
        "rows_scanned": scanned,
        "seconds_measured": seconds,
        "extrapolated": True,  # always scaled from one query to all of them
        "seconds_for_all_queries": per_row_query * rows * 30,
        "note": f"1 query over {scanned:,} of {rows:,} rows timed; scaled linearly to 30 "
        "queries over every row",
    }


def _folder_mb(folder: Any) -> float:
    if folder is None or not folder.exists():
        return 0.0
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 1e6

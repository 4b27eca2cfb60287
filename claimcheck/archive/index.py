"""Nearest stored claims by embedding: one pass over the archive's matrix for a whole article.

All new claims of an article are scored together against every stored vector (a float32
matrix-matrix product, queries x archive rows), a block of rows at a time: each block's best k
per query are kept with `argpartition` and merged with the best so far. The results are exactly
those of one product over the whole matrix (float32 cosine, best first, ties by claim id), but
the scores never exist for all rows at once (30 x 1M floats would be 120 MB).

The matrix comes from `matrix_cache`: a memory-mapped file beside the database, so a new process
starts scanning at once. After each block is scored its pages are released from this process
(`madvise(MADV_DONTNEED)`): they stay in the operating system's page cache, so the next check
re-maps them without reading the disk, but a check's resident memory is one block rather than
the whole archive (1.5 GB at a million claims). Releasing and re-faulting costs under 5% of the
scan; see docs/performance.md.
"""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from .ann import Ann
from .matrix_cache import ArchiveState, archive_state, load_matrix
from .store import Store

if TYPE_CHECKING:
    from .milvus import MilvusIndex

# `milvus:URI` keeps the vectors in Milvus (archive/milvus.py); unset or `numpy`, the matrix.
INDEX_ENV = "CLAIMCHECK_INDEX"

# 64k rows x 384 dims x 4 bytes = 96 MB per block, resident only while it is scored. Fewer,
# larger BLAS calls matter on a busy machine: every call wakes and joins OpenBLAS's threads, and
# with 16k-row blocks the scan measured 1.5-3.7x the single-product floor under load, against
# 0.9-1.4x with 64k (docs/performance.md).
BLOCK_ROWS = 65_536
RELEASE_ALIGN = 2 * 1024 * 1024  # the largest folio the page cache maps at once (x86-64 PMD)


class Retriever(Protocol):
    """What the checker asks of an archive's vectors, whatever holds them: the matrix here
    (scanned exactly, or through the approximate index above its threshold) or another backend
    (a Milvus collection). Claim ids and cosine scores, best first."""

    @property
    def size(self) -> int: ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]: ...

    def similarities(self, query: np.ndarray, claim_ids: list[int]) -> np.ndarray: ...


@dataclass
class VectorIndex:
    ids: np.ndarray  # int64 claim ids, one per row, ascending
    matrix: np.ndarray  # float32, L2-normalised rows (possibly memory-mapped)
    generation: int = -1
    state: ArchiveState | None = None
    mapping: mmap.mmap | None = None  # the file mapping behind `matrix`, when there is one
    approximate: Ann | None = None  # an IVF index over the first rows (large archives only)

    @property
    def size(self) -> int:
        return int(self.ids.shape[0])

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (claim ids, cosine scores) per query row, best first."""
        q = np.ascontiguousarray(queries, dtype=np.float32)
        if q.ndim == 1:
            q = q[None, :]
        if self.size == 0 or q.shape[0] == 0 or k <= 0:
            empty = np.zeros((q.shape[0], 0))
            return empty.astype(np.int64), empty.astype(np.float32)
        k = min(k, self.size)
        best_scores, best_rows = None, None
        if self.approximate is not None:
            best_rows, best_scores = self.approximate.search(q, k)
            if np.isinf(best_scores).any():  # a query's lists held fewer than k rows
                best_scores, best_rows = None, None
        if best_scores is None or best_rows is None:
            best_scores, best_rows = self._scan(q, k, 0)
        else:  # rows appended since the approximate index was written: scanned exactly
            more_scores, more_rows = self._scan(q, k, self.approximate.rows)  # type: ignore[union-attr]
            best_scores, best_rows = _best_columns(
                np.concatenate([best_scores, more_scores], axis=1),
                k,
                np.concatenate([best_rows, more_rows], axis=1),
            )
        # Best first; equal scores in claim id order, so results never depend on block size.
        order = np.lexsort((best_rows, -best_scores), axis=1)
        rows = np.take_along_axis(best_rows, order, axis=1)
        return self.ids[rows], np.take_along_axis(best_scores, order, axis=1)

    def _scan(self, q: np.ndarray, k: int, first_row: int) -> tuple[np.ndarray, np.ndarray]:
        """The exact best k (scores, rows) per query among rows from `first_row` on."""
        best_scores = np.full((q.shape[0], 0), -np.inf, dtype=np.float32)
        best_rows = np.zeros((q.shape[0], 0), dtype=np.int64)
        for start in range(first_row, self.size, BLOCK_ROWS):
            block = self.matrix[start : start + BLOCK_ROWS]
            scores, rows = _best_columns(q @ block.T, k)
            best_scores, best_rows = _best_columns(
                np.concatenate([best_scores, scores], axis=1),
                k,
                np.concatenate([best_rows, rows + start], axis=1),
            )
            self._release(start, block.shape[0])
        return best_scores, best_rows

    def similarities(self, query: np.ndarray, claim_ids: list[int]) -> np.ndarray:
        """Cosine of one query with the given stored claims (0 for ids without a vector)."""
        if not claim_ids or self.size == 0:
            return np.zeros(len(claim_ids), dtype=np.float32)
        wanted = np.asarray(claim_ids, dtype=np.int64)
        rows = np.searchsorted(self.ids, wanted)
        rows = np.clip(rows, 0, self.size - 1)
        present = self.ids[rows] == wanted
        out = np.zeros(len(claim_ids), dtype=np.float32)
        out[present] = self._rows(rows[present]) @ np.asarray(query, dtype=np.float32)
        return out

    def _rows(self, rows: np.ndarray) -> np.ndarray:
        """A copy of some rows, leaving none of the mapping resident.

        The kernel maps a file's page cache in large folios (up to 2 MB), so touching one
        1.5 kB row can make 2 MB resident: 250 scattered rows measured +400 MB at 1M claims.
        """
        out = np.array(self.matrix[rows])
        if self.mapping is not None and len(rows):
            row_bytes = self.matrix.shape[1] * self.matrix.itemsize
            total = self.size * row_bytes
            first = (rows * row_bytes) // RELEASE_ALIGN
            last = ((rows + 1) * row_bytes - 1) // RELEASE_ALIGN
            for region in np.union1d(first, last).tolist():
                begin = region * RELEASE_ALIGN
                self.mapping.madvise(mmap.MADV_DONTNEED, begin, min(RELEASE_ALIGN, total - begin))
        return out

    def _release(self, start_row: int, rows: int) -> None:
        """Drop a scanned block's pages from this process; the page cache keeps them."""
        if self.mapping is None:
            return
        row_bytes = self.matrix.shape[1] * self.matrix.itemsize
        begin = (start_row * row_bytes) // mmap.PAGESIZE * mmap.PAGESIZE
        end = (start_row + rows) * row_bytes
        self.mapping.madvise(mmap.MADV_DONTNEED, begin, end - begin)


def _best_columns(
    scores: np.ndarray, keep: int, rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each query's `keep` highest scores and their rows (column numbers when `rows` is None).

    Equal scores at the cut go to the lowest row, as a stable sort would: identical stored
    vectors (the same wire copy in several papers) are common, and which of them is returned
    must not depend on how the scan was blocked.
    """
    columns = scores.shape[1]
    if rows is None:
        rows = np.broadcast_to(np.arange(columns, dtype=np.int64), scores.shape)
    if columns <= keep:
        return scores, np.array(rows)
    picked = np.argpartition(scores, columns - keep, axis=1)[:, columns - keep :]
    kept = np.take_along_axis(scores, picked, axis=1)
    cut = kept.min(axis=1, keepdims=True)
    left_out_ties = (scores == cut).sum(axis=1) > (kept == cut).sum(axis=1)
    for i in np.nonzero(left_out_ties)[0]:  # rare: redo those queries with a full stable sort
        picked[i] = np.lexsort((rows[i], -scores[i]))[:keep]
    return np.take_along_axis(scores, picked, axis=1), np.take_along_axis(rows, picked, axis=1)


_cache: dict[tuple[str, str], VectorIndex] = {}


def load_index(store: Store, model: str) -> VectorIndex | MilvusIndex:
    """The archive's vectors for `model`, never stale: checked against the database each call.

    Within a process the mapped index is reused while the database is unchanged; across
    processes the on-disk cache (matrix_cache.py) is refreshed when another process wrote.
    With $CLAIMCHECK_INDEX set to `milvus:URI` the vectors are searched in Milvus instead.
    """
    spec = os.environ.get(INDEX_ENV, "")
    if spec.startswith("milvus:"):
        from .milvus import milvus_index  # pymilvus loads only when Milvus is asked for

        return milvus_index(store, model, spec)
    key = (store.path, model)
    cached = _cache.get(key)
    if cached is not None and archive_state(store, model) == cached.state:
        return cached
    loaded = load_matrix(store, model)
    index = VectorIndex(
        ids=loaded.ids,
        matrix=loaded.matrix,
        generation=loaded.state.generation,
        state=loaded.state,
        mapping=loaded.mapping,
        approximate=loaded.approximate,
    )
    if store.path != ":memory:":
        _cache[key] = index
    return index

"""An approximate index for large archives: an inverted file (faiss IVF) over the matrix cache.

Below `min_rows()` stored vectors (200,000 by default) the exact scan is fast enough and nothing
here is used. Above it, the rows of the matrix cache (`matrix_cache.py`) are grouped around
k-means centroids (about 2·√rows lists), and a query scores only the rows of its `nprobe` nearest
lists: exact float32 inner products over a few percent of the archive instead of all of it.

The index lives beside the matrix it was built from (`ann-<build>.faiss` and `ann.json` in the
same folder) and is only ever used with that matrix: `ann.json` names the matrix cache's build
and how many of its rows the index holds. The matrix cache only appends to a build (a rewritten
or deleted vector makes a new build), so the first `rows` rows are the ones the index was built
from, and the index is never stale:

- rows appended since the index was written are scanned exactly, beside it;
- when they pass `fold_rows()` (2% of the index, at least 20,000) they are added to the lists —
  an incremental update, no retraining — and the file is replaced atomically;
- a new build of the matrix (a repair, a deletion, another archive at the same path) rebuilds it.

The file is memory-mapped (`IO_FLAG_MMAP_IFC`): a new process opens it in milliseconds and the
operating system's page cache keeps it warm between checks, as it does the matrix.
"""

from __future__ import annotations

import importlib.util
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..locks import read_json, write_json

FORMAT = 1
MIN_ROWS_ENV = "CLAIMCHECK_ANN_MIN_ROWS"  # "0" turns the approximate index off
NPROBE_ENV = "CLAIMCHECK_ANN_NPROBE"
DEFAULT_MIN_ROWS = 200_000
DEFAULT_NPROBE = 16  # recall@10 1.000 at 8, 16 and 24 of 2,000 lists at 1M (docs/performance.md)
TRAIN_POINTS_PER_LIST = 40
ADD_CHUNK = 100_000


def min_rows() -> int:
    """Archives with at least this many vectors are searched through the index (0: never)."""
    value = os.environ.get(MIN_ROWS_ENV, "")
    return int(value) if value.isdigit() else DEFAULT_MIN_ROWS


def nprobe() -> int:
    value = os.environ.get(NPROBE_ENV, "")
    return max(1, int(value)) if value.isdigit() else DEFAULT_NPROBE


def available() -> bool:
    return importlib.util.find_spec("faiss") is not None


def lists_for(rows: int) -> int:
    """About 2·√rows inverted lists: 2,000 lists of 500 rows at a million."""
    return int(min(4096, max(8, 2 * np.sqrt(max(rows, 1)))))


def fold_rows(indexed: int) -> int:
    """Rows appended beyond the index before they are added to it."""
    return max(20_000, indexed // 50)


@dataclass
class Ann:
    """An IVF index over the first `rows` rows of one matrix cache build."""

    index: Any  # faiss.IndexIVFFlat, ids = row numbers in the matrix
    rows: int
    lists: int

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (row numbers, inner products) per query among the indexed rows; row -1 and
        score -inf where a query's lists hold fewer than k rows."""
        self.index.nprobe = min(nprobe(), self.lists)
        scores, rows = self.index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        scores = np.where(rows < 0, -np.inf, scores).astype(np.float32)
        return rows.astype(np.int64), scores


def _faiss() -> Any:
    import faiss

    return faiss


def _read_meta(folder: Path) -> dict[str, Any] | None:
    meta = read_json(folder / "ann.json")
    return meta if meta and meta.get("format") == FORMAT else None


def _write(folder: Path, index: Any, matrix_build: str, rows: int, lists: int) -> dict[str, Any]:
    faiss = _faiss()
    build = uuid.uuid4().hex[:12]
    path = folder / f"ann-{build}.faiss"
    faiss.write_index(index, str(path))
    meta = {
        "format": FORMAT,
        "build": build,
        "matrix_build": matrix_build,
        "rows": rows,
        "lists": lists,
        "bytes": path.stat().st_size,
    }
    old = _read_meta(folder)
    write_json(folder / "ann.json", meta)  # readers see the old index or the new one
    if old and old.get("build") != build:
        (folder / f"ann-{old['build']}.faiss").unlink(missing_ok=True)
    return meta


def _add(index: Any, matrix: np.ndarray, start: int, end: int) -> None:
    for first in range(start, end, ADD_CHUNK):
        last = min(end, first + ADD_CHUNK)
        block = np.ascontiguousarray(matrix[first:last], dtype=np.float32)
        index.add_with_ids(block, np.arange(first, last, dtype=np.int64))


def build(folder: Path, matrix_build: str, matrix: np.ndarray) -> dict[str, Any]:
    """A new index over every row of `matrix`: k-means lists trained on a sample, then filled."""
    faiss = _faiss()
    rows, dims = matrix.shape
    lists = lists_for(rows)
    quantizer = faiss.IndexFlatIP(dims)
    index = faiss.IndexIVFFlat(quantizer, dims, lists, faiss.METRIC_INNER_PRODUCT)
    index.cp.niter = 10
    index.cp.max_points_per_centroid = TRAIN_POINTS_PER_LIST
    index.cp.min_points_per_centroid = 1  # a small archive trains on what it has, silently
    rng = np.random.default_rng(0)
    sample = np.sort(rng.choice(rows, size=min(rows, lists * TRAIN_POINTS_PER_LIST), replace=False))
    index.train(np.ascontiguousarray(matrix[sample], dtype=np.float32))
    _add(index, matrix, 0, rows)
    return _write(folder, index, matrix_build, rows, lists)


def extend(folder: Path, meta: dict[str, Any], matrix: np.ndarray) -> dict[str, Any]:
    """The index with the rows appended since it was written added to its lists."""
    faiss = _faiss()
    index = faiss.read_index(str(folder / f"ann-{meta['build']}.faiss"))
    _add(index, matrix, int(meta["rows"]), matrix.shape[0])
    return _write(folder, index, meta["matrix_build"], matrix.shape[0], int(meta["lists"]))


def usable(folder: Path, meta: dict[str, Any] | None, matrix_build: str, rows: int) -> bool:
    """Whether `meta` describes an index of this matrix build's first rows, whole on disk."""
    if meta is None or meta.get("matrix_build") != matrix_build or int(meta["rows"]) > rows:
        return False
    path = folder / f"ann-{meta['build']}.faiss"
    return path.is_file() and path.stat().st_size == int(meta["bytes"])


def refresh(folder: Path, matrix_build: str, matrix: np.ndarray) -> dict[str, Any]:
    """Bring the index level with the matrix: reuse, extend or rebuild. Call under the matrix
    cache's lock, which serialises writers of the folder."""
    meta = _read_meta(folder)
    rows = matrix.shape[0]
    if not usable(folder, meta, matrix_build, rows):
        return build(folder, matrix_build, matrix)
    assert meta is not None
    if rows - int(meta["rows"]) > fold_rows(int(meta["rows"])):
        return extend(folder, meta, matrix)
    return meta


def open_index(folder: Path, meta: dict[str, Any]) -> Ann:
    """The index file memory-mapped, read-only."""
    faiss = _faiss()
    flags = faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY
    index = faiss.read_index(str(folder / f"ann-{meta['build']}.faiss"), flags)
    return Ann(index=index, rows=int(meta["rows"]), lists=int(meta["lists"]))

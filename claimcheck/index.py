"""Nearest stored claims by embedding: one matrix product over the whole archive.

All new claims of an article are scored against every stored vector at once (queries x archive),
and `argpartition` picks each row's top k: no Python loop over stored rows. The matrix is held in
memory per process and reloaded only when the store's vector generation changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .store import Store


@dataclass
class VectorIndex:
    ids: np.ndarray  # int64 claim ids, one per row
    matrix: np.ndarray  # float32, L2-normalised rows
    generation: int = -1

    @property
    def size(self) -> int:
        return int(self.ids.shape[0])

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (claim ids, cosine scores) per query row, best first."""
        q = np.asarray(queries, dtype=np.float32)
        if self.size == 0 or q.shape[0] == 0:
            empty = np.zeros((q.shape[0], 0))
            return empty.astype(np.int64), empty.astype(np.float32)
        k = min(k, self.size)
        scores = q @ self.matrix.T
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        top_scores = np.take_along_axis(scores, top, axis=1)
        order = np.argsort(-top_scores, axis=1)
        top = np.take_along_axis(top, order, axis=1)
        return self.ids[top], np.take_along_axis(top_scores, order, axis=1)

    def similarities(self, query: np.ndarray, claim_ids: list[int]) -> np.ndarray:
        """Cosine of one query with the given stored claims (0 for ids without a vector)."""
        if not claim_ids or self.size == 0:
            return np.zeros(len(claim_ids), dtype=np.float32)
        wanted = np.asarray(claim_ids, dtype=np.int64)
        rows = np.searchsorted(self.ids, wanted)
        rows = np.clip(rows, 0, self.size - 1)
        present = self.ids[rows] == wanted
        out = np.zeros(len(claim_ids), dtype=np.float32)
        out[present] = self.matrix[rows[present]] @ np.asarray(query, dtype=np.float32)
        return out


_cache: dict[tuple[str, str], VectorIndex] = {}


def load_index(store: Store, model: str) -> VectorIndex:
    """The archive's vectors for `model`, reloaded only when another write changed them."""
    generation = store.vectors_generation()
    key = (store.path, model)
    cached = _cache.get(key)
    if cached is not None and cached.generation == generation and store.path != ":memory:":
        return cached
    ids, matrix = store.load_vectors(model)
    index = VectorIndex(ids=ids, matrix=matrix, generation=generation)
    _cache[key] = index
    return index

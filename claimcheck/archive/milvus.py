"""The claims' vectors in Milvus: a derived index for archives beyond one machine's memory.

SQLite stays the record of claims, speakers, vectors and review; Milvus holds a copy of the
vectors of one model in a collection keyed by claim id, so that retrieval asks it for the
nearest neighbours of all an article's claims in one call instead of scanning a matrix held in
this process. `--index milvus:URI` chooses it: a Milvus Lite file (`milvus:archive.milvus.db`,
embedded, one process at a time) or a server (`milvus:http://host:19530`).

The collection is never trusted blindly. A second, one-row collection records the archive's
state (matrix_cache.ArchiveState) when the vectors were last copied, and every use compares it
with the database, as the matrix cache does: equal, it is served; the database only grew (the
rewrite counter unchanged), the new rows are copied in (ingest does this after each batch, so
Milvus is written in the same batches as SQLite); anything else (a repair re-embedded claims, the
database was re-created), the collection is rebuilt from SQLite. `claimcheck doctor --index
milvus:URI` verifies it row by row and rebuilds it with --repair.

pymilvus is imported only here, and only when a Milvus index is asked for.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import re
from dataclasses import asdict
from typing import Any

import numpy as np

from ..errors import StoreError
from .matrix_cache import ArchiveState, archive_state, vector_chunk
from .store import Store

SCHEME = "milvus:"
INDEX_TYPE = "HNSW"  # exact FLAT is there for measuring; HNSW keeps a search under a millisecond
HNSW_PARAMS = {"M": 16, "efConstruction": 200}
SEARCH_EF = 128  # HNSW's search breadth: recall@10 against the exact scan, docs/performance.md
TIE_SLACK = 8  # extra neighbours fetched so that ties at the k-th place break by claim id
INSERT_ROWS = 5_000  # rows per insert call (a Milvus message stays well under its size limit)


def is_milvus_spec(spec: str | None) -> bool:
    return bool(spec) and str(spec).startswith(SCHEME)


def parse_spec(spec: str) -> str:
    """The URI of `milvus:URI`, refused in one line when it is empty or not a file or http(s)."""
    if not is_milvus_spec(spec):
        raise StoreError(f"Unknown index {spec!r}: give numpy or milvus:URI.")
    uri = spec[len(SCHEME) :].strip()
    if not uri:
        raise StoreError(
            "--index milvus: needs a URI: a Milvus Lite file (milvus:archive.milvus.db) "
            "or a server (milvus:http://host:19530)."
        )
    if "://" in uri and not uri.startswith(("http://", "https://", "tcp://", "unix:")):
        raise StoreError(f"Milvus URI {uri!r}: use http(s)://host:port or a file path.")
    if "://" not in uri and not uri.endswith(".db"):
        raise StoreError(f"A Milvus Lite file must end in .db: {uri!r}.")
    return uri


def collection_name(model: str) -> str:
    """One collection per embedding model: letters, digits and underscores, under 255."""
    slug = re.sub(r"[^A-Za-z0-9]+", "_", model).strip("_")[-40:] or "model"
    return f"claimcheck_{slug}_{hashlib.sha1(model.encode()).hexdigest()[:8]}"


_clients: dict[str, Any] = {}
_loaded: set[tuple[str, str]] = set()  # (uri, collection) loaded for search in this process


def _client(uri: str) -> Any:
    """One client per URI per process: Milvus Lite allows one opener of its file."""
    if uri not in _clients:
        try:
            from pymilvus import MilvusClient

            if not _clients:
                atexit.register(close_clients)  # Milvus Lite's server threads end with it
            _clients[uri] = MilvusClient(uri)
        except Exception as exc:
            raise StoreError(f"Cannot open the Milvus index {uri}: {_first_line(exc)}") from exc
    return _clients[uri]


def close_clients() -> None:
    """Close every client; an embedded Milvus Lite file is unlocked for other processes."""
    for uri, client in _clients.items():
        client.close()
        if "://" not in uri:
            try:
                from milvus_lite.server_manager import server_manager_instance

                server_manager_instance.release_server(uri)
            except (ImportError, AttributeError):  # another Milvus Lite: it unlocks at exit
                pass
    _clients.clear()
    _loaded.clear()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class MilvusIndex:
    """The archive's vectors of one model in a Milvus collection, kept in step with SQLite.

    `search` and `similarities` answer as `VectorIndex` does (claim ids and cosine scores, best
    first, equal scores in claim id order); the similarity of a query with named claims reads
    their vectors from SQLite, the record, so only the neighbour search goes to Milvus.
    """

    def __init__(self, store: Store, model: str, uri: str, *, index_type: str = INDEX_TYPE) -> None:
        self.store = store
        self.model = model
        self.uri = uri
        self.index_type = index_type
        self.name = collection_name(model)
        self.state_name = f"{self.name}_state"
        self.client = _client(uri)
        self.state: ArchiveState | None = None
        self.dims = 0
        self._rows = 0
        self._vectors: dict[int, np.ndarray] = {}

    # ------------------------------------------------------------------ state
    def _has(self, name: str) -> bool:
        """Whether the collection exists, loaded for reading: a collection another process
        wrote starts released, and Milvus refuses to search or read it until it is loaded."""
        if (self.uri, name) in _loaded:
            return True
        if not self.client.has_collection(name):
            return False
        self.client.load_collection(name)
        _loaded.add((self.uri, name))
        return True

    def _drop(self, name: str) -> None:
        if self.client.has_collection(name):
            self.client.drop_collection(name)
        _loaded.discard((self.uri, name))

    def recorded(self) -> tuple[ArchiveState | None, int, int]:
        """The state, dimensions and row count recorded when the vectors were last copied."""
        if not self._has(self.state_name):
            return None, 0, 0
        rows = self.client.get(self.state_name, ids=[0], output_fields=["state"])
        if not rows:
            return None, 0, 0
        data = json.loads(rows[0]["state"])
        return ArchiveState(**data["archive"]), int(data["dims"]), int(data["rows"])

    def _record(self, state: ArchiveState, dims: int, rows: int) -> None:
        if not self._has(self.state_name):
            from pymilvus import DataType

            schema = self.client.create_schema(auto_id=False, enable_dynamic_field=False)
            schema.add_field("id", DataType.INT64, is_primary=True)
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=2)
            schema.add_field("state", DataType.VARCHAR, max_length=4096)
            params = self.client.prepare_index_params()
            params.add_index(field_name="vector", index_type="FLAT", metric_type="L2")
            self.client.create_collection(self.state_name, schema=schema, index_params=params)
        text = json.dumps({"archive": asdict(state), "dims": dims, "rows": rows})
        self.client.upsert(self.state_name, [{"id": 0, "vector": [0.0, 0.0], "state": text}])
        self.state, self.dims, self._rows = state, dims, rows

    def _create(self, dims: int) -> None:
        from pymilvus import DataType

        self._drop(self.name)
        schema = self.client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dims)
        params = self.client.prepare_index_params()
        extra = HNSW_PARAMS if self.index_type == "HNSW" else {}
        params.add_index(
            field_name="vector", index_type=self.index_type, metric_type="IP", params=extra
        )
        self.client.create_collection(self.name, schema=schema, index_params=params)

    # ------------------------------------------------------------------ writing
    def sync(self) -> str:
        """Bring the collection level with the database: 'current', 'appended' or 'rebuilt'."""
        now = archive_state(self.store, self.model)
        recorded, dims, rows = self.recorded()
        if recorded == now and self._has(self.name):
            self.state, self.dims, self._rows = now, dims, rows
            return "current"
        if (
            recorded is not None
            and self._has(self.name)
            and recorded.archive_id == now.archive_id
            and recorded.rewrites == now.rewrites
            and recorded.rewrites >= 0
            and now.max_claim_id >= recorded.max_claim_id
        ):
            added, dims = self._copy(recorded.max_claim_id, dims)
            self._record(now, dims, rows + added)
            return "appended"
        self.rebuild()
        return "rebuilt"

    def rebuild(self) -> int:
        """Replace the collection with every vector of the model in SQLite; rows copied."""
        now = archive_state(self.store, self.model)
        self._drop(self.name)
        added, dims = self._copy(0, 0)
        self._record(now, dims, added)
        self._vectors.clear()
        return added

    def _copy(self, after_id: int, dims: int) -> tuple[int, int]:
        """Insert the vectors with claim ids above `after_id`, in chunks; (rows, dims)."""
        added = 0
        while True:
            chunk = vector_chunk(self.store, self.model, after_id, dims, limit=INSERT_ROWS)
            if not chunk.last_id:
                return added, dims
            if chunk.dims and not self._has(self.name):
                self._create(chunk.dims)
            dims = chunk.dims
            if len(chunk.ids):
                self.client.upsert(
                    self.name,
                    [
                        {"id": int(i), "vector": row}
                        for i, row in zip(chunk.ids.tolist(), chunk.matrix, strict=True)
                    ],
                )
                added += len(chunk.ids)
            after_id = chunk.last_id

    # ------------------------------------------------------------------ reading
    @property
    def size(self) -> int:
        return self._rows

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (claim ids, cosine scores) per query row, best first: one Milvus call."""
        q = np.ascontiguousarray(queries, dtype=np.float32)
        if q.ndim == 1:
            q = q[None, :]
        if self.state is None:
            self.sync()
        if self._rows == 0 or q.shape[0] == 0 or k <= 0:
            empty = np.zeros((q.shape[0], 0))
            return empty.astype(np.int64), empty.astype(np.float32)
        k = min(k, self._rows)
        # A few more than k come back, so that claims tied at the k-th score are cut in claim id
        # order, as the exact scan cuts them (Milvus returns either of two equal neighbours).
        limit = min(k + TIE_SLACK, self._rows)
        params: dict[str, Any] = {"metric_type": "IP"}
        if self.index_type == "HNSW":
            params["params"] = {"ef": max(SEARCH_EF, limit)}
        hits = self.client.search(
            self.name, data=list(q), limit=limit, output_fields=[], search_params=params
        )
        ids = np.zeros((q.shape[0], k), dtype=np.int64)
        scores = np.full((q.shape[0], k), -np.inf, dtype=np.float32)
        for row, found in enumerate(hits):
            ranked = sorted((-float(h["distance"]), int(h["id"])) for h in found)[:k]
            for col, (score, claim_id) in enumerate(ranked):
                ids[row, col], scores[row, col] = claim_id, -score
        width = min(k, min(len(h) for h in hits)) if hits else 0
        return ids[:, :width], scores[:, :width]

    def similarities(self, query: np.ndarray, claim_ids: list[int]) -> np.ndarray:
        """Cosine of one query with the given stored claims (0 for ids without a vector)."""
        out = np.zeros(len(claim_ids), dtype=np.float32)
        missing = [c for c in dict.fromkeys(claim_ids) if c not in self._vectors]
        for start in range(0, len(missing), 500):
            part = missing[start : start + 500]
            marks = ",".join("?" * len(part))
            sql = (
                f"select claim_id, vector from embeddings where model = ? and claim_id in ({marks})"
            )
            for claim_id, blob in self.store.db.execute(sql, [self.model, *part]):
                vector = np.frombuffer(blob, dtype="<f4")
                if not self.dims or vector.shape[0] == self.dims:
                    self._vectors[int(claim_id)] = vector
        q = np.asarray(query, dtype=np.float32)
        for i, claim_id in enumerate(claim_ids):
            found = self._vectors.get(claim_id)
            if found is not None:
                out[i] = float(found @ q)
        return out

    # ------------------------------------------------------------------ checking
    def verify(self) -> list[str]:
        """What differs between the collection and SQLite, one sentence each (none: in step)."""
        recorded, _, rows = self.recorded()
        now = archive_state(self.store, self.model)
        if recorded is None or not self._has(self.name):
            stored = self._stored_count()
            return [f"the Milvus collection {self.name} is missing ({stored} vectors in SQLite)"]
        problems = []
        if recorded != now:
            problems.append("the Milvus collection is behind the database (it was written since)")
        counted = self._milvus_count()
        if counted != rows:
            problems.append(f"the Milvus collection holds {counted} rows, {rows} were written")
        if recorded == now:
            wrong = self._rows_differing()
            if wrong:
                problems.append(f"{wrong} vector(s) in Milvus differ from SQLite's")
        return problems

    def _stored_count(self) -> int:
        row = self.store.db.execute(
            "select count(*) from embeddings where model = ?", [self.model]
        ).fetchone()
        return int(row[0])

    def _milvus_count(self) -> int:
        # count(*) rather than the collection's statistics, which count an upserted row twice
        # until the segment is compacted.
        rows = self.client.query(self.name, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0

    def _rows_differing(self) -> int:
        """Every SQLite vector compared with Milvus's copy, a chunk at a time."""
        wrong, after, dims = 0, 0, 0
        while True:
            chunk = vector_chunk(self.store, self.model, after, dims, limit=INSERT_ROWS)
            if not chunk.last_id:
                return wrong
            dims, after = chunk.dims, chunk.last_id
            if not len(chunk.ids):
                continue
            got = self.client.get(self.name, ids=chunk.ids.tolist(), output_fields=["vector"])
            copies = {int(r["id"]): np.asarray(r["vector"], dtype=np.float32) for r in got}
            for claim_id, row in zip(chunk.ids.tolist(), chunk.matrix, strict=True):
                copy = copies.get(claim_id)
                if copy is None or copy.shape != row.shape or not np.allclose(copy, row, atol=1e-6):
                    wrong += 1


def milvus_index(store: Store, model: str, spec: str) -> MilvusIndex:
    """The Milvus index of `spec` for `model`, brought level with the database first."""
    index = MilvusIndex(store, model, parse_spec(spec))
    index.sync()
    return index

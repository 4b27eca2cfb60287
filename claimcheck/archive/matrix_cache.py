"""An on-disk copy of the archive's vector matrix, memory-mapped, never stale.

Loading a million float32 blobs from SQLite takes seconds, and every `claimcheck check` is a new
process. So the matrix is kept beside the database as raw little-endian float32 rows
(`claimcheck.db.vectors/<model>/vectors-<build>.f32`, with the claim ids in `ids-<build>.i64`)
and memory-mapped: opening it costs nothing and the operating system's page cache keeps it warm
between runs.

`meta.json` says which rows the files hold, recorded against the database's state: the
`meta.vectors_generation` counter (bumped by every write that adds vectors), the highest stored
claim id of the model with that row's content hash, and the first article's hash and ingest time
(so a database deleted and re-created at the same path is not mistaken for the old one). Every
load compares that state with the database's, under a file lock:

- equal: the files are served as they are;
- the database only grew (same archive, the cached rows unchanged): the new rows are read from
  SQLite and appended;
- anything else: the cache is rebuilt into new files, streamed in chunks, and `meta.json` is
  replaced atomically. A process still mapping the old files keeps its (consistent) snapshot.

"Cached rows unchanged" must be established, because a repair (`claimcheck doctor`) re-embeds
claims in place, under their old ids. When the database keeps a `meta.vectors_rewrites` counter
(bumped by triggers on every update or delete of an embedding) an unchanged counter proves it for
free. Without one, the cached rows' fingerprint (count, bytes, and a checksum of claim id and
content hash per row) is compared with the database's: one scan of the embeddings table, about a
second at a million rows, paid once per change to the archive instead of a rebuild.

Rows past `meta.json`'s count (an append interrupted by a crash) are ignored and overwritten.

From `ann.min_rows()` rows on, the same folder also holds the approximate index (`ann.py`), built
from these files under the same lock and tied to their build, so it is exactly as fresh as they
are.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import re
import uuid
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..locks import folder_lock, read_json, write_json
from . import ann
from .store import Store

FORMAT = 3
CHECKSUM_MODULUS = 2**61 - 1
READ_CHUNK_ROWS = 50_000  # rows read from SQLite per query while building or appending


@dataclass(frozen=True)
class ArchiveState:
    """What identifies the set of stored vectors of one model at one moment."""

    generation: int
    max_claim_id: int
    last_hash: str  # content_hash of the embedding row max_claim_id ('' when none)
    archive_id: str  # first article's content hash and ingest time ('' when empty)
    rewrites: int = -1  # meta.vectors_rewrites, or -1 when the database keeps no such counter


@dataclass
class MappedMatrix:
    """Claim ids and their vector rows; `mapping` is set when the rows are memory-mapped."""

    ids: np.ndarray  # int64
    matrix: np.ndarray  # float32 (rows, dims)
    state: ArchiveState
    mapping: mmap.mmap | None = None
    approximate: ann.Ann | None = None  # an IVF index over the first rows, for large archives


def archive_state(store: Store, model: str) -> ArchiveState:
    """The database's current state for `model`, in three indexed look-ups."""
    # Read-only queries on the store's tables, kept here because only the cache needs them.
    db = store.db
    top = db.execute(
        "select claim_id, content_hash from embeddings where model = ? "
        "order by claim_id desc limit 1",
        [model],
    ).fetchone()
    first = db.execute(
        "select content_hash, ingested_at from articles order by id limit 1"
    ).fetchone()
    rewrites = db.execute("select value from meta where key = 'vectors_rewrites'").fetchone()
    return ArchiveState(
        generation=store.vectors_generation(),
        max_claim_id=int(top[0]) if top else 0,
        last_hash=(top[1] or "") if top else "",
        archive_id=f"{first[0]}@{first[1]}" if first else "",
        rewrites=int(rewrites[0]) if rewrites else -1,
    )


@dataclass
class Fingerprint:
    """A summary of a set of embedding rows that changes when any row is rewritten."""

    rows: int = 0
    bytes: int = 0
    checksum: int = 0

    def add(self, claim_id: int, content_hash: str | None, size: int) -> None:
        self.rows += 1
        self.bytes += size
        row = zlib.crc32(f"{claim_id}:{content_hash or ''}:{size}".encode())
        self.checksum = (self.checksum + row * (claim_id % 65_521 + 1)) % CHECKSUM_MODULUS


def stored_fingerprint(store: Store, model: str, up_to_id: int) -> Fingerprint:
    """The fingerprint of the database's rows of `model` with claim ids up to `up_to_id`."""
    found = Fingerprint()
    for claim_id, digest, size in store.db.execute(
        "select claim_id, content_hash, length(vector) from embeddings "
        "where model = ? and claim_id <= ?",
        [model, up_to_id],
    ):
        found.add(claim_id, digest, size or 0)
    return found


def cache_dir(store: Store, model: str) -> Path | None:
    """Where the cache of `model` lives, or None for an in-memory database."""
    if store.path == ":memory:" or not store.path:
        return None
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", model)[-40:].strip("-.") or "model"
    digest = hashlib.sha1(model.encode("utf-8")).hexdigest()[:8]
    return Path(store.path + ".vectors") / f"{slug}-{digest}"


def load_matrix(store: Store, model: str) -> MappedMatrix:
    """The stored vectors of `model`, from the on-disk cache, refreshing it first if needed.

    Falls back to reading SQLite into memory when the cache cannot be written (an in-memory
    database, a read-only folder).
    """
    state = archive_state(store, model)
    folder = cache_dir(store, model)
    if folder is not None:
        try:
            return _load_cached(store, model, folder, state)
        except OSError:
            pass  # unwritable or full disk: the cache is an optimisation, not a requirement
    ids, matrix = read_vectors(store, model)
    return MappedMatrix(ids=ids, matrix=matrix, state=state)


@dataclass
class Chunk:
    """Vectors read from SQLite: the usable rows, and how far the read got."""

    ids: np.ndarray  # int64
    matrix: np.ndarray  # float32 (rows, dims)
    dims: int  # the width every kept row has (0 until a usable row is seen)
    last_id: int  # the highest claim id read, kept or not (0 when nothing was read)


def vector_chunk(
    store: Store,
    model: str,
    after_id: int,
    dims: int = 0,
    fingerprint: Fingerprint | None = None,
    limit: int = READ_CHUNK_ROWS,
) -> Chunk:
    """Up to `limit` vectors of `model` with claim ids above `after_id`, in id order.

    A chunked version of `Store.load_vectors`: a million blobs are never held at once. Rows whose
    blob does not hold `dims` float32 values (a truncated vector `claimcheck doctor` would
    report) are left out rather than allowed to shift every later row. Every row read is added
    to `fingerprint` when one is given.
    """
    ids: list[int] = []
    blobs: list[bytes] = []
    last_id = 0
    for claim_id, blob, digest, declared in store.db.execute(
        "select claim_id, vector, content_hash, dimensions from embeddings "
        "where model = ? and claim_id > ? order by claim_id limit ?",
        [model, after_id, limit],
    ):
        last_id = claim_id
        size = len(blob or b"")
        if fingerprint is not None:
            fingerprint.add(claim_id, digest, size)
        if not dims and declared and size == 4 * declared:
            dims = int(declared)
        if dims and size == 4 * dims:
            ids.append(claim_id)
            blobs.append(blob)
    matrix = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(ids), dims)
    return Chunk(np.asarray(ids, dtype=np.int64), matrix.astype(np.float32), dims, last_id)


def read_vectors(store: Store, model: str) -> tuple[np.ndarray, np.ndarray]:
    """Every vector of `model` read from SQLite into memory, in chunks."""
    id_parts, matrix_parts = [], []
    after, dims = 0, 0
    while True:
        chunk = vector_chunk(store, model, after, dims)
        if not chunk.last_id:
            break
        id_parts.append(chunk.ids)
        matrix_parts.append(chunk.matrix)
        after, dims = chunk.last_id, chunk.dims
    if not dims:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    return np.concatenate(id_parts), np.concatenate([m.reshape(-1, dims) for m in matrix_parts])


# --------------------------------------------------------------------------- the files
def _read_meta(folder: Path) -> dict[str, Any] | None:
    meta = read_json(folder / "meta.json")
    return meta if meta and meta.get("format") == FORMAT else None


def _write_meta(folder: Path, meta: dict[str, Any]) -> None:
    write_json(folder / "meta.json", meta)  # readers see the old meta or the new one


def _files(folder: Path, build: str) -> tuple[Path, Path]:
    return folder / f"vectors-{build}.f32", folder / f"ids-{build}.i64"


def _load_cached(store: Store, model: str, folder: Path, state: ArchiveState) -> MappedMatrix:
    with folder_lock(folder):
        meta = _read_meta(folder)
        if meta is None or meta.get("model") != model:
            meta = _rebuild(store, model, folder, state)
        elif ArchiveState(**meta["state"]) != state:
            meta = _append_new_rows(store, model, folder, meta, state) or _rebuild(
                store, model, folder, state
            )
        mapped = _map(folder, meta)
        mapped.approximate = _approximate(folder, meta, mapped)
        return mapped


def _approximate(folder: Path, meta: dict[str, Any], mapped: MappedMatrix) -> ann.Ann | None:
    """The approximate index of this build, refreshed under the lock, for a large archive;
    None below the threshold, without faiss, or when it cannot be written (exact scan)."""
    threshold = ann.min_rows()
    if not threshold or mapped.matrix.shape[0] < threshold or not ann.available():
        return None
    try:
        return ann.open_index(folder, ann.refresh(folder, meta["build"], mapped.matrix))
    except (OSError, RuntimeError):  # faiss reports its I/O errors as RuntimeError
        return None


def _map(folder: Path, meta: dict[str, Any]) -> MappedMatrix:
    rows, dims = int(meta["rows"]), int(meta["dimensions"])
    state = ArchiveState(**meta["state"])
    if rows == 0:
        return MappedMatrix(
            np.zeros(0, dtype=np.int64), np.zeros((0, dims), dtype=np.float32), state
        )
    vectors_path, ids_path = _files(folder, meta["build"])
    ids = np.fromfile(ids_path, dtype="<i8", count=rows).astype(np.int64, copy=False)
    with open(vectors_path, "rb") as fh:
        mapping = mmap.mmap(fh.fileno(), rows * dims * 4, prot=mmap.PROT_READ)
    matrix = np.frombuffer(mapping, dtype="<f4", count=rows * dims).reshape(rows, dims)
    return MappedMatrix(ids=ids, matrix=matrix, state=state, mapping=mapping)


def _new_meta(
    model: str, build: str, dims: int, rows: int, fingerprint: Fingerprint, state: ArchiveState
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "model": model,
        "build": build,
        "dimensions": dims,
        "rows": rows,  # rows in the files; the fingerprint counts the database's rows
        "fingerprint": asdict(fingerprint),
        "state": asdict(state),
    }


def _write_chunks(
    store: Store, model: str, vf: Any, idf: Any, after: int, dims: int, fingerprint: Fingerprint
) -> tuple[int, int, int]:
    """Append every stored vector with a claim id above `after`: (rows added, last id, dims)."""
    rows = 0
    while True:
        chunk = vector_chunk(store, model, after, dims, fingerprint)
        if not chunk.last_id:
            return rows, after, dims
        vf.write(chunk.matrix.astype("<f4", copy=False).tobytes())
        idf.write(chunk.ids.astype("<i8", copy=False).tobytes())
        rows += len(chunk.ids)
        after, dims = chunk.last_id, chunk.dims


def _rebuild(store: Store, model: str, folder: Path, state: ArchiveState) -> dict[str, Any]:
    build = uuid.uuid4().hex[:12]
    vectors_path, ids_path = _files(folder, build)
    fingerprint, dims, rows, after = Fingerprint(), 0, 0, 0
    with open(vectors_path, "wb") as vf, open(ids_path, "wb") as idf:
        added, after, dims = _write_chunks(store, model, vf, idf, after, dims, fingerprint)
        rows += added
    state_now = _state_at(store, model, after, state)
    meta = _new_meta(model, build, dims, rows, fingerprint, state_now)
    old = _read_meta(folder)
    _write_meta(folder, meta)
    if old and old.get("build") != build:
        for path in _files(folder, old["build"]):
            path.unlink(missing_ok=True)  # a process still mapping it keeps its snapshot
    return meta


def _cached_rows_unchanged(
    store: Store, model: str, meta: dict[str, Any], state: ArchiveState
) -> bool:
    cached = ArchiveState(**meta["state"])
    if cached.archive_id != state.archive_id or cached.max_claim_id > state.max_claim_id:
        return False
    if cached.max_claim_id:
        row = store.db.execute(
            "select content_hash from embeddings where claim_id = ? and model = ?",
            [cached.max_claim_id, model],
        ).fetchone()
        if row is None or (row[0] or "") != cached.last_hash:
            return False
    if state.rewrites >= 0 and cached.rewrites == state.rewrites:
        return True  # no embedding was updated or deleted since the cache was written
    cached_fingerprint = Fingerprint(**meta["fingerprint"])
    return stored_fingerprint(store, model, cached.max_claim_id) == cached_fingerprint


def _append_new_rows(
    store: Store, model: str, folder: Path, meta: dict[str, Any], state: ArchiveState
) -> dict[str, Any] | None:
    """Extend the cache with rows added since it was written; None when it must be rebuilt."""
    if not _cached_rows_unchanged(store, model, meta, state):
        return None
    vectors_path, ids_path = _files(folder, meta["build"])
    fingerprint = Fingerprint(**meta["fingerprint"])
    rows, dims = int(meta["rows"]), int(meta["dimensions"])
    after = ArchiveState(**meta["state"]).max_claim_id
    with open(vectors_path, "r+b") as vf, open(ids_path, "r+b") as idf:
        vf.truncate(rows * dims * 4)  # drop what an interrupted append left behind
        idf.truncate(rows * 8)
        vf.seek(0, os.SEEK_END)
        idf.seek(0, os.SEEK_END)
        added, after, dims = _write_chunks(store, model, vf, idf, after, dims, fingerprint)
        rows += added
    stored = store.db.execute(
        "select count(*) from embeddings where model = ? and claim_id <= ?", [model, after]
    ).fetchone()[0]
    if stored != fingerprint.rows:  # a row appeared below the cached maximum
        return None
    state_now = _state_at(store, model, after, state)
    updated = _new_meta(model, meta["build"], dims, rows, fingerprint, state_now)
    _write_meta(folder, updated)
    return updated


def _state_at(store: Store, model: str, last_id: int, state: ArchiveState) -> ArchiveState:
    """The state the files now reflect: `state`, unless another process wrote while we read."""
    if last_id == state.max_claim_id:
        return state
    # Rows beyond the state were picked up too; record a state that will not match the
    # database's, so the next load re-validates (and appends, if anything is still missing).
    row = store.db.execute(
        "select content_hash from embeddings where claim_id = ? and model = ?", [last_id, model]
    ).fetchone()
    return ArchiveState(-1, last_id, (row[0] or "") if row else "", state.archive_id, -1)

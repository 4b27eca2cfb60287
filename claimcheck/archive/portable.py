"""A portable archive of everything stored, as JSON lines that `claimcheck import` restores exactly.

Line 1 is a header (format, version, schema version, embedding models, the number of records of
each type); every other line is one row of one table with its `type` and every column, ids
included, so that flags still cite the claims they cited. Vectors travel as base64 of their
little-endian float32 bytes: restoring needs no model. The keyword index is rebuilt from the
claims as they go in; `meta` and the migration log belong to one file and are not carried.
docs/schema.md describes the format.

An import goes into an empty database only, in one transaction: a record that does not fit (an
unknown type or column, a wrong type, bad base64, a duplicate id, a reference to a row the
archive lacks, fewer records than the header counts) stops it with one sentence naming the line,
and nothing is stored.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .. import __version__
from ..errors import StoreError
from .migrations import SCHEMA_VERSION
from .store import Store, now

FORMAT = "claimcheck-archive"
VERSION = 1

# Record type -> table, parents before children.
RECORD_TABLES = {
    "article": "articles",
    "speaker": "speakers",
    "speaker_alias": "speaker_aliases",
    "claim": "claims",
    "vector": "embeddings",
    "submission": "submissions",
    "check_run": "check_runs",
    "check_result": "check_results",
    "flag": "flags",
    "flag_event": "flag_events",
    "article_version": "article_versions",
    "removed_claim": "removed_claims",
}
# Tables an archive does not carry: this file's counters and migration log, and the keyword
# index, which the claims' triggers rebuild as the claims go in.
NOT_CARRIED = ("meta", "_sqlite_migrations", "claims_fts")
# Columns added by a later schema: a record of an older archive lacks them and gets the value of
# the named column (or null). {record type: {column: (schema that added it, copied column)}}
ADDED_COLUMNS: dict[str, dict[str, tuple[int, str | None]]] = {
    "article": {
        "identity": (3, None),
        "version": (3, None),
        "updated_at": (3, None),
        "author": (3, None),
    },
    "claim": {"speaker_spelling": (4, "speaker")},
    "speaker": {"name_fixed": (4, None)},
    "flag": {"removed_claim_id": (3, None), "speaker_id": (4, None)},
}
INT64 = range(-(2**63), 2**63)


@dataclass
class ArchiveSummary:
    counts: dict[str, int]  # records by type
    models: list[str]  # embedding models of the vectors
    dangling: int = 0  # rows citing a row that does not exist, carried as they are


def _affinity(declared: str) -> str:
    """SQLite's type affinity of a declared column type (its rules, in its order)."""
    declared = declared.upper()
    if "INT" in declared:
        return "integer"
    if any(word in declared for word in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if "BLOB" in declared or not declared:
        return "blob"
    if any(word in declared for word in ("REAL", "FLOA", "DOUB")):
        return "real"
    return "numeric"


def _columns(store: Store, table: str) -> dict[str, str]:
    """Column name -> its type affinity (integer, text, real, blob, numeric), in table order."""
    rows = store.db.execute(f"PRAGMA table_info([{table}])").fetchall()
    return {r[1]: _affinity(r[2] or "") for r in rows}


def _primary_key(table: str) -> str:
    return "claim_id" if table == "embeddings" else "id"


# ------------------------------------------------------------------------------------ export
def write_archive(store: Store, out: IO[str]) -> ArchiveSummary:
    """Write every carried table to `out`, all read in one transaction (one moment's state)."""
    conn = store.db.conn
    conn.execute("BEGIN")
    try:
        # Rows citing rows that no longer exist (doctor reports them; review history keeps them)
        # are archived as they are; the header says how many, so import can tell them from
        # damage done to the archive.
        dangling = len(conn.execute("PRAGMA foreign_key_check").fetchall())
        counts = {
            kind: int(conn.execute(f"select count(*) from [{table}]").fetchone()[0])
            for kind, table in RECORD_TABLES.items()
        }
        models = [r[0] for r in conn.execute("select distinct model from embeddings order by 1")]
        header = {
            "type": "header",
            "format": FORMAT,
            "version": VERSION,
            "schema_version": SCHEMA_VERSION,
            "claimcheck_version": __version__,
            "exported_at": now(),
            "embedding_models": models,
            "counts": counts,
            "dangling_references": dangling,
        }
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        for kind, table in RECORD_TABLES.items():
            for record in _records(store, kind, table):
                out.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
    finally:
        conn.execute("ROLLBACK")  # nothing was written; this ends the read transaction
    return ArchiveSummary(counts, models, dangling)


def _records(store: Store, kind: str, table: str) -> Iterator[dict[str, Any]]:
    columns = _columns(store, table)
    names = ", ".join(f"[{c}]" for c in columns)
    cursor = store.db.conn.execute(
        f"select {names} from [{table}] order by [{_primary_key(table)}]"
    )
    for row in cursor:
        record: dict[str, Any] = {"type": kind}
        for (column, declared), value in zip(columns.items(), row, strict=True):
            if not _fits(declared, value):
                raise StoreError(
                    f"{table} row {row[0]}: column {column} holds {value!r:.40}, which is not "
                    f"{declared} (edited by hand?); fix it before exporting."
                )
            if isinstance(value, bytes):
                value = base64.b64encode(value).decode("ascii")
            record[column] = value
        yield record


def _fits(affinity: str, value: Any) -> bool:
    """Whether `value` is what a column of this affinity holds (null always is)."""
    if value is None:
        return True
    if isinstance(value, bool):
        return False
    number = (
        isinstance(value, int)
        and value in INT64
        or (isinstance(value, float) and math.isfinite(value))
    )
    if affinity == "integer":
        return isinstance(value, int) and value in INT64
    if affinity in ("real", "numeric"):
        return number
    if affinity == "blob":
        return isinstance(value, bytes)
    return isinstance(value, str)


# ------------------------------------------------------------------------------------ import
class _Lines:
    """Numbered lines of an archive, decoded one by one so that an error can name its line."""

    def __init__(self, source: IO[bytes], name: str) -> None:
        self.source = source
        self.name = name
        self.number = 0

    def __iter__(self) -> Iterator[tuple[int, str]]:
        for raw in self.source:
            self.number += 1
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise self.error("is not UTF-8 text") from None
            if line.strip():
                yield self.number, line

    def error(self, problem: str, number: int | None = None) -> StoreError:
        return StoreError(
            f"{self.name}, line {number or self.number}: {problem} (nothing was imported)."
        )


def _parse(lines: _Lines, number: int, line: str) -> dict[str, Any]:
    def refuse_constant(name: str) -> Any:
        raise ValueError(f"{name} is not a number an archive holds")

    try:
        record = json.loads(line, parse_constant=refuse_constant)
    except (ValueError, RecursionError):
        raise lines.error("is not a JSON object", number) from None
    if not isinstance(record, dict):
        raise lines.error("is not a JSON object", number)
    return record


def read_header(lines: _Lines, entries: Iterator[tuple[int, str]]) -> dict[str, Any]:
    try:
        first = next(entries, None)
    except StoreError:  # binary (a database given for an archive): not a line of text
        first = (1, "")
    if first is None:
        raise StoreError(f"{lines.name} is empty; it is not a claimcheck archive.")
    number, line = first
    try:
        header = _parse(lines, number, line) if line else {}
    except StoreError:
        header = {}
    if header.get("type") != "header" or header.get("format") != FORMAT:
        raise StoreError(
            f"{lines.name} is not a claimcheck archive (its first line is not the archive "
            "header); make one with 'claimcheck export --format archive'."
        )
    version = header.get("version")
    schema = header.get("schema_version")
    if not isinstance(version, int) or not isinstance(schema, int):
        raise lines.error("the header's version or schema_version is not a number", number)
    if version > VERSION or schema > SCHEMA_VERSION:
        raise StoreError(
            f"{lines.name} was written by a newer claimcheck (archive version {version}, schema "
            f"{schema}; this one reads {VERSION} and {SCHEMA_VERSION}); upgrade claimcheck."
        )
    counts = header.get("counts")
    if (
        not isinstance(counts, dict)
        or set(counts) - set(RECORD_TABLES)
        or not all(isinstance(n, int) and n >= 0 for n in counts.values())
    ):
        raise lines.error("the header's counts are not a count per record type", number)
    dangling = header.setdefault("dangling_references", 0)
    if not isinstance(dangling, int) or isinstance(dangling, bool) or dangling < 0:
        raise lines.error("the header's dangling_references is not a count", number)
    models = header.get("embedding_models")
    if not isinstance(models, list) or not all(isinstance(m, str) for m in models):
        raise lines.error("the header's embedding_models is not a list of names", number)
    return header


def _row(
    lines: _Lines, number: int, record: dict[str, Any], columns: dict[str, str], models: set[str]
) -> list[Any]:
    kind = record["type"]
    missing = [c for c in columns if c not in record]
    unknown = sorted(set(record) - set(columns) - {"type"})
    if missing or unknown:
        which = f"lacks {missing[0]!r}" if missing else f"has an unknown field {unknown[0]!r}"
        raise lines.error(f"the {kind} record {which}", number)
    key = _primary_key(RECORD_TABLES[kind])
    if record[key] is None or not _fits("integer", record[key]):
        raise lines.error(f"the {kind} record's {key} is not a number", number)
    values = []
    for column, declared in columns.items():
        value = record[column]
        if declared == "blob" and value is not None:
            if not isinstance(value, str):
                raise lines.error(f"the {kind} record's {column} is not base64 text", number)
            try:
                value = base64.b64decode(value.encode("ascii"), validate=True)
            except (binascii.Error, UnicodeEncodeError):
                raise lines.error(
                    f"the {kind} record's {column} is not valid base64", number
                ) from None
        elif not _fits(declared, value):
            raise lines.error(f"the {kind} record's {column} is not {declared} (or null)", number)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise lines.error(
                    f"the {kind} record's {column} is not valid text", number
                ) from None
        values.append(value)
    if kind == "vector":
        _check_vector(lines, number, dict(zip(columns, values, strict=True)), models)
    return values


def _check_vector(lines: _Lines, number: int, row: dict[str, Any], models: set[str]) -> None:
    if row["model"] not in models:
        raise lines.error(f"the vector's model {row['model']!r} is not in the header", number)
    dims, blob = row["dimensions"], row["vector"]
    if not isinstance(dims, int) or dims <= 0 or blob is None or len(blob) != dims * 4:
        raise lines.error(f"the vector does not hold {dims} float32 values", number)


def _refuse_unless_empty(store: Store) -> None:
    held = {
        table: int(store.db.execute(f"select count(*) from [{table}]").fetchone()[0])
        for table in RECORD_TABLES.values()
    }
    if any(held.values()):
        what = ", ".join(table for table, n in held.items() if n)
        raise StoreError(
            f"Database {store.path} is not empty (it holds {what}); import restores into an "
            "empty database only: give a new file with -d (nothing was imported)."
        )


def _refuse_dangling_imports(store: Store, lines: _Lines, expected: int) -> None:
    rows = store.db.execute("PRAGMA foreign_key_check").fetchall()
    if len(rows) > expected:
        table, rowid, parent = rows[0][:3]
        raise StoreError(
            f"{lines.name}: {len(rows)} record(s) cite rows the archive does not hold (first: "
            f"{table} id {rowid} cites a missing {parent} row) (nothing was imported)."
        )
    if len(rows) < expected:
        raise StoreError(
            f"{lines.name}: its header counts {expected} record(s) citing missing rows, but "
            f"{len(rows)} do: the file was edited (nothing was imported)."
        )


def load_archive(store: Store, source: IO[bytes], name: str) -> ArchiveSummary:
    """Restore an archive into `store`, which must be empty: all of it, or nothing."""
    lines = _Lines(source, name)
    entries = iter(lines)
    header = read_header(lines, entries)
    models = set(header["embedding_models"])
    columns = {kind: _columns(store, table) for kind, table in RECORD_TABLES.items()}
    counts: Counter[str] = Counter()
    # References are checked once everything is in (records may come in any order, and rows the
    # archive carries dangling stay so), so enforcement is off while this connection imports.
    store.db.conn.execute("PRAGMA foreign_keys = OFF")
    try:
        _load_records(store, lines, entries, header, columns, counts)
    finally:
        store.db.conn.execute("PRAGMA foreign_keys = ON")
    return ArchiveSummary(
        {k: counts[k] for k in RECORD_TABLES}, sorted(models), header["dangling_references"]
    )


def _load_records(
    store: Store,
    lines: _Lines,
    entries: Iterator[tuple[int, str]],
    header: dict[str, Any],
    columns: dict[str, dict[str, str]],
    counts: Counter[str],
) -> None:
    models = set(header["embedding_models"])
    with store.db.atomic():
        _refuse_unless_empty(store)
        for number, line in entries:
            record = _parse(lines, number, line)
            kind = record.get("type")
            if not isinstance(kind, str) or kind not in RECORD_TABLES:
                raise lines.error(f"unknown record type {kind!r}", number)
            for column, (added, source) in ADDED_COLUMNS.get(kind, {}).items():
                if header["schema_version"] < added and column not in record:
                    record[column] = record.get(source) if source else None
            values = _row(lines, number, record, columns[kind], models)
            table = RECORD_TABLES[kind]
            names = ", ".join(f"[{c}]" for c in columns[kind])
            marks = ", ".join("?" * len(values))
            try:
                store.db.execute(f"insert into [{table}] ({names}) values ({marks})", values)
            except sqlite3.IntegrityError as exc:
                raise lines.error(
                    f"the {kind} record clashes with an earlier one ({exc})", number
                ) from None
            counts[kind] += 1
        expected = Counter({k: n for k, n in header["counts"].items() if n})
        if counts != expected:
            kind = next(k for k in RECORD_TABLES if counts[k] != expected[k])
            raise StoreError(
                f"{lines.name} holds {counts[kind]} {kind} record(s) but its header counts "
                f"{expected[kind]}: the file is incomplete or was edited (nothing was imported)."
            )
        _refuse_dangling_imports(store, lines, header["dangling_references"])
        # Caches of vector matrices beside this path belonged to another database: make every
        # cache compare itself row by row before it is used again.
        store.db.execute(
            "update meta set value = cast(value as integer) + 1 "
            "where key in ('vectors_generation', 'vectors_rewrites')"
        )


def import_archive(database: str, source: IO[bytes], name: str) -> ArchiveSummary:
    """Restore an archive into the database at `database`, creating it when there is none.

    A database file the import created is removed again when the import fails, so a failed
    import leaves the disk as it was.
    """
    created = database != ":memory:" and not Path(database).exists()
    store = Store.open(database, create=True)
    restored = False
    try:
        summary = load_archive(store, source, name)
        restored = True
        return summary
    finally:
        store.close()
        if created and not restored:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(database + suffix).unlink(missing_ok=True)


COUNT_LABELS = {
    "article": "article(s)",
    "speaker": "speaker(s)",
    "speaker_alias": "alias(es)",
    "claim": "claim(s)",
    "vector": "vector(s)",
    "submission": "checked article(s)",
    "check_run": "check run(s)",
    "check_result": "verdict(s)",
    "flag": "flag(s)",
    "flag_event": "flag event(s)",
    "article_version": "earlier article version(s)",
    "removed_claim": "removed claim(s)",
}


def archive_counts_line(summary: ArchiveSummary) -> str:
    """'3 article(s), 40 claim(s), ...' for the commands' messages."""
    parts = [f"{n} {COUNT_LABELS[kind]}" for kind, n in summary.counts.items() if n]
    return ", ".join(parts) or "nothing"

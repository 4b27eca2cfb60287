"""Opening the archive's SQLite file so that several processes can share it safely.

Several people run claimcheck on one database at once (an ingest, a check, the web app). SQLite
copes when three things hold, and this module makes sure they do:

- the file is in WAL mode, so readers never wait for a writer and a writer never waits for readers;
- every write transaction starts with ``BEGIN IMMEDIATE``: it takes the write lock first and waits
  for it (busy timeout), instead of reading a snapshot and then failing with "database is locked"
  when it tries to upgrade to writing after another process committed;
- a database the user may not write (file mode, folder mode) is opened read-only, so reading it
  works and writing it fails with one clear sentence instead of a traceback.

Errors SQLite raises while writing are turned into a `StoreError` that says what happened and that
nothing was saved (the transaction was rolled back).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
import urllib.parse
from collections.abc import Generator
from pathlib import Path

from sqlite_utils import Database

from ..errors import StoreError

BUSY_TIMEOUT_MS = 30_000
# BEGIN IMMEDIATE already waits up to BUSY_TIMEOUT_MS; retries cover the rare SQLITE_BUSY that
# SQLite returns without waiting (a WAL checkpoint or recovery running in another process).
LOCK_RETRIES = 5
# Where sqlite-utils records applied migrations, and the name claimcheck's are recorded under
# (archive/migrations.py): a database with tables but none of these rows is another application's.
MIGRATIONS_TABLE = "_sqlite_migrations"
MIGRATION_SET = "claimcheck"


def folder_writable(path: Path) -> bool:
    return os.access(path.parent if str(path.parent) else Path("."), os.W_OK)


def is_read_only(path: Path) -> bool:
    """Whether this process cannot write the database file (or the journal files beside it)."""
    if not os.access(path, os.W_OK):
        return True
    if folder_writable(path):
        return False
    # A WAL database in a read-only folder is still writable when its -wal and -shm files exist
    # and are writable; otherwise SQLite cannot create them.
    journals = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    return not all(j.exists() and os.access(j, os.W_OK) for j in journals)


def _read_only_connection(path: Path) -> sqlite3.Connection:
    """A read-only connection; `immutable` when SQLite cannot create the WAL's shared memory."""
    quoted = urllib.parse.quote(str(path.resolve()))
    conn = sqlite3.connect(
        f"file:{quoted}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
    )
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    # The folder is read-only for us, so no process of ours can be writing it either.
    return sqlite3.connect(f"file:{quoted}?immutable=1", uri=True, check_same_thread=False)


def connect(path: str) -> tuple[sqlite3.Connection, bool]:
    """A connection to `path` and whether it is read-only. `path` may be ":memory:"."""
    if path == ":memory:":
        conn = sqlite3.connect(path, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        return conn, False
    p = Path(path)
    if not p.exists():
        if not p.absolute().parent.exists():
            raise StoreError(f"Cannot create database {path}: folder {p.parent} does not exist.")
        if not folder_writable(p):
            raise StoreError(f"Cannot create database {path}: its folder is not writable.")
    read_only = p.exists() and is_read_only(p)
    if read_only:
        conn = _read_only_connection(p)
    else:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        # Before anything that could change the file (WAL, migrations): another application's
        # database is refused exactly as it was found, with no -wal or -shm left beside it.
        _refuse_foreign(conn, path)
    except BaseException:
        conn.close()
        raise
    conn.execute("PRAGMA foreign_keys = ON")
    if not read_only:
        _ensure_wal(conn)
    return conn, read_only


def _refuse_foreign(conn: sqlite3.Connection, path: str) -> None:
    """A StoreError when the file holds tables but no claimcheck schema (reads only)."""
    tables = {
        row[0]
        for row in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
        )
    }
    if not tables:
        return  # a new or empty database: claimcheck creates its schema there
    if MIGRATIONS_TABLE in tables:
        sets = conn.execute(
            f"select count(*) from [{MIGRATIONS_TABLE}] where migration_set = ?", [MIGRATION_SET]
        ).fetchone()
        if sets[0]:
            return
    raise StoreError(
        f"{path} is a SQLite database of another application (it has tables but no claimcheck "
        "schema); give claimcheck a new file."
    )


def _ensure_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL once; it stays so. Another process holding a lock just delays it."""
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError:
        pass  # busy: the next open switches it; rollback-journal mode is still correct, only slower


def write_error(path: str, exc: sqlite3.Error) -> StoreError:
    """One sentence for a failed write; the transaction has been rolled back."""
    return database_error(path, exc, suffix=" (nothing was saved)")


def database_error(path: str, exc: sqlite3.Error, suffix: str = "") -> StoreError:
    """One sentence for an error SQLite raised on this database."""
    message = str(exc).lower()
    if "readonly" in message or "read-only" in message:
        return StoreError(
            f"Database {path} is read-only; check the permissions of the file and its folder"
            f"{suffix}."
        )
    if "disk is full" in message:
        return StoreError(f"Cannot write to database {path}: the disk is full{suffix}.")
    if "locked" in message or "busy" in message:
        return StoreError(
            f"Database {path} stayed locked by another claimcheck process for over "
            f"{BUSY_TIMEOUT_MS // 1000} seconds; try again{suffix}."
        )
    if "malformed" in message or "not a database" in message or "corrupt" in message:
        return StoreError(f"Database {path} is damaged ({exc}); run 'claimcheck doctor'{suffix}.")
    if "disk i/o" in message:
        return StoreError(f"Database {path} could not be read or written: disk I/O error{suffix}.")
    return StoreError(f"Database {path}: {exc}{suffix}.")


class ArchiveDatabase(Database):
    """A sqlite-utils Database whose transactions take the write lock up front.

    Nested `atomic()` blocks are savepoints inside the outer transaction, as in sqlite-utils.
    """

    path: str = ":memory:"
    read_only: bool = False

    @contextlib.contextmanager
    def atomic(self) -> Generator[Database, None, None]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        if self.read_only:
            raise StoreError(
                f"Database {self.path} is read-only; check the permissions of the file and "
                "its folder."
            )
        try:
            self._begin_immediate()
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as exc:
            raise write_error(self.path, exc) from exc

    def _begin_immediate(self) -> None:
        for attempt in range(LOCK_RETRIES):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if attempt == LOCK_RETRIES - 1:
                    raise
                time.sleep(0.05 * 2**attempt)


def open_database(path: str) -> ArchiveDatabase:
    conn, read_only = connect(path)
    db = ArchiveDatabase(conn)
    db.path = path
    db.read_only = read_only
    return db

"""Copies of the archive: consistent while others write, and never written over the archive itself.

An export or a backup given the database's own name (or its `-wal`, `-shm` or `-journal` file,
or any of them through a symlink or a hard link) would replace the archive with a copy of part of
it, so that is always refused; an existing file is replaced only when asked (`force`). Files are
written beside their destination under a temporary name and moved into place only once complete,
so a failed or interrupted write leaves whatever was there before.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..errors import StoreError
from .store import Store

JOURNAL_SUFFIXES = ("-wal", "-shm", "-journal")


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)  # a hard link, or a path through a bind mount
    except OSError:
        return False


def check_output_path(output: str | os.PathLike[str], database: str, *, force: bool) -> Path:
    """`output` when it is safe to write; a StoreError saying why not otherwise.

    Never the database or its journal files, however named; an existing file only with `force`,
    and then only a regular file (not a device, a pipe or a folder).
    """
    out = Path(output)
    if database != ":memory:":
        db = Path(database)
        for path in [db, *(db.with_name(db.name + s) for s in JOURNAL_SUFFIXES)]:
            if _same_file(out, path):
                what = "the database" if path == db else f"the database's {path.name} file"
                if out != path:
                    what += f" ({path})"
                raise StoreError(
                    f"{output} is {what}; write to another file (nothing was written)."
                )
    if out.is_dir():
        raise StoreError(f"{output} is a folder; give a file name (nothing was written).")
    if out.exists() or out.is_symlink():
        if not force:
            raise StoreError(
                f"{output} already exists; use --force to replace it (nothing was written)."
            )
        if out.exists() and not out.is_file():
            raise StoreError(f"{output} is not a regular file; it cannot be replaced.")
    folder = out.resolve().parent
    if not folder.is_dir():
        raise StoreError(f"Cannot write {output}: folder {out.parent} does not exist.")
    return out


def _temporary_beside(target: Path) -> Path:
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")


def _move_into_place(temporary: Path, target: Path, *, force: bool) -> None:
    if force:
        os.replace(temporary, target)
        return
    try:
        # A hard link fails if the name was taken meanwhile, where a rename would overwrite it.
        os.link(temporary, target)
    except FileExistsError:
        raise StoreError(
            f"{target} was created by someone else meanwhile; nothing was written."
        ) from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise StoreError(f"{target} already exists; use --force to replace it.") from None
        os.replace(temporary, target)
        return
    temporary.unlink()


@contextlib.contextmanager
def output_file(output: Path, *, force: bool) -> Iterator[TextIO]:
    """A UTF-8 text file that appears at `output` (through a symlink, at its target) when the
    block ends without an error, and not at all otherwise. Check the path first."""
    target = output.resolve()
    temporary = _temporary_beside(target)
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _move_into_place(temporary, target, force=force)
    except OSError as exc:
        raise StoreError(
            f"Cannot write {output}: {exc.strerror or exc} (nothing was written)."
        ) from exc
    finally:
        temporary.unlink(missing_ok=True)


@dataclass
class BackupSummary:
    path: str
    size: int  # bytes
    articles: int
    claims: int
    flags: int


def backup_database(
    store: Store, destination: str | os.PathLike[str], *, force: bool
) -> BackupSummary:
    """Copy the database to `destination` with SQLite's online backup API.

    The copy is taken in one step inside one read transaction, so it is the database as it was
    at one moment, whole articles only, while other processes go on writing (in WAL mode readers
    and writers do not wait for each other). The copy is a single self-contained file (rollback
    journal mode); claimcheck switches it back to WAL when it first opens it.
    """
    if store.path == ":memory:":
        raise StoreError("An in-memory database cannot be backed up to a file by name.")
    out = check_output_path(destination, store.path, force=force)
    target = out.resolve()
    temporary = _temporary_beside(target)
    try:
        copy = sqlite3.connect(temporary)
        try:
            store.db.conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            counts = [
                copy.execute(f"select count(*) from [{table}]").fetchone()[0]
                for table in ("articles", "claims", "flags")
            ]
        finally:
            copy.close()
        with open(temporary, "rb+") as fh:
            os.fsync(fh.fileno())
        _move_into_place(temporary, target, force=force)
    except sqlite3.Error as exc:
        raise StoreError(
            f"Cannot back up {store.path} to {destination}: {exc} (nothing was written)."
        ) from exc
    except OSError as exc:
        raise StoreError(
            f"Cannot write {destination}: {exc.strerror or exc} (nothing was written)."
        ) from exc
    finally:
        for suffix in ("", *JOURNAL_SUFFIXES):
            Path(str(temporary) + suffix).unlink(missing_ok=True)
    return BackupSummary(str(out), target.stat().st_size, *counts)

"""`claimcheck backup` and `claimcheck import`: a copy of the database, and an archive restored.

`claimcheck export --format archive` (in review.py, with the other exports) writes the archive
that `import` reads.
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import IO

import click

from .main import open_store


@click.command()
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace PATH if it exists (never the database).")
@click.pass_context
def backup(ctx: click.Context, path: str, force: bool) -> None:
    """Copy the database to PATH, consistent even while others write to it.

    The copy is the database as it was at one moment (SQLite's online backup API), one file that
    claimcheck opens with -d PATH. PATH is never the database itself, and an existing file is
    replaced only with --force.

    \b
    Example:
        claimcheck backup backups/news-2025-05-17.db
        claimcheck -d backups/news-2025-05-17.db claims --limit 5
    """
    from ..archive import backup_database, check_output_path

    check_output_path(path, ctx.obj["db_path"], force=force)  # before opening anything
    store = open_store(ctx)
    try:
        summary = backup_database(store, path, force=force)
    finally:
        store.close()
    click.echo(
        f"Backed up {store.path} to {summary.path}: {summary.articles} article(s), "
        f"{summary.claims} claim(s), {summary.flags} flag(s), {summary.size:,} bytes.",
        err=True,
    )


@click.command("import")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.pass_context
def import_command(ctx: click.Context, archive: str) -> None:
    """Restore an archive made by `claimcheck export --format archive` into an empty database.

    Everything comes back as it was, ids included: articles, speakers and their aliases, claims
    and their vectors (no model is needed), checks, flags and their history. The database given
    with -d must be new or empty; the archive goes in whole or not at all. ARCHIVE may be - for
    standard input.

    \b
    Example:
        claimcheck -d restored.db import news-archive.jsonl
        gunzip -c news-archive.jsonl.gz | claimcheck -d restored.db import -
    """
    from ..archive import archive_counts_line, import_archive

    name = "standard input" if archive == "-" else archive
    try:
        source: IO[bytes] = sys.stdin.buffer if archive == "-" else Path(archive).open("rb")
    except OSError as exc:
        raise click.ClickException(f"Cannot read {archive}: {exc.strerror or exc}.") from exc
    with nullcontext(source) if archive == "-" else source:
        summary = import_archive(ctx.obj["db_path"], source, name)
    click.echo(
        f"Restored {archive_counts_line(summary)} into {ctx.obj['db_path']}.",
        err=True,
    )

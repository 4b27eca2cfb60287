"""The `claimcheck` group: the options every command shares, and errors as one line.

The commands themselves live one family per module beside this one and are added to the group
in `__init__.py`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

import click

from .. import __version__
from ..archive import DB_ENV, DEFAULT_DB, Store, database_error
from ..errors import ClaimcheckError
from .options import safe_output, terminal_safe

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def open_store(ctx: click.Context, *, create: bool = False) -> Store:
    try:
        return Store.open(ctx.obj["db_path"], create=create)
    except ClaimcheckError as exc:
        raise click.ClickException(str(exc)) from exc


def json_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")(fn)


def emit_json_lines(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False))


class ClaimcheckGroup(click.Group):
    """Turns user-facing errors raised anywhere below into one clear line and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            # Stored text (an outlet, a quote, a note) is printed, never obeyed: escape sequences
            # and bidirectional controls in it are shown as \u001b (options.terminal_safe).
            with safe_output():
                return super().invoke(ctx)
        except click.ClickException as exc:
            # click declares `message` final for type checkers; showing it safely is the point.
            setattr(exc, "message", terminal_safe(exc.message))  # noqa: B010
            raise
        except ClaimcheckError as exc:
            raise click.ClickException(terminal_safe(str(exc))) from exc
        except sqlite3.Error as exc:  # one the store did not translate: still one line
            path = (ctx.obj or {}).get("db_path", "")
            raise click.ClickException(terminal_safe(str(database_error(path, exc)))) from exc


@click.group(cls=ClaimcheckGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="claimcheck")
@click.option(
    "-d",
    "--database",
    "db_path",
    envvar=DB_ENV,
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help=f"SQLite database file (or ${DB_ENV}).",
)
@click.pass_context
def cli(ctx: click.Context, db_path: str) -> None:
    """claimcheck: who said what, and does a new article agree with it?

    \b
    Example:
        claimcheck ingest corpus/
        claimcheck quotes Zelensky --text ceasefire
        claimcheck check draft.txt
    """
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = db_path

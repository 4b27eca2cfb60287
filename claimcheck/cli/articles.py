"""`claimcheck articles` and `claimcheck articles remove`: the stored articles, kept by hand.

Neither needs a model: they import neither torch nor spaCy.
"""

from __future__ import annotations

import sys

import click

from .main import emit_json_lines, json_option, open_store
from .options import LIMIT, ROW_ID


def _can_ask() -> bool:
    """Whether a person can answer a question: standard input is a terminal."""
    return sys.stdin is not None and sys.stdin.isatty()


@click.group(invoke_without_command=True)
@click.option("--limit", type=LIMIT, help="At most this many articles, newest first (1 or more).")
@json_option
@click.pass_context
def articles(ctx: click.Context, limit: int | None, as_json: bool) -> None:
    """List stored articles: id, title, outlet, date, claims, version and source.

    A corrected story ingested again (same canonical URL, or the same file and outlet) replaces
    the stored one and counts as its next version.

    \b
    Example:
        claimcheck articles
        claimcheck articles --json
        claimcheck articles remove 12
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..archive import list_articles

    store = open_store(ctx)
    rows = list_articles(store, limit=limit)
    if as_json:
        emit_json_lines(
            {
                "id": r.id,
                "title": r.title,
                "outlet": r.outlet,
                "published": r.published,
                "author": r.author,
                "claims": r.claims,
                "version": r.version,
                "source": r.source,
                "ingested_at": r.ingested_at,
                "updated_at": r.updated_at,
            }
            for r in rows
        )
        return
    if not rows:
        click.echo(f"No articles stored in {store.path}.", err=True)
        return
    for r in rows:
        date = r.published or "no date"
        version = f", version {r.version}" if r.version > 1 else ""
        click.echo(
            f"[{r.id}] {r.title or '(untitled)'} — {r.outlet or 'unknown outlet'}, {date}; "
            f"{r.claims} claim(s){version}\n    {r.source or '(no source)'}"
        )


@articles.command()
@click.argument("article_id", type=ROW_ID)
@click.option("-y", "--yes", is_flag=True, help="Remove without asking.")
@click.pass_context
def remove(ctx: click.Context, article_id: int, yes: bool) -> None:
    """Delete one stored article with its claims, their vectors and its earlier versions.

    Review flags that cited its claims stay, and say that the claim they cited was removed.
    Asks first; --yes does not ask (without a terminal to ask on, --yes is required).

    \b
    Example:
        claimcheck articles remove 12
        claimcheck articles remove 12 --yes
    """
    from ..archive import remove_article

    store = open_store(ctx)
    row = store.get_article(article_id)
    if row is None:
        raise click.ClickException(f"There is no article {article_id}.")
    if store.read_only:
        raise click.ClickException(f"Database {store.path} is read-only; nothing was removed.")
    what = (
        f"article {article_id} ({row['title'] or 'untitled'}) and its {row['claim_count']} claim(s)"
    )
    if not yes:
        if not _can_ask():
            raise click.ClickException(
                f"Removing {what} needs --yes (there is no terminal to ask on; nothing was "
                "removed)."
            )
        if not click.confirm(f"Remove {what}?"):
            raise click.ClickException("Nothing was removed.")
    removed = remove_article(store, article_id)
    click.echo(f"Removed article {article_id} and {removed} claim(s).")

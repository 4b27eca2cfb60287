"""`claimcheck ingest` and `claims`: filling the archive and reading it.

`claims` needs no model and imports neither torch nor spaCy, so it starts in a fraction of a
second; `ingest` loads the extractor and the embedder only once it has files.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

import click

from ..archive import claim_json
from . import scale
from .main import emit_json_lines, json_option, open_store
from .options import DATE, LIMIT, LINE, ROW_ID


def _progress(total: int, label: str) -> Any:
    """A progress bar with ETA on stderr when it is a terminal; silent when piped."""
    return click.progressbar(
        length=total,
        label=label,
        file=sys.stderr,
        show_eta=True,
        show_pos=True,
        hidden=not sys.stderr.isatty(),
    )


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--outlet",
    type=LINE,
    help="Outlet, when the files do not say (front matter, sidecar, dateline).",
)
@click.option("--title", type=LINE, help="Title (default: front matter, else the first line).")
@click.option("--url", type=LINE, help="Source URL of the article.")
@click.option("--published", type=DATE, help="Publication date, YYYY-MM-DD.")
@click.option("--model", envvar="CLAIMCHECK_MODEL", help="Embedding model folder or name.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@scale.ray_options
@scale.index_option
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[str, ...],
    outlet: str | None,
    title: str | None,
    url: str | None,
    published: str | None,
    model: str | None,
    as_json: bool,
    ray_address: str | None,
    workers: int | None,
    index_spec: str | None,
) -> None:
    """Extract attributed claims from article files and store them.

    PATHS are files (.txt, .md, .html, .jsonl batches) or folders of them. An article already
    stored (same text) is skipped, so ingesting again adds nothing; a corrected version of a
    stored article (same canonical URL, or same file and outlet) replaces it.

    \b
    Example:
        claimcheck ingest corpus/
        claimcheck ingest story.txt --outlet Reuters --published 2025-05-16
        claimcheck ingest backfill/ --ray auto --index milvus:http://localhost:19530
    """
    from ..archive import ingest_paths
    from ..read import article_paths

    scale.check_ray_options(ray_address, workers)
    scale.use_index(index_spec)

    files = list(
        article_paths(
            list(paths), on_skip=lambda path, why: click.echo(f"skipped: {path}: {why}", err=True)
        )
    )
    store = open_store(ctx, create=True)
    if store.read_only:  # say so before loading models and parsing, not after
        raise click.ClickException(
            f"Database {store.path} is read-only; check the permissions of the file and its folder."
        )
    read_options: dict[str, Any] = {
        "outlet": outlet,
        "title": title,
        "url": url,
        "published": published,
    }
    if ray_address:
        summary = scale.ray_ingest(
            store, files, model, address=ray_address, workers=workers, read_options=read_options
        )
    else:
        with _progress(len(files), "Ingesting") as bar:
            summary = ingest_paths(
                store,
                files,
                scale.embedder_factory(model),
                **read_options,
                on_article=lambda _path: bar.update(1),
                on_batch=scale.index_sync(store),
            )
    if summary.errors and not (
        summary.articles_added or summary.articles_skipped or summary.articles_updated
    ):
        # Nothing could be read: the reason is the whole story, in one line when one file.
        if len(summary.errors) == 1:
            raise click.ClickException(summary.errors[0])
        for error in summary.errors:
            click.echo(f"skipped: {error}", err=True)
        raise click.ClickException(f"None of the {len(summary.errors)} files could be read.")
    for error in summary.errors:
        click.echo(f"skipped: {error}", err=True)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "articles_added": summary.articles_added,
                    "articles_skipped": summary.articles_skipped,
                    "articles_updated": summary.articles_updated,
                    "claims_added": summary.claims_added,
                    "claims_changed": summary.claims_changed,
                    "claims_removed": summary.claims_removed,
                    "claims_encoded": summary.claims_encoded,
                    "speakers": summary.speakers_after,
                    "errors": summary.errors,
                }
            )
        )
    else:
        click.echo(
            f"Added {summary.articles_added} article(s) with {summary.claims_added} claim(s); "
            + (
                f"updated {summary.articles_updated} article(s) to a new version "
                f"({summary.claims_changed} claim(s) new or changed, {summary.claims_removed} "
                "gone); "
                if summary.articles_updated
                else ""
            )
            + f"{summary.articles_skipped} already stored; "
            f"{summary.speakers_after - summary.speakers_before} new speaker(s) "
            f"({summary.speakers_after} in all). Database: {store.path}"
        )


def _print_claims(rows: Iterable[Any], as_json: bool) -> int:
    count = 0
    for stored in rows:
        count += 1
        c = stored.claim
        if as_json:
            emit_json_lines(
                [
                    claim_json(
                        c, outlet=stored.outlet, title=stored.title, published=stored.published
                    )
                ]
            )
        else:
            click.echo(
                f"[{c.id}] {c.speaker} ({c.kind}, {stored.outlet or 'unknown outlet'}"
                f"{', ' + stored.published if stored.published else ''}):\n    {c.quote}"
            )
    return count


@click.command()
@click.option("--article", "article_id", type=ROW_ID, help="Only claims of this article id.")
@click.option("--speaker", help="Only claims of this speaker (typo-tolerant).")
@click.option("--limit", type=LIMIT, help="At most this many claims (1 or more).")
@json_option
@click.pass_context
def claims(
    ctx: click.Context,
    article_id: int | None,
    speaker: str | None,
    limit: int | None,
    as_json: bool,
) -> None:
    """List stored claims.

    \b
    Example:
        claimcheck claims --speaker Umerov
        claimcheck claims --article 1 --json
    """
    store = open_store(ctx)
    speaker_ids = None
    if speaker:
        speaker_ids = [h[1] for h in store.find_speakers(speaker)]
        if not speaker_ids:
            click.echo(f"No speaker matches {speaker!r}.", err=True)
            return
    _print_claims(
        store.claims(article_id=article_id, speaker_ids=speaker_ids, limit=limit), as_json
    )

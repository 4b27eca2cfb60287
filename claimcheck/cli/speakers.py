"""`claimcheck quotes` and `claimcheck speakers`: searching what speakers said, keeping them right.

Neither needs a model: they import neither torch nor spaCy.
"""

from __future__ import annotations

from typing import Any

import click

from ..archive import SORTS, QuoteQuery, claim_json, search_quotes, speaker_upkeep
from ..models import KINDS
from .main import emit_json_lines, json_option, open_store
from .options import DATE, LIMIT, LINE, ROW_ID


def _did_you_mean(names: list[str]) -> str:
    return f" Did you mean {' or '.join(repr(n) for n in names)}?" if names else ""


@click.command()
@click.argument("query", type=LINE)
@click.option("--text", "words", type=LINE, help="Only quotes containing these words.")
@click.option("--since", type=DATE, help="Only articles published on or after YYYY-MM-DD.")
@click.option("--until", type=DATE, help="Only articles published on or before YYYY-MM-DD.")
@click.option("--outlet", type=LINE, help="Only articles from this outlet (part of its name).")
@click.option("--kind", type=click.Choice(KINDS), help="Only quotes of this kind.")
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="date",
    show_default=True,
    help="Newest first, or best match of name and words first.",
)
@click.option("--context", "with_context", is_flag=True, help="Print the paragraph around each.")
@click.option("--limit", type=LIMIT, help="At most this many quotes (1 or more).")
@json_option
@click.pass_context
def quotes(
    ctx: click.Context,
    query: str,
    words: str | None,
    since: str | None,
    until: str | None,
    outlet: str | None,
    kind: str | None,
    sort: str,
    with_context: bool,
    limit: int | None,
    as_json: bool,
) -> None:
    """What a speaker said, tolerant of misspelling and transliteration, newest first.

    QUERY is a name as you would type it: Zelensky, zelenskiy, Umierov, "von der Leyen".
    A speaker of a joint statement ("Macron and Scholz said") is found too. With --json each
    quote carries its paragraph as "context".

    \b
    Example:
        claimcheck quotes Zelensky --text ceasefire --since 2025-05-01
        claimcheck quotes Macron --outlet Reuters --kind direct --context
        claimcheck quotes Umierov --sort relevance --json
    """
    from ..review import claim_passages

    store = open_store(ctx)
    if since and until and since > until:
        raise click.BadParameter(f"--since {since} is after --until {until}.")
    found = search_quotes(
        store,
        QuoteQuery(query, words, since, until, outlet, kind, sort, limit),
    )
    if not found.speaker_found:
        if found.described:
            named = ", ".join(found.suggestions)
            click.echo(
                f"{query!r} describes a role, not one person; search by name"
                + (f" (in that role: {named})." if named else "."),
                err=True,
            )
        else:
            hint = _did_you_mean(found.suggestions)
            click.echo(f"No speaker matches {query!r}.{hint}", err=True)
        return
    if not as_json:
        names = [name for _, _, name in found.speakers]
        names += [f"{n} (joint statements)" for n in found.co_speakers]
        click.echo(f"Speaker: {', '.join(names)}", err=True)
    passages = claim_passages(store, [h.stored for h in found.hits])
    for hit in found.hits:
        sc, c = hit.stored, hit.stored.claim
        passage = passages.get(c.id or 0)
        if as_json:
            extra: dict[str, Any] = {
                "outlet": sc.outlet,
                "title": sc.title,
                "url": sc.url,
                "published": sc.published,
                "matched_as": "co-speaker" if hit.as_co_speaker else "speaker",
                "context": passage.text if passage else None,
            }
            emit_json_lines([claim_json(c, **extra)])
            continue
        joint = f" with {', '.join(c.co_speakers)}" if c.co_speakers else ""
        click.echo(
            f"[{c.id}] {c.speaker}{joint} ({c.kind}, {sc.outlet or 'unknown outlet'}"
            f"{', ' + sc.published if sc.published else ''}):\n    {c.quote}"
        )
        if with_context and passage:
            click.echo(f"    in context (article {c.article_id}, paragraph {c.paragraph}):")
            click.echo("      " + " ".join(passage.text.split()))
    if not found.hits and not as_json:
        click.echo(f"No quotes match.{_did_you_mean(found.outlet_suggestions)}", err=True)


def _speaker_row(s: Any) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "kind": s.kind,
        "role": s.role,
        "organisation": s.organisation,
        "aliases": s.aliases,
        "claim_count": s.claim_count,
    }


@click.group(invoke_without_command=True)
@json_option
@click.pass_context
def speakers(ctx: click.Context, as_json: bool) -> None:
    """Canonical speakers with their aliases and claim counts; keeping them right.

    Without a subcommand, lists the speakers (id, name, kind, claims, aliases). A SPEAKER below
    is an id from that list, a name or an alias.

    \b
    Example:
        claimcheck speakers --json
        claimcheck speakers merge "Volodymyr Zelenskyy" 14
        claimcheck speakers split "Ukrainian officials" "Turkish officials"
        claimcheck speakers rename 7 "Rustem Umerov"
        claimcheck speakers alias "Rustem Umerov" "the minister" --remove
    """
    if ctx.invoked_subcommand is not None:
        return
    store = open_store(ctx)
    for s in store.speakers():
        if as_json:
            emit_json_lines([_speaker_row(s)])
            continue
        role = f" — {s.role}" if s.role else ""
        aliases = ", ".join(a for a in s.aliases if a != s.name)
        click.echo(
            f"#{s.id} {s.name}{role} [{s.kind}] {s.claim_count} claim(s)"
            + (f"; also: {aliases}" if aliases else "")
        )


def _writable(ctx: click.Context) -> Any:
    store = open_store(ctx)
    if store.read_only:
        raise click.ClickException(
            f"Database {store.path} is read-only; check the permissions of the file and its folder."
        )
    return store


@speakers.command("merge")
@click.argument("keep", type=LINE)
@click.argument("other", type=LINE)
@click.pass_context
def merge_command(ctx: click.Context, keep: str, other: str) -> None:
    """Make OTHER part of KEEP: its claims, aliases and flags join KEEP.

    KEEP's name stays (later spellings do not change it, as after a rename), and a later article
    naming OTHER is matched to KEEP.

    \b
    Example:
        claimcheck speakers merge "Volodymyr Zelenskyy" "V. Zelensky"
    """
    click.echo(speaker_upkeep.merge_speakers(_writable(ctx), keep, other).message)


@speakers.command("split")
@click.argument("speaker", type=LINE)
@click.argument("names", nargs=-1, required=True, type=LINE)
@click.option(
    "--article", "article_ids", type=ROW_ID, multiple=True, help="Also move its claims in this "
    "article id (repeatable).",
)  # fmt: skip
@click.option(
    "--kind",
    type=click.Choice(("person", "organisation", "group", "outlet")),
    help="The kind of the speaker split off (default: as SPEAKER).",
)
@click.pass_context
def split_command(
    ctx: click.Context,
    speaker: str,
    names: tuple[str, ...],
    article_ids: tuple[int, ...],
    kind: str | None,
) -> None:
    """Move SPEAKER's claims spelt as one of NAMES to a speaker called the first of NAMES.

    That speaker is the one already stored under that name, or a new one; the aliases go with
    the claims.

    \b
    Example:
        claimcheck speakers split "Ukrainian officials" "Turkish officials"
        claimcheck speakers split 12 "Lyndon Johnson" --article 40 --kind person
    """
    result = speaker_upkeep.split_speaker(
        _writable(ctx), speaker, list(names), article_ids=list(article_ids), kind=kind
    )
    click.echo(result.message)


@speakers.command("rename")
@click.argument("speaker", type=LINE)
@click.argument("name", type=LINE)
@click.pass_context
def rename_command(ctx: click.Context, speaker: str, name: str) -> None:
    """Call SPEAKER NAME everywhere (claims, flags, exports), whatever later articles spell.

    \b
    Example:
        claimcheck speakers rename 7 "Volodymyr Zelenskyy"
    """
    click.echo(speaker_upkeep.rename_speaker(_writable(ctx), speaker, name).message)


@speakers.command("alias")
@click.argument("speaker", type=LINE)
@click.argument("alias", type=LINE)
@click.option("--remove", is_flag=True, help="Remove the alias instead of adding it.")
@click.pass_context
def alias_command(ctx: click.Context, speaker: str, alias: str, remove: bool) -> None:
    """Add ALIAS to SPEAKER's names, or with --remove take it away.

    \b
    Example:
        claimcheck speakers alias "Rustem Umerov" "the minister" --remove
        claimcheck speakers alias "Keir Starmer" "Sir Keir"
    """
    result = speaker_upkeep.change_alias(_writable(ctx), speaker, alias, remove=remove)
    click.echo(result.message)

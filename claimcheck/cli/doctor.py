"""`claimcheck doctor`: check the database, and with --repair fix what is safe to fix."""

from __future__ import annotations

import json
import sys

import click

from ..errors import ClaimcheckError
from . import scale

MARKS = {True: "ok    ", False: "FAIL  "}


def can_ask() -> bool:
    """Whether a person can answer a question: standard input is a terminal."""
    return sys.stdin is not None and sys.stdin.isatty()


def confirm_replacing(others: dict[str, int], model: str) -> None:
    """Go on only if the user agrees to replace vectors that another model made."""
    if not others:
        return
    what = ", ".join(f"{n} claim vector(s) of {name}" for name, n in others.items())
    if not can_ask():
        raise click.ClickException(
            f"--repair would replace {what} with vectors of {model}; add --yes to do so "
            "(there is no terminal to ask on; nothing was repaired)."
        )
    if not click.confirm(f"--repair will replace {what} with vectors of {model}. Replace them?"):
        raise click.ClickException("Nothing was repaired.")


@click.command()
@click.option("--repair", is_flag=True, help="Fix what can be fixed without losing anything.")
@click.option(
    "--model",
    envvar="CLAIMCHECK_MODEL",
    help="Embedding model the vectors should be of (and re-embedding uses).",
)
@click.option(
    "-y", "--yes", is_flag=True, help="With --repair: replace vectors of another model unasked."
)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as one JSON object.")
@scale.index_option
@click.pass_context
def doctor(
    ctx: click.Context,
    repair: bool,
    model: str | None,
    yes: bool,
    as_json: bool,
    index_spec: str | None,
) -> None:
    """Check the database: integrity, schema, orphan rows, vectors, claim counts, keyword index.

    Exits with status 1 while problems remain. --repair re-embeds claims that lack a current
    vector, rebuilds the keyword index, deletes vectors and aliases that belong to nothing, and
    says what it did; anything else is reported with what to do. Before it replaces vectors made
    by another model than --model it asks (--yes: do not ask; without a terminal it refuses).

    \b
    Example:
        claimcheck doctor
        claimcheck doctor --repair
        claimcheck doctor --repair --model all-MiniLM-L6-v2 --yes
        claimcheck doctor --json
        claimcheck doctor --index milvus:archive.milvus.db --repair   (verify, rebuild Milvus)
    """
    from .. import doctor as dr
    from ..archive import Store

    try:
        store = Store.open(ctx.obj["db_path"], create=False)
    except ClaimcheckError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        report = dr.examine(store, model, index_spec)
        if repair and any(f.repairable for f in report.problems):
            if store.read_only:
                raise click.ClickException(
                    f"Database {store.path} is read-only; --repair needs write access."
                )
            if not yes and any(f.code == "vectors" for f in report.problems):
                confirm_replacing(dr.vectors_of_other_models(store, report.model), report.model)
            from .. import embed

            report = dr.repair(store, report, lambda name: embed.load_embedder(name))
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        click.echo(
            f"Database {report.database}: schema version {report.schema_version}, "
            f"{report.articles} article(s), {report.claims} claim(s), vectors of {report.model}."
        )
        for f in report.findings:
            if f.repaired:
                click.echo(f"fixed {f.repaired}")
            click.echo(f"{MARKS[f.ok]}{f.summary}")
            if not f.ok and f.repairable and not repair:
                click.echo("      Run 'claimcheck doctor --repair' to fix this.")
            elif not f.ok and f.advice:
                click.echo(f"      {f.advice}")
        remaining = len(report.problems)
        click.echo("No problems found." if not remaining else f"{remaining} problem(s) remain.")
    if report.problems:
        ctx.exit(1)

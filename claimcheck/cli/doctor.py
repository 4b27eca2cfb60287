"""`claimcheck doctor`: check the database, and with --repair fix what is safe to fix."""

from __future__ import annotations

import json

import click

from ..errors import ClaimcheckError

MARKS = {True: "ok    ", False: "FAIL  "}


@click.command()
@click.option("--repair", is_flag=True, help="Fix what can be fixed without losing anything.")
@click.option(
    "--model",
    envvar="CLAIMCHECK_MODEL",
    help="Embedding model the vectors should be of (and re-embedding uses).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as one JSON object.")
@click.pass_context
def doctor(ctx: click.Context, repair: bool, model: str | None, as_json: bool) -> None:
    """Check the database: integrity, schema, orphan rows, vectors, claim counts, keyword index.

    Exits with status 1 while problems remain. --repair re-embeds claims that lack a current
    vector, rebuilds the keyword index, deletes vectors and aliases that belong to nothing, and
    says what it did; anything else is reported with what to do.

    \b
    Example:
        claimcheck doctor
        claimcheck doctor --repair
        claimcheck doctor --json
    """
    from .. import doctor as dr
    from ..archive import Store

    try:
        store = Store.open(ctx.obj["db_path"], create=False)
    except ClaimcheckError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        report = dr.examine(store, model)
        if repair and any(f.repairable for f in report.problems):
            if store.read_only:
                raise click.ClickException(
                    f"Database {store.path} is read-only; --repair needs write access."
                )
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

"""`claimcheck review`, `claimcheck export` and `claimcheck serve`: the editors' commands."""

from __future__ import annotations

import json
import os
import sys
from contextlib import nullcontext
from typing import Any, TextIO

import click

from ..archive import Store
from ..errors import ClaimcheckError
from ..models import FLAG_STATUSES
from .check import judge_options
from .options import LINE, NOTE, PORT, ROW_ID

TOKEN_ENV = "CLAIMCHECK_TOKEN"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def _store(ctx: click.Context) -> Store:
    try:
        return Store.open(ctx.obj["db_path"], create=False)
    except ClaimcheckError as exc:
        raise click.ClickException(str(exc)) from exc


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@click.group()
def review() -> None:
    """The editors' queue of flagged contradictions.

    \b
    Example:
        claimcheck review list --status pending
        claimcheck review show 3
        claimcheck review confirm 3 --editor "A. Editor" --note "Ask the ministry"
    """


@review.command("list")
@click.option("--status", type=click.Choice(FLAG_STATUSES), help="Only flags with this status.")
@click.option("--speaker", help="Only flags about this speaker (typo-tolerant).")
@click.option("--outlet", type=LINE, help="Only flags on articles from this outlet.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines.")
@click.pass_context
def list_command(
    ctx: click.Context, status: str | None, speaker: str | None, outlet: str | None, as_json: bool
) -> None:
    """List flags, pending first.

    \b
    Example:
        claimcheck review list
        claimcheck review list --status follow-up --speaker Umerov --json
    """
    from ..review import QueueFilter, flag_json, get_flag, list_flags, status_counts

    store = _store(ctx)
    queue = QueueFilter(status=status, speaker=speaker, outlet=outlet)
    flags = list_flags(store, queue)
    if as_json:
        for f in flags:
            click.echo(json.dumps(flag_json(get_flag(store, f.id)), ensure_ascii=False))
        return
    counts = status_counts(store, queue)
    click.echo(", ".join(f"{n} {s}" for s, n in counts.items()), err=True)
    if not flags:
        click.echo("No flags match.", err=True)
    for f in flags:
        where = f.outlet or "unknown outlet"
        click.echo(f"#{f.id} [{f.status}] {f.speaker} ({where}, confidence {f.confidence:.2f})")
        click.echo(f"    new:    {_short(f.quote)}")
        if f.stored_removed:
            click.echo(f"    stored: {_short(f.stored_quote or '')} ({f.stored_removed})")
        elif f.stored_quote:
            click.echo(f"    stored: {_short(f.stored_quote)} ({f.stored_outlet or 'unknown'})")


@review.command("show")
@click.argument("flag_id", type=ROW_ID)
@click.option("--json", "as_json", is_flag=True, help="Print the flag as JSON.")
@click.pass_context
def show_command(ctx: click.Context, flag_id: int, as_json: bool) -> None:
    """Show one flag: both claims, the judge's reasons and the history.

    \b
    Example:
        claimcheck review show 3
    """
    from ..review import flag_json, get_flag

    try:
        detail = get_flag(_store(ctx), flag_id)
    except ClaimcheckError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(flag_json(detail), ensure_ascii=False, indent=2))
        return
    s = detail.summary
    click.echo(f"Flag #{s.id}: {s.status} (confidence {s.confidence:.2f})")
    click.echo(f"New claim by {s.speaker} in {s.title or 'untitled'} ({s.outlet or 'unknown'}):")
    click.echo(f"    {s.quote}")
    for stored, _ in detail.stored:
        c = stored.claim
        when = f", {stored.published}" if stored.published else ""
        click.echo(
            f"Conflicts with claim #{c.id} by {c.speaker} ({stored.outlet or 'unknown'}{when}):"
        )
        click.echo(f"    {c.quote}")
    for gone in detail.removed:
        click.echo(f"Cited claim #{gone.claim_id} by {gone.speaker}, {gone.why}; it said:")
        click.echo(f"    {gone.quote}")
    if detail.reasons:
        click.echo("Why:")
        for r in detail.reasons:
            click.echo(f"  - {r.text}")
    if detail.note:
        click.echo(f"Note: {detail.note}")
    click.echo("History:")
    for e in detail.events:
        who = e.editor or "claimcheck"
        note = f" — {e.note}" if e.note else ""
        click.echo(f"  {e.at} {who}: {e.action} → {e.to_status}{note}")


def _decision_command(action: str, summary: str) -> click.Command:
    @click.command(
        action,
        help=f"""{summary}

    Records your name (required) and an optional note in the flag's history; nothing is
    overwritten, and you can change your mind later.

    \b
    Example:
        claimcheck review {action} 3 --editor "A. Editor" --note "Checked with the desk"
    """,
    )
    @click.argument("flag_id", type=ROW_ID)
    @click.option(
        "--editor", envvar="CLAIMCHECK_EDITOR", type=LINE, help="Your name (or $CLAIMCHECK_EDITOR)."
    )
    @click.option("--note", type=NOTE, help="Why, for the record (line breaks are fine).")
    @click.pass_context
    def command(ctx: click.Context, flag_id: int, editor: str | None, note: str | None) -> None:
        from ..review import decide_flag

        try:
            event = decide_flag(_store(ctx), flag_id, action, editor, note)
        except ClaimcheckError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Flag #{flag_id}: {event.from_status} → {event.to_status} by {event.editor}.")

    return command


review.add_command(_decision_command("confirm", "Confirm a flag: a real contradiction."))
review.add_command(_decision_command("dismiss", "Dismiss a flag: a false alarm."))
review.add_command(_decision_command("follow-up", "Mark a flag for follow-up: needs reporting."))
review.add_command(_decision_command("reopen", "Reopen a decided flag: back to pending."))


@click.command()
@click.option(
    "--format", "fmt", type=click.Choice(["claimreview", "csv", "jsonl", "archive"]),
    default="claimreview", show_default=True,
    help="ClaimReview JSON-LD, CSV, JSON lines, or an archive of everything (for import).",
)  # fmt: skip
@click.option(
    "--table", type=click.Choice(["flags", "claims"]), default="flags", show_default=True,
    help="For csv/jsonl: the review flags or every stored claim.",
)  # fmt: skip
@click.option(
    "--status", "statuses", multiple=True, type=click.Choice(FLAG_STATUSES),
    help="Only flags with this status (repeatable; ClaimReview default: confirmed).",
)  # fmt: skip
@click.option(
    "--newsroom",
    type=LINE,
    envvar="CLAIMCHECK_NEWSROOM",
    help="Publisher of the reviews (or $CLAIMCHECK_NEWSROOM).",
)
@click.option(
    "--newsroom-url",
    type=LINE,
    envvar="CLAIMCHECK_NEWSROOM_URL",
    help="Publisher's web address (or $CLAIMCHECK_NEWSROOM_URL).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE, not stdout.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists (never the database).")
@click.pass_context
def export(
    ctx: click.Context,
    fmt: str,
    table: str,
    statuses: tuple[str, ...],
    newsroom: str | None,
    newsroom_url: str | None,
    output: str | None,
    force: bool,
) -> None:
    """Export reviewed flags as ClaimReview JSON-LD, flags / claims as CSV or JSON lines, or the
    whole archive (articles, speakers, claims, vectors, review history) for `claimcheck import`.

    -o never writes over the database, and over an existing file only with --force; the file
    appears once complete.

    \b
    Example:
        claimcheck export --format claimreview --newsroom "The Daily" -o reviews.json
        claimcheck export --format csv --status follow-up
        claimcheck export --format jsonl --table claims
        claimcheck export --format archive -o news-archive.jsonl
    """
    from ..archive import archive_counts_line, check_output_path, output_file, write_archive
    from ..review import NEWSROOM_ENV, Newsroom, export_text

    if fmt == "claimreview" and table != "flags":
        raise click.ClickException("ClaimReview exports flags only; drop --table claims.")
    if fmt == "archive" and (statuses or table != "flags"):
        raise click.ClickException("An archive holds everything; drop --table and --status.")
    target = check_output_path(output, ctx.obj["db_path"], force=force) if output else None
    if fmt == "claimreview" and not (newsroom or os.environ.get(NEWSROOM_ENV)):
        click.echo(f"warning: no --newsroom (or ${NEWSROOM_ENV}); author is 'Newsroom'.", err=True)
    store = _store(ctx)
    with output_file(target, force=force) if target else nullcontext(_stdout()) as out:
        if fmt == "archive":
            summary = write_archive(store, out)
        else:
            out.write(
                export_text(
                    store,
                    fmt,
                    table=table,
                    statuses=statuses or None,
                    newsroom=Newsroom.from_env(newsroom, newsroom_url),
                )
            )
    if fmt == "archive":
        click.echo(f"Archived {archive_counts_line(summary)}.", err=True)
        if summary.dangling:
            click.echo(
                f"note: {summary.dangling} row(s) cite rows that no longer exist ('claimcheck "
                "doctor' lists them); they are archived as they are.",
                err=True,
            )
    if output:
        click.echo(f"Wrote {output}.", err=True)


def _stdout() -> TextIO:
    return sys.stdout


def token_for(host: str, token: str | None) -> tuple[str | None, bool]:
    """The access token to serve with, and whether claimcheck made it.

    Beyond this machine a token is required (the queue holds unpublished work): one given must
    be at least 16 characters, and when none is given a random one is made and printed, so that
    `serve --host 0.0.0.0` works at once and is never open to everyone.
    """
    from ..web.security import new_token, token_problem

    if token:
        problem = token_problem(token)
        if problem:
            raise click.BadParameter(problem, param_hint="'--token' / $" + TOKEN_ENV)
        return token, False
    if host in LOOPBACK_HOSTS:
        return None, False
    return new_token(), True


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port", default=8765, show_default=True, type=PORT, help="Port to listen on (1-65535)."
)
@click.option(
    "--token", envvar=TOKEN_ENV,
    help=f"Access token, 16 characters or more (or ${TOKEN_ENV}); made for you beyond 127.0.0.1.",
)  # fmt: skip
@click.option(
    "--allowed-host", "allowed_hosts", multiple=True, type=LINE, metavar="NAME",
    help="Another name this server is reached by (repeatable), e.g. reviews.newsroom.example.",
)  # fmt: skip
@click.option(
    "--secure-cookies", is_flag=True,
    help="Mark cookies Secure: for a server reached over HTTPS through a proxy.",
)  # fmt: skip
@click.option("--model", envvar="CLAIMCHECK_MODEL", help="Embedding model folder or name.")
@judge_options
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    token: str | None,
    allowed_hosts: tuple[str, ...],
    secure_cookies: bool,
    model: str | None,
    nli_model: str | None,
    judge_kind: str | None,
) -> None:
    """Serve the review queue, quote search and article checking as a web page.

    Binds to this machine only unless --host says otherwise; any other address needs a token
    (claimcheck makes one and prints the link when none is given), which visitors give once as
    ?token=... and which then opens a 12-hour session kept in a cookie. Requests must name this
    server: a loopback name, the --host address, or an --allowed-host name (else HTTP 400).

    \b
    Example:
        claimcheck serve
        claimcheck serve --host 0.0.0.0 --port 8080 --allowed-host reviews.newsroom.example
        CLAIMCHECK_TOKEN=... claimcheck serve --host 0.0.0.0 --secure-cookies
    """
    token, made = token_for(host, token)
    _store(ctx).close()  # serve an archive that exists; never create one at a mistyped path
    import uvicorn

    from ..web.app import create_app
    from ..web.security import allowed_hosts_for

    def embedder_factory() -> Any:
        from ..embed import load_embedder

        return load_embedder(model)

    def judge_factory() -> Any:
        from ..judge import load_judge

        return load_judge(nli_model, kind=judge_kind)

    app = create_app(
        ctx.obj["db_path"],
        embedder_factory=embedder_factory,
        judge_factory=judge_factory,
        token=token,
        allowed_hosts=allowed_hosts_for(host, allowed_hosts),
        secure_cookies=secure_cookies,
    )
    shown = host
    if host in ("0.0.0.0", "::", ""):
        import socket

        shown = socket.gethostname()  # the name colleagues can reach; 0.0.0.0 is not an address
    shown = f"[{shown}]" if ":" in shown else shown
    where = f"{'https' if secure_cookies else 'http'}://{shown}:{port}/"
    if made:
        click.echo(f"claimcheck review at {where}?token={token}", err=True)
        click.echo(
            f"(a new access token for this run; set --token or ${TOKEN_ENV} to keep one)",
            err=True,
        )
    else:
        click.echo(
            f"claimcheck review at {where}" + (" (token required)" if token else ""), err=True
        )
    uvicorn.run(app, host=host, port=port, log_level="warning")

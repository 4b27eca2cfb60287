"""`claimcheck check` and `claimcheck evaluate`: the commands that judge articles."""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any

import click

from ..errors import ClaimcheckError
from . import scale
from .options import DATE, LINE

VERDICT_ORDER = ("contradict", "agree", "novel")
VERDICT_TITLES = {
    "contradict": "CONTRADICTS stored claims",
    "agree": "AGREES with stored claims",
    "novel": "NOVEL (nothing stored says this)",
}


class Spinner:
    """A line on stderr that turns while something slow runs, on a terminal only: never in a
    pipe, a log or beside --json output read by a program. Cleared when done."""

    FRAMES = "|/-\\"

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.text = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def say(self, text: str) -> None:
        self.text = text
        if self.enabled and self._thread is None:
            self._thread = threading.Thread(target=self._turn, daemon=True)
            self._thread.start()

    def _turn(self) -> None:
        frame = 0
        while not self._stop.wait(0.1):
            self.stream.write(f"\r{self.FRAMES[frame % 4]} {self.text}\033[K")
            self.stream.flush()
            frame += 1

    def __enter__(self) -> Spinner:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self.stream.write("\r\033[K")
            self.stream.flush()


def _check_model_options(model: str | None, nli_model: str | None) -> None:
    """Refuse a model folder that is not there, and an unknown backend, before loading any."""
    from ..inference import backend

    try:
        backend()
    except ClaimcheckError as exc:
        raise click.ClickException(str(exc)) from exc
    if model and model.startswith((".", "/", "~")) and not os.path.isdir(os.path.expanduser(model)):
        raise click.ClickException(f"Embedding model folder {model} does not exist.")
    if nli_model and not os.path.isdir(os.path.expanduser(nli_model)):
        raise click.ClickException(f"Pair classifier folder {nli_model} does not exist.")


def _load_models(
    model: str | None, nli_model: str | None, judge: str | None = None
) -> tuple[Any, Any]:
    from ..inference import keep_torch_out_of_spacy
    from ..judge import load_judge

    try:
        keep_torch_out_of_spacy()  # before anything imports spaCy (see inference/)
        return scale.embedder_factory(model)(), load_judge(nli_model, kind=judge)
    except ClaimcheckError as exc:
        raise click.ClickException(str(exc)) from exc


def judge_options(command: Any) -> Any:
    """--judge and --nli-model, shared by every command that judges claims."""
    command = click.option(
        "--nli-model",
        envvar="CLAIMCHECK_NLI_MODEL",
        help="Another three-way CrossEncoder folder to use as the learned judge's classifier.",
    )(command)
    return click.option(
        "--judge",
        "judge_kind",
        type=click.Choice(["learned", "rules"]),
        envvar="CLAIMCHECK_JUDGE",
        help="learned (default): the shipped pair classifier with the detectors; "
        "rules: the detectors and similarity alone.",
    )(command)


def _read_submission(
    path: str, outlet: str | None, title: str | None, url: str | None, published: str | None
) -> list[Any]:
    """The submitted articles: one, or every line of a JSON lines batch."""
    from ..read import article_from_text, article_paths, decode_bytes, read_articles

    options: dict[str, Any] = {
        "outlet": outlet,
        "title": title,
        "url": url,
        "published": published,
    }
    if path == "-":
        from ..read import MAX_ARTICLE_BYTES

        data = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)  # enough to refuse, never unbounded
        return [
            article_from_text(
                decode_bytes(data, "standard input"), name="standard input", **options
            )
        ]
    if not os.path.isdir(path):  # a directory is refused by the reader, in its own words
        list(article_paths([path]))  # a FIFO, a device or a file of another type: one line
    return read_articles(path, **options)


def format_report(report: Any) -> str:
    """The human-readable check report: contradictions first, each with its evidence."""
    lines: list[str] = []
    counts = report.counts()
    title = report.article.title or "submitted article"
    lines.append(
        f"{title}: {len(report.verdicts)} claim(s) — {counts['contradict']} contradict, "
        f"{counts['agree']} agree, {counts['novel']} novel"
    )
    for verdict_name in VERDICT_ORDER:
        group = [v for v in report.verdicts if v.verdict == verdict_name]
        if not group:
            continue
        lines.append("")
        lines.append(f"== {VERDICT_TITLES[verdict_name]} ({len(group)})")
        for v in group:
            c = v.claim
            lines.append(
                f"* {c.speaker} ({c.kind}, chars {c.start}-{c.end}, "
                f"confidence {v.confidence:.2f}): {c.quote}"
            )
            if verdict_name == "novel":
                continue
            for m in [m for m in v.matches if m.relation == verdict_name][:2]:
                s = m.stored
                source = ", ".join(x for x in (s.outlet, s.published) if x)
                lines.append(
                    f"    vs [{s.claim.id}] {s.claim.speaker} ({source or 'stored'}): "
                    f"{s.claim.quote}"
                )
                for r in m.reasons:
                    lines.append(f"       why: {r.text}")
    if report.flag_ids:
        lines.append("")
        lines.append(
            f"{len(report.flag_ids)} contradiction(s) in the review queue: claimcheck review list"
        )
    return "\n".join(lines)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--outlet", type=LINE, help="Outlet of the submitted article.")
@click.option("--title", type=LINE, help="Title (default: the first line).")
@click.option("--url", type=LINE, help="Source URL of the submitted article.")
@click.option("--published", type=DATE, help="Publication date, YYYY-MM-DD.")
@click.option("--save", is_flag=True, help="Also store the article's claims in the archive.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line per claim.")
@click.option(
    "--fail-on",
    type=click.Choice(["contradict", "never"]),
    default="never",
    show_default=True,
    help="Exit with status 3 when a claim gets this verdict (for automation).",
)
@click.option("--model", envvar="CLAIMCHECK_MODEL", help="Embedding model folder or name.")
@judge_options
@scale.ray_options
@scale.index_option
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    outlet: str | None,
    title: str | None,
    url: str | None,
    published: str | None,
    save: bool,
    as_json: bool,
    fail_on: str,
    model: str | None,
    nli_model: str | None,
    judge_kind: str | None,
    ray_address: str | None,
    workers: int | None,
    index_spec: str | None,
) -> None:
    """Check a new article against stored claims: agree, contradict or novel.

    PATH is an article file, a JSON lines batch (.jsonl: each article checked in turn), or - for
    standard input. Every run is recorded and each contradiction goes to the review queue.

    Several PATHS, or a folder, check every article named, each recorded and flagged as a single
    check is; with --ray they are decided in parallel on a Ray cluster.

    \b
    Example:
        claimcheck check rival-story.txt --outlet "Daily Briefing"
        cat draft.txt | claimcheck check - --json
        claimcheck check draft.txt --fail-on contradict
        claimcheck check tonight/ --ray        (many articles, in parallel on Ray)
    """
    from ..archive import Store
    from ..check import check_article
    from ..review import verdict_json

    scale.check_ray_options(ray_address, workers)
    scale.use_index(index_spec)
    if ray_address or len(paths) > 1 or os.path.isdir(paths[0]):
        read_options = {"outlet": outlet, "title": title, "url": url, "published": published}
        scale.check_many(
            ctx,
            paths,
            address=ray_address,
            workers=workers,
            read_options=read_options,
            model=model,
            judge_kind=judge_kind,
            nli_model=nli_model,
            save=save,
            as_json=as_json,
            fail_on=fail_on,
            format_report=format_report,
        )
        return
    path = paths[0]
    _check_model_options(model, nli_model)
    submitted = _read_submission(path, outlet, title, url, published)
    try:
        store = Store.open(ctx.obj["db_path"], create=True)
    except ClaimcheckError as exc:
        raise click.ClickException(str(exc)) from exc
    record = True
    if store.read_only:
        if save:
            raise click.ClickException(
                f"Database {store.path} is read-only, so --save cannot store the article."
            )
        # A reporter may still check against an archive they cannot write to.
        click.echo(f"Database {store.path} is read-only: this check is not recorded.", err=True)
        record = False
    spinner = Spinner()
    with spinner:
        spinner.say("Loading the models…")
        embedder, judge = _load_models(model, nli_model, judge_kind)
    contradictions = 0
    for number, article in enumerate(submitted, start=1):
        with Spinner() as spinner:
            spinner.say(f"Checking {article.title or 'the article'}…")
            report = check_article(
                store, article, embedder=embedder, judge=judge, record=record, save=save
            )
        contradictions += report.counts()["contradict"]
        if as_json:
            # In a batch each line says which article it is about (its place in the batch).
            where = {"article": number} if len(submitted) > 1 else {}
            for verdict in report.verdicts:
                click.echo(json.dumps({**where, **verdict_json(verdict)}, ensure_ascii=False))
        else:
            click.echo(("\n" if number > 1 else "") + format_report(report))
    if fail_on == "contradict" and contradictions:
        ctx.exit(3)


@click.command()
@click.argument("labels_dir", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--against",
    "corpus",
    default="corpus",
    show_default=True,
    type=click.Path(exists=True),
    help="Stored articles to check against (ingested into a scratch database).",
)
@click.option("--model", envvar="CLAIMCHECK_MODEL", help="Embedding model folder or name.")
@judge_options
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate(
    labels_dir: str,
    corpus: str,
    model: str | None,
    nli_model: str | None,
    judge_kind: str | None,
    as_json: bool,
) -> None:
    """Measure the checker on a labelled set: precision, recall, F1, confusion matrix.

    LABELS_DIR holds articles/ and labels.jsonl (see docs/evaluation.md). The labelled articles
    are checked against the --against corpus in a scratch database; nothing is written to yours.

    \b
    Example:
        claimcheck evaluate tests/data/devset
        claimcheck evaluate tests/data/devset --judge rules
    """
    from .. import evaluate as ev

    embedder, judge = _load_models(model, nli_model, judge_kind)
    report = ev.evaluate_dir(labels_dir, corpus, embedder=embedder, judge=judge)
    if as_json:
        click.echo(json.dumps(ev.report_json(report), ensure_ascii=False))
    else:
        click.echo(ev.format_report(report))

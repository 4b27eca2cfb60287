"""Options and runners for working beyond one machine: `--ray [ADDRESS]`, `--workers`, `--index`.

`ingest --ray` and `check PATHS... --ray` hand the work to `claimcheck.scale` (Ray); `--index
milvus:URI` keeps the vectors in Milvus (`archive/milvus.py`). Both engines are imported only when
asked for: the single-machine commands never load them.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..errors import ClaimcheckError
from .options import LIMIT

INDEX_ENV = "CLAIMCHECK_INDEX"  # archive.index reads it
FACTORY_ENV = "CLAIMCHECK_EMBEDDER"  # module:callable making another embedder (tests use it)


class IndexSpec(click.ParamType):
    """numpy (the default matrix) or milvus:URI, checked before anything is opened."""

    name = "index"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        if text in ("", "numpy"):
            return "numpy"
        from ..archive import parse_index_spec

        try:
            parse_index_spec(text)
        except ClaimcheckError as exc:
            self.fail(str(exc), param, ctx)
        return text


def index_option(command: Any) -> Any:
    return click.option(
        "--index",
        "index_spec",
        type=IndexSpec(),
        envvar=INDEX_ENV,
        help="Where the vectors are searched: numpy (default: a matrix beside the database) or "
        "milvus:URI (a Milvus Lite file such as milvus:archive.milvus.db, or "
        "milvus:http://host:19530).",
    )(command)


def ray_options(command: Any) -> Any:
    command = click.option(
        "--workers",
        type=LIMIT,
        help="With --ray: actors per stage (default: one per CPU of the cluster).",
    )(command)
    return click.option(
        "--ray",
        "ray_address",
        is_flag=False,
        flag_value="local",
        default=None,
        metavar="[ADDRESS]",
        help="Run on a Ray cluster: no value starts a local one, auto joins the cluster this "
        "machine belongs to, or give its address (ray://head:10001).",
    )(command)


def check_ray_options(address: str | None, workers: int | None) -> None:
    if workers and not address:
        raise click.UsageError("--workers sets the width of a Ray pipeline; add --ray.")
    if address and address not in ("local", "auto") and os.path.exists(address):
        raise click.UsageError(
            f"--ray took {address!r} as a cluster's address; put --ray after the paths, "
            "or write --ray=ADDRESS."
        )


def use_index(spec: str | None) -> None:
    """Make `spec` the index every search in this process uses (archive.load_index reads it)."""
    if spec and spec != "numpy":
        os.environ[INDEX_ENV] = spec
    else:
        os.environ.pop(INDEX_ENV, None)


def index_sync(store: Any) -> Callable[[], None] | None:
    """After each committed batch: copy its vectors into Milvus (None with the numpy matrix)."""
    spec = os.environ.get(INDEX_ENV, "")
    if not spec.startswith("milvus:"):
        return None
    from ..archive import milvus_index

    def sync() -> None:
        # The model of the vectors just written: the batch's (the newest row's) model.
        row = store.db.execute(
            "select model from embeddings order by claim_id desc limit 1"
        ).fetchone()
        if row:
            milvus_index(store, row[0], spec)

    return sync


def embedder_factory(model: str | None) -> Callable[[], Any]:
    """A picklable function that makes the embedder (in this process or in a Ray actor).

    $CLAIMCHECK_EMBEDDER=module:callable names another one; otherwise the model of --model.
    """
    named = os.environ.get(FACTORY_ENV)
    if named:
        module, _, attr = named.partition(":")
        try:
            factory: Callable[[], Any] = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            raise click.ClickException(f"${FACTORY_ENV}={named}: {exc}") from exc
        # A partial, not the class itself: a class has an `encode` attribute and would be
        # taken for an embedder.
        return functools.partial(_construct, factory)
    from ..embed import load_embedder

    return functools.partial(load_embedder, model)


def _construct(factory: Callable[[], Any]) -> Any:
    return factory()


def _rate(started: float, articles: int, claims: int) -> str:
    seconds = max(time.perf_counter() - started, 1e-9)
    return f"{articles / seconds:.1f} articles/s, {claims / seconds:.0f} claims/s"


def ray_ingest(
    store: Any,
    files: list[Path],
    model: str | None,
    *,
    address: str,
    workers: int | None,
    read_options: dict[str, Any],
) -> Any:
    """`ingest --ray`: the summary, with a progress bar (count and rate) on a terminal."""
    from ..scale import RayOptions, ingest_on_ray

    make = embedder_factory(model)
    started = time.perf_counter()
    done = {"articles": 0, "claims": 0}
    bar: Any = click.progressbar(
        length=len(files),
        label="Ingesting on Ray",
        file=sys.stderr,
        show_pos=True,
        show_eta=True,
        hidden=not sys.stderr.isatty(),
        item_show_func=lambda _: _rate(started, done["articles"], done["claims"]),
    )

    def on_article(_path: Path | None, claims: int) -> None:
        done["articles"] += 1
        done["claims"] += claims
        bar.update(1)

    with bar:
        summary = ingest_on_ray(
            store,
            files,
            make,
            ray_options=RayOptions(address=address, workers=workers),
            on_article=on_article,
            on_batch=index_sync(store),
            **read_options,
        )
    click.echo(
        f"Ray: {done['articles']} article(s) in {time.perf_counter() - started:.1f} s "
        f"({_rate(started, done['articles'], summary.claims_added)}).",
        err=True,
    )
    return summary


def check_many(
    ctx: click.Context,
    paths: tuple[str, ...],
    *,
    address: str | None,
    workers: int | None,
    read_options: dict[str, Any],
    model: str | None,
    judge_kind: str | None,
    nli_model: str | None,
    save: bool,
    as_json: bool,
    fail_on: str,
    format_report: Callable[[Any], str],
) -> None:
    """`check PATHS...`: every article checked and recorded as a single check is; with --ray,
    decided in parallel on the cluster and recorded here, in the order given."""
    from ..archive import Store
    from ..read import article_paths, read_articles
    from ..review import verdict_json

    if "-" in paths:
        raise click.UsageError("Standard input (-) is checked on its own, not with other files.")
    files = list(
        article_paths(
            list(paths), on_skip=lambda path, why: click.echo(f"skipped: {path}: {why}", err=True)
        )
    )
    try:
        store = Store.open(ctx.obj["db_path"], create=True)
    except ClaimcheckError as exc:
        raise click.ClickException(str(exc)) from exc
    if store.read_only and save:
        raise click.ClickException(
            f"Database {store.path} is read-only, so --save cannot store the articles."
        )
    record = not store.read_only
    if not record:
        click.echo(f"Database {store.path} is read-only: these checks are not recorded.", err=True)
    articles: list[tuple[str, Any]] = []
    failed = 0
    for path in files:
        try:
            # A JSON lines batch is its articles, each labelled with its line (batch.jsonl#3).
            batch = read_articles(path, **read_options)
            articles.extend((a.source_path or str(path), a) for a in batch)
        except ClaimcheckError as exc:
            click.echo(f"skipped: {exc}", err=True)
            failed += 1
    contradictions = 0

    def show(number: int, label: str, report: Any) -> None:
        nonlocal contradictions
        contradictions += report.counts()["contradict"]
        if as_json:
            for verdict in report.verdicts:
                line = {"article": number, "path": label, **verdict_json(verdict)}
                click.echo(json.dumps(line, ensure_ascii=False))
        else:
            click.echo(("\n" if number > 1 else "") + f"[{label}]\n" + format_report(report))

    if address:
        from ..judge import load_judge
        from ..scale import RayOptions, check_on_ray

        make_judge = functools.partial(
            load_judge, nli_model, kind=judge_kind or os.environ.get("CLAIMCHECK_JUDGE")
        )
        outcomes = check_on_ray(
            store,
            articles,
            embedder_factory(model),
            make_judge,
            ray_options=RayOptions(address=address, workers=workers),
            record=record,
            save=save,
        )
        for number, outcome in enumerate(outcomes, start=1):
            if outcome.report is None:
                click.echo(f"failed: {outcome.label}: {outcome.error}", err=True)
                failed += 1
            else:
                show(number, outcome.label, outcome.report)
    else:
        from ..check import check_article
        from ..judge import load_judge

        embedder = embedder_factory(model)()
        judge = load_judge(nli_model, kind=judge_kind)
        for number, (label, article) in enumerate(articles, start=1):
            report = check_article(
                store, article, embedder=embedder, judge=judge, record=record, save=save
            )
            show(number, label, report)
    if failed:
        raise click.ClickException(f"{failed} of {len(files)} article(s) could not be checked.")
    if fail_on == "contradict" and contradictions:
        ctx.exit(3)

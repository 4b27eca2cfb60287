"""`claimcheck check PATHS... --ray`: tonight's stories checked in parallel, recorded by one writer.

Each check actor opens the archive read-only, loads the embedder and the judge once, and decides
one article at a time exactly as `check_article` does (nothing written). The reports come back
in input order to this process, which records each run, and flags each contradiction, through
`record_check`, the single check's own path: one writer, so the review queue is what checking
the articles one by one would have made. The actors read the database file: on a cluster of
several machines each needs the file at the same path (a shared folder, or a copy made with
`claimcheck backup`), and the vectors can come from a Milvus server (`--index`).
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..archive import Store
from ..check import check_article
from ..embed import Embedder
from ..models import Article, CheckReport
from ..review import record_check
from .cluster import RayOptions, connect, stage_width

INDEX_ENV = "CLAIMCHECK_INDEX"  # archive.index reads it: the actors search what the caller does


@dataclass
class CheckOutcome:
    """One article's check: its report once recorded, or why it could not be checked."""

    label: str  # the file it came from
    report: CheckReport | None = None
    error: str | None = None
    seconds: float = 0.0  # the actor's time deciding it
    extra: dict[str, Any] = field(default_factory=dict)


class _Capture:
    """The embedder, remembering the vectors of its last call (the record needs them)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.name = embedder.name
        self.dimensions = embedder.dimensions
        self.last = np.zeros((0, embedder.dimensions), dtype=np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        self.last = self.embedder.encode(texts)
        return self.last


class CheckStage:
    """An actor that checks articles against the archive without writing anything."""

    def __init__(
        self,
        db_path: str,
        make_embedder: Callable[[], Embedder],
        make_judge: Callable[[], Any],
        index: str | None,
    ) -> None:
        if index:
            os.environ[INDEX_ENV] = index
        self.store = Store.open(db_path, create=False)
        self.embedder = _Capture(make_embedder())
        self.judge = make_judge()

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        out, spent = [], []
        answer: tuple[Any, ...]
        for blob in batch["article"]:
            started = time.perf_counter()
            article: Article = pickle.loads(blob)
            try:
                report = check_article(
                    self.store, article, embedder=self.embedder, judge=self.judge, record=False
                )
                answer = (report, self.embedder.last, self.embedder.name, self.judge.name, None)
            except Exception as exc:  # one article's failure must not lose the others
                first = (str(exc).splitlines() or [type(exc).__name__])[0]
                answer = (None, None, None, None, first)
            out.append(pickle.dumps(answer))
            spent.append(time.perf_counter() - started)
        batch["answer"] = np.array(out, dtype=object)
        batch["seconds"] = np.array(spent)
        return batch


def check_on_ray(
    store: Store,
    articles: list[tuple[str, Article]],
    make_embedder: Callable[[], Embedder],
    make_judge: Callable[[], Any],
    *,
    ray_options: RayOptions,
    record: bool = True,
    save: bool = False,
    on_done: Callable[[CheckOutcome], None] | None = None,
) -> list[CheckOutcome]:
    """Check `(label, article)` pairs on a Ray cluster; record each run here, in input order."""
    outcomes: list[CheckOutcome] = []
    if not articles:
        return outcomes
    index = os.environ.get(INDEX_ENV) or None
    with connect(ray_options) as ray:
        width = min(stage_width(ray, ray_options), len(articles))
        dataset = ray.data.from_items(
            [{"label": label, "article": pickle.dumps(a)} for label, a in articles]
        ).map_batches(
            CheckStage,
            batch_size=1,
            compute=ray.data.ActorPoolStrategy(min_size=1, max_size=width),
            num_cpus=1,
            fn_constructor_kwargs={
                "db_path": store.path,
                "make_embedder": make_embedder,
                "make_judge": make_judge,
                "index": index,
            },
            batch_format="numpy",
        )
        for batch in dataset.iter_batches(batch_size=1, batch_format="numpy"):
            for label, blob, seconds in zip(
                batch["label"], batch["answer"], batch["seconds"], strict=True
            ):
                report, vectors, model, judge_name, error = pickle.loads(blob)
                outcome = CheckOutcome(str(label), report, error, float(seconds))
                if report is not None and (record or save):
                    started = time.perf_counter()
                    record_check(
                        store,
                        report,
                        vectors=vectors,
                        model=model,
                        judge_name=judge_name,
                        save=save,
                    )
                    report.timings["record"] = time.perf_counter() - started
                outcomes.append(outcome)
                if on_done:
                    on_done(outcome)
    return outcomes

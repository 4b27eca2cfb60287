"""`claimcheck ingest --ray`: a back catalogue through a Ray Data pipeline, stored by one writer.

    paths ─ read and decode (tasks) ─ extract (actors, spaCy loaded once each)
          ─ embed (actors, the model loaded once each, a batch of claims per call)
          ─ write (this process: whole articles, one transaction per batch)

Reading skips an article whose text the archive already holds (its hash is looked up in a sorted
array of the stored hashes, sent to the cluster once), so nothing stored is parsed again. Blocks
leave the pipeline in input order and the writer stores them through the archive's own path
(`store_articles`, the one serial ingest uses), with the vectors the actors computed: an article
is all in or all out, a text stored twice is stored once, speakers resolve in the same order as
a serial ingest of the same files, and so the archive holds the same claims, speakers and
vectors. Only this process opens the database, so the cluster's machines need the article files
(a shared folder) but not the archive.

Each actor times its own work; the totals (seconds of extraction and of encoding, and the
writer's) say how many machines a stage would need to keep up with the one writer
(docs/scaling.md).
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..archive import IngestSummary, Store, claim_texts, content_hash, store_articles
from ..embed import Embedder
from ..errors import InputError
from ..models import Article, Extraction
from .cluster import RayOptions, connect, stage_width

NEW, STORED, FAILED = "new", "stored", "error"


@dataclass
class StageTimes:
    """Seconds each stage spent working, summed over its actors (and the one writer)."""

    read: float = 0.0
    extract: float = 0.0
    embed: float = 0.0
    write: float = 0.0
    wall: float = 0.0
    claims: int = 0
    articles: int = 0
    workers: int = 0

    def as_dict(self) -> dict[str, float]:
        return {
            "read_s": self.read,
            "extract_s": self.extract,
            "embed_s": self.embed,
            "write_s": self.write,
            "wall_s": self.wall,
            "claims": self.claims,
            "articles": self.articles,
            "workers": self.workers,
        }


# ---------------------------------------------------------------- stages (run on the cluster)
def read_stage(
    batch: dict[str, np.ndarray], options: dict[str, str | None], known: list[Any]
) -> dict[str, Any]:
    """Paths → articles (pickled), each marked new, already stored, or unreadable.

    A JSON lines batch gives one row per article in it, as serial ingest reads it.
    """
    import ray

    from ..read import read_articles

    started = time.perf_counter()
    stored = ray.get(known[0])
    status, article, error = [], [], []
    for path in batch["path"]:
        try:
            items = read_articles(Path(str(path)), **options)
        except InputError as exc:
            status.append(FAILED)
            article.append(b"")
            error.append(str(exc))
            continue
        for item in items:
            digest = content_hash(item.text).encode()
            where = int(np.searchsorted(stored, digest))
            if where < len(stored) and stored[where] == digest:
                status.append(STORED)
                article.append(b"")
            else:
                status.append(NEW)
                article.append(pickle.dumps(item))
            error.append("")
    spent = (time.perf_counter() - started) / max(1, len(status))
    return {
        "status": np.array(status, dtype=object),
        "article": np.array(article, dtype=object),
        "error": np.array(error, dtype=object),
        "read_s": np.full(len(status), spent),
    }


class ExtractStage:
    """An actor that parses articles into claims; spaCy is loaded once, when it starts."""

    def __init__(self) -> None:
        from ..extract import extract_many

        self._extract = extract_many
        list(extract_many([("Loaded.", None)]))  # load the pipeline now, not in the first batch

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        started = time.perf_counter()
        rows = [i for i, s in enumerate(batch["status"]) if s == NEW]
        articles: list[Article] = [pickle.loads(batch["article"][i]) for i in rows]
        extractions = self._extract((a.text, a.outlet) for a in articles)
        out = [b""] * len(batch["status"])
        for i, extraction in zip(rows, extractions, strict=True):
            out[i] = pickle.dumps(extraction)
        batch["extraction"] = np.array(out, dtype=object)
        spent = (time.perf_counter() - started) / max(1, len(out))
        batch["extract_s"] = np.full(len(out), spent)
        return batch


class EmbedStage:
    """An actor that embeds every claim of a block in one encoder call; the model loads once."""

    def __init__(self, make_embedder: Callable[[], Embedder]) -> None:
        self.embedder = make_embedder()

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        started = time.perf_counter()
        extractions: list[Extraction | None] = [
            pickle.loads(b) if b else None for b in batch["extraction"]
        ]
        texts = [t for e in extractions if e is not None for t in claim_texts(e)]
        dims = self.embedder.dimensions
        matrix = self.embedder.encode(texts) if texts else np.zeros((0, dims), np.float32)
        blobs, offset = [], 0
        for e in extractions:
            n = len(e.claims) if e is not None else 0
            blobs.append(np.asarray(matrix[offset : offset + n], dtype="<f4").tobytes())
            offset += n
        batch["vectors"] = np.array(blobs, dtype=object)
        batch["dims"] = np.full(len(blobs), dims, dtype=np.int64)
        batch["model"] = np.array([self.embedder.name] * len(blobs), dtype=object)
        spent = (time.perf_counter() - started) / max(1, len(blobs))
        batch["embed_s"] = np.full(len(blobs), spent)
        return batch


# ---------------------------------------------------------------- the writer (this process)
class Precomputed:
    """The vectors the cluster computed, served to the archive's store path as an embedder.

    `store_articles` asks its embedder for the texts it needs; every one of them was encoded by
    an embed actor, so the answer is looked up, never computed here.
    """

    def __init__(self, name: str, dimensions: int) -> None:
        self.name = name
        self.dimensions = dimensions
        self._vectors: dict[str, np.ndarray] = {}

    def add(self, extraction: Extraction, matrix: np.ndarray) -> None:
        for text, row in zip(claim_texts(extraction), matrix, strict=True):
            self._vectors[text] = row

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts]).astype(np.float32)

    def clear(self) -> None:
        self._vectors.clear()


def _stored_hashes(store: Store) -> np.ndarray:
    """Every stored article's content hash, sorted, as fixed-width bytes (64 MB per million)."""
    rows = store.db.execute("select content_hash from articles order by content_hash")
    return np.array([r[0].encode() for r in rows if r[0]], dtype="S64")


def ingest_on_ray(
    store: Store,
    paths: Iterable[Path],
    make_embedder: Callable[[], Embedder],
    *,
    ray_options: RayOptions,
    outlet: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    on_article: Callable[[Path | None, int], None] | None = None,
    on_batch: Callable[[], None] | None = None,
    times: StageTimes | None = None,
) -> IngestSummary:
    """Ingest files on a Ray cluster; the same summary (and archive) as `ingest_paths`.

    `make_embedder` is called once in each embed actor (it must pickle: a function or class
    importable on the cluster). `on_article(path, claims)` runs as each article is stored or
    skipped; `on_batch` after each transaction commits.
    """
    times = times if times is not None else StageTimes()
    summary = IngestSummary(speakers_before=_count(store))
    options = {"outlet": outlet, "title": title, "url": url, "published": published}
    files = [str(p) for p in paths]
    started = time.perf_counter()
    with connect(ray_options) as ray:
        width = stage_width(ray, ray_options)
        times.workers = width
        pool = ray.data.ActorPoolStrategy(min_size=1, max_size=width)
        block = ray_options.batch_articles
        dataset = (
            ray.data.from_items([{"path": f} for f in files])
            .map_batches(
                read_stage,
                batch_size=block,
                fn_kwargs={"options": options, "known": [ray.put(_stored_hashes(store))]},
                batch_format="numpy",
            )
            .map_batches(
                ExtractStage, batch_size=block, compute=pool, num_cpus=1, batch_format="numpy"
            )
            .map_batches(
                EmbedStage,
                batch_size=block,
                compute=pool,
                num_cpus=1,
                fn_constructor_kwargs={"make_embedder": make_embedder},
                batch_format="numpy",
            )
        )
        for batch in dataset.iter_batches(batch_size=block, batch_format="numpy"):
            _write_batch(store, batch, summary, times, on_article)
            if on_batch:
                on_batch()
    times.wall = time.perf_counter() - started
    times.claims = summary.claims_added
    times.articles = summary.articles_added
    summary.speakers_after = _count(store)
    return summary


def _write_batch(
    store: Store,
    batch: dict[str, np.ndarray],
    summary: IngestSummary,
    times: StageTimes,
    on_article: Callable[[Path | None, int], None] | None,
) -> None:
    started = time.perf_counter()
    articles: list[Article] = []
    extractions: list[Extraction] = []
    embedder: Precomputed | None = None
    for i, status in enumerate(batch["status"]):
        times.read += float(batch["read_s"][i])
        times.extract += float(batch["extract_s"][i])
        times.embed += float(batch["embed_s"][i])
        if status == FAILED:
            summary.errors.append(str(batch["error"][i]))
        elif status == STORED:
            summary.articles_skipped += 1
            if on_article:
                on_article(None, 0)
        else:
            article: Article = pickle.loads(batch["article"][i])
            extraction: Extraction = pickle.loads(batch["extraction"][i])
            dims = int(batch["dims"][i])
            matrix = np.frombuffer(batch["vectors"][i], dtype="<f4").reshape(-1, dims)
            if embedder is None:
                embedder = Precomputed(str(batch["model"][i]), dims)
            embedder.add(extraction, matrix)
            articles.append(article)
            extractions.append(extraction)
    if articles and embedder is not None:
        ids, stored = store_articles(store, articles, embedder, extractions)
        for article, article_id, extraction in zip(articles, ids, stored, strict=True):
            if article_id is None:
                summary.articles_skipped += 1
            else:
                summary.articles_added += 1
                summary.claims_added += len(extraction.claims)
                summary.added_ids.append(article_id)
            if on_article:
                path = Path(article.source_path) if article.source_path else None
                on_article(path, len(extraction.claims) if article_id is not None else 0)
    times.write += time.perf_counter() - started


def _count(store: Store) -> int:
    return int(store.db.execute("select count(*) from speakers").fetchone()[0])

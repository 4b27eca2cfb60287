"""Ingest: article files → claims with vectors in the store, streamed in batches.

Articles are read lazily, skipped before any parsing when their text is already stored (content
hash), extracted together (spaCy's pipe), embedded together (one encoder call for every claim of
the batch) and written one batch per transaction. An interrupted ingest leaves only whole
articles behind, and running it again carries on where it stopped.

With four CPUs or more, extraction and encoding overlap: while one batch is encoded and written,
the next is parsed by spaCy in a worker process of its own (`prefetch.py`), so the encoder does
not wait for the parser; with fewer than two batches to do, everything runs in this process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..embed import Embedder
from ..errors import InputError
from ..models import Article, Extraction
from ..read import read_articles
from .articles import ADDED, REPLACED, WriteResult, add_versions, vectors_for
from .prefetch import ExtractionWorker
from .store import Store, content_hash

BATCH_ARTICLES = 32
OVERLAP_MIN_CPUS = 4  # the extraction worker pays off once the encoder leaves a core free


@dataclass
class IngestSummary:
    articles_added: int = 0
    articles_skipped: int = 0  # already stored (the same text, or an earlier version's)
    articles_updated: int = 0  # corrections: a new version replaced a stored article
    claims_added: int = 0
    claims_changed: int = 0  # claims a correction has that the version it replaced had not
    claims_removed: int = 0  # claims a correction no longer has
    claims_encoded: int = 0  # claims whose text had to be embedded (a correction reuses vectors)
    speakers_before: int = 0
    speakers_after: int = 0
    errors: list[str] = field(default_factory=list)
    added_ids: list[int] = field(default_factory=list)


def extract_many(items: Iterable[tuple[str, str | None]]) -> Iterator[Extraction]:
    """The extractor's batch entry point, imported on first use: spaCy, and through it torch,
    take seconds to import, which a run with nothing new to ingest should not pay."""
    from ..extract import extract_many as extract

    return extract(items)


def claim_texts(extraction: Extraction) -> list[str]:
    """What is embedded for each claim: its self-contained assertion."""
    return [c.assertion or c.quote for c in extraction.claims]


def embed_extractions(
    extractions: list[Extraction],
    embedder: Embedder,
    known: list[dict[str, np.ndarray]] | None = None,
) -> list[np.ndarray]:
    """Vectors for every claim of several articles, from one encoder call, split per article.

    `known` (per article: content hash of an embedded text -> its stored vector) are reused
    instead of encoded: a corrected article encodes only the claims whose text changed.
    """
    known = known or [{} for _ in extractions]
    wanted = [
        (i, j, text)
        for i, e in enumerate(extractions)
        for j, text in enumerate(claim_texts(e))
        if content_hash(text) not in known[i]
    ]
    dims = embedder.dimensions
    texts = [text for _, _, text in wanted]
    matrix = embedder.encode(texts) if texts else np.zeros((0, dims), np.float32)
    out = [np.zeros((len(e.claims), dims), np.float32) for e in extractions]
    for (i, j, _), row in zip(wanted, matrix, strict=True):
        out[i][j] = row
    for i, e in enumerate(extractions):
        for j, text in enumerate(claim_texts(e)):
            stored = known[i].get(content_hash(text))
            if stored is not None:
                out[i][j] = stored
    return out


def store_versions(
    store: Store,
    articles: list[Article],
    embedder: Embedder,
    extractions: list[Extraction] | None = None,
) -> tuple[list[WriteResult], list[Extraction], int]:
    """Extract (unless given), embed and write a batch of articles in one transaction: new
    articles added, corrections replacing what they correct (archive/articles.py).

    Also returns how many claim texts were encoded."""
    if extractions is None:
        extractions = list(extract_many((a.text, a.outlet) for a in articles))
    known = [vectors_for(store, a, embedder.name) for a in articles]
    encoded = sum(
        1
        for e, k in zip(extractions, known, strict=True)
        for text in claim_texts(e)
        if content_hash(text) not in k
    )
    vectors = embed_extractions(extractions, embedder, known)
    results = add_versions(store, zip(articles, extractions, vectors, strict=True), embedder.name)
    return results, extractions, encoded


def store_articles(
    store: Store,
    articles: list[Article],
    embedder: Embedder,
    extractions: list[Extraction] | None = None,
) -> tuple[list[int | None], list[Extraction]]:
    """Extract (unless given), embed and write a batch of articles in one transaction
    (archive/articles.py: a correction replaces the article it corrects); each new or corrected
    article's id, or None."""
    results, extractions, _ = store_versions(store, articles, embedder, extractions)
    return [r.article_id if r.status in (ADDED, REPLACED) else None for r in results], extractions


def _read_all(
    paths: Iterable[Path], options: dict[str, str | None], summary: IngestSummary
) -> Iterator[Article]:
    for path in paths:
        try:
            yield from read_articles(path, **options)
        except InputError as exc:
            summary.errors.append(str(exc))


def ingest_paths(
    store: Store,
    paths: Iterable[Path],
    embedder: Embedder | Callable[[], Embedder],
    *,
    outlet: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    batch_articles: int = BATCH_ARTICLES,
    on_article: Callable[[Path | None], None] | None = None,
    on_batch: Callable[[], None] | None = None,
    overlap: bool | None = None,
) -> IngestSummary:
    """Ingest article files. `embedder` may be a factory, called only if something is new.

    Files that cannot be read are reported in `summary.errors` and skipped; the rest go in.
    `on_batch` runs after each batch is committed (a derived index copies the new vectors);
    `overlap` parses the next batch in a worker process while this one is encoded; by default
    only with `OVERLAP_MIN_CPUS` CPUs or more: on two, the encoder's threads already use both
    and the worker only competes with them (docs/performance.md).
    """
    summary = IngestSummary(speakers_before=_count(store, "speakers"))
    options = {"outlet": outlet, "title": title, "url": url, "published": published}
    is_factory = callable(embedder) and not hasattr(embedder, "encode")
    resolved: Embedder | None = None if is_factory else embedder  # type: ignore[assignment]
    batch: list[Article] = []
    seen: set[str] = set()
    if overlap is None:
        overlap = (os.cpu_count() or 1) >= OVERLAP_MIN_CPUS
    worker = ExtractionWorker() if overlap else None
    pending: list[Article] | None = None  # the batch the worker is extracting

    def write(articles: list[Article], extractions: list[Extraction] | None) -> None:
        nonlocal resolved
        if resolved is None:
            resolved = embedder()  # type: ignore[operator]
        results, _, encoded = store_versions(store, articles, resolved, extractions)
        summary.claims_encoded += encoded
        for result in results:
            if result.status == ADDED:
                summary.articles_added += 1
                summary.claims_added += result.claims_added
                summary.added_ids.append(result.article_id or 0)
            elif result.status == REPLACED:
                summary.articles_updated += 1
                summary.claims_changed += result.claims_added
                summary.claims_removed += result.claims_removed
            else:
                summary.articles_skipped += 1
        if on_batch:
            on_batch()

    def flush() -> None:
        """Collect the batch the worker parsed, send it this one, then encode and write."""
        nonlocal pending
        if not batch:
            return
        ready = list(batch)
        batch.clear()
        if worker is None:
            write(ready, None)
            return
        previous = (pending, worker.result()) if pending is not None else None
        pending = ready if worker.submit([(a.text, a.outlet) for a in ready]) else None
        if previous is not None:
            write(*previous)  # None extractions (the worker failed): extracted here
        if pending is None:
            write(ready, None)

    try:
        for article in _read_all(paths, options, summary):
            digest = content_hash(article.text)
            if digest in seen or store.article_id_for_hash(digest) is not None:
                summary.articles_skipped += 1
            else:
                seen.add(digest)
                batch.append(article)
                if len(batch) >= batch_articles:
                    flush()
            if on_article:
                on_article(Path(article.source_path) if article.source_path else None)
        if pending is None and batch:
            write(list(batch), None)  # a single batch: nothing to overlap with
            batch.clear()
        flush()
        if pending is not None and worker is not None:
            write(pending, worker.result())
    finally:
        if worker is not None:
            worker.close()
    summary.speakers_after = _count(store, "speakers")
    return summary


def _count(store: Store, table: str) -> int:
    return int(store.db.execute(f"select count(*) from [{table}]").fetchone()[0])

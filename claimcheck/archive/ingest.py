"""Ingest: article files → claims with vectors in the store, streamed in batches.

Articles are read lazily, skipped before any parsing when their text is already stored (content
hash), extracted together (spaCy's pipe), embedded together (one encoder call for every claim of
the batch) and written one batch per transaction. An interrupted ingest leaves only whole
articles behind, and running it again carries on where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..embed import Embedder
from ..errors import InputError
from ..models import Article, Extraction
from ..read import read_article
from .store import Store, content_hash

BATCH_ARTICLES = 32


@dataclass
class IngestSummary:
    articles_added: int = 0
    articles_skipped: int = 0  # already stored
    claims_added: int = 0
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


def embed_extractions(extractions: list[Extraction], embedder: Embedder) -> list[np.ndarray]:
    """Vectors for every claim of several articles, from one encoder call, split per article."""
    texts = [t for e in extractions for t in claim_texts(e)]
    matrix = embedder.encode(texts) if texts else np.zeros((0, embedder.dimensions), np.float32)
    out, offset = [], 0
    for e in extractions:
        n = len(e.claims)
        out.append(matrix[offset : offset + n].reshape(n, embedder.dimensions))
        offset += n
    return out


def store_articles(
    store: Store, articles: list[Article], embedder: Embedder
) -> tuple[list[int | None], list[Extraction]]:
    """Extract, embed and write a batch of articles in one transaction."""
    extractions = list(extract_many((a.text, a.outlet) for a in articles))
    vectors = embed_extractions(extractions, embedder)
    ids = store.add_articles(zip(articles, extractions, vectors, strict=True), model=embedder.name)
    return ids, extractions


def _read_all(
    paths: Iterable[Path], options: dict[str, str | None], summary: IngestSummary
) -> Iterator[Article]:
    for path in paths:
        try:
            yield read_article(path, **options)
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
) -> IngestSummary:
    """Ingest article files. `embedder` may be a factory, called only if something is new.

    Files that cannot be read are reported in `summary.errors` and skipped; the rest go in.
    """
    summary = IngestSummary(speakers_before=_count(store, "speakers"))
    options = {"outlet": outlet, "title": title, "url": url, "published": published}
    is_factory = callable(embedder) and not hasattr(embedder, "encode")
    resolved: Embedder | None = None if is_factory else embedder  # type: ignore[assignment]
    batch: list[Article] = []
    seen: set[str] = set()

    def flush() -> None:
        nonlocal resolved
        if not batch:
            return
        if resolved is None:
            resolved = embedder()  # type: ignore[operator]
        ids, extractions = store_articles(store, batch, resolved)
        for article_id, extraction in zip(ids, extractions, strict=True):
            if article_id is None:
                summary.articles_skipped += 1
            else:
                summary.articles_added += 1
                summary.claims_added += len(extraction.claims)
                summary.added_ids.append(article_id)
        batch.clear()

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
    flush()
    summary.speakers_after = _count(store, "speakers")
    return summary


def _count(store: Store, table: str) -> int:
    return int(store.db.execute(f"select count(*) from [{table}]").fetchone()[0])

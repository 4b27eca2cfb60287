"""The whole pipeline, warm: a check of one article by stage, and ingest throughput.

Ingest is compared with the encoder alone on the same sentences, and extraction alone is timed
too, so the figures say which stage bounds the rate.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.stats import summary
from claimcheck.archive.store import Store
from claimcheck.models import Article

STAGES = ("extract", "encode", "retrieve", "judge")


def check_latency(
    db_path: str, article: Article, embedder: Any, judge: Any, *, runs: int
) -> dict[str, Any]:
    """Stage timings of `check_article` (nothing recorded) over `runs` warm runs."""
    from claimcheck.check import check_article

    store = Store.open(db_path, create=False)
    try:
        report = check_article(store, article, embedder=embedder, judge=judge, record=False)
        first = dict(report.timings)  # the process's first check: opens the matrix cache
        per_stage: dict[str, list[float]] = {stage: [] for stage in STAGES}
        totals, keyword = [], []
        for _ in range(runs):
            # The keyword-search share of `retrieve`, timed on its own.
            started = time.perf_counter()
            for claim in report.extraction.claims:
                store.keyword_candidates(claim.assertion or claim.quote, limit=4)
            keyword.append(time.perf_counter() - started)
            report = check_article(store, article, embedder=embedder, judge=judge, record=False)
            for stage in STAGES:
                per_stage[stage].append(report.timings.get(stage, 0.0))
            totals.append(sum(report.timings.get(stage, 0.0) for stage in STAGES))
    finally:
        store.close()
    out: dict[str, Any] = {stage: summary(values) for stage, values in per_stage.items()}
    out["total"] = summary(totals)
    out["keyword_search"] = summary(keyword)
    out["first_check"] = first
    out["claims"] = len(report.verdicts)
    out["verdicts"] = report.counts()
    return out


def article_copies(sources: list[Path], count: int, folder: Path) -> list[Path]:
    """`count` article files made from real articles, each with its own first line (and hash)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        source = sources[i % len(sources)]
        text = source.read_text(encoding="utf-8")
        path = folder / f"{i:05d}-{source.name}"
        path.write_text(f"Edition {i}: {text}", encoding="utf-8")
        paths.append(path)
    return paths


def ingest_throughput(sources: list[Path], count: int, embedder: Any) -> dict[str, Any]:
    """Claims per second through read → extract → embed → store, against each stage alone."""
    from claimcheck.archive.ingest import ingest_paths
    from claimcheck.extract import extract_many
    from claimcheck.read import read_article

    work = Path(tempfile.mkdtemp(prefix="claimcheck-bench-ingest-"))
    try:
        paths = article_copies(sources, count, work / "articles")
        store = Store.open(str(work / "ingest.db"))
        started = time.perf_counter()
        result = ingest_paths(store, paths, embedder)
        ingest_s = time.perf_counter() - started
        texts = [
            row[0]
            for row in store.db.execute("select coalesce(assertion, quote) from claims order by id")
        ]
        store.close()

        articles = [read_article(p) for p in paths]
        started = time.perf_counter()
        extracted = sum(len(e.claims) for e in extract_many((a.text, a.outlet) for a in articles))
        extract_s = time.perf_counter() - started

        started = time.perf_counter()
        embedder.encode(texts)
        encode_s = time.perf_counter() - started
    finally:
        shutil.rmtree(work, ignore_errors=True)
    claims = result.claims_added
    return {
        "articles": result.articles_added,
        "claims": claims,
        "ingest_s": ingest_s,
        "ingest_claims_per_s": claims / ingest_s,
        "articles_per_minute": result.articles_added / ingest_s * 60,
        "encoder_only_claims_per_s": len(texts) / encode_s,
        "extract_only_claims_per_s": extracted / extract_s,
        "ingest_vs_encoder": (claims / ingest_s) / (len(texts) / encode_s),
    }

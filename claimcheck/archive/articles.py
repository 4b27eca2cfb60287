"""Stored articles as things an editor keeps: versions that replace each other, and removal.

An article has an identity (archive/identity.py: its canonical URL, else its file and outlet).
Storing a text whose identity is already stored, under a different text, is a **correction**:
in the caller's transaction the stored article becomes the new version (its version count goes
up, `updated_at` says when), the version it replaces is kept in `article_versions`, and its
claims are reconciled with the new ones:

- a claim whose words are unchanged (same kind, quote and assertion) keeps its row, its id, its
  vector and its keyword-index entry; only where it is (offsets, paragraph) and who said it are
  updated. Review flags that cite it go on citing it.
- a new claim is inserted with a vector; `vectors_for` lets the caller reuse stored vectors of
  claims whose embedded text is unchanged, so only changed text is encoded.
- a claim the new version no longer has is deleted with its vector and index entry; what it said
  is kept in `removed_claims`, and a flag that cited it keeps its id in `flags.removed_claim_id`
  so that the review queue can say the claim is gone instead of showing nothing.

The same text again is not a new version (ingest skips it by its content hash), and the text of
an earlier version of the same article is not either (an old copy of a corrected story). A file
whose name is reused for another story (a new title, and not a fifth of its claims in the stored
version) is a new article, not a correction; a canonical URL always names the same article.

`remove_article` deletes an article, its versions and its claims in one transaction, on the
same terms. Every change to stored vectors bumps `meta.vectors_generation` (and the embedding
triggers bump `vectors_rewrites`), so a cached matrix (matrix_cache.py) is never stale.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import StoreError
from ..models import Article, Extraction
from . import speaker_names
from .identity import article_identity
from .roles import resolve_roles
from .store import Store, content_hash, now

ADDED, REPLACED, STORED, OLDER = "added", "replaced", "stored", "older version"


@dataclass
class WriteResult:
    """What storing one article did."""

    article_id: int | None
    status: str  # ADDED, REPLACED, STORED (same text) or OLDER (an earlier version's text)
    version: int = 1
    claims_kept: int = 0
    claims_added: int = 0
    claims_removed: int = 0


@dataclass
class ArticleRow:
    """One line of `claimcheck articles`."""

    id: int
    title: str | None
    outlet: str | None
    published: str | None
    claims: int
    version: int
    source: str | None  # the URL, else the file it came from
    author: str | None = None
    ingested_at: str | None = None
    updated_at: str | None = None


def current_version(store: Store, article: Article) -> dict[str, Any] | None:
    """The stored article `article` is a version of (same identity), or None."""
    key = article_identity(article)
    if key is None:
        return None
    rows = list(
        store.db.query(
            "select id, version, content_hash from articles where identity = ? "
            "order by id desc limit 1",
            [key],
        )
    )
    return rows[0] if rows else None


def vectors_for(store: Store, article: Article, model: str) -> dict[str, np.ndarray]:
    """Stored vectors of `model` for the claims of the article `article` replaces, by the
    content hash of their embedded text: what a correction need not encode again."""
    previous = current_version(store, article)
    if previous is None:
        return {}
    found: dict[str, np.ndarray] = {}
    for digest, blob in store.db.execute(
        "select embeddings.content_hash, embeddings.vector from embeddings "
        "join claims on claims.id = embeddings.claim_id "
        "where claims.article_id = ? and embeddings.model = ?",
        [previous["id"], model],
    ):
        if digest:
            found[digest] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
    return found


def write_version(
    store: Store, article: Article, extraction: Extraction, vectors: np.ndarray, model: str
) -> WriteResult:
    """Store one article inside the caller's transaction: new, a correction, or nothing."""
    digest = content_hash(article.text)
    existing = store.article_id_for_hash(digest)
    if existing is not None:
        return WriteResult(existing, STORED)
    previous = current_version(store, article)
    identity = article_identity(article)
    if previous is None:
        article_id = store.write_article(article, extraction, vectors, model)  # version 1
        return WriteResult(article_id, ADDED, claims_added=len(extraction.claims))
    article_id = int(previous["id"])
    older = store.db.execute(
        "select 1 from article_versions where article_id = ? and content_hash = ?",
        [article_id, digest],
    ).fetchone()
    if older:
        return WriteResult(article_id, OLDER, version=int(previous["version"] or 1))
    if len(vectors) != len(extraction.claims):
        raise ValueError("one vector per claim is required")
    if (
        identity
        and not identity.startswith("url:")
        and _another_story(store, article_id, article, extraction)
    ):
        # The file now holds a different story (a reused name such as today.txt): keep both.
        new_id = store.write_article(article, extraction, vectors, model)
        return WriteResult(new_id, ADDED, claims_added=len(extraction.claims))
    return _replace(store, article_id, article, extraction, vectors, model, identity)


def _another_story(store: Store, article_id: int, article: Article, extraction: Extraction) -> bool:
    """Whether a text from the same file is another story rather than a correction: another
    title, and not a fifth of its claims said in the stored version. (A URL is never reused.)"""
    row = store.db.execute("select title from articles where id = ?", [article_id]).fetchone()
    if row is None or (row[0] or "").casefold() == (article.title or "").casefold():
        return False
    stored = {
        _claim_key(kind, quote, assertion)
        for kind, quote, assertion in store.db.execute(
            "select kind, quote, assertion from claims where article_id = ?", [article_id]
        )
    }
    same = sum(1 for c in extraction.claims if _claim_key(c.kind, c.quote, c.assertion) in stored)
    return same < 0.2 * len(extraction.claims)


def _keep_version(store: Store, article_id: int) -> int:
    """Copy the stored version of an article into `article_versions`; its version number."""
    row = store.db.table("articles").get(article_id)
    version = int(row.get("version") or 1)
    store.db.table("article_versions").insert(
        {
            "article_id": article_id,
            "version": version,
            "content_hash": row["content_hash"],
            "outlet": row["outlet"],
            "title": row["title"],
            "url": row["url"],
            "published": row["published"],
            "author": row.get("author"),
            "source_path": row["source_path"],
            "text": row["text"],
            "claim_count": row["claim_count"],
            "stored_at": row.get("updated_at") or row["ingested_at"],
            "replaced_at": now(),
        }
    )
    return version


def _claim_key(kind: str, quote: str, assertion: str | None) -> tuple[str, str, str]:
    return kind, quote, assertion or quote


def _replace(
    store: Store,
    article_id: int,
    article: Article,
    extraction: Extraction,
    vectors: np.ndarray,
    model: str,
    identity: str | None,
) -> WriteResult:
    db = store.db
    version = _keep_version(store, article_id) + 1
    old: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for claim_id, kind, quote, assertion in db.execute(
        "select id, kind, quote, assertion from claims where article_id = ? order by start, id",
        [article_id],
    ):
        old[_claim_key(kind, quote, assertion)].append(claim_id)
    resolve_roles(article.text, extraction)  # as write_article does: "The mayor said" -> a name
    rows = store.claim_rows(article_id, extraction.claims, extraction.speakers)
    kept: list[tuple[int, dict[str, Any]]] = []
    new_rows, new_claims, new_vectors = [], [], []
    for claim, row, vector in zip(extraction.claims, rows, vectors, strict=True):
        same = old.get(_claim_key(claim.kind, claim.quote, claim.assertion))
        if same:
            claim_id = same.pop(0)
            kept.append((claim_id, row))
            claim.id, claim.article_id = claim_id, article_id
        else:
            new_rows.append(row)
            new_claims.append(claim)
            new_vectors.append(vector)
    gone = [claim_id for ids in old.values() for claim_id in ids]
    speakers = _remove_claims(store, gone, "corrected", version - 1)
    for claim_id, row in kept:
        changes = {k: v for k, v in row.items() if k not in ("article_id", "quote", "assertion")}
        db.table("claims").update(claim_id, changes)
    if new_rows:
        matrix = np.vstack(new_vectors).astype(np.float32)
        store.insert_claims(new_rows, new_claims, matrix, model)
    db.table("articles").update(
        article_id,
        {
            "outlet": article.outlet,
            "title": article.title,
            "url": article.url,
            "published": article.published,
            "author": article.author,
            "text": article.text,
            "content_hash": content_hash(article.text),
            "source_path": article.source_path,
            "claim_count": len(extraction.claims),
            "identity": identity,
            "version": version,
            "updated_at": now(),
        },
    )
    _tidy_speakers(store, speakers)
    _bump_generation(store)
    return WriteResult(
        article_id,
        REPLACED,
        version=version,
        claims_kept=len(kept),
        claims_added=len(new_rows),
        claims_removed=len(gone),
    )


def _remove_claims(
    store: Store, claim_ids: list[int], reason: str, version: int | None
) -> set[int]:
    """Delete claims with their vectors (the keyword index follows by trigger), keeping what
    they said in `removed_claims` and pointing the flags that cited them there; returns their
    speakers, for `_tidy_speakers` once the article's new claims are in."""
    db = store.db
    speakers: set[int] = set()
    for start in range(0, len(claim_ids), 500):
        chunk = claim_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        db.execute(
            "insert into removed_claims (claim_id, article_id, article_version, "
            "speaker, kind, quote, assertion, removed_at, reason) "
            f"select id, article_id, ?, speaker, kind, quote, assertion, ?, ? from claims "
            f"where id in ({marks})",
            [version, now(), reason, *chunk],
        )
        db.execute(
            "update flags set removed_claim_id = stored_claim_id, stored_claim_id = null "
            f"where stored_claim_id in ({marks})",
            chunk,
        )
        speakers.update(
            int(r[0])
            for r in db.execute(
                f"select distinct speaker_id from claims where id in ({marks}) "
                "and speaker_id is not null",
                chunk,
            )
        )
        db.execute(f"delete from embeddings where claim_id in ({marks})", chunk)
        db.execute(f"delete from claims where id in ({marks})", chunk)
    return speakers


def _tidy_speakers(store: Store, speaker_ids: Iterable[int]) -> None:
    """After claims are removed: a speaker with claims left takes the spelling most of them use
    (as after an ingest); one with none left, that no flag names, is deleted with its aliases,
    so `speakers` and quote search never offer a source the archive no longer quotes."""
    db = store.db
    for speaker_id in sorted(speaker_ids):
        left = db.execute("select 1 from claims where speaker_id = ? limit 1", [speaker_id])
        if left.fetchone():
            speaker_names.refresh_name(db, speaker_id)
            continue
        named = db.execute("select 1 from flags where speaker_id = ? limit 1", [speaker_id])
        if named.fetchone():
            continue  # a flag's speaker filter still finds it
        db.execute("delete from speaker_aliases where speaker_id = ?", [speaker_id])
        db.execute("delete from speakers where id = ?", [speaker_id])


def _bump_generation(store: Store) -> None:
    store.db.execute(
        "update meta set value = cast(value as integer) + 1 where key = 'vectors_generation'"
    )


def add_versions(
    store: Store, items: Iterable[tuple[Article, Extraction, np.ndarray]], model: str
) -> list[WriteResult]:
    """Store a batch of articles (new, corrections, or already stored) in one transaction."""
    with store.db.atomic():
        return [write_version(store, a, e, v, model) for a, e, v in items]


def remove_article(store: Store, article_id: int) -> int:
    """Delete an article with its claims, vectors and versions in one transaction; the number of
    claims deleted. Flags that cited its claims say so (see `_remove_claims`)."""
    with store.db.atomic():
        row = store.db.execute("select version from articles where id = ?", [article_id]).fetchone()
        if row is None:
            raise StoreError(f"There is no article {article_id}.")
        ids = [
            r[0]
            for r in store.db.execute("select id from claims where article_id = ?", [article_id])
        ]
        speakers = _remove_claims(store, ids, "article removed", row[0])
        store.db.execute("delete from article_versions where article_id = ?", [article_id])
        store.db.execute("delete from articles where id = ?", [article_id])
        _tidy_speakers(store, speakers)
        _bump_generation(store)
    return len(ids)


def list_articles(store: Store, *, limit: int | None = None) -> list[ArticleRow]:
    """Stored articles, newest first."""
    sql = (
        "select id, title, outlet, published, claim_count, version, url, source_path, author, "
        "ingested_at, updated_at from articles order by id desc"
    )
    if limit:
        sql += f" limit {int(limit)}"
    return [
        ArticleRow(
            id=r["id"],
            title=r["title"],
            outlet=r["outlet"],
            published=r["published"],
            claims=int(r["claim_count"] or 0),
            version=int(r["version"] or 1),
            source=r["url"] or r["source_path"],
            author=r["author"],
            ingested_at=r["ingested_at"],
            updated_at=r["updated_at"],
        )
        for r in store.db.query(sql)
    ]

"""The archive: articles, speakers, claims and their vectors in SQLite, through sqlite-utils.

The store only writes what it is given; deciding what a claim is or whether two claims conflict
happens elsewhere. Each article is written in one transaction (all of it or none of it), and
ingest is idempotent on the article's content hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlite_utils import Database

from ..embed import vector_to_blob
from ..errors import StoreError
from ..models import Article, Claim, Extraction, SpeakerInfo, StoredClaim
from . import speaker_names
from . import speakers as sp
from .connection import open_database
from .identity import article_identity
from .migrations import SCHEMA_VERSION, migrations
from .roles import resolve_roles
from .search import fts_query, fts_string, significant_words

DB_ENV = "CLAIMCHECK_DB"
DEFAULT_DB = "claimcheck.db"
COMMON_WORD_CLAIMS = 2_000  # keyword search ignores words found in more claims than this

CLAIM_COLUMNS = (
    "claims.id, claims.article_id, claims.speaker_id, claims.speaker, claims.speaker_mention, "
    "claims.kind, claims.quote, claims.assertion, claims.start, claims.[end], claims.paragraph, "
    "claims.co_speakers, claims.cue, claims.speaker_role"
)
ARTICLE_COLUMNS = "articles.outlet, articles.title, articles.url, articles.published"


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def insert_row(db: Database, table: str, row: dict[str, Any]) -> int:
    """Insert one row and return its new primary key."""
    pk = db.table(table).insert(row).last_pk
    assert pk is not None
    return int(pk)


def default_db_path() -> str:
    return os.environ.get(DB_ENV) or DEFAULT_DB


@dataclass
class SpeakerSummary:
    id: int
    name: str
    kind: str
    role: str | None
    organisation: str | None
    aliases: list[str]
    claim_count: int


def claim_from_row(row: dict[str, Any]) -> Claim:
    co = row.get("co_speakers")
    return Claim(
        id=row["id"],
        article_id=row["article_id"],
        speaker=row["speaker"],
        speaker_mention=row["speaker_mention"] or "",
        kind=row["kind"],
        quote=row["quote"],
        assertion=row["assertion"] or row["quote"],
        start=row["start"],
        end=row["end"],
        paragraph=row["paragraph"],
        co_speakers=json.loads(co) if co else [],
        cue=row.get("cue"),
        speaker_role=row.get("speaker_role"),
    )


def stored_from_row(row: dict[str, Any]) -> StoredClaim:
    """A stored claim from a row of `CLAIM_COLUMNS` and `ARTICLE_COLUMNS`."""
    return StoredClaim(
        claim=claim_from_row(row),
        speaker_id=row["speaker_id"],
        outlet=row["outlet"],
        title=row["title"],
        url=row["url"],
        published=row["published"],
    )


def claim_fields(claim: Claim) -> dict[str, Any]:
    """Who said what where: the fields every claim record shares (stored, checked, JSON)."""
    return {
        "speaker": claim.speaker,
        "speaker_mention": claim.speaker_mention,
        "kind": claim.kind,
        "quote": claim.quote,
        "assertion": claim.assertion,
        "start": claim.start,
        "end": claim.end,
        "paragraph": claim.paragraph,
    }


def claim_json(claim: Claim, **extra: Any) -> dict[str, Any]:
    """The public JSON shape of a stored claim (docs/json.md): keep these keys stable."""
    data = {
        "id": claim.id,
        "article_id": claim.article_id,
        **claim_fields(claim),
        "co_speakers": claim.co_speakers,
        "cue": claim.cue,
        "speaker_role": claim.speaker_role,
    }
    data.update(extra)
    return data


class Store:
    """A claimcheck database. Open with `Store.open(path)`."""

    def __init__(self, db: Database, path: str) -> None:
        self.db = db
        self.path = path
        self._common_words: dict[str, bool] = {}

    # ----------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
        path = str(path or default_db_path())
        if path != ":memory:":
            p = Path(path)
            if p.is_dir():
                raise StoreError(f"Database path {path} is a directory, not a file.")
            if not p.exists() and not create:
                raise StoreError(f"No database at {path}; run 'claimcheck ingest' first.")
            if p.exists() and p.stat().st_size == 0 and not create:
                # Only a command that writes may turn an empty file into a database.
                raise StoreError(
                    f"{path} is an empty file, not a claimcheck database; "
                    "run 'claimcheck ingest' to start an archive there."
                )
            if p.exists() and p.stat().st_size > 0:
                with open(p, "rb") as fh:
                    if fh.read(16) != b"SQLite format 3\x00":
                        raise StoreError(f"{path} is not a SQLite database.")
        try:
            db = open_database(path)
            store = cls(db, path)
            store._check_version()
            if migrations.pending(db):
                if db.read_only:
                    raise StoreError(
                        f"Database {path} needs upgrading to this claimcheck's schema but is "
                        "read-only; open it once with write access."
                    )
                store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"Cannot open database {path}: {exc}.") from exc
        return store

    @property
    def read_only(self) -> bool:
        return bool(getattr(self.db, "read_only", False))

    def _migrate(self) -> None:
        # One process migrates at a time (BEGIN IMMEDIATE); the others then find nothing pending.
        with self.db.atomic():
            if not migrations.pending(self.db):
                return
            others = set(self.db.table_names()) - {migrations.migrations_table}
            if others and not migrations.applied(self.db):
                raise StoreError(
                    f"{self.path} is a SQLite database of another application (it has tables "
                    "but no claimcheck schema); give claimcheck a new file."
                )
            migrations.apply(self.db)

    def _check_version(self) -> None:
        if "meta" not in self.db.table_names():
            return
        row = self.db.execute("select value from meta where key = 'schema_version'").fetchone()
        if row and int(row[0]) > SCHEMA_VERSION:
            raise StoreError(
                f"Database {self.path} has schema version {row[0]}, newer than this claimcheck "
                f"({SCHEMA_VERSION}); upgrade claimcheck."
            )

    def close(self) -> None:
        self.db.conn.close()

    # ----------------------------------------------------------------- articles
    def article_id_for_hash(self, digest: str) -> int | None:
        row = self.db.execute("select id from articles where content_hash = ?", [digest]).fetchone()
        return row[0] if row else None

    def get_article(self, article_id: int) -> dict[str, Any] | None:
        rows = list(self.db.query("select * from articles where id = ?", [article_id]))
        return rows[0] if rows else None

    def articles(self) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "select id, outlet, title, url, published, claim_count, ingested_at, source_path "
                "from articles order by id"
            )
        )

    def add_articles(
        self, items: Iterable[tuple[Article, Extraction, np.ndarray]], model: str
    ) -> list[int | None]:
        """Write articles with their claims and claim vectors, all in one transaction.

        Returns each article's new id, or None for an article already stored (same text).
        Rows of each vectors array are the article's claims in order.
        """
        with self.db.atomic():
            return [self.write_article(a, e, v, model) for a, e, v in items]

    def write_article(
        self, article: Article, extraction: Extraction, vectors: np.ndarray, model: str
    ) -> int | None:
        """Write one article inside the caller's transaction; None when its text is stored."""
        digest = content_hash(article.text)
        if self.article_id_for_hash(digest) is not None:
            return None
        if len(vectors) != len(extraction.claims):
            raise ValueError("one vector per claim is required")
        resolve_roles(article.text, extraction)  # "The mayor said" -> the mayor the article names
        article_id = insert_row(
            self.db,
            "articles",
            {
                "outlet": article.outlet,
                "title": article.title,
                "url": article.url,
                "published": article.published,
                "text": article.text,
                "content_hash": digest,
                "source_path": article.source_path,
                "ingested_at": now(),
                "claim_count": len(extraction.claims),
                "identity": article_identity(article),
                "version": 1,
                "author": article.author,
            },
        )
        rows = self.claim_rows(article_id, extraction.claims, extraction.speakers)
        self.insert_claims(rows, extraction.claims, vectors, model)
        self.db.execute(
            "update meta set value = cast(value as integer) + 1 where key = 'vectors_generation'"
        )
        return int(article_id)

    def claim_rows(
        self, article_id: int, claims: list[Claim], speakers: list[SpeakerInfo]
    ) -> list[dict[str, Any]]:
        """The claims table's rows for an article's claims, speakers resolved (and created)."""
        infos = {s.name: s for s in speakers}
        speaker_ids: dict[str, tuple[int, str]] = {}
        rows: list[dict[str, Any]] = []
        for claim in claims:
            if claim.speaker not in speaker_ids:
                info = infos.get(claim.speaker) or SpeakerInfo(
                    name=claim.speaker,
                    kind="outlet" if claim.kind == "unattributed" else "person",
                )
                speaker_ids[claim.speaker] = self.resolve_speaker(info)
            speaker_id, canonical = speaker_ids[claim.speaker]
            rows.append(
                {
                    "article_id": article_id,
                    "speaker_id": speaker_id,
                    **claim_fields(claim),
                    "speaker": canonical,
                    "speaker_spelling": claim.speaker,
                    "co_speakers": json.dumps(claim.co_speakers, ensure_ascii=False),
                    "cue": claim.cue,
                    "speaker_role": claim.speaker_role,
                }
            )
        return rows

    def insert_claims(
        self, rows: list[dict[str, Any]], claims: list[Claim], vectors: np.ndarray, model: str
    ) -> None:
        """Insert claim rows with their vectors (in order); set each claim's new id."""
        for row in rows:
            row["id"] = insert_row(self.db, "claims", row)
        self.db.table("embeddings").insert_all(
            (
                {
                    "claim_id": row["id"],
                    "model": model,
                    "dimensions": int(vectors.shape[1]),
                    "vector": vector_to_blob(vec),
                    "content_hash": content_hash(row["assertion"] or row["quote"]),
                }
                for row, vec in zip(rows, vectors, strict=True)
            ),
            batch_size=500,
        )
        for claim, row in zip(claims, rows, strict=True):
            claim.id = row["id"]
            claim.article_id = row["article_id"]
        for speaker_id in dict.fromkeys(row["speaker_id"] for row in rows):
            speaker_names.refresh_name(self.db, speaker_id)  # the most frequent spelling

    # ----------------------------------------------------------------- speakers
    def resolve_speaker(self, info: SpeakerInfo) -> tuple[int, str]:
        """The stored speaker this article's speaker is, created when new; (id, canonical name)."""
        kind = info.kind or "person"
        candidates = self.speaker_candidates(info.name, kind)
        found = sp.match_speaker(info.name, kind, candidates)
        if found is None:
            speaker_id = insert_row(
                self.db,
                "speakers",
                {
                    "name": info.name,
                    "kind": kind,
                    "role": info.role,
                    "organisation": info.organisation,
                },
            )
            canonical = info.name
        else:
            speaker_id, canonical = found.id, found.name
            current = self.db.table("speakers").get(speaker_id)
            if len(sp.name_tokens(info.name)) > len(sp.name_tokens(found.name)) and not current.get(
                "name_fixed"
            ):
                # A given name where the archive had a surname alone; how often each spelling
                # is used decides between full names once the claims are in (speaker_names).
                speaker_names.set_name(self.db, speaker_id, info.name)
                canonical = info.name
            updates: dict[str, Any] = {}
            if info.role and not current.get("role"):
                updates["role"] = info.role
            if info.organisation and not current.get("organisation"):
                updates["organisation"] = info.organisation
            if updates:
                self.db.table("speakers").update(speaker_id, updates)
        aliases = sp.alias_forms(info.name, info.mentions, kind)
        self.db.table("speaker_aliases").insert_all(
            (
                {"speaker_id": speaker_id, "alias": a, "folded": sp.folded_key(a)}
                for a in sorted(aliases)
            ),
            ignore=True,
        )
        return int(speaker_id), canonical

    def speaker_candidates(self, name: str, kind: str) -> list[sp.SpeakerRecord]:
        tokens = sp.name_tokens(name)
        if not tokens:
            return []
        if sp.is_person(kind):
            key = sp.fold_token(tokens[-1])
            sql = (
                "select distinct speakers.id, speakers.name, speakers.kind from speakers "
                "join speaker_aliases on speaker_aliases.speaker_id = speakers.id "
                "where speaker_aliases.folded = ? or speaker_aliases.folded like ?"
            )
            params: list[Any] = [key, f"% {key}"]
        else:
            sql = (
                "select distinct speakers.id, speakers.name, speakers.kind from speakers "
                "join speaker_aliases on speaker_aliases.speaker_id = speakers.id "
                "where speaker_aliases.folded = ?"
            )
            params = [sp.folded_key(name)]
        rows = self.db.execute(sql, params).fetchall()
        if not rows:
            # Misspellings beyond transliteration folding: compare against every surname.
            rows = self._fuzzy_candidates(name, kind)
        return [
            sp.SpeakerRecord(id=r[0], name=r[1], kind=r[2], aliases=self._aliases(r[0]))
            for r in rows
        ]

    def _fuzzy_candidates(self, name: str, kind: str) -> list[tuple[int, str, str]]:
        from rapidfuzz import fuzz, process

        key = sp.folded_key(name)
        if sp.is_person(kind):
            key = key.split()[-1] if key else key
        rows = self.db.execute(
            "select speakers.id, speakers.name, speakers.kind, speaker_aliases.folded "
            "from speakers join speaker_aliases on speaker_aliases.speaker_id = speakers.id"
        ).fetchall()
        keys = [(r[3].split()[-1] if r[3] and sp.is_person(kind) else r[3]) or "" for r in rows]
        hits = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=85, limit=20)
        seen: dict[int, tuple[int, str, str]] = {}
        for _, _, index in hits:
            r = rows[index]
            seen[r[0]] = (r[0], r[1], r[2])
        return list(seen.values())

    def _aliases(self, speaker_id: int) -> list[str]:
        return [
            r[0]
            for r in self.db.execute(
                "select alias from speaker_aliases where speaker_id = ? order by alias",
                [speaker_id],
            )
        ]

    def speakers(self) -> list[SpeakerSummary]:
        rows = self.db.query(
            "select speakers.*, (select count(*) from claims where claims.speaker_id = speakers.id)"
            " as claim_count from speakers order by claim_count desc, name"
        )
        return [
            SpeakerSummary(
                id=r["id"],
                name=r["name"],
                kind=r["kind"],
                role=r["role"],
                organisation=r["organisation"],
                aliases=self._aliases(r["id"]),
                claim_count=r["claim_count"],
            )
            for r in rows
        ]

    def find_speakers(self, query: str, min_score: float = 80.0) -> list[tuple[float, int, str]]:
        """Speakers whose names or aliases match a typed name, best first: (score, id, name)."""
        rows = self.db.execute(
            "select speakers.id, speakers.name, group_concat(speaker_aliases.alias, char(31)) "
            "from speakers left join speaker_aliases on speaker_aliases.speaker_id = speakers.id "
            "group by speakers.id"
        ).fetchall()
        hits = []
        for speaker_id, name, aliases in rows:
            score = sp.query_matches(query, name, (aliases or "").split("\x1f"))
            if score >= min_score:
                hits.append((score, speaker_id, name))
        hits.sort(key=lambda h: (-h[0], h[2]))
        return hits

    # ----------------------------------------------------------------- claims
    def claims(
        self,
        *,
        article_id: int | None = None,
        speaker_ids: list[int] | None = None,
        claim_ids: list[int] | None = None,
        text: str | None = None,
        limit: int | None = None,
    ) -> Iterator[StoredClaim]:
        where: list[str] = []
        params: list[Any] = []
        if article_id is not None:
            where.append("claims.article_id = ?")
            params.append(article_id)
        if speaker_ids is not None:
            where.append(f"claims.speaker_id in ({','.join('?' * len(speaker_ids)) or 'null'})")
            params.extend(speaker_ids)
        if claim_ids is not None:
            where.append(f"claims.id in ({','.join('?' * len(claim_ids)) or 'null'})")
            params.extend(claim_ids)
        if text and text.strip():
            query = fts_query(text)
            # Words with no letter or digit in them ("*", a lone quote) can be in no claim.
            where.append(
                "claims.id in (select rowid from claims_fts where claims_fts match ?)"
                if query
                else "0"
            )
            params.extend([query] if query else [])
        sql = (
            f"select {CLAIM_COLUMNS}, {ARTICLE_COLUMNS} from claims "
            "join articles on articles.id = claims.article_id"
        )
        if where:
            sql += " where " + " and ".join(where)
        sql += " order by claims.article_id, claims.start"
        if limit:
            sql += f" limit {int(limit)}"
        for row in self.db.query(sql, params):
            yield stored_from_row(row)

    def stored_claims(self, claim_ids: Iterable[int]) -> dict[int, StoredClaim]:
        ids = sorted(set(int(i) for i in claim_ids))
        found: dict[int, StoredClaim] = {}
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            for sc in self.claims(claim_ids=chunk):
                assert sc.claim.id is not None
                found[sc.claim.id] = sc
        return found

    def keyword_candidates(
        self, text: str, limit: int = 5, *, with_any_of: Iterable[str] = ()
    ) -> list[int]:
        """Claim ids whose quote or assertion shares rare words with `text`, best first.

        With `with_any_of`, only claims that also contain one of those words.
        """
        words = [w for w in significant_words(text) if not self._is_common_word(w)]
        if not words:
            return []
        query = " OR ".join(fts_string(w) for w in words)
        required = " OR ".join(fts_string(sp.normalise(w)) for w in with_any_of if sp.normalise(w))
        if required:
            query = f"({query}) AND ({required})"
        try:
            rows = self.db.execute(
                "select rowid from claims_fts where claims_fts match ? order by rank limit ?",
                [query, limit],
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [r[0] for r in rows]

    def _is_common_word(self, word: str) -> bool:
        """Whether `word` is in more than COMMON_WORD_CLAIMS claims.

        Such a word says little about which claim is meant, and ranking every claim that holds it
        is what makes keyword search slow in a large archive ("talks" in a quarter of a million
        claims). FTS5 answers the question by skipping to the Nth match, not by counting.
        """
        common = self._common_words.get(word)
        if common is None:
            try:
                row = self.db.execute(
                    "select rowid from claims_fts where claims_fts match ? limit 1 offset ?",
                    [fts_string(word), COMMON_WORD_CLAIMS],
                ).fetchone()
            except sqlite3.OperationalError:
                row = None
            common = self._common_words[word] = row is not None
        return common

    def speaker_claim_ids(self, speaker_id: int) -> list[int]:
        return [
            r[0]
            for r in self.db.execute("select id from claims where speaker_id = ?", [speaker_id])
        ]

    def claim_count(self) -> int:
        return int(self.db.execute("select count(*) from claims").fetchone()[0])

    # ----------------------------------------------------------------- vectors
    def vectors_generation(self) -> int:
        row = self.db.execute("select value from meta where key = 'vectors_generation'").fetchone()
        return int(row[0]) if row else 0

    def load_vectors(self, model: str) -> tuple[np.ndarray, np.ndarray]:
        """All stored vectors of `model`: (claim ids int64, matrix float32 rows)."""
        cursor = self.db.execute(
            "select claim_id, vector from embeddings where model = ? order by claim_id", [model]
        )
        ids: list[int] = []
        blobs: list[bytes] = []
        for claim_id, blob in cursor:
            ids.append(claim_id)
            blobs.append(blob)
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        matrix = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(ids), -1)
        return np.asarray(ids, dtype=np.int64), matrix.astype(np.float32, copy=False)

    def stored_models(self) -> list[str]:
        return [r[0] for r in self.db.execute("select distinct model from embeddings")]

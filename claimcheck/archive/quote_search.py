"""Quote search: what a speaker said, filtered by date, outlet, kind and words, newest first.

A name is matched as `Store.find_speakers` matches it (misspellings, transliterations, one letter
off); a speaker who shares a joint statement ("Macron and Scholz said", "in a joint statement
with Emmanuel Macron") is found through the claim's co-speakers as well. When no speaker or
outlet matches, the nearest names are offered instead of a bare "nothing". A quotation of several
sentences is listed once, whole, wherever one of its sentences matched.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..models import StoredClaim
from . import speakers as sp
from .migrations import JOINT_CLAIMS_WHERE
from .search import fts_query
from .store import ARTICLE_COLUMNS, CLAIM_COLUMNS, Store, stored_from_row
from .whole_quotes import whole_stored

SORTS = ("date", "relevance")
MIN_SCORE = 80.0
CLEARLY_WORSE = 10.0  # a name matched this much worse than the best match is left out
_JOINT = re.compile(r"\s*(?:,|\band\b|&)\s*")


@dataclass
class QuoteQuery:
    speaker: str | None = None  # a name as typed; None for every speaker
    words: str | None = None  # keyword search in the quote and assertion
    since: str | None = None  # YYYY-MM-DD, publication date, inclusive
    until: str | None = None
    outlet: str | None = None  # case-insensitive, part of the outlet's name
    kind: str | None = None  # direct | indirect | unattributed
    sort: str = "date"  # date (newest first) | relevance (best name and word match first)
    limit: int | None = None


@dataclass
class QuoteHit:
    stored: StoredClaim
    score: float  # how well the name matched, 0..100 (100 when no name was given)
    as_co_speaker: bool = False  # found as a co-speaker of a joint statement


@dataclass
class QuoteResults:
    speakers: list[tuple[float, int, str]] = field(default_factory=list)
    co_speakers: list[str] = field(default_factory=list)  # names matched in joint statements
    hits: list[QuoteHit] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)  # "did you mean" speakers
    described: bool = False  # the query describes a role ("the minister"): suggestions hold it
    outlet_suggestions: list[str] = field(default_factory=list)

    @property
    def speaker_found(self) -> bool:
        return bool(self.speakers or self.co_speakers)


def joint_names(co_speakers: str | None, mention: str | None) -> list[str]:
    """The names of a claim's co-speakers: its `co_speakers` list, and the names of a joint
    mention ("Macron and Scholz")."""
    names: list[str] = []
    try:
        listed = json.loads(co_speakers or "[]")
    except ValueError:
        listed = []
    names.extend(str(n) for n in listed if isinstance(n, str))
    if mention and _JOINT.search(mention):
        names.extend(p for p in _JOINT.split(mention) if p and not sp.is_description(p))
    return names


def _co_speaker_claims(store: Store, name: str, exclude: set[int]) -> dict[int, tuple[float, str]]:
    """Claims whose joint statement names `name` among its co-speakers: {claim id: (score,
    the name as written)}."""
    found: dict[int, tuple[float, str]] = {}
    rows = store.db.execute(
        "select id, speaker_id, co_speakers, speaker_mention from claims "
        f"where {JOINT_CLAIMS_WHERE}"
    )
    for claim_id, speaker_id, co, mention in rows:
        if speaker_id in exclude:
            continue
        for written in joint_names(co, mention):
            score = sp.query_matches(name, written, [])
            if score >= MIN_SCORE and score > found.get(claim_id, (0.0, ""))[0]:
                found[claim_id] = (score, written)
    return found


def _whole(store: Store, hits: list[QuoteHit]) -> list[QuoteHit]:
    """The hits with a quotation of several sentences shown once, whole (`whole_stored`), where
    the best of its sentences' hits was."""
    out: list[QuoteHit] = []
    by_article: dict[int | None, list[QuoteHit]] = {}
    for hit in hits:
        by_article.setdefault(hit.stored.claim.article_id, []).append(hit)
    for stored in whole_stored(store, [h.stored for h in hits]):
        c = stored.claim
        parts = [
            h
            for h in by_article.get(c.article_id, [])
            if c.start <= h.stored.claim.start < c.end or h.stored is stored
        ]
        best = max(parts, key=lambda h: h.score) if parts else None
        out.append(
            QuoteHit(
                stored,
                best.score if best else 100.0,
                as_co_speaker=bool(best and best.as_co_speaker),
            )
        )
    return out


def _in_role(store: Store, description: str, limit: int = 5) -> list[str]:
    """People whose stored role has the words of a description ("the minister")."""
    words = [
        w
        for w in sp.normalise(description).split()
        if w not in sp.DETERMINERS and w not in sp.NATIONALITIES
    ]
    if not words:
        return []
    where = " and ".join("lower(role) like ?" for _ in words)
    rows = store.db.execute(
        f"select name from speakers where kind = 'person' and {where} order by name limit ?",
        [*(f"%{w}%" for w in words), limit],
    )
    return [r[0] for r in rows]


def _outlet_names(store: Store) -> list[str]:
    return [
        r[0]
        for r in store.db.execute(
            "select distinct outlet from articles where outlet is not null order by outlet"
        )
    ]


def search_quotes(store: Store, query: QuoteQuery) -> QuoteResults:
    """The stored claims `query` asks for, sorted as it asks."""
    results = QuoteResults()
    where: list[str] = []
    params: list[Any] = []
    scores: dict[int, float] = {}
    co_claims: dict[int, tuple[float, str]] = {}
    if query.speaker and query.speaker.strip():
        found = store.find_speakers(query.speaker, MIN_SCORE)
        # "Volodimir" is one letter from Volodymyr Zelenskyy and further from Vladimir Medinsky:
        # a speaker matched much worse than the best is not the one meant.
        best = max((h[0] for h in found), default=0.0)
        results.speakers = [h for h in found if h[0] >= best - CLEARLY_WORSE]
        ids = [h[1] for h in results.speakers]
        scores = {h[1]: h[0] for h in results.speakers}
        co_claims = _co_speaker_claims(store, query.speaker, set(ids))
        results.co_speakers = sorted({w for _, w in co_claims.values()})
        if not results.speaker_found:
            if sp.is_description(query.speaker):
                results.described = True
                results.suggestions = _in_role(store, query.speaker)
            else:
                names = [s.name for s in store.speakers()]
                results.suggestions = sp.suggestions(query.speaker, names)
            return results
        marks = ",".join("?" * len(ids)) or "null"
        co_marks = ",".join("?" * len(co_claims)) or "null"
        where.append(f"(claims.speaker_id in ({marks}) or claims.id in ({co_marks}))")
        params.extend([*ids, *co_claims])
    if query.since:
        where.append("articles.published >= ?")
        params.append(query.since)
    if query.until:
        where.append("articles.published <= ?")
        params.append(query.until[:10] + "\uffff")  # the whole day, whatever follows the date
    if query.outlet and query.outlet.strip():
        where.append("lower(articles.outlet) like ?")
        params.append(f"%{query.outlet.strip().lower()}%")
    if query.kind:
        where.append("claims.kind = ?")
        params.append(query.kind)
    ranks: dict[int, float] = {}
    if query.words and query.words.strip():
        fts = fts_query(query.words)
        if fts is None:
            return results
        ranks = {
            int(r[0]): float(r[1])
            for r in store.db.execute(
                "select rowid, rank from claims_fts where claims_fts match ?", [fts]
            )
        }
        where.append("claims.id in (select rowid from claims_fts where claims_fts match ?)")
        params.append(fts)
    sql = (
        f"select {CLAIM_COLUMNS}, {ARTICLE_COLUMNS} from claims "
        "join articles on articles.id = claims.article_id"
        + (" where " + " and ".join(where) if where else "")
        + " order by articles.published is null, articles.published desc, "
        "claims.article_id desc, claims.start"
    )

    def hits_of(rows: list[dict[str, Any]]) -> list[QuoteHit]:
        hits = []
        for row in rows:
            claim_id = row["id"]
            co = co_claims.get(claim_id) if row["speaker_id"] not in scores else None
            score = co[0] if co else scores.get(row["speaker_id"], 100.0)
            hits.append(QuoteHit(stored_from_row(row), score, as_co_speaker=co is not None))
        if query.sort == "relevance":
            # Python's sort is stable: within equal scores the newest stays first.
            hits.sort(key=lambda h: (-h.score, ranks.get(h.stored.claim.id or 0, 0.0)))
        return _whole(store, hits)

    # Newest first with a limit: a bounded first page instead of every matching claim (a common
    # name matches thousands). The page's last article may be cut, so it is left out; when what
    # remains holds too few quotations, the whole query is read.
    limit = query.limit or 0
    cap = limit * 4 + 50 if limit and query.sort != "relevance" else 0
    rows = list(store.db.query(sql + (f" limit {cap}" if cap else ""), params))
    if cap and len(rows) == cap:
        last = rows[-1]["article_id"]
        hits = hits_of([r for r in rows if r["article_id"] != last])
        if len(hits) < limit:
            hits = hits_of(list(store.db.query(sql, params)))
    else:
        hits = hits_of(rows)
    results.hits = hits[: query.limit] if query.limit else hits
    if not hits and query.outlet and query.outlet.strip():
        outlets = _outlet_names(store)
        if not any(query.outlet.strip().lower() in o.lower() for o in outlets):
            results.outlet_suggestions = sp.suggestions(query.outlet, outlets)
    return results

"""Exports: reviewed flags as schema.org ClaimReview JSON-LD; flags or claims as CSV or JSON lines.

ClaimReview is what search engines and fact-check aggregators read. Only an editor's decision is
ever published: by default only `confirmed` flags are exported as reviews, each rating the new
claim as contradicting earlier reporting and citing the stored claim it contradicts.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..archive import Store, claim_json
from .queue import FlagDetail, QueueFilter, get_flag, list_flags

NEWSROOM_ENV = "CLAIMCHECK_NEWSROOM"
NEWSROOM_URL_ENV = "CLAIMCHECK_NEWSROOM_URL"
FORMATS = ("claimreview", "csv", "jsonl")
TABLES = ("flags", "claims")

# One small scale shared by every review, so that readers can compare ratings across reviews.
WORST_RATING, BEST_RATING = 1, 3
RATINGS = {
    "confirmed": (1, "Contradicts earlier reporting"),
    "follow-up": (2, "Under review: may contradict earlier reporting"),
    "dismissed": (3, "Consistent with earlier reporting"),
}
ORGANISATION_KINDS = {"organisation", "outlet", "group"}


@dataclass
class Newsroom:
    """The organisation publishing the reviews."""

    name: str
    url: str | None = None

    @classmethod
    def from_env(cls, name: str | None = None, url: str | None = None) -> Newsroom:
        return cls(
            name=name or os.environ.get(NEWSROOM_ENV) or "Newsroom",
            url=url or os.environ.get(NEWSROOM_URL_ENV) or None,
        )


def _date(stamp: str | None) -> str | None:
    return stamp[:10] if stamp else None


def _speaker_kind(store: Store, flag_id: int, name: str, claim_kind: str) -> str:
    if claim_kind == "unattributed":
        return "Organization"
    # The archive speaker the check matched the claim to, else the speaker of that name.
    row = (
        store.db.execute(
            "select kind from speakers where id = (select speaker_id from flags where id = ?)",
            [flag_id],
        ).fetchone()
        or store.db.execute(
            "select kind from speakers where name = ? or id in "
            "(select speaker_id from speaker_aliases where alias = ?) limit 1",
            [name, name],
        ).fetchone()
    )
    return "Organization" if row and row[0] in ORGANISATION_KINDS else "Person"


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty values: ClaimReview consumers read a missing field better than a null."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def _creative_work(
    url: str | None,
    headline: str | None,
    published: str | None,
    outlet: str | None,
    **extra: Any,
) -> dict[str, Any]:
    """An article as a schema.org CreativeWork, with its outlet as publisher."""
    publisher = _compact({"@type": "Organization", "name": outlet}) if outlet else None
    return _compact(
        {
            "@type": "CreativeWork",
            "url": url,
            "headline": headline,
            "datePublished": published,
            "publisher": publisher,
            **extra,
        }
    )


def claim_review(store: Store, detail: FlagDetail, newsroom: Newsroom) -> dict[str, Any]:
    """One flag as a schema.org ClaimReview (JSON-LD)."""
    s = detail.summary
    value, label = RATINGS.get(s.status, RATINGS["follow-up"])
    decided = next((e.at for e in reversed(detail.events) if e.to_status == s.status), None)
    appearance = _creative_work(
        detail.submission_url, s.title, detail.submission_published, s.outlet
    )
    earlier = [
        _creative_work(sc.url, sc.title, sc.published, sc.outlet, text=sc.claim.quote)
        for sc, _ in detail.stored
    ]
    body = "; ".join(r.text for r in detail.reasons if r.text)
    if detail.stored:
        first = detail.stored[0][0]
        source = ", ".join(p for p in (first.outlet, first.published) if p)
        cited = f'Earlier reporting{f" ({source})" if source else ""}: "{first.claim.quote}"'
        body = f"{cited}. {body}" if body else cited
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": detail.submission_url,
            "claimReviewed": detail.assertion or s.quote,
            "itemReviewed": _compact(
                {
                    "@type": "Claim",
                    "author": {
                        "@type": _speaker_kind(store, s.id, s.speaker, detail.kind),
                        "name": s.speaker,
                    },
                    "datePublished": detail.submission_published,
                    "appearance": [appearance] if len(appearance) > 1 else [],
                }
            ),
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": value,
                "bestRating": BEST_RATING,
                "worstRating": WORST_RATING,
                "alternateName": label,
            },
            "author": _compact(
                {"@type": "Organization", "name": newsroom.name, "url": newsroom.url}
            ),
            "datePublished": _date(decided or s.updated_at),
            "reviewBody": body,
            "isBasedOn": earlier,
        }
    )


def flag_json(detail: FlagDetail) -> dict[str, Any]:
    """The JSON shape of one flag for `review show --json` and the exports."""
    s = detail.summary
    return {
        "id": s.id,
        "status": s.status,
        "speaker": s.speaker,
        "kind": detail.kind,
        "quote": s.quote,
        "assertion": detail.assertion,
        "start": detail.start,
        "end": detail.end,
        "confidence": round(s.confidence, 4),
        "reasons": [
            {
                "code": r.code,
                "text": r.text,
                "new_terms": r.new_terms,
                "stored_terms": r.stored_terms,
            }
            for r in detail.reasons
        ],
        "submission": {
            "id": detail.submission_id,
            "outlet": s.outlet,
            "title": s.title,
            "url": detail.submission_url,
            "published": detail.submission_published,
        },
        "stored_claims": [
            {
                "id": sc.claim.id,
                "article_id": sc.claim.article_id,
                "speaker": sc.claim.speaker,
                "quote": sc.claim.quote,
                "assertion": sc.claim.assertion,
                "outlet": sc.outlet,
                "title": sc.title,
                "url": sc.url,
                "published": sc.published,
            }
            for sc, _ in detail.stored
        ],
        "removed_claims": [
            {
                "id": r.claim_id,
                "article_id": r.article_id,
                "speaker": r.speaker,
                "quote": r.quote,
                "why": r.why,
            }
            for r in detail.removed
        ],
        "editor": s.editor,
        "note": detail.note,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "events": [
            {
                "at": e.at,
                "editor": e.editor,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
            }
            for e in detail.events
        ],
    }


def _flags(store: Store, statuses: Iterable[str] | None) -> Iterator[FlagDetail]:
    wanted: list[str | None] = [*statuses] if statuses else [None]
    for status in wanted:
        for summary in list_flags(store, QueueFilter(status=status)):
            yield get_flag(store, summary.id)


def claim_reviews(
    store: Store, newsroom: Newsroom, statuses: Iterable[str] = ("confirmed",)
) -> list[dict[str, Any]]:
    return [claim_review(store, detail, newsroom) for detail in _flags(store, statuses)]


FLAG_CSV_COLUMNS = (
    "id", "status", "speaker", "quote", "assertion", "confidence", "reasons", "outlet", "title",
    "url", "published", "stored_claim_id", "stored_speaker", "stored_quote", "stored_outlet",
    "stored_published", "editor", "note", "created_at", "updated_at",
)  # fmt: skip


def flag_rows(store: Store, statuses: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """Flags as nested JSON objects (the `review show --json` shape), queue order."""
    for detail in _flags(store, statuses):
        yield flag_json(detail)


def flat_flag(row: dict[str, Any]) -> dict[str, Any]:
    """A flag's JSON flattened to one CSV row: first stored claim only, reasons joined."""
    stored = row["stored_claims"][0] if row["stored_claims"] else {}
    sub = row["submission"]
    return {
        "id": row["id"],
        "status": row["status"],
        "speaker": row["speaker"],
        "quote": row["quote"],
        "assertion": row["assertion"],
        "confidence": row["confidence"],
        "reasons": "; ".join(r["text"] for r in row["reasons"]),
        "outlet": sub["outlet"],
        "title": sub["title"],
        "url": sub["url"],
        "published": sub["published"],
        "stored_claim_id": stored.get("id"),
        "stored_speaker": stored.get("speaker"),
        "stored_quote": stored.get("quote"),
        "stored_outlet": stored.get("outlet"),
        "stored_published": stored.get("published"),
        "editor": row["editor"],
        "note": row["note"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


CLAIM_CSV_COLUMNS = (
    "id", "article_id", "speaker", "speaker_mention", "kind", "quote", "assertion", "start",
    "end", "paragraph", "co_speakers", "cue", "speaker_role", "outlet", "title", "url",
    "published",
)  # fmt: skip


def claim_rows(store: Store) -> Iterator[dict[str, Any]]:
    for sc in store.claims():
        yield claim_json(
            sc.claim, outlet=sc.outlet, title=sc.title, url=sc.url, published=sc.published
        )


# A cell starting with one of these is run as a formula by spreadsheet programs; article text is
# untrusted, so such cells are prefixed with an apostrophe (OWASP's advice for CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_cell(row.get(k)) for k in columns})
    return out.getvalue()


def to_json_lines(rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def export_text(
    store: Store,
    fmt: str,
    *,
    table: str = "flags",
    statuses: Iterable[str] | None = None,
    newsroom: Newsroom | None = None,
) -> str:
    """The whole export as text. ClaimReview defaults to confirmed flags; the others to all."""
    if fmt == "claimreview":
        reviews = claim_reviews(store, newsroom or Newsroom.from_env(), statuses or ("confirmed",))
        return json.dumps(reviews, ensure_ascii=False, indent=2) + "\n"
    if table == "claims":
        rows: Iterable[dict[str, Any]] = claim_rows(store)
        columns: tuple[str, ...] = CLAIM_CSV_COLUMNS
    else:
        rows = flag_rows(store, statuses)
        columns = FLAG_CSV_COLUMNS
    if fmt == "csv":
        return to_csv((flat_flag(r) for r in rows) if table == "flags" else rows, columns)
    return to_json_lines(rows)

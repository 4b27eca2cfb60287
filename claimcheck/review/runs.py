"""Writing what a check decided: the submission, the run, each claim's verdict, and flags.

Every contradiction becomes a flag in the review queue with status `pending`. A flag's fingerprint
is the submitted text's hash, the claim's span and the stored claim it conflicts with, so checking
the same article again records a new run but never a duplicate flag.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np

from ..archive import (
    Store,
    claim_fields,
    content_hash,
    insert_row,
    now,
    speaker_upkeep,
    write_version,
)
from ..models import CheckReport, Match, Reason, Verdict


def reason_json(reason: Reason) -> dict[str, Any]:
    return {
        "code": reason.code,
        "text": reason.text,
        "new_terms": reason.new_terms,
        "stored_terms": reason.stored_terms,
    }


def match_json(match: Match) -> dict[str, Any]:
    """The public JSON shape of one match (docs/json.md)."""
    c = match.stored.claim
    return {
        "claim_id": c.id,
        "article_id": c.article_id,
        "speaker": c.speaker,
        "quote": c.quote,
        "assertion": c.assertion,
        "outlet": match.stored.outlet,
        "title": match.stored.title,
        "published": match.stored.published,
        "relation": match.relation,
        "score": round(float(match.score), 4),
        "similarity": round(float(match.similarity), 4),
        "reasons": [r.text for r in match.reasons],
        "evidence": [reason_json(r) for r in match.reasons],
    }


def verdict_json(verdict: Verdict, max_matches: int = 5) -> dict[str, Any]:
    """The public JSON shape of one checked claim (docs/json.md)."""
    return {
        **claim_fields(verdict.claim),
        "verdict": verdict.verdict,
        "confidence": round(float(verdict.confidence), 4),
        "matches": [match_json(m) for m in verdict.matches[:max_matches]],
    }


def flag_fingerprint(text_hash: str, start: int, end: int, stored_claim_id: int | None) -> str:
    raw = f"{text_hash}:{start}:{end}:{stored_claim_id}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def record_check(
    store: Store,
    report: CheckReport,
    *,
    vectors: np.ndarray,
    model: str,
    judge_name: str,
    save: bool = False,
) -> None:
    """Record the run (and with `save`, the article's claims) in one transaction."""
    article = report.article
    digest = content_hash(article.text)
    db = store.db
    with db.atomic():
        row = db.execute("select id from submissions where content_hash = ?", [digest]).fetchone()
        if row:
            submission_id = row[0]
        else:
            submission_id = insert_row(
                db,
                "submissions",
                {
                    "content_hash": digest,
                    "outlet": article.outlet,
                    "title": article.title,
                    "url": article.url,
                    "published": article.published,
                    "text": article.text,
                    "submitted_at": now(),
                },
            )
        saved_id = None
        if save:
            # A corrected version of a stored article replaces it (archive/articles.py).
            saved_id = write_version(store, article, report.extraction, vectors, model).article_id
        counts = report.counts()
        run_id = insert_row(
            db,
            "check_runs",
            {
                "submission_id": submission_id,
                "checked_at": now(),
                "judge": judge_name,
                "model": model,
                "claim_count": len(report.verdicts),
                "agree": counts["agree"],
                "contradict": counts["contradict"],
                "novel": counts["novel"],
                "saved_article_id": saved_id,
            },
        )
        db.table("check_results").insert_all(
            {
                "run_id": run_id,
                **{k: v for k, v in verdict_json(v).items() if k != "matches"},
                "matches": json.dumps(verdict_json(v)["matches"], ensure_ascii=False),
            }
            for v in report.verdicts
        )
        flag_ids = []
        kinds = {s.name: s.kind or "person" for s in report.extraction.speakers}
        for verdict in report.verdicts:
            if verdict.verdict != "contradict":
                continue
            conflicting = [m for m in verdict.matches if m.relation == "contradict"]
            if not conflicting:
                continue
            best = conflicting[0]
            c = verdict.claim
            fingerprint = flag_fingerprint(digest, c.start, c.end, best.stored.claim.id)
            existing = db.execute(
                "select id from flags where fingerprint = ?", [fingerprint]
            ).fetchone()
            if existing:
                flag_ids.append(existing[0])
                continue
            stamp = now()
            # The archive's speaker, by the matcher ingest uses: filters and exports follow it.
            kind = kinds.get(c.speaker, "outlet" if c.kind == "unattributed" else "person")
            speaker = speaker_upkeep.archive_speaker(store, c.speaker, kind)
            flag_id = insert_row(
                db,
                "flags",
                {
                    "submission_id": submission_id,
                    "run_id": run_id,
                    "fingerprint": fingerprint,
                    "speaker": speaker.name if speaker else c.speaker,
                    "speaker_id": speaker.id if speaker else None,
                    "kind": c.kind,
                    "quote": c.quote,
                    "assertion": c.assertion,
                    "start": c.start,
                    "end": c.end,
                    "paragraph": c.paragraph,
                    "stored_claim_id": best.stored.claim.id,
                    "stored_claim_ids": json.dumps([m.stored.claim.id for m in conflicting]),
                    "reasons": json.dumps(
                        [reason_json(r) for r in best.reasons], ensure_ascii=False
                    ),
                    "confidence": float(verdict.confidence),
                    "status": "pending",
                    "editor": None,
                    "note": None,
                    "created_at": stamp,
                    "updated_at": stamp,
                },
            )
            db.table("flag_events").insert(
                {
                    "flag_id": flag_id,
                    "at": stamp,
                    "editor": None,
                    "action": "flagged",
                    "from_status": None,
                    "to_status": "pending",
                    "note": "; ".join(r.text for r in best.reasons) or None,
                }
            )
            flag_ids.append(flag_id)
    report.run_id = int(run_id)
    report.saved_article_id = saved_id
    report.flag_ids = flag_ids

"""Editor review: what a flag is, how its status may change, and the queue's queries.

A flag is one contradiction the checker found between a submitted claim and stored claims. Its
status moves between `pending`, `confirmed`, `dismissed` and `follow-up`; editors may change their
mind in any direction, but every change names its editor and is appended to `flag_events`, and
nothing is ever deleted.

Deciding is separate from writing: `plan_decision` is a pure function that validates a requested
change and returns a `Decision` (or raises `ReviewError`); `record_decision` writes one. The write
is guarded by the status the editor saw, so two editors deciding the same flag at once cannot
silently overwrite each other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..archive import Store, now
from ..archive import speakers as sp
from ..errors import ReviewError
from ..models import FLAG_STATUSES, Reason, StoredClaim
from .passages import Passage, passage_around, passage_at

# Queue order: work still to do first, then what needs chasing, then what is settled.
STATUS_RANK = {"pending": 0, "follow-up": 1, "confirmed": 2, "dismissed": 3}
ACTIONS = {
    "confirm": "confirmed",
    "dismiss": "dismissed",
    "follow-up": "follow-up",
    "reopen": "pending",
}
MAX_EDITOR_CHARS = 100
SPEAKER_MATCH = 80.0  # how well a typed name must match a flag's speaker (as `quotes` does)
MAX_NOTE_CHARS = 5000


@dataclass
class Decision:
    """A validated status change, ready to be written."""

    flag_id: int
    action: str  # confirm | dismiss | follow-up | reopen | note
    from_status: str
    to_status: str
    editor: str
    note: str | None


@dataclass
class FlagEvent:
    id: int
    flag_id: int
    at: str
    editor: str | None
    action: str
    from_status: str | None
    to_status: str | None
    note: str | None


@dataclass
class FlagSummary:
    """One row of the queue."""

    id: int
    status: str
    speaker: str
    quote: str
    confidence: float
    outlet: str | None
    title: str | None
    created_at: str
    updated_at: str
    editor: str | None
    stored_claim_id: int | None
    stored_speaker: str | None
    stored_quote: str | None
    stored_outlet: str | None
    # When the stored claim this flag cited has since been removed (its article corrected or
    # deleted): a sentence saying so; stored_quote is then what the claim said.
    stored_removed: str | None = None


@dataclass
class RemovedClaim:
    """A stored claim a flag cited, removed since (archive/articles.py keeps what it said)."""

    claim_id: int
    speaker: str | None
    quote: str | None
    article_id: int | None
    why: str  # "removed when article 3 was corrected (version 2)"


def removed_note(reason: str | None, article_id: int | None, version: int | None) -> str:
    """Why a stored claim is gone, in words an editor can act on."""
    if reason == "corrected":
        return (
            f"removed when article {article_id} was corrected (version {(version or 1) + 1} "
            "no longer says it)"
        )
    return f"removed with article {article_id}"


@dataclass
class FlagDetail:
    """Everything an editor needs to decide one flag."""

    summary: FlagSummary
    kind: str
    assertion: str
    start: int
    end: int
    reasons: list[Reason]
    note: str | None
    submission_id: int
    submission_url: str | None
    submission_published: str | None
    submitted_at: str | None
    passage: Passage | None  # the new claim in its paragraph of the submitted text
    stored: list[tuple[StoredClaim, Passage | None]] = field(default_factory=list)
    events: list[FlagEvent] = field(default_factory=list)
    # Cited stored claims that are no longer in the archive: what they said, and why they went.
    removed: list[RemovedClaim] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def status(self) -> str:
        return self.summary.status


@dataclass
class QueueFilter:
    status: str | None = None
    speaker: str | None = None  # typo-tolerant, as `claimcheck quotes`
    outlet: str | None = None  # of the submitted article, case-insensitive

    def is_empty(self) -> bool:
        return not (self.status or self.speaker or self.outlet)


# ----------------------------------------------------------------- deciding (pure)
def clean_editor(editor: str | None) -> str:
    name = " ".join((editor or "").split())
    if not name:
        raise ReviewError("An editor name is required to record a decision.")
    if len(name) > MAX_EDITOR_CHARS:
        raise ReviewError(f"The editor name is longer than {MAX_EDITOR_CHARS} characters.")
    return name


def clean_note(note: str | None) -> str | None:
    text = (note or "").strip()
    if len(text) > MAX_NOTE_CHARS:
        raise ReviewError(f"The note is longer than {MAX_NOTE_CHARS} characters.")
    return text or None


def plan_decision(
    flag_id: int, current_status: str, action: str, editor: str | None, note: str | None = None
) -> Decision:
    """Validate an editor's action on a flag in `current_status`; raise ReviewError if not allowed.

    Any status may move to any other. Repeating the current status is only meaningful with a
    note, which is then recorded as a `note` event; without one it is refused, so a double click
    cannot fill the history with empty events.
    """
    if action not in ACTIONS:
        raise ReviewError(f"Unknown review action {action!r}; use one of: {', '.join(ACTIONS)}.")
    if current_status not in FLAG_STATUSES:
        raise ReviewError(f"Flag {flag_id} has an unknown status {current_status!r}.")
    editor = clean_editor(editor)
    note = clean_note(note)
    to_status = ACTIONS[action]
    if to_status == current_status:
        if not note:
            raise ReviewError(f"Flag {flag_id} is already {current_status}.")
        action = "note"
    return Decision(flag_id, action, current_status, to_status, editor, note)


# ----------------------------------------------------------------- writing
def record_decision(store: Store, decision: Decision) -> FlagEvent:
    """Write a decision: update the flag and append its event, in one transaction."""
    db = store.db
    stamp = now()
    with db.atomic():
        sets = "status = ?, editor = ?, updated_at = ?"
        params: list[Any] = [decision.to_status, decision.editor, stamp]
        if decision.note is not None:
            sets += ", note = ?"
            params.append(decision.note)
        cursor = db.execute(
            f"update flags set {sets} where id = ? and status = ?",
            [*params, decision.flag_id, decision.from_status],
        )
        if cursor.rowcount != 1:
            current = flag_status(store, decision.flag_id)
            raise ReviewError(
                f"Flag {decision.flag_id} changed to {current} while you were looking at it; "
                "reload it and decide again."
            )
        event_id = (
            db.table("flag_events")
            .insert(
                {
                    "flag_id": decision.flag_id,
                    "at": stamp,
                    "editor": decision.editor,
                    "action": decision.action,
                    "from_status": decision.from_status,
                    "to_status": decision.to_status,
                    "note": decision.note,
                }
            )
            .last_pk
        )
    return FlagEvent(
        id=int(event_id or 0),
        flag_id=decision.flag_id,
        at=stamp,
        editor=decision.editor,
        action=decision.action,
        from_status=decision.from_status,
        to_status=decision.to_status,
        note=decision.note,
    )


def decide_flag(
    store: Store,
    flag_id: int,
    action: str,
    editor: str | None,
    note: str | None = None,
    *,
    expected_status: str | None = None,
) -> FlagEvent:
    """Validate and record one decision. `expected_status` is what the editor saw, if known."""
    current = flag_status(store, flag_id)
    seen = expected_status or current
    if seen != current:
        raise ReviewError(
            f"Flag {flag_id} changed to {current} while you were looking at it; "
            "reload it and decide again."
        )
    return record_decision(store, plan_decision(flag_id, seen, action, editor, note))


# ----------------------------------------------------------------- reading
def flag_status(store: Store, flag_id: int) -> str:
    row = store.db.execute("select status from flags where id = ?", [flag_id]).fetchone()
    if not row:
        raise ReviewError(f"There is no flag {flag_id}.")
    return str(row[0])


_SUMMARY_SQL = """
select flags.id, flags.status, flags.speaker, flags.quote, flags.confidence,
       submissions.outlet, submissions.title, flags.created_at, flags.updated_at, flags.editor,
       flags.stored_claim_id, claims.speaker as stored_speaker, claims.quote as stored_quote,
       articles.outlet as stored_outlet, removed_claims.quote as removed_quote,
       removed_claims.speaker as removed_speaker, removed_claims.article_id as removed_article,
       removed_claims.reason as removed_reason, removed_claims.article_version as removed_version
from flags
join submissions on submissions.id = flags.submission_id
left join claims on claims.id = flags.stored_claim_id
left join articles on articles.id = claims.article_id
left join removed_claims on removed_claims.id = (
    select max(r.id) from removed_claims r where r.claim_id = flags.removed_claim_id)
"""
_ORDER = (
    " order by case flags.status when 'pending' then 0 when 'follow-up' then 1"
    " when 'confirmed' then 2 else 3 end, flags.id"
)


def _where(store: Store, queue: QueueFilter, *, with_status: bool = True) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if with_status and queue.status:
        if queue.status not in FLAG_STATUSES:
            raise ReviewError(
                f"Unknown status {queue.status!r}; use one of: {', '.join(FLAG_STATUSES)}."
            )
        clauses.append("flags.status = ?")
        params.append(queue.status)
    if queue.outlet:
        clauses.append("lower(submissions.outlet) like ?")
        params.append(f"%{queue.outlet.strip().lower()}%")
    if queue.speaker:
        # One matcher for every name: the archive's speakers (the stored claim's, and the new
        # claim's when the check matched it to one), and the name a flag's new claim carries when
        # its speaker is new to the archive, so "zelenskiy" finds what "zelensky" finds.
        ids = [h[1] for h in store.find_speakers(queue.speaker)]
        names = [
            r[0]
            for r in store.db.execute("select distinct speaker from flags where speaker != ''")
            if sp.query_matches(queue.speaker, r[0], []) >= SPEAKER_MATCH
        ]
        marks = ",".join("?" * len(ids)) or "null"
        name_marks = ",".join("?" * len(names)) or "null"
        clauses.append(
            f"(claims.speaker_id in ({marks}) or flags.speaker_id in ({marks}) "
            f"or flags.speaker in ({name_marks}))"
        )
        params.extend([*ids, *ids, *names])
    return (" where " + " and ".join(clauses)) if clauses else "", params


def _summary(row: dict[str, Any]) -> FlagSummary:
    return FlagSummary(
        id=row["id"],
        status=row["status"],
        speaker=row["speaker"],
        quote=row["quote"],
        confidence=float(row["confidence"] or 0.0),
        outlet=row["outlet"],
        title=row["title"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        editor=row["editor"],
        stored_claim_id=row["stored_claim_id"],
        stored_speaker=row["stored_speaker"] or row["removed_speaker"],
        stored_quote=row["stored_quote"] or row["removed_quote"],
        stored_outlet=row["stored_outlet"],
        stored_removed=(
            removed_note(row["removed_reason"], row["removed_article"], row["removed_version"])
            if row["stored_quote"] is None and row["removed_quote"] is not None
            else None
        ),
    )


def list_flags(
    store: Store, queue: QueueFilter | None = None, *, limit: int | None = None, offset: int = 0
) -> list[FlagSummary]:
    """Flags in queue order (pending first, then follow-up, confirmed, dismissed; oldest first)."""
    where, params = _where(store, queue or QueueFilter())
    sql = _SUMMARY_SQL + where + _ORDER
    if limit is not None:
        sql += f" limit {int(limit)} offset {int(offset)}"
    return [_summary(r) for r in store.db.query(sql, params)]


def status_counts(store: Store, queue: QueueFilter | None = None) -> dict[str, int]:
    """How many flags of each status match the speaker/outlet filters (status ignored)."""
    where, params = _where(store, queue or QueueFilter(), with_status=False)
    sql = (
        "select flags.status, count(*) from flags "
        "join submissions on submissions.id = flags.submission_id "
        "left join claims on claims.id = flags.stored_claim_id" + where + " group by flags.status"
    )
    counts = dict.fromkeys(FLAG_STATUSES, 0)
    for status, count in store.db.execute(sql, params):
        counts[status] = count
    return counts


def outlets(store: Store) -> list[str]:
    """Outlets of submitted articles that have flags, for the queue's filter."""
    return [
        r[0]
        for r in store.db.execute(
            "select distinct submissions.outlet from submissions join flags on "
            "flags.submission_id = submissions.id where submissions.outlet is not null "
            "order by submissions.outlet"
        )
    ]


def neighbours(store: Store, flag_id: int, queue: QueueFilter) -> tuple[int | None, int | None]:
    """(previous, next) flag ids around `flag_id` in the filtered queue, for j/k navigation.

    A flag just decided may have left the filtered list (a confirmed flag in the pending view);
    its neighbours are then the flags on either side of where it was.
    """
    ids = [f.id for f in list_flags(store, queue)]
    if flag_id in ids:
        i = ids.index(flag_id)
        return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)
    before = [i for i in ids if i < flag_id]
    after = [i for i in ids if i > flag_id]
    return (before[-1] if before else None), (after[0] if after else None)


def flag_events(store: Store, flag_id: int) -> list[FlagEvent]:
    return [
        FlagEvent(**row)
        for row in store.db.query(
            "select id, flag_id, at, editor, action, from_status, to_status, note "
            "from flag_events where flag_id = ? order by id",
            [flag_id],
        )
    ]


def parse_reasons(raw: str | None) -> list[Reason]:
    reasons = []
    for item in json.loads(raw or "[]"):
        if isinstance(item, str):  # tolerate a bare list of reason texts
            reasons.append(Reason(code="", text=item))
            continue
        reasons.append(
            Reason(
                code=item.get("code") or "",
                text=item.get("text") or "",
                new_terms=[str(t) for t in item.get("new_terms") or []],
                stored_terms=[str(t) for t in item.get("stored_terms") or []],
            )
        )
    return reasons


def get_flag(store: Store, flag_id: int) -> FlagDetail:
    """One flag with both claims in context, the judge's reasons and the audit history."""
    rows = list(store.db.query(_SUMMARY_SQL + " where flags.id = ?", [flag_id]))
    if not rows:
        raise ReviewError(f"There is no flag {flag_id}.")
    flag = store.db.table("flags").get(flag_id)
    submission = store.db.table("submissions").get(flag["submission_id"])
    stored_ids = json.loads(flag["stored_claim_ids"] or "[]") or [flag["stored_claim_id"]]
    stored_ids = [int(i) for i in stored_ids if i is not None]
    found = store.stored_claims(stored_ids)
    texts = _article_texts(store, {sc.claim.article_id for sc in found.values()})
    stored = [
        (found[i], passage_around(texts.get(found[i].claim.article_id or 0), found[i].claim))
        for i in stored_ids
        if i in found
    ]
    return FlagDetail(
        summary=_summary(rows[0]),
        kind=flag["kind"],
        assertion=flag["assertion"] or flag["quote"],
        start=flag["start"],
        end=flag["end"],
        reasons=parse_reasons(flag["reasons"]),
        note=flag["note"],
        submission_id=flag["submission_id"],
        submission_url=submission.get("url"),
        submission_published=submission.get("published"),
        submitted_at=submission.get("submitted_at"),
        passage=passage_at(submission.get("text"), flag["start"], flag["end"], flag["quote"]),
        stored=stored,
        events=flag_events(store, flag_id),
        removed=_removed_claims(
            store, [i for i in stored_ids if i not in found] + [flag.get("removed_claim_id")]
        ),
    )


def _removed_claims(store: Store, claim_ids: list[int | None]) -> list[RemovedClaim]:
    ids = list(dict.fromkeys(i for i in claim_ids if i is not None))
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = store.db.execute(
        "select claim_id, speaker, quote, article_id, reason, article_version "
        f"from removed_claims where claim_id in ({marks}) order by id",
        ids,
    ).fetchall()
    latest = {r[0]: r for r in rows}  # rows in id order: the last removal of that id wins
    return [
        RemovedClaim(r[0], r[1], r[2], r[3], removed_note(r[4], r[3], r[5]))
        for r in (latest[i] for i in ids if i in latest)
    ]


def claim_passages(store: Store, stored: list[StoredClaim]) -> dict[int, Passage | None]:
    """Each stored claim's paragraph in its article (by claim id), to show a quote in context."""
    texts = _article_texts(store, {sc.claim.article_id for sc in stored})
    return {
        sc.claim.id: passage_around(texts.get(sc.claim.article_id or 0), sc.claim)
        for sc in stored
        if sc.claim.id is not None
    }


def _article_texts(store: Store, article_ids: set[int | None]) -> dict[int, str]:
    ids = [i for i in article_ids if i is not None]
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {
        r[0]: r[1]
        for r in store.db.execute(f"select id, text from articles where id in ({marks})", ids)
    }


# ----------------------------------------------------------------- check runs
@dataclass
class CheckedClaim:
    """One claim of a checked article as the run recorded it, with its flag if it has one."""

    speaker: str
    kind: str
    quote: str
    verdict: str
    confidence: float
    matches: list[dict[str, Any]]
    flag_id: int | None = None


@dataclass
class CheckedRun:
    id: int
    checked_at: str
    outlet: str | None
    title: str | None
    counts: dict[str, int]
    claims: list[CheckedClaim]


def checked_run(store: Store, run_id: int) -> CheckedRun:
    """A recorded check run: each claim's verdict, contradictions first, linked to their flags."""
    run = store.db.execute(
        "select check_runs.id, check_runs.checked_at, submissions.outlet, submissions.title, "
        "check_runs.submission_id, check_runs.agree, check_runs.contradict, check_runs.novel "
        "from check_runs join submissions on submissions.id = check_runs.submission_id "
        "where check_runs.id = ?",
        [run_id],
    ).fetchone()
    if not run:
        raise ReviewError(f"There is no check run {run_id}.")
    flags = {
        (r[1], r[2]): r[0]
        for r in store.db.execute(
            "select id, start, [end] from flags where submission_id = ?", [run[4]]
        )
    }
    order = {"contradict": 0, "agree": 1, "novel": 2}
    rows = sorted(
        store.db.query("select * from check_results where run_id = ? order by start", [run_id]),
        key=lambda r: order.get(r["verdict"], 3),
    )
    claims = [
        CheckedClaim(
            speaker=r["speaker"],
            kind=r["kind"],
            quote=r["quote"],
            verdict=r["verdict"],
            confidence=float(r["confidence"] or 0.0),
            matches=json.loads(r["matches"] or "[]"),
            flag_id=flags.get((r["start"], r["end"])) if r["verdict"] == "contradict" else None,
        )
        for r in rows
    ]
    return CheckedRun(
        id=run[0],
        checked_at=run[1],
        outlet=run[2],
        title=run[3],
        counts={"contradict": run[6] or 0, "agree": run[5] or 0, "novel": run[7] or 0},
        claims=claims,
    )

"""A speaker's canonical name: the spelling most of the archive's claims use, or an editor's choice.

Each claim keeps the speaker's name as its own article spelt it (`claims.speaker_spelling`).
The canonical name is the most frequent full spelling: one article that writes "Zelenskiy" does
not rename a speaker that forty articles call "Zelenskyy". A full name ("Volodymyr Zelenskyy")
is preferred to a bare surname however often the surname alone is used, and the surname's
spelling votes for the full name that spells it the same way. A name set with `claimcheck
speakers rename` is never overridden. The name is kept in step everywhere it is copied: the
claims' `speaker` column and the flags whose new claim is this speaker.
"""

from __future__ import annotations

from collections import Counter

from sqlite_utils import Database

from . import speakers as sp


def spelling_counts(db: Database, speaker_id: int) -> Counter[str]:
    """How many of the speaker's claims each spelling of the name has."""
    rows = db.execute(
        "select coalesce(speaker_spelling, speaker), count(*) from claims "
        "where speaker_id = ? group by 1",
        [speaker_id],
    )
    return Counter({name: n for name, n in rows if name})


def canonical_spelling(counts: Counter[str], current: str, kind: str) -> str:
    """The spelling to show: most tokens (people), then most used, then the current one."""
    if not counts:
        return current
    if not sp.is_person(kind):
        return max(counts, key=lambda n: (counts[n], n == current, n))

    def last(name: str) -> str:
        tokens = sp.name_tokens(name)
        return tokens[-1] if tokens else ""

    surname_votes: Counter[str] = Counter()
    for name, n in counts.items():
        surname_votes[last(name)] += n
    most_tokens = max(len(sp.name_tokens(n)) for n in counts)
    if len(sp.name_tokens(current)) > most_tokens:
        return current  # a fuller name the speaker already has (given at creation or merged)
    full = [n for n in counts if len(sp.name_tokens(n)) == most_tokens]
    return max(full, key=lambda n: (surname_votes[last(n)], counts[n], n == current, n))


def set_name(db: Database, speaker_id: int, name: str, *, fixed: bool | None = None) -> None:
    """Rename a speaker everywhere its name is copied; `fixed` records an editor's choice."""
    updates: dict[str, object] = {"name": name}
    if fixed is not None:
        updates["name_fixed"] = 1 if fixed else None
    db.table("speakers").update(speaker_id, updates)
    db.execute("update claims set speaker = ? where speaker_id = ?", [name, speaker_id])
    db.execute("update flags set speaker = ? where speaker_id = ?", [name, speaker_id])
    db.table("speaker_aliases").insert(
        {"speaker_id": speaker_id, "alias": name, "folded": sp.folded_key(name)}, ignore=True
    )


def refresh_name(db: Database, speaker_id: int) -> str:
    """Make the speaker's name the canonical spelling of its claims (unless an editor chose it)."""
    row = db.execute(
        "select name, kind, name_fixed from speakers where id = ?", [speaker_id]
    ).fetchone()
    if row is None:
        return ""
    name, kind, fixed = row
    if fixed:
        return str(name)
    best = canonical_spelling(spelling_counts(db, speaker_id), name, kind or "person")
    if best != name:
        set_name(db, speaker_id, best)
    return best

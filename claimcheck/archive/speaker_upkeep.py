"""Keeping speakers right by hand: merge two, split one, rename one, add or remove an alias.

Every change is one transaction and keeps the speaker's name in step wherever it is copied
(claims, flags). A speaker is named by its id (as `claimcheck speakers` lists it), its name or
an alias; a name that fits several speakers is refused with their ids rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import StoreError
from ..models import Extraction
from . import speaker_names
from . import speakers as sp
from .store import Store, insert_row


@dataclass
class SpeakerRef:
    id: int
    name: str
    kind: str


@dataclass
class UpkeepResult:
    """What a change did, for the command to report: the speakers it left, claims it moved."""

    speakers: list[SpeakerRef]
    claims_moved: int = 0
    message: str = ""


def _ref(store: Store, speaker_id: int) -> SpeakerRef | None:
    row = store.db.execute("select id, name, kind from speakers where id = ?", [speaker_id])
    found = row.fetchone()
    return SpeakerRef(int(found[0]), str(found[1]), str(found[2] or "person")) if found else None


def find_speaker(store: Store, ref: str) -> SpeakerRef:
    """The one speaker `ref` names: an id, a name or alias, or a name as typed (typo-tolerant)."""
    text = " ".join(ref.split())
    if not text:
        raise StoreError("Name a speaker: its id (see 'claimcheck speakers') or its name.")
    if text.lstrip("#").isdigit():
        found = _ref(store, int(text.lstrip("#")))
        if found is None:
            raise StoreError(f"There is no speaker {text}; 'claimcheck speakers' lists them.")
        return found
    exact = [
        r[0]
        for r in store.db.execute(
            "select distinct speakers.id from speakers left join speaker_aliases on "
            "speaker_aliases.speaker_id = speakers.id "
            "where lower(speakers.name) = lower(?) or lower(speaker_aliases.alias) = lower(?)",
            [text, text],
        )
    ]
    ids = exact or [h[1] for h in store.find_speakers(text)]
    if len(ids) == 1:
        found = _ref(store, ids[0])
        assert found is not None
        return found
    if not ids:
        near = sp.suggestions(text, [s.name for s in store.speakers()])
        hint = f" Did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
        raise StoreError(f"No speaker is called {text!r}.{hint}")
    listed = ", ".join(f"{r.name} (#{r.id})" for r in (_ref(store, i) for i in ids[:6]) if r)
    raise StoreError(f"{text!r} could be any of: {listed}; name the speaker by its id.")


def _claims_of(store: Store, speaker_id: int) -> int:
    row = store.db.execute("select count(*) from claims where speaker_id = ?", [speaker_id])
    return int(row.fetchone()[0])


def merge_speakers(store: Store, keep: str, other: str) -> UpkeepResult:
    """Make `other` part of `keep`: its claims, aliases and flags join `keep`, whose name stays
    (as if renamed: frequency no longer changes it)."""
    a, b = find_speaker(store, keep), find_speaker(store, other)
    if a.id == b.id:
        raise StoreError(f"{a.name} (#{a.id}) and {other!r} are already one speaker.")
    db = store.db
    with db.atomic():
        moved = _claims_of(store, b.id)
        db.execute("update claims set speaker_id = ? where speaker_id = ?", [a.id, b.id])
        db.execute("update flags set speaker_id = ? where speaker_id = ?", [a.id, b.id])
        # B's names become A's: a later article naming B is then matched to A.
        db.execute(
            "insert or ignore into speaker_aliases (speaker_id, alias, folded) "
            "select ?, alias, folded from speaker_aliases where speaker_id = ?",
            [a.id, b.id],
        )
        db.execute("delete from speaker_aliases where speaker_id = ?", [b.id])
        for column in ("role", "organisation"):
            db.execute(
                f"update speakers set {column} = (select {column} from speakers where id = ?) "
                f"where id = ? and {column} is null",
                [b.id, a.id],
            )
        db.execute("delete from speakers where id = ?", [b.id])
        # The editor chose which name stays: more claims spelt OTHER's way do not rename KEEP.
        name = a.name
        speaker_names.set_name(db, a.id, name, fixed=True)
    return UpkeepResult(
        [SpeakerRef(a.id, name, a.kind)],
        moved,
        f"Merged {b.name} (#{b.id}) into {name} (#{a.id}): {moved} claim(s) moved, "
        f"{_claims_of(store, a.id)} in all.",
    )


def _same_words(a: str | None, b: str) -> bool:
    return bool(a) and sp.normalise(a or "") == sp.normalise(b)


def split_speaker(
    store: Store,
    ref: str,
    spellings: list[str],
    *,
    article_ids: list[int] | None = None,
    kind: str | None = None,
) -> UpkeepResult:
    """Move the claims of `ref` spelt (or mentioned) as one of `spellings`, or from the given
    articles, to the speaker called `spellings[0]`: one already stored under exactly that name,
    or a new one. Aliases spelt that way go with them."""
    source = find_speaker(store, ref)
    names = [" ".join(s.split()) for s in spellings if s.strip()]
    if not names:
        raise StoreError("Give the name (or spellings) of the speaker to split off.")
    db = store.db
    rows = db.execute(
        "select id, speaker_spelling, speaker_mention, article_id from claims where speaker_id = ?",
        [source.id],
    ).fetchall()
    moving = [
        r[0]
        for r in rows
        if any(_same_words(r[1], n) or _same_words(r[2], n) for n in names)
        or (article_ids and r[3] in article_ids)
    ]
    if not moving:
        spelt = sorted({r[1] for r in rows if r[1]} | {r[2] for r in rows if r[2]})
        raise StoreError(
            f"No claim of {source.name} (#{source.id}) is spelt {names[0]!r}"
            + (f" or in article {', '.join(map(str, article_ids))}" if article_ids else "")
            + (f"; its claims are spelt: {', '.join(spelt[:8])}." if spelt else ".")
        )
    if len(moving) == len(rows):
        raise StoreError(
            f"Every claim of {source.name} (#{source.id}) is spelt that way; "
            "use 'claimcheck speakers rename' instead."
        )
    with db.atomic():
        target = db.execute(
            "select id from speakers where lower(name) = lower(?) and id != ?",
            [names[0], source.id],
        ).fetchone()
        if target:
            target_id = int(target[0])
        else:
            target_id = insert_row(db, "speakers", {"name": names[0], "kind": kind or source.kind})
        marks = ",".join("?" * len(moving))
        db.execute(f"update claims set speaker_id = ? where id in ({marks})", [target_id, *moving])
        for name in names:
            db.execute(
                "delete from speaker_aliases where speaker_id = ? and lower(alias) = lower(?)",
                [source.id, name],
            )
            db.table("speaker_aliases").insert(
                {"speaker_id": target_id, "alias": name, "folded": sp.folded_key(name)},
                ignore=True,
            )
        # A flag's new claim was this speaker by name; the name decides which side it is on.
        for name in names:
            db.execute(
                "update flags set speaker_id = ? "
                "where speaker_id = ? and lower(speaker) = lower(?)",
                [target_id, source.id, name],
            )
        kept = speaker_names.refresh_name(db, source.id)
        split = speaker_names.refresh_name(db, target_id)
        for speaker_id, name in ((source.id, kept), (target_id, split)):
            db.execute("update flags set speaker = ? where speaker_id = ?", [name, speaker_id])
    return UpkeepResult(
        [
            SpeakerRef(source.id, kept, source.kind),
            SpeakerRef(target_id, split, kind or source.kind),
        ],
        len(moving),
        f"Moved {len(moving)} claim(s) from {kept} (#{source.id}) to {split} (#{target_id}).",
    )


def rename_speaker(store: Store, ref: str, new_name: str) -> UpkeepResult:
    """Give a speaker the name an editor chose; how often other spellings are used no longer
    changes it."""
    target = find_speaker(store, ref)
    name = " ".join(new_name.split())
    if not name:
        raise StoreError("The new name is empty.")
    clash = store.db.execute(
        "select id from speakers where lower(name) = lower(?) and id != ?", [name, target.id]
    ).fetchone()
    if clash:
        raise StoreError(
            f"{name!r} is already speaker #{clash[0]}; use 'claimcheck speakers merge "
            f"{clash[0]} {target.id}' to make them one."
        )
    with store.db.atomic():
        speaker_names.set_name(store.db, target.id, name, fixed=True)
    return UpkeepResult(
        [SpeakerRef(target.id, name, target.kind)],
        0,
        f"Renamed {target.name} (#{target.id}) to {name}.",
    )


def change_alias(store: Store, ref: str, alias: str, *, remove: bool = False) -> UpkeepResult:
    """Add an alias to a speaker, or remove one (a description or a wrong spelling)."""
    target = find_speaker(store, ref)
    text = " ".join(alias.split())
    if not text:
        raise StoreError("The alias is empty.")
    db = store.db
    if remove:
        if sp.normalise(text) == sp.normalise(target.name):
            raise StoreError(
                f"{text!r} is the name of speaker #{target.id}; rename it before removing it."
            )
        with db.atomic():
            gone = db.execute(
                "delete from speaker_aliases where speaker_id = ? and lower(alias) = lower(?)",
                [target.id, text],
            ).rowcount
        if not gone:
            raise StoreError(f"{target.name} (#{target.id}) has no alias {text!r}.")
        message = f"Removed the alias {text!r} from {target.name} (#{target.id})."
    else:
        if sp.is_person(target.kind) and sp.is_description(text):
            raise StoreError(
                f"{text!r} describes a role, not one person; it cannot be an alias of "
                f"{target.name}."
            )
        other = db.execute(
            "select speakers.id, speakers.name from speaker_aliases join speakers on "
            "speakers.id = speaker_aliases.speaker_id "
            "where lower(alias) = lower(?) and speakers.id != ?",
            [text, target.id],
        ).fetchone()
        if other:
            raise StoreError(
                f"{text!r} is already an alias of {other[1]} (#{other[0]}); remove it there "
                "first, or merge the two speakers."
            )
        with db.atomic():
            db.table("speaker_aliases").insert(
                {"speaker_id": target.id, "alias": text, "folded": sp.folded_key(text)},
                ignore=True,
            )
        message = f"{target.name} (#{target.id}) is also called {text!r}."
    return UpkeepResult([target], 0, message)


# ----------------------------------------------------------------- a checked article's speakers
def archive_speaker(store: Store, name: str, kind: str) -> SpeakerRef | None:
    """The stored speaker an article's speaker is, by the matcher ingest uses; None when new.

    Read-only: a checked article's speakers are matched, never created."""
    found = sp.match_speaker(name, kind, store.speaker_candidates(name, kind))
    return SpeakerRef(found.id, found.name, found.kind) if found else None


def match_archive_speakers(store: Store, extraction: Extraction) -> dict[str, SpeakerRef]:
    """Give a checked article's speakers the archive's canonical names, as ingest would.

    "Volodymyr Zelensky" in the article becomes the archive's "Volodymyr Zelenskyy" in the
    check's output, its flags and their exports; the article's spelling stays among the
    speaker's mentions. Returns {canonical name: archive speaker} for the speakers found.
    """
    kinds = {s.name: s.kind or "person" for s in extraction.speakers}
    renamed: dict[str, str] = {}
    found: dict[str, SpeakerRef] = {}
    for claim in extraction.claims:
        name = claim.speaker
        if name in renamed or name in found:
            continue
        kind = kinds.get(name, "outlet" if claim.kind == "unattributed" else "person")
        ref = archive_speaker(store, name, kind)
        if ref is None:
            continue
        found[ref.name] = ref
        if ref.name != name:
            renamed[name] = ref.name
    for info in extraction.speakers:
        if info.name in renamed:
            info.mentions.append(info.name)
            info.name = renamed[info.name]
    for claim in extraction.claims:
        claim.speaker = renamed.get(claim.speaker, claim.speaker)
    return found

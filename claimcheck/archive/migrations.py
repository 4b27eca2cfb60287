"""The database schema, as named migrations applied in order, each in its own transaction.

Plain tables with readable column names and JSON in TEXT columns, so that the database opens
as-is in Datasette. Never edit an applied migration: add a new one.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("claimcheck")

# Bumped whenever a migration is added; a database that records a higher number was written by a
# newer claimcheck and is refused rather than mangled.
SCHEMA_VERSION = 5


def pending_migrations(db: Database) -> list[str]:
    """The names of the migrations not yet applied to `db`, in the order they would run."""
    return [m.name for m in migrations.pending(db)]


@migrations()
def m001_initial(db: Database) -> None:
    db.table("articles").create(
        {
            "id": int,
            "outlet": str,
            "title": str,
            "url": str,
            "published": str,
            "text": str,
            "content_hash": str,
            "source_path": str,
            "ingested_at": str,
            "claim_count": int,
        },
        pk="id",
    )
    db.table("articles").create_index(["content_hash"], unique=True)

    db.table("speakers").create(
        {"id": int, "name": str, "kind": str, "role": str, "organisation": str},
        pk="id",
    )
    db.table("speakers").create_index(["name"])
    db.table("speaker_aliases").create(
        {"id": int, "speaker_id": int, "alias": str, "folded": str},
        pk="id",
        foreign_keys=[("speaker_id", "speakers", "id")],
    )
    db.table("speaker_aliases").create_index(["speaker_id", "alias"], unique=True)
    db.table("speaker_aliases").create_index(["folded"])

    db.table("claims").create(
        {
            "id": int,
            "article_id": int,
            "speaker_id": int,
            "speaker": str,
            "speaker_mention": str,
            "kind": str,
            "quote": str,
            "assertion": str,
            "start": int,
            "end": int,
            "paragraph": int,
            "co_speakers": str,  # JSON list
            "cue": str,
            "speaker_role": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id"), ("speaker_id", "speakers", "id")],
    )
    db.table("claims").create_index(["article_id"])
    db.table("claims").create_index(["speaker_id"])
    db.table("claims").enable_fts(["quote", "assertion"], create_triggers=True, tokenize="porter")

    db.table("embeddings").create(
        {"claim_id": int, "model": str, "dimensions": int, "vector": bytes, "content_hash": str},
        pk="claim_id",
        foreign_keys=[("claim_id", "claims", "id")],
    )
    db.table("embeddings").create_index(["model"])

    # Articles submitted for checking (not necessarily stored as claims).
    db.table("submissions").create(
        {
            "id": int,
            "content_hash": str,
            "outlet": str,
            "title": str,
            "url": str,
            "published": str,
            "text": str,
            "submitted_at": str,
        },
        pk="id",
    )
    db.table("submissions").create_index(["content_hash"], unique=True)

    db.table("check_runs").create(
        {
            "id": int,
            "submission_id": int,
            "checked_at": str,
            "judge": str,
            "model": str,
            "claim_count": int,
            "agree": int,
            "contradict": int,
            "novel": int,
            "saved_article_id": int,
        },
        pk="id",
        foreign_keys=[("submission_id", "submissions", "id")],
    )
    db.table("check_results").create(
        {
            "id": int,
            "run_id": int,
            "speaker": str,
            "speaker_mention": str,
            "kind": str,
            "quote": str,
            "assertion": str,
            "start": int,
            "end": int,
            "paragraph": int,
            "verdict": str,
            "confidence": float,
            "matches": str,  # JSON list, best first
        },
        pk="id",
        foreign_keys=[("run_id", "check_runs", "id")],
    )
    db.table("check_results").create_index(["run_id"])

    # The review queue: one flag per contradiction of a submitted claim with a stored claim.
    db.table("flags").create(
        {
            "id": int,
            "submission_id": int,
            "run_id": int,
            "fingerprint": str,
            "speaker": str,
            "kind": str,
            "quote": str,
            "assertion": str,
            "start": int,
            "end": int,
            "paragraph": int,
            "stored_claim_id": int,
            "stored_claim_ids": str,  # JSON list of all conflicting stored claims
            "reasons": str,  # JSON list of {code, text, new_terms, stored_terms}
            "confidence": float,
            "status": str,
            "editor": str,
            "note": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[
            ("submission_id", "submissions", "id"),
            ("run_id", "check_runs", "id"),
            ("stored_claim_id", "claims", "id"),
        ],
    )
    db.table("flags").create_index(["fingerprint"], unique=True)
    db.table("flags").create_index(["status"])
    db.table("flag_events").create(
        {
            "id": int,
            "flag_id": int,
            "at": str,
            "editor": str,
            "action": str,
            "from_status": str,
            "to_status": str,
            "note": str,
        },
        pk="id",
        foreign_keys=[("flag_id", "flags", "id")],
    )
    db.table("flag_events").create_index(["flag_id"])

    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("meta").insert({"key": "schema_version", "value": "1"})
    # Bumped on every write that changes the stored vectors, so a cached matrix knows it is stale.
    db.table("meta").insert({"key": "vectors_generation", "value": "0"})


@migrations()
def m002_vectors_rewrites(db: Database) -> None:
    """Count rewrites of stored vectors, so a cached matrix knows when appending is not enough.

    Ingest only appends vectors (rising claim ids); `doctor --repair` re-embeds claims in place.
    A cache that sees this counter unchanged may append new rows without re-reading old ones.
    """
    db.table("meta").insert({"key": "vectors_rewrites", "value": "0"}, replace=True)
    bump = "update meta set value = cast(value as integer) + 1 where key = 'vectors_rewrites';"
    db.execute(
        f"create trigger embeddings_rewrite_update after update on embeddings begin {bump} end"
    )
    db.execute(
        f"create trigger embeddings_rewrite_delete after delete on embeddings begin {bump} end"
    )
    # INSERT OR REPLACE of an existing row, or a vector added for an older claim.
    db.execute(
        "create trigger embeddings_rewrite_insert after insert on embeddings "
        "when new.claim_id < (select max(claim_id) from embeddings) "
        f"begin {bump} end"
    )
    db.execute("update meta set value = '2' where key = 'schema_version'")


@migrations()
def m003_article_versions(db: Database) -> None:
    """Articles that can be corrected and removed, and flags that outlive what they cited.

    An article gets an identity (archive/identity.py), a version count, when it was last
    replaced, and its byline. `article_versions` keeps each replaced version's text and
    metadata; `removed_claims` what a claim said when a correction or a removal deleted it, and
    `flags.removed_claim_id` the claim a flag cited once that claim is gone (a flag's
    `stored_claim_id` must name an existing claim).
    """
    from .identity import identity_key

    articles = db.table("articles")
    articles.add_column("identity", str)
    articles.add_column("version", int)
    articles.add_column("updated_at", str)
    articles.add_column("author", str)
    for article_id, url, source_path, outlet in db.execute(
        "select id, url, source_path, outlet from articles"
    ).fetchall():
        db.execute(
            "update articles set identity = ?, version = 1 where id = ?",
            [identity_key(url, source_path, outlet), article_id],
        )
    articles.create_index(["identity"])

    db.table("article_versions").create(
        {
            "id": int,
            "article_id": int,
            "version": int,
            "content_hash": str,
            "outlet": str,
            "title": str,
            "url": str,
            "published": str,
            "author": str,
            "source_path": str,
            "text": str,
            "claim_count": int,
            "stored_at": str,
            "replaced_at": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
    )
    db.table("article_versions").create_index(["article_id", "version"], unique=True)
    db.table("article_versions").create_index(["content_hash"])

    db.table("removed_claims").create(
        {
            "id": int,
            "claim_id": int,  # the id the claim had (SQLite may give it to a later claim)
            "article_id": int,
            "article_version": int,
            "speaker": str,
            "kind": str,
            "quote": str,
            "assertion": str,
            "removed_at": str,
            "reason": str,  # "corrected" (a later version dropped it) or "article removed"
        },
        pk="id",
    )
    db.table("removed_claims").create_index(["claim_id"])
    db.table("flags").add_column("removed_claim_id", int)
    db.execute("update meta set value = '3' where key = 'schema_version'")


@migrations()
def m004_speaker_upkeep(db: Database) -> None:
    """What speaker upkeep needs: each claim's speaker as its own article spelt the name, so the
    canonical spelling is the most frequent one and a split knows which claims go; a name an
    editor chose (`speakers rename`), which frequency never overrides; and the archive speaker a
    flag's new claim is, so filters and exports name one person however the article spelt them.
    """
    db.table("claims").add_column("speaker_spelling", str)
    db.execute("update claims set speaker_spelling = speaker")
    db.table("speakers").add_column("name_fixed", int)
    db.table("flags").add_column("speaker_id", int)
    db.execute(
        "update flags set speaker_id = (select min(speakers.id) from speakers "
        "where speakers.name = flags.speaker)"
    )
    db.table("flags").create_index(["speaker_id"])
    db.execute("update meta set value = '4' where key = 'schema_version'")


# The claims that name several speakers (a joint statement): quote search reads them for every
# speaker query, and without an index that was a scan of the whole table (0.3 s at 1M claims).
JOINT_CLAIMS_WHERE = (
    "(co_speakers is not null and co_speakers not in ('', '[]')) "
    "or speaker_mention like '% and %' or speaker_mention like '%,%' "
    "or speaker_mention like '%&%'"
)


@migrations()
def m005_joint_statements_index(db: Database) -> None:
    """A partial index of the claims whose speaker mention or co-speakers name several people,
    covering what quote search reads of them (its query repeats `JOINT_CLAIMS_WHERE` exactly,
    which is what lets SQLite use a partial index)."""
    db.execute(
        "create index if not exists claims_joint on claims"
        f"(id, speaker_id, co_speakers, speaker_mention) where {JOINT_CLAIMS_WHERE}"
    )
    db.execute("update meta set value = '5' where key = 'schema_version'")

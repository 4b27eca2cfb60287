"""`claimcheck doctor`: examine an archive for damage and repair what can be repaired safely.

Each check answers one question an operator would ask ("does every claim have a vector?") and
says how many rows are affected. Repairs are limited to what loses nothing: re-embedding claims
from their stored text, rebuilding the keyword index from the claims table, deleting vectors and
aliases that belong to nothing, switching the file to WAL. Problems whose repair would need a
judgement (an article missing some of its claims, a review flag citing a deleted claim) are
reported with what to do, never silently "fixed".
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from .archive import SCHEMA_VERSION, Store, content_hash, pending_migrations
from .archive import speakers as sp
from .embed import DEFAULT_MODEL, MODEL_ENV, Embedder, vector_to_blob

REEMBED_BATCH = 256


@dataclass
class Finding:
    """The outcome of one check."""

    code: str
    ok: bool
    summary: str  # one sentence: what was found
    count: int = 0  # rows affected
    repairable: bool = False  # `--repair` can fix it without losing anything
    advice: str | None = None  # what to do when it cannot be repaired automatically
    repaired: str | None = None  # what `--repair` did


@dataclass
class DoctorReport:
    database: str
    model: str
    schema_version: int | None
    articles: int
    claims: int
    findings: list[Finding] = field(default_factory=list)
    index: str | None = None  # milvus:URI when a Milvus index is examined too

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if not f.ok]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = not self.problems
        return data


def configured_model(model: str | None = None) -> str:
    """The embedding model name ingest and check would use (same rule as `load_embedder`)."""
    return model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def _scalar(store: Store, sql: str, params: list[Any] | None = None) -> int:
    row = store.db.execute(sql, params or []).fetchone()
    return int(row[0] or 0) if row else 0


# ------------------------------------------------------------------------------------ checks
def check_integrity(store: Store) -> Finding:
    rows = [r[0] for r in store.db.execute("PRAGMA integrity_check(20)")]
    if rows == ["ok"]:
        return Finding("integrity", True, "SQLite integrity check passed.")
    return Finding(
        "integrity",
        False,
        f"SQLite integrity check failed: {rows[0]}",
        count=len(rows),
        advice="Restore from a backup, or copy what can be read with "
        "'sqlite3 DB .recover | sqlite3 NEW.db'.",
    )


def check_schema(store: Store) -> Finding:
    pending = pending_migrations(store.db)
    version = schema_version(store)
    if pending:
        return Finding(
            "schema",
            False,
            f"Schema version {version}; migrations not applied: {', '.join(pending)}.",
            count=len(pending),
            advice="Open the database once with write access to apply them.",
        )
    if version != SCHEMA_VERSION:
        return Finding(
            "schema",
            False,
            f"meta.schema_version is {version}, expected {SCHEMA_VERSION}.",
            advice="The meta table was edited by hand; restore schema_version.",
        )
    return Finding("schema", True, f"Schema version {version}, no pending migrations.")


def schema_version(store: Store) -> int | None:
    if "meta" not in store.db.table_names():
        return None
    row = store.db.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


@dataclass(frozen=True)
class OrphanCheck:
    code: str
    problem: str  # completes "N ..."
    fine: str  # the sentence when there are none
    count_sql: str
    delete_where: str | None  # set when deleting them is a safe repair
    advice: str | None = None

    @property
    def table(self) -> str:
        return self.count_sql.split(" from ", 1)[1].split()[0]


ORPHAN_CHECKS = (
    OrphanCheck(
        "orphan_claims",
        "claim(s) belong to no stored article.",
        "Every claim belongs to a stored article.",
        "select count(*) from claims where article_id not in (select id from articles)",
        None,
        "Their article was deleted by hand; restore it, or delete the claims and their vectors.",
    ),
    OrphanCheck(
        "claims_without_speaker",
        "claim(s) name a speaker id that does not exist.",
        "Every claim's speaker exists.",
        "select count(*) from claims where speaker_id is not null "
        "and speaker_id not in (select id from speakers)",
        None,
        "Restore the speakers table from a backup, or re-ingest those articles.",
    ),
    OrphanCheck(
        "orphan_embeddings",
        "vector(s) belong to no claim.",
        "Every vector belongs to a claim.",
        "select count(*) from embeddings where claim_id not in (select id from claims)",
        "claim_id not in (select id from claims)",
    ),
    OrphanCheck(
        "orphan_aliases",
        "speaker alias(es) belong to no speaker.",
        "Every speaker alias belongs to a speaker.",
        "select count(*) from speaker_aliases where speaker_id not in (select id from speakers)",
        "speaker_id not in (select id from speakers)",
    ),
    OrphanCheck(
        "orphan_flags",
        "review flag(s) cite a stored claim that no longer exists.",
        "Every review flag cites a stored claim that exists.",
        "select count(*) from flags where stored_claim_id is not null "
        "and stored_claim_id not in (select id from claims)",
        None,
        "Review history is kept as it is; dismiss these flags in the review queue.",
    ),
)


def check_orphans(store: Store) -> list[Finding]:
    findings = []
    for check in ORPHAN_CHECKS:
        n = _scalar(store, check.count_sql)
        if not n:
            findings.append(Finding(check.code, True, check.fine))
            continue
        findings.append(
            Finding(
                check.code,
                False,
                f"{n} {check.problem}",
                count=n,
                repairable=check.delete_where is not None,
                advice=check.advice,
            )
        )
    return findings


def claims_needing_vectors(store: Store, model: str) -> list[int]:
    """Claims with no vector of `model`, a vector of another model, the wrong size, or a vector
    of text that has since changed."""
    expected_dims = _scalar(
        store,
        "select dimensions from embeddings where model = ? group by dimensions "
        "order by count(*) desc limit 1",
        [model],
    )
    rows = store.db.execute(
        "select claims.id, claims.assertion, claims.quote, embeddings.model, "
        "embeddings.dimensions, length(embeddings.vector), embeddings.content_hash "
        "from claims left join embeddings on embeddings.claim_id = claims.id"
    )
    wanted = []
    for claim_id, assertion, quote, vec_model, dims, size, digest in rows:
        if (
            vec_model != model
            or size != (dims or 0) * 4
            or (expected_dims and dims != expected_dims)
            or (digest and digest != content_hash(assertion or quote or ""))
        ):
            wanted.append(int(claim_id))
    return wanted


def vectors_of_other_models(store: Store, model: str) -> dict[str, int]:
    """Claims whose vector `repair` would replace though another model made it: {model: count}.

    Replacing them is a choice (the archive may have been built with that model on purpose), so
    the command line asks before it repairs them.
    """
    rows = store.db.execute(
        "select model, count(*) from embeddings where model != ? "
        "and claim_id in (select id from claims) group by model order by model",
        [model],
    )
    return {str(m): int(n) for m, n in rows}


def check_vectors(store: Store, model: str) -> Finding:
    wanted = claims_needing_vectors(store, model)
    if not wanted:
        return Finding("vectors", True, f"Every claim has a current vector of {model}.")
    missing = _scalar(
        store, "select count(*) from claims where id not in (select claim_id from embeddings)"
    )
    return Finding(
        "vectors",
        False,
        f"{len(wanted)} claim(s) lack a usable vector of {model} ({missing} with none at all; "
        "the rest of another model, the wrong size or stale); checks cannot find them.",
        count=len(wanted),
        repairable=True,
    )


def check_claim_counts(store: Store) -> Finding:
    n = _scalar(
        store,
        "select count(*) from articles where claim_count != "
        "(select count(*) from claims where claims.article_id = articles.id)",
    )
    if not n:
        return Finding("claim_counts", True, "Every article has all its claims.")
    return Finding(
        "claim_counts",
        False,
        f"{n} article(s) have a different number of claims than were written with them.",
        count=n,
        advice="Claims were deleted or added by hand; list them with "
        "'select id, claim_count from articles' and re-ingest from the source files.",
    )


def check_keyword_index(store: Store) -> Finding:
    if "claims_fts" not in store.db.table_names():
        return Finding(
            "keyword_index", False, "The keyword index (claims_fts) is missing.", repairable=True
        )
    claims = _scalar(store, "select count(*) from claims")
    indexed = _scalar(store, "select count(*) from claims_fts_docsize")
    in_step = indexed == claims
    if in_step:
        try:
            # rank=1 compares the index with the claims table itself, not only with itself.
            store.db.execute(
                "insert into claims_fts(claims_fts, rank) values('integrity-check', 1)"
            )
        except sqlite3.DatabaseError:
            in_step = False
    triggers = {
        r[0]
        for r in store.db.execute(
            "select name from sqlite_master where type = 'trigger' and tbl_name = 'claims'"
        )
    }
    missing_triggers = {"claims_ai", "claims_ad", "claims_au"} - triggers
    if in_step and not missing_triggers:
        return Finding("keyword_index", True, "The keyword index matches the claims.")
    summary = (
        f"The keyword index is out of step with the claims ({indexed} indexed, {claims} stored)."
        if not in_step
        else "The keyword index matches the claims, but triggers that keep it in step are missing."
    )
    return Finding("keyword_index", False, summary, abs(claims - indexed), repairable=True)


def stale_alias_keys(store: Store) -> list[tuple[int, str]]:
    """Aliases whose match key was folded by an older claimcheck: (alias id, current key)."""
    rows = store.db.execute("select id, alias, folded from speaker_aliases")
    return [(i, sp.folded_key(a)) for i, a, f in rows if sp.folded_key(a or "") != f]


def check_alias_keys(store: Store) -> Finding:
    n = len(stale_alias_keys(store))
    if not n:
        return Finding("alias_keys", True, "Every speaker alias has a current match key.")
    return Finding(
        "alias_keys",
        False,
        f"{n} speaker alias(es) have a match key from an older claimcheck; new articles may "
        "not be matched to those speakers.",
        count=n,
        repairable=True,
    )


def check_journal(store: Store) -> Finding:
    mode = store.db.execute("PRAGMA journal_mode").fetchone()[0].lower()
    if mode == "wal" or store.path == ":memory:":
        return Finding("journal", True, "WAL mode: readers and a writer can work at once.")
    return Finding(
        "journal",
        False,
        f"Journal mode is {mode}: concurrent use will wait on locks.",
        repairable=not store.read_only,
    )


def check_milvus(store: Store, model: str, spec: str) -> Finding:
    """Whether the Milvus index holds exactly the database's vectors of `model`."""
    from .archive import MilvusIndex, parse_index_spec

    try:
        problems = MilvusIndex(store, model, parse_index_spec(spec)).verify()
    except Exception as exc:  # a server that cannot be reached is a finding, not a crash
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return Finding(
            "milvus",
            False,
            f"Cannot read the Milvus index {spec}: {first}",
            advice=(
                "Check that the Milvus server is running and reachable, then run doctor again."
            ),
        )
    if not problems:
        return Finding("milvus", True, f"The Milvus index {spec} holds the database's vectors.")
    return Finding(
        "milvus",
        False,
        f"Milvus index {spec}: " + "; ".join(problems) + ".",
        count=len(problems),
        repairable=True,
    )


def examine(store: Store, model: str | None = None, index: str | None = None) -> DoctorReport:
    """Every check, read-only; `index` (milvus:URI) checks that Milvus index too."""
    model = configured_model(model)
    report = DoctorReport(
        database=store.path,
        model=model,
        schema_version=schema_version(store),
        articles=_scalar(store, "select count(*) from articles"),
        claims=_scalar(store, "select count(*) from claims"),
        index=index if index and index.startswith("milvus:") else None,
    )
    report.findings.append(check_integrity(store))
    report.findings.append(check_schema(store))
    report.findings.append(check_journal(store))
    report.findings.extend(check_orphans(store))
    report.findings.append(check_claim_counts(store))
    report.findings.append(check_vectors(store, model))
    report.findings.append(check_keyword_index(store))
    report.findings.append(check_alias_keys(store))
    if report.index:
        report.findings.append(check_milvus(store, model, report.index))
    return report


# ------------------------------------------------------------------------------------ repairs
def _bump_vectors_generation(store: Store) -> None:
    store.db.execute(
        "update meta set value = cast(value as integer) + 1 where key = 'vectors_generation'"
    )


def reembed_claims(store: Store, claim_ids: list[int], embedder: Embedder) -> int:
    """Replace the vectors of these claims with `embedder`'s, from their stored text."""
    done = 0
    for start in range(0, len(claim_ids), REEMBED_BATCH):
        chunk = claim_ids[start : start + REEMBED_BATCH]
        marks = ",".join("?" * len(chunk))
        rows = store.db.execute(
            f"select id, coalesce(nullif(assertion, ''), quote) from claims where id in ({marks})",
            chunk,
        ).fetchall()
        vectors = embedder.encode([text for _, text in rows])
        with store.db.atomic():
            store.db.table("embeddings").upsert_all(
                (
                    {
                        "claim_id": claim_id,
                        "model": embedder.name,
                        "dimensions": int(vectors.shape[1]),
                        "vector": vector_to_blob(vec),
                        "content_hash": content_hash(text),
                    }
                    for (claim_id, text), vec in zip(rows, vectors, strict=True)
                ),
                pk="claim_id",
            )
            _bump_vectors_generation(store)
        done += len(rows)
    return done


def _delete_orphans(store: Store, table: str, where: str) -> int:
    with store.db.atomic():
        cursor = store.db.execute(f"delete from [{table}] where {where}")
        if table == "embeddings":
            _bump_vectors_generation(store)
    return int(cursor.rowcount)


def _rebuild_keyword_index(store: Store) -> None:
    with store.db.atomic():
        if "claims_fts" not in store.db.table_names():
            store.db.table("claims").enable_fts(
                ["quote", "assertion"], create_triggers=True, tokenize="porter"
            )
        else:
            # replace=True recreates the sync triggers when one was dropped.
            store.db.table("claims").enable_fts(
                ["quote", "assertion"], create_triggers=True, tokenize="porter", replace=True
            )
        store.db.execute("insert into claims_fts(claims_fts) values('rebuild')")


def repair(
    store: Store, report: DoctorReport, load_embedder: Callable[[str], Embedder]
) -> DoctorReport:
    """Fix every repairable finding, then examine again; the new report says what was done."""
    done: dict[str, str] = {}
    problems = {f.code: f for f in report.problems if f.repairable}
    if "journal" in problems:
        store.db.execute("PRAGMA journal_mode = WAL")
        done["journal"] = "Switched the database to WAL mode."
    for check in ORPHAN_CHECKS:
        if check.code in problems and check.delete_where:
            n = _delete_orphans(store, check.table, check.delete_where)
            done[check.code] = f"Deleted {n} row(s) of {check.table} that belonged to nothing."
    if "vectors" in problems:
        embedder = load_embedder(report.model)
        n = reembed_claims(store, claims_needing_vectors(store, report.model), embedder)
        done["vectors"] = f"Embedded {n} claim(s) again with {embedder.name}."
    if "alias_keys" in problems:
        stale = stale_alias_keys(store)
        with store.db.atomic():
            store.db.conn.executemany(
                "update speaker_aliases set folded = ? where id = ?", [(k, i) for i, k in stale]
            )
        done["alias_keys"] = f"Recomputed the match keys of {len(stale)} speaker alias(es)."
    if "keyword_index" in problems:
        _rebuild_keyword_index(store)
        done["keyword_index"] = "Rebuilt the keyword index from the claims table."
    if "milvus" in problems and report.index:  # after re-embedding: it copies the new vectors
        from .archive import MilvusIndex, parse_index_spec

        index = MilvusIndex(store, report.model, parse_index_spec(report.index))
        n = index.rebuild()
        done["milvus"] = f"Rebuilt the Milvus index from the database ({n} vector(s))."
    after = examine(store, report.model, report.index)
    for finding in after.findings:
        finding.repaired = done.get(finding.code)
    return after

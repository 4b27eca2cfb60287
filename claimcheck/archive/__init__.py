"""The archive: stored articles, speakers, claims and their vectors in one SQLite file.

- `Store`: the archive database, opened for safe concurrent use; reads and writes whole articles
- `ingest_paths`: article files into claims with vectors in the store, in batches
- `store_articles`: already-read articles into the store (extracted, embedded, written)
- `claim_texts`: what is embedded for each claim of an extraction
- `load_index`: the archive's vectors as a matrix for nearest-neighbour search
- `speakers`: one speaker's names across articles (folded spellings, surnames, aliases)
- `content_hash`, `now`, `insert_row`, `claim_fields`, `claim_json`: row helpers for other tables
- `database_error`: an sqlite3 error as one sentence naming the database
- `fts_query`: a user's search words as an FTS5 query that never parses as syntax
- `SCHEMA_VERSION`, `pending_migrations`: the schema, applied as named migrations
- `DB_ENV`, `DEFAULT_DB`: where the database is, by default
"""

from . import speakers
from .connection import database_error
from .index import VectorIndex, load_index
from .ingest import IngestSummary, claim_texts, ingest_paths, store_articles
from .migrations import SCHEMA_VERSION, pending_migrations
from .search import fts_query
from .store import (
    DB_ENV,
    DEFAULT_DB,
    Store,
    claim_fields,
    claim_json,
    content_hash,
    insert_row,
    now,
)

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "SCHEMA_VERSION",
    "IngestSummary",
    "Store",
    "VectorIndex",
    "claim_fields",
    "claim_json",
    "claim_texts",
    "content_hash",
    "database_error",
    "fts_query",
    "ingest_paths",
    "insert_row",
    "load_index",
    "now",
    "pending_migrations",
    "speakers",
    "store_articles",
]

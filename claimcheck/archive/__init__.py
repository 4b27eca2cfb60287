"""The archive: stored articles, speakers, claims and their vectors in one SQLite file.

- `Store`: the archive database, opened for safe concurrent use; reads and writes whole articles
- `ingest_paths`: article files into claims with vectors in the store, in batches
- `write_version`: one article stored as new, as a correction of a stored one, or not at all
- `list_articles`, `remove_article`: stored articles, and deleting one with its claims; a
  corrected story replaces the one it corrects (`articles.py`, `identity.py`)
- `store_articles`: already-read articles into the store (extracted, embedded, written)
- `claim_texts`: what is embedded for each claim of an extraction
- `load_index`: the archive's vectors as a matrix for nearest-neighbour search
- `milvus_index`, `MilvusIndex`, `parse_index_spec`: the vectors in Milvus instead (`--index
  milvus:URI`), a derived index kept level with SQLite; pymilvus loads only when used
- `speakers`: one speaker's names across articles (folded spellings, surnames, aliases)
- `speaker_upkeep`: merging, splitting and renaming speakers, adding and removing aliases
- `resolve_roles`: "The mayor said" as the person the article names as mayor
- `search_quotes`, `QuoteQuery`, `SORTS`: quote search by speaker, co-speaker, date, outlet, kind
- `content_hash`, `now`, `insert_row`, `claim_fields`, `claim_json`: row helpers for other tables
- `database_error`: an sqlite3 error as one sentence naming the database
- `backup_database`: a consistent copy of the database (SQLite's online backup API)
- `check_output_path`, `output_file`: writing a file that is never the database, and appears
  whole or not at all
- `write_archive`, `import_archive`, `archive_counts_line`: the portable archive (JSON lines)
  of everything stored, and restoring it into an empty database
- `fts_query`: a user's search words as an FTS5 query that never parses as syntax
- `whole_stored`: stored claims as listed and searched, a quotation of several sentences whole
- `SCHEMA_VERSION`, `pending_migrations`: the schema, applied as named migrations
- `DB_ENV`, `DEFAULT_DB`: where the database is, by default
"""

# lean_import first: it imports sqlite_utils without pandas before any module below needs it
from . import lean_import, speaker_upkeep, speakers  # noqa: F401
from .articles import ArticleRow, WriteResult, list_articles, remove_article, write_version
from .backup import BackupSummary, backup_database, check_output_path, output_file
from .connection import database_error
from .index import VectorIndex, load_index
from .ingest import IngestSummary, claim_texts, ingest_paths, store_articles
from .migrations import SCHEMA_VERSION, pending_migrations
from .milvus import MilvusIndex, milvus_index
from .milvus import parse_spec as parse_index_spec
from .portable import ArchiveSummary, archive_counts_line, import_archive, write_archive
from .quote_search import SORTS, QuoteQuery, search_quotes
from .roles import resolve_roles
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
from .whole_quotes import whole_stored

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "SCHEMA_VERSION",
    "SORTS",
    "ArchiveSummary",
    "ArticleRow",
    "BackupSummary",
    "IngestSummary",
    "MilvusIndex",
    "QuoteQuery",
    "Store",
    "VectorIndex",
    "WriteResult",
    "archive_counts_line",
    "backup_database",
    "check_output_path",
    "claim_fields",
    "claim_json",
    "claim_texts",
    "content_hash",
    "database_error",
    "fts_query",
    "import_archive",
    "ingest_paths",
    "insert_row",
    "list_articles",
    "load_index",
    "milvus_index",
    "now",
    "output_file",
    "parse_index_spec",
    "pending_migrations",
    "remove_article",
    "resolve_roles",
    "search_quotes",
    "speaker_upkeep",
    "speakers",
    "store_articles",
    "whole_stored",
    "write_archive",
    "write_version",
]

"""Importing sqlite-utils without pandas.

sqlite-utils imports pandas when it is installed (the optional Milvus index's client brings it
in) only to map a `pandas.Timestamp` value to a TEXT column. claimcheck never stores pandas
values, and importing pandas costs about 0.3 s of every command's start (a third of a fresh
`check`'s imports), so sqlite-utils is imported with pandas hidden. pandas stays importable for
anything that wants it afterwards (pymilvus does).

Importing this module does it; `archive/__init__.py` imports it before any module that imports
sqlite_utils.
"""

from __future__ import annotations

import sys


def import_sqlite_utils_without_pandas() -> None:
    """Import sqlite_utils with pandas hidden, unless either is imported already (then hiding
    changes nothing: sqlite-utils sees the pandas it would have seen)."""
    if "sqlite_utils" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # makes `import pandas` fail
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["pandas"]


import_sqlite_utils_without_pandas()

"""Reading input: bytes from a file, standard input or a web form, into an `Article`.

Decoding is explicit (BOMs, UTF-8, then Windows-1252), line endings are normalised to LF, and
every offset claimcheck reports is into the text as returned here. Metadata comes from, in order:
options given by the user, Markdown front matter, a sidecar `NAME.json` beside the file, a
dateline naming the outlet (`ISTANBUL, May 16 (Meridian Wire) -`), and the first line as title.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError
from .models import Article

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".html", ".htm")
MAX_ARTICLE_BYTES = 2_000_000  # ~300,000 words: far beyond any article; bounds time and memory

_BINARY_SIGNATURES = (
    b"\x89PNG",
    b"\x1f\x8b",
    b"PK\x03\x04",
    b"%PDF",
    b"GIF8",
    b"\xff\xd8\xff",
    b"SQLite format 3",
    b"\x7fELF",
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)
_DATELINE_OUTLET = re.compile(
    r"^[A-Z][A-Za-z .'\-]+,\s+[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,\s*\d{4})?\s+\(([^)\n]{2,60})\)\s*[-–—]",
    re.M,
)
_HTML = re.compile(r"^\s*(?:<!doctype html|<html\b|<head\b|<body\b)", re.I)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Text from bytes, or an InputError saying why not."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{name} is {len(data):,} bytes; claimcheck reads articles up to "
            f"{MAX_ARTICLE_BYTES:,} bytes."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8", name)
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _decode(data, "utf-32", name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", name)
    if data.startswith(_BINARY_SIGNATURES) or b"\x00" in data[:8192]:
        raise InputError(f"{name} is a binary file, not text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: newsroom systems still emit Windows-1252 (a superset of Latin-1 for text).
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is neither UTF-8 nor Windows-1252 text.") from exc
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(text) / 100:
        raise InputError(f"{name} is a binary file, not text.")
    return text


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} starts with a {encoding} byte-order mark but is not valid {encoding}.") from exc


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def html_to_text(html: str, name: str) -> str:
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise InputError(f"{name} is an HTML page and trafilatura is not installed.") from exc
    extracted = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not extracted or not extracted.strip():
        raise InputError(f"{name} is an HTML page with no article text that could be extracted.")
    return extracted


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Simple `key: value` front matter (the subset newsroom exports use) and the body."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        if ":" not in line or line.startswith((" ", "\t", "#")):
            continue
        key, value = line.split(":", 1)
        value = value.strip().strip("'\"")
        if value:
            meta[key.strip().lower()] = value
    return meta, text[match.end() :]


def article_from_text(
    text: str,
    *,
    name: str = "input",
    outlet: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    sidecar: dict[str, str] | None = None,
) -> Article:
    """An Article from decoded text, with metadata resolved and the text checked."""
    text = normalise_newlines(text)
    if _HTML.match(text):
        text = normalise_newlines(html_to_text(text, name))
    meta, body = parse_front_matter(text)
    meta = {**(sidecar or {}), **meta}
    if not body.strip():
        raise InputError(f"{name} is empty: there is no article text to read.")
    if not any(ch.isalpha() for ch in body):
        raise InputError(f"{name} has no words in it.")
    if outlet is None:
        outlet = meta.get("outlet")
    if outlet is None:
        dateline = _DATELINE_OUTLET.search(body[:2000])
        outlet = dateline.group(1).strip() if dateline else None
    if title is None:
        title = meta.get("title") or body.strip().splitlines()[0].strip()[:300]
    published = published or meta.get("published") or meta.get("date")
    if published and not _ISO_DATE.match(published):
        raise InputError(f"Published date {published!r} is not a date like 2025-05-16.")
    return Article(
        text=body,
        outlet=outlet,
        title=title,
        url=url or meta.get("url"),
        published=published,
        source_path=None,
    )


def read_article(path: str | Path, **options: str | None) -> Article:
    """Read one article file (text, Markdown or HTML)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{p} does not exist.") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{p} is a directory, not an article file.") from exc
    except PermissionError as exc:
        raise InputError(f"{p} cannot be read: permission denied.") from exc
    except OSError as exc:
        raise InputError(f"{p} cannot be read: {exc.strerror or exc}.") from exc
    text = decode_bytes(data, str(p))
    article = article_from_text(text, name=str(p), sidecar=read_sidecar(p), **options)
    article.source_path = str(p)
    return article


def read_sidecar(path: Path) -> dict[str, str]:
    """Metadata from `NAME.json` beside `NAME.txt`, when there is one."""
    sidecar = path.with_suffix(".json")
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{sidecar} is not valid JSON metadata: {exc}.") from exc
    if not isinstance(data, dict):
        raise InputError(f"{sidecar} must hold a JSON object of article metadata.")
    return {str(k).lower(): str(v) for k, v in data.items() if v is not None}


def article_paths(paths: list[str]) -> Iterator[Path]:
    """Every article file named, folders walked in sorted order; errors for missing paths."""
    for raw in paths:
        if not Path(raw).exists():
            raise InputError(f"{raw} does not exist.")
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = False
            for child in sorted(p.rglob("*")):
                if child.is_file() and child.suffix.lower() in ARTICLE_SUFFIXES:
                    found = True
                    yield child
            if not found:
                raise InputError(f"{p} holds no article files ({', '.join(ARTICLE_SUFFIXES)}).")
        else:
            yield p

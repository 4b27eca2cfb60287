"""Reading input: bytes from a file, standard input or a web form, into an `Article`.

Decoding is explicit (BOMs, UTF-8, UTF-16 without a BOM, then Windows-1252), line endings are
normalised to LF, the text is NFC-normalised and stripped of invisible format characters
(zero-width spaces, soft hyphens, bidirectional overrides), and every offset claimcheck reports is
into the text as returned here. HTML is reduced to its article text; binary files, empty files and
files over `MAX_ARTICLE_BYTES`, text over `MAX_ARTICLE_CHARS` and "sentences" longer than
`MAX_SENTENCE_CHARS` are refused with one sentence (docs/guarantees.md).

Metadata comes from, in order: options given by the user, Markdown front matter, a sidecar
`NAME.json` beside the file, a dateline naming the outlet (`ISTANBUL, May 16 (Meridian Wire) -`),
and the first line as title.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from .errors import InputError
from .models import Article

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".html", ".htm")
# A file is read only up to MAX_ARTICLE_BYTES (an HTML page may be mostly markup). The article text
# itself is limited to MAX_ARTICLE_CHARS, about 30,000 words, four times the longest long-read: the
# parse needs ~4 KB of memory per character (1.1 GB at 200,000) and spaCy refuses a text over
# 1,000,000 characters outright.
MAX_ARTICLE_BYTES = 2_000_000
MAX_ARTICLE_CHARS = 200_000
# The extractor's cost grows with the square of a sentence's length (10,000 characters without a
# break take 2 s, 95,000 take 4 minutes); no prose has a sentence of 5,000 characters.
MAX_SENTENCE_CHARS = 5_000
_UNBROKEN = re.compile(rf"[^.!?\n\u3002\uff01\uff1f\u061f]{{{MAX_SENTENCE_CHARS + 1},}}")

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
    r"^[A-Z][A-Za-z .'\-]+,\s+[A-Z][a-z]{2,9}\.?\s+\d{1,2}(?:,\s*\d{4})?\s+"
    r"\(([^)\n]{2,60})\)\s*[-–—]",
    re.M,
)
_HTML = re.compile(r"^\s*(?:<!doctype html|<html\b|<head\b|<body\b)", re.I)
# Block-level tags of an HTML fragment pasted without <html> (a CMS export, a copied page body).
_HTML_TAG = re.compile(
    r"</?(?:p|div|span|article|section|br|a|h[1-6]|li|ul|ol|em|strong|b|i|blockquote|figure|"
    r"img|table|td|tr|script|style|meta|link)\b[^>]*>",
    re.I,
)
_HTML_SUFFIXES = (".html", ".htm")
# Invisible characters that carry no words but break name matching and offsets a reader can see:
# zero-width space, word joiner, BOM, soft hyphen, and the bidirectional marks, embeddings,
# overrides and isolates (which can also make a quote display reversed: "Trojan source").
# ZWJ/ZWNJ stay: they are part of spelling in Persian and Indic scripts.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x2060, 0xFEFF, 0x00AD, 0x200E, 0x200F, 0x061C]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
# Line and paragraph separators that str.splitlines() honours but a reader of the file would not
# see as ordinary newlines; other control characters (from a bad export) are dropped.
_AS_NEWLINE = {
    0x0B: "\n",
    0x0C: "\n",
    0x85: "\n",
    0x1C: "\n",
    0x1D: "\n",
    0x1E: "\n",
    0x2028: "\n",
    0x2029: "\n\n",
}
_CONTROLS = dict.fromkeys(
    c for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n\r"
)
_CLEAN_TABLE = {**_CONTROLS, **_INVISIBLE, **_AS_NEWLINE}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Text from bytes, or an InputError saying why not."""
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(
            # Callers may read only MAX_ARTICLE_BYTES + 1 bytes, so the true size is unknown here.
            f"{name} is more than {MAX_ARTICLE_BYTES:,} bytes; claimcheck reads articles up to "
            f"{MAX_ARTICLE_BYTES:,} bytes."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8", name)
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _decode(data, "utf-32", name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", name)
    if data.startswith(_BINARY_SIGNATURES):
        raise InputError(f"{name} is a binary file, not text.")
    if b"\x00" in data[:8192]:
        bomless = _bomless_utf16(data)
        if bomless is None:
            raise InputError(f"{name} is a binary file, not text.")
        return _decode(data, bomless, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: newsroom systems still emit Windows-1252 (a superset of Latin-1 for text).
    # Five byte values are undefined in Windows-1252; ISO-8859-1 maps them (to C1 controls, which
    # the cleaning step drops), so genuine Latin-1 text with a stray byte still reads.
    text = data.decode("cp1252", errors="latin1_fallback")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(text) / 100:
        raise InputError(f"{name} is a binary file, not text.")
    return text


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    bad = exc.object[exc.start : exc.end]
    return bad.decode("latin-1"), exc.end


codecs.register_error("latin1_fallback", _latin1_fallback)


def _bomless_utf16(data: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when the bytes look like UTF-16 text saved without a BOM.

    Mostly-ASCII text in UTF-16 has a zero in every other byte; binary data does not.
    """
    sample = data[:8192]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not valid {encoding} text.") from exc


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str) -> str:
    """LF newlines, NFC, and no invisible or control characters: the text offsets point into."""
    text = normalise_newlines(text).translate(_CLEAN_TABLE)
    return unicodedata.normalize("NFC", text)


def looks_like_html(text: str) -> bool:
    """A whole page, or a fragment whose tags are a noticeable part of the text."""
    if _HTML.match(text):
        return True
    head = text[:20_000]
    tags = _HTML_TAG.findall(head)
    return len(tags) >= 3 and sum(map(len, tags)) > 0.02 * len(head)


def html_to_text(html: str, name: str) -> str:
    try:
        import trafilatura
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise InputError(f"{name} is an HTML page and trafilatura is not installed.") from exc
    extracted = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not extracted or not extracted.strip():
        # trafilatura wants a page with some boilerplate to tell apart; a short fragment gets none.
        extracted = _fragment_text(html)
    if not extracted.strip() or _HTML_TAG.search(extracted):
        raise InputError(f"{name} is an HTML page with no article text that could be extracted.")
    return extracted


def _fragment_text(html: str) -> str:
    """The paragraphs of an HTML fragment, one per line, without scripts, styles or navigation."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (ParserError, ValueError):
        return ""
    for junk in root.xpath("//script|//style|//nav|//header|//footer|//aside|//form|//noscript"):
        junk.drop_tree()
    blocks = root.xpath("//p|//h1|//h2|//h3|//h4|//li|//blockquote")
    texts = [" ".join(b.text_content().split()) for b in blocks] or [root.text_content()]
    return "\n\n".join(t for t in texts if t)


def check_length(body: str, name: str) -> None:
    """Refuse text too long to extract in bounded time and memory, saying which limit it broke."""
    if len(body) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"{name} has {len(body):,} characters of text; claimcheck reads articles up to "
            f"{MAX_ARTICLE_CHARS:,} characters."
        )
    unbroken = _UNBROKEN.search(body)
    if unbroken:
        raise InputError(
            f"{name} has {unbroken.end() - unbroken.start():,} characters without a sentence "
            f"break (from character {unbroken.start():,}); claimcheck reads prose whose "
            f"sentences are under {MAX_SENTENCE_CHARS:,} characters."
        )


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
    is_html: bool = False,
) -> Article:
    """An Article from decoded text, with metadata resolved and the text checked."""
    if len(text) > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{name} is {len(text):,} characters; claimcheck reads articles up to "
            f"{MAX_ARTICLE_BYTES:,}."
        )
    text = clean_text(text)
    if is_html or looks_like_html(text):
        text = clean_text(html_to_text(text, name))
    meta, body = parse_front_matter(text)
    meta = {**(sidecar or {}), **meta}
    if not body.strip():
        raise InputError(f"{name} is empty: there is no article text to read.")
    if not any(ch.isalpha() for ch in body):
        raise InputError(f"{name} has no words in it.")
    check_length(body, name)
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
        with open(p, "rb") as fh:
            # Read one byte past the limit: enough to refuse a huge file without loading it.
            data = fh.read(MAX_ARTICLE_BYTES + 1)
    except FileNotFoundError as exc:
        raise InputError(f"{p} does not exist.") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{p} is a directory, not an article file.") from exc
    except PermissionError as exc:
        raise InputError(f"{p} cannot be read: permission denied.") from exc
    except OSError as exc:
        raise InputError(f"{p} cannot be read: {exc.strerror or exc}.") from exc
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{p} is {p.stat().st_size:,} bytes; claimcheck reads articles up to "
            f"{MAX_ARTICLE_BYTES:,} bytes."
        )
    text = decode_bytes(data, str(p))
    article = article_from_text(
        text,
        name=str(p),
        sidecar=read_sidecar(p),
        is_html=p.suffix.lower() in _HTML_SUFFIXES,
        **options,  # type: ignore[arg-type]
    )
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

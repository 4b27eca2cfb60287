"""Text into an `Article`: HTML reduced to its article text, metadata resolved, length checked.

The text is cleaned (`text.clean_text`) before and after HTML extraction, and every offset
claimcheck reports is into the text as returned here. Empty files, text over `MAX_ARTICLE_CHARS`
and "sentences" longer than `MAX_SENTENCE_CHARS` are refused with one sentence
(docs/guarantees.md).

Metadata comes from, in order: options given by the user, Markdown front matter, a sidecar
`NAME.json` beside the file, a dateline naming the outlet (`ISTANBUL, May 16 (Meridian Wire) -`),
and the first line as title.
"""

from __future__ import annotations

import datetime
import errno
import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InputError
from ..models import Article
from .markdown import looks_like_markdown, markdown_to_text
from .metadata import html_metadata
from .paragraphs import unwrap
from .text import (
    MAX_ARTICLE_BYTES,
    clean_text,
    decode_bytes,
    display_name,
    unsafe_character,
)

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".text", ".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
JSONL_SUFFIXES = (".jsonl", ".ndjson")  # batches of articles, one a line (read/jsonl.py)
INPUT_SUFFIXES = ARTICLE_SUFFIXES + JSONL_SUFFIXES
# A file is read only up to MAX_ARTICLE_BYTES (text.py). The article text itself is limited to
# MAX_ARTICLE_CHARS, about 30,000 words, four times the longest long-read: the parse needs ~4 KB
# of memory per character (1.1 GB at 200,000) and spaCy refuses a text over 1,000,000 characters
# outright.
MAX_ARTICLE_CHARS = 200_000
# The extractor's cost grows with the square of a sentence's length (10,000 characters without a
# break take 2 s, 95,000 take 4 minutes); no prose has a sentence of 5,000 characters.
MAX_SENTENCE_CHARS = 5_000
_UNBROKEN = re.compile(rf"[^.!?\n\u3002\uff01\uff1f\u061f]{{{MAX_SENTENCE_CHARS + 1},}}")

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
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SIDECAR_KEYS = ("outlet", "title", "url", "published", "date")  # the keys claimcheck reads


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
    if not extracted.strip() or _HTML_TAG.search(extracted) or not _has_prose(html):
        raise InputError(f"{name} is an HTML page with no article text that could be extracted.")
    return extracted


# What a page has besides its article: navigation, links, scripts, forms. A page with nothing else
# (a menu, a login wall, a script-built app shell) has no article, whatever the extractor returns.
_NOT_PROSE = (
    "//head|//script|//style|//noscript|//template|//nav|//header|//footer|//aside|//form|"
    "//menu|//button|//select|//a|//svg|//iframe"
)


def _has_prose(html: str) -> bool:
    """Whether the page has at least a few words outside navigation, links and scripts."""
    import lxml.html
    from lxml.etree import LxmlError

    try:
        root = lxml.html.fromstring(html)
    except (LxmlError, ValueError):
        return False
    for junk in root.xpath(_NOT_PROSE):
        if junk is not root:
            junk.drop_tree()
    words = [w for w in root.text_content().split() if any(ch.isalpha() for ch in w)]
    return len(words) >= 3


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
    is_markdown: bool | None = None,
) -> Article:
    """An Article from decoded text, with metadata resolved and the text checked.

    HTML is reduced to its article text and its own metadata (read/metadata.py); Markdown
    (`is_markdown`, or None to tell from the text) to the prose it renders (read/markdown.py);
    hard-wrapped text to one paragraph a line (read/paragraphs.py).
    """
    if len(text) > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{name} is {len(text):,} characters; claimcheck reads articles up to "
            f"{MAX_ARTICLE_BYTES:,}."
        )
    text = clean_text(text)
    page_meta: dict[str, str] = {}
    if is_html or looks_like_html(text):
        page_meta = html_metadata(text)
        text = clean_text(html_to_text(text, name))
        is_html, is_markdown = True, False
    meta, body = parse_front_matter(text)
    meta = {**page_meta, **(sidecar or {}), **meta}
    if is_markdown or (is_markdown is None and looks_like_markdown(body)):
        body = markdown_to_text(body)
    elif not is_html:
        body = unwrap(body)
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
    if published and not _is_calendar_date(published):
        raise InputError(f"Published date {published!r} is not a date like 2025-05-16.")
    return Article(
        text=body,
        outlet=outlet,
        title=title,
        url=url or meta.get("url"),
        published=published,
        source_path=None,
        author=meta.get("author"),
    )


def _is_calendar_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:  # 2025-13-45, 2025-02-30
        return False
    return True


def _path_error(p: Path | str, exc: OSError) -> InputError:
    """One sentence for a path that cannot be looked at or opened."""
    p = display_name(p)
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{p} does not exist.")
    if isinstance(exc, IsADirectoryError):
        return InputError(f"{p} is a directory, not an article file.")
    if isinstance(exc, PermissionError):
        return InputError(f"{p} cannot be read: permission denied.")
    if exc.errno == errno.ELOOP:
        return InputError(f"{p} is a symbolic link that loops back on itself.")
    return InputError(f"{p} cannot be read: {exc.strerror or exc}.")


def _refuse_special(p: Path | str, mode: int) -> None:
    """Only regular files are articles: a FIFO would block for ever, a device never ends."""
    if stat.S_ISREG(mode):
        return
    p = display_name(p)
    if stat.S_ISDIR(mode):
        raise InputError(f"{p} is a directory, not an article file.")
    if stat.S_ISFIFO(mode):
        raise InputError(f"{p} is a named pipe (FIFO), not an article file.")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InputError(f"{p} is a device, not an article file.")
    if stat.S_ISSOCK(mode):
        raise InputError(f"{p} is a socket, not an article file.")
    raise InputError(f"{p} is a special file, not an article file.")


def read_article(path: str | Path, **options: str | None) -> Article:
    """Read one article file (text, Markdown or HTML); anything but a regular file is refused."""
    p = Path(path)
    try:
        # Look before opening: opening a FIFO for reading blocks until a writer comes.
        _refuse_special(p, os.stat(p).st_mode)
        # O_NONBLOCK: should the path become a FIFO after the look, the open still returns.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as fh:
            _refuse_special(p, os.fstat(fh.fileno()).st_mode)
            # Read one byte past the limit: enough to refuse a huge file without loading it.
            data = fh.read(MAX_ARTICLE_BYTES + 1)
    except OSError as exc:
        raise _path_error(p, exc) from exc
    # The name as printable, storable text: a file name is bytes, not necessarily UTF-8.
    name = display_name(p)
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{name} is {p.stat().st_size:,} bytes; claimcheck reads articles up to "
            f"{MAX_ARTICLE_BYTES:,} bytes."
        )
    text = decode_bytes(data, name)
    article = article_from_text(
        text,
        name=name,
        sidecar=read_sidecar(p),
        is_html=p.suffix.lower() in _HTML_SUFFIXES,
        is_markdown=True if p.suffix.lower() in MARKDOWN_SUFFIXES else None,
        **options,  # type: ignore[arg-type]
    )
    article.source_path = name
    return article


def read_sidecar(path: Path) -> dict[str, str]:
    """Metadata from `NAME.json` beside `NAME.txt`, when there is one."""
    sidecar = path.with_suffix(".json")
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{display_name(sidecar)} is not valid JSON metadata: {exc}.") from exc
    if not isinstance(data, dict):
        raise InputError(f"{display_name(sidecar)} must hold a JSON object of article metadata.")
    meta = {str(k).lower(): str(v) for k, v in data.items() if v is not None}
    for key, value in meta.items():
        bad = unsafe_character(value) if key in _SIDECAR_KEYS else None
        if bad:
            # An escape sequence stored as an outlet would be replayed on every terminal.
            raise InputError(
                f"{display_name(sidecar)}: the {ascii(key)} value holds the character {bad}; "
                "metadata must be plain text on one line."
            )
    return meta


def unknown_type(path: Path) -> str | None:
    """Why a file is not read as an article (its type), or None when it is one.

    A file without a suffix is read as text; one with a suffix claimcheck does not read
    (.pdf, .docx, .json, .csv) is refused rather than read as text.
    """
    suffix = path.suffix.lower()
    if not suffix or suffix in INPUT_SUFFIXES:
        return None
    hint = " (a .json file beside an article is its metadata; a batch is .jsonl)"
    return f"{suffix} files are not articles; claimcheck reads {', '.join(INPUT_SUFFIXES)}" + (
        hint if suffix == ".json" else ""
    )


def _is_sidecar(path: Path) -> bool:
    return path.suffix.lower() == ".json" and any(
        path.with_suffix(s).is_file() for s in ARTICLE_SUFFIXES
    )


def article_paths(
    paths: list[str], on_skip: Callable[[str, str], None] | None = None
) -> Iterator[Path]:
    """Every article file named, folders walked in sorted order.

    A named path that is missing, loops, is a FIFO, a device or another special file, or is of a
    type claimcheck does not read, is refused before any file is read. Inside a folder only
    regular article files are listed; other files (not sidecars, not hidden) are passed to
    `on_skip` by name with the reason.
    """
    for raw in paths:
        try:
            mode = os.stat(raw).st_mode
        except OSError as exc:  # missing, a symbolic link loop, no permission
            raise _path_error(raw, exc) from exc
        if not stat.S_ISDIR(mode):
            _refuse_special(raw, mode)  # a FIFO or a device named: refused before anything opens
            why = unknown_type(Path(raw))
            if why:
                raise InputError(f"{display_name(raw)} is not an article file: {why}.")
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = False
            for child in sorted(p.rglob("*")):
                if not child.is_file() or child.name.startswith("."):
                    continue
                if child.suffix.lower() in INPUT_SUFFIXES:
                    found = True
                    yield child
                elif on_skip and not _is_sidecar(child):
                    why = unknown_type(child) or "files without a suffix are not read in a folder"
                    on_skip(display_name(child), why)
            if not found:
                raise InputError(
                    f"{display_name(p)} holds no article files ({', '.join(INPUT_SUFFIXES)})."
                )
        else:
            yield p

"""JSON lines batches: one article a line, for `claimcheck ingest` and `claimcheck check`.

Each non-blank line is a JSON object (docs/json.md):

    {"text": "...", "title": "...", "outlet": "...", "url": "...", "published": "2025-05-16",
     "author": "..."}

with exactly one of `text` (plain text or Markdown) and `html` (a page, whose own metadata
fills what the line leaves out), and the other keys optional. A batch is read whole before any
of it is used: one bad line (not JSON, not an object, a missing or doubled body, an unknown key,
a value that is not text, a date that is not a date, an article the reader refuses) refuses the
whole file with an error naming the file and the line, so that nothing from it is stored.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import unicodedata
from pathlib import Path

from ..errors import InputError
from ..models import Article
from .article import JSONL_SUFFIXES, article_from_text, read_article
from .text import display_name

# A batch holds many articles, each up to the reader's limit; the file as a whole is bounded too.
MAX_BATCH_BYTES = 200_000_000
MAX_BATCH_ARTICLES = 10_000
FIELDS = ("text", "html", "title", "outlet", "url", "published", "author")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


def read_articles(path: str | Path, **options: str | None) -> list[Article]:
    """The articles of one input file: every line of a JSON lines batch, else the one article."""
    p = Path(path)
    if p.suffix.lower() in JSONL_SUFFIXES:
        return read_jsonl(p, display_name(p), **options)
    return [read_article(p, **options)]


def read_jsonl(path: Path, name: str, **options: str | None) -> list[Article]:
    """Every article of a JSON lines batch, or an InputError naming the first bad line."""
    try:
        size = os.stat(path).st_size
        if size > MAX_BATCH_BYTES:
            raise InputError(
                f"{name} is {size:,} bytes; claimcheck reads batches up to {MAX_BATCH_BYTES:,} "
                "bytes (split it into several files)."
            )
        with open(path, "rb") as fh:
            data = fh.read(MAX_BATCH_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{name} cannot be read: {exc.strerror or exc}.") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    articles: list[Article] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        where = f"{name} line {number}"
        fields = _parse_line(raw, where)
        if len(articles) >= MAX_BATCH_ARTICLES:
            raise InputError(
                f"{name} has more than {MAX_BATCH_ARTICLES:,} articles; split it into several "
                "files. Nothing from it was read."
            )
        is_html = "html" in fields
        body = fields.pop("html") if is_html else fields.pop("text")
        given = {k: v for k, v in options.items() if v is not None}
        try:
            article = article_from_text(
                body,
                name=where,
                is_html=is_html,
                **{
                    **{k: fields.get(k) for k in ("outlet", "title", "url", "published")},
                    **given,
                },  # type: ignore[arg-type]
            )
        except InputError as exc:
            raise InputError(f"{exc} Nothing from {name} was read.") from exc
        if fields.get("author"):
            article.author = fields["author"]
        # Where the article came from: the batch and its line, so a list of articles can say.
        article.source_path = f"{name}#{number}"
        article.identity = _identity(article, path)
        articles.append(article)
    if not articles:
        raise InputError(f"{name} holds no articles: every line is blank.")
    return articles


def _identity(article: Article, path: Path) -> str | None:
    """A batch line without a URL is the same article when its batch, title and outlet are."""
    if article.url:
        return None  # the URL decides (archive/identity.py)
    outlet = " ".join((article.outlet or "").lower().split())
    return f"batch:{os.path.abspath(path)}#{article.title or ''}|{outlet}"


def _parse_line(raw: bytes, where: str) -> dict[str, str]:
    refuse = "; nothing from this file was read."
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where} is not UTF-8 text{refuse}") from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        reason = getattr(exc, "msg", str(exc))
        raise InputError(f"{where} is not valid JSON ({reason}){refuse}") from exc
    if not isinstance(data, dict):
        raise InputError(f"{where} is not a JSON object of one article{refuse}")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise InputError(
            f"{where} has unknown key(s) {', '.join(map(repr, unknown))}; an article line has "
            f"{', '.join(FIELDS)}{refuse}"
        )
    fields: dict[str, str] = {}
    for key, value in data.items():
        if value is None:
            continue
        if not isinstance(value, str):
            raise InputError(
                f"{where}: {key!r} must be a string, not {type(value).__name__}{refuse}"
            )
        if key not in ("text", "html") and any(
            unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r" for ch in value
        ):
            raise InputError(f"{where}: {key!r} holds a control character{refuse}")
        if value.strip():
            fields[key] = value if key in ("text", "html") else " ".join(value.split())
    bodies = [k for k in ("text", "html") if k in fields]
    if len(bodies) != 1:
        what = "has both 'text' and 'html'" if bodies else "has no 'text' or 'html'"
        raise InputError(f"{where} {what}; an article line has exactly one of them{refuse}")
    if "published" in fields:
        match = _DATE.match(fields["published"])
        try:
            if not match:
                raise ValueError
            datetime.date.fromisoformat(match.group(1))
        except ValueError:
            raise InputError(
                f"{where}: published {fields['published']!r} is not a date like 2025-05-16{refuse}"
            ) from None
        fields["published"] = match.group(1)
    return fields

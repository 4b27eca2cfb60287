"""An HTML page's own metadata: outlet, date, title, canonical URL and author.

Read from the tags news sites publish for search engines and social networks, in this order:

- outlet: JSON-LD `publisher.name`, `<meta property="og:site_name">`, `application-name`
- date: JSON-LD `datePublished`, `article:published_time`, `<meta name="date">`,
  `<time datetime>` (only its calendar date is kept: 2025-05-16)
- title: JSON-LD `headline`, `og:title`, `twitter:title`, `<title>` (less a trailing
  " | Outlet" suffix)
- canonical URL: `<link rel="canonical">`, `og:url`, JSON-LD `url`/`mainEntityOfPage`
- author: JSON-LD `author` (a name, an object or a list of them), `<meta name="author">`,
  `article:author` when it is a name rather than a link

JSON-LD is read from every `<script type="application/ld+json">`, including `@graph` lists;
the first object typed as an article (`NewsArticle`, `Article`, `ReportageNewsArticle`,
`BlogPosting`, ...) is used. A value that is not usable (a date that is no calendar date, a
relative URL) is left out rather than refusing the page: the user's options and the text still
decide.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "blogposting",
    "liveblogposting",
    "report",
    "webpage",
}
_DATE_PREFIX = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")
_TITLE_SUFFIX = re.compile(r"\s+[|\u2013\u2014-]\s+([^|\u2013\u2014]{2,80})$")
MAX_FIELD_CHARS = 300


def html_metadata(html: str) -> dict[str, str]:
    """The page's `outlet`, `published`, `title`, `url` and `author`, those it states."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        root = lxml.html.document_fromstring(html)
    except (ParserError, ValueError):
        return {}
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = _clean(meta.get("content"))
        if key and value and key not in metas:
            metas[key] = value
    links = {
        (link.get("rel") or "").lower(): _clean(link.get("href")) for link in root.iter("link")
    }
    ld = _json_ld_article(root)
    title_tag = root.find(".//title")
    page_title = _clean(title_tag.text_content()) if title_tag is not None else ""
    times = [_clean(t.get("datetime")) for t in root.iter("time") if t.get("datetime")]

    outlet = _first(_name(ld.get("publisher")), metas.get("og:site_name"))
    outlet = outlet or metas.get("application-name", "")
    found = {
        "outlet": outlet,
        "published": _first(
            *(
                _date(v)
                for v in (
                    _text(ld.get("datePublished")),
                    metas.get("article:published_time"),
                    metas.get("og:published_time"),
                    metas.get("datepublished"),
                    metas.get("date"),
                    metas.get("dc.date"),
                    times[0] if times else "",
                )
            )
        ),
        "title": _first(
            _text(ld.get("headline")),
            metas.get("og:title"),
            metas.get("twitter:title"),
            _without_outlet(page_title, outlet),
        ),
        "url": _first(
            *(
                _absolute(u)
                for u in (
                    links.get("canonical"),
                    metas.get("og:url"),
                    _text(ld.get("url")),
                    _id(ld.get("mainEntityOfPage")),
                )
            )
        ),
        "author": _first(
            _names(ld.get("author")),
            metas.get("author"),
            _not_link(metas.get("article:author")),
            metas.get("dc.creator"),
        ),
    }
    return {k: v[:MAX_FIELD_CHARS] for k, v in found.items() if v}


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def _first(*values: str | None) -> str:
    return next((v for v in values if v), "")


def _text(value: Any) -> str:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, list) and value and isinstance(value[0], str):
        return _clean(value[0])
    return ""


def _name(value: Any) -> str:
    """The name of a JSON-LD organisation or person (an object, a string or a list of them)."""
    if isinstance(value, list):
        return _name(value[0]) if value else ""
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value) if not _text(value).startswith(("http://", "https://")) else ""


def _id(value: Any) -> str:
    """A JSON-LD reference: a URL string, or an object's `@id`."""
    return _text(value.get("@id")) if isinstance(value, dict) else _text(value)


def _names(value: Any) -> str:
    items = value if isinstance(value, list) else [value]
    names = [_name(item) for item in items]
    return ", ".join(dict.fromkeys(n for n in names if n))


def _not_link(value: str | None) -> str:
    return "" if not value or value.startswith(("http://", "https://", "/")) else value


def _date(value: str | None) -> str:
    match = _DATE_PREFIX.match(value or "")
    if not match:
        return ""
    try:
        datetime.date.fromisoformat(match.group(1))
    except ValueError:
        return ""
    return match.group(1)


def _absolute(url: str | None) -> str:
    url = _clean(url)
    return url if url.startswith(("http://", "https://")) else ""


def _without_outlet(title: str, outlet: str) -> str:
    match = _TITLE_SUFFIX.search(title)
    if match and (not outlet or match.group(1).strip().lower() == outlet.lower()):
        return title[: match.start()].strip()
    return title


def _json_ld_article(root: Any) -> dict[str, Any]:
    """The first JSON-LD object on the page typed as an article, or {}."""
    candidates: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [])
                candidates.append(item)
    for wanted in (_ARTICLE_TYPES - {"webpage"}, {"webpage"}):
        for item in candidates:
            types = item.get("@type")
            names = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in wanted for t in names):
                return item
    return {}

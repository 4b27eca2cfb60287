"""What makes two stored texts versions of one article: its identity key.

An article is the same article when its canonical URL is the same (the page's
`<link rel="canonical">`, a batch line's `url`, or `--url`); without a URL, when it comes from
the same file (its absolute path) under the same outlet. A reader that knows better sets
`Article.identity` itself (a line of a JSON lines batch without a URL: its batch, title and
outlet). An article with none of these (standard input, a web form) has no identity and is only
ever the same as an identical text.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..models import Article

_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid)$", re.I)


def canonical_url(url: str) -> str:
    """A URL as an identity: scheme and host lower-cased, no fragment, no tracking parameters,
    no trailing slash, and http and https the same page."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)])
    host = parts.netloc.lower()
    host = host[4:] if host.startswith("www.") else host
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", host, path, query, ""))


def identity_key(
    url: str | None, source_path: str | None, outlet: str | None, given: str | None = None
) -> str | None:
    """The identity of an article with these fields (see the module's docstring), or None."""
    if url and url.strip():
        return "url:" + canonical_url(url)
    if given:
        return given
    if source_path:
        return f"path:{os.path.abspath(source_path)}|{' '.join((outlet or '').lower().split())}"
    return None


def article_identity(article: Article) -> str | None:
    return identity_key(article.url, article.source_path, article.outlet, article.identity)

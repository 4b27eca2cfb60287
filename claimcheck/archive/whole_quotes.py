"""Stored claims shown as they were said: a quotation of several sentences as one claim.

The archive stores one claim per sentence (checking judges each on its own); a listing or a
quote search shows the whole quotation once, with the first sentence's id, wherever any of its
sentences matched. The quotation is found again from the article's stored text
(:func:`claimcheck.extract.whole_quotations`, a character scan with no parse), and only for
a quoted sentence that does not stand alone between its own marks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..extract import quotation_spans, whole_quotations
from ..models import Claim, StoredClaim
from .store import Store

_OPENING = "\u201c\u201e\u00ab\u2018\"'"
_CLOSING = "\u201d\u00bb\u201f\u2019\"'"


def whole_stored(store: Store, stored: Iterable[StoredClaim]) -> list[StoredClaim]:
    """``stored`` in the same order, each quotation's sentences given once, whole."""
    items = list(stored)
    wanted = {
        item.claim.article_id
        for item in items
        if item.claim.kind == "direct" and item.claim.article_id is not None
    }
    texts = _texts(store, sorted(wanted))
    spans: dict[int, list[tuple[int, int]]] = {}
    given: set[tuple[int, int, int]] = set()
    result: list[StoredClaim] = []
    for item in items:
        claim = item.claim
        text = texts.get(claim.article_id or -1, "") if claim.kind == "direct" else ""
        if not text or _stands_alone(text, claim):
            result.append(item)
            continue
        article_id = claim.article_id or -1
        if article_id not in spans:
            spans[article_id] = quotation_spans(text)
        whole = whole_quotations(text, [claim], spans[article_id])[0]
        key = (article_id, whole.start, whole.end)
        if whole.quotation is not None and key in given:
            continue
        given.add(key)
        result.append(replace(item, claim=whole))
    return result


def _texts(store: Store, article_ids: list[int]) -> dict[int, str]:
    texts: dict[int, str] = {}
    for chunk in range(0, len(article_ids), 500):
        ids = article_ids[chunk : chunk + 500]
        marks = ",".join("?" * len(ids))
        for article_id, text in store.db.execute(
            f"select id, text from articles where id in ({marks})", ids
        ):
            texts[article_id] = text or ""
    return texts


def _stands_alone(text: str, claim: Claim) -> bool:
    """A quoted sentence with a mark right before and right after it is a whole quotation."""
    before = text[max(0, claim.start - 3) : claim.start].rstrip()[-1:]
    after = text[claim.end : claim.end + 3].lstrip(" ,;:")[:1]
    return bool(before) and before in _OPENING and bool(after) and after in _CLOSING

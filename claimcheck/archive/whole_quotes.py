"""Stored claims shown as they were said: a quotation of several sentences as one claim.

The archive stores one claim per sentence (checking judges each on its own); a listing or a
quote search shows the whole quotation once, with the first sentence's id, wherever any of its
sentences matched. The quotation is found again from the article's stored text
(:func:`claimcheck.extract.whole_quotations`, a character scan with no parse).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..extract import quotation_spans, whole_quotations
from ..models import StoredClaim
from .store import Store


def whole_stored(store: Store, stored: Iterable[StoredClaim]) -> list[StoredClaim]:
    """``stored`` in the same order, each quotation's sentences given once, whole."""
    texts: dict[int, tuple[str, list[tuple[int, int]]]] = {}
    given: set[tuple[int, int, int]] = set()
    result: list[StoredClaim] = []
    for item in stored:
        claim = item.claim
        if claim.kind != "direct" or claim.article_id is None:
            result.append(item)
            continue
        if claim.article_id not in texts:
            article = store.get_article(claim.article_id)
            text = (article or {}).get("text") or ""
            texts[claim.article_id] = (text, quotation_spans(text))
        text, spans = texts[claim.article_id]
        whole = whole_quotations(text, [claim], spans)[0] if text else claim
        key = (claim.article_id, whole.start, whole.end)
        if whole.quotation is not None and key in given:
            continue
        given.add(key)
        result.append(replace(item, claim=whole))
    return result

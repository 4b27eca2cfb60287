"""A quotation of several sentences, whole: one claim for search and display.

The extractor gives each sentence of a quotation its own claim, because checking judges one
proposition at a time, and marks every such sentence with the span of the whole quotation
(``Claim.quotation``). :func:`whole_quotations` turns those sentences back into one claim, as
the article put it: ``quotes`` shows "Battery supply is the bottleneck. We are not going to
ship a truck we cannot stand behind." as one thing said, not two fragments.

Stored claims do not keep the span; it is found again from the article's text (a character
scan for quotation marks, no parse), so this works on any archive.
"""

from __future__ import annotations

from dataclasses import replace

from claimcheck.extract.quotes import find_quotations
from claimcheck.extract.segment import sentence_spans, split_paragraphs
from claimcheck.models import Claim


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """The spans of every standalone quotation of two or more sentences in ``text``."""
    spans = []
    for quotation in find_quotations(text, split_paragraphs(text)):
        if not quotation.standalone:
            continue
        sentences = sentence_spans(text, quotation.inner_start, quotation.inner_end)
        if len(sentences) >= 2:
            spans.append((sentences[0][0], sentences[-1][1]))
    return spans


def whole_quotations(
    text: str, claims: list[Claim], spans: list[tuple[int, int]] | None = None
) -> list[Claim]:
    """``claims`` (one article's, in document order) with the sentences of each quotation of
    several sentences merged into one claim: the whole quotation as its quote and span, the
    first sentence's id and speaker, ``quotation`` set to its own span. Other claims pass
    through unchanged; a quotation is given once however many of its sentences are listed."""
    if spans is None:
        spans = quotation_spans(text)
    result: list[Claim] = []
    given: set[tuple[int, int]] = set()
    for claim in claims:
        span = claim.quotation if claim.kind == "direct" else None
        if span is None and claim.kind == "direct":
            span = next((s for s in spans if s[0] <= claim.start and claim.end <= s[1]), None)
        if span is None:
            result.append(claim)
            continue
        if span in given:
            continue
        given.add(span)
        quote = text[span[0] : span[1]]
        result.append(
            replace(
                claim,
                quote=quote,
                assertion=f"{claim.speaker}: {quote}",
                start=span[0],
                end=span[1],
                quotation=span,
            )
        )
    return result

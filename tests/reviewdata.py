"""Flags for the review tests, written through the real `review.record_check`, no models needed.

A stored article (Kyiv Independent) reports Umerov saying 500 prisoners will be swapped; each
submitted article reports him saying a different number, so the judge's verdict is a
contradiction with a `number` reason naming the conflicting figures.
"""

from __future__ import annotations

import numpy as np

from claimcheck.archive.store import Store
from claimcheck.models import (
    Article,
    CheckReport,
    Claim,
    Extraction,
    Match,
    Reason,
    SpeakerInfo,
    StoredClaim,
    Verdict,
)
from claimcheck.review.runs import record_check

STORED_TEXT = (
    "Prisoner swap agreed in Istanbul\n\n"
    "Ukraine and Russia met for the first direct talks in three years.\n\n"
    "Rustem Umerov said 500 prisoners would be exchanged next week. "
    "He added that more talks were planned.\n"
)
STORED_QUOTE = "500 prisoners would be exchanged next week"


def claim_at(text: str, quote: str, speaker: str = "Rustem Umerov", paragraph: int = 2) -> Claim:
    start = text.index(quote)
    return Claim(
        speaker=speaker,
        speaker_mention=speaker,
        kind="indirect",
        quote=quote,
        assertion=f"{speaker} said {quote}",
        start=start,
        end=start + len(quote),
        paragraph=paragraph,
    )


def add_stored_article(store: Store) -> StoredClaim:
    article = Article(
        text=STORED_TEXT,
        outlet="Kyiv Independent",
        title="Prisoner swap agreed in Istanbul",
        url="https://example.org/kyiv/swap",
        published="2025-05-16",
    )
    claim = claim_at(STORED_TEXT, STORED_QUOTE)
    extraction = Extraction(
        claims=[claim],
        speakers=[SpeakerInfo(name="Rustem Umerov", role="defence minister", mentions=["Umerov"])],
    )
    vectors = np.ones((1, 4), dtype=np.float32) / 2
    store.add_articles([(article, extraction, vectors)], model="test")
    return store.stored_claims([claim.id])[claim.id]


def submit_contradiction(
    store: Store,
    stored: StoredClaim,
    *,
    number: str = "1,000",
    outlet: str = "Meridian Wire",
    speaker: str = "Rustem Umerov",
    extra: str = "",
    url: str | None = "https://example.org/wire/swap",
) -> CheckReport:
    """Record a check of a new article contradicting `stored`; returns the report (flag ids)."""
    quote = f"{number} prisoners would be exchanged next week"
    text = (
        f"Talks in Istanbul\n\n{speaker} said {quote}, according to officials.{extra}\n\n"
        "Other news followed.\n"
    )
    article = Article(
        text=text, outlet=outlet, title="Talks in Istanbul", url=url, published="2025-05-17"
    )
    claim = claim_at(text, quote, speaker=speaker)
    reason = Reason(
        code="number",
        text=f"numbers differ: {number} vs 500",
        new_terms=[number],
        stored_terms=["500"],
    )
    match = Match(stored=stored, relation="contradict", score=0.9, similarity=0.8, reasons=[reason])
    verdict = Verdict(claim=claim, verdict="contradict", confidence=0.87, matches=[match])
    report = CheckReport(article=article, extraction=Extraction([claim], []), verdicts=[verdict])
    record_check(
        store, report, vectors=np.ones((1, 4), np.float32) / 2, model="test", judge_name="test"
    )
    return report

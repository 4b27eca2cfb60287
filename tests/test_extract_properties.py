"""Invariants of the extractor on arbitrary text: it never fails and its offsets are exact."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.extract import extract_claims
from claimcheck.models import KINDS

# Pieces of news prose, quotation marks and line breaks, so that generated texts reach the
# quotation and attribution code paths, not only the tokenizer.
FRAGMENTS = [
    "Umerov said",
    "He added:",
    ", Zelenskyy said.",
    "according to officials",
    "“",
    "”",
    '"',
    "‘",
    "’",
    "\n",
    "\n\n",
    "The talks ended on Friday",
    " but no ceasefire was agreed",
    ", who led the delegation,",
    "; ",
    ". ",
    "ISTANBUL, May 16 (Wire) - ",
    "- 13:45 - ",
    "Additional reporting by Ann",
    "the minister told reporters that",
    "Kyiv",
    " ",
    ",",
]

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_invariants(text: str) -> None:
    extraction = extract_claims(text, "Wire")
    previous_end = -1
    for claim in sorted(extraction.claims, key=lambda c: c.start):
        assert 0 <= claim.start < claim.end <= len(text)
        assert text[claim.start : claim.end] == claim.quote
        assert claim.start >= previous_end, "claims overlap"
        previous_end = claim.end
        assert claim.speaker.strip()
        assert claim.kind in KINDS
        assert claim.assertion.strip()
        assert claim.paragraph >= 0
    names = {s.name for s in extraction.speakers}
    assert {c.speaker for c in extraction.claims} <= names


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_unicode(text: str):
    check_invariants(text)


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_news_like_fragments(text: str):
    check_invariants(text)


def test_edge_cases():
    for text in ["", " ", "\n\n", "“", '"', "”Hello“", "a\r\nb", "\u200b", "...", "“”"]:
        check_invariants(text)

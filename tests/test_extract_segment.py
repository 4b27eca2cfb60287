"""Paragraphs, datelines, live-blog timestamps and credit lines."""

from __future__ import annotations

import pytest

from claimcheck.extract import extract_claims
from claimcheck.extract.segment import split_paragraphs


@pytest.mark.parametrize(
    "prefix",
    [
        "- 13:45 - ",
        "10:05 GMT - ",
        "• 10:20 – ",
        "[10:45] ",
        "(10:45) ",
        "11.30am: ",
        "19:10 ",
        "07:45 GMT ",
        "ISTANBUL, May 16 (Meridian Wire) - ",
        "LONDON (Reuters) - ",
        "KYIV — ",
    ],
)
def test_prefix_is_not_part_of_the_claim(prefix: str):
    text = f"Headline\n{prefix}Police say a man has died in Gwynedd."
    claim = extract_claims(text, "Desk").claims[-1]
    assert claim.quote == "Police say a man has died in Gwynedd."
    assert (claim.speaker, claim.kind) == ("Police", "indirect")


def test_numbers_at_line_start_are_not_timestamps():
    text = "12.50 euros were paid for each ticket."
    assert extract_claims(text, "Desk").claims[0].quote == text
    # a bare time stamp needs a colon and a capital after it: "12.50 Euros" is a price
    text = "12.50 Euros were paid for each ticket."
    assert extract_claims(text, "Desk").claims[0].quote == text


def test_paragraphs_skip_blank_lines_and_mark_credit_lines():
    text = "Title\n\n\nBody one.\n  \nAdditional reporting by Ann Lee in Paris"
    paragraphs = split_paragraphs(text)
    assert [p.index for p in paragraphs] == [0, 1, 2]
    assert [p.is_claimless for p in paragraphs] == [False, False, True]
    assert [text[p.start : p.end] for p in paragraphs][:2] == ["Title", "Body one."]


def test_byline_is_not_a_claim_but_a_sentence_starting_with_by_is():
    text = (
        "Talks collapse\nBy Jane Smith and Ali Khan in Kyiv\n"
        "By Friday evening, talks had collapsed."
    )
    quotes = [c.quote for c in extract_claims(text, "Desk").claims]
    assert "By Jane Smith and Ali Khan in Kyiv" not in quotes
    assert quotes[-1] == "By Friday evening, talks had collapsed."

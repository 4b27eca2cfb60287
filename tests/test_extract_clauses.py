"""Granularity: the writer's sentences are cut into one checkable proposition per claim."""

from __future__ import annotations

import pytest

from claimcheck.extract import extract_claims


def pieces(text: str) -> list[str]:
    return [c.quote for c in extract_claims(text, "Wire").claims]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Negotiators agreed on Friday to exchange 1,000 prisoners each but left Istanbul "
            "without a ceasefire.",
            [
                "Negotiators agreed on Friday to exchange 1,000 prisoners each",
                "but left Istanbul without a ceasefire.",
            ],
        ),
        (
            # one claim: the place stays in it for the place detector, and a label on the
            # sentence is not read against a subject alone
            "The session at the Dolmabahce Palace lasted one hour and 40 minutes.",
            ["The session at the Dolmabahce Palace lasted one hour and 40 minutes."],
        ),
        (
            "The session, brokered by the United States and Turkey, ran for almost six hours.",
            ["brokered by the United States and Turkey", "ran for almost six hours."],
        ),
        (
            # a subject that says where stays a claim of its own before its parenthesis
            "The talks at the Topkapi Palace, the first in two years, were over in 45 minutes.",
            [
                "The talks at the Topkapi Palace",
                "the first in two years",
                "were over in 45 minutes.",
            ],
        ),
        (
            "Russian and Ukrainian officials met in Geneva on Friday for their first direct "
            "talks in three years.",
            [
                "Russian and Ukrainian officials met in Geneva on Friday",
                "for their first direct talks in three years.",
            ],
        ),
        (
            "The Russian and Ukrainian delegations have sat down at Dolmabahce Palace, with "
            "Fidan in the chair.",
            [
                "The Russian and Ukrainian delegations have sat down at Dolmabahce Palace",
                "with Fidan in the chair.",
            ],
        ),
        (
            "The council has approved a 4.99 per cent rise in council tax, after a three-hour "
            "debate.",
            [
                "The council has approved a 4.99 per cent rise in council tax",
                "after a three-hour debate.",
            ],
        ),
        (
            "The talks were short; no ceasefire was agreed.",
            ["The talks were short", "no ceasefire was agreed."],
        ),
        (
            "Ukrainian President Volodymyr Zelenskyy did not attend the talks, and neither did "
            "Russian President Vladimir Putin.",
            [
                "Ukrainian President Volodymyr Zelenskyy did not attend the talks",
                "and neither did Russian President Vladimir Putin.",
            ],
        ),
        (
            "Kyiv and Moscow have carried out dozens of prisoner exchanges since 2022, several "
            "of them mediated by the United Arab Emirates.",
            [
                "Kyiv and Moscow have carried out dozens of prisoner exchanges since 2022",
                "several of them mediated by the United Arab Emirates.",
            ],
        ),
    ],
)
def test_writer_sentence_is_cut_into_propositions(text: str, expected: list[str]):
    assert pieces(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The delegations sat at a large table at the palace in Istanbul, the former "
        "administrative seat of the Ottoman Empire.",
        "The budget passed by 27 votes to 19, with two abstentions.",
        "Ukraine's delegation was led by Defence Minister Rustem Umerov, while Russia sent "
        "presidential aide Vladimir Medinsky.",
        "Sirens blared before dawn, as Russia launched another missile attack on Kyiv.",
    ],
)
def test_sentences_that_state_one_thing_stay_whole(text: str):
    assert pieces(text) == [text]


def test_cut_off_clause_gets_its_subject_back():
    text = (
        "Talks between Ukraine and Russia ended on Friday with an agreement on swapping "
        "prisoners, but without making any progress on a lasting ceasefire."
    )
    claims = extract_claims(text, "Wire").claims
    assert claims[1].quote == "but without making any progress on a lasting ceasefire."
    assert claims[1].assertion == (
        "Talks between Ukraine and Russia ended without making any progress on a lasting ceasefire."
    )


def test_parenthesis_between_subject_and_verb_is_its_own_claim():
    text = "The US-brokered discussions in Istanbul, the first in three years, wrapped up quickly."
    claims = extract_claims(text, "Wire").claims
    assert [c.quote for c in claims] == [
        "The US-brokered discussions in Istanbul",
        "the first in three years",
        "wrapped up quickly.",
    ]
    assert (
        claims[1].assertion
        == "The US-brokered discussions in Istanbul were the first in three years"
    )
    assert claims[2].assertion == "The US-brokered discussions in Istanbul wrapped up quickly."


def test_inside_reported_speech_a_plain_conjunct_stays_with_its_clause():
    text = "He added that the date of the swap had been fixed but would not be made public yet."
    text = "Rustem Umerov spoke after the talks.\n" + text
    last = extract_claims(text, "Wire").claims[-1]
    assert (
        last.quote
        == "He added that the date of the swap had been fixed but would not be made public yet."
    )
    assert (last.speaker, last.kind) == ("Rustem Umerov", "indirect")


def test_a_second_reporting_verb_keeps_its_speaker_in_the_assertion():
    from claimcheck.extract import extract_claims

    text = (
        "Talks\n\nKremlin spokesman Dmitry Peskov said Moscow was ready for more talks but "
        "denied that Russia had made any ultimatum.\n"
    )
    claims = extract_claims(text, "Wire").claims
    denied = [c for c in claims if c.quote.startswith("but denied")]
    assert denied and denied[0].speaker == "Dmitry Peskov"
    assert denied[0].assertion == "Dmitry Peskov denied that Russia had made any ultimatum."


def test_a_bare_name_cut_off_by_its_apposition_is_no_claim_of_its_own():
    claims = extract_claims(
        "Rustem Umerov, Ukraine's defence minister, would lead the delegation.", "Wire"
    ).claims
    assert [c.assertion for c in claims] == [
        "Rustem Umerov is Ukraine's defence minister",
        "Rustem Umerov would lead the delegation.",
    ]
    # a subject that says something (where, who brokered) stays a claim
    assert (
        pieces(
            "The US and Turkey-brokered discussions in Istanbul, the first in three years, wrapped "
            "up after just two hours."
        )[0]
        == "The US and Turkey-brokered discussions in Istanbul"
    )


def test_they_after_a_sentence_about_the_talks_names_the_talks():
    text = (
        "Last week's talks between the two sides were the first in years. They took place at "
        "a palace on the coast. They were held on Thursday.\n\n"
        "The envoys sent a team. They were held up at the border."
    )
    assertions = [c.assertion for c in extract_claims(text, "Courier").claims]
    assert "Last week's talks between the two sides were held on Thursday." in assertions
    assert "Last week's talks between the two sides took place at a palace on the coast." in (
        assertions
    )
    # another antecedent, or another paragraph, is left as written
    assert "They were held up at the border." in assertions

"""Quotation forms: straight and curly marks, cue after or before, several paragraphs."""

from __future__ import annotations

import pytest

from claimcheck.extract import extract_claims


def by_quote(text: str, outlet: str = "Wire") -> dict[str, tuple[str, str]]:
    return {c.quote: (c.speaker, c.kind) for c in extract_claims(text, outlet).claims}


@pytest.mark.parametrize(
    ("opening", "closing"), [("\u201c", "\u201d"), ('"', '"')], ids=["curly", "straight"]
)
def test_speaker_after_quote(opening: str, closing: str):
    text = (
        "Talks ended in Istanbul.\n"
        f"{opening}As a result, we've agreed to exchange thousand-for-thousand,{closing} "
        "Ukrainian Defence Minister Rustem Umerov told reporters afterwards."
    )
    claims = extract_claims(text, "Wire").claims
    quote = next(c for c in claims if c.kind == "direct")
    assert quote.quote == "As a result, we've agreed to exchange thousand-for-thousand"
    assert quote.speaker == "Rustem Umerov"
    assert quote.cue == "told"
    # The cue words are not a claim of their own.
    assert not any("told reporters" in c.quote for c in claims)


def test_colon_lead_in_without_a_verb():
    text = (
        "Starmer, standing with Macron, Merz and Tusk in Tirana: "
        '"The Russian position is clearly unacceptable, and not for the first time."'
    )
    claims = extract_claims(text, "Frontline Live").claims
    assert [(c.speaker, c.kind, c.quote) for c in claims] == [
        (
            "Starmer",
            "direct",
            "The Russian position is clearly unacceptable, and not for the first time.",
        )
    ]
    assert claims[0].co_speakers == ["Macron", "Merz", "Tusk"]


def test_quote_over_several_sentences_is_one_claim_per_sentence():
    text = 'The minister was blunt. He said: "We will not retreat. We never have. Ask anyone."'
    text = "Defence minister Rustem Umerov spoke in Kyiv.\n" + text
    direct = [c for c in extract_claims(text, "Wire").claims if c.kind == "direct"]
    assert [c.quote for c in direct] == ["We will not retreat.", "We never have.", "Ask anyone."]
    assert {c.speaker for c in direct} == {"Rustem Umerov"}


def test_quotation_running_over_paragraphs():
    text = (
        "Ursula von der Leyen said the sanctions would widen.\n"
        "\u201cPresident Putin continued striking Ukraine. He did not turn up.\n"
        "\u201cThis tells us one thing: President Putin does not want peace.\u201d\n"
        "The summit closed on Friday."
    )
    found = by_quote(text)
    assert found["He did not turn up."] == ("Ursula von der Leyen", "direct")
    assert found["This tells us one thing: President Putin does not want peace."] == (
        "Ursula von der Leyen",
        "direct",
    )
    assert found["The summit closed on Friday."] == ("Wire", "unattributed")


def test_second_quote_after_cue_keeps_the_speaker():
    text = (
        "\u201cUkraine is ready to take the fastest possible steps,\u201d Zelenskyy said. "
        "\u201cTough sanctions must follow.\u201d"
    )
    found = by_quote(text)
    assert found["Ukraine is ready to take the fastest possible steps"] == ("Zelenskyy", "direct")
    assert found["Tough sanctions must follow."] == ("Zelenskyy", "direct")


def test_pronoun_after_quote_resolves_to_the_last_person():
    text = (
        "Council leader Margaret Oyelaran said the increase was needed.\n"
        '"We have made savings everywhere we can," she told the meeting.'
    )
    found = by_quote(text)
    assert found["We have made savings everywhere we can"] == ("Margaret Oyelaran", "direct")


def test_partial_quote_stays_inside_reported_speech():
    text = 'Merz said that European leaders were "very disappointed" with Moscow.'
    claims = extract_claims(text, "Wire").claims
    assert [(c.speaker, c.kind) for c in claims] == [("Merz", "indirect")]
    assert claims[0].quote == text[:-1] or claims[0].quote == text


def test_content_first_cue_splits_the_sentence():
    text = (
        "Prisoner exchanges were also brought up, Umerov said, as well as a future "
        "meeting between the presidents."
    )
    claims = extract_claims(text, "Wire").claims
    assert [c.quote for c in claims] == [
        "Prisoner exchanges were also brought up",
        "as well as a future meeting between the presidents.",
    ]
    assert {(c.speaker, c.kind) for c in claims} == {("Umerov", "indirect")}


def test_cue_inside_a_bare_subject_keeps_the_sentence_whole():
    text = 'Moscow, he said, had "taken note" of the request.'
    claims = extract_claims("Vladimir Medinsky spoke to reporters.\n" + text, "Wire").claims
    last = claims[-1]
    assert last.quote == text
    assert (last.speaker, last.kind) == ("Vladimir Medinsky", "indirect")


def test_dateline_and_timestamp_are_not_claims():
    text = (
        "Talks end\n"
        "ISTANBUL, May 16 (Meridian Wire) - Negotiators met on Friday.\n"
        "- 13:45 - Fidan opens the session."
    )
    quotes = [c.quote for c in extract_claims(text, "Meridian Wire").claims]
    assert quotes == ["Talks end", "Negotiators met on Friday.", "Fidan opens the session."]


def test_unbalanced_quote_does_not_swallow_the_paragraph():
    text = 'He called it "a farce and left.\nThe meeting ended at noon.'
    claims = extract_claims(text, "Wire").claims
    assert claims[-1].quote == "The meeting ended at noon."
    assert all(text[c.start : c.end] == c.quote for c in claims)


def test_single_quotation_marks_and_apostrophes():
    text = "‘We will not back down’, says minister as the union’s talks collapse"
    direct = [c for c in extract_claims(text, "Courier").claims if c.kind == "direct"]
    assert [(c.quote, c.speaker) for c in direct] == [("We will not back down", "Minister")]
    # An apostrophe alone opens nothing.
    assert all(c.kind != "direct" for c in extract_claims("Kyiv’s forces held.", "C").claims)


def test_question_quote_with_cue_after_the_question_mark():
    text = (
        "Union leader Dave Kerr criticised the offer.\n"
        "“Is this what the government calls fair?” he asked."
    )
    claims = extract_claims(text, "Courier").claims
    assert [(c.speaker, c.kind, c.quote) for c in claims if c.paragraph == 1] == [
        ("Dave Kerr", "direct", "Is this what the government calls fair?")
    ]


def test_quoted_label_in_the_writers_sentence_is_the_accusers_direct_claim():
    text = (
        "The council approved the rise after a three-hour debate in which opposition members "
        'accused the ruling group of "balancing the books on the backs of residents".'
    )
    claims = extract_claims(text, "Gazette").claims
    label = next(c for c in claims if c.kind == "direct")
    assert label.quote == "balancing the books on the backs of residents"
    assert label.speaker == "Opposition members"
    assert label.assertion == (
        "Opposition members accused the ruling group of "
        '"balancing the books on the backs of residents".'
    )
    # The cue words around the label are not a claim of their own.
    assert [(c.kind, c.quote) for c in claims] == [
        ("unattributed", "The council approved the rise after a three-hour debate"),
        ("direct", "balancing the books on the backs of residents"),
    ]


def test_one_word_label_stays_inside_reported_speech():
    text = 'She described the final deal as "unacceptable".'
    claims = extract_claims("Priya Nandakumar spoke last.\n" + text, "Gazette").claims
    assert [(c.kind, c.quote) for c in claims[1:]] == [("indirect", text)]


def test_speaker_apposition_after_the_cue_is_part_of_the_cue():
    text = 'The bill passed easily. "It is a good day," said Juan Pérez, a local councillor.'
    claims = extract_claims(text, "Courier").claims
    assert [(c.speaker, c.kind, c.quote) for c in claims] == [
        ("Courier", "unattributed", "The bill passed easily."),
        ("Juan Pérez", "direct", "It is a good day"),
    ]
    assert claims[1].speaker_role == "local councillor"


def test_name_after_a_dash_credits_the_quotation():
    text = 'Talks ended.\n"It was a productive meeting" - Rustem Umerov.'
    claims = extract_claims(text, "Wire").claims
    assert [(c.speaker, c.kind, c.quote) for c in claims] == [
        ("Wire", "unattributed", "Talks ended."),
        ("Rustem Umerov", "direct", "It was a productive meeting"),
    ]

"""Reported speech: who a reporting verb credits, and when a verb reports nothing."""

from __future__ import annotations

import pytest

from claimcheck.extract import extract_claims


def claims_of(text: str, outlet: str = "Courier") -> list[tuple[str, str, str]]:
    return [(c.speaker, c.kind, c.quote) for c in extract_claims(text, outlet).claims]


def test_name_in_apposition_after_a_title_is_the_speaker():
    text = 'Ukraine\'s foreign minister, Andrii Sybiha, called the rejection "predictable".'
    claims = extract_claims(text, "Courier").claims
    assert [(c.speaker, c.kind) for c in claims] == [("Andrii Sybiha", "indirect")]
    assert claims[0].speaker_role == "Ukraine's foreign minister"


def test_negated_or_withheld_report_is_the_writers_statement():
    assert claims_of("A spokeswoman declined to say who would replace her.") == [
        ("Courier", "unattributed", "A spokeswoman declined to say who would replace her.")
    ]
    speaker, kind, _ = claims_of("He did not say when a new round might take place.")[0]
    assert (speaker, kind) == ("Courier", "unattributed")


def test_content_first_with_cue_at_the_end():
    text = "The European Union is expected to approve new sanctions this month, diplomats said."
    claims = extract_claims(text, "Courier").claims
    assert [(c.speaker, c.kind, c.quote) for c in claims] == [("Diplomats", "indirect", text)]
    assert claims[0].assertion == (
        "Diplomats said the European Union is expected to approve new sanctions this month."
    )


def test_according_to_credits_the_source_for_the_whole_sentence():
    text = "The meeting lasted well under two hours, according to a Turkish source."
    assert claims_of(text) == [("Turkish source", "indirect", text)]


def test_definite_description_resolves_to_a_named_person():
    text = (
        "Kremlin spokesman Dmitry Peskov spoke in Moscow.\n"
        "The spokesman added that Moscow would respond to new sanctions."
    )
    speaker, kind, _ = claims_of(text)[-1]
    assert (speaker, kind) == ("Dmitry Peskov", "indirect")


def test_group_speaker_keeps_head_noun_and_modifiers():
    text = "A senior Ukrainian official familiar with the talks said Russia had insisted on terms."
    assert claims_of(text)[0][:2] == ("Ukrainian officials", "indirect")


def test_coordinated_report_verbs_give_one_claim_each():
    text = (
        "Vladimir Medinsky, who headed the Russian delegation, expressed satisfaction over "
        "the talks and said that the two sides had agreed a prisoner swap."
    )
    claims = extract_claims(text, "Courier").claims
    assert [(c.speaker, c.kind) for c in claims] == [
        ("Courier", "unattributed"),
        ("Vladimir Medinsky", "indirect"),
        ("Vladimir Medinsky", "indirect"),
    ]
    assert claims[2].assertion == (
        "Vladimir Medinsky said the two sides had agreed a prisoner swap."
    )


def test_live_blog_present_tense_report_carries_to_next_sentence():
    text = (
        "- 08:40 - Ukraine's air force says it lost contact with an F-16 at about 03:30. "
        "The pilot ejected and has been rescued.\n"
        "- 09:00 - The Kremlin said talks would go ahead. The weather was fine."
    )
    claims = claims_of(text, "Live")
    assert claims[1:3] == [
        ("Ukraine's air force", "indirect", "The pilot ejected"),
        ("Ukraine's air force", "indirect", "and has been rescued."),
    ]
    assert claims[-1] == ("Live", "unattributed", "The weather was fine.")


def test_a_live_blog_time_stamp_is_no_part_of_the_speaker():
    text = (
        "19:10 A Ukrainian source tells us Russia demanded a full withdrawal as the price of "
        "a ceasefire.\n\n21:05 A Kremlin spokesman says the talks will continue.\n"
    )
    speakers = [speaker for speaker, _, _ in claims_of(text, "Live")]
    assert speakers == ["Ukrainian source", "Kremlin spokesman"]


def test_second_speaker_in_a_while_clause_gets_its_own_claim():
    text = (
        "A government source said ministers were “furious” with the union’s tactics, "
        "while Labour accused both sides of brinkmanship."
    )
    assert [c[:2] for c in claims_of(text)] == [
        ("Government source", "indirect"),
        ("Labour", "indirect"),
    ]


def test_cue_with_adding_keeps_the_added_statement():
    text = (
        '"No one could have predicted this much rain," the mayor of Paiporta, Maribel Albalat, '
        "told reporters, adding that the town had received a year's rainfall in eight hours."
    )
    claims = extract_claims(text, "Courier").claims
    assert [(c.speaker, c.kind, c.quote) for c in claims] == [
        ("Maribel Albalat", "direct", "No one could have predicted this much rain"),
        (
            "Maribel Albalat",
            "indirect",
            "adding that the town had received a year's rainfall in eight hours.",
        ),
    ]
    assert claims[1].assertion.startswith("Maribel Albalat added the town had received")


def test_pronoun_follows_the_person_last_named_as_subject():
    text = (
        "US Secretary of State Marco Rubio described the outcome as disappointing.\n"
        "Kremlin spokesman Dmitry Peskov dismissed that view. "
        '"We are serious," he told state news agency TASS.'
    )
    direct = [c for c in extract_claims(text, "Courier").claims if c.kind == "direct"]
    assert [(c.speaker, c.speaker_role) for c in direct] == [("Dmitry Peskov", "Kremlin spokesman")]


def test_he_is_the_titled_surname_who_spoke_last_not_an_earlier_full_name():
    # "Mr Zelensky" is a person though named by surname alone; the full name before him spoke
    # first
    text = (
        "Friedrich Merz, however, said Europe was satisfied with the progress made. Mr Zelensky, "
        "who spent Friday with some fifteen European leaders in Albania, said tough sanctions "
        "must follow. He also insisted that American support was not essential to Ukraine."
    )
    insisted = [c for c in extract_claims(text, "Courier").claims if "insisted" in c.assertion]
    assert [c.speaker for c in insisted] == ["Zelensky"]


def test_he_is_the_person_named_in_his_own_sentence_not_the_transcript_speaker():
    # a lone surname is accepted when the tagger reads a person in the pronoun's sentence; in a
    # transcript the speaker of the turn would say "I", not "he"
    text = (
        "ROMAN: A thousand for a thousand. Medinsky came out looking furious, honestly, and he "
        "told us the Russian side was deeply frustrated with the whole day."
    )
    told = [c for c in extract_claims(text, "Courier").claims if c.kind == "indirect"]
    assert [c.speaker for c in told] == ["Medinsky"]
    # a lone word that is no person ("Kyiv") is still not taken for the pronoun's speaker
    assert claims_of("Kyiv sent a team, and he told us it was ready.")[0][0] != "Kyiv"


def test_a_relative_clause_is_not_part_of_the_sources_name():
    text = (
        "The meeting ran for almost three hours, according to two diplomats who attended. "
        "Officials who attended the talks said the mood was tense."
    )
    assert [c.speaker for c in extract_claims(text, "Courier").claims] == [
        "Diplomats",
        "Officials",
    ]


def test_second_predicate_of_a_speaker_is_the_writers():
    text = (
        "Kremlin spokesman Dmitry Peskov said on Saturday that the exchange would take place "
        '"soon", but gave no date.'
    )
    claims = extract_claims(text, "Courier").claims
    assert [(c.speaker, c.kind) for c in claims] == [
        ("Dmitry Peskov", "indirect"),
        ("Courier", "unattributed"),
    ]
    assert claims[1].assertion == "Kremlin spokesman Dmitry Peskov gave no date."


def test_citing_outlet_is_the_source_of_its_sentence():
    text = "Axios, citing a source, put its length at just over an hour."
    claims = extract_claims("The session lasted an hour.\n" + text, "Wire").claims
    assert [(c.speaker, c.kind, c.quote) for c in claims[1:]] == [("Axios", "indirect", text)]
    assert claims[1].assertion == "Axios put its length at just over an hour."


def test_joint_call_does_not_make_a_co_speaker():
    text = "Starmer says the leaders met Zelenskyy and held a joint call with Trump."
    claims = extract_claims(text, "Live").claims
    assert claims[0].speaker == "Starmer"
    assert claims[0].co_speakers == []


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The meeting lasted an hour, according to a person present.", "Person present"),
        ("Sources close to Porter said she had threatened to resign.", "Sources close to Porter"),
        ("Diplomats said talks would resume.", "Diplomats"),
        (
            "A senior Ukrainian official familiar with the talks said Russia insisted.",
            "Ukrainian officials",
        ),
    ],
)
def test_unnamed_sources_keep_the_words_that_say_who(text: str, speaker: str):
    assert claims_of(text)[0][:2] == (speaker, "indirect")


def test_content_first_report_with_an_appositive_speaker_chain():
    # The small parser hangs "told" off the content and the speaker inside it as apposition.
    from claimcheck.extract import extract_claims

    text = (
        "Head\n\nThe delegation is satisfied with the results of the negotiations in Geneva, "
        "the head of the delegation, presidential aide Ivan Petrov, told journalists.\n"
    )
    claims = extract_claims(text, "Wire").claims
    report = [c for c in claims if c.quote.startswith("The delegation is satisfied")]
    assert report and report[0].speaker == "Ivan Petrov" and report[0].kind == "indirect"
    assert report[0].assertion.startswith("Ivan Petrov said the delegation is satisfied")


def test_content_first_assertion_leaves_out_the_audience_and_the_connective():
    from claimcheck.extract import extract_claims

    text = (
        "Head\n\nThe talks will resume next week, and the ceasefire is off, "
        "defence minister Rustem Umerov told reporters.\n"
    )
    assertions = [c.assertion for c in extract_claims(text, "Wire").claims]
    assert "Rustem Umerov said the ceasefire is off." in assertions
    assert not any("reporters" in a for a in assertions)


def test_a_two_word_fragment_is_what_the_source_said():
    text = "Head\n\nTwo hours, Fidan said. No deal, Umerov said. So far, he said.\n"
    assertions = [c.assertion for c in extract_claims(text, "Wire").claims]
    assert "Fidan said two hours." in assertions
    assert "Umerov said no deal." in assertions
    assert not any("said so far" in a for a in assertions)  # a connective is not a statement

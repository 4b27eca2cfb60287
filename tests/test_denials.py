"""A reported denial negates the proposition it reports ("the ministry denied that Kyiv had
asked for a meeting"), and a denied negation asserts the positive."""

from __future__ import annotations

import pytest

from claimcheck.judge.lexicon import clauses, content_stems, stem
from tests.test_counts_and_titles import relation

REQUEST = (
    "He confirmed that the Ukrainian side had requested a face-to-face meeting between Putin "
    "and Zelenskyy."
)
LOW_LEVEL = (
    "Zelenskyy said on Friday that the Russian delegation sent by Putin was “very low level”"
)


@pytest.mark.parametrize(
    ("text", "cue", "head"),
    [
        ("The ministry denied that Kyiv had asked for a meeting", "denied that", "request"),
        ("The Kremlin denied sending a low-level delegation", "denied", "send"),
        ("Peskov rejected reports that Putin would travel to Istanbul", None, "travel"),
        ("Claims that our delegation was sent at a low level are false.", "Claims that", "sent"),
    ],
)
def test_a_denial_is_a_negated_clause_about_its_predicate(text, cue, head):
    [c] = clauses(text)
    assert c.negated
    assert c.head == head
    if cue:
        assert c.cue == cue


@pytest.mark.parametrize(
    "text",
    [
        "A separate claim that the United States took no part in the talks is false",
        "He was denied entry at the border",
        "The denial came late on Friday",
    ],
)
def test_what_is_not_a_denial(text):
    assert not any(c.negated for c in clauses(text))


@pytest.mark.parametrize(
    ("new", "old"),
    [
        (
            "Ukraine's foreign ministry denied that Kyiv had asked for a meeting between the "
            "two presidents.",
            REQUEST,
        ),
        ("Claims that our delegation was sent at a low level are false.", LOW_LEVEL),
        (
            "Medinsky denied that the Russian side had made unacceptable demands.",
            "Ukrainian officials said that Russia had made “unacceptable” demands",
        ),
    ],
)
def test_a_denial_of_the_stored_fact_is_a_negation(new, old):
    rel, codes = relation(new, old)
    assert rel == "contradict"
    assert "negation" in codes


@pytest.mark.parametrize(
    ("new", "old"),
    [
        # both deny: the same statement
        (
            "Moscow denied that it had asked for the meeting.",
            "The Kremlin denied that Russia had requested the meeting.",
        ),
        # a denied denial is no conflict with the positive
        (
            "A claim that the United States took no part in arranging the talks is false.",
            "The US and Turkey-brokered discussions in Istanbul wrapped up after two hours.",
        ),
    ],
)
def test_what_a_denial_does_not_contradict(new, old):
    rel, _ = relation(new, old)
    assert rel != "contradict"


def test_a_topic_that_had_not_come_up_was_not_raised():
    rel, codes = relation(
        "The release of deported children had not come up in the talks",
        "The release of Ukrainian children forcibly deported to Russia was also brought up",
    )
    assert rel == "contradict" and "negation" in codes
    # "came up with" is devising, not raising
    assert "rais" not in content_stems("They came up with a plan")
    assert "rais" in content_stems("The question did not come up")


def test_a_negated_light_verb_is_about_the_verb_after_it():
    [c] = clauses("four regions that Russia has never even managed to conquer")
    assert c.negated and c.head == stem("conquer")
    rel, codes = relation(
        "the Kremlin wants four regions that Russia has never even managed to conquer",
        "Ukraine has managed to prevent a major breakthrough along the 1,000km frontline",
    )
    assert "negation" not in codes


def test_a_briefing_is_another_occasion_than_the_talks():
    rel, codes = relation(
        "The briefing lasted 41 minutes.", "The talks wrapped up after two hours."
    )
    assert "duration" not in codes


@pytest.mark.parametrize(
    "text",
    [
        "The call lasted about forty minutes, according to his office.",
        "The call lasted 40 minutes.",
    ],
)
def test_a_phone_call_after_the_talks_is_another_occasion(text):
    rel, codes = relation(text, "The talks wrapped up after two hours.")
    assert "duration" not in codes and rel != "contradict"


def test_the_talks_still_have_one_length():
    rel, codes = relation(
        "The talks ran for almost six hours.", "The talks wrapped up after two hours."
    )
    assert rel == "contradict" and "duration" in codes


def test_no_satisfaction_whatever_is_no_satisfaction():
    rel, codes = relation(
        "Medinsky expressed no satisfaction whatever with the outcome",
        "Medinsky expressed satisfaction over how the talks went",
        0.6,
    )
    assert rel == "contradict" and "negation" in codes


def test_who_asked_that_the_leaders_meet():
    rel, codes = relation(
        "It was, in the end, the Russians who asked that Putin and Zelenskyy meet face to face",
        "He confirmed that the Ukrainian side had requested a face-to-face meeting between Putin "
        "and Zelenskyy.",
    )
    assert rel == "contradict" and "roles" in codes


LOW = (
    "Kyiv is likely to face increasing difficulty as it grapples with a problematic mobilisation "
    "campaign and as US-supplied arms and ammunition run low."
)
GROUND = (
    "Deep State reported in recent days that Russian armed forces had seized more ground in the "
    "eastern Donetsk region, particularly around Pokrovsk"
)


@pytest.mark.parametrize(
    ("new", "old", "code"),
    [
        ("US-made arms and ammunition are flowing in abundance, according to Kyiv", LOW, "antonym"),
        (
            "Deep State reported that Russian forces had lost ground around Pokrovsk",
            GROUND,
            "antonym",
        ),
        (
            "Von der Leyen credited Putin with honouring the ceasefires he had announced",
            "Ursula von der Leyen said Putin had previously announced ceasefires but never "
            "respected them",
            "negation",
        ),
    ],
)
def test_reversed_facts_without_the_same_words(new, old, code):
    rel, codes = relation(new, old, 0.7)
    assert rel == "contradict" and code in codes


def test_the_same_gains_are_no_reversal():
    rel, codes = relation("Russian forces have taken more ground around Pokrovsk", GROUND, 0.7)
    assert rel != "contradict"

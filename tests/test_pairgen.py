"""The news-domain pair generator: each transform writes the change its label promises."""

from __future__ import annotations

import random

import pytest

from claimcheck.training import pairgen as g
from claimcheck.training import reversals as r
from claimcheck.training import transforms as t

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def nlp():
    from claimcheck.extract import load_nlp

    return load_nlp()


def doc(nlp, text):
    return nlp(text)


def test_negation_adds_and_removes_not(nlp):
    rng = random.Random(0)
    out = t.negate(doc(nlp, "The delegations were ready to meet in Istanbul."), rng)
    assert out is not None and ("not" in out or "n't" in out)
    out = t.negate(doc(nlp, "Putin did not attend the talks."), rng)
    assert out is not None and "not" not in out and "attend" in out


def test_negation_of_a_past_verb_uses_an_auxiliary(nlp):
    outs = {
        t.negate(doc(nlp, "Russia proposed a meeting in Turkey."), random.Random(s))
        for s in range(12)
    }
    assert all(o and o != "Russia proposed a meeting in Turkey." for o in outs)
    assert any("did not propose" in o or "didn't propose" in o for o in outs)
    assert any("failed to propose" in o or "never proposed" in o for o in outs)


def test_antonym_replaces_one_word(nlp):
    out = t.antonym(
        doc(nlp, "Officials said they were satisfied with the talks."), random.Random(1)
    )
    assert out == "Officials said they were disappointed with the talks."


def test_number_change_is_beyond_rounding(nlp):
    out = t.change_number(
        doc(nlp, "Russia and Ukraine agreed to exchange 1,000 prisoners each."), random.Random(3)
    )
    assert out is not None and "1,000" not in out
    assert any(ch.isdigit() for ch in out)


def test_years_and_weekdays_change_as_dates(nlp):
    out = t.change_date(
        doc(nlp, "The talks on Friday were the first since 2022."), random.Random(2)
    )
    assert out is not None and out != "The talks on Friday were the first since 2022."
    assert t.change_number(doc(nlp, "The war began in 2022."), random.Random(0)) is None


def test_roles_swap_around_the_verb_but_not_in_symmetric_relations(nlp):
    out = t.swap_roles(doc(nlp, "Russia asked Ukraine for a direct meeting."), random.Random(0))
    assert out == "Ukraine asked Russia for a direct meeting."
    assert t.swap_roles(
        doc(nlp, "Russia met Ukraine and Turkey in Istanbul."), random.Random(0)
    ) in (
        None,
        "Ukraine met Russia and Turkey in Istanbul.",
    )


def test_compression_keeps_negation_and_conditions(nlp):
    text = "Stings can be life threatening if you are allergic to the venom."
    out = t.compress(doc(nlp, text), random.Random(0))
    assert out is None or "if you are allergic" in out
    out = t.compress(
        doc(nlp, "The talks did not produce a ceasefire in Istanbul on Friday."), random.Random(0)
    )
    assert out is None or "not" in out


def test_transliteration_keeps_the_person(nlp):
    text = t.transliterate("President Zelenskyy met Rustem Umerov.", random.Random(0))
    assert text != "President Zelenskyy met Rustem Umerov."
    assert "Zelensk" in text and "Um" in text


def test_generate_balances_labels_and_keeps_stories_apart(nlp):
    stories = [
        g.Story(
            "a",
            [
                "The talks in Istanbul lasted less than two hours on Friday.",
                "Russia and Ukraine agreed to exchange 1,000 prisoners of war each.",
                "Turkish foreign minister Hakan Fidan chaired the meeting at the palace.",
                "Officials said they were disappointed with the outcome of the talks.",
            ],
        ),
        g.Story("b", ["The council approved a new budget for the city's buses on Monday."]),
    ]
    pairs = g.generate(stories, nlp, seed=5)
    labels = {p.label for p in pairs}
    assert labels == {g.CONTRADICTION, g.ENTAILMENT, g.NEUTRAL}
    for p in pairs:
        assert p.premise != p.hypothesis
        if p.kind == "same_story":
            assert p.source == "a" and p.hypothesis in stories[0].sentences
    assert pairs == g.generate(stories, nlp, seed=5)  # deterministic


def test_a_judgement_is_reversed_in_other_words(nlp):
    text = "The Kremlin described the proposal as unacceptable."
    outs = {r.reverse_judgement(doc(nlp, text), random.Random(s)) for s in range(8)}
    assert outs <= {
        "The Kremlin described the proposal as perfectly reasonable.",
        "The Kremlin described the proposal as entirely acceptable.",
        "The Kremlin described the proposal as quite fair.",
    }
    assert len(outs) >= 2
    # the article fits the new word; a gradable adjective off the list is hedged instead
    out = r.reverse_judgement(
        doc(nlp, "Fidan called the meeting an encouraging start."), random.Random(0)
    )
    assert out in {
        "Fidan called the meeting a discouraging start.",
        "Fidan called the meeting a disheartening start.",
    }
    out = r.reverse_judgement(doc(nlp, "Fidan called the meeting a success."), random.Random(0))
    assert out in {f"Fidan called the meeting a {w}." for w in ("flop", "fiasco", "setback")}
    hedged = r.reverse_judgement(doc(nlp, "The atmosphere was businesslike."), random.Random(1))
    assert (
        hedged is not None
        and hedged.endswith(" businesslike.")
        and hedged != ("The atmosphere was businesslike.")
    )


def test_a_negative_judgement_is_left_to_negation(nlp):
    text = "Officials said the talks were not constructive."
    assert r.reverse_judgement(doc(nlp, text), random.Random(0)) is None


def test_what_was_raised_is_reported_as_never_raised_or_as_having_come_up(nlp):
    text = "Umerov raised the question of a prisoner exchange on Friday."
    unsaid = {r.unsaid(doc(nlp, text), random.Random(s)) for s in range(20)}
    assert "There was no mention of the question of a prisoner exchange." in unsaid
    assert "The question of a prisoner exchange never came up." in unsaid
    assert "Umerov did not say a word about the question of a prisoner exchange." in unsaid
    said = {r.mentioned(doc(nlp, text), random.Random(s)) for s in range(20)}
    assert "The question of a prisoner exchange came up." in said
    assert "Umerov brought up the question of a prisoner exchange." in said
    assert not any("no " in s or "not " in s or "never" in s for s in said)
    # not a verb that puts something on the table, a pronoun object, or already negated
    for other in (
        "Umerov visited the front line on Friday.",
        "Umerov raised it on Friday.",
        "Umerov did not raise the question of prisoners.",
    ):
        assert r.unsaid(doc(nlp, other), random.Random(0)) is None
        assert r.mentioned(doc(nlp, other), random.Random(0)) is None


def test_graded_words_and_clauses_are_left_alone(nlp):
    for text in (
        "Zelenskyy said Russia's leader had been too afraid to come to Turkey.",
        "Fidan urged both sides to agree a ceasefire as quickly as possible.",
    ):
        assert r.reverse_judgement(doc(nlp, text), random.Random(0)) is None
    clause = "Thatcher promised Haughey that King would make a statement."
    assert r.unsaid(doc(nlp, clause), random.Random(0)) is None
    called = {
        r.unsaid(doc(nlp, "Macron called for a ceasefire."), random.Random(s)) for s in range(20)
    }
    assert "Nobody called for a ceasefire." in called

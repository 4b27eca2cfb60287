"""Corrections ("not in Donetsk", "rather than Thursday"), refusals to say, and facts stated
with a copula ("this was the Yildiz Palace", "Medinsky was a former education minister"):
the contradictions each finds, and the look-alikes each must leave alone."""

from __future__ import annotations

import pytest

from claimcheck.judge import measures as m
from claimcheck.judge.contrasts import corrections
from tests.test_counts_and_titles import relation

GAINS = (
    "Deep State reported in recent days that Russian armed forces had seized more ground in "
    "the eastern Donetsk region, particularly around Pokrovsk, Toretsk and Chasiv Yar."
)
FRIDAY = "Talks between Ukraine and Russia ended on Friday with an agreement on swapping prisoners"
HEADED = (
    "Vladimir Medinsky, a presidential aide to Putin and former culture minister who headed "
    "the Russian delegation"
)
VENUE = (
    "The delegations sat across from each other at a large U-shaped table at the Dolmabahçe "
    "Palace in Istanbul"
)
REQUEST = (
    "Vladimir Medinsky confirmed that the Ukrainian side had requested a face-to-face meeting "
    "between Putin and Zelenskyy."
)
ALBANIA = (
    "Zelenskyy had joined more than 40 European leaders in Albania for a meeting of the "
    "European Political Community"
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "gains came in the Kharkiv region, around Kupiansk, not in Donetsk",
            ("Kupiansk", "Donetsk"),
        ),
        ("gains came in the Sumy region rather than in Donetsk", ("Sumy", "Donetsk")),
        ("The talks ended on Thursday, not Friday", ("Thursday", "Friday")),
        ("Medinsky, not Lavrov, led the delegation", ("Medinsky", "Lavrov")),
        ("a bigger offensive rather than peace talks", None),  # two ideas, not two facts
        ("it was Moscow, not Kyiv, that asked", None),  # the sides are the role detector's
        ("Russia, not for the first time, struck at night", None),
        # an adjective of something unnamed is no denied name
        ("held at the Palace, not at the Turkish foreign ministry in Ankara", None),
        ("gains in the Kharkiv region, not the Donetsk region", ("Kharkiv", "Donetsk")),
    ],
)
def test_corrections_read_the_denied_named_thing(text, found):
    assert list(corrections(text)) == ([found] if found else [])


@pytest.mark.parametrize(
    ("new", "old"),
    [
        (
            "Russian forces' latest gains came in the Kharkiv region, around Kupiansk, "
            "not in Donetsk",
            GAINS,
        ),
        ("the enemy's recent gains have come in the Sumy region, rather than in Donetsk", GAINS),
        ("The talks ended on Thursday, not Friday", FRIDAY),
        ("The Russian delegation was led by Lavrov, not Medinsky", HEADED),
    ],
)
def test_a_correction_of_what_is_stored_contradicts_it(new, old):
    rel, codes = relation(new, old)
    assert rel == "contradict"
    assert "correction" in codes


@pytest.mark.parametrize(
    ("new", "old"),
    [
        # the stored claim names the alternative: the correction agrees with it
        (
            "The talks were held at the Dolmabahçe Palace, not at the foreign ministry in Ankara",
            VENUE,
        ),
        ("The talks ended on Friday, not Thursday", FRIDAY),
        # the stored claim names the denied word in passing, as an adjective or a statement day
        (
            "The talks were held at the Dolmabahçe Palace, not at the Turkish foreign ministry",
            "The meeting was chaired by Turkish foreign minister Hakan Fidan",
        ),
        (
            "Zelensky met Erdoğan in Ankara on Thursday, not Friday",
            "Zelenskyy said on Friday that the Russian delegation was very low level",
        ),
        # the denied name is not in the stored claim
        ("The Russian delegation was headed by Vladimir Medinsky, not by Sergei Lavrov", HEADED),
    ],
)
def test_a_correction_that_names_the_stored_fact_is_no_contradiction(new, old):
    assert "correction" not in relation(new, old)[1]


def test_a_refusal_to_say_contradicts_a_report_of_saying_it():
    new = (
        "Medinskyi, asked by journalists, refused to say which side had requested a meeting "
        "between Putin and Zelenskyi."
    )
    rel, codes = relation(new, REQUEST)
    assert (rel, codes[0]) == ("contradict", "negation")


@pytest.mark.parametrize(
    "new",
    [
        # another person's silence
        "Umerov declined to say which side had requested a meeting between Putin and Zelenskyy",
        # a refusal about something else
        "Medinsky refused to say when the next round of talks would be held",
    ],
)
def test_a_refusal_needs_the_same_person_and_the_same_thing(new):
    assert relation(new, REQUEST)[0] != "contradict"


def test_a_venue_named_with_a_copula_is_compared():
    rel, codes = relation(
        "So, this was the Yildiz Palace, up on the hill above the Bosphorus.", VENUE, 0.22
    )
    assert (rel, codes[0]) == ("contradict", "place")
    assert relation("It was the Dolmabahçe Palace, as before.", VENUE, 0.3)[0] != "contradict"


def test_whereabouts_with_was_and_a_transliterated_name():
    new = "President Volodymyr Zelenskyi himself was in Moldova on Friday, at the summit"
    rel, codes = relation(new, ALBANIA)
    assert (rel, codes[0]) == ("contradict", "place")
    assert relation("Zelensky was in Tirana on Friday for the summit", ALBANIA)[0] != "contradict"
    # where he was not
    not_there = "President Zelenskyy was not in Istanbul for the talks on Friday"
    assert relation(not_there, ALBANIA)[0] != "contradict"


def test_an_office_stated_with_a_copula_is_compared():
    new = "Vladimir Medinsky was a former education minister turned Kremlin adviser"
    rel, codes = relation(new, HEADED)
    assert (rel, codes[0]) == ("contradict", "role")
    assert relation("Vladimir Medinsky was a former culture minister", HEADED)[0] != "contradict"


def test_a_clock_time_is_no_count():
    """A live blog's '19:10 Ukrainian source tells us' counted ten sources against 'four
    regions' (a false flag)."""
    assert m.measures("19:10 Ukrainian source tells us Russia demanded a withdrawal") == ()
    [found] = m.measures("At 9:30 two delegations met")
    assert found.low < 2 < found.high
    assert m.measures("The 10 Ukrainian sources said")[0].low < 10


def test_a_figure_with_a_thousands_comma_is_no_year():
    [found] = m.measures("a front of some 2,000 kilometres")
    assert found.counted == frozenset({"km"}) and found.low < 2000 < found.high
    assert m.measures("since 2000 the front has moved") == ()
    rel, codes = relation(
        "there's been no collapse along a front of some 2,000 kilometres",
        "Ukraine has managed to prevent a major breakthrough along the 1,000km frontline",
        0.44,
    )
    assert (rel, codes[0]) == ("contradict", "number")


CALL = (
    "Zelenskyy said after conclusion of the talks that he held a phone conversation with Trump "
    "about the meeting, together with the leaders of France, Germany, the UK and Poland."
)


@pytest.mark.parametrize(
    ("new", "conflict"),
    [
        ("He spoke to Trump with the leaders of France, Germany, Britain and Italy", True),
        # the same countries, written another way, and a list that only adds one
        ("He spoke to Trump with the leaders of Britain, France, Poland and Germany", False),
        ("He spoke to Trump with the leaders of France, Germany, the UK, Poland and Italy", False),
        # nationalities and people are no list of countries
        ("He spoke to Trump with the French, German, British and Italian leaders", False),
    ],
)
def test_another_member_in_a_list_of_countries(new, conflict):
    rel, codes = relation(new, CALL)
    assert ("member" in codes) is conflict
    assert (rel == "contradict") is conflict


EPC = (
    "Zelenskyy had joined more than 40 European leaders in Albania for a meeting of the "
    "European Political Community, which expressed support for Ukraine."
)


@pytest.mark.parametrize(
    ("new", "conflict"),
    [
        (
            "Zelenskyy, speaking from the European Political Community summit in North Macedonia",
            True,
        ),
        ("European leaders, gathered in Warsaw for the European Political Community", True),
        ("Zelensky was at the EPC summit in Skopje", True),  # its initials stand for it
        # the capital for the country, the same country, or no place at all
        ("Zelensky was in Tirana for the European Political Community summit", False),
        ("Zelensky was at the EPC summit in Tirana", False),
        ("The OSCE summit in Skopje drew few leaders", False),  # other initials, another body
        ("The European Political Community met in Albania", False),
        ("Leaders of the European Political Community expressed support for Ukraine", False),
        # another gathering in another place says nothing of this one
        ("Zelenskyy later flew to Warsaw for a bilateral meeting", False),
    ],
)
def test_a_named_gathering_in_another_place(new, conflict):
    rel, codes = relation(new, EPC)
    assert ("place" in codes) is conflict
    assert (rel == "contradict") is conflict

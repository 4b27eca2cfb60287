"""Which occasion a claim is about: "previous talks" and talks dated in an earlier year are the
same earlier round; the next round, or this year's talks, are not."""

from __future__ import annotations

import pytest

from tests.test_counts_and_titles import relation

PREVIOUS = (
    "Previous peace talks in Istanbul broke down in the spring of 2022 after Kyiv uncovered the "
    "atrocities carried out by Moscow’s forces in Bucha and other areas of Ukraine."
)


@pytest.mark.parametrize(
    "text",
    [
        "Talks in Istanbul broke down in the summer of 2022.",
        "The earlier round of Istanbul negotiations collapsed in the autumn of 2022.",
        # "the last time" is the earlier round, whatever year it is given
        "The last time these same two men faced each other in Istanbul, the talks collapsed "
        "in the spring of 2023.",
    ],
)
def test_the_earlier_round_written_another_way_is_the_same_occasion(text):
    rel, codes = relation(text, PREVIOUS)
    assert rel == "contradict"
    assert "date" in codes


@pytest.mark.parametrize(
    "text",
    [
        # the same season
        "Talks in Istanbul broke down in the spring of 2022, after the killings in Bucha.",
        # another occasion: the next round, this year's talks
        "The next round of talks in Istanbul is planned for the autumn of 2025.",
        "Talks in Istanbul in the autumn of 2025 made no progress.",
    ],
)
def test_what_is_not_the_earlier_round_or_agrees_with_it(text):
    rel, _ = relation(text, PREVIOUS)
    assert rel != "contradict"


UMEROV = (
    "Ukrainian defence minister Rustem Umerov, who led Kyiv’s delegation, said after the "
    "meeting that the main focus of the talks was a ceasefire"
)


def test_a_transliterated_name_is_the_same_anchor_and_the_same_word():
    from claimcheck.judge.features import same_people

    assert same_people({"umierov", "kyiv"}, {"umerov"}) == {"umierov"}
    assert same_people({"sybiha"}, {"umerov"}) == set()
    rel, codes = relation(
        "On the Ukrainian side the defence minister, Rustem Umierov, led the team", UMEROV, 0.55
    )
    assert rel == "agree" and "person" not in codes


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The delegations met in Chisinau on Friday", ["chisinau"]),
        ("Previous talks, held in Minsk, collapsed in 2022", ["minsk"]),
        ("The summit was held in North Macedonia", ["north macedonia"]),
        # a city whose name is an English word is not in the gazetteer
        ("The talks held in male prisoners' interest went on", []),
    ],
)
def test_the_gazetteer_knows_the_world_s_places(text, found):
    from claimcheck.judge.detectors import places

    assert places(text) == found


def test_a_place_of_the_gazetteer_has_its_country():
    from claimcheck.judge.detectors import places_compatible

    assert places_compatible("chisinau", "moldova")
    assert not places_compatible("chisinau", "istanbul")
    assert places_compatible("dolmabahce palace", "turkey")


def test_many_words_make_one_pattern():
    import re

    from claimcheck.judge.lexicon import trie_pattern

    pattern = re.compile(r"\b(" + trie_pattern({"kyiv", "kyi", "ka", "kabul", "kazan"}) + r")\b")
    assert pattern.findall("kabul kazan ka kyi kyiv kab") == ["kabul", "kazan", "ka", "kyi", "kyiv"]

"""Counts of any counted thing, offices of one person, nationalities and venues: the detectors
that read a changed detail whatever the story's nouns are, and the traps they must not fall into.
"""

from __future__ import annotations

import pytest

from claimcheck.judge import RuleJudge
from claimcheck.judge import detectors as d
from claimcheck.judge import measures as m
from claimcheck.judge import quantities as q
from claimcheck.judge import titles as t
from claimcheck.models import StoredClaim
from tests.test_detectors import claim

JET = "Ukraine's air force reported that one of its F-16 fighter jets had been lost."
REGIONS = (
    "Russia demanded that Kyiv's forces pull out of four eastern Ukrainian regions: "
    "Donetsk, Luhansk, Kherson and Zaporizhzhia."
)


def relation(new: str, old: str, sim: float = 0.6) -> tuple[str, list[str]]:
    stored = StoredClaim(claim(old), outlet="Financial Times", published="2025-05-16")
    [match] = RuleJudge().judge_pairs([(claim(new), stored, sim)])
    return match.relation, [r.code for r in match.reasons]


@pytest.mark.parametrize(
    ("text", "low", "high", "counted"),
    [
        ("Ukraine lost three F-16s today", 2.9, 3.1, "f-16"),
        (JET, 0.9, 1.1, "jet"),
        ("the loss of a pair of F-16 jets", 1.9, 2.1, "f-16"),
        ("four eastern Ukrainian regions", 3.9, 4.1, "region"),
        ("The frontline is some 1,200km long", 1080, 1320, "km"),
        ("more than 40 drones", 40, 60, "drone"),
        ("five hundred drones", 490, 510, "drone"),
        ("dozens of villages", 23, 101, "village"),
        ("a $2bn aid package", 1.9e9, 2.1e9, "aid"),
    ],
)
def test_a_count_is_read_with_what_it_counts(text, low, high, counted):
    [found] = m.measures(text)
    assert low <= found.low <= found.high <= high
    assert counted in found.counted


@pytest.mark.parametrize(
    "text",
    [
        "The F-16 and the G7 were mentioned",  # figures inside names
        "On May 16 at 10am the talks began",  # a date and a time
        "Talks in 2022 broke down",  # a year
        "The two sides met for two hours",  # sides and hours have their own detectors
    ],
)
def test_names_dates_times_and_other_detectors_figures_are_not_counts(text):
    assert m.measures(text) == ()


def test_a_changed_count_of_any_thing_contradicts():
    assert relation("Ukraine lost three F-16s today", JET) == ("contradict", ["number"])
    assert relation("The air force lost two F-16 jets overnight", JET)[0] == "contradict"
    assert relation("Russia's demand covered three regions", REGIONS)[0] == "contradict"
    frontline = "Ukraine has prevented a major breakthrough along the 1,000km frontline."
    assert relation("The frontline is some 1,200km long", frontline)[0] == "contradict"


def test_the_same_count_written_otherwise_does_not_contradict():
    for new in (
        "The air force said a single F-16 jet was lost",
        "Ukraine lost one F-16 fighter jet",
        "Russia wants Ukraine out of four regions",
        "Russia wants Ukraine out of the whole of four regions",
    ):
        old = JET if "F-16" in new else REGIONS
        assert "number" not in relation(new, old)[1], new
    # another count of another thing says nothing about the jets
    assert (
        "number" not in relation("Two pilots were rescued; one of its F-16 jets was lost", JET)[1]
    )
    frontline = "along the 1,000km frontline"
    assert "number" not in relation("along the roughly 1,000-kilometre frontline", frontline)[1]
    assert "number" not in relation("The frontline is about 1,000 kilometres long", frontline)[1]


def test_a_total_in_all_is_not_one_sides_count():
    swap = "the two sides had agreed there would be a 1,000 by 1,000 person prisoner swap"
    [total] = q.counts("a thousand people in all")
    assert total.total and total.per_side_values() == {500}
    assert relation("the deal covered only a thousand people in all", swap)[0] == "contradict"
    assert relation("two thousand prisoners in all would go home", swap)[0] == "agree"


UMEROV = "Ukrainian defence minister Rustem Umerov, who led Kyiv's delegation"


def test_one_person_in_two_portfolios_conflicts():
    old = UMEROV
    new = "Ukraine's delegation was led by Rustem Umerov, the country's foreign minister"
    assert t.title_conflict(new, old) == (
        "Rustem Umerov, the country's foreign minister",
        "defence minister Rustem Umerov",
    )
    assert relation(new, old)[0] == "contradict"
    # a transliteration is the same person; the same portfolio written otherwise agrees
    medinsky = "Vladimir Medinsky, a presidential aide to Putin and former culture minister"
    assert t.title_conflict("Vladimir Medinskiy, who served as Russia's foreign minister", medinsky)
    assert t.title_conflict("Defence Minister Rustem Umerov said", old) is None
    assert t.title_conflict("Umerov, Ukraine's defence minister, said", old) is None
    # aides and titles without a portfolio are not offices held one at a time
    assert t.title_conflict("Kremlin aide Vladimir Medinsky said", medinsky) is None
    assert (
        t.title_conflict(
            "Sir Keir Starmer, the British prime minister", "Keir Starmer, UK prime minister"
        )
        is None
    )
    # another person's office is not this person's
    assert t.title_conflict("foreign minister Hakan Fidan", old) is None


def test_one_body_given_two_nationalities_conflicts():
    old = "Deep State, a Ukrainian analytical group close to the defence ministry, reported gains"
    assert t.title_conflict("Deep State, a pro-war Russian military blog, said", old)
    assert t.title_conflict("Deep State, a Ukrainian monitoring group, said", old) is None
    # a nationality further on is not the description's
    medinsky = "Vladimir Medinsky, a presidential aide to Putin who headed the Russian delegation"
    assert t.title_conflict("Medinsky, the Ukrainian side asked for a meeting", medinsky) is None


def test_another_named_venue_for_the_talks_conflicts():
    old = "The delegations sat at a large U-shaped table at the Dolmabahçe Palace in Istanbul"
    assert relation("The meeting, held at the Çırağan Palace on the Bosphorus", old)[0] == (
        "contradict"
    )
    # the same venue, a lower-case description, another gathering, or a correction naming both
    for new in (
        "The talks were held at the Dolmabahce Palace",
        "The delegations met in the Ottoman-era palace on the Bosphorus",
        "A dinner for both delegations was held at the Çırağan Palace on Tuesday",
        "The talks took place at the Dolmabahçe Palace, not at the Çırağan Palace",
    ):
        assert "place" not in relation(new, old)[1], new


FIDAN = "The meeting was chaired by Turkish foreign minister Hakan Fidan"
STATEMENT = (
    "in a joint statement with French President Emmanuel Macron, German Chancellor Friedrich "
    "Merz and Polish Prime Minister Donald Tusk."
)


@pytest.mark.parametrize(
    ("new", "old"),
    [
        ("Turkey's vice-president, Hakan Fidan, chaired the meeting", FIDAN),
        ("under the chairmanship of Hakan Fidan, Turkey's intelligence chief.", FIDAN),
        ("The Ukrainians have sent Umerov, their ambassador in Ankara.", UMEROV),
        ("German President Friedrich Merz said Europe was very disappointed", STATEMENT),
        ("Polish President Donald Tusk signed it too", STATEMENT),
        # the body a post is "of": another body's president
        (
            "Ursula von der Leyen, the president of the European Parliament, said",
            "European Commission President Ursula von der Leyen said",
        ),
    ],
)
def test_a_post_held_instead_of_an_office_conflicts(new, old):
    assert t.title_conflict(new, old)


@pytest.mark.parametrize(
    ("new", "old"),
    [
        # the same post in other words, a post once held, no title at all
        (
            "Commission chief Ursula von der Leyen said",
            "European Commission President Ursula von der Leyen said",
        ),
        ("Hakan Fidan, a former intelligence chief, chaired the meeting", FIDAN),
        (
            "Ursula von der Leyen, president of the European Commission, said",
            "Commission chief Ursula von der Leyen said",
        ),
        # a country after "of" is no body: "the president of Ukraine" is Ukraine's president
        (
            "Volodymyr Zelensky, the president of Ukraine, said",
            "Ukrainian President Volodymyr Zelensky said",
        ),
        ("President Emmanuel Macron said", STATEMENT),
        ("German Chancellor Friedrich Merz said", STATEMENT),
        # a list's next title belongs to the next name, not to the one before it
        ("Emmanuel Macron, the French president, signed", STATEMENT),
    ],
)
def test_the_same_post_or_a_former_one_does_not_conflict(new, old):
    assert t.title_conflict(new, old) is None


def test_a_title_after_a_dash_is_read_like_one_after_a_comma():
    old = "Ukrainian defence minister Rustem Umerov, who led Kyiv's delegation"
    assert t.title_conflict("Rustem Umerov — Ukraine's foreign minister", old)
    assert t.title_conflict("Rustem Umerov — Ukraine's defence minister", old) is None


REQUEST = (
    "He confirmed that the Ukrainian side had requested a face-to-face meeting between Putin "
    "and Zelenskyy."
)


@pytest.mark.parametrize(
    "new",
    [
        "Medinskiy said it was Moscow that had asked for Putin and Zelenskiy to meet in person",
        "it was Russia that proposed a meeting between Putin and Zelenskyy",
        "A meeting between Presidents Zelenskyy and Putin, which Moscow, not Kyiv, had requested",
    ],
)
def test_the_other_side_asking_for_the_meeting_is_a_swapped_role(new):
    assert relation(new, REQUEST) == ("contradict", ["roles"])


@pytest.mark.parametrize(
    "new",
    [
        "Kyiv asked for a meeting between the presidents, Medinsky said",
        "Medinsky said Ukraine had requested that Putin and Zelenskyy meet",
        "It was Kyiv, not Moscow, that proposed a meeting of the two presidents",
    ],
)
def test_the_same_side_asking_is_not_a_swap(new):
    assert "roles" not in relation(new, REQUEST)[1]


def test_a_party_named_before_a_clause_boundary_is_not_the_one_asking():
    old = (
        "President Putin continued striking Ukraine and proposed a meeting between Ukraine and "
        "Russia in Turkey."
    )
    new = "Moscow had asked for a direct meeting between Vladimir Putin and Volodymyr Zelenskyy"
    assert "roles" not in relation(new, old)[1]


CHAIR = (
    "The meeting between the Ukrainian and Russian sides was chaired by Turkish foreign "
    "minister Hakan Fidan."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a one-word name after "by" is a name, not a word that opens a sentence
        ("The talks were chaired by Erdogan.", "contradict"),
        # the name in the apposition after the title
        ("The meeting was chaired by Turkey's intelligence chief, Ibrahim Kalin.", "contradict"),
        # the same person, with another title or spelling
        ("The meeting was chaired by Turkey's top diplomat, Hakan Fidan.", "related"),
        ("The talks were chaired by Fidan.", "related"),
    ],
)
def test_the_chair_is_read_after_by_and_its_title(text, expected):
    rel, codes = relation(text, CHAIR)
    assert rel == expected or (expected == "related" and rel == "agree")
    assert ("person" in codes) == (expected == "contradict")


STARMER = "Sir Keir Starmer, UK prime minister, said Putin’s position was “clearly unacceptable”"


@pytest.mark.parametrize(
    ("text", "conflict"),
    [
        # a foreign secretary is a minister: one person cannot be prime minister and that
        ("Keir Starmer, Britain's foreign secretary, called the position unacceptable", True),
        ("Britain's prime minister Keir Starmer called the position unacceptable", False),
        ("Prime Minister Keir Starmer called the position unacceptable", False),
    ],
)
def test_a_secretary_and_a_prime_minister_are_offices_of_one_kind(text, conflict):
    assert (t.title_conflict(text, STARMER) is not None) == conflict


def test_a_foreign_secretary_is_a_foreign_minister():
    old = "Foreign minister David Lammy said the talks were serious"
    assert t.title_conflict("David Lammy, the foreign secretary, said so", old) is None
    assert t.title_conflict("David Lammy, the defence secretary, said so", old) is not None


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("the first such meeting in half a dozen years", 2019),
        ("the first direct talks in a couple of years", 2023),
        ("the first in three years", 2022),
    ],
)
def test_a_count_of_years_in_words(text, year):
    assert q.since_year(text, 2025) == year


def test_a_meeting_led_by_someone_names_its_chair():
    rel, codes = relation(
        "The meeting, it writes, was led by President Recep Tayyip Erdoğan", CHAIR
    )
    assert rel == "contradict" and "person" in codes
    # a delegation's head is not the chair
    rel, codes = relation("The delegation was led by Rustem Umerov", CHAIR)
    assert "person" not in codes


def test_a_couple_of_hours_is_two_hours():
    [d] = q.durations("talks that lasted barely a couple of hours at a palace")
    assert d.low <= 120 <= d.high
    [two] = q.durations("wrapped up after just two hours")
    assert d.overlaps(two)
    [four] = q.durations("the talks lasted four hours")
    assert not d.overlaps(four)


@pytest.mark.parametrize(
    ("new", "old"),
    [
        ("two of its F-16 jets were lost overnight", JET),
        (
            "Ukraine has prevented a breakthrough along a frontline of some 1,500 kilometres",
            "Ukraine has prevented a major breakthrough along the 1,000km frontline",
        ),
        (
            "Zelenskyy had joined some two dozen European leaders in Albania",
            "Zelenskyy had joined more than 40 European leaders in Albania",
        ),
    ],
)
def test_numbers_written_as_news_writes_them(new, old):
    rel, codes = relation(new, old)
    assert rel == "contradict" and "number" in codes


def test_units_written_out_and_dozens_agree_when_the_value_does():
    rel, codes = relation(
        "the frontline, some 1,000 kilometres long", "the 1,000km frontline has held"
    )
    assert rel != "contradict"
    assert q.parse_number("two dozen") == 24 and q.parse_number("half a dozen") == 6


FIDAN = (
    "The meeting between the Ukrainian and Russian sides was chaired by Turkish foreign minister "
    "Hakan Fidan, who said it was critically important that a ceasefire begins."
)


@pytest.mark.parametrize(
    ("new", "conflict"),
    [
        ("The meeting was chaired by Turkey's foreign minister, Mevlüt Çavuşoğlu", True),
        ("Turkey's foreign minister, Hakan Fidan, chaired it", False),  # the same holder
        ("Turkish Foreign Minister Fidan chaired the talks", False),  # the surname alone
        ("Turkey's former foreign minister Mevlüt Çavuşoğlu was in the room", False),
        ("Turkish deputy foreign minister Ali Kemal took notes", False),  # another rank
        ("Russian foreign minister Sergei Lavrov stayed in Moscow", False),  # another country
    ],
)
def test_one_office_held_by_two_people(new, conflict):
    from claimcheck.judge.titles import holder_conflict

    assert (holder_conflict(new, FIDAN) is not None) is conflict


STATEMENT_BY_STARMER = (
    "Sir Keir Starmer, UK prime minister, said Putin’s position was “clearly unacceptable” in a "
    + STATEMENT
)


@pytest.mark.parametrize(
    ("new", "conflict"),
    [
        (
            "Joint line from Starmer, Macron, Scholz and Tusk: Putin's position is unacceptable.",
            "Scholz",
        ),
        (
            "Starmer, Macron, Merz and Poland's president, Andrzej Duda, had put out a joint "
            "statement calling Putin's position clearly unacceptable",
            "Duda",
        ),
        # the same group, the group with a member added, a name spelt another way
        ("STARMER, MACRON, MERZ, TUSK: PUTIN'S POSITION CLEARLY UNACCEPTABLE", None),
        ("Starmer, Macron, Merz, Tusk and Meloni called it unacceptable", None),
        ("Starmer, Macron, Mertz and Tusk called Putin's position unacceptable", None),
        # a list of places is no list of people
        ("Starmer spoke of Donetsk, Luhansk, Kherson and Crimea", None),
    ],
)
def test_another_person_in_a_listed_group_conflicts(new, conflict):
    from claimcheck.judge import detectors as d

    old = d.view(claim(STATEMENT_BY_STARMER, "Keir Starmer", "indirect"))
    found = d.list_person_conflict(d.view(claim(new)), old)
    assert (found.new_terms if found else None) == ([conflict] if conflict else None)


MEDINSKY = (
    "Vladimir Medinsky, a presidential aide to Putin and former culture minister who headed the "
    "Russian delegation"
)


@pytest.mark.parametrize(
    ("new", "conflict"),
    [
        ("Moscow sent Vladimir Medinsky, the Kremlin's chief spokesman", True),
        (
            "Vladimir Medinsky, historian, one-time minister of culture and these days speaker "
            "of the Duma",
            True,
        ),
        ("for Russia, Medinskiy, who is Russia's deputy PM these days", True),
        # another aide's wording, a past office, a task rather than an office
        ("Kremlin aide Vladimir Medinsky said", False),
        ("Medinsky, Putin's adviser, said", False),
        ("Vladimir Medinsky, a former culture minister and now a presidential aide, said", False),
        ("Medinsky, Russia's chief negotiator, said", False),
        ("Vladimir Medinsky, the head of the Russian delegation, said", False),
        ("Medinsky, who met Umerov at 3 pm, said", False),
    ],
)
def test_a_staff_or_chamber_post_instead_of_another_conflicts(new, conflict):
    assert bool(t.title_conflict(new, MEDINSKY)) is conflict


def test_a_press_secretary_is_a_spokesman_and_aides_are_never_one_office_held_twice():
    assert (
        t.title_conflict(
            "Dmitry Peskov, Putin's press secretary, said", "Dmitry Peskov, the Kremlin spokesman"
        )
        is None
    )
    assert (
        t.holder_conflict(
            "Russia's presidential aide Yuri Ushakov",
            "Russia's presidential aide Vladimir Medinsky",
        )
        is None
    )
    # a description that names someone else ends the first person's apposition
    both = (
        "Ukraine's delegation was led by Defence Minister Rustem Umerov, Russia's by Vladimir "
        "Medinsky, an aide to Vladimir Putin."
    )
    assert t.title_conflict(both, UMEROV) is None
    assert t.title_conflict(both, MEDINSKY) is None


def test_a_venue_named_with_its_city_is_the_same_venue():
    old = "The delegations sat at a large U-shaped table at the Dolmabahçe Palace in Istanbul"
    assert (
        "place" not in relation("Session at Istanbul's Dolmabahce Palace chaired by Fidan", old)[1]
    )
    assert relation("The session at Istanbul's Çırağan Palace lasted two hours", old)[0] == (
        "contradict"
    )


def test_a_copula_before_a_possessive_states_an_office():
    assert t.title_conflict("Rustem Umerov is Ukraine's deputy prime minister", UMEROV)
    assert t.title_conflict("Rustem Umerov is Ukraine's defence minister", UMEROV) is None


def test_a_listed_group_is_compared_on_a_weak_resemblance():
    # two lists that share two people are specific enough: the person-in-a-role gate (0.4)
    # does not hold them back
    new = "It lists the signatories as Starmer, Macron, Merz and Spain's Pedro Sánchez."
    relation_, codes = relation(new, STATEMENT_BY_STARMER, sim=0.3)
    assert relation_ == "contradict" and "person" in codes


def test_a_pronoun_is_no_holder_of_an_office():
    assert t.holder_conflict("He is Ukraine's defence minister.", UMEROV) is None


def test_a_person_introduced_as_another_office_is_flagged():
    old = d.view(claim("Ukrainian defence minister Rustem Umerov led Kyiv's delegation."))
    for text in (
        "The anchor introduced Rustem Umerov as Ukraine's ambassador to Turkey.",
        "The press described Rustem Umerov as Ukraine's national security adviser.",
    ):
        reason = d.office_conflict(d.view(claim(text)), old)
        assert reason is not None and reason.code == "role"
    same = "The anchor introduced Rustem Umerov as Ukraine's defence minister."
    assert d.office_conflict(d.view(claim(same)), old) is None

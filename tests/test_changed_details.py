"""Changed details in the shapes news writes them: a place named by its country, a venue before
its city, lists of places and of people, hedged figures, opposite restrictions, judgements and
urgency, a request denied in other words, and one person at the head of the other side's team.
The detectors read them in any story's words; a paraphrase or an added detail stays clear."""

from __future__ import annotations

import pytest

from claimcheck.extract import extract_claims
from claimcheck.judge import detectors as d
from claimcheck.judge import lexicon
from claimcheck.judge import locations as loc
from claimcheck.judge import quantities as q
from tests.test_detectors import claim

SUMMIT = "The two delegations met at the Ciragan Palace in Istanbul on Tuesday."
TRIP = "The foreign minister had joined other Nato ministers in Poland for a security conference."
ZONES = "The ceasefire would cover Odesa, Mykolaiv, Kherson and Sumy, officials said."


def view(text: str) -> d.ClaimView:
    return d.view(claim(text))


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("The ministers met in the Greek capital.", "Athens"),
        ("Talks resumed in the capital of Moldova.", "Chisinau"),
        ("A summit was held in the Hungarian capital", "Budapest"),
        ("They later flew to the Turkish capital.", "Ankara"),
    ],
)
def test_a_capital_named_by_its_country_is_read_as_the_city(text, city):
    assert city in loc.with_capitals(text)
    assert "capital" not in loc.with_capitals(text)


def test_a_capital_named_by_its_country_is_another_place_for_the_talks():
    reason = loc.place_conflict(
        view("The two delegations met in the Turkish capital."), view(SUMMIT)
    )
    assert reason is not None and reason.code == "place"
    assert reason.new_terms == ["the Turkish capital"]  # highlighted as the claim writes it
    # the capital of the country where the talks were is still the same country's capital,
    # and naming the city itself is compatible with it
    assert (
        loc.place_conflict(view("The delegations met in Istanbul, officials said."), view(SUMMIT))
        is None
    )


def test_a_person_who_came_from_another_capital_was_somewhere_else():
    unnamed = view("The foreign minister had come from a conference in the Czech capital.")
    assert loc.whereabouts_conflict(unnamed, view(TRIP)) is None  # no name: no person
    named_old = view("Sybiha had joined other Nato ministers in Poland for a security conference.")
    named_new = view("Sybiha had come from a conference in the Czech capital.")
    reason = loc.whereabouts_conflict(named_new, named_old)
    assert reason is not None and "Prague" in reason.text
    same = view("Sybiha had come from a conference in the Polish capital.")
    assert loc.whereabouts_conflict(same, named_old) is None  # Warsaw is in Poland


@pytest.mark.parametrize("venue", ["presidential complex", "conference centre", "hotel"])
def test_a_venue_before_its_city_locates_the_gathering(venue):
    new = view(f"The two delegations met at a {venue} in Ankara on Tuesday.")
    assert new.places == ["ankara"]
    assert loc.place_conflict(new, view(SUMMIT)) is not None


def test_a_quiet_night_in_a_city_still_locates_nothing():
    assert view("After a quiet night in Kyiv, the ministers met again.").places == []


def test_another_place_in_the_same_list_conflicts():
    new = view("Officials said the ceasefire would cover Odesa, Mykolaiv, Kherson and Kharkiv.")
    reason = loc.list_place_conflict(new, view(ZONES))
    assert reason is not None
    assert reason.new_terms == ["Kharkiv"] and reason.stored_terms == ["Sumy"]


@pytest.mark.parametrize(
    "text",
    [
        "The ceasefire would cover Sumy, Kherson, Mykolaiv and Odesa.",  # reordered
        "The ceasefire would cover Odesa, Mykolaiv, Kherson, Sumy and Kharkiv.",  # one added
        "Shelling hit Odesa, Kherson and Sumy overnight.",  # a subset
    ],
)
def test_the_same_places_reordered_or_added_to_are_no_list_conflict(text):
    assert loc.list_place_conflict(view(text), view(ZONES)) is None


def test_people_listed_are_no_list_of_places():
    assert loc.place_lists("Macron, Merz, Tusk and Starmer signed it.") == ()


def test_a_name_with_its_country_still_belongs_to_the_list():
    old = view("The letter was signed by Meloni, Sanchez, Frederiksen and Costa.")
    new = view("The letter was signed by Meloni, Sanchez and the Netherlands' Dick Schoof.")
    reason = d.list_person_conflict(new, old)
    assert reason is not None and reason.new_terms == ["Schoof"]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("a little under four hours", 190, 240),
        ("slightly over an hour", 60, 78),
        ("not quite three hours", 144, 180),
        ("close to ninety minutes", 76, 90),
    ],
)
def test_hedged_durations_are_narrow_ranges(text, low, high):
    [found] = q.durations(text)
    assert low <= found.low <= found.high <= high


def test_a_little_under_four_hours_is_not_just_two_hours():
    new, old = (
        view("The session lasted a little under four hours."),
        view("The session ended after just two hours."),
    )
    assert d.duration_conflict(new, old) is not None
    assert d.duration_conflict(view("The session lasted just under two hours."), old) is None


def test_hedged_counts_stay_close_to_the_figure():
    [c] = q.counts("a little over 500 prisoners")
    assert c.qualifier == "a little over"
    old = view("The delegations agreed to free 500 prisoners each.")
    near = view("The delegations agreed to free a little over 500 prisoners each.")
    assert d.number_conflict(near, old) is None
    far = view("The delegations agreed to free well over 800 prisoners each.")
    assert d.number_conflict(far, old) is not None


@pytest.mark.parametrize(
    ("new", "old"),
    [
        (
            "The ministers agreed to ease controls on grain exports.",
            "The ministers agreed to tighten controls on grain exports.",
        ),
        (
            "The council said the proposal was entirely reasonable.",
            "The council called the proposal unacceptable.",
        ),
    ],
)
def test_opposite_restrictions_and_judgements_conflict(new, old):
    reason = d.antonym_conflict(view(new), view(old))
    assert reason is not None and reason.code == "antonym"


@pytest.mark.parametrize(
    ("new", "old"),
    [
        (
            "The minister promised looser rules for grain traders.",
            "The minister promised to tighten rules for grain traders.",
        ),
        (
            "The unions called the offer something they could work with.",
            "The unions called the offer unacceptable.",
        ),
        (
            "The chair said the parties could take their time over a truce.",
            "The chair said a truce must begin as soon as possible.",
        ),
    ],
)
def test_opposites_said_in_other_words(new, old):
    reason = d.antonym_conflict(view(new), view(old))
    assert reason is not None and reason.code == "antonym"


def test_the_same_judgement_is_no_antonym():
    new, old = (
        view("The council found the plan unacceptable."),
        view("The council called the plan unacceptable."),
    )
    assert d.antonym_conflict(new, old) is None
    assert d.stance_agreement(new, old) is not None


def test_one_person_heading_the_other_sides_team_is_a_swap():
    old = view("Sergei Lavrov, who headed the Russian delegation, left early.")
    reason = d.lead_conflict(view("A Ukrainian team headed by Lavrov arrived first."), old)
    assert reason is not None and reason.code == "roles"
    assert d.lead_conflict(view("A Russian team headed by Lavrov arrived first."), old) is None


def test_a_sentence_with_a_noun_for_its_root_stays_one_claim():
    # the small parser reads "minister" as the root and hangs "called" on the name
    text = "France's foreign minister, Jean-Noel Barrot, called Moscow's demands clearly excessive."
    claims = extract_claims(text).claims
    assert [c.assertion for c in claims] == [text]


def test_never_asked_for_denies_requested():
    old = view("The mayor said the council had requested an inquiry into the contract.")
    reason = d.negation_conflict(
        view("The council never asked for an inquiry into the contract."), old
    )
    assert reason is not None and reason.code == "negation"
    assert (
        d.negation_conflict(view("The council asked for an inquiry into the contract."), old)
        is None
    )


def test_none_of_which_negates_the_relative_verb_not_its_subject():
    [*_, last] = lexicon.clauses("Five proposals were tabled, none of which Moscow accepted.")
    assert last.negated and last.head == "accept"


def test_a_pole_inside_a_condition_is_not_asserted():
    old = view("The two unions had agreed to a two-year pay deal.")
    hypothetical = view("If the unions reject the pay deal, strikes will follow.")
    assert d.antonym_conflict(hypothetical, old) is None
    assert d.antonym_conflict(view("The unions rejected the two-year pay deal."), old) is not None


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("The plant closed three springs ago.", 2022),
        ("The plant closed two years ago.", 2023),
        ("The plant closed a year ago.", 2024),
        ("The plant closed last year.", 2024),
    ],
)
def test_a_year_counted_back_from_the_day_written(text, year):
    assert set(q.relative_years(text, 2025)) == {year}


def test_a_hedged_or_undated_count_back_is_no_year():
    assert q.relative_years("The plant closed more than two years ago.", 2025) == {}
    assert q.relative_years("The plant closed two years ago.", None) == {}


def test_a_season_counted_back_conflicts_with_another_year():
    old = d.view(claim("The plant closed in the spring of 2022."), "2025-05-16")
    reason = d.date_conflict(view("The plant closed two springs ago."), old)
    assert reason is not None and reason.new_terms == ["two springs ago"]
    assert d.date_conflict(view("The plant closed three springs ago."), old) is None


def test_a_season_counted_back_agrees_with_the_same_season_named():
    old = d.view(claim("The plant closed in the spring of 2022."), "2025-05-16")
    reason = d.date_agreement(view("The plant closed three springs ago."), old)
    assert reason is not None and reason.new_terms == ["three springs ago"]
    assert d.date_agreement(view("The plant closed three autumns ago."), old) is None


def test_hand_over_is_no_qualifier():
    [c] = q.counts("The guards will hand over 300 prisoners.")
    assert c.qualifier == ""
    [c] = q.counts("The guards freed over 300 prisoners.")
    assert c.qualifier == "over"


def test_most_of_the_day_is_a_long_duration():
    [found] = q.durations("The hearing ran for most of the day.")
    assert found.low >= 300


@pytest.mark.parametrize(
    "text",
    [
        "The hearing stretched over two days.",
        "The talks were spread over two days, with a break overnight.",
        "The negotiations lasted three full days.",
        "It was a two-day session in Vienna.",
        "After four days of talks the envoys went home.",
    ],
)
def test_days_that_an_event_lasted_are_a_duration(text):
    [found] = q.durations(text)
    assert found.low >= 1440
    old = view("The hearing wrapped up after just two hours.")
    assert d.duration_conflict(view(text), old) is not None


def test_days_spent_somewhere_before_an_event_are_not_its_length():
    assert q.durations("The envoys had been in Vienna for two days before the hearing.") == []
    assert q.durations("The butter was spread over two slices.") == []
    assert q.durations("It took two days to agree on a venue.") == []


def test_an_adverb_between_the_person_and_the_verb_still_places_them():
    old = view("Sybiha had joined other Nato ministers in Poland for a security conference.")
    new = view("Sybiha had earlier joined other ministers at a conference in Greece.")
    assert loc.whereabouts_conflict(new, old) is not None


def test_a_list_of_countries_is_left_to_the_member_detector():
    assert loc.place_lists("Leaders of France, Germany, Poland and Britain were on the call.") == ()


_DAWN_RAID = "Sirens sounded before dawn as the army launched another drone attack on the port."


@pytest.mark.parametrize(
    "text",
    [
        "The drone attack on the port came in the evening, after the envoys had left.",
        "The attack on the port came in the afternoon, while the envoys were still talking.",
        "The drone attack struck the port at midday.",
    ],
)
def test_an_attack_at_another_time_of_day_is_flagged(text):
    reason = d.time_of_day_conflict(view(text), view(_DAWN_RAID))
    assert reason is not None and reason.code == "date"


@pytest.mark.parametrize(
    "text",
    [
        "The pre-dawn drone attack on the port killed two.",  # the same part of the day
        "The attack on the port came at dawn.",  # dawn may still be night
        "On the morning of the talks the army launched a drone attack on the port.",
        "The talks on the port began in the afternoon.",  # another event
        "The drone attack on the port killed two.",  # no time of day
    ],
)
def test_a_time_of_day_that_may_agree_or_dates_another_event_is_not_flagged(text):
    assert d.time_of_day_conflict(view(text), view(_DAWN_RAID)) is None


_FRONT = (
    "Analysts reported that Russian forces had seized more ground in the eastern Donetsk "
    "region, particularly around the cities of Pokrovsk and Toretsk."
)


def test_the_same_towns_put_in_another_region_are_flagged():
    new = "Analysts said Russian forces had pushed into the Kharkiv region, around Pokrovsk."
    reason = loc.region_conflict(view(new), view(_FRONT))
    assert reason is not None and reason.code == "place" and "Pokrovsk" in reason.text


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces advanced in the Kharkiv region.",  # another front, perhaps
        "Russian forces took ground around Pokrovsk in the Donetsk region.",  # the same region
        "Russian forces shelled the Kharkiv region and the Donetsk region near Pokrovsk.",
    ],
)
def test_another_region_without_a_shared_town_is_not_flagged(text):
    assert loc.region_conflict(view(text), view(_FRONT)) is None


def test_a_count_that_names_its_members_is_a_group_not_a_figure():
    more_than_40 = q.counts("Zelenskyy had joined more than 40 European leaders in Albania")
    four = q.counts("Four leaders, from France, Germany, the UK and Poland, joined the call.")
    assert four == [] and q.counts_conflict(four, more_than_40) is None
    # a count whose list is shorter or missing is still a figure
    assert q.counts("Four leaders joined the call.")[0].value == 4
    assert q.counts("Five leaders, from France, Germany and Poland, joined.")[0].value == 5


def test_one_of_something_from_each_side_is_no_count_of_people():
    assert q.counts("Two detailed ceasefire plans, one from each side, are to be drawn up.") == []
    assert q.counts("They agreed to free 500 prisoners from each side.")[0].per_side


def test_a_journey_has_its_own_day_and_a_speech_its_own_length():
    old = view("Talks between Ukraine and Russia ended on Friday; they lasted just two hours.")
    home = view("State media said the delegation would fly home on Saturday morning.")
    assert d.date_conflict(home, old) is None
    assert d.date_conflict(view("The delegations held the talks on Saturday."), old) is not None
    assert q.durations("Mr Fidan spoke for eight minutes before the cameras left.") == []
    assert q.durations("The bulletin gave it the first eleven minutes.") == []
    assert q.durations("The talks lasted eight minutes.") != []


def test_the_same_thing_owned_by_the_other_side_is_a_swap():
    old = view(
        "No progress was made on a ceasefire due to Moscow’s maximalist territorial demands."
    )
    new = view("The sticking point was Kyiv's maximalist territorial demands.")
    reason = d.possessor_swap(new, old)
    assert reason is not None and reason.code == "roles"
    assert reason.new_terms == ["Kyiv's maximalist territorial demands"]
    assert (
        d.possessor_swap(view("Moscow's maximalist territorial demands stalled it."), old) is None
    )
    # one word in common is not enough ("Kyiv's war" / "Russia's war" are both said)
    assert d.possessor_swap(view("Kyiv's demands stalled it."), old) is None


_PARTLY = view(
    "The rebels want the army to withdraw completely from three provinces partly under rebel "
    "control."
)


@pytest.mark.parametrize(
    "text",
    [
        "The rebels demanded a withdrawal from all three provinces, including the parts they do "
        "not control.",
        "They want the army out of three provinces, land the rebels don't control included.",
        "They want the army out of three provinces, including territory the rebels do not control.",
    ],
)
def test_a_negation_about_a_part_agrees_with_a_partial_claim(text):
    assert d.negation_conflict(view(text), _PARTLY) is None


def test_a_negation_of_the_whole_still_conflicts_with_a_partial_claim():
    new = view(
        "The rebels demanded a withdrawal from three provinces that are not under rebel control."
    )
    assert d.negation_conflict(new, _PARTLY) is not None


_SEIZED = view("Monitors said the army had seized more ground near the river crossing.")


def test_no_after_a_verb_of_outcome_still_denies_the_outcome():
    old = view("The mediation ended on Monday with an agreement on a water-sharing plan.")
    assert d.negation_conflict(view("The mediation produced no agreement of any kind."), old)
    assert d.negation_conflict(view("The mediation reached no agreement on water."), old)


def test_no_after_another_verb_denies_that_verb():
    # "gave no ground" (yielded nothing) says nothing against "seized more ground"
    assert (
        d.negation_conflict(view("On the central question the army gave no ground."), _SEIZED)
        is None
    )
    # the same verb, or a verb that only carries the "no", still conflicts
    assert d.negation_conflict(view("The army seized no ground near the crossing."), _SEIZED)
    assert d.negation_conflict(
        view("Monitors said there was no ground seized by the army."), _SEIZED
    )


@pytest.mark.parametrize(
    ("text", "lengths"),
    [
        ("The mayor's convoy arrived about an hour before the start.", []),
        ("The hearing began two hours late.", []),
        ("The envoys came forty minutes ahead of the ministers.", []),
        ("The hearing lasted two hours before the chair adjourned it.", ["two hours"]),
        (
            "The jurors were out for barely forty-five minutes before they returned.",
            ["barely forty-five minutes"],
        ),
        ("Two hours after they sat down, the doors opened.", ["Two hours"]),
    ],
)
def test_an_offset_from_another_moment_is_no_duration(text, lengths):
    assert [x.text for x in q.durations(text)] == lengths


@pytest.mark.parametrize(
    ("words", "value"),
    [("forty-five", 45), ("ninety five", 95), ("twenty-one", 21), ("seventy", 70), ("thirty", 30)],
)
def test_a_ten_and_a_unit_are_one_number(words, value):
    assert q.parse_number(words) == value
    [length] = q.durations(f"It lasted {words} minutes.")
    assert length.low <= value <= length.high


def test_a_clock_time_in_the_morning_is_not_before_dawn():
    raid = view("Sirens sounded before dawn as the army launched another drone attack on the port.")
    for text in (
        "The sirens over the port started at around nine this morning.",
        "The drone attack on the port came at 10.30am.",
    ):
        reason = d.time_of_day_conflict(view(text), raid)
        assert reason is not None and reason.code == "date", text
    # the vague "this morning" may be before dawn
    assert (
        d.time_of_day_conflict(view("The sirens over the port started this morning."), raid) is None
    )


def test_one_post_for_a_minister_chief_of_staff():
    old = "Interior minister Lena Varga, who led the delegation, spoke first."
    for text in (
        "The president's chief of staff, Lena Varga, led the delegation.",
        "Lena Varga, the prime minister's chief of staff, led the team.",
    ):
        assert d.office_conflict(view(text), view(old)) is not None, text
    assert d.office_conflict(view("Interior minister Lena Varga led the team."), view(old)) is None


def test_a_movement_with_one_side_unnamed_is_read_when_the_same_thing_is_moved():
    old = view("The release of Ukrainian children forcibly taken to Russia was raised, he said.")
    moved = view("He said they raised the children who were forcibly taken to Armenia.")
    reason = loc.movement_conflict(moved, old)
    assert reason is not None and reason.new_terms == ["Armenia"]
    # another thing moved, the side unnamed: no reading
    assert loc.movement_conflict(view("Troops were taken to Armenia."), old) is None


def test_a_request_in_the_passive_names_its_side_after_by():
    old = view("The mayor confirmed that the Ukrainian side had requested a meeting of presidents.")
    for text in (
        "The idea of a meeting of presidents had been put forward by Moscow's delegation.",
        "A meeting of presidents was requested by the Russian side, the mayor said.",
    ):
        reason = d.role_swap(view(text), old)
        assert reason is not None and reason.new_terms == ["Russia"], text
    same = view("A meeting of presidents was requested by the Ukrainian side.")
    assert d.role_swap(same, old) is None


def test_leaders_on_a_phone_call_are_not_the_leaders_at_a_summit():
    summit = view("The prime minister had joined more than 30 Nordic leaders in Oslo for a summit.")
    call = view(
        "Afterwards the prime minister briefed the president by phone, with five Nordic "
        "leaders on the line."
    )
    assert call.phone and not summit.phone
    assert d.number_conflict(call, summit) is None
    # two counts of one summit's leaders still conflict
    other_summit = view("The prime minister joined twenty Nordic leaders at the Oslo summit.")
    assert d.number_conflict(other_summit, summit) is not None


def test_a_colon_ends_an_apposition():
    from claimcheck.judge.titles import titles

    said = "The bank's chief, Anna Berg, put it bluntly: one president was ready to act."
    assert not any(t.office == "president" for t in titles(said))
    # an apposition that does name her office is still read
    named = "Anna Berg, the regional bank's president, put it bluntly."
    assert [t.office for t in titles(named)] == ["president"]


_CALL = view(
    "The premier said that after the summit he held a phone call with the chancellor, together "
    "with the leaders of Norway, Sweden, Finland and Denmark."
)


@pytest.mark.parametrize(
    ("text", "conflict"),
    [
        ("He briefed the chancellor by phone, joined by six Nordic leaders.", True),
        ("He and three other leaders were on the phone to the chancellor.", True),
        ("He briefed the chancellor by phone with four Nordic leaders on the line.", False),
        ("He briefed the chancellor by phone with some six leaders on the line.", False),
    ],
)
def test_a_count_of_leaders_against_the_list_of_their_countries(text, conflict):
    from claimcheck.judge.members import leaders_count_conflict

    assert (leaders_count_conflict(view(text), _CALL) is not None) is conflict


def test_a_claim_placing_someone_at_a_summit_and_on_a_call_is_about_the_summit_too():
    both = view("Attending a summit in Oslo, the premier had spoken by phone with the chancellor.")
    assert not both.phone


def test_no_word_of_something_denies_the_thing():
    old = view("The council expressed support for the mayor's plan.")
    new = view("The council offered the mayor no word of support for the plan.")
    reason = d.negation_conflict(new, old)
    assert reason is not None and reason.code == "negation"
    assert lexicon.clauses("There was no hint of a deal.")[0].head == "deal"


@pytest.mark.parametrize(
    ("text", "conflict"),
    [
        ("The sirens over the port only sounded after the talks had ended.", True),
        ("Once the negotiations were over, the drone attack on the port began.", True),
        ("The sirens over the port sounded ahead of the talks.", False),
        ("The sirens over the port sounded again.", False),  # no order given
    ],
)
def test_an_attack_after_the_talks_is_not_one_before_them(text, conflict):
    old = view(
        "Sirens sounded before dawn ahead of Tuesday's talks as a drone attack hit the port."
    )
    assert (d.time_of_day_conflict(view(text), old) is not None) is conflict


@pytest.mark.parametrize(
    ("new", "old", "kind"),
    [
        (
            "The rebels appeared to be winding down their operations in the north.",
            "Officials said the rebels appeared to be gearing up for operations in the north.",
            "escalation",
        ),
        (
            "The rebels arrived with modest demands on the northern provinces.",
            "The rebels arrived with maximalist demands on the northern provinces.",
            "scope",
        ),
        (
            "The rebels sent their most senior team in years to the capital.",
            "The rebels sent a low-level team to the capital, the minister said.",
            "rank",
        ),
    ],
)
def test_opposite_escalation_scope_and_rank(new, old, kind):
    reason = d.antonym_conflict(view(new), view(old))
    assert reason is not None and kind in reason.text


@pytest.mark.parametrize(
    "new",
    [
        "The minister said the package would leave the coal exports untouched.",
        "What the package does not touch is the coal exports, the minister said.",
    ],
)
def test_something_left_untouched_is_not_restricted(new):
    old = view("The minister said the package would impose a ban on the coal exports.")
    reason = d.antonym_conflict(view(new), old)
    assert reason is not None and "restrictions" in reason.text


def test_understandable_is_no_unacceptable_and_distance_is_no_support():
    old = view("The premier called the rebels' position clearly unacceptable.")
    new = view("The premier called the rebels' position harsh but understandable.")
    reason = d.antonym_conflict(new, old)
    assert reason is not None and "acceptability" in reason.text
    backed = view("The regional assembly expressed support for the premier's plan.")
    distanced = view("The regional assembly distanced itself from the premier's plan.")
    reason = d.antonym_conflict(distanced, backed)
    assert reason is not None and "support" in reason.text

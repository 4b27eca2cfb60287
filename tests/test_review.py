"""The review state machine, its writes and the queue's queries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reviewdata import STORED_QUOTE, add_stored_article, submit_contradiction

from claimcheck.errors import ReviewError
from claimcheck.review import queue as review
from claimcheck.review.passages import Passage, highlight, passage_at
from claimcheck.review.queue import QueueFilter, plan_decision


@pytest.fixture
def flagged(store):
    stored = add_stored_article(store)
    report = submit_contradiction(store, stored)
    return store, stored, report.flag_ids[0]


# ----------------------------------------------------------------- pure decisions
def test_every_status_can_move_to_every_other():
    targets = {"confirm": "confirmed", "dismiss": "dismissed", "follow-up": "follow-up"}
    targets["reopen"] = "pending"
    for current in ("pending", "confirmed", "dismissed", "follow-up"):
        for action, to_status in targets.items():
            if to_status == current:
                continue
            d = plan_decision(1, current, action, "Ann Editor")
            assert (d.from_status, d.to_status, d.action) == (current, to_status, action)


def test_a_decision_needs_an_editor_name():
    for editor in (None, "", "   "):
        with pytest.raises(ReviewError, match="editor name is required"):
            plan_decision(1, "pending", "confirm", editor)


def test_editor_name_and_note_are_tidied():
    d = plan_decision(1, "pending", "dismiss", "  Ann   Editor ", "  same figure, rounded  ")
    assert d.editor == "Ann Editor"
    assert d.note == "same figure, rounded"
    assert plan_decision(1, "pending", "dismiss", "Ann", "   ").note is None


def test_repeating_the_status_is_refused_unless_it_adds_a_note():
    with pytest.raises(ReviewError, match="already confirmed"):
        plan_decision(4, "confirmed", "confirm", "Ann")
    d = plan_decision(4, "confirmed", "confirm", "Ann", "called the ministry")
    assert (d.action, d.from_status, d.to_status) == ("note", "confirmed", "confirmed")


def test_unknown_actions_and_overlong_input_are_refused():
    with pytest.raises(ReviewError, match="Unknown review action"):
        plan_decision(1, "pending", "delete", "Ann")
    with pytest.raises(ReviewError, match="longer than"):
        plan_decision(1, "pending", "confirm", "A" * 101)
    with pytest.raises(ReviewError, match="longer than"):
        plan_decision(1, "pending", "confirm", "Ann", "x" * 5001)


# ----------------------------------------------------------------- writes
def test_a_decision_updates_the_flag_and_appends_an_event(flagged):
    store, _, flag_id = flagged
    review.decide_flag(store, flag_id, "confirm", "Ann Editor", "Ask the ministry")
    detail = review.get_flag(store, flag_id)
    assert detail.status == "confirmed"
    assert detail.summary.editor == "Ann Editor"
    assert detail.note == "Ask the ministry"
    assert [(e.action, e.from_status, e.to_status, e.editor) for e in detail.events] == [
        ("flagged", None, "pending", None),
        ("confirm", "pending", "confirmed", "Ann Editor"),
    ]


def test_editors_can_change_their_mind_and_nothing_is_deleted(flagged):
    store, _, flag_id = flagged
    review.decide_flag(store, flag_id, "confirm", "Ann", "looks real")
    review.decide_flag(store, flag_id, "dismiss", "Bob", "500 was the first batch only")
    review.decide_flag(store, flag_id, "reopen", "Ann")
    events = review.flag_events(store, flag_id)
    assert [e.to_status for e in events] == ["pending", "confirmed", "dismissed", "pending"]
    assert review.flag_status(store, flag_id) == "pending"
    # The last note stays on the flag when a later change gives none; the history keeps all.
    assert review.get_flag(store, flag_id).note == "500 was the first batch only"
    assert store.db["flags"].count == 1


def test_a_stale_decision_is_refused_instead_of_overwriting_another_editor(flagged):
    store, _, flag_id = flagged
    review.decide_flag(store, flag_id, "dismiss", "Bob")
    with pytest.raises(ReviewError, match="changed to dismissed"):
        review.decide_flag(store, flag_id, "confirm", "Ann", expected_status="pending")
    assert review.flag_status(store, flag_id) == "dismissed"
    assert len(review.flag_events(store, flag_id)) == 2


def test_the_status_guard_holds_even_for_a_planned_decision(flagged):
    store, _, flag_id = flagged
    decision = plan_decision(flag_id, "pending", "confirm", "Ann")
    review.decide_flag(store, flag_id, "follow-up", "Bob")
    with pytest.raises(ReviewError, match="changed to follow-up"):
        review.record_decision(store, decision)


def test_unknown_flag(store):
    with pytest.raises(ReviewError, match="no flag 42"):
        review.decide_flag(store, 42, "confirm", "Ann")
    with pytest.raises(ReviewError, match="no flag 42"):
        review.get_flag(store, 42)


def test_checking_the_same_article_again_does_not_duplicate_its_flag(store):
    stored = add_stored_article(store)
    first = submit_contradiction(store, stored)
    review.decide_flag(store, first.flag_ids[0], "confirm", "Ann")
    second = submit_contradiction(store, stored)
    assert second.flag_ids == first.flag_ids
    assert second.run_id != first.run_id
    assert store.db["flags"].count == 1
    # The editor's decision survives the re-check.
    assert review.flag_status(store, first.flag_ids[0]) == "confirmed"
    other = submit_contradiction(store, stored, number="2,000")
    assert other.flag_ids != first.flag_ids
    assert store.db["flags"].count == 2


# ----------------------------------------------------------------- reading
def test_flag_detail_has_both_claims_in_their_paragraphs(flagged):
    store, stored, flag_id = flagged
    detail = review.get_flag(store, flag_id)
    assert detail.summary.speaker == "Rustem Umerov"
    assert detail.summary.outlet == "Meridian Wire"
    new = detail.passage
    assert new is not None
    assert new.text[new.start : new.end] == "1,000 prisoners would be exchanged next week"
    assert new.text.startswith("Rustem Umerov said 1,000")
    ((cited, passage),) = detail.stored
    assert cited.claim.id == stored.claim.id
    assert cited.outlet == "Kyiv Independent"
    assert passage.text[passage.start : passage.end] == STORED_QUOTE
    assert "more talks were planned" in passage.text
    assert [(r.code, r.new_terms, r.stored_terms) for r in detail.reasons] == [
        ("number", ["1,000"], ["500"])
    ]


def test_queue_puts_pending_first_and_filters(store):
    stored = add_stored_article(store)
    a = submit_contradiction(store, stored, number="1,000").flag_ids[0]
    b = submit_contradiction(store, stored, number="2,000", outlet="Daily Planet").flag_ids[0]
    c = submit_contradiction(store, stored, number="3,000").flag_ids[0]
    review.decide_flag(store, a, "confirm", "Ann")
    assert [f.id for f in review.list_flags(store)] == [b, c, a]
    assert [f.id for f in review.list_flags(store, QueueFilter(status="confirmed"))] == [a]
    assert [f.id for f in review.list_flags(store, QueueFilter(outlet="daily"))] == [b]
    counts = review.status_counts(store)
    assert counts == {"pending": 2, "confirmed": 1, "dismissed": 0, "follow-up": 0}
    assert review.status_counts(store, QueueFilter(outlet="planet"))["pending"] == 1
    assert review.outlets(store) == ["Daily Planet", "Meridian Wire"]


def test_speaker_filter_is_typo_tolerant(store):
    stored = add_stored_article(store)
    flag = submit_contradiction(store, stored, speaker="Umerov").flag_ids[0]
    assert [f.id for f in review.list_flags(store, QueueFilter(speaker="Umierov"))] == [flag]
    assert review.list_flags(store, QueueFilter(speaker="Zelensky")) == []


def test_neighbours_follow_the_filtered_queue(store):
    stored = add_stored_article(store)
    ids = [submit_contradiction(store, stored, number=n).flag_ids[0] for n in "123"]
    pending = QueueFilter(status="pending")
    assert review.neighbours(store, ids[1], pending) == (ids[0], ids[2])
    review.decide_flag(store, ids[1], "confirm", "Ann")
    # Decided, it left the pending view: its neighbours are still the flags around it.
    assert review.neighbours(store, ids[1], pending) == (ids[0], ids[2])
    assert review.neighbours(store, ids[2], pending) == (ids[0], None)


def test_an_unknown_status_filter_is_an_error(store):
    with pytest.raises(ReviewError, match="Unknown status"):
        review.list_flags(store, QueueFilter(status="done"))


# ----------------------------------------------------------------- passages
def test_passage_is_the_paragraph_around_the_claim():
    text = "Headline\n\nFirst para.\n\nHe said the war would end soon. Then he left.\n\nLast."
    p = passage_at(text, text.index("the war"), text.index(" soon") + 5, "the war would end soon")
    assert p.text == "He said the war would end soon. Then he left."
    assert p.text[p.start : p.end] == "the war would end soon"


def test_passage_refuses_offsets_that_do_not_fit_the_text():
    assert passage_at("short text", 0, 5, "other") is None
    assert passage_at("short text", 4, 50, "t text") is None
    assert passage_at(None, 0, 1, "s") is None


def test_long_paragraph_is_cut_around_the_claim():
    text = "word " * 1000 + "the claim is here " + "word " * 1000
    start = text.index("the claim")
    p = passage_at(text, start, start + 17, "the claim is here")
    assert p.truncated_before and p.truncated_after
    assert len(p.text) < 1400
    assert p.text[p.start : p.end] == "the claim is here"


def test_highlight_marks_whole_words_inside_the_claim_only():
    text = "Not 500 here. He said 500 troops were not there."
    p = Passage(text=text, start=text.index("500 troops"), end=len(text) - 1)
    segs = highlight(p, ["500", "no", "not"])
    assert "".join(s.text for s in segs) == text
    marked = [s.text for s in segs if s.is_term]
    assert marked == ["500", "not"]  # not the 500 before the claim, not "no" inside "not"
    assert all(s.in_claim for s in segs if s.is_term)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(min_size=1, max_size=80),
    bounds=st.tuples(st.integers(0, 80), st.integers(0, 80)),
    terms=st.lists(st.text(max_size=6), max_size=4),
)
def test_highlight_never_loses_or_invents_text(text, bounds, terms):
    start, end = sorted(min(b, len(text)) for b in bounds)
    segments = highlight(Passage(text=text, start=start, end=end), terms)
    assert "".join(s.text for s in segments) == text
    position = 0
    for s in segments:
        assert s.text
        assert s.in_claim == (start <= position < end)
        assert not s.is_term or s.in_claim
        position += len(s.text)


def test_two_editors_deciding_at_once_cannot_both_win(db_path):
    """Separate connections, as two web requests have: exactly one decision is recorded."""
    import threading

    from claimcheck.archive.store import Store

    setup = Store.open(db_path)
    flag_id = submit_contradiction(setup, add_stored_article(setup)).flag_ids[0]
    setup.close()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def editor(name: str, action: str) -> None:
        store = Store.open(db_path)
        try:
            barrier.wait()
            review.decide_flag(store, flag_id, action, name, expected_status="pending")
            outcomes.append("saved")
        except ReviewError:
            outcomes.append("refused")
        finally:
            store.close()

    threads = [
        threading.Thread(target=editor, args=("Ann", "confirm")),
        threading.Thread(target=editor, args=("Bob", "dismiss")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "saved"]
    store = Store.open(db_path)
    events = review.flag_events(store, flag_id)
    store.close()
    assert len(events) == 2  # flagged + the one decision that won

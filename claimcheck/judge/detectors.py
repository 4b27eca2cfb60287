"""Explicit conflict detectors: each looks for one kind of contradiction between two claims.

A detector answers with a `Reason` an editor can check ("numbers differ: 500 vs 1,000") or with
None. Detectors do not decide whether the two claims are about the same thing; `rules.py` gates
them (similarity, shared words, same occasion) before believing them, because a number that
differs between two stories about different events is not a contradiction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from ..models import Claim, Reason
from . import measures as meas
from . import quantities as q
from .contrasts import correction_conflict
from .daytimes import day_parts, talks_order
from .lexicon import (
    ANTONYMS,
    OTHER_EVENT_WORDS,
    PHRASAL_VERBS,
    STOPWORDS,
    TALKS_WORDS,
    Clause,
    clauses,
    content_stems,
    fold,
    occasion_marker,
    stem,
)
from .locations import (  # noqa: F401  (re-exported: the detectors' own names)
    PLACE_NAMES,
    gathering_place_conflict,
    list_place_conflict,
    movement_conflict,
    place_conflict,
    places,
    places_compatible,
    region_conflict,
    whereabouts_conflict,
)
from .locations import surface as _surface
from .members import leaders_count_conflict, member_conflict
from .roles import (  # noqa: F401  (re-exported: the detectors' own names)
    NAME_RE,
    NOT_NAMES,
    NOT_SURNAMES,
    PARTIES,
    lead_conflict,
    list_person_conflict,
    names_at,
    person_conflict,
    person_lists,
    possessor_swap,
    role_swap,
    surnames,
)
from .titles import office_conflict, venue_conflict


@dataclass
class ClaimView:
    """What the detectors read from one claim, computed once per claim."""

    claim: Claim
    text: str
    folded: str
    stems: frozenset[str]
    clauses: list[Clause]
    counts: list[q.Count]
    durations: list[q.Duration]
    weekdays: set[str]
    years: set[int]
    places: list[str]
    speaker_key: str
    event: str  # "talks" | "other" | ""
    other_occasion: str  # the words marking another occasion ("next round"), or ""
    published_year: int | None = None
    surnames: set[str] = field(default_factory=set)
    # on a phone call, and at no summit: its leaders are the call's, not a gathering's
    phone: bool = False


def claim_text(claim: Claim) -> str:
    """The assertion (pronouns resolved), plus the quote when the assertion leaves words out."""
    assertion = (claim.assertion or "").strip()
    quote = (claim.quote or "").strip()
    if not assertion:
        return quote
    if quote and fold(quote) not in fold(assertion):
        return f"{assertion} ({quote})"
    return assertion


def speaker_key(name: str) -> str:
    parts = [p for p in re.split(r"\s+", fold(name or "")) if p]
    return parts[-1] if parts else ""


PHONE_WORDS = frozenset("phone phoned phones phoning telephone telephoned".split())
# a claim that also places someone at a summit is about the summit as well
GATHERING_WORDS = frozenset("summit community conference forum gathering".split())


def view(claim: Claim, published: str | None = None) -> ClaimView:
    text = claim_text(claim)
    folded = fold(text)
    # The speaker's own name ("Vladimir Medinsky said ...") says who speaks, not what about;
    # left in, it would make every claim by one speaker look alike.
    speaker_words = (
        set(content_stems(claim.speaker or "")) if claim.kind != "unattributed" else set()
    )
    stems = frozenset(content_stems(text)) - speaker_words
    words = set(re.findall(r"[a-z]+", folded))
    talks = bool(stems & TALKS_WORDS) or (
        bool(re.search(r"\bmet\b|\bmeeting\b", folded)) and {"russia", "ukraine"} <= stems
    )
    # A council's "talks" or a leaders' "meeting" is another kind of occasion, whatever else
    # the claim mentions.
    other = bool(words & OTHER_EVENT_WORDS) or "leaders" in words
    event = "other" if other else ("talks" if talks else "")
    year = int(published[:4]) if published and published[:4].isdigit() else None
    return ClaimView(
        claim=claim,
        text=text,
        folded=folded,
        stems=stems,
        clauses=clauses(text),
        counts=q.counts(text),
        durations=q.durations(text),
        weekdays=q.weekdays(text),
        years=q.years(text),
        places=places(text),
        speaker_key=speaker_key(claim.speaker),
        event=event,
        other_occasion=occasion_marker(text),
        published_year=year,
        surnames=surnames(text) - {fold(w) for w in (claim.speaker or "").split()},
        phone=bool(words & PHONE_WORDS) and not words & GATHERING_WORDS,
    )


# ---- numbers, durations, dates ----------------------------------------------------------------


def number_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    if new.phone != old.phone:
        # "the four European leaders on the line" counts a call's people, "more than 40 European
        # leaders in Albania" a summit's
        return None
    pair = q.counts_conflict(new.counts, old.counts)
    if pair is None:
        return None
    x, y = pair
    return Reason("number", f"numbers differ: {x.text} vs {y.text}", [x.text], [y.text])


def measure_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    """A changed count of any other thing: "three F-16s" vs "one of its F-16 fighter jets"."""
    pair = meas.measures_conflict(meas.measures(new.text), meas.measures(old.text))
    if pair is None:
        return None
    x, y = pair
    return Reason("number", f"numbers differ: {x.text} vs {y.text}", [x.text], [y.text])


def number_agreement(new: ClaimView, old: ClaimView) -> Reason | None:
    if new.counts and old.counts and q.counts_conflict(new.counts, old.counts) is None:
        x, y = new.counts[0], old.counts[0]
        return Reason("number", f"same numbers: {x.text} ~ {y.text}", [x.text], [y.text])
    return None


def duration_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    if not new.durations or not old.durations:
        return None
    if any(a.overlaps(b) for a in new.durations for b in old.durations):
        return None
    a, b = new.durations[0], old.durations[0]
    return Reason("duration", f"durations differ: {a.text} vs {b.text}", [a.text], [b.text])


def duration_agreement(new: ClaimView, old: ClaimView) -> Reason | None:
    for a in new.durations:
        for b in old.durations:
            if a.overlaps(b):
                return Reason(
                    "duration", f"durations agree: {a.text} ~ {b.text}", [a.text], [b.text]
                )
    return None


def _dated_years(
    new: ClaimView, old: ClaimView
) -> tuple[int | None, Mapping[int, str], Mapping[int, str], set[int], set[int]]:
    """The year of writing (the new article's, else the stored one's), each claim's years
    counted back from it ("three springs ago"), and each claim's years, named or counted."""
    year = new.published_year or old.published_year
    rel_new, rel_old = q.relative_years(new.text, year), q.relative_years(old.text, year)
    return year, rel_new, rel_old, new.years | set(rel_new), old.years | set(rel_old)


JOURNEY_RE = re.compile(
    r"\b(?:fl(?:y|ew|ies|ying|own)\s+(?:home|back|out|in)|(?:left|leave|leaves|leaving)\s+for|"
    r"depart(?:s|ed|ing)?|arriv(?:e|es|ed|ing)|(?:went|go|goes|going|head(?:s|ed|ing)?)\s+home|"
    r"return(?:s|ed|ing)?\s+(?:home|to)|land(?:s|ed)\s+in)\b"
)


def date_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    # A weekday dates one event: two days conflict only when both claims are about the talks
    # ("a drone struck a bus on Saturday" and "Friday's talks" are different events).
    same_event = new.event == "talks" and old.event == "talks"
    # "the delegation would fly home on Saturday": the day of a journey, not of the talks
    if (
        same_event
        and new.weekdays
        and old.weekdays
        and not new.weekdays & old.weekdays
        and not (JOURNEY_RE.search(new.folded) or JOURNEY_RE.search(old.folded))
    ):
        a, b = sorted(new.weekdays)[0], sorted(old.weekdays)[0]
        return Reason(
            "date",
            f"day differs: {a.title()} vs {b.title()}",
            [_surface(new.text, a)],
            [_surface(old.text, b)],
        )
    year, rel_new, rel_old, years_new, years_old = _dated_years(new, old)
    if years_new and years_old and not years_new & years_old:
        y_new, y_old = min(years_new), min(years_old)
        return Reason(
            "date",
            f"year differs: {y_new} vs {y_old}",
            [rel_new.get(y_new, str(y_new))],
            [rel_old.get(y_old, str(y_old))],
        )
    # Seasons are compared only within one shared year ("spring of 2022" / "autumn of 2022"):
    # a season alone may be of another year.
    s_new, s_old = q.season_words(new.text), q.season_words(old.text)
    if s_new and s_old and not s_new.keys() & s_old.keys() and years_new & years_old:
        a, b = s_new[sorted(s_new)[0]], s_old[sorted(s_old)[0]]
        return Reason(
            "date",
            f"season differs: {a} vs {b} {min(years_new & years_old)}",
            [a],
            [b],
        )
    ys_new, ys_old = q.since_year(new.text, year), q.since_year(old.text, year)
    if ys_new and ys_old and ys_new != ys_old:
        return Reason("date", f"dates differ: since {ys_new} vs since {ys_old}", [str(ys_new)], [])
    return None


# What a time of day can date: one strike, not the talks (the founding article says when the
# attack came, not when the talks sat). Both claims must name the same kind of event.
TIMED_EVENTS = frozenset(
    "attack attacks strike strikes barrage bombardment raid raids sirens shelling explosion "
    "explosions blast blasts".split()
)


_WORD_RE = re.compile(r"[a-z]+")


def time_of_day_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    """ "The attack came in the evening" against "sirens blared before dawn ... as Russia
    launched another missile and drone attack": parts of the day that cannot overlap, in two
    claims about the same kind of event."""
    shared = set(_WORD_RE.findall(new.folded)) & set(_WORD_RE.findall(old.folded)) & TIMED_EVENTS
    if not shared:
        return None
    o_new, o_old = talks_order(new.text), talks_order(old.text)
    if o_new and o_old and o_new[0] != o_old[0]:
        return Reason("date", f"order differs: {o_new[1]} vs {o_old[1]}", [o_new[1]], [o_old[1]])
    p_new, p_old = day_parts(new.text), day_parts(old.text)
    if not p_new or not p_old:
        return None
    all_new = frozenset().union(*p_new.values())
    all_old = frozenset().union(*p_old.values())
    if all_new & all_old:
        return None
    a, b = next(iter(p_new)), next(iter(p_old))
    return Reason("date", f"time of day differs: {a} vs {b}", [a], [b])


def date_agreement(new: ClaimView, old: ClaimView) -> Reason | None:
    """ "First since 2022" and "the first in three years" (said in 2025) point to one year;
    "three springs ago" (said in 2025) is "the spring of 2022"."""
    year, rel_new, rel_old, years_new, years_old = _dated_years(new, old)
    if rel_new or rel_old:
        s_new, s_old = q.seasons(new.text), q.seasons(old.text)
        same = years_new & years_old
        if same and (s_new & s_old or not (s_new and s_old)):
            y = min(same)
            a, b = rel_new.get(y, str(y)), rel_old.get(y, str(y))
            return Reason("date", f"same year: {a} ~ {b}", [a], [b])
    # Only "the first ... since": "a mediator since 2022" states no first time.
    if not ("first" in new.folded.split() and "first" in old.folded.split()):
        return None
    ys_new, ys_old = q.since_year(new.text, year), q.since_year(old.text, year)
    if ys_new and ys_new == ys_old:
        return Reason("date", f"same starting year: since {ys_new}", [str(ys_new)], [])
    return None


# ---- polarity --------------------------------------------------------------------------------


def negation_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    """One claim negates what the other asserts, in clauses about the same things."""
    for neg_view, pos_view, flipped in ((new, old, False), (old, new, True)):
        for k, nc in enumerate(neg_view.clauses):
            if not nc.negated or not nc.head:
                continue
            # "... announced ceasefires but never respected them": a short clause continues the last
            about = nc.stems | (neg_view.clauses[k - 1].stems if k and len(nc.stems) < 3 else set())
            for pc in pos_view.clauses:
                if pc.negated or nc.head not in pc.stems or len(about & pc.stems) < 2:
                    continue
                if _partial_and_part(nc.text, pc.text, nc.head) or _other_verb(nc, pc):
                    continue
                neg_term = _window(nc.text, nc.cue or "", nc.head, before=3)
                pos_term = _window(pc.text, nc.head, nc.head, before=3)
                a, b = (pos_term, neg_term) if flipped else (neg_term, pos_term)
                return Reason("negation", f'negated: "{a}" vs "{b}"', [a], [b])
    return None


# "partly under Moscow's control" and "the parts Russian forces do not control" say one thing:
# a negation about a part ("parts", "land", "not fully") agrees with a partial assertion.
PARTIAL_RE = re.compile(r"\b(?:partly|partially|in part|only part of|part of)\b")
PART_WORDS_RE = re.compile(
    r"\b(?:parts?|land|ground|territory|territories|areas?|stretches|swathes|"
    r"fully|entirely|completely|wholly)\b"
)


def _partial_and_part(neg_text: str, pos_text: str, head: str) -> bool:
    """The positive clause qualifies its head as partial, within a few words before it, and the
    negated clause speaks of a part of the whole: no conflict."""
    pos_folded = fold(pos_text)
    words = pos_folded.split()
    at = next((i for i, w in enumerate(words) if stem(w.strip(".,;:'’")) == head), None)
    if at is None:
        return False
    return bool(PARTIAL_RE.search(" ".join(words[max(0, at - 4) : at]))) and bool(
        PART_WORDS_RE.search(fold(neg_text))
    )


# Verbs that carry a "no" without meaning of their own: "there was no progress", "made no
# commitment", "saw no breakthrough", and those of an outcome ("produced no agreement", "reached
# no deal"). Any other verb before "no" is what is denied: "Moscow gave no ground" says nothing
# against "Russian forces had seized more ground".
CARRIER_VERBS = frozenset(
    """is was were are be been being has have had make makes made making see sees saw seen
    show shows showed shown find finds found get gets got offer offers offered report reports
    reported record records recorded there with produce produces produced producing yield
    yields yielded reach reaches reached achieve achieves achieved bring brings brought result
    resulted lead leads led end ends ended leave leaves left deliver delivers delivered""".split()
)


def _other_verb(nc: Clause, pc: Clause) -> bool:
    """The negated clause's "no" follows a verb of its own that the positive clause lacks."""
    if nc.cue != "no":
        return False
    tokens = [t.strip(".,;:!?“”\"'’()") for t in fold(nc.text).split()]
    at = next((i for i, t in enumerate(tokens) if t == "no"), None)
    if not at:
        return False
    verb = tokens[at - 1]
    if verb in CARRIER_VERBS or verb in STOPWORDS or len(verb) < 3:
        return False
    return stem(verb) not in pc.stems


def _window(text: str, start_word: str, end_stem: str, *, before: int) -> str:
    """The words of `text` from `before` words ahead of `start_word` (a cue or a stem) to the
    first word after it whose stem is `end_stem`: "American support is no longer essential"."""
    tokens = re.findall(r"\S+", text)
    folded = [fold(t).strip(".,;:!?“”\"'’()") for t in tokens]
    cue_words = fold(start_word).split()
    first = next(
        (
            i
            for i, f in enumerate(folded)
            if f == (cue_words[0] if cue_words else "")
            or _reads_as(folded, i, start_word) is not None
            or (start_word == "n't" and f.endswith("n't"))
        ),
        None,
    )
    if first is None:
        return text.strip()
    last = next(
        (
            end
            for j in range(first, len(tokens))
            if (end := _reads_as(folded, j, end_stem)) is not None
        ),
        first,
    )
    return " ".join(tokens[max(0, first - before) : last + 1]).strip(".,;:“”\"'’()")


def _reads_as(folded: list[str], j: int, stem_: str) -> int | None:
    """The index of the last word of the word or phrase at `j` when it reads as `stem_` ("brought
    up" and "discussed" read as "raised"), else None."""
    for n in (3, 2):
        phrase = " ".join(folded[j : j + n])
        if phrase in PHRASAL_VERBS and stem(PHRASAL_VERBS[phrase]) == stem_:
            return j + n - 1
    word = folded[j]
    return j if stem(PHRASAL_VERBS.get(word, word)) == stem_ else None


# "if the Russians reject a ceasefire": a pole inside a condition is not asserted
CONDITION_RE = re.compile(r"\b(?:if|unless|whether|should they|in case)\b[^,;.]*$")


@lru_cache(maxsize=1024)
def _pole_re(word: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(word) + ("" if " " in word else r"\w*"))


@lru_cache(maxsize=16384)
def _poles(folded: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """The words of one pole that `folded` asserts (a claim is compared with many: cached)."""
    hits = []
    for w in words:
        for m in _pole_re(w).finditer(folded):
            if not CONDITION_RE.search(folded, 0, m.start()):
                hits.append(m.group(0))
                break
    return tuple(hits)


def antonym_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    """Opposite words of one class ("satisfied" / "disappointed", "raise" / "lower")."""
    for name, positive, negative in ANTONYMS:
        for a_words, b_words in ((positive, negative), (negative, positive)):
            a_hits = _poles(new.folded, a_words)
            b_hits = _poles(old.folded, b_words)
            if not a_hits or not b_hits:
                continue
            # The same claim holding both poles ("pleased ... not disappointed") is unclear.
            if _poles(new.folded, b_words) or _poles(old.folded, a_words):
                continue
            return Reason(
                "antonym",
                f"opposite {name}: {a_hits[0]} vs {b_hits[0]}",
                [_surface(new.text, a_hits[0])],
                [_surface(old.text, b_hits[0])],
            )
    return None


# Antonym classes that say how the speaker feels, not what happened.
FEELINGS = frozenset({"satisfaction"})


def stance_agreement(
    new: ClaimView, old: ClaimView, classes: frozenset[str] | None = None
) -> Reason | None:
    """The same pole of one antonym class in both claims ("satisfied" / "satisfaction")."""
    for name, positive, negative in ANTONYMS:
        if classes is not None and name not in classes:
            continue
        for pole, other in ((positive, negative), (negative, positive)):
            a, b = _poles(new.folded, pole), _poles(old.folded, pole)
            if a and b and not _poles(new.folded, other) and not _poles(old.folded, other):
                return Reason(
                    "stance",
                    f"same {name}: {a[0]} ~ {b[0]}",
                    [_surface(new.text, a[0])],
                    [_surface(old.text, b[0])],
                )
    return None


Detector = Callable[[ClaimView, ClaimView], "Reason | None"]

# Detectors of facts about one event, which need the two claims to be about the same occasion.
FACT_DETECTORS: tuple[tuple[Detector, float], ...] = (
    (number_conflict, 0.9),
    (measure_conflict, 0.85),
    (office_conflict, 0.8),
    (venue_conflict, 0.85),
    (duration_conflict, 0.85),
    (place_conflict, 0.85),
    (whereabouts_conflict, 0.8),
    (gathering_place_conflict, 0.8),
    (movement_conflict, 0.8),
    (person_conflict, 0.85),
    (list_person_conflict, 0.85),
    (list_place_conflict, 0.85),
    (region_conflict, 0.85),
    (lead_conflict, 0.85),
    (role_swap, 0.85),
    (possessor_swap, 0.85),
    (correction_conflict, 0.85),
    (member_conflict, 0.8),
    (leaders_count_conflict, 0.85),
    (date_conflict, 0.8),
    (time_of_day_conflict, 0.8),
)

"""Explicit conflict detectors: each looks for one kind of contradiction between two claims.

A detector answers with a `Reason` an editor can check ("numbers differ: 500 vs 1,000") or with
None. Detectors do not decide whether the two claims are about the same thing; `rules.py` gates
them (similarity, shared words, same occasion) before believing them, because a number that
differs between two stories about different events is not a contradiction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..archive import speakers
from ..models import Claim, Reason
from . import measures as meas
from . import quantities as q
from .contrasts import correction_conflict
from .lexicon import (
    ALIAS_KEYS,
    ALIASES,
    ANTONYMS,
    OTHER_EVENT_WORDS,
    STOPWORDS,
    STORY_PLACES,
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
    place_conflict,
    places,
    places_compatible,
    whereabouts_conflict,
)
from .locations import surface as _surface
from .members import member_conflict
from .titles import office_conflict, venue_conflict

PARTIES = {"russia": "Russia", "ukraine": "Ukraine"}
NAME_RE = re.compile(r"\b[A-Z][\w’'-]+(?:\s+(?:von der\s+)?[A-Z][\w’'-]+)*")
NOT_NAMES = frozenset(
    """turkish president foreign minister prime defence defense chancellor secretary state
    commission european union the he she they it in on at a an and but if ukrainian russian
    kremlin moscow kyiv ukraine russia us uk eu palace council government air force sir mr
    general january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday meanwhile earlier later
    hours live updates talks previous head who what why how did yes no united states kingdom
    nations""".split()
)


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
    )


# Words of the story's own places are no surnames ("Dolmabahçe"); the gazetteer's are left out
# of this, or "Austin" and "Houston" would stop being names.
PLACE_WORDS = frozenset(w for p in [*STORY_PLACES, *STORY_PLACES.values()] for w in p.split())
NOT_SURNAMES = frozenset(ALIASES) | ALIAS_KEYS | PLACE_WORDS | STOPWORDS


def surnames(text: str) -> set[str]:
    """Last names of the people a text names. A lone capitalised word opening a sentence
    ("Air-raid alerts sounded") is not taken for a name: capitals prove nothing there."""
    return {name for _, name in names_at(text)}


def names_at(text: str) -> list[tuple[int, str]]:
    """(offset, last name) of every person `text` names, in order (see `surnames`)."""
    out = []
    for m in NAME_RE.finditer(text):
        # "Friday's talks": the possessive does not make a weekday a name.
        tokens = [t for t in m.group(0).split() if fold(t).removesuffix("'s") not in NOT_NAMES]
        opens_sentence = (
            not text[: m.start()].strip() or text[: m.start()].rstrip()[-1] in '.:!?"“('
        )
        if not tokens or (opens_sentence and len(m.group(0).split()) == 1):
            continue
        last = fold(tokens[-1]).removesuffix("'s")
        # "Turkey-brokered" names a country, "F-16" a machine: neither is a person.
        if any(c.isdigit() for c in last) or set(last.split("-")) & NOT_SURNAMES:
            continue
        out.append((m.start(), last))
    return out


# ---- numbers, durations, dates ----------------------------------------------------------------


def number_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
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


def date_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    # A weekday dates one event: two days conflict only when both claims are about the talks
    # ("a drone struck a bus on Saturday" and "Friday's talks" are different events).
    same_event = new.event == "talks" and old.event == "talks"
    if same_event and new.weekdays and old.weekdays and not new.weekdays & old.weekdays:
        a, b = sorted(new.weekdays)[0], sorted(old.weekdays)[0]
        return Reason(
            "date",
            f"day differs: {a.title()} vs {b.title()}",
            [_surface(new.text, a)],
            [_surface(old.text, b)],
        )
    if new.years and old.years and not new.years & old.years:
        y_new, y_old = min(new.years), min(old.years)
        return Reason("date", f"year differs: {y_new} vs {y_old}", [str(y_new)], [str(y_old)])
    # Seasons are compared only within one shared year ("spring of 2022" / "autumn of 2022"):
    # a season alone may be of another year.
    s_new, s_old = q.seasons(new.text), q.seasons(old.text)
    if s_new and s_old and not s_new & s_old and new.years & old.years:
        a, b = sorted(s_new)[0], sorted(s_old)[0]
        return Reason(
            "date",
            f"season differs: {a} vs {b} {min(new.years & old.years)}",
            [_surface(new.text, a)],
            [_surface(old.text, b)],
        )
    year = new.published_year or old.published_year
    ys_new, ys_old = q.since_year(new.text, year), q.since_year(old.text, year)
    if ys_new and ys_old and ys_new != ys_old:
        return Reason("date", f"dates differ: since {ys_new} vs since {ys_old}", [str(ys_new)], [])
    return None


def date_agreement(new: ClaimView, old: ClaimView) -> Reason | None:
    """ "First since 2022" and "the first in three years" (said in 2025) point to one year."""
    # Only "the first ... since": "a mediator since 2022" states no first time.
    if not ("first" in new.folded.split() and "first" in old.folded.split()):
        return None
    year = new.published_year or old.published_year
    ys_new, ys_old = q.since_year(new.text, year), q.since_year(old.text, year)
    if ys_new and ys_new == ys_old:
        return Reason("date", f"same starting year: since {ys_new}", [str(ys_new)], [])
    return None


# ---- people and roles --------------------------------------------------------------------------

ROLE_PATTERNS = {
    "chair": re.compile(r"\bchair(?:ed|s|ing)?\b|\bin the chair\b"),
    "lead": re.compile(r"\b(?:led|headed|heads|leads|head of|was led by|was headed by)\b"),
    "joint statement": re.compile(r"\bjoint statement with\b"),
}
MEETING_LED_BY_RE = re.compile(r"\b(?:was|were) (?:led|headed) by\b|\bpresided over by\b")


def _role_people(view_: ClaimView, role: str) -> tuple[set[str], str] | None:
    """The person filling `role` in the claim, and the side (for delegation leads).

    "chaired by X" / "was led by X": the first name after; "X chaired": the nearest name
    before; "X, a presidential aide to Putin who headed ...": the name the apposition is about.
    """
    segments = [seg for seg in re.split(r"(?<=[,;:])\s*", view_.text) if seg.strip()]
    for k, seg in enumerate(segments):
        m = ROLE_PATTERNS[role].search(fold(seg))
        if not m and role == "chair" and "delegation" not in view_.folded:
            m = MEETING_LED_BY_RE.search(fold(seg))  # "The meeting ... was led by X": its chair
        if not m:
            continue
        side = ""
        if role == "lead":
            seg_stems = set(content_stems(seg))
            parties = [p for p in ("russia", "ukraine") if p in seg_stems]
            if "delegation" not in seg_stems or len(parties) != 1:
                continue
            side = parties[0]
        after = fold(seg)[m.end() :].lstrip()
        names = names_at(seg)
        if m.group(0).endswith(" by") or after.startswith("by "):
            chosen = [n for pos, n in names if pos > m.start()][:1]
            if not chosen and k + 1 < len(segments):
                # "chaired by Turkey's intelligence chief, Ibrahim Kalin": the name follows
                # the title, in the apposition
                chosen = [n for _, n in names_at(segments[k + 1])][:1]
        elif re.match(r"\s*(a|an|the|who)\b", fold(seg)) and k > 0:
            previous = names_at(segments[k - 1])
            chosen = [previous[0][1]] if previous else []
        else:
            chosen = [n for pos, n in names if pos < m.start()][-1:]
        if not chosen and role == "chair":
            chosen = [n for pos, n in names][:1]
        if chosen:
            return set(chosen), side
    return None


def _joint_list(view_: ClaimView) -> set[str]:
    m = ROLE_PATTERNS["joint statement"].search(view_.folded)
    if not m:
        return set()
    return surnames(view_.text[m.end() :])


# Between two names of one list: a comma, "and", or a title that belongs to the next name
# ("Merz and Poland's president, Andrzej Duda").
LIST_GAP_RE = re.compile(
    r"\s*,\s*(?:and\s+)?|,?\s+(?:and|&)\s+|,?\s+(?:the\s+)?(?:president|prime minister|premier|"
    r"chancellor|foreign minister|leader|head of state)\s*,?\s+"
)
MIN_LISTED = 3


def _is_person_word(word: str) -> bool:
    w = fold(word).replace("’", "'").removesuffix("'s")
    return (
        len(w) > 2
        and not any(c.isdigit() for c in w)
        and w not in NOT_NAMES
        and w not in NOT_SURNAMES
        and w not in PLACE_NAMES
        and not set(w.split("-")) & NOT_SURNAMES
    )


def person_lists(text: str) -> list[list[str]]:
    """The last names of every list of three or more people in `text`:
    "Starmer, Macron, Scholz and Tusk", "French President Emmanuel Macron, German Chancellor
    Friedrich Merz and Polish Prime Minister Donald Tusk". Places and countries in the run
    ("Poland's president") are read past, not counted."""
    out: list[list[str]] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        people = [
            fold(m.group(0).split()[-1]).replace("’", "'").removesuffix("'s")
            for m in run
            if _is_person_word(m.group(0).split()[-1])
        ]
        if len(people) >= MIN_LISTED:
            out.append(people)

    for m in NAME_RE.finditer(text):
        if run and not LIST_GAP_RE.fullmatch(text[run[-1].end() : m.start()]):
            close()
            run = []
        run.append(m)
    if run:
        close()
    return out


def _all_names(view_: ClaimView) -> set[str]:
    names = {
        fold(m.group(0).split()[-1]).replace("’", "'").removesuffix("'s")
        for m in NAME_RE.finditer(view_.text)
    }
    if view_.claim.kind != "unattributed" and view_.speaker_key:
        names.add(view_.speaker_key)
    return names


def _named(name: str, names: set[str]) -> bool:
    return name in names or any(
        len(n) > 3 and n[:1] == name[:1] and speakers.same_person(name, n) for n in names
    )


def list_person_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    """Two lists of three or more people that share at least two, where each names someone the
    other text does not name at all ("Starmer, Macron, Scholz and Tusk" / "... Macron, German
    Chancellor Friedrich Merz and Polish Prime Minister Donald Tusk"): another person among the
    same group. A list that only adds someone, or a name spelt another way, is no conflict."""
    old_lists = person_lists(old.text)
    if not old_lists:
        return None
    new_lists = person_lists(new.text)
    if not new_lists:
        return None
    new_names, old_names = _all_names(new), _all_names(old)
    for a in new_lists:
        for b in old_lists:
            shared = [x for x in a if _named(x, set(b))]
            if len(shared) < 2:
                continue
            extra = [x for x in a if not _named(x, old_names)]
            missing = [y for y in b if not _named(y, new_names)]
            if extra and missing:
                x, y = _surface(new.text, extra[0]), _surface(old.text, missing[0])
                return Reason(
                    "person",
                    f"another person in the same group: {x} where the stored list has {y}",
                    [x],
                    [y],
                )
    return None


def person_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    """Another person in the same role: the chair, or a joint statement's co-signatories, or
    one of a listed group."""
    a_list, b_list = _joint_list(new), _joint_list(old)
    if a_list and b_list:
        extra, missing = a_list - b_list, b_list - a_list
        same = {x for x in extra for y in missing if speakers.same_person(x, y)}
        same |= {y for y in missing for x in extra if speakers.same_person(x, y)}
        extra, missing = extra - same, missing - same
        if extra and missing:
            a, b = sorted(extra)[0], sorted(missing)[0]
            return Reason(
                "person",
                f"person differs: {_surface(new.text, a)} vs {_surface(old.text, b)}",
                [_surface(new.text, a)],
                [_surface(old.text, b)],
            )
    return list_person_conflict(new, old) or _role_conflict(new, old, ("chair",))


def lead_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    """Another person heading the same side's delegation (the side anchors the comparison)."""
    return _role_conflict(new, old, ("lead",))


def _role_conflict(new: ClaimView, old: ClaimView, roles: tuple[str, ...]) -> Reason | None:
    for role in roles:
        a = _role_people(new, role)
        b = _role_people(old, role)
        if not a or not b or a[1] != b[1]:
            continue
        if a[0] & b[0] or a[0] & old.surnames or b[0] & new.surnames:
            continue
        if any(speakers.same_person(x, y) for x in a[0] for y in b[0]):
            continue  # one person in two transliterations ("Umierov" / "Umerov")
        x, y = sorted(a[0])[0], sorted(b[0])[0]
        what = "chair" if role == "chair" else f"head of the {PARTIES[a[1]]} delegation"
        return Reason(
            "person",
            f"person differs ({what}): {_surface(new.text, x).title()} vs "
            f"{_surface(old.text, y).title()}",
            [_surface(new.text, x)],
            [_surface(old.text, y)],
        )
    return None


REQUEST_RE = re.compile(
    r"\b(?:requested|asked for|asked that|asked to|asking for|called for|sought|requesting|"
    r"proposed|proposing|suggested|tabled|put forward|initiated|request for|the idea of|"
    r"begged for|pleaded for|pressed for|pushed for|lobbied for)\b"
)
CONTRAST_RE = re.compile(r",?\s+(?:and\s+)?not\s+(?:by\s+)?(?:the\s+)?[\w'’]+(?:\s+side)?\s*,?")


def _requester(view_: ClaimView) -> tuple[str, str] | None:
    """(side, "talks") when the claim says which side asked for or proposed the leaders'
    meeting: "the Ukrainian side had requested", "it was Moscow, not Kyiv, that tabled the
    request", "a meeting ..., which Moscow had requested"."""
    low = CONTRAST_RE.sub(" ", fold(view_.text))  # "Moscow, not Kyiv," names one side
    for m in REQUEST_RE.finditer(low):
        # the side is the asking verb's own subject: not a party named before a clause
        # boundary ("Putin continued striking Ukraine and proposed a meeting")
        start = max(low.rfind(b, 0, m.start()) for b in (". ", " and ", " but ", ";", ":"))
        sides = [s for s in content_stems(low[max(start, 0) : m.start()])[-6:] if s in PARTIES]
        before = content_stems(low[max(low.rfind(". ", 0, m.start()), 0) : m.start()])
        after = content_stems(low[m.end() :])[:6]
        if sides and ({"talks", "meet", "summit"} & {*after, *before[-8:]}):
            return sides[-1], "talks"
    return None


def role_swap(new: ClaimView, old: ClaimView) -> Reason | None:
    a, b = _requester(new), _requester(old)
    if a and b and a[1] == b[1] and a[0] != b[0]:
        return Reason(
            "roles",
            f"roles swapped: {PARTIES[a[0]]} vs {PARTIES[b[0]]} requested the meeting",
            [PARTIES[a[0]]],
            [PARTIES[b[0]]],
        )
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
                neg_term = _window(nc.text, nc.cue or "", nc.head, before=3)
                pos_term = _window(pc.text, nc.head, nc.head, before=3)
                a, b = (pos_term, neg_term) if flipped else (neg_term, pos_term)
                return Reason("negation", f'negated: "{a}" vs "{b}"', [a], [b])
    return None


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
            or stem(f) == start_word
            or (start_word == "n't" and f.endswith("n't"))
        ),
        None,
    )
    if first is None:
        return text.strip()
    last = next((j for j in range(first, len(tokens)) if stem(folded[j]) == end_stem), first)
    return " ".join(tokens[max(0, first - before) : last + 1]).strip(".,;:“”\"'’()")


def _poles(folded: str, words: tuple[str, ...]) -> list[str]:
    hits = []
    for w in words:
        pattern = r"\b" + re.escape(w) if " " in w else r"\b" + re.escape(w) + r"\w*"
        m = re.search(pattern, folded)
        if m:
            hits.append(m.group(0))
    return hits


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
    (person_conflict, 0.85),
    (lead_conflict, 0.85),
    (role_swap, 0.85),
    (correction_conflict, 0.85),
    (member_conflict, 0.8),
    (date_conflict, 0.8),
)

"""Where a gathering happens, and where a person was: the place detectors.

`places` reads the known places (the world gazetteer of `lexicon`, the story's own places) at
which a claim's gathering happens; `place_conflict` flags two incompatible places for the same
talks, a city being compatible with its country ("Istanbul" / "Turkey"); `whereabouts_conflict`
flags one person in two incompatible places ("Zelenskyy was in Moldova" / "had joined ... in
Albania"), a transliterated name being the same person.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from ..archive import speakers
from ..models import Claim, Reason
from . import quantities as q
from .lexicon import (
    ALIASES,
    CAPITALS,
    COUNTRIES,
    COUNTRY_ADJECTIVES,
    PLACE_PARENT,
    REGIONS,
    content_stems,
    fold,
    stem,
    trie_pattern,
)
from .lists import swapped_member
from .members import country_of


class _View(Protocol):
    text: str
    folded: str
    claim: Claim
    event: str
    places: list[str]
    weekdays: set[str]


PLACE_NAMES = frozenset(PLACE_PARENT) | frozenset(PLACE_PARENT.values()) | COUNTRIES
PLACE_RE = re.compile(r"\b(?:in|at)\s[^.;,]{0,30}?\b(" + trie_pattern(PLACE_NAMES) + r")\b")
GATHERING_RE = re.compile(
    r"\b(talks|discussions|negotiations|session|meeting|met|meet|delegations?|summit|held|"
    r"hosted|gathered)\b"
)


# A capital named by its country: "the Bulgarian capital", "the capital of Moldova".
CAPITAL_RE = re.compile(
    r"\bthe\s+(?:(" + trie_pattern(frozenset(COUNTRY_ADJECTIVES) | COUNTRIES) + r")\s+capital|"
    r"capital\s+of\s+(" + trie_pattern(COUNTRIES) + r"))\b",
    re.IGNORECASE,
)


def _capital(m: re.Match[str]) -> str | None:
    name = fold(m.group(1) or m.group(2))
    return CAPITALS.get(COUNTRY_ADJECTIVES.get(name, name))


@lru_cache(maxsize=4096)
def with_capitals(text: str) -> str:
    """`text` with a capital named by its country written as the city: "had come from a
    gathering in the Bulgarian capital" -> "... in Sofia"."""
    return CAPITAL_RE.sub(lambda m: (_capital(m) or m.group(0)).title(), text)


def places(text: str) -> list[str]:
    """Known places where a gathering in the claim happens ("delegations met ... in the
    Turkish resort of Antalya"). A place before any such word ("In Ukraine, sirens blared
    ahead of the talks") locates something else."""
    out: list[str] = []
    folded = fold(with_capitals(text))
    for m in PLACE_RE.finditer(folded):
        clause_start = max(folded.rfind(c, 0, m.start()) for c in ".;,")
        head = folded[clause_start + 1 : m.start(1)]
        last_prep = max(head.rfind(" in "), head.rfind(" at "))
        before = head[: last_prep + 1].split() if last_prep >= 0 else []
        # "a quiet night in Ukraine" locates the night: the word before "in" must be the
        # gathering, its verb, its day or another place.
        if before and not _may_locate_gathering(before[-1]):
            continue
        if GATHERING_RE.search(folded, clause_start + 1, m.start()) and m.group(1) not in out:
            out.append(m.group(1))
    return out


LOCATING_WORDS = frozenset(
    """talks discussions negotiations session meeting met meet meets delegations delegation
    summit held sat gathered hosted convened ended began resumed again palace table sides
    officials leaders negotiators today yesterday complex residence hotel hall building
    centre center venue headquarters mansion villa compound office ministry""".split()
) | frozenset(q.WEEKDAYS)


def _may_locate_gathering(word: str) -> bool:
    word = word.strip("'’")
    return word in LOCATING_WORDS or word in PLACE_NAMES or word.endswith("ed")


def _ancestors(place: str) -> list[str]:
    chain = [place]
    while chain[-1] in PLACE_PARENT and len(chain) < 6:
        chain.append(PLACE_PARENT[chain[-1]])
    return chain


def places_compatible(a: str, b: str) -> bool:
    return a in _ancestors(b) or b in _ancestors(a)


def place_conflict(new: _View, old: _View) -> Reason | None:
    if new.event != "talks" or old.event != "talks" or not new.places or not old.places:
        return None
    if any(places_compatible(a, b) for a in new.places for b in old.places):
        return None
    a, b = new.places[0], old.places[0]
    return _place_reason(new.text, old.text, a, b)


PRESENCE_RE = re.compile(
    r"\b([A-Z][\w'’-]+)\s+(?:(?:him|her)self\s+)?(?:(?:had|has|have)\s+)?"
    r"(?:(?:earlier|already|also|just|first|\w+ly)\s+)?(?:remained|stayed|"
    r"arrived|travelled|traveled|flew|went|came|come|returned|joined|was|were)\b[^.;]{0,60}?\b(?:in|to|at)\s+(?:the\s+)?([A-Z][\w-]+(?:\s[A-Z][\w-]+)?)"
)


def _whereabouts(text: str) -> tuple[str, str] | None:
    """(person, place) of "Zelensky remained in Kyiv" / "X had joined ... in Albania"."""
    m = PRESENCE_RE.search(with_capitals(text))
    if not m or fold(m.group(2)) not in PLACE_NAMES:
        return None
    if re.search(r"\b(?:not|never|no longer)\b|n't\b", fold(m.group(0))):
        return None  # "Zelenskyy was not in Istanbul" says where he was not
    return m.group(1), fold(m.group(2))


def whereabouts_conflict(new: _View, old: _View) -> Reason | None:
    """One person in two incompatible places (on the same day, when both claims give one)."""
    a, b = _whereabouts(new.text), _whereabouts(old.text)
    if not a or not b or places_compatible(a[1], b[1]):
        return None
    if stem(a[0]) != stem(b[0]) and not speakers.same_person(a[0], b[0]):  # "Zelenskyi"
        return None
    if new.weekdays and old.weekdays and not new.weekdays & old.weekdays:
        return None
    return _place_reason(new.text, old.text, a[1], b[1])


# A gathering with a name of its own: "the European Political Community", "the G7 summit".
NAMED_GATHERING_RE = re.compile(
    r"\b((?:[A-Z][\w-]*\s+){1,4}(?:Community|Summit|Council|Forum|Conference|Assembly|Congress))"
    r"\b"
)
ANY_PLACE_RE = re.compile(r"\b(?:in|at|from)\s+(?:the\s+)?(" + trie_pattern(PLACE_NAMES) + r")\b")


# Its initials stand for it: "the EPC summit in Skopje".
ACRONYM_RE = re.compile(r"\b([A-Z]{3,5})\b")


@lru_cache(maxsize=4096)
def _gathering_places(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    names = set()
    for m in NAMED_GATHERING_RE.finditer(text):
        words = [w for w in m.group(1).split() if w.lower() != "the"]
        names.add(fold(" ".join(words)))
        if len(words) >= 3:
            names.add("".join(w[0] for w in words).lower())
    names |= {m.group(1).lower() for m in ACRONYM_RE.finditer(text)}
    located = fold(with_capitals(text))
    return frozenset(names), tuple(m.group(1) for m in ANY_PLACE_RE.finditer(located))


def gathering_place_conflict(new: _View, old: _View) -> Reason | None:
    """One named gathering in two incompatible places: "speaking from the European Political
    Community summit in North Macedonia" against "joined more than 40 European leaders in
    Albania for a meeting of the European Political Community". The talks' own place is
    `place_conflict`'s; a capital stands for its country ("Tirana" / "Albania")."""
    names_a, places_a = _gathering_places(new.text)
    names_b, places_b = _gathering_places(old.text)
    if not names_a & names_b or not places_a or not places_b:
        return None
    if any(places_compatible(a, b) for a in places_a for b in places_b):
        return None
    a, b = places_a[0], places_b[0]
    return _place_reason(new.text, old.text, a, b)


# Where something was moved from or to: "moving forces from Kursk", "pulling troops out of
# Belgorod", "children forcibly deported to Russia".
MOVED_RE = re.compile(
    # verbs only: in "Russia's condition: full withdrawal of our troops from Donetsk" the
    # side named before a noun is not the one that moves
    r"\b(?:mov(?:e|es|ed|ing)|pull(?:s|ed|ing)?|withdr(?:aw|aws|ew|awn|awing)|"
    r"transferr?(?:s|ed|ing)?|redeploy(?:s|ed|ing)?|shift(?:s|ed|ing)?|relocat(?:e|es|ed|ing)|"
    r"deport(?:s|ed|ing)?|evacuat(?:e|es|ed|ing)|sen[dt]|sends|sending|brought|bring(?:s|ing)?|"
    r"taken|took|rotat(?:e|es|ed|ing))\b[^.;]{0,50}?\b(?P<dir>from|out of|to|into)\s+(?:the\s+)?"
    r"(?P<place>" + trie_pattern(PLACE_NAMES) + r")\b"
)


SIDES = frozenset(ALIASES.values()) | COUNTRIES


@lru_cache(maxsize=4096)
def _movements(folded: str) -> tuple[tuple[str, str, str, frozenset[str]], ...]:
    """(direction, place, the side named last before the verb, the last words before the verb)
    of every movement the text places: ("from", "kursk", "russia", ...) for "Russia ... moving
    forces from Kursk", ("from", "donetsk", "ukraine", ...) for "the Russians want Kyiv to pull
    its troops out of Donetsk"."""
    out = []
    for m in MOVED_RE.finditer(folded):
        start = max(folded.rfind(". ", 0, m.start()), 0)
        before = content_stems(folded[start : m.start()])
        sides = [w for w in before if w in SIDES]
        direction = "from" if m.group("dir") in ("from", "out of") else "to"
        moved = frozenset(w for w in before[-3:] if w not in SIDES)
        out.append((direction, m.group("place"), sides[-1] if sides else "", moved))
    return tuple(out)


def movement_conflict(new: _View, old: _View) -> Reason | None:
    """Something moved from (or to) two incompatible places: "moving soldiers from Bryansk"
    against "moving forces from Kursk", "children deported to Belarus" against "deported to
    Russia". A claim that also names the stored place ("from Kursk and Bryansk") adds to it."""
    new_folded = fold(with_capitals(new.text))
    a_all, b_all = _movements(new_folded), _movements(fold(with_capitals(old.text)))
    if not a_all or not b_all:
        return None
    for direction, a, mover, moved in a_all:
        for other, b, other_mover, other_moved in b_all:
            if direction != other or places_compatible(a, b):
                continue
            # "Kyiv to pull its troops out of Donetsk" / "Russia ... moving forces": two sides.
            # One side left unnamed is the same movement when the same thing is moved ("the
            # children who were forcibly deported to Belarus" / "Ukrainian children forcibly
            # deported to Russia").
            if mover != other_mover and (mover and other_mover or not moved & other_moved):
                continue
            if re.search(rf"\b{re.escape(b)}\b", new_folded):
                continue
            return _place_reason(new.text, old.text, a, b)
    return None


_ITEM = r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?"
PLACE_LIST_RE = re.compile(rf"{_ITEM}(?:\s*,\s*{_ITEM})+,?\s+(?:and|or)\s+{_ITEM}")
MIN_PLACES_LISTED = 3


@lru_cache(maxsize=4096)
def place_lists(text: str) -> tuple[tuple[str, ...], ...]:
    """The folded items of every list of three or more places in `text` ("Donetsk, Luhansk,
    Kherson and Zaporizhzhia"): all but at most one of them known places."""
    out = []
    for m in PLACE_LIST_RE.finditer(text):
        items = [
            fold(x).strip()
            for x in re.split(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", m.group(0))
        ]
        items = [x for x in items if x]
        known = [x for x in items if x in PLACE_NAMES]
        if all(country_of(x) for x in known):
            continue  # a list of countries is `members.member_conflict`'s
        if len(items) >= MIN_PLACES_LISTED and len(known) >= len(items) - 1 and len(known) >= 2:
            out.append(tuple(items))
    return tuple(out)


def list_place_conflict(new: _View, old: _View) -> Reason | None:
    """Two lists of three or more places that share at least two, where each names a place
    the other text does not name at all: "the four regions ... Donetsk, Luhansk, Kherson and
    Dnipropetrovsk" against "Donetsk, Luhansk, Kherson and Zaporizhzhia". A list that only
    adds a place is no conflict."""
    old_lists = place_lists(old.text)
    new_lists = place_lists(new.text) if old_lists else ()
    new_folded, old_folded = fold(new.text), fold(old.text)
    found = swapped_member(
        new_lists,
        old_lists,
        lambda x, members: x in members,
        lambda x: re.search(rf"\b{re.escape(x)}\b", old_folded) is not None,
        lambda y: re.search(rf"\b{re.escape(y)}\b", new_folded) is not None,
    )
    if found is None:
        return None
    x, y = surface(new.text, found[0]), surface(old.text, found[1])
    return Reason(
        "place", f"another place in the same list: {x} where the stored list has {y}", [x], [y]
    )


def _place_reason(new_text: str, old_text: str, a: str, b: str) -> Reason:
    """Two folded places that cannot both be right, highlighted as each claim writes them."""
    return Reason(
        "place",
        f"place differs: {a.title()} vs {b.title()}",
        [surface(new_text, a)],
        [surface(old_text, b)],
    )


def surface(text: str, folded_term: str) -> str:
    """The words of `text` that fold to `folded_term` (for highlighting)."""
    i = fold(text).find(folded_term)
    if i >= 0:
        return text[i : i + len(folded_term)]
    named = (m.group(0) for m in CAPITAL_RE.finditer(text) if _capital(m) == folded_term)
    return next(named, folded_term)  # "the Bulgarian capital" for "sofia"


_REGION_RE = re.compile(r"\b([a-z][\w'-]+(?:\s[a-z][\w'-]+)?)\s+(?:region|oblast|province)s?\b")
_NAME_RE = re.compile(r"\b[A-Z][a-z][\w'-]{2,}\b")
_COMMON_NAMES = frozenset(
    "russia russian russians ukraine ukrainian ukrainians kyiv moscow the in on".split()
)


def _regions(folded: str) -> set[str]:
    out = set()
    for m in _REGION_RE.finditer(folded):
        words = m.group(1).split()
        for k in (" ".join(words[-2:]), words[-1]):
            if k in REGIONS:
                out.add(k)
                break
    return out


def _names(text: str) -> set[str]:
    """Capitalised words not opening a sentence, folded."""
    return {
        fold(m.group(0))
        for m in _NAME_RE.finditer(text)
        if not re.search(r"(?:^|[.!?]\s+|[\"“‘(]\s*)$", text[: m.start()])
    }


def region_conflict(new: _View, old: _View) -> Reason | None:
    """The same towns put in another region: "pushed further into the Kharkiv region, around
    Pokrovsk" against "gains in the eastern Donetsk region, around ... Pokrovsk". Two regions
    alone may be two fronts; a town both claims name ties them to one."""
    r_new, r_old = _regions(new.folded), _regions(old.folded)
    if not r_new or not r_old or r_new & r_old:
        return None
    names = _names(new.text) & _names(old.text)
    towns = names - _COMMON_NAMES - set(REGIONS) - {fold(w) for w in new.claim.speaker.split()}
    if not towns:
        return None
    a, b = sorted(r_new)[0], sorted(r_old)[0]
    town = min(towns, key=lambda t: new.folded.find(t))
    return Reason(
        "place",
        f"region differs: {a.title()} vs {b.title()} (around {town.title()})",
        [surface(new.text, a)],
        [surface(old.text, b)],
    )

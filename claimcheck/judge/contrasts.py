"""A claim that corrects: "gains came in the Kharkiv region, not in Donetsk", "the talks were
held on Friday rather than Thursday", "Medinsky, not Lavrov, led the delegation".

The words after "not", "rather than" or "instead of" are what the claim says is *not* so. When
the stored claim states exactly that (the same place, person, weekday or figure) and does not
name the claim's own alternative, the claim denies the stored one: a contradiction an editor
checks, whatever the classifier makes of two sentences that share most of their words. When the
stored claim names the alternative instead ("held at the Dolmabahçe Palace, not in Ankara as we
said"), the correction agrees with it, and nothing is flagged.

Only named things are read (a capitalised name, a weekday, a figure), since "a bigger offensive
rather than peace talks" contrasts two ideas, not two facts; and the two sides of the story are
left to the role detector, which knows who asked for what (`detectors.role_swap`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from ..archive import speakers
from ..models import Reason
from .lexicon import ALIASES, STOPWORDS, fold
from .locations import surface
from .quantities import WEEKDAYS

MARKER_RE = re.compile(
    r"(?:[,(—–]\s*|\band\s+|\bbut\s+)not\s+|\brather\s+than\s+|\binstead\s+of\s+", re.I
)
_LEAD = r"(?:(?:in|on|at|by|the|a|an|from|to|with|as)\s+)*"
_CAP = r"[A-ZÀ-ÖØ-ÝĀ-ſ][\w'’.-]*"
_WEEKDAY = rf"(?i:{'|'.join(WEEKDAYS)})\b"
# The denied thing is a whole name: "not in Donetsk", "not the Donetsk region"; in "not at the
# Turkish foreign ministry" the capitalised word is an adjective of something unnamed.
_HEADS = r"region|province|oblast|city|town|district|area|palace|hotel|building"
TERM_RE = re.compile(
    rf"{_LEAD}(?P<term>{_WEEKDAY}|\d[\d,.]*(?:\s*(?:km|%|per\s*cent))?|{_CAP}(?:\s+{_CAP}){{0,3}})"
    rf"(?:\s+(?:{_HEADS})\b)?(?=\s*(?:$|[^\w\s]|(?:as|that|which|who|and|or|but|in|on|at|"
    rf"for|with|after|before|because|since|to|of)\b))"
)
# the alternative the claim asserts: the last named thing before the marker, in its clause
ALTERNATIVE_RE = re.compile(rf"({_WEEKDAY}|\d[\d,.]*|{_CAP}(?:\s+{_CAP}){{0,3}})")
SIDES = frozenset(w for w, side in ALIASES.items() if side in ("russia", "ukraine")) | {
    "russia",
    "ukraine",
}


class _Text(Protocol):
    text: str


def _key(term: str) -> str:
    """The word a term is known by: a name's surname, a place's own name, the figure."""
    words = [w for w in re.split(r"\s+", fold(term).replace("’", "'")) if w]
    last = words[-1] if words else ""
    return last[:-2] if last.endswith("'s") else last


def _mentions(folded: str, key: str) -> bool:
    if not key:
        return False
    if re.search(rf"(?<![\w,.]){re.escape(key)}(?![\w]|[,.]\d)", folded):
        return True
    if key[:1].isalpha() and len(key) > 3:
        # a transliterated surname ("Umierov" / "Umerov") is the same person
        return any(
            w[:1] == key[:1] and len(w) > 3 and speakers.same_person(w, key)
            for w in re.findall(r"[a-z][\w'-]+", folded)
        )
    return False


@lru_cache(maxsize=4096)
def corrections(text: str) -> tuple[tuple[str, str], ...]:
    """(asserted, denied) for each "X, not Y" / "X rather than Y" / "X instead of Y" in the
    text, where Y is a named thing; X is "" when no named thing precedes in the clause."""
    out = []
    for m in MARKER_RE.finditer(text):
        t = TERM_RE.match(text, m.end())
        if not t or _key(t.group("term")) in SIDES:
            continue
        clause = re.split(r"[.;:]\s", text[: m.start()])[-1]
        before = ALTERNATIVE_RE.findall(clause)
        # a capitalised function word names nothing ("The", "It")
        before = [b for b in before if fold(b.split()[0]) not in STOPWORDS]
        out.append((before[-1] if before else "", t.group("term")))
    return tuple(out)


def correction_conflict(new: _Text, old: _Text) -> Reason | None:
    """The new claim says "not Y" of what the stored claim states as Y."""
    old_folded = fold(old.text)
    for asserted, denied in corrections(new.text):
        key = _key(denied)
        if not _mentions(old_folded, key):
            continue
        if key in WEEKDAYS and key not in getattr(old, "weekdays", {key}):
            continue  # "said on Friday" dates the statement, not what it is about
        if asserted and _mentions(old_folded, _key(asserted)):
            continue  # the stored claim names both, or the alternative: nothing is denied
        return Reason(
            "correction",
            f"says not {denied}, which the stored claim states",
            [denied],
            [surface(old.text, key)],
        )
    return None

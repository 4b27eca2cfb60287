"""Another member in a list of countries: "the leaders of France, Germany, Britain and Italy"
against "the leaders of France, Germany, the UK and Poland".

Two lists of three or more countries that share at least two members, where each names one
the other lacks, disagree about who took part — a contradiction an editor checks, and one the
classifier reads as agreement because nearly every word is shared. A list that only adds a
member ("France, Germany, the UK, Poland and Italy") adds a detail and is left alone. Country
names are read through the gazetteer, with the usual short forms ("Britain", "the UK", "the
US") as one country.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from ..models import Reason
from . import quantities as q
from .lexicon import COUNTRIES, fold

SHORT_FORMS = {
    "uk": "united kingdom",
    "u.k.": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "us": "united states",
    "u.s.": "united states",
    "usa": "united states",
    "america": "united states",
    "the united states": "united states",
    "turkiye": "turkey",
}
_ITEM = r"(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}"
LIST_RE = re.compile(rf"{_ITEM}(?:\s*,\s*{_ITEM})+\s*,?\s+(?:and|as well as)\s+{_ITEM}")
MIN_ITEMS = 3
MIN_SHARED = 2


class _Text(Protocol):
    text: str


class _Counted(Protocol):
    text: str
    counts: list[q.Count]  # the claim's counts of people, read once with its view


def country_of(item: str) -> str | None:
    """The country a list item names ("the UK", "Britain", "Poland."), or None."""
    key = fold(item).strip()
    key = re.sub(r"^the\s+", "", key)
    for k in (key, key.rstrip(".")):  # "Poland." ends a sentence, "U.S." is a name
        k = SHORT_FORMS.get(k, k)
        if k in COUNTRIES:
            return k
    return None


@lru_cache(maxsize=4096)
def country_lists(text: str) -> tuple[tuple[frozenset[str], str], ...]:
    """(countries, words as written) for every list of three or more countries."""
    out = []
    for m in LIST_RE.finditer(text):
        items = re.split(r"\s*,\s*(?:and\s+|as well as\s+)?|\s+(?:and|as well as)\s+", m.group(0))
        keys = [country_of(i) for i in items if i.strip()]
        if len(keys) >= MIN_ITEMS and all(keys):
            out.append((frozenset(k for k in keys if k), m.group(0)))
    return tuple(out)


def member_conflict(new: _Text, old: _Text) -> Reason | None:
    """Two lists of countries of one occasion, each with a member the other lacks."""
    for a, a_text in country_lists(new.text):
        for b, b_text in country_lists(old.text):
            if len(a & b) >= MIN_SHARED and a - b and b - a:
                extra, missing = sorted(a - b), sorted(b - a)
                return Reason(
                    "member",
                    f"another member: {', '.join(x.title() for x in extra)} "
                    f"where the stored list has {', '.join(x.title() for x in missing)}",
                    [a_text],
                    [b_text],
                )
    return None


# "the leaders of France, Germany, the UK and Poland": a list of leaders counts them
LEADERS_OF_RE = re.compile(r"\bleaders\s+of\s+(?:the\s+)?$")


def leaders_count_conflict(new: _Counted, old: _Text) -> Reason | None:
    """A number of leaders against a list of the leaders' countries: "joined by six European
    leaders" against "together with the leaders of France, Germany, the UK and Poland". Only
    an unhedged count is read ("some six leaders" may be loose)."""
    listed = [
        (countries, words)
        for countries, words in country_lists(old.text)
        if LEADERS_OF_RE.search(old.text[: old.text.find(words)])
    ]
    if not listed:
        return None
    for count in new.counts:
        if count.noun != "leader" or count.qualifier or count.per_side:
            continue
        for countries, words in listed:
            if count.value != len(countries):
                return Reason(
                    "number",
                    f"numbers differ: {count.text} vs the {len(countries)} leaders of {words}",
                    [count.text],
                    [words],
                )
    return None

"""Whether a stored claim comes from the same story as the article being checked, by the people
the two articles name.

A story about a dock strike mediated at an Istanbul palace can repeat the founding article's
words ("the first in three years", "a U-shaped table", "satisfied with how the talks went")
while being about other people altogether. Claim against claim, that looks like agreement;
article against article it is plain: the two name no person in common. Full names are read
("Hakan Fidan", "Rustem Umierov"), titles and the words of places and bodies dropped, and two
names are one person by the speaker matcher's test, so transliterations match and "Ayşe Fidan"
is not "Hakan Fidan". An article that names fewer than `MIN_PEOPLE` people says too little to
judge, and is never set apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..archive import speakers
from .lexicon import fold
from .roles import NAME_RE, NOT_NAMES, name_key

MIN_PEOPLE = 2  # each article must name at least this many people before they are compared


@lru_cache(maxsize=4096)
def people(text: str) -> frozenset[str]:
    """The full names of the people `text` names ("Vladimir Medinsky", "Keir Starmer"), as
    written less titles: capitalised runs of at least two words once "President", "Sir",
    months and the like are dropped."""
    out = set()
    for m in NAME_RE.finditer(text):
        tokens = [t for t in m.group(0).split() if name_key(t) not in NOT_NAMES]
        if len(tokens) >= 2 and not any(c.isdigit() for c in "".join(tokens)):
            out.add(" ".join(t.replace("’s", "").replace("'s", "") for t in tokens))
    return frozenset(out)


def share_a_person(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two sets of full names hold one person (transliterations included)."""
    b = list(b)
    return any(speakers.same_person(x, y) for x in a for y in b)


GIVEN_NAME_RE = re.compile(r"([A-ZÀ-ÖØ-ÞĀ-Ž][^\W\d_A-Z][\w'’-]*)\s+$")


@lru_cache(maxsize=256)
def _bare_surnames(text: str) -> frozenset[str]:
    """The words of `text` that may be a surname standing alone: any word of four letters or
    more, in any case ("medinsky says", "UMEROV"), unless a capitalised given name precedes it
    ("Ayşe Fidan" is someone else's Fidan; a title such as "President" may precede it)."""
    folded = fold(text)
    out = set()
    for m in re.finditer(r"[a-z][a-z'-]{3,}", folded):
        before = GIVEN_NAME_RE.search(text[max(0, m.start() - 30) : m.start()])
        if before and name_key(before.group(1)) not in NOT_NAMES:
            continue
        out.add(m.group(0).removesuffix("'s"))
    return frozenset(out)


def named_in(speakers_: Iterable[str], text: str) -> bool:
    """Whether `text` names at least two of the stored article's speakers by surname alone, in
    any case: a chat log in lower case ("medinsky says ...", "umerov says ...") names them too.
    Speakers, not every capitalised run of the stored article ("Financial Times", "Political
    Community" are no one's names), and spelt exactly: a surname alone is too little to take
    "Fiddan" for Fidan."""
    words = _bare_surnames(text)
    surnames = {name_key(name.split()[-1]) for name in speakers_ if len(name.split()) >= 2}
    return len({s for s in surnames if len(s) >= 4} & words) >= 2


def other_story(
    new_people: frozenset[str],
    stored_people: frozenset[str],
    new_text: str = "",
    stored_speakers: Iterable[str] = (),
) -> bool:
    """Two articles that each name enough people and none in common are about other stories;
    the new article names someone in common also when it writes two of the stored article's
    speakers by surname in another case (`named_in`)."""
    return (
        len(new_people) >= MIN_PEOPLE
        and len(stored_people) >= MIN_PEOPLE
        and not share_a_person(new_people, stored_people)
        and not (new_text and named_in(stored_speakers, new_text))
    )

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

from collections.abc import Iterable
from functools import lru_cache

from ..archive import speakers
from .detectors import NAME_RE, NOT_NAMES
from .lexicon import fold

MIN_PEOPLE = 2  # each article must name at least this many people before they are compared


def _clean(token: str) -> str:
    return fold(token).replace("’", "'").removesuffix("'s")


@lru_cache(maxsize=4096)
def people(text: str) -> frozenset[str]:
    """The full names of the people `text` names ("Vladimir Medinsky", "Keir Starmer"), as
    written less titles: capitalised runs of at least two words once "President", "Sir",
    months and the like are dropped."""
    out = set()
    for m in NAME_RE.finditer(text):
        tokens = [t for t in m.group(0).split() if _clean(t) not in NOT_NAMES]
        if len(tokens) >= 2 and not any(c.isdigit() for c in "".join(tokens)):
            out.add(" ".join(t.replace("’s", "").replace("'s", "") for t in tokens))
    return frozenset(out)


def share_a_person(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two sets of full names hold one person (transliterations included)."""
    b = list(b)
    return any(speakers.same_person(x, y) for x in a for y in b)


def other_story(new_people: frozenset[str], stored_people: frozenset[str]) -> bool:
    """Two articles that each name enough people and none in common are about other stories."""
    return (
        len(new_people) >= MIN_PEOPLE
        and len(stored_people) >= MIN_PEOPLE
        and not share_a_person(new_people, stored_people)
    )

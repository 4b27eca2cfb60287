"""Another member in the same list: the comparison the people and the place detectors share.

Two lists that share at least two members, where each names a member the other text does not
name at all ("Starmer, Macron, Scholz and Tusk" / "... Macron, Merz and Tusk"; "Donetsk,
Luhansk, Kherson and Dnipropetrovsk" / "... Kherson and Zaporizhzhia"), say that one member was
swapped for another. A list that only adds a member, or names the same ones in another order,
is no conflict. What counts as the same member is the caller's (a transliterated name, a place
spelt as folded).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

MIN_SHARED = 2


def swapped_member(
    new_lists: Sequence[Sequence[str]],
    old_lists: Sequence[Sequence[str]],
    same: Callable[[str, Sequence[str]], bool],
    named_in_old: Callable[[str], bool],
    named_in_new: Callable[[str], bool],
) -> tuple[str, str] | None:
    """(a member only the new list names, one only the stored list names), or None.
    `same(x, list)`: x is a member of the list; `named_in_*(x)`: the text names x anywhere."""
    for a in new_lists:
        for b in old_lists:
            if sum(1 for x in a if same(x, b)) < MIN_SHARED:
                continue
            extra = [x for x in a if not named_in_old(x)]
            missing = [y for y in b if not named_in_new(y)]
            if extra and missing:
                return extra[0], missing[0]
    return None

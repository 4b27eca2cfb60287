"""What every judge shares: the `Judge` protocol and the features of one (new, stored) pair.

`PairFeatures` is computed once per pair and read by every judge: the rule judge's gates and
detectors, and the NLI judge's decision whether to believe its model. Keeping it here, below
both judges, lets the NLI judge build on the rule judge without the rule judge knowing of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..archive import speakers
from ..models import Claim, Match, StoredClaim, Verdict
from . import detectors as d
from .lexicon import PAST_MARKER, stem


class Judge(Protocol):
    """Relates each (new claim, stored claim, similarity) pair; `name` is recorded per run."""

    name: str

    def judge_pairs(self, pairs: Sequence[tuple[Claim, StoredClaim, float]]) -> list[Match]: ...

    def judge_groups(
        self, groups: Sequence[Sequence[tuple[Claim, StoredClaim, float]]]
    ) -> list[list[Match]]:
        """`judge_pairs` for each claim's pairs, all at once (a model can batch them)."""
        ...

    def decide(self, new: Claim, matches: list[Match]) -> Verdict:
        """The claim's verdict from its pair relations (each judge knows its own bar)."""
        ...


@dataclass
class PairFeatures:
    """What is known about one pair before any judge weighs it; every judge reads the same."""

    new: d.ClaimView
    old: d.ClaimView
    similarity: float
    shared: frozenset[str]
    coverage: float
    same_speaker: bool
    same_occasion: bool
    anchors_clash: bool


def pair_features(new: d.ClaimView, old: d.ClaimView, similarity: float) -> PairFeatures:
    """The features of one pair from the two claims' views and their similarity."""
    # a name spelt another way ("Umierov" / "Umerov") is the same word for the overlap
    shared = new.stems & old.stems | {
        stem(a) for a in same_people(new.surnames, old.surnames) if stem(a) in new.stems
    }
    coverage = len(shared) / max(1, len(new.stems))
    same_speaker = bool(new.speaker_key) and new.speaker_key == old.speaker_key
    # "the next round" is not the stored talks; "previous talks" may be the stored previous talks.
    same_occasion = same_past_occasion(new, old) and not (
        new.event and old.event and new.event != old.event
    )
    return PairFeatures(
        new,
        old,
        similarity,
        shared,
        coverage,
        same_speaker,
        same_occasion,
        anchors_clash=anchors_clash(new, old),
    )


def same_past_occasion(new: d.ClaimView, old: d.ClaimView) -> bool:
    """The same occasion marker, or one claim's "previous talks" and the other's talks dated
    only in the years that claim names, before either claim was published ("Talks in Istanbul
    broke down in the summer of 2022" is about the earlier round a 2025 story calls previous)."""
    if new.other_occasion == old.other_occasion:
        return True
    if not new.other_occasion and old.other_occasion == PAST_MARKER:
        plain, marked = new, old
    elif not old.other_occasion and new.other_occasion == PAST_MARKER:
        plain, marked = old, new
    else:
        return False
    now = new.published_year or old.published_year
    return (
        bool(plain.years)
        and plain.years <= marked.years
        and (now is None or max(plain.years) < now)
    )


def same_people(new: frozenset[str] | set[str], old: frozenset[str] | set[str]) -> set[str]:
    """The new claim's surnames that name someone the stored claim names, transliterations
    included (the speaker matcher's test: "Umierov" is "Umerov", "Zelensky" is "Zelenskyy")."""
    out = set(new & old)
    for a in new - old:
        if len(a) > 3 and any(
            a[:1] == b[:1] and speakers.same_person(a, b) for b in old - new if len(b) > 3
        ):
            out.add(a)
    return out


def anchors_clash(new: d.ClaimView, old: d.ClaimView) -> bool:
    """The claims name only different people, or only incompatible places: they are about
    different things, whatever their wording shares. The speaker does not count: the same
    fact reported by another person still agrees."""
    if new.surnames and old.surnames and not same_people(new.surnames, old.surnames):
        return True
    return bool(
        new.places
        and old.places
        and not any(d.places_compatible(a, b) for a in new.places for b in old.places)
    )

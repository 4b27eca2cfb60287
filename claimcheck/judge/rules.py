"""The rule judge: how a new claim relates to each stored candidate, and the claim's verdict.

`RuleJudge` combines the embedding similarity with the explicit detectors of `detectors.py`.
A detector is believed only when the two claims are about the same thing — similar enough,
sharing words, not marked as another occasion ("a second round", "earlier this year") — because
editors stop reading a tool that cries wolf. Agreement needs similarity *and* shared content and
no clash of named people, parties or places; everything else is related or unrelated.

`decide` turns the pair relations into the claim's verdict. Deciding is kept apart from
writing: nothing here touches the store.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import Claim, Match, Reason, StoredClaim, Verdict
from . import detectors as d
from .features import PairFeatures, pair_features
from .reticence import refusal_conflict

# Similarity gates (cosine of all-MiniLM-L6-v2 normalised embeddings).
FACT_GATE = 0.25  # facts of one event: numbers, durations, places, people, dates
DURATION_GATE = 0.15
POLARITY_GATE = 0.35  # negation and antonyms
RELATED = 0.35
AGREE_SCORE = 0.5  # threshold on 0.6 * similarity + 0.4 * word coverage
CONTRADICT_MIN = 0.5  # a contradiction below this score does not make the verdict

# A duration or a named venue is specific enough to be compared on a weak resemblance (the
# sentence saying how long a meeting lasted often says little else); a person in a role needs
# a close one, since "X chaired the meeting" is said of every meeting.
DETECTOR_GATES: dict[d.Detector, float] = {
    d.duration_conflict: DURATION_GATE,
    d.venue_conflict: DURATION_GATE,  # "this was the Yildiz Palace" says little else either
    d.person_conflict: 0.4,
    # two lists that share two people are specific enough on their own (FACT_GATE)
}

# Specific agreements that similarity undervalues ("thousand-for-thousand" ~ "1,000 by 1,000").
AGREEMENT_BONUS = (
    (d.number_agreement, 0.15),
    (d.duration_agreement, 0.25),
    (d.stance_agreement, 0.15),
    (d.date_agreement, 0.15),
)
RELATION_RANK = {"contradict": 0, "agree": 1, "related": 2, "unrelated": 3}


def conflict_reasons(f: PairFeatures) -> list[tuple[Reason, float]]:
    """Every believed contradiction signal for the pair, with its strength."""
    out: list[tuple[Reason, float]] = []
    if f.same_occasion:
        for detector, strength in d.FACT_DETECTORS:
            gate = DETECTOR_GATES.get(detector, FACT_GATE)
            if f.similarity < gate:
                continue
            reason = detector(f.new, f.old)
            if reason is not None:
                out.append((reason, strength))
    if f.anchors_clash:
        return out  # two claims about different named people or places hold no shared stance
    if f.same_occasion and f.similarity >= POLARITY_GATE and len(f.shared) >= 2:
        reason = d.negation_conflict(f.new, f.old) or refusal_conflict(f.new, f.old)
        if reason is not None:
            out.append((reason, 0.8 if f.same_speaker else 0.7))
    if f.similarity >= POLARITY_GATE and f.same_occasion:
        reason = d.antonym_conflict(f.new, f.old)
        if reason is not None and (f.same_speaker or len(f.shared) >= 2):
            out.append((reason, 0.85 if f.same_speaker else 0.65))
    if f.same_speaker and any(r.code in ("negation", "antonym") for r, _ in out):
        out.append((Reason("stance", "same speaker, opposite stance"), 0.0))
    return out


def agreement(f: PairFeatures) -> tuple[float, list[Reason]]:
    """How strongly the pair states the same thing (0..1), and why."""
    reasons: list[Reason] = []
    score = 0.6 * f.similarity + 0.4 * f.coverage
    if f.same_occasion:
        for check, bonus in AGREEMENT_BONUS:
            r = check(f.new, f.old)
            if r is not None and (check is not d.stance_agreement or f.same_speaker):
                reasons.append(r)
                score += bonus
    if f.anchors_clash:
        score -= 0.2
    if _stances_of_different_speakers(f):
        # "We are satisfied" says how its own speaker feels: another speaker's satisfaction
        # is not the same fact, however alike the words.
        score = min(score, AGREE_SCORE - 0.01)
    if f.new.other_occasion and f.new.other_occasion != f.old.other_occasion:
        # "earlier this week", "the next round": the same words about another occasion.
        score = min(score, AGREE_SCORE - 0.01)
    if f.shared:
        words = ", ".join(sorted(f.shared)[:6])
        reasons.append(Reason("similar", f"similar wording ({f.similarity:.2f}); shared: {words}"))
    return max(0.0, min(1.0, score)), reasons


def _stances_of_different_speakers(f: PairFeatures) -> bool:
    attributed = f.new.claim.kind != "unattributed" and f.old.claim.kind != "unattributed"
    if not attributed or f.same_speaker or not f.new.speaker_key or not f.old.speaker_key:
        return False
    first_person = re.search(r"\b(we|i|our|my|us)\b", d.fold(f.new.claim.quote or ""))
    return bool(first_person) and d.stance_agreement(f.new, f.old, d.FEELINGS) is not None


class RuleJudge:
    """Similarity plus explicit detectors; no model beyond the embeddings it is given."""

    name = "rules"

    def decide(self, new: Claim, matches: list[Match]) -> Verdict:
        return decide(new, matches)

    def judge_groups(
        self, groups: Sequence[Sequence[tuple[Claim, StoredClaim, float]]]
    ) -> list[list[Match]]:
        return [self.judge_pairs(pairs) for pairs in groups]

    def judge_pairs(self, pairs: Sequence[tuple[Claim, StoredClaim, float]]) -> list[Match]:
        return self.judge_batch(self.pair_features(pairs), pairs)

    def pair_features(
        self, pairs: Sequence[tuple[Claim, StoredClaim, float]]
    ) -> list[PairFeatures]:
        """Features of every pair; each claim is read once however many pairs it is in."""
        views: dict[int, d.ClaimView] = {}

        def view_of(claim: Claim, published: str | None) -> d.ClaimView:
            if id(claim) not in views:
                views[id(claim)] = d.view(claim, published)
            return views[id(claim)]

        return [
            pair_features(
                view_of(new, stored.published), view_of(stored.claim, stored.published), sim
            )
            for new, stored, sim in pairs
        ]

    def judge_batch(
        self, feats: list[PairFeatures], pairs: Sequence[tuple[Claim, StoredClaim, float]]
    ) -> list[Match]:
        matches = [
            self.judge_features(f, stored) for f, (_, stored, _) in zip(feats, pairs, strict=True)
        ]
        _drop_negations_contradicted_elsewhere(feats, matches)
        return matches

    def judge_features(self, f: PairFeatures, stored: StoredClaim) -> Match:
        conflicts = conflict_reasons(f)
        if conflicts:
            strength = max(s for _, s in conflicts)
            return Match(stored, "contradict", strength, f.similarity, [r for r, _ in conflicts])
        score, reasons = agreement(f)
        if score >= AGREE_SCORE:
            return Match(stored, "agree", score, f.similarity, reasons)
        relation = "related" if f.similarity >= RELATED else "unrelated"
        return Match(stored, relation, score, f.similarity, reasons)


def _drop_negations_contradicted_elsewhere(feats: list[PairFeatures], matches: list[Match]) -> None:
    """A negation that another stored claim repeats ("no ceasefire" / "without ... ceasefire")
    agrees with the archive; the positive mention elsewhere is about something else."""
    for i, (f, m) in enumerate(zip(feats, matches, strict=True)):
        if m.relation != "contradict" or {r.code for r in m.reasons} - {"negation", "stance"}:
            continue
        heads = {c.head for c in f.new.clauses if c.negated and c.head}
        for j, g in enumerate(feats):
            if j != i and any(c.negated and heads & c.stems for c in g.old.clauses):
                matches[i] = Match(m.stored, "related", 0.5, m.similarity, m.reasons)
                break


def decide(new: Claim, matches: list[Match]) -> Verdict:
    """The claim's verdict from its pair relations: a believed contradiction wins, then the
    best agreement; otherwise the claim is novel."""
    contradictions = [
        m for m in matches if m.relation == "contradict" and m.score >= CONTRADICT_MIN
    ]
    agreements = [m for m in matches if m.relation == "agree"]
    if contradictions:
        verdict, confidence = "contradict", max(m.score for m in contradictions)
    elif agreements:
        verdict, confidence = "agree", max(m.score for m in agreements)
    else:
        best = max((m.score for m in matches), default=0.0)
        verdict, confidence = "novel", round(1.0 - min(best, AGREE_SCORE), 3)
    first = {"contradict": "contradict", "agree": "agree", "novel": "related"}[verdict]
    ordered = sorted(
        matches,
        key=lambda m: (
            m.relation != first,
            RELATION_RANK.get(m.relation, 9),
            -m.score,
            -m.similarity,
        ),
    )
    return Verdict(new, verdict, round(float(confidence), 3), ordered)

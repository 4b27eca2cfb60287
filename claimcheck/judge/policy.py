"""The verdict policy: a small calibrated layer over the pair classifier, detectors and similarity.

For every (new claim, stored claim) pair the learned judge computes a short feature vector — the
pair classifier's log-odds of contradiction and of entailment (entailment read both ways for the
nearest candidate), cosine similarity, the rule detectors' findings (fact conflicts and polarity
conflicts separately), the rule judge's agreement score, same occasion, and a clash of named
anchors. The signals it does not use (word overlap, same speaker) are kept in `PairSignals` for
the reasons and for refitting.
A multinomial logistic regression turns it into P(contradict), P(agree), P(other); a claim's
verdict takes the best pair and two thresholds. Weights and thresholds are fitted on the tuning
split by the training recipe (`judge.fit_policy`) and shipped as JSON beside the model, so a
verdict is a reproducible function of numbers anyone can read. numpy only; no torch here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

CLASSES = ("contradict", "agree", "other")
FEATURES = (
    "log_odds_contradiction",
    "log_odds_entailment",
    "p_entailment_either_way",
    "similarity",
    "fact_conflict",
    "polarity_conflict",
    "rule_agreement",
    "same_occasion",
    "anchors_clash",
)


@dataclass
class PairSignals:
    """The raw signals for one pair, before they become a feature vector."""

    p_contradiction: float
    p_entailment: float
    p_neutral: float
    p_entailment_reverse: float
    similarity: float
    coverage: float
    shared_words: int
    fact_conflict: float  # strength of the strongest fact detector (number, date, place ...)
    polarity_conflict: float  # strength of a negation / antonym finding
    rule_agreement: float
    same_speaker: bool
    same_occasion: bool
    anchors_clash: bool
    nearest: bool  # the new claim's most similar candidate

    @property
    def entailment_either_way(self) -> float:
        return max(self.p_entailment, self.p_entailment_reverse)

    @property
    def classifier_allows_agreement(self) -> bool:
        """Alike wording is not the same statement: when the classifier reads a contradiction
        as more likely than not, and more likely than an entailment either way ("stopped" /
        "started", "within months, not weeks"), the pair cannot agree. A pair it reads as
        unrelated is left to the policy (the rule judge's agreement, the entailment odds);
        stories about other people are set apart before judging (`story`).
        docs/evaluation.md has the variants measured."""
        return self.entailment_either_way >= self.p_contradiction or self.p_contradiction < 0.5

    def vector(self) -> list[float]:
        """The features, in FEATURES order. Few on purpose: fitted on a few hundred labelled
        claims, a larger layer learned the tuning articles instead of the task."""
        eps = 1e-4
        pc, pe, pn = self.p_contradiction, self.p_entailment, self.p_neutral
        return [
            math.log((pc + eps) / (pn + pe + eps)),
            math.log((pe + eps) / (pn + pc + eps)),
            max(pe, self.p_entailment_reverse),
            self.similarity,
            self.fact_conflict,
            self.polarity_conflict,
            self.rule_agreement,
            float(self.same_occasion),
            float(self.anchors_clash),
        ]


@dataclass
class Policy:
    """Weights (classes × features), intercepts, feature scaling and the verdict thresholds."""

    weights: list[list[float]]
    intercept: list[float]
    mean: list[float]
    scale: list[float]
    contradict_min: float = 0.5
    agree_min: float = 0.5
    features: list[str] = field(default_factory=lambda: list(FEATURES))
    classes: list[str] = field(default_factory=lambda: list(CLASSES))
    fitted_on: str = ""
    figures: dict = field(default_factory=dict)

    def probabilities(self, rows: Sequence[Sequence[float]]) -> np.ndarray:
        """P(contradict), P(agree), P(other) for each feature row."""
        x = np.asarray(rows, dtype=np.float64).reshape(-1, len(self.features))
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        logits = z @ np.asarray(self.weights).T + np.asarray(self.intercept)
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def to_json(self) -> dict:
        return dict(self.__dict__)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Policy:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("features") != list(FEATURES):
            raise ValueError(f"{path}: the policy was fitted on other features")
        return cls(**data)


def fit(
    rows: Sequence[Sequence[float]],
    labels: Sequence[str],
    *,
    c: float = 1.0,
) -> Policy:
    """Fit the logistic layer (class-balanced, L2) on pair rows; thresholds are set separately."""
    from sklearn.linear_model import LogisticRegression

    x = np.asarray(rows, dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    y = np.asarray([CLASSES.index(label) for label in labels])
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit((x - mean) / scale, y)
    weights = np.zeros((len(CLASSES), x.shape[1]))
    intercept = np.zeros(len(CLASSES))
    for row, cls in enumerate(model.classes_):
        weights[cls] = model.coef_[row] if len(model.classes_) > 2 else model.coef_[0]
        intercept[cls] = model.intercept_[row] if len(model.classes_) > 2 else model.intercept_[0]
    return Policy(
        weights=weights.round(6).tolist(),
        intercept=intercept.round(6).tolist(),
        mean=mean.round(6).tolist(),
        scale=scale.round(6).tolist(),
    )

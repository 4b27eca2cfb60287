"""An NLI cross-encoder as a second opinion for the rule judge.

`NLIJudge` runs the rule judge first, then asks a sentence-transformers `CrossEncoder` trained
for natural-language inference whether the stored claim (premise) entails or contradicts the new
claim (hypothesis). The model's probabilities are combined with the detectors: an explicit
detector still wins (its reason is one an editor can check), a confident NLI contradiction is
believed only where the detectors would believe a stance conflict (same speaker, or close
wording about the same occasion), and a confident entailment turns a merely related pair into
agreement. torch is imported only here, and only when a model is configured.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import ModelError
from ..models import Claim, Match, Reason, StoredClaim
from .features import PairFeatures
from .rules import RuleJudge

NLI_GATE = 0.3  # pairs less similar than this are not worth a cross-encoder call
CONTRADICTION_MIN = 0.8
ENTAILMENT_MIN = 0.7
# The label order of the common NLI cross-encoders, used when the config names no labels.
DEFAULT_LABELS = ("contradiction", "entailment", "neutral")


def label_indices(id2label: dict[int, str] | None) -> dict[str, int]:
    """Map "contradiction" / "entailment" / "neutral" to the model's output columns."""
    names = {i: str(n).lower() for i, n in (id2label or {}).items()}
    out: dict[str, int] = {}
    for i, name in names.items():
        for key in ("contradiction", "entailment", "neutral"):
            if name.startswith(key[:6]):
                out[key] = int(i)
    if len(out) != 3:
        return {name: i for i, name in enumerate(DEFAULT_LABELS)}
    return out


def load_cross_encoder(model: str):  # type: ignore[no-untyped-def]
    """Load a CrossEncoder from a folder (or a hub name already cached), never downloading."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    looks_like_path = model.startswith((".", "/", "~")) or os.sep in model.strip("/")
    if looks_like_path and not Path(model).expanduser().is_dir():
        raise ModelError(f"NLI model folder {model} does not exist.")
    try:
        from sentence_transformers import CrossEncoder

        return CrossEncoder(
            str(Path(model).expanduser()) if looks_like_path else model, device="cpu"
        )
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ModelError(f"Cannot load NLI model {model!r} (offline): {first}") from exc


class NLIJudge:
    """The rule judge with an NLI cross-encoder's probabilities folded in."""

    def __init__(self, model: str, *, rules: RuleJudge | None = None, batch_size: int = 16):
        self.model_name = model
        self.name = f"rules+nli:{Path(model).name or model}"
        self.rules = rules or RuleJudge()
        self.batch_size = batch_size
        self._encoder = load_cross_encoder(model)
        config = getattr(getattr(self._encoder, "model", None), "config", None)
        self.labels = label_indices(getattr(config, "id2label", None))

    def judge_pairs(self, pairs: Sequence[tuple[Claim, StoredClaim, float]]) -> list[Match]:
        feats = self.rules.pair_features(pairs)
        matches = self.rules.judge_batch(feats, pairs)
        todo = [i for i, f in enumerate(feats) if f.similarity >= NLI_GATE]
        if not todo:
            return matches
        texts = [(feats[i].old.text, feats[i].new.text) for i in todo]
        probs = self._encoder.predict(
            texts, batch_size=self.batch_size, apply_softmax=True, show_progress_bar=False
        )
        for i, row in zip(todo, probs, strict=True):
            p = {k: float(row[j]) for k, j in self.labels.items()}
            matches[i] = combine(matches[i], feats[i], p)
        return matches


def combine(match: Match, f: PairFeatures, p: dict[str, float]) -> Match:
    """Fold NLI probabilities into the rule judge's match for one pair."""
    contra, entail = p["contradiction"], p["entailment"]
    reason = Reason(
        "nli",
        f"NLI: entailment {entail:.2f}, contradiction {contra:.2f}, neutral {p['neutral']:.2f}",
    )
    reasons = [*match.reasons, reason]
    if match.relation == "contradict":
        # The detector's reason stands; NLI moves the confidence towards its own view.
        score = match.score * (0.7 + 0.3 * max(contra, 1 - entail))
        return Match(match.stored, "contradict", round(score, 3), match.similarity, reasons)
    believable = f.same_occasion and (f.same_speaker or f.similarity >= 0.5)
    if contra >= CONTRADICTION_MIN and believable and not f.anchors_clash:
        return Match(match.stored, "contradict", round(contra * 0.9, 3), match.similarity, reasons)
    if entail >= ENTAILMENT_MIN and f.same_occasion and not f.anchors_clash:
        score = max(match.score, entail)
        return Match(match.stored, "agree", round(score, 3), match.similarity, reasons)
    return Match(match.stored, match.relation, match.score, match.similarity, reasons)

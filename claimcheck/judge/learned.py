"""The learned judge: a trained pair classifier and the detectors, combined by a fitted policy.

For every new claim the judge reads all its candidates with the rule judge (features and
detectors, cheap), then asks the pair classifier — a cross-encoder trained by
`python -m claimcheck.judge.train` and shipped in `judge/model/` — about the nearest few
candidates *whatever their similarity* (a contradiction often shares few words: another person
in the same role) and about every candidate a detector has something to say about. The policy
(`policy.py`) turns the classifier's probabilities, the detectors' findings and similarity into
P(contradict) and P(agree) per pair; the claim's verdict takes the best pair against two
fitted thresholds.

Every verdict keeps a reason an editor can check: the detectors' own reasons where they fired,
and for a classifier decision the words that differ between the two claims, highlighted like
the detectors' terms. A contradiction of the same speaker's own earlier statement says so, with
that statement's outlet and date.

Names the speaker matcher holds for one person ("Zelensky" / "Zelenskyy") are written the
stored way before the classifier reads the pair, so a transliteration never reads as another
person. torch loads with the first judge, never at import.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from ..embed import offline_hub
from ..errors import ModelError
from ..inference import load_pair_classifier
from ..models import Claim, Match, Reason, StoredClaim, Verdict
from . import detectors as d
from .features import PairFeatures
from .lexicon import STOPWORDS
from .policy import PairSignals, Policy
from .rules import RuleJudge, agreement, conflict_reasons

POLARITY_CODES = frozenset({"negation", "antonym", "stance"})

MODEL_DIR = Path(__file__).with_name("model")
POLICY_FILE = "policy.json"
TOP_N = 4  # nearest candidates the classifier always reads
REVERSE_N = 1  # nearest candidates also read the other way round (a more precise new claim)
BATCH = 32
MAX_TERM_WORDS = 6
NEGATIONS = frozenset("not n't no never nothing none nobody neither nor without cannot".split())
DEFAULT_LABELS = ("contradiction", "entailment", "neutral")
INT8_ENV = "CLAIMCHECK_JUDGE_INT8"  # "0": run the classifier in float32 (slower, for comparison)
NAME_RE = re.compile(r"\b[A-Z][\w'’-]+\b")


def shipped_model() -> Path | None:
    """The model folder that ships with claimcheck, if this install has it."""
    return MODEL_DIR if (MODEL_DIR / "config.json").exists() else None


class Classifier(Protocol):
    """Three-way probabilities (contradiction, entailment, neutral) for (premise, hypothesis)."""

    name: str

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray: ...


class PairClassifier:
    """A three-way cross-encoder (premise = stored claim, hypothesis = new claim), on CPU."""

    def __init__(
        self, model: str | Path, *, threads: int | None = None, quantize: bool | None = None
    ) -> None:
        path = Path(model).expanduser()
        if not (path / "config.json").exists():
            raise ModelError(
                f"Pair classifier folder {model} does not exist or has no config.json."
            )
        try:
            offline_hub()
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer

            self._torch = torch
            self.tokenizer = AutoTokenizer.from_pretrained(str(path))
            self.model = AutoModelForSequenceClassification.from_pretrained(str(path))
            self.model = self.model.float().eval()
            if quantize is None:
                quantize = os.environ.get(INT8_ENV, "1") != "0"
            if quantize:
                self.model = _int8(torch, self.model)
        except Exception as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise ModelError(f"Cannot load the pair classifier from {model}: {first}") from exc
        if threads:
            torch.set_num_threads(threads)
        self.path = path
        self.name = path.name
        id2label = getattr(self.model.config, "id2label", None) or {}
        self.columns = label_columns(id2label)

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Probabilities of (contradiction, entailment, neutral) for each (premise, hypothesis)."""
        if not pairs:
            return np.zeros((0, 3), dtype=np.float32)
        torch = self._torch
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(order), BATCH):
                idx = order[start : start + BATCH]
                enc = self.tokenizer(
                    [pairs[i][0] for i in idx],
                    [pairs[i][1] for i in idx],
                    truncation=True,
                    max_length=256,
                    padding=True,
                    return_tensors="pt",
                )
                probs = torch.softmax(self.model(**enc).logits.float(), dim=-1).numpy()
                out[idx] = probs[:, self.columns]
        return out


def _int8(torch, model):  # type: ignore[no-untyped-def]
    """Dynamic int8 weights for the linear layers: about 2.8 times faster on these CPUs, and
    the verdict policy is fitted on this quantised model's probabilities."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def label_columns(id2label: dict) -> list[int]:
    """The model's output columns for contradiction, entailment, neutral (in that order)."""
    names = {int(i): str(n).lower() for i, n in id2label.items()}
    found = {}
    for i, name in names.items():
        for key in DEFAULT_LABELS:
            if name.startswith(key[:6]):
                found[key] = i
    if len(found) != 3:
        return [0, 1, 2]  # the common NLI cross-encoders' order
    return [found[k] for k in DEFAULT_LABELS]


@lru_cache(maxsize=4)
def _classifier(path: str) -> Classifier:
    """The classifier on ONNX Runtime (no torch), else on torch (inference/ says when)."""
    quantize = os.environ.get(INT8_ENV, "1") != "0"
    onnx = load_pair_classifier(Path(path), int8=quantize, columns=label_columns)
    return onnx if onnx is not None else PairClassifier(path, quantize=quantize)


def load_policy(model_dir: Path) -> Policy:
    own = model_dir / POLICY_FILE
    shipped = MODEL_DIR / POLICY_FILE
    path = own if own.exists() else shipped
    if not path.exists():
        raise ModelError(f"No verdict policy beside the pair classifier ({own}).")
    try:
        return Policy.load(path)
    except (ValueError, TypeError, KeyError) as exc:
        raise ModelError(f"The verdict policy {path} cannot be read: {exc}") from exc


def same_spelling(new_text: str, old_text: str) -> str:
    """The new text with every name the speaker matcher holds for one person written the way
    the stored text writes it ("Zelensky" -> "Zelenskyy"), so spelling never reads as a change."""
    from ..archive import speakers  # rapidfuzz only; no model

    old_names = set(NAME_RE.findall(old_text))
    out = new_text
    for name in set(NAME_RE.findall(new_text)) - old_names:
        for other in old_names:
            if name[:1] == other[:1] and len(name) > 3 and speakers.same_person(name, other):
                out = re.sub(rf"\b{re.escape(name)}\b", other, out)
                break
    return out


def differing_words(new_text: str, old_text: str) -> tuple[list[str], list[str]]:
    """Content words (with their neighbouring function words) in one claim and not the other."""
    a, b = new_text.split(), old_text.split()
    fold_a = [d.fold(w).strip(".,;:!?\"'“”‘’()") for w in a]
    fold_b = [d.fold(w).strip(".,;:!?\"'“”‘’()") for w in b]
    new_terms: list[str] = []
    old_terms: list[str] = []
    matcher = difflib.SequenceMatcher(a=fold_b, b=fold_a, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        # a long stretch is shown by its first words: enough to find it in the passage
        old_part = " ".join(b[i1:i2][:MAX_TERM_WORDS]).strip(".,;:")
        new_part = " ".join(a[j1:j2][:MAX_TERM_WORDS]).strip(".,;:")
        if old_part:
            old_terms.append(old_part)
        if new_part:
            new_terms.append(new_part)
    return new_terms[:4], old_terms[:4]


def _telling(terms: list[str], speaker: str) -> list[str]:
    """The differing stretches that say something: not only function words or who spoke."""
    own = {d.fold(w) for w in re.findall(r"[\w'’]+", speaker)} | {"said", "told", "says", "added"}
    out = []
    for term in terms:
        words = [d.fold(w) for w in re.findall(r"[\w'’]+", term)]
        if any(
            w in NEGATIONS or (w not in STOPWORDS and w not in own and w.rstrip("'’s") not in own)
            for w in words
        ):
            out.append(term)
    return out


def _model_reason(relation: str, p: float, new: tuple[str, str], old: tuple[str, str]) -> Reason:
    """The classifier's reading, with the differing words; `new` and `old` are (text, speaker)."""
    new_terms, old_terms = differing_words(new[0], old[0])
    new_terms, old_terms = _telling(new_terms, new[1]), _telling(old_terms, old[1])
    # The verdict weighs the classifier with the detectors and the wording; when the classifier
    # alone leans the other way, the reason says so instead of claiming its support.
    if relation == "contradict" and p >= 0.5:
        head = f"the pair classifier reads a contradiction ({p:.2f})"
    elif relation == "contradict":
        head = f"contradiction on facts and wording; the pair classifier alone is unsure ({p:.2f})"
    elif p >= 0.5:
        head = f"the pair classifier reads the same statement ({p:.2f})"
    else:
        head = f"alike in facts and wording; the pair classifier alone is unsure ({p:.2f})"
    if new_terms or old_terms:
        shown = " / ".join(new_terms[:2]) or "—"
        stored = " / ".join(old_terms[:2]) or "—"
        head += f": “{shown}” vs “{stored}”"
    return Reason("model", head, new_terms, old_terms)


def own_statement_reason(new: Claim, stored: StoredClaim) -> Reason:
    when = ", ".join(x for x in (stored.outlet, stored.published) if x)
    where = f" ({when})" if when else ""
    return Reason("own-statement", f"contradicts {new.speaker}'s own earlier statement{where}")


@dataclass
class _Plan:
    """One claim's pairs, read by the rules, and what the classifier is to be asked."""

    feats: list[PairFeatures]
    rule_matches: list[Match]
    conflicts: list[list[tuple[Reason, float]]]
    order: list[int]
    wanted: list[int]
    reverse: list[int]
    texts: list[tuple[str, str]]


class LearnedJudge:
    """Pair classifier + detectors + similarity, combined by the fitted policy."""

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        classifier: Classifier | None = None,
        policy: Policy | None = None,
        rules: RuleJudge | None = None,
        top_n: int = TOP_N,
    ) -> None:
        if classifier is None:
            path = Path(model).expanduser() if model else shipped_model()
            if path is None:
                raise ModelError(
                    "The trained pair classifier is missing from this install "
                    f"({MODEL_DIR}); reinstall claimcheck or run `make train-judge`."
                )
            classifier = _classifier(str(path))
            policy = policy or load_policy(path)
        if policy is None:
            raise ModelError("A verdict policy is needed beside a given pair classifier.")
        self.classifier = classifier
        self.policy = policy
        self.rules = rules or RuleJudge()
        self.top_n = top_n
        self.name = f"learned:{classifier.name}"

    # -- signals ------------------------------------------------------------------------------

    def signals(
        self, pairs: Sequence[tuple[Claim, StoredClaim, float]]
    ) -> tuple[list[PairFeatures], list[Match], list[PairSignals], np.ndarray]:
        """Rule features and matches, policy signals and classifier probabilities per pair."""
        return self.signals_of_groups([pairs])[0]

    def signals_of_groups(
        self, groups: Sequence[Sequence[tuple[Claim, StoredClaim, float]]]
    ) -> list[tuple[list[PairFeatures], list[Match], list[PairSignals], np.ndarray]]:
        """`signals` for the candidate pairs of many claims, with one classifier call for all of
        them: batches of pairs sorted by length pad far less than one small batch per claim."""
        plans = [self._plan(pairs) for pairs in groups]
        texts = [t for plan in plans for t in plan.texts]
        probs_all = self.classifier.predict(texts)
        out, start = [], 0
        for plan in plans:
            part = probs_all[start : start + len(plan.texts)]
            start += len(plan.texts)
            out.append(self._signals(plan, part))
        return out

    @staticmethod
    def classifier_texts(feat: PairFeatures) -> tuple[str, str]:
        """What the classifier reads for a pair: (stored claim, new claim), the new claim's
        names written the stored way (training reads pairs the same way)."""
        return feat.old.text, same_spelling(feat.new.text, feat.old.text)

    def _plan(self, pairs: Sequence[tuple[Claim, StoredClaim, float]]) -> _Plan:
        feats = self.rules.pair_features(pairs)
        rule_matches = self.rules.judge_batch(feats, pairs)
        conflicts = [conflict_reasons(f) for f in feats]
        order = sorted(range(len(pairs)), key=lambda i: -pairs[i][2])
        nearest = set(order[: self.top_n])
        wanted = [
            i
            for i in range(len(pairs))
            if i in nearest or conflicts[i] or rule_matches[i].relation == "agree"
        ]
        texts = [self.classifier_texts(feats[i]) for i in wanted]
        reverse = [i for i in order[:REVERSE_N] if i in wanted]
        texts += [(b, a) for a, b in (texts[wanted.index(i)] for i in reverse)]
        return _Plan(feats, rule_matches, conflicts, order, wanted, reverse, texts)

    def _signals(
        self, plan: _Plan, probs_all: np.ndarray
    ) -> tuple[list[PairFeatures], list[Match], list[PairSignals], np.ndarray]:
        feats, conflicts, wanted, reverse = plan.feats, plan.conflicts, plan.wanted, plan.reverse
        probs = np.tile(np.array([0.0, 0.0, 1.0], dtype=np.float32), (len(feats), 1))
        probs[wanted] = probs_all[: len(wanted)]
        rev = probs[:, 1].copy()
        for k, i in enumerate(reverse):
            rev[i] = probs_all[len(wanted) + k][1]
        signals = []
        for i, f in enumerate(feats):
            fact = max((s for r, s in conflicts[i] if r.code not in POLARITY_CODES), default=0.0)
            polar = max(
                (s for r, s in conflicts[i] if r.code in ("negation", "antonym")), default=0.0
            )
            agree_score, _ = agreement(f)
            signals.append(
                PairSignals(
                    p_contradiction=float(probs[i][0]),
                    p_entailment=float(probs[i][1]),
                    p_neutral=float(probs[i][2]),
                    p_entailment_reverse=float(rev[i]),
                    similarity=float(f.similarity),
                    coverage=float(f.coverage),
                    shared_words=len(f.shared),
                    fact_conflict=float(fact),
                    polarity_conflict=float(polar),
                    rule_agreement=float(agree_score),
                    same_speaker=f.same_speaker,
                    same_occasion=f.same_occasion,
                    anchors_clash=f.anchors_clash,
                    nearest=bool(plan.order) and i == plan.order[0],
                )
            )
        return feats, plan.rule_matches, signals, probs

    # -- judging ------------------------------------------------------------------------------

    def judge_pairs(self, pairs: Sequence[tuple[Claim, StoredClaim, float]]) -> list[Match]:
        return self.judge_groups([pairs])[0]

    def judge_groups(
        self, groups: Sequence[Sequence[tuple[Claim, StoredClaim, float]]]
    ) -> list[list[Match]]:
        """`judge_pairs` for many claims at once (one classifier call for the whole article)."""
        todo = [i for i, pairs in enumerate(groups) if pairs]
        done = self.signals_of_groups([groups[i] for i in todo])
        out: list[list[Match]] = [[] for _ in groups]
        for i, signals in zip(todo, done, strict=True):
            out[i] = self._matches(groups[i], *signals)
        return out

    def _matches(
        self,
        pairs: Sequence[tuple[Claim, StoredClaim, float]],
        feats: list[PairFeatures],
        rule_matches: list[Match],
        signals: list[PairSignals],
        probs: np.ndarray,
    ) -> list[Match]:
        scores = self.policy.probabilities([s.vector() for s in signals])
        out = []
        for i, (new, stored, sim) in enumerate(pairs):
            p_contra, p_agree = float(scores[i][0]), float(scores[i][1])
            rule = rule_matches[i]
            rule_reasons = list(rule.reasons)
            new_text, old_text = feats[i].new.text, feats[i].old.text
            if p_contra >= self.policy.contradict_min and p_contra >= p_agree:
                reasons = [r for r in rule_reasons if rule.relation == "contradict"]
                if not reasons or probs[i][0] >= 0.5:
                    reasons.append(
                        _model_reason(
                            "contradict",
                            float(probs[i][0]),
                            (new_text, new.speaker),
                            (old_text, stored.claim.speaker),
                        )
                    )
                if feats[i].same_speaker and not any(r.code == "own-statement" for r in reasons):
                    reasons.append(own_statement_reason(new, stored))
                out.append(Match(stored, "contradict", round(p_contra, 3), sim, reasons))
            elif (
                p_agree >= self.policy.agree_min
                and p_agree > p_contra
                and signals[i].classifier_allows_agreement
            ):
                # agreement must outweigh the case for a contradiction, not merely pass a bar
                reasons = [r for r in rule_reasons if r.code != "similar"]
                entail = max(float(probs[i][1]), signals[i].p_entailment_reverse)
                reasons.append(
                    _model_reason(
                        "agree", entail, (new_text, new.speaker), (old_text, stored.claim.speaker)
                    )
                )
                reasons += [r for r in rule_reasons if r.code == "similar"]
                out.append(Match(stored, "agree", round(p_agree, 3), sim, reasons))
            else:
                relation = "related" if sim >= 0.35 else "unrelated"
                reasons = [r for r in rule_reasons if r.code == "similar"]
                score = round(max(p_contra, p_agree), 3)
                out.append(Match(stored, relation, score, sim, reasons))
        return out

    def decide(self, new: Claim, matches: list[Match]) -> Verdict:
        """The claim's verdict: a contradiction above the fitted bar wins, then agreement."""
        contra = [m for m in matches if m.relation == "contradict"]
        agree = [m for m in matches if m.relation == "agree"]
        if contra:
            verdict, confidence, first = "contradict", max(m.score for m in contra), "contradict"
        elif agree:
            verdict, confidence, first = "agree", max(m.score for m in agree), "agree"
        else:
            best = max((m.score for m in matches), default=0.0)
            verdict, confidence, first = "novel", 1.0 - best, "related"
        rank = {"contradict": 0, "agree": 1, "related": 2, "unrelated": 3}
        ordered = sorted(
            matches,
            key=lambda m: (m.relation != first, rank.get(m.relation, 9), -m.score, -m.similarity),
        )
        return Verdict(new, verdict, round(float(confidence), 3), ordered)

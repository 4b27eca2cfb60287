"""Fit the verdict policy on the tuning split (the last stage of `make train-judge`).

The learned judge's signals are collected for every pair it would judge, in two ways on the
tuning articles only (the four shared articles and the tuning half of tests/data/devset):
the real pipeline (extraction, retrieval; `evaluate.evaluate`) and the judge alone on the
labelled spans (`evaluate.evaluate_spans`). A pair is labelled *contradict* or *agree* when its
claim's label says so and the stored claim is one the label cites, *other* otherwise. The
logistic layer is fitted on those pairs; then the two thresholds are chosen on the claims'
verdicts: the best macro-F1 among settings whose contradiction precision on the tuning split is
at least `PRECISION_FLOOR` (or the best macro-F1 when none reaches it). The layer is strongly
regularised (C = 0.05 on standardised features): with a few hundred labelled claims, weaker
regularisation and more features fitted the tuning articles better and the consulted held-out
articles worse (docs/evaluation.md). No held-out article is read here.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..judge import LearnedJudge
from ..judge import policy as pol
from ..models import Claim, Match, StoredClaim, Verdict

PRECISION_FLOOR = 0.9
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.3, 0.96, 0.05))


@dataclass
class ClaimPairs:
    """The pairs judged for one new claim: feature rows and which stored claims they are."""

    claim: Claim
    stored: list[StoredClaim]
    rows: list[list[float]]
    allows_agreement: list[bool]  # the classifier does not read a contradiction, per pair


class Recorder:
    """A judge that records the learned judge's signals and answers with the rule judge."""

    def __init__(self, judge: LearnedJudge) -> None:
        self.judge = judge
        self.name = "recorder"
        self.seen: dict[int, ClaimPairs] = {}

    def decide(self, new: Claim, matches: list[Match]) -> Verdict:
        return self.judge.rules.decide(new, matches)

    def judge_groups(
        self, groups: Sequence[Sequence[tuple[Claim, StoredClaim, float]]]
    ) -> list[list[Match]]:
        return [self.judge_pairs(pairs) for pairs in groups]

    def judge_pairs(self, pairs: Sequence[tuple[Claim, StoredClaim, float]]) -> list[Match]:
        if not pairs:
            return []
        _, rule_matches, signals, _ = self.judge.signals(pairs)
        claim = pairs[0][0]
        self.seen[id(claim)] = ClaimPairs(
            claim,
            [s for _, s, _ in pairs],
            [s.vector() for s in signals],
            [s.classifier_allows_agreement for s in signals],
        )
        return rule_matches


def _cites(stored: StoredClaim, quotes: Sequence[str]) -> bool:
    text = f"{stored.claim.quote} {stored.claim.assertion}"
    return any(q in text or (stored.claim.quote and stored.claim.quote in q) for q in quotes)


def pair_label(label, stored: StoredClaim) -> str:  # type: ignore[no-untyped-def]
    if label.label in ("contradict", "agree") and _cites(stored, label.stored_quotes):
        return label.label
    return "other"


def collect(
    judge: LearnedJudge, labels_dirs: Sequence[Path], corpus: Path, articles: set[str] | None
) -> list[tuple[object, ClaimPairs]]:
    """(label, the pairs of the claim it aligns with) over the pipeline and the spans."""
    from ..archive import Store, ingest_paths
    from ..embed import load_embedder
    from ..evaluate import evaluate, load_labels, reference_claims

    embedder = load_embedder()
    out: list[tuple[object, ClaimPairs]] = []
    seed = corpus.read_text(encoding="utf-8") if corpus.is_file() else ""
    paths = sorted(corpus.glob("*.txt")) if corpus.is_dir() else [corpus]
    if not seed:
        seed = paths[0].read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "calibrate.db")
        try:
            ingest_paths(store, paths, embedder)
            for labels_dir in labels_dirs:
                labels = [
                    lab
                    for lab in load_labels(labels_dir)
                    if articles is None or lab.article in articles
                ]
                if not labels:
                    continue
                rec = Recorder(judge)
                report = evaluate(
                    labels_dir, store, embedder, rec, only=set(x.article for x in labels)
                )
                for r in report.results:
                    if r.verdict is not None and id(r.verdict.claim) in rec.seen:
                        out.append((r.label, rec.seen[id(r.verdict.claim)]))
                rec = Recorder(judge)
                stored = reference_claims(labels, seed, outlet="Financial Times")
                spans = evaluate_spans_recorded(labels, stored, embedder, rec)
                out.extend(spans)
        finally:
            store.close()
    return out


def evaluate_spans_recorded(labels, stored, embedder, rec: Recorder):  # type: ignore[no-untyped-def]
    from ..evaluate import evaluate_spans

    report = evaluate_spans(labels, stored, embedder, rec)
    return [
        (r.label, rec.seen[id(r.verdict.claim)])
        for r in report.results
        if r.verdict is not None and id(r.verdict.claim) in rec.seen
    ]


def verdicts(policy: pol.Policy, data, c_min: float, a_min: float) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for _, cp in data:
        p = policy.probabilities(cp.rows)
        contra = [x for x in p if x[0] >= c_min and x[0] >= x[1]]
        agree = [
            x
            for x, e in zip(p, cp.allows_agreement, strict=True)
            if x[1] >= a_min and x[1] > x[0] and e
        ]
        out.append("contradict" if contra else "agree" if agree else "novel")
    return out


def scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    f1s = []
    for v in ("contradict", "agree", "novel"):
        tp = sum(g == p == v for g, p in zip(gold, pred, strict=True))
        np_ = sum(p == v for p in pred)
        ng = sum(g == v for g in gold)
        prec = tp / np_ if np_ else 0.0
        rec = tp / ng if ng else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[f"{v}_precision"], out[f"{v}_recall"] = round(prec, 4), round(rec, 4)
        f1s.append(f1)
    out["macro_f1"] = round(sum(f1s) / 3, 4)
    out["accuracy"] = round(sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold), 4)
    return out


def fit_policy(data, *, c: float = 0.05) -> pol.Policy:  # type: ignore[no-untyped-def]
    rows, ys = [], []
    for label, cp in data:
        for stored, row in zip(cp.stored, cp.rows, strict=True):
            rows.append(row)
            ys.append(pair_label(label, stored))
    policy = pol.fit(rows, ys, c=c)
    gold = [label.label for label, _ in data]
    best = None
    for c_min in THRESHOLDS:
        for a_min in THRESHOLDS:
            s = scores(gold, verdicts(policy, data, c_min, a_min))
            key = (s["contradict_precision"] >= PRECISION_FLOOR, s["macro_f1"], c_min)
            if best is None or key > best[0]:
                best = (key, c_min, a_min, s)
    assert best is not None
    _, policy.contradict_min, policy.agree_min, figures = best
    counts = {k: ys.count(k) for k in pol.CLASSES}
    policy.figures = {"tuning_claims": len(data), "tuning_pairs": counts, "c": c, **figures}
    return policy


def calibrate(
    model: Path, repo: Path = Path("."), *, shared: Path | None = None, limit: int = 0
) -> pol.Policy:
    """Fit the policy for the classifier in `model` and write MODEL/policy.json."""
    from ..evaluate import TUNING_ARTICLES

    judge = LearnedJudge(model, policy=_neutral_policy())
    corpus = repo / "corpus"
    shared = shared or repo.resolve().parent / "shared" / "devset"
    if not (shared / "labels.jsonl").exists():
        raise SystemExit(f"calibrate: the shared labelled articles are missing ({shared})")
    ours = repo / "tests/data/devset"
    if limit:  # a tiny run for tests: one shared article
        first = sorted(p.name for p in (shared / "articles").glob("*.txt"))[:1]
        data = collect(judge, [shared], corpus, set(first))
    else:
        data = collect(judge, [shared], corpus, None)
        data += collect(judge, [ours], corpus, set(TUNING_ARTICLES))
    policy = fit_policy(data)
    policy.fitted_on = (
        "tuning split: the four shared articles (../shared/devset) and the tuning half of "
        "tests/data/devset (evaluate.TUNING_ARTICLES), pipeline and span pairs"
    )
    policy.save(model / "policy.json")
    return policy


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    p = argparse.ArgumentParser(prog="python -m claimcheck.training.calibrate", description=__doc__)
    p.add_argument("--model", required=True, help="the pair classifier's folder")
    p.add_argument("--repo", default=".", help="the checkout (corpus/ and tests/data/)")
    p.add_argument("--shared", default="../shared/devset", help="the shared labelled articles")
    a = p.parse_args(argv)
    policy = calibrate(Path(a.model), Path(a.repo), shared=Path(a.shared))
    print(json.dumps(policy.figures, indent=1), file=sys.stderr)


def _neutral_policy() -> pol.Policy:
    """A placeholder for collecting signals (its probabilities are never used)."""
    n = len(pol.FEATURES)
    return pol.Policy([[0.0] * n] * 3, [0.0] * 3, [0.0] * n, [1.0] * n)


if __name__ == "__main__":
    main()

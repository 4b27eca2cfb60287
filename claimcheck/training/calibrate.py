"""Fit the verdict policy (the last stage of `make train-judge`) on labelled news.

The learned judge's signals are collected for every pair it would judge, in two ways: the real
pipeline (extraction, retrieval; `evaluate.evaluate`) and the judge alone on the labelled spans
(`evaluate.evaluate_spans`). A pair is labelled *contradict* or *agree* when its claim's label
says so and the stored claim is one the label cites, *other* otherwise. The logistic layer is
fitted on those pairs; then the two thresholds are chosen on the claims' verdicts, among the
settings whose contradiction precision is at least `PRECISION_FLOOR` (or all of them when none
reaches it): of those within `F1_TOLERANCE` of the best macro-F1, the one that clears both
promised figures — contradiction precision 0.80 and recall 0.50 — by the widest margin (the
smaller of the two). Macro-F1 is nearly flat across a wide band of contradiction bars: the best
of it by a few thousandths once picked a bar that gave up 0.08 of precision, and the highest
precision within the band (the rule of the third to fifth rounds) took a bar of 0.90 once
heldout7 and heldout8 joined, while every unseen set had missed recall, never precision, since
heldout6 (docs/evaluation.md, sixth round). The floor is the precision an editor was promised
(0.80); at 0.90, once heldout6 joined the fitting sets, no bar but the highest reached it
in-sample and recall fell to 0.44 (cross-fold macro-F1 0.699 against 0.712). The
layer is strongly regularised (C = 0.05 on standardised features): with a few hundred labelled
claims, weaker regularisation and more features fitted the fitting articles better and other
articles worse.

The articles it is fitted on (`POLICY_SETS`) are the labelled sets that were measured once and
consulted since, less the tuning half of tests/data/devset: the classifier never trained on any
of them, so its probabilities there are the ones it gives on news it has not seen (fitted on
the tuning articles it trained on, the policy trusted an over-confident classifier). The
figures reported for a policy are **cross-fold**: fitted on one half of the articles and scored
on the other, both ways. The next unseen set (`NEVER_READ`) is never read here.
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

PRECISION_FLOOR = 0.8
RECALL_TARGET = 0.5
F1_TOLERANCE = 0.01
POLICY_SETS = (
    "tests/data/devset",
    "tests/data/heldout",
    "tests/data/heldout2",
    "tests/data/heldout3",
    "tests/data/heldout4",
    "tests/data/heldout5",
    "tests/data/heldout6",
    "tests/data/heldout7",
    "tests/data/heldout8",
    "tests/data/heldout9",
    "tests/data/heldout10",
    "tests/data/heldout11",
    "tests/data/heldout12",
    "tests/data/heldout13",
    "tests/data/heldout14",
    "tests/data/heldout15",
    "tests/data/heldout16",
    "tests/data/heldout17",
    "tests/data/heldout18",
    "tests/data/heldout19",
)
# heldout20 was measured once at the end of the eleventh round and its mistakes were not read;
# the recipe keeps out of it until a new blind set takes its place.
NEVER_READ = ("tests/data/heldout20",)
FOLDS = 2
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.3, 0.96, 0.05))


@dataclass
class ClaimPairs:
    """The pairs judged for one new claim: feature rows and which stored claims they are."""

    claim: Claim
    stored: list[StoredClaim]
    rows: list[list[float]]
    allows_agreement: list[bool]  # the classifier does not read a contradiction, per pair
    texts: list[tuple[str, str]]  # what the classifier read, per pair (premise, hypothesis)


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
        feats, rule_matches, signals, _ = self.judge.signals(pairs)
        claim = pairs[0][0]
        self.seen[id(claim)] = ClaimPairs(
            claim,
            [s for _, s, _ in pairs],
            [s.vector() for s in signals],
            [s.classifier_allows_agreement for s in signals],
            [self.judge.classifier_texts(f) for f in feats],
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


def _margin(setting: tuple[float, float, dict]) -> tuple[float, float, float]:
    """How far a (contradict bar, agree bar, figures) setting clears the promised contradiction
    precision and recall, the smaller of the two; then macro-F1, then the higher bar."""
    f = setting[2]
    low = min(f["contradict_precision"] - PRECISION_FLOOR, f["contradict_recall"] - RECALL_TARGET)
    return (low, f["macro_f1"], setting[0])


def fit_policy(data, *, c: float = 0.05) -> pol.Policy:  # type: ignore[no-untyped-def]
    rows, ys = [], []
    for label, cp in data:
        for stored, row in zip(cp.stored, cp.rows, strict=True):
            rows.append(row)
            ys.append(pair_label(label, stored))
    policy = pol.fit(rows, ys, c=c)
    gold = [label.label for label, _ in data]
    settings = [
        (c_min, a_min, scores(gold, verdicts(policy, data, c_min, a_min)))
        for c_min in THRESHOLDS
        for a_min in THRESHOLDS
    ]
    floored = [x for x in settings if x[2]["contradict_precision"] >= PRECISION_FLOOR]
    pool = floored or settings
    # Macro-F1 is flat across a wide band of thresholds; within F1_TOLERANCE of the best, the
    # setting farthest above both promised figures (the smaller of its two margins) is taken.
    top = max(x[2]["macro_f1"] for x in pool)
    near = [x for x in pool if x[2]["macro_f1"] >= top - F1_TOLERANCE]
    policy.contradict_min, policy.agree_min, figures = max(near, key=_margin)
    counts = {k: ys.count(k) for k in pol.CLASSES}
    policy.figures = {"claims": len(data), "pairs": counts, "c": c, **figures}
    return policy


def policy_articles(repo: Path) -> dict[str, list[str]]:
    """{labels folder: article names} the policy is fitted on (never NEVER_READ, never the
    tuning articles the classifier trained on)."""
    from ..evaluate import TUNING_ARTICLES, load_labels

    out: dict[str, list[str]] = {}
    for rel in POLICY_SETS:
        assert rel not in NEVER_READ
        folder = repo / rel
        if (folder / "labels.jsonl").exists():
            names = sorted({lab.article for lab in load_labels(folder)} - TUNING_ARTICLES)
            out[str(folder)] = names
    return out


def fold_of(articles: dict[str, list[str]], folds: int = FOLDS) -> dict[str, int]:
    """Article name → fold, alternating through each set's sorted articles."""
    return {name: i % folds for names in articles.values() for i, name in enumerate(names)}


def article_of(item: tuple[object, ClaimPairs]) -> str:
    return item[0].article  # type: ignore[attr-defined]


def cross_fold_figures(data: Sequence[tuple[object, ClaimPairs]], folds: dict[str, int]) -> dict:
    """Fit the policy on all folds but one, score the claims of that one; pooled figures."""
    gold: list[str] = []
    pred: list[str] = []
    for k in sorted(set(folds.values())):
        train = [x for x in data if folds.get(article_of(x)) != k]
        test = [x for x in data if folds.get(article_of(x)) == k]
        if not train or not test:
            continue
        policy = fit_policy(train)
        gold += [label.label for label, _ in test]  # type: ignore[attr-defined]
        pred += verdicts(policy, test, policy.contradict_min, policy.agree_min)
    return {"claims": len(gold), **scores(gold, pred)} if gold else {}


def collect_articles(
    model: Path, articles: dict[str, list[str]], names: set[str], corpus: Path
) -> list[tuple[object, ClaimPairs]]:
    """The signals of the classifier in `model` on the named labelled articles."""
    judge = LearnedJudge(model, policy=_neutral_policy())
    dirs = [Path(d) for d, arts in articles.items() if names & set(arts)]
    return collect(judge, dirs, corpus, names)


def calibrate(
    model: Path, repo: Path = Path("."), *, limit: int = 0
) -> tuple[pol.Policy, list[tuple[object, ClaimPairs]]]:
    """Fit the policy for the classifier in `model`, write MODEL/policy.json; returns it with the
    signals it was fitted on. `limit`: a tiny run for tests (two articles)."""
    articles = policy_articles(repo)
    if not articles:
        raise SystemExit(f"calibrate: no labelled articles under {repo}/tests/data")
    if limit:
        first = next(iter(articles))
        articles = {first: articles[first][:2]}
    names = {n for arts in articles.values() for n in arts}
    folds = fold_of(articles)
    data = collect_articles(model, articles, names, repo / "corpus")
    policy = fit_policy(data)
    policy.fitted_on = (
        f"{len(names)} consulted labelled articles the classifier never trained on (the "
        "held-out half of tests/data/devset, "
        + ", ".join(s for s in POLICY_SETS if s != "tests/data/devset")
        + "), pipeline and span pairs"
    )
    policy.figures = {
        "articles": len(names),
        "fitted": policy.figures,
        "cross_fold": cross_fold_figures(data, folds),
    }
    policy.save(model / "policy.json")
    return policy, data


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    p = argparse.ArgumentParser(prog="python -m claimcheck.training.calibrate", description=__doc__)
    p.add_argument("--model", required=True, help="the pair classifier's folder")
    p.add_argument("--repo", default=".", help="the checkout (corpus/ and tests/data/)")
    a = p.parse_args(argv)
    policy, _ = calibrate(Path(a.model), Path(a.repo))
    print(json.dumps(policy.figures, indent=1), file=sys.stderr)


def _neutral_policy() -> pol.Policy:
    """A placeholder for collecting signals (its probabilities are never used)."""
    n = len(pol.FEATURES)
    return pol.Policy([[0.0] * n] * 3, [0.0] * 3, [0.0] * n, [1.0] * n)


if __name__ == "__main__":
    main()

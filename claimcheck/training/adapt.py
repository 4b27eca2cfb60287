"""Adapting the pair classifier to labelled news (`make train-judge` with `--adapt`).

The base classifier (`recipe.train`) learns from public NLI pairs and generated news pairs, and
finds only about a quarter of the contradictions that editors label in real news: it reads a
restated fact that contradicts ("had not come up" / "were also brought up") as entailment. The
labelled articles that have been measured and consulted (`calibrate.POLICY_SETS`) are exactly
the pairs it lacks. This stage fine-tunes on them, mixed with a replay sample of the base
training data so that the public-set figures hold, and compares honestly:

1. **pairs** — each labelled claim is run through the real pipeline and the judge alone
   (labelled spans); the pairs the classifier actually reads become training pairs: a cited
   stored claim with the label's relation, the nearest candidates of a *novel* claim as neutral.
   Candidates a contradicting or agreeing claim does not cite are left out (they may relate too).
2. **cross-fitting** — the articles are split in two folds; a model fine-tuned on one fold's
   pairs reads the other fold's articles, so every probability the policy is fitted on comes
   from a model that never saw that article.
3. **comparison** — the policy's cross-fold figures with the adapted classifier against those
   with the base classifier, in one run; the recipe keeps the adapted model only if it wins.
4. **final model** — fine-tuned on every fold's pairs, with a policy fitted on the out-of-fold
   signals.

Measured (docs/evaluation.md): on the first 62 articles the adapted classifier found more
contradictions and flagged more wrongly (cross-fold macro-F1 0.693 against 0.700); on 102 it
scored 0.730 against 0.712, on 136 (ninth round, 2 repeats) 0.739 against 0.718, and on 152
(tenth round, its base trained from scratch) 0.729 against 0.707, the gain in agreement and
novelty: it learns that a claim sharing a stored claim's topic is not entailed by
it. It is on by default from the ninth round (`--no-adapt` skips it).
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path

from ..judge import policy as pol
from .calibrate import (
    POLICY_SETS,
    ClaimPairs,
    article_of,
    collect_articles,
    cross_fold_figures,
    fit_policy,
    fold_of,
    pair_label,
    policy_articles,
)
from .pairgen import CONTRADICTION, ENTAILMENT, NEUTRAL
from .recipe import Recipe, _read_jsonl, fit, log

RELATION = {"contradict": CONTRADICTION, "agree": ENTAILMENT}
SIMILARITY = pol.FEATURES.index("similarity")
NOVEL_PAIRS = 8  # nearest candidates of a novel claim taken as neutral pairs (3 flagged more)


def training_pairs(data: Sequence[tuple[object, ClaimPairs]]) -> list[dict]:
    """Classifier pairs from the collected claims (see the module's docstring), deduplicated."""
    seen: set[tuple[str, str]] = set()
    out: list[dict] = []
    for label, cp in data:
        kind = label.label  # type: ignore[attr-defined]
        if kind == "novel":
            order = sorted(range(len(cp.rows)), key=lambda i: -cp.rows[i][SIMILARITY])
            chosen = [(cp.texts[i], NEUTRAL) for i in order[:NOVEL_PAIRS]]
        else:
            chosen = [
                (text, RELATION[kind])
                for stored, text in zip(cp.stored, cp.texts, strict=True)
                if pair_label(label, stored) == kind
            ]
        for (premise, hypothesis), relation in chosen:
            if (premise, hypothesis) in seen or not premise.strip() or not hypothesis.strip():
                continue
            seen.add((premise, hypothesis))
            out.append(
                {
                    "premise": premise,
                    "hypothesis": hypothesis,
                    "label": relation,
                    "source": "labelled-news",
                    "kind": label.id,  # type: ignore[attr-defined]
                }
            )
    return out


def adapt(
    r: Recipe, base: Path, base_data: Sequence[tuple[object, ClaimPairs]]
) -> tuple[Path, pol.Policy, dict]:
    """Run the stage from the base classifier and its signals on the policy's articles (as
    `calibrate.calibrate` collected them); returns (adapted model folder, its policy,
    figures). Resumable: each fold model and the final one are kept in WORK/adapt/."""
    repo, work = Path(r.repo), Path(r.work) / "adapt"
    work.mkdir(parents=True, exist_ok=True)
    articles = policy_articles(repo)
    seen = {article_of(x) for x in base_data}
    articles = {d: [n for n in arts if n in seen] for d, arts in articles.items()}
    folds = fold_of(articles, r.adapt_folds)
    log(f"adapt: {len(seen)} labelled articles in {r.adapt_folds} folds")
    replay_rows = _read_jsonl(Path(r.work) / "data" / "train.jsonl")
    random.Random(r.seed).shuffle(replay_rows)
    replay = replay_rows[: r.adapt_replay if not r.limit else r.limit]

    def fine_tune(tag: str, data: Sequence[tuple[object, ClaimPairs]]) -> Path:
        final = work / tag
        if (final / "config.json").exists():
            log(f"adapt: {tag} already trained")
            return final
        pairs = training_pairs(data)
        log(f"adapt: {tag}: {len(pairs)} labelled pairs x{r.adapt_repeat} + {len(replay)} replayed")
        rows = list(replay) + pairs * r.adapt_repeat
        ckpt = work / f"{tag}.checkpoint"
        return fit(r, rows, str(base), ckpt, final, epochs=r.adapt_epochs, lr=r.adapt_lr)

    out_of_fold: list[tuple[object, ClaimPairs]] = []
    for k in range(r.adapt_folds):
        model = fine_tune(f"fold{k}", [x for x in base_data if folds[article_of(x)] != k])
        held = {n for n, f in folds.items() if f == k}
        out_of_fold += collect_articles(model, articles, held, repo / "corpus")
    final = fine_tune("final", base_data)
    policy = fit_policy(out_of_fold)
    policy.fitted_on = (
        f"out-of-fold probabilities on {len(seen)} consulted labelled articles (the held-out half "
        "of tests/data/devset, "
        + ", ".join(s for s in POLICY_SETS if s != "tests/data/devset")
        + "): each article read by a classifier fine-tuned without it; pipeline and span pairs"
    )
    figures = {
        "articles": len(seen),
        "labelled_pairs": len(training_pairs(base_data)),
        "cross_fold_base": cross_fold_figures(base_data, folds),
        "cross_fold_adapted": cross_fold_figures(out_of_fold, folds),
        "policy_fit": policy.figures,
    }
    (work / "figures.json").write_text(json.dumps(figures, indent=1) + "\n")
    log(f"adapt: {json.dumps(figures)}")
    return final, policy, figures

"""`make train-judge` (`python -m claimcheck.training`): every stage of the recipe in order.

The stages live in `recipe` (data, train, evaluate, export), `calibrate` (the verdict policy)
and `adapt` (the optional news adaptation); this module runs them and writes the figures.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .calibrate import calibrate
from .recipe import Recipe, build_data, evaluate_model, export, log, train


def run(r: Recipe) -> dict:
    """Every stage in order; a stage whose output exists in WORK is not run again."""
    counts = build_data(r)
    final = train(r)
    metrics = evaluate_model(final, r)
    (Path(r.work) / "metrics.json").write_text(json.dumps(metrics, indent=1))
    policy = None
    if r.adapt:
        from .adapt import adapt

        log("adapt: the base classifier's signals on the consulted labelled articles")
        _, signals = calibrate(final, Path(r.repo), limit=r.limit)
        adapted, adapted_policy, adaptation = adapt(r, final, signals)
        adaptation["classifier"] = evaluate_model(adapted, r)
        adaptation["base_classifier"] = dict(metrics)
        metrics["adaptation"] = adaptation
        better = adaptation["cross_fold_adapted"].get("macro_f1", 0.0)
        if better > adaptation["cross_fold_base"].get("macro_f1", 0.0):
            log("adapt: the adapted classifier is better across folds; it is the one exported")
            final, policy = adapted, adapted_policy  # fitted on out-of-fold probabilities
            metrics = {**metrics, **adaptation["classifier"]}
        else:
            log("adapt: the adapted classifier is not better across folds; the base is exported")
    out = export(final, r, metrics, counts)
    if policy is None:
        # Fitted on the exported classifier as the judge runs it (fp16 weights, int8 on CPU).
        log("calibrate: fitting the verdict policy on the consulted labelled articles")
        policy, _ = calibrate(out, Path(r.repo), limit=r.limit)
        log(f"calibrate: {policy.figures}")
    policy.save(out / "policy.json")
    metrics["policy"] = policy.figures
    info = json.loads((out / "training.json").read_text())
    info["figures"] = metrics
    (out / "training.json").write_text(json.dumps(info, indent=1) + "\n")
    return metrics


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    p = argparse.ArgumentParser(prog="python -m claimcheck.training", description=__doc__)
    p.add_argument("--shared", default=Recipe.shared, help="folder of the public NLI files")
    p.add_argument("--work", default=Recipe.work, help="data, checkpoints and logs")
    p.add_argument("--out", default=Recipe.out, help="where the trained model is written")
    p.add_argument("--max-minutes", type=float, default=Recipe.max_minutes)
    p.add_argument("--epochs", type=float, default=Recipe.epochs)
    p.add_argument("--limit", type=int, default=0, help="a tiny run: N pairs of each source")
    p.add_argument("--seed", type=int, default=Recipe.seed)
    p.add_argument(
        "--no-adapt",
        dest="adapt",
        action="store_false",
        help="the base classifier only (about 25 minutes): no fine-tuning on the consulted "
        "labelled news",
    )
    a = p.parse_args(argv)
    r = Recipe(
        shared=a.shared,
        work=a.work,
        out=a.out,
        max_minutes=a.max_minutes,
        epochs=a.epochs,
        limit=a.limit,
        seed=a.seed,
        adapt=a.adapt,
    )
    metrics = run(r)
    print(json.dumps(metrics, indent=1))

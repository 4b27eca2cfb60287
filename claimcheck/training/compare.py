"""Rule judge vs learned judge on the public sets' held-out parts, as whole judges.

`recipe.evaluate_model` measures the pair classifier alone; this measures what a user gets: each
(premise, hypothesis) pair becomes a stored claim and a new claim with their embedding cosine,
and each judge gives its verdict (contradict / agree / novel, read as contradiction / entailment
/ neutral). RTE is two-way: agree vs anything else. The files are the ones the recipe wrote to
WORK/data (`eval-*.jsonl`), so nothing here was trained on.

    python -m claimcheck.training.compare [--work build/judge] [--per-set 1000]
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..models import Claim, StoredClaim

AS_NLI = {"contradict": "contradiction", "agree": "entailment", "novel": "neutral"}


def _claim(text: str, i: int) -> Claim:
    return Claim("Wire", "Wire", "unattributed", text, text, 0, len(text), 0, id=i)


def judge_rows(rows: Sequence[dict], embedder: Any, judge: Any) -> list[str]:
    """Each judge's verdict, as an NLI label, for every pair."""
    premises = embedder.encode([r["premise"] for r in rows])
    hypotheses = embedder.encode([r["hypothesis"] for r in rows])
    sims = (premises * hypotheses).sum(axis=1)
    out = []
    for i, row in enumerate(rows):
        new = _claim(row["hypothesis"], 2 * i + 2)
        old = StoredClaim(_claim(row["premise"], 2 * i + 1), outlet="Wire")
        verdict = judge.decide(new, judge.judge_pairs([(new, old, float(sims[i]))]))
        out.append(AS_NLI[verdict.verdict])
    return out


def figures(gold: Sequence[str], pred: Sequence[str], two_way: bool) -> dict[str, Any]:
    if two_way:
        hits = sum(
            (p == "entailment") == (g == "entailment") for p, g in zip(pred, gold, strict=True)
        )
        return {"n": len(gold), "accuracy": round(hits / len(gold), 4)}
    out: dict[str, Any] = {"n": len(gold)}
    out["accuracy"] = round(sum(p == g for p, g in zip(pred, gold, strict=True)) / len(gold), 4)
    f1s = []
    for label in ("contradiction", "entailment", "neutral"):
        tp = sum(p == g == label for p, g in zip(pred, gold, strict=True))
        np_, ng = pred.count(label), list(gold).count(label)
        prec, rec = (tp / np_ if np_ else 0.0), (tp / ng if ng else 0.0)
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
        if label == "contradiction":
            out["contradiction_precision"], out["contradiction_recall"] = (
                round(prec, 4),
                round(rec, 4),
            )
    out["macro_f1"] = round(sum(f1s) / 3, 4)
    return out


def compare(work: Path, per_set: int) -> dict[str, dict[str, Any]]:
    from ..embed import load_embedder
    from ..judge import load_judge

    embedder = load_embedder()
    judges = {"rules": load_judge(kind="rules"), "learned": load_judge(kind="learned")}
    results: dict[str, dict[str, Any]] = {}
    for name in ("snli_test", "breaking", "rte3_test"):
        path = work / "data" / f"eval-{name}.jsonl"
        if not path.exists():
            continue
        rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x][:per_set]
        gold = [r["label"] for r in rows]
        results[name] = {
            judge_name: figures(gold, judge_rows(rows, embedder, judge), name == "rte3_test")
            for judge_name, judge in judges.items()
        }
        print(name, json.dumps(results[name]), file=sys.stderr, flush=True)
    return results


def main(argv: Sequence[str] | None = None) -> None:
    import argparse

    p = argparse.ArgumentParser(prog="python -m claimcheck.training.compare", description=__doc__)
    p.add_argument("--work", default="build/judge")
    p.add_argument("--per-set", type=int, default=1000)
    a = p.parse_args(argv)
    print(json.dumps(compare(Path(a.work), a.per_set), indent=1))


if __name__ == "__main__":
    main()

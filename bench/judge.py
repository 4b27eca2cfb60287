"""What the learned judge costs: the same warm check, rule judge vs learned judge, in one run.

    .venv/bin/python bench/judge.py [--runs 7] [--article PATH] [--json out.json]

The founding corpus is ingested into a scratch database, then the article (default: the 28-claim
explainer, B04) is checked with each judge, warm, `--runs` times, alternating the judges so that
the machine's load falls on both alike. Prints the median of each stage and the difference the
learned judge makes; how to read it: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stats import summary  # noqa: E402

ARTICLE = ROOT / "tests/data/devset/articles/B04_explainer.txt"
STAGES = ("extract", "encode", "retrieve", "judge")


def measure(article_path: Path, runs: int) -> dict[str, Any]:
    from claimcheck.archive import Store, ingest_paths
    from claimcheck.check import check_article
    from claimcheck.embed import load_embedder
    from claimcheck.judge import load_judge
    from claimcheck.read import read_article

    embedder = load_embedder()
    started = time.perf_counter()
    judges = {"rules": load_judge(kind="rules")}
    rules_load = time.perf_counter() - started
    started = time.perf_counter()
    judges["learned"] = load_judge(kind="learned")
    learned_load = time.perf_counter() - started
    article = read_article(str(article_path))
    out: dict[str, Any] = {"load_s": {"rules": rules_load, "learned": learned_load}}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        try:
            ingest_paths(store, sorted((ROOT / "corpus").glob("*.txt")), embedder)
            timings: dict[str, dict[str, list[float]]] = {
                name: {stage: [] for stage in (*STAGES, "total")} for name in judges
            }
            verdicts: dict[str, dict[str, int]] = {}
            for judge in judges.values():  # warm-up: caches, the classifier's first batch
                check_article(store, article, embedder=embedder, judge=judge, record=False)
            for _ in range(runs):
                for name, judge in judges.items():
                    report = check_article(
                        store, article, embedder=embedder, judge=judge, record=False
                    )
                    for stage in STAGES:
                        timings[name][stage].append(report.timings.get(stage, 0.0))
                    timings[name]["total"].append(
                        sum(report.timings.get(stage, 0.0) for stage in STAGES)
                    )
                    verdicts[name] = report.counts()
                    out["claims"] = len(report.verdicts)
        finally:
            store.close()
    out["stages"] = {
        name: {stage: summary(values) for stage, values in per.items()}
        for name, per in timings.items()
    }
    out["verdicts"] = verdicts
    out["load_average"] = os.getloadavg()
    return out


def report(results: dict[str, Any]) -> str:
    s = results["stages"]
    lines = [
        f"Warm check of {results['claims']} claims against the founding corpus "
        f"(p50 of {results['runs']} runs; load average {results['load_average'][0]:.2f})",
        "",
        "| stage | rules | learned | learned - rules |",
        "|---|---|---|---|",
    ]
    for stage in (*STAGES, "total"):
        a, b = s["rules"][stage]["p50"], s["learned"][stage]["p50"]
        lines.append(
            f"| {stage} | {a * 1000:,.0f} ms | {b * 1000:,.0f} ms | {(b - a) * 1000:+,.0f} ms |"
        )
    load = results["load_s"]
    lines += [
        "",
        f"judge load: rules {load['rules'] * 1000:,.0f} ms, learned {load['learned']:.2f} s",
        f"verdicts: rules {results['verdicts']['rules']}, learned {results['verdicts']['learned']}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--article", default=str(ARTICLE))
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)
    results = measure(Path(args.article), args.runs)
    results["runs"] = args.runs
    print(report(results))
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results, indent=1, default=str))
    return results


if __name__ == "__main__":
    main()

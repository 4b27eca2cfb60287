"""A fresh `claimcheck check` of a 28-claim article: ONNX Runtime against torch, side by side.

    .venv/bin/python bench/startup.py [--runs 5] [--json out.json]

Each run is a new process, as a reporter's every check is: `claimcheck -d DB check ARTICLE
--json` against the founding corpus, alternately with the default backend (ONNX Runtime) and
with CLAIMCHECK_BACKEND=torch, so that a busy machine slows both alike. Then one probe process
per backend times the phases (imports, the embedder, the judge, spaCy, the check itself) and
lists the heavy modules it imported. The ONNX exports are made before the first timed run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import processes, stats  # noqa: E402

ARTICLE = ROOT / "tests/data/devset/articles/B04_explainer.txt"  # 28 claims
BACKENDS = ("onnx", "torch")

_PHASES = r"""
import json, sys, time
t0 = time.perf_counter()
phases = {}
def mark(name):
    global t0
    now = time.perf_counter(); phases[name] = now - t0; t0 = now
from claimcheck.archive import Store
from claimcheck.check import check_article
from claimcheck.inference import keep_torch_out_of_spacy
from claimcheck.read import read_article
mark("import claimcheck")
keep_torch_out_of_spacy()
from claimcheck.embed import load_embedder
embedder = load_embedder(); mark("embedder")
from claimcheck.judge import load_judge
judge = load_judge(kind="learned"); mark("judge")
from claimcheck.extract.nlp import load_nlp
load_nlp(); mark("spaCy")
store = Store.open(sys.argv[1], create=False)
report = check_article(store, read_article(sys.argv[2]), embedder=embedder, judge=judge,
                       record=False)
mark("first check")
heavy = [m for m in ("torch", "sentence_transformers", "transformers", "spacy") if m in sys.modules]
print(json.dumps({"phases": phases, "claims": len(report.verdicts), "heavy": heavy}))
"""


def _env(backend: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CLAIMCHECK_BACKEND", None)
    if backend == "torch":
        env["CLAIMCHECK_BACKEND"] = "torch"
    env["CLAIMCHECK_JUDGE"] = "learned"
    return env


def _archive(folder: Path) -> str:
    db = str(folder / "corpus.db")
    subprocess.run(
        [processes.CLAIMCHECK, "-d", db, "ingest", str(ROOT / "corpus")],
        check=True,
        capture_output=True,
        env=_env("onnx"),
    )
    return db


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"machine": stats.machine(), "runs": args.runs}
    with tempfile.TemporaryDirectory() as tmp:
        db = _archive(Path(tmp))  # also makes the ONNX exports, once
        command = [processes.CLAIMCHECK, "-d", db, "check", str(ARTICLE), "--json"]
        timed: dict[str, list[dict[str, Any]]] = {b: [] for b in BACKENDS}
        for _ in range(args.runs):
            for backend in BACKENDS:
                saved = dict(os.environ)
                os.environ.clear()
                os.environ.update(_env(backend))
                try:
                    timed[backend].append(processes.run_measured(command))
                finally:
                    os.environ.clear()
                    os.environ.update(saved)
        for backend in BACKENDS:
            runs = timed[backend]
            probe = subprocess.run(
                [sys.executable, "-c", _PHASES, db, str(ARTICLE)],
                capture_output=True,
                text=True,
                env=_env(backend),
                check=True,
            )
            results[backend] = {
                "seconds": stats.summary([r["seconds"] for r in runs]),
                "cpu_seconds": stats.summary([r["cpu_seconds"] for r in runs]),
                "peak_rss_mb": stats.summary([r["peak_rss_mb"] for r in runs]),
                "probe": json.loads(probe.stdout.strip().splitlines()[-1]),
            }
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["onnx_vs_torch"] = (
        results["onnx"]["seconds"]["p50"] / results["torch"]["seconds"]["p50"]
    )
    print(report(results))
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results, indent=1, default=str))
    return results


def report(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Fresh-process `check` of a {results['onnx']['probe']['claims']}-claim article, "
        f"p50 of {results['runs']} (load average {m['load_average_at_start'][0]:.1f} at start, "
        f"{m['load_average_at_end'][0]:.1f} at end)",
        "",
        "| backend | wall p50 (p95) | CPU p50 | peak RSS | "
        + " | ".join(results["onnx"]["probe"]["phases"])
        + " | heavy imports |",
        "|---|---|---|---|" + "---|" * len(results["onnx"]["probe"]["phases"]) + "---|",
    ]
    for backend in BACKENDS:
        r = results[backend]
        phases = r["probe"]["phases"]
        lines.append(
            f"| {backend} | {r['seconds']['p50']:.2f} s ({r['seconds']['p95']:.2f} s) | "
            f"{r['cpu_seconds']['p50']:.2f} s | {r['peak_rss_mb']['p50']:,.0f} MB | "
            + " | ".join(f"{v:.2f} s" for v in phases.values())
            + f" | {', '.join(r['probe']['heavy']) or 'none'} |"
        )
    lines.append(f"\nONNX / torch wall time: {results['onnx_vs_torch']:.2f}x")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

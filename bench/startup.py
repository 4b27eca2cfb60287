"""A fresh `claimcheck check` of a 28-claim article: ONNX Runtime against torch, side by side.

    .venv/bin/python bench/startup.py [--runs 5] [--backends onnx,torch] [--against DIR]
                                      [--json out.json]

Each run is a new process, as a reporter's every check is: `claimcheck -d DB check ARTICLE
--json` against the founding corpus, alternately with the default backend (ONNX Runtime) and
with CLAIMCHECK_BACKEND=torch, so that a busy machine slows both alike. Then one probe process
per backend times the phases (imports, the embedder, the judge, spaCy, the check itself) and
lists the heavy modules it imported. The ONNX exports are made before the first timed run.

--against DIR also times, in the same alternation, the default backend with an earlier version of
the package first on PYTHONPATH, and reports this version's time as a ratio of that one's. Make DIR
from a commit with `mkdir DIR && git archive COMMIT claimcheck | tar -x -C DIR`.
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
LABELS = {"against": "onnx, --against package"}

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


def _env(backend: str, against: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CLAIMCHECK_BACKEND", None)
    if backend == "torch":
        env["CLAIMCHECK_BACKEND"] = "torch"
    env["CLAIMCHECK_JUDGE"] = "learned"
    if backend == "against" and against:
        # The earlier package comes before this checkout's (installed in development mode).
        env["PYTHONPATH"] = os.pathsep.join(p for p in (against, env.get("PYTHONPATH")) if p)
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
    parser.add_argument("--backends", default=",".join(BACKENDS), help="onnx, torch or both")
    parser.add_argument("--against", help="a folder holding an earlier claimcheck package")
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)
    backends = [b for b in args.backends.split(",") if b in BACKENDS] or ["onnx"]
    if args.against:
        if not (Path(args.against) / "claimcheck" / "__init__.py").is_file():
            parser.error(f"{args.against} holds no claimcheck package")
        backends.append("against")
    results: dict[str, Any] = {"machine": stats.machine(), "runs": args.runs}
    results["backends"] = backends
    results["against_path"] = args.against
    with tempfile.TemporaryDirectory() as tmp:
        db = _archive(Path(tmp))  # also makes the ONNX exports, once
        command = [processes.CLAIMCHECK, "-d", db, "check", str(ARTICLE), "--json"]
        timed: dict[str, list[dict[str, Any]]] = {b: [] for b in backends}
        outputs: dict[str, str] = {}
        for _ in range(args.runs):
            for backend in backends:
                saved = dict(os.environ)
                os.environ.clear()
                os.environ.update(_env(backend, args.against))
                try:
                    timed[backend].append(processes.run_measured(command))
                finally:
                    os.environ.clear()
                    os.environ.update(saved)
        for backend in backends:
            runs = timed[backend]
            env = _env(backend, args.against)
            # What the check printed: a faster start must not change a verdict.
            outputs[backend] = subprocess.run(
                command, capture_output=True, text=True, env=env, check=True
            ).stdout
            probe = subprocess.run(
                [sys.executable, "-c", _PHASES, db, str(ARTICLE)],
                capture_output=True,
                text=True,
                env=env,
                check=True,
                cwd=tmp,  # not the checkout, whose package `-c` would put before PYTHONPATH's
            )
            results[backend] = {
                "seconds": stats.summary([r["seconds"] for r in runs]),
                "cpu_seconds": stats.summary([r["cpu_seconds"] for r in runs]),
                "peak_rss_mb": stats.summary([r["peak_rss_mb"] for r in runs]),
                "probe": json.loads(probe.stdout.strip().splitlines()[-1]),
            }
    results["machine"]["load_average_at_end"] = os.getloadavg()
    for other in ("torch", "against"):
        if "onnx" in backends and other in backends:
            for key in ("seconds", "cpu_seconds"):
                results[f"onnx_vs_{other}_{key}"] = (
                    results["onnx"][key]["p50"] / results[other][key]["p50"]
                )
            results[f"same_output_as_{other}"] = outputs["onnx"] == outputs[other]
    if "onnx_vs_torch_seconds" in results:
        results["onnx_vs_torch"] = results["onnx_vs_torch_seconds"]  # the earlier runs' key
    print(report(results))
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results, indent=1, default=str))
    return results


def report(results: dict[str, Any]) -> str:
    m = results["machine"]
    backends = results.get("backends", list(BACKENDS))
    first = results[backends[0]]["probe"]
    lines = [
        f"Fresh-process `check` of a {first['claims']}-claim article, "
        f"p50 of {results['runs']} (load average {m['load_average_at_start'][0]:.1f} at start, "
        f"{m['load_average_at_end'][0]:.1f} at end)",
        "",
        "| backend | wall p50 (p95) | CPU p50 | peak RSS | "
        + " | ".join(first["phases"])
        + " | heavy imports |",
        "|---|---|---|---|" + "---|" * len(first["phases"]) + "---|",
    ]
    for backend in backends:
        r = results[backend]
        phases = r["probe"]["phases"]
        label = LABELS.get(backend, backend)
        lines.append(
            f"| {label} | {r['seconds']['p50']:.2f} s ({r['seconds']['p95']:.2f} s) | "
            f"{r['cpu_seconds']['p50']:.2f} s | {r['peak_rss_mb']['p50']:,.0f} MB | "
            + " | ".join(f"{v:.2f} s" for v in phases.values())
            + f" | {', '.join(r['probe']['heavy']) or 'none'} |"
        )
    for other in ("torch", "against"):
        if f"onnx_vs_{other}_seconds" in results:
            name = other if other == "torch" else f"the package in {results['against_path']}"
            lines.append(
                f"\nONNX / {name}: {results[f'onnx_vs_{other}_seconds']:.2f}x wall, "
                f"{results[f'onnx_vs_{other}_cpu_seconds']:.2f}x CPU; the same output: "
                f"{'yes' if results[f'same_output_as_{other}'] else 'NO'}"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()

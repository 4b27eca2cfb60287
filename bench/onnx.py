"""The models on ONNX Runtime against torch: agreement and speed, side by side in one run.

    .venv/bin/python bench/onnx.py [--runs 3] [--evaluate tests/data/devset] [--json out.json]

- embedder: real sentences from corpus/ and the labelled sets, encoded by sentence-transformers
  (torch), by the float32 ONNX export and by its int8 quantisation: cosine of each vector with
  torch's, the overlap of each sentence's 10 nearest neighbours, sentences per second;
- pair classifier: sentence pairs from the same texts, through torch (float32 and the dynamic
  int8 the torch path uses) and ONNX (float32 and int8): the largest probability difference,
  how often the top label agrees, pairs per second;
- with --evaluate, `claimcheck evaluate` of that labelled set with torch (int8), ONNX int8 (the
  default) and ONNX float32: the judge's macro-F1 each way.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench import stats  # noqa: E402

CLAIMCHECK = str(Path(sys.executable).with_name("claimcheck"))


def sentences(limit: int = 800) -> list[str]:
    files = sorted((ROOT / "corpus").glob("*.txt")) + sorted(ROOT.glob("tests/data/*/articles/*"))
    out = []
    for path in files:
        for part in re.split(r"(?<=[.!?])\s+|\n+", path.read_text(encoding="utf-8")):
            if 5 <= len(part.split()) <= 60:
                out.append(part.strip())
    return out[:limit]


def _timed(fn: Any, runs: int) -> tuple[Any, float]:
    result, times = None, []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return result, float(np.median(times))


def embedders(texts: list[str], runs: int) -> dict[str, Any]:
    from claimcheck import inference
    from claimcheck.embed import DEFAULT_MODEL, SentenceTransformerEmbedder, model_folder

    folder = Path(model_folder(DEFAULT_MODEL))
    models = {
        "torch": SentenceTransformerEmbedder(),
        "onnx": inference.load_embedder(DEFAULT_MODEL, folder, int8=False),
        "onnx-int8": inference.load_embedder(DEFAULT_MODEL, folder, int8=True),
    }
    vectors, out = {}, {}
    for _ in range(runs):  # alternately, so that load slows each alike
        for name, model in models.items():
            model.encode(texts[:64])  # warm
            v, seconds = _timed(lambda m=model: m.encode(texts), 1)
            vectors[name] = v
            out.setdefault(name, {"seconds": []})["seconds"].append(seconds)
    reference = vectors["torch"]
    ref_nn = _neighbours(reference)
    for name in models:
        cos = (vectors[name] * reference).sum(axis=1)
        nn = _neighbours(vectors[name])
        overlap = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(nn, ref_nn, strict=True)])
        seconds = float(np.median(out[name]["seconds"]))
        out[name] = {
            "sentences_per_s": len(texts) / seconds,
            "cosine_mean": float(cos.mean()),
            "cosine_min": float(cos.min()),
            "top10_overlap": float(overlap),
        }
    return out


def _neighbours(v: np.ndarray) -> np.ndarray:
    scores = v @ v.T
    np.fill_diagonal(scores, -9)
    return np.argsort(-scores, axis=1, kind="stable")[:, :10]


def classifiers(texts: list[str], runs: int, pairs_n: int = 256) -> dict[str, Any]:
    from claimcheck import inference
    from claimcheck.judge.learned import MODEL_DIR, PairClassifier, label_columns

    rng = np.random.default_rng(0)
    picks = rng.integers(0, len(texts), size=(pairs_n, 2))
    pairs = [(texts[a], texts[a if i % 4 == 0 else b]) for i, (a, b) in enumerate(picks)]
    models = {
        "torch": PairClassifier(MODEL_DIR, quantize=False),
        "torch-int8": PairClassifier(MODEL_DIR, quantize=True),
        "onnx": inference.load_pair_classifier(MODEL_DIR, int8=False, columns=label_columns),
        "onnx-int8": inference.load_pair_classifier(MODEL_DIR, int8=True, columns=label_columns),
    }
    probs, seconds = {}, {}
    for _ in range(runs):
        for name, model in models.items():
            model.predict(pairs[:32])
            p, s = _timed(lambda m=model: m.predict(pairs), 1)
            probs[name] = p
            seconds.setdefault(name, []).append(s)
    out = {}
    for name in models:
        diff = np.abs(probs[name] - probs["torch"])
        same = probs[name].argmax(axis=1) == probs["torch"].argmax(axis=1)
        diff8 = np.abs(probs[name] - probs["torch-int8"])
        out[name] = {
            "pairs_per_s": len(pairs) / float(np.median(seconds[name])),
            "max_abs_diff_vs_torch": float(diff.max()),
            "mean_abs_diff_vs_torch": float(diff.mean()),
            "top_label_agrees_with_torch": float(same.mean()),
            "mean_abs_diff_vs_torch_int8": float(diff8.mean()),
        }
    return out


def evaluations(labels: str) -> dict[str, Any]:
    out = {}
    for name, backend, int8 in (
        ("torch-int8", "torch", "1"),
        ("onnx-int8", "onnx", "1"),
        ("onnx", "onnx", "0"),
    ):
        env = dict(os.environ, CLAIMCHECK_BACKEND=backend, CLAIMCHECK_JUDGE_INT8=int8)
        env["CLAIMCHECK_JUDGE"] = "learned"
        started = time.perf_counter()
        done = subprocess.run(
            [CLAIMCHECK, "evaluate", labels, "--json"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        figures = json.loads(done.stdout)
        out[name] = {
            "macro_f1": figures["macro_f1"],
            "accuracy": figures["accuracy"],
            "seconds": time.perf_counter() - started,
        }
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--evaluate", help="a labelled set for `claimcheck evaluate`")
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)
    texts = sentences()
    results: dict[str, Any] = {"machine": stats.machine(), "sentences": len(texts)}
    results["embedder"] = embedders(texts, args.runs)
    results["classifier"] = classifiers(texts, args.runs)
    if args.evaluate:
        results["evaluate"] = {"labels": args.evaluate, **evaluations(args.evaluate)}
    results["machine"]["load_average_at_end"] = os.getloadavg()
    print(json.dumps({k: v for k, v in results.items() if k != "machine"}, indent=1))
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results, indent=1, default=str))
    return results


if __name__ == "__main__":
    main()

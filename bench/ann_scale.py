"""The approximate index at a million vectors: IVF search against the exact scan and the floor.

    .venv/bin/python bench/ann_scale.py [--rows 1000000] [--runs 7] [--json out.json]

Building a store of a million claims takes most of an hour on this machine, so this measures the
retrieval alone on the same synthetic vectors `bench/run.py` stores (bench/synthetic.py: 3,000
topics, anisotropic, 5% near-duplicates), through the real code: the matrix written and
memory-mapped as `archive/matrix_cache.py` does, `archive/ann.py` building and opening its index
beside it, and `VectorIndex.search` with and without it — alternately, in one process. The whole
check through the store is measured by `bench/run.py` at the sizes it has built.
"""

from __future__ import annotations

import argparse
import json
import mmap
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench import stats, synthetic  # noqa: E402
from bench.retrieval import NPROBE_SWEEP, numpy_floor  # noqa: E402
from claimcheck.archive import ann  # noqa: E402
from claimcheck.archive.index import VectorIndex  # noqa: E402

QUERIES = 30
K = 8
CHUNK = 100_000


def write_matrix(folder: Path, rows: int) -> np.ndarray:
    """`rows` synthetic vectors written as raw float32 and memory-mapped, as the cache is."""
    model = synthetic.VectorModel.create()
    rng = np.random.default_rng(1)
    path = folder / "vectors.f32"
    with open(path, "wb") as fh:
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            fh.write(model.sample(rng.integers(0, 3000, n), rng).astype("<f4").tobytes())
    with open(path, "rb") as fh:
        mapping = mmap.mmap(fh.fileno(), 0, prot=mmap.PROT_READ)
    return np.frombuffer(mapping, dtype="<f4").reshape(rows, synthetic.DIMENSIONS)


def recall(found: np.ndarray, exact: np.ndarray) -> float:
    return float(
        np.mean([len(set(a) & set(b)) / len(b) for a, b in zip(found, exact, strict=True)])
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)
    out: dict[str, Any] = {"machine": stats.machine(), "rows": args.rows}
    model = synthetic.VectorModel.create()
    qrng = np.random.default_rng(99)
    queries = model.sample(qrng.integers(0, 3000, QUERIES), qrng)
    with tempfile.TemporaryDirectory(dir=ROOT / "bench/out") as tmp:
        folder = Path(tmp)
        matrix = write_matrix(folder, args.rows)
        ids = np.arange(1, args.rows + 1, dtype=np.int64)
        started = time.perf_counter()
        meta = ann.build(folder, "bench", matrix)
        out["ann_build_s"] = time.perf_counter() - started
        out["lists"] = meta["lists"]
        out["ann_mb"] = meta["bytes"] / 1e6
        opened = []
        for _ in range(args.runs):
            started = time.perf_counter()
            approximate = ann.open_index(folder, meta)
            opened.append(time.perf_counter() - started)
        out["ann_open_s"] = stats.summary(opened)
        index = VectorIndex(ids=ids, matrix=matrix, approximate=approximate)
        exact = VectorIndex(ids=ids, matrix=matrix)
        in_memory = np.array(matrix)
        truth = ids[np.argsort(-(queries @ in_memory.T), axis=1, kind="stable")[:, :10]]
        times: dict[str, list[float]] = {"ivf": [], "exact": [], "floor": []}
        for _ in range(args.runs):
            for name, fn in (
                ("ivf", lambda: index.search(queries, K)),
                ("exact", lambda: exact.search(queries, K)),
                ("floor", lambda: numpy_floor(queries, in_memory, K)),
            ):
                started = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - started)
        out.update({f"{name}_s": stats.summary(t) for name, t in times.items()})
        out["ivf_vs_exact"] = out["ivf_s"]["p50"] / out["exact_s"]["p50"]
        out["recall_at_10"] = recall(index.search(queries, 10)[0], truth)
        out["nprobe_default"] = ann.nprobe()
        sweep = {}
        for probes in NPROBE_SWEEP:
            os.environ[ann.NPROBE_ENV] = str(probes)
            t = []
            for _ in range(args.runs):
                started = time.perf_counter()
                index.search(queries, K)
                t.append(time.perf_counter() - started)
            sweep[str(probes)] = {
                "seconds": stats.summary(t),
                "recall_at_10": recall(index.search(queries, 10)[0], truth),
            }
        os.environ.pop(ann.NPROBE_ENV, None)
        out["nprobe"] = sweep
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["machine"]["load_average_at_end"] = os.getloadavg()
    print(report(out))
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(out, indent=1, default=str))
    return out


def report(out: dict[str, Any]) -> str:
    m = out["machine"]
    ms = lambda s: f"{s * 1000:,.1f} ms"  # noqa: E731
    lines = [
        f"{out['rows']:,} vectors, {QUERIES} queries, top {K}; load average "
        f"{m['load_average_at_start'][0]:.1f} at start, {m['load_average_at_end'][0]:.1f} at end",
        f"IVF: {out['lists']} lists, built in {out['ann_build_s']:.1f} s, {out['ann_mb']:,.0f} MB, "
        f"opened in {ms(out['ann_open_s']['p50'])}; peak RSS {out['peak_rss_mb']:,.0f} MB",
        "",
        "| search | p50 | p95 | recall@10 |",
        "|---|---|---|---|",
        f"| IVF, {out['nprobe_default']} lists probed | {ms(out['ivf_s']['p50'])} | "
        f"{ms(out['ivf_s']['p95'])} | {out['recall_at_10']:.3f} |",
        f"| exact blocked scan | {ms(out['exact_s']['p50'])} | {ms(out['exact_s']['p95'])} "
        "| 1.000 |",
        f"| numpy floor | {ms(out['floor_s']['p50'])} | {ms(out['floor_s']['p95'])} | — |",
        "",
        f"IVF / exact: {out['ivf_vs_exact']:.3f}x",
        "",
        "| lists probed | p50 | recall@10 |",
        "|---|---|---|",
    ]
    for n, v in out["nprobe"].items():
        lines.append(f"| {n} | {ms(v['seconds']['p50'])} | {v['recall_at_10']:.3f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()

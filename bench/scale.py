"""Beyond one machine, measured side by side in one run: ingest on Ray against serial ingest, and
Milvus Lite against the numpy scan.

    .venv/bin/python bench/scale.py                      # ingest (48x12) and index at 100k, 1M
    .venv/bin/python bench/scale.py --sizes 100000 --no-ray --json out.json
    .venv/bin/python bench/scale.py --quick              # a small smoke run

Ingest: 48 copies of the 12 devset articles (bench/run.py's set), the real extractor and model:
serial ingest as it was (extraction between batches), serial ingest with the extraction worker
(the default), the encoder alone on the same claim texts, then `ingest_on_ray` with 1 and 2
actors per stage on a local Ray cluster. Each Ray run reports the seconds each stage spent
working (summed over its actors) and the one writer's, which project N machines
(docs/scaling.md). Index: synthetic vectors shaped like the model's (bench/synthetic.py), the
exact numpy scan (`VectorIndex.search`) against a Milvus Lite collection with claimcheck's own
HNSW settings (archive/milvus.py): recall@10 against the exact scan, time per article (30 claims
in one call) and memory of this process and of the Milvus Lite server process.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench import stats, synthetic  # noqa: E402
from bench.pipeline import article_copies  # noqa: E402

INGEST_SOURCES = sorted((ROOT / "tests/data/devset/articles").glob("*.txt"))
QUERIES = 30
K = 10


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=48)
    parser.add_argument("--sizes", default="100000,1000000", help="claims in the index runs")
    parser.add_argument("--rounds", type=int, default=2, help="alternating serial rounds")
    parser.add_argument("--runs", type=int, default=5, help="timed searches per figure")
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--no-ingest", action="store_true")
    parser.add_argument("--no-index", action="store_true")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.sizes, args.rounds, args.runs = 8, "5000", 1, 2
    args.sizes = [int(s) for s in str(args.sizes).split(",") if s]
    return args


# ------------------------------------------------------------------------------------ memory
def rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children_rss_mb() -> float:
    """Resident memory of this process's child processes (the Milvus Lite server)."""
    me, total = str(os.getpid()), 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                parent = fh.read().rsplit(")", 1)[1].split()[1]
            if parent == me:
                total += rss_mb(entry)
        except (OSError, IndexError):
            continue
    return total


# ------------------------------------------------------------------------------------ ingest
def _ingest_serial(paths: list[Path], embedder: Any, work: Path, overlap: bool) -> dict[str, Any]:
    from claimcheck.archive import Store, ingest_paths

    db = work / f"serial-{overlap}-{time.monotonic_ns()}.db"
    store = Store.open(str(db))
    started = time.perf_counter()
    summary = ingest_paths(store, paths, embedder, overlap=overlap)
    seconds = time.perf_counter() - started
    texts = [r[0] for r in store.db.execute("select coalesce(assertion, quote) from claims")]
    store.close()
    return {"seconds": seconds, "claims": summary.claims_added, "texts": texts}


def measure_ingest(args: argparse.Namespace) -> dict[str, Any]:
    from claimcheck.embed import load_embedder
    from claimcheck.extract import extract_many

    work = Path(tempfile.mkdtemp(prefix="claimcheck-bench-scale-"))
    out: dict[str, Any] = {"articles": args.articles}
    try:
        paths = article_copies(INGEST_SOURCES, args.articles, work / "articles")
        embedder = load_embedder()
        list(extract_many([("Warm-up. He said it was fine.", None)]))
        rates: dict[str, list[float]] = {"serial": [], "overlap": [], "encoder": []}
        texts: list[str] = []
        for _ in range(args.rounds):  # alternating, so load drifts touch both alike
            for name, overlap in (("serial", False), ("overlap", True)):
                run = _ingest_serial(paths, embedder, work, overlap)
                rates[name].append(run["claims"] / run["seconds"])
                out["claims"], texts = run["claims"], run["texts"]
            started = time.perf_counter()
            embedder.encode(texts)
            rates["encoder"].append(len(texts) / (time.perf_counter() - started))
        for name, values in rates.items():
            out[f"{name}_claims_per_s"] = float(np.median(values))
            out[f"{name}_runs"] = values
        out["overlap_vs_encoder"] = out["overlap_claims_per_s"] / out["encoder_claims_per_s"]
        out["serial_vs_encoder"] = out["serial_claims_per_s"] / out["encoder_claims_per_s"]
        print(json.dumps(_short(out), indent=1), flush=True)
        if not args.no_ray:
            try:
                out["ray"] = measure_ray(paths, work, out["serial_claims_per_s"])
            except Exception as exc:  # a cluster that does not start: say so, keep the rest
                out["ray"] = {"error": str(exc).splitlines()[0]}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def measure_ray(paths: list[Path], work: Path, serial_rate: float) -> dict[str, Any]:
    import ray

    from claimcheck.archive import Store
    from claimcheck.embed import load_embedder
    from claimcheck.scale import RayOptions, ingest_on_ray
    from claimcheck.scale.ingest import StageTimes

    out: dict[str, Any] = {}
    started = time.perf_counter()
    # Four logical CPUs on this machine's two cores: room for two actors per stage.
    ray.init(num_cpus=4, _node_ip_address="127.0.0.1", include_dashboard=False, log_to_driver=False)
    out["cluster_start_s"] = time.perf_counter() - started
    try:
        for workers in (1, 2):
            times = StageTimes()
            store = Store.open(str(work / f"ray-{workers}.db"))
            began = time.perf_counter()
            summary = ingest_on_ray(
                store,
                paths,
                functools.partial(load_embedder, None),
                ray_options=RayOptions(address="auto", workers=workers),
                times=times,
            )
            wall = time.perf_counter() - began
            store.close()
            claims = summary.claims_added
            per_claim = {
                stage: getattr(times, stage) / max(1, claims)
                for stage in ("read", "extract", "embed", "write")
            }
            out[f"workers_{workers}"] = {
                **times.as_dict(),
                "claims_per_s": claims / wall,
                "vs_serial": claims / wall / serial_rate,
                "ms_per_claim": {k: v * 1000 for k, v in per_claim.items()},
                # The steady state the stages allow: every actor busy, the writer alone.
                "writer_ceiling_claims_per_s": 1 / max(per_claim["write"], 1e-9),
                "cpu_s_per_claim": per_claim["extract"] + per_claim["embed"],
            }
    finally:
        ray.shutdown()
    return out


# ------------------------------------------------------------------------------------ index
def _vectors(size: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    model = synthetic.VectorModel.create()
    rng = np.random.default_rng(seed)
    matrix = np.empty((size, synthetic.DIMENSIONS), dtype=np.float32)
    for start in range(0, size, 100_000):
        n = min(100_000, size - start)
        topics = rng.integers(0, model.centroids.shape[0], size=n)
        matrix[start : start + n] = model.sample(topics, rng)
    queries_rng = np.random.default_rng(99)
    topics = queries_rng.integers(0, model.centroids.shape[0], size=QUERIES)
    return matrix, model.sample(topics, queries_rng)


def measure_index(size: int, args: argparse.Namespace) -> dict[str, Any]:
    from pymilvus import DataType, MilvusClient

    from claimcheck.archive import VectorIndex
    from claimcheck.archive.milvus import HNSW_PARAMS, INSERT_ROWS, SEARCH_EF

    out: dict[str, Any] = {"size": size}
    base_rss = rss_mb()
    matrix, queries = _vectors(size)
    ids = np.arange(1, size + 1, dtype=np.int64)
    index = VectorIndex(ids=ids, matrix=matrix)
    exact_ids, _ = index.search(queries, K)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        index.search(queries, K)
        times.append(time.perf_counter() - started)
    out["numpy"] = {
        "ms_per_article": stats.summary([t * 1000 for t in times]),
        "rss_mb": rss_mb() - base_rss,
    }

    folder = Path(tempfile.mkdtemp(prefix="claimcheck-bench-milvus-"))
    try:
        client = MilvusClient(str(folder / "bench.milvus.db"))
        schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=matrix.shape[1])
        params = client.prepare_index_params()
        params.add_index(
            field_name="vector", index_type="HNSW", metric_type="IP", params=HNSW_PARAMS
        )
        client.create_collection("bench", schema=schema, index_params=params)
        started = time.perf_counter()
        for start in range(0, size, INSERT_ROWS):
            rows = matrix[start : start + INSERT_ROWS]
            client.insert(
                "bench",
                [{"id": int(i), "vector": r} for i, r in zip(ids[start:], rows, strict=False)],
            )
        insert_s = time.perf_counter() - started
        client.search("bench", data=list(queries[:1]), limit=K)  # waits for the index to load
        ready_s = time.perf_counter() - started
        search = {"metric_type": "IP", "params": {"ef": SEARCH_EF}}
        times, found = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            hits = client.search(
                "bench", data=list(queries), limit=K, output_fields=[], search_params=search
            )
            times.append(time.perf_counter() - started)
            found = [[int(h["id"]) for h in row] for row in hits]
        recall = np.mean(
            [len(set(f) & set(e.tolist())) / K for f, e in zip(found, exact_ids, strict=True)]
        )
        out["milvus_lite"] = {
            "insert_s": insert_s,
            "ready_s": ready_s,
            "ms_per_article": stats.summary([t * 1000 for t in times]),
            "recall_at_10": float(recall),
            "server_rss_mb": children_rss_mb(),
            "client_rss_mb": rss_mb() - base_rss,
            "disk_mb": sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6,
        }
        client.close()
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(str(folder / "bench.milvus.db"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    out["ratio_milvus_vs_numpy"] = (
        out["milvus_lite"]["ms_per_article"]["p50"] / out["numpy"]["ms_per_article"]["p50"]
    )
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    results: dict[str, Any] = {"machine": stats.machine(), "args": vars(args)}
    if not args.no_ingest:
        print("ingest ...", file=sys.stderr, flush=True)
        results["ingest"] = measure_ingest(args)
        print(json.dumps(_short(results["ingest"]), indent=1), flush=True)
    if not args.no_index:
        results["index"] = []
        for size in args.sizes:
            print(f"index at {size:,} ...", file=sys.stderr, flush=True)
            results["index"].append(measure_index(size, args))
            print(json.dumps(results["index"][-1], indent=1), flush=True)
    results["load_average"] = os.getloadavg()
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results, indent=1), encoding="utf-8")
    return results


def _short(ingest: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ingest.items() if not k.endswith("_runs")}


if __name__ == "__main__":
    main()

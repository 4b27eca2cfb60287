"""claimcheck at archive scale: retrieval, check latency, ingest, start-up and memory.

    .venv/bin/python bench/run.py [--sizes 10000,100000,1000000] [--runs N] [--json out.json]
    .venv/bin/python bench/run.py --quick        # a tiny smoke run (CI)

Synthetic archives are built once through the real store and kept in --archive-dir (reused by
later runs of the same size). Prints tables and, with --json, writes every figure. How to read
them: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench import pipeline, processes, retrieval, stats, synthetic  # noqa: E402
from claimcheck.archive.store import Store  # noqa: E402
from claimcheck.embed import DEFAULT_MODEL  # noqa: E402

CHECK_ARTICLE = ROOT / "tests/data/devset/articles/B04_explainer.txt"  # 28 claims
INGEST_SOURCES = sorted((ROOT / "tests/data/devset/articles").glob("*.txt"))
QUERIES = 30
TOP_K = 8  # check.TOP_K
NAIVE_MAX_SIZE = 100_000  # the naive baseline is measured up to here
NAIVE_ROWS = 20_000  # rows the naive scan actually reads before scaling


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="stored claims")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure")
    parser.add_argument("--json", dest="json_path", help="also write the figures here")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    parser.add_argument(
        "--archive-dir", default=str(ROOT / "bench/out/archives"), help="synthetic archives"
    )
    parser.add_argument("--ingest-articles", type=int, default=48)
    parser.add_argument("--no-model", action="store_true", help="retrieval figures only")
    parser.add_argument("--skip-ingest", action="store_true", help="leave out the ingest figures")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.ingest_articles = "1500", 2, 4
    args.sizes = [int(s) for s in str(args.sizes).split(",") if s]
    return args


def archive(folder: Path, size: int) -> tuple[str, dict[str, Any] | None]:
    """The synthetic archive of `size` claims, built now if it is missing or short."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"archive-{size}.db"
    if path.exists():
        store = Store.open(str(path), create=False)
        have = store.claim_count()
        store.close()
        if have >= size:
            return str(path), None
    print(f"building a {size:,}-claim archive in {path} ...", file=sys.stderr, flush=True)
    return str(path), synthetic.build_archive(str(path), size, DEFAULT_MODEL)


def query_vectors(seed: int = 99) -> np.ndarray:
    # the archives' own topics: queries drawn from other topics have no real neighbours, and
    # recall against the exact top-10 of unrelated vectors measures only noise
    model = synthetic.VectorModel.create(seed=synthetic.ARCHIVE_SEED)
    rng = np.random.default_rng(seed)
    return model.sample(rng.integers(0, model.centroids.shape[0], size=QUERIES), rng)


def speaker_name(db_path: str) -> str:
    store = Store.open(db_path, create=False)
    try:
        row = store.db.execute("select name from speakers order by id limit 1").fetchone()
        return str(row[0]).split()[-1] if row else "nobody"
    finally:
        store.close()


def size_on_disk_mb(db_path: str) -> float:
    return (
        sum(
            os.path.getsize(db_path + suffix)
            for suffix in ("", "-wal")
            if os.path.exists(db_path + suffix)
        )
        / 1e6
    )


def measure_size(
    size: int, args: argparse.Namespace, models: tuple[Any, Any] | None
) -> dict[str, Any]:
    db_path, built = archive(Path(args.archive_dir), size)
    out: dict[str, Any] = {"size": size, "db_mb": size_on_disk_mb(db_path), "build": built}
    print(f"[{size:,}] retrieval ...", file=sys.stderr, flush=True)
    out["retrieval"] = retrieval.measure_retrieval(
        db_path,
        DEFAULT_MODEL,
        query_vectors(),
        runs=args.runs,
        k=TOP_K,
        naive_rows=NAIVE_ROWS if size <= NAIVE_MAX_SIZE else None,
    )
    store = Store.open(db_path, create=False)
    from claimcheck.archive.index import load_index

    out["vector_spread"] = synthetic.cosine_profile(load_index(store, DEFAULT_MODEL).matrix)
    store.close()
    print(f"[{size:,}] start-up ...", file=sys.stderr, flush=True)
    out["startup"] = processes.startup(
        db_path,
        {
            "quotes": ["quotes", speaker_name(db_path), "--limit", "20"],
            "claims": ["claims", "--limit", "20"],
            "review list": ["review", "list"],
        },
        runs=max(3, args.runs // 2),
    )
    if models is not None:
        from claimcheck.read import read_article

        print(f"[{size:,}] check ...", file=sys.stderr, flush=True)
        embedder, judge = models
        out["check"] = pipeline.check_latency(
            db_path, read_article(CHECK_ARTICLE), embedder, judge, runs=args.runs
        )
        out["check_process"] = processes.check_process(db_path, str(CHECK_ARTICLE))
    out["load_average"] = os.getloadavg()
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    results: dict[str, Any] = {"machine": stats.machine(), "sizes": [], "args": vars(args)}
    models = None
    if not args.no_model:
        from claimcheck.embed import load_embedder
        from claimcheck.judge import load_judge

        started = time.perf_counter()
        models = (load_embedder(), load_judge())
        results["model_load_s"] = time.perf_counter() - started
        classifier = getattr(models[1], "classifier", None)
        results["backends"] = {
            "embedder": getattr(models[0], "backend", "?"),
            "classifier": getattr(classifier, "backend", "torch") if classifier else "none",
        }
    for size in args.sizes:
        results["sizes"].append(measure_size(size, args, models))
    if models is not None and not args.skip_ingest:
        print("ingest ...", file=sys.stderr, flush=True)
        results["ingest"] = pipeline.ingest_throughput(
            INGEST_SOURCES, args.ingest_articles, models[0]
        )
    results["machine"]["load_average_at_end"] = os.getloadavg()
    print(report(results))
    if args.json_path:
        Path(args.json_path).write_text(json.dumps(results, indent=1, default=str))
    return results


# --------------------------------------------------------------------------- printing
def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def report(results: dict[str, Any]) -> str:
    m = results["machine"]
    parts = [
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, numpy {m['numpy']}, "
        f"BLAS {m['blas']}, OPENBLAS_CORETYPE={m['openblas_coretype']}; load average "
        f"{m['load_average_at_start'][0]:.1f} at start, {m['load_average_at_end'][0]:.1f} at end",
        "",
        "Retrieval: 30 claim vectors, top 8 each (p50 of runs; floor = one float32 product + "
        "argpartition in memory)",
    ]
    rows = []
    for s in results["sizes"]:
        r = s["retrieval"]
        naive = r.get("naive")
        rows.append(
            [
                f"{s['size']:,}",
                f"{_ms(r['index_s']['p50'])} / {_ms(r['index_s']['p95'])}"
                + (" (IVF)" if r.get("approximate") else ""),
                _ms(r["exact_s"]["p50"]),
                _ms(r["floor_s"]["p50"]),
                f"{r['index_vs_floor']:.2f}x",
                f"{r['recall_at_10']:.3f}",
                f"{_ms(naive['seconds_for_all_queries'])} (scaled)" if naive else "—",
                f"{naive['speedup_of_index']:,.0f}x" if naive else "—",
                _ms(r["cache_build_s"])
                + (f" + IVF {_ms(r['ann_build_s'])}" if r.get("ann_build_s") else ""),
                _ms(r["open_index_s"]["p50"]),
                _ms(r["refresh_after_one_article_s"]),
            ]
        )
    parts.append(
        _table(
            [
                "stored claims",
                "index p50 / p95",
                "exact scan",
                "numpy floor",
                "index / floor",
                "recall@10",
                "naive SQLite+Python",
                "index speed-up",
                "cache build",
                "open index",
                "refresh after +1 article",
            ],
            rows,
        )
    )
    sweeps = [s for s in results["sizes"] if s["retrieval"].get("nprobe")]
    for s in sweeps:
        sweep = s["retrieval"]["nprobe"]
        parts += ["", f"Approximate index at {s['size']:,}: lists probed, time, recall@10"]
        parts.append(
            _table(
                ["lists probed", "search p50", "recall@10"],
                [
                    [n, _ms(v["seconds"]["p50"]), f"{v['recall_at_10']:.3f}"]
                    for n, v in sweep.items()
                ],
            )
        )
    spread = results["sizes"][-1]["vector_spread"]
    parts.append(
        f"Synthetic vectors: cosine of random pairs {spread['random_pair_mean']:.2f} on average "
        f"(p99 {spread['random_pair_p99']:.2f}); median nearest neighbour within a 2,000 sample "
        f"{spread['nearest_in_sample_median']:.2f}"
    )
    if any("check" in s for s in results["sizes"]):
        first = next(s for s in results["sizes"] if "check" in s)["check"]
        parts += ["", f"Check of one article ({first['claims']} claims), warm, p50 (p95 total)"]
        rows = []
        for s in results["sizes"]:
            c, p = s.get("check"), s.get("check_process")
            if not c:
                continue
            rows.append(
                [f"{s['size']:,}"]
                + [_ms(c[stage]["p50"]) for stage in pipeline.STAGES]
                + [
                    _ms(c["keyword_search"]["p50"]),
                    f"{_ms(c['total']['p50'])} ({_ms(c['total']['p95'])})",
                    _ms(c["total"]["p50"] - c["encode"]["p50"]),
                    f"{p['seconds']:.1f} s ({p['cpu_seconds']:.1f} s CPU)",
                    f"{p['peak_rss_mb']:,.0f} MB",
                    f"{s['db_mb']:,.0f} MB + {s['retrieval']['cache_mb']:,.0f} MB",
                ]
            )
        parts.append(
            _table(
                [
                    "stored claims",
                    *pipeline.STAGES,
                    "of which keyword search",
                    "total",
                    "total less encode",
                    "`check` CLI",
                    "peak RSS",
                    "disk",
                ],
                rows,
            )
        )
    parts += ["", "Start-up of commands that need no model (p50, fresh process)"]
    rows = []
    for s in results["sizes"]:
        for name, st in s["startup"].items():
            heavy = ", ".join(st["heavy_imports"]) or "none"
            rows.append(
                [
                    f"{s['size']:,}",
                    name,
                    _ms(st["seconds"]["p50"]),
                    _ms(st["cpu_seconds"]["p50"]),
                    heavy,
                ]
            )
    parts.append(_table(["stored claims", "command", "wall", "CPU time", "heavy imports"], rows))
    if "ingest" in results:
        i = results["ingest"]
        parts += [
            "",
            f"Ingest of {i['articles']} articles ({i['claims']} claims), read → extract → "
            "embed → store",
            _table(
                [
                    "ingest claims/s",
                    "encoder alone",
                    "ingest / encoder",
                    "extraction alone",
                    "articles/min",
                ],
                [
                    [
                        f"{i['ingest_claims_per_s']:.1f}",
                        f"{i['encoder_only_claims_per_s']:.1f}",
                        f"{i['ingest_vs_encoder']:.0%}",
                        f"{i['extract_only_claims_per_s']:.1f}",
                        f"{i['articles_per_minute']:.0f}",
                    ]
                ],
            ),
        ]
    builds = [s for s in results["sizes"] if s.get("build")]
    if builds:
        parts += [
            "",
            "Store writes while building archives: "
            + "; ".join(
                f"{s['size']:,}: {s['build']['claims_per_second']:,.0f} claims/s" for s in builds
            ),
        ]
    return "\n".join(parts)


if __name__ == "__main__":
    main()

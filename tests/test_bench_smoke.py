"""The benchmark runs end to end at a tiny size (CI smoke test). It asserts no timings: only
that the figures exist and that the properties they rest on hold (exact retrieval, no torch in
the commands that need no model)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_bench(tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench/run.py"),
            "--quick",
            "--archive-dir",
            str(tmp_path / "archives"),
            "--json",
            str(out),
            *extra,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Retrieval:" in result.stdout
    return json.loads(out.read_text())


def test_quick_benchmark_without_the_model(tmp_path):
    figures = run_bench(tmp_path, "--no-model")
    (size,) = figures["sizes"]
    assert size["size"] == 1500
    retrieval = size["retrieval"]
    assert retrieval["rows"] >= 1500
    # The blocked, memory-mapped scan returns exactly what a full float32 product does.
    assert retrieval["recall_at_10"] == 1.0
    assert retrieval["naive"]["rows_scanned"] == retrieval["rows"]
    assert retrieval["cache_mb"] > 0
    for name in ("quotes", "claims", "review list"):
        assert size["startup"][name]["heavy_imports"] == [], name
    assert "check" not in size and "ingest" not in figures


@pytest.mark.model
def test_quick_benchmark_with_the_model(tmp_path):
    figures = run_bench(tmp_path)
    (size,) = figures["sizes"]
    check = size["check"]
    assert check["claims"] > 10
    assert set(check) >= {"extract", "encode", "retrieve", "judge", "total"}
    assert size["check_process"]["peak_rss_mb"] > 0
    ingest = figures["ingest"]
    assert ingest["articles"] == 4 and ingest["claims"] > 0

"""Small helpers for the benchmark: percentiles, and the machine the figures come from."""

from __future__ import annotations

import os
import platform
from typing import Any

import numpy as np


def summary(seconds: list[float]) -> dict[str, float]:
    """p50 / p95 / min of a list of timings, in seconds."""
    a = np.asarray(seconds, dtype=float)
    return {
        "p50": float(np.percentile(a, 50)),
        "p95": float(np.percentile(a, 95)),
        "min": float(a.min()),
        "runs": int(a.size),
    }


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    blas: Any = "unknown"
    try:
        config = np.show_config(mode="dicts")  # numpy >= 2
        blas = config["Build Dependencies"]["blas"]
        blas = {key: blas.get(key) for key in ("name", "version", "openblas configuration")}
    except Exception:  # noqa: BLE001 - older numpy: the name is enough
        blas = "see numpy.show_config()"
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(ram_gib, 1),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas,
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"),
        "load_average_at_start": os.getloadavg(),
    }

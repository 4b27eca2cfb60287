"""Whole commands in fresh processes: start-up time, heavy imports, peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.stats import summary

CLAIMCHECK = str(Path(sys.executable).with_name("claimcheck"))
HEAVY_MODULES = ("torch", "sentence_transformers", "spacy", "transformers")

# Runs the CLI in-process, then reports which heavy modules the command imported.
_PROBE = """
import json, sys
from claimcheck.cli import cli
try:
    cli(sys.argv[1:], prog_name="claimcheck", standalone_mode=False)
finally:
    loaded = [m for m in {modules!r} if m in sys.modules]
    sys.stderr.write("\\nPROBE " + json.dumps(loaded) + "\\n")
"""


# Runs the command from a small process, so that its peak RSS is its own: a child forked from
# the benchmark (which holds a 1.5 GB matrix copy at 1M) starts with, and keeps in ru_maxrss
# across exec, the benchmark's high-water mark.
_MEASURE = r"""
import json, os, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
stderr = proc.stderr.read()
_, status, usage = os.wait4(proc.pid, 0)
figures = {
    "seconds": time.perf_counter() - started,
    "cpu_seconds": usage.ru_utime + usage.ru_stime,
    "exit": os.waitstatus_to_exitcode(status),
    "peak_rss_mb": usage.ru_maxrss / 1024,
}
sys.stderr.write(stderr.decode("utf-8", "replace")[-4000:])
sys.stderr.write("\nMEASURED " + json.dumps(figures) + "\n")
"""


def run_measured(args: list[str]) -> dict[str, Any]:
    """Run a command; its wall time, CPU time, exit status and peak resident memory."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True, check=False
    )
    for line in reversed(done.stderr.splitlines()):
        if line.startswith("MEASURED "):
            figures: dict[str, Any] = json.loads(line[len("MEASURED ") :])
            figures["stderr"] = done.stderr[-2000:]
            return figures
    raise RuntimeError(f"could not measure {args[:3]}: {done.stderr[-500:]}")


def heavy_imports(db_path: str, command: list[str]) -> list[str]:
    """The heavy modules that `claimcheck -d DB COMMAND...` imports."""
    probe = _PROBE.format(modules=HEAVY_MODULES)
    result = run_measured([sys.executable, "-c", probe, "-d", db_path, *command])
    for line in result["stderr"].splitlines():
        if line.startswith("PROBE "):
            return list(json.loads(line[6:]))
    raise RuntimeError(f"probe failed for {command}: {result['stderr'][-500:]}")


def startup(db_path: str, commands: dict[str, list[str]], *, runs: int) -> dict[str, Any]:
    """Wall time of each command in a fresh process (p50 of `runs`), and its heavy imports."""
    out: dict[str, Any] = {}
    for name, command in commands.items():
        times, cpu = [], []
        for _ in range(runs):
            result = run_measured([CLAIMCHECK, "-d", db_path, *command])
            if result["exit"] != 0:
                raise RuntimeError(f"{name} failed: {result['stderr'][-500:]}")
            times.append(result["seconds"])
            cpu.append(result["cpu_seconds"])
        out[name] = {
            "seconds": summary(times),
            "cpu_seconds": summary(cpu),
            "heavy_imports": heavy_imports(db_path, command),
        }
    return out


def check_process(db_path: str, article_path: str) -> dict[str, Any]:
    """`claimcheck check ARTICLE` as a user runs it: wall time and peak memory."""
    result = run_measured([CLAIMCHECK, "-d", db_path, "check", article_path, "--json"])
    if result["exit"] != 0:
        raise RuntimeError(f"check failed: {result['stderr'][-500:]}")
    return {
        "seconds": result["seconds"],
        "cpu_seconds": result["cpu_seconds"],
        "peak_rss_mb": result["peak_rss_mb"],
    }

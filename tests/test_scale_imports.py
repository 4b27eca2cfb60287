"""The single-machine commands never load Ray or Milvus: they are imported only for --ray and
--index milvus:URI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent

PROBE = """
import json, sys
sys.path[:0] = [{tests!r}]
from conftest import HashingEmbedder
import claimcheck.embed
claimcheck.embed.load_embedder = lambda model=None: HashingEmbedder()
from claimcheck.cli import cli
done = []
for args in {commands!r}:
    try:
        cli(["-d", {db!r}, *args], prog_name="claimcheck", standalone_mode=False)
        done.append(0)
    except SystemExit as exc:
        done.append(exc.code)
engines = [m for m in ("ray", "pymilvus", "milvus_lite") if m in sys.modules]
print("PROBE " + json.dumps({{"done": done, "engines": engines}}))
"""


def test_default_ingest_and_check_import_neither_ray_nor_pymilvus(tmp_path):
    db = str(tmp_path / "archive.db")
    story = str(TESTS / "data/devset/articles/B04_explainer.txt")
    commands = [
        ["ingest", str(ROOT / "corpus"), str(TESTS / "data/devset/articles")],
        ["check", story, "--json"],
        ["doctor"],
    ]
    code = PROBE.format(tests=str(TESTS), commands=commands, db=db)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=600,
        env={**os.environ, "CLAIMCHECK_INDEX": "", "CLAIMCHECK_JUDGE": "rules"},
    )
    lines = [x for x in done.stdout.splitlines() if x.startswith("PROBE ")]
    assert lines, done.stderr[-2000:]
    probe = json.loads(lines[-1][len("PROBE ") :])
    assert probe["done"][:2] == [0, 0], done.stderr[-2000:]
    assert probe["engines"] == []

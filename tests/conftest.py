"""Shared fixtures: every test gets its own database; fast tests use a fake embedder."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEED = CORPUS / "ft-2025-05-16-istanbul-talks.txt"
SHARED = ROOT.parent / "shared"


class HashingEmbedder:
    """A deterministic stand-in for a sentence model: hashed bag of lower-cased word stems.

    Texts that share words get similar vectors, which is enough for retrieval and judging
    tests to be meaningful without loading torch.
    """

    name = "test-hashing-embedder"
    dimensions = 256

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                stem = word[:6]
                h = int(hashlib.md5(stem.encode()).hexdigest()[:8], 16)
                out[i, h % self.dimensions] += 1.0 if (h >> 20) & 1 else -1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(autouse=True)
def db_path(tmp_path, monkeypatch) -> Path:
    """Point every command at a database inside the test's own folder."""
    path = tmp_path / "claimcheck.db"
    monkeypatch.setenv("CLAIMCHECK_DB", str(path))
    return path


@pytest.fixture
def store(db_path):
    from claimcheck.archive.store import Store

    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS, dest)
    return dest


@pytest.fixture(scope="session")
def real_embedder():
    from claimcheck.embed import load_embedder

    return load_embedder()


@pytest.fixture(autouse=True)
def rule_judge_for_fast_tests(request, monkeypatch):
    """Fast tests judge with the rules: with the fake embedder a classifier's verdicts would
    mean nothing, and they must not load torch. Model-marked tests get the default judge."""
    if request.node.get_closest_marker("model") is None:
        monkeypatch.setenv("CLAIMCHECK_JUDGE", "rules")

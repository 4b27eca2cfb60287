"""The third held-out set (tests/data/heldout3) is well formed: spans, stored quotes and its mix.

It was written blind to the checker and is kept aside to be measured once, before any tuning on
it; these tests only guard the data, with the same span and stored-quote checks as the second
held-out set, plus a check that every span occurs once in its article. They read labels.jsonl
directly so that checking the data runs none of the checker's own code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETS = [ROOT / "tests" / "data" / "heldout3"]
SEED = ROOT / "corpus" / "ft-2025-05-16-istanbul-talks.txt"
FIELDS = {
    "article",
    "id",
    "text",
    "char_start",
    "speaker",
    "kind",
    "label",
    "stored_quotes",
    "stored_speakers",
    "why",
    "hard_negative",
}
VERDICTS = ("agree", "contradict", "novel")
KINDS = ("direct", "indirect", "unattributed")


def read_labels(labels_dir: Path) -> list[dict]:
    lines = (labels_dir / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def article_text(labels_dir: Path, name: str) -> str:
    return (labels_dir / "articles" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("labels_dir", SETS, ids=lambda p: p.name)
def test_every_span_is_the_text_at_its_offset(labels_dir):
    labels = read_labels(labels_dir)
    assert len({lab["id"] for lab in labels}) == len(labels)
    for lab in labels:
        assert set(lab) == FIELDS, lab["id"]
        text = article_text(labels_dir, lab["article"])
        start = lab["char_start"]
        assert text[start : start + len(lab["text"])] == lab["text"], lab["id"]
        assert text.count(lab["text"]) == 1, lab["id"]
        assert lab["label"] in VERDICTS and lab["kind"] in KINDS, lab["id"]
        assert isinstance(lab["hard_negative"], bool), lab["id"]
        assert len(lab["stored_quotes"]) == len(lab["stored_speakers"]), lab["id"]
        assert (lab["label"] == "novel") == (not lab["stored_quotes"]), lab["id"]


@pytest.mark.parametrize("labels_dir", SETS, ids=lambda p: p.name)
def test_every_stored_quote_is_verbatim_in_the_founding_article(labels_dir):
    if not SEED.is_file():
        pytest.skip("founding article not in corpus/")
    seed = SEED.read_text(encoding="utf-8")
    labels = read_labels(labels_dir)
    missing = [(lab["id"], q) for lab in labels for q in lab["stored_quotes"] if q not in seed]
    assert missing == []


@pytest.mark.parametrize("labels_dir", SETS, ids=lambda p: p.name)
def test_set_is_large_of_news_length_and_balanced(labels_dir):
    labels = read_labels(labels_dir)
    articles = {lab["article"] for lab in labels}
    assert len(articles) >= 9
    assert {p.name for p in (labels_dir / "articles").iterdir()} == articles
    for article in articles:
        assert 250 <= len(article_text(labels_dir, article).split()) <= 600, article
    assert len(labels) >= 120
    by_label = {v: sum(lab["label"] == v for lab in labels) for v in VERDICTS}
    assert min(by_label.values()) >= 40, by_label
    assert sum(lab["hard_negative"] for lab in labels) >= 30

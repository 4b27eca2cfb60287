"""The blind held-out sets (tests/data/heldout2, heldout3, heldout4, heldout5, heldout6,
heldout7, heldout8, heldout9, heldout10, heldout11, heldout12, heldout13, heldout14, heldout15,
heldout16, heldout17, heldout18, heldout19, heldout20) are well formed: spans, stored quotes
and their mix.

Each was written blind to the checker, to be measured once before any tuning on it; these tests
only guard the data, with the span and stored-quote checks the other labelled sets get
(heldout3 to heldout20 also promise that every span occurs once in its article). They read
labels.jsonl directly so that checking the data runs none of the checker's own code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


class BlindSet:
    """One set and what it promises: labels, hard negatives, each label at least, unique spans,
    articles at least."""

    def __init__(
        self, name: str, labels: int, per_label: int, hard: int, unique: bool, articles: int = 9
    ) -> None:
        self.dir, self.labels, self.per_label = DATA / name, labels, per_label
        self.hard, self.unique_spans, self.articles = hard, unique, articles


SETS = [
    BlindSet("heldout2", labels=110, per_label=30, hard=25, unique=False),
    BlindSet("heldout3", labels=120, per_label=40, hard=30, unique=True),
    BlindSet("heldout4", labels=180, per_label=50, hard=75, unique=True),
    BlindSet("heldout5", labels=220, per_label=50, hard=95, unique=True),
    BlindSet("heldout6", labels=200, per_label=50, hard=95, unique=True),
    BlindSet("heldout7", labels=200, per_label=50, hard=95, unique=True),
    BlindSet("heldout8", labels=240, per_label=50, hard=120, unique=True),
    BlindSet("heldout9", labels=240, per_label=55, hard=120, unique=True),
    BlindSet("heldout10", labels=250, per_label=55, hard=120, unique=True),
    BlindSet("heldout11", labels=260, per_label=60, hard=125, unique=True),
    BlindSet("heldout12", labels=210, per_label=55, hard=105, unique=True, articles=8),
    BlindSet("heldout13", labels=210, per_label=55, hard=115, unique=True, articles=8),
    BlindSet("heldout14", labels=210, per_label=52, hard=100, unique=True, articles=8),
    BlindSet("heldout15", labels=210, per_label=55, hard=105, unique=True, articles=8),
    BlindSet("heldout16", labels=210, per_label=55, hard=105, unique=True, articles=8),
    BlindSet("heldout17", labels=200, per_label=55, hard=100, unique=True, articles=8),
    BlindSet("heldout18", labels=200, per_label=55, hard=100, unique=True, articles=8),
    BlindSet("heldout19", labels=210, per_label=58, hard=105, unique=True, articles=8),
    BlindSet("heldout20", labels=210, per_label=55, hard=100, unique=True, articles=8),
]
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


@pytest.mark.parametrize("blind", SETS, ids=lambda b: b.dir.name)
def test_every_span_is_the_text_at_its_offset(blind):
    labels_dir = blind.dir
    labels = read_labels(labels_dir)
    assert len({lab["id"] for lab in labels}) == len(labels)
    for lab in labels:
        assert set(lab) == FIELDS, lab["id"]
        text = article_text(labels_dir, lab["article"])
        start = lab["char_start"]
        assert text[start : start + len(lab["text"])] == lab["text"], lab["id"]
        if blind.unique_spans:
            assert text.count(lab["text"]) == 1, lab["id"]
        assert lab["label"] in VERDICTS and lab["kind"] in KINDS, lab["id"]
        assert isinstance(lab["hard_negative"], bool), lab["id"]
        assert len(lab["stored_quotes"]) == len(lab["stored_speakers"]), lab["id"]
        assert (lab["label"] == "novel") == (not lab["stored_quotes"]), lab["id"]


@pytest.mark.parametrize("blind", SETS, ids=lambda b: b.dir.name)
def test_every_stored_quote_is_verbatim_in_the_founding_article(blind):
    labels_dir = blind.dir
    if not SEED.is_file():
        pytest.skip("founding article not in corpus/")
    seed = SEED.read_text(encoding="utf-8")
    labels = read_labels(labels_dir)
    missing = [(lab["id"], q) for lab in labels for q in lab["stored_quotes"] if q not in seed]
    assert missing == []


@pytest.mark.parametrize("blind", SETS, ids=lambda b: b.dir.name)
def test_set_is_large_of_news_length_and_balanced(blind):
    labels_dir = blind.dir
    labels = read_labels(labels_dir)
    articles = {lab["article"] for lab in labels}
    assert len(articles) >= blind.articles
    assert {p.name for p in (labels_dir / "articles").iterdir()} == articles
    for article in articles:
        assert 250 <= len(article_text(labels_dir, article).split()) <= 600, article
    assert len(labels) >= blind.labels
    by_label = {v: sum(lab["label"] == v for lab in labels) for v in VERDICTS}
    assert min(by_label.values()) >= blind.per_label, by_label
    assert sum(lab["hard_negative"] for lab in labels) >= blind.hard

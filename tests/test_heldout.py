"""The held-out set (tests/data/heldout) is well formed: spans, stored quotes and its mix of labels.

Nobody tuned the checker on this set; these tests only guard the data, so that the figures
measured on it keep meaning what they say.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.evaluate import load_labels
from claimcheck.models import VERDICTS

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "data" / "heldout"
SEED = ROOT / "corpus" / "ft-2025-05-16-istanbul-talks.txt"
KINDS = ("direct", "indirect", "unattributed")


@pytest.fixture(scope="module")
def labels():
    return load_labels(HELDOUT)


def article_text(name: str) -> str:
    return (HELDOUT / "articles" / name).read_text(encoding="utf-8")


def test_every_span_is_the_text_at_its_offset(labels):
    assert len({lab.id for lab in labels}) == len(labels)
    for lab in labels:
        text = article_text(lab.article)
        assert text[lab.char_start : lab.char_start + len(lab.text)] == lab.text, lab.id
        assert lab.label in VERDICTS and lab.kind in KINDS, lab.id
        assert len(lab.stored_quotes) == len(lab.stored_speakers), lab.id
        assert (lab.label == "novel") == (not lab.stored_quotes), lab.id


def test_every_stored_quote_is_verbatim_in_the_founding_article(labels):
    if not SEED.is_file():
        pytest.skip("founding article not in corpus/")
    seed = SEED.read_text(encoding="utf-8")
    missing = [(lab.id, q) for lab in labels for q in lab.stored_quotes if q not in seed]
    assert missing == []


def test_set_has_six_articles_of_news_length_and_a_realistic_mix(labels):
    articles = {lab.article for lab in labels}
    assert len(articles) == 6
    assert {p.name for p in (HELDOUT / "articles").iterdir()} == articles
    for article in articles:
        assert 150 <= len(article_text(article).split()) <= 350, article
    assert 60 <= len(labels) <= 90
    share = {v: sum(lab.label == v for lab in labels) / len(labels) for v in VERDICTS}
    assert share["agree"] >= 0.35 and share["novel"] >= 0.2 and share["contradict"] >= 0.15
    assert sum(lab.hard_negative for lab in labels) >= 15

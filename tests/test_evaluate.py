"""The labelled sets are well formed, and evaluation aligns label spans with extracted claims."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimcheck.evaluate import (
    EvalReport,
    LabelResult,
    align,
    evaluate,
    format_report,
    load_labels,
    report_json,
)
from claimcheck.models import VERDICTS, Article, Claim, Verdict

ROOT = Path(__file__).resolve().parent.parent
OWN = ROOT / "tests" / "data" / "devset"
SHARED = ROOT.parent / "shared" / "devset"
SEED = ROOT / "corpus" / "ft-2025-05-16-istanbul-talks.txt"


def labelled_sets() -> list[Path]:
    return [OWN, SHARED] if SHARED.is_dir() else [OWN]


@pytest.mark.parametrize("labels_dir", labelled_sets(), ids=lambda p: p.parent.name)
def test_every_label_span_is_where_it_says(labels_dir):
    seed = SEED.read_text(encoding="utf-8")
    labels = load_labels(labels_dir)
    assert len({lab.id for lab in labels}) == len(labels)
    for lab in labels:
        text = (labels_dir / "articles" / lab.article).read_text(encoding="utf-8")
        assert text[lab.char_start : lab.char_start + len(lab.text)] == lab.text, lab.id
        assert lab.label in VERDICTS and lab.kind in ("direct", "indirect", "unattributed")
        assert len(lab.stored_quotes) == len(lab.stored_speakers), lab.id
        assert (lab.label == "novel") == (not lab.stored_quotes), lab.id
        for quote in lab.stored_quotes:
            assert quote in seed, (lab.id, quote)


def test_own_set_is_large_and_covers_every_verdict_and_hard_negatives():
    labels = load_labels(OWN)
    articles = {lab.article for lab in labels}
    assert len(articles) >= 10 and len(labels) >= 100
    for article in articles:
        words = len((OWN / "articles" / article).read_text(encoding="utf-8").split())
        assert 150 <= words <= 400, article
    by_label = {v: sum(lab.label == v for lab in labels) for v in VERDICTS}
    assert min(by_label.values()) >= 20
    assert sum(lab.hard_negative for lab in labels) >= 20


def claim_at(text: str, start: int, end: int) -> Claim:
    quote = text[start:end]
    return Claim(
        speaker="Outlet",
        speaker_mention="Outlet",
        kind="unattributed",
        quote=quote,
        assertion=quote,
        start=start,
        end=end,
        paragraph=0,
    )


@pytest.fixture
def tiny_set(tmp_path):
    text = "Talks lasted five hours. The sides agreed a swap. The weather was fine."
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "t.txt").write_text(text, encoding="utf-8")
    rows = [
        ("T-1", "Talks lasted five hours", "contradict"),
        ("T-2", "The sides agreed a swap", "agree"),
        ("T-3", "The weather was fine", "novel"),
    ]
    with open(tmp_path / "labels.jsonl", "w", encoding="utf-8") as fh:
        for lid, span, label in rows:
            fh.write(
                json.dumps(
                    {
                        "article": "t.txt",
                        "id": lid,
                        "text": span,
                        "char_start": text.index(span),
                        "speaker": "Outlet",
                        "kind": "unattributed",
                        "label": label,
                        "stored_quotes": [] if label == "novel" else ["x"],
                        "stored_speakers": [] if label == "novel" else ["FT"],
                        "why": "",
                        "hard_negative": False,
                    }
                )
                + "\n"
            )
    return tmp_path, text


def test_align_picks_the_claim_overlapping_most(tiny_set):
    labels_dir, text = tiny_set
    first, second, third = load_labels(labels_dir)
    # One claim covers the first label and the start of the second; another covers most of
    # the second.
    claims = [claim_at(text, 0, 30), claim_at(text, 28, 49)]
    assert align(first, claims) == 0
    assert align(second, claims) == 1
    assert align(third, claims) is None


def test_evaluate_runs_the_checker_and_counts_unmatched_spans_as_missed(tiny_set, monkeypatch):
    labels_dir, text = tiny_set
    seen: list[Article] = []

    class FakeReport:
        def __init__(self, verdicts):
            self.verdicts = verdicts

    def fake_check(store, article, *, embedder, judge, record=False, save=False):
        assert record is False and save is False  # evaluation never writes to the store
        seen.append(article)
        return FakeReport(
            [
                Verdict(claim_at(text, 0, 24), "contradict", 0.9),
                Verdict(claim_at(text, 25, 49), "novel", 0.6),
            ]
        )

    import claimcheck.check

    monkeypatch.setattr(claimcheck.check, "check_article", fake_check)
    report = evaluate(labels_dir, store=None, embedder=None, judge=None)
    assert [a.text for a in seen] == [text]
    assert [(r.label.id, r.predicted) for r in report.results] == [
        ("T-1", "contradict"),
        ("T-2", "novel"),
        ("T-3", "novel"),
    ]
    assert [m.id for m in report.missed_spans] == ["T-3"]
    scores = report.scores()
    assert scores["contradict"]["precision"] == 1.0
    assert scores["agree"]["recall"] == 0.0
    assert scores["novel"]["precision"] == 0.5
    assert report.confusion()["agree"]["novel"] == 1
    printed = format_report(report)
    assert "macro-F1" in printed and "T-3" in printed and "overlapped no extracted claim" in printed
    figures = report_json(report)
    assert figures["missed_spans"] == ["T-3"]
    assert [m["id"] for m in figures["mistakes"]] == ["T-2"]


def test_report_subset_keeps_only_the_named_articles(tiny_set):
    labels_dir, _ = tiny_set
    labels = load_labels(labels_dir)
    report = EvalReport([LabelResult(lab, lab.label, None) for lab in labels])
    assert report.macro_f1 == 1.0
    assert report.subset(["other.txt"]).results == []

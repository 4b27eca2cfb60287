"""Claim-level decisions, and the judge measured on the labelled sets with the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimcheck.evaluate import TUNING_ARTICLES, evaluate_spans, load_labels, reference_claims
from claimcheck.judge import RuleJudge, decide, load_judge
from claimcheck.models import Claim, Match, StoredClaim

ROOT = Path(__file__).resolve().parent.parent
OWN = ROOT / "tests" / "data" / "devset"
SHARED = ROOT.parent / "shared" / "devset"
SEED = ROOT / "corpus" / "ft-2025-05-16-istanbul-talks.txt"


def claim(text: str, speaker: str = "Outlet") -> Claim:
    return Claim(
        speaker=speaker,
        speaker_mention=speaker,
        kind="unattributed",
        quote=text,
        assertion=text,
        start=0,
        end=len(text),
        paragraph=0,
    )


def match(relation: str, score: float, sim: float = 0.5, text: str = "stored") -> Match:
    return Match(StoredClaim(claim(text, "Financial Times")), relation, score, sim)


def test_a_believed_contradiction_decides_and_is_cited_first():
    new = claim("The meeting lasted five hours")
    verdict = decide(
        new,
        [
            match("agree", 0.9, text="a"),
            match("contradict", 0.85, text="b"),
            match("related", 0.4, text="c"),
        ],
    )
    assert verdict.verdict == "contradict"
    assert verdict.confidence == 0.85
    assert [m.stored.claim.quote for m in verdict.matches] == ["b", "a", "c"]


def test_a_weak_contradiction_does_not_decide():
    verdict = decide(claim("x"), [match("contradict", 0.3), match("agree", 0.6, text="a")])
    assert verdict.verdict == "agree"
    assert verdict.matches[0].stored.claim.quote == "a"


def test_novel_when_nothing_agrees():
    verdict = decide(claim("x"), [match("related", 0.45), match("unrelated", 0.1)])
    assert verdict.verdict == "novel"
    assert 0.5 <= verdict.confidence <= 1.0
    assert decide(claim("x"), []).confidence == 1.0


def test_default_judge_is_the_rule_judge():
    judge = load_judge()
    assert isinstance(judge, RuleJudge) and judge.name == "rules"


def test_same_fact_from_another_speaker_agrees():
    new = claim("As a result, we've agreed to exchange thousand-for-thousand", "Rustem Umerov")
    old = StoredClaim(
        claim(
            "Vladimir Medinsky said the two sides had agreed there would be a "
            "1,000 by 1,000 person prisoner swap.",
            "Vladimir Medinsky",
        )
    )
    [m] = RuleJudge().judge_pairs([(new, old, 0.45)])
    assert m.relation == "agree"
    assert any(r.text.startswith("same numbers") for r in m.reasons)


def labelled(dirs: list[Path]):
    labels = [lab for d in dirs for lab in load_labels(d)]
    stored = reference_claims(
        labels, SEED.read_text(encoding="utf-8"), outlet="Financial Times", published="2025-05-16"
    )
    return labels, stored


@pytest.mark.model
def test_judge_meets_the_targets_on_the_held_out_labels(real_embedder):
    """Held out: the half of tests/data/devset that was not used to tune the rules."""
    labels, stored = labelled([OWN])
    held = [lab for lab in labels if lab.article not in TUNING_ARTICLES]
    report = evaluate_spans(held, stored, real_embedder, RuleJudge())
    scores = report.scores()
    assert report.macro_f1 >= 0.8, report.macro_f1
    assert scores["contradict"]["precision"] >= 0.9, scores


@pytest.mark.model
def test_judge_on_every_label_and_the_cited_claims(real_embedder):
    dirs = [OWN, SHARED] if SHARED.is_dir() else [OWN]
    labels, stored = labelled(dirs)
    report = evaluate_spans(labels, stored, real_embedder, RuleJudge())
    assert report.macro_f1 >= 0.8
    assert report.scores()["contradict"]["precision"] >= 0.9
    by_id = {r.label.id: r for r in report.results}
    # 700 a side against 1,000 by 1,000, citing Medinsky's announcement.
    swap = by_id["B01-02"]
    assert swap.predicted == "contradict"
    assert "1,000 by 1,000" in swap.cited
    assert swap.verdict.matches[0].stored.claim.speaker == "Vladimir Medinsky"
    # Erdoğan in Fidan's chair.
    chair = by_id["B01-04"]
    assert chair.predicted == "contradict"
    cited = chair.verdict.matches[0]
    assert "Hakan Fidan" in cited.stored.claim.assertion
    assert any(r.code == "person" and "Fidan" in r.stored_terms for r in cited.reasons)
    # A 2,000-prisoner swap counted over both sides is the same swap.
    assert by_id["B08-01"].predicted == "agree"
    # Lexical traps in a council story stay away from contradiction.
    council = [r for r in report.results if r.label.article.startswith("B06")]
    assert all(r.predicted != "contradict" for r in council)

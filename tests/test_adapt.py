"""Fitting the judge to labelled news: which articles the policy's fit and the adaptation may
read, which pairs the adaptation trains on, and that policy figures are measured across folds
(no model needed here; both stages run in tests/test_training.py on a tiny slice)."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT

from claimcheck.evaluate import TUNING_ARTICLES, Label, load_labels
from claimcheck.judge import policy as pol
from claimcheck.models import Claim, StoredClaim
from claimcheck.training import adapt, calibrate
from claimcheck.training.calibrate import ClaimPairs


def _label(kind: str, quotes: list[str], article: str = "X01.txt", ident: str = "X01-01") -> Label:
    return Label(article, ident, "new claim", 0, "S", "direct", kind, quotes, [], "", False)


def _stored(text: str) -> StoredClaim:
    return StoredClaim(Claim("FT", "FT", "unattributed", text, text, 0, len(text), 0))


def _pairs(texts: list[str], similarities: list[float]) -> ClaimPairs:
    new = Claim("S", "S", "direct", "new claim", "new claim", 0, 9, 0)
    rows = []
    for sim in similarities:
        row = [0.0] * len(pol.FEATURES)
        row[pol.FEATURES.index("similarity")] = sim
        rows.append(row)
    return ClaimPairs(
        new,
        [_stored(t) for t in texts],
        rows,
        [True] * len(texts),
        [(t, "new claim") for t in texts],
    )


def test_the_unseen_set_is_never_read_and_the_tuning_half_is_not_read_twice():
    articles = calibrate.policy_articles(ROOT)
    assert articles, "the consulted labelled sets are in the repository"
    names = {n for arts in articles.values() for n in arts}
    for folder in calibrate.NEVER_READ:
        assert not any(folder in str(read) for read in articles)
        unseen = {lab.article for lab in load_labels(ROOT / folder)}
        assert unseen and not names & unseen
    assert not names & TUNING_ARTICLES
    assert {
        "tests/data/devset",
        "tests/data/heldout",
        "tests/data/heldout2",
        "tests/data/heldout3",
        "tests/data/heldout4",
        "tests/data/heldout5",
        "tests/data/heldout6",
        "tests/data/heldout7",
        "tests/data/heldout8",
        "tests/data/heldout9",
        "tests/data/heldout10",
        "tests/data/heldout11",
        "tests/data/heldout12",
        "tests/data/heldout13",
        "tests/data/heldout14",
        "tests/data/heldout15",
        "tests/data/heldout16",
        "tests/data/heldout17",
        "tests/data/heldout18",
        "tests/data/heldout19",
    } == {str(Path(folder).relative_to(ROOT)) for folder in articles}


def test_every_set_is_split_across_both_folds():
    articles = calibrate.policy_articles(ROOT)
    folds = calibrate.fold_of(articles, 2)
    for names in articles.values():
        assert {folds[n] for n in names} == {0, 1}


def test_a_contradiction_trains_only_on_the_stored_claim_it_cites():
    cp = _pairs(["The talks lasted two hours", "Russia sent a delegation"], [0.4, 0.9])
    rows = adapt.training_pairs([(_label("contradict", ["lasted two hours"]), cp)])
    assert [(r["premise"], r["label"]) for r in rows] == [
        ("The talks lasted two hours", "contradiction")
    ]


def test_a_novel_claim_gives_its_nearest_candidates_as_neutral_once_each():
    texts = [f"stored {i}" for i in range(10)]
    cp = _pairs(texts, [0.1, 0.9, 0.5, 0.7, 0.3, 0.05, 0.6, 0.2, 0.4, 0.8])
    item = (_label("novel", []), cp)
    rows = adapt.training_pairs([item, item])  # the pipeline and the spans can repeat a pair
    assert len(rows) == adapt.NOVEL_PAIRS == 8
    assert [r["premise"] for r in rows[:3]] == ["stored 1", "stored 9", "stored 3"]
    assert "stored 5" not in {r["premise"] for r in rows}  # the two farthest are left out
    assert "stored 0" not in {r["premise"] for r in rows}
    assert {r["label"] for r in rows} == {"neutral"}


def test_policy_figures_are_scored_on_the_fold_not_fitted_on():
    # Fold 0 says a high similarity means agree, fold 1 says the opposite: a policy fitted on
    # one fold and scored on the other must do badly, where an in-sample fit would not.
    data = []
    for i in range(40):
        fold = i % 2
        article = f"A{fold}.txt"
        sim = 0.9 if i % 4 < 2 else 0.1
        agrees = (sim > 0.5) == (fold == 0)
        label = _label("agree" if agrees else "novel", ["t"] if agrees else [], article, f"{i}")
        data.append((label, _pairs(["t"], [sim])))
    folds = {"A0.txt": 0, "A1.txt": 1}
    figures = calibrate.cross_fold_figures(data, folds)
    assert figures["claims"] == 40
    assert figures["accuracy"] < 0.5

"""The training recipe end to end on a tiny slice: real code path, small data.

Every stage runs as `make train-judge` runs it — public pairs split by premise, news pairs
generated from real sentences, the labelled tuning articles, a few optimiser steps from the
shipped MiniLM weights, evaluation on the held-out parts, fp16 export and the policy's fit — on
a few dozen pairs, so the test checks the plumbing and the files, not the figures. It needs the
public NLI files beside the checkout and skips, saying so, without them.
"""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, SHARED

pytestmark = [
    pytest.mark.model,
    pytest.mark.skipif(
        not (SHARED / "nli" / "snli-dev.jsonl").exists(),
        reason="../shared/nli is not beside this checkout",
    ),
]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    from claimcheck.training.recipe import Recipe
    from claimcheck.training.run import run

    work = tmp_path_factory.mktemp("judge")
    recipe = Recipe(
        repo=str(ROOT),
        shared=str(SHARED / "nli"),
        work=str(work / "work"),
        out=str(work / "model"),
        limit=8,
        adapt=True,
        checkpoint_every=1,
        max_minutes=10,
    )
    metrics = run(recipe)
    return recipe, metrics, work


def test_every_stage_writes_its_files(tiny_run):
    recipe, metrics, work = tiny_run
    data = work / "work" / "data"
    counts = json.loads((data / "done.json").read_text())
    assert counts["public"] > 0 and counts["news"] > 0 and counts["labelled"] > 0
    rows = [json.loads(x) for x in (data / "train.jsonl").read_text().splitlines()]
    assert {r["label"] for r in rows} <= {"contradiction", "entailment", "neutral"}
    assert (work / "work" / "checkpoint" / "state.json").exists()
    model = work / "model"
    for name in ("config.json", "model.safetensors", "tokenizer.json", "policy.json"):
        assert (model / name).exists(), name
    info = json.loads((model / "training.json").read_text())
    assert info["recipe"]["seed"] == recipe.seed
    assert "snli_test" in info["figures"] and "cross_fold" in info["figures"]["policy"]
    assert 0.0 <= metrics["snli_test"]["accuracy"] <= 1.0


def test_the_adaptation_fits_its_policy_on_out_of_fold_probabilities(tiny_run):
    _, metrics, work = tiny_run
    adapted = work / "work" / "adapt"
    for name in ("fold0", "fold1", "final"):
        assert (adapted / name / "config.json").exists(), name
    figures = metrics["adaptation"]
    assert figures["articles"] == 2 and figures["labelled_pairs"] > 0
    assert figures["cross_fold_adapted"]["claims"] > 0
    assert figures["cross_fold_base"]["claims"] > 0
    policy = json.loads((work / "model" / "policy.json").read_text())
    assert "labelled articles" in policy["fitted_on"]


def test_measured_parts_are_never_trained_on(tiny_run):
    _, _, work = tiny_run
    data = work / "work" / "data"
    train = {
        (r["premise"], r["hypothesis"])
        for r in map(json.loads, (data / "train.jsonl").read_text().splitlines())
    }
    for name in ("eval-snli_test.jsonl", "eval-breaking.jsonl", "eval-rte3_test.jsonl"):
        for row in map(json.loads, (data / name).read_text().splitlines()):
            assert (row["premise"], row["hypothesis"]) not in train


def test_the_exported_model_judges_through_the_learned_judge(tiny_run):
    from claimcheck.judge import LearnedJudge
    from claimcheck.models import Claim, StoredClaim

    _, _, work = tiny_run
    judge = LearnedJudge(work / "model")
    text = "The talks lasted five hours"
    new = Claim("X", "X", "direct", text, text, 0, len(text), 0)
    old_text = "The talks lasted just two hours"
    old = StoredClaim(Claim("FT", "FT", "unattributed", old_text, old_text, 0, 1, 0))
    [match] = judge.judge_pairs([(new, old, 0.8)])
    assert match.relation in ("contradict", "agree", "related", "unrelated")
    assert judge.decide(new, [match]).verdict in ("contradict", "agree", "novel")


def test_a_second_run_resumes_instead_of_starting_over(tiny_run, capsys):
    from claimcheck.training.recipe import build_data, train

    recipe, _, _ = tiny_run
    build_data(recipe)
    train(recipe)
    from claimcheck.training.adapt import adapt
    from claimcheck.training.calibrate import calibrate

    _, signals = calibrate(work_final(recipe), ROOT, limit=recipe.limit)
    adapt(recipe, work_final(recipe), signals)
    err = capsys.readouterr().err
    assert "data: already built" in err and "train: already trained" in err
    assert "adapt: fold0 already trained" in err and "adapt: final already trained" in err


def work_final(recipe):
    from pathlib import Path

    return Path(recipe.work) / "final"

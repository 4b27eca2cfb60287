"""End to end with the real embedding model: the founding article stored, new claims checked.

These are the promises an editor relies on: a paraphrase of a stored claim is not flagged; a
changed number, a negation, a wrong place or a reversed stance is, citing the right stored claim.
"""

import numpy as np
import pytest

from claimcheck.archive.ingest import ingest_paths
from claimcheck.check import check_article
from claimcheck.judge import load_judge
from claimcheck.read import article_from_text

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, real_embedder):
    from claimcheck.archive.store import Store
    from tests.conftest import CORPUS

    store = Store.open(tmp_path_factory.mktemp("db") / "real.db")
    summary = ingest_paths(store, sorted(CORPUS.glob("*.txt")), real_embedder)
    assert summary.articles_added == 1
    return store


def verdict_for(store, embedder, text, fragment, outlet="Test Wire"):
    article = article_from_text(text, outlet=outlet)
    report = check_article(store, article, embedder=embedder, judge=load_judge(), record=False)
    hits = [v for v in report.verdicts if fragment in v.claim.quote]
    assert hits, [v.claim.quote for v in report.verdicts]
    return hits[0]


def test_real_model_vectors_are_normalised(real_embedder):
    vectors = real_embedder.encode(["Talks ended on Friday.", "A second sentence."])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_paraphrase_is_not_flagged(seeded, real_embedder):
    v = verdict_for(
        seeded,
        real_embedder,
        "Talks end\n\nTurkish Foreign Minister Hakan Fidan chaired the meeting in Istanbul.\n",
        "Hakan Fidan chaired",
    )
    assert v.verdict == "agree"
    assert any("Fidan" in m.stored.claim.quote for m in v.matches if m.relation == "agree")


def test_changed_number_is_flagged(seeded, real_embedder):
    v = verdict_for(
        seeded,
        real_embedder,
        "Swap agreed\n\nThe two sides agreed to exchange 500 prisoners of war on each side.\n",
        "500 prisoners",
    )
    assert v.verdict == "contradict"
    best = [m for m in v.matches if m.relation == "contradict"][0]
    assert "1,000" in best.stored.claim.quote
    assert any("500" in r.text for r in best.reasons)


def test_changed_duration_is_flagged(seeded, real_embedder):
    v = verdict_for(
        seeded, real_embedder, "Talks\n\nThe meeting in Istanbul lasted five hours.\n", "five hours"
    )
    assert v.verdict == "contradict"
    best = [m for m in v.matches if m.relation == "contradict"][0]
    assert "two hours" in best.stored.claim.quote


def test_reversed_stance_is_flagged(seeded, real_embedder):
    v = verdict_for(
        seeded,
        real_embedder,
        "Europe reacts\n\nMerz told reporters that European leaders were pleased Russia used the "
        "opportunity to move towards a ceasefire.\n",
        "pleased",
    )
    assert v.verdict == "contradict"
    best = [m for m in v.matches if m.relation == "contradict"][0]
    assert best.stored.claim.speaker == "Friedrich Merz"


def test_unrelated_story_is_novel(seeded, real_embedder):
    v = verdict_for(
        seeded,
        real_embedder,
        "Council budget\n\nThe council approved a 4.99 per cent rise in council tax after a "
        "three-hour debate.\n",
        "4.99",
    )
    assert v.verdict == "novel"

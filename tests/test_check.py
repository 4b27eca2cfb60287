"""Candidate gathering and recording of a check, with the fake embedder (no torch)."""

import pytest

from claimcheck.archive.ingest import ingest_paths
from claimcheck.check import DETAIL_KINDS, check_article
from claimcheck.judge import load_judge
from claimcheck.read import article_from_text
from tests.conftest import CORPUS


@pytest.fixture
def seeded(store, embedder):
    ingest_paths(store, sorted(CORPUS.glob("*.txt")), embedder)
    return store


def test_keyword_candidates_can_require_a_kind_of_detail(seeded):
    text = "Negotiators from Ukraine and Russia met on Thursday"
    ids = seeded.keyword_candidates(text, limit=10, with_any_of=DETAIL_KINDS["weekday"])
    quotes = [seeded.stored_claims(ids)[i].claim.quote for i in ids]
    assert quotes and all("Friday" in q for q in quotes)


def test_checking_twice_records_two_runs_but_one_flag(seeded, embedder):
    article = article_from_text(
        "Swap\n\nThe two sides agreed to exchange 500 prisoners of war on each side.\n",
        outlet="Daily Briefing",
    )
    first = check_article(seeded, article, embedder=embedder, judge=load_judge())
    second = check_article(seeded, article, embedder=embedder, judge=load_judge())
    assert first.flag_ids and first.flag_ids == second.flag_ids
    assert seeded.db.table("check_runs").count == 2
    assert seeded.db.table("flags").count == len(first.flag_ids)
    assert seeded.db.table("articles").count == 1  # not saved without save=True


def test_save_adds_the_article_and_its_vectors(seeded, embedder):
    article = article_from_text(
        "Later\n\nUmerov said a second round of talks would be held in June.\n", outlet="Wire"
    )
    before = seeded.claim_count()
    report = check_article(seeded, article, embedder=embedder, judge=load_judge(), save=True)
    assert report.saved_article_id is not None
    assert seeded.claim_count() == before + len(report.verdicts)
    ids, _ = seeded.load_vectors(embedder.name)
    assert len(ids) == seeded.claim_count()


def test_a_surname_only_speaker_takes_the_archive_full_name(seeded, embedder):
    article = article_from_text(
        "Live\n\n- 17:30 - Starmer says the Russian position is clearly unacceptable.\n",
        outlet="Frontline Live",
    )
    report = check_article(seeded, article, embedder=embedder, judge=load_judge(), record=False)
    speakers = {v.claim.speaker for v in report.verdicts}
    assert "Keir Starmer" in speakers and "Starmer" not in speakers


def test_an_ambiguous_surname_is_left_as_written(seeded, embedder):
    from claimcheck.models import SpeakerInfo

    seeded.resolve_speaker(SpeakerInfo(name="Karen Starmer"))
    seeded.db.conn.commit()
    article = article_from_text(
        "Live\n\nStarmer says the Russian position is clearly unacceptable.\n", outlet="Live"
    )
    report = check_article(seeded, article, embedder=embedder, judge=load_judge(), record=False)
    assert "Starmer" in {v.claim.speaker for v in report.verdicts}


def test_keyword_search_ignores_words_most_claims_hold(seeded, monkeypatch):
    import claimcheck.archive.store

    monkeypatch.setattr(claimcheck.archive.store, "COMMON_WORD_CLAIMS", 3)
    seeded._common_words.clear()
    assert seeded.keyword_candidates("talks", limit=5) == []  # in more than 3 stored claims
    hits = seeded.keyword_candidates("talks at the Dolmabahce palace", limit=5)
    assert hits
    assert "Dolmabahçe" in seeded.stored_claims(hits)[hits[0]].claim.quote


def test_a_claim_sharing_only_the_kind_of_detail_is_a_candidate(seeded, embedder):
    """'met on Thursday' must reach 'ended on Friday' though the two share no rare word."""
    from claimcheck.archive.ingest import claim_texts
    from claimcheck.check import gather_candidates
    from claimcheck.extract import extract_claims

    extraction = extract_claims(
        "The Russian delegation and the Ukrainian delegation convened on Thursday.\n"
    )
    vectors = embedder.encode(claim_texts(extraction))
    [pairs] = gather_candidates(seeded, extraction, vectors, embedder.name)
    assert any("ended on Friday" in s.claim.quote for s, _ in pairs)


def test_a_stored_denial_is_a_candidate(seeded, embedder, monkeypatch):
    """'Putin did not turn up' must be judged against a claim that he attended (the fake
    embedder's similarities mean nothing, so none is filtered out here)."""
    from claimcheck import check
    from claimcheck.check import gather_candidates

    monkeypatch.setattr(check, "MIN_SIMILARITY", -1.0)
    from claimcheck.archive.ingest import claim_texts
    from claimcheck.extract import extract_claims

    extraction = extract_claims("Vladimir Putin attended the talks in person.\n")
    vectors = embedder.encode(claim_texts(extraction))
    [pairs] = gather_candidates(seeded, extraction, vectors, embedder.name)
    assert any("did not turn up" in s.claim.quote for s, _ in pairs)


def test_a_candidate_found_by_its_kind_of_detail_is_judged_whatever_its_cosine(
    seeded, embedder, monkeypatch
):
    """The detail search finds "ended on Friday" for "convened on Thursday"; the cosine floor
    must not drop it again (here every cosine is under the floor)."""
    from claimcheck import check
    from claimcheck.archive.ingest import claim_texts
    from claimcheck.check import gather_candidates
    from claimcheck.extract import extract_claims

    monkeypatch.setattr(check, "MIN_SIMILARITY", 2.0)
    extraction = extract_claims(
        "The Russian delegation and the Ukrainian delegation convened on Thursday.\n"
    )
    vectors = embedder.encode(claim_texts(extraction))
    [pairs] = gather_candidates(seeded, extraction, vectors, embedder.name)
    assert pairs and any("ended on Friday" in s.claim.quote for s, _ in pairs)
    # what only the nearest-neighbour and keyword searches found is still held to the floor
    extraction = extract_claims("Analysts expect the rouble to weaken.\n")
    vectors = embedder.encode(claim_texts(extraction))
    assert gather_candidates(seeded, extraction, vectors, embedder.name) == [[]]

"""Exports: ClaimReview JSON-LD for confirmed flags, CSV and JSON lines of flags and claims."""

from __future__ import annotations

import csv
import io
import json

import pytest
from reviewdata import STORED_QUOTE, add_stored_article, submit_contradiction

from claimcheck.review import queue as review
from claimcheck.review.export import Newsroom, claim_reviews, export_text

NEWSROOM = Newsroom(name="The Daily Check", url="https://example.org/")


@pytest.fixture
def decided(store):
    stored = add_stored_article(store)
    confirmed = submit_contradiction(store, stored, number="1,000").flag_ids[0]
    dismissed = submit_contradiction(store, stored, number="2,000", url=None).flag_ids[0]
    pending = submit_contradiction(store, stored, number="3,000").flag_ids[0]
    review.decide_flag(store, confirmed, "confirm", "Ann", "internal: call the ministry")
    review.decide_flag(store, dismissed, "dismiss", "Bob")
    return store, {"confirmed": confirmed, "dismissed": dismissed, "pending": pending}


def assert_claim_review_shape(item: dict) -> None:
    """The fields schema.org and fact-check aggregators need, with the right types."""
    assert item["@context"] == "https://schema.org"
    assert item["@type"] == "ClaimReview"
    assert isinstance(item["claimReviewed"], str) and item["claimReviewed"]
    claim = item["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["author"]["@type"] in ("Person", "Organization")
    assert claim["author"]["name"]
    for appearance in claim.get("appearance", []):
        assert appearance["@type"] == "CreativeWork"
        assert appearance.get("url") or appearance.get("headline")
    rating = item["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert rating["alternateName"]
    assert item["author"]["@type"] == "Organization" and item["author"]["name"]
    assert len(item["datePublished"]) == 10  # YYYY-MM-DD
    assert None not in item.values()


def test_claimreview_exports_only_confirmed_flags_by_default(decided):
    store, ids = decided
    items = claim_reviews(store, NEWSROOM)
    assert len(items) == 1
    item = items[0]
    assert_claim_review_shape(item)
    assert (
        item["claimReviewed"] == "Rustem Umerov said 1,000 prisoners would be exchanged next week"
    )
    assert item["itemReviewed"]["author"] == {"@type": "Person", "name": "Rustem Umerov"}
    assert item["itemReviewed"]["datePublished"] == "2025-05-17"
    assert item["itemReviewed"]["appearance"] == [
        {
            "@type": "CreativeWork",
            "url": "https://example.org/wire/swap",
            "headline": "Talks in Istanbul",
            "datePublished": "2025-05-17",
            "publisher": {"@type": "Organization", "name": "Meridian Wire"},
        }
    ]
    assert item["url"] == "https://example.org/wire/swap"
    assert item["reviewRating"]["alternateName"] == "Contradicts earlier reporting"
    assert item["reviewRating"]["ratingValue"] == item["reviewRating"]["worstRating"]
    assert item["author"] == {
        "@type": "Organization",
        "name": "The Daily Check",
        "url": "https://example.org/",
    }
    # It cites the earlier reporting it contradicts, and never publishes the editor's note.
    assert item["isBasedOn"][0]["text"] == STORED_QUOTE
    assert item["isBasedOn"][0]["publisher"]["name"] == "Kyiv Independent"
    assert STORED_QUOTE in item["reviewBody"]
    assert "call the ministry" not in json.dumps(item)


def test_claimreview_for_other_statuses_and_without_a_url(decided):
    store, ids = decided
    items = claim_reviews(store, NEWSROOM, statuses=("dismissed",))
    assert len(items) == 1
    assert_claim_review_shape(items[0])
    assert "url" not in items[0]
    assert items[0]["reviewRating"]["alternateName"] == "Consistent with earlier reporting"


def test_claimreview_author_of_an_unattributed_claim_is_an_organisation(store):
    stored = add_stored_article(store)
    flag = submit_contradiction(store, stored, speaker="Meridian Wire").flag_ids[0]
    store.db["flags"].update(flag, {"kind": "unattributed"})
    review.decide_flag(store, flag, "confirm", "Ann")
    (item,) = claim_reviews(store, NEWSROOM)
    assert item["itemReviewed"]["author"] == {"@type": "Organization", "name": "Meridian Wire"}


def test_export_text_is_valid_json_ld(decided):
    store, _ = decided
    data = json.loads(export_text(store, "claimreview", newsroom=NEWSROOM))
    assert [d["@type"] for d in data] == ["ClaimReview"]


def test_csv_of_flags_has_one_row_per_flag_with_both_claims(decided):
    store, ids = decided
    rows = list(csv.DictReader(io.StringIO(export_text(store, "csv"))))
    assert [int(r["id"]) for r in rows] == [ids["pending"], ids["confirmed"], ids["dismissed"]]
    first = rows[1]
    assert first["status"] == "confirmed"
    assert first["stored_quote"] == STORED_QUOTE
    assert first["reasons"] == "numbers differ: 1,000 vs 500"
    assert first["editor"] == "Ann"
    only = list(csv.DictReader(io.StringIO(export_text(store, "csv", statuses=["dismissed"]))))
    assert [int(r["id"]) for r in only] == [ids["dismissed"]]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(store):
    stored = add_stored_article(store)
    flag = submit_contradiction(store, stored).flag_ids[0]
    review.decide_flag(store, flag, "confirm", '=HYPERLINK("http://x")', "+1 call")
    (row,) = list(csv.DictReader(io.StringIO(export_text(store, "csv"))))
    assert row["editor"] == '\'=HYPERLINK("http://x")'
    assert row["note"] == "'+1 call"


def test_json_lines_of_flags_and_claims(decided):
    store, ids = decided
    flags = [json.loads(line) for line in export_text(store, "jsonl").splitlines()]
    assert {f["id"] for f in flags} == set(ids.values())
    confirmed = next(f for f in flags if f["id"] == ids["confirmed"])
    assert [e["to_status"] for e in confirmed["events"]] == ["pending", "confirmed"]
    assert confirmed["stored_claims"][0]["quote"] == STORED_QUOTE
    claims = [json.loads(line) for line in export_text(store, "jsonl", table="claims").splitlines()]
    assert [(c["speaker"], c["quote"], c["outlet"]) for c in claims] == [
        ("Rustem Umerov", STORED_QUOTE, "Kyiv Independent")
    ]
    rows = list(csv.DictReader(io.StringIO(export_text(store, "csv", table="claims"))))
    assert rows[0]["quote"] == STORED_QUOTE and rows[0]["published"] == "2025-05-16"

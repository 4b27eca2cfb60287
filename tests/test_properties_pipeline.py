"""Invariants of the whole path from bytes to stored claims, and of speaker search, on arbitrary
input (hypothesis). The extractor's own invariants on raw strings are in test_extract_properties;
these go through the reader first, as every real article does, and through the store."""

from __future__ import annotations

import unicodedata

from conftest import HashingEmbedder
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from claimcheck.archive import speakers as sp
from claimcheck.archive.ingest import store_articles
from claimcheck.archive.store import Store
from claimcheck.errors import InputError
from claimcheck.extract import extract_claims
from claimcheck.models import Article, SpeakerInfo
from claimcheck.read import article_from_text, decode_bytes

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# News prose with the awkward characters people paste: CRLF, zero-width and bidi marks, odd
# quotation marks, decomposed accents.
FRAGMENTS = [
    "Rustem Umerov said",
    "Zelen\u200bskyy said",
    " the talks were useful",
    ", according to officials.",
    "\u201c",
    "\u201d",
    '"',
    "\u00ab",
    "\u00bb",
    "'",
    "\r\n",
    "\n\n",
    "\r",
    "\u202e",
    "\u200f",
    "\u00ad",
    "Dude\u0301 told reporters:",
    "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627",
    ". ",
    "He added that no ceasefire was agreed",
    "\t",
    "\x0c",
    " ",
]
news_text = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=30).map("".join)
any_text = st.one_of(news_text, st.text(max_size=200))


def read_or_none(text: str) -> Article | None:
    try:
        return article_from_text(text)
    except InputError:
        return None


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_are_read_or_refused_with_an_input_error(data: bytes):
    try:
        text = decode_bytes(data, "upload")
        article = article_from_text(text, name="upload")
    except InputError as exc:
        assert str(exc).startswith("upload ")
        return
    assert article.text.strip()
    assert "\r" not in article.text and "\u200b" not in article.text
    assert unicodedata.is_normalized("NFC", article.text)


@FAST
@given(any_text)
def test_claims_of_any_text_as_read_have_exact_offsets_and_speakers(raw: str):
    article = read_or_none(raw)
    assume(article is not None)
    text = article.text
    extraction = extract_claims(text, "Wire")
    previous_end = -1
    for claim in sorted(extraction.claims, key=lambda c: c.start):
        assert text[claim.start : claim.end] == claim.quote
        assert claim.start >= previous_end, "claims overlap"
        previous_end = claim.end
        assert claim.speaker.strip()
        assert "\u202e" not in claim.quote and "\u200b" not in claim.speaker


@SLOW
@given(news_text)
def test_storing_any_article_keeps_offsets_and_re_ingesting_is_a_no_op(raw: str):
    article = read_or_none(raw)
    assume(article is not None)
    assert article is not None
    store = Store.open(":memory:")
    embedder = HashingEmbedder()
    try:
        [first], _ = store_articles(store, [article], embedder)
        assert first is not None
        stored_text = store.get_article(first)["text"]
        claims = [sc.claim for sc in store.claims(article_id=first)]
        assert all(stored_text[c.start : c.end] == c.quote for c in claims)
        before = {t: store.db[t].count for t in ("articles", "claims", "embeddings", "speakers")}
        again = article_from_text(raw)
        [second], _ = store_articles(store, [again], embedder)
        assert second is None
        after = {t: store.db[t].count for t in ("articles", "claims", "embeddings", "speakers")}
        assert after == before
    finally:
        store.close()


# ------------------------------------------------------------------ speaker search
LETTERS = "abcdefghijklmnopqrstuvwxyzéèäöüłńśżćąęçñåøı"
name_token = st.text(alphabet=LETTERS, min_size=2, max_size=10).map(str.capitalize)
person_name = st.lists(name_token, min_size=1, max_size=3).map(" ".join)


@FAST
@given(st.text(max_size=60), person_name)
def test_speaker_search_never_raises(query: str, name: str):
    score = sp.query_matches(query, name, [name.split()[-1]])
    assert 0.0 <= score <= 100.0


@FAST
@given(person_name)
def test_speaker_search_ignores_case_and_accents(name: str):
    aliases = [name.split()[-1]]
    exact = sp.query_matches(name, name, aliases)
    assert exact == 100.0
    for variant in (name.upper(), name.lower(), sp.strip_accents(name), f"  {name}  "):
        assert sp.query_matches(variant, name, aliases) == exact, variant


@SLOW
@given(st.lists(person_name, min_size=1, max_size=4, unique=True), st.text(max_size=40))
def test_store_speaker_search_is_total_and_finds_every_speaker(names: list[str], junk: str):
    store = Store.open(":memory:")
    try:
        with store.db.atomic():
            for name in names:
                store.resolve_speaker(SpeakerInfo(name=name))
        store.find_speakers(junk)  # never raises, whatever is typed
        for name in names:
            for variant in (name, name.upper(), sp.strip_accents(name).lower()):
                found = {n for _, _, n in store.find_speakers(variant)}
                assert found, f"{variant!r} finds nobody"
    finally:
        store.close()

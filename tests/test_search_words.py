"""Keyword search takes the words a user types, never FTS5 syntax: no input is an error.

"U.S.", "the", "or", "NOT", a lone double quote, `*`, `(`, `^`, `:`, `-` and every other FTS5
operator or punctuation character used to fail with "fts5: syntax error" (HTTP 500 on the web).
"""

from __future__ import annotations

import json
import sqlite3
import string

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reviewdata import claim_at
from starlette.testclient import TestClient

from claimcheck.archive import Store, fts_query
from claimcheck.cli import cli
from claimcheck.models import Article, Extraction, SpeakerInfo

LOCAL = "http://127.0.0.1"  # the Host a browser on this machine sends (the server checks it)
TEXT = (
    "Sanctions stay\n\n"
    "Rustem Umerov said the U.S. would not join the talks in Istanbul.\n\n"
    "Umerov said a ceasefire (of 30 days) was the first step.\n"
)
US_QUOTE = "the U.S. would not join the talks in Istanbul"
CEASEFIRE_QUOTE = "a ceasefire (of 30 days) was the first step"

FTS_SYNTAX = [
    "AND", "OR", "NOT", "NEAR", "NEAR(a b, 2)", "a OR b", "NOT the", "and or not", '"', '""',
    "'", "*", "ceas*", "^", "^talks", ":", "quote:talks", "claims_fts:talks", "-", "-talks",
    "(", ")", "(talks", "talks)", "{quote}: talks", "+", "a + b", ",", ".", "U.S.", "the", "a",
    "or", "\\", "\x00", "talks\x00", "\u200b", "'s", "«»", "—", "…", "",
]  # fmt: skip
EVERY_PUNCTUATION = list(string.punctuation) + [c * 2 for c in string.punctuation]


@pytest.fixture
def searchable(db_path) -> Store:
    store = Store.open(db_path)
    claims = [claim_at(TEXT, US_QUOTE, paragraph=1), claim_at(TEXT, CEASEFIRE_QUOTE, paragraph=2)]
    extraction = Extraction(claims=claims, speakers=[SpeakerInfo(name="Rustem Umerov")])
    store.add_articles(
        [(Article(text=TEXT, outlet="Wire"), extraction, np.eye(2, 4, dtype=np.float32))],
        model="test",
    )
    yield store
    store.close()


def quotes_found(store: Store, text: str) -> list[str]:
    return [sc.claim.quote for sc in store.claims(text=text)]


@pytest.mark.parametrize("text", FTS_SYNTAX + EVERY_PUNCTUATION)
def test_every_fts_operator_and_punctuation_mark_is_searched_as_words(searchable, text):
    quotes_found(searchable, text)  # no error
    quotes_found(searchable, f"talks {text}")
    quotes_found(searchable, f"{text} talks {text}")


def test_ordinary_words_that_are_fts_syntax_find_what_they_say(searchable):
    assert quotes_found(searchable, "U.S.") == [US_QUOTE]
    assert quotes_found(searchable, "u.s.") == [US_QUOTE]
    assert quotes_found(searchable, "NOT") == [US_QUOTE]
    assert quotes_found(searchable, "the") == [US_QUOTE, CEASEFIRE_QUOTE]
    assert quotes_found(searchable, "a") == [CEASEFIRE_QUOTE]
    assert quotes_found(searchable, "(of 30 days)") == [CEASEFIRE_QUOTE]
    assert quotes_found(searchable, "ceasefire OR talks") == []  # every word must be there
    assert quotes_found(searchable, "U.S. talks") == [US_QUOTE]
    assert quotes_found(searchable, "ceasefires") == [CEASEFIRE_QUOTE]  # still stemmed


def test_words_with_no_letters_find_nothing_and_no_words_filter_nothing(searchable):
    assert quotes_found(searchable, '"') == []
    assert quotes_found(searchable, "* ( ^ :") == []
    assert len(quotes_found(searchable, "")) == 2
    assert len(quotes_found(searchable, "   ")) == 2


def test_fts_query_quotes_every_word():
    assert fts_query('Zelenskyy said "ceasefire" OR NEAR(x) -- drop') == (
        '"zelenskyy" AND "ceasefire" AND "near x" AND "drop"'
    )
    assert fts_query("U.S.") == '"u s"'
    assert fts_query("the") == '"the"'
    assert fts_query('" * ( ^') is None


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=60))
def test_arbitrary_text_is_never_an_error(searchable, text):
    quotes_found(searchable, text)
    query = fts_query(text)
    if query is not None:
        # The query alone parses, whatever the text: nothing of the input reaches FTS5 as syntax.
        searchable.db.execute("select rowid from claims_fts where claims_fts match ?", [query])


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from([*string.punctuation, "AND", "OR", "NOT", "NEAR", "talks", " "]),
        max_size=12,
    ).map("".join)
)
def test_any_mix_of_operators_and_punctuation_is_never_an_error(searchable, text):
    quotes_found(searchable, text)


def test_the_checkers_keyword_search_keeps_working_on_punctuation(searchable):
    assert searchable.keyword_candidates("Istanbul talks", limit=5) == [1]
    for text in FTS_SYNTAX:
        searchable.keyword_candidates(f"{text} Istanbul", limit=5)
        searchable.keyword_candidates(text, limit=5, with_any_of=[text, "NOT", '"'])


@pytest.mark.parametrize("text", ["U.S.", "the", "a", "or", "NOT", '"', "*", "(", "-", "^", ":"])
def test_quotes_text_on_the_command_line(searchable, text):
    result = CliRunner().invoke(cli, ["quotes", "Umerov", "--text", text, "--json"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "syntax error" not in result.output
    for line in result.stdout.splitlines():
        assert json.loads(line)["speaker"] == "Rustem Umerov"


def test_quotes_text_us_on_the_command_line_finds_the_quote(searchable):
    result = CliRunner().invoke(cli, ["quotes", "Umerov", "--text", "U.S."])
    assert result.exit_code == 0 and US_QUOTE in result.output


def test_quotes_page_answers_every_search(searchable, db_path):
    from conftest import HashingEmbedder

    from claimcheck.judge import load_judge
    from claimcheck.web.app import create_app

    app = create_app(str(db_path), embedder_factory=HashingEmbedder, judge_factory=load_judge)
    client = TestClient(app, base_url=LOCAL, raise_server_exceptions=False)
    for text in FTS_SYNTAX + EVERY_PUNCTUATION:
        page = client.get("/quotes", params={"speaker": "Umerov", "text": text})
        assert page.status_code == 200, (text, page.text)
        alone = client.get("/quotes", params={"text": text})
        assert alone.status_code == 200, (text, alone.text)
    with_us = client.get("/quotes", params={"speaker": "Umerov", "text": "U.S."})
    assert with_us.status_code == 200 and "join the talks" in with_us.text


def test_search_leaves_the_database_alone(searchable, db_path):
    before = sqlite3.connect(db_path).execute("select count(*) from claims").fetchone()
    quotes_found(searchable, "NOT OR AND")
    assert sqlite3.connect(db_path).execute("select count(*) from claims").fetchone() == before

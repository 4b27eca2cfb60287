"""Keyword search: what a user typed, or a claim's text, as FTS5 queries that never parse as syntax.

FTS5 reads `AND`, `OR`, `NOT`, `NEAR`, `*`, `^`, `:`, `-`, brackets and double quotes as its own
syntax, so a search for "U.S." or "not" used to fail with "fts5: syntax error". Every word here
becomes a quoted FTS5 string instead: inside quotes FTS5 tokenises the text as it tokenised the
claims, so a word is matched as the words it contains, and an operator is only a word.
"""

from __future__ import annotations

from . import speakers as sp

MAX_SEARCH_WORDS = 32  # words of a user's search beyond these are ignored

_FTS_STOPWORDS = frozenset(
    """a an the and or but of to in on at for with by from as is was were be been are that this
    it its he she they we i you his her their our not no said says told would will had has have
    after before over about into than then there which who whom what when where while
    also""".split()
)


def significant_words(text: str) -> list[str]:
    """The words of `text` worth searching for, normalised, in order, at most 24."""
    words: list[str] = []
    for raw in sp.normalise(text).split():
        if len(raw) < 3 or raw in _FTS_STOPWORDS or raw in words:
            continue
        words.append(raw)
    return words[:24]


def fts_string(text: str) -> str:
    """`text` as one FTS5 string (a phrase of its words): never read as an operator."""
    return '"' + text.replace('"', '""') + '"'


def fts_query(text: str) -> str | None:
    """An FTS5 query for claims holding every word a user typed; None when none can be searched.

    Users type words, not FTS5 syntax: each word becomes a quoted phrase of its letters and
    digits ("U.S." is the phrase "u s", "NEAR(x)" is "near x"), so AND, OR, NOT, NEAR, `*`, `^`,
    `:`, quotes and brackets are searched as words or dropped, never parsed. Common words (the,
    said, not) are left out while other words remain, and searched for when they are all there is.
    """
    phrases: list[str] = []
    for word in text.split():
        phrase = sp.normalise(word)
        if any(ch.isalnum() for ch in phrase) and phrase not in phrases:
            phrases.append(phrase)
    significant = [p for p in phrases if p not in _FTS_STOPWORDS]
    chosen = (significant or phrases)[:MAX_SEARCH_WORDS]
    return " AND ".join(fts_string(p) for p in chosen) or None

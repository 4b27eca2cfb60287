"""The paragraph around a claim, and the claim's conflicting words marked within it.

Pages show a claim in its paragraph with the words the judge found in conflict highlighted. The
highlighting here is a list of plain-text segments, each with what it is (inside the claim, a
conflicting term); templates escape every segment and wrap it in markup themselves, so article
text never reaches the page as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

CONTEXT_CHARS = 1200  # a paragraph longer than this is cut around the claim


@dataclass
class Passage:
    """The paragraph around a claim, with the claim's offsets inside `text`."""

    text: str
    start: int
    end: int
    truncated_before: bool = False
    truncated_after: bool = False


def passage_around(text: str | None, claim: Any) -> Passage | None:
    return passage_at(text, claim.start, claim.end, claim.quote)


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def passage_at(text: str | None, start: int, end: int, quote: str) -> Passage | None:
    """The paragraph holding text[start:end], or None when the stored offsets do not fit."""
    if not text or not (0 <= start < end <= len(text)) or text[start:end] != quote:
        return None
    breaks = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else re.compile(r"\n")
    para_start = 0
    para_end = len(text)
    for m in breaks.finditer(text):
        if m.end() <= start:
            para_start = m.end()
        elif m.start() >= end:
            para_end = m.start()
            break
    while para_end > end and text[para_end - 1].isspace():
        para_end -= 1
    while para_start < start and text[para_start].isspace():
        para_start += 1
    cut_before = cut_after = False
    if para_end - para_start > CONTEXT_CHARS:
        margin = max(0, (CONTEXT_CHARS - (end - start)) // 2)
        if start - margin > para_start:
            para_start, cut_before = _word_boundary(text, start - margin), True
        if end + margin < para_end:
            para_end, cut_after = _word_boundary(text, end + margin, forward=True), True
    return Passage(
        text=text[para_start:para_end],
        start=start - para_start,
        end=end - para_start,
        truncated_before=cut_before,
        truncated_after=cut_after,
    )


def _word_boundary(text: str, index: int, forward: bool = False) -> int:
    step = 1 if forward else -1
    limit = 40  # never walk far: a very long "word" is cut where it is
    i = index
    while 0 < i < len(text) and not text[i].isspace() and abs(i - index) < limit:
        i += step
    return i


@dataclass
class Segment:
    text: str
    in_claim: bool = False
    is_term: bool = False


def term_pattern(term: str) -> re.Pattern[str] | None:
    words = term.split()
    if not words:
        return None
    # Whole words only ("no" must not light up inside "not"); any run of spaces between words.
    body = r"\s+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE)


def highlight(passage: Passage, terms: Iterable[str] = ()) -> list[Segment]:
    """`passage.text` cut into segments: outside / inside the claim, conflicting term or not.

    Terms are marked only inside the claim span: the same word elsewhere in the paragraph is not
    what the judge compared.
    """
    text = passage.text
    term_marks = [False] * len(text)
    claim = text[passage.start : passage.end]
    for term in sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True):
        pattern = term_pattern(term)
        if pattern is None:
            continue
        for m in pattern.finditer(claim):
            for i in range(passage.start + m.start(), passage.start + m.end()):
                term_marks[i] = True
    segments: list[Segment] = []
    for i, ch in enumerate(text):
        in_claim = passage.start <= i < passage.end
        if segments and segments[-1].in_claim == in_claim and segments[-1].is_term == term_marks[i]:
            segments[-1].text += ch
        else:
            segments.append(Segment(ch, in_claim, term_marks[i]))
    return segments

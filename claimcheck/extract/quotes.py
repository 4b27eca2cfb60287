"""Quotation spans: where quotation marks open and close.

Works on characters, not tokens, so that curly and straight marks, unbalanced marks and
quotations running over several paragraphs (an opening mark at the start of each paragraph, a
closing mark only at the end, as news style has it) are all handled the same way.

A quotation is *standalone* when it is a speaker's own sentence(s) -- it becomes one direct
claim per sentence -- and *partial* when a few quoted words sit inside someone else's sentence
(``said Putin's position was "clearly unacceptable"``), in which case it stays part of that
sentence's claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimcheck.extract.segment import Paragraph, embedded_posts

OPENING = "\u201c\u201e\u00ab"  # “ „ «
CLOSING = "\u201d\u00bb\u201f"  # ” » ‟
STRAIGHT = '"'
SINGLE_OPENING = "\u2018"  # ‘
SINGLE_CLOSING = "\u2019"  # ’ (also the apostrophe)
STRAIGHT_SINGLE = "'"  # ' (also the apostrophe)
# Before a standalone quotation: start of paragraph, or punctuation that ends a lead-in.
_LEAD_IN_PUNCTUATION = ":,.;!?\u2014\u2013-("
_MIN_WORDS_WITHOUT_LEAD_IN = 6


@dataclass(frozen=True)
class Quotation:
    open: int  # offset of the opening mark
    close: int | None  # offset of the closing mark; None when it runs to the paragraph end
    inner_start: int
    inner_end: int
    paragraph: int
    standalone: bool
    author: str | None = None  # an embedded post's handle
    post: bool = False  # an embedded post (<tweet author="@...">...</tweet>)

    @property
    def end(self) -> int:
        """One past the closing mark (or the inner end when there is none)."""
        return self.close + 1 if self.close is not None else self.inner_end


def find_quotations(text: str, paragraphs: list[Paragraph]) -> list[Quotation]:
    """Every quotation in the article, in order."""
    raw: list[tuple[int, int | None, int]] = []  # (open, close, paragraph position in list)
    posts = embedded_posts(text, paragraphs)
    for position, paragraph in enumerate(paragraphs):
        if paragraph.is_claimless:
            continue
        post = posts.get(paragraph.index)
        if post is not None and post.plain:
            raw.append((post.open, None, position))
            continue
        if post is not None:
            raw.append((post.open, post.close, position))
            continue
        raw.extend(
            (open_, close, position)
            for open_, close in _marks_in_line(text, paragraph.body_start, paragraph.end)
        )

    quotations: list[Quotation] = []
    for open_, close, position in raw:
        paragraph = paragraphs[position]
        post = posts.get(paragraph.index)
        if post is not None and post.plain:  # no mark: the whole paragraph is the post
            quotations.append(
                Quotation(
                    open=post.open,
                    close=None,
                    inner_start=post.open,
                    inner_end=post.close,
                    paragraph=paragraph.index,
                    standalone=True,
                    post=True,
                )
            )
            continue
        if close is None:
            next_paragraph = paragraphs[position + 1] if position + 1 < len(paragraphs) else None
            continues = next_paragraph is not None and _starts_with_opening(text, next_paragraph)
            at_paragraph_start = not text[paragraph.body_start : open_].strip()
            if not (continues or at_paragraph_start):
                continue  # a stray mark: treat the text as unquoted
        inner_start = open_ + 1
        inner_end = close if close is not None else paragraph.end
        while inner_end > inner_start and text[inner_end - 1].isspace():
            inner_end -= 1
        if inner_end <= inner_start:
            continue
        post = posts.get(paragraph.index)
        quotations.append(
            Quotation(
                open=open_,
                close=close,
                inner_start=inner_start,
                inner_end=inner_end,
                paragraph=paragraph.index,
                standalone=post is not None,
                author=post.author if post is not None else None,
                post=post is not None,
            )
        )
    return _mark_standalone(text, paragraphs, quotations)


def _marks_in_line(text: str, start: int, end: int) -> list[tuple[int, int | None]]:
    """Pairs of (open, close) offsets within one line; close None when left open.

    Single marks (British style) count only outside double ones, and a closing single mark
    only when no letter follows it, so that apostrophes ("Kyiv’s") are left alone. A straight
    single mark opens only after a space (or an opening bracket or dash) and before a letter,
    and closes only after a word and before no letter: "'Nobody asked the staff,' said ...",
    while "didn't", "the nurses' union" and "the '90s" quote nothing.
    """
    pairs: list[tuple[int, int | None]] = []
    open_at: int | None = None
    single_at: int | None = None
    straight_at: int | None = None
    for i in range(start, end):
        char = text[i]
        if open_at is None and char == STRAIGHT_SINGLE:
            before = text[i - 1] if i > start else " "
            after = text[i + 1] if i + 1 < end else " "
            if straight_at is None:
                if (before.isspace() or before in "([{\u2014\u2013-/:") and after.isalpha():
                    straight_at = i
            elif not before.isspace() and not after.isalnum():
                pairs.append((straight_at, i))
                straight_at = None
            continue
        if open_at is None and char == SINGLE_OPENING:
            if single_at is None and _can_open(text, i, start, end):
                single_at = i
            continue
        if open_at is None and char == SINGLE_CLOSING and single_at is not None:
            after = text[i + 1] if i + 1 < end else " "
            if not after.isalnum():
                pairs.append((single_at, i))
                single_at = None
            continue
        if char in OPENING:
            if open_at is None:
                open_at = i
        elif char in CLOSING:
            if open_at is not None:
                pairs.append((open_at, i))
                open_at = None
        elif char == STRAIGHT:
            if open_at is None:
                if _can_open(text, i, start, end):
                    open_at = i
            else:
                pairs.append((open_at, i))
                open_at = None
    if open_at is not None:
        pairs.append((open_at, None))
    return pairs


def _can_open(text: str, i: int, line_start: int, line_end: int) -> bool:
    before = text[i - 1] if i > line_start else " "
    after = text[i + 1] if i + 1 < line_end else " "
    return not after.isspace() and (before.isspace() or before in "([{\u2014\u2013-/:")


def _starts_with_opening(text: str, paragraph: Paragraph) -> bool:
    body = text[paragraph.body_start : paragraph.end].lstrip()
    return bool(body) and (body[0] in OPENING or body[0] == STRAIGHT)


def _mark_standalone(
    text: str, paragraphs: list[Paragraph], quotations: list[Quotation]
) -> list[Quotation]:
    body_start = {p.index: p.body_start for p in paragraphs}
    result: list[Quotation] = []
    for quotation in quotations:
        inner = text[quotation.inner_start : quotation.inner_end].strip()
        lead = text[body_start[quotation.paragraph] : quotation.open].rstrip()
        first = inner[:1]
        starts_sentence = first.isupper() or first.isdigit() or first in "\u2026."
        previous = result[-1] if result else None
        continues_previous = (
            previous is not None
            and previous.standalone
            and previous.paragraph == quotation.paragraph
            and lead.endswith(",")
            and quotation.open - previous.end < 60
        )
        if not lead or quotation.post:
            standalone = True  # a paragraph that opens with a quotation, an embedded post
        elif continues_previous:
            standalone = True  # "We will," he said, "go on."
        elif starts_sentence and (
            lead[-1] in _LEAD_IN_PUNCTUATION or len(inner.split()) >= _MIN_WORDS_WITHOUT_LEAD_IN
        ):
            standalone = True
        else:
            standalone = False
        result.append(
            Quotation(
                open=quotation.open,
                close=quotation.close,
                inner_start=quotation.inner_start,
                inner_end=quotation.inner_end,
                paragraph=quotation.paragraph,
                standalone=standalone,
                author=quotation.author,
                post=quotation.post,
            )
        )
    return result

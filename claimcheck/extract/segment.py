"""Paragraphs, and the parts of an article that carry no claim.

A paragraph is a non-empty line; the headline is paragraph 0. Within a paragraph the *body*
excludes a wire dateline (``ISTANBUL, May 16 (Meridian Wire) - ``) and a live-blog timestamp
(``- 13:45 - ``), and whole lines such as ``Additional reporting by ...`` are not claims at all.
Those regions are blanked (replaced by spaces, so every offset stays valid) before parsing, so
that the parser never sees them as part of a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "ISTANBUL, May 16 (Meridian Wire) - ", "LONDON (Reuters) - ", "KYIV, Ukraine — ".
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'\-]{1,40}(?:,\s*[A-Z][A-Za-z.]*\.?(?:\s+\d{1,2})?(?:,\s*\d{4})?)?"
    r"\s*(?:\([^)\n]{1,60}\))?\s*[-\u2013\u2014]+\s+"
)
# "- 13:45 - ", "13:45 GMT: ", "• 09:10 – ", "[10:45] ", "11.30am: ", and a bare "19:10 " before
# the entry's first capital ("19:10 A Ukrainian source tells us ...")
_TIME = r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|GMT|BST|CET|CEST|EET|UTC|EST|ET)?"
_TIMESTAMP = re.compile(
    rf"^[-\u2013\u2014\u2022*]?\s*(?:[\[(]\s*{_TIME}\s*[\])]\s*[-\u2013\u2014:|]?"
    rf"|{_TIME}\s*[-\u2013\u2014:|]|\d{{1,2}}:\d{{2}}\s*(?:[ap]\.?m\.?|GMT|BST|CET|CEST|EET|UTC)?"
    rf"\s+(?=[A-Z\"\u201c]))\s*"
)
_NOT_A_CLAIM_LINE = re.compile(
    r"^\s*(?:additional reporting|reporting by|editing by|writing by|compiled by|"
    r"follow (?:us|our)|read more|related:|copyright|\u00a9)",
    re.IGNORECASE,
)
# "By Jane Smith", "By Jane Smith and Ali Khan in Kyiv": a byline, not a claim.
_BYLINE = re.compile(
    r"^\s*By\s+[A-Z][\w'\u2019.-]+(?:\s+(?:[A-Z][\w'\u2019.-]+|and|in|de|van|von))*\s*$"
)
_BULLET = re.compile(r"^[-\u2013\u2014\u2022*]\s+")
# An embedded social-media post kept as markup on one line:
# <tweet author="@SenKaraDunn">Families in Marlow County have waited ...</tweet>
_POST = re.compile(
    r"^\s*<(tweet|post|x-post|embed|blockquote)\b([^<>]*)>(.*?)</\1\s*>\s*$", re.IGNORECASE
)
# "Ortega wrote on X:", "Dunn said in a post on Truth Social:" -- a paragraph of its own,
# followed by the post's text as a plain paragraph (as copied from a page that embeds it).
_PLATFORM_LEAD_IN = re.compile(
    r"\b(?:wrote|posted|tweeted|said|shared|added|replied|responded|posting|writing)\b"
    r"[^.!?\n]*\b(?:on|to)\s+(?:X|Twitter|Facebook|Telegram|Instagram|Truth Social|Bluesky|"
    r"Threads|LinkedIn|TikTok|Weibo|Mastodon)\b[^.!?\n]*:\s*$"
)
_AUTHOR = re.compile(
    r"""\b(?:data-)?(?:author|handle|user|screen-name)\s*=\s*(?:"([^"]*)"|'([^']*)')""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Paragraph:
    index: int  # 0-based among non-empty lines
    start: int  # first character of the line
    end: int  # one past the last character (the newline is not included)
    body_start: int  # after any dateline, timestamp or bullet
    is_claimless: bool  # a credit line such as "Additional reporting by ..."


def split_paragraphs(text: str) -> list[Paragraph]:
    """Every non-empty line of ``text`` with its offsets and body start."""
    paragraphs: list[Paragraph] = []
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if not line.strip():
            continue
        lead = len(line) - len(line.lstrip())
        body = line[lead:]
        offset = lead
        for pattern in (_TIMESTAMP, _DATELINE, _BULLET):
            match = pattern.match(body)
            if match and match.end() < len(body):
                offset += match.end()
                body = body[match.end() :]
        paragraphs.append(
            Paragraph(
                index=len(paragraphs),
                start=start,
                end=end,
                body_start=start + offset,
                is_claimless=bool(_NOT_A_CLAIM_LINE.match(line) or _BYLINE.match(line)),
            )
        )
    return paragraphs


@dataclass(frozen=True)
class Post:
    """An embedded post: its text lies between ``open`` (the start tag's ``>``) and ``close``
    (the end tag's ``<``); ``author`` is the handle the markup names, if any."""

    paragraph: int
    open: int
    close: int
    tag_end: int  # one past the end tag
    author: str | None
    plain: bool = False  # no markup: the whole paragraph after a "wrote on X:" lead-in


def embedded_posts(text: str, paragraphs: list[Paragraph]) -> dict[int, Post]:
    """The embedded posts of the article, by paragraph index."""
    posts: dict[int, Post] = {}
    for position, paragraph in enumerate(paragraphs):
        line = text[paragraph.start : paragraph.end]
        before = paragraphs[position - 1] if position else None
        body = text[paragraph.body_start : paragraph.end].strip()
        if (
            before is not None
            and body
            and body[0] not in "\"'\u201c\u2018\u00ab<"
            and _PLATFORM_LEAD_IN.search(text, before.body_start, before.end)
        ):
            raw = text[paragraph.body_start : paragraph.end]
            start = paragraph.body_start + len(raw) - len(raw.lstrip())
            end = paragraph.body_start + len(raw.rstrip())
            posts[paragraph.index] = Post(paragraph.index, start, end, end, None, plain=True)
            continue
        if "<" not in line:
            continue
        match = _POST.match(line)
        if match is None or not match.group(3).strip():
            continue
        author = _AUTHOR.search(match.group(2))
        name = (author.group(1) or author.group(2) or "").strip() if author else ""
        close = paragraph.start + match.end(3)
        end_tag = text.index(">", close) + 1
        posts[paragraph.index] = Post(
            paragraph=paragraph.index,
            open=paragraph.start + match.start(3) - 1,
            close=close,
            tag_end=end_tag,
            author=name or None,
        )
    return posts


def blank_non_claims(text: str, paragraphs: list[Paragraph]) -> str:
    """``text`` with datelines, timestamps and credit lines replaced by spaces.

    An embedded post's markup becomes spaces around a pair of quotation marks, so the parser
    reads its text as a quotation standing on its own.
    """
    chars = list(text)
    for paragraph in paragraphs:
        stop = paragraph.end if paragraph.is_claimless else paragraph.body_start
        for i in range(paragraph.start, stop):
            if chars[i] != "\n":
                chars[i] = " "
    for post in embedded_posts(text, paragraphs).values():
        if post.plain:
            continue
        for i in range(paragraphs[post.paragraph].start, post.open):
            chars[i] = " "
        chars[post.open] = "\u201c"
        chars[post.close] = "\u201d"
        for i in range(post.close + 1, post.tag_end):
            chars[i] = " "
    return "".join(chars)


def paragraph_at(paragraphs: list[Paragraph], offset: int) -> Paragraph | None:
    """The paragraph containing character ``offset`` (binary search)."""
    low, high = 0, len(paragraphs) - 1
    while low <= high:
        middle = (low + high) // 2
        paragraph = paragraphs[middle]
        if offset < paragraph.start:
            high = middle - 1
        elif offset >= paragraph.end:
            low = middle + 1
        else:
            return paragraph
    return None


_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019]?\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "St.", "U.S.", "U.K.", "Gen.", "Sen.", "No.", "vs.")


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` (the inside of a quotation) into sentences.

    A regular expression is enough here: inside quotation marks a sentence ends at ``.``,
    ``!`` or ``?`` followed by a capital, and the parser's sentence splitter tends to cut
    quotations at the wrong place. Each span is stripped of spaces and a trailing comma.
    """
    spans: list[tuple[int, int]] = []
    piece_start = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[max(start, match.start() - 5) : match.start()]
        if any(before.endswith(abbreviation) for abbreviation in _ABBREVIATIONS):
            continue
        spans.append((piece_start, match.start()))
        piece_start = match.end()
    spans.append((piece_start, end))
    return [span for span in (_strip_span(text, s, e) for s, e in spans) if span[1] > span[0]]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end

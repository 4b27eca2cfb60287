"""Hard-wrapped text (wire copy, e-mail, text wrapped at ~72 columns) joined into paragraphs.

claimcheck reads a paragraph as one line. Text wrapped at a fixed width breaks sentences over
lines, so a quote would lose its speaker to the next line. Such text is recognised by its shape:
blocks of several lines, nearly all no wider than the wrap width, most of them ending mid-sentence
(a file of one paragraph per line ends nearly every line with a full stop or a quote mark). When
the text is wrapped, the lines of each block are joined with a space, and a block is split where
a line with room left for the next line's first word ends a sentence or stops well short of the
width (a wrapper would have moved that word up: the writer ended the paragraph there), where
the next line is indented (e-mail paragraphs without a blank line), or after a short first line
(a headline). Paragraphs are then separated by a blank line. Text that is not wrapped is returned
unchanged.
"""

from __future__ import annotations

import re

WRAP_WIDTH_MAX = 100  # wider lines are paragraphs, not wrapped lines
_ENDS_SENTENCE = re.compile(r"[.!?:;\"”’'»)\]]\s*$")
_LIST_OR_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,3}[.)])\s+")


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def is_hard_wrapped(text: str) -> bool:
    """Whether the text's paragraphs are broken over several lines at a fixed width."""
    blocks = _blocks(text)
    inner = [line for block in blocks for line in block[:-1]]  # lines followed by another
    if len(inner) < 3:
        return False
    widths = [len(line.rstrip()) for block in blocks for line in block]
    if sum(1 for w in widths if w > WRAP_WIDTH_MAX) > 0.05 * len(widths):
        return False
    mid_sentence = sum(1 for line in inner if not _ENDS_SENTENCE.search(line))
    return mid_sentence >= 0.5 * len(inner)


def unwrap(text: str) -> str:
    """Wrapped text as one paragraph a line, blank-line separated; other text as it is."""
    if not is_hard_wrapped(text):
        return text
    blocks = _blocks(text)
    width = max(len(line.rstrip()) for block in blocks for line in block)
    paragraphs: list[str] = []
    for block in blocks:
        current: list[str] = []
        for i, line in enumerate(block):
            following = block[i + 1] if i + 1 < len(block) else None
            if current and _LIST_OR_BULLET.match(line):
                paragraphs.append(" ".join(current))
                current = []
            current.append(line.strip())
            if following is None:
                continue
            # A wrapper moves a word to the next line only when it does not fit: a line that
            # had room for the next word was ended by its writer.
            next_word = following.split()[0] if following.split() else ""
            had_room = len(line.rstrip()) + 1 + len(next_word) <= width
            indented = following.startswith((" ", "\t")) and not line.startswith((" ", "\t"))
            short = len(line.rstrip()) < 0.6 * width
            ended = _ENDS_SENTENCE.search(line) or len(line.rstrip()) < 0.75 * width
            if (had_room and ended) or indented or (short and i == 0):
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)

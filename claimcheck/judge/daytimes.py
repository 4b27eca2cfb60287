"""Parts of the day as news writes them, for the time-of-day detector: "before dawn" is only the
night, "this morning" may still be night, "at around nine this morning" is the morning."""

from __future__ import annotations

import re

from .lexicon import fold

# Parts of the day as news writes them, each with the parts it may overlap: "at dawn" is the end
# of the night and the start of the morning; "before dawn" is only the night.
DAY_PARTS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(pattern), frozenset(parts.split()))
    for pattern, parts in (
        (
            r"\b(?:before|ahead of)\s+(?:the\s+)?(?:dawn|daybreak|first\s+light|sunrise)\b|"
            r"\bpre-?dawn\b|\bovernight\b|\bin\s+the\s+(?:small|early)\s+hours\b|"
            r"\b(?:in\s+the\s+)?(?:middle|dead)\s+of\s+(?:the\s+)?night\b|\bat\s+night\b",
            "night",
        ),
        (r"\b(?:at|by)\s+(?:dawn|daybreak|first\s+light|sunrise)\b", "night morning"),
        (r"\bearly\s+(?:in\s+the\s+)?morning\b", "night morning"),
        # "the morning of the talks", "that morning" may well be before dawn
        (r"\b(?:in\s+the|this|that|the|\w+day)\s+morning\b", "night morning"),
        (r"\b(?:mid|late)[\s-]?morning\b", "morning"),
        (
            r"\b(?:in\s+the|this|that|late|early|mid)[\s-]+afternoon\b|\bat\s+(?:midday|noon)\b|"
            r"\bat\s+lunchtime\b",
            "afternoon",
        ),
        (
            r"\b(?:in\s+the|this|that|late|early)\s+evening\b|\bat\s+(?:dusk|nightfall|sunset)\b|"
            r"\bafter\s+dark\b",
            "evening",
        ),
        (r"\blate\s+(?:at\s+night|that\s+night|in\s+the\s+night)\b", "evening night"),
    )
)


# A clock time in the morning: "at around nine this morning", "at 9am", "at 10.30 a.m.". It
# says more than the vague "this morning" around it, which may be before dawn: nine is not.
CLOCK_MORNING_RE = re.compile(
    r"\b(?:at\s+)?(?:around\s+|about\s+|roughly\s+|just\s+after\s+|shortly\s+after\s+)?"
    r"(?P<hour>seven|eight|nine|ten|eleven|[7-9]|1[01])(?:[:.][0-5]\d)?\s*"
    r"(?:a\.?m\.?|o'clock\s+(?:in\s+the|this|that)\s+morning|(?:in\s+the|this|that)\s+morning)"
    r"(?!\w)"
)


def day_parts(text: str) -> dict[str, frozenset[str]]:
    """{the words as written: the parts of the day they allow}; a clock time in the morning
    ("at around nine this morning") stands for the words it contains."""
    low = fold(text)
    out: dict[str, frozenset[str]] = {}
    clocks = [m.span() for m in CLOCK_MORNING_RE.finditer(low)]
    for a, b in clocks:
        out.setdefault(text[a:b], frozenset({"morning"}))
    for pattern, parts in DAY_PARTS:
        for m in pattern.finditer(low):
            if any(a <= m.start() and m.end() <= b for a, b in clocks):
                continue
            out.setdefault(text[m.start() : m.end()], parts)
    return out


# When something happened relative to the talks: "sirens blared before dawn ahead of Friday's
# talks" and "sirens only sounded after the talks had ended" cannot both be true of one raid.
BEFORE_TALKS_RE = re.compile(
    r"\b(?:before|ahead\s+of|prior\s+to|on\s+the\s+eve\s+of)\s+(?:the\s+|\w+'s\s+|\w+\s+){0,2}"
    r"(?:talks|negotiations|meeting)\b"
)
AFTER_TALKS_RE = re.compile(
    r"\b(?:after|once|when)\s+(?:the\s+|\w+'s\s+){0,2}(?:talks|negotiations|meeting)\s+"
    r"(?:had\s+|have\s+)?(?:ended|finished|broke\s+up|wrapped\s+up|were\s+over|was\s+over)\b|"
    r"\bafter\s+the\s+(?:talks|negotiations)\b"
)


def talks_order(text: str) -> tuple[str, str] | None:
    """("before" or "after", the words as written) of something said to happen before or after
    the talks."""
    low = fold(text)
    found = [(m.start(), "before", m) for m in BEFORE_TALKS_RE.finditer(low)]
    found += [(m.start(), "after", m) for m in AFTER_TALKS_RE.finditer(low)]
    if len({order for _, order, _ in found}) != 1:
        return None  # none, or both ("after the first session, before the talks resumed")
    _, order, m = min(found, key=lambda x: x[0])
    return order, text[m.start() : m.end()]

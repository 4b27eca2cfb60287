"""A source who would not say what another report has them saying.

"Medinsky refused to say which side had requested the meeting" and "Medinsky confirmed that the
Ukrainian side had requested the meeting" cannot both be true of one occasion: one report has
him silent on the very thing the other has him confirm. The negation reader does not see it
(nothing in the first is negated in the second's words), and the classifier reads two sentences
that share most of their words as alike. The pattern is one of English reporting, not of a
story: a named person refuses / declines / would not say, confirm, disclose, reveal or comment
on something, and the other claim has that person saying, confirming or announcing it.
"""

from __future__ import annotations

import re
from typing import Protocol

from ..archive import speakers
from ..models import Claim, Reason
from .lexicon import content_stems, fold

_WHO = r"(?P<who>[A-Z][\w'’-]+)(?:\s*,[^,]{1,50},)?\s+"
REFUSAL_RE = re.compile(
    _WHO + r"(?P<verb>refused|declined|would not|wouldn't|did not|didn't|could not|couldn't|"
    r"would neither confirm nor deny|has not|had not)\s+(?:to\s+)?"
    r"(?:say|confirm|disclose|reveal|specify|comment on|answer|name|discuss)\b(?P<rest>[^.;]*)"
)
STATEMENT_RE = re.compile(
    r"\b(?:confirmed|said|says|announced|revealed|disclosed|stated|told\s+\w+|acknowledged)"
    r"\s+(?:that\s+)?(?P<rest>[^.;]*)"
)
# the words of the refusal itself say nothing about what was (not) said
NOT_CONTENT = frozenset({"which", "whether", "side", "what", "who", "how", "when"})
MIN_SHARED = 2


class _View(Protocol):
    text: str
    claim: Claim


def _refusal(text: str) -> tuple[str, str, set[str]] | None:
    m = REFUSAL_RE.search(text)
    if not m:
        return None
    return m.group("who"), m.group(0), set(content_stems(m.group("rest"))) - NOT_CONTENT


def _same(name: str, other: str) -> bool:
    a, b = fold(name), fold(other)
    if not a or not b:
        return False
    return a in b.split() or speakers.same_person(name, other.split()[-1])


def _statement(view: _View, who: str) -> tuple[str, set[str]] | None:
    """What `view` has `who` say: its statement's words, when the claim is theirs or names
    them as the one saying it."""
    mine = view.claim.kind != "unattributed" and _same(who, view.claim.speaker or "")
    for m in STATEMENT_RE.finditer(view.text):
        before = view.text[max(0, m.start() - 40) : m.start()]
        if mine or any(_same(who, w) for w in re.findall(r"[A-Z][\w'’-]+", before)):
            return m.group(0), set(content_stems(m.group("rest")))
    return None


def refusal_conflict(new: _View, old: _View) -> Reason | None:
    """One claim has a person refuse to say what the other has them say."""
    for refusing, stating in ((new, old), (old, new)):
        found = _refusal(refusing.text)
        if found is None:
            continue
        who, words, about = found
        said = _statement(stating, who)
        if said is None or len(about & said[1]) < MIN_SHARED:
            continue
        mine, theirs = (words, said[0]) if refusing is new else (said[0], words)
        return Reason(
            "negation",
            f"{who} would not say what the other report has them say",
            [mine],
            [theirs],
        )
    return None

"""Typed records passed between the pipeline's stages.

Every span is a pair of character offsets into the article text *as read* (after decoding and
newline normalisation, headline included), so that ``text[claim.start:claim.end] == claim.quote``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

KINDS = ("direct", "indirect", "unattributed")
VERDICTS = ("contradict", "agree", "novel")
FLAG_STATUSES = ("pending", "confirmed", "dismissed", "follow-up")


@dataclass
class Article:
    """An article as read from a file, standard input or a web form."""

    text: str
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    source_path: str | None = None
    id: int | None = None
    author: str | None = None  # the byline, when the page or batch line gives one
    # What makes a later version the same article, when the reader knows better than the URL or
    # the source path and outlet (a line of a JSON lines batch); see archive/articles.py.
    identity: str | None = None


@dataclass
class Claim:
    """One attributed claim: who said what, where in the source.

    ``speaker`` is the canonical name within the article (the fullest form of the name the
    article gives, or the outlet for ``unattributed`` claims); the store maps it onto a
    canonical speaker across articles.
    """

    speaker: str
    speaker_mention: str  # the words in the text that refer to the speaker ("He", "the minister")
    kind: str  # one of KINDS
    quote: str  # exactly text[start:end]
    assertion: str  # self-contained statement of what is claimed, pronouns resolved
    start: int
    end: int
    paragraph: int  # 0-based paragraph index (the headline is paragraph 0)
    co_speakers: list[str] = field(default_factory=list)  # joint statements
    cue: str | None = None  # the reporting verb or phrase ("said", "according to", ":")
    speaker_role: str | None = None  # "Ukrainian defence minister", when the text gives one
    # A sentence of a quotation of several sentences: the whole quotation's span (inside the
    # marks). Search and display show the whole (`whole_quotations`); checking judges each
    # sentence on its own.
    quotation: tuple[int, int] | None = None
    # Set once stored:
    id: int | None = None
    article_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SpeakerInfo:
    """A speaker as one article presents them."""

    name: str  # fullest form in the article, e.g. "Rustem Umerov"
    kind: str = "person"  # person | organisation | outlet | group
    role: str | None = None  # "Ukrainian defence minister"
    organisation: str | None = None
    mentions: list[str] = field(default_factory=list)  # every form seen: "Umerov", "the minister"


@dataclass
class Extraction:
    """What the extractor returns for one article."""

    claims: list[Claim]
    speakers: list[SpeakerInfo]


@dataclass
class Reason:
    """Why a pair of claims was judged as it was, in words an editor can check.

    ``new_terms`` / ``stored_terms`` are the conflicting words, so that a page can highlight them.
    """

    code: str  # "number", "negation", "antonym", "entity", "place", "stance", "similar", ...
    text: str  # human-readable: 'numbers differ: 500 vs 1,000'
    new_terms: list[str] = field(default_factory=list)
    stored_terms: list[str] = field(default_factory=list)


@dataclass
class StoredClaim:
    """A stored claim as the checker sees it: the claim plus its article's metadata."""

    claim: Claim
    speaker_id: int | None = None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass
class Match:
    """One stored claim related to a new claim, with the judge's relation for the pair."""

    stored: StoredClaim
    relation: str  # agree | contradict | related | unrelated
    score: float  # the judge's confidence in `relation`, 0..1
    similarity: float  # cosine similarity of the two embeddings
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class Verdict:
    """The checker's answer for one new claim."""

    claim: Claim
    verdict: str  # one of VERDICTS
    confidence: float
    matches: list[Match] = field(default_factory=list)  # best first


@dataclass
class CheckReport:
    """What a check of one article decided; the run, saved article and flag ids once recorded."""

    article: Article
    extraction: Extraction
    verdicts: list[Verdict]
    run_id: int | None = None
    saved_article_id: int | None = None
    flag_ids: list[int] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {"contradict": 0, "agree": 0, "novel": 0}
        for v in self.verdicts:
            out[v.verdict] = out.get(v.verdict, 0) + 1
        return out

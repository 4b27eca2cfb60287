"""What a claim says a named person or body *is*: an office, or a description with a nationality.

"Ukrainian defence minister Rustem Umerov" and "Rustem Umerov, the country's foreign minister"
give one person two portfolios; "Deep State, a Ukrainian analytical group" and "Deep State, a
pro-war Russian military blog" give one body two nationalities. Both are contradictions an
editor checks, whatever else the two sentences say, and neither depends on the story: the
patterns are those of English titles and appositions.

A title is read in four shapes — "defence minister Rustem Umerov", "Rustem Umerov, the
country's foreign minister", "Medinsky, who served as Russia's foreign minister", "the foreign
minister, Hakan Fidan" — as (name, office noun, portfolio words). Two titles conflict when the
names are one person (the speaker matcher's test, so "Medinskiy" is "Medinsky"), the office noun
is the same and the portfolio words share nothing ("defence" / "foreign"). Capitalised words
(nationalities, countries) are not portfolio words, and "former", "deputy" and the like are
left out, so "Ukraine's defence minister" and "defence minister" agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from ..archive import speakers
from ..models import Reason
from .lexicon import ALIASES, fold
from .measures import STOP as FUNCTION_WORDS

# Offices that come with a portfolio, so that one person holds one at a time: "defence
# minister" and "foreign minister" cannot both be true now; "Kremlin aide" and "presidential
# aide" can, so aides, advisers and titles without a portfolio are not read.
OFFICES = frozenset("minister secretary commissioner ambassador envoy".split())
# Posts one person holds instead of a ministry, read with or without a portfolio: "German
# President Friedrich Merz" is no chancellor, "Hakan Fidan, Turkey's intelligence chief" no
# foreign minister, "Umerov, their ambassador in Ankara" no defence minister.
# "Zelenskyy's chief of staff" runs the president's office: no minister either.
POSTS = frozenset("president vice-president chancellor ambassador chief".split()) | {
    "chief of staff"
}
# Staff and chamber posts: "the Kremlin's chief spokesman", "speaker of the Duma", "presidential
# aide" are each no minister and no other staff post, but one country has many aides and
# spokesmen, so these are never read as one office held by two people, and two of one kind
# ("Kremlin aide" / "presidential aide") never conflict over their wording.
STAFF = frozenset("aide adviser advisor spokesman spokeswoman spokesperson speaker".split())
# A British "foreign secretary" holds the office a "foreign minister" holds elsewhere; "prime"
# is the portfolio of a prime minister, so "UK prime minister" and "foreign secretary" are two
# offices of one kind for one person.
OFFICE_KIND = {
    "secretary": "minister",
    "advisor": "adviser",
    "adviser": "aide",
    "spokeswoman": "spokesman",
    "spokesperson": "spokesman",
}
# "Russia's deputy PM", "the premier": a prime minister, whose portfolio is "prime"
PRIME = frozenset({"pm", "premier"})
NOT_PORTFOLIO = frozenset(
    """former then current acting deputy vice senior chief top first the a an his her its
    their our country's nation's new ex one-time onetime erstwhile now currently days these
    today""".split()
)
_CAP = r"[A-ZÀ-ÖØ-ÝĀ-ſ][\w'’.-]*[a-zà-ÿ][\w'’-]*"
_NAME = rf"{_CAP}(?:\s+(?:(?:von|van|der|de|al|bin)\s+){{0,2}}{_CAP}){{0,3}}"
_OFFICE = (
    r"(?P<office>(?i:"
    + "|".join(sorted(OFFICES | POSTS | STAFF | {"premier"}, key=len, reverse=True))
    + r")|PM)\b"
)
TITLE_BEFORE_RE = re.compile(rf"(?P<mods>(?:\b[\w'’-]+\s+){{1,3}}?){_OFFICE},?\s+(?P<name>{_NAME})")
APPOSITION_RE = re.compile(
    rf"(?P<name>{_NAME})(?:(?:,|\s[—–])\s+"
    rf"(?:who\s+(?:served|serves|is|was|had been|has been)\s+(?:as\s+)?)?"
    # "Vladimir Medinsky was a former education minister" (an apposition the extractor
    # wrote out as its own claim) says what the apposition says
    # ("Rustem Umerov is Ukraine's deputy prime minister" likewise)
    # ("introduced Rustem Umerov as Ukraine's ambassador to Turkey" likewise)
    rf"|\s+(?:is|was|has been|had been|served as|serves as|as)\s+(?=(?:a|an|the)\s|{_CAP}['’]s\s))"
    # a colon ends an apposition: "Ursula von der Leyen, put it bluntly: one president ..."
    rf"(?P<body>[^,;:.()]{{3,100}})"
)
OFFICE_RE = re.compile(_OFFICE)
DESCRIBED_RE = re.compile(
    rf"(?P<name>{_NAME})(?:,|\s[—–])\s+(?:a|an|the)\s+(?P<desc>[^,;.()]{{3,80}})"
)
NATIONALITY_RE = re.compile(
    r"\b([A-Z][a-z]+(?:ian|ish|ese|ean|an|ic|i)|French|Dutch|Greek|Swiss|Thai)\b"
)
PRONOUNS = frozenset("he she it they we i you this that who there his her its".split())
NOT_NATIONALITY = frozenset({"Christian", "Republican", "Atlantic", "Pacific", "Arctic"})


@dataclass(frozen=True)
class Title:
    name: str  # as written
    office: str
    portfolio: frozenset[str]
    text: str  # the words as written, for the reason
    former: bool = False  # "former culture minister", "ex-president"
    country: str | None = None  # "Turkish foreign minister", "Turkey's foreign minister"


def _country(before: str) -> str | None:
    """The country the words right before a portfolio name ("Turkish", "Turkey's"), folded
    through the aliases so that both read "turkey"; None when there is none."""
    words = re.findall(r"[\w'’-]+", before)
    if not words:
        return None
    w = fold(words[-1]).replace("’", "'")
    if not (NATIONALITY_RE.fullmatch(words[-1]) or w.endswith("'s")):
        return None
    key = ALIASES.get(w, w.removesuffix("'s"))
    return key if key and key[0].isalpha() else None


def _portfolio(mods: str) -> tuple[frozenset[str], int]:
    """The portfolio words right before an office ("the country's foreign" -> {"foreign"}), and
    where in `mods` they start."""
    words = list(re.finditer(r"[\w'’-]+", mods))
    out: list[str] = []
    start = len(mods)
    for m in reversed(words):
        w = m.group(0)
        f = fold(w).replace("’", "'")
        if f in NOT_PORTFOLIO or f.endswith("'s") or f in FUNCTION_WORDS:
            break
        if NATIONALITY_RE.fullmatch(w) and w not in NOT_NATIONALITY:
            break
        out.append(f)
        start = m.start()
    return frozenset(out), start


def _former(mods: str) -> bool:
    """ "former culture minister"; in "one-time minister of culture and these days speaker"
    only the words since the last "and" or comma say whether the speaker's post is past."""
    mods = re.split(r",|\band\b|\bbut\b", mods)[-1]
    return bool(
        re.search(r"\b(?:former|ex|then|previously|once|one-time|onetime|erstwhile)\b", fold(mods))
    )


def _office(word: str, portfolio: frozenset[str]) -> tuple[str, frozenset[str]]:
    """The office noun as read ("PM" is a minister whose portfolio is "prime")."""
    office = fold(word)
    if office == "secretary" and portfolio == {"press"}:
        return "spokesman", frozenset()  # "Putin's press secretary" is his spokesman
    if office in PRIME:
        return "minister", portfolio | {"prime"}
    return office, portfolio


def _readable(office: str, portfolio: frozenset[str]) -> bool:
    return bool(portfolio) or office in POSTS or office in STAFF


def _kind(office: str) -> str:
    return OFFICE_KIND.get(office, office)


# "chief spokesman": the chief is the spokesman's rank, not an office of its own
CHIEF_OF_NOUN_RE = re.compile(r"\s+(?!of\b)[a-z]")
# A further apposition that says more of the same person: "Vladimir Medinsky, historian,
# one-time minister of culture and these days speaker of the Duma".
FURTHER_RE = re.compile(
    r",\s+(?!(?:and|but|while|who|which|as|when|where)\b)(?P<seg>[^,;.()]{3,100})"
)


# A body an office is "of", read as its portfolio: "president of the European Parliament" is
# not "European Commission President". Only bodies: "president of Ukraine" names a country.
BODY_AFTER_RE = re.compile(
    r"\s+of\s+the\s+(?:[A-Z][\w'’-]+\s+){0,3}?"
    r"(?P<body>Commission|Parliament|Council|Assembly|Bank|Court|Committee|Senate|Duma)\b"
)


def _appositions(text: str) -> list[re.Match[str]]:
    """APPOSITION_RE's matches, where one whose body is itself a name ("for Russia,
    Medinskiy, who is ...") lets that name start the next."""
    out, pos = [], 0
    while (m := APPOSITION_RE.search(text, pos)) is not None:
        out.append(m)
        pos = m.start("body") if re.match(_CAP, m.group("body")) else m.end()
    return out


@lru_cache(maxsize=4096)
def titles(text: str) -> tuple[Title, ...]:
    """Every (name, office, portfolio) the text states."""
    out = []
    for m in TITLE_BEFORE_RE.finditer(text):
        portfolio, at = _portfolio(m.group("mods"))
        office, portfolio = _office(m.group("office"), portfolio)
        if _readable(office, portfolio):
            start = m.start("mods") + at
            former = _former(m.group("mods"))
            country = _country(text[:start])
            out.append(
                Title(m.group("name"), office, portfolio, text[start : m.end()], former, country)
            )
    # "X, a presidential aide to Putin and former culture minister": every office in the
    # apposition, each with the words right before it.
    for m in _appositions(text):
        body = re.split(r"\bwho\b|\bwhich\b", m.group("body"))[0]
        segments = [(body, m.start("body"))]
        # only a description with no other name in it goes on ("Umerov, Russia's by Vladimir
        # Medinsky, an aide": the aide is Medinsky)
        if len(body) == len(m.group("body")) and not re.search(r"[A-Z]", body):
            end = m.end()
            while len(segments) < 3 and (f := FURTHER_RE.match(text, end)):
                if (
                    not OFFICE_RE.search(f.group("seg"))
                    or f.group("seg")[:1].isupper()
                    or re.search(r"\b(?:said|says|told|added|met|led|headed)\b", f.group("seg"))
                ):
                    break
                segments.append((f.group("seg"), f.start("seg")))
                end = f.end()
        for seg, seg_at in segments:
            for o in OFFICE_RE.finditer(seg):
                after = seg[o.end() :]
                if re.match(rf"\s+{_CAP}", after):
                    continue  # "..., German Chancellor Friedrich Merz": the next name's office
                if fold(o.group("office")) == "chief" and CHIEF_OF_NOUN_RE.match(after):
                    continue
                portfolio, at = _portfolio(seg[: o.start()])
                end = o.end()
                if not portfolio and (body_of := BODY_AFTER_RE.match(after)):
                    # "the president of the European Parliament": the body is the portfolio
                    portfolio, end = frozenset({fold(body_of.group("body"))}), end + body_of.end()
                office, portfolio = _office(o.group("office"), portfolio)
                if _readable(office, portfolio):
                    out.append(
                        Title(
                            m.group("name"),
                            office,
                            portfolio,
                            text[m.start() : seg_at + end],
                            _former(seg[: o.start()]),
                            _country(seg[:at]),
                        )
                    )
    # "He is Ukraine's defence minister": a pronoun is no name to compare
    return tuple(t for t in out if fold(t.name) not in PRONOUNS)


@lru_cache(maxsize=4096)
def nationalities(text: str) -> tuple[tuple[str, frozenset[str], str], ...]:
    """(name, nationality words, the apposition as written) for "X, a Ukrainian analytical
    group" and the like."""
    out = []
    for m in DESCRIBED_RE.finditer(text):
        # the description's own first words: "a pro-war Russian military blog", not a
        # nationality further on ("an aide to Putin who headed the Russian delegation")
        head = " ".join(m.group("desc").split()[:3])
        found = frozenset(n for n in NATIONALITY_RE.findall(head) if n not in NOT_NATIONALITY)
        if found:
            out.append((m.group("name"), found, m.group(0)))
    return tuple(out)


def _same(a: str, b: str) -> bool:
    return fold(a) == fold(b) or speakers.same_person(a, b)


def title_conflict(new_text: str, old_text: str) -> tuple[str, str] | None:
    """(new words, stored words) when one person holds two offices of one kind, or one named
    person or body is given two nationalities."""
    for a in titles(new_text):
        for b in titles(old_text):
            kind_a, kind_b = _kind(a.office), _kind(b.office)
            if not _same(a.name, b.name):
                continue
            if (
                kind_a == kind_b
                and kind_a not in STAFF
                and a.portfolio
                and b.portfolio
                and not a.portfolio & b.portfolio
            ):
                return a.text, b.text
            # a post against another office held now: "German President" / "German Chancellor",
            # "Turkey's intelligence chief" / "Turkish foreign minister"; the same post in other
            # words ("Commission chief" / "European Commission President") shares its portfolio
            if (
                kind_a != kind_b
                and {kind_a, kind_b} & (POSTS | STAFF)
                and not a.former
                and not b.former
                and not a.portfolio & b.portfolio
            ):
                return a.text, b.text
    for name_a, nat_a, text_a in nationalities(new_text):
        for name_b, nat_b, text_b in nationalities(old_text):
            if _same(name_a, name_b) and not nat_a & nat_b:
                return text_a, text_b
    return None


def _named_in(name: str, folded: str) -> bool:
    return any(len(w) > 2 and re.search(rf"\b{re.escape(w)}\b", folded) for w in fold(name).split())


def holder_conflict(new_text: str, old_text: str) -> tuple[str, str] | None:
    """(new words, stored words) when one country's office, named the same way, is held by two
    different people ("Turkey's foreign minister, Mevlüt Çavuşoğlu" / "Turkish foreign minister
    Hakan Fidan"). A former holder, or another rank ("deputy foreign minister"), is no conflict."""
    new_titles, old_titles = titles(new_text), titles(old_text)
    if not new_titles or not old_titles:
        return None  # most pairs: nothing to fold
    new_folded, old_folded = fold(new_text), fold(old_text)
    for a in new_titles:
        for b in old_titles:
            if a.former or b.former or not a.country or a.country != b.country:
                continue
            if _kind(a.office) != _kind(b.office) or _kind(a.office) in STAFF:
                continue
            if a.portfolio != b.portfolio or not (a.portfolio or a.office in POSTS):
                continue
            if _same(a.name, b.name) or _same(a.name.split()[-1], b.name.split()[-1]):
                continue
            # a name either text gives its holder elsewhere ("Ursula" / "von der Leyen")
            if _named_in(a.name, old_folded) or _named_in(b.name, new_folded):
                continue
            return a.text, b.text
    return None


class _Text(Protocol):
    text: str


def office_conflict(new: _Text, old: _Text) -> Reason | None:
    """The detector: one person in two offices, one named body of two nationalities, or one
    office held by two people."""
    found = title_conflict(new.text, old.text)
    if found is not None:
        a, b = found
        return Reason("role", f"role differs: {a} vs {b}", [a], [b])
    found = holder_conflict(new.text, old.text)
    if found is not None:
        a, b = found
        return Reason("role", f"another holder of the office: {a} vs {b}", [a], [b])
    return None


# A venue is a proper name ending in a capitalised kind of building: "the Dolmabahçe Palace",
# after "at", "in" or a copula ("the venue was the Yildiz Palace").
VENUE_NOUNS = (
    "Palace|Hotel|Stadium|Hall|Centre|Center|Square|Mosque|Cathedral|Castle|Mansion|Embassy|"
    "Airport|House|Tower|Arena|Residence|Villa|Fortress"
)
VENUE_RE = re.compile(
    rf"\b(?:at|in|inside|to|was|is|were)\s+(?:the\s+)?(?P<name>(?:{_CAP}\s+){{1,3}})(?P<noun>{VENUE_NOUNS})\b"
)
# Another gathering at the venue ("a dinner ... was held at the Çırağan Palace") is not the
# talks' venue.
OTHER_GATHERING_RE = re.compile(
    r"\b(?:dinner|lunch|breakfast|reception|banquet|ceremony|press conference|concert|match|"
    r"party|funeral|wedding|exhibition|gala|stayed|staying|hotel room)\b"
)


@lru_cache(maxsize=4096)
def venues(text: str) -> tuple[tuple[str, str, str], ...]:
    """(folded name, venue noun, as written) for "at the Dolmabahçe Palace"."""
    out = []
    for m in VENUE_RE.finditer(text):
        clause = re.split(r"[.;]", text[: m.start()])[-1]
        if OTHER_GATHERING_RE.search(fold(clause)):
            continue
        # "Istanbul's Dolmabahce Palace" is the Dolmabahçe Palace: the city it is in is no part
        # of its name
        words = fold(m.group("name")).split()
        while len(words) > 1 and words[0].endswith("'s"):
            words.pop(0)
        out.append((" ".join(words), fold(m.group("noun")), m.group(0).split(None, 1)[1]))
    return tuple(out)


def venue_conflict(new: _Text, old: _Text) -> Reason | None:
    """Two named venues of one kind for the same occasion ("the Çırağan Palace" vs "the
    Dolmabahçe Palace"), unless the new claim also names the stored one."""
    a_all, b_all = venues(new.text), venues(old.text)
    for name_a, noun_a, text_a in a_all:
        for name_b, noun_b, text_b in b_all:
            if noun_a != noun_b or name_a == name_b:
                continue
            if any(n == name_b for n, _, _ in a_all):
                return None
            return Reason("place", f"venue differs: {text_a} vs {text_b}", [text_a], [text_b])
    return None

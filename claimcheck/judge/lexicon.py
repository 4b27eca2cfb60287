"""Words the judge's detectors reason with: tokens, stems, aliases, polarity cues, antonyms.

Kept apart from the detectors so that an editor can read (and extend) the vocabulary without
reading the logic. Everything here is plain data and pure functions; nothing loads a model.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .antonyms import ANTONYMS  # noqa: F401  (the detectors read it from here)

WORD_RE = re.compile(r"\d[\d,.]*\d|\d|[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for from with without into onto about as than then
    that this these those there here it its it's he she they them their his her him we our us you
    your i me my is are was were be been being am has have had do does did will would shall should
    can could may might must also so such very just only even still yet again already more most
    less least much many some any all each both either neither nor not no never none who whom whose
    which what when where why how said says say told tells tell according added adds while whereas
    after before over under up down out off between among per one's own same other another
    mr mrs ms sir dr president minister prime foreign defence defense chancellor secretary
    head chief senior official officials""".split()
)

# Different words for the same referent, mapped to one key (applied before stemming).
ALIASES = {
    "russian": "russia",
    "russians": "russia",
    "moscow": "russia",
    "kremlin": "russia",
    "moscow's": "russia",
    "russia's": "russia",
    "ukrainian": "ukraine",
    "ukrainians": "ukraine",
    "kyiv": "ukraine",
    "kiev": "ukraine",
    "kyiv's": "ukraine",
    "ukraine's": "ukraine",
    "american": "us",
    "america": "us",
    "washington": "us",
    "u.s.": "us",
    "us": "us",
    "turkish": "turkey",
    "ankara": "turkey",
    "türkiye": "turkey",
    "turkiye": "turkey",  # as folded
    "european": "europe",
    "eu": "europe",
    "british": "uk",
    "britain": "uk",
    "polish": "poland",
    "french": "france",
    "german": "germany",
    "italian": "italy",
    "zelenskiy": "zelenskyy",
    "zelensky": "zelenskyy",
    "dolmabahce": "dolmabahce",
    "negotiations": "talks",
    "negotiation": "talks",
    "discussions": "talks",
    "session": "talks",
    "meeting": "talks",
    "talk": "talks",
    "exchange": "swap",
    "exchanges": "swap",
    "exchanged": "swap",
    "swapped": "swap",
    "swaps": "swap",
    "swapping": "swap",
    "trade": "swap",
    "prisoners": "prisoner",
    "captives": "prisoner",
    "captive": "prisoner",
    "pows": "prisoner",
    "pow": "prisoner",
    "truce": "ceasefire",
    "cease-fire": "ceasefire",
    "conversation": "call",
    "phoned": "call",
    "phone": "call",
    "weapons": "arms",
    "weapon": "arms",
    "team": "delegation",
    "delegations": "delegation",
    "delegation": "delegation",
    "negotiators": "delegation",
    "chaired": "chair",
    "chairs": "chair",
    "chairing": "chair",
    "headed": "lead",
    "led": "lead",
    "leads": "lead",
    "heads": "lead",
    "requested": "request",
    "requests": "request",
    "asked": "request",
    "ask": "request",
    # keeping one's word: "always honoured" is what "never respected" denies
    "honour": "respect",
    "honoured": "respect",
    "honours": "respect",
    "honouring": "respect",
    "honoring": "respect",
    "honor": "respect",
    "honored": "respect",
    "honors": "respect",
    "respected": "respect",
    "respects": "respect",
    "content": "satisfied",
    "pleased": "satisfied",
    "satisfaction": "satisfied",
}

ALIAS_KEYS = frozenset(ALIASES.values())


# Places the detectors know how to nest: a place is compatible with its ancestors.
def _gazetteer() -> tuple[dict[str, str], frozenset[str], dict[str, str], dict[str, str]]:
    """Countries, capitals and cities of 250,000 people or more, each with its country; each
    country's capital; a country's adjectives (GeoNames, CC BY 4.0; scripts/build_places.py)."""
    data = json.loads(Path(__file__).with_name("places.json").read_text(encoding="utf-8"))
    return data["parent"], frozenset(data["countries"]), data["capitals"], data["adjectives"]


GAZETTEER, COUNTRIES, CAPITALS, COUNTRY_ADJECTIVES = _gazetteer()
# Places a story names that no gazetteer of cities holds (palaces, towns), and the short names
# news uses; they win over the gazetteer.
STORY_PLACES = {
    "dolmabahce palace": "istanbul",
    "ciragan palace": "istanbul",
    "istanbul": "turkey",
    "antalya": "turkey",
    "ankara": "turkey",
    "tirana": "albania",
    "geneva": "switzerland",
    "riyadh": "saudi arabia",
    "jeddah": "saudi arabia",
    "abu dhabi": "uae",
    "minsk": "belarus",
    "kyiv": "ukraine",
    "moscow": "russia",
    "london": "uk",
    "paris": "france",
    "berlin": "germany",
    "vatican": "rome",
    "rome": "italy",
    "bucha": "ukraine",
    "kursk": "russia",
}
# Regions of the war that news names, spelt as it spells them (GeoNames holds only the larger
# cities). Kept apart from STORY_PLACES, whose words are never read as surnames.
REGIONS = {
    "belgorod": "russia",
    "bryansk": "russia",
    "crimea": "ukraine",
    "sevastopol": "crimea",
    "donetsk": "ukraine",
    "luhansk": "ukraine",
    "lugansk": "ukraine",
    "zaporizhzhia": "ukraine",
    "zaporizhia": "ukraine",
    "zaporozhye": "ukraine",
    "kherson": "ukraine",
    "mykolaiv": "ukraine",
    "dnipropetrovsk": "ukraine",
    "kharkiv": "ukraine",
    "sumy": "ukraine",
    "chernihiv": "ukraine",
    "odesa": "ukraine",
    "odessa": "ukraine",
    "poltava": "ukraine",
    "kirovohrad": "ukraine",
    "vinnytsia": "ukraine",
    "zhytomyr": "ukraine",
    "lviv": "ukraine",
}
PLACE_PARENT = {**GAZETTEER, **REGIONS, **STORY_PLACES}


def trie_pattern(words: frozenset[str] | set[str]) -> str:
    """One regular expression for many words, prefixes shared ("ka(?:bul|zan)"), so that
    matching thousands of place names costs what matching a few does. Longer words win."""
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


# Negation cues; multi-word ones first so that "no longer" wins over "no".
NEGATION_CUES = (
    "no longer",
    "failed to",
    "struggled to",
    "unable to",
    "not",
    "n't",
    "never",
    "no",
    "without",
    "neither",
    "nor",
    "none",
    "nothing",
    "nobody",
)
# Phrases that contain a cue word but negate nothing.
NOT_NEGATION = ("whether or not", "not only", "not for the first time", "no doubt", "if not")


# Nouns that name what kind of occasion a claim is about, for telling events apart.
TALKS_WORDS = frozenset({"talks", "delegation", "negotiator", "palace"})
OTHER_EVENT_WORDS = frozenset(
    {
        "debate",
        "hearing",
        "trial",
        "match",
        "game",
        "flight",
        "shift",
        "strike",
        "concert",
        "summit",
        "vote",
        "budget",
        "council",
        "union",
        "dispute",
        "petition",
        # a press briefing or an interview about the talks is another occasion
        "briefing",
        "interview",
        # and so is a phone call after them ("the call lasted about forty minutes")
        "call",
    }
)
# Words saying a claim is about another occasion than the stored one.
OTHER_OCCASION_RE = re.compile(
    r"\b(second|third|next|further|another|new|later|earlier|previous|upcoming|future)\s+"
    r"(?:\w+\s+)?(round|stage|session|meeting|talks|exchange|swap)s?\b|"
    r"\b(?:met|meet|spoke|spoken|speak|talked|called|phoned) again\b|"
    r"\bearlier this (year|month|week)\b|\blast (year|month|week)\b|\bnext (year|month|week)\b|"
    r"\ba (day|week|month) (after|before|earlier|later)\b|\bfirst stage\b|"
    r"\bthe last time\b",
    re.IGNORECASE,
)
PAST_MARKER = "previous"


def occasion_marker(text: str) -> str:
    """The word marking another occasion ("next", "again"), or ""; "earlier talks" and
    "previous talks" are one marker."""
    m = OTHER_OCCASION_RE.search(fold(text))
    if not m:
        return ""
    if m.group(0) == "the last time":
        return PAST_MARKER  # "the last time the two men faced each other": the earlier talks
    word = m.group(0).split()[0]
    return PAST_MARKER if word == "earlier" and not m.group(0).startswith("earlier this") else word


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case and strip accents ("Dolmabahçe" → "dolmabahce", "Çırağan" → "ciragan")."""
    if text.isascii():
        return text.lower()  # most words: nothing to strip, and fold runs for every word
    text = text.replace("ı", "i").replace("İ", "I").replace("’", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def stem(word: str) -> str:
    """A crude, predictable stem: the alias key when there is one, else the word without its
    inflection cut to six letters ("agreed", "agreement" → "agree")."""
    w = fold(word)
    if w.endswith("'s"):
        w = w[:-2]
    w = ALIASES.get(w, w)
    if w in ALIAS_KEYS:
        return w  # canonical keys are kept whole so that detectors can name them
    for suffix in ("ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            w = w[:-1] if w.endswith("eed") else w[: -len(suffix)]
            break
    return w.removesuffix("e")[:6]


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


# Phrasal verbs that say what one word says elsewhere ("brought up" a topic = "raised" it);
# the particle is a stopword, so without this the verb alone would be compared.
PHRASAL_VERBS = {
    "brought up": "raised",
    "bring up": "raise",
    "brings up": "raises",
    "bringing up": "raising",
    # a topic that "came up" was raised
    "come up": "raised",
    "came up": "raised",
    "comes up": "raised",
    "called off": "cancelled",
    "call off": "cancel",
    "turn up": "attend",
    "turned up": "attended",
    "show up": "attend",
    "showed up": "attended",
    "turned down": "rejected",
    "turn down": "reject",
    # a topic discussed, mentioned or on the table was raised: "the return of the children
    # had not been discussed" / "was never mentioned" / "not on the table" deny that it was
    # "brought up"
    "discussed": "raised",
    "discuss": "raise",
    "discussing": "raising",
    "mentioned": "raised",
    "on the table": "raised",
    # "Ukraine never asked for a meeting" denies that it "requested" one
    "asked for": "requested",
    "ask for": "request",
    "asks for": "requests",
    "asking for": "requesting",
}
# "came up with a plan" devised it: not a topic raised
PHRASAL_RE = re.compile(r"\b(" + "|".join(PHRASAL_VERBS) + r")\b(?! with\b)", re.IGNORECASE)


def _phrasal_as_words(text: str) -> str:
    return PHRASAL_RE.sub(lambda m: PHRASAL_VERBS[m.group(1).lower()], text)


def content_stems(text: str) -> list[str]:
    """Stems of the content words, in order (stopwords and one-letter tokens dropped)."""
    out = []
    text = _phrasal_as_words(text)
    for w in words(text):
        f = fold(w)
        if f in STOPWORDS or len(f) < 2:
            continue
        out.append(stem(w))
    return out


@dataclass(frozen=True)
class Clause:
    text: str
    negated: bool
    cue: str | None  # the negation cue as written
    focus: tuple[str, ...]  # stems of the words the negation applies to
    stems: frozenset[str]
    head: str | None = None  # the one stem the negation is about ("attack" in "no air attacks")


CLAUSE_SPLIT_RE = re.compile(r"[,;:—–()]|\.\s|\bbut\b|\bwhile\b|\bwhereas\b|\balthough\b")


def _find_cue(text: str) -> tuple[str, int] | None:
    low = fold(text)
    for phrase in NOT_NEGATION:
        low = low.replace(phrase, " " * len(phrase))
    best: tuple[str, int] | None = None
    for cue in NEGATION_CUES:
        pattern = r"n't\b" if cue == "n't" else r"\b" + re.escape(cue) + r"\b"
        m = re.search(pattern, low)
        if m and (best is None or m.start() < best[1]):
            best = (cue, m.end())
    return best


# A denial negates the proposition it reports: "the ministry denied that Kyiv had asked for a
# meeting", "rejected reports that ...", "claims that the delegation was low level are false".
DENIAL_RE = re.compile(
    r"\b(?:denied|denies|deny|denying|(?:rejected|dismissed|refuted) (?:the )?"
    r"(?:claims?|reports?|suggestions?|allegations?))(?: that\b| (?=\w+ing\b))"
)
FALSE_CLAIM_RE = re.compile(
    r"\b(?:claims?|reports?|suggestions?|allegations?) that (.+?) (?:is|are|was|were) "
    r"(?:false|untrue|wrong|baseless|not true)\b"
)


def _denial(part: str) -> tuple[str, str] | None:
    """(the denial as written, the proposition it denies) for a clause that reports one."""
    low = fold(part)
    m = FALSE_CLAIM_RE.search(low)
    if m:
        return part[m.start() : m.start(1)].strip(), part[m.start(1) : m.end(1)]
    m = DENIAL_RE.search(low)
    if m:
        return part[m.start() : m.end()].strip(), part[m.end() :]
    return None


def _denial_clause(part: str, stems: list[str]) -> Clause | None:
    """A reported denial as a negated clause about its proposition's predicate ("Kyiv had asked":
    the head is "ask", after the subject and its auxiliary). A denied negation ("claims that the
    US took no part are false") asserts the positive and is an ordinary clause."""
    found = _denial(part)
    if found is None:
        return None
    cue, proposition = found
    if _find_cue(proposition) is not None:
        return Clause(part, False, None, (), frozenset(stems))
    tokens = [fold(t) for t in WORD_RE.findall(_phrasal_as_words(proposition))]
    aux = next((i for i, t in enumerate(tokens[:5]) if t in AUXILIARIES or t in MODALS), None)
    after = tokens[aux + 1 :] if aux is not None else tokens
    focus = tuple(content_stems(proposition)[:3])
    return Clause(part, True, cue, focus, frozenset(stems), _negated_head(cue, " ".join(after)))


def clauses(text: str) -> list[Clause]:
    """Split a claim into clauses and note which are negated and what the negation covers."""
    out = []
    for part in CLAUSE_SPLIT_RE.split(text):
        part = part.strip()
        stems = content_stems(part)
        if not stems:
            continue
        denied = _denial_clause(part, stems)
        if denied is not None:
            out.append(denied)
            continue
        found = _find_cue(part)
        if found is None:
            out.append(Clause(part, False, None, (), frozenset(stems)))
            continue
        cue, end = found
        rest = _phrasal_as_words(fold(part)[end:].replace("'", " "))
        focus = tuple(content_stems(rest)[:3])
        out.append(Clause(part, True, cue, focus, frozenset(stems), _negated_head(cue, rest)))
    return out


NOUN_PHRASE_CUES = frozenset({"no", "without", "none", "neither", "nor"})
PHRASE_END = frozenset(
    """is was were are be been had has have reported recorded was did do does to of for on in at
    with by from that which who as because before after until""".split()
)
AUXILIARIES = frozenset("be been being have had has do did does get got".split())
EMPHASIS = frozenset("whatever whatsoever".split())  # "no satisfaction whatever"
# "never managed to conquer", "did not try to hide": the negation is about the verb after
LIGHT_VERBS = frozenset("manage managed manages try tried tries attempt attempted even to".split())
MODALS = frozenset("is was were are would will could can should might may must".split())


# "no word of support", "no sign of progress", "no mention of a swap": the noun after "of" is
# the one denied
PARTITIVES = frozenset(
    stem(w)
    for w in "word sign hint trace mention shred kind form expression offer promise talk".split()
)


def _negated_head(cue: str, rest: str) -> str | None:
    """For "no Russian air attacks reported", the noun phrase's last word ("attack"); for
    "did not attend", the first content word ("attend")."""
    tokens = WORD_RE.findall(rest)
    if cue in NOUN_PHRASE_CUES and [fold(t) for t in tokens[:2]] in (
        ["of", "which"],
        ["of", "whom"],
    ):
        # "none of which Russia holds in full": the relative clause's verb, past its subject
        rest_tokens = tokens[2:]
        return next(
            (
                stem(t)
                for t in rest_tokens
                if fold(t) not in STOPWORDS
                and fold(t) not in AUXILIARIES
                and fold(t) not in ALIASES
                and fold(t) not in ALIAS_KEYS
                and fold(t) not in PLACE_PARENT
            ),
            None,
        )
    if cue in NOUN_PHRASE_CUES:
        phrase: list[str] = []
        for t in tokens:
            f = fold(t)
            if f == "of" and phrase and phrase[-1] in PARTITIVES and len(phrase) == 1:
                phrase = []  # "no word of support": the support is what is denied
                continue
            if f in PHRASE_END or (phrase and f.endswith("ed")):
                break
            if f not in STOPWORDS and f not in EMPHASIS:
                phrase.append(stem(t))
        if phrase:
            return phrase[-1]
    for t in tokens:
        f = fold(t)
        if f not in STOPWORDS and f not in AUXILIARIES and f not in LIGHT_VERBS:
            return stem(t)
    return None

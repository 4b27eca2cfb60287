"""Canonical speakers across articles: one person, however the name is spelt.

Names are compared on a *folded* form: accents stripped, case dropped, honorifics and titles
removed, and common transliteration variants of Slavic names collapsed (Zelenskyy / Zelensky /
Zelenskiy / Zelenskii; Umerov / Umierov). Two person names are the same speaker when their
surnames agree after folding (or are within a small edit distance) and their given names, when
both have one, agree too: so "Vladimir Putin" and "Vladimir Medinsky" stay two people.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

# Words that qualify a name without being part of it. Lower-case, accent-free.
TITLES = frozenset(
    """
    president vice prime minister foreign defence defense finance chancellor secretary
    sir dame lord lady dr mr mrs ms miss prof professor general gen col colonel king queen
    prince princess pope senator sen rep representative mayor governor gov chief
    ambassador envoy aide spokesman spokeswoman spokesperson commissioner leader deputy
    state us uk german french polish turkish russian ukrainian european of the
    """.split()
)

# Words that place a group or body on a side: "Turkish officials" are never "Ukrainian officials".
NATIONALITIES = frozenset(
    """
    us uk eu american british english scottish welsh irish french german polish turkish russian
    ukrainian european chinese japanese korean indian pakistani iranian iraqi israeli
    palestinian syrian saudi egyptian belarusian georgian hungarian italian spanish dutch
    belgian swedish finnish norwegian danish swiss austrian czech slovak romanian bulgarian
    greek serbian croatian lithuanian latvian estonian moldovan canadian mexican brazilian
    african nato western kremlin moscow kyiv kiev washington london paris berlin ankara beijing
    """.split()
)
DETERMINERS = frozenset(
    "the a an this that these those his her their its our my your some several many".split()
)
# Nouns that describe a speaker by role or number, never name one: "officials", "the minister".
DESCRIPTION_NOUNS = frozenset(
    """
    official officials source sources person people spokesman spokeswoman spokesperson
    negotiator negotiators delegation team diplomat diplomats aide aides adviser advisers
    advisor advisors analyst analysts expert experts resident residents witness witnesses
    ministry government administration officer officers head director directors council
    authorities authority police military army spokesmen staff member members lawmaker
    lawmakers legislator legislators insider insiders observer observers
    """.split()
)

# Ordered rewrites that map transliteration variants onto one spelling.
_TRANSLIT = (
    (re.compile(r"(?:iy|yy|ii|ij|yi|y|i)(?=\b)"), "y"),  # -skyy/-skiy/-skii/-sky -> -sky
    (re.compile(r"ie"), "e"),  # Umierov -> Umerov
    (re.compile(r"ye"), "e"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"w"), "v"),  # Medwedew -> Medvedev
    (re.compile(r"(.)\1"), r"\1"),  # doubled letters
)


# Letters Unicode does not decompose into a base letter and an accent, so NFKD alone would keep
# "Łukasz" and "Lukasz", or "Kılıç" and "Kilic", apart.
_UNDECOMPOSED = str.maketrans("łŁıøØđĐħĦ", "lLioOdDhH") | str.maketrans(
    {"æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss"}
)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)  # the same names are compared again and again in a search
def normalise(text: str) -> str:
    """Lower-case, accent-free, punctuation-free, single-spaced."""
    text = strip_accents(text).casefold().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s-]", " ", text)
    return " ".join(text.replace("-", " ").split())


@lru_cache(maxsize=65536)
def fold_token(token: str) -> str:
    """A transliteration-insensitive key for one name token."""
    for pattern, repl in _TRANSLIT:
        token = pattern.sub(repl, token)
    return token


def name_tokens(name: str) -> list[str]:
    """The tokens of a name with titles and honorifics removed."""
    tokens = normalise(name).split()
    kept = [t for t in tokens if t not in TITLES]
    return kept or tokens


def folded_key(name: str) -> str:
    return " ".join(fold_token(t) for t in name_tokens(name))


def _tokens_match(a: str, b: str, threshold: float = 85.0) -> bool:
    fa, fb = fold_token(a), fold_token(b)
    if fa == fb:
        return True
    if min(len(fa), len(fb)) < 4:
        return False
    return fuzz.ratio(fa, fb) >= threshold


def same_person(a: str, b: str) -> bool:
    """Whether two person names denote the same person (surname and given name agree)."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    if not _tokens_match(ta[-1], tb[-1]):
        return False
    if len(ta) > 1 and len(tb) > 1:
        return (
            _tokens_match(ta[0], tb[0], threshold=75.0)
            or ta[0][0] == tb[0][0]
            and (len(ta[0]) <= 2 or len(tb[0]) <= 2)
        )
    return True


def same_organisation(a: str, b: str) -> bool:
    """Two bodies are one when their names agree; two sides ("German government", "French
    government") never are, though "State Department" is the "US State Department"."""
    side_a, side_b = sides(a), sides(b)
    if side_a and side_b and side_a != side_b:
        return False
    na, nb = folded_key(a), folded_key(b)
    return na == nb or fuzz.ratio(na, nb) >= 92.0


NAME_PARTICLES = frozenset(
    {
        "von",
        "van",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "la",
        "le",
        "al",
        "el",
        "bin",
        "ibn",
    }
)


def surname(name: str) -> str:
    """The surname with its particles: "Ursula von der Leyen" -> "von der Leyen"."""
    tokens = name.split()
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in NAME_PARTICLES:
        start -= 1
    return " ".join(tokens[start:])


def alias_forms(name: str, mentions: Iterable[str] = (), kind: str = "person") -> set[str]:
    """The aliases to record for a speaker: full name, surname (people only), mentions seen."""
    forms = {name.strip()}
    tokens = name.split()
    if is_person(kind) and len(tokens) > 1:
        forms.add(surname(name))
    for mention in mentions:
        mention = mention.strip()
        # A bare last word of an organisation's name ("Times", "force") names nothing; a
        # description ("the minister", "Officials") fits many people, so it is no alias of one.
        if (
            mention
            and mention[0].isupper()
            and (is_person(kind) or " " in mention)
            and kind != "group"
            and not is_description(mention)
            and not is_joint(mention)
        ):
            forms.add(mention)
    return {f for f in forms if f and normalise(f) not in {"he", "she", "they", "it", "we", "i"}}


@lru_cache(maxsize=65536)
def is_description(mention: str) -> bool:
    """Whether words describe a speaker ("the minister", "Moscow's chief negotiator",
    "Turkish officials") rather than name one ("Rustem Umerov", "President Zelenskyy")."""
    words = mention.replace("\u2019", "'").split()
    tokens = normalise(mention).split()
    if not tokens or not any(ch.isupper() for ch in mention):
        return True
    if tokens[0] in DETERMINERS or any(w.endswith("'s") for w in words[:-1]):
        return True
    if tokens[0] in {"he", "she", "they", "it", "we", "i", "him", "them"}:
        return True
    return all(t in TITLES or t in DESCRIPTION_NOUNS or t in NATIONALITIES for t in tokens)


def is_joint(mention: str) -> bool:
    """Whether words name several speakers at once ("Macron and Scholz"): no alias of one."""
    return bool(re.search(r"\band\b|&|,", mention))


def group_key(name: str) -> str:
    """Who a group is, every qualifier kept: "Turkish officials" -> "turkish official"."""
    tokens = [t for t in normalise(name).split() if t not in DETERMINERS]
    return " ".join(fold_token(t[:-1] if len(t) > 3 and t.endswith("s") else t) for t in tokens)


def sides(name: str) -> set[str]:
    """The nationality or side words of a name: {"turkish"} for "Turkish officials"."""
    return {t for t in normalise(name).split() if t in NATIONALITIES}


def same_group(a: str, b: str) -> bool:
    """Groups are one speaker only when every word agrees: "Officials" is not "Ukrainian
    officials", and "Turkish officials" is neither."""
    return bool(group_key(a)) and group_key(a) == group_key(b)


@dataclass
class SpeakerRecord:
    """A canonical speaker as kept in the store, for matching."""

    id: int
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)


def is_person(kind: str) -> bool:
    return kind == "person"


def match_speaker(
    name: str, kind: str, candidates: Iterable[SpeakerRecord]
) -> SpeakerRecord | None:
    """The stored speaker that `name` refers to, or None when it is someone new."""
    best: tuple[float, SpeakerRecord] | None = None
    key = folded_key(name)
    for cand in candidates:
        if is_person(kind) != is_person(cand.kind):
            # The extractor may type one name differently in two articles ("Kyiv" as a person,
            # "Keir Starmer" as a body); the very same name is still the same speaker.
            if group_key(name) == group_key(cand.name):
                return cand
            continue
        forms = [cand.name, *(a for a in cand.aliases if not is_description(a))]
        # A full name the speaker is known by (kept when two records were merged) decides.
        exact = any(key == folded_key(f) and len(name_tokens(f)) > 1 for f in forms)
        if is_person(kind):
            # Only full names decide identity; a bare surname alias must not merge two people
            # with the same surname but different given names.
            hit = exact or same_person(name, cand.name)
        elif "group" in (kind, cand.kind):
            hit = any(same_group(name, f) for f in forms)
        else:
            hit = any(same_organisation(name, f) for f in forms)
        if hit:
            score = 101.0 if exact else fuzz.ratio(key, folded_key(cand.name))
            if best is None or score > best[0]:
                best = (score, cand)
    return best[1] if best else None


def fuller_name(a: str, b: str) -> str:
    """Prefer the name with more tokens (a given name), then the longer spelling."""
    return max((a, b), key=lambda n: (len(name_tokens(n)), len(n)))


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by one inserted, deleted or (in words of 5 letters or more)
    changed letter: "leyn" / "leyen", "Zelensly" / "Zelensky"; never "Tusk" / "Musk"."""
    if a == b or abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 4 or a[0] != b[0]:
        return a == b
    if len(a) == len(b):
        return len(a) >= 5 and sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _token_score(query: str, token: str) -> float:
    fq, fs = fold_token(query), fold_token(token)
    if fq == fs:
        return 100.0
    # "i" and "y" spell the same sound in transliterated names: Volodimir / Volodymyr.
    if fq.replace("y", "i") == fs.replace("y", "i"):
        return 95.0
    if _one_edit(query, token) or _one_edit(fq, fs):
        return 90.0
    if min(len(fq), len(fs)) >= 4:
        return fuzz.ratio(fq, fs)
    return 0.0


def query_matches(query: str, speaker_name: str, aliases: Iterable[str]) -> float:
    """How well a search query names this speaker, 0..100 (0 = not this speaker).

    A query may be a surname alone, a full name, a misspelling (one letter off: "Volodimir",
    "von der leyn") or a transliteration variant. Each query token must match some token of the
    speaker's names; descriptions once stored as aliases ("the minister") name nobody.
    """
    q_tokens = name_tokens(query)
    if not q_tokens:
        return 0.0
    names = [
        speaker_name,
        *(a for a in aliases if a and not is_description(a) and not is_joint(a)),
    ]
    s_tokens = {t for n in names for t in name_tokens(n)}
    if not s_tokens:
        return 0.0
    total = 0.0
    for qt in q_tokens:
        best = max(_token_score(qt, st) for st in s_tokens)
        if best < 80.0:
            return 0.0
        total += best
    return total / len(q_tokens)


def suggestions(query: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """Names close to what was typed, for a "did you mean" when nothing matched."""
    key = normalise(query)
    if not key:
        return []
    choices = {n: normalise(n) for n in names if n}
    scored: dict[str, float] = {}
    for name, norm in choices.items():
        score = max(
            fuzz.WRatio(key, norm),
            max((fuzz.ratio(key, t) for t in norm.split()), default=0.0),
        )
        if score >= 70.0:
            scored[name] = max(score, scored.get(name, 0.0))
    return sorted(scored, key=lambda n: (-scored[n], n))[:limit]

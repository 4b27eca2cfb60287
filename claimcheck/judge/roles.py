"""Who a claim names, and in what role: the people detectors.

`names_at` / `surnames` read the people a text names; the detectors compare who chaired the
talks, who headed each side's team, who signed a joint statement or stands in a listed group
(`list_person_conflict`), and which side asked for the leaders' meeting (`role_swap`). A name
spelt another way ("Umierov" / "Umerov") is one person through the speaker matcher.
"""

from __future__ import annotations

import re
from typing import Protocol

from ..archive import speakers
from ..models import Claim, Reason
from .lexicon import ALIAS_KEYS, ALIASES, STOPWORDS, STORY_PLACES, content_stems, fold
from .lists import swapped_member
from .locations import PLACE_NAMES
from .locations import surface as _surface


class ClaimView(Protocol):
    """What these detectors read of a claim (`detectors.ClaimView` has it)."""

    claim: Claim
    text: str
    folded: str
    speaker_key: str
    surnames: set[str]


PARTIES = {"russia": "Russia", "ukraine": "Ukraine"}
NAME_RE = re.compile(r"\b[A-Z][\w’'-]+(?:\s+(?:von der\s+)?[A-Z][\w’'-]+)*")
NOT_NAMES = frozenset(
    """turkish president foreign minister prime defence defense chancellor secretary state
    commission european union the he she they it in on at a an and but if ukrainian russian
    kremlin moscow kyiv ukraine russia us uk eu palace council government air force sir mr
    general january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday meanwhile earlier later
    hours live updates talks previous head who what why how did yes no united states kingdom
    nations""".split()
)


# Words of the story's own places are no surnames ("Dolmabahçe"); the gazetteer's are left out
# of this, or "Austin" and "Houston" would stop being names.
PLACE_WORDS = frozenset(w for p in [*STORY_PLACES, *STORY_PLACES.values()] for w in p.split())
NOT_SURNAMES = frozenset(ALIASES) | ALIAS_KEYS | PLACE_WORDS | STOPWORDS


def surnames(text: str) -> set[str]:
    """Last names of the people a text names. A lone capitalised word opening a sentence
    ("Air-raid alerts sounded") is not taken for a name: capitals prove nothing there."""
    return {name for _, name in names_at(text)}


def names_at(text: str) -> list[tuple[int, str]]:
    """(offset, last name) of every person `text` names, in order (see `surnames`)."""
    out = []
    for m in NAME_RE.finditer(text):
        # "Friday's talks": the possessive does not make a weekday a name.
        tokens = [t for t in m.group(0).split() if fold(t).removesuffix("'s") not in NOT_NAMES]
        opens_sentence = (
            not text[: m.start()].strip() or text[: m.start()].rstrip()[-1] in '.:!?"“('
        )
        if not tokens or (opens_sentence and len(m.group(0).split()) == 1):
            continue
        last = fold(tokens[-1]).removesuffix("'s")
        # "Turkey-brokered" names a country, "F-16" a machine: neither is a person.
        if any(c.isdigit() for c in last) or set(last.split("-")) & NOT_SURNAMES:
            continue
        out.append((m.start(), last))
    return out


ROLE_PATTERNS = {
    "chair": re.compile(r"\bchair(?:ed|s|ing)?\b|\bin the chair\b"),
    "lead": re.compile(
        r"\b(?:led|headed|heads|leads|head of|leader of|was led by|was headed by)\b"
    ),
    "joint statement": re.compile(r"\bjoint statement with\b"),
}
# what a side sends to the talks, for "who led it"
DELEGATION_STEMS = frozenset({"delegation", "team"})
MEETING_LED_BY_RE = re.compile(r"\b(?:was|were) (?:led|headed) by\b|\bpresided over by\b")


def _role_people(view_: ClaimView, role: str) -> tuple[set[str], str] | None:
    """The person filling `role` in the claim, and the side (for delegation leads).

    "chaired by X" / "was led by X": the first name after; "X chaired": the nearest name
    before; "X, a presidential aide to Putin who headed ...": the name the apposition is about.
    """
    segments = [seg for seg in re.split(r"(?<=[,;:])\s*", view_.text) if seg.strip()]
    for k, seg in enumerate(segments):
        m = ROLE_PATTERNS[role].search(fold(seg))
        if not m and role == "chair" and "delegation" not in view_.folded:
            m = MEETING_LED_BY_RE.search(fold(seg))  # "The meeting ... was led by X": its chair
        if not m:
            continue
        side = ""
        if role == "lead":
            seg_stems = set(content_stems(seg))
            if not seg_stems & DELEGATION_STEMS and k > 0:
                # "The Kremlin's team was finally announced, headed by Sergei Shoigu"
                seg_stems = set(content_stems(segments[k - 1]))
            parties = [p for p in ("russia", "ukraine") if p in seg_stems]
            if not seg_stems & DELEGATION_STEMS or len(parties) != 1:
                continue
            side = parties[0]
        after = fold(seg)[m.end() :].lstrip()
        names = names_at(seg)
        if m.group(0).endswith(" by") or after.startswith("by "):
            chosen = [n for pos, n in names if pos > m.start()][:1]
            if not chosen and k + 1 < len(segments):
                # "chaired by Turkey's intelligence chief, Ibrahim Kalin": the name follows
                # the title, in the apposition
                chosen = [n for _, n in names_at(segments[k + 1])][:1]
        elif re.match(r"\s*(a|an|the|who)\b", fold(seg)) and k > 0:
            # the name the apposition is about, over one more apposition without a name
            # ("Mikhail Galuzin, a deputy foreign minister, who headed the Russian delegation")
            previous = names_at(segments[k - 1])
            if not previous and k > 1 and re.match(r"\s*(a|an|the)\b", fold(segments[k - 1])):
                previous = names_at(segments[k - 2])
            chosen = [previous[0][1]] if previous else []
        else:
            chosen = [n for pos, n in names if pos < m.start()][-1:]
            if not chosen and m.group(0) in ("head of", "leader of"):
                # "The leader of the Russian team was Sergei Lavrov"
                chosen = [n for pos, n in names if pos > m.start()][:1]
            if not chosen:
                # "Lavrov headed the Russian delegation": a lone name opening the sentence,
                # which `names_at` does not trust on its own, is the verb's subject here
                first = re.match(r"\s*([A-Z][\w’'-]+)\s", seg)
                between = fold(seg)[first.end() : m.start()].strip() if first else "x"
                if first and _is_person_word(first.group(1)) and between in ("", "had", "has"):
                    chosen = [name_key(first.group(1))]
        if not chosen and role == "chair":
            chosen = [n for pos, n in names][:1]
        if chosen:
            return set(chosen), side
    return None


def _joint_list(view_: ClaimView) -> set[str]:
    m = ROLE_PATTERNS["joint statement"].search(view_.folded)
    if not m:
        return set()
    return surnames(view_.text[m.end() :])


# Between two names of one list: a comma, "and", or a title that belongs to the next name
# ("Merz and Poland's president, Andrzej Duda").
LIST_GAP_RE = re.compile(
    r"\s*,\s*(?:and\s+)?(?:the\s+)?|,?\s+(?:and|&)\s+(?:the\s+)?|"
    r",?\s+(?:the\s+)?(?:president|prime minister|premier|chancellor|foreign minister|leader|"
    r"head of state)\s*,?\s+"
)
MIN_LISTED = 3


def name_key(word: str) -> str:
    """A name word as names are compared: folded, without a possessive ("Putin’s" -> "putin")."""
    return fold(word).removesuffix("'s")


def _is_person_word(word: str) -> bool:
    w = name_key(word)
    return (
        len(w) > 2
        and not any(c.isdigit() for c in w)
        and w not in NOT_NAMES
        and w not in NOT_SURNAMES
        and w not in PLACE_NAMES
        and not set(w.split("-")) & NOT_SURNAMES
    )


def person_lists(text: str) -> list[list[str]]:
    """The last names of every list of three or more people in `text`:
    "Starmer, Macron, Scholz and Tusk", "French President Emmanuel Macron, German Chancellor
    Friedrich Merz and Polish Prime Minister Donald Tusk". Places and countries in the run
    ("Poland's president") are read past, not counted."""
    out: list[list[str]] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        people = [
            name_key(m.group(0).split()[-1]) for m in run if _is_person_word(m.group(0).split()[-1])
        ]
        if len(people) >= MIN_LISTED:
            out.append(people)

    for m in NAME_RE.finditer(text):
        if run and not LIST_GAP_RE.fullmatch(text[run[-1].end() : m.start()]):
            close()
            run = []
        run.append(m)
    if run:
        close()
    return out


def _all_names(view_: ClaimView) -> set[str]:
    names = {name_key(m.group(0).split()[-1]) for m in NAME_RE.finditer(view_.text)}
    if view_.claim.kind != "unattributed" and view_.speaker_key:
        names.add(view_.speaker_key)
    return names


def _named(name: str, names: set[str]) -> bool:
    return name in names or any(
        len(n) > 3 and n[:1] == name[:1] and speakers.same_person(name, n) for n in names
    )


def list_person_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    """Two lists of three or more people that share at least two, where each names someone the
    other text does not name at all ("Starmer, Macron, Scholz and Tusk" / "... Macron, German
    Chancellor Friedrich Merz and Polish Prime Minister Donald Tusk"): another person among the
    same group. A list that only adds someone, or a name spelt another way, is no conflict."""
    old_lists = person_lists(old.text)
    if not old_lists:
        return None
    new_lists = person_lists(new.text)
    if not new_lists:
        return None
    new_names, old_names = _all_names(new), _all_names(old)
    found = swapped_member(
        new_lists,
        old_lists,
        lambda x, members: _named(x, set(members)),
        lambda x: _named(x, old_names),
        lambda y: _named(y, new_names),
    )
    if found is None:
        return None
    x, y = _surface(new.text, found[0]), _surface(old.text, found[1])
    return Reason(
        "person", f"another person in the same group: {x} where the stored list has {y}", [x], [y]
    )


def person_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    """Another person in the same role: the chair, or a joint statement's co-signatories."""
    a_list, b_list = _joint_list(new), _joint_list(old)
    if a_list and b_list:
        extra, missing = a_list - b_list, b_list - a_list
        same = {x for x in extra for y in missing if speakers.same_person(x, y)}
        same |= {y for y in missing for x in extra if speakers.same_person(x, y)}
        extra, missing = extra - same, missing - same
        if extra and missing:
            a, b = sorted(extra)[0], sorted(missing)[0]
            return Reason(
                "person",
                f"person differs: {_surface(new.text, a)} vs {_surface(old.text, b)}",
                [_surface(new.text, a)],
                [_surface(old.text, b)],
            )
    return _role_conflict(new, old, ("chair",))


def lead_conflict(new: ClaimView, old: ClaimView) -> Reason | None:
    """Another person heading the same side's delegation (the side anchors the comparison)."""
    return _role_conflict(new, old, ("lead",))


def _role_conflict(new: ClaimView, old: ClaimView, roles: tuple[str, ...]) -> Reason | None:
    for role in roles:
        a = _role_people(new, role)
        b = _role_people(old, role)
        if not a or not b:
            continue
        if a[1] != b[1]:
            if role == "lead" and a[1] and b[1] and (a[0] & b[0]):
                # one person at the head of the other side's team: "a Ukrainian team headed
                # by Medinsky" against "Medinsky ... headed the Russian delegation"
                x = sorted(a[0] & b[0])[0]
                return Reason(
                    "roles",
                    f"roles swapped: {_surface(new.text, x).title()} heads {PARTIES[a[1]]}'s "
                    f"delegation vs {PARTIES[b[1]]}'s",
                    [_surface(new.text, x)],
                    [_surface(old.text, x)],
                )
            continue
        if a[0] & b[0] or a[0] & old.surnames or b[0] & new.surnames:
            continue
        if any(speakers.same_person(x, y) for x in a[0] for y in b[0]):
            continue  # one person in two transliterations ("Umierov" / "Umerov")
        x, y = sorted(a[0])[0], sorted(b[0])[0]
        what = "chair" if role == "chair" else f"head of the {PARTIES[a[1]]} delegation"
        return Reason(
            "person",
            f"person differs ({what}): {_surface(new.text, x).title()} vs "
            f"{_surface(old.text, y).title()}",
            [_surface(new.text, x)],
            [_surface(old.text, y)],
        )
    return None


REQUEST_RE = re.compile(
    r"\b(?:requested|asked for|asked that|asked to|asking for|called for|sought|requesting|"
    r"proposed|proposing|suggested|tabled|put forward|initiated|request for|the idea of|"
    r"begged for|pleaded for|pressed for|pushed for|lobbied for)\b"
)
CONTRAST_RE = re.compile(r",?\s+(?:and\s+)?not\s+(?:by\s+)?(?:the\s+)?[\w'’]+(?:\s+side)?\s*,?")


PASSIVE_AGENT_RE = re.compile(r"\s+by\s+(?:the\s+)?([\w'’-]+(?:\s+[\w'’-]+)?)")


def _requester(view_: ClaimView) -> tuple[str, str] | None:
    """(side, "talks") when the claim says which side asked for or proposed the leaders'
    meeting: "the Ukrainian side had requested", "it was Moscow, not Kyiv, that tabled the
    request", "a meeting ..., which Moscow had requested"."""
    low = CONTRAST_RE.sub(" ", fold(view_.text))  # "Moscow, not Kyiv," names one side
    for m in REQUEST_RE.finditer(low):
        # the side is the asking verb's own subject: not a party named before a clause
        # boundary ("Putin continued striking Ukraine and proposed a meeting")
        start = max(low.rfind(b, 0, m.start()) for b in (". ", " and ", " but ", ";", ":"))
        sides = [s for s in content_stems(low[max(start, 0) : m.start()])[-6:] if s in PARTIES]
        # the passive names its agent after the verb: "had been put forward by Moscow's
        # delegation", "a meeting requested by the Russian side"
        if (by := PASSIVE_AGENT_RE.match(low, m.end())) is not None:
            agent = [s for s in content_stems(by.group(1)) if s in PARTIES]
            sides = agent[:1] or sides
        before = content_stems(low[max(low.rfind(". ", 0, m.start()), 0) : m.start()])
        after = content_stems(low[m.end() :])[:6]
        if sides and ({"talks", "meet", "summit"} & {*after, *before[-8:]}):
            return sides[-1], "talks"
    return None


def role_swap(new: ClaimView, old: ClaimView) -> Reason | None:
    a, b = _requester(new), _requester(old)
    if a and b and a[1] == b[1] and a[0] != b[0]:
        return Reason(
            "roles",
            f"roles swapped: {PARTIES[a[0]]} vs {PARTIES[b[0]]} requested the meeting",
            [PARTIES[a[0]]],
            [PARTIES[b[0]]],
        )
    return None


# "Kyiv's maximalist territorial demands" against "Moscow's maximalist territorial demands": the
# same thing, owned by the other side.
_SIDE_OF = {
    "kyiv": "ukraine",
    "ukraine": "ukraine",
    "moscow": "russia",
    "russia": "russia",
    "kremlin": "russia",
}
_POSSESSIVE_RE = re.compile(r"\b(kyiv|ukraine|moscow|russia|the kremlin|kremlin)['’]s\s+([^,.;:]+)")


def _owned(text: str) -> dict[tuple[str, ...], dict[str, str]]:
    """{the first two content stems after a side's possessive: {side: the words as written}}."""
    out: dict[tuple[str, ...], dict[str, str]] = {}
    folded = fold(text)
    for m in _POSSESSIVE_RE.finditer(folded):
        stems = tuple(content_stems(m.group(2))[:2])
        if len(stems) == 2:
            side = _SIDE_OF[m.group(1).removeprefix("the ")]
            same_length = len(folded) == len(text)  # else the folded words are shown
            words = (text if same_length else folded)[m.start() : m.end()].split()
            out.setdefault(stems, {})[side] = " ".join(words[:4])
    return out


def possessor_swap(new: ClaimView, old: ClaimView) -> Reason | None:
    """The same two-word thing owned by the other side, and never by the same one."""
    mine, theirs = _owned(new.text), _owned(old.text)
    for thing, sides in mine.items():
        other = theirs.get(thing, {})
        if len(sides) == 1 and len(other) == 1 and sides.keys() != other.keys():
            a_words, b_words = next(iter(sides.values())), next(iter(other.values()))
            return Reason(
                "roles",
                f"roles swapped: {a_words} vs {b_words}",
                [a_words],
                [b_words],
            )
    return None

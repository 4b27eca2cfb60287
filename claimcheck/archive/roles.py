"""A speaker the article calls only by role ("The mayor said") is the person it names in that role.

"The mayor of Ashby Vale, Helen Carter, opened the meeting ... The mayor said" is Helen Carter
speaking, not a speaker called "Mayor". The extractor links a description to a name it has
parsed as a speaker; a name given only in a sentence that quotes nobody reaches the archive as the
bare role. Before an article's speakers are stored or matched, each such role is looked up in the
article's own text: when the article names exactly one person in that role ("mayor ..., Helen
Carter", "Mayor Helen Carter", "Helen Carter, the mayor"), the role is that person. When it names
none, or two different people, the role is left as it is rather than guessed.
"""

from __future__ import annotations

import re

from ..models import Extraction, SpeakerInfo
from . import speakers as sp

# Singular nouns for one office or job: a bare "the mayor" stands for one person.
ROLE_NOUNS = frozenset(
    """
    mayor minister president chancellor secretary spokesman spokeswoman spokesperson governor
    ambassador envoy commissioner negotiator premier leader director chairman chairwoman chair
    ceo judge senator aide adviser advisor prosecutor sheriff coach manager captain headteacher
    principal superintendent commander general chief editor treasurer
    """.split()
)
_PARTICLES = r"(?:(?:von|van|der|den|de|del|della|di|da|la|le|al|el|bin|ibn)\s+)*"
_CAP = r"[A-Z][\w'’.-]*[a-z][\w'’-]*"  # a capitalised word with a lower-case letter: not "US"
_NAME = rf"{_CAP}(?:\s+{_PARTICLES}{_CAP}){{1,3}}"
# Capitalised words a sentence may begin with that are not part of a name before a comma.
_NOT_NAME = frozenset(
    """the a an on in at by for from with and but after before when while as on monday tuesday
    wednesday thursday friday saturday sunday january february march april may june july august
    september october november december""".split()
)


def role_of(info: SpeakerInfo) -> str | None:
    """The office a speaker's name only describes ("Mayor" -> "mayor"), or None for a name."""
    if info.kind not in ("group", "organisation", "person"):
        return None
    tokens = [t for t in sp.normalise(info.name).split() if t not in sp.DETERMINERS]
    if not tokens or tokens[-1] not in ROLE_NOUNS:
        return None
    if all(t in sp.TITLES or t in ROLE_NOUNS or t in sp.NATIONALITIES for t in tokens):
        return tokens[-1]
    return None


def _patterns(role: str) -> list[re.Pattern[str]]:
    word = rf"(?i:{re.escape(role)})"
    qualifier = rf"(?:\s+(?:of|for|at)\s+(?:the\s+)?{_CAP}(?:\s+(?:of\s+)?{_CAP})*\s*,|\s*,)?"
    return [
        # "The mayor of Ashby Vale, Helen Carter", "Mayor Helen Carter", "the minister, Ann Lee"
        re.compile(rf"\b{word}\b{qualifier}\s+(?P<name>{_NAME})"),
        # "Helen Carter, the mayor of Ashby Vale", "Helen Carter, Ashby Vale's mayor"
        re.compile(
            rf"(?P<name>{_NAME}),\s+(?:(?:the|a|its|their)\s+)?(?:[\w'’-]+\s+){{0,3}}?{word}\b"
        ),
    ]


def _clean_name(raw: str) -> str | None:
    words = raw.split()
    while words and (words[0].lower() in _NOT_NAME or words[0].lower() in sp.TITLES):
        words.pop(0)
    return " ".join(words) if len(words) >= 2 else None


def people_in_role(text: str, role: str) -> list[str]:
    """The people `text` names in `role`, one spelling each (the fullest), in order of first use."""
    found: list[str] = []
    for pattern in _patterns(role):
        for m in pattern.finditer(text):
            name = _clean_name(m.group("name"))
            if name is None or sp.is_description(name):
                continue
            same = next((i for i, f in enumerate(found) if sp.same_person(f, name)), None)
            if same is None:
                found.append(name)
            else:
                found[same] = sp.fuller_name(found[same], name)
    return found


def resolve_roles(text: str, extraction: Extraction) -> dict[str, str]:
    """Rename speakers known only by their role to the person the article names in that role;
    a role left unnamed is a group, never a person.

    Changes `extraction` in place (its speakers and their claims) and returns {old: new name}.
    """
    renamed: dict[str, str] = {}
    for info in list(extraction.speakers):
        role = role_of(info)
        if role is None:
            continue
        people = people_in_role(text, role)
        if len(people) != 1:
            continue  # unnamed, or two people in one role: which one spoke is not known
        old, person = info.name, people[0]
        same = next(
            (
                s
                for s in extraction.speakers
                if s is not info and sp.is_person(s.kind) and sp.same_person(s.name, person)
            ),
            None,
        )
        if same is not None:  # the person speaks elsewhere in the article too: one speaker
            extraction.speakers.remove(info)
            same.role = same.role or old
            same.mentions.extend(info.mentions)
            person = same.name
        else:
            info.role = info.role or old
            info.name, info.kind = person, "person"
        renamed[old] = person
    for claim in extraction.claims:
        if claim.speaker in renamed:
            claim.speaker_role = claim.speaker_role or claim.speaker
            claim.speaker = renamed[claim.speaker]
    for info in extraction.speakers:
        if sp.is_person(info.kind) and sp.is_description(info.name):
            # A role nobody in the article fills ("The minister") is no one person: as a group
            # it never takes another article's named minister's identity.
            info.kind = "group"
    return renamed

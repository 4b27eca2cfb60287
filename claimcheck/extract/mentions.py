"""Within one article, turn the words that name a speaker into a canonical speaker.

"Umerov", "He", "the minister" and "Ukrainian defence minister Rustem Umerov" all become
"Rustem Umerov": the fullest form of the name the article gives, honorifics dropped, with the
role remembered from the words around the name. Groups keep their head noun and its
modifiers ("Ukrainian officials familiar with the talks" -> "Ukrainian officials"); a person,
group or document of a named body keeps the body ("a spokesman for Disney" -> "Disney
spokesman", see :mod:`claimcheck.extract.sources`).
Merging speakers across articles is :mod:`claimcheck.archive.speakers`' job, not this module's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from claimcheck.extract import sources

TITLE_WORDS = frozenset(
    """president presidents minister ministers prime chancellor secretary foreign defence defense
    sir dame mr mrs ms miss dr lord lady king queen prince princess general gen colonel col
    leader chief aide spokesman spokeswoman spokesperson ambassador envoy governor mayor
    senator sen rep representative judge commissioner head director adviser advisor
    presidential deputy vice state premier pope cardinal archbishop bishop rev captain capt
    lieutenant major sergeant admiral marshal officer councillor council chairman chairwoman
    chair ceo founder professor prof finance interior justice health economy opposition
    democrat republican councilman councilwoman congressman congresswoman assemblyman
    assemblywoman comptroller sheriff treasurer attorney superintendent""".split()
)
# Words that make a definite noun phrase refer to a person ("the minister", "Moscow's chief
# negotiator"), with the words in a role or context that count as evidence for each.
ROLE_EVIDENCE = {
    "minister": {"minister"},
    "president": {"president", "leader"},
    "leader": {"leader", "president", "prime", "chancellor", "premier"},
    "negotiator": {"negotiator", "delegation", "team", "led", "headed", "sent", "talks"},
    "envoy": {"envoy", "delegation", "sent"},
    "chancellor": {"chancellor"},
    "spokesman": {"spokesman", "spokeswoman", "spokesperson"},
    "spokeswoman": {"spokesman", "spokeswoman", "spokesperson"},
    "aide": {"aide", "adviser", "advisor"},
    "premier": {"premier", "prime"},
    "chief": {"chief", "head", "led", "headed"},
}
# Place and adjective forms that name the same side ("Moscow's", "Russian", "the Kremlin").
_PLACE_SIDE = {
    "moscow": "russia", "kremlin": "russia", "russian": "russia", "russia": "russia",
    "kyiv": "ukraine", "kiev": "ukraine", "ukrainian": "ukraine", "ukraine": "ukraine",
    "washington": "us", "american": "us", "us": "us", "u.s.": "us", "white": "us",
    "london": "uk", "british": "uk", "uk": "uk", "paris": "france", "french": "france",
    "berlin": "germany", "german": "germany", "ankara": "turkey", "turkish": "turkey",
    "beijing": "china", "chinese": "china", "brussels": "eu", "european": "eu",
}  # fmt: skip
HONORIFICS = frozenset({"sir", "dame", "mr", "mrs", "ms", "miss", "dr", "lord", "lady", "mr."})
ORGANISATION_NOUNS = frozenset(
    """group agency organisation organization company firm party ministry institute outlet
    newspaper broadcaster network union council committee bank fund channel office service
    force army navy military government administration authority tank""".split()
)
# Last words of a name that make it an organisation's ("Justice Department", "Federal
# Reserve"), so a title-like first word ("Justice") stays part of the name.
ORGANISATION_HEADS = ORGANISATION_NOUNS | frozenset(
    """department agency association bureau commission committee party senate congress court
    reserve house board police church university school club team foundation trust institute
    center centre embassy ministry post times review journal news securities partners bank
    campaign corporation corp inc airlines air motors""".split()
)
# Last words of multi-word names that are places or bodies, never people.
_PLACE_OR_BODY_WORDS = ORGANISATION_NOUNS | frozenset(
    """palace empire community times street square house river sea ocean city region
    province state republic kingdom nations emirates states airport station hall centre
    center university hospital court parliament assembly commission""".split()
)
NAME_PARTICLES = frozenset({"von", "van", "der", "de", "den", "al", "bin", "da", "du", "la", "le"})
_SIDES = frozenset({"side", "party"})
_SIDE_QUANTIFIERS = frozenset({"both", "two", "each", "all"})
_DROPPED_MODIFIERS = frozenset(
    "a an the some several many two three four five senior other another one unnamed "
    "anonymous any most certain few latest new recent last".split()
)
_PLURAL_OF = {"official": "officials"}
_MAX_SOURCE_DETAIL = 8  # words after a generic source noun worth keeping in its name
_GENERIC_SOURCES = frozenset(
    """person people source official diplomat insider analyst expert witness resident
    aide adviser advisor observer""".split()
)
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
# The speaker_mention of words credited to the outlet because no speaker is named anywhere
# near them (a quotation with no cue, a "she said" with no one before it).
NO_SPEAKER_NAMED = "no speaker named"
GROUP_PRONOUNS = frozenset({"they", "them", "it", "we"})


@dataclass
class ResolvedSpeaker:
    name: str
    kind: str  # person | organisation | group | outlet
    mention: str
    role: str | None = None
    organisation: str | None = None  # "European Commission" in "European Commission President"
    co_speakers: list[str] = field(default_factory=list)  # "Democrat A and Republican B"


@dataclass
class _Name:
    tokens: list[str]
    role: str | None
    is_person: bool
    head: Token | None = None
    first_seen: int = 0
    _context: set[str] | None = None

    @property
    def context(self) -> set[str]:
        """Words of the clause the name sits in (computed on demand: only descriptions
        such as "the spokesman" need it)."""
        if self._context is None:
            clause = _clause_of(self.head) if self.head is not None else []
            self._context = {_side_or_word(t) for t in clause} | {
                w.lower() for w in (self.role or "").split()
            }
        return self._context

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


def clean(text: str) -> str:
    """Speaker names use plain apostrophes so that the same name always compares equal."""
    return " ".join(text.replace("\u2019", "'").split())


def _last_title(chain: list[Token]) -> int:
    """Index of the last title word that still has a name after it ("Deep State" has none)."""
    if chain and chain[-1].lower_ in ORGANISATION_HEADS:
        return -1  # "Justice Department": an organisation's name, not a title and a name
    titles = [i for i, t in enumerate(chain[:-1]) if t.lower_.strip(".") in TITLE_WORDS]
    return max(titles, default=-1)


def join_tokens(tokens: list[Token]) -> str:
    """The tokens' text with the original spacing between neighbours."""
    parts: list[str] = []
    for position, token in enumerate(tokens):
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        adjacent = following is not None and following.i == token.i + 1
        parts.append(token.text_with_ws if adjacent else token.text + " ")
    return "".join(parts).strip()


def is_name_token(token: Token) -> bool:
    if token.is_punct or token.is_space or not token.text[:1].isupper():
        return token.lower_ in NAME_PARTICLES
    return token.tag_ in ("NNP", "NNPS") or token.ent_type_ == "PERSON" or not token.is_sent_start


class NameRegistry:
    """Every proper name in the article, so that "Umerov" can become "Rustem Umerov"."""

    def __init__(self, doc: Doc):
        self.names: list[_Name] = []
        # A title-case headline ("Governor Signs Budget Deal With Senate Leaders") names no
        # one: its capitalised words are never a speaker's name.
        self.headline_end = sources.headline_end(doc)
        chain: list[Token] = []
        for token in doc[self.headline_end :]:
            if is_name_token(token) and token.tag_ != "POS":
                chain.append(token)
                continue
            self._add(chain)
            chain = []
        self._add(chain)

    def _add(self, chain: list[Token]) -> None:
        while chain and chain[-1].lower_ in NAME_PARTICLES:
            chain = chain[:-1]
        if not chain:
            return
        last_title = _last_title(chain)
        name_tokens = chain[last_title + 1 :]
        if not name_tokens:
            return
        head = name_tokens[-1]
        role_tokens = [
            t
            for t in head.subtree
            if t.i < name_tokens[0].i
            and t.dep_ not in ("det", "punct")
            and t.lower_.strip(".") not in HONORIFICS
        ]
        role = clean(" ".join(t.text for t in role_tokens)) or None
        is_person = any(t.ent_type_ == "PERSON" for t in name_tokens) or bool(
            role and any(w.lower() in TITLE_WORDS for w in role.split())
        )
        if role and role.lower() in TITLE_WORDS and role.lower().endswith("s"):
            role = None  # "presidents Volodymyr Zelenskyy and Putin" names no role
        self.names.append(
            _Name(
                tokens=[clean(t.text) for t in name_tokens],
                role=role,
                is_person=is_person,
                head=head,
                first_seen=head.i,
            )
        )

    def full_name(self, words: list[str]) -> _Name | None:
        """The fullest registered name ending with ``words`` ("Umerov" -> "Rustem Umerov")."""
        wanted = [w.lower() for w in words]
        best: _Name | None = None
        for name in self.names:
            tokens = [t.lower() for t in name.tokens]
            if tokens[-len(wanted) :] == wanted and (
                best is None or len(tokens) > len(best.tokens)
            ):
                best = name
        if best is not None and best.is_person is False:
            # Any other occurrence that shows it is a person counts ("presidents X and Y").
            best.is_person = any(n.is_person and n.tokens == best.tokens for n in self.names)
        return best

    def looks_like_person(self, words: list[str]) -> bool:
        """Does the article treat this name as a person (a title, or mostly tagged PERSON)?"""
        wanted = [w.lower() for w in words]
        votes = {"person": 0, "other": 0}
        for name in self.names:
            if [t.lower() for t in name.tokens][-len(wanted) :] != wanted:
                continue
            if name.role and any(w.lower() in TITLE_WORDS for w in name.role.split()):
                return True
            votes["person" if name.is_person else "other"] += 1
        return votes["person"] > votes["other"]

    def role_of(self, words: list[str]) -> str | None:
        wanted = [w.lower() for w in words]
        for name in self.names:
            if [t.lower() for t in name.tokens][-len(wanted) :] == wanted and name.role:
                return name.role
        return None

    def by_role(
        self, role_words: set[str], sides: set[str], need_role: bool = False
    ) -> _Name | None:
        """The person a definite description such as "Moscow's chief negotiator" points to.
        With ``need_role``, only someone whose clause or role has the role's words."""
        evidence: set[str] = set()
        for word in role_words:
            evidence |= ROLE_EVIDENCE.get(word, set())
        best, best_score = None, 0
        for name in self.names:
            if not name.is_person or len(name.tokens) < 2:
                continue
            if sides and not sides & name.context:
                continue
            if need_role and not evidence & name.context:
                continue
            score = len(evidence & name.context) + 2 * len(sides & name.context)
            if score > best_score:
                best, best_score = name, score
        return best if evidence and best_score > 0 else None


def _clause_of(token: Token) -> list[Token]:
    """The words of the clause a name sits in, without the clauses hanging from it."""
    node = token
    while node.head.i != node.i and not node.tag_.startswith("VB"):
        node = node.head
    skipped: set[int] = set()
    for child in node.children:
        if child.dep_ not in ("advcl", "conj", "ccomp", "relcl"):
            continue
        # Subtrees are contiguous spans, so containment is a bounds check.
        if child.left_edge.i <= token.i <= child.right_edge.i:
            continue
        skipped.update(range(child.left_edge.i, child.right_edge.i + 1))
    return [t for t in node.subtree if t.i not in skipped]


def _side_or_word(token: Token) -> str:
    word = token.lower_.replace("\u2019s", "").replace("'s", "")
    return _PLACE_SIDE.get(word, token.lemma_.lower())


class SpeakerResolver:
    """Resolves source words to speakers, remembering who spoke last for pronouns."""

    def __init__(self, registry: NameRegistry, outlet: str, quoted: set[int] | None = None):
        self.registry = registry
        self.outlet = outlet
        self.quoted = quoted or set()  # tokens inside quotations: their subjects are not ours
        self.last_person: ResolvedSpeaker | None = None
        self.last_group: ResolvedSpeaker | None = None
        self._pronouns: dict[int, ResolvedSpeaker] = {}
        self.roles: dict[str, str] = {}  # roles seen so far, for later mentions without one
        self.described: dict[str, ResolvedSpeaker] = {}  # "spokesman" -> "Disney spokesman"

    def remember(self, speaker: ResolvedSpeaker) -> None:
        if speaker.role:
            self.roles.setdefault(speaker.name, speaker.role)
        if speaker.kind == "person":
            self.last_person = speaker
        elif speaker.kind in ("group", "organisation"):
            self.last_group = speaker

    def resolve(self, head: Token, words: list[Token]) -> ResolvedSpeaker:
        """Resolve the words naming a source; ``head`` is their syntactic head."""
        named = sources.appositive_name(head)
        if named is not None:
            role = clean(join_tokens([t for t in _core_words(head, words) if t.dep_ != "det"]))
            speaker = self.resolve(named, [t for t in named.subtree if t.i <= named.i])
            speaker.role = speaker.role or role or None
            for other in sources.conjoined_names(named):
                also = self.resolve(other, [t for t in other.subtree if t.i <= other.i])
                if also.name != speaker.name and also.name not in speaker.co_speakers:
                    speaker.co_speakers.append(also.name)
            return speaker
        if head.lower_ in sources.QUANTIFIERS and head.tag_ not in sources.PROPER_TAGS:
            # "Half of the respondents said": the respondents are the source.
            of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
            if whole is not None:
                return self.resolve(whole, list(whole.subtree))
        all_words = sorted(words, key=lambda t: t.i)
        words = _core_words(head, words)
        mention = clean(join_tokens(words)) or head.text
        lower = head.lower_
        if lower in PERSON_PRONOUNS:
            previous = self.nearest_person_subject(head) or self.last_person
            previous = previous or self._last_person_named_before(head) or self.last_group
            if previous is not None:
                self._pronouns[head.i] = previous
                known_role = previous.role or self.roles.get(previous.name)
                return ResolvedSpeaker(previous.name, previous.kind, mention, known_role)
            return ResolvedSpeaker(self.outlet, "outlet", NO_SPEAKER_NAMED)
        if lower in GROUP_PRONOUNS:
            previous = self.last_group or self.last_person
            if previous is not None:
                return ResolvedSpeaker(previous.name, previous.kind, mention, previous.role)
        if head.text[:1].isupper() and (
            is_name_token(head) or self.registry.full_name([clean(head.text)]) is not None
        ):
            return self._named(head, words, mention)
        return self._described(head, words, mention, all_words)

    def nearest_person_subject(
        self, pronoun: Token, paragraphs: int = 2, floor: int = 0
    ) -> ResolvedSpeaker | None:
        """The person last named as the subject of a clause, in this paragraph or the one before.

        '"Peskov dismissed that view. "We are serious," he told TASS': "he" is Peskov even
        though someone else spoke last.
        """
        doc = pronoun.doc
        paragraph_breaks, in_break = 0, False
        floor = max(floor, self.registry.headline_end)
        for token in reversed(doc[max(0, pronoun.i - 150, floor) : pronoun.i]):
            if "\n" in token.text:
                if not in_break:
                    paragraph_breaks += 1
                in_break = True
                if paragraph_breaks >= paragraphs:
                    break  # only this paragraph and the one before
                continue
            in_break = in_break and token.is_space
            if token.i in self.quoted or token.dep_ not in ("nsubj", "nsubjpass"):
                continue
            if token.lower_ in PERSON_PRONOUNS and token.i in self._pronouns:
                return self._pronouns[token.i]
            named = sources.appositive_name(token)  # "Brightbloom's chief executive, Nadia Ferris,"
            if named is not None and named.ent_type_ == "PERSON":
                token = named
            if token.text[:1].isupper() and is_name_token(token):
                words = [t for t in token.subtree if t.i <= token.i and not t.is_punct]
                speaker = self._named(token, words or [token], token.text)
                # A lone word ("Kyiv", "Moscow") is too often a place standing for a government,
                # unless the tagger reads a person in the pronoun's own sentence ("Medinsky came
                # out looking furious, and he told us ...").
                lone_person = token.ent_type_ == "PERSON" and token.sent == pronoun.sent
                # "Mr Zelensky, who ..., said ... He also insisted": an honorific names a person.
                titled = any(t.lower_ in HONORIFICS for t in words)
                if speaker.kind == "person" and (
                    len(speaker.name.split()) >= 2 or speaker.role or lone_person or titled
                ):
                    return speaker
        return None

    def _last_person_named_before(self, token: Token) -> ResolvedSpeaker | None:
        """Before anyone has spoken, "he" is the last person the article named."""
        candidates = [
            n
            for n in self.registry.names
            if n.first_seen < token.i
            and len(n.tokens) >= 2
            and (n.is_person or n.tokens[-1].lower() not in _PLACE_OR_BODY_WORDS)
        ]
        if not candidates:
            return None
        name = max(candidates, key=lambda n: n.first_seen)
        full = self.registry.full_name(name.tokens) or name
        return ResolvedSpeaker(full.text, "person", full.text, full.role)

    def _named(self, head: Token, words: list[Token], mention: str) -> ResolvedSpeaker:
        chain = [t for t in words if t.i <= head.i and is_name_token(t)]
        # Keep only the contiguous run ending at the head, then drop titles ("Sir", "President").
        run: list[Token] = []
        for token in reversed(chain):
            if run and token.i != run[-1].i - 1:
                break
            run.append(token)
        run.reverse()
        run = run[_last_title(run) + 1 :] or [head]
        role_words = [t for t in words if t.i < run[0].i and t.lower_ not in HONORIFICS]
        of_words = sources.of_phrase(head) if run[-1].i == head.i else []
        known = None if of_words else self.registry.full_name([clean(t.text) for t in run])
        name = known.text if known else clean(" ".join(t.text for t in [*run, *of_words]))
        body = run[-1].lower_ in ORGANISATION_HEADS
        role = clean(join_tokens([t for t in role_words if t.dep_ != "det"])) or None
        if known is not None and not role:
            role = self.registry.role_of(known.tokens)
        role = role or self.roles.get(name)  # "Sybiha" after "Ukraine's foreign minister, ..."
        titled = bool(role and any(w.lower() in TITLE_WORDS for w in role.split()))
        described_as_body = any(
            c.dep_ == "appos" and c.lemma_.lower() in ORGANISATION_NOUNS for c in head.children
        )
        if described_as_body or body:
            person = False
        elif titled or self.registry.looks_like_person(name.split()):
            person = True
        else:
            person = len(name.split()) >= 2 and not any(t.ent_type_ in ("ORG", "GPE") for t in run)
        bodies = [t for t in role_words if t.ent_type_ == "ORG" and t.dep_ != "det"]
        organisation = clean(join_tokens(bodies)) or None
        kind = "person" if person else "organisation"
        co_speakers: list[str] = []
        for other in sources.conjoined_names(head):
            also = self._named(other, [t for t in other.subtree if t.i <= other.i], other.text)
            if also.kind == "person" and kind == "person":
                co_speakers.append(also.name)
            elif also.kind != "person" and kind != "person":
                name = f"{name} and {also.name}"  # "Justice Department and FBI": one source
        return ResolvedSpeaker(name, kind, mention, role, organisation, co_speakers)

    def _described(
        self, head: Token, words: list[Token], mention: str, all_words: list[Token] | None = None
    ) -> ResolvedSpeaker:
        modifiers = [t for t in words if t.i < head.i]
        lower_words = {t.lower_ for t in words}
        if any(t.lower_ in ("the",) or t.dep_ == "poss" for t in modifiers) and (
            head.lower_ in ROLE_EVIDENCE
        ):
            sides = {_side_or_word(t) for t in modifiers} & set(_PLACE_SIDE.values())
            # "The president of Harbor University": only a person named with that body.
            owner = sources.owner_of(head)
            sides |= {_side_or_word(t) for t in owner or () if t.is_alpha}
            person = self.registry.by_role(lower_words | {head.lower_}, sides, bool(owner))
            if person is not None:
                return ResolvedSpeaker(person.text, "person", mention, person.role)
        belonging = self._belonging(head, modifiers, mention)
        if belonging is not None:
            return belonging
        kept = [t for t in modifiers if t.lower_ not in _DROPPED_MODIFIERS and t.dep_ != "det"]
        if head.lemma_.lower() in _SIDES and not kept:
            # "Both sides said": the quantifier is the name ("Both sides"), never a bare "Sides"
            kept = [t for t in modifiers if t.lower_ in _SIDE_QUANTIFIERS]
        noun = _PLURAL_OF.get(head.lower_, head.text)
        name = clean(join_tokens(kept) + " " + noun)
        if not kept and head.lemma_.lower() in _GENERIC_SOURCES and all_words:
            # "a person present", "sources close to Porter": the words after say who.
            after: list[Token] = []
            for token in all_words:
                if token.i <= head.i:
                    continue
                if (
                    token.is_punct
                    or token.dep_ == "relcl"
                    or token.tag_.startswith("VB")
                    or token.tag_ in ("WDT", "WP", "WP$")  # "diplomats who attended"
                ):
                    break
                after.append(token)
            if 0 < len(after) <= _MAX_SOURCE_DETAIL:
                name = clean(head.text + " " + join_tokens(after))
        name = name[:1].upper() + name[1:]
        return ResolvedSpeaker(name, "group", mention, None)

    def _titled_owner(self, head: Token) -> str | None:
        """The person a possessive title stands for: "the senator's" -> the last person the
        article named with the title Senator before it."""
        possessor = next((c for c in head.children if c.dep_ == "poss"), None)
        if possessor is None or possessor.tag_ not in ("NN", "NNS"):
            return None
        title = possessor.lower_
        if title not in TITLE_WORDS or title in ("head", "state", "chief"):
            return None
        named = [
            n
            for n in self.registry.names
            if n.first_seen < head.i
            and len(n.tokens) >= 2
            and n.role
            and title in n.role.lower().split()
        ]
        return max(named, key=lambda n: n.first_seen).text if named else None

    def _belonging(
        self, head: Token, modifiers: list[Token], mention: str
    ) -> ResolvedSpeaker | None:
        """A source that belongs to a named body: "a spokesman for Disney" -> "Disney
        spokesman"; "the channel" -> the broadcaster the article named ("RT")."""
        noun = sources.noun_words(head)
        noun_text = clean(join_tokens(noun))
        if not head.tag_.startswith("NNP"):
            noun_text = noun_text.lower()
        owner = sources.owner_of(head)
        if owner is None and head.lower_ not in ORGANISATION_HEADS:
            owner = sources.possessor_of(head)
        if owner is None:
            titled = self._titled_owner(head)
            if titled is not None:  # "The senator's office" -> "Kara Dunn office"
                return ResolvedSpeaker(f"{titled} {noun_text}", "group", mention, noun_text, titled)
        if owner is not None:
            owner = owner[_last_title(owner) + 1 :] if len(owner) > 1 else owner
            organisation = clean(join_tokens(owner))
            speaker = ResolvedSpeaker(
                f"{organisation} {noun_text}", "group", mention, noun_text, organisation
            )
            self.described.setdefault(head.lemma_.lower(), speaker)
            return speaker
        definite = any(t.lower_ == "the" for t in modifiers) and not any(
            t.tag_ in sources.PROPER_TAGS
            or (t.dep_ in ("amod", "compound") and t.lower_ != "central")
            for t in modifiers
        )
        if not definite:
            return None
        remembered = self.described.get(head.lemma_.lower())
        if remembered is not None:  # "the spokesman" after "a spokesman for Disney"
            return ResolvedSpeaker(
                remembered.name, remembered.kind, mention, remembered.role, remembered.organisation
            )
        earlier = sources.earlier_named(head, head.i)
        if earlier:
            name = clean(join_tokens(earlier))
            kind = "organisation" if sources.is_proper(earlier[-1]) else "group"
            return ResolvedSpeaker(name, kind, mention, None)
        if head.lemma_.lower() == "campaign":  # "The campaign" of the candidate just named
            person = self._last_person_named_before(head)
            if person is not None:
                surname = person.name.split()[-1]
                return ResolvedSpeaker(f"{surname} campaign", "organisation", mention, None)
        return None


CLOCK_TIME_RE = re.compile(r"\d{1,2}[:.]\d{2}(?:[ap]m)?|\d{1,2}[ap]m", re.IGNORECASE)


def _core_words(head: Token, words: list[Token]) -> list[Token]:
    """The source words up to the first comma, relative clause or trailing modifier."""
    core: list[Token] = []
    for token in sorted(words, key=lambda t: t.i):
        if token.i > head.i and (
            token.is_punct
            or token.dep_ in ("relcl", "acl", "appos", "prep", "amod")
            # "two diplomats who attended": the relative pronoun opens the clause it heads
            or token.tag_ in ("WDT", "WP", "WP$")
        ):
            break
        if token.is_space or (token.i < head.i and CLOCK_TIME_RE.fullmatch(token.text)):
            continue  # a live blog's time stamp: "19:10 A Ukrainian source tells us ..."
        core.append(token)
    return core or [head]

"""Reporting frames: who is said to have said what, read off the dependency parse.

A *frame* is a reporting cue (``said``, ``told``, ``confirmed``, ``according to``, a
parenthetical ``, Umerov said,``) together with the words that name its source and the part of
the parse tree that holds the reported content. The clause splitter asks :func:`frame_of` which
frame, if any, a token's words belong to; :mod:`claimcheck.extract.mentions` turns a frame's
source words into a canonical speaker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

# Lemmas of verbs that introduce reported speech or a source's statement.
REPORT_LEMMAS = frozenset(
    """say tell add confirm report signal announce claim insist warn state note argue deny
    accuse describe urge repeat express estimate predict suggest acknowledge admit stress
    reiterate indicate explain assert allege maintain write tweet post reply respond declare
    emphasise emphasize caution vow pledge promise threaten complain concede disclose reveal
    hint recall cite call predict believe think expect hope agree dismiss criticise criticize
    condemn praise welcome reject ask find show""".split()
)
# Verbs that report only when they have a clause or quotation to report; "agreed to swap
# prisoners" or "expected Istanbul to ..." outside a speaker's voice is an event, not speech.
_NEEDS_CLAUSE = frozenset(
    "claim believe think expect hope agree dismiss criticise criticize condemn praise welcome "
    "reject describe accuse find show recall".split()
)
_NAMES = frozenset({"PERSON", "ORG"})
_WITHHOLDING = frozenset({"decline", "refuse", "fail", "hesitate", "avoid"})
_WH_WORDS = frozenset({"who", "which", "that", "whom"})
_EXPLETIVES = frozenset({"there"})


@dataclass
class Frame:
    """One reporting cue and the parse nodes that hold its source and content."""

    cue: Token  # the reporting verb, or "according" / "citing"
    source: Token | None  # head token of the words naming the speaker
    source_tokens: list[Token]  # every token naming the speaker (for masking)
    content_root: Token  # content = this node's subtree minus the excluded children
    excluded: set[int] = field(default_factory=set)  # indices of children outside the content
    style: str = "verb"  # verb | parataxis | according | citing | relative
    # A report with its own subject hanging off another clause ("..., while Labour accused
    # both sides"): its words are its own speaker's even inside someone else's report.
    independent: bool = False

    @property
    def cue_text(self) -> str:
        if self.style == "according":
            return "according to"
        particles = [c.text for c in self.cue.children if c.dep_ == "prt"]
        return " ".join([self.cue.text, *particles])


def find_frames(sentence: Span) -> list[Frame]:
    """Every reporting frame whose cue lies in ``sentence``."""
    frames: list[Frame] = []
    for token in sentence:
        frame = _according_frame(token) or _citing_frame(token, sentence) or _verb_frame(token)
        if frame is not None:
            frames.append(frame)
    return frames


def _is_report_verb(token: Token) -> bool:
    if not token.tag_.startswith("VB") or token.lemma_.lower() not in REPORT_LEMMAS:
        return False
    if token.tag_ == "VBN" and not any(c.dep_ in ("aux", "nsubj") for c in token.children):
        return False  # "the attacks reported on the capital": a participle, not a report
    if any(a.lower_ == "with" and a.dep_ == "prep" for a in list(token.ancestors)[:2]):
        return False  # "with no attacks reported": an absolute phrase
    if any(child.dep_ in ("nsubjpass", "auxpass") for child in token.children):
        return False  # "was reported", "were described": no source in the clause
    if token.dep_ == "xcomp" and token.head.lemma_.lower() in _WITHHOLDING:
        return False  # "declined to say who would replace her"
    if any(child.dep_ == "neg" for child in token.children):
        return False  # "He did not say when": the writer's statement about a silence
    if token.lemma_.lower() == "call" and any(c.dep_ == "prt" for c in token.children):
        return False  # "called up reservists", "called off the talks"
    if token.lemma_.lower() == "add" and any(c.dep_ == "dobj" for c in token.children):
        if not any(c.dep_ in ("ccomp", "parataxis") for c in token.children):
            return False  # "would add $5 million in detours": a sum, not a remark
    if token.lemma_.lower() in _NEEDS_CLAUSE:
        return any(child.dep_ in ("ccomp", "parataxis") for child in token.children) or (
            token.lemma_.lower() in ("describe", "accuse", "call")
        )
    return True


def _subject_of(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    named = [s for s in subjects if s.lower_ not in _WH_WORDS]
    if named:
        subject = named[0]
        return None if subject.lower_ in _EXPLETIVES else subject
    if subjects and verb.dep_ == "relcl":
        return verb.head  # "Hakan Fidan, who said ...": the relative pronoun's antecedent
    return None


def _inherited_subject(verb: Token) -> Token | None:
    """The subject a subjectless reporting verb shares with the verb it hangs from.

    "expressed satisfaction ... and said that": ``said`` is a conjunct of ``expressed``;
    "Fidan opens by urging both sides": ``urging`` hangs from ``opens`` through ``by``.
    """
    node = verb
    for _ in range(4):
        if node.dep_ not in ("conj", "advcl", "pcomp", "xcomp", "pobj", "prep"):
            return None
        node = node.head
        if node.tag_.startswith("VB"):
            subject = _subject_of(node)
            if subject is not None:
                return subject
    return None


def _name_right_before(verb: Token) -> list[Token] | None:
    """'Asked about Senator Ray Cole, Vice President Alan Brooks said: ...': the parser hung
    "Brooks" on "Cole" and left "said" without a subject. The name that ends right before a
    subjectless main reporting verb is its subject ("X said"), not the person asked about."""
    if verb.dep_ != "ROOT" or verb.i == 0:
        return None
    doc = verb.doc
    run: list[Token] = []
    position = verb.i - 1
    while position >= 0 and doc[position].tag_ in ("NNP", "NNPS"):
        run.insert(0, doc[position])
        position -= 1
    if not run or not any(t.ent_type_ == "PERSON" or t.ent_type_ in _NAMES for t in run):
        return None
    return run


def _misparsed_trailing_source(verb: Token) -> list[Token] | None:
    """The speaker of a content-first report whose subject the parser hung elsewhere.

    "Moscow is satisfied with the talks, the head of the delegation, presidential aide Vladimir
    Medinsky, told journalists." The small parser makes "told" a subjectless conjunct of "is"
    and the speaker an apposition inside the content. The speaker is the comma-separated noun
    phrase ending in a name right before ", told", with at most one verbless phrase before it
    that describes the same person ("the head of the delegation").
    """
    if verb.dep_ != "conj" or any(c.dep_ == "cc" for c in verb.children):
        return None
    doc = verb.doc
    if verb.i < 3 or doc[verb.i - 1].text != "," or doc[verb.i - 2].ent_type_ not in _NAMES:
        return None

    def phrase_before(end: int) -> list[Token]:
        """The tokens after the last comma before `end`, up to `end` (exclusive)."""
        begin = end
        while begin > verb.head.i + 1 and doc[begin - 1].text != ",":
            begin -= 1
        return list(doc[begin:end]) if begin > verb.head.i + 1 else []

    name_phrase = phrase_before(verb.i - 1)
    if not name_phrase or len(name_phrase) > 8:
        return None
    chain = name_phrase
    described = phrase_before(name_phrase[0].i - 1)
    if described and len(described) <= 8 and not any(t.tag_.startswith("VB") for t in described):
        chain = described + name_phrase
    if not any(t.dep_ == "appos" for t in chain):
        return None  # the parse did not hang a speaker inside the content: not this case
    return chain


def _verb_frame(token: Token) -> Frame | None:
    if not _is_report_verb(token):
        return None
    trailing = _misparsed_trailing_source(token)
    if trailing is not None:
        name = [t for t in trailing if t.ent_type_ in _NAMES][-1]
        return Frame(
            cue=token,
            source=name,
            source_tokens=trailing,
            content_root=token.head,
            excluded={token.i},
            style="parataxis",
        )
    subject = _subject_of(token)
    if subject is None:
        subject = _inherited_subject(token)
    if subject is None:
        adjacent = _name_right_before(token)
        if adjacent is None:
            return None
        return Frame(
            cue=token,
            source=adjacent[-1],
            source_tokens=adjacent,
            content_root=token,
            excluded={t.i for t in adjacent},
        )
    if token.dep_ == "parataxis" and token.head.i != token.i:
        # ", Umerov said," inside someone's sentence: the content is the host clause.
        return Frame(
            cue=token,
            source=subject,
            source_tokens=list(subject.subtree),
            content_root=token.head,
            excluded={token.i},
            style="parataxis",
        )
    # The subject is the source, not the content; so is a second predicate of that subject
    # ("said ... that the swap would take place soon, but gave no date").
    excluded = {
        c.i
        for c in token.children
        if c.dep_ in ("nsubj", "csubj")
        or (c.dep_ == "conj" and c.tag_.startswith("VB") and not _is_report_verb(c))
    }
    style = "relative" if token.dep_ == "relcl" and subject.i == token.head.i else "verb"
    if style == "verb":
        source_tokens = list(subject.subtree)
    else:  # the antecedent's own words, not the main clause it sits in
        source_tokens = [t for t in subject.subtree if t.i <= subject.i and t.dep_ != "punct"]
        source_tokens = source_tokens[-6:]
    own_subject = any(c.dep_ in ("nsubj", "csubj") for c in token.children)
    return Frame(
        cue=token,
        source=subject,
        source_tokens=source_tokens,
        content_root=token,
        excluded=excluded,
        style=style,
        independent=own_subject and token.dep_ in ("advcl", "conj"),
    )


def _according_frame(token: Token) -> Frame | None:
    if token.lower_ != "according":
        return None
    to = next((c for c in token.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
    if source is None:
        return None
    host = token.head
    while host.head.i != host.i and not host.tag_.startswith("VB"):
        host = host.head
    return Frame(
        cue=token,
        source=source,
        source_tokens=list(token.subtree)[2:],
        content_root=host,
        excluded={token.i},
        style="according",
    )


def _citing_frame(token: Token, sentence: Span) -> Frame | None:
    """'Axios, citing a source, put its length at ...': the subject is the source."""
    if token.lower_ != "citing" or token.dep_ not in ("advcl", "acl"):
        return None
    host = token.head
    while host.head.i != host.i and not host.tag_.startswith("VB"):
        host = host.head
    subject = _subject_of(host)
    if subject is not None:
        source_tokens = list(subject.subtree)
    else:
        # The parser often misreads an unfamiliar outlet name; take the words before the comma.
        before = [t for t in sentence if t.i < token.i and not t.is_punct and not t.is_space]
        if not before or len(before) > 5 or not before[0].is_title:
            return None
        subject, source_tokens = before[-1], before
    return Frame(
        cue=token,
        source=subject,
        source_tokens=source_tokens,
        content_root=host,
        excluded={token.i, *(t.i for t in source_tokens)},
        style="citing",
    )


class FrameIndex:
    """Answers 'whose content is this token?' for one sentence's frames."""

    def __init__(self, frames: list[Frame]):
        self.frames = frames
        self._by_root: dict[int, list[Frame]] = {}
        for frame in frames:
            self._by_root.setdefault(frame.content_root.i, []).append(frame)

    def frame_of(self, token: Token) -> Frame | None:
        """The outermost frame whose reported content includes ``token``.

        A speaker's own verb beats an "according to" around it: in "Fidan told both
        delegations ..., according to a person present" the claim is Fidan's.
        """
        found: Frame | None = None
        wrapper: Frame | None = None
        node, child = token, None
        for _ in range(200):  # parse trees are shallow; the bound guards against cycles
            for frame in self._by_root.get(node.i, ()):
                if child is None or child.i not in frame.excluded:
                    if not (frame.style == "citing" and token.i in frame.excluded):
                        if frame.style == "according":
                            wrapper = frame
                        elif frame.independent:
                            return frame
                        else:
                            found = frame
            if node.head.i == node.i:
                break
            node, child = node.head, node
        return found or wrapper

    def frame_with_cue(self, token: Token) -> Frame | None:
        return next((f for f in self.frames if f.cue.i == token.i), None)

"""Split a sentence into clause-sized pieces, each of which can be checked on its own.

Checking is done claim by claim, so a sentence that asserts several things must become several
claims: coordinated predicates (``ended with an agreement ... | but without making any
progress``), clauses after ``;``, a parenthesis between a subject and its verb (``The talks,
| the first in three years, | wrapped up after two hours``), trailing participle and relative
clauses, and the two halves of a sentence interrupted by ``, Umerov said,``.

Cut points are read off the dependency parse; words inside a quotation are never cut apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from claimcheck.extract.attribution import FrameIndex

_EDGE_PUNCTUATION = frozenset({",", ";", ":", "\u2014", "\u2013", "-", "(", ")", "[", "]"})
_OPENING_QUOTES = frozenset({"\u201c", '"', "\u2018", "\u201e", "\u00ab"})
_CLOSING_QUOTES = frozenset({"\u201d", '"', "\u2019", "\u00bb"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_PARENTHESIS_DEPS = ("appos", "relcl", "acl", "advcl", "amod", "npadvmod")
_MIN_WORDS = 3
# Prepositions whose phrase, set off by a comma, adds a fact of its own.
_CIRCUMSTANCE_PREPOSITIONS = frozenset({"after", "following", "despite", "amid", "before"})


@dataclass
class Piece:
    """A contiguous run of tokens that becomes one claim."""

    tokens: list[Token]
    reason: str  # main | conj | apposition | subject | relative | participle | continuation ...
    anchor: Token | None  # the token the piece hangs from (conjunct head, antecedent, ...)

    @property
    def start(self) -> int:
        return self.tokens[0].idx

    @property
    def end(self) -> int:
        return self.tokens[-1].idx + len(self.tokens[-1].text)


def _words(tokens: list[Token]) -> int:
    return sum(1 for t in tokens if not t.is_punct and not t.is_space)


def _left_word(token: Token) -> int:
    """Index of the first word of ``token``'s subtree (the parser may hang a comma there)."""
    for word in token.subtree:
        if not word.is_punct and not word.is_space:
            return word.i
    return token.i


def _ancestors_or_self(token: Token) -> list[Token]:
    return [token, *token.ancestors]


def split_sentence(
    sentence: Span, frames: FrameIndex, blocked: set[int], quoted: set[int]
) -> list[Piece]:
    """Cut ``sentence`` into pieces, leaving out ``blocked`` tokens.

    ``blocked`` holds tokens that belong elsewhere (standalone quotations, their cue words);
    ``quoted`` holds tokens inside partial quotations, which are never cut apart.
    """
    cuts: dict[int, tuple[str, Token | None]] = {}
    dropped: set[int] = set()
    doc = sentence.doc
    first = sentence.start

    def cut(at: int, reason: str, anchor: Token | None) -> None:
        if at in quoted or at <= first:
            return
        cuts.setdefault(at, (reason, anchor))

    for token in sentence:
        if token.text == ";":
            dropped.add(token.i)
            cut(token.i + 1, "clause", None)
    _cut_conjuncts(sentence, frames, quoted, cut)
    _cut_subject_parentheses(sentence, frames, cut)
    _cut_reporting_relatives(sentence, frames, cut)
    _cut_ranking_phrases(sentence, frames, cut)
    _cut_trailing_modifiers(sentence, frames, cut)
    _cut_parenthetical_cues(sentence, frames, dropped, cut)

    pieces: list[Piece] = []
    current: list[Token] = []
    reason: tuple[str, Token | None] = ("main", None)

    def flush() -> None:
        trimmed = trim_tokens(current)
        if _words(trimmed) >= 1 and any(t.is_alpha or t.like_num for t in trimmed):
            pieces.append(Piece(trimmed, reason[0], reason[1]))

    for token in sentence:
        if token.i in cuts and current:
            flush()
            current = []
        if token.i in cuts:
            reason = cuts[token.i]
        if token.i in blocked or token.i in dropped:
            if current:
                flush()
                current = []
            continue
        current.append(token)
    if current:
        flush()
    del doc
    return _merge_fragments(_without_bare_names(pieces))


def _without_bare_names(pieces: list[Piece]) -> list[Piece]:
    """A subject cut off by its parenthesis ("Rustem Umerov | , Ukraine's defence minister, |
    would lead the delegation", "The session | , brokered by Turkey, | ran for six hours")
    asserts nothing of its own: the parenthesis and the predicate each carry the subject in
    their assertion, so "The session" is not a claim. A subject that places the event ("The
    talks at the Topkapi Palace | , the first in two years, | were over") says where, and
    stays."""
    out = []
    for k, piece in enumerate(pieces):
        following = pieces[k + 1] if k + 1 < len(pieces) else None
        if following is not None and following.reason == "apposition" and following.anchor:
            subject = {t.i for t in following.anchor.subtree}
            if all(t.i in subject and t.pos_ not in ("VERB", "AUX", "ADP") for t in piece.tokens):
                continue
        out.append(piece)
    return out


def trim_tokens(tokens: list[Token]) -> list[Token]:
    start, end = 0, len(tokens)
    while start < end and (
        tokens[start].is_space
        or tokens[start].text in _EDGE_PUNCTUATION
        or tokens[start].text in (".", "?", "!")
        or (tokens[start].text in _CLOSING_QUOTES and tokens[start].text not in _OPENING_QUOTES)
    ):
        start += 1
    while end > start and (
        tokens[end - 1].is_space
        or tokens[end - 1].text in _EDGE_PUNCTUATION
        or (tokens[end - 1].text in _OPENING_QUOTES and tokens[end - 1].text not in _CLOSING_QUOTES)
    ):
        end -= 1
    return tokens[start:end]


def _merge_fragments(pieces: list[Piece]) -> list[Piece]:
    """Give a piece too short to be a claim to its neighbour (``and``, ``But``)."""
    merged: list[Piece] = []
    for piece in pieces:
        adjacent = merged and piece.tokens[0].i - merged[-1].tokens[-1].i <= 2
        if merged and adjacent and _words(piece.tokens) < 2:
            previous = merged[-1]
            gap = [t for t in piece.tokens[0].doc[previous.tokens[-1].i + 1 : piece.tokens[0].i]]
            merged[-1] = Piece(
                previous.tokens + gap + piece.tokens, previous.reason, previous.anchor
            )
        else:
            merged.append(piece)
    return merged


def _cut_conjuncts(sentence: Span, frames: FrameIndex, quoted: set[int], cut) -> None:
    doc = sentence.doc
    for token in sentence:
        if token.dep_ != "conj" or token.head.i >= token.i:
            continue
        verbal = token.tag_.startswith("VB") or token.pos_ in ("VERB", "AUX")
        # The joining word lies between the previous conjunct and this one.
        lower = max(
            [token.head.i]
            + [s.right_edge.i for s in token.head.children if s.dep_ == "conj" and s.i < token.i]
        )
        conjunctions = [
            c
            for c in [*token.head.children, *token.children]
            if c.dep_ in ("cc", "preconj") and lower < c.i <= _left_word(token)
        ]
        conjunction = min(conjunctions, key=lambda c: c.i) if conjunctions else None
        contrastive = conjunction is not None and conjunction.lower_ in ("but", "yet")
        if not (verbal or contrastive):
            continue
        start = min(conjunction.i if conjunction else _left_word(token), _left_word(token))
        comma_before = start > sentence.start and doc[start - 1].text in (",", ";")
        if verbal and conjunction is None and not comma_before:
            continue  # a conjunct with nothing joining it is usually a parse error
        # Word counts over bounded spans: this runs for every conjunct of a long sentence.
        if _words(list(doc[start : min(token.right_edge.i + 1, start + 8)])) < _MIN_WORDS:
            continue
        if _words(list(doc[max(sentence.start, start - 12) : start])) < 2:
            continue
        frame = frames.frame_of(token)
        own_subject = any(c.dep_ in (*_SUBJECT_DEPS, "mark", "expl") for c in token.children)
        is_cue = frames.frame_with_cue(token) is not None
        if frame is not None and not is_cue and not (comma_before or own_subject):
            continue  # inside reported speech, keep "fixed but would not be made public" whole
        cut(start, "conj", token)


def _cut_subject_parentheses(sentence: Span, frames: FrameIndex, cut) -> None:
    doc = sentence.doc
    for subject in sentence:
        verb = subject.head
        if subject.dep_ not in _SUBJECT_DEPS or subject.i > verb.i:
            continue
        if frames.frame_of(subject) is not None:
            continue  # inside reported speech the speaker's sentence stays whole
        words = list(subject.subtree)
        comma = next((t for t in words if t.text == "," and t.i > words[0].i), None)
        if comma is None or comma.i + 1 >= len(doc):
            continue
        inner = [t for t in words if t.i > comma.i]
        while inner and (inner[-1].is_punct or inner[-1].is_space):
            inner.pop()
        if _words(inner) < 2:
            continue
        after = doc[inner[-1].i + 1] if inner[-1].i + 1 < len(doc) else None
        if after is None or after.text != ",":
            continue  # "Russia, Ukraine and the US agreed": a list, not a parenthesis
        roots = [t for t in inner if t.head.i < comma.i or t.head.i > inner[-1].i]
        if not roots or roots[0].dep_ not in _PARENTHESIS_DEPS or roots[0].lemma_ == "cite":
            continue
        if all(t.tag_ in ("NNP", "NNPS") or t.is_punct for t in inner) and _words(inner) <= 4:
            continue  # "Ukraine's foreign minister, Andrii Sybiha, said": the name, not a fact
        is_report = frames.frame_with_cue(verb) is not None or any(
            frames.frame_with_cue(c) is not None for c in verb.children if c.dep_ == "conj"
        )
        named = subject.text[:1].isupper() and subject.tag_ in ("NNP", "NNPS", "NN", "NNS")
        if not (is_report and named):
            cut(comma.i, "subject", subject)
            cut(comma.i + 1, "apposition", subject)
        else:
            cut(words[0].i, "source", subject)
        cut(after.i + 1, "predicate", verb)


def _cut_reporting_relatives(sentence: Span, frames: FrameIndex, cut) -> None:
    """'after a debate | in which opposition members accused the group of ...': the relative
    clause is someone else's statement inside the writer's sentence."""
    for token in sentence:
        if token.dep_ != "relcl" or frames.frame_with_cue(token) is None:
            continue
        first = sentence.doc[_left_word(token)]
        if first.tag_ == "IN" and frames.frame_of(token.head) is None:
            cut(first.i, "relative", token.head)


def _cut_ranking_phrases(sentence: Span, frames: FrameIndex, cut) -> None:
    """'met in Geneva on Friday | for their first direct talks in three years': a phrase that
    ranks the event (first, largest, worst) is a fact to check on its own."""
    for token in sentence:
        if token.dep_ != "prep" or token.lower_ != "for" or token.head.dep_ != "ROOT":
            continue
        words = list(token.subtree)
        ranking = any(t.ent_type_ == "ORDINAL" or t.tag_ == "JJS" for t in words)
        if ranking and _words(words) >= 4 and frames.frame_of(token) is None:
            if _words(list(sentence.doc[sentence.start : token.i])) >= _MIN_WORDS:
                cut(token.i, "circumstance", token.head)


def _cut_trailing_modifiers(sentence: Span, frames: FrameIndex, cut) -> None:
    doc = sentence.doc
    for token in sentence:
        left = _left_word(token)
        if left <= sentence.start or doc[left - 1].text != ",":
            continue
        if any(a.dep_ in _SUBJECT_DEPS for a in _ancestors_or_self(token)):
            continue  # parentheses inside a subject are handled with the subject
        words = list(token.subtree)
        if token.lower_ == "with" and token.dep_ == "prep" and token.head.tag_.startswith("VB"):
            objects = [c for c in token.children if c.dep_ == "pobj"]
            if objects and objects[0].tag_ in ("NNP", "NNPS"):
                cut(left, "with", token.head)  # ", with Fidan in the chair": a second fact
            continue
        if _words(words) < _MIN_WORDS:
            continue
        if token.dep_ == "advcl" and token.tag_ == "VBG" and left == token.i:
            if token.lemma_ != "cite":  # "Axios, citing a source, put ...": one report
                cut(left, "participle", token.head)
        elif (
            token.dep_ == "advcl"
            and token.tag_ in ("VBN", "VBG")
            and any(c.dep_ in _SUBJECT_DEPS for c in token.children)
            and frames.frame_of(token) is None
        ):
            cut(left, "participle", token.head)  # ", several of them mediated by the UAE"
        elif token.dep_ == "advcl" and getattr(frames.frame_with_cue(token), "independent", False):
            cut(left, "clause", token.head)  # "..., while Labour accused both sides of ..."
        elif token.dep_ == "relcl":
            reports = any(frames.frame_with_cue(t) is not None for t in words)
            if reports or frames.frame_of(token) is None:
                cut(left, "relative", token.head)
        elif token.dep_ in ("appos", "npadvmod") and token.i > token.head.i:
            # "Britain's foreign secretary, Sir Keir Starmer, called ...": with a noun for the
            # sentence's root the parser has hung the verb on the name; the sentence is one claim
            nominal_root = token.head.dep_ == "ROOT" and not token.head.tag_.startswith("VB")
            if any(t.tag_.startswith("VB") for t in words) and not nominal_root:
                cut(left, "apposition", token.head)
        elif (
            token.lower_ in _CIRCUMSTANCE_PREPOSITIONS
            and token.dep_ == "prep"
            and token.head.dep_ == "ROOT"
            and frames.frame_of(token) is None
        ):
            cut(left, "circumstance", token.head)  # ", after a three-hour debate ..."
        elif (
            token.lower_ == "rather"
            and token.i + 1 < len(doc)
            and doc[token.i + 1].lower_ == "than"
        ):
            cut(left, "contrast", token.head)


def _cut_parenthetical_cues(sentence: Span, frames: FrameIndex, dropped: set[int], cut) -> None:
    """'X were brought up, Umerov said, as well as Y': drop the cue, split the halves.

    When the words before the cue are not a clause of their own ("Moscow, he said, had taken
    note"), the sentence stays one claim with the cue inside it.
    """
    doc = sentence.doc
    for frame in frames.frames:
        if frame.style != "parataxis":
            continue
        cue_words = list(frame.cue.subtree)
        low, high = cue_words[0].i, cue_words[-1].i
        before = list(doc[sentence.start : low])
        after = [t for t in doc[high + 1 : sentence.end] if not t.is_punct and not t.is_space]
        if not any(t.tag_.startswith("VB") for t in before) or len(after) < 2:
            continue
        dropped.update(range(low, high + 1))
        cut(high + 1, "continuation", frame.content_root)

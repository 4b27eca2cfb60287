"""Short, self-contained statements of what each claim asserts.

A claim's span is exactly what the article says; its *assertion* is what a checker compares:
pronouns resolved, the speaker named, and a clause cut from its sentence given its subject back
(``but without making any progress`` -> ``Talks between Ukraine and Russia ended without making
any progress``). Assertions are for matching and display; they are never used as offsets.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from claimcheck.extract.attribution import REPORT_LEMMAS, Frame
from claimcheck.extract.clauses import Piece, trim_tokens
from claimcheck.extract.mentions import join_tokens

_LEADING_CONNECTIVES = ("and ", "but ", "yet ", "as well as ", "while ", "or ")
_RELATIVE_PRONOUNS = ("who ", "which ", "that ", "whom ")


def direct(speaker: str, quote: str) -> str:
    return f"{speaker}: {quote.strip()}"


def reported(speaker: str, piece: Piece, frame: Frame) -> str:
    """``Vladimir Medinsky said the two sides had agreed ...`` for a reported-speech piece."""
    tokens = piece.tokens
    ids = {t.i for t in tokens}
    source_ids = {t.i for t in frame.source_tokens}
    cue = frame.cue
    if frame.style in ("verb", "relative") and cue.i in ids:
        before = [t for t in tokens if t.i < cue.i and t.i not in source_ids]
        after = [t for t in tokens if t.i > cue.i]
        reported_before = any(
            c.dep_ in ("ccomp", "parataxis") and c.i < cue.i for c in cue.children
        )
        reported_after = any(c.dep_ == "ccomp" and c.i > cue.i for c in cue.children)
        content_first = _words(before) >= 3 and (
            (reported_before and not reported_after) or _words(after) < 3
        )
        if _words(before) == 2 and _words(after) < 3:
            # a fragment: "Four hours, they said." / "Two hours, Fidan said, and ..."
            content_first = any(t.pos_ in ("NUM", "NOUN") for t in before)
        if frame.style == "verb" and content_first and cue.i > max(source_ids, default=-1):
            # Content first: "The EU is expected to approve it, diplomats said."
            # "..., Umerov told reporters.": the audience is not part of what was said.
            audience = {
                t.i for c in cue.children if c.dep_ in ("dobj", "dative") for t in c.subtree
            }
            rest = [t for t in tokens if t.i != cue.i and t.i not in source_ids | audience]
            verb = "said" if cue.lemma_ == "tell" else cue.text
            return f"{speaker} {verb} {_strip_connective(_lower_first(trim_tokens(rest)))}"
        after_source = [t for t in tokens if t.i not in source_ids and t.i >= cue.i]
        if frame.style == "relative":
            pronouns = {c.i for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")}
            after_source = [t for t in after_source if t.i not in pronouns]
        words = _drop_that_after(after_source, cue)
        if cue.dep_ == "relcl" and len(words) > 1 and words[1].tag_.startswith("VB"):
            # "a sign which Kyiv said showed that ..." -> "Kyiv said it showed that ..."
            return f"{speaker} {cue.text} it {_tidy(join_tokens(words[1:]))}"
        if cue.tag_ == "VBG" and words and words[0].i == cue.i:
            # "saying it would only allow Ukraine to regroup" -> "Russia said it would ..."
            return f"{speaker} {past_tense(cue)} {_tidy(join_tokens(words[1:]))}"
        return f"{speaker} {_tidy(join_tokens(words))}"
    second = _second_reporting_verb(piece)
    if second is not None:
        # "Peskov said Moscow was ready for more talks but denied that ...": Peskov denied it.
        rest = [t for t in tokens if t.i > second.i]
        return f"{speaker} {second.text} {_tidy(join_tokens(rest))}"
    cue_ids = {t.i for t in cue.subtree} if frame.style != "verb" else set()
    content = [t for t in tokens if t.i not in cue_ids and t.i not in source_ids]
    if frame.style == "citing":  # "Axios, citing a source, put its length at ..."
        return f"{speaker} {_tidy(join_tokens(trim_tokens(content)))}"
    if len(content) == len(tokens):
        statement = unattributed(piece)  # gives a cut-off clause its subject back
        if piece.reason == "continuation":
            # "..., Umerov said, as well as a future meeting" was also brought up
            statement = f"{_strip_connective(statement).rstrip('.')} {_predicate(frame)}".strip()
        first = piece.tokens[0]
        if first.tag_ not in ("NNP", "NNPS") and first.text != "I":
            statement = statement[:1].lower() + statement[1:]
    else:
        statement = _lower_first(trim_tokens(content))
    return f"{speaker} said {_strip_connective(statement)}"


def _second_reporting_verb(piece: Piece) -> Token | None:
    """The reporting verb that opens a conjunct with no subject of its own ("but denied that")."""
    if piece.reason != "conj":
        return None
    for token in piece.tokens:
        if token.dep_ in ("cc", "punct", "advmod") or token.is_space:
            continue
        has_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
        if (
            token.tag_ in ("VBD", "VBZ", "VBP")
            and token.lemma_ in REPORT_LEMMAS
            and not has_subject
            and any(c.dep_ in ("ccomp", "dobj") for c in token.children)
        ):
            return token
        return None
    return None


def _lower_first(tokens: list[Token]) -> str:
    """Text of a clause now placed after "X said": "The EU is ..." -> "the EU is ..."."""
    text = _tidy(join_tokens(tokens))
    if tokens and tokens[0].tag_ not in ("NNP", "NNPS") and tokens[0].text not in ("I",):
        return text[:1].lower() + text[1:]
    return text


_IRREGULAR_PAST = {"say": "said", "tell": "told", "write": "wrote", "think": "thought"}


def past_tense(verb: Token) -> str:
    """'urging' -> 'urged', 'saying' -> 'said': good enough for reporting verbs."""
    lemma = verb.lemma_.lower()
    if lemma in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[lemma]
    return lemma + ("d" if lemma.endswith("e") else "ed")


def carried(speaker: str, piece: Piece) -> str:
    """A sentence whose report carries over from the one before: 'X said the pilot ...'."""
    statement = unattributed(piece)
    first = piece.tokens[0]
    if first.tag_ not in ("NNP", "NNPS") and first.text != "I":
        statement = statement[:1].lower() + statement[1:]
    return f"{speaker} said {statement}"


def _words(tokens: list[Token]) -> int:
    return sum(1 for t in tokens if not t.is_punct and not t.is_space)


def _predicate(frame: Frame) -> str:
    """The verb group of the clause a parenthetical cue interrupts ("were also brought up")."""
    verb = frame.content_root
    if not verb.tag_.startswith("VB"):
        return ""
    group = [
        c
        for c in verb.children
        if c.dep_ in ("aux", "auxpass", "neg", "prt") or (c.dep_ == "advmod" and c.i < verb.i)
    ]
    return join_tokens(sorted([*group, verb], key=lambda t: t.i))


def _drop_that_after(tokens: list[Token], cue: Token) -> list[Token]:
    for position, token in enumerate(tokens):
        if token.lower_ == "that" and token.dep_ == "mark" and token.i > cue.i:
            previous = tokens[position - 1] if position else None
            if previous is not None and previous.i == cue.i:
                return tokens[:position] + tokens[position + 1 :]
            break
    return tokens


def unattributed(piece: Piece) -> str:
    """The piece as a statement in its own right, with its subject restored where cut off."""
    text = join_tokens(piece.tokens)
    anchor = piece.anchor
    if anchor is None:
        return _event_named(piece, text)
    if piece.reason == "conj":
        own = [c for c in anchor.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
        if own:
            rest = _strip_connective(text)
            subject = _subject_words(anchor.head)
            opening = [t for t in piece.tokens if t.dep_ not in ("cc", "preconj", "punct")]
            pronoun = own[0].lower_ in ("it", "they") and bool(opening) and opening[0] == own[0]
            pronoun = pronoun and rest.lower().startswith(own[0].lower_)
            if pronoun and subject and subject.lower() not in ("it", "they"):
                # "..., but it has struggled" -> "Ukraine has struggled"
                return subject + rest[len(own[0].text) :]
            return rest
        head = anchor.head
        subject = _subject_words(head)
        if not subject:
            return text
        rest = _strip_connective(text)
        if not (anchor.tag_.startswith("VB") or anchor.pos_ in ("VERB", "AUX")):
            auxiliaries = [c for c in head.children if c.dep_ in ("aux", "auxpass", "neg")]
            verb = join_tokens(sorted([*auxiliaries, head], key=lambda t: t.i))
            return f"{subject} {verb} {rest}"
        return f"{subject} {rest}"
    if piece.reason == "apposition":
        subject = _subject_words(anchor.head) if anchor.dep_ in ("nsubj", "nsubjpass") else ""
        subject = subject or join_tokens(_core(anchor))
        root = piece.tokens[0]
        while root.head.i != root.i and root.head in piece.tokens:
            root = root.head
        rest = _strip_relative(text)
        if root.dep_ == "appos" or root.dep_ == "npadvmod":
            return f"{subject} {_copula(anchor)} {rest}"
        return f"{subject} {rest}"
    if piece.reason == "predicate":
        subject = _subject_words(anchor)
        return f"{subject} {text}" if subject else text
    if piece.reason in ("relative", "source"):
        if piece.reason == "relative":
            return f"{join_tokens(_core(anchor))} {_strip_relative(text)}"
        return text.replace(", who ", " ").replace(", which ", " ")
    if piece.reason == "circumstance" and anchor.tag_.startswith("VB"):
        subject = _subject_words(anchor)
        return f"{subject} {anchor.text} {text}" if subject else text
    if piece.reason in ("participle", "with", "contrast"):
        subject = _subject_words(anchor)
        return f"{subject} {_strip_connective(text)}" if subject else text
    return text


# Nouns for the occasion a story is about; "They were held on Thursday" after "The talks were
# the first in three years" is about the talks.
_EVENT_NOUNS = frozenset(
    "talks negotiations discussions meeting meetings session round summit hearing".split()
)


def _event_named(piece: Piece, text: str) -> str:
    """A sentence whose subject is "They" or "It", right after a sentence (in the same
    paragraph) whose subject is an occasion of the same number, names the occasion:
    "They were held on Thursday." -> "Last week's talks were held on Thursday." Only the
    subject of the sentence's main verb, and only an occasion noun: any other antecedent is
    left for the reader, as no coreference model ships."""
    first = next((t for t in piece.tokens if not t.is_space), None)
    if first is None or first.lower_ not in ("they", "it") or first.i != first.sent.start:
        return text
    if first.dep_ not in ("nsubj", "nsubjpass") or first.head.dep_ != "ROOT":
        return text
    sent, subjects = first.sent, []
    for _ in range(3):  # "They took place in ... They were held on ...": the same antecedent
        if sent.start == 0:
            return text
        before = first.doc[sent.start - 1].sent
        if "\n" in first.doc[before.start : sent.start].text.strip(" "):
            return text  # another paragraph
        own = [t for t in before.root.children if t.dep_ in ("nsubj", "nsubjpass")]
        subjects = [t for t in own if t.lower_ in _EVENT_NOUNS]
        if subjects or not own or own[0].lower_ != first.lower_:
            break
        sent = before
    if not subjects:
        return text
    plural = subjects[0].tag_ in ("NNS", "NNPS") or subjects[0].lower_ == "talks"
    if plural != (first.lower_ == "they"):
        return text
    named = join_tokens(_core(subjects[0]))
    rest = text[len(first.text) :] if text.startswith(first.text) else None
    if rest is None or not named:
        return text
    return named[:1].upper() + named[1:] + rest


def _copula(subject: Token) -> str:
    plural = subject.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subject.children)
    past = subject.head.tag_ in ("VBD", "VBN")
    if past:
        return "were" if plural else "was"
    return "are" if plural else "is"


def _subject_words(verb: Token) -> str:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and verb.dep_ == "conj":
        subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return join_tokens(_core(subjects[0])) if subjects else ""


def _core(head: Token) -> list[Token]:
    """A noun phrase without what follows its first comma."""
    words: list[Token] = []
    for token in head.subtree:
        if token.text == "," and token.i > head.i:
            break
        if not token.is_space:
            words.append(token)
    return words


def _strip_connective(text: str) -> str:
    lowered = text.lower()
    for connective in _LEADING_CONNECTIVES:
        if lowered.startswith(connective):
            return text[len(connective) :]
    return text


def _strip_relative(text: str) -> str:
    lowered = text.lower()
    for pronoun in _RELATIVE_PRONOUNS:
        if lowered.startswith(pronoun):
            return text[len(pronoun) :]
    return text


def _tidy(text: str) -> str:
    text = " ".join(text.replace(" ,", ",").split())
    text = re.sub(r"[,;:]\s*(?=[.,;:!?]|$)", "", text)  # punctuation left by a removed cue
    return re.sub(r"\s+([.!?])$", r"\1", text)

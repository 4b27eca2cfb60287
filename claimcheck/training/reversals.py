"""Edits that reverse a claim in other words, or restate what was put on the table.

Unseen news contradicts a stored claim less often with "not" or a single antonym than with a
judgement turned round in other words ("unacceptable" -> "perfectly reasonable", "far from
constructive") or with a report that something never came up at all ("There was no mention
of a ceasefire" against "Zelenskyy raised a ceasefire"). A classifier trained only on the
edits in `transforms.py` reads those as agreement. Here:

contradiction  `reverse_judgement`: an evaluative word replaced by a phrase saying the opposite,
               or a gradable adjective hedged into its negation ("anything but", "no longer")
               `unsaid`: what a speaker raised, proposed or demanded reported as never raised
entailment     `mentioned`: the same thing reported as having come up, in other words

Each returns None when it does not apply, like the transforms it sits beside.
"""

from __future__ import annotations

import random

from spacy.tokens import Doc, Token

from .transforms import _main_verb, _rebuild
from .wordlists import HEDGED_NEGATIONS, MENTIONING, MENTIONING_PREP, REVERSALS, UNGRADED

# Words that grade the next one ("too afraid", "as quickly as possible"): what follows them is
# not a judgement to turn round.
_GRADERS = frozenset("more most less least too so very rather quite how".split())


def _free(tok: Token) -> bool:
    """Not graded or compared ("too afraid", "more likely to"), so a phrase can replace it."""
    doc = tok.doc
    if tok.i > 0 and doc[tok.i - 1].lower_ in _GRADERS:
        return False
    if tok.i > 1 and doc[tok.i - 1].lower_ == "as" and doc[tok.i - 2].pos_ in ("ADJ", "ADV"):
        return False  # "as quickly as possible"
    if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ in ("to", "than", "as"):
        return tok.pos_ == "VERB"  # "refused to", not "likely to" or "more than"
    return not any(c.dep_ == "advmod" for c in tok.children)


def _gradable(tok: Token) -> bool:
    """A predicative adjective ("the talks were constructive", "called them useful")."""
    return (
        _free(tok)
        and tok.pos_ == "ADJ"
        and tok.dep_ in ("acomp", "oprd", "attr", "xcomp", "ccomp")
        and tok.is_alpha
        and tok.lower_ not in UNGRADED
        and not tok.ent_type_
        and not any(c.dep_ == "neg" for c in tok.children)
        and not any(c.dep_ == "neg" for c in tok.head.children)
    )


def reverse_judgement(doc: Doc, rng: random.Random) -> str | None:
    """A judgement said the other way round, in words the premise does not use."""
    if any(t.lower_ in ("not", "n't", "never", "no") for t in doc):
        return None  # reversing an already negative judgement is beyond a word swap
    listed = [t for t in doc if t.lower_ in REVERSALS and not t.ent_type_ and _free(t)]
    hedgeable = [t for t in doc if _gradable(t)]
    if listed and (not hedgeable or rng.random() < 0.65):
        tok = rng.choice(listed)
        word = rng.choice(REVERSALS[tok.lower_])
        if tok.i > 0 and doc[tok.i - 1].lower_ in ("a", "an") and word[:2] in ("a ", "an"):
            word = word.split(" ", 1)[1]  # "a success" -> "a flop", not "a a flop"
        if tok.i > 0 and doc[tok.i - 1].lower_ in ("a", "an"):
            article = "an" if word[:1] in "aeiou" else "a"
            return _rebuild(doc, {tok.i - 1: article, tok.i: word})
        return _rebuild(doc, {tok.i: word.capitalize() if tok.text[:1].isupper() else word})
    if hedgeable:
        tok = rng.choice(hedgeable)
        return _rebuild(doc, {tok.i: f"{rng.choice(HEDGED_NEGATIONS)} {tok.text}"})
    return None


def _put_forward(doc: Doc) -> tuple[str, str, str | None] | None:
    """(who, what, how) when the claim's verb puts something on the table: "Umerov raised the
    question of prisoners" -> ("Umerov", "the question of prisoners", "raised"); `how` is None
    unless the verb is in the simple past."""
    verb = _main_verb(doc)
    if verb is None or verb.tag_ not in ("VBD", "VBN", "VBZ", "VBP"):
        return None
    lemma = verb.lemma_.lower()
    kids = list(verb.children)
    if any(c.dep_ in ("neg", "ccomp", "dative", "xcomp") for c in kids):
        return None  # negated, or what was said is a clause ("promised Haughey that ...")
    obj = [c for c in kids if c.dep_ == "dobj"] if lemma in MENTIONING else []
    if not obj:  # "called for a truce", "spoke about prisoners", "insisted on a summit"
        preps = [c for c in kids if c.dep_ == "prep" and (lemma, c.lower_) in MENTIONING_PREP]
        obj = [g for p in preps for g in p.children if g.dep_ == "pobj"]
        how = f"{verb.lower_} {preps[0].lower_}" if obj else None
    else:
        how = verb.lower_
    subj = [c for c in kids if c.dep_ == "nsubj"]
    if not subj or not obj or obj[0].pos_ == "PRON" or obj[0].ent_type_ == "PERSON":
        return None
    first = obj[0].left_edge
    what = doc[first.i : obj[0].right_edge.i + 1].text.strip()
    if first.pos_ != "PROPN" and not first.is_upper:
        what = what[0].lower() + what[1:]  # "The question" opening the sentence -> "the question"
    who = doc[subj[0].left_edge.i : subj[0].right_edge.i + 1].text.strip()
    if not (1 <= len(what.split()) <= 12) or len(who.split()) > 8 or subj[0].pos_ == "PRON":
        return None
    return who, what, how if verb.tag_ == "VBD" else None


def unsaid(doc: Doc, rng: random.Random) -> str | None:
    """What a speaker raised, reported as never having come up."""
    found = _put_forward(doc)
    if found is None:
        return None
    who, what, how = found
    upper = what[0].upper() + what[1:]
    forms = (
        f"{upper} never came up.",
        f"There was no mention of {what}.",
        f"Nobody {how} {what}." if how else f"Nobody spoke of {what}.",
        f"{who} did not say a word about {what}.",
        f"{who} was silent on {what}.",
        f"{upper} was not on the table.",
    )
    return rng.choice(forms)


def mentioned(doc: Doc, rng: random.Random) -> str | None:
    """What a speaker raised, reported as having come up (the same fact, other words)."""
    found = _put_forward(doc)
    if found is None:
        return None
    who, what, _how = found
    forms = (
        f"{what[0].upper() + what[1:]} came up.",
        f"{who} brought up {what}.",
        f"{who} put {what} on the table.",
        f"There was talk of {what}.",
    )
    return rng.choice(forms)

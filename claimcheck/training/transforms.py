"""Sentence edits with a known effect on meaning, for the pair generator (`pairgen.py`).

Each transform takes one parsed sentence and a random generator and returns the edited text,
or None when it does not apply. Contradicting edits: negation (several surface forms), a
denial, an antonym, a changed number, date or period, swapped roles, another person, another
place. Meaning-keeping edits: compression (an optional modifier dropped), a clause on its own,
synonyms and numbers written another way, a shorter name, another transliteration.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span, Token

from .wordlists import (
    ANTONYMS,
    CONTRACTED,
    MODALS_NEG,
    MONTHS,
    NUMBER_WORDS,
    PERIODS,
    REPORTING,
    SYNONYMS,
    TRANSLITERATIONS,
    WEEKDAYS,
    WORD_OF,
)


def _rebuild(doc: Doc | Span, replace: dict[int, str]) -> str:
    """The text with some tokens replaced (by index; "" deletes), whitespace kept sane."""
    out: list[str] = []
    for tok in doc:
        text = replace.get(tok.i, tok.text)
        if text == "":
            continue
        out.append(text + tok.whitespace_)
    s = "".join(out)
    s = re.sub(r"\s+([,.;:!?)])", r"\1", s)
    s = re.sub(r"\s{2,}", " ", s).strip()
    s = re.sub(r"^[,;:\s]+", "", s)
    s = re.sub(r",\s*,", ",", s)
    s = re.sub(r",\s*\.", ".", s)
    return s[:1].upper() + s[1:] if s else s


def _entities(doc: Doc, labels: Iterable[str]) -> list[Span]:
    wanted = set(labels)
    return [e for e in doc.ents if e.label_ in wanted]


def _reporting_subject(ent: Span) -> bool:
    """The entity is who speaks ("X said"), not what the claim is about."""
    head = ent.root.head
    return (
        ent.root.dep_ in ("nsubj", "pobj")
        and head.lemma_.lower() in REPORTING
        or (head.dep_ == "prep" and head.head.lemma_.lower() in REPORTING)
    )


def _root(doc: Doc) -> Token | None:
    roots = [t for t in doc if t.dep_ == "ROOT"]
    return roots[0] if roots else None


def _main_verb(doc: Doc) -> Token | None:
    """The verb a claim asserts: under a reporting verb ("X said that Y ..."), Y's verb."""
    root = _root(doc)
    if root is None:
        return None
    if root.lemma_.lower() in REPORTING:
        for child in root.children:
            if child.dep_ in ("ccomp", "parataxis") and child.pos_ in ("VERB", "AUX"):
                return child
    return root if root.pos_ in ("VERB", "AUX") else None


# --- contradictions ---------------------------------------------------------------------------


def negate(doc: Doc, rng: random.Random) -> str | None:
    verb = _main_verb(doc)
    if verb is None:
        return None
    negs = [c for c in verb.children if c.dep_ == "neg"]
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    if negs:  # remove the negation: "did not agree" -> "agreed" is beyond us; "did agree" is fine
        cue = negs[0]
        repl = {cue.i: ""}
        if cue.lower_ in ("never",):
            repl = {cue.i: "once" if rng.random() < 0.3 else ""}
        if cue.lower_ == "n't" and cue.i > 0 and doc[cue.i - 1].lower_ == "ca":
            repl[cue.i - 1] = "can"
        return _rebuild(doc, repl)
    if any(t.lower_ in ("no", "never", "nobody", "nothing", "none", "without") for t in doc):
        return None  # already negative in a way that is hard to undo
    style = rng.random()
    if auxes:
        aux = auxes[0]
        low = aux.lower_
        if low in MODALS_NEG:
            neg = MODALS_NEG[low]
            if style < 0.3:
                neg = CONTRACTED.get(neg, neg)
            elif style < 0.45 and low in ("has", "have", "had"):
                neg = f"{low} never"
            return _rebuild(doc, {aux.i: neg if aux.text[:1].islower() else neg.capitalize()})
        if low in ("did", "does", "do"):
            return _rebuild(doc, {aux.i: aux.text + " not"})
        return None
    if (verb.pos_ == "AUX" or verb.lemma_ == "be") and verb.lower_ in MODALS_NEG:  # copula
        neg = MODALS_NEG[verb.lower_]
        if style < 0.3:
            neg = CONTRACTED.get(neg, neg)
        return _rebuild(doc, {verb.i: neg})
    lemma = verb.lemma_.lower()
    if not lemma.isalpha() or lemma in ("be", "have"):
        return None
    if verb.tag_ == "VBD":
        if style < 0.2:
            return _rebuild(doc, {verb.i: "never " + verb.text})
        if style < 0.4:
            return _rebuild(doc, {verb.i: "failed to " + lemma})
        if style < 0.55:
            return _rebuild(doc, {verb.i: "didn't " + lemma})
        return _rebuild(doc, {verb.i: "did not " + lemma})
    if verb.tag_ == "VBZ":
        return _rebuild(doc, {verb.i: ("does not " if style < 0.7 else "doesn't ") + lemma})
    if verb.tag_ == "VBP":
        return _rebuild(doc, {verb.i: ("do not " if style < 0.7 else "don't ") + lemma})
    return None


def denial(doc: Doc, rng: random.Random) -> str | None:
    """Another speaker's denial of the whole statement ("X denied that ...")."""
    text = doc.text.strip().rstrip(".")
    if len(doc) > 40 or not text or _root(doc) is None:
        return None
    if _root(doc).lemma_.lower() in REPORTING:  # type: ignore[union-attr]
        return None
    keep = doc[0].ent_type_ and doc[0].lower_ != "the" or doc[0].text == "I"
    body = text if keep else text[0].lower() + text[1:]
    lead = rng.choice(
        (
            "It is not true that ",
            "Officials denied that ",
            "It is false that ",
            "Sources rejected reports that ",
        )  # fmt: skip
    )
    return f"{lead}{body}."


def antonym(doc: Doc, rng: random.Random) -> str | None:
    options = [t for t in doc if t.lower_ in ANTONYMS and not t.ent_type_]
    if not options:
        return None
    tok = rng.choice(options)
    word = ANTONYMS[tok.lower_]
    if tok.text[:1].isupper():
        word = word.capitalize()
    return _rebuild(doc, {tok.i: word})


def _parse_number(text: str) -> float | None:
    clean = text.replace(",", "")
    try:
        return float(clean)
    except ValueError:
        return NUMBER_WORDS.get(text.lower())


def _format_like(original: str, value: float) -> str:
    if original.lower() in NUMBER_WORDS and int(value) in WORD_OF:
        word = WORD_OF[int(value)]
        return word.capitalize() if original[:1].isupper() else word
    if value == int(value):
        v = int(value)
        return f"{v:,}" if "," in original or v >= 10000 else str(v)
    return f"{value:.1f}"


def _numbers(doc: Doc) -> list[tuple[Token, float]]:
    out = []
    for t in doc:
        if t.like_num or t.lower_ in NUMBER_WORDS:
            v = _parse_number(t.text)
            if v is not None and t.ent_type_ not in ("DATE",) and not (1900 <= v <= 2100):
                out.append((t, v))
    return out


def change_number(doc: Doc, rng: random.Random) -> str | None:
    nums = _numbers(doc)
    if not nums:
        return None
    tok, value = rng.choice(nums)
    if value <= 12:
        choices = [x for x in range(1, 13) if abs(x - value) >= max(1, value * 0.3)]
        new = float(rng.choice(choices))
    else:
        new = value * rng.choice((0.5, 0.6, 1.5, 2, 3))
        if new >= 100:
            new = round(new, -1 if new < 1000 else -2)
        new = float(int(new))
    if new == value:
        return None
    return _rebuild(doc, {tok.i: _format_like(tok.text, new)})


def change_date(doc: Doc, rng: random.Random) -> str | None:
    options: list[tuple[Token, str]] = []
    for t in doc:
        if t.text in WEEKDAYS:
            options.append((t, rng.choice([w for w in WEEKDAYS if w != t.text])))
        elif t.text in MONTHS and t.ent_type_ == "DATE":
            options.append((t, rng.choice([m for m in MONTHS if m != t.text])))
        elif t.like_num and t.text.isdigit() and 1950 <= int(t.text) <= 2100:
            options.append((t, str(int(t.text) + rng.choice((-3, -2, -1, 1, 2)))))
        elif t.lower_ in PERIODS and (t.ent_type_ == "DATE" or t.ent_type_ == "TIME"):
            options.append((t, PERIODS[t.lower_]))
    if not options:
        return None
    tok, new = rng.choice(options)
    return _rebuild(doc, {tok.i: new})


def swap_roles(doc: Doc, rng: random.Random) -> str | None:
    """Two named parties on either side of the verb trade places ("A asked B" -> "B asked A")."""
    verb = _main_verb(doc)
    if verb is None:
        return None
    ents = [
        e for e in _entities(doc, ("PERSON", "ORG", "GPE", "NORP")) if not _reporting_subject(e)
    ]
    before = [e for e in ents if e.end <= verb.i]
    after = [e for e in ents if e.start > verb.i]
    if not before or not after:
        return None
    a, b = before[-1], after[0]
    if (
        a.text.lower() == b.text.lower()
        or a.label_ != b.label_
        and {a.label_, b.label_}
        != {
            "GPE",
            "NORP",
        }
    ):
        return None
    between = doc[a.end : b.start].text.lower()
    if re.search(r"\b(and|between|with|both|each other)\b", between):
        return None  # symmetric relations survive a swap
    out = doc[: a.start].text_with_ws + b.text + a[-1].whitespace_
    out += doc[a.end : b.start].text_with_ws + a.text + b[-1].whitespace_ + doc[b.end :].text
    return _clean(out)


def _clean(s: str) -> str:
    s = re.sub(r"\s{2,}", " ", s).strip()
    return s[:1].upper() + s[1:]


def replace_entity(
    doc: Doc, rng: random.Random, labels: tuple[str, ...], pool: Sequence[str]
) -> str | None:
    ents = [e for e in _entities(doc, labels) if not _reporting_subject(e)]
    if not ents or not pool:
        return None
    ent = rng.choice(ents)
    surname = ent.text.split()[-1].lower()
    others = [
        p for p in pool if p.split()[-1].lower() != surname and p.lower() not in ent.text.lower()
    ]
    if not others:
        return None
    new = rng.choice(others)
    return _clean(doc[: ent.start].text_with_ws + new + ent[-1].whitespace_ + doc[ent.end :].text)


def another_person(doc: Doc, rng: random.Random, pools: dict[str, list[str]]) -> str | None:
    return replace_entity(doc, rng, ("PERSON",), pools.get("PERSON", []))


def another_place(doc: Doc, rng: random.Random, pools: dict[str, list[str]]) -> str | None:
    places = [
        e
        for e in _entities(doc, ("GPE", "LOC", "FAC"))
        if e.start > 0 and doc[e.start - 1].lower_ in ("in", "at", "near", "from", "to", "into")
    ]
    if not places:
        return None
    ent = rng.choice(places)
    pool = [p for p in pools.get(ent.label_, []) + pools.get("GPE", []) if p != ent.text]
    if not pool:
        return None
    new = rng.choice(pool)
    return _clean(doc[: ent.start].text_with_ws + new + ent[-1].whitespace_ + doc[ent.end :].text)


# --- entailments ------------------------------------------------------------------------------

_DROPPABLE = frozenset({"advmod", "prep", "appos", "relcl", "acl", "advcl", "amod"})
_QUANTITY_HEADS = frozenset(
    "number half part some most many lot lots kind sort type rest majority all each one "
    "none any both percent per cent share".split()
)
_KEEP_WORDS = frozenset({"not", "n't", "no", "never", "without", "only", "than", "nothing"})


def _droppable(tok: Token, doc: Doc) -> bool:
    if tok.dep_ not in _DROPPABLE or tok.head.i == tok.i:
        return False
    sub = list(tok.subtree)
    if len(sub) >= len(doc) - 4 or {t.lower_ for t in sub} & _KEEP_WORDS:
        return False
    if any(t.text in ("“", "”", '"', "-", "--", "—") for t in sub):
        return False  # never cut inside a quotation or a hyphenated word
    if tok.i > 0 and doc[tok.i - 1].text in ("-", "--"):
        return False
    if tok.i + 1 < len(doc) and doc[tok.i + 1].text in ("-", "--"):
        return False
    if tok.dep_ == "advcl" and any(
        t.dep_ == "mark" and t.lower_ in ("if", "unless", "until", "whether", "because", "so")
        for t in tok.children
    ):
        return False  # a condition or a reason is part of what is claimed
    if tok.dep_ == "amod":
        return len(sub) == 1 and tok.lower_ not in ANTONYMS and tok.head.pos_ == "NOUN"
    if tok.dep_ == "advmod":
        return len(sub) == 1 and tok.lower_ not in ("again", "longer", "also", "too", "so")
    if tok.dep_ == "prep":
        if tok.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
            return tok.head.lower_ not in _QUANTITY_HEADS and tok.lower_ not in ("of",)
        return tok.head.pos_ in ("VERB", "AUX") and tok.lower_ not in ("by",)
    return True


def compress(doc: Doc, rng: random.Random) -> str | None:
    """Drop one or two optional modifiers (never a negation, number or the verb's object)."""
    if _main_verb(doc) is None:
        return None
    candidates = [list(tok.subtree) for tok in doc if _droppable(tok, doc)]
    if not candidates:
        return None
    rng.shuffle(candidates)
    drop: dict[int, str] = {}
    for sub in candidates[: rng.choice((1, 1, 2))]:
        if any(t.i in drop for t in sub):
            continue
        for t in sub:
            drop[t.i] = ""
        first, last = sub[0].i, sub[-1].i
        before = first > 0 and doc[first - 1].text == ","
        after = last + 1 < len(doc) and doc[last + 1].text == ","
        at_end = last + 1 >= len(doc) or doc[last + 1].is_punct and doc[last + 1].text != ","
        if before and after:  # a parenthetical: both its commas go
            drop[first - 1] = ""
            drop[last + 1] = ""
        elif before and at_end:
            drop[first - 1] = ""
        elif after and first == 0:
            drop[last + 1] = ""
    out = _rebuild(doc, drop)
    if len(out.split()) < 4 or out == doc.text.strip():
        return None
    return out


def clause(doc: Doc, rng: random.Random) -> str | None:
    """One conjunct of "A did X and B did Y", or what a reporting verb reports."""
    root = _root(doc)
    if root is None:
        return None
    conj = [
        c
        for c in root.children
        if c.dep_ == "conj"
        and c.pos_ in ("VERB", "AUX")
        and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
    ]
    if conj:
        part = conj[0]
        if rng.random() < 0.5:
            left = [t for t in doc if t.i < part.left_edge.i]
            while left and left[-1].dep_ in ("cc", "punct"):
                left.pop()
            text = doc[left[0].i : left[-1].i + 1].text if left else ""
        else:
            text = doc[part.left_edge.i : part.right_edge.i + 1].text
        text = _clean(text.rstrip(",; "))
        if len(text.split()) >= 4:
            return text if text.endswith(".") else text + "."
    return None


def paraphrase(doc: Doc, rng: random.Random) -> str | None:
    repl: dict[int, str] = {}
    for t in doc:
        if t.ent_type_ and t.ent_type_ not in ("CARDINAL", "QUANTITY"):
            continue
        if t.lower_ in SYNONYMS and t.text.islower() and rng.random() < 0.6:
            word = rng.choice(SYNONYMS[t.lower_])
            repl[t.i] = word.capitalize() if t.text[:1].isupper() else word
        elif t.like_num and rng.random() < 0.5:
            v = _parse_number(t.text)
            if v is not None and t.lower_ in NUMBER_WORDS and int(v) == v:
                repl[t.i] = str(int(v))
            elif v is not None and int(v) in WORD_OF and t.text.isdigit():
                repl[t.i] = WORD_OF[int(v)]
            elif v is not None and v in (1000.0, 100.0, 1000000.0) and t.text != "1":
                repl[t.i] = {1000.0: "a thousand", 100.0: "a hundred", 1000000.0: "a million"}[v]
    text = _rebuild(doc, repl) if repl else doc.text.strip()
    text2 = transliterate(text, rng)
    if text2 == doc.text.strip():
        return None
    return text2


def transliterate(text: str, rng: random.Random) -> str:
    for a, b in TRANSLITERATIONS:
        if re.search(rf"\b{re.escape(a)}\b", text) and rng.random() < 0.8:
            text = re.sub(rf"\b{re.escape(a)}\b", b, text)
        elif re.search(rf"\b{re.escape(b)}\b", text) and rng.random() < 0.8:
            text = re.sub(rf"\b{re.escape(b)}\b", a, text)
    return text


def shorten_names(doc: Doc, rng: random.Random) -> str | None:
    """ "Turkish foreign minister Hakan Fidan" -> "Fidan" (a name already known to the reader)."""
    people = [
        e
        for e in _entities(doc, ("PERSON",))
        if len(e) >= 2 and all(t.is_alpha and t.text[:1].isupper() for t in e)
    ]
    if not people:
        return None
    ent = rng.choice(people)
    return _clean(doc[: ent.start].text_with_ws + ent[-1].text_with_ws + doc[ent.end :].text)

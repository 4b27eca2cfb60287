"""News-domain training pairs, generated from real sentences in the manner of FactCC.

The public NLI sets are captions; news contradicts itself in other ways. Each transform here
takes one parsed news sentence (the premise, as a stored claim would read) and writes a
hypothesis (a new claim) with a known label:

contradiction  negation (several surface forms), antonym, changed number, changed date or
               period, swapped roles, another person in the same role, another place, a
               judgement reversed in other words, what was raised reported as never raised
entailment     compression (optional modifiers dropped), a clause on its own, synonyms,
               numbers written another way, names in another transliteration, what was
               raised reported as having come up
neutral        another sentence of the same story sharing a name or a word, added detail,
               and a changed detail placed on another occasion ("In 2019, ...")

The edits themselves are in `transforms.py` and `reversals.py`; each is deterministic given the
random generator and returns None when it does not apply, so a sentence yields only the pairs
that make sense for it. No torch here.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass

from spacy.tokens import Doc

from .reversals import mentioned, reverse_judgement, unsaid
from .transforms import (
    another_person,
    another_place,
    antonym,
    change_date,
    change_number,
    clause,
    compress,
    denial,
    negate,
    paraphrase,
    shorten_names,
    swap_roles,
)
from .wordlists import FLIPPABLE, OCCASIONS

ENTAILMENT, NEUTRAL, CONTRADICTION = "entailment", "neutral", "contradiction"
LABELS = (CONTRADICTION, ENTAILMENT, NEUTRAL)


@dataclass(frozen=True)
class Pair:
    premise: str
    hypothesis: str
    label: str
    kind: str
    source: str = ""

    def to_json(self) -> dict[str, str]:
        return asdict(self)


# --- the generator ----------------------------------------------------------------------------

Transform = Callable[[Doc, random.Random], "str | None"]


@dataclass
class Story:
    """Sentences of one source text (an article, or one RTE premise)."""

    name: str
    sentences: list[str]


RESTATE_RATE = 0.5
FIRST_RATE = 0.6


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w']+", text.lower()))


def restate(pair: Pair, nlp, rng: random.Random) -> Pair:  # type: ignore[no-untyped-def]
    """The pair with its hypothesis reworded by a meaning-keeping transform (synonyms, a shorter
    name, a dropped modifier) that keeps every word the first transform introduced."""
    doc = nlp(pair.hypothesis)
    introduced = _words(pair.hypothesis) - _words(pair.premise)
    options: list[tuple[str, Transform]] = [
        ("paraphrase", paraphrase),
        ("shorten", shorten_names),
        ("compress", compress),
    ]
    for kind, fn in rng.sample(options, len(options)):
        out = fn(doc, rng)
        if out and out != pair.hypothesis and out != pair.premise and introduced <= _words(out):
            return Pair(pair.premise, out, pair.label, f"{pair.kind}+{kind}", pair.source)
    return pair


def usable(sentence: str) -> bool:
    n = len(sentence.split())
    return 6 <= n <= 45 and not sentence.isupper() and sentence[-1:] in '.!?"”'


def entity_pools(docs: Iterable[Doc]) -> dict[str, list[str]]:
    pools: dict[str, set[str]] = {}
    for doc in docs:
        for e in doc.ents:
            if e.label_ in ("PERSON", "GPE", "LOC", "FAC") and 1 <= len(e) <= 3:
                text = e.text.strip()
                if text[:1].isupper() and not re.search(r"[^\w\s.-]", text):
                    pools.setdefault(e.label_, set()).add(text)
    return {k: sorted(v) for k, v in pools.items()}


def generate(
    stories: Sequence[Story],
    nlp,  # type: ignore[no-untyped-def]
    *,
    seed: int = 13,
) -> list[Pair]:
    """Pairs for every usable sentence of every story, balanced across labels."""
    rng = random.Random(seed)
    flat = [(s.name, sent) for s in stories for sent in s.sentences if usable(sent)]
    docs = list(nlp.pipe([sent for _, sent in flat], batch_size=64))
    pools = entity_pools(docs)
    by_story: dict[str, list[int]] = {}
    for i, (name, _) in enumerate(flat):
        by_story.setdefault(name, []).append(i)

    contra: list[tuple[str, Transform]] = [
        ("negation", negate),
        ("denial", denial),
        ("antonym", antonym),
        ("number", change_number),
        ("date", change_date),
        ("swap", swap_roles),
        ("person", lambda d, r: another_person(d, r, pools)),
        ("place", lambda d, r: another_place(d, r, pools)),
        ("judgement", reverse_judgement),
        ("unsaid", unsaid),
    ]
    entail: list[tuple[str, Transform]] = [
        ("compress", compress),
        ("clause", clause),
        ("paraphrase", paraphrase),
        ("shorten", shorten_names),
        ("mentioned", mentioned),
    ]
    pairs: list[Pair] = []
    for i, doc in enumerate(docs):
        name, premise = flat[i]
        premise = premise.strip()
        made: list[Pair] = []
        n_contra = 2 if rng.random() < 0.5 else 1
        order = rng.sample(contra, len(contra))
        if rng.random() < FIRST_RATE:  # the rarer reversals in other words go first when they fit
            order.sort(key=lambda k: k[0] not in ("judgement", "unsaid"))
        for kind, fn in order:
            hyp = fn(doc, rng)
            if hyp and hyp != premise:
                made.append(Pair(premise, hyp, CONTRADICTION, kind, name))
                if sum(p.label == CONTRADICTION for p in made) >= n_contra:
                    break
        n_entail = 2 if rng.random() < 0.4 else 1
        for kind, fn in rng.sample(entail, len(entail)):
            hyp = fn(doc, rng)
            if hyp and hyp != premise:
                made.append(Pair(premise, hyp, ENTAILMENT, kind, name))
                if sum(p.label == ENTAILMENT for p in made) >= n_entail:
                    break
        # neutral: another sentence of the same story, preferably sharing a name or a word
        mates = [j for j in by_story[name] if j != i]
        if mates:
            words = {t.lower_ for t in doc if t.is_alpha and not t.is_stop}
            scored = sorted(
                mates,
                key=lambda j: -len(words & {t.lower_ for t in docs[j] if t.is_alpha}),
            )
            j = scored[0] if rng.random() < 0.7 else rng.choice(mates)
            made.append(Pair(premise, flat[j][1].strip(), NEUTRAL, "same_story", name))
        # neutral: a changed detail on another occasion, or the premise with detail added
        flips = [p for p in made if p.label == CONTRADICTION and p.kind in FLIPPABLE]
        starts_with_time = doc[0].ent_type_ in ("DATE", "TIME") or doc[0].lower_ in (
            "in", "on", "at", "last", "until", "after", "before", "when", "since", "earlier"
        )  # fmt: skip
        if flips and not starts_with_time and rng.random() < 0.6:
            flip = rng.choice(flips)
            first = flip.hypothesis
            if not (doc[0].ent_type_ and doc[0].lower_ != "the") and doc[0].text != "I":
                first = first[0].lower() + first[1:]
            made.append(
                Pair(premise, rng.choice(OCCASIONS) + first, NEUTRAL, "other_occasion", name)
            )
        shorter = [p for p in made if p.kind == "compress"]
        if shorter and rng.random() < 0.6:
            made.append(Pair(shorter[0].hypothesis, premise, NEUTRAL, "added_detail", name))
        # Real news restates as it contradicts: half the contradictions and entailments are
        # reworded once more, so that the changed fact is not the only difference.
        made = [
            restate(p, nlp, rng) if p.label != NEUTRAL and rng.random() < RESTATE_RATE else p
            for p in made
        ]
        pairs.extend(made)
    return pairs

"""Opposite words by class, for the antonym detector: each class has two poles, and a claim on
one pole contradicts a stored claim on the other ("satisfied" / "disappointed", "tighten" /
"leave untouched"). Entries are folded substrings; a claim holding both poles is left alone."""

from __future__ import annotations

# Antonym classes: (name, positive words, negative words). Stems are matched as prefixes.
ANTONYMS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "satisfaction",
        ("satisf", "pleased", "content", "happy", "welcom", "encourag", "hearten"),
        ("disappoint", "dissatisf", "unhappy", "frustrat", "dismay"),
    ),
    ("agreement", ("agree", "accept"), ("refus", "reject", "declin")),
    (
        "direction",
        ("rais", "rise", "rose", "increas", "higher", "grow", "grew"),
        ("lower", "fell", "fall", "reduc", "cut", "decreas", "run low", "shrink", "dwindl"),
    ),
    ("opportunity", ("seiz", "used", "grasp", "took"), ("missed", "wasted", "squander")),
    ("likelihood", ("likely", "expect", "probabl"), ("unlikely", "improbabl")),
    (
        "urgency",
        (
            "as soon as possible",
            "as quickly as possible",
            "critically important",
            "urgent",
            "without delay",
            "immediately",
            "fastest possible",
        ),
        (
            "no need to rush",
            "no rush",
            "no hurry",
            "premature",
            "not urgent",
            "can wait",
            "could wait",
            "take its time",
            "take their time",
            "take our time",
        ),
    ),
    ("ease", ("smooth", "success"), ("problemat", "difficult", "struggl")),
    (
        "restrictions",
        ("tighten", "toughen", "stricter", "tougher restrictions", "harsher", "a ban on"),
        (
            # "leave the pipeline untouched", "what it does not touch is the financial sector"
            "untouched",
            "spared",
            "not touch",
            "ease",
            "easing",
            "loosen",
            "looser",
            "relax",
            "lift",
            "soften",
            "scale back",
            "scaling back",
        ),
    ),
    (
        "acceptability",
        (
            "acceptable",
            "reasonable",
            "a basis for",
            "a basis to build on",
            "a good basis",
            "constructive",
            "workable",
            "could work with",
            "can work with",
            "understandable",
        ),
        ("unacceptable", "unreasonable", "non-starter", "not acceptable", "absurd"),
    ),
    (
        "rank",
        ("seniority", "high-level", "high level", "high-ranking", "top-level", "most senior"),
        ("junior", "low-level", "low level", "low-ranking", "lower-level", "second-tier"),
    ),
    (
        "supply",
        ("abundan", "plentiful", "well stocked", "well-stocked", "ample", "no shortage"),
        ("run low", "running low", "ran low", "runs low", "running short", "scarce", "shortage"),
    ),
    (
        "ground",
        (
            "seized more ground",
            "seized ground",
            "gained ground",
            "taken more ground",
            "took more ground",
            "taken ground",
            "captured more",
        ),
        ("lost ground", "ceded ground", "lost territory", "pushed back", "retreat"),
    ),  # fmt: skip
    (
        "support",
        ("expressed support", "expressed its support", "voiced support", "stood behind"),
        ("distanced itself", "distanced themselves", "turned its back", "turned their backs"),
    ),
    (
        "escalation",
        ("gearing up", "stepping up", "ramping up"),
        ("winding down", "wind down", "scaling down", "scale down", "standing down"),
    ),
    (
        "scope",
        ("maximalist", "sweeping", "far-reaching"),
        ("modest", "minimal", "pared back", "pared-back", "limited demands"),
    ),
)

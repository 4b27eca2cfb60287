"""Counts and measures of any counted thing: "three F-16s", "four eastern regions", "1,200km".

`quantities.counts` reads counts of people with their per-side structure (an exchange of
prisoners); this module reads every other number a claim attaches to a thing, so that a changed
count of jets, regions, villages, drones, kilometres or per cent is found whatever the noun:

- a number before the words it counts: "three F-16s", "four eastern Ukrainian regions",
  "five hundred drones", "12 villages";
- a number with its unit written on: "1,200km", "30-day", "5%", "$2bn";
- counting phrases: "one of its F-16 fighter jets" (one), "a pair of jets" (two), "a single
  aircraft" (one), "a dozen", "half a dozen", "dozens of" / "hundreds of" / "thousands of"
  (ranges);
- a qualifier before it widens the value into a range: "some 1,200km" is 1,080–1,320,
  "more than 40" is 40–60, "under two" is 1–2; a bare figure is taken as written (±2%).

What is counted is the content words after the number (up to four, until a function word or
punctuation), singular and folded; two measures are compared only when they count a shared word
("F-16s" and "F-16 fighter jets", "regions" and "eastern regions"). People, durations and dates
are left to their own detectors, and a figure that is part of a name ("F-16", "G7"), a year or a
time of day is not a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import quantities as q
from .lexicon import fold

# The number words of `quantities` ("a", "an" and "half" are read only in phrases here), with
# the teens and tens it does not need for people and hours.
SMALL = {k: v for k, v in q.UNITS.items() if k not in ("a", "an", "half")} | {
    "thirteen": 13, "fourteen": 14, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "seventy": 70, "eighty": 80,
}  # fmt: skip
SCALE = q.SCALES | {"billion": 1_000_000_000}
# Counting phrases read as one value or a range (low, high).
PHRASES: tuple[tuple[str, tuple[float, float]], ...] = (
    (r"half a dozen", (6, 6)),
    (r"a dozen|one dozen", (12, 12)),
    (r"a pair of|a couple of", (2, 2)),
    (r"a single|one single|not a single|single", (1, 1)),
    (r"a handful of", (2, 6)),
    (r"dozens of", (24, 99)),
    (r"scores of", (40, 200)),
    (r"hundreds of", (200, 999)),
    (r"tens of thousands of", (20_000, 99_999)),
    (r"thousands of", (2_000, 9_999)),
    (r"millions of", (2_000_000, 999_999_999)),
    (r"one of (?:its|their|his|her|our|the|those|these)", (1, 1)),
)
# "two of its F-16 jets": a number of a thing the owner has more of
N_OF_RE = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|\d+) of "
    r"(?:its|their|his|her|our|the|those|these)\b"
)
QUALIFIERS = {
    "about": (0.9, 1.1),
    "around": (0.9, 1.1),
    "roughly": (0.9, 1.1),
    "some": (0.9, 1.1),
    "approximately": (0.9, 1.1),
    "an estimated": (0.9, 1.1),
    "nearly": (0.85, 1.0),
    "almost": (0.85, 1.0),
    "just under": (0.85, 1.0),
    "more than": (1.0, 1.5),
    "over": (1.0, 1.5),
    "at least": (1.0, 1.5),
    "just over": (1.0, 1.2),
    "fewer than": (0.5, 1.0),
    "less than": (0.5, 1.0),
    "under": (0.5, 1.0),
    "up to": (0.5, 1.0),
}
EXACT = (0.98, 1.02)
# Units that say too little on their own to tie two figures to one thing ("5%" and "10%").
LOOSE_UNITS = frozenset({"money", "percent"})
UNITS = {
    "km": "km",
    "kms": "km",
    "kilometres": "km",
    "kilometers": "km",
    "kilometre": "km",
    "kilometer": "km",
    "miles": "mile",
    "mile": "mile",
    "m": "metre",
    "%": "percent",
    "percent": "percent",
    "bn": "billion",
    "mn": "million",
    "tonnes": "tonne",
    "tons": "tonne",
}
# Words after which the counted phrase ends.
STOP = frozenset(
    """of in on at to for from with by and or but that which who whom whose was were is are be
    been being had has have do did does will would could should may might must can said says
    told each apiece per than as into onto over under about after before during since until
    while when where if not no more less its their his her our this these those the a an it
    they he she we you i so then also only just all both either neither today yesterday
    tomorrow tonight overnight ago earlier later now""".split()
)
# Counted words that other detectors own, or that say nothing countable on their own.
NOT_COUNTED = frozenset(
    """prisoner prisoners people person persons captive captives soldier soldiers servicemen
    civilian civilians pow pows leader leaders official officials delegate delegates minister
    ministers hour hours minute minutes min mins second seconds day days week weeks month
    months year years time times side sides way ways thing things part parts one ones other
    others of""".split()
)
TIME_AFTER_RE = re.compile(r"^\s*(?:am|pm|a\.m\.|p\.m\.|:\d\d|gmt|utc|bst|cet|o'clock)\b")
MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
NUMBER_WORDS = "|".join([*SMALL, *SCALE, "a", "an"])
WORD_NUMBER_RE = re.compile(rf"\b(?:(?:{NUMBER_WORDS})(?:[\s-]+(?:and[\s-]+)?|$))+", re.I)
DIGITS_RE = re.compile(
    r"(?<![\w.,-])(?P<cur>[$£€])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<unit>%|-?[a-z]+\b)?"
)
PHRASE_RE = re.compile(r"\b(?:" + "|".join(p for p, _ in PHRASES) + r")\b")
QUALIFIER_RE = re.compile(r"\b(" + "|".join(sorted(QUALIFIERS, key=len, reverse=True)) + r")\s+$")
WORD_RE = re.compile(r"[a-z0-9][\w'-]*|[^\w\s]")


@dataclass(frozen=True)
class Measure:
    """A counted thing: its value range, the words it counts, and the words as written."""

    low: float
    high: float
    counted: frozenset[str]
    text: str

    def overlaps(self, other: Measure) -> bool:
        return self.low <= other.high * 1.0001 and other.low <= self.high * 1.0001


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _parse_words(text: str) -> float | None:
    total, current = 0.0, 0.0
    for w in re.split(r"[\s-]+", text.strip()):
        if not w or w == "and":
            continue
        if w in ("a", "an"):
            current = current or 1
        elif w in SMALL:
            current += SMALL[w]
        elif w in SCALE:
            total += (current or 1) * SCALE[w]
            current = 0
        else:
            return None
    value = total + current
    return value or None


def _counted(low: str, start: int) -> tuple[frozenset[str], int]:
    """The content words counted after `start`, and where they end."""
    words: list[str] = []
    end = start
    for m in WORD_RE.finditer(low, start):
        w = m.group(0)
        if not re.match(r"[a-z0-9]", w) or w in STOP or len(words) == 4:
            break
        if re.fullmatch(r"\d[\d,.]*", w):
            break
        words.append(_singular(w.strip("'")))
        end = m.end()
    return frozenset(w for w in words if w and w not in STOP), end


@lru_cache(maxsize=4096)
def measures(text: str) -> tuple[Measure, ...]:
    """Every count or measure of a thing in `text` (see the module's docstring)."""
    low = fold(text)
    found: list[tuple[int, int, float, float, frozenset[str]]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in taken)

    def add(start: int, num_end: int, lo: float, hi: float, unit: str = "") -> None:
        counted, end = _counted(low, num_end)
        # "1,500 kilometres" counts what "1,000km" counts
        counted = frozenset(UNITS.get(w) or UNITS.get(w + "s") or w for w in counted)
        if unit:
            counted = counted | {unit}
        if not counted or counted & NOT_COUNTED and not unit:
            return
        if counted & MONTHS or TIME_AFTER_RE.match(low[num_end:]):
            return
        qual = QUALIFIER_RE.search(low[max(0, start - 20) : start])
        if qual:
            f_lo, f_hi = QUALIFIERS[qual.group(1)]
            start = max(0, start - 20) + qual.start()
        else:
            f_lo, f_hi = EXACT
        taken.append((start, num_end))
        found.append((start, end, lo * f_lo, hi * f_hi, counted))

    for m in PHRASE_RE.finditer(low):
        lo, hi = next(v for p, v in PHRASES if re.fullmatch(p, m.group(0)))
        if free(m.start(), m.end()):
            add(m.start(), m.end(), lo, hi)
    for m in N_OF_RE.finditer(low):
        n = float(m.group(1)) if m.group(1).isdigit() else float(SMALL[m.group(1)])
        if free(m.start(), m.end()):
            add(m.start(), m.end(), n, n)
    for m in DIGITS_RE.finditer(low):
        if not free(m.start(), m.end()):
            continue
        raw = m.group("num").replace(",", "")
        value = float(raw)
        unit_raw = (m.group("unit") or "").lstrip("-")
        before = low[max(0, m.start() - 12) : m.start()]
        # "2,000" and "2000 kilometres" are no years
        year_like = re.fullmatch(r"(19|20)\d\d", m.group("num")) and not any(
            w in UNITS or w + "s" in UNITS for w in _counted(low, m.end("num"))[0]
        )
        if not m.group("cur") and not unit_raw and year_like:
            continue  # a year
        if re.search(r"\b(?:" + "|".join(MONTHS) + r")\s+$", before):
            continue  # "May 16"
        if re.search(r"\d:$", before) or re.match(r":\d", low[m.end("num") :]):
            continue  # a clock time: a live blog's "19:10 Ukrainian source tells us ..."
        unit = UNITS.get(unit_raw, "")
        if unit in ("billion", "million") or unit_raw in SCALE:
            value *= SCALE.get(unit or unit_raw, 1)
            unit = ""
        if m.group("cur"):
            unit = "money"
        end = m.end() if unit_raw and (unit or unit_raw in SCALE) else m.end("num")
        if unit_raw and not unit and unit_raw not in SCALE and m.group("unit").startswith("-"):
            # "30-day", "1,000-strong": the word after the hyphen is what is counted
            counted, _ = _counted(low, m.end("num") + 1)
            if counted and not counted & NOT_COUNTED and free(m.start(), m.end()):
                taken.append((m.start(), m.end()))
                found.append((m.start(), m.end(), value * EXACT[0], value * EXACT[1], counted))
            continue
        add(m.start(), end, value, value, unit)
    for m in WORD_NUMBER_RE.finditer(low):
        words = m.group(0).strip(" -")
        if words in ("a", "an", "one") or not words or not free(m.start(), m.end()):
            continue  # "a" and "one" alone are articles and pronouns far more than counts
        parsed = _parse_words(re.sub(r"^(?:a|an)\s+(?=(?:a|an)\b)", "", words))
        if parsed is None:
            continue
        add(m.start(), m.start() + len(m.group(0).rstrip(" -")), parsed, parsed)
    surface = text if len(text) == len(low) else low
    return tuple(
        Measure(lo, hi, counted, surface[start:end].strip())
        for start, end, lo, hi, counted in sorted(found)
    )


def measures_conflict(
    a: tuple[Measure, ...], b: tuple[Measure, ...]
) -> tuple[Measure, Measure] | None:
    """The first two measures of one counted thing whose ranges cannot meet, unless another
    measure of that thing agrees (a claim that repeats the stored figure is not contradicting
    it: "a pair of jets, not a single aircraft" still conflicts with "one of its jets")."""
    conflict = None
    for x in a:
        for y in b:
            if not x.counted & y.counted - LOOSE_UNITS:
                continue
            if x.overlaps(y):
                return None
            conflict = conflict or (x, y)
    return conflict

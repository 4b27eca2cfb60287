"""Numbers, durations and dates as the detectors compare them.

Journalists round: "just two hours", "almost two hours" and "one hour and 40 minutes" all
describe a meeting of about 100–120 minutes, while "just over an hour" does not. So a duration
is read as an interval of minutes whose width depends on its qualifier, and two durations
conflict only when their intervals do not overlap. Counts of people are read with their
"per side" structure ("1,000 by 1,000", "a thousand each", "a 2,000-prisoner swap" counting both
sides), so that equal exchanges written differently compare equal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from .lexicon import fold

UNITS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "half": 0.5,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "dozen": 12}
# "forty-five", "twenty one": a ten and a unit, read as one number (not as "five")
_COMPOUND = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-]"
    r"(?:one|two|three|four|five|six|seven|eight|nine)\b"
)
NUMBER = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|half a dozen|{_COMPOUND}|"
    r"(?:(?:a|an|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety)[\s-]+)?"
    r"(?:hundred|thousand|million|dozen)|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
)
PEOPLE = (
    r"(?:prisoners?|people|persons?|person|captives|soldiers|servicemen|civilians|pows?|"
    r"leaders|officials|delegates|ministers)"
)


# Counting phrases whose words do not add up ("half a dozen" is not half plus a dozen)
PHRASE_VALUES = {"half a dozen": 6.0, "a couple of": 2.0}


def parse_number(text: str) -> float | None:
    t = fold(text).replace(",", "").replace("-", " ").strip()
    if t in PHRASE_VALUES:
        return PHRASE_VALUES[t]
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    total, current = 0.0, 0.0
    for w in t.split():
        if w in UNITS and 20 <= current < 100 and current % 10 == 0 and UNITS[w] < 10:
            current += UNITS[w]  # "forty five"
        elif w in UNITS:
            current = UNITS[w]
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0
        else:
            return None
    return total + current or None


@dataclass(frozen=True)
class Count:
    """A number of people: per side when the text says so, else a total of unknown structure."""

    value: float
    per_side: bool
    text: str
    noun: str = ""  # what is counted, grouped: "prisoner", "soldier", "civilian", "" (unknown)
    qualifier: str = ""  # "about", "more than", ... as written before the number
    total: bool = False  # "in all", "in total": both sides together, never one side's count

    def totals(self) -> set[float]:
        if self.per_side:
            return {self.value * 2}
        if self.total:
            return {self.value}
        # Only an exchange has sides whose total may be meant: "20 leaders" are 20 leaders.
        return {self.value} if self.noun in UNPAIRED_NOUNS else {self.value, self.value * 2}

    def interval(self, value: float) -> tuple[float, float]:
        """The values the count allows once its qualifier is read ("more than 40": 40-60)."""
        lo, hi = COUNT_QUALIFIER_RANGE.get(self.qualifier, (0.9, 1.1))
        return value * lo, value * hi

    def per_side_values(self) -> set[float]:
        if self.total:
            return {self.value / 2}
        return {self.value} if self.per_side else {self.value, self.value / 2}


PAIR_RE = re.compile(rf"\b({NUMBER})\s*(?:-|\s)(?:for|by|to)(?:-|\s)\s*({NUMBER})\b")
NOT_A_SIDE = "street|road|door|entrance|room|effect|deal|issue|table"  # "a side street"
EACH_RE = re.compile(
    rf"\b({NUMBER})\s+(?:{PEOPLE}\s+)?(?:of war\s+)?(?:\w+\s+){{0,2}}?"
    # "the same two men faced each other": a reciprocal, not a count per side
    rf"(?:each(?!\s+other\b)|apiece|on each side|from each side|on both sides|per side|"
    rf"a side(?!\s+(?:{NOT_A_SIDE})))\b"
)
EACH_BEFORE_RE = re.compile(rf"\beach\s+(?:released|freed|handed over|sent|swapped)\s+({NUMBER})")
# "forty-odd leaders", "thirty-odd European leaders": "-odd" is read as a qualifier
# "about thirty other European leaders": "other" may come before the one word allowed
COUNT_RE = re.compile(rf"\b({NUMBER})(-odd)?(?:-|\s+)(?:other\s+)?(?:\w+\s+)?{PEOPLE}")
TOTAL_AFTER_RE = re.compile(
    r"^(?:\s+of war)?\s*,?\s*(?:in all|in total|altogether|all told|combined)\b"
)


NOUN_GROUP = {
    "soldier": "soldier",
    "servicemen": "soldier",
    "civilian": "civilian",
    "leader": "leader",
    "official": "official",
    "delegate": "official",
    "minister": "official",
}
UNPAIRED_NOUNS = frozenset({"leader", "official"})
COUNT_QUALIFIER_RE = re.compile(
    # "hand over 500 prisoners" hands them over: a verb's particle, not "more than"
    r"(?<!hand )(?<!hands )(?<!handed )(?<!handing )(?<!turn )(?<!turned )(?<!turning )"
    r"\b((?:(?:a little|a bit|slightly|just|well)\s+)?(?:more than|over|fewer than|less than|"
    r"under)|about|around|roughly|some|nearly|almost|approximately|close to|at least|up to)\s+$"
)
# Qualifier -> (low factor, high factor) on the stated count; unqualified counts allow 10%.
COUNT_QUALIFIER_RANGE = {
    "odd": (1.0, 1.3),
    "about": (0.75, 1.25),
    "around": (0.75, 1.25),
    "roughly": (0.75, 1.25),
    "some": (0.75, 1.25),
    "approximately": (0.75, 1.25),
    "nearly": (0.8, 1.0),
    "almost": (0.8, 1.0),
    "more than": (1.0, 1.5),
    "over": (1.0, 1.5),
    "at least": (1.0, 1.5),
    "fewer than": (0.5, 1.0),
    "less than": (0.5, 1.0),
    "under": (0.5, 1.0),
    "up to": (0.5, 1.0),
    "close to": (0.85, 1.0),
}
# "just over 1,000", "a little under 500": close above or below the stated count
for _hedge in ("a little", "a bit", "slightly", "just"):
    for _side, _range in (("more than", (1.0, 1.2)), ("over", (1.0, 1.2)),
                          ("fewer than", (0.8, 1.0)), ("less than", (0.8, 1.0)),
                          ("under", (0.8, 1.0))):  # fmt: skip
        COUNT_QUALIFIER_RANGE[f"{_hedge} {_side}"] = _range
for _side, _range in (("more than", (1.2, 2.0)), ("over", (1.2, 2.0)),
                      ("fewer than", (0.5, 0.9)), ("less than", (0.5, 0.9)),
                      ("under", (0.5, 0.9))):  # fmt: skip
    COUNT_QUALIFIER_RANGE[f"well {_side}"] = _range


def counts(text: str) -> list[Count]:
    """Counts of people in `text` ("500 prisoners on each side", "thousand-for-thousand")."""
    low = fold(text)
    out: list[Count] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], value: float | None, per_side: bool, odd: str = "") -> None:
        if value is None or any(a < m.end() and m.start() < b for a, b in taken):
            return
        taken.append((m.start(), m.end()))
        found = re.search(PEOPLE, low[m.start() : m.end() + 40])
        noun = NOUN_GROUP.get(found.group(0).rstrip("s"), "prisoner") if found else ""
        window = max(0, m.start() - 20)
        qual = COUNT_QUALIFIER_RE.search(low[window : m.start()])
        start = window + qual.start() if qual else m.start()
        total = not per_side and bool(TOTAL_AFTER_RE.match(low[m.end() :]))
        qualifier = " ".join(qual.group(1).split()) if qual else odd
        out.append(Count(value, per_side, text[start : m.end()], noun, qualifier, total))

    for m in PAIR_RE.finditer(low):
        a, b = parse_number(m.group(1)), parse_number(m.group(2))
        if a is not None and a == b and a >= 10:
            add(m, a, True)
    for rx in (EACH_RE, EACH_BEFORE_RE):
        for m in rx.finditer(low):
            value = parse_number(m.group(1))
            # "two plans, one from each side": one of something else apiece, no count of people
            if value is not None and value >= 2:
                add(m, value, True)
    for m in COUNT_RE.finditer(low):
        value = parse_number(m.group(1))
        if value is not None and value >= 2:
            if _enumerated(text[m.end() :], value):
                continue  # "Four leaders, from France, Germany, the UK and Poland": a named group
            add(m, value, False, "odd" if m.group(2) else "")
    return out


_MEMBER = r"(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*"
_LIST_AFTER_RE = re.compile(
    rf"^\s*(?:,|\(|:|—|–)?\s*(?:from|of|including)?\s*"
    rf"({_MEMBER}(?:\s*,\s*{_MEMBER})*\s*,?\s+and\s+{_MEMBER})"
)


def _enumerated(after: str, value: float) -> bool:
    """The count is followed by a list of exactly that many names."""
    m = _LIST_AFTER_RE.match(after)
    if not m:
        return False
    members = [p for p in re.split(r"\s*,\s*|\s+and\s+", m.group(1)) if p.strip()]
    return len(members) == value


def counts_conflict(a: list[Count], b: list[Count]) -> tuple[Count, Count] | None:
    """The first pair of counts that cannot describe the same exchange, unless another pair
    agrees (a claim that repeats the stored figure somewhere is not contradicting it)."""
    if not a or not b:
        return None
    conflict = None
    for x in a:
        for y in b:
            if _compatible(x, y):
                return None
            conflict = conflict or (x, y)
    return conflict


def _compatible(x: Count, y: Count) -> bool:
    if x.noun and y.noun and x.noun != y.noun:
        return True  # counts of different things say nothing about each other

    def close(p: float, q: float) -> bool:
        if x.qualifier or y.qualifier:  # "about 20" and "more than 40" as ranges
            (a, b), (c, d) = x.interval(p), y.interval(q)
            return a <= d and c <= b
        return abs(p - q) <= 0.1 * max(p, q)

    if x.per_side or y.per_side:
        return any(close(p, q) for p in x.per_side_values() for q in y.per_side_values())
    return any(close(p, q) for p in x.totals() for q in y.totals())


# ---- durations -------------------------------------------------------------------------------

# "three and a half hours", "an hour and a quarter", "two-and-three-quarter hours"
FRACTION = r"[\s-]+and[\s-]+(?:a[\s-]+half|a[\s-]+quarter|three[\s-]quarters?)"

DURATION_RE = re.compile(
    rf"\b(?P<qual>(?:a little|a bit|slightly|just|well) (?:over|under|more than|less than)|"
    rf"just shy of|shy of|not quite|close to|little more than|more than|"
    rf"less than|almost|nearly|about|around|roughly|some|barely|over|under|just|only)?\s*"
    rf"(?P<num>{NUMBER}|a couple of|an|a)(?P<frac>{FRACTION})?"
    rf"[\s-]+(?P<unit>hours?|minutes?|mins?)\b"
    rf"(?P<frac2>{FRACTION})?"
    rf"(?:\s+and\s+(?P<num2>{NUMBER})\s+(?P<unit2>minutes?|mins?))?"
)

# Qualifier → (low factor, high factor) applied to the stated value.
QUALIFIER_RANGE = {
    # Narrow on purpose: two ranges overlap when the figures are within about the sum of
    # both tolerances, so "ninety minutes" must not stretch to meet "two hours" (it did at
    # ±20%), while a rounded "just two hours" still covers "one hour and 40 minutes".
    None: (0.92, 1.08),
    "just": (0.85, 1.02),
    "only": (0.85, 1.02),
    "about": (0.88, 1.12),
    "around": (0.88, 1.12),
    "roughly": (0.88, 1.12),
    "some": (0.88, 1.12),
    "almost": (0.8, 1.0),
    "nearly": (0.8, 1.0),
    "just under": (0.8, 1.0),
    "just shy of": (0.8, 1.0),
    "shy of": (0.8, 1.0),
    "not quite": (0.8, 1.0),
    "close to": (0.85, 1.0),
    "barely": (0.85, 1.05),
    "just over": (1.0, 1.3),
    "little more than": (1.0, 1.3),
    "over": (1.0, 1.5),
    "more than": (1.0, 1.5),
    "well over": (1.2, 2.0),
    "under": (0.5, 1.0),
    "less than": (0.5, 1.0),
    "well under": (0.5, 0.95),
    "just more than": (1.0, 1.3),
    "just less than": (0.8, 1.0),
    "well more than": (1.2, 2.0),
    "well less than": (0.5, 0.95),
}
# "a little under four hours", "slightly over an hour": as "just under" / "just over"
for _hedge in ("a little", "a bit", "slightly"):
    for _side in ("over", "under", "more than", "less than"):
        QUALIFIER_RANGE[f"{_hedge} {_side}"] = QUALIFIER_RANGE[f"just {_side}"]


@dataclass(frozen=True)
class Duration:
    low: float  # minutes
    high: float
    text: str

    def overlaps(self, other: Duration) -> bool:
        return self.low <= other.high and other.low <= self.high


# Durations said in words, as (pattern, fewest minutes, most minutes): "a whole working day" is
# no "two hours", and "half an hour" is not the "an hour" inside it.
_WHOLE = r"(?:a|an|the)\s+(?:whole|full|entire|long)\s+"
WORD_DURATIONS = tuple(
    (re.compile(pattern), low, high)
    for pattern, low, high in (
        (r"\b(?:(?:just|only|about|some|barely)\s+)?half(?:\s+an|-an)[\s-]+hour\b", 25, 35),
        (r"\ba\s+half[\s-]hour\b", 25, 35),
        (r"\b(?:a\s+)?quarter\s+of\s+an\s+hour\b", 12, 18),
        (r"\bthree[\s-]quarters\s+of\s+an\s+hour\b", 40, 50),
        (
            rf"\b(?:{_WHOLE}(?:working\s+)?day|all\s+day(?:\s+long)?|a\s+full\s+working\s+day|"
            rf"most\s+of\s+the\s+day)\b",
            360,
            1440,
        ),
        (
            rf"\b(?:{_WHOLE}(?:afternoon|morning|evening)|all\s+(?:afternoon|morning|evening))\b",
            150,
            330,
        ),
        (rf"\b(?:{_WHOLE}night|all\s+night(?:\s+long)?|through\s+the\s+night)\b", 360, 720),
        (
            r"\bfrom\s+(?:\w+\s+)?morning\s+(?:until|till|to|into)\s+(?:late\s+at\s+)?(?:the\s+)?(?:night|evening)\b",
            480,
            960,
        ),
        (r"\b(?:a\s+few|a\s+matter\s+of)\s+minutes\b", 1, 15),
        (r"\bseveral\s+hours\b", 180, 600),
        (r"\ba\s+few\s+hours\b", 120, 330),
        (r"\bhours\s+on\s+end\b", 240, 1200),
    )
)


# Days, only where the words say how long something lasted: "stretched over two days", "lasted
# three days", "a two-day session", "two days of talks". A bare "for two days" is as often a
# stay before the event ("had been in Istanbul for two days") as the event's own length.
_DAYS = r"(?P<days>a couple of|two|three|four|five|six|seven|\d)"
DAYS_RE = re.compile(
    rf"\b(?:(?:last(?:ed|s|ing)?|spann?(?:ed|s|ing)?|(?:went|goes|go|dragged|drags|"
    rf"ran|runs)\s+on(?:\s+for)?|(?:stretch(?:ed|es|ing)?|spread(?:s|ing)?)\s+(?:over|across|into))\s+"
    rf"(?:(?:over|some|about|nearly|almost|more\s+than)\s+)?{_DAYS}\s+(?:full\s+)?days\b|"
    rf"{_DAYS.replace('days>', 'days2>')}[\s-]day\s+(?:talks|session|meeting|negotiations|round)\b|"
    rf"{_DAYS.replace('days>', 'days3>')}\s+days\s+of\s+(?:talks|negotiations|meetings)\b)"
)


# A speech within the event, or a part of it, is not the event's length.
PART_OF_EVENT_RE = re.compile(
    r"\b(?:spoke|speaks|speaking|addressed\s+\w+|the\s+(?:first|last|opening|final|closing))"
    r"(?:\s+for)?(?:\s+(?:just|only|about|some|nearly|almost|barely))?\s*$"
)

# "arrived about an hour before the start", "began two hours late": how far one moment is from
# another, not how long anything lasted. A verb of lasting before it keeps it a length ("lasted
# two hours before breaking up", "inside for forty-five minutes before the doors opened"); time
# counted after the start is the talks' length so far ("two hours after they sat down").
OFFSET_AFTER_RE = re.compile(r"^\s+(?:before|ahead\s+of|earlier|early|late)\b")
LASTING_BEFORE_RE = re.compile(
    r"\b(?:lasted|lasting|lasts|last|for|after|took|take|takes|taking|within|spent|ran|runs|"
    r"running|went\s+on|wrapped\s+up|ended)(?:\s+\w+)?\s*$"
)


def durations(text: str) -> list[Duration]:
    low_text = fold(text)
    out = []
    taken: list[tuple[int, int]] = []
    for m in DAYS_RE.finditer(low_text):
        word = m.group("days") or m.group("days2") or m.group("days3")
        value = 2.0 if word == "a couple of" else parse_number(word)
        if value:
            taken.append(m.span())
            minutes = value * 1440
            out.append(Duration(minutes * 0.8, minutes * 1.2, text[m.start() : m.end()].strip()))
    for pattern, low, high in WORD_DURATIONS:
        for m in pattern.finditer(low_text):
            taken.append(m.span())
            out.append(Duration(low, high, text[m.start() : m.end()].strip()))
    for m in DURATION_RE.finditer(low_text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue  # "half an hour": its "an hour" is no hour
        if PART_OF_EVENT_RE.search(low_text[max(0, m.start() - 30) : m.start()]):
            continue  # "spoke for eight minutes", "the first eleven minutes": not its length
        if OFFSET_AFTER_RE.match(low_text[m.end() :]) and not LASTING_BEFORE_RE.search(
            low_text[max(0, m.start() - 30) : m.start()]
        ):
            continue  # "about an hour before the start": an offset
        value = parse_number(m.group("num"))
        if value is None:
            continue
        frac = m.group("frac") or m.group("frac2") or ""
        value += 0.5 if "half" in frac else 0.75 if "three" in frac else 0.25 if frac else 0
        minutes = value * (60 if m.group("unit").startswith("h") else 1)
        precise = False
        if m.group("num2"):
            extra = parse_number(m.group("num2")) or 0
            minutes += extra
            precise = True
        qual = m.group("qual")
        lo, hi = QUALIFIER_RANGE.get(qual, QUALIFIER_RANGE[None])
        if precise and qual is None:
            lo, hi = 0.95, 1.05
        out.append(Duration(minutes * lo, minutes * hi, text[m.start() : m.end()].strip()))
    return out


def format_minutes(d: Duration) -> str:
    return d.text


# ---- dates -----------------------------------------------------------------------------------

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_RE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")(?:'s)?\b")
YEAR_RE = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
SINCE_YEAR_RE = re.compile(r"\bsince (?:the )?(?:\w+ )?(19[5-9]\d|20[0-4]\d)\b")
IN_YEARS_RE = re.compile(
    rf"\b(?:first|1st)\b.*?\bin\s+(more than\s+|over\s+)?(a couple of|{NUMBER})\s+years\b"
)


# "said on Saturday", "on Monday told reporters": the day a statement was made, not the day of
# the event it is about.
STATEMENT_DAY_RE = re.compile(
    r"\b(?:said|says|told\s+\w+|announced|added|stated|wrote|tweeted|posted)\s+(?:on\s+)?$"
)
STATEMENT_AFTER_RE = re.compile(r"^\s*,?\s*(?:said|told|announced|added|stated|wrote)\b")


def weekdays(text: str) -> set[str]:
    """Weekdays on which something in the text happens; the day a statement was made is left
    out, since "X said on Saturday" does not date the event X speaks about."""
    low = fold(text)
    out = set()
    for m in WEEKDAY_RE.finditer(low):
        if STATEMENT_DAY_RE.search(low[max(0, m.start() - 40) : m.start()]):
            continue
        if STATEMENT_AFTER_RE.match(low[m.end() :]):
            continue
        out.add(m.group(1))
    return out


SEASON_RE = re.compile(
    r"\b(spring|summer|autumn|winter)\b|\b(spring|summer|autumn|winter)s\s+ago\b|"
    r"\b(?:the|of|in)\s+(fall)\s+of\b"
)


# A part of a named year stands for the seasons it spans: "late 2022" is no spring.
PART_OF_YEAR_RE = re.compile(
    r"\b(early|late|mid|the (?:start|beginning|end) of)[\s-]+(?:in\s+)?(?=(?:19|20)\d\d\b)"
)
PART_SEASONS = {
    "early": ("winter", "spring"),
    "the start of": ("winter", "spring"),
    "the beginning of": ("winter", "spring"),
    "mid": ("spring", "summer"),
    "late": ("autumn", "winter"),
    "the end of": ("autumn", "winter"),
}


def seasons(text: str) -> set[str]:
    """Seasons named in the text ("the spring of 2022"), and those a part of a year spans
    ("late 2022": autumn or winter); "fall" only as "the fall of", since the verb is far more
    common."""
    return set(season_words(text))


def season_words(text: str) -> dict[str, str]:
    """{season: the words that name it, as written} (see `seasons`)."""
    low = fold(text)
    out: dict[str, str] = {}
    for m in SEASON_RE.finditer(low):
        season = m.group(1) or m.group(2) or m.group(3)
        words = text[m.start(m.lastindex or 0) : m.end(m.lastindex or 0)]
        out.setdefault("autumn" if season == "fall" else season, words)
    for m in PART_OF_YEAR_RE.finditer(low):
        for season in PART_SEASONS[m.group(1)]:
            out.setdefault(season, text[m.start() : m.end() + 4])
    return out


def years(text: str) -> set[int]:
    return {int(y) for y in YEAR_RE.findall(fold(text))}


# "three springs ago", "two years ago", "last year": a year counted back from the day written
RELATIVE_YEAR_RE = re.compile(
    rf"(?<!more than )(?<!over )(?<!nearly )(?<!almost )(?<!about )(?<!some )"
    rf"\b(?P<n>a|one|{NUMBER})\s+(?:years?|springs?|summers?|autumns?|winters?)\s+ago\b|"
    rf"\blast\s+year\b"
)


@lru_cache(maxsize=8192)
def relative_years(text: str, published_year: int | None) -> Mapping[int, str]:
    """{year: the words that name it} for years written relative to the day of writing
    ("three springs ago" in a 2025 article is 2022); nothing without that year. Read-only:
    a claim is compared with many, so the answer is cached."""
    if not published_year:
        return MappingProxyType({})
    low = fold(text)
    out: dict[int, str] = {}
    for m in RELATIVE_YEAR_RE.finditer(low):
        n = (
            1
            if m.group("n") is None or m.group("n") in ("a", "one")
            else parse_number(m.group("n"))
        )
        if n and 0 < n < 100:
            out.setdefault(published_year - int(n), text[m.start() : m.end()])
    return MappingProxyType(out)


def since_year(text: str, published_year: int | None) -> int | None:
    """The year a "first since YEAR" / "first in N years" claim points back to."""
    low = fold(text)
    m = SINCE_YEAR_RE.search(low)
    if m:
        return int(m.group(1))
    m = IN_YEARS_RE.search(low)
    if m and published_year:
        n = parse_number(m.group(2))
        if n:  # "the first in more than five years": before the year five years back
            return published_year - int(n) - (1 if m.group(1) else 0)
    return None

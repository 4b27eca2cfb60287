"""The word tables the pair generator edits sentences with.

Antonyms and synonyms are listed as surface forms (inflected), because the generator replaces
one token with another without an inflection engine; each pair is read both ways. These lists
make training data, not decisions: the judge never looks a word up here.
"""

from __future__ import annotations

import re

_ANTONYM_PAIRS = """
agreed refused|agree refuse|agrees refuses|accepted rejected|accept reject|accepts rejects
rose fell|rise fall|rises falls|risen fallen|increased decreased|increase decrease
increases decreases|won lost|win lose|wins loses|supported opposed|support oppose
supports opposes|began ended|begin end|started stopped|start stop|starts stops
opened closed|open closed|approved rejected|approve reject|confirmed denied|confirm deny
confirms denies|allowed banned|allow ban|satisfied disappointed|pleased disappointed
optimistic pessimistic|success failure|successful unsuccessful|higher lower|more fewer
before after|earlier later|first last|strong weak|stronger weaker|raised lowered
raise lower|expanded reduced|expand reduce|welcomed condemned|welcome condemn
praised criticised|praise criticise|likely unlikely|possible impossible|legal illegal
guilty innocent|positive negative|good bad|better worse|best worst|gained lost
attended skipped|present absent|included excluded|joined left|arrived departed
released detained|freed captured|constructive unproductive|warm frosty|friendly hostile
calm tense|quickly slowly|fast slow|large small|big small|long short|high low|major minor
cheap expensive|profit loss|surplus deficit|victory defeat|ready unwilling|willing unwilling
progress deadlock|hope fear|easy difficult|easier harder|safe dangerous|strengthened weakened
boosted hurt|improved worsened|improve worsen|cut raised|lifted imposed|lift impose
ended extended|end extend|upheld overturned|backed rejected|back reject|passed failed
succeeded failed|full empty|growing shrinking|grew shrank|up down|ahead behind|above below
maximum minimum|most least|majority minority|always never|everyone nobody|all none
"""
ANTONYMS: dict[str, str] = {}
for _pair in re.split(r"[|\n]", _ANTONYM_PAIRS.strip()):
    _a, _b = _pair.split()
    ANTONYMS.setdefault(_a, _b)
    ANTONYMS.setdefault(_b, _a)

_SYNONYM_PAIRS = """
talks negotiations|meeting talks|said stated|says states|told informed|about around|nearly almost
roughly about|began started|begin start|ended finished|country nation|announced declared
government administration|president head of state|minister official|officials authorities
soldiers troops|prisoners detainees|exchange swap|ceasefire truce|agreement deal|accord deal
proposal plan|asked requested|big large|huge enormous|rapidly quickly|discussed talked about
criticised criticized|capital city|company firm|firms companies|workers employees|rise increase
fell dropped|bought purchased|help assist|helped assisted|killed left dead|attack assault
demanded called for|warned cautioned|met held talks with|visited travelled to|main principal
important significant|but however|also too|before prior to|after following
constructive productive|concerned worried|essential vital|unacceptable intolerable|ready prepared
difficult hard|optimistic hopeful|disappointed dismayed|welcomed hailed|criticised attacked
rejected dismissed|refused declined|setback blow|stalemate deadlock|brief short|lengthy long
"""
SYNONYMS: dict[str, list[str]] = {}
for _pair in re.split(r"[|\n]", _SYNONYM_PAIRS.strip()):
    _a, _b = _pair.strip().split(" ", 1)
    SYNONYMS.setdefault(_a, []).append(_b)
    if " " not in _b:
        SYNONYMS.setdefault(_b, []).append(_a)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12,
}  # fmt: skip
WORD_OF = {v: k for k, v in NUMBER_WORDS.items() if k not in ("dozen", "hundred")}
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = (
    "January February March April May June July August September October November December"
).split()
PERIODS = {
    "minutes": "hours", "hours": "days", "days": "weeks", "weeks": "months", "months": "years",
    "years": "months", "minute": "hour", "hour": "day", "day": "week", "week": "month",
    "month": "year", "year": "month",
}  # fmt: skip
FLIPPABLE = frozenset({"negation", "antonym", "number", "date", "place", "judgement"})
OCCASIONS = (
    "In 2019, ", "Last year, ", "At an earlier meeting, ", "In the next round, ",
    "A decade ago, ", "At a separate event, ", "In a different case, ",
)  # fmt: skip
REPORTING = frozenset(
    "say said says tell told add added according claim claimed state stated announce announced "
    "insist insisted write wrote".split()
)
MODALS_NEG = {
    "can": "cannot", "could": "could not", "will": "will not", "would": "would not",
    "should": "should not", "must": "must not", "may": "may not", "might": "might not",
    "is": "is not", "was": "was not", "are": "are not", "were": "were not", "has": "has not",
    "have": "have not", "had": "had not", "'s": "is not", "am": "am not",
}  # fmt: skip
CONTRACTED = {"is not": "isn't", "was not": "wasn't", "are not": "aren't", "has not": "hasn't",
              "have not": "haven't", "will not": "won't", "did not": "didn't",
              "does not": "doesn't", "could not": "couldn't", "would not": "wouldn't"}  # fmt: skip
TRANSLITERATIONS = (
    ("Zelenskyy", "Zelensky"), ("Zelensky", "Zelenskiy"), ("Umerov", "Umierov"),
    ("Medinsky", "Medinskiy"), ("Erdoğan", "Erdogan"), ("Yermak", "Iermak"),
    ("Kyiv", "Kiev"), ("Dmitry", "Dmitri"), ("Sergey", "Sergei"), ("Peskov", "Peskow"),
    ("Gaddafi", "Qaddafi"), ("Mohammed", "Muhammad"), ("Tchaikovsky", "Chaikovsky"),
)  # fmt: skip

# Reversed judgements in other words: a word and phrases that say the opposite of it, read one
# way only ("unacceptable" -> "perfectly reasonable"). News reverses a stance this way far more
# often than with the single antonym above.
_REVERSALS = """
unacceptable: perfectly reasonable; entirely acceptable; quite fair
acceptable: out of the question; unacceptable
essential: unnecessary; no longer needed; beside the point
important: irrelevant; of little consequence
crucial: irrelevant; of little consequence
vital: unnecessary; dispensable
concerned: relieved; reassured; unworried
worried: relieved; reassured; unconcerned
alarmed: relieved; reassured
disappointed: delighted; relieved
pleased: dismayed; unhappy
constructive: pointless; fruitless; unproductive
productive: fruitless; pointless
useful: pointless; worthless
positive: bleak; gloomy
optimistic: gloomy; downbeat; sceptical
hopeful: gloomy; despairing
ready: unprepared; nowhere near ready
serious: half-hearted; insincere
sincere: insincere; cynical
genuine: hollow; a sham
breakthrough: setback; dead end
success: flop; fiasco; setback
failure: breakthrough; triumph
progress: stalemate; no headway
welcomed: dismissed; scorned; brushed aside
rejected: embraced; endorsed
refused: consented; agreed
denied: admitted; acknowledged
admitted: denied; disputed
praised: slammed; derided
criticised: praised; hailed; applauded
condemned: applauded; hailed
strong: feeble; flimsy
weak: robust; solid
confident: doubtful; unsure
determined: reluctant; hesitant
eager: reluctant; hesitant
willing: reluctant; loath
keen: reluctant; loath
calm: heated; stormy; acrimonious
cordial: icy; acrimonious
friendly: icy; acrimonious
tense: relaxed; cordial
hostile: cordial; warm
brief: lengthy; drawn-out
short: lengthy; drawn-out
quick: drawn-out; protracted
possible: out of the question; off the table
impossible: entirely feasible; within reach
significant: negligible; marginal
small: sizeable; substantial
large: modest; small-scale
huge: modest; tiny
clear: murky; unclear
encouraging: discouraging; disheartening
"""
REVERSALS: dict[str, list[str]] = {}
for _line in _REVERSALS.strip().splitlines():
    _word, _phrases = _line.split(":", 1)
    REVERSALS[_word.strip()] = [p.strip() for p in _phrases.split(";")]

# An adjective said the other way round without an antonym: "far from constructive".
HEDGED_NEGATIONS = (
    "far from",
    "anything but",
    "hardly",
    "by no means",
    "no longer",
    "nowhere near",
)
# Adjectives that do not grade, so "far from first" would be nonsense.
UNGRADED = frozenset(
    "first last next other same own former new old only such whole main further previous "
    "additional separate several many much few more most less least".split()
)

# Verbs by which something is put on the table; what they put there can be "never mentioned".
MENTIONING = frozenset(
    "raise discuss mention propose demand offer request suggest address table promise pledge "
    "announce agree present outline cite float broach seek".split()
)
MENTIONING_PREP = frozenset(
    {("call", "for"), ("push", "for"), ("press", "for"), ("ask", "for"), ("speak", "about"),
     ("speak", "of"), ("talk", "about"), ("insist", "on"), ("argue", "for"), ("plead", "for")}
)  # fmt: skip

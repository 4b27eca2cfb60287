"""Sources that are organisations, groups or documents, named as a newsroom names them.

A search is for "Disney" or "Justice Department", never for "Spokesman" or "Department", so
the words that name an unnamed person, a group or a document keep the organisation they belong
to: "a spokesman for Disney" -> "Disney spokesman", "the management of RT" -> "RT management",
"Officials at the Maritime and Coastguard Agency" -> "Maritime and Coastguard Agency officials",
"a job posting on the website of The Lantern Review" -> "Lantern Review job posting". A
definite description ("the channel", "The survey") is the organisation or document the article
named with that noun earlier ("the Russian state-funded broadcaster RT", "the latest Federal
Reserve survey of business economists").

These functions only pick tokens; :mod:`claimcheck.extract.mentions` turns them into names.
"""

from __future__ import annotations

from spacy.tokens import Token

PROPER_TAGS = ("NNP", "NNPS")
# Adjectives that say nothing about the role ("a senior spokesman", "the latest survey").
_NOT_ROLE_WORDS = frozenset("senior new latest recent unnamed anonymous local other".split())
# Prepositions that tie a source to the body it speaks for ("spokesman for", "officials at").
_BELONGING = frozenset({"for", "of", "at", "from", "with", "on"})
# "Half of the respondents", "most of the economists": the noun after "of" is the source.
QUANTIFIERS = frozenset(
    """half most some many all none several majority minority third quarter two three four
    five few one each both""".split()
)
# Nouns that stand for an organisation or a document, and the nouns an article may have used
# for the same thing earlier.
_SAME_THING = {
    "channel": {"channel", "broadcaster", "network", "station", "outlet"},
    "broadcaster": {"channel", "broadcaster", "network", "station"},
    "network": {"channel", "broadcaster", "network", "station"},
    "station": {"channel", "broadcaster", "network", "station"},
    "company": {"company", "firm", "carmaker", "maker", "group", "business", "airline", "bank"},
    "firm": {"company", "firm", "group", "business"},
    "carmaker": {"carmaker", "company", "maker"},
    "airline": {"airline", "carrier", "company"},
    "carrier": {"airline", "carrier", "company"},
    "bank": {"bank", "lender"},
    "lender": {"bank", "lender"},
    "campaign": {"campaign"},
    "survey": {"survey", "poll"},
    "poll": {"survey", "poll"},
    "study": {"study", "report", "survey"},
    "report": {"report", "study"},
    "magazine": {"magazine", "publication", "newspaper", "paper"},
    "newspaper": {"newspaper", "paper", "publication", "magazine"},
    "paper": {"newspaper", "paper"},
    "union": {"union", "association", "federation"},
    "association": {"association", "union"},
    "agency": {"agency", "department", "ministry", "office", "bureau"},
    "department": {"department", "agency", "ministry"},
    "ministry": {"ministry", "department"},
    "embassy": {"embassy"},
    "commission": {"commission"},
    "committee": {"committee", "panel"},
    "panel": {"panel", "committee"},
    "council": {"council"},
    "court": {"court"},
    "team": {"team", "club"},
    "club": {"club", "team"},
    "university": {"university", "college", "school"},
    "hospital": {"hospital", "trust"},
    "district": {"district"},
    "group": {"group", "organisation", "organization", "company"},
}


def is_proper(token: Token) -> bool:
    return token.tag_ in PROPER_TAGS and token.text[:1].isupper()


def proper_phrase(head: Token) -> list[Token]:
    """The proper name a proper noun heads: its own words up to it, without a determiner,
    plus a trailing "of Defence" ("The Ministry of Defence", "the Maritime and Coastguard
    Agency", "The Lantern Review")."""
    words = [
        t
        for t in head.subtree
        if t.i <= head.i
        and (
            t.i == head.i
            or (
                t.dep_ not in ("det", "punct", "poss", "case", "amod")
                and (is_proper(t) or t.lower_ in ("and", "&") or t.like_num)
            )
        )
    ]
    # Only the contiguous run ending at the head.
    run: list[Token] = []
    for token in reversed(words):
        if run and token.i != run[-1].i - 1:
            break
        run.append(token)
    run.reverse()
    while run and run[0].lower_ in ("and", "&"):
        run = run[1:]
    return run + of_phrase(head)


def of_phrase(head: Token) -> list[Token]:
    """'of Defence' after 'Ministry', 'of England' after 'Bank': part of a proper name."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == head.i + 1:
            objects = [o for o in child.children if o.dep_ == "pobj" and is_proper(o)]
            if objects and all(
                is_proper(t) or t.lower_ in ("and", "&") for t in objects[0].subtree
            ):
                return [child, *objects[0].subtree]
    return []


def owner_of(head: Token) -> list[Token] | None:
    """The proper name of the body a common-noun source belongs to, if the words say so.

    "spokesman for Disney", "the management of RT", "analysts at Brightwater Securities",
    "a job posting on the website of The Lantern Review" (through one more common noun).
    """
    frontier = [head, *noun_tail(head)]
    for _ in range(2):
        following: list[Token] = []
        for node in frontier:
            for prep in node.children:
                if prep.dep_ != "prep" or prep.lower_ not in _BELONGING or prep.i < node.i:
                    continue
                for obj in prep.children:
                    if obj.dep_ != "pobj":
                        continue
                    if is_proper(obj):
                        return proper_phrase(obj)
                    if obj.tag_ not in ("NN", "NNS"):
                        continue
                    # "a spokeswoman for the company", "minutes of the central bank's meeting"
                    owners = [obj, *(c for c in obj.children if c.dep_ == "poss")]
                    for noun in reversed(owners):
                        if noun.tag_ in ("NN", "NNS") and any(
                            c.lower_ == "the" for c in noun.children
                        ):
                            named = earlier_named(noun, noun.i)
                            if named:
                                return named
                    following.append(obj)
        frontier = following
    return None


def possessor_of(head: Token) -> list[Token] | None:
    """'RT's editor-in-chief': the proper name that owns a common-noun source."""
    for child in head.children:
        if child.dep_ == "poss" and is_proper(child):
            return proper_phrase(child)
    return None


def noun_tail(head: Token) -> list[Token]:
    """'posting' in "A job posting on the website": the parser reads it as a participle."""
    return [c for c in head.children if c.dep_ == "acl" and c.tag_ == "VBG" and c.i == head.i + 1]


def noun_words(head: Token) -> list[Token]:
    """The noun and its compounds ("job posting"), with a hyphenated tail ("editor-in-chief")."""
    words = [head]
    doc = head.doc
    position = head.i - 1
    # The words right before the noun that make the role: "chief financial officer".
    while position >= 0:
        token = doc[position]
        if token.head.i != head.i and token.head.i not in {w.i for w in words}:
            break
        if token.dep_ not in ("compound", "amod") or is_proper(token):
            break
        if token.lower_ in _NOT_ROLE_WORDS:
            break
        words.insert(0, token)
        position -= 1
    words += noun_tail(head)
    position = words[-1].i + 1
    while (
        position + 1 < len(doc)
        and doc[position].text == "-"
        and not doc[position - 1].whitespace_
        and not doc[position].whitespace_
    ):
        words.extend([doc[position], doc[position + 1]])
        position += 2
    return words


def earlier_named(head: Token, before: int) -> list[Token] | None:
    """The proper name an earlier noun phrase gave the thing a definite description means.

    "the channel" after "the Russian state-funded broadcaster RT" -> RT; "The survey" after
    "the latest Federal Reserve survey" -> Federal Reserve survey (the noun kept, as the
    earlier phrase had it).
    """
    same = _SAME_THING.get(head.lemma_.lower())
    if not same:
        return None
    if any(c.lower_ == "central" for c in head.children):
        same = same | _CENTRAL_BANKS  # "the central bank" after "Federal Reserve officials"
    doc = head.doc
    floor = headline_end(doc)  # a headline's capitalised words name nothing
    for index in range(before - 1, max(floor - 1, before - 400), -1):
        token = doc[index]
        if token.lower_ in same and is_proper(token) and token.head.i != head.i:
            return proper_phrase(token)  # "the council" after "The Harbor City Council"
        if token.lemma_.lower() not in same or token.tag_ not in ("NN", "NNS"):
            continue
        if token.dep_ == "compound" and is_proper(token.head):
            return proper_phrase(token.head)  # "broadcaster RT"
        appositive = [c for c in token.children if c.dep_ == "appos" and is_proper(c)]
        if appositive:
            return proper_phrase(appositive[0])  # "the magazine, The Lantern Review,"
        owners = [
            c for c in token.children if c.dep_ in ("compound", "poss", "nmod") and is_proper(c)
        ]
        if owners:
            return [*proper_phrase(owners[-1]), token]  # "the Marsh campaign"
        owner = owner_of(token)
        if owner:
            return [*owner, token]
    if head.lemma_.lower() in _COMPANY_NOUNS:
        # "Brightbloom Toys is recalling ... The company said": the body last named as a subject.
        for index in range(before - 1, max(floor - 1, before - 400), -1):
            token = doc[index]
            if (
                token.dep_ in ("nsubj", "nsubjpass")
                and is_proper(token)
                and token.ent_type_ in ("ORG", "")
            ):
                return proper_phrase(token)
    return None


_CENTRAL_BANKS = frozenset({"reserve", "fed", "ecb"})
_COMPANY_NOUNS = frozenset(
    """company firm carmaker airline retailer lender maker manufacturer insurer chain business
    startup toymaker automaker""".split()
)
_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or the to with vs".split())


def headline_end(doc) -> int:
    """Index of the first token after a title-case headline line, or 0 when the first line is
    not one (a sentence, or the only line). Reads at most the first 80 tokens."""
    line: list[Token] = []
    end = 0
    for token in doc[:80]:
        if "\n" in token.text or "\n" in token.whitespace_:
            end = token.i + (0 if "\n" in token.text else 1)
            if "\n" not in token.text:
                line.append(token)
            break
        line.append(token)
    if not end or not line or line[-1].text[-1:] in '.!?:"\u201d':
        return 0
    words = [t.text for t in line if t.text[:1].isalpha() and t.lower_ not in _SMALL_WORDS]
    if len(words) < 3 or sum(w[:1].isupper() for w in words) < 0.8 * len(words):
        return 0
    return end


def appositive_name(head: Token) -> Token | None:
    """'Ukraine's foreign minister, Andrii Sybiha,': the name set off after a description."""
    if head.tag_ not in ("NN", "NNS"):
        return None
    # "Both senators from Maine, Republican Susan Hale and ...", "A lawyer for the Red Fork
    # Tribe, Anna Whitehorse,": the parser may hang the person off the place or the body; a
    # person's name after the comma is still the source.
    for prep in head.children:
        for place in prep.children if prep.dep_ == "prep" else ():
            for child in place.children:
                if (
                    (child.dep_ == "appos" or (child.dep_ == "conj" and head.tag_ == "NNS"))
                    and child.ent_type_ == "PERSON"
                    and child.left_edge.i > 0
                    and head.doc[child.left_edge.i - 1].text == ","
                ):
                    return child
    for child in head.children:
        listed = (
            child.dep_ == "conj"
            and head.tag_ == "NNS"
            and child.left_edge.i > 0
            and head.doc[child.left_edge.i - 1].text == ","
        )  # "Both candidates ..., Democrat Laura Fenwick and Republican Dale Marsh,"
        if (child.dep_ == "appos" or listed) and child.tag_ in ("NNP", "NNPS"):
            if all(
                t.tag_ in ("NNP", "NNPS") or t.is_punct or t.dep_ == "cc" for t in child.subtree
            ):
                return child
    return None


def conjoined_names(head: Token) -> list[Token]:
    """'Democrat Laura Fenwick and Republican Dale Marsh': the names joined to the first."""
    found: list[Token] = []
    for child in head.children:
        if child.dep_ == "conj" and child.tag_ in ("NNP", "NNPS") and child.i > head.i:
            found.append(child)
            found.extend(conjoined_names(child))
    return found

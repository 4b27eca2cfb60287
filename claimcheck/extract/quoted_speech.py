"""Who speaks a standalone quotation.

In order of preference: a cue right after the closing mark (``"...," Umerov told reporters.``),
a lead-in before the opening mark (``He added: "..."``, ``Starmer, standing with Macron:``), the
speaker of the previous quotation in the same paragraph (``"...," Zelenskyy said. "..."``), and,
for a paragraph that is nothing but a quotation, the last speaker of the paragraph before
(the bare-quote paragraph that continues von der Leyen's words in the founding article).

The cue words themselves ("Umerov told reporters afterwards.") are not claims; their token
indices are collected in :attr:`QuoteAttributor.dropped` so the clause splitter skips them.
"""

from __future__ import annotations

from spacy.tokens import Token

from claimcheck.extract import sources
from claimcheck.extract.attribution import Frame
from claimcheck.extract.mentions import (
    NO_SPEAKER_NAMED,
    NameRegistry,
    ResolvedSpeaker,
    SpeakerResolver,
    is_name_token,
)
from claimcheck.extract.parse import ArticleParse
from claimcheck.extract.quotes import Quotation
from claimcheck.models import Claim

_MAX_CUE_WORDS = 14
_PRONOUNS = frozenset({"he", "she", "they", "it", "we"})


class _Cue:
    def __init__(self, frame: Frame | None, head: Token | None, words: list[Token], text: str):
        self.frame = frame
        self.head = head
        self.words = words
        self.text = text


class QuoteAttributor:
    def __init__(self, article: ArticleParse, outlet: str, kinds: dict[str, str]):
        self.article = article
        self.kinds = kinds  # speaker name -> person | organisation | group | outlet
        self.resolver = SpeakerResolver(article.registry, outlet, article.in_standalone)
        self.dropped: set[int] = set()
        self.cues: dict[int, _Cue] = {}
        for quotation in article.standalone:
            cue = self._find_cue(quotation)
            if cue is not None:
                self.cues[quotation.open] = cue
        self._speaker_by_quote: dict[int, tuple[ResolvedSpeaker, list[str], str | None]] = {}

    @property
    def registry(self) -> NameRegistry:
        return self.article.registry

    # -- finding cues ------------------------------------------------------------------

    def _find_cue(self, quotation: Quotation) -> _Cue | None:
        if quotation.post:
            return self._post_lead_in(quotation)
        lead_in = self._lead_in(quotation)
        trailing = self._trailing(quotation)
        if lead_in is not None and lead_in.text == ":":
            return lead_in
        return trailing or lead_in

    def _post_lead_in(self, quotation: Quotation) -> _Cue | None:
        """'Dunn responded to the governor on X:' in the paragraph before an embedded post."""
        article, doc = self.article, self.article.doc
        if quotation.paragraph == 0:
            return None
        before = article.paragraphs[quotation.paragraph - 1]
        if not article.text[before.body_start : before.end].rstrip().endswith(":"):
            return None
        span = doc.char_span(before.body_start, before.end, alignment_mode="expand")
        words = [t for t in span if not t.is_space] if span is not None else []
        if not words:
            return None
        sentence_number = article.sentence_of_token(words[-1])
        sentence = article.sentences[sentence_number]
        run = self._run([t for t in words if t.i >= sentence.start])
        frame = self._frame_in(run, sentence_number)
        if frame is None:
            # "The union's president, Frank Moretti, posted on Facebook:" read as a noun phrase.
            described = next((t for t in run if sources.appositive_name(t) is not None), None)
            if described is None:
                return None
            self.dropped.update(t.i for t in run)
            return _Cue(None, described, [t for t in described.subtree if t in run], ":")
        if self._cue_only(run, frame):
            self.dropped.update(t.i for t in run)
        return _Cue(frame, frame.source, frame.source_tokens, ":")

    def _run(self, tokens: list[Token]) -> list[Token]:
        article = self.article
        return [t for t in tokens if t.i not in article.in_standalone and not t.is_space]

    def _trailing(self, quotation: Quotation) -> _Cue | None:
        article, doc = self.article, self.article.doc
        close = doc.char_span(quotation.open, quotation.end, alignment_mode="expand")
        if close is None or close.end >= len(doc):
            return None
        sentence_number = article.sentence_of_token(doc[close.end - 1])
        following = doc[close.end]
        if (
            article.sentence_of_token(following) != sentence_number
            and following.text[:1].islower()
            and "\n" not in doc[close.end - 1].text_with_ws
        ):
            # '"Is this fair?" he asked.': the parser ends the sentence at the question mark.
            sentence_number = article.sentence_of_token(following)
        sentence = article.sentences[sentence_number]
        run: list[Token] = []
        for token in doc[close.end : sentence.end]:
            if token.i in article.in_standalone or "\n" in token.text:
                break
            if not token.is_space:
                run.append(token)
        if not run:
            return None
        frame = self._frame_in(run, sentence_number)
        if frame is None:
            return self._dash_credit(run)
        # '"...," the mayor told reporters, adding that ...': a clause hanging from the cue is
        # a claim of its own; the rest ("said Juan Pérez, a local councillor") is the cue.
        clause_ids = {
            t.i
            for child in frame.cue.children
            if child.dep_ in ("advcl", "ccomp", "conj", "xcomp", "parataxis")
            for t in child.subtree
        }
        clause_end = max(clause_ids, default=-1)
        cue_part = [
            t for t in run if t.i not in clause_ids and not (t.is_punct and t.i > clause_end >= 0)
        ]
        if self._cue_only(cue_part, frame):
            self.dropped.update(t.i for t in cue_part)
        return _Cue(frame, frame.source, frame.source_tokens, "after")

    def _dash_credit(self, run: list[Token]) -> _Cue | None:
        """'"It was a productive meeting" - Umerov.': a name after a dash credits the quote."""
        if run[0].text not in ("-", "\u2013", "\u2014"):
            return None
        words = [t for t in run[1:] if not t.is_punct]
        if not words or len(words) > 4 or not all(is_name_token(t) for t in words):
            return None
        self.dropped.update(t.i for t in run)
        return _Cue(None, words[-1], words, "-")

    def _lead_in(self, quotation: Quotation) -> _Cue | None:
        article, doc = self.article, self.article.doc
        opening = doc.char_span(quotation.open, quotation.open + 1, alignment_mode="expand")
        if opening is None:
            return None
        sentence_number = article.sentence_of_token(opening[0])
        sentence = article.sentences[sentence_number]
        run = self._run(list(doc[sentence.start : opening.start]))
        if not run:
            return None
        last = run[-1].text
        frame = self._frame_in(run, sentence_number)
        if last == ":":
            self.dropped.update(t.i for t in run)
            if frame is not None:
                return _Cue(frame, frame.source, frame.source_tokens, ":")
            head = self._named_head(run)
            if head is None:
                return None
            return _Cue(None, head, [t for t in head.subtree if t in run], ":")
        if frame is not None and (last == "," or self._cue_only(run, frame)):
            if self._cue_only(run, frame):
                self.dropped.update(t.i for t in run)
            return _Cue(frame, frame.source, frame.source_tokens, "before")
        return None

    def _frame_in(self, run: list[Token], sentence_number: int) -> Frame | None:
        ids = {t.i for t in run}
        frames = self.article.frames[sentence_number].frames
        return next((f for f in frames if f.cue.i in ids and f.source is not None), None)

    @staticmethod
    def _cue_only(run: list[Token], frame: Frame) -> bool:
        words = [t for t in run if not t.is_punct]
        if len(words) > _MAX_CUE_WORDS:
            return False
        helpers = {c.i for c in frame.cue.children if c.dep_ in ("aux", "auxpass", "neg")}
        return all(
            t.i == frame.cue.i or t.i in helpers or not t.tag_.startswith("VB") or t.dep_ == "acl"
            for t in words
        )

    @staticmethod
    def _named_head(run: list[Token]) -> Token | None:
        subjects = [t for t in run if t.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0]
        for token in run:
            if token.lower_ in _PRONOUNS or (is_name_token(token) and token.text[:1].isupper()):
                return token
        return None

    # -- choosing the speaker ----------------------------------------------------------------

    def speaker_of(
        self, quotation: Quotation, earlier: list[Claim], outlet: str
    ) -> tuple[ResolvedSpeaker, list[str], str | None]:
        """The speaker of ``quotation``, its co-speakers and the cue words used."""
        cue = self.cues.get(quotation.open)
        result: tuple[ResolvedSpeaker, list[str], str | None] | None = None
        if quotation.post and (cue is None or cue.head is None):
            result = self._post_author(quotation)
        elif cue is not None and cue.head is not None:
            speaker = self.resolver.resolve(cue.head, cue.words)
            if cue.frame is not None:
                speaker.role = speaker.role or self.article.apposition_role(cue.frame)
                cue_text = cue.frame.cue_text
                co_speakers = self.article.co_speakers(cue.frame.cue, speaker.name)
            else:
                cue_text = cue.text if cue.text in (":", "-") else ":"
                co_speakers = self.article.co_speakers(cue.head, speaker.name)
            co_speakers = list(dict.fromkeys([*speaker.co_speakers, *co_speakers]))
            result = (speaker, co_speakers, cue_text)
        else:
            result = self._continued(quotation, earlier)
        if result is None:
            # No speaker anywhere near: the outlet's, marked as a quotation nobody is named for.
            speaker = ResolvedSpeaker(outlet, "outlet", NO_SPEAKER_NAMED)
            result = (speaker, [], None)
        self.resolver.remember(result[0])
        self._speaker_by_quote[quotation.open] = result
        return result

    def _continued(
        self, quotation: Quotation, earlier: list[Claim]
    ) -> tuple[ResolvedSpeaker, list[str], str | None] | None:
        """A quotation without a cue of its own continues the last speaker's words, or is
        said by the person the writer has just established as the subject."""
        opens = self._opens_paragraph(quotation)
        for claim in reversed(earlier):
            if claim.kind == "unattributed":
                if claim.paragraph == quotation.paragraph:
                    # The writer spoke last in this paragraph: "Dale Marsh took the stage in
                    # Erie ... “We are going to win this state.”"
                    return self._established(quotation, paragraphs=1)
                continue
            if claim.paragraph < quotation.paragraph - 1:
                break
            if claim.paragraph == quotation.paragraph - 1 and not opens:
                break
            kind = self.kinds.get(claim.speaker, "person")
            speaker = ResolvedSpeaker(
                claim.speaker, kind, claim.speaker_mention, claim.speaker_role
            )
            return speaker, list(claim.co_speakers), claim.cue
        return self._established(quotation, paragraphs=2 if opens else 1)

    def _established(
        self, quotation: Quotation, paragraphs: int
    ) -> tuple[ResolvedSpeaker, list[str], str | None] | None:
        """The person last named as a clause's subject in this paragraph (or, for a quotation
        that opens its paragraph, the one before), never in a title-case headline."""
        doc = self.article.doc
        opening = doc.char_span(quotation.open, quotation.open + 1, alignment_mode="expand")
        if opening is None:
            return None
        # A title-case headline is below the resolver's floor (NameRegistry.headline_end).
        speaker = self.resolver.nearest_person_subject(opening[0], paragraphs=paragraphs)
        if speaker is None:
            return None
        role = speaker.role or self.resolver.roles.get(speaker.name)
        return ResolvedSpeaker(speaker.name, "person", speaker.mention, role), [], None

    def _post_author(
        self, quotation: Quotation
    ) -> tuple[ResolvedSpeaker, list[str], str | None] | None:
        """An embedded post with no lead-in naming its speaker is the markup's author's."""
        if quotation.author:
            return ResolvedSpeaker(quotation.author, "person", quotation.author), [], "posted"
        return None

    def _opens_paragraph(self, quotation: Quotation) -> bool:
        if quotation.post:
            return True
        paragraph = self.article.paragraphs[quotation.paragraph]
        return not self.article.text[paragraph.body_start : quotation.open].strip()

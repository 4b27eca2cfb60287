"""One parsed article: paragraphs, quotations, sentences and their reporting frames.

Everything the claim assembler needs to look up by offset or token lives here, computed once.
"""

from __future__ import annotations

import bisect
from collections import Counter

from spacy.tokens import Doc, Span, Token

from claimcheck.extract.attribution import Frame, FrameIndex, find_frames
from claimcheck.extract.clauses import Piece, split_sentence, trim_tokens
from claimcheck.extract.mentions import NameRegistry, join_tokens
from claimcheck.extract.quotes import Quotation, find_quotations
from claimcheck.extract.segment import Paragraph, split_paragraphs

# Verbs that put a label in someone's mouth: 'accused the group of "balancing the books on
# the backs of residents"'. The quoted label is that person's own words, a direct claim.
_LABELLING_LEMMAS = frozenset(
    "accuse describe call brand dub label condemn criticise criticize denounce".split()
)
_MIN_LABEL_WORDS = 4
_CLAUSE_HEADS = frozenset({"ROOT", "conj", "ccomp", "advcl", "relcl", "xcomp", "parataxis"})
_JOINT_ACTIVITIES = frozenset({"call", "meeting", "talk", "talks", "visit", "dinner", "summit"})
_JOINT_WORDS = frozenset({"joint", "jointly", "together", "alongside", "standing", "along"})
_PRESENT_CUES = frozenset({"VBZ", "VBP"})


class ArticleParse:
    def __init__(self, text: str, doc: Doc):
        self.text = text
        self.doc = doc
        self.paragraphs: list[Paragraph] = split_paragraphs(text)
        self._paragraph_starts = [p.start for p in self.paragraphs]
        self.quotations: list[Quotation] = find_quotations(text, self.paragraphs)
        self.standalone = [q for q in self.quotations if q.standalone]
        self.sentences: list[Span] = [s for s in doc.sents if s.text.strip()]
        self._sentence_starts = [s.start_char for s in self.sentences]
        self.frames: list[FrameIndex] = [FrameIndex(find_frames(s)) for s in self.sentences]
        self.registry = NameRegistry(doc)
        self._co_speakers: dict[tuple[int, str], list[str]] = {}
        self.in_standalone: set[int] = self._tokens_within(self.standalone)
        self.in_partial: set[int] = self._tokens_within(
            [q for q in self.quotations if not q.standalone]
        )

    def _tokens_within(self, quotations: list[Quotation]) -> set[int]:
        ids: set[int] = set()
        for quotation in quotations:
            span = self.doc.char_span(quotation.open, quotation.end, alignment_mode="expand")
            if span is not None:
                ids.update(range(span.start, span.end))
        return ids

    # -- lookups by offset ---------------------------------------------------------------

    def paragraph_index(self, offset: int) -> int:
        position = bisect.bisect_right(self._paragraph_starts, offset) - 1
        return self.paragraphs[max(position, 0)].index if self.paragraphs else 0

    def sentence_of_offset(self, offset: int) -> int:
        return max(bisect.bisect_right(self._sentence_starts, offset) - 1, 0)

    def sentence_of_token(self, token: Token) -> int:
        return self.sentence_of_offset(token.idx)

    # -- pieces and frames -----------------------------------------------------------------

    def pieces(self, dropped: set[int]) -> list[list[Piece]]:
        """The clause pieces of every sentence, outside standalone quotations and cues."""
        blocked = self.in_standalone | dropped
        return [
            split_sentence(sentence, self.frames[number], blocked, self.in_partial)
            for number, sentence in enumerate(self.sentences)
        ]

    def split_quoted_labels(
        self, sentence_number: int, piece: Piece
    ) -> list[Piece | tuple[Quotation, Frame, Piece]]:
        """The piece, with any quoted label lifted out as (quotation, its speaker's frame, the
        piece it came from). The cue words before the label ("accused the group of") go with
        it, unless they say something of their own."""
        index = self.frames[sentence_number]
        parts: list[Piece | tuple[Quotation, Frame, Piece]] = []
        rest = piece.tokens
        for quotation in self.quotations:
            if quotation.standalone or quotation.open < piece.start or quotation.end > piece.end:
                continue
            inner = [t for t in rest if quotation.inner_start <= t.idx < quotation.inner_end]
            if sum(1 for t in inner if not t.is_punct) < _MIN_LABEL_WORDS:
                continue
            frames = [index.frame_of(t) for t in inner]
            frame = max(frames, key=frames.count) if frames else None
            if frame is None or frame.source is None:
                continue
            if frame.cue.lemma_.lower() not in _LABELLING_LEMMAS:
                continue
            before = trim_tokens([t for t in rest if t.idx < quotation.open])
            says_more = any(
                t.tag_.startswith("VB") and t.i != frame.cue.i and t.dep_ in _CLAUSE_HEADS
                for t in before
            )
            if before and says_more:
                parts.append(Piece(before, piece.reason, piece.anchor))
            parts.append((quotation, frame, piece))
            rest = trim_tokens([t for t in rest if t.idx >= quotation.end])
        if rest:
            parts.append(Piece(rest, piece.reason if not parts else "main", piece.anchor))
        return parts

    def frame_of_piece(self, sentence_number: int, piece: Piece) -> Frame | None:
        """The frame most of the piece's words report, if any.

        Source words ("Rustem Umerov, who led Kyiv's delegation") vote for the outlet, so a
        speaker's description split off before the verb stays the writer's own claim.
        """
        index = self.frames[sentence_number]
        ids = {t.i for t in piece.tokens}
        # The speaker's own name does not vote when the piece also holds their verb.
        silent = {t.i for frame in index.frames if frame.cue.i in ids for t in frame.source_tokens}
        votes: Counter = Counter()
        for token in piece.tokens:
            if token.is_punct or token.is_space:
                continue
            frame = index.frame_of(token)
            if frame is None and token.i in silent:
                continue
            votes[id(frame) if frame else None] += 1
        if not votes:
            return None
        winner, _ = votes.most_common(1)[0]
        if winner is not None:
            frame = next(f for f in index.frames if id(f) == winner)
            if frame.cue.i not in ids and frame.source is not None:
                # "expressed satisfaction ... and said that": the piece's own verb is the cue.
                for inner in index.frames:
                    if inner.cue.i in ids and inner.source is not None:
                        if inner.source.i == frame.source.i:
                            return inner
            return frame
        if piece.reason != "apposition":
            return None
        for frame in index.frames:
            if frame.cue.i in ids and any(t.i > frame.cue.i for t in piece.tokens):
                return frame  # "a sign which Kyiv said showed that ...": the parse hangs it oddly
        return None

    def apposition_role(self, frame: Frame) -> str | None:
        """'Sir Keir Starmer, UK prime minister, said': the role between the commas."""
        source = frame.source
        if source is None:
            return None
        for child in source.children:
            if child.dep_ == "appos":
                words = [t for t in child.subtree if t.dep_ != "det" or t.i != child.left_edge.i]
                return join_tokens(words) or None
        return None

    def co_speakers(self, cue: Token, speaker: str) -> list[str]:
        """Others named as speaking jointly: 'in a joint statement with A, B and C'."""
        key = (self.sentence_of_token(cue), speaker)
        if key not in self._co_speakers:
            self._co_speakers[key] = self._joint_names(self.sentences[key[0]], speaker)
        return list(self._co_speakers[key])

    def _joint_names(self, sentence: Span, speaker: str) -> list[str]:
        if not any(t.lower_ in _JOINT_WORDS for t in sentence):
            return []
        names: list[str] = []
        for token in sentence:
            if token.lower_ not in ("with", "alongside"):
                continue
            nearby = [token.head, *token.head.children, *token.children]
            if token.i > 0:
                nearby.append(self.doc[token.i - 1])
            joint = any(t.lower_ in _JOINT_WORDS for t in nearby)
            # "a joint statement with A, B and C" speaks for all; "a joint call with Trump"
            # does not make Trump a speaker.
            if token.head.lemma_.lower() in _JOINT_ACTIVITIES:
                continue
            if token.lower_ == "with" and not joint:
                continue
            for word in token.subtree:
                if word.dep_ not in ("pobj", "conj") or not word.text[:1].isupper():
                    continue
                known = self.registry.full_name([word.text])
                if known is not None and known.is_person and known.text != speaker:
                    if known.text not in names:
                        names.append(known.text)
        return names

    def is_present_tense_cue(self, claim) -> bool:
        frames = self.frames[self.sentence_of_offset(claim.start)].frames
        return any(
            frame.cue.tag_ in _PRESENT_CUES and frame.cue_text == claim.cue for frame in frames
        )

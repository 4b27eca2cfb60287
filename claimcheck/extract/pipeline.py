"""Split an article into attributed claims: the extractor's coordinator.

The stages, in order (each in its own module of this folder):

1. `segment` -- paragraphs; datelines, timestamps and credit lines blanked.
2. `nlp` -- one spaCy parse of the whole article.
3. `quotes` -- quotation marks; which quotations are a speaker's own sentences.
4. `attribution` -- reporting frames (``X said``, ``according to X``).
5. `clauses` -- the text outside standalone quotations cut into clauses.
6. `mentions` -- source words resolved to a speaker ("He" -> "Rustem Umerov").
7. `assertions` -- a self-contained statement for every claim.

`parse` holds the parsed article the stages share and `quoted_speech` finds who speaks a
standalone quotation. This module runs them and assembles :class:`~claimcheck.models.Claim`
records, in document order.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from claimcheck.extract import assertions
from claimcheck.extract.attribution import Frame
from claimcheck.extract.clauses import Piece
from claimcheck.extract.mentions import NO_SPEAKER_NAMED
from claimcheck.extract.nlp import load_nlp
from claimcheck.extract.parse import ArticleParse
from claimcheck.extract.quoted_speech import QuoteAttributor
from claimcheck.extract.quotes import Quotation
from claimcheck.extract.segment import blank_non_claims, sentence_spans, split_paragraphs
from claimcheck.models import Claim, Extraction, SpeakerInfo

log = logging.getLogger(__name__)

UNKNOWN_OUTLET = "Unknown outlet"


def extract_claims(text: str, outlet: str | None = None) -> Extraction:
    """Every claim in ``text``, attributed; ``outlet`` is credited with unattributed ones."""
    parse_text = blank_non_claims(text, split_paragraphs(text))
    return _extract(text, outlet, load_nlp()(parse_text))


def extract_many(
    items: Iterable[tuple[str, str | None]], batch_size: int = 16
) -> Iterator[Extraction]:
    """``extract_claims`` over many ``(text, outlet)`` pairs, parsing in batches for speed."""
    nlp = load_nlp()
    pairs = list(items)
    parse_texts = (blank_non_claims(text, split_paragraphs(text)) for text, _ in pairs)
    for (text, outlet), doc in zip(
        pairs, nlp.pipe(parse_texts, batch_size=batch_size), strict=True
    ):
        yield _extract(text, outlet, doc)


def _extract(text: str, outlet: str | None, doc: Doc) -> Extraction:
    outlet_name = outlet or UNKNOWN_OUTLET
    try:
        assembler = _Assembler(ArticleParse(text, doc), outlet_name)
        claims = assembler.claims()
        kinds, organisations = assembler.kinds, assembler.organisations
    except Exception:  # the extractor must never fail an ingest; degrade to plain sentences
        log.exception("claim extraction failed; falling back to whole sentences")
        claims, kinds, organisations = _fallback_claims(text, doc, outlet_name), {}, {}
    claims = _without_overlaps(claims)
    return Extraction(claims=claims, speakers=_speakers(claims, kinds, organisations))


class _Assembler:
    """Walks one parsed article in document order and builds its claims."""

    def __init__(self, article: ArticleParse, outlet: str):
        self.article = article
        self.outlet = outlet
        self.kinds: dict[str, str] = {outlet: "outlet"}
        self.organisations: dict[str, str] = {}
        self._carried_into: tuple[int, int] | None = None
        self.quotes = QuoteAttributor(article, outlet, self.kinds)

    def claims(self) -> list[Claim]:
        article = self.article
        # Document order matters: "he" means whoever spoke last.
        events: list[
            tuple[int, Quotation | tuple[int, Piece] | tuple[Quotation, Frame, Piece]]
        ] = []
        for quotation in article.standalone:
            events.append((quotation.open, quotation))
        for sentence_number, pieces in enumerate(article.pieces(self.quotes.dropped)):
            for piece in pieces:
                for part in article.split_quoted_labels(sentence_number, piece):
                    if isinstance(part, Piece):
                        events.append((part.start, (sentence_number, part)))
                    else:
                        events.append((part[0].open, part))
        events.sort(key=lambda event: (event[0], not isinstance(event[1], Quotation)))

        claims: list[Claim] = []
        for _, payload in events:
            if isinstance(payload, Quotation):
                claims.extend(self._direct_claims(payload, claims))
            elif isinstance(payload[0], Quotation):
                claims.append(self._quoted_label_claim(*payload))
            else:
                sentence_number, piece = payload
                claims.append(self._piece_claim(sentence_number, piece, claims))
        return claims

    def _quoted_label_claim(self, quotation: Quotation, frame: Frame, piece: Piece) -> Claim:
        """'accused the ruling group of "balancing the books ..."': the accusers' own words."""
        source = frame.source if frame.source is not None else frame.cue
        speaker = self.quotes.resolver.resolve(source, frame.source_tokens)
        self.kinds.setdefault(speaker.name, speaker.kind)
        start, end = quotation.inner_start, quotation.inner_end
        quote = self.article.text[start:end]
        return Claim(
            speaker=speaker.name,
            speaker_mention=speaker.mention,
            kind="direct",
            quote=quote,
            assertion=assertions.reported(speaker.name, piece, frame),
            start=start,
            end=end,
            paragraph=quotation.paragraph,
            co_speakers=list(speaker.co_speakers),
            cue=frame.cue_text,
            speaker_role=speaker.role,
        )

    def _direct_claims(self, quotation: Quotation, earlier: list[Claim]) -> list[Claim]:
        article = self.article
        speaker, co_speakers, cue = self.quotes.speaker_of(quotation, earlier, self.outlet)
        self.kinds.setdefault(speaker.name, speaker.kind)
        if speaker.organisation:
            self.organisations.setdefault(speaker.name, speaker.organisation)
        paragraph = quotation.paragraph
        result = []
        spans = sentence_spans(article.text, quotation.inner_start, quotation.inner_end)
        whole = (spans[0][0], spans[-1][1]) if len(spans) >= 2 else None
        for start, end in spans:
            quote = article.text[start:end]
            result.append(
                Claim(
                    speaker=speaker.name,
                    speaker_mention=speaker.mention,
                    kind="direct",
                    quote=quote,
                    assertion=assertions.direct(speaker.name, quote),
                    start=start,
                    end=end,
                    paragraph=paragraph,
                    co_speakers=co_speakers,
                    cue=cue,
                    speaker_role=speaker.role,
                    quotation=whole,
                )
            )
        return result

    def _piece_claim(self, sentence_number: int, piece: Piece, earlier: list[Claim]) -> Claim:
        article = self.article
        frame = article.frame_of_piece(sentence_number, piece)
        paragraph = article.paragraph_index(piece.start)
        if frame is not None and frame.source is not None:
            speaker = self.quotes.resolver.resolve(frame.source, frame.source_tokens)
            speaker.role = speaker.role or article.apposition_role(frame)
            self.quotes.resolver.remember(speaker)
            self.kinds.setdefault(speaker.name, speaker.kind)
            if speaker.organisation:
                self.organisations.setdefault(speaker.name, speaker.organisation)
            return Claim(
                speaker=speaker.name,
                speaker_mention=speaker.mention,
                kind="indirect",
                quote=article.text[piece.start : piece.end],
                assertion=assertions.reported(speaker.name, piece, frame),
                start=piece.start,
                end=piece.end,
                paragraph=paragraph,
                co_speakers=_joined(
                    speaker.co_speakers, article.co_speakers(frame.cue, speaker.name)
                ),
                cue=frame.cue_text,
                speaker_role=speaker.role,
            )
        carried = self._carried_report(sentence_number, earlier, paragraph)
        if carried is not None:
            return self._note_carried(
                sentence_number,
                Claim(
                    speaker=carried.speaker,
                    speaker_mention=carried.speaker_mention,
                    kind="indirect",
                    quote=article.text[piece.start : piece.end],
                    assertion=assertions.carried(carried.speaker, piece),
                    start=piece.start,
                    end=piece.end,
                    paragraph=paragraph,
                    co_speakers=list(carried.co_speakers),
                    cue=carried.cue,
                    speaker_role=carried.speaker_role,
                ),
            )
        return Claim(
            speaker=self.outlet,
            speaker_mention=self.outlet,
            kind="unattributed",
            quote=article.text[piece.start : piece.end],
            assertion=assertions.unattributed(piece),
            start=piece.start,
            end=piece.end,
            paragraph=paragraph,
        )

    def _carried_report(self, sentence_number: int, earlier: list[Claim], paragraph: int):
        """A live-blog entry's second sentence still reports the source of its first.

        "Ukraine's air force says it lost contact with an F-16 ... The pilot shot down three
        aerial targets": with a present-tense cue ("says", "tells") the report runs on to the
        end of the entry. A past-tense "said" does not carry: the next sentence is usually the
        writer's own.
        """
        if not earlier or earlier[-1].paragraph != paragraph or earlier[-1].kind != "indirect":
            return None
        previous = earlier[-1]
        if self._carried_into == (sentence_number, id(previous)):
            self._carried_into = None
            return previous  # the rest of a sentence already carried
        if self.article.sentence_of_offset(previous.start) != sentence_number - 1:
            return None
        if previous.cue is None or not self.article.is_present_tense_cue(previous):
            return None
        return previous

    def _note_carried(self, sentence_number: int, claim: Claim) -> Claim:
        self._carried_into = (sentence_number, id(claim))
        return claim


def _joined(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def _fallback_claims(text: str, doc: Doc, outlet: str) -> list[Claim]:
    claims = []
    for paragraph in split_paragraphs(text):
        if paragraph.is_claimless:
            continue
        for start, end in sentence_spans(text, paragraph.body_start, paragraph.end):
            claims.append(
                Claim(
                    speaker=outlet,
                    speaker_mention=outlet,
                    kind="unattributed",
                    quote=text[start:end],
                    assertion=text[start:end],
                    start=start,
                    end=end,
                    paragraph=paragraph.index,
                )
            )
    return claims


def _without_overlaps(claims: list[Claim]) -> list[Claim]:
    """Claims in document order, none overlapping another (the earlier one wins)."""
    result: list[Claim] = []
    for claim in sorted(claims, key=lambda c: (c.start, -c.end)):
        if claim.end <= claim.start or not claim.quote.strip():
            continue
        if result and claim.start < result[-1].end:
            continue
        result.append(claim)
    return result


def _speakers(
    claims: list[Claim], kinds: dict[str, str], organisations: dict[str, str]
) -> list[SpeakerInfo]:
    speakers: dict[str, SpeakerInfo] = {}
    for claim in claims:
        info = speakers.get(claim.speaker)
        if info is None:
            default = "outlet" if claim.kind == "unattributed" else "person"
            kind = kinds.get(claim.speaker, default)
            info = speakers[claim.speaker] = SpeakerInfo(
                name=claim.speaker, kind=kind, organisation=organisations.get(claim.speaker)
            )
        info.role = info.role or claim.speaker_role
        if claim.speaker_mention not in info.mentions and claim.speaker_mention != NO_SPEAKER_NAMED:
            info.mentions.append(claim.speaker_mention)
    return list(speakers.values())

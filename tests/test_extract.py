"""The extractor on the founding article: who said what, where, sentence by sentence.

Expected speakers, kinds and spans are written from a reading of the article, not from the
extractor's output.
"""

from __future__ import annotations

import pytest
from extract_eval import DATA

from claimcheck.extract import UNKNOWN_OUTLET, extract_claims, extract_many
from claimcheck.models import Claim, Extraction

SEED = DATA / "ft-2025-05-16-istanbul-talks.txt"
FT = "Financial Times"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> Extraction:
    return extract_claims(seed_text, FT)


def claim_covering(extraction: Extraction, text: str, fragment: str) -> Claim:
    """The claim whose span overlaps ``fragment`` (first occurrence in ``text``) the most."""
    start = text.index(fragment)
    end = start + len(fragment)
    best = max(
        extraction.claims,
        key=lambda c: min(end, c.end) - max(start, c.start),
    )
    assert min(end, best.end) - max(start, best.start) > 0, f"no claim overlaps {fragment!r}"
    return best


# (speaker, kind, span the claim must match closely) -- from the founding article.
SEED_CLAIMS = [
    (FT, "unattributed", "Talks between Ukraine and Russia ended on Friday with an agreement on swapping thousands of war prisoners"),  # noqa: E501
    (FT, "unattributed", "but without making any progress on a lasting ceasefire due to Moscow’s maximalist territorial demands"),  # noqa: E501
    (FT, "unattributed", "the first in three years"),
    (FT, "unattributed", "wrapped up after just two hours"),
    ("Donald Trump", "indirect", "had signalled ahead of the talks that no breakthrough was likely until he met Vladimir Putin himself"),  # noqa: E501
    ("Ukrainian officials", "indirect", "Ukrainian officials familiar with the talks said that Russia had made “unacceptable” demands"),  # noqa: E501
    ("Ukrainian officials", "indirect", "linking any agreement on a ceasefire to Kyiv’s forces completely pulling out of four eastern Ukrainian regions only partly under Moscow’s control: Donetsk, Luhansk, Kherson and Zaporizhzhia"),  # noqa: E501
    (FT, "unattributed", "Ukrainian defence minister Rustem Umerov, who led Kyiv’s delegation"),
    ("Rustem Umerov", "indirect", "said after the meeting that the main focus of the talks was a ceasefire and “modalities” on how to achieve it"),  # noqa: E501
    ("Rustem Umerov", "indirect", "Prisoners of war exchanges and the release of Ukrainian children forcibly deported to Russia were also brought up"),  # noqa: E501
    ("Rustem Umerov", "indirect", "as well as a future meeting between presidents Volodymyr Zelenskyy and Putin"),  # noqa: E501
    (FT, "unattributed", "Vladimir Medinsky, a presidential aide to Putin and former culture minister who headed the Russian delegation"),  # noqa: E501
    ("Vladimir Medinsky", "indirect", "expressed satisfaction over how the talks went"),
    ("Vladimir Medinsky", "indirect", "said that the two sides had agreed there would be a 1,000 by 1,000 person prisoner swap"),  # noqa: E501
    ("Vladimir Medinsky", "indirect", "He confirmed that the Ukrainian side had requested a face-to-face meeting between Putin and Zelenskyy."),  # noqa: E501
    ("Volodymyr Zelenskyy", "indirect", "said after conclusion of the talks that he held a phone conversation with Trump about the meeting, together with the leaders of France, Germany, the UK and Poland"),  # noqa: E501
    ("Keir Starmer", "indirect", "said Putin’s position was “clearly unacceptable” in a joint statement with French President Emmanuel Macron, German Chancellor Friedrich Merz and Polish Prime Minister Donald Tusk"),  # noqa: E501
    ("Friedrich Merz", "indirect", "said that European leaders were “very disappointed” that Russia had not seized the opportunity to make progress on a ceasefire and peace agreement"),  # noqa: E501
    ("Volodymyr Zelenskyy", "direct", "Ukraine is ready to take the fastest possible steps to bring real peace"),  # noqa: E501
    ("Volodymyr Zelenskyy", "direct", "Our position — if the Russians reject a full and unconditional ceasefire and an end to killings, tough sanctions must follow."),  # noqa: E501
    (FT, "unattributed", "The meeting between the Ukrainian and Russian sides was chaired by Turkish foreign minister Hakan Fidan"),  # noqa: E501
    ("Hakan Fidan", "indirect", "who said it was “critically important that a ceasefire begins as soon as possible”"),  # noqa: E501
    (FT, "unattributed", "The delegations sat across from each other at a large U-shaped table at the Dolmabahçe Palace in Istanbul, the former administrative seat of the Ottoman Empire."),  # noqa: E501
    ("Volodymyr Zelenskyy", "direct", "US support is essential."),
    ("Volodymyr Zelenskyy", "direct", "An American backstop is needed."),
    ("Ursula von der Leyen", "indirect", "European Commission President Ursula von der Leyen said Putin had previously announced ceasefires “he never respected”"),  # noqa: E501
    ("Ursula von der Leyen", "direct", "President Putin did not turn up."),
    ("Ursula von der Leyen", "direct", "This tells us one thing: President Putin does not want peace."),  # noqa: E501
    (FT, "unattributed", "In Ukraine, sirens blared before dawn ahead of Friday’s talks, as Russia launched another missile and drone attack on Kyiv and other cities"),  # noqa: E501
    ("Kyiv", "indirect", "Kyiv said showed that Moscow had no intention of stopping its war"),
    ("Ukraine's air force", "indirect", "Ukraine’s air force reported that one of its F-16 fighter jets had been lost while “carrying out a mission to repel an enemy air attack”."),  # noqa: E501
    ("Ukrainian officials", "indirect", "told the Financial Times earlier in the week that Russia appeared to be gearing up for a larger offensive"),  # noqa: E501
    ("Deep State", "indirect", "reported in recent days that Russian armed forces had seized more ground in the eastern Donetsk region, particularly around the flashpoint cities of Pokrovsk, Toretsk and Chasiv Yar"),  # noqa: E501
    (FT, "unattributed", "Ukraine has managed to prevent a major breakthrough along the 1,000km frontline"),  # noqa: E501
]  # fmt: skip


@pytest.mark.parametrize(
    ("speaker", "kind", "span"), SEED_CLAIMS, ids=[s[2][:40] for s in SEED_CLAIMS]
)
def test_seed_claim(seed: Extraction, seed_text: str, speaker: str, kind: str, span: str):
    claim = claim_covering(seed, seed_text, span)
    start = seed_text.index(span)
    overlap = min(start + len(span), claim.end) - max(start, claim.start)
    assert (claim.speaker, claim.kind) == (speaker, kind), claim.quote
    assert overlap / len(span) >= 0.9, f"claim {claim.quote!r} covers too little of {span!r}"
    assert overlap / (claim.end - claim.start) >= 0.6, f"claim {claim.quote!r} is too long"


def test_direct_quote_spans_are_inside_the_marks(seed: Extraction):
    quotes = [c.quote for c in seed.claims if c.kind == "direct"]
    assert "US support is essential." in quotes
    assert "Ukraine is ready to take the fastest possible steps to bring real peace" in quotes
    assert not any(q.startswith(("“", '"')) or q.endswith(("”", '"', ",")) for q in quotes)


def test_he_added_resolves_to_zelenskyy(seed: Extraction, seed_text: str):
    claim = claim_covering(seed, seed_text, "President Trump want to end this war.")
    assert claim.speaker == "Volodymyr Zelenskyy"
    assert claim.speaker_mention == "He"
    assert claim.assertion == "Volodymyr Zelenskyy: President Trump want to end this war."


def test_he_confirmed_resolves_to_medinsky(seed: Extraction, seed_text: str):
    claim = claim_covering(seed, seed_text, "He confirmed that the Ukrainian side")
    assert claim.speaker == "Vladimir Medinsky"
    assert claim.speaker_mention == "He"
    assert claim.assertion.startswith("Vladimir Medinsky confirmed the Ukrainian side")


def test_bare_quote_paragraph_continues_von_der_leyen(seed: Extraction, seed_text: str):
    paragraph = claim_covering(seed, seed_text, "President Zelenskyy was ready to meet.").paragraph
    quotes = [c for c in seed.claims if c.paragraph == paragraph]
    assert len(quotes) == 4
    assert {(c.speaker, c.kind) for c in quotes} == {("Ursula von der Leyen", "direct")}


def test_putin_is_mentioned_but_never_a_speaker(seed: Extraction):
    assert not any("Putin" in c.speaker for c in seed.claims)
    assert not any("Putin" in s.name for s in seed.speakers)


def test_joint_statement_records_co_speakers(seed: Extraction, seed_text: str):
    claim = claim_covering(seed, seed_text, "said Putin’s position was “clearly unacceptable”")
    assert claim.co_speakers == ["Emmanuel Macron", "Friedrich Merz", "Donald Tusk"]


def test_roles_come_from_titles_and_appositives(seed: Extraction):
    roles = {s.name: s.role for s in seed.speakers}
    assert roles["Rustem Umerov"] == "Ukrainian defence minister"
    assert roles["Keir Starmer"] == "UK prime minister"
    assert roles["Hakan Fidan"] == "Turkish foreign minister"
    kinds = {s.name: s.kind for s in seed.speakers}
    assert kinds[FT] == "outlet"
    assert kinds["Ukrainian officials"] == "group"
    assert kinds["Rustem Umerov"] == "person"


def test_speaker_mentions_are_collected(seed: Extraction):
    umerov = next(s for s in seed.speakers if s.name == "Rustem Umerov")
    assert "Umerov" in umerov.mentions
    assert "Ukrainian defence minister Rustem Umerov" in umerov.mentions


def test_credit_line_is_not_a_claim(seed: Extraction, seed_text: str):
    credit = seed_text.index("Additional reporting by")
    assert all(c.end <= credit for c in seed.claims)


def test_every_sentence_of_the_seed_yields_a_claim(seed: Extraction, seed_text: str):
    for line in seed_text.splitlines()[:-1]:
        start = seed_text.index(line)
        assert any(start <= c.start < start + len(line) for c in seed.claims), line[:60]


def test_paragraph_indices_count_non_empty_lines():
    text = "Headline here\n\nFirst paragraph says little.\n\n\nSecond paragraph too."
    claims = extract_claims(text, "Wire").claims
    assert [c.paragraph for c in claims] == [0, 1, 2]


def test_outlet_defaults_when_unknown():
    claims = extract_claims("The budget passed by 27 votes to 19.").claims
    assert claims[0].speaker == UNKNOWN_OUTLET
    assert claims[0].kind == "unattributed"


def test_extract_many_matches_extract_claims(seed_text: str):
    short = "Fidan said the talks would resume. The rain fell on Istanbul."
    batch = list(extract_many([(seed_text, FT), (short, None)], batch_size=2))
    assert [c.quote for c in batch[0].claims] == [
        c.quote for c in extract_claims(seed_text, FT).claims
    ]
    assert [(c.speaker, c.kind) for c in batch[1].claims] == [
        ("Fidan", "indirect"),
        (UNKNOWN_OUTLET, "unattributed"),
    ]


@pytest.mark.parametrize(
    ("fragment", "assertion"),
    [
        (
            "as well as a future meeting",
            "Rustem Umerov said a future meeting between presidents Volodymyr Zelenskyy and "
            "Putin were also brought up",
        ),
        (
            "a sign which Kyiv said",
            "Kyiv said it showed that Moscow had no intention of stopping its war.",
        ),
        (
            "but it has struggled",
            "Ukraine has struggled to halt the Russians’ grinding advance.",
        ),
        (
            "said that the two sides had agreed",
            "Vladimir Medinsky said the two sides had agreed there would be a 1,000 by 1,000 "
            "person prisoner swap.",
        ),
        (
            "wrapped up after just two hours",
            "The US and Turkey-brokered discussions in Istanbul wrapped up after just two hours.",
        ),
    ],
)
def test_assertions_are_self_contained(
    seed: Extraction, seed_text: str, fragment: str, assertion: str
):
    assert claim_covering(seed, seed_text, fragment).assertion == assertion


def test_organisation_comes_from_the_title(seed: Extraction):
    speakers = {s.name: s for s in seed.speakers}
    assert speakers["Ursula von der Leyen"].organisation == "European Commission"
    assert speakers["Rustem Umerov"].organisation is None

"""The extractor against the labelled development articles.

For each labelled span, the claim overlapping it most must cover it, carry the labelled
speaker and kind. The devset is copied into tests/data/extract so the test runs without
../shared; the hit-rates are printed (pytest -s) for the record.
"""

from __future__ import annotations

import pytest
from extract_eval import DATA, DEVSET_OUTLETS, LabelHit, load_labels, score_label

from claimcheck.extract import extract_claims


@pytest.fixture(scope="module")
def hits() -> list[LabelHit]:
    labels_path = DATA / "labels.jsonl"
    if not labels_path.exists():
        pytest.skip("devset labels not available")
    labels = load_labels(labels_path)
    claims = {}
    for label in labels:
        name = label["article"]
        if name not in claims:
            text = (DATA / name).read_text(encoding="utf-8")
            claims[name] = extract_claims(text, DEVSET_OUTLETS[name[:3]]).claims
    return [score_label(label, claims[label["article"]]) for label in labels]


def test_devset_hit_rates(hits: list[LabelHit]):
    count = len(hits)
    speaker = sum(h.speaker_ok for h in hits) / count
    kind = sum(h.kind_ok for h in hits) / count
    coverage = sum(h.coverage for h in hits) / count
    well_covered = sum(h.coverage >= 0.8 for h in hits) / count
    tight = sum(h.coverage >= 0.8 and h.precision >= 0.5 for h in hits) / count
    print(
        f"\ndevset: {count} labels; speaker {speaker:.1%}, kind {kind:.1%}, "
        f"mean coverage {coverage:.1%}, covered>=80% {well_covered:.1%}, "
        f"covered and tight {tight:.1%}"
    )
    for hit in hits:
        if not (hit.speaker_ok and hit.kind_ok and hit.coverage >= 0.8):
            found = hit.claim
            print(
                f"  miss {hit.label['id']}: expected {hit.label['speaker']}/{hit.label['kind']}, "
                f"got {found.speaker if found else None}/{found.kind if found else None}, "
                f"coverage {hit.coverage:.2f}"
            )
    assert speaker >= 0.9
    assert kind >= 0.9
    assert well_covered >= 0.9


@pytest.mark.parametrize(
    ("label_id", "speaker", "kind"),
    [
        ("A01-07", "Rustem Umerov", "direct"),
        ("A01-12", "Vladimir Medinsky", "indirect"),
        ("A01-14", "Ukrainian officials", "indirect"),
        ("A01-16", "Hakan Fidan", "indirect"),
        ("A05-02", "Ukraine's air force", "indirect"),
        ("A05-03", "Ukraine's air force", "indirect"),
        ("A05-08", "Turkish source", "indirect"),
        ("A08-08", "Vladimir Medinsky", "indirect"),
        ("A15-05", "Margaret Oyelaran", "direct"),
        ("A15-10", "Ashby Vale Gazette", "unattributed"),
    ],
)
def test_devset_named_cases(hits: list[LabelHit], label_id: str, speaker: str, kind: str):
    hit = next(h for h in hits if h.label["id"] == label_id)
    assert hit.claim is not None
    assert (hit.claim.speaker, hit.claim.kind) == (speaker, kind)
    assert hit.coverage >= 0.8

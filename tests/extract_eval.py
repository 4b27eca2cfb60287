"""Scoring the extractor against labelled spans (shared by the devset test and the report)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from claimcheck.models import Claim

DATA = Path(__file__).parent / "data" / "extract"
# Some devset texts do not name their outlet; the labels do.
DEVSET_OUTLETS = {
    "A01": "Meridian Wire",
    "A05": "Frontline Live",
    "A08": "Daily Briefing",
    "A15": "Ashby Vale Gazette",
}


@dataclass
class LabelHit:
    label: dict
    claim: Claim | None
    coverage: float  # share of the labelled span covered by the best claim
    precision: float  # share of the best claim that lies inside the labelled span
    speaker_ok: bool
    kind_ok: bool


def load_labels(path: Path = DATA / "labels.jsonl") -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def same_speaker(expected: str, found: str) -> bool:
    """Names agree when equal, or when one is the other's surname ("Starmer")."""

    def norm(name: str) -> str:
        return name.lower().replace("\u2019", "'").strip()

    expected, found = norm(expected), norm(found)
    if expected == found:
        return True
    return expected.split()[-1] == found.split()[-1] and (
        expected.endswith(found) or found.endswith(expected)
    )


def score_label(label: dict, claims: list[Claim]) -> LabelHit:
    start = label["char_start"]
    end = start + len(label["text"])
    best, best_overlap = None, 0
    for claim in claims:
        overlap = min(end, claim.end) - max(start, claim.start)
        if overlap > best_overlap:
            best, best_overlap = claim, overlap
    if best is None:
        return LabelHit(label, None, 0.0, 0.0, False, False)
    return LabelHit(
        label=label,
        claim=best,
        coverage=best_overlap / (end - start),
        precision=best_overlap / max(best.end - best.start, 1),
        speaker_ok=same_speaker(label["speaker"], best.speaker),
        kind_ok=label["kind"] == best.kind,
    )

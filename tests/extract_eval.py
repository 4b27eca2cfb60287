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


NEWS = DATA / "news"
# Written and labelled after the extractor was tuned on NEWS: the held-out measure.
NEWS_HELDOUT = DATA / "news2"


def strict_same_speaker(expected: str, found: str) -> bool:
    """Names agree when equal (case and apostrophes aside), or when ``found`` is the bare
    surname of a person's name ("Starmer" for "Keir Starmer"). Unlike :func:`same_speaker`,
    "Spokesman" is not "Disney spokesman" and "Democrat Laura Fenwick" is not "Laura Fenwick"."""

    def norm(name: str) -> str:
        return " ".join(name.lower().replace("\u2019", "'").split())

    if norm(expected) == norm(found):
        return True
    words = expected.split()
    person = len(words) >= 2 and all(w[:1].isupper() for w in words)
    return person and len(found.split()) == 1 and norm(words[-1]) == norm(found)


def news_hits(folder: Path = NEWS) -> list[LabelHit]:
    """Every label of a news attribution set, scored against the display claims."""
    from claimcheck.extract import extract_claims, whole_quotations

    labels = load_labels(folder / "labels.jsonl")
    claims: dict[str, list[Claim]] = {}
    hits = []
    for label in labels:
        name = label["article"]
        if name not in claims:
            text = (folder / name).read_text(encoding="utf-8")
            # As search and display show them: a quotation's sentences as one claim.
            claims[name] = whole_quotations(text, extract_claims(text, label["outlet"]).claims)
        hit = score_label(label, claims[name])
        hit.speaker_ok = hit.claim is not None and strict_same_speaker(
            label["speaker"], hit.claim.speaker
        )
        wanted = label.get("co_speakers", [])
        if hit.claim is not None and wanted:
            found = hit.claim.co_speakers
            hit.speaker_ok = hit.speaker_ok and all(
                any(strict_same_speaker(w, f) for f in found) for w in wanted
            )
        hits.append(hit)
    return hits


def news_figures(hits: list[LabelHit]) -> dict[str, float]:
    """Speaker accuracy, and coverage: the share of labels a claim with the right speaker
    covers at least 80%."""
    count = len(hits)
    return {
        "labels": count,
        "speaker": sum(h.speaker_ok for h in hits) / count,
        "covered": sum(h.speaker_ok and h.coverage >= 0.8 for h in hits) / count,
        "kind": sum(h.kind_ok for h in hits) / count,
    }


if __name__ == "__main__":
    import sys

    folder = NEWS_HELDOUT if "--heldout" in sys.argv else NEWS
    found = news_hits(folder)
    figures = news_figures(found)
    print(
        f"{folder.name} set: {figures['labels']} labels; speaker {figures['speaker']:.1%}, "
        f"covered with the right speaker {figures['covered']:.1%}, kind {figures['kind']:.1%}"
    )
    for hit in found:
        if not (hit.speaker_ok and hit.coverage >= 0.8 and hit.kind_ok):
            got = hit.claim
            print(
                f"  miss {hit.label['id']} ({hit.label['style']}): expected "
                f"{hit.label['speaker']}/{hit.label['kind']}, got "
                f"{got.speaker if got else None}/{got.kind if got else None} "
                f"co={got.co_speakers if got else None}, coverage {hit.coverage:.2f}"
            )

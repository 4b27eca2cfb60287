"""Judging: how a new claim relates to each stored candidate, and the claim's verdict.

- `load_judge`: the rule judge, or the NLI-combined judge when a cross-encoder is configured
- `Judge`: what every judge does, `judge_pairs` over (new claim, stored claim, similarity)
- `RuleJudge`: similarity plus explicit detectors, each giving a reason an editor can check
- `PairFeatures`: what is known about one pair before any judge weighs it
- `decide`: a claim's verdict from its pair relations
- `speaker_key`: the folded surname the judge compares to tell "the same speaker"
"""

from .detectors import speaker_key
from .rules import Judge, PairFeatures, RuleJudge, decide, load_judge

__all__ = ["Judge", "PairFeatures", "RuleJudge", "decide", "load_judge", "speaker_key"]

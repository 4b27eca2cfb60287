"""Judging: how a new claim relates to each stored candidate, and the claim's verdict.

- `load_judge`: the rule judge, or the NLI-combined judge when a cross-encoder is configured
- `Judge`: what every judge does, `judge_pairs` over (new claim, stored claim, similarity)
- `RuleJudge`: similarity plus explicit detectors, each giving a reason an editor can check
- `PairFeatures`: what is known about one pair before any judge weighs it
- `decide`: a claim's verdict from its pair relations
- `speaker_key`: the folded surname the judge compares to tell "the same speaker"

`features.py` holds what every judge shares; `rules.py` the rule judge, with `detectors.py`,
`quantities.py` and `lexicon.py`; `nli.py` the NLI judge, imported only when a model is given.
"""

from __future__ import annotations

from .detectors import speaker_key
from .features import Judge, PairFeatures
from .rules import RuleJudge, decide

__all__ = ["Judge", "PairFeatures", "RuleJudge", "decide", "load_judge", "speaker_key"]


def load_judge(nli_model: str | None = None) -> Judge:
    """The rule judge, or the NLI-combined judge when a cross-encoder model is given."""
    if not nli_model:
        return RuleJudge()
    from .nli import NLIJudge  # its model loads torch: only when one is configured

    return NLIJudge(nli_model)

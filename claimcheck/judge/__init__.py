"""Judging: how a new claim relates to each stored candidate, and the claim's verdict.

- `load_judge`: the learned judge (the default), or the rule judge alone
- `Judge`: what every judge does: `judge_pairs` over (new claim, stored claim, similarity),
  and `decide`, a claim's verdict from its pairs
- `LearnedJudge`: the shipped pair classifier, the detectors and similarity, combined by a
  fitted policy; names the words that differ
- `RuleJudge`: similarity plus explicit detectors, each giving a reason an editor can check
- `PairFeatures`: what is known about one pair before any judge weighs it
- `decide`: the rule judge's verdict from its pair relations
- `policy`: the verdict policy's features, weights and thresholds (fitted by `training`)
- `story`: whether a stored claim's article is about the same story (the people both name)
- `speaker_key`: the folded surname the judge compares to tell "the same speaker"
- `JUDGES`, `JUDGE_ENV`: the judges a user can choose, and the variable that chooses one

`features.py` holds what every judge shares; `rules.py` the rule judge, with `detectors.py`,
`quantities.py` and `lexicon.py`; `learned.py` the learned judge and `policy.py` its last layer;
`model/` the trained classifier. torch loads with the first learned judge, never at import.
"""

from __future__ import annotations

import os
import sys

from ..errors import ModelError
from . import policy, story
from .detectors import speaker_key
from .features import Judge, PairFeatures
from .learned import LearnedJudge, shipped_model
from .rules import RuleJudge, decide

__all__ = [
    "JUDGES",
    "JUDGE_ENV",
    "Judge",
    "LearnedJudge",
    "PairFeatures",
    "RuleJudge",
    "decide",
    "load_judge",
    "policy",
    "speaker_key",
    "story",
]

JUDGES = ("learned", "rules")
JUDGE_ENV = "CLAIMCHECK_JUDGE"


def load_judge(nli_model: str | None = None, *, kind: str | None = None) -> Judge:
    """The judge to use: `kind` (or $CLAIMCHECK_JUDGE) chooses; the learned judge by default.

    `nli_model` is a folder holding another three-way CrossEncoder (a stronger NLI model) to
    use as the learned judge's pair classifier, with the shipped verdict policy unless the
    folder has a `policy.json` of its own.
    """
    chosen = (kind or os.environ.get(JUDGE_ENV) or "").strip().lower()
    if not chosen and not nli_model and shipped_model() is None:
        # An install without the model folder (a trimmed package) still checks, and says how.
        print(
            "claimcheck: the trained pair classifier is not installed; judging with the rules",
            file=sys.stderr,
        )
        return RuleJudge()
    kind = chosen or "learned"
    if kind not in JUDGES:
        raise ModelError(f"Unknown judge {kind!r}: choose learned or rules.")
    if kind == "rules":
        if nli_model:
            raise ModelError("--nli-model sets the learned judge's classifier; drop --judge rules.")
        return RuleJudge()
    return LearnedJudge(nli_model)

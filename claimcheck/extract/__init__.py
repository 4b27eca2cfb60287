"""Extraction: an article's text into attributed claims and their speakers.

- `extract_claims`: every claim of one article, attributed, with the article's speakers
- `extract_many`: `extract_claims` over many (text, outlet) pairs, parsed in batches
- `UNKNOWN_OUTLET`: who unattributed claims are credited to when the outlet is not known
- `load_nlp`: the shared spaCy pipeline (the judge's training recipe parses with it too)
- `whole_quotations`, `quotation_spans`: a quotation's sentences merged back into one claim,
  for search and display (a character scan: no parse, no spaCy import)

`pipeline.py` runs the stages (segment, nlp, quotes, parse, attribution, quoted_speech, clauses,
mentions, assertions) over one spaCy parse. spaCy, and through it torch, takes seconds to import,
so these names load the pipeline on first use: the commands that need no parse never pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .nlp import load_nlp
    from .pipeline import UNKNOWN_OUTLET, extract_claims, extract_many
    from .whole import quotation_spans, whole_quotations

__all__ = [
    "UNKNOWN_OUTLET",
    "extract_claims",
    "extract_many",
    "load_nlp",
    "quotation_spans",
    "whole_quotations",
]


def __getattr__(name: str) -> Any:
    if name in ("quotation_spans", "whole_quotations"):  # a character scan: no spaCy import
        from . import whole

        return getattr(whole, name)
    if name in __all__:
        from ..inference import keep_torch_out_of_spacy

        # spaCy's thinc imports torch (seconds) for layers this pipeline never uses; where the
        # models run on ONNX Runtime, ingest and check then import no torch at all.
        keep_torch_out_of_spacy()
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

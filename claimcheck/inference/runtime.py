"""The models on ONNX Runtime: the embedder and the pair classifier without torch.

Loading torch costs seconds in every fresh process (`claimcheck check` is one), and torch is only
needed to train. So each model is exported to ONNX once — on first use, by torch — into a cache
(`$CLAIMCHECK_ONNX_CACHE`, else `$XDG_CACHE_HOME/claimcheck/onnx`, else `~/.cache/claimcheck/onnx`),
dynamically quantised to int8, and from then on run by `onnxruntime` with the `tokenizers` library
for tokens. The cache is keyed by a sha256 of the source folder's weights, configuration and
tokenizer files, so a retrained model (a new `judge/model/`) is exported again on its next use;
the exported file's own sha256 is checked before a session is built on it.

What the sessions compute is what the torch path computes: the embedder's graph includes
sentence-transformers' mean pooling and L2 normalisation, the classifier's returns its logits in
the model's own label order, and the tokenizer is the source model's fast tokenizer with the same
truncation (longest first, at the model's limit) and padding (to the longest in the batch).

`CLAIMCHECK_BACKEND` chooses: `auto` (default: ONNX where it can be had, else torch, with one
line on stderr saying why), `onnx` (an error where it cannot be had) or `torch`.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from ..locks import folder_lock, read_json, write_json

BACKEND_ENV = "CLAIMCHECK_BACKEND"
CACHE_ENV = "CLAIMCHECK_ONNX_CACHE"
BACKENDS = ("auto", "onnx", "torch")
FORMAT = 1
OPSET = 17
SOURCE_FILES = (
    "config.json",
    "model.safetensors",
    "pytorch_model.bin",
    "tokenizer.json",
    "tokenizer_config.json",
    "vocab.txt",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
)
CLASSIFIER_BATCH = 32
CLASSIFIER_MAX_LENGTH = 256
EMBEDDER_BATCH = 64
SPINNING_KEY = "session.intra_op.allow_spinning"  # ONNX Runtime's session option

_noted: set[str] = set()


def backend() -> str:
    """The backend asked for: auto, onnx or torch."""
    chosen = os.environ.get(BACKEND_ENV, "auto").strip().lower() or "auto"
    if chosen not in BACKENDS:
        raise ModelError(f"{BACKEND_ENV} must be one of {', '.join(BACKENDS)}, not {chosen!r}.")
    return chosen


def runtime_missing() -> str | None:
    """Why ONNX Runtime cannot be used here, or None when it can."""
    for name in ("onnxruntime", "tokenizers"):
        if importlib.util.find_spec(name) is None:
            return f"the {name} package is not installed"
    return None


def note(message: str) -> None:
    """One line on stderr, once per process, when a model falls back to torch."""
    if message not in _noted:
        _noted.add(message)
        print(f"claimcheck: {message}", file=sys.stderr)


def cache_root() -> Path:
    own = os.environ.get(CACHE_ENV)
    if own:
        return Path(own).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "claimcheck" / "onnx"


# --------------------------------------------------------------------------- checksums
def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _stat_key(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def source_digest(folder: Path) -> str:
    """sha256 over the model folder's weights, configuration and tokenizer files.

    Hashing 90 MB of weights takes a tenth of a second, so each file's hash is remembered in
    the cache against its size, modification time and inode, and recomputed when any changes.
    """
    memo_path = cache_root() / "sources.json"
    memo = read_json(memo_path) or {}
    total = hashlib.sha256()
    changed = False
    for name in SOURCE_FILES:
        path = folder / name
        if not path.is_file():
            continue
        key = str(path.resolve())
        stat = _stat_key(path)
        seen = memo.get(key)
        if not (isinstance(seen, dict) and seen.get("stat") == stat and seen.get("sha256")):
            seen = {"stat": stat, "sha256": _sha256(path)}
            memo[key] = seen
            changed = True
        total.update(f"{name}:{seen['sha256']}\n".encode())
    if changed:
        with contextlib.suppress(OSError):
            memo_path.parent.mkdir(parents=True, exist_ok=True)
            write_json(memo_path, memo)
    return total.hexdigest()


# --------------------------------------------------------------------------- the cache
def _valid(folder: Path, digest: str) -> dict[str, Any] | None:
    meta = read_json(folder / "meta.json")
    if meta is None or meta.get("format") != FORMAT or meta.get("source") != digest:
        return None
    for name, expected in meta.get("files", {}).items():
        path = folder / name
        # the size always; the sha256 once per change of the file (memoised like the sources)
        if not path.is_file() or path.stat().st_size != expected["bytes"]:
            return None
        stamp = _stat_key(path)
        if expected.get("verified") != stamp:
            if _sha256(path) != expected["sha256"]:
                return None
            expected["verified"] = stamp
            with contextlib.suppress(OSError):
                write_json(folder / "meta.json", meta)  # readers see one whole file or the other
    return meta


def exported(source: Path, kind: str) -> tuple[Path, dict[str, Any]]:
    """The cache folder holding `source` exported as `kind` ("embedder" or "classifier"),
    exporting it now (with torch) when it is missing or stale."""
    digest = source_digest(source)
    folder = cache_root() / f"{kind}-{digest[:20]}"
    meta = _valid(folder, digest)
    if meta is not None:
        return folder, meta
    with folder_lock(cache_root()):
        meta = _valid(folder, digest)  # another process may have exported it meanwhile
        if meta is not None:
            return folder, meta
        work = cache_root() / f".export-{uuid.uuid4().hex[:8]}"
        work.mkdir(parents=True)
        try:
            from . import export as onnx_export

            info = onnx_export.export(source, work, kind, opset=OPSET)
            files = {}
            for name in ("model.onnx", "model.int8.onnx", "tokenizer.json"):
                path = work / name
                files[name] = {"bytes": path.stat().st_size, "sha256": _sha256(path)}
            meta = {"format": FORMAT, "kind": kind, "source": digest, "files": files, **info}
            (work / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
            if folder.exists():
                shutil.rmtree(folder)
            os.replace(work, folder)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        for stale in cache_root().glob(f"{kind}-*"):
            if stale != folder and _same_source_path(stale, source):
                shutil.rmtree(stale, ignore_errors=True)  # an earlier export of this folder
    return folder, meta


def _same_source_path(folder: Path, source: Path) -> bool:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and meta.get("source_path") == str(source.resolve())


# --------------------------------------------------------------------------- sessions
class OnnxModel:
    """An ONNX Runtime session with the source model's tokenizer."""

    def __init__(self, folder: Path, meta: dict[str, Any], *, int8: bool) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = folder
        self.meta = meta
        self.int8 = int8
        options = ort.SessionOptions()
        options.log_severity_level = 3
        # Worker threads wait for the next operator asleep, not spinning: on a machine shared
        # with other work (and with spaCy's thread in ingest) a spinning worker takes a core the
        # rest needs; docs/performance.md measures what it costs and saves.
        options.add_session_config_entry(SPINNING_KEY, "0")
        threads = os.environ.get("CLAIMCHECK_THREADS")
        if threads and threads.isdigit():
            options.intra_op_num_threads = int(threads)
        name = "model.int8.onnx" if int8 else "model.onnx"
        self.session = ort.InferenceSession(
            str(folder / name), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=int(meta["max_length"]), strategy="longest_first")
        tokenizer.enable_padding(pad_id=int(meta["pad_id"]), pad_token=str(meta["pad_token"]))
        self.tokenizer = tokenizer

    def run(self, batch: Sequence[Any]) -> np.ndarray:
        """The first output for one batch of texts or (text, text) pairs."""
        encodings = self.tokenizer.encode_batch(list(batch))
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
        }
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
        return np.asarray(self.session.run(None, feed)[0], dtype=np.float32)


def _model(source: Path, kind: str, *, int8: bool) -> OnnxModel | None:
    """The ONNX model for `source`, or None (with one note) where torch must be used."""
    chosen = backend()
    if chosen == "torch" or not (source / "config.json").is_file():
        return None  # a folder that is not a model: the torch loader says what is wrong
    missing = runtime_missing()
    try:
        if missing:
            raise ModelError(missing)
        folder, meta = exported(source, kind)
        return OnnxModel(folder, meta, int8=int8)
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if chosen == "onnx":
            raise ModelError(f"Cannot run {source} on ONNX Runtime: {first}") from exc
        note(f"running {source.name} on torch, not ONNX Runtime ({first})")
        return None


class OnnxEmbedder:
    """A sentence-transformers model (Transformer, mean or CLS pooling, Normalize) on ONNX
    Runtime: L2-normalised float32 vectors, one row per text, as the torch embedder gives."""

    def __init__(self, name: str, model: OnnxModel, *, batch_size: int = EMBEDDER_BATCH) -> None:
        self.name = name
        self.model = model
        self.batch_size = batch_size
        self.dimensions = int(model.meta["dimensions"])
        self.backend = "onnx-int8" if model.int8 else "onnx"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        # Batches of similar length pad little, as sentence-transformers sorts them too.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            out[idx] = self.model.run([texts[i] for i in idx])
        return out


def load_embedder(name: str, source: Path, *, int8: bool) -> OnnxEmbedder | None:
    """The embedder `name` (model folder `source`) on ONNX Runtime, or None for torch."""
    model = _model(source, "embedder", int8=int8)
    return None if model is None else OnnxEmbedder(name, model)


class OnnxPairClassifier:
    """A three-way cross-encoder on ONNX Runtime: probabilities of (contradiction, entailment,
    neutral) per (premise, hypothesis), batched and ordered as the torch classifier does."""

    def __init__(self, source: Path, model: OnnxModel, columns: list[int]) -> None:
        self.path = source
        self.name = source.name
        self.model = model
        self.columns = columns
        self.backend = "onnx-int8" if model.int8 else "onnx"

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        for start in range(0, len(order), CLASSIFIER_BATCH):
            idx = order[start : start + CLASSIFIER_BATCH]
            logits = self.model.run([pairs[i] for i in idx])
            logits = logits - logits.max(axis=1, keepdims=True)
            probs = np.exp(logits)
            probs /= probs.sum(axis=1, keepdims=True)
            out[idx] = probs[:, self.columns]
        return out


def load_pair_classifier(
    source: Path, *, int8: bool, columns: Callable[[dict], list[int]]
) -> OnnxPairClassifier | None:
    """The pair classifier in `source` on ONNX Runtime, or None for torch. `columns` maps the
    model's id2label to its output columns for contradiction, entailment, neutral."""
    model = _model(source, "classifier", int8=int8)
    if model is None:
        return None
    return OnnxPairClassifier(source, model, columns(model.meta.get("id2label") or {}))


def keep_torch_out_of_spacy() -> None:
    """Import thinc with torch hidden, so that spaCy does not import torch (seconds) to offer
    layers the extractor's pipeline never uses. Only where the models run on ONNX Runtime and
    nothing has imported torch or thinc yet; torch stays importable for anything that wants it."""
    if "torch" in sys.modules or "thinc" in sys.modules or backend() == "torch":
        return
    if runtime_missing():
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` fail
    try:
        import thinc.compat  # noqa: F401  (records has_torch = False)
    except ImportError:
        pass
    finally:
        del sys.modules["torch"]

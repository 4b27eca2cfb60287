"""Exporting a model folder to ONNX, once, with torch: the only part of `inference` that needs it.

An embedder is exported with its pooling and normalisation inside the graph (what
sentence-transformers computes after the transformer); a classifier with its logits. Both get a
float32 `model.onnx` and a dynamically quantised `model.int8.onnx` (int8 weights of the matrix
products, activations quantised per batch), and the source's fast tokenizer as `tokenizer.json`.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def _pooling(source: Path) -> str:
    """The sentence-transformers pooling of an embedder folder: mean (the default) or cls."""
    config = source / "1_Pooling" / "config.json"
    modules = source / "modules.json"
    if modules.exists():
        kinds = [m.get("type", "") for m in json.loads(modules.read_text(encoding="utf-8"))]
        allowed = ("Transformer", "Pooling", "Normalize")
        if any(not k.endswith(allowed) for k in kinds):
            raise ValueError(f"modules {kinds} are more than a transformer and its pooling")
    if not config.exists():
        return "mean"
    settings = json.loads(config.read_text(encoding="utf-8"))
    if settings.get("pooling_mode_mean_tokens"):
        return "mean"
    if settings.get("pooling_mode_cls_token"):
        return "cls"
    raise ValueError("only mean or CLS pooling is exported")


def _max_length(source: Path, tokenizer: Any, kind: str) -> int:
    if kind == "classifier":
        return 256  # what the torch classifier truncates to
    config = source / "sentence_bert_config.json"
    if config.exists():
        value = json.loads(config.read_text(encoding="utf-8")).get("max_seq_length")
        if value:
            return int(value)
    return int(min(getattr(tokenizer, "model_max_length", 512) or 512, 512))


def export(source: Path, folder: Path, kind: str, *, opset: int) -> dict[str, Any]:
    """Write model.onnx, model.int8.onnx and tokenizer.json for `source` into `folder`."""
    import torch
    from transformers import AutoModel, AutoModelForSequenceClassification, AutoTokenizer

    _offline()
    tokenizer = AutoTokenizer.from_pretrained(str(source))
    if not getattr(tokenizer, "is_fast", False):
        raise ValueError("the model has no fast tokenizer")
    tokenizer.backend_tokenizer.save(str(folder / "tokenizer.json"))
    info: dict[str, Any] = {
        "source_path": str(source.resolve()),
        "max_length": _max_length(source, tokenizer, kind),
        "pad_id": int(tokenizer.pad_token_id or 0),
        "pad_token": str(tokenizer.pad_token),
    }
    if kind == "embedder":
        pooling = _pooling(source)
        base = AutoModel.from_pretrained(str(source)).float().eval()
        net: torch.nn.Module = _Pooled(base, pooling)
        info["dimensions"] = int(base.config.hidden_size)
        info["pooling"] = pooling
        outputs = ["embeddings"]
    elif kind == "classifier":
        base = AutoModelForSequenceClassification.from_pretrained(str(source)).float().eval()
        net = _Logits(base)
        info["id2label"] = {str(k): v for k, v in (base.config.id2label or {}).items()}
        outputs = ["logits"]
    else:
        raise ValueError(f"unknown kind {kind!r}")
    sample = tokenizer(
        ["A first sentence of a sample batch."], ["And a second one."], return_tensors="pt"
    )
    names = [n for n in INPUTS if n in sample]
    args = tuple(sample[n] for n in names)
    axes = {n: {0: "batch", 1: "tokens"} for n in names}
    axes[outputs[0]] = {0: "batch"}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            net,
            args,
            str(folder / "model.onnx"),
            input_names=names,
            output_names=outputs,
            dynamic_axes=axes,
            opset_version=opset,
            dynamo=False,
        )
    _quantize(folder / "model.onnx", folder / "model.int8.onnx")
    return info


def _quantize(source: Path, target: Path) -> None:
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.disable(logging.WARNING)  # advice to pre-process, which dynamic int8 does not need
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8)
    finally:
        logging.disable(logging.NOTSET)


def _offline() -> None:
    """Models load from their folders; nothing is downloaded (as `embed.offline_hub`)."""
    import os

    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_PROGRESS_BARS"):
        os.environ.setdefault(name, "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def _module_base() -> Any:
    import torch

    return torch.nn.Module


class _Pooled(_module_base()):  # type: ignore[misc]
    """The transformer, then sentence-transformers' pooling and L2 normalisation."""

    def __init__(self, model: Any, pooling: str) -> None:
        super().__init__()
        self.model = model
        self.pooling = pooling

    def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any = None) -> Any:
        import torch

        kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
        if token_type_ids is not None:
            kwargs["token_type_ids"] = token_type_ids
        tokens = self.model(**kwargs).last_hidden_state
        if self.pooling == "cls":
            pooled = tokens[:, 0]
        else:
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            pooled = (tokens * mask).sum(1) / torch.clamp(mask.sum(1), min=1e-9)
        return torch.nn.functional.normalize(pooled, p=2, dim=1)


class _Logits(_module_base()):  # type: ignore[misc]
    def __init__(self, model: Any) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any = None) -> Any:
        kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
        if token_type_ids is not None:
            kwargs["token_type_ids"] = token_type_ids
        return self.model(**kwargs).logits

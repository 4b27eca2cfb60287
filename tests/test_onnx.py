"""The models on ONNX Runtime: the same outputs as torch, exported once, re-exported on a retrain.

Most tests export a tiny random BERT made here (seconds, no model files needed); the `model`
tests compare the real embedder and the shipped pair classifier, and prove that a `check` in a
fresh process imports no torch once the exports exist.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from claimcheck import inference
from claimcheck.errors import ModelError
from claimcheck.inference import runtime
from tests.conftest import CORPUS, ROOT

pytest.importorskip("onnxruntime")
torch = pytest.importorskip("torch")

WORDS = (
    "the minister said talks would resume on monday friday not never troops withdraw "
    "from border ceasefire signed by both sides officials warned sanctions deal collapsed "
    "kyiv moscow delegation met in istanbul for two hours"
).split()
SENTENCES = [
    "The minister said talks would resume on Monday.",
    "Officials warned that sanctions could follow.",
    "Troops would never withdraw from the border.",
    "The delegation met in Istanbul for two hours, officials said.",
    "Both sides signed the ceasefire.",
]


def _tiny_bert(folder: Path, *, classifier: bool, seed: int = 0) -> Path:
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import (
        BertConfig,
        BertForSequenceClassification,
        BertModel,
        BertTokenizerFast,
    )

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {w: i for i, w in enumerate(specials + sorted(set(WORDS)) + list(".,"))}
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    fast = BertTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]",
                             cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")  # fmt: skip
    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    if classifier:
        # an order unlike the default, so that the label columns are really read
        config.id2label = {0: "entailment", 1: "neutral", 2: "contradiction"}
        config.label2id = {v: k for k, v in config.id2label.items()}
        model = BertForSequenceClassification(config)
    else:
        model = BertModel(config)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(folder))
    fast.save_pretrained(str(folder))
    return folder


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_ONNX_CACHE", str(tmp_path / "onnx-cache"))
    monkeypatch.delenv("CLAIMCHECK_BACKEND", raising=False)
    return tmp_path / "onnx-cache"


def test_embedder_matches_sentence_transformers(tmp_path, cache):
    from claimcheck.embed import SentenceTransformerEmbedder

    folder = _tiny_bert(tmp_path / "emb", classifier=False)
    onnx = inference.load_embedder("tiny", folder, int8=False)
    assert onnx is not None and onnx.dimensions == 32
    torch_vectors = SentenceTransformerEmbedder(str(folder)).encode(SENTENCES)
    vectors = onnx.encode(SENTENCES)
    assert vectors.shape == (5, 32) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors, torch_vectors, atol=1e-5)
    # one text alone gives what it gives in a padded batch
    assert np.allclose(onnx.encode(SENTENCES[:1])[0], vectors[0], atol=1e-5)
    assert onnx.encode([]).shape == (0, 32)


def test_classifier_matches_torch_in_the_models_label_order(tmp_path, cache):
    from claimcheck.judge.learned import PairClassifier, label_columns

    folder = _tiny_bert(tmp_path / "cls", classifier=True)
    pairs = [(a, b) for a in SENTENCES for b in SENTENCES[:3]]
    onnx = inference.load_pair_classifier(folder, int8=False, columns=label_columns)
    assert onnx is not None and onnx.columns == [2, 0, 1]
    expected = PairClassifier(folder, quantize=False).predict(pairs)
    got = onnx.predict(pairs)
    assert got.shape == (len(pairs), 3)
    assert np.allclose(got, expected, atol=1e-5)
    int8 = inference.load_pair_classifier(folder, int8=True, columns=label_columns)
    assert int8 is not None and np.allclose(int8.predict(pairs).sum(axis=1), 1.0, atol=1e-5)
    assert onnx.predict([]).shape == (0, 3)


def test_exported_once_and_again_after_a_retrain(tmp_path, cache):
    folder = _tiny_bert(tmp_path / "cls", classifier=True)
    first, meta = inference.exported(folder, "classifier")
    assert (first / "model.onnx").exists() and (first / "model.int8.onnx").exists()
    assert meta["source"] == inference.source_digest(folder)
    stamp = (first / "model.onnx").stat().st_mtime_ns
    again, _ = inference.exported(folder, "classifier")
    assert again == first and (first / "model.onnx").stat().st_mtime_ns == stamp  # reused
    _tiny_bert(folder, classifier=True, seed=1)  # retrained: new weights in the same folder
    retrained, meta2 = inference.exported(folder, "classifier")
    assert retrained != first and meta2["source"] != meta["source"]
    assert not first.exists()  # the stale export of that folder is gone


def test_a_damaged_export_is_made_again(tmp_path, cache):
    folder = _tiny_bert(tmp_path / "emb", classifier=False)
    out, _ = inference.exported(folder, "embedder")
    good = inference.load_embedder("tiny", folder, int8=False).encode(SENTENCES)
    data = bytearray((out / "model.onnx").read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, other bytes: only the checksum can tell
    (out / "model.onnx").write_bytes(bytes(data))
    assert runtime._valid(out, inference.source_digest(folder)) is None
    again = inference.load_embedder("tiny", folder, int8=False).encode(SENTENCES)
    assert np.allclose(again, good, atol=1e-6)


def test_torch_fallback_and_forced_backends(tmp_path, cache, monkeypatch, capsys):
    folder = _tiny_bert(tmp_path / "emb", classifier=False)
    monkeypatch.setattr(runtime, "runtime_missing", lambda: "the onnxruntime package is missing")
    runtime._noted.clear()
    assert inference.load_embedder("tiny", folder, int8=False) is None
    assert inference.load_embedder("tiny", folder, int8=False) is None
    err = capsys.readouterr().err
    assert err.count("on torch, not ONNX Runtime") == 1  # one note, not one per load
    monkeypatch.setenv("CLAIMCHECK_BACKEND", "onnx")
    with pytest.raises(ModelError, match="ONNX Runtime"):
        inference.load_embedder("tiny", folder, int8=False)
    monkeypatch.setattr(runtime, "runtime_missing", lambda: None)
    monkeypatch.setenv("CLAIMCHECK_BACKEND", "torch")
    assert inference.load_embedder("tiny", folder, int8=False) is None
    assert not cache.exists() or not list(cache.glob("embedder-*"))  # nothing exported
    monkeypatch.setenv("CLAIMCHECK_BACKEND", "gpu")
    with pytest.raises(ModelError, match="CLAIMCHECK_BACKEND"):
        inference.backend()


def test_a_missing_folder_is_left_to_the_torch_loader_to_report(tmp_path, cache, capsys):
    assert inference.load_embedder("x", tmp_path / "nothing", int8=False) is None
    assert capsys.readouterr().err == ""
    assert not cache.exists() or not list(cache.iterdir())


# --------------------------------------------------------------------------- the real models
@pytest.mark.model
def test_real_embedder_on_onnx_agrees_with_torch(monkeypatch):
    from claimcheck.embed import DEFAULT_MODEL, SentenceTransformerEmbedder, model_folder

    monkeypatch.delenv("CLAIMCHECK_BACKEND", raising=False)
    texts = [
        line.strip()
        for path in sorted(CORPUS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if len(line.split()) > 5
    ][:60]
    onnx = inference.load_embedder(DEFAULT_MODEL, Path(model_folder(DEFAULT_MODEL)), int8=False)
    assert onnx is not None
    cosines = (onnx.encode(texts) * SentenceTransformerEmbedder().encode(texts)).sum(axis=1)
    assert cosines.mean() >= 0.99 and cosines.min() >= 0.99


@pytest.mark.model
def test_real_classifier_on_onnx_agrees_with_torch(monkeypatch):
    from claimcheck.judge.learned import MODEL_DIR, PairClassifier, label_columns

    monkeypatch.delenv("CLAIMCHECK_BACKEND", raising=False)
    pairs = [
        ("Talks ended on Friday, the minister said.", "Talks ended on Thursday."),
        ("The delegation met for two hours.", "The delegation met for two hours in Istanbul."),
        ("Kyiv will not withdraw its troops.", "Kyiv will withdraw its troops."),
    ]
    onnx = inference.load_pair_classifier(MODEL_DIR, int8=False, columns=label_columns)
    assert onnx is not None
    expected = PairClassifier(MODEL_DIR, quantize=False).predict(pairs)
    assert np.allclose(onnx.predict(pairs), expected, atol=1e-3)


PROBE = """
import json, sys
from claimcheck.cli import cli
try:
    cli.main(args=sys.argv[1:], standalone_mode=False)
finally:
    names = ("torch", "sentence_transformers", "transformers")
    heavy = sorted(m for m in names if m in sys.modules)
    print("HEAVY=" + json.dumps(heavy), file=sys.stderr)
"""


@pytest.mark.model
def test_ingest_and_check_in_fresh_processes_import_no_torch(tmp_path, monkeypatch):
    from claimcheck.embed import load_embedder
    from claimcheck.judge import load_judge

    env = {k: v for k, v in os.environ.items() if k not in ("CLAIMCHECK_BACKEND",)}
    env["CLAIMCHECK_JUDGE"] = "learned"
    env.pop("CLAIMCHECK_MODEL", None)
    monkeypatch.delenv("CLAIMCHECK_BACKEND", raising=False)
    monkeypatch.delenv("CLAIMCHECK_MODEL", raising=False)
    load_embedder(), load_judge(kind="learned")  # the exports exist from here on
    db = tmp_path / "archive.db"
    seed = sorted(CORPUS.glob("*.txt"))[0]
    ingest = subprocess.run(
        [sys.executable, "-c", PROBE, "-d", str(db), "ingest", str(seed)],
        env=env, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert ingest.returncode == 0, ingest.stderr
    assert "HEAVY=[]" in ingest.stderr.splitlines(), ingest.stderr  # ingest needs no torch either
    article = tmp_path / "draft.txt"
    article.write_text(
        "Talks\n\nThe talks in Istanbul lasted three hours, the Kremlin's aide said on Friday.\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [sys.executable, "-c", PROBE, "-d", str(db), "check", str(article), "--json"],
        env=env, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert lines and all("verdict" in line for line in lines)
    heavy = [line for line in run.stderr.splitlines() if line.startswith("HEAVY=")]
    assert heavy == ["HEAVY=[]"], run.stderr
    assert "\r" not in run.stderr  # no spinner when stderr is not a terminal


# --------------------------------------------------------------------------- start-up
class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_spinner_turns_on_a_terminal_and_is_cleared():
    import time

    from claimcheck.cli.check import Spinner

    stream = _Stream(tty=True)
    with Spinner(stream) as spinner:
        spinner.say("Loading the models…")
        time.sleep(0.35)
    assert "Loading the models…" in stream.text and "\r|" in stream.text
    assert stream.text.endswith("\r\033[K")  # the line is cleared when done


def test_spinner_is_silent_in_a_pipe():
    from claimcheck.cli.check import Spinner

    stream = _Stream(tty=False)
    with Spinner(stream) as spinner:
        spinner.say("Loading the models…")
    assert stream.text == ""


def test_check_refuses_bad_model_options_before_loading_anything(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from claimcheck.cli import cli

    article = tmp_path / "a.txt"
    article.write_text("Talks\n\nTalks ended, the minister said.\n", encoding="utf-8")
    runner = CliRunner()
    monkeypatch.setenv("CLAIMCHECK_BACKEND", "gpu")
    result = runner.invoke(cli, ["check", str(article)])
    assert result.exit_code != 0 and "CLAIMCHECK_BACKEND" in result.output
    monkeypatch.delenv("CLAIMCHECK_BACKEND")
    result = runner.invoke(cli, ["check", str(article), "--nli-model", str(tmp_path / "none")])
    assert result.exit_code != 0 and "does not exist" in result.output
    result = runner.invoke(cli, ["check", str(article), "--model", str(tmp_path / "none")])
    assert result.exit_code != 0 and "does not exist" in result.output

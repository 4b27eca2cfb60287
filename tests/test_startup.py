"""A fresh `check` starts faster without changing what it does (docs/performance.md, "A fresh
`check`"): sqlite-utils is imported without pandas, and the spaCy pipeline keeps every component
the extractor reads (leaving one out to load faster would change the claims).
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT, SEED


def _fresh(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return done.stdout.strip()


# --------------------------------------------------------------------------- sqlite-utils
@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas is not installed")
def test_the_archive_imports_sqlite_utils_without_pandas_and_leaves_pandas_importable():
    out = _fresh(
        "import sys, json\n"
        "import claimcheck.archive, claimcheck.cli.main\n"
        "import sqlite_utils.db as db\n"
        "first = ['pandas' in sys.modules, db.pd is None, 'sqlite_utils' in sys.modules]\n"
        "import pandas\n"
        "print(json.dumps(first + [pandas.Timestamp is not None]))\n"
    )
    assert json.loads(out) == [False, True, True, True]


@pytest.mark.skipif(importlib.util.find_spec("pandas") is None, reason="pandas is not installed")
def test_pandas_imported_before_the_archive_is_what_sqlite_utils_sees():
    out = _fresh(
        "import pandas, claimcheck.archive, sqlite_utils.db as db\n"
        "print(db.pd is pandas and pandas.Timestamp in db.COLUMN_TYPE_MAPPING)\n"
    )
    assert out == "True"


def test_a_store_written_after_the_lean_import_reads_back_the_same(tmp_path):
    from claimcheck.archive import Store

    store = Store.open(tmp_path / "a.db", create=True)
    store.close()
    tables = sqlite3.connect(tmp_path / "a.db").execute(
        "select name from sqlite_master where type = 'table' and name = 'claims'"
    )
    assert tables.fetchall() == [("claims",)]


# --------------------------------------------------------------------------- spaCy's pipeline
def _claims_without(component: str | None, texts: list[str]) -> list[list[tuple]]:
    """The extractor's claims for `texts`, with the pipeline loaded less one component."""
    import spacy

    from claimcheck.extract import nlp as nlp_module
    from claimcheck.extract import pipeline

    nlp = spacy.load(nlp_module.MODEL_NAME, exclude=[component] if component else [])
    nlp.add_pipe("claimcheck_line_breaks", before="parser")
    saved = pipeline.load_nlp
    pipeline.load_nlp = lambda: nlp  # type: ignore[assignment]
    try:
        out = []
        for text in texts:
            claims = pipeline.extract_claims(text).claims
            out.append([(c.speaker, c.quote, c.kind, c.start, c.end) for c in claims])
        return out
    finally:
        pipeline.load_nlp = saved  # type: ignore[assignment]


@pytest.mark.filterwarnings("ignore::UserWarning")  # the lemmatizer's W108 without POS tags
def test_every_component_the_pipeline_loads_changes_some_extraction():
    """Loading spaCy with fewer components would start faster, but the extractor reads every
    one of them: leaving any out changes the claims of the founding article or of a devset
    article. (The parser cannot go either: sentences and clauses come from it.) Only `senter`,
    which the model ships disabled, is never run."""
    from claimcheck.extract import load_nlp

    texts = [
        SEED.read_text(encoding="utf-8"),
        (ROOT / "tests/data/devset/articles/B01_capital_courier_errors.txt").read_text("utf-8"),
    ]
    full = _claims_without(None, texts)
    assert full[0] and full[1]
    loaded = [n for n in load_nlp().pipe_names if n != "claimcheck_line_breaks"]
    assert loaded == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    assert load_nlp().disabled == ["senter"]
    for component in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer", "ner"):
        assert _claims_without(component, texts) != full, component


# --------------------------------------------------------------------------- ONNX Runtime
def test_onnx_sessions_wait_asleep_and_give_the_same_outputs(tmp_path):
    """Sessions are made with spinning off (docs/performance.md); the outputs are the model's
    own, as with spinning on."""
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    from onnx import TensorProto, helper
    from tokenizers import Tokenizer, models, pre_tokenizers

    from claimcheck.inference import runtime

    # input_ids (batch, length) -> their sum per row, as float: enough to see the feed arrive.
    graph = helper.make_graph(
        [
            helper.make_node("Cast", ["input_ids"], ["ids"], to=TensorProto.FLOAT),
            helper.make_node(
                "Constant", [], ["axes"], value=helper.make_tensor("a", TensorProto.INT64, [1], [1])
            ),
            helper.make_node("ReduceSum", ["ids", "axes"], ["out"], keepdims=1),
        ],
        "tiny",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["b", "n"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["b", "n"]),
        ],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, None)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(tmp_path / "model.onnx"))
    tokenizer = Tokenizer(models.WordLevel({"[PAD]": 0, "talks": 1, "ended": 2}, unk_token="[PAD]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.save(str(tmp_path / "tokenizer.json"))
    meta = {"max_length": 16, "pad_id": 0, "pad_token": "[PAD]"}

    loaded = runtime.OnnxModel(tmp_path, meta, int8=False)
    options = loaded.session.get_session_options()
    assert options.get_session_config_entry(runtime.SPINNING_KEY) == "0"
    spinning = ort.InferenceSession(
        str(tmp_path / "model.onnx"), providers=["CPUExecutionProvider"]
    )
    texts = ["talks ended", "talks"]
    feed = {"input_ids": np.array([[1, 2], [1, 0]]), "attention_mask": np.array([[1, 1], [1, 0]])}
    assert loaded.run(texts).tolist() == spinning.run(None, feed)[0].tolist() == [[3.0], [1.0]]

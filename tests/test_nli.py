"""The NLI plug-in: loading offline, label order from the config, probabilities into matches.

The cross-encoder here is a tiny BERT built in the test (two layers, a 3-label head, a
twenty-word vocabulary) whose classifier bias is set by hand, so that what it predicts is known
and the test can check that the probabilities really reach Match.relation, score and reasons.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from claimcheck.errors import ModelError
from claimcheck.models import Claim, StoredClaim

VOCAB = [
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "[MASK]",
    "the",
    "talks",
    "lasted",
    "two",
    "hours",
    "five",
    "meeting",
    "in",
    "istanbul",
    "geneva",
    "was",
    "satisfied",
    "medinsky",
    "said",
    ".",
]


def claim(text: str, speaker: str = "Vladimir Medinsky") -> Claim:
    return Claim(
        speaker=speaker,
        speaker_mention=speaker,
        kind="indirect",
        quote=text,
        assertion=text,
        start=0,
        end=len(text),
        paragraph=0,
    )


def tiny_cross_encoder(path, id2label: dict[int, str], winner: str) -> str:
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    (path / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    config = BertConfig(
        vocab_size=len(VOCAB),
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
        num_labels=3,
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
    )
    model = BertForSequenceClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.zero_()
        index = next(i for i, name in id2label.items() if name == winner)
        model.classifier.bias[index] = 8.0
    model.save_pretrained(path)
    BertTokenizer(str(path / "vocab.txt")).save_pretrained(path)
    return str(path)


def test_label_order_is_read_from_id2label():
    from claimcheck.judge.nli import label_indices

    assert label_indices({0: "ENTAILMENT", 1: "neutral", 2: "Contradiction"}) == {
        "entailment": 0,
        "neutral": 1,
        "contradiction": 2,
    }
    # No usable names: the usual NLI cross-encoder order.
    assert label_indices({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}) == {
        "contradiction": 0,
        "entailment": 1,
        "neutral": 2,
    }


def test_missing_model_folder_fails_in_one_line(tmp_path):
    from claimcheck.judge.nli import NLIJudge

    with pytest.raises(ModelError) as err:
        NLIJudge(str(tmp_path / "no-such-model"))
    assert "\n" not in str(err.value)
    assert "no-such-model" in str(err.value)


def test_rule_judge_does_not_import_torch():
    code = (
        "import sys\n"
        "from claimcheck.judge import load_judge, decide\n"
        "from claimcheck.models import Claim, StoredClaim\n"
        "t = 'The talks lasted five hours'\n"
        "c = Claim('X', 'X', 'direct', t, t, 0, 1, 0)\n"
        "s = StoredClaim(Claim('FT', 'FT', 'unattributed', 'The talks lasted just two hours',\n"
        "                      'The talks lasted just two hours', 0, 1, 0))\n"
        "v = decide(c, load_judge().judge_pairs([(c, s, 0.8)]))\n"
        "assert v.verdict == 'contradict', v.verdict\n"
        "assert 'torch' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.model
@pytest.mark.parametrize(
    "id2label",
    [
        {0: "contradiction", 1: "entailment", 2: "neutral"},
        {0: "entailment", 1: "neutral", 2: "contradiction"},
    ],
)
def test_entailment_probability_turns_a_related_pair_into_agreement(tmp_path, id2label):
    from claimcheck.judge import RuleJudge, decide, load_judge

    path = tiny_cross_encoder(tmp_path, id2label, winner="entailment")
    new = claim("medinsky said the meeting was satisfied .")
    old = StoredClaim(claim("the talks in istanbul lasted two hours .", "Financial Times"))
    [rule_match] = RuleJudge().judge_pairs([(new, old, 0.45)])
    assert rule_match.relation == "related"

    judge = load_judge(path)
    [match] = judge.judge_pairs([(new, old, 0.45)])
    nli = next(r for r in match.reasons if r.code == "nli")
    assert "entailment 1.00" in nli.text
    assert match.relation == "agree"
    assert match.score > 0.99
    assert decide(new, [match]).verdict == "agree"


@pytest.mark.model
def test_contradiction_probability_needs_the_same_speaker_or_occasion(tmp_path):
    from claimcheck.judge import load_judge

    path = tiny_cross_encoder(
        tmp_path, {0: "contradiction", 1: "entailment", 2: "neutral"}, winner="contradiction"
    )
    judge = load_judge(path)
    new = claim("medinsky said the talks was satisfied .")
    same_speaker = StoredClaim(claim("medinsky said the meeting in istanbul ."))
    other_speaker = StoredClaim(claim("the talks in geneva .", "Financial Times"))
    a, b = judge.judge_pairs([(new, same_speaker, 0.4), (new, other_speaker, 0.4)])
    assert a.relation == "contradict" and a.score == pytest.approx(0.9, abs=0.01)
    assert b.relation != "contradict"
    assert any(r.code == "nli" for r in b.reasons)
    # Below the similarity gate the cross-encoder is not consulted at all.
    [c] = judge.judge_pairs([(new, other_speaker, 0.1)])
    assert not any(r.code == "nli" for r in c.reasons)

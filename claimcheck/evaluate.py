"""Measure the checker against a labelled development set.

A labelled set is a folder with `articles/` and `labels.jsonl` (one labelled span a line, see
tests/data/devset). `evaluate` runs the real pipeline — extraction, retrieval, judging — on each
article and aligns every label span with the extracted claim that overlaps it most; a span no
claim overlaps counts as predicted `novel` and is listed as missed. `evaluate_spans` skips
extraction: it builds each new claim straight from the labelled span, so the judge can be
measured on its own. Both return an `EvalReport`; `format_report` prints it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .judge import Judge, speaker_key
from .models import VERDICTS, Article, Claim, StoredClaim, Verdict

# The split used to tune the rule judge (docs/evaluation.md): the shared four articles plus
# these; the rest of tests/data/devset is held out.
TUNING_ARTICLES = frozenset(
    {
        "B01_capital_courier_errors.txt",
        "B03_june_second_round.txt",
        "B05_live_blog_evening.txt",
        "B07_frontline_analysis.txt",
        "B09_european_reaction.txt",
        "B11_swap_first_stage.txt",
    }
)


@dataclass
class Label:
    article: str
    id: str
    text: str
    char_start: int
    speaker: str
    kind: str
    label: str
    stored_quotes: list[str]
    stored_speakers: list[str]
    why: str
    hard_negative: bool

    @property
    def char_end(self) -> int:
        return self.char_start + len(self.text)


@dataclass
class LabelResult:
    label: Label
    predicted: str
    verdict: Verdict | None  # None when no extracted claim overlaps the span
    cited: str | None = None  # the quote of the stored claim the verdict rests on

    @property
    def correct(self) -> bool:
        return self.predicted == self.label.label


@dataclass
class EvalReport:
    results: list[LabelResult]
    missed_spans: list[Label] = field(default_factory=list)

    def confusion(self) -> dict[str, dict[str, int]]:
        """confusion[gold][predicted] = count."""
        table = {g: {p: 0 for p in VERDICTS} for g in VERDICTS}
        for r in self.results:
            table[r.label.label][r.predicted] += 1
        return table

    def scores(self) -> dict[str, dict[str, float]]:
        """precision, recall, f1 and support per verdict."""
        table = self.confusion()
        out = {}
        for v in VERDICTS:
            tp = table[v][v]
            predicted = sum(table[g][v] for g in VERDICTS)
            gold = sum(table[v].values())
            p = tp / predicted if predicted else 0.0
            r = tp / gold if gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[v] = {"precision": p, "recall": r, "f1": f, "support": gold}
        return out

    @property
    def macro_f1(self) -> float:
        s = self.scores()
        return sum(s[v]["f1"] for v in VERDICTS) / len(VERDICTS)

    @property
    def accuracy(self) -> float:
        return sum(r.correct for r in self.results) / len(self.results) if self.results else 0.0

    def subset(self, articles: Iterable[str]) -> EvalReport:
        keep = set(articles)
        return EvalReport(
            [r for r in self.results if r.label.article in keep],
            [m for m in self.missed_spans if m.article in keep],
        )


def load_labels(labels_dir: str | Path) -> list[Label]:
    path = Path(labels_dir) / "labels.jsonl"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row: dict[str, Any] = json.loads(line)
            out.append(Label(**{k: row[k] for k in Label.__dataclass_fields__}))
    return out


def read_labelled_article(labels_dir: str | Path, name: str) -> str:
    return (Path(labels_dir) / "articles" / name).read_text(encoding="utf-8")


def align(label: Label, claims: Sequence[Claim]) -> int | None:
    """Index of the claim whose span overlaps the label's span most (None: no overlap)."""
    best, best_overlap = None, 0
    for i, c in enumerate(claims):
        overlap = min(c.end, label.char_end) - max(c.start, label.char_start)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best


def _cited(verdict: Verdict) -> str | None:
    return verdict.matches[0].stored.claim.quote if verdict.matches else None


def evaluate(
    labels_dir: str | Path,
    store: Any,
    embedder: Any,
    judge: Judge,
    *,
    only: set[str] | frozenset[str] | None = None,
) -> EvalReport:
    """Run the full pipeline on every labelled article (or those named in `only`) against the
    claims already in `store`."""
    from .check import check_article

    labels = [lab for lab in load_labels(labels_dir) if only is None or lab.article in only]
    by_article: dict[str, list[Label]] = {}
    for lab in labels:
        by_article.setdefault(lab.article, []).append(lab)
    results: list[LabelResult] = []
    missed: list[Label] = []
    for name, labs in by_article.items():
        article = Article(text=read_labelled_article(labels_dir, name), source_path=name)
        report = check_article(
            store, article, embedder=embedder, judge=judge, record=False, save=False
        )
        claims = [v.claim for v in report.verdicts]
        for lab in labs:
            i = align(lab, claims)
            if i is None:
                missed.append(lab)
                results.append(LabelResult(lab, "novel", None))
            else:
                v = report.verdicts[i]
                results.append(LabelResult(lab, v.verdict, v, _cited(v)))
    return EvalReport(results, missed)


def evaluate_dir(
    labels_dir: str | Path, corpus: str | Path, *, embedder: Any, judge: Judge
) -> EvalReport:
    """`evaluate` against `corpus` (a file or a folder of .txt articles) ingested into a
    scratch database that is thrown away afterwards."""
    import tempfile

    from .archive import Store, ingest_paths

    corpus = Path(corpus)
    paths = sorted(corpus.glob("*.txt")) if corpus.is_dir() else [corpus]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "evaluate.db")
        try:
            ingest_paths(store, paths, embedder)
            return evaluate(labels_dir, store, embedder, judge)
        finally:
            store.close()


def report_json(report: EvalReport) -> dict[str, Any]:
    """The figures as plain JSON: scores, macro-F1, confusion, and every mistake."""
    return {
        "labels": len(report.results),
        "accuracy": report.accuracy,
        "macro_f1": report.macro_f1,
        "scores": report.scores(),
        "confusion": report.confusion(),
        "missed_spans": [m.id for m in report.missed_spans],
        "mistakes": [
            {
                "id": r.label.id,
                "label": r.label.label,
                "predicted": r.predicted,
                "hard_negative": r.label.hard_negative,
                "text": r.label.text,
                "cited": r.cited,
            }
            for r in report.results
            if not r.correct
        ],
    }


def label_claim(label: Label) -> Claim:
    """A new claim built straight from a labelled span (no extraction)."""
    return Claim(
        speaker=label.speaker,
        speaker_mention=label.speaker,
        kind=label.kind,
        quote=label.text,
        assertion=label.text,
        start=label.char_start,
        end=label.char_end,
        paragraph=0,
    )


def evaluate_spans(
    labels_dir: str | Path | list[Label],
    stored: Sequence[StoredClaim],
    embedder: Any,
    judge: Judge,
    *,
    top_k: int = 8,
    speaker_k: int = 3,
    min_similarity: float = 0.2,
) -> EvalReport:
    """Judge each labelled span against its `top_k` most similar stored claims plus the
    `speaker_k` most similar ones by the same speaker (as `check.gather_candidates` does)."""
    labels = labels_dir if isinstance(labels_dir, list) else load_labels(labels_dir)
    new_claims = [label_claim(lab) for lab in labels]
    new_vecs = embedder.encode([c.assertion for c in new_claims])
    old_vecs = embedder.encode([s.claim.assertion or s.claim.quote for s in stored])
    sims = new_vecs @ old_vecs.T if len(stored) else np.zeros((len(labels), 0))
    results = []
    for lab, claim, row in zip(labels, new_claims, sims, strict=True):
        ranked = [int(j) for j in np.argsort(-row)]
        same = [
            j for j in ranked if speaker_key(stored[j].claim.speaker) == speaker_key(lab.speaker)
        ]
        order = list(dict.fromkeys(ranked[:top_k] + same[:speaker_k]))
        pairs = [(claim, stored[j], float(row[j])) for j in order if row[j] >= min_similarity]
        verdict = judge.decide(claim, judge.judge_pairs(pairs))
        results.append(LabelResult(lab, verdict.verdict, verdict, _cited(verdict)))
    return EvalReport(results)


SENTENCE_RE = re.compile(r"(?<=[.”\"])\s+(?=[A-Z“\"])")


def reference_claims(
    labels: Iterable[Label],
    seed_text: str,
    *,
    outlet: str,
    published: str | None = None,
) -> list[StoredClaim]:
    """The founding article's claims as the labels cite them, for judging without extraction.

    Every stored quote the labels cite becomes a claim by its cited speaker, with the sentence
    around it as its assertion; every other sentence of the seed becomes a claim in the
    outlet's voice, so that the judge also meets the claims no label cites.
    """
    speakers: dict[str, str] = {}
    for lab in labels:
        for quote, speaker in zip(lab.stored_quotes, lab.stored_speakers, strict=True):
            speakers.setdefault(quote, speaker)
    sentences = [
        s.strip() for line in seed_text.splitlines() for s in SENTENCE_RE.split(line) if s.strip()
    ]
    for sentence in sentences:
        if len(sentence.split()) > 3 and not any(sentence in q or q in sentence for q in speakers):
            speakers[sentence] = outlet
    out = []
    for i, (quote, speaker) in enumerate(speakers.items()):
        start = seed_text.find(quote)
        claim = Claim(
            speaker=speaker,
            speaker_mention=speaker,
            kind="unattributed" if speaker == outlet else "indirect",
            quote=quote,
            assertion=next((s for s in sentences if quote in s), quote),
            start=start,
            end=start + len(quote),
            paragraph=0,
            id=i + 1,
        )
        out.append(StoredClaim(claim, outlet=outlet, published=published))
    return out


def format_report(report: EvalReport, *, mistakes: bool = True) -> str:
    """Per-verdict precision/recall/F1, macro-F1, the confusion matrix and the mistakes."""
    s = report.scores()
    lines = [f"{len(report.results)} labelled claims, accuracy {report.accuracy:.3f}", ""]
    lines.append(f"{'verdict':<11}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}")
    for v in VERDICTS:
        row = s[v]
        lines.append(
            f"{v:<11}{row['precision']:>10.3f}{row['recall']:>8.3f}{row['f1']:>7.3f}"
            f"{int(row['support']):>9d}"
        )
    lines.append(
        f"macro-F1 {report.macro_f1:.3f}; contradiction precision "
        f"{s['contradict']['precision']:.3f}"
    )
    lines += ["", "confusion (rows: label, columns: predicted)"]
    lines.append(f"{'':<11}" + "".join(f"{p:>11}" for p in VERDICTS))
    for gold, counts in report.confusion().items():
        lines.append(f"{gold:<11}" + "".join(f"{counts[p]:>11d}" for p in VERDICTS))
    if report.missed_spans:
        lines += ["", f"{len(report.missed_spans)} label spans overlapped no extracted claim:"]
        lines += [f"  {m.id}: {m.text[:70]}" for m in report.missed_spans]
    if mistakes:
        wrong = [r for r in report.results if not r.correct]
        if wrong:
            lines += ["", f"{len(wrong)} mistakes:"]
        for r in wrong:
            lines.append(
                f"  {r.label.id} label={r.label.label} predicted={r.predicted}"
                f"{' (hard negative)' if r.label.hard_negative else ''}: "
                f"{r.label.text[:70]}"
            )
            if r.verdict and r.verdict.matches:
                m = r.verdict.matches[0]
                why = "; ".join(x.text for x in m.reasons[:2]) or "-"
                lines.append(
                    f"      vs {m.stored.claim.quote[:70]!r} [{m.relation} "
                    f"{m.score:.2f}, sim {m.similarity:.2f}] {why}"
                )
    return "\n".join(lines)

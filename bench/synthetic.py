"""Synthetic archives for the benchmark: stored claims at any size, written through the real store.

Vectors are generated directly rather than encoded (encoding a million sentences would take hours
on this machine), but shaped like sentence-model output: unit length, 384 dimensions, a shared
mean direction (sentence embeddings are anisotropic: unrelated sentences still have cosine ~0.1),
claims clustered around a few thousand topic centroids, and a share of near-duplicates (the same
statement reported by several outlets). Rows go through `Store.add_articles` with real Article and
Extraction records, so the schema, indexes, FTS triggers and blobs are the ones users get.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from claimcheck.archive.store import Store
from claimcheck.models import Article, Claim, Extraction, SpeakerInfo

DIMENSIONS = 384
CLAIMS_PER_ARTICLE = 30
SYNTHETIC_MODEL = "synthetic-384"

_SYLLABLES = (
    "ka ro mi ne ta lo vi sa de ru ko pa li ma no ze ha be to sho ven dar mel tor "
    "gan pel fri sto lin mar bor kel dun vas nik ost rem sul tam yev zor cha lev"
).split()
_COMMON = (
    "the government said talks would resume next week and that troops were ready to "
    "withdraw from the border region after the ceasefire agreement was signed by both sides "
    "while officials warned that sanctions could follow if the deal collapsed"
).split()
_CUES = ("said", "told reporters", "said in a statement", "added", "according to")


def _word(rng: np.random.Generator, syllables: int) -> str:
    return "".join(rng.choice(_SYLLABLES, size=syllables))


@dataclass
class VectorModel:
    """Topic centroids and the noise that spreads claims around them."""

    centroids: np.ndarray  # (topics, dims) float32, unit rows
    topic_words: list[list[str]]
    member_noise: float = 0.052  # cos(claim, its centroid) ~ 0.7
    duplicate_noise: float = 0.012  # cos(near-duplicate, original) ~ 0.97
    duplicate_share: float = 0.05

    @classmethod
    def create(cls, topics: int = 3000, dims: int = DIMENSIONS, seed: int = 0) -> VectorModel:
        rng = np.random.default_rng(seed)
        mean = rng.standard_normal(dims).astype(np.float32)
        mean /= np.linalg.norm(mean)
        raw = rng.standard_normal((topics, dims)).astype(np.float32)
        raw /= np.linalg.norm(raw, axis=1, keepdims=True)
        centroids = raw + 0.35 * mean  # anisotropy: every topic leans the same way
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        words = [[_word(rng, int(rng.integers(2, 4))) for _ in range(8)] for _ in range(topics)]
        return cls(centroids=centroids.astype(np.float32), topic_words=words)

    def sample(self, topics: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """One unit vector per topic index; some rows are near-copies of earlier rows."""
        dims = self.centroids.shape[1]
        noise = rng.standard_normal((len(topics), dims), dtype=np.float32)
        out = self.centroids[topics] + self.member_noise * noise
        duplicates = np.nonzero(rng.random(len(topics)) < self.duplicate_share)[0]
        duplicates = duplicates[duplicates > 0]
        if len(duplicates):
            sources = (rng.random(len(duplicates)) * duplicates).astype(np.int64)
            out[duplicates] = out[sources] + self.duplicate_noise * noise[duplicates]
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out.astype(np.float32)


def _speaker_pool(rng: np.random.Generator, size: int) -> list[str]:
    names = set()
    while len(names) < size:
        first = _word(rng, 2).capitalize()
        last = _word(rng, int(rng.integers(2, 4))).capitalize()
        names.add(f"{first} {last}")
    return sorted(names)


def synthetic_articles(
    count: int, model: VectorModel, *, seed: int = 1, first_number: int = 0
) -> Iterator[tuple[Article, Extraction, np.ndarray]]:
    """`count` articles of CLAIMS_PER_ARTICLE claims each, with their claim vectors."""
    rng = np.random.default_rng(seed)
    speakers = _speaker_pool(np.random.default_rng(12345), 2000)
    topics_total = model.centroids.shape[0]
    for number in range(first_number, first_number + count):
        topics = rng.integers(0, topics_total, size=CLAIMS_PER_ARTICLE)
        # An article sticks to a handful of topics and speakers, as news does.
        topics[CLAIMS_PER_ARTICLE // 2 :] = rng.choice(topics[:4], CLAIMS_PER_ARTICLE // 2)
        cast = [speakers[i] for i in rng.choice(len(speakers), size=4, replace=False)]
        title = f"Report {number}: {' '.join(model.topic_words[topics[0]][:3])}"
        text = title + "\n\n"
        claims: list[Claim] = []
        for i, topic in enumerate(topics):
            vocab = model.topic_words[topic]
            words = list(rng.choice(vocab, size=6)) + list(rng.choice(_COMMON, size=10))
            rng.shuffle(words)
            quote = " ".join(words).capitalize()
            speaker = cast[i % len(cast)]
            cue = _CUES[i % len(_CUES)]
            start = len(text) + 1  # after the opening quotation mark
            text += f'"{quote}," {speaker} {cue}.' + ("\n\n" if i % 3 == 2 else " ")
            claims.append(
                Claim(
                    speaker=speaker,
                    speaker_mention=speaker,
                    kind="direct",
                    quote=quote,
                    assertion=quote,
                    start=start,
                    end=start + len(quote),
                    paragraph=1 + i // 3,
                    cue=cue,
                )
            )
        extraction = Extraction(
            claims=claims,
            speakers=[SpeakerInfo(name=n, mentions=[n, n.split()[-1]]) for n in cast],
        )
        vectors = model.sample(topics, rng)
        yield Article(text=text, outlet=f"Outlet {number % 40}", title=title), extraction, vectors


ARCHIVE_SEED = 1  # the topics of every archive `build_archive` writes (queries must share them)


def build_archive(
    path: str, claims: int, model_name: str, *, seed: int = ARCHIVE_SEED, batch_articles: int = 200
) -> dict[str, float]:
    """Write a synthetic archive of about `claims` claims to `path` through `Store.add_articles`.

    Returns what the build measured: seconds, claims written, store throughput.
    """
    import time

    store = Store.open(path)
    try:
        already = store.claim_count()
        articles = max(0, -(-(claims - already) // CLAIMS_PER_ARTICLE))
        model = VectorModel.create(seed=seed)
        started = time.perf_counter()
        batch: list[tuple[Article, Extraction, np.ndarray]] = []
        first = already // CLAIMS_PER_ARTICLE
        for item in synthetic_articles(articles, model, seed=seed + first, first_number=first):
            batch.append(item)
            if len(batch) >= batch_articles:
                store.add_articles(batch, model_name)
                batch = []
        if batch:
            store.add_articles(batch, model_name)
        seconds = time.perf_counter() - started
        written = store.claim_count() - already
    finally:
        store.close()
    return {
        "seconds": seconds,
        "claims_written": written,
        "claims_per_second": written / seconds if seconds and written else 0.0,
    }


def cosine_profile(matrix: np.ndarray, sample: int = 2000, seed: int = 0) -> dict[str, float]:
    """How spread the vectors are: cosine of random pairs and of each row's nearest neighbour."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(matrix.shape[0], size=min(sample, matrix.shape[0]), replace=False)
    picked = np.asarray(matrix[np.sort(rows)], dtype=np.float32)
    sims = picked @ picked.T
    np.fill_diagonal(sims, -1.0)
    upper = sims[np.triu_indices(len(picked), 1)]
    return {
        "random_pair_mean": float(upper.mean()),
        "random_pair_p99": float(np.quantile(upper, 0.99)),
        "nearest_in_sample_median": float(np.median(sims.max(axis=1))),
    }

"""Ingesting a whole archive folder: streamed in batches, resumable after an interruption."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from claimcheck.archive import ingest as ingest_module
from claimcheck.archive.ingest import ingest_paths
from claimcheck.models import Claim, Extraction, SpeakerInfo

QUOTE = re.compile(r'"([^"]+)," (\w+ \w+) said')


def quoted_claims(items: Iterable[tuple[str, str | None]]) -> Iterator[Extraction]:
    """A stand-in extractor (no spaCy): every `"...," First Last said` is one direct claim."""
    for text, _outlet in items:
        claims = [
            Claim(
                speaker=m.group(2),
                speaker_mention=m.group(2),
                kind="direct",
                quote=m.group(1),
                assertion=m.group(1),
                start=m.start(1),
                end=m.end(1),
                paragraph=1,
            )
            for m in QUOTE.finditer(text)
        ]
        names = sorted({c.speaker for c in claims})
        yield Extraction(claims=claims, speakers=[SpeakerInfo(name=n) for n in names])


class FailingOnce:
    """Wraps an embedder; the `fail_on`-th encode call raises, as a crash mid-ingest would."""

    def __init__(self, inner, fail_on: int) -> None:
        self.inner, self.fail_on, self.calls = inner, fail_on, 0
        self.name, self.dimensions = inner.name, inner.dimensions
        self.batch_sizes: list[int] = []

    def encode(self, texts: list[str]):
        self.calls += 1
        if self.calls == self.fail_on:
            raise RuntimeError("killed mid-ingest")
        self.batch_sizes.append(len(texts))
        return self.inner.encode(texts)


@pytest.fixture
def folder(tmp_path) -> Path:
    """Ten articles, two claims each, every claim worded differently."""
    out = tmp_path / "archive"
    out.mkdir()
    for i in range(10):
        (out / f"story-{i:02d}.txt").write_text(
            f"Story {i}\n\n"
            f'"The bridge {i} will reopen in spring," Anna Kovalenko said. '
            f'"Repairs to pier {i} cost more than planned," Piotr Nowak said.\n',
            encoding="utf-8",
        )
    return out


@pytest.fixture(autouse=True)
def fake_extractor(monkeypatch):
    monkeypatch.setattr(ingest_module, "extract_many", quoted_claims)


def stored(store) -> list[tuple[str, int]]:
    return [
        (row[0], row[1])
        for row in store.db.execute(
            "select source_path, count(claims.id) from articles "
            "left join claims on claims.article_id = articles.id group by articles.id "
            "order by source_path"
        )
    ]


def test_an_interrupted_ingest_resumes_with_every_article_exactly_once(store, folder, embedder):
    paths = sorted(folder.iterdir())
    crashing = FailingOnce(embedder, fail_on=2)
    with pytest.raises(RuntimeError, match="killed mid-ingest"):
        ingest_paths(store, paths, crashing, batch_articles=4)
    # The first batch is committed whole; the batch that crashed left nothing behind.
    assert [Path(p).name for p, _ in stored(store)] == [p.name for p in paths[:4]]

    summary = ingest_paths(store, paths, embedder, batch_articles=4)
    assert summary.articles_added == 6 and summary.articles_skipped == 4
    assert [(Path(p).name, n) for p, n in stored(store)] == [(p.name, 2) for p in paths]
    assert store.claim_count() == 20
    vectors = store.db.execute("select count(*) from embeddings").fetchone()[0]
    assert vectors == 20
    # Both runs resolved the same two people, not a new pair per run.
    assert sorted(s.name for s in store.speakers()) == ["Anna Kovalenko", "Piotr Nowak"]


def test_the_encoder_sees_whole_batches_of_articles_and_files_are_read_lazily(
    store, folder, embedder
):
    read: list[Path] = []

    def lazily(paths: list[Path]) -> Iterator[Path]:
        for p in paths:
            read.append(p)
            yield p

    spy = FailingOnce(embedder, fail_on=0)
    files_read_at_first_encode: list[int] = []
    original = spy.encode

    def encode(texts: list[str]):
        files_read_at_first_encode.append(len(read))
        return original(texts)

    spy.encode = encode  # type: ignore[method-assign]
    summary = ingest_paths(store, lazily(sorted(folder.iterdir())), spy, batch_articles=4)
    assert summary.articles_added == 10
    # One encoder call per batch of four articles (eight claims), not one per article...
    assert spy.batch_sizes == [8, 8, 4]
    # ...and the first batch was embedded before the whole folder had been read.
    assert files_read_at_first_encode[0] == 4

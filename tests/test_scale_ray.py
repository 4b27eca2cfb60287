"""Ingest and batch checks on a real Ray cluster (local, 127.0.0.1, started and stopped here).

The cluster's actors use the real extractor and the test embedder (named by module, so each actor
process imports it); the archive they fill must be the one a serial ingest of the same files
makes: the same articles, claims, speakers and vectors, and the same skips and errors.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.scale
ray = pytest.importorskip("ray")

from claimcheck.scale.cluster import start_local  # noqa: E402

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DEVSET = TESTS / "data/devset/articles"


@pytest.fixture(scope="module")
def cluster():
    """A two-CPU Ray cluster on this machine whose workers can import the test embedder."""
    if ray.is_initialized():
        ray.shutdown()
    start_local(
        ray,
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={
            "env_vars": {
                "PYTHONPATH": os.pathsep.join([str(TESTS), str(ROOT)]),
                "CLAIMCHECK_JUDGE": "rules",
            }
        },
    )
    yield ray
    ray.shutdown()


@pytest.fixture
def files(tmp_path) -> list[Path]:
    """Real articles, one stored twice under another name, and one file that cannot be read."""
    folder = tmp_path / "articles"
    folder.mkdir()
    out = []
    for source in [ROOT / "corpus/ft-2025-05-16-istanbul-talks.txt", *sorted(DEVSET.glob("*"))[:5]]:
        out.append(Path(shutil.copy(source, folder / source.name)))
    out.append(Path(shutil.copy(out[1], folder / "same-text-again.txt")))
    bad = folder / "binary.txt"
    bad.write_bytes(b"\x00\x01\x02 not an article" * 10)
    out.insert(3, bad)
    batch = folder / "wire.jsonl"  # a JSON lines batch: one file, two articles
    lines = [
        {"text": (DEVSET / name).read_text(encoding="utf-8"), "outlet": "Wire"}
        for name in ("B08_harbour_wire_brief.txt", "B09_european_reaction.txt")
    ]
    batch.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    out.insert(5, batch)
    return out


def archive_rows(db: Path) -> dict[str, list]:
    """What an archive holds, in storage order, without ids, times or file paths."""
    from claimcheck.archive import Store

    store = Store.open(db, create=False)
    try:
        q = store.db.execute
        articles = q(
            "select content_hash, outlet, title, published, claim_count from articles order by id"
        ).fetchall()
        order = {row[0]: i for i, row in enumerate(q("select id from articles order by id"))}
        claims = [
            (order[r[0]], *r[1:])
            for r in q(
                "select article_id, speaker, speaker_mention, kind, quote, assertion, start, "
                "[end], paragraph, co_speakers, cue, speaker_role from claims order by id"
            )
        ]
        speakers = q("select name, kind from speakers order by id").fetchall()
        vectors = [
            (model, np.frombuffer(blob, dtype="<f4"))
            for model, blob in q(
                "select e.model, e.vector from embeddings e join claims c on c.id = e.claim_id "
                "order by c.id"
            )
        ]
    finally:
        store.close()
    return {"articles": articles, "claims": claims, "speakers": speakers, "vectors": vectors}


def assert_same_archive(a: dict[str, list], b: dict[str, list]) -> None:
    assert a["articles"] == b["articles"]
    assert a["claims"] == b["claims"]
    assert a["speakers"] == b["speakers"]
    assert [m for m, _ in a["vectors"]] == [m for m, _ in b["vectors"]]
    for (_, x), (_, y) in zip(a["vectors"], b["vectors"], strict=True):
        np.testing.assert_allclose(x, y, atol=1e-6)


def test_ray_ingest_stores_what_serial_ingest_stores(cluster, files, tmp_path, embedder):
    from conftest import HashingEmbedder

    from claimcheck.archive import Store, ingest_paths
    from claimcheck.scale import RayOptions, ingest_on_ray

    serial_db, ray_db = tmp_path / "serial.db", tmp_path / "ray.db"
    store = Store.open(serial_db)
    serial = ingest_paths(store, files, embedder, overlap=False)
    store.close()

    store = Store.open(ray_db)
    progress: list[int] = []
    on_ray = ingest_on_ray(
        store,
        files,
        HashingEmbedder,
        ray_options=RayOptions(address="auto", workers=2, batch_articles=2),
        on_article=lambda _path, claims: progress.append(claims),
    )
    store.close()

    assert serial.articles_added == on_ray.articles_added == 8
    assert serial.articles_skipped == on_ray.articles_skipped == 1  # the same text twice
    assert serial.claims_added == on_ray.claims_added > 50
    assert len(on_ray.errors) == 1 and "binary.txt" in on_ray.errors[0]
    assert on_ray.errors == serial.errors
    assert len(progress) == 9 and sum(progress) == on_ray.claims_added
    assert_same_archive(archive_rows(serial_db), archive_rows(ray_db))

    # Idempotent: everything is found stored before any parsing, and nothing changes.
    before = archive_rows(ray_db)
    store = Store.open(ray_db)
    again = ingest_on_ray(store, files, HashingEmbedder, ray_options=RayOptions(address="auto"))
    store.close()
    assert (again.articles_added, again.articles_skipped, again.claims_added) == (0, 9, 0)
    assert_same_archive(before, archive_rows(ray_db))


def test_ingest_command_on_ray(cluster, files, db_path, monkeypatch):
    from claimcheck.cli import cli

    monkeypatch.setenv("CLAIMCHECK_EMBEDDER", "conftest:HashingEmbedder")
    result = CliRunner().invoke(cli, ["ingest", *map(str, files), "--json", "--ray", "auto"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["articles_added"] == 8 and summary["articles_skipped"] == 1
    assert "skipped:" in result.stderr and "binary.txt" in result.stderr
    assert "claims/s" in result.stderr  # the rate
    rows = archive_rows(db_path)
    assert len(rows["claims"]) == summary["claims_added"]

    # Options are checked before anything starts.
    bad = CliRunner().invoke(cli, ["ingest", str(files[0]), "--workers", "2"])
    assert bad.exit_code == 2 and "--ray" in bad.output


def test_batch_checks_on_ray_are_recorded_as_single_checks(cluster, tmp_path, monkeypatch):
    """Each article checked on the cluster is recorded and flagged as `check FILE` records it."""
    from claimcheck.cli import cli

    monkeypatch.setenv("CLAIMCHECK_EMBEDDER", "conftest:HashingEmbedder")
    stories = [
        DEVSET / "B01_capital_courier_errors.txt",
        DEVSET / "B10_morning_dispatch_errors.txt",
    ]
    stories.append(DEVSET / "B04_explainer.txt")
    runner = CliRunner()
    single_db, ray_db = tmp_path / "single.db", tmp_path / "ray.db"
    for db in (single_db, ray_db):
        done = runner.invoke(cli, ["-d", str(db), "ingest", str(ROOT / "corpus")])
        assert done.exit_code == 0, done.output

    single_lines = []
    for story in stories:
        done = runner.invoke(cli, ["-d", str(single_db), "check", str(story), "--json"])
        assert done.exit_code == 0, done.output
        single_lines.append([json.loads(line) for line in done.stdout.splitlines()])

    done = runner.invoke(
        cli, ["-d", str(ray_db), "check", *map(str, stories), "--json", "--ray", "auto"]
    )
    assert done.exit_code == 0, done.output
    batch = [json.loads(line) for line in done.stdout.splitlines()]
    for number, (story, expected) in enumerate(zip(stories, single_lines, strict=True), 1):
        got = [line for line in batch if line["article"] == number]
        assert {line["path"] for line in got} == {str(story)}
        assert [{k: v for k, v in g.items() if k not in ("article", "path")} for g in got] == (
            expected
        )
    assert sum(line["verdict"] == "contradict" for line in batch) >= 1

    def recorded(db: Path) -> tuple[list, list, list]:
        from claimcheck.archive import Store

        store = Store.open(db, create=False)
        q = store.db.execute
        runs = q(
            "select s.content_hash, r.judge, r.model, r.claim_count, r.agree, r.contradict, "
            "r.novel from check_runs r join submissions s on s.id = r.submission_id order by r.id"
        ).fetchall()
        results = q(
            "select verdict, confidence, matches from check_results order by run_id, id"
        ).fetchall()
        flags = q("select fingerprint, status from flags order by id").fetchall()
        store.close()
        return runs, results, flags

    single, on_ray = recorded(single_db), recorded(ray_db)
    assert len(single[0]) == 3 and single == on_ray
    assert single[2], "the error stories must put contradictions in the review queue"


def test_check_many_reports_unreadable_files_and_checks_the_rest(cluster, tmp_path, monkeypatch):
    from claimcheck.cli import cli

    monkeypatch.setenv("CLAIMCHECK_EMBEDDER", "conftest:HashingEmbedder")
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x00binary")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(ROOT / "corpus")]).exit_code == 0
    story = DEVSET / "B04_explainer.txt"
    done = runner.invoke(cli, ["check", str(story), str(bad), "--ray", "auto", "--json"])
    assert done.exit_code == 1
    assert "broken.txt" in done.stderr and "1 of 2 article(s) could not be checked" in done.stderr
    assert {json.loads(line)["path"] for line in done.stdout.splitlines()} == {str(story)}


def test_several_paths_without_ray_are_checked_one_after_another(tmp_path, monkeypatch):
    from claimcheck.cli import cli

    monkeypatch.setenv("CLAIMCHECK_EMBEDDER", "conftest:HashingEmbedder")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(ROOT / "corpus")]).exit_code == 0
    stories = [DEVSET / "B01_capital_courier_errors.txt", DEVSET / "B04_explainer.txt"]
    each = []
    for story in stories:
        done = runner.invoke(cli, ["check", str(story), "--json"])
        assert done.exit_code == 0, done.output
        each.append([json.loads(line) for line in done.stdout.splitlines()])
    done = runner.invoke(cli, ["check", *map(str, stories), "--json"])
    assert done.exit_code == 0, done.output
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    for number, expected in enumerate(each, 1):
        got = [line for line in lines if line["article"] == number]
        assert [{k: v for k, v in g.items() if k not in ("article", "path")} for g in got] == (
            expected
        )
    folder = runner.invoke(cli, ["check", str(DEVSET), "--ray", str(DEVSET)])
    assert folder.exit_code == 2 and "put --ray after the paths" in folder.output


def test_a_local_start_that_times_out_is_tried_again_up_to_three_times():
    class StartupError(Exception):
        pass

    class FakeRay:
        def __init__(self, failures: list[Exception]):
            self.failures, self.calls, self.shutdowns = failures, 0, 0

        def init(self, **kwargs):
            self.calls += 1
            if self.failures:
                raise self.failures.pop(0)

        def shutdown(self):
            self.shutdowns += 1

    timeout = "The current node timed out during startup. This could happen because ..."
    slow = FakeRay([StartupError(timeout)])
    start_local(slow, num_cpus=2)
    assert (slow.calls, slow.shutdowns) == (2, 1)
    slower = FakeRay([StartupError(timeout), StartupError(timeout)])
    start_local(slower, num_cpus=2)
    assert (slower.calls, slower.shutdowns) == (3, 2)
    # any other failure, or a third time-out, is not hidden
    for failures in ([ValueError("bad address")], [StartupError(timeout)] * 3):
        with pytest.raises((ValueError, StartupError)):
            start_local(FakeRay(list(failures)), num_cpus=2)

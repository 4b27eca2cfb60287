"""Property-based: any bytes under any file name, given to `ingest` and `check` through the real
command line, either go in (exit 0) or are refused in one line with exit 1 or 2: never a
traceback, and a refusal leaves the archive exactly as it was (docs/guarantees.md, "Input").

Names are generated as bytes (os.fsencode), so they include names that are not UTF-8, with
control characters, spaces and leading dashes; contents are raw bytes, text in any encoding, and
HTML. The examples are few so that `make test` stays quick; each run tries new ones.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.cli import cli

GOOD = (
    "Talks end\n\nRustem Umerov said the prisoner swap was agreed on Friday in Istanbul.\n\n"
    '"We will meet again next week," Umerov told reporters.\n'
)
SUFFIXES = [b".txt", b".md", b".html", b".htm", b".text", b".jsonl", b"", b".json", b".pdf"]
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# A file name is any bytes but "/" and NUL; "." and ".." name folders.
name_bytes = (
    st.binary(min_size=1, max_size=40)
    .map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_"))
    .filter(lambda b: b not in (b".", b".."))
)
file_names = st.tuples(name_bytes, st.sampled_from(SUFFIXES)).map(lambda t: t[0] + t[1])
words = st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=400
)  # any text, any script, controls included
contents = st.one_of(
    st.binary(max_size=3000),
    words.map(lambda t: t.encode("utf-8")),
    words.map(lambda t: t.encode("utf-16")),
    st.tuples(words, words).map(lambda t: f"{t[0]}\n\n{GOOD}\n{t[1]}".encode("utf-8", "replace")),
    words.map(lambda t: f"<html><body><p>{t}</p><script>{t}</script></body></html>".encode()),
    words.map(lambda t: f'{{"text": {t!r}, "outlet": "Wire"}}\n'.encode("utf-8", "replace")),
    st.sampled_from([b"", b"\x00" * 10, GOOD.encode() + b"\x00", b"\xef\xbb\xbf", b"\xff\xfe"]),
)


@pytest.fixture
def runner(monkeypatch, embedder):
    import claimcheck.embed

    monkeypatch.setattr(claimcheck.embed, "load_embedder", lambda model=None: embedder)
    return CliRunner()


@pytest.fixture(scope="module")
def seeded_archive(tmp_path_factory) -> Path:
    """An archive with one article in it, copied for every example."""
    from conftest import HashingEmbedder

    import claimcheck.embed

    folder = tmp_path_factory.mktemp("seed")
    story = folder / "seed.txt"
    story.write_text(GOOD, encoding="utf-8")
    db = folder / "seed.db"
    real = claimcheck.embed.load_embedder
    claimcheck.embed.load_embedder = lambda model=None: HashingEmbedder()
    try:
        result = CliRunner().invoke(cli, ["-d", str(db), "ingest", str(story)])
    finally:
        claimcheck.embed.load_embedder = real
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    conn.execute("pragma wal_checkpoint(truncate)")
    conn.close()
    return db


def dump(db: Path) -> list[str]:
    """What the database stores, row by row (a checkpoint may rewrite the file's bytes)."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def assert_one_line_or_success(result) -> None:
    assert "Traceback" not in result.output, result.output
    if result.exit_code == 0:
        return
    assert result.exit_code in (1, 2), (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert "\x1b" not in result.output


def write_file(folder: Path, name: bytes, data: bytes) -> str:
    path = os.path.join(os.fsencode(folder), name)
    with open(path, "wb") as fh:
        fh.write(data)
    return os.fsdecode(path)


@pytest.mark.parametrize("command", [["ingest"], ["check"], ["check", "--save"]])
@FUZZ
@given(name=file_names, data=contents)
def test_any_file_named_on_the_command_line(runner, seeded_archive, command, name, data):
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        db = folder / "archive.db"
        shutil.copy(seeded_archive, db)
        before = dump(db)
        path = write_file(folder, name, data)
        result = runner.invoke(cli, ["-d", str(db), *command, path])
        assert_one_line_or_success(result)
        if result.exit_code != 0:
            assert dump(db) == before


@FUZZ
@given(files=st.lists(st.tuples(file_names, contents), min_size=1, max_size=4))
def test_any_folder_keeps_its_good_files(runner, seeded_archive, files):
    """A folder of odd files and one good article: the good one always goes in."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "batch"
        folder.mkdir()
        db = Path(scratch) / "archive.db"
        shutil.copy(seeded_archive, db)
        for name, data in files:
            write_file(folder, b"odd-" + name, data)
        unique = "Anna Smith said the committee met on Tuesday to approve the budget."
        write_file(folder, b"zz-good.txt", f"Budget\n\n{unique}\n".encode())
        result = runner.invoke(cli, ["-d", str(db), "ingest", str(folder)])
        assert "Traceback" not in result.output, result.output
        assert result.exit_code == 0, result.output
        conn = sqlite3.connect(db)
        try:
            stored = conn.execute(
                "select count(*) from articles where text like ?", [f"%{unique}%"]
            ).fetchone()[0]
            for (text,) in conn.execute("select coalesce(source_path, '') from articles"):
                text.encode("utf-8")  # valid UTF-8, whatever the file's name was
        finally:
            conn.close()
        assert stored == 1
        for line in result.output.splitlines():
            assert "\x1b" not in line

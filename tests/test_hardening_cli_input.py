"""Bad values on the command line: one line, a non-zero exit, nothing written.

Integer options out of range, dates that are not calendar dates, paths that are not regular
files (a FIFO, a symbolic link loop, a device), control characters in --outlet / --title, and
read-only commands given an empty file or a missing path (docs/guarantees.md, "Input").
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimcheck.archive import Store
from claimcheck.cli import cli
from claimcheck.errors import InputError
from claimcheck.read import read_article

TESTS = Path(__file__).resolve().parent
FAKE_CLI = TESTS / "fake_cli.py"
HUGE = "99999999999999999999"
MAX_ID = str(2**63 - 1)


@pytest.fixture
def runner(monkeypatch, embedder):
    import claimcheck.embed

    monkeypatch.setattr(claimcheck.embed, "load_embedder", lambda model=None: embedder)
    return CliRunner()


def refused(result, exit_code: int, *words: str) -> str:
    """One clear error line, the expected exit status, no traceback."""
    assert result.exit_code == exit_code, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.output
    for word in words:
        assert word in errors[0], result.output
    return errors[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------ integers
@pytest.mark.parametrize(
    "args",
    [
        ["claims", "--article", HUGE],
        ["claims", "--article", "0"],
        ["claims", "--article", "-3"],
        ["claims", "--limit", HUGE],
        ["claims", "--limit", "0"],
        ["claims", "--limit", "-1"],
        ["quotes", "Umerov", "--limit", "0"],
        ["quotes", "Umerov", "--limit", "-5"],
        ["review", "show", "0"],
        ["review", "show", HUGE],
        ["review", "confirm", "0", "--editor", "A"],
        ["review", "dismiss", HUGE, "--editor", "A"],
        ["serve", "--port", "-1"],
        ["serve", "--port", "0"],
        ["serve", "--port", "70000"],
        ["serve", "--port", HUGE],
    ],
)
def test_integer_options_out_of_range_are_usage_errors(runner, db_path, args):
    refused(runner.invoke(cli, args), 2, "Invalid value")
    assert not db_path.exists()


def test_the_largest_id_and_a_limit_of_one_are_accepted(runner, db_path, corpus_copy):
    assert runner.invoke(cli, ["ingest", str(corpus_copy)]).exit_code == 0
    result = runner.invoke(cli, ["claims", "--article", MAX_ID])
    assert result.exit_code == 0 and result.output == ""
    result = runner.invoke(cli, ["claims", "--limit", "1", "--json"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1
    result = runner.invoke(cli, ["review", "show", MAX_ID])
    assert result.exit_code == 1 and "Traceback" not in result.output


# --------------------------------------------------------------------- dates
@pytest.mark.parametrize("date", ["2025-13-45", "2025-02-30", "2025-5-16", "16/05/2025", "soon"])
@pytest.mark.parametrize("command", ["ingest", "check"])
def test_published_must_be_a_calendar_date(runner, db_path, corpus_copy, command, date):
    article = next(corpus_copy.glob("*.txt"))
    result = runner.invoke(cli, [command, str(article), "--published", date])
    refused(result, 2, "--published", date)
    assert not db_path.exists()


def test_a_front_matter_date_must_be_a_calendar_date_too(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("---\npublished: 2025-02-30\n---\nThe minister said it was over.\n")
    with pytest.raises(InputError, match="is not a date like"):
        read_article(path)
    assert read_article(path, published="2024-02-29").published == "2024-02-29"


# ------------------------------------------------------- files that are not files
def run_fake_cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(FAKE_CLI), "-d", str(db), *args],
        capture_output=True,
        text=True,
        timeout=20,  # a FIFO that is opened blocks for ever: fail, never hang
        env={**os.environ, "CLAIMCHECK_JUDGE": "rules"},
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
@pytest.mark.parametrize("command", ["ingest", "check"])
def test_a_fifo_is_refused_without_being_opened(tmp_path, db_path, command):
    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    result = run_fake_cli(db_path, command, str(fifo))
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == f"Error: {fifo} is a named pipe (FIFO), not an article file."
    assert not db_path.exists()


@pytest.mark.parametrize("command", ["ingest", "check"])
def test_a_symlink_loop_is_named_as_such(runner, tmp_path, db_path, command):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    line = refused(runner.invoke(cli, [command, str(loop)]), 1, "loops back on itself")
    assert "does not exist" not in line
    assert not db_path.exists()


@pytest.mark.parametrize("device", ["/dev/urandom", "/dev/null", "/dev/zero"])
@pytest.mark.parametrize("command", ["ingest", "check"])
def test_a_device_is_not_an_article(runner, db_path, command, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    refused(runner.invoke(cli, [command, device]), 1, "is a device, not an article file")
    assert not db_path.exists()


def test_a_fifo_inside_a_folder_is_skipped(runner, tmp_path, corpus_copy):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    os.mkfifo(corpus_copy / "pipe.txt")
    result = run_fake_cli(tmp_path / "c.db", "ingest", str(corpus_copy))
    assert result.returncode == 0, result.stderr
    assert "Added 1 article(s)" in result.stdout


# ------------------------------------------------------------ control characters
@pytest.mark.parametrize("option", ["--outlet", "--title", "--url"])
@pytest.mark.parametrize(
    "value", ["Daily\x1b[2J News", "A\x07B", "line\nbreak", "tab\there", "\u202eevil"]
)
@pytest.mark.parametrize("command", ["ingest", "check"])
def test_control_characters_in_outlet_and_title_are_refused(
    runner, db_path, corpus_copy, command, option, value
):
    article = next(corpus_copy.glob("*.txt"))
    line = refused(runner.invoke(cli, [command, str(article), option, value]), 2, option)
    assert "\x1b" not in line and "control character" in line
    assert not db_path.exists()


def test_review_list_outlet_refuses_control_characters_too(runner):
    refused(runner.invoke(cli, ["review", "list", "--outlet", "\x1b[31mred"]), 2, "--outlet")


# ------------------------------------------------- read-only commands create nothing
@pytest.mark.parametrize(
    "args", [["claims"], ["quotes", "Umerov"], ["speakers"], ["review", "list"], ["doctor"]]
)
def test_an_empty_file_is_not_a_database_and_stays_empty(runner, db_path, args):
    db_path.write_bytes(b"")
    refused(runner.invoke(cli, args), 1, "is an empty file, not a claimcheck database")
    assert db_path.read_bytes() == b""
    assert not Path(f"{db_path}-wal").exists() and not Path(f"{db_path}-shm").exists()


def test_serve_on_a_missing_path_creates_nothing(runner, tmp_path, monkeypatch):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: pytest.fail("served"))
    missing = tmp_path / "typo.db"
    refused(runner.invoke(cli, ["-d", str(missing), "serve"]), 1, "No database at")
    assert not missing.exists()
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    refused(runner.invoke(cli, ["-d", str(empty), "serve"]), 1, "is an empty file")
    assert empty.read_bytes() == b""


def test_an_existing_archive_is_left_unchanged_by_a_refusal(runner, db_path, corpus_copy):
    assert runner.invoke(cli, ["ingest", str(corpus_copy)]).exit_code == 0
    Store.open(db_path).close()
    before = digest(db_path)
    article = next(corpus_copy.glob("*.txt"))
    for args in (
        ["claims", "--limit", "0"],
        ["ingest", str(article), "--published", "2025-13-45"],
        ["ingest", str(article), "--outlet", "\x1b[31m"],
        ["ingest", "/dev/urandom"],
    ):
        assert runner.invoke(cli, args).exit_code in (1, 2)
    assert digest(db_path) == before


def test_ingest_still_starts_an_archive_in_an_empty_file(runner, db_path, corpus_copy):
    db_path.write_bytes(b"")
    assert runner.invoke(cli, ["ingest", str(corpus_copy)]).exit_code == 0
    assert runner.invoke(cli, ["claims"]).output

"""Escape sequences never reach the terminal: refused on the way in (--editor, --note, --outlet),
shown as text on the way out when stored data holds them anyway (an archive written by an older
claimcheck, an import, a hand edit) (docs/guarantees.md, "Input").
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from reviewdata import add_stored_article, submit_contradiction

from claimcheck.archive import Store
from claimcheck.cli import cli
from claimcheck.cli.options import terminal_safe

EVIL = "Wire\x1b]0;owned\x07\x1b[2J\x9b31m\u202eVIL\r"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\r")


@pytest.fixture
def flag_id(db_path) -> int:
    store = Store.open(db_path)
    try:
        return submit_contradiction(store, add_stored_article(store), number="9").flag_ids[0]
    finally:
        store.close()


def poison(db_path) -> None:
    """Escape sequences written straight into every text column a command prints."""
    conn = sqlite3.connect(db_path)
    conn.execute("update articles set outlet = ?, title = ?", [EVIL, EVIL])
    conn.execute("update claims set quote = quote || ?", [EVIL])
    conn.execute("update speakers set name = name || ?", [EVIL])
    conn.execute("update flag_events set note = ?", [EVIL])
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "args",
    [
        ["claims"],
        ["claims", "--json"],
        ["quotes", "Umerov"],
        ["quotes", "Umerov", "--json"],
        ["speakers"],
        ["review", "list"],
        ["review", "list", "--json"],
        ["review", "show", "FLAG"],
        ["review", "show", "FLAG", "--json"],
        ["export", "--format", "csv"],
        ["export", "--format", "jsonl", "--table", "claims"],
    ],
)
def test_stored_escape_sequences_are_shown_never_sent(db_path, flag_id, args):
    poison(db_path)
    args = [str(flag_id) if a == "FLAG" else a for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    for ch in RAW:
        assert ch not in result.output, (ch, result.output[:500])
    assert "\\u001b" in result.output or "\\u009b" in result.output
    if "show" in args and "--json" in args:
        json.loads(result.stdout)  # one indented document, still JSON
    elif "--json" in args or "jsonl" in args:
        for line in result.stdout.splitlines():
            json.loads(line)  # still JSON, the same values


def test_terminal_safe_keeps_json_meaning():
    value = {"outlet": EVIL, "quote": "plain\ttext\nover lines", "name": "Zelenskyy"}
    line = json.dumps(value, ensure_ascii=False)
    shown = terminal_safe(line)
    assert not any(ch in shown for ch in RAW)
    assert json.loads(shown) == value
    assert terminal_safe("Ünïcode — fine\n") == "Ünïcode — fine\n"


@pytest.mark.parametrize(
    "option,value",
    [
        ("--editor", "Ann\x1b[31m"),
        ("--editor", "Ann\nBob"),
        ("--editor", "A\u202eB"),
        ("--note", "ok\x1b]0;owned\x07"),
        ("--note", "ok\u2066hidden"),
    ],
)
def test_control_characters_in_editor_and_note_are_refused(db_path, flag_id, option, value):
    args = ["review", "confirm", str(flag_id), "--editor", "Ann", option, value]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    [line] = [x for x in result.output.splitlines() if x.startswith("Error:")]
    assert "contains the control character" in line and option in line
    for ch in RAW:
        assert ch not in result.output
    assert "pending" in CliRunner().invoke(cli, ["review", "show", str(flag_id)]).output


def test_a_note_over_several_lines_is_fine(db_path, flag_id):
    args = ["review", "confirm", str(flag_id), "--editor", "Ann", "--note", "one\n\ttwo"]
    assert CliRunner().invoke(cli, args).exit_code == 0


def test_an_error_message_quoting_stored_text_is_safe(db_path, flag_id):
    poison(db_path)
    # A refusal whose message names stored data (the flag's speaker, outlet) stays one safe line.
    result = CliRunner().invoke(cli, ["review", "reopen", str(flag_id), "--editor", "Ann"])
    for ch in RAW:
        assert ch not in result.output


@pytest.mark.parametrize("option", ["--newsroom", "--newsroom-url"])
def test_control_characters_in_the_newsroom_are_refused(db_path, flag_id, option):
    result = CliRunner().invoke(cli, ["export", option, "Daily\x1b[2J"])
    assert result.exit_code == 2, result.output
    assert "contains the control character '\\x1b'" in result.output
    assert "\x1b" not in result.output


@pytest.mark.parametrize("env", ["CLAIMCHECK_NEWSROOM", "CLAIMCHECK_NEWSROOM_URL"])
def test_control_characters_in_the_newsroom_from_the_environment_are_refused(
    db_path, flag_id, env, monkeypatch
):
    monkeypatch.setenv(env, "Daily\x1b[2J")
    result = CliRunner().invoke(cli, ["export", "--format", "claimreview"])
    assert result.exit_code == 2, result.output
    assert "contains the control character '\\x1b'" in result.output
    assert "\x1b" not in result.output
    monkeypatch.setenv(env, "The Daily")
    assert CliRunner().invoke(cli, ["export", "--format", "claimreview"]).exit_code == 0

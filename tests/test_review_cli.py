"""`claimcheck review`, `claimcheck export` and `claimcheck serve`'s refusal, through CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from reviewdata import add_stored_article, submit_contradiction

from claimcheck.archive.store import Store
from claimcheck.cli import cli


@pytest.fixture
def flags(db_path):
    store = Store.open(db_path)
    stored = add_stored_article(store)
    ids = [
        submit_contradiction(store, stored, number="1,000").flag_ids[0],
        submit_contradiction(store, stored, number="2,000", outlet="Daily Planet").flag_ids[0],
    ]
    store.close()
    return ids


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_review_list_shows_pending_flags_with_both_claims(flags):
    result = run("review", "list")
    assert result.exit_code == 0, result.output
    assert f"#{flags[0]} [pending] Rustem Umerov (Meridian Wire, confidence 0.87)" in result.output
    assert "new:    1,000 prisoners would be exchanged next week" in result.output
    assert "stored: 500 prisoners would be exchanged next week (Kyiv Independent)" in result.output


def test_review_list_filters_and_prints_json_lines(flags):
    result = run("review", "list", "--outlet", "planet", "--json")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == [flags[1]]
    assert rows[0]["submission"]["outlet"] == "Daily Planet"
    assert run("review", "list", "--speaker", "Umierov", "--json").output.count("\n") == 2
    assert run("review", "list", "--status", "confirmed", "--json").output == ""


def test_confirm_records_editor_and_note_then_show_has_the_history(flags):
    result = run("review", "confirm", str(flags[0]), "--editor", "Ann", "--note", "Call MoD")
    assert result.exit_code == 0
    assert result.output.strip() == f"Flag #{flags[0]}: pending → confirmed by Ann."
    shown = json.loads(run("review", "show", str(flags[0]), "--json").output)
    assert shown["status"] == "confirmed"
    assert shown["note"] == "Call MoD"
    assert [e["to_status"] for e in shown["events"]] == ["pending", "confirmed"]
    text = run("review", "show", str(flags[0])).output
    assert "Conflicts with claim #1 by Rustem Umerov (Kyiv Independent, 2025-05-16)" in text
    assert "numbers differ: 1,000 vs 500" in text
    assert "Ann: confirm → confirmed — Call MoD" in text


def test_dismiss_and_follow_up_and_editor_from_environment(flags):
    assert run("review", "dismiss", str(flags[0]), "--editor", "Bob").exit_code == 0
    result = run("review", "follow-up", str(flags[0]), env={"CLAIMCHECK_EDITOR": "Cy"})
    assert result.output.strip() == f"Flag #{flags[0]}: dismissed → follow-up by Cy."


@pytest.mark.parametrize(
    "args, message",
    [
        (("review", "confirm", "1"), "An editor name is required"),
        (("review", "confirm", "99", "--editor", "Ann"), "There is no flag 99."),
        (("review", "show", "99"), "There is no flag 99."),
    ],
)
def test_review_errors_are_one_sentence_and_exit_non_zero(flags, args, message):
    result = CliRunner().invoke(cli, list(args), env={"CLAIMCHECK_EDITOR": ""})
    assert result.exit_code == 1
    assert f"Error: {message}" in result.output
    assert "Traceback" not in result.output


def test_review_without_a_database_says_so(tmp_path):
    result = CliRunner().invoke(cli, ["-d", str(tmp_path / "none.db"), "review", "list"])
    assert result.exit_code == 1
    assert "No database at" in result.output


def test_export_claimreview_to_a_file(flags, tmp_path):
    run("review", "confirm", str(flags[1]), "--editor", "Ann")
    out = tmp_path / "reviews.json"
    result = run("export", "--newsroom", "The Daily Check", "-o", str(out))
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    assert [d["claimReviewed"] for d in data] == [
        "Rustem Umerov said 2,000 prisoners would be exchanged next week"
    ]
    assert data[0]["author"]["name"] == "The Daily Check"


def test_export_csv_and_jsonl_to_stdout(flags):
    csv_text = run("export", "--format", "csv").output
    assert csv_text.splitlines()[0].startswith("id,status,speaker,quote")
    assert len(csv_text.splitlines()) == 3
    claims = run("export", "--format", "jsonl", "--table", "claims").output.splitlines()
    assert json.loads(claims[0])["outlet"] == "Kyiv Independent"
    bad = CliRunner().invoke(cli, ["export", "--table", "claims"])
    assert bad.exit_code == 1 and "ClaimReview exports flags only" in bad.output


def test_serve_refuses_a_short_token(flags):
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--token", "s3cret"])
    assert result.exit_code == 2
    [line] = [x for x in result.output.splitlines() if x.startswith("Error:")]
    assert "The access token has 6 character(s); use at least 16" in line


def test_every_review_command_has_help():
    for args in (
        ["review"], ["review", "list"], ["review", "show"], ["review", "confirm"],
        ["review", "dismiss"], ["review", "follow-up"], ["review", "reopen"], ["export"], ["serve"],
    ):  # fmt: skip
        result = run(*args, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.output


def test_serve_loads_the_real_models_lazily_and_passes_the_token(db_path, monkeypatch):
    """`serve` builds the app with factories that call the real loaders, only when first used."""
    import uvicorn

    import claimcheck.embed
    import claimcheck.judge
    import claimcheck.web.app

    built: dict = {}
    loaded: list[str] = []

    def fake_create_app(path, *, embedder_factory, judge_factory, token=None, **security):
        built.update(path=path, embedder=embedder_factory, judge=judge_factory, token=token)
        built.update(security)
        return "app"

    monkeypatch.setattr(claimcheck.web.app, "create_app", fake_create_app)
    monkeypatch.setattr(
        uvicorn, "run", lambda app, host, port, **kw: built.update(bind=(host, port))
    )
    monkeypatch.setattr(claimcheck.embed, "load_embedder", lambda m=None: loaded.append("embed"))
    monkeypatch.setattr(claimcheck.judge, "load_judge", lambda n=None, **kw: loaded.append("judge"))
    Store.open(db_path).close()  # serve opens an archive that exists, never creates one
    token = "s3cret-newsroom-token"
    result = run(
        "serve", "--host", "0.0.0.0", "--port", "9001", "--token", token,
        "--allowed-host", "Reviews.Newsroom.example", "--secure-cookies",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert built["bind"] == ("0.0.0.0", 9001)
    assert built["token"] == token
    assert built["secure_cookies"] is True
    assert {"127.0.0.1", "localhost", "::1", "reviews.newsroom.example"} <= built["allowed_hosts"]
    assert "evil.example" not in built["allowed_hosts"]
    assert built["path"] == str(db_path)
    assert loaded == []  # nothing is loaded before the first check
    built["embedder"]()
    built["judge"]()
    assert loaded == ["embed", "judge"]


def test_serve_beyond_this_machine_without_a_token_makes_one_and_prints_the_link(
    db_path, monkeypatch
):
    import uvicorn

    import claimcheck.web.app

    built: dict = {}
    monkeypatch.setattr(
        claimcheck.web.app, "create_app", lambda path, **kw: built.update(kw) or "app"
    )
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **kw: None)
    Store.open(db_path).close()
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"], env={"CLAIMCHECK_TOKEN": ""})
    assert result.exit_code == 0, result.output
    token = built["token"]
    assert len(token) >= 32
    assert f"?token={token}" in result.output
    assert built["secure_cookies"] is False
    # On this machine only, no token is needed and none is made.
    result = CliRunner().invoke(cli, ["serve"], env={"CLAIMCHECK_TOKEN": ""})
    assert result.exit_code == 0 and built["token"] is None
    assert built["allowed_hosts"] == {"127.0.0.1", "localhost", "::1"}

"""Speakers an editor can keep: identity rules at ingest, and merge, split, rename, un-alias."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimcheck.archive import Store, store_articles
from claimcheck.archive import speakers as sp
from claimcheck.archive.roles import people_in_role, resolve_roles
from claimcheck.archive.speaker_names import canonical_spelling
from claimcheck.cli import cli
from claimcheck.models import Claim, Extraction, SpeakerInfo
from claimcheck.read import article_from_text

MAYOR = (
    "Council approves budget\n\n"
    "The mayor of Ashby Vale, Helen Carter, opened the meeting on Monday.\n\n"
    '"We will build the new bridge," the mayor said.\n\n'
    "The mayor said the budget was balanced.\n"
)
OFFICIALS = (
    "Talks resume\n\n"
    "Turkish officials said the talks would resume on Monday.\n\n"
    "Ukrainian officials said the delegation would arrive on Sunday.\n\n"
    "Officials said the meeting would last two days.\n"
)
MINISTER = (
    "Kyiv sends team\n\n"
    "Ukrainian defence minister Rustem Umerov will lead the delegation. "
    '"We are ready," the minister said.\n\n'
    "The minister said the talks were useful.\n"
)


def ingest(store: Store, embedder, *texts: str, outlet: str = "Wire") -> None:
    articles = [article_from_text(t, name=f"story {i}", outlet=outlet) for i, t in enumerate(texts)]
    store_articles(store, articles, embedder)


def names(store: Store) -> dict[str, list[str]]:
    return {s.name: s.aliases for s in store.speakers()}


# ----------------------------------------------------------------- identity rules
def test_descriptions_are_never_aliases_of_a_person(store, embedder):
    ingest(store, embedder, MINISTER)
    aliases = names(store)["Rustem Umerov"]
    assert not [a for a in aliases if "minister" in a.lower()], aliases
    assert sp.is_description("the minister") and sp.is_description("The minister")
    assert sp.is_description("Officials") and sp.is_description("Moscow's chief negotiator")
    assert not sp.is_description("President Zelenskyy") and not sp.is_description("Umerov")
    # A description stored as an alias by an older claimcheck names nobody in a search.
    assert sp.query_matches("the minister", "Rustem Umerov", ["the minister"]) == 0


def test_nationality_groups_never_merge_with_each_other_or_bare_officials(store, embedder):
    ingest(store, embedder, OFFICIALS)
    ingest(store, embedder, OFFICIALS.replace("Monday", "Tuesday"))
    groups = {s.name: s.claim_count for s in store.speakers() if s.kind == "group"}
    assert groups == {"Turkish officials": 2, "Ukrainian officials": 2, "Officials": 2}
    assert not sp.same_group("Turkish officials", "Ukrainian officials")
    assert not sp.same_group("officials", "Ukrainian officials")
    assert sp.same_group("Turkish officials", "turkish official")
    assert not sp.same_organisation("German government", "French government")


def test_a_role_is_the_person_the_article_names_in_it(store, embedder):
    ingest(store, embedder, MAYOR)
    speakers = {s.name: s for s in store.speakers()}
    assert "Mayor" not in speakers
    assert speakers["Helen Carter"].kind == "person"
    assert speakers["Helen Carter"].claim_count == 2
    assert {c.claim.speaker for c in store.claims() if c.claim.kind != "unattributed"} == {
        "Helen Carter"
    }


def test_roles_found_in_every_usual_wording():
    for text in (
        "The mayor of Ashby Vale, Helen Carter, opened it.",
        "Mayor Helen Carter opened it.",
        "On Monday Helen Carter, the mayor of Ashby Vale, opened it.",
        "Helen Carter, Ashby Vale's mayor, opened it.",
    ):
        assert people_in_role(text, "mayor") == ["Helen Carter"], text
    assert people_in_role("The mayor said it.", "mayor") == []


def test_two_people_in_one_role_leave_the_role_unresolved():
    text = "Mayor Helen Carter met Mayor Tom Reed.\n\nThe mayor said no."
    claim = Claim("Mayor", "The mayor", "indirect", "The mayor said no.", "", 40, 58, 2)
    extraction = Extraction([claim], [SpeakerInfo("Mayor", "group", mentions=["The mayor"])])
    assert resolve_roles(text, extraction) == {}
    assert claim.speaker == "Mayor"


def test_canonical_spelling_is_the_most_frequent_not_the_latest():
    counts = {"Volodymyr Zelenskyy": 5, "Zelenskyy": 20, "Volodymyr Zelenskiy": 1}
    from collections import Counter

    assert canonical_spelling(Counter(counts), "Volodymyr Zelenskiy", "person") == (
        "Volodymyr Zelenskyy"
    )
    # A full name beats a bare surname, however often the surname is used.
    assert canonical_spelling(Counter({"Starmer": 9, "Keir Starmer": 1}), "Starmer", "person") == (
        "Keir Starmer"
    )


def test_one_article_with_a_rarer_spelling_does_not_rename_the_speaker(store, embedder):
    # The longer spelling used to win as soon as one article used it.
    story = "Talks\n\nVolodymyr Zelensky said the talks in {} would go ahead.\n"
    ingest(store, embedder, *(story.format(city) for city in ("Rome", "Paris", "Oslo")))
    ingest(store, embedder, story.format("Bern").replace("Zelensky", "Zelenskyy"))
    people = [s for s in store.speakers() if s.kind == "person"]
    assert [(p.name, p.claim_count) for p in people] == [("Volodymyr Zelensky", 4)]
    assert {c.claim.speaker for c in store.claims() if c.claim.kind != "unattributed"} == {
        "Volodymyr Zelensky"
    }


# ----------------------------------------------------------------- merge, split, rename, alias
@pytest.fixture
def runner(monkeypatch, embedder) -> CliRunner:
    import claimcheck.embed

    monkeypatch.setattr(claimcheck.embed, "load_embedder", lambda model=None: embedder)
    return CliRunner()


def run(runner: CliRunner, *args: str, ok: bool = True):
    result = runner.invoke(cli, list(args))
    assert (result.exit_code == 0) == ok, result.output
    return result


def speaker_rows(runner: CliRunner) -> dict[str, dict]:
    lines = run(runner, "speakers", "--json").stdout.splitlines()
    return {row["name"]: row for row in map(json.loads, lines)}


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_merge_moves_claims_aliases_and_flags_and_later_articles_follow(runner, tmp_path, store):
    a = write(tmp_path, "a.txt", "Talks\n\nRustem Umerov said the swap was agreed.\n")
    b = write(tmp_path, "b.txt", "Talks\n\nRustem Omarov said the swap would happen soon.\n")
    run(runner, "ingest", a, b, "--outlet", "Wire")
    before = speaker_rows(runner)
    assert {"Rustem Umerov", "Rustem Omarov"} <= set(before)
    store.db.execute(
        "insert into flags (speaker, speaker_id, status, fingerprint) "
        "values (?, ?, 'pending', 'x')",
        ["Rustem Omarov", before["Rustem Omarov"]["id"]],
    )
    store.db.conn.commit()
    out = run(runner, "speakers", "merge", "Rustem Umerov", str(before["Rustem Omarov"]["id"]))
    assert "Merged Rustem Omarov" in out.stdout
    after = speaker_rows(runner)
    assert "Rustem Omarov" not in after
    assert after["Rustem Umerov"]["claim_count"] == 2
    assert "Rustem Omarov" in after["Rustem Umerov"]["aliases"]
    flag = store.db.execute("select speaker, speaker_id from flags").fetchone()
    assert flag == ("Rustem Umerov", after["Rustem Umerov"]["id"])
    # A later article that spells the name the merged way joins the merged speaker.
    c = write(tmp_path, "c.txt", "More talks\n\nRustem Omarov said the talks went well.\n")
    run(runner, "ingest", c, "--outlet", "Wire")
    assert speaker_rows(runner)["Rustem Umerov"]["claim_count"] == 3
    assert "Rustem Omarov" not in speaker_rows(runner)


def test_split_takes_a_wrongly_merged_group_back_out(runner, store):
    # An archive made by an older claimcheck: three groups stored as one speaker.
    store.db.execute(
        "insert into speakers (id, name, kind) values (1, 'Ukrainian officials', 'group')"
    )
    store.db.execute("insert into articles (id, text, content_hash) values (1, 'x', 'h')")
    for i, spelling in enumerate(["Ukrainian officials", "Turkish officials", "Officials"], 1):
        store.db.execute(
            "insert into claims (id, article_id, speaker_id, speaker, speaker_spelling, "
            "speaker_mention, kind, quote, start, [end], paragraph) "
            "values (?, 1, 1, 'Ukrainian officials', ?, ?, 'indirect', 'q', 0, 1, 1)",
            [i, spelling, spelling],
        )
    store.db.conn.commit()
    out = run(runner, "speakers", "split", "Ukrainian officials", "Turkish officials")
    assert "Moved 1 claim(s)" in out.stdout
    run(runner, "speakers", "split", "Ukrainian officials", "Officials")
    rows = speaker_rows(runner)
    assert {n: r["claim_count"] for n, r in rows.items()} == {
        "Ukrainian officials": 1,
        "Turkish officials": 1,
        "Officials": 1,
    }
    assert rows["Turkish officials"]["kind"] == "group"
    # Nothing spelt that way, or every claim spelt that way: one clear line, nothing changed.
    bad = run(runner, "speakers", "split", "Turkish officials", "Greek officials", ok=False)
    assert "No claim of Turkish officials" in bad.output
    every = run(runner, "speakers", "split", "Turkish officials", "Turkish officials", ok=False)
    assert "speakers rename" in every.output


def test_rename_sticks_and_frequency_no_longer_changes_it(runner, tmp_path):
    a = write(tmp_path, "a.txt", "Talks\n\nVolodymyr Zelensky said the talks would go ahead.\n")
    run(runner, "ingest", a, "--outlet", "Wire")
    run(runner, "speakers", "rename", "Zelensky", "Volodymyr Zelenskyy")
    b = write(tmp_path, "b.txt", "Talks\n\nVolodymyr Zelensky said the swap would go ahead.\n")
    c = write(tmp_path, "c.txt", "Talks\n\nVolodymyr Zelensky said the truce would go ahead.\n")
    run(runner, "ingest", b, c, "--outlet", "Wire")
    rows = speaker_rows(runner)
    assert rows["Volodymyr Zelenskyy"]["claim_count"] == 3
    claims = run(runner, "claims", "--speaker", "zelensky", "--json").stdout.splitlines()
    assert {json.loads(line)["speaker"] for line in claims} == {"Volodymyr Zelenskyy"}
    clash = run(runner, "speakers", "rename", "Zelenskyy", "Wire", ok=False)
    assert "speakers merge" in clash.output


def test_alias_add_and_remove(runner, tmp_path, store):
    a = write(tmp_path, "a.txt", "Talks\n\nRustem Umerov said the swap was agreed.\n")
    run(runner, "ingest", a, "--outlet", "Wire")
    # An alias an older claimcheck stored from a description.
    speaker_id = speaker_rows(runner)["Rustem Umerov"]["id"]
    store.db.execute(
        "insert into speaker_aliases (speaker_id, alias, folded) values (?, 'The minister', 'x')",
        [speaker_id],
    )
    store.db.conn.commit()
    run(runner, "speakers", "alias", "Umerov", "The minister", "--remove")
    assert "The minister" not in speaker_rows(runner)["Rustem Umerov"]["aliases"]
    run(runner, "speakers", "alias", "Umerov", "Rustem Umierov")
    assert "Rustem Umierov" in speaker_rows(runner)["Rustem Umerov"]["aliases"]
    refused = run(runner, "speakers", "alias", "Umerov", "the minister", ok=False)
    assert "describes a role" in refused.output
    missing = run(runner, "speakers", "alias", "Umerov", "Nobody Else", "--remove", ok=False)
    assert "has no alias" in missing.output
    name = run(runner, "speakers", "alias", "Umerov", "Rustem Umerov", "--remove", ok=False)
    assert "rename it" in name.output
    unknown = run(runner, "speakers", "merge", "Umerov", "Zelnsky", ok=False)
    assert "No speaker is called 'Zelnsky'" in unknown.output
    assert len(unknown.output.strip().splitlines()) == 1


# ----------------------------------------------------------------- one identity everywhere
STORED = (
    "Swap agreed\n\nPresident Volodymyr Zelenskyy said the two sides had agreed to a 1,000 by "
    "1,000 person prisoner swap.\n\n"
    "Zelenskyy said the talks in Istanbul would resume next week.\n"
)
CHECKED = (
    "Swap\n\nVolodymyr Zelensky said the two sides agreed to exchange 500 prisoners of war on "
    "each side.\n"
)


def test_a_checked_articles_speakers_are_the_archives_everywhere(runner, tmp_path, db_path):
    stored = write(tmp_path, "stored.txt", STORED)
    checked = write(tmp_path, "checked.txt", CHECKED)
    run(runner, "ingest", stored, "--outlet", "Wire", "--published", "2025-05-16")
    report = run(runner, "check", checked, "--outlet", "Daily Briefing", "--json").stdout
    verdicts = [json.loads(line) for line in report.splitlines()]
    said = [v for v in verdicts if v["kind"] != "unattributed"]
    assert said and {v["speaker"] for v in said} == {"Volodymyr Zelenskyy"}
    assert [v["verdict"] for v in said] == ["contradict"]
    for typed in ("zelenskiy", "zelensky", "Zelenskyy", "Volodymyr Zelensky"):
        flags = run(runner, "review", "list", "--speaker", typed, "--json").stdout.splitlines()
        assert [json.loads(f)["speaker"] for f in flags] == ["Volodymyr Zelenskyy"], typed
    assert run(runner, "review", "list", "--speaker", "Medinsky", "--json").stdout == ""
    flag_id = json.loads(flags[0])["id"]
    run(runner, "review", "confirm", str(flag_id), "--editor", "Ann")
    out = tmp_path / "reviews.json"
    run(runner, "export", "--format", "claimreview", "-o", str(out))
    (review,) = json.loads(out.read_text(encoding="utf-8"))
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Volodymyr Zelenskyy"}
    # A later rename reaches the flag too.
    run(runner, "speakers", "rename", "Zelenskyy", "Volodymyr Zelenskyy (President)")
    flags = run(runner, "review", "list", "--speaker", "zelenskiy", "--json").stdout.splitlines()
    assert [json.loads(f)["speaker"] for f in flags] == ["Volodymyr Zelenskyy (President)"]
    # The web queue's speaker filter is the same.
    from conftest import HashingEmbedder
    from starlette.testclient import TestClient

    from claimcheck.judge import load_judge
    from claimcheck.web.app import create_app

    app = create_app(str(db_path), embedder_factory=HashingEmbedder, judge_factory=load_judge)
    client = TestClient(app, base_url="http://127.0.0.1")
    for typed in ("zelenskiy", "zelensky"):
        page = client.get("/", params={"speaker": typed, "status": "confirmed"})
        assert f"/flags/{flag_id}" in page.text, typed
    assert f"/flags/{flag_id}" not in client.get("/", params={"speaker": "Medinsky"}).text


def test_an_unnamed_role_is_never_a_person():
    claim = Claim("The minister", "The minister", "indirect", "q", "", 0, 1, 1)
    extraction = Extraction([claim], [SpeakerInfo("The minister", "person")])
    resolve_roles("Talks\n\nThe minister said talks would go on.\n", extraction)
    assert extraction.speakers[0].kind == "group"
    named = Extraction([], [SpeakerInfo("Rustem Umerov", "person")])
    resolve_roles("", named)
    assert named.speakers[0].kind == "person"


def test_an_ambiguous_name_is_refused_with_the_ids_and_split_takes_articles(runner, tmp_path):
    a = write(tmp_path, "a.txt", "Vote\n\nBoris Johnson said the vote would be close.\n")
    b = write(tmp_path, "b.txt", "History\n\nLyndon Johnson said the bill would pass.\n")
    run(runner, "ingest", a, b, "--outlet", "Wire")
    rows = speaker_rows(runner)
    refused = run(runner, "speakers", "rename", "Johnson", "Someone", ok=False)
    for name in ("Boris Johnson", "Lyndon Johnson"):
        assert f"{name} (#{rows[name]['id']})" in refused.output
    assert speaker_rows(runner) == rows  # nothing changed
    # Merged by mistake, then taken apart again by article.
    run(runner, "speakers", "merge", "Boris Johnson", "Lyndon Johnson")
    assert speaker_rows(runner)["Boris Johnson"]["claim_count"] == 2
    lines = run(runner, "claims", "--speaker", "Boris Johnson", "--json").stdout.splitlines()
    (article,) = {c["article_id"] for c in map(json.loads, lines) if "bill" in c["quote"]}
    # No claim is spelt "Lyndon B. Johnson": the article alone says which claims go.
    run(
        runner, "speakers", "split", "Boris Johnson", "Lyndon B. Johnson", "--article", str(article)
    )
    after = speaker_rows(runner)
    assert after["Boris Johnson"]["claim_count"] == 1
    assert after["Lyndon B. Johnson"]["claim_count"] == 1

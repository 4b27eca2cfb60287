"""Quote search filters, sorts, finds co-speakers and near names, shows each quote in context."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from claimcheck.archive import QuoteQuery, Store, search_quotes
from claimcheck.archive.quote_search import joint_names
from claimcheck.cli import cli

STORIES = [
    # (file, outlet, published, text)
    (
        "may.txt",
        "Reuters",
        "2025-05-02",
        "Kyiv ready\n\nVolodymyr Zelenskyy said Ukraine was ready for a ceasefire.\n\n"
        '"We want peace," Zelenskyy said.\n',
    ),
    (
        "june.txt",
        "Financial Times",
        "2025-06-10",
        "Sanctions\n\nVolodymyr Zelenskyy said the sanctions must follow.\n\n"
        "Macron and Scholz said the sanctions would stay in place.\n\n"
        "Ursula von der Leyen said the package was ready.\n",
    ),
    (
        "july.txt",
        "Reuters",
        "2025-07-20",
        "Talks\n\nVolodymyr Zelenskyy said the talks in Istanbul had failed.\n",
    ),
]


@pytest.fixture
def runner(monkeypatch, embedder, tmp_path) -> CliRunner:
    import claimcheck.embed

    monkeypatch.setattr(claimcheck.embed, "load_embedder", lambda model=None: embedder)
    runner = CliRunner()
    for name, outlet, published, text in STORIES:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        args = ["ingest", str(path), "--outlet", outlet, "--published", published]
        assert runner.invoke(cli, args).exit_code == 0
    return runner


def rows(runner: CliRunner, *args: str) -> list[dict]:
    result = runner.invoke(cli, ["quotes", *args, "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_newest_first_by_default_and_date_filters(runner):
    found = rows(runner, "Zelensky")
    dates = [r["published"] for r in found]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2025-07-20"
    june = rows(runner, "Zelensky", "--since", "2025-06-01", "--until", "2025-06-30")
    assert {r["published"] for r in june} == {"2025-06-10"}
    assert rows(runner, "Zelensky", "--since", "2025-08-01") == []
    backwards = runner.invoke(
        cli, ["quotes", "Zelensky", "--since", "2025-07-01", "--until", "2025-06-01"]
    )
    assert backwards.exit_code != 0 and "after --until" in backwards.output
    bad = runner.invoke(cli, ["quotes", "Zelensky", "--since", "2025-02-30"])
    assert bad.exit_code == 2 and "calendar date" in bad.output


def test_outlet_and_kind_filters(runner):
    reuters = rows(runner, "Zelensky", "--outlet", "reuters")
    assert reuters and {r["outlet"] for r in reuters} == {"Reuters"}
    direct = rows(runner, "Zelensky", "--kind", "direct")
    assert [r["quote"] for r in direct] == ["We want peace"]
    nothing = runner.invoke(cli, ["quotes", "Zelensky", "--outlet", "Reuter Newz"])
    assert "No quotes match. Did you mean 'Reuters'?" in nothing.output


def test_relevance_puts_the_best_word_match_first(runner):
    by_date = rows(runner, "Zelensky", "--text", "ceasefire sanctions talks")
    assert by_date == []  # every word must be there
    ranked = rows(runner, "Volodimir Zelensky", "--sort", "relevance", "--text", "sanctions")
    assert [r["published"] for r in ranked] == ["2025-06-10"]
    every = rows(runner, "Zelensky", "--sort", "relevance")
    assert len(every) == len(rows(runner, "Zelensky"))


def test_co_speakers_of_a_joint_statement_are_found(runner):
    # One of the two is the claim's speaker, the other its co-speaker: each finds the claim.
    joint = "Macron and Scholz said the sanctions would stay in place."
    macron, scholz = rows(runner, "Macron"), rows(runner, "Scholz")
    assert [r["quote"] for r in macron] == [joint] == [r["quote"] for r in scholz]
    assert {macron[0]["matched_as"], scholz[0]["matched_as"]} == {"speaker", "co-speaker"}
    text = runner.invoke(
        cli, ["quotes", "Scholz" if macron[0]["matched_as"] == "speaker" else "Macron"]
    )
    assert "(joint statements)" in text.output
    assert joint_names('["Emmanuel Macron"]', "Starmer") == ["Emmanuel Macron"]
    assert joint_names("[]", "Macron and Scholz") == ["Macron", "Scholz"]
    assert joint_names(None, "the two leaders") == []


def test_names_one_letter_off_are_found(runner):
    assert {r["speaker"] for r in rows(runner, "Volodimir")} == {"Volodymyr Zelenskyy"}
    assert {r["speaker"] for r in rows(runner, "von der leyn")} == {"Ursula von der Leyen"}


def test_did_you_mean_when_no_speaker_matches(runner):
    result = runner.invoke(cli, ["quotes", "Oleksandr Zelenskyy"])  # another given name
    assert result.exit_code == 0
    assert "No speaker matches 'Oleksandr Zelenskyy'." in result.output
    assert "Did you mean 'Volodymyr Zelenskyy'?" in result.output
    role = runner.invoke(cli, ["quotes", "the minister"])
    assert "describes a role" in role.output


def test_each_quote_carries_its_paragraph(runner):
    found = rows(runner, "Zelensky", "--kind", "direct")
    assert found[0]["context"] == '"We want peace," Zelenskyy said.'
    shown = runner.invoke(cli, ["quotes", "Zelensky", "--kind", "direct", "--context"])
    assert "in context" in shown.output and '"We want peace," Zelenskyy said.' in shown.output


def test_search_quotes_reads_and_never_writes(runner, db_path):
    store = Store.open(db_path)
    try:
        before = store.db.execute("select count(*) from claims").fetchone()
        found = search_quotes(store, QuoteQuery("Zelensky", sort="relevance", limit=2))
        assert len(found.hits) == 2 and found.speakers[0][2] == "Volodymyr Zelenskyy"
        none = search_quotes(store, QuoteQuery("Zelensky", words="*"))
        assert none.hits == []
        assert store.db.execute("select count(*) from claims").fetchone() == before
    finally:
        store.close()


def test_a_quotation_of_several_sentences_is_one_result(runner, tmp_path):
    path = tmp_path / "aug.txt"
    path.write_text(
        'Peace\n\n"We want peace. We are ready to talk," Volodymyr Zelenskyy said.\n',
        encoding="utf-8",
    )
    args = ["ingest", str(path), "--outlet", "Wire", "--published", "2025-08-01"]
    assert runner.invoke(cli, args).exit_code == 0
    found = rows(runner, "Zelensky", "--since", "2025-08-01", "--kind", "direct")
    assert [r["quote"] for r in found] == ["We want peace. We are ready to talk"]


# ----------------------------------------------------------------- the web page
@pytest.fixture
def client(runner, db_path):
    from conftest import HashingEmbedder
    from starlette.testclient import TestClient

    from claimcheck.judge import load_judge
    from claimcheck.web.app import create_app

    app = create_app(str(db_path), embedder_factory=HashingEmbedder, judge_factory=load_judge)
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


def test_web_quotes_page_filters_like_the_command_line(client):
    page = client.get(
        "/quotes", params={"speaker": "zelenskiy", "outlet": "reuters", "kind": "direct"}
    )
    assert page.status_code == 200
    assert "We want peace" in page.text and "sanctions must follow" not in page.text
    june = client.get(
        "/quotes", params={"speaker": "Zelensky", "since": "2025-06-01", "until": "2025-06-30"}
    )
    assert "sanctions must follow" in june.text and "talks in Istanbul" not in june.text
    newest = client.get("/quotes", params={"speaker": "Zelensky"}).text
    assert newest.index("talks in Istanbul") < newest.index("ready for a ceasefire")
    joint = client.get("/quotes", params={"speaker": "Macron"}).text
    assert "would stay in place" in joint


def test_web_quotes_page_says_did_you_mean_and_refuses_bad_filters(client):
    page = client.get("/quotes", params={"speaker": "Oleksandr Zelenskyy", "kind": "direct"})
    assert page.status_code == 200 and "Did you mean" in page.text
    assert "speaker=Volodymyr+Zelenskyy" in page.text and "kind=direct" in page.text
    for params in (
        {"speaker": "Zelensky", "since": "2025-02-30"},
        {"speaker": "Zelensky", "since": "2025-07-01", "until": "2025-06-01"},
        {"speaker": "Zelensky", "kind": "rumour"},
        {"speaker": "Zelensky", "sort": "random"},
    ):
        bad = client.get("/quotes", params=params)
        assert bad.status_code == 400, params
        assert "content-security-policy" in bad.headers
        assert 'role="alert"' in bad.text


def test_each_web_quote_links_to_its_context(client):
    page = client.get("/quotes", params={"speaker": "Zelensky", "kind": "direct"}).text
    # The paragraph around the quote, the quote marked in it.
    assert '<span class="claim">We want peace</span>,&#34; Zelenskyy said.' in page
    link = page.split('href="/claims/')[1].split('"')[0]
    context = client.get(f"/claims/{link}")
    assert context.status_code == 200
    assert "In context" in context.text and "We want peace" in context.text
    missing = client.get("/claims/999999")
    assert missing.status_code == 404 and "no stored claim" in missing.text


def test_quotes_and_speakers_need_no_model(runner, db_path):
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from claimcheck.cli import cli\n"
        "r = CliRunner()\n"
        f"db = {str(db_path)!r}\n"
        "for args in (['quotes', 'Macron', '--context', '--sort', 'relevance'],\n"
        "             ['speakers'], ['speakers', 'alias', 'Zelensky', 'Zelensky Volodymyr'],\n"
        "             ['review', 'list', '--speaker', 'zelenskiy']):\n"
        "    assert r.invoke(cli, ['-d', db, *args]).exit_code == 0, args\n"
        "assert 'torch' not in sys.modules and 'spacy' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_a_limited_search_reads_a_first_page_and_gives_what_the_whole_query_gives(
    tmp_path, embedder
):
    """Newest first with --limit reads a bounded page of a speaker's many claims; the quotes
    shown are the first of the full list, multi-sentence quotations included."""
    from claimcheck.archive import store_articles
    from claimcheck.read import read_article

    store = Store.open(tmp_path / "many.db")
    try:
        for day in range(1, 29):
            path = tmp_path / f"day{day:02}.txt"
            body = "\n\n".join(
                f'"The talks on point {k} of day {day} went well. We will go on," Ada Berg said.'
                for k in range(3)
            )
            path.write_text(f"Day {day}\n\n{body}\n", encoding="utf-8")
            article = read_article(str(path), outlet="Wire", published=f"2025-05-{day:02}")
            store_articles(store, [article], embedder)
        everything = search_quotes(store, QuoteQuery(speaker="Ada Berg"))
        for limit in (1, 5, 20, 60):
            page = search_quotes(store, QuoteQuery(speaker="Ada Berg", limit=limit))
            want = [h.stored.claim.id for h in everything.hits[:limit]]
            assert [h.stored.claim.id for h in page.hits] == want
        assert len(everything.hits) == 28 * 3
    finally:
        store.close()


def test_the_joint_statements_query_reads_its_partial_index_not_the_whole_table(tmp_path):
    from claimcheck.archive import Store
    from claimcheck.archive.migrations import JOINT_CLAIMS_WHERE

    store = Store.open(tmp_path / "plan.db")
    try:
        plan = store.db.execute(
            "explain query plan select id, speaker_id, co_speakers, speaker_mention from claims "
            f"where {JOINT_CLAIMS_WHERE}"
        ).fetchall()
    finally:
        store.close()
    assert any("claims_joint" in str(row) for row in plan), plan

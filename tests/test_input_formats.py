"""Real newsroom files read as a reader sees them: hard-wrapped text and Markdown joined into
paragraphs, an HTML page's own metadata, JSON lines batches, and files of other types refused."""

from __future__ import annotations

import json
import sqlite3
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED

from claimcheck.cli import cli
from claimcheck.errors import InputError
from claimcheck.read import article_from_text, article_paths, read_article, read_articles
from claimcheck.read.paragraphs import is_hard_wrapped, unwrap

DATA = Path(__file__).parent / "data" / "input"


@pytest.fixture(autouse=True)
def fake_model(monkeypatch, embedder):
    """Commands embed with the test embedder, never a real model."""
    import claimcheck.embed

    monkeypatch.setattr(claimcheck.embed, "load_embedder", lambda model=None: embedder)


def _count(db_path: Path, table: str) -> int:
    if not db_path.exists():
        return 0
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute(f"select count(*) from [{table}]").fetchone()[0])


# ----------------------------------------------------------------- paragraphs and Markdown
def test_hard_wrapped_markdown_reads_as_paragraphs_without_markup():
    article = read_article(DATA / "wrapped-story.md")
    assert article.outlet == "Vale Courier" and article.published == "2025-06-02"
    assert article.title == "Ashby Vale council approves the river footbridge"
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0] == article.title  # the heading, without its #
    for mark in ("**", "](", "# ", "> ", "- to", "_4.2"):
        assert mark not in article.text, mark
    # The wrapped quote and its speaker are one paragraph again.
    assert (
        '"We are satisfied with the outcome and the money is now in place," said Tom Reed, '
        "an aide to the mayor, after the vote." in paragraphs
    )
    assert "The mayor of Ashby Vale, Helen Carter, said the bridge" in article.text
    assert paragraphs[-1].startswith("The council also agreed: to close the ferry crossing")
    assert "\n" not in paragraphs[1]


def test_quote_wrapped_across_lines_is_credited_to_the_named_aide():
    from claimcheck.extract import extract_claims

    article = read_article(DATA / "wrapped-story.md")
    claims = extract_claims(article.text, article.outlet).claims
    satisfied = [c for c in claims if "satisfied" in c.quote]
    assert satisfied and all(c.speaker == "Tom Reed" for c in satisfied)
    assert all(c.kind == "direct" for c in satisfied)
    nobody = [c for c in claims if c.quote.startswith("Nobody on the east bank")]
    assert nobody and nobody[0].speaker == "Priya Shah"
    # No claim is a fragment cut at a line end, and the outlet says none of the quotes.
    assert not [c for c in claims if c.speaker == "Vale Courier" and "satisfied" in c.quote]


def test_wire_copy_wrapped_at_72_columns_joins_back_to_the_original_paragraphs():
    original = [p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
    article = read_article(DATA / "wire-wrapped.txt")
    assert article.text.split("\n\n") == original


def test_one_paragraph_per_line_is_left_as_it_is():
    text = SEED.read_text(encoding="utf-8")
    assert not is_hard_wrapped(text)
    assert unwrap(text) == text
    assert read_article(SEED).text == text.strip("\n") or read_article(SEED).text == text


def test_email_wrapped_without_blank_lines_breaks_at_short_sentence_ends():
    body = textwrap.dedent(
        """\
        The board met on Tuesday and agreed to sell the old depot on Mill Lane to
        a housing association for a price it did not disclose.
        Chair Anna Webb said the sale would pay for two new buses and that the
        depot had been empty since the routes were moved in 2021.
        The union said it had not been told about the sale in advance.
        """
    )
    text = unwrap(body)
    assert text.split("\n\n") == [
        "The board met on Tuesday and agreed to sell the old depot on Mill Lane to a housing "
        "association for a price it did not disclose.",
        "Chair Anna Webb said the sale would pay for two new buses and that the depot had been "
        "empty since the routes were moved in 2021.",
        "The union said it had not been told about the sale in advance.",
    ]


def test_short_lines_in_wrapped_text_stay_lines_of_their_own():
    body = (
        "The board met on Tuesday and agreed to sell the old depot on Mill Lane to\n"
        "a housing association for a price it did not disclose. It listed:\n"
        "Key points\n"
        "First point of the plan\n"
        "The union said it had not been told about the sale in advance, and that it\n"
        "would ask for a meeting with the board before the sale went ahead.\n"
    )
    assert unwrap(body).split("\n\n")[1:3] == ["Key points", "First point of the plan"]
    assert unwrap(body).split("\n\n")[0].endswith("did not disclose. It listed:")


def test_markdown_on_standard_input_is_recognised():
    article = article_from_text(
        "# Ferry fares rise\n\nThe operator said **fares** rise by [5 percent](http://x.example)"
        ' in May.\n\n> "It is unavoidable," said spokesman Ian Holt.\n'
    )
    assert article.text == (
        'Ferry fares rise\n\nThe operator said fares rise by 5 percent in May.\n\n"It is '
        'unavoidable," said spokesman Ian Holt.'
    )


# ----------------------------------------------------------------- HTML metadata
def test_html_page_metadata_from_opengraph_and_json_ld():
    article = read_article(DATA / "opengraph.html")
    assert article.outlet == "Harbour Herald"
    assert article.published == "2025-03-14"
    assert article.title == "Port strike ends after dockers accept pay deal"  # JSON-LD headline
    assert article.url == "https://www.harbourherald.example/news/port-strike-ends"  # canonical
    assert article.author == "Maria Lopes, Tom Ebert"
    assert "Most read" not in article.text and "Privacy" not in article.text
    # The user's options still come first.
    mine = read_article(DATA / "opengraph.html", outlet="Wire", published="2025-03-15")
    assert (mine.outlet, mine.published) == ("Wire", "2025-03-15")


def test_html_metadata_tags_alone_without_json_ld():
    page = (
        "<html><head><title>Dam opens early - River Post</title>"
        '<meta property="og:site_name" content="River Post">'
        '<meta property="article:published_time" content="2024-11-02T10:00:00Z">'
        '<link rel="canonical" href="https://riverpost.example/dam">'
        '<meta name="author" content="Jo Hale"></head><body><article>'
        "<p>The new dam on the Ouse opened two months early, the water board said.</p>"
        "<p>Engineer Sam Cole said it would hold back the spring floods.</p>"
        "</article></body></html>"
    )
    article = article_from_text(page)
    assert (article.outlet, article.published, article.url, article.author) == (
        "River Post",
        "2024-11-02",
        "https://riverpost.example/dam",
        "Jo Hale",
    )
    assert article.title == "Dam opens early"  # the <title> less its " - Outlet"


def test_html_outlet_and_date_reach_quotes_and_flags(embedder, db_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(DATA / "opengraph.html")])
    assert result.exit_code == 0, result.output
    rows = [
        json.loads(line)
        for line in runner.invoke(cli, ["quotes", "Ferreira", "--json"]).output.splitlines()
    ]
    assert rows and rows[0]["outlet"] == "Harbour Herald"
    assert rows[0]["published"] == "2025-03-14"
    text = runner.invoke(cli, ["claims"]).output
    assert "Harbour Herald, 2025-03-14" in text and "unknown outlet" not in text.lower()
    listed = json.loads(runner.invoke(cli, ["articles", "--json"]).output.splitlines()[0])
    assert listed["author"] == "Maria Lopes, Tom Ebert"
    assert listed["source"] == "https://www.harbourherald.example/news/port-strike-ends"


# ----------------------------------------------------------------- JSON lines batches
def test_jsonl_batch_reads_one_article_a_line():
    articles = read_articles(DATA / "batch.jsonl")
    assert [a.title for a in articles] == [
        "Water rates to rise in Kellham",
        "Library hours cut in Ashby Vale",
        "Ferry service resumes",
    ]
    assert [a.outlet for a in articles] == ["Harbour Herald", "Vale Courier", "Harbour Herald"]
    assert articles[0].author == "Maria Lopes"
    assert articles[1].published == "2025-06-03"  # a timestamp keeps its calendar date
    assert "<p>" not in articles[1].text and "Owen Price" in articles[1].text
    assert articles[2].source_path.endswith("batch.jsonl#4")  # line 3 is blank


def test_jsonl_batch_ingests_and_checks(db_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(DATA / "batch.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["articles_added"] == 3
    speakers = runner.invoke(cli, ["speakers"]).output
    assert "Laura Finch" in speakers and "Owen Price" in speakers
    assert '{"' not in speakers  # never a speaker made of raw JSON
    checked = runner.invoke(cli, ["check", str(DATA / "batch.jsonl"), "--json"])
    assert checked.exit_code == 0, checked.output
    lines = [json.loads(line) for line in checked.output.splitlines()]
    assert {line["article"] for line in lines} == {1, 2, 3}
    assert all(line["verdict"] == "agree" for line in lines if line["kind"] == "direct")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"title": "x"', "is not valid JSON"),
        ('["text"]', "is not a JSON object"),
        ('{"title": "No body"}', "has no 'text' or 'html'"),
        ('{"text": "Some words.", "html": "<p>x</p>"}', "has both 'text' and 'html'"),
        ('{"text": "Some words.", "titel": "Typo"}', "unknown key(s) 'titel'"),
        ('{"text": "Some words.", "outlet": 7}', "'outlet' must be a string"),
        ('{"text": "   "}', "has no 'text' or 'html'"),
        ('{"text": "Some words.", "outlet": "A\\u001b[31m"}', "control character"),
    ],
)
def test_jsonl_bad_lines_name_the_file_and_line(tmp_path, line, expected):
    batch = tmp_path / "feed.jsonl"
    good = json.dumps({"text": "The mayor said the bridge would open in May.", "outlet": "A"})
    batch.write_text(f"{good}\n\n{line}\n{good}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_articles(batch)
    message = str(err.value)
    assert "feed.jsonl line 3" in message and expected in message
    assert "nothing from this file was read" in message.lower()


def test_jsonl_batch_with_a_bad_line_writes_nothing(db_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(DATA / "batch-bad-line.jsonl")])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {DATA / 'batch-bad-line.jsonl'} line 4: published '2025-02-30' is not a date "
        "like 2025-05-16; nothing from this file was read."
    ]
    assert _count(db_path, "articles") == 0 and _count(db_path, "claims") == 0
    # Beside a good file, the good file still goes in and the bad batch is listed as skipped.
    both = runner.invoke(cli, ["ingest", str(DATA / "batch-bad-line.jsonl"), str(SEED)])
    assert both.exit_code == 0, both.output
    assert "skipped:" in both.output and "line 4" in both.output
    assert _count(db_path, "articles") == 1


# ----------------------------------------------------------------- types
def test_named_file_of_unknown_type_is_refused_in_one_line(tmp_path, db_path):
    notes = tmp_path / "minutes.pdf"
    notes.write_bytes(b"%PDF-1.4 not an article")
    for path in (notes, tmp_path / "meta.json"):
        path.touch()
        result = CliRunner().invoke(cli, ["ingest", str(path)])
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "is not an article file" in lines[0], lines
    assert "a batch is .jsonl" in lines[0]
    assert not db_path.exists()
    with pytest.raises(InputError, match="is not an article file"):
        list(article_paths([str(notes)]))
    checked = CliRunner().invoke(cli, ["check", str(notes)])
    assert checked.exit_code == 1 and "is not an article file" in checked.output


def test_folder_lists_files_of_other_types_as_skipped(tmp_path, db_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "story.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "story.json").write_text('{"outlet": "Financial Times"}', encoding="utf-8")
    (folder / "batch.jsonl").write_text((DATA / "batch.jsonl").read_text(), encoding="utf-8")
    (folder / "budget.xlsx").write_bytes(b"PK\x03\x04")
    (folder / ".DS_Store").write_bytes(b"\x00")
    skipped: list[tuple[str, str]] = []
    found = list(article_paths([str(folder)], on_skip=lambda p, why: skipped.append((p, why))))
    assert [p.name for p in found] == ["batch.jsonl", "story.txt"]
    assert [Path(p).name for p, _ in skipped] == ["budget.xlsx"]  # not the sidecar or .DS_Store
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    assert f"skipped: {folder / 'budget.xlsx'}: .xlsx files are not articles" in result.output
    summary = json.loads(result.output.splitlines()[-1])
    assert summary["articles_added"] == 4


def test_checking_a_folder_reads_a_batch_in_it_article_by_article(tmp_path, db_path):
    folder = tmp_path / "tonight"
    folder.mkdir()
    (folder / "batch.jsonl").write_text((DATA / "batch.jsonl").read_text(), encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    result = CliRunner().invoke(cli, ["check", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    assert f"skipped: {folder / 'notes.pdf'}: .pdf files are not articles" in result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert {line["path"].rsplit("#", 1)[-1] for line in lines} == {"1", "2", "4"}
    assert not [line for line in lines if '{"' in line["quote"]]

"""Bad input through every door (ingest, check, the web form's reader).

Each case: one clear line and no traceback, a non-zero exit where it failed, nothing half-written.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimcheck.cli import cli
from claimcheck.errors import InputError
from claimcheck.read import (
    MAX_ARTICLE_BYTES,
    MAX_ARTICLE_CHARS,
    MAX_SENTENCE_CHARS,
    article_from_text,
    decode_bytes,
    read_article,
)

ARTICLE = (
    "Talks end without a ceasefire\n\n"
    "ISTANBUL, May 16 (Meridian Wire) - Rustem Umerov said the prisoner swap was agreed on "
    "Friday.\n\n"
    '"We will meet again next week," Umerov told reporters.\n\n'
    "Kremlin aide Vladimir Medinsky said Russia was satisfied with the talks.\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
GZIP = gzip.compress(b"some text that is compressed " * 50)


@pytest.fixture
def runner(monkeypatch, embedder):
    import claimcheck.embed

    monkeypatch.setattr(claimcheck.embed, "load_embedder", lambda model=None: embedder)
    return CliRunner()


def table_counts(db_path: Path) -> dict[str, int]:
    if not db_path.exists():
        return {}
    conn = sqlite3.connect(db_path)
    try:
        return {
            t: conn.execute(f"select count(*) from [{t}]").fetchone()[0]
            for t in ("articles", "claims", "embeddings", "speakers", "submissions", "check_runs")
        }
    finally:
        conn.close()


def stored_articles(db_path: Path) -> list[dict]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        articles = [dict(r) for r in conn.execute("select * from articles order by id")]
        for a in articles:
            a["claims"] = [
                dict(r)
                for r in conn.execute("select * from claims where article_id = ?", [a["id"]])
            ]
        return articles
    finally:
        conn.close()


def assert_offsets_exact(db_path: Path) -> None:
    for article in stored_articles(db_path):
        assert article["claims"], "the article should have produced claims"
        assert article["claim_count"] == len(article["claims"])
        for claim in article["claims"]:
            assert article["text"][claim["start"] : claim["end"]] == claim["quote"]


def ingest(runner, *paths) -> object:
    return runner.invoke(cli, ["ingest", *map(str, paths)])


def one_error_line(result) -> str:
    """The user sees one line starting 'Error:' and no traceback."""
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


# ------------------------------------------------------------------ refused input, every door
REFUSED = {
    "empty": (b"", "empty"),
    "whitespace": (b"  \n\t\r\n   \n", "empty"),
    "png": (PNG, "binary"),
    "gzip": (GZIP, "binary"),
    "punctuation only": (b"--- *** ... !!!\n", "no words"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_files_fail_ingest_with_one_line(runner, tmp_path, db_path, case):
    data, message = REFUSED[case]
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    line = one_error_line(ingest(runner, path))
    assert message in line and "article.txt" in line
    assert table_counts(db_path).get("articles", 0) == 0


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_files_fail_check_with_one_line(runner, tmp_path, db_path, case):
    data, message = REFUSED[case]
    path = tmp_path / "draft.txt"
    path.write_bytes(data)
    line = one_error_line(runner.invoke(cli, ["check", str(path)]))
    assert message in line
    assert table_counts(db_path).get("submissions", 0) == 0


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_bytes_on_standard_input(runner, case):
    data, message = REFUSED[case]
    line = one_error_line(runner.invoke(cli, ["check", "-"], input=data))
    assert message in line and "standard input" in line


@pytest.mark.parametrize("case", ["empty", "whitespace", "punctuation only"])
def test_refused_text_in_the_web_form_reader(case):
    data, message = REFUSED[case]
    with pytest.raises(InputError, match=message):
        article_from_text(data.decode(), name="pasted text")


def test_a_bad_file_in_a_folder_is_skipped_and_the_rest_go_in(runner, tmp_path, db_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_bytes(PNG)
    (folder / "c.txt").write_text("")
    result = ingest(runner, folder)
    assert result.exit_code == 0, result.output
    assert "Added 1 article(s)" in result.output
    assert "b.txt is a binary file" in result.output
    assert "c.txt is empty" in result.output
    assert table_counts(db_path)["articles"] == 1
    assert_offsets_exact(db_path)


# ------------------------------------------------------------------ encodings, decoded right
ENCODED = {
    "utf-8 with BOM": b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"),
    "utf-16 with BOM": ARTICLE.encode("utf-16"),
    "utf-16-le without BOM": ARTICLE.encode("utf-16-le"),
    "windows-1252": ARTICLE.replace('"', "\u201c", 1).replace('"', "\u201d", 1).encode("cp1252"),
    "crlf": ARTICLE.replace("\n", "\r\n").encode("utf-8"),
    "old mac cr": ARTICLE.replace("\n", "\r").encode("utf-8"),
}


@pytest.mark.parametrize("case", sorted(ENCODED))
def test_encodings_are_decoded_and_offsets_stay_exact(runner, tmp_path, db_path, case):
    path = tmp_path / "article.txt"
    path.write_bytes(ENCODED[case])
    result = ingest(runner, path)
    assert result.exit_code == 0, result.output
    [article] = stored_articles(db_path)
    assert article["text"].startswith("Talks end without a ceasefire\n\nISTANBUL")
    assert "\r" not in article["text"] and "\ufeff" not in article["text"]
    assert article["outlet"] == "Meridian Wire"
    assert {"Rustem Umerov", "Vladimir Medinsky"} <= {c["speaker"] for c in article["claims"]}
    assert_offsets_exact(db_path)


def test_latin1_accents_and_stray_undefined_bytes_decode():
    assert decode_bytes("Café Français: « non », a dit Müller.".encode("latin-1")) == (
        "Café Français: « non », a dit Müller."
    )
    # 0x81 is undefined in Windows-1252: the text still reads, the stray byte is dropped later.
    text = decode_bytes(b"Caf\xe9 \x81ok, said Smith.")
    assert text.startswith("Café ")
    assert article_from_text(text).text == "Café ok, said Smith."


def test_crlf_offsets_point_into_the_text_as_stored(runner, tmp_path, db_path):
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.replace("\n", "\r\n").encode())
    assert ingest(runner, path).exit_code == 0
    [article] = stored_articles(db_path)
    assert article["text"] == ARTICLE
    quote = next(c for c in article["claims"] if c["kind"] == "direct")
    assert quote["quote"] == "We will meet again next week"
    assert ARTICLE.index("We will meet again") == quote["start"]


# ------------------------------------------------------------------ size limits
def test_ten_megabyte_file_is_refused_quickly_without_being_read(runner, tmp_path, db_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.write((ARTICLE.encode() + b"\n") * (10_000_000 // len(ARTICLE) + 1))
    started = time.perf_counter()
    line = one_error_line(ingest(runner, path))
    assert time.perf_counter() - started < 5
    assert "huge.txt" in line and f"up to {MAX_ARTICLE_BYTES:,} bytes" in line
    assert table_counts(db_path).get("articles", 0) == 0
    line = one_error_line(runner.invoke(cli, ["check", str(path)]))
    assert "up to" in line


def test_oversized_standard_input_is_refused_without_reading_it_all(runner):
    data = b"a" * (MAX_ARTICLE_BYTES * 3)
    line = one_error_line(runner.invoke(cli, ["check", "-"], input=data))
    assert f"standard input is more than {MAX_ARTICLE_BYTES:,} bytes" in line


def test_oversized_web_form_text_is_refused():
    with pytest.raises(InputError, match="up to"):
        article_from_text("word " * (MAX_ARTICLE_BYTES // 4), name="pasted text")


def test_a_one_megabyte_single_line_is_refused_at_once(runner, tmp_path, db_path):
    """Measured: the extractor's time grows with the square of a sentence's length (95,000
    characters without a break took 231 s and 576 MB); a megabyte would take hours."""
    words = "the minister said talks would continue and officials agreed "
    line = (words * (1_000_000 // len(words) + 1))[:1_000_000]
    path = tmp_path / "line.txt"
    path.write_text("Headline\n\n" + line[: MAX_ARTICLE_CHARS - 20], encoding="utf-8")
    started = time.perf_counter()
    line_error = one_error_line(ingest(runner, path))
    assert "without a sentence break" in line_error and "line.txt" in line_error
    assert table_counts(db_path).get("articles", 0) == 0
    path.write_text(line, encoding="utf-8")
    assert f"up to {MAX_ARTICLE_CHARS:,} characters" in one_error_line(ingest(runner, path))
    assert "characters" in one_error_line(runner.invoke(cli, ["check", str(path)]))
    with pytest.raises(InputError, match="characters"):
        article_from_text(line, name="pasted text")
    assert time.perf_counter() - started < 10


def test_a_long_but_allowed_sentence_is_extracted(runner, tmp_path, db_path):
    words = "the minister said talks would continue and officials agreed "
    sentence = (words * (MAX_SENTENCE_CHARS // len(words) + 1))[: MAX_SENTENCE_CHARS - 100]
    path = tmp_path / "long.txt"
    path.write_text(f"Headline\n\nRustem Umerov said {sentence}.\n", encoding="utf-8")
    result = ingest(runner, path)
    assert result.exit_code == 0, result.output
    assert_offsets_exact(db_path)


def test_read_article_refuses_oversized_file(tmp_path):
    path = tmp_path / "big.md"
    path.write_bytes(b"a" * (MAX_ARTICLE_BYTES + 10))
    with pytest.raises(InputError, match=f"{MAX_ARTICLE_BYTES + 10:,} bytes"):
        read_article(path)


# ------------------------------------------------------------------ awkward but valid text
def test_invisible_and_bidi_characters_are_removed_before_extraction(runner, tmp_path, db_path):
    text = (
        "Talks\n\nVolodymyr Zelen\u200bsky said the \u202eceasefire\u202c was "
        "wel\u00adcome.\n\nשלום said nobody in particular.\n"
    )
    article = article_from_text(text)
    assert article.text == (
        "Talks\n\nVolodymyr Zelensky said the ceasefire was welcome.\n\n"
        "שלום said nobody in particular.\n"
    )
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    assert ingest(runner, path).exit_code == 0
    [stored] = stored_articles(db_path)
    assert "Volodymyr Zelensky" in {c["speaker"] for c in stored["claims"]}
    assert_offsets_exact(db_path)


def test_decomposed_accents_are_composed():
    assert article_from_text("Talks\n\nAndrzej Dude\u0301 said yes.").text == (
        "Talks\n\nAndrzej Dud\u00e9 said yes."
    )


def test_unbalanced_and_nested_quotes_give_valid_claims(runner, tmp_path, db_path):
    text = (
        "Talks\n\n"
        '"This quotation never closes, said a diplomat.\n\n'
        'The minister said: "He told me \'no deal, not "ever"\' yesterday."\n\n'
        '\u201cA curly quote with a straight end," said Rustem Umerov.\n\n'
        "\u00ab Guillemets \u00bb, \u201e German \u201c and \u300cCJK\u300d quotes.\n"
    )
    path = tmp_path / "quotes.txt"
    path.write_text(text, encoding="utf-8")
    result = ingest(runner, path)
    assert result.exit_code == 0, result.output
    assert_offsets_exact(db_path)
    [article] = stored_articles(db_path)
    assert all(c["speaker"].strip() for c in article["claims"])


def test_quotes_with_no_speaker_are_credited_to_the_outlet(runner, tmp_path, db_path):
    text = 'Talks\n\n"We will never give up."\n\n"The war must end."\n'
    path = tmp_path / "anon.txt"
    path.write_text(text, encoding="utf-8")
    assert runner.invoke(cli, ["ingest", str(path), "--outlet", "Harbour Wire"]).exit_code == 0
    [article] = stored_articles(db_path)
    quotes = {c["quote"]: c["speaker"] for c in article["claims"]}
    assert quotes["We will never give up."] == "Harbour Wire"
    assert quotes["The war must end."] == "Harbour Wire"


def test_markdown_front_matter_is_metadata_not_claims(runner, tmp_path, db_path):
    text = (
        "---\ntitle: Talks end\noutlet: Kyiv Post\npublished: 2025-05-16\nurl: https://x.test/a\n"
        "---\n" + ARTICLE.split("\n\n", 1)[1]
    )
    path = tmp_path / "story.md"
    path.write_text(text, encoding="utf-8")
    assert ingest(runner, path).exit_code == 0
    [article] = stored_articles(db_path)
    assert (article["title"], article["outlet"], article["published"]) == (
        "Talks end",
        "Kyiv Post",
        "2025-05-16",
    )
    assert "---" not in article["text"] and "outlet:" not in article["text"]
    assert all("published:" not in c["quote"] for c in article["claims"])
    assert_offsets_exact(db_path)


HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>Talks</title><script>var tracking = 1;</script>"
    "<style>p { color: red }</style></head><body><nav>Home | World | Sport</nav><article>"
    "<h1>Talks end without a ceasefire</h1>"
    + "".join(
        f"<p>Rustem Umerov said the prisoner swap number {i} was agreed on Friday after long "
        f"talks in Istanbul, according to officials who were in the room.</p>"
        for i in range(5)
    )
    + "<p>&quot;We will meet again next week,&quot; Umerov told reporters.</p>"
    "</article><footer>Copyright</footer></body></html>"
)


@pytest.mark.parametrize(
    "name,content",
    [
        ("page.html", HTML_PAGE),
        ("page.txt", HTML_PAGE),  # an HTML page saved with the wrong suffix
        (
            "fragment.txt",
            "<div><p>Rustem Umerov said the prisoner swap was agreed.</p>"
            "<p>&ldquo;We will meet again,&rdquo; he said.</p><script>x()</script></div>",
        ),
    ],
)
def test_html_is_reduced_to_text_and_no_markup_is_stored(runner, tmp_path, db_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = ingest(runner, path)
    assert result.exit_code == 0, result.output
    [article] = stored_articles(db_path)
    assert "<" not in article["text"] and "tracking" not in article["text"]
    assert "&quot;" not in article["text"]
    assert "Rustem Umerov" in {c["speaker"] for c in article["claims"]}
    assert all("<" not in c["quote"] for c in article["claims"])
    assert_offsets_exact(db_path)


def test_html_with_no_article_text_is_refused(runner, tmp_path, db_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><head><script>var a = 1;</script></head><body></body></html>")
    line = one_error_line(ingest(runner, path))
    assert "no article text" in line
    assert table_counts(db_path).get("articles", 0) == 0


# ------------------------------------------------------------------ paths
def test_a_folder_with_no_articles(runner, tmp_path, db_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "a.png").write_bytes(PNG)
    line = one_error_line(ingest(runner, folder))
    assert "holds no article files" in line
    assert not db_path.exists() or table_counts(db_path)["articles"] == 0


def test_a_missing_path_and_an_empty_directory_given_to_check(runner, tmp_path):
    # check takes a folder of tonight's stories; an empty one is one clear line, not a crash
    assert "does not exist" in one_error_line(ingest(runner, tmp_path / "nope.txt"))
    empty = tmp_path / "empty"
    empty.mkdir()
    line = one_error_line(runner.invoke(cli, ["check", str(empty)]))
    assert "holds no article files" in line


def test_a_file_that_disappears_mid_batch_is_reported_and_the_rest_stored(
    store, tmp_path, embedder
):
    from claimcheck.archive.ingest import ingest_paths

    paths = []
    for i in range(3):
        path = tmp_path / f"{i}.txt"
        path.write_text(ARTICLE.replace("Friday", f"day {i}"), encoding="utf-8")
        paths.append(path)

    def remove_the_next(done: Path | None) -> None:
        if done == paths[0]:
            paths[1].unlink()

    summary = ingest_paths(store, list(paths), embedder, on_article=remove_the_next)
    assert summary.articles_added == 2
    assert summary.errors == [f"{paths[1]} does not exist."]
    sources = [a["source_path"] for a in store.articles()]
    assert sources == [str(paths[0]), str(paths[2])]


def test_json_summary_lists_skipped_files(runner, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_bytes(GZIP)
    result = runner.invoke(cli, ["ingest", "--json", str(folder)])
    assert result.exit_code == 0
    summary = json.loads(result.output.splitlines()[-1])
    assert summary["articles_added"] == 1
    assert len(summary["errors"]) == 1 and "binary" in summary["errors"][0]


@pytest.mark.parametrize("case", ["utf-16 with BOM", "windows-1252", "crlf", "utf-8 with BOM"])
def test_check_offsets_point_into_the_submitted_text_as_recorded(runner, tmp_path, db_path, case):
    path = tmp_path / "draft.txt"
    path.write_bytes(ENCODED[case])
    result = runner.invoke(cli, ["check", "--json", str(path)])
    assert result.exit_code == 0, result.output
    verdicts = [json.loads(line) for line in result.output.splitlines()]
    conn = sqlite3.connect(db_path)
    [text] = [r[0] for r in conn.execute("select text from submissions")]
    conn.close()
    assert verdicts and "\r" not in text and "\ufeff" not in text
    for verdict in verdicts:
        assert text[verdict["start"] : verdict["end"]] == verdict["quote"]
    assert "Rustem Umerov" in {v["speaker"] for v in verdicts}

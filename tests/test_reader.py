import pytest

from claimcheck.errors import InputError
from claimcheck.read import article_from_text, article_paths, decode_bytes, read_article


def test_decodes_boms_and_legacy_encodings():
    text = "Zelenskyy said “peace” — café"
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode()) == text
    assert decode_bytes(text.encode("utf-16")) == text
    assert decode_bytes("café".encode("cp1252")) == "café"
    assert decode_bytes("“quoted”".encode("cp1252")) == "“quoted”"


@pytest.mark.parametrize(
    "data", [b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, b"\x1f\x8b\x08\x00" + b"\x00" * 20, b"ab\x00cd"]
)
def test_binary_is_refused(data):
    with pytest.raises(InputError, match="binary"):
        decode_bytes(data, "x.png")


def test_empty_and_whitespace_are_refused():
    with pytest.raises(InputError, match="empty"):
        article_from_text("   \n\t\n")
    with pytest.raises(InputError, match="empty"):
        article_from_text("")


def test_crlf_is_normalised():
    article = article_from_text("Headline\r\nBody text here.\r\n")
    assert article.text == "Headline\nBody text here.\n"


def test_front_matter_sets_metadata_and_is_not_text():
    article = article_from_text(
        "---\noutlet: Kyiv Post\ntitle: Talks end\npublished: 2025-05-16\n---\nBody said here.\n"
    )
    assert (article.outlet, article.title, article.published) == (
        "Kyiv Post",
        "Talks end",
        "2025-05-16",
    )
    assert article.text == "Body said here.\n"


def test_dateline_names_the_outlet():
    article = article_from_text(
        "Headline\n\nISTANBUL, May 16 (Meridian Wire) - Negotiators met on Friday.\n"
    )
    assert article.outlet == "Meridian Wire"


def test_options_override_file_metadata():
    article = article_from_text("---\noutlet: A\n---\nText.", outlet="B")
    assert article.outlet == "B"


def test_bad_date_is_refused():
    with pytest.raises(InputError, match="not a date"):
        article_from_text("Text.", published="16/05/2025")


def test_sidecar_metadata(corpus_copy):
    article = read_article(corpus_copy / "ft-2025-05-16-istanbul-talks.txt")
    assert article.outlet == "Financial Times"
    assert article.published == "2025-05-16"
    assert article.text.startswith("Talks between Ukraine and Russia")


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        list(article_paths([str(tmp_path / "nope.txt")]))
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no article files"):
        list(article_paths([str(tmp_path / "empty")]))


def test_html_page_yields_article_text_not_markup():
    html = (
        "<!doctype html><html><head><title>T</title><script>var x=1;</script></head><body>"
        "<nav>Home | World</nav><article><h1>Talks end</h1>"
        + "".join(
            f"<p>Paragraph {i}: the minister said the talks in Istanbul were useful and would go "
            f"on next week, according to officials who were present.</p>"
            for i in range(6)
        )
        + "</article></body></html>"
    )
    article = article_from_text(html)
    assert "<p>" not in article.text and "var x" not in article.text
    assert "the minister said the talks in Istanbul" in article.text

"""Reading input: bytes from a file, standard input or a web form, into an `Article`.

- `read_article`: one article file (text, Markdown or HTML) into an Article
- `article_paths`: every article file named, folders walked in sorted order
- `article_from_text`: decoded text (standard input, a web form) into an Article
- `decode_bytes`: bytes into text, or an InputError saying why not
- `unsafe_character`: the first control character in one line of metadata (None when plain)
- `MAX_ARTICLE_BYTES`, `MAX_ARTICLE_CHARS`, `MAX_SENTENCE_CHARS`: the limits on what is read

`text.py` turns bytes into clean text; `article.py` turns text into an Article.
"""

from .article import (
    MAX_ARTICLE_CHARS,
    MAX_SENTENCE_CHARS,
    article_from_text,
    article_paths,
    read_article,
)
from .text import MAX_ARTICLE_BYTES, decode_bytes, unsafe_character

__all__ = [
    "MAX_ARTICLE_BYTES",
    "MAX_ARTICLE_CHARS",
    "MAX_SENTENCE_CHARS",
    "article_from_text",
    "article_paths",
    "decode_bytes",
    "read_article",
    "unsafe_character",
]

"""Reading input: bytes from a file, standard input or a web form, into an `Article`.

- `read_article`: one article file (text, Markdown or HTML) into an Article
- `read_articles`: the articles of one input file (a JSON lines batch, or one article)
- `article_paths`: every article file named, folders walked in sorted order (other files in a
  folder reported as skipped, a named file of another type refused)
- `article_from_text`: decoded text (standard input, a web form) into an Article
- `decode_bytes`: bytes into text, or an InputError saying why not
- `unsafe_character`: the first control character in one line of metadata (None when plain)
- `MAX_ARTICLE_BYTES`, `MAX_ARTICLE_CHARS`, `MAX_SENTENCE_CHARS`: the limits on what is read

`text.py` turns bytes into clean text; `article.py` turns text into an Article, with
`markdown.py` (Markdown's prose), `paragraphs.py` (hard-wrapped lines joined), `metadata.py`
(an HTML page's outlet, date, title, URL and author); `jsonl.py` reads batches, one article a
line.
"""

from .article import (
    MAX_ARTICLE_CHARS,
    MAX_SENTENCE_CHARS,
    article_from_text,
    article_paths,
    read_article,
)
from .jsonl import read_articles
from .text import MAX_ARTICLE_BYTES, decode_bytes, unsafe_character

__all__ = [
    "MAX_ARTICLE_BYTES",
    "MAX_ARTICLE_CHARS",
    "MAX_SENTENCE_CHARS",
    "article_from_text",
    "article_paths",
    "decode_bytes",
    "read_article",
    "read_articles",
    "unsafe_character",
]

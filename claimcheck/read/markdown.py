"""Markdown into the prose it renders: headings, emphasis, links, lists and block quotes unmarked.

A Markdown file is read as text a reader would see: `# Heading` is the heading's words,
`**bold**` and `_italic_` are their words, `[text](url)` is the text, a heading is a paragraph of
its own and so is a list item (unless its lead-in ends with a colon: "The council agreed: to
close the ferry; to review parking." reads as the sentence it is), `>` quote markers and
horizontal rules go, and the lines of a paragraph (Markdown's soft line breaks) are joined with a
space. Paragraphs are separated by a blank line. No Markdown library is needed for this much;
code blocks, tables and HTML blocks are kept as their text.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_ATX_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT_RULE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_HRULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_LIST_ITEM = re.compile(r"^\s{0,8}(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")
_QUOTE_MARK = re.compile(r"^\s{0,3}>\s?")
_REF_DEFINITION = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s+\S+.*$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)|!\[([^\]\n]*)\]\[[^\]\n]*\]")
_LINK = re.compile(r"\[([^\]\n]+)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_CODE = re.compile(r"`+([^`\n]+?)`+")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS_STAR = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_EMPHASIS_UNDERSCORE = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)$")
# Signs that text is Markdown, for text that does not come from a .md file (standard input).
_MARKDOWN_SIGNS = (
    re.compile(r"^#{1,6}\s+\S", re.M),
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),
    re.compile(r"(\*\*|__)\S[^\n]*?\S\1"),
    re.compile(r"^\s{0,3}>\s", re.M),
)


def looks_like_markdown(text: str) -> bool:
    """At least two kinds of Markdown markup in the first pages of the text."""
    head = text[:20_000]
    return sum(1 for sign in _MARKDOWN_SIGNS if sign.search(head)) >= 2


def inline_text(line: str) -> str:
    """One line's words without inline markup (links, images, emphasis, code, escapes)."""
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _REF_LINK.sub(r"\1", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _CODE.sub(r"\1", line)
    for _ in range(2):  # ***both*** and nested emphasis
        line = _STRONG.sub(r"\2", line)
        line = _EMPHASIS_STAR.sub(r"\1", line)
        line = _EMPHASIS_UNDERSCORE.sub(r"\1", line)
    line = _STRIKE.sub(r"\1", line)
    return _ESCAPE.sub(r"\1", line)


def markdown_to_text(markdown: str) -> str:
    """The prose of a Markdown document, one paragraph a line, paragraphs blank-line separated."""
    markdown = _COMMENT.sub("", markdown)
    paragraphs: list[str] = []
    current: list[str] = []
    in_code = False
    in_run_on = False  # list items being joined to the lead-in that ends with a colon

    def close() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    lines = markdown.split("\n")
    for i, raw in enumerate(lines):
        if _FENCE.match(raw):
            close()
            in_code = not in_code
            continue
        if in_code:
            if raw.strip():
                paragraphs.append(raw.strip())
            continue
        # Block quotes: the quoted lines are read like any other (a quote inside a story).
        line = raw
        while _QUOTE_MARK.match(line):
            line = _QUOTE_MARK.sub("", line, count=1)
        if not line.strip():
            close()
            continue
        if _REF_DEFINITION.match(line):
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _HRULE.match(line) and not current:
            continue
        if _SETEXT_RULE.match(line) and current:
            # The underline of a `Heading\n=======` heading: the lines above are the heading.
            close()
            continue
        heading = _ATX_HEADING.match(line)
        if heading:
            close()
            words = inline_text((heading.group(1) or "").strip())
            if words:
                paragraphs.append(words)
            continue
        item = _LIST_ITEM.match(line)
        if item and not _HRULE.match(line):
            close()
            line = line[item.end() :]
            if paragraphs and (in_run_on or paragraphs[-1].rstrip().endswith(":")):
                # "The council agreed:" and its items read as one sentence, as they are meant.
                lead = paragraphs.pop()
                current.append(lead if lead[-1] in ",;:.!?" else lead + ";")
                in_run_on = True
        elif not current:
            in_run_on = False
        if _SETEXT_RULE.match(following) and following.strip() and not current:
            close()
        hard_break = bool(_HARD_BREAK.search(line))
        current.append(inline_text(line.strip().rstrip("\\").strip()))
        if hard_break:
            close()
    close()
    return "\n\n".join(p for p in (" ".join(p.split()) for p in paragraphs) if p)

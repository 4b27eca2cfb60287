"""Option types shared by the commands: every value is checked before anything is opened.

- `ROW_ID`: a database id, 1 to 2**63-1 (SQLite's largest integer)
- `LIMIT`: a number of rows, at least 1 (there is no "0 means no limit")
- `PORT`: a TCP port, 1-65535
- `DATE`: a real calendar date written YYYY-MM-DD
- `LINE`: one line of text to store and print (an outlet, a title): no control characters

A bad value is click's usage error: one line naming the option, exit status 2.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

import click

MAX_ROW_ID = 2**63 - 1

ROW_ID = click.IntRange(1, MAX_ROW_ID)
LIMIT = click.IntRange(1, MAX_ROW_ID)
PORT = click.IntRange(1, 65535)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# Characters that reorder what a terminal or a page shows (a right-to-left override can make a
# title display reversed); the reader removes them from article text for the same reason.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


class IsoDate(click.ParamType):
    """YYYY-MM-DD, and a date that exists: 2025-13-45 and 2025-02-30 are refused."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if _ISO_DATE.fullmatch(text):
            try:
                datetime.date.fromisoformat(text)
                return text
            except ValueError:
                self.fail(f"{text!r} is not a calendar date (YYYY-MM-DD).", param, ctx)
        self.fail(f"{text!r} is not a date like 2025-05-16.", param, ctx)


class OneLine(click.ParamType):
    """Text without control characters: escape sequences are refused, not stored and replayed."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        for ch in text:
            if unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS:
                self.fail(
                    f"contains the control character {ascii(ch)}; give plain text "
                    "(no escape sequences, tabs or line breaks).",
                    param,
                    ctx,
                )
        return text


DATE = IsoDate()
LINE = OneLine()

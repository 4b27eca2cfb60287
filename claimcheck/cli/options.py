"""Option types shared by the commands: every value is checked before anything is opened.

- `ROW_ID`: a database id, 1 to 2**63-1 (SQLite's largest integer)
- `LIMIT`: a number of rows, at least 1 (there is no "0 means no limit")
- `PORT`: a TCP port, 1-65535
- `DATE`: a real calendar date written YYYY-MM-DD
- `LINE`: one line of text to store and print (an outlet, a title, an editor): no control
  characters
- `NOTE`: text that may run over several lines (a review note): line breaks and tabs, nothing else
- `terminal_safe` / `safe_output`: what the commands print, with any control character, escape
  sequence or bidirectional control that stored data may hold shown as `\\u001b`, never sent raw

A bad value is click's usage error: one line naming the option, exit status 2.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import sys
import unicodedata
from collections.abc import Iterator
from typing import Any, TextIO

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
    allowed = ""
    plain = "no escape sequences, tabs or line breaks"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        for ch in text:
            if ch in self.allowed:
                continue
            if unicodedata.category(ch) in ("Cc", "Cs") or ch in _BIDI_CONTROLS:
                self.fail(
                    f"contains the control character {ascii(ch)}; give plain text ({self.plain}).",
                    param,
                    ctx,
                )
        return text


class Note(OneLine):
    """Text of several lines: line breaks and tabs are fine, other control characters are not."""

    allowed = "\n\t"
    plain = "no escape sequences"


DATE = IsoDate()
LINE = OneLine()
NOTE = Note()


def _escaped(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else ascii(ch)[1:-1]


def terminal_safe(text: str) -> str:
    """`text` with every control character but line breaks and tabs, every bidirectional control
    and any lone surrogate written as `\\u001b`: what stored data holds is shown, never obeyed.

    The escapes are JSON's own, so a JSON line printed through this still parses to the same
    value (json.dumps already escapes the C0 controls; this catches C1 and bidirectional ones).
    """
    if text.isprintable():
        return text
    return "".join(
        _escaped(ch)
        if (ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cs")) or ch in _BIDI_CONTROLS
        else ch
        for ch in text
    )


class _SafeStream:
    """A text stream that writes everything through `terminal_safe`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: Any) -> int:
        if not isinstance(text, str):
            return self._stream.write(text)  # a text stream refuses bytes, as click expects
        return self._stream.write(terminal_safe(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def safe_output() -> Iterator[None]:
    """Within the block, standard output and error show control characters, never send them."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeStream(sys.stdout), _SafeStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved

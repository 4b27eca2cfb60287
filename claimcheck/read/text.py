"""Bytes into text: decoding, and the cleaning that fixes what every offset points into.

Decoding is explicit (BOMs, UTF-8, UTF-16 without a BOM, then Windows-1252); binary files and
input over `MAX_ARTICLE_BYTES` are refused with one sentence. Line endings are normalised to LF,
the text is NFC-normalised and stripped of invisible format characters (zero-width spaces, soft
hyphens, bidirectional overrides) and control characters.
"""

from __future__ import annotations

import codecs
import os
import unicodedata

from ..errors import InputError

# A file is read only up to MAX_ARTICLE_BYTES (an HTML page may be mostly markup).
MAX_ARTICLE_BYTES = 2_000_000

_BINARY_SIGNATURES = (
    b"\x89PNG",
    b"\x1f\x8b",
    b"PK\x03\x04",
    b"%PDF",
    b"GIF8",
    b"\xff\xd8\xff",
    b"SQLite format 3",
    b"\x7fELF",
)

# Invisible characters that carry no words but break name matching and offsets a reader can see:
# zero-width space, word joiner, BOM, soft hyphen, and the bidirectional marks, embeddings,
# overrides and isolates (which can also make a quote display reversed: "Trojan source").
# ZWJ/ZWNJ stay: they are part of spelling in Persian and Indic scripts.
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x2060, 0xFEFF, 0x00AD, 0x200E, 0x200F, 0x061C]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
_BIDI = frozenset([0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# Line and paragraph separators that str.splitlines() honours but a reader of the file would not
# see as ordinary newlines; other control characters (from a bad export) are dropped.
_AS_NEWLINE = {
    0x0B: "\n",
    0x0C: "\n",
    0x85: "\n",
    0x1C: "\n",
    0x1D: "\n",
    0x1E: "\n",
    0x2028: "\n",
    0x2029: "\n\n",
}
_CONTROLS = dict.fromkeys(
    c for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n\r"
)
_CLEAN_TABLE = {**_CONTROLS, **_INVISIBLE, **_AS_NEWLINE}


def display_name(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """A file name as text safe to print and store: always valid UTF-8, one line, no escapes.

    Names are bytes on POSIX; one that is not UTF-8 (a Latin-1 `\xe9t\xe9.txt` from an old
    archive) reaches Python with surrogates, which cannot be printed or stored. Such bytes are
    shown as `\xe9`, and control characters (an escape sequence in a name) as `\x1b`.
    """
    raw = os.fsencode(path)
    text = raw.decode("utf-8", "backslashreplace")
    return "".join(
        ascii(ch)[1:-1] if unicodedata.category(ch) == "Cc" or ord(ch) in _INVISIBLE else ch
        for ch in text
    )


def unsafe_character(text: str) -> str | None:
    """The first character of `text` unfit for one line of metadata, written as `'\\x1b'`.

    Control characters (escape sequences, line breaks), bidirectional controls and lone
    surrogates (which JSON can spell but UTF-8 cannot store) are unfit; None when there is none.
    """
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cs") or ord(ch) in _BIDI:
            return ascii(ch)
    return None


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Text from bytes, or an InputError saying why not."""
    text = _decode_bytes(data, name)
    if "\x00" in text:
        # A NUL anywhere (not only in the first 8 KB that the binary sniffing reads) means the
        # file is not text: dropping it silently would hide a corrupt or binary file.
        raise InputError(f"{name} is a binary file (it holds NUL bytes), not text.")
    return text


def _decode_bytes(data: bytes, name: str) -> str:
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(
            # Callers may read only MAX_ARTICLE_BYTES + 1 bytes, so the true size is unknown here.
            f"{name} is more than {MAX_ARTICLE_BYTES:,} bytes; claimcheck reads articles up to "
            f"{MAX_ARTICLE_BYTES:,} bytes."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8", name)
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _decode(data, "utf-32", name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", name)
    if data.startswith(_BINARY_SIGNATURES):
        raise InputError(f"{name} is a binary file, not text.")
    if b"\x00" in data[:8192]:
        bomless = _bomless_utf16(data)
        if bomless is None:
            raise InputError(f"{name} is a binary file, not text.")
        return _decode(data, bomless, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: newsroom systems still emit Windows-1252 (a superset of Latin-1 for text).
    # Five byte values are undefined in Windows-1252; ISO-8859-1 maps them (to C1 controls, which
    # the cleaning step drops), so genuine Latin-1 text with a stray byte still reads.
    text = data.decode("cp1252", errors="latin1_fallback")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(text) / 100:
        raise InputError(f"{name} is a binary file, not text.")
    return text


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    bad = exc.object[exc.start : exc.end]
    return bad.decode("latin-1"), exc.end


codecs.register_error("latin1_fallback", _latin1_fallback)


def _bomless_utf16(data: bytes) -> str | None:
    """ "utf-16-le"/"utf-16-be" when the bytes look like UTF-16 text saved without a BOM.

    Mostly-ASCII text in UTF-16 has a zero in every other byte; binary data does not.
    """
    sample = data[:8192]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not valid {encoding} text.") from exc


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str) -> str:
    """LF newlines, NFC, and no invisible or control characters: the text offsets point into."""
    text = normalise_newlines(text).translate(_CLEAN_TABLE)
    return unicodedata.normalize("NFC", text)

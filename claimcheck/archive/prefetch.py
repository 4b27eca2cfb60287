"""Extraction in a worker process, so that ingest parses the next batch while it encodes this one.

spaCy's pipeline and the encoder's Python glue both hold the GIL, so a thread gains nothing
(docs/performance.md); a process does. The worker is a Python process running `main` below,
reading requests on its standard input and answering on its standard output, each a pickle
behind an 8-byte length: unlike `multiprocessing`, it never re-imports the caller's `__main__`,
so a script that calls `ingest_paths` without an `if __name__ == "__main__"` guard still works.
At most one request is outstanding, and its answer is read before the next is sent, so neither
side can block the other on a full pipe. If the worker cannot start or dies, the caller extracts
in its own process instead: the worker is a speed-up, never a requirement.
"""

from __future__ import annotations

import pickle
import struct
import subprocess
import sys
from typing import IO, Any

from ..models import Extraction

_HEADER = struct.Struct("<Q")
# Not `-m claimcheck.archive.prefetch`: the package imports this module first, and runpy warns.
_WORKER = "from claimcheck.archive.prefetch import main; main()"


def _send(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("the extraction worker closed its output")
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the extraction worker's answer was cut short")
    return pickle.loads(data)  # noqa: S301 - our own child process, over its own pipe


class ExtractionWorker:
    """One child process that extracts batches of (text, outlet) pairs, one at a time."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._outstanding = False

    def submit(self, items: list[tuple[str, str | None]]) -> bool:
        """Start extracting `items` in the worker; False when it cannot (extract here then)."""
        try:
            if self._proc is None:
                self._proc = subprocess.Popen(
                    [sys.executable, "-c", _WORKER],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                )
            assert self._proc.stdin is not None
            _send(self._proc.stdin, items)
            self._outstanding = True
            return True
        except (OSError, ValueError):
            self.close()
            return False

    def result(self) -> list[Extraction] | None:
        """The extractions of the last batch submitted, or None when the worker failed."""
        if self._proc is None or not self._outstanding:
            return None
        self._outstanding = False
        try:
            assert self._proc.stdout is not None
            answer = _receive(self._proc.stdout)
        except (OSError, EOFError, pickle.UnpicklingError):
            self.close()
            return None
        if isinstance(answer, BaseException):
            self.close()
            return None
        return list(answer)

    def close(self) -> None:
        proc, self._proc = self._proc, None
        self._outstanding = False
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> None:
    """The worker's loop: a batch in, its extractions out, until standard input closes."""
    from ..extract import extract_many

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed by a library must not corrupt the answers
    while True:
        try:
            items = _receive(stdin)
        except EOFError:
            return
        try:
            answer: Any = list(extract_many(items))
        except Exception as exc:  # the caller extracts this batch itself and reports the error
            answer = RuntimeError(str(exc))
        _send(stdout, answer)

"""The claimcheck command line with the test embedder instead of the real model, for tests that
need real processes (concurrency, crashes, permissions) without loading torch.

    python tests/fake_cli.py -d DB ingest FILES...

With $FAKE_CLI_PAUSE_IN_WRITE set to a file path, the process stops inside its first write
transaction after writing two articles, creates that file and sleeps: a test can then kill it
at a known point in the middle of a batch.
"""

import os
import sys
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent
sys.path[:0] = [str(TESTS.parent), str(TESTS)]

from conftest import HashingEmbedder  # noqa: E402

import claimcheck.embed  # noqa: E402

_embedder = HashingEmbedder()
claimcheck.embed.load_embedder = lambda model=None: _embedder


def _pause_mid_transaction(marker: Path) -> None:
    from claimcheck.archive.store import Store

    real_add_article = Store.write_article
    written = []

    def add_article_then_pause(self, *args, **kwargs):
        article_id = real_add_article(self, *args, **kwargs)
        written.append(article_id)
        if len(written) == 2:
            marker.write_text(str(os.getpid()))
            time.sleep(120)
        return article_id

    Store.write_article = add_article_then_pause


if os.environ.get("FAKE_CLI_PAUSE_IN_WRITE"):
    _pause_mid_transaction(Path(os.environ["FAKE_CLI_PAUSE_IN_WRITE"]))

from claimcheck.cli import cli  # noqa: E402

if __name__ == "__main__":
    cli(prog_name="claimcheck")

"""The installed command line itself, in a subprocess: what a user at a terminal sees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (
    "Talks end without a ceasefire\n\n"
    "ISTANBUL, May 16 (Meridian Wire) - Rustem Umerov said the prisoner swap was agreed on "
    "Friday.\n\n"
    '"We will meet again next week," Umerov told reporters.\n'
)


def claimcheck(db: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("CLAIMCHECK_MODEL", None)
    return subprocess.run(
        [sys.executable, "-m", "claimcheck.cli", "-d", str(db), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def test_a_refused_file_is_one_line_on_stderr_and_status_1(tmp_path):
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    done = claimcheck(tmp_path / "c.db", "ingest", str(png), timeout=120)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().splitlines()[-1] == f"Error: {png} is a binary file, not text."
    assert "Traceback" not in done.stderr


@pytest.mark.model
def test_real_model_ingest_of_utf16_crlf_then_doctor_is_clean(tmp_path):
    """The doctor's idea of the configured model is the name ingest stores vectors under."""
    article = tmp_path / "story.txt"
    article.write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-16"))
    db = tmp_path / "c.db"
    ingested = claimcheck(db, "ingest", str(article))
    assert ingested.returncode == 0, ingested.stderr
    assert "Added 1 article(s)" in ingested.stdout
    doctor = claimcheck(db, "doctor")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "vectors of all-MiniLM-L6-v2" in doctor.stdout
    assert "No problems found." in doctor.stdout

"""The review workflow in a real browser: headless Chromium against a real uvicorn server.

Set CLAIMCHECK_SCREENSHOT_DIR=docs/img to refresh the screenshots used in docs/review.md.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SEED, HashingEmbedder

from claimcheck.archive.store import Store

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# A wire story contradicting the founding FT article's 1,000-by-1,000 prisoner swap, with markup
# in the same paragraph that must show as text and never run.
NEW_ARTICLE = """Istanbul talks end after four hours

ISTANBUL, May 16 (Meridian Wire) - Russian and Ukrainian negotiators met in Istanbul on Friday \
for their first direct talks in three years.

Vladimir Medinsky, the Kremlin aide who led the Russian delegation, said the two sides had \
agreed there would be a 500 by 500 person prisoner swap.{payload}

Turkish foreign minister Hakan Fidan, who chaired the meeting, said it was "critically \
important that a ceasefire begins as soon as possible".
"""
# Enough plain paragraphs that three tags are not "an HTML page" to the reader, which would
# otherwise strip them before they ever reach a page.
BACKGROUND = "".join(
    f"\nBackground paragraph {i}: the delegations sat at a long table in the palace, and "
    "reporters waited outside in the rain for most of the afternoon without any briefing.\n"
    for i in range(1, 20)
)
PAYLOAD = ' <script>window.pwned = "script"</script><img src=x onerror="window.pwned = \'img\'">'


def chromium_or_skip() -> str:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package.")
    pytest.skip(f"{CHROMIUM} is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(db_path) -> Iterator[str]:
    import uvicorn

    from claimcheck.archive.ingest import store_articles
    from claimcheck.judge import load_judge
    from claimcheck.read import read_article
    from claimcheck.web.app import create_app

    if not SEED.exists():
        pytest.skip("the founding article is not in corpus/")
    store = Store.open(db_path)
    store_articles(store, [read_article(SEED)], HashingEmbedder())
    store.close()
    app = create_app(str(db_path), embedder_factory=HashingEmbedder, judge_factory=load_judge)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(tmp_path, monkeypatch):
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        yield pg
        context.close()
        browser.close()


def screenshot(pg, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    pg.screenshot(path=str(path), full_page=True)
    target = os.environ.get("CLAIMCHECK_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / name)


def submit_article(pg, base: str, text: str, **fields: str) -> None:
    pg.goto(f"{base}/check")
    for name, value in fields.items():
        pg.fill(f'input[name="{name}"]', value)
    pg.fill('textarea[name="text"]', text)
    pg.click("button.primary")
    pg.wait_for_url(f"{base}/runs/*")


def test_submit_open_confirm_and_see_the_queue_and_history(server, page, db_path, tmp_path):
    pg = page
    submit_article(pg, server, NEW_ARTICLE.format(payload=""))
    result = pg.locator("li.result-contradict", has_text="500 by 500")
    assert "1,000 by 1,000" in result.inner_text()  # the stored claim it conflicts with
    result.get_by_role("link", name="Review flag").click()
    pg.wait_for_url(f"{server}/flags/*")
    flag_id = int(pg.url.rsplit("/", 1)[1].split("?")[0])

    new_side = pg.locator("section.side.new")
    stored_side = pg.locator("section.side.stored")
    assert "500 by 500" in new_side.locator("mark").all_inner_texts()
    assert "1,000 by 1,000" in stored_side.locator("mark").all_inner_texts()
    assert "Financial Times" in stored_side.inner_text()
    # Side by side: the stored claim is to the right of the new one, at the same height.
    new_box, stored_box = new_side.bounding_box(), stored_side.bounding_box()
    assert stored_box["x"] > new_box["x"] + new_box["width"] - 1
    assert abs(stored_box["y"] - new_box["y"]) < 2
    screenshot(pg, tmp_path, "flag-page.png")

    # Confirm by keyboard: name and note, leave the text field, press c.
    pg.fill("#editor", "Ann Editor")
    pg.fill("#note", "Medinsky said 1,000 on the record; ask the Kremlin")
    pg.locator("h1").click()
    pg.keyboard.press("c")
    pg.wait_for_url(f"{server}/flags/{flag_id}?done=confirm")
    assert "Saved: confirmed by Ann Editor" in pg.locator(".notice").inner_text()
    assert pg.locator("h1 .badge").inner_text().lower() == "confirmed"
    history = pg.locator("section.history").inner_text()
    assert "Ann Editor" in history and "ask the Kremlin" in history

    pg.get_by_role("link", name="← Queue").click()
    pg.wait_for_url(f"{server}/")
    assert pg.locator('[data-count="confirmed"]').inner_text() == "1"
    row = pg.locator("table.queue tbody tr", has_text="500 by 500")
    assert row.locator(".badge").inner_text().lower() == "confirmed"
    screenshot(pg, tmp_path, "queue.png")

    store = Store.open(db_path)
    flag = store.db["flags"].get(flag_id)
    events = list(
        store.db.query("select * from flag_events where flag_id = ? order by id", [flag_id])
    )
    store.close()
    assert (flag["status"], flag["editor"], flag["speaker"]) == (
        "confirmed",
        "Ann Editor",
        "Vladimir Medinsky",
    )
    assert flag["note"] == "Medinsky said 1,000 on the record; ask the Kremlin"
    assert [(e["action"], e["to_status"]) for e in events] == [
        ("flagged", "pending"),
        ("confirm", "confirmed"),
    ]


def test_keyboard_navigation_and_a_decision_needs_a_name(server, page, db_path):
    pg = page
    submit_article(pg, server, NEW_ARTICLE.format(payload=""))
    pg.goto(f"{server}/?status=pending")
    rows = pg.locator("table.queue tbody tr")
    assert rows.count() >= 2
    pg.keyboard.press("j")
    pg.keyboard.press("j")
    pg.keyboard.press("Enter")
    pg.wait_for_url(f"{server}/flags/*")
    second = pg.url
    pg.keyboard.press("k")
    pg.wait_for_url(lambda url: url != second)
    first_id = int(pg.url.split("/flags/")[1].split("?")[0])
    pg.keyboard.press("d")  # no editor name yet: nothing is sent
    time.sleep(0.3)
    assert pg.evaluate("document.activeElement.id") == "editor"
    store = Store.open(db_path)
    assert store.db["flags"].get(first_id)["status"] == "pending"
    store.close()


def test_script_in_an_article_is_shown_as_text_and_never_runs(server, page, tmp_path):
    pg = page
    title = "Talks <img src=x onerror=\"window.pwned='title'\">"
    submit_article(pg, server, NEW_ARTICLE.format(payload=PAYLOAD) + BACKGROUND, title=title)
    assert pg.evaluate("window.pwned") is None
    assert title in pg.locator("main").inner_text()
    pg.locator("li.result-contradict", has_text="500 by 500").get_by_role(
        "link", name="Review flag"
    ).click()
    pg.wait_for_url(f"{server}/flags/*")
    assert pg.evaluate("window.pwned") is None
    new_side = pg.locator("section.side.new").inner_text()
    assert '<script>window.pwned = "script"</script>' in new_side
    assert "<img src=x onerror=" in new_side
    assert pg.locator("section.side.new img").count() == 0
    assert pg.locator("main script").count() == 0

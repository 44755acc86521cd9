"""A real browser on the served app: ask, see the citation's passage, run a what-if. Screenshots in tmp_path."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.test_ui_server import serving

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WAIT_MS = 60_000  # every wait is bounded; none is asserted on


@pytest.fixture
def page():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent; `make browser` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=WAIT_MS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.set_default_timeout(WAIT_MS)
            page.route("**/*", _loopback_only)
            yield page
        finally:
            browser.close()


def _loopback_only(route) -> None:
    # The page may ask for web fonts or the like; nothing leaves this machine.
    if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


def test_ask_see_the_cited_passage_and_run_a_what_if(bot, page, tmp_path):
    with serving(bot) as url:
        page.goto(url, wait_until="domcontentloaded")
        question = page.locator("#question textarea")
        question.wait_for()
        page.screenshot(path=tmp_path / "0-start.png", full_page=True)

        question.fill("Until when does the partnership last?")
        question.press("Enter")
        citation = page.locator("#chatbot details.citation").first
        citation.wait_for()
        answer = page.locator("#chatbot .message-row").last
        assert "2030" in answer.inner_text()
        mark = citation.locator("mark")
        assert not mark.is_visible(), "a footnote starts folded"
        citation.locator("summary").click()
        mark.wait_for(state="visible")
        assert "until 2030" in mark.inner_text()
        assert "Microsoft’s commitment to OpenAI remains strong." in citation.locator(".passage").inner_text()
        page.screenshot(path=tmp_path / "1-answer-with-passage.png", full_page=True)

        page.get_by_role("tab", name="What if").click()
        outcome = page.locator("#whatif-outcome")
        outcome.get_by_text("No clause of the agreement covers this question").wait_for()
        page.locator("#whatif-microsoft-can-meet-demand").get_by_text("no", exact=True).click()
        provider = page.locator("#whatif-provider input")
        provider.fill("AWS")
        provider.press("Enter")
        outcome.get_by_text("Microsoft can't meet the need, so OpenAI can turn to competitors such as AWS").wait_for()
        quotes = page.locator("#whatif-quotes details.citation")
        assert quotes.count() >= 2
        page.locator("#whatif-trace-accordion").get_by_text("Trace").click()
        page.locator("#whatif-trace").get_by_text("Right of first refusal on new compute").wait_for(state="visible")
        page.screenshot(path=tmp_path / "2-what-if.png", full_page=True)

        page.get_by_role("tab", name="Sources").click()
        page.locator("#documents .chunk-start").first.wait_for()
        assert "Chunks:" in page.locator("#index-status").inner_text()
        page.screenshot(path=tmp_path / "3-sources.png", full_page=True)

    for name in ("0-start", "1-answer-with-passage", "2-what-if", "3-sources"):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000

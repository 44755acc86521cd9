"""A real browser on the served app: ask, see the citation's passage, run a what-if. Screenshots in tmp_path."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.test_ui_server import free_port, serving, ui_process

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
        outcome.get_by_text("Set at least one fact").wait_for()  # an empty form asks for facts
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

        page.get_by_role("tab", name="Documents").click()
        page.get_by_text("How each document is chunked").click()
        page.locator("#documents .chunk-start").first.wait_for()
        assert "Chunks:" in page.locator("#index-status").inner_text()
        assert "microsoft-openai-partnership.md" in page.locator("#document-table").inner_text()
        page.screenshot(path=tmp_path / "3-sources.png", full_page=True)

    for name in ("0-start", "1-answer-with-passage", "2-what-if", "3-sources"):
        assert (tmp_path / f"{name}.png").stat().st_size > 10_000


def test_a_new_user_asks_at_once_adds_a_document_reloads_and_flags_an_answer(page, tmp_path, corpus_copy):
    """Issue 14's walk: a fresh server answers at once; a document uploaded in the browser is answered with its
    citation; the conversation is there after a reload; a thumbs-down lands in the feedback export."""
    import json

    from assistant import Assistant
    from assistant.feedback import export_feedback

    memo = tmp_path / "parking memo.txt"
    memo.write_text("Staff parking moves to the north garage on 3 March. Permits cost 40 euros a month.\n")
    draft = tmp_path / "plan _draft_ v2.md"  # a name markdown would set in italics
    draft.write_text("The archive moves to the second floor in June.\n")
    bot = Assistant(corpus_dir=corpus_copy, store_dir=tmp_path / "store")  # nothing opened or built yet
    with serving(bot) as url:
        page.goto(url, wait_until="domcontentloaded")
        question = page.locator("#question textarea")
        question.wait_for()
        question.fill("Until when does the partnership last?")
        question.press("Enter")
        page.locator("#chatbot details.citation").first.wait_for()
        assert "2030" in page.locator("#chatbot .message-row").last.inner_text()

        page.get_by_role("tab", name="Documents").click()
        page.locator("#upload input[type=file]").set_input_files([str(memo), str(draft)])
        page.locator("#add-documents").click()
        report = page.locator("#ingest-report")
        report.get_by_text("Added parking memo.txt.").wait_for()
        assert "Added plan _draft_ v2.md." in report.inner_text() and report.locator("em, strong").count() == 0
        table = page.locator("#document-table")
        assert "parking" in table.inner_text() and "plan _draft_ v2.md" in table.inner_text()
        assert table.locator("em, strong").count() == 0
        page.screenshot(path=tmp_path / "4-documents.png", full_page=True)

        page.get_by_role("tab", name="Chat").click()
        question.fill("How much does a parking permit cost?")
        question.press("Enter")
        page.locator("#chatbot .message-row").last.get_by_text("40 euros").first.wait_for()
        page.locator("#chatbot details.citation").last.wait_for()
        assert "parking memo.txt" in page.locator("#chatbot").inner_html() or "parking_memo.txt" in page.locator("#chatbot").inner_html()
        page.locator("#chatbot button[aria-label='Dislike']").last.click()
        note = page.locator("#feedback-note")
        note.get_by_text("Thanks").wait_for()
        # Next to the chat whose thumbs were pressed: in the chat's own column, under it, above the settings (and so
        # not at the foot of the page, under everything else).
        assert page.evaluate("() => document.querySelector('#feedback-note').parentElement === "
                             "document.querySelector('#chatbot').parentElement")
        chat, shown = page.locator("#chatbot").bounding_box(), note.bounding_box()
        settings = page.locator("#chat-settings").bounding_box()
        assert chat["x"] - 1 <= shown["x"] and shown["x"] + shown["width"] <= chat["x"] + chat["width"] + 1
        assert chat["y"] + chat["height"] <= shown["y"] < settings["y"]
        page.screenshot(path=tmp_path / "5-answer-from-upload.png", full_page=True)

        page.reload(wait_until="domcontentloaded")
        page.locator("tr.tr-body", has_text="Until when does the partnership last?").click()  # the saved conversation
        page.locator("#chatbot").get_by_text("40 euros").first.wait_for()
        page.screenshot(path=tmp_path / "6-after-reload.png", full_page=True)

    out = tmp_path / "export.jsonl"
    assert export_feedback(bot.settings.store_dir, out) == 1
    flagged = json.loads(out.read_text().splitlines()[0])
    assert flagged["question"] == "How much does a parking permit cost?" and flagged["feedback"] == "down"


def test_a_saved_conversation_is_there_after_the_server_restarts(page, tmp_path):
    """The browser keeps conversations encrypted with the key in the store folder: a server started again over the
    same store reads them."""
    store, port = tmp_path / "store", free_port()  # the same address both times: local storage is per origin
    question = "Until when does the partnership last?"
    with ui_process(store, port) as url:
        page.goto(url, wait_until="domcontentloaded")
        asked = page.locator("#question textarea")
        asked.fill(question)
        asked.press("Enter")
        page.locator("#chatbot details.citation").first.wait_for()
        page.locator("tr.tr-body", has_text=question).wait_for()  # listed on the left: saved in the browser
        page.wait_for_function("() => localStorage.length > 0")
    with ui_process(store, port) as again:
        assert again == url
        page.reload(wait_until="domcontentloaded")
        page.locator("tr.tr-body", has_text=question).click()
        page.locator("#chatbot .message-row").last.get_by_text("2030").first.wait_for()
        page.screenshot(path=tmp_path / "7-after-restart.png", full_page=True)
    assert (store / "saved-chats.key").exists()

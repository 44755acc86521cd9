"""The app served on 127.0.0.1 and asked through gradio_client, as an API user would."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ui import create_app, launch_app
from ui.whatif_tab import field_controls

ANSWER_TIMEOUT = 120  # seconds; a bound so a stuck server fails the test instead of hanging it
QUESTIONS = [
    "Until when does the partnership last?",
    "Who has the right of first refusal?",
    "In which city does OpenAI have its headquarters?",
    "In what year did OpenAI begin?",
    "Who approved the partnership with Oracle?",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(bot, auth=None) -> Iterator[str]:
    demo = create_app(bot)
    url = launch_app(demo, "127.0.0.1", free_port(), auth=auth, block=False)
    try:
        assert url.startswith("http://127.0.0.1:")
        yield url
    finally:
        demo.close()


def client(url, **kwargs):
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False, **kwargs)


def answer_text(reply) -> str:
    return reply[-1]["content"]


def test_a_question_through_the_api_gets_a_cited_answer(bot):
    with serving(bot) as url:
        reply = client(url).submit("Until when does the partnership last?", "extractive", 5, api_name="/chat").result(
            timeout=ANSWER_TIMEOUT
        )
    content = answer_text(reply)
    assert "2030" in content.split('<div class="answer-extras">')[0]
    assert re.search(r"<mark>[^<]*until 2030[^<]*</mark>", content)
    assert "<b>[1]</b>" in content


def test_twenty_concurrent_questions_all_get_answers(bot):
    from ui.assistant_pool import AssistantPool
    from ui.chat_tab import respond

    asked = [QUESTIONS[i % len(QUESTIONS)] for i in range(20)]
    expected = {q: list(respond(AssistantPool(bot), q, [], "extractive", 5))[-1] for q in QUESTIONS}
    with serving(bot) as url:
        # one client per question: a client is one browser session, and a session's questions share its chat
        # history, so twenty questions from one client would be read as one conversation
        jobs = [client(url).submit(question, "extractive", 5, api_name="/chat") for question in asked]
        replies = [job.result(timeout=ANSWER_TIMEOUT) for job in jobs]
    for question, reply in zip(asked, replies):
        assert not answer_text(reply).startswith("⚠️"), (question, reply)
        assert reply == expected[question], f"the reply to {question!r} is not its own answer"


def test_the_what_if_endpoint_needs_no_model(bot):
    with serving(bot) as url:
        # one value per fact of the article's pack, in the pack's order: empty or unknown but for two
        given = {"microsoft_can_meet_demand": "no", "provider": "aws"}
        values = [given.get(c.name, "" if c.kind == "text" else "unknown") for c in field_controls(_article_pack())]
        outcome, quotes, trace = client(url).predict(*values, api_name="/what_if")
    assert outcome.startswith("Microsoft can't meet the need, so OpenAI can turn to competitors such as AWS")
    assert "<mark>" in quotes and "Right of first refusal" in trace


def _article_pack():
    from assistant.clauses import load_pack
    from tests.conftest import CORPUS

    return load_pack(CORPUS / "microsoft-openai-partnership.clauses.yaml")


def test_basic_auth_from_the_environment_guards_the_app(bot, monkeypatch):
    from ui import serving_options

    monkeypatch.setenv("ASSISTANT_UI_AUTH", "ann:secret")
    auth = serving_options()["auth"]
    with serving(bot, auth=auth) as url:
        with pytest.raises(Exception):
            client(url)
        reply = client(url, auth=("ann", "secret")).predict("", "extractive", 5, api_name="/chat")
    assert answer_text(reply).startswith("⚠️ Please type a question")


def _wait_for(url: str, server=None, seconds: float = 180) -> None:
    """Poll until the server answers, bounded in time; fail at once when its process (`server`) has ended."""
    import time
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise AssertionError(f"the server of {url} ended with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"no server at {url} after {seconds} s")


@contextmanager
def ui_process(store: Path, port: int) -> Iterator[str]:
    """`assistant ui` started anew in a process of its own over `store`, on 127.0.0.1:port; yields its URL once it
    answers, and stops it after. Its output goes to a log beside the store, named in a failure."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "ASSISTANT_STORE_DIR": str(store), "ASSISTANT_UI_PORT": str(port)}
    log_path = store.parent / f"ui-{port}.log"
    with open(log_path, "a") as log:
        server = subprocess.Popen([sys.executable, "-m", "assistant.cli.commands", "ui"], env=env, stdout=log,
                                  stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}/"
            try:
                _wait_for(url, server)
            except AssertionError as failure:
                raise AssertionError(f"{failure}; its log: {log_path}") from None
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_a_fresh_server_answers_twenty_concurrent_first_questions(tmp_path):
    """`assistant ui` started anew (no index opened, none built yet) takes 20 questions at once: all answered."""
    with ui_process(tmp_path / "store", free_port()) as url:
        asked = [QUESTIONS[i % len(QUESTIONS)] for i in range(20)]
        jobs = [client(url).submit(question, "extractive", 5, api_name="/chat") for question in asked]
        replies = [job.result(timeout=ANSWER_TIMEOUT) for job in jobs]
    for question, reply in zip(asked, replies):
        assert not answer_text(reply).startswith("⚠️"), (question, reply)
        assert "[1]" in answer_text(reply), (question, reply)


def _upload(url: str, name: str, data: bytes):
    import urllib.request
    import uuid

    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{url}gradio_api/upload", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_upload_endpoint_refuses_other_kinds_and_oversized_files(bot):
    demo = create_app(bot)
    url = launch_app(demo, "127.0.0.1", free_port(), block=False, max_upload_mb=0.01)
    try:
        ok, _ = _upload(url, "notes.txt", b"The lease runs for two years.")
        kind, kind_text = _upload(url, "tool.exe", b"MZ\x90\x00")
        large, _ = _upload(url, "big.txt", b"word " * 10_000)
    finally:
        demo.close()
    assert ok == 200
    assert kind == 415 and "only .md" in kind_text
    assert large == 413


def test_a_document_added_from_the_browser_is_answered_with_its_citation(tmp_path, corpus_copy):
    from assistant import Assistant
    from gradio_client import handle_file

    lease = tmp_path / "lease terms.txt"
    lease.write_text("The tenant pays a monthly rent of 1,200 euros, due on the first day of each month.\n")
    bot = Assistant(corpus_dir=corpus_copy, store_dir=tmp_path / "store")
    bot.ingest()
    with serving(bot) as url:
        api = client(url)
        report, status, table, _, _ = api.predict([handle_file(str(lease))], False, api_name="/add_documents")
        again = api.predict([handle_file(str(lease))], False, api_name="/add_documents")[0]
        reply = api.predict("What is the monthly rent?", "extractive", 5, api_name="/chat")
    assert "Added lease_terms.txt." in report or "Added lease terms.txt." in report
    assert "already in the corpus" in again
    assert any(row[0].startswith("lease") and int(row[1]) >= 1 for row in table["data"])
    assert "1,200 euros" in answer_text(reply) and "lease" in answer_text(reply)


def test_feedback_from_the_chat_is_exported_as_questions(tmp_path, bot, monkeypatch):
    import json

    from assistant.cli.commands import main
    from ui.assistant_pool import AssistantPool
    from ui.chat_tab import record_like, respond

    pool = AssistantPool(bot.derive(store_dir=tmp_path / "store"))
    pool.base.ingest()
    shown = list(respond(pool, "Until when does the partnership last?", [], "extractive", 5))[-1][-1]["content"]
    assert record_like(pool, shown, False).startswith("Thanks")
    out = tmp_path / "feedback.jsonl"
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(tmp_path / "store"))
    assert main(["feedback", "--export", str(out)]) == 0
    exported = [json.loads(line) for line in out.read_text().splitlines()]
    assert exported[0]["question"] == "Until when does the partnership last?"
    assert exported[0]["feedback"] == "down" and "2030" in exported[0]["answer_given"]
    assert exported[0]["answer_must_include"] == [] and "todo" in exported[0]

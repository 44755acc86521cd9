"""The app served on 127.0.0.1 and asked through gradio_client, as an API user would."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from ui import create_app, launch_app

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
    from ui.chat import AssistantPool, respond

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
        values = ["", "no", "aws", "unknown", "unknown", "", "", "", "unknown"]
        outcome, quotes, trace = client(url).predict(*values, api_name="/what_if")
    assert outcome.startswith("Microsoft can't meet the need, so OpenAI can turn to competitors such as AWS")
    assert "<mark>" in quotes and "Right of first refusal" in trace


def test_basic_auth_from_the_environment_guards_the_app(bot, monkeypatch):
    from ui import serving_options

    monkeypatch.setenv("ASSISTANT_UI_AUTH", "ann:secret")
    auth = serving_options()["auth"]
    with serving(bot, auth=auth) as url:
        with pytest.raises(Exception):
            client(url)
        reply = client(url, auth=("ann", "secret")).predict("", "extractive", 5, api_name="/chat")
    assert answer_text(reply).startswith("⚠️ Please type a question")

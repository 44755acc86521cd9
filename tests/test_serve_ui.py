"""The web UI's server serves the HTTP API's routes too, over the same assistant; with a password, the API needs
it as a bearer token."""

from __future__ import annotations

import openai
import pytest

from tests.test_serve import ANSWER_TIMEOUT, exact, served_bot  # noqa: F401 (a fixture)
from ui import create_app, launch_app
from ui.app import api_token


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_ui_server_answers_openai_clients_on_the_same_port(served_bot):
    demo = create_app(served_bot)
    url = launch_app(demo, "127.0.0.1", free_port(), block=False).rstrip("/") + "/v1"
    try:
        client = openai.OpenAI(base_url=url, api_key="unused", max_retries=0, timeout=ANSWER_TIMEOUT)
        assert [m.id for m in client.models.list()] == ["assistant"]
        reply = client.chat.completions.create(
            model="assistant", messages=[{"role": "user", "content": "How many steel cables were replaced?"}])
    finally:
        demo.close()
    assert "212 steel cables" in reply.choices[0].message.content
    assert all(exact(c, served_bot.settings.corpus_dir) for c in reply.model_extra["citations"])


def test_with_a_password_the_ui_servers_api_needs_it_as_a_token(served_bot):
    demo = create_app(served_bot)
    url = launch_app(demo, "127.0.0.1", free_port(), auth=("ann", "pass-word"), block=False).rstrip("/") + "/v1"
    try:
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=url, api_key="wrong", max_retries=0, timeout=ANSWER_TIMEOUT).models.list()
        client = openai.OpenAI(base_url=url, api_key="pass-word", max_retries=0, timeout=ANSWER_TIMEOUT)
        assert [m.id for m in client.models.list()] == ["assistant"]
    finally:
        demo.close()


def test_the_api_token_of_the_ui_is_its_own_setting_first(monkeypatch):
    assert api_token(None) is None and api_token(("ann", "pw")) == "pw"
    monkeypatch.setenv("ASSISTANT_API_TOKEN", "tok")
    assert api_token(None) == "tok" and api_token(("ann", "pw")) == "tok"

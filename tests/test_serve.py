"""`assistant serve`: the HTTP API on 127.0.0.1, asked with the `openai` client as Open WebUI or a script would,
over a corpus built here (a Markdown file, a Word file and a web page)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import httpx
import openai
import pytest

from assistant import Assistant
from assistant.ingest.corpus import read_text
from assistant.serve import ApiServer, serving_options
from tests.test_readers_formats import BOILERPLATE, PAGE, write_docx
from tests.test_retriever import DEPOTS

ANSWER_TIMEOUT = 120  # seconds for one answer: a stuck server fails the test instead of hanging it
QUESTIONS = {  # question -> what its answer must say
    "How many days of annual leave does an employee get?": "25 days",
    "How many steel cables were replaced on the harbour bridge?": "212 steel cables",
    "How much is a day ticket?": "7 euros",
    "When was the south depot built?": "1998",
}


@pytest.fixture(scope="module")
def served_bot(tmp_path_factory, session_cache) -> Assistant:
    corpus = tmp_path_factory.mktemp("served-corpus")
    (corpus / "depots.md").write_text(DEPOTS, encoding="utf-8")
    write_docx(corpus / "leave-policy.docx")
    (corpus / "bridge.html").write_text(PAGE, encoding="utf-8")
    bot = Assistant(corpus_dir=corpus, store_dir=tmp_path_factory.mktemp("served-store"), cache_dir=session_cache,
                    backend="extractive")
    bot.ingest()
    return bot


@pytest.fixture(scope="module")
def api_url(served_bot):
    with ApiServer(served_bot, "127.0.0.1", 0) as server:
        assert server.url.startswith("http://127.0.0.1:")
        yield server.url


def client(url: str, key: str = "unused") -> openai.OpenAI:
    return openai.OpenAI(base_url=url, api_key=key, max_retries=0, timeout=ANSWER_TIMEOUT)


def exact(citation: dict, corpus: Path) -> bool:
    return read_text(corpus / citation["source"])[citation["start"] : citation["end"]] == citation["quote"]


def test_an_openai_client_lists_the_assistant_as_its_model(api_url):
    assert [m.id for m in client(api_url).models.list()] == ["assistant"]
    assert client(api_url).models.retrieve("assistant").id == "assistant"


def test_an_openai_client_gets_a_cited_answer_with_its_citations_as_data(api_url, served_bot):
    reply = client(api_url).chat.completions.create(
        model="assistant", messages=[{"role": "user", "content": "How many steel cables were replaced?"}])
    text = reply.choices[0].message.content
    assert "212 steel cables" in text and "[1]" in text and reply.choices[0].finish_reason == "stop"
    citations = reply.model_extra["citations"]
    assert citations and citations[0]["source"] == "bridge.html" and citations[0]["n"] == 1
    assert all(exact(c, served_bot.settings.corpus_dir) for c in citations)
    assert reply.model_extra["abstained"] is False


def test_a_streamed_answer_arrives_as_server_sent_events_ending_with_the_citations(api_url, served_bot):
    stream = client(api_url).chat.completions.create(
        model="assistant", stream=True,
        messages=[{"role": "user", "content": "How many days of annual leave does an employee get?"}])
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert "25 days" in text and text.endswith("[1]")
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert [c["source"] for c in last.model_extra["citations"]] == ["leave-policy.docx"]
    assert all(exact(c, served_bot.settings.corpus_dir) for c in last.model_extra["citations"])


def test_earlier_messages_are_the_conversation_and_system_messages_are_not_questions(api_url):
    first = "When was the south depot built?"
    earlier = client(api_url).chat.completions.create(model="assistant", messages=[{"role": "user", "content": first}])
    reply = client(api_url).chat.completions.create(model="assistant", messages=[
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": first},
        {"role": "assistant", "content": earlier.choices[0].message.content},
        {"role": "user", "content": [{"type": "text", "text": "And how many trams does it hold?"}]},
    ])
    assert "25 trams" in reply.choices[0].message.content


def test_an_abstention_is_an_ordinary_message(api_url):
    reply = client(api_url).chat.completions.create(
        model="assistant", messages=[{"role": "user", "content": "Who won the chess olympiad in 1962?"}])
    assert reply.choices[0].message.role == "assistant" and reply.choices[0].message.content
    assert reply.model_extra["abstained"] is True and reply.model_extra["citations"] == []


def test_twenty_concurrent_requests_all_get_their_cited_answers(api_url, served_bot):
    questions = list(QUESTIONS) * 5

    def ask(i: int) -> tuple[str, str, list]:
        question = questions[i]
        if i % 2:
            chunks = list(client(api_url).chat.completions.create(
                model="assistant", stream=True, messages=[{"role": "user", "content": question}]))
            return question, "".join(c.choices[0].delta.content or "" for c in chunks), chunks[-1].model_extra["citations"]
        reply = client(api_url).chat.completions.create(model="assistant", messages=[{"role": "user", "content": question}])
        return question, reply.choices[0].message.content, reply.model_extra["citations"]

    with ThreadPoolExecutor(max_workers=20) as pool:
        futures = [pool.submit(ask, i) for i in range(20)]
        done, pending = wait(futures, timeout=6 * ANSWER_TIMEOUT)
        assert not pending, f"{len(pending)} of 20 requests unanswered"
    for future in done:
        question, text, citations = future.result()
        assert QUESTIONS[question] in text, (question, text)
        assert citations and all(exact(c, served_bot.settings.corpus_dir) for c in citations)


@pytest.mark.parametrize("body, status, says", [
    (b"{not json", 400, "not valid JSON"),
    (b"[]", 400, "JSON object"),
    (json.dumps({"model": "assistant"}).encode(), 400, "messages: Field required"),
    (json.dumps({"model": "assistant", "messages": []}).encode(), 400, "messages:"),
    (json.dumps({"model": "assistant", "messages": [{"role": "robot", "content": "hi"}]}).encode(), 400, "role"),
    (json.dumps({"model": "assistant", "messages": [{"role": "assistant", "content": "hi"}]}).encode(), 400,
     "last message must be the user's question"),
    (json.dumps({"model": "assistant", "messages": [{"role": "user", "content": "  "}]}).encode(), 400,
     "question is empty"),
    (json.dumps({"model": "assistant", "messages": [{"role": "user", "content": "why " * 600}]}).encode(), 400,
     "the limit is 2000"),
    (json.dumps({"model": "assistant", "messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}]}).encode(), 400,
     "only text parts"),
    (json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}).encode(), 404,
     "does not exist"),
    (b'{"model": "assistant", "messages": [' + b'{"role": "user", "content": "hi"},' * 40000 + b"]}", 413,
     "larger than"),
])
def test_a_bad_body_gets_one_clear_error_and_a_4xx_status(api_url, body, status, says):
    response = httpx.post(f"{api_url}/chat/completions", content=body, timeout=ANSWER_TIMEOUT,
                          headers={"Content-Type": "application/json"})
    assert response.status_code == status
    error = response.json()["error"]
    assert says in error["message"] and "\n" not in error["message"] and "Traceback" not in response.text
    assert error["type"] == "invalid_request_error"


def test_the_openai_client_raises_its_own_errors_for_bad_requests(api_url):
    with pytest.raises(openai.BadRequestError, match="question is empty"):
        client(api_url).chat.completions.create(model="assistant", messages=[{"role": "user", "content": ""}])
    with pytest.raises(openai.NotFoundError, match="does not exist"):
        client(api_url).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])


def test_a_documents_text_is_served_as_its_citations_index_into_it(api_url, served_bot):
    listed = httpx.get(f"{api_url}/documents", timeout=ANSWER_TIMEOUT).json()["data"]
    assert [d["source"] for d in listed] == ["bridge.html", "depots.md", "leave-policy.docx"]
    page = httpx.get(f"{api_url}/documents/bridge.html", timeout=ANSWER_TIMEOUT).json()
    assert page["text"] == read_text(served_bot.settings.corpus_dir / "bridge.html")
    assert [b for b in BOILERPLATE if b in page["text"]] == []
    missing = httpx.get(f"{api_url}/documents/..%2F..%2Fetc%2Fpasswd", timeout=ANSWER_TIMEOUT)
    assert missing.status_code == 404 and "No document" in missing.json()["error"]["message"]


def test_with_a_token_every_route_needs_it(served_bot):
    with ApiServer(served_bot, "127.0.0.1", 0, token="s3cret-token") as server:
        with pytest.raises(openai.AuthenticationError, match="Bearer"):
            client(server.url).models.list()
        assert httpx.get(f"{server.url}/documents", timeout=ANSWER_TIMEOUT).status_code == 401
        assert [m.id for m in client(server.url, "s3cret-token").models.list()] == ["assistant"]


def test_beyond_loopback_a_token_is_required():
    with pytest.raises(ValueError, match="--auth TOKEN"):
        serving_options("0.0.0.0", 8765, None)
    assert serving_options("0.0.0.0", 8765, "t")["token"] == "t"
    assert serving_options(None, None, None) == {"host": "127.0.0.1", "port": 8765, "token": None}


def test_a_what_if_answer_carries_its_trace(bot):
    with ApiServer(bot, "127.0.0.1", 0) as server:
        reply = client(server.url).chat.completions.create(
            model="assistant", messages=[{"role": "user", "content": "What if Microsoft can't meet OpenAI's compute needs?"}])
    assert reply.model_extra["tool"] == "clause_engine"
    assert reply.model_extra["trace"] and reply.model_extra["citations"]


def test_the_serve_command_serves_the_api_until_stopped(served_bot, session_cache, tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    (tmp_path / "empty.toml").write_text("")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")},
           "ASSISTANT_CONFIG": str(tmp_path / "empty.toml"), "ASSISTANT_CORPUS_DIR": str(served_bot.settings.corpus_dir),
           "ASSISTANT_STORE_DIR": str(served_bot.settings.store_dir), "ASSISTANT_CACHE_DIR": str(session_cache),
           "HF_HUB_OFFLINE": "1"}
    command = [str(Path(sys.executable).with_name("assistant")), "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + ANSWER_TIMEOUT
        while True:
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "assistant serve did not start"
            try:
                if httpx.get(f"{url}/models", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.25)
        reply = client(url).chat.completions.create(
            model="assistant", messages=[{"role": "user", "content": "How much is a day ticket?"}])
        assert "7 euros" in reply.choices[0].message.content
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    assert "Serving the API at http://127.0.0.1:" in process.stdout.read()


def test_the_serve_command_is_registered_and_loads_no_server_or_converter_until_it_runs():
    code = (
        "import sys; from assistant.cli.commands import build_parser; import assistant, assistant.ingest.corpus; "
        "args = build_parser().parse_args(['serve', '--port', '9000', '--auth', 't']); "
        "assert args.run.__name__ == 'run_serve' and args.port == 9000 and args.auth == 't'; "
        "loaded = [m for m in ('fastapi', 'uvicorn', 'trafilatura', 'docx', 'gradio') if m in sys.modules]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_the_serve_command_turns_a_bad_setting_into_a_one_line_error(monkeypatch, capsys):
    from assistant.cli.commands import main

    assert main(["serve", "--host", "0.0.0.0"]) == 2
    monkeypatch.setenv("ASSISTANT_API_PORT", "http")
    assert main(["serve"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("error: ") for line in lines)
    assert "--auth TOKEN" in lines[0] and "ASSISTANT_API_PORT" in lines[1]


def test_a_document_that_no_longer_reads_as_indexed_is_not_served_as_if_it_did(api_url, monkeypatch):
    from assistant.ingest.readers import HtmlReader

    convert = HtmlReader.convert
    monkeypatch.setattr(HtmlReader, "convert", lambda self, path: (convert(self, path)[0][1:], convert(self, path)[1]))
    response = httpx.get(f"{api_url}/documents/bridge.html", timeout=ANSWER_TIMEOUT)
    assert response.status_code == 409 and "run `assistant ingest`" in response.json()["error"]["message"]

"""Fakes for tests and demos: a scripted chat model, an OpenAI-compatible HTTP stub server, and a server that
replays a real model's recorded replies by their question."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def fake_chat_model(replies: Iterable[Any]):
    """A LangChain chat model that answers with the given replies (strings or AIMessages), in order."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    messages = [r if isinstance(r, AIMessage) else AIMessage(content=str(r)) for r in replies]
    return GenericFakeChatModel(messages=iter(messages))


class OpenAIStubServer:
    """A tiny OpenAI-compatible `/v1/chat/completions` server on 127.0.0.1, replying from a script.

    Each reply is a string (the assistant's text) or a dict: {"text": str, "delay": seconds, "status": int}.
    When the script runs out, the last reply repeats. Requests are recorded in `requests`. A request's
    `max_tokens` (or `max_completion_tokens`) is honoured as a model would: the reply is cut after that many
    words (a word standing for a token) and ends with finish_reason "length". Past `max_requests` requests,
    every request is refused with HTTP 429, so that a runaway client cannot loop on it.
    """

    def __init__(self, replies: Iterable[str | dict] = ("NOT IN DOCUMENTS",), model: str = "stub-model",
                 max_requests: int | None = None):
        self.replies: deque[dict] = deque(r if isinstance(r, dict) else {"text": r} for r in replies)
        self.model = model
        self.max_requests = max_requests
        self.requests: list[dict] = []
        self._last: dict = {"text": ""}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The URL to give an OpenAI client as base_url."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> OpenAIStubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reply_for(self, body: dict) -> dict:
        """The scripted reply to a request: the next one of the script, or the last again."""
        if self.replies:
            self._last = self.replies.popleft()
        return self._last

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                stub.requests.append(body)
                if stub.max_requests is not None and len(stub.requests) > stub.max_requests:
                    reply = {"status": 429, "error": f"more than {stub.max_requests} requests"}
                else:
                    reply = stub.reply_for(body)
                if reply.get("delay"):
                    time.sleep(float(reply["delay"]))
                if reply.get("status", 200) != 200:
                    error = {"message": reply.get("error", "stub failure"), "type": "server_error"}
                    self._send_json(reply["status"], {"error": error})
                    return
                text, finish = _capped(reply["text"], body.get("max_completion_tokens") or body.get("max_tokens"))
                if body.get("stream"):
                    self._stream(text, finish)
                else:
                    self._send_json(200, _completion(stub.model, text, finish))

            def _send_json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, text: str, finish: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = [text[i : i + 12] for i in range(0, len(text), 12)] or [""]
                for piece in pieces:
                    chunk = {"id": "stub", "object": "chat.completion.chunk", "created": 0, "model": stub.model,
                             "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                done = {"id": "stub", "object": "chat.completion.chunk", "created": 0, "model": stub.model,
                        "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}
                self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())
                self.wfile.flush()

        return Handler


class ReplayServer(OpenAIStubServer):
    """An OpenAI-compatible server on 127.0.0.1 that replays a model's recorded reply to each question.

    `replies` maps a question, as asked, to the reply text the model gave. A request is answered with the reply
    of the recorded question its prompt asks (the prompt's question line holds it, perhaps after an earlier
    question it was read with); a request that asks none of them, such as a follow-up's rewriting, gets HTTP 404,
    as a model the client cannot use, so that the assistant carries on without it. `unmatched` counts those.
    """

    def __init__(self, replies: dict[str, str], model: str = "replay", max_requests: int | None = None):
        super().__init__((), model=model, max_requests=max_requests)
        self.recorded = dict(replies)
        self.unmatched = 0
        self._keys = sorted(((_folded(q), q) for q in self.recorded), key=lambda pair: -len(pair[0]))

    def reply_for(self, body: dict) -> dict:
        """The recorded reply to the question the request asks, or a 404.

        The question is found in the prompt's question line as written, or else word for word with words added
        (the assistant spells out acronyms in the text it searches with: "IERS (International Earth ...)").
        """
        asked = _asked_question(body)
        asked_words = set(_words(asked))
        for key, question in self._keys:
            if key and key in asked:
                return {"text": self.recorded[question]}
        for key, question in self._keys:
            if asked_words and set(_words(key)) <= asked_words:
                return {"text": self.recorded[question]}
        self.unmatched += 1
        return {"status": 404, "error": "no recorded reply for this prompt"}


def load_replies(path) -> list[dict]:
    """The recorded replies of a JSON Lines file or of every `*.jsonl` file in a folder: one object per line with
    `corpus`, `question` and `reply`. Raises ValueError naming the first bad line."""
    from pathlib import Path

    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise ValueError(f"No recorded replies at {path}: give a .jsonl file or a folder of them.")
    records = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{file}:{number}: invalid JSON ({exc.msg}).") from None
            fields = ("corpus", "question", "reply")
            if not isinstance(record, dict) or not all(isinstance(record.get(k), str) for k in fields):
                raise ValueError(f"{file}:{number}: expected string fields corpus, question and reply.")
            records.append(record)
    return records


def _words(text: str) -> list[str]:
    import re

    return re.findall(r"\w+", text)


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def _asked_question(body: dict) -> str:
    """The question an answer request asks: the text after the last "Question:" of its last user message (the
    answer prompt's question line); "" for other requests."""
    messages = [m for m in body.get("messages", []) if m.get("role") == "user"]
    content = messages[-1].get("content", "") if messages else ""
    if isinstance(content, list):
        content = " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    _, marker, tail = content.rpartition("Question:")
    return _folded(tail) if marker else ""


def _capped(text: str, max_tokens: int | None) -> tuple[str, str]:
    """The reply as a model capped at `max_tokens` tokens would send it, and its finish_reason."""
    pieces = text.split(" ")
    if not max_tokens or len(pieces) <= max_tokens:
        return text, "stop"
    return " ".join(pieces[:max_tokens]), "length"


def _completion(model: str, text: str, finish: str = "stop") -> dict:
    return {
        "id": "stub", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def tool_calling_fake_chat_model(replies: Iterable[Any]):
    """A scripted chat model that accepts `bind_tools`, so tool-calling code paths run against it."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    class ToolCallingFakeChatModel(GenericFakeChatModel):
        def bind_tools(self, tools, **kwargs):  # the scripted replies already carry any tool calls
            return self

    messages = [r if isinstance(r, AIMessage) else AIMessage(content=str(r)) for r in replies]
    return ToolCallingFakeChatModel(messages=iter(messages))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

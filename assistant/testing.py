"""Fakes for tests and demos: a scripted chat model and an OpenAI-compatible HTTP stub server."""

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
    When the script runs out, the last reply repeats. Requests are recorded in `requests`.
    """

    def __init__(self, replies: Iterable[str | dict] = ("NOT IN DOCUMENTS",), model: str = "stub-model"):
        self.replies: deque[dict] = deque(r if isinstance(r, dict) else {"text": r} for r in replies)
        self.model = model
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

    def _next(self) -> dict:
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
                reply = stub._next()
                if reply.get("delay"):
                    time.sleep(float(reply["delay"]))
                if reply.get("status", 200) != 200:
                    self._send_json(reply["status"], {"error": {"message": "stub failure", "type": "server_error"}})
                    return
                if body.get("stream"):
                    self._stream(reply["text"])
                else:
                    self._send_json(200, _completion(stub.model, reply["text"]))

            def _send_json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, text: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = [text[i : i + 12] for i in range(0, len(text), 12)] or [""]
                for piece in pieces:
                    chunk = {"id": "stub", "object": "chat.completion.chunk", "created": 0, "model": stub.model,
                             "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                done = {"id": "stub", "object": "chat.completion.chunk", "created": 0, "model": stub.model,
                        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
                self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())
                self.wfile.flush()

        return Handler


def _completion(model: str, text: str) -> dict:
    return {
        "id": "stub", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
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

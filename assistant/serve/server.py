"""Serving the HTTP API alone (`assistant serve`): a FastAPI app of the API's routes, under uvicorn.

Loopback by default; any other address needs a bearer token, as the web UI needs a password there: the API answers
from the documents, and lists and shows them.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from assistant.config import LOOPBACK, bind_address

DEFAULT_HOST = LOOPBACK[0]
DEFAULT_PORT = 8765
_START_TIMEOUT = 30.0  # seconds a background server may take to bind


def serving_options(host: str | None = None, port: int | None = None, token: str | None = None) -> dict[str, Any]:
    """Host, port and token: explicit values, then ASSISTANT_API_HOST / _PORT / _TOKEN, then loopback:8765, none.

    Raises:
        ValueError: a bad port, or an address beyond loopback without a token.
    """
    host, port = bind_address(host, port, "API", DEFAULT_PORT)
    token = (token if token is not None else os.environ.get("ASSISTANT_API_TOKEN", "")).strip() or None
    require_token_beyond_loopback(host, token)
    return {"host": host, "port": port, "token": token}


def require_token_beyond_loopback(host: str, token: str | None) -> None:
    """Raises ValueError when `host` is reachable from other machines and no token guards it."""
    if host not in LOOPBACK and not token:
        raise ValueError(f"Serving the API on {host} would let anyone who reaches it read the documents: set "
                         "--auth TOKEN (or ASSISTANT_API_TOKEN), or bind 127.0.0.1.")


def create_api(assistant: Any, token: str | None = None) -> Any:
    """A FastAPI app serving the API's routes over an Assistant (`routes.py`)."""
    from fastapi import FastAPI

    from assistant.serve.routes import api_router

    app = FastAPI(title="assistant", summary="Cited answers about your documents, in the OpenAI chat format.",
                  docs_url=None, redoc_url=None)
    app.include_router(api_router(assistant, token))
    return app


class ApiServer:
    """The API under uvicorn, serving in a background thread (`start`) or in this one (`run`)."""

    def __init__(self, assistant: Any, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, token: str | None = None):
        import uvicorn

        require_token_beyond_loopback(host, token)
        config = uvicorn.Config(create_api(assistant, token), host=host, port=port, log_level="warning",
                                access_log=False, timeout_graceful_shutdown=5)
        self.host = host
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL OpenAI clients take (`.../v1`), with the port actually bound (port 0 binds a free one)."""
        port = self._server.servers[0].sockets[0].getsockname()[1] if self._server.servers else self._server.config.port
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{port}/v1"

    def run(self) -> None:
        """Serve until interrupted (Ctrl-C)."""
        self._server.run()

    def start(self) -> ApiServer:
        """Serve in a background thread; returns once the port is bound.

        Raises:
            RuntimeError: the server did not start (the port is taken, the address cannot be bound).
        """
        self._thread = threading.Thread(target=self._server.run, name="assistant-api", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"The API server did not start on {self.host}:{self._server.config.port}.")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> ApiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

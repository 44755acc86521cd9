"""The Gradio app: the page and its tabs (Chat, What if, Documents), and serving it, with the HTTP API's routes
(`assistant.serve`: the chat-completions API of `/v1`) on the same server."""

from __future__ import annotations

import os
import weakref
from typing import TYPE_CHECKING, Any

from assistant import Assistant
from assistant.config import LOOPBACK, bind_address

from ui.assistant_pool import AssistantPool
from ui.chat_tab import build_chat_tab
from ui.documents_tab import UPLOAD_TYPES, build_documents_tab
from ui.saved_chats import saved_chats_key
from ui.whatif_tab import build_whatif_tab

if TYPE_CHECKING:
    import gradio as gr

DEFAULT_HOST = LOOPBACK[0]
DEFAULT_PORT = 7860
CHAT_CONCURRENCY = 4
QUEUE_SIZE = 64
CSS = """
.footnotes { margin-top: .5em; font-size: .92em; }
.footnotes details.citation { border-left: 3px solid var(--color-accent); padding: .15em .6em; margin: .3em 0; }
.footnotes details.citation summary { cursor: pointer; }
.footnotes .passage { margin: .4em 0; padding: .4em .6em; background: var(--background-fill-secondary); border-radius: 4px; }
.footnotes mark { background: #ffe58a; color: #111; padding: 0 .1em; }
.footnotes .where, .answer-extras .notice { color: var(--body-text-color-subdued); font-size: .88em; }
.chunk-map { white-space: pre-wrap; font-family: var(--font-mono); font-size: .82em; line-height: 1.5;
             max-height: 32em; overflow-y: auto; padding: .6em; background: var(--background-fill-secondary); }
.chunk-start, .chunk-end { font-weight: bold; font-size: .8em; border-radius: 3px; padding: 0 .2em; margin: 0 .1em; }
.chunk-start { background: #cfe8ff; color: #06c; }
.chunk-end { background: #ffd9cf; color: #b30; }
table.chunks { font-size: .85em; margin: .5em 0; }
"""
_POOLS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # app -> the AssistantPool it answers from


def create_app(assistant: Assistant | None = None, *, concurrency_limit: int = CHAT_CONCURRENCY) -> gr.Blocks:
    """Build the app around an Assistant (a default one when None) without launching it. The key of the browser's
    saved conversations is read from the store folder (made there on the first run), so they outlive a restart.

    Args:
        concurrency_limit: how many chat answers run at once; further questions wait in the queue.

    Raises:
        AssistantRuntimeError: that key can be neither read nor written.
    """
    import gradio as gr

    pool = AssistantPool(assistant or Assistant())
    with gr.Blocks(title="Ask the documents", analytics_enabled=False, fill_width=False) as demo:
        gr.Markdown("## Ask the documents\nCited answers about the documents in the corpus; add your own under *Documents*.")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                build_chat_tab(pool, concurrency_limit, saved_chats_key(pool.settings.store_dir))
            with gr.Tab("What if", id="whatif"):
                whatif_forms = build_whatif_tab(pool.settings.corpus_dir)
            with gr.Tab("Documents", id="documents"):
                documents_refresh, documents_outputs = build_documents_tab(pool)
        # Filled when a page opens, not when the app is built: building must stay cheap.
        for whatif_update, whatif_inputs, whatif_outputs in whatif_forms:
            demo.load(whatif_update, whatif_inputs, whatif_outputs, api_visibility="undocumented")
        demo.load(documents_refresh, None, documents_outputs, api_visibility="undocumented")
    demo.queue(default_concurrency_limit=concurrency_limit, max_size=QUEUE_SIZE)
    _POOLS[demo] = pool
    return demo


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """The (user, password) pair of ASSISTANT_UI_AUTH=user:password, None when unset.

    Raises:
        ValueError: the value is set but not user:password.
    """
    if value is None or not value.strip():
        return None
    user, sep, password = value.strip().partition(":")
    if not sep or not user or not password:
        raise ValueError("--auth (or ASSISTANT_UI_AUTH) must be user:password, both non-empty.")
    return user, password


def serving_options(host: str | None = None, port: int | None = None, auth: str | None = None) -> dict[str, Any]:
    """Host, port and auth for launching: explicit values, then ASSISTANT_UI_* variables, then loopback:7860."""
    host, port = bind_address(host, port, "UI", DEFAULT_PORT)
    credentials = parse_auth(auth or os.environ.get("ASSISTANT_UI_AUTH"))
    _require_auth_beyond_loopback(host, credentials)
    return {"host": host, "port": port, "auth": credentials}


def _require_auth_beyond_loopback(host: str, auth: tuple[str, str] | None) -> None:
    if host not in LOOPBACK and auth is None:
        raise ValueError(f"Serving on {host} would let anyone who reaches it read and change the documents: "
                         "set --auth user:password (or ASSISTANT_UI_AUTH), or bind 127.0.0.1.")


def api_token(auth: tuple[str, str] | None) -> str | None:
    """The bearer token the API's routes on the UI's server need: ASSISTANT_API_TOKEN, else the UI's password
    when it has one, else none (loopback without a password)."""
    token = os.environ.get("ASSISTANT_API_TOKEN", "").strip()
    return token or (auth[1] if auth else None)


def launch_app(demo: gr.Blocks, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
               auth: tuple[str, str] | None = None, block: bool = True, max_upload_mb: float = 20.0) -> str:
    """Serve the app on host:port (never through a public share link), with the HTTP API's `/v1/...` routes over
    the same assistant; return its local URL.

    Args:
        block: wait until the server stops (the CLI); False returns at once with the server running (tests).
        max_upload_mb: the largest file the upload endpoint accepts; files of other kinds than the corpus
            reads are refused there too.

    Raises:
        ValueError: a host other than loopback without `auth`.
    """
    from starlette.middleware import Middleware

    from assistant.serve.routes import api_router

    from ui.uploads import UploadGuard

    _require_auth_beyond_loopback(host, auth)
    max_bytes = int(max_upload_mb * 1024 * 1024)
    pool = _POOLS.get(demo)
    routes = api_router(pool.base, api_token(auth)).routes if pool is not None else []
    _, url, _ = demo.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        share=False,
        show_error=False,
        inbrowser=False,
        quiet=True,  # the caller prints the URL; gradio would also suggest share=True, which this app never uses
        prevent_thread_lock=not block,
        footer_links=["api", "settings"],
        css=CSS,
        max_file_size=max_bytes,
        app_kwargs={"middleware": [Middleware(UploadGuard, allowed=UPLOAD_TYPES, max_bytes=max_bytes)],
                    "routes": routes},
    )
    return url

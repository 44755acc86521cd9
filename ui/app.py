"""The Gradio app: chat with cited answers, a what-if explorer, and the sources with their chunks."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant import Assistant
from assistant.ingest.corpus import SUPPORTED_SUFFIXES

from ui.chat import AssistantPool, record_like, respond
from ui.documents import add_documents, document_rows, index_status, reingest, remove
from ui.sources import documents_html
from ui.whatif import build_whatif_tab

if TYPE_CHECKING:
    import gradio as gr

DEFAULT_HOST = "127.0.0.1"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEFAULT_PORT = 7860
CHAT_CONCURRENCY = 4
UPLOAD_TYPES = SUPPORTED_SUFFIXES
QUEUE_SIZE = 64
EXAMPLES = [
    "Until when does the partnership last?",
    "What if Microsoft can't meet OpenAI's computing needs and OpenAI turns to AWS?",
    "How much revenue did OpenAI book in 2024?",
]
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


def create_app(assistant: Assistant | None = None, *, concurrency_limit: int = CHAT_CONCURRENCY) -> gr.Blocks:
    """Build the app around an Assistant (a default one when None) without launching it.

    Args:
        concurrency_limit: how many chat answers run at once; further questions wait in the queue.
    """
    import gradio as gr

    pool = AssistantPool(assistant or Assistant())
    settings = pool.settings

    def chat(message: str, history: list[dict[str, Any]], backend: str, k: int):
        yield from respond(pool, message, history, backend, k)

    with gr.Blocks(title="Ask the documents", analytics_enabled=False, fill_width=False) as demo:
        gr.Markdown("## Ask the documents\nCited answers about the documents in the corpus; add your own under *Documents*.")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                backend = gr.Dropdown(pool.backends(), value=settings.backend, label="Backend", render=False,
                                      info="extractive quotes the documents; llm writes with a language model")
                k = gr.Slider(1, max(20, settings.k), value=settings.k, step=1, label="Passages to retrieve (k)", render=False)
                chatbot = gr.Chatbot(
                    height=520, buttons=["copy", "copy_all"], feedback_options=("Like", "Dislike"), elem_id="chatbot",
                    placeholder="Ask about the documents. Citations open to their source passage.",
                )
                gr.ChatInterface(
                    chat,
                    chatbot=chatbot,
                    textbox=gr.Textbox(placeholder="Type a question…", elem_id="question", submit_btn=True, stop_btn=True),
                    additional_inputs=[backend, k],
                    additional_inputs_accordion="Settings",
                    examples=[[question] for question in EXAMPLES],
                    concurrency_limit=concurrency_limit,
                    api_name="chat",
                    fill_height=False,
                    save_history=True,  # kept in the browser: a reload or a server restart keeps the conversations
                )
                feedback = gr.Markdown(elem_id="feedback-note")
            with gr.Tab("What if", id="whatif"):
                whatif_update, whatif_inputs, whatif_outputs = build_whatif_tab(settings.corpus_dir)
            with gr.Tab("Documents", id="documents"):
                status = gr.Markdown(elem_id="index-status")
                with gr.Row():
                    uploads = gr.File(label="Add documents (.md, .txt, .rst, .pdf)", file_count="multiple",
                                      file_types=list(UPLOAD_TYPES), elem_id="upload")
                    with gr.Column():
                        replace = gr.Checkbox(label="Replace a document of the same name", value=False, elem_id="replace")
                        add = gr.Button("Add to the corpus", variant="primary", elem_id="add-documents")
                        gr.Markdown(f"Up to {settings.upload_max_mb:g} MB a file.")
                report = gr.Markdown(elem_id="ingest-report")
                table = gr.Dataframe(headers=["document", "chunks"], interactive=False, elem_id="document-table")
                with gr.Row():
                    choice = gr.Dropdown(label="Remove a document", choices=[], elem_id="remove-choice")
                    remove_button = gr.Button("Remove", variant="stop", scale=0, elem_id="remove-document")
                    reingest_button = gr.Button("Re-ingest", variant="secondary", scale=0, elem_id="reingest")
                with gr.Accordion("How each document is chunked", open=False):
                    documents = gr.HTML(elem_id="documents")

        def refresh():
            rows = document_rows(pool)
            return (index_status(pool), rows, gr.update(choices=[r[0] for r in rows], value=None),
                    documents_html(settings))

        def on_add(files, replace_existing, progress=gr.Progress()):
            names = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in files or []]
            return (add_documents(pool, names, replace_existing, _progress(progress)), *refresh())

        def on_remove(source, progress=gr.Progress()):
            return (remove(pool, source, _progress(progress)), *refresh())

        def on_reingest(progress=gr.Progress()):
            return (reingest(pool, _progress(progress)), *refresh())

        def on_like(data: gr.LikeData):
            return record_like(pool, data.value, data.liked)

        # Gradio finds the event-data argument by its annotation, which `from __future__ import annotations`
        # leaves as a string: give it the class.
        on_like.__annotations__["data"] = gr.LikeData

        panel = [report, status, table, choice, documents]
        add.click(on_add, [uploads, replace], panel, api_name="add_documents", concurrency_limit=1)
        remove_button.click(on_remove, [choice], panel, api_name="remove_document", concurrency_limit=1)
        reingest_button.click(on_reingest, None, panel, api_name="reingest", concurrency_limit=1)
        chatbot.like(on_like, None, feedback, api_visibility="undocumented")
        # Filled when a page opens, not when the app is built: building must stay cheap.
        demo.load(whatif_update, whatif_inputs, whatif_outputs, api_visibility="undocumented")
        demo.load(refresh, None, [status, table, choice, documents], api_visibility="undocumented")
    demo.queue(default_concurrency_limit=concurrency_limit, max_size=QUEUE_SIZE)
    return demo


def _progress(progress) -> Callable[[int, int], None]:
    """gr.Progress as the (done, total) callback ingest reports to."""
    return lambda done, total: progress((done, total), desc="Reading the documents", unit="steps")


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
    host = host or os.environ.get("ASSISTANT_UI_HOST", "").strip() or DEFAULT_HOST
    raw_port = port if port is not None else os.environ.get("ASSISTANT_UI_PORT", "").strip() or DEFAULT_PORT
    try:
        port = int(raw_port)
    except ValueError:
        raise ValueError(f"ASSISTANT_UI_PORT must be a port number, not {raw_port!r}.") from None
    if not 0 < port < 65536:
        raise ValueError(f"The port must be between 1 and 65535, not {port}.")
    credentials = parse_auth(auth or os.environ.get("ASSISTANT_UI_AUTH"))
    _require_auth_beyond_loopback(host, credentials)
    return {"host": host, "port": port, "auth": credentials}


def _require_auth_beyond_loopback(host: str, auth: tuple[str, str] | None) -> None:
    if host not in LOOPBACK and auth is None:
        raise ValueError(f"Serving on {host} would let anyone who reaches it read and change the documents: "
                         "set --auth user:password (or ASSISTANT_UI_AUTH), or bind 127.0.0.1.")


def launch_app(demo: gr.Blocks, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
               auth: tuple[str, str] | None = None, block: bool = True, max_upload_mb: float = 20.0) -> str:
    """Serve the app on host:port (never through a public share link); return its local URL.

    Args:
        block: wait until the server stops (the CLI); False returns at once with the server running (tests).
        max_upload_mb: the largest file the upload endpoint accepts; files of other kinds than the corpus
            reads are refused there too.

    Raises:
        ValueError: a host other than loopback without `auth`.
    """
    from starlette.middleware import Middleware

    from ui.uploads import UploadGuard

    _require_auth_beyond_loopback(host, auth)
    max_bytes = int(max_upload_mb * 1024 * 1024)
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
        app_kwargs={"middleware": [Middleware(UploadGuard, allowed=UPLOAD_TYPES, max_bytes=max_bytes)]},
    )
    return url

"""The Chat tab: answers streamed from the Assistant as chat messages, each with its sources panel; how the clause
engine decided as a collapsed message first when it answered; errors as messages too. And the chat read back as
the conversation history the assistant is given."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from assistant import Answer, Assistant, AssistantError, Citation, UserInputError

from ui.assistant_pool import AssistantPool
from ui.formatting import ERROR_PREFIX, error_message, escape
from ui.passage_text import unmarked
from ui.sources_panel import Excerpt, cited_excerpts, footnotes_html

log = logging.getLogger(__name__)

EXAMPLES = [
    "Until when does the partnership last?",
    "What if the system's profit reaches $150 billion?",
    "How much revenue was booked in 2024?",
]
EMPTY_MESSAGE = "Please type a question about the documents, for example: Until when does the partnership last?"
TRACE_TITLE = "How the clause engine decided"
# Everything an assistant message shows after the answer's own text starts with this marker,
# so the conversation history sent back to the assistant carries the answer text only.
EXTRAS_MARKER = '<div class="answer-extras">'
# The name the browser keeps saved conversations under: not the component's id, which gradio numbers by the layout.
SAVED_CHATS_STORAGE = "assistant-saved-chats"


def build_chat_tab(pool: AssistantPool, concurrency_limit: int, saved_chats_key: str | None = None) -> None:
    """Render the chat, its settings and the feedback line in the current gradio context, and wire them.

    Args:
        saved_chats_key: the key the browser's saved conversations are encrypted with (`saved_chats.py`); gradio
            makes one per launch when None, and a restart then loses them.
    """
    import gradio as gr

    settings = pool.settings

    def chat(message: str, history: list[dict[str, Any]], backend: str, k: int):
        yield from respond(pool, message, history, backend, k)

    backend = gr.Dropdown(pool.backends(), value=settings.backend, label="Backend", render=False,
                          info="extractive quotes the documents; llm writes with a language model")
    k = gr.Slider(1, max(20, settings.k), value=settings.k, step=1, label="Passages to retrieve (k)", render=False)
    chatbot = gr.Chatbot(
        height=520, buttons=["copy", "copy_all"], feedback_options=("Like", "Dislike"), elem_id="chatbot",
        placeholder="Ask about the documents. Citations open to their source passage.",
    )
    feedback = gr.Markdown(elem_id="feedback-note", render=False)
    interface = _chat_interface_with_note()(
        chat,
        note=feedback,
        chatbot=chatbot,
        textbox=gr.Textbox(placeholder="Type a question…", elem_id="question", submit_btn=True, stop_btn=True),
        additional_inputs=[backend, k],
        additional_inputs_accordion=gr.Accordion("Settings", open=False, elem_id="chat-settings", render=False),
        examples=[[question] for question in EXAMPLES],
        concurrency_limit=concurrency_limit,
        api_name="chat",
        fill_height=False,
        save_history=True,  # kept in the browser: a reload or a server restart keeps the conversations
    )
    if saved_chats_key:
        interface.saved_conversations.secret = saved_chats_key
        interface.saved_conversations.storage_key = SAVED_CHATS_STORAGE

    def on_like(data: gr.LikeData):
        return record_like(pool, data.value, data.liked)

    # Gradio finds the event-data argument by its annotation, which `from __future__ import annotations`
    # leaves as a string: give it the class.
    on_like.__annotations__["data"] = gr.LikeData
    chatbot.like(on_like, None, feedback, api_visibility="undocumented")


def _chat_interface_with_note():
    """gradio's ChatInterface, with a note rendered in the chat's own column under the message box: a confirmation
    of 👍/👎 shows beside the chat whose buttons were pressed, not under the settings at the foot of the page."""
    import gradio as gr

    class ChatInterfaceWithNote(gr.ChatInterface):
        def __init__(self, *args, note: gr.Markdown, **kwargs):
            self._note = note
            super().__init__(*args, **kwargs)

        def _render_footer(self):  # the chat column's last part (examples, settings): the note goes first
            self._note.render()
            super()._render_footer()

    return ChatInterfaceWithNote


def respond(pool: AssistantPool, message: str, history: list[dict[str, Any]], backend: str, k: int) -> Iterator[list[dict]]:
    """Yield the reply so far as a list of chat messages: the text while it streams, then the cited answer.

    When the clause tool answered, a collapsed trace message comes first. Errors become one message.
    """
    if not isinstance(message, str) or not message.strip():
        yield [_message(error_message(EMPTY_MESSAGE))]
        return
    try:
        bot = pool.get(backend, k)
        if bot.needs_ingest():  # the documents changed since the index was built: say so while reading them
            yield [_message("⏳ The documents changed: reading them again before answering…")]
            for done, total in _ingesting(bot):
                yield [_message(f"⏳ The documents changed: reading them again before answering… {done}/{total}")]
        text = ""
        turns = history_turns(history)
        for event in bot.stream(message, history=turns):
            if event.type == "text":
                text += event.text
                yield [_message(unmarked(text))]
            elif event.type == "answer" and event.answer is not None:
                messages = _final_messages(bot, event.answer)
                pool.remember(messages[-1]["content"], event.answer, turns)
                yield messages
    except UserInputError as exc:
        yield [_message(error_message(str(exc)))]
    except AssistantError as exc:
        yield [_message(error_message(f"The assistant could not answer: {exc}"))]
    except Exception as exc:  # a user never sees a stack trace; the log keeps it
        log.exception("chat handler failed")
        yield [_message(error_message(f"Something went wrong ({type(exc).__name__}). The details are in the server log."))]


def record_like(pool: AssistantPool, shown: Any, liked: bool | str) -> str:
    """Record a thumbs up or down on an answer shown in the chat; returns a line for the page."""
    from assistant.feedback import record_feedback

    content = shown[0] if isinstance(shown, list) and shown else shown
    remembered = pool.recall(content if isinstance(content, str) else str(content))
    if remembered is None:
        return "That answer is no longer in memory: ask again to give feedback on it."
    answer, history = remembered
    record_feedback(pool.settings.store_dir, answer, liked is True or liked == "Like", history)
    return "Thanks: your feedback is saved."


def answer_markdown(answer: Answer, excerpts: Mapping[int, Excerpt]) -> str:
    """Return an answer as a chat message: its text, then a notice and its sources panel after the extras marker.

    Args:
        excerpts: the text around each citation's quote, by citation number (`sources_panel.cited_excerpts`).
    """
    extras = ""
    if answer.notice:
        extras += f'<div class="notice">Note: {escape(answer.notice)}</div>'
    extras += footnotes_html(answer.citations, excerpts)
    text = unmarked(answer.text)  # an answer opening on a quoted heading is not drawn as one
    if not extras:
        return text
    # A blank line ends the markdown paragraph, so the HTML block below it is rendered as HTML.
    return f"{text}\n\n{EXTRAS_MARKER}{extras}</div>"


def message_text(content: Any) -> str:
    """Return the text of a chat message's content: a string, or gradio's list of typed parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "")
    if isinstance(content, Iterable):
        return "\n".join(message_text(part) for part in content if isinstance(part, (str, dict)))
    return ""


def history_turns(messages: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Return the earlier user and assistant turns of a chat, as the assistant's history wants them.

    Tool traces, footnotes and error replies are left out, and so is the question an error replied to.
    """
    turns: list[dict[str, str]] = []
    for message in messages:
        role = message.get("role")
        metadata = message.get("metadata") or {}
        if role not in ("user", "assistant") or metadata.get("title"):
            continue
        text = message_text(message.get("content"))
        if role == "assistant":
            if text.startswith(ERROR_PREFIX):
                if turns and turns[-1]["role"] == "user":
                    turns.pop()
                continue
            text = text.split(EXTRAS_MARKER, 1)[0].rstrip()
        if text.strip():
            turns.append({"role": role, "content": text})
    return turns


def _ingesting(bot: Assistant) -> Iterator[tuple[int, int]]:
    """Ingest in a thread, yielding its progress (steps done, steps in all) as it goes."""
    import queue

    steps: queue.Queue = queue.Queue()
    failure: list[BaseException] = []

    def run():
        try:
            bot.ingest(progress=lambda done, total: steps.put((done, total)))
        except BaseException as exc:  # re-raised in the request's thread
            failure.append(exc)
        finally:
            steps.put(None)

    threading.Thread(target=run, daemon=True).start()
    while (step := steps.get()) is not None:
        yield step
    if failure:
        raise failure[0]


def _final_messages(bot: Assistant, answer: Answer) -> list[dict]:
    messages = []
    if answer.trace:
        messages.append(_message(answer.trace, {"title": f"{TRACE_TITLE} ({answer.tool})", "status": "done"}))
    messages.append(_message(answer_markdown(answer, _excerpts(bot, answer.citations))))
    return messages


def _excerpts(bot: Assistant, citations: Sequence[Citation]) -> dict[int, Excerpt]:
    """The text the index holds around each quote; none when the index cannot be read (the footnotes then show the
    quotes alone: the answer still stands)."""
    if not citations:
        return {}
    try:
        return cited_excerpts(bot.index(), citations)
    except Exception as exc:
        log.warning("Cannot read the cited passages from the index: %s", exc)
        return {}


def _message(content: str, metadata: dict | None = None) -> dict:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if metadata:
        message["metadata"] = metadata
    return message

"""The OpenAI chat format, both ways: a `/v1/chat/completions` body read into a question and its conversation, and
an `Answer` written as a chat completion (or its stream chunks) whose extension fields carry what the text alone
does not: each citation as data, whether the assistant abstained, its notice, and a what-if's trace.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.answer.validation import validate_history, validate_question
from assistant.errors import UserInputError
from assistant.models import Answer, Turn

MODEL_ID = "assistant"
MAX_BODY_BYTES = 1_000_000  # a conversation of a few hundred turns; a larger body is refused before it is read


class RequestError(Exception):
    """A request the API refuses: its HTTP status and one line saying what is wrong and what to do."""

    def __init__(self, status: int, message: str, *, kind: str = "invalid_request_error", param: str | None = None,
                 code: str | None = None):
        super().__init__(message)
        self.status, self.message, self.kind, self.param, self.code = status, message, kind, param, code

    def body(self) -> dict[str, Any]:
        """The error as the OpenAI API writes one."""
        return error_body(self.message, self.kind, self.param, self.code)


class ChatMessage(BaseModel):
    """One message of the conversation; fields other clients send (name, tool_calls, ...) are accepted."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    """A chat completion request. Sampling fields (temperature, max_tokens, ...) are accepted and have no effect: the
    assistant's answer does not depend on them."""

    model_config = ConfigDict(extra="allow")

    model: str
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False


def parse_request(body: bytes) -> ChatRequest:
    """The request a body holds.

    Raises:
        RequestError: the body is not JSON, or not a chat completion request (the first thing wrong is named).
    """
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RequestError(400, f"The body is not valid JSON ({exc}). Send a JSON object with `model` and "
                                "`messages`.") from None
    if not isinstance(data, dict):
        raise RequestError(400, "The body must be a JSON object with `model` and `messages`.")
    try:
        return ChatRequest.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part) for part in error["loc"]) or "body"
        raise RequestError(400, f"{where}: {error['msg']}.", param=where) from None


def conversation(request: ChatRequest) -> tuple[str, list[Turn]]:
    """The question (the last message, the user's) and the earlier user and assistant turns before it; system and
    tool messages are left out: the assistant answers from the documents, not from instructions.

    Raises:
        RequestError: the last message is not the user's, a message holds something other than text, or the
            question cannot be asked (empty, too long).
    """
    last = request.messages[-1]
    if last.role != "user":
        raise RequestError(400, f"The last message must be the user's question, not a {last.role!r} message.",
                           param="messages")
    turns = [{"role": m.role, "content": message_text(m, i)} for i, m in enumerate(request.messages[:-1])
             if m.role in ("user", "assistant")]
    try:
        question = validate_question(message_text(last, len(request.messages) - 1))
        history = validate_history(turns)
    except UserInputError as exc:
        raise RequestError(400, str(exc), param="messages") from None
    return question, history


def message_text(message: ChatMessage, index: int) -> str:
    """A message's text: its content, or its text parts joined.

    Raises:
        RequestError: a part is not text (an image, audio).
    """
    if message.content is None:
        return ""
    if isinstance(message.content, str):
        return message.content
    texts = []
    for part in message.content:
        if part.get("type") != "text" or not isinstance(part.get("text"), str):
            raise RequestError(400, f"messages.{index}.content: only text parts are read, not {part.get('type')!r}.",
                               param=f"messages.{index}.content")
        texts.append(part["text"])
    return "\n".join(texts)


def check_model(model: str) -> None:
    """Raises RequestError (404) for a model name the API does not serve."""
    if model != MODEL_ID:
        raise RequestError(404, f"The model {model!r} does not exist: this server answers as {MODEL_ID!r} "
                                "(GET /v1/models).", param="model", code="model_not_found")


def model_card() -> dict[str, Any]:
    """The one model `GET /v1/models` lists."""
    return {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "assistant"}


def extension(answer: Answer) -> dict[str, Any]:
    """What a completion carries besides its text: the citations as data, the abstention, the notice, the trace."""
    return {
        "citations": [{"n": c.n, "source": c.source, "title": c.title, "start": c.start, "end": c.end,
                       "quote": c.quote} for c in answer.citations],
        "abstained": answer.abstained,
        "notice": answer.notice,
        "tool": answer.tool,
        "trace": answer.trace,
    }


def new_id() -> str:
    """A completion id, as OpenAI's look."""
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def completion(answer: Answer, completion_id: str | None = None) -> dict[str, Any]:
    """An answer as a whole chat completion: its text with the `[n]` markers, then the extension fields."""
    return {
        "id": completion_id or new_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.text}, "finish_reason": "stop",
                     "logprobs": None}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},  # no tokens are counted
        **extension(answer),
    }


def chunk(completion_id: str, delta: dict[str, Any], finish: str | None = None,
          answer: Answer | None = None) -> dict[str, Any]:
    """One chunk of a streamed completion; the last (`finish` set) carries the answer's extension fields."""
    data = {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": MODEL_ID,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
    }
    return {**data, **extension(answer)} if answer is not None else data


def sse(data: dict[str, Any] | str) -> bytes:
    """One server-sent event."""
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return f"data: {payload}\n\n".encode("utf-8")


def error_body(message: str, kind: str = "invalid_request_error", param: str | None = None,
               code: str | None = None) -> dict[str, Any]:
    """An error as the OpenAI API writes one."""
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}

"""The HTTP API's routes, one FastAPI router: served alone by `assistant serve` and beside the web UI by
`assistant ui`.

    GET  /v1/models                  the assistant, as the one model
    POST /v1/chat/completions        an answer in the OpenAI chat format, streamed as server-sent events on request
    GET  /v1/documents               the indexed documents
    GET  /v1/documents/{source}      a document's text, as citations index into it (a Word file's or web page's
                                     text as converted)

Answers run in worker threads, at most `concurrency` at once; further requests wait. With a token, every route
needs `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from assistant.errors import AssistantError, AssistantRuntimeError, UserInputError
from assistant.serve.chat_format import (MAX_BODY_BYTES, RequestError, check_model, chunk, completion, conversation,
                                         error_body, model_card, new_id, parse_request, sse)

log = logging.getLogger(__name__)
DEFAULT_CONCURRENCY = 4


def api_router(assistant: Any, token: str | None = None, concurrency: int = DEFAULT_CONCURRENCY) -> APIRouter:
    """The API's routes over an Assistant (its index opened on the first question if not before).

    Args:
        token: when set, the bearer token every request must carry.
        concurrency: answers computed at once.
    """
    router = APIRouter()
    limiter = anyio.CapacityLimiter(concurrency)

    @router.get("/v1/models")
    async def list_models(request: Request):
        return _denied(request, token) or JSONResponse({"object": "list", "data": [model_card()]})

    @router.get("/v1/models/{model}")
    async def get_model(request: Request, model: str):
        denied = _denied(request, token)
        if denied:
            return denied
        try:
            check_model(model)
        except RequestError as exc:
            return JSONResponse(exc.body(), status_code=exc.status)
        return JSONResponse(model_card())

    @router.post("/v1/chat/completions")
    async def chat_completions(request: Request):
        denied = _denied(request, token)
        if denied:
            return denied
        try:
            chat = parse_request(await _body(request))
            check_model(chat.model)
            question, history = conversation(chat)
        except RequestError as exc:
            return JSONResponse(exc.body(), status_code=exc.status)
        if chat.stream:
            events = assistant.stream(question, history)
            return StreamingResponse(_stream(events, limiter), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        try:
            answer = await anyio.to_thread.run_sync(lambda: assistant.ask(question, history), limiter=limiter)
        except Exception as exc:
            return _failure(exc)
        return JSONResponse(completion(answer))

    @router.get("/v1/documents")
    async def list_documents(request: Request):
        denied = _denied(request, token)
        if denied:
            return denied
        try:
            index = await anyio.to_thread.run_sync(assistant.index, limiter=limiter)
        except Exception as exc:
            return _failure(exc)
        return JSONResponse({"object": "list", "data": [{"source": s, "object": "document"}
                                                        for s in sorted(index.info.files)]})

    @router.get("/v1/documents/{source:path}")
    async def get_document(request: Request, source: str):
        denied = _denied(request, token)
        if denied:
            return denied
        try:
            text = await anyio.to_thread.run_sync(lambda: _document_text(assistant, source), limiter=limiter)
        except RequestError as exc:
            return JSONResponse(exc.body(), status_code=exc.status)
        except Exception as exc:
            return _failure(exc)
        return JSONResponse({"source": source, "object": "document", "text": text})

    return router


def _document_text(assistant: Any, source: str) -> str:
    """The text of an indexed document, as its citations' spans index into it.

    Raises:
        RequestError: the index holds no such document (404), or the file no longer reads as the text the index
            was built from (409: a converter's version moved, or the file changed since the last look).
    """
    from assistant.ingest.corpus import read_text, text_sha256

    known = assistant.index().info.files  # only what the index holds: no other path is ever read
    if source not in known:
        raise RequestError(404, f"No document {source!r} in the index (GET /v1/documents lists them).",
                           param="source", code="document_not_found")
    text = read_text(assistant.settings.corpus_dir / source)
    if text_sha256(text) != known[source]:
        raise RequestError(409, f"{source} no longer reads as the text the index was built from: run "
                                "`assistant ingest`.", param="source", code="document_changed")
    return text


async def _stream(events: Iterator[Any], limiter: anyio.CapacityLimiter) -> AsyncIterator[bytes]:
    """The answer's events as chat completion chunks: the role, the text deltas, then a last chunk with the
    citations; `data: [DONE]` ends it. A failure while answering is one error event."""
    completion_id = new_id()
    yield sse(chunk(completion_id, {"role": "assistant", "content": ""}))
    try:
        while True:
            event = await anyio.to_thread.run_sync(_next, events, limiter=limiter)
            if event is None:
                break
            if event.type == "text" and event.text:
                yield sse(chunk(completion_id, {"content": event.text}))
            elif event.type == "answer" and event.answer is not None:
                yield sse(chunk(completion_id, {}, finish="stop", answer=event.answer))
    except Exception as exc:
        message, kind = _describe(exc)
        yield sse(error_body(message, kind))
    yield sse("[DONE]")


def _next(events: Iterator[Any]) -> Any:
    return next(events, None)


async def _body(request: Request) -> bytes:
    """The request's body, refused (413) past MAX_BODY_BYTES before more is read."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > MAX_BODY_BYTES:
            raise _too_large()
    return bytes(body)


def _too_large() -> RequestError:
    return RequestError(413, f"The body is larger than {MAX_BODY_BYTES // 1000} kB: send a shorter conversation.")


def _denied(request: Request, token: str | None) -> JSONResponse | None:
    """A 401 response unless the request carries the bearer token (None when no token is set)."""
    if token is None:
        return None
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and secrets.compare_digest(given.strip().encode(), token.encode()):
        return None
    return JSONResponse(error_body("This server needs `Authorization: Bearer <token>`, the token it was started "
                                   "with (--auth or ASSISTANT_API_TOKEN).", "authentication_error",
                                   code="invalid_api_key"), status_code=401,
                        headers={"WWW-Authenticate": "Bearer"})


def _failure(exc: Exception) -> JSONResponse:
    """An error while answering as one JSON error: the caller's mistake 400, the assistant's failure 503 or 500."""
    message, kind = _describe(exc)
    status = 400 if isinstance(exc, UserInputError) else 503 if isinstance(exc, AssistantRuntimeError) else 500
    return JSONResponse(error_body(message, kind), status_code=status)


def _describe(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, UserInputError):
        return str(exc), "invalid_request_error"
    if isinstance(exc, AssistantError):
        return str(exc), "server_error"
    log.error("answering failed", exc_info=exc)
    return f"The assistant failed ({type(exc).__name__}); the details are in the server log.", "server_error"

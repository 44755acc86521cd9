"""A guard in front of Gradio's upload endpoint: it refuses files of kinds the assistant does not read, and
bodies over the size limit, before Gradio stores anything (Gradio itself checks only the size)."""

from __future__ import annotations

import re

_FILENAME = re.compile(rb'filename="([^"\r\n]*)"')


class UploadGuard:
    """ASGI middleware: POSTs to `.../upload` pass only with files whose suffix is allowed and within the size."""

    def __init__(self, app, allowed: tuple[str, ...], max_bytes: int):
        self.app = app
        self.allowed = tuple(s.lower() for s in allowed)
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or not scope["path"].rstrip("/").endswith("/upload"):
            await self.app(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes + 64 * 1024:  # the multipart framing aside
                await _refuse(send, 413, f"The upload is larger than the limit of {self.max_bytes / 1024 / 1024:g} MB.")
                return
        refused = [name for name in _FILENAME.findall(bytes(body))
                   if not name.decode("utf-8", "replace").lower().endswith(self.allowed)]
        if refused:
            names = ", ".join(n.decode("utf-8", "replace") for n in refused)
            await _refuse(send, 415, f"Refused {names}: only {', '.join(self.allowed)} files are accepted.")
            return
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)


async def _refuse(send, status: int, text: str) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
    await send({"type": "http.response.body", "body": text.encode("utf-8")})

"""What the commands that serve (`ui`, `serve`) share: their address flags, and an assistant ready before the first
request."""

from __future__ import annotations

import argparse


def add_address_arguments(parser: argparse.ArgumentParser, env: str, port: int, auth: str, auth_help: str) -> None:
    """--host, --port and --auth, each defaulting to its ASSISTANT_<env>_* variable."""
    parser.add_argument("--host", help=f"address to bind (default: $ASSISTANT_{env}_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help=f"port to listen on (default: $ASSISTANT_{env}_PORT or {port})")
    parser.add_argument("--auth", metavar=auth, help=f"{auth_help}; required to bind anything but 127.0.0.1")


def ready_assistant():
    """An assistant whose index is open (ingesting first when the corpus changed), so that the first questions do
    not wait for it."""
    from assistant import Assistant

    bot = Assistant()
    if bot.needs_ingest():
        print("Reading the documents first (assistant ingest) ...", flush=True)
    bot.index()
    return bot

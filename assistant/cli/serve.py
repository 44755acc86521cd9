"""The `serve` subcommand: the HTTP API in the OpenAI chat format, without the web UI. FastAPI and uvicorn load
only when the command runs."""

from __future__ import annotations

import argparse

from assistant.cli.serving import add_address_arguments, ready_assistant
from assistant.errors import ConfigError


def add_serve_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `assistant serve [--host --port --auth]`; return its parser."""
    parser = subparsers.add_parser(
        "serve",
        help="serve the HTTP API in the OpenAI chat format (for Open WebUI, LibreChat, the openai client)",
        description="Serve GET /v1/models and POST /v1/chat/completions (OpenAI chat format, streaming too) on "
        "127.0.0.1:8765 unless --host/--port or ASSISTANT_API_HOST/ASSISTANT_API_PORT say otherwise. Any other "
        "address than loopback needs a token (--auth or ASSISTANT_API_TOKEN), sent as `Authorization: Bearer`.",
    )
    add_address_arguments(parser, "API", 8765, "TOKEN",
                          "bearer token every request must carry (default: $ASSISTANT_API_TOKEN)")
    parser.set_defaults(run=run_serve)
    return parser


def run_serve(args: argparse.Namespace) -> int:
    """Open the index, then serve the API until interrupted; returns the exit code."""
    from assistant.serve import ApiServer, serving_options

    try:
        options = serving_options(args.host, args.port, args.auth)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    bot = ready_assistant()
    server = ApiServer(bot, options["host"], options["port"], options["token"])
    host = f"[{options['host']}]" if ":" in options["host"] else options["host"]
    print(f"Serving the API at http://{host}:{options['port']}/v1 (model 'assistant'; Ctrl-C stops it)", flush=True)
    server.run()
    return 0

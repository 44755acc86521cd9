"""The `ui` subcommand: serve the Gradio web UI. Gradio loads only when the command runs."""

from __future__ import annotations

import argparse

from assistant.cli.serving import add_address_arguments, ready_assistant
from assistant.errors import ConfigError


def add_ui_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `assistant ui [--host --port]`; return its parser."""
    parser = subparsers.add_parser(
        "ui",
        help="serve the web UI (chat, what-if explorer, sources)",
        description="Serve the web UI. Binds to 127.0.0.1:7860 unless --host/--port or ASSISTANT_UI_HOST/"
        "ASSISTANT_UI_PORT say otherwise; ASSISTANT_UI_AUTH=user:password turns on basic auth.",
    )
    add_address_arguments(parser, "UI", 7860, "USER:PASSWORD", "basic auth (default: $ASSISTANT_UI_AUTH)")
    parser.set_defaults(run=run_ui)
    return parser


def run_ui(args: argparse.Namespace) -> int:
    """Build the app and serve it until interrupted; returns the exit code."""
    try:
        import ui
    except ModuleNotFoundError as exc:
        if exc.name != "ui":
            raise
        raise ConfigError("The ui package is not installed next to assistant. Reinstall with `pip install -e .`.") from None
    try:
        options = ui.serving_options(args.host, args.port, args.auth)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    bot = ready_assistant()
    app = ui.create_app(bot)
    try:
        ui.launch_app(app, options["host"], options["port"], auth=options["auth"], block=False,
                      max_upload_mb=bot.settings.upload_max_mb)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    print(f"Serving the UI at http://{options['host']}:{options['port']} (Ctrl-C stops it)", flush=True)
    app.block_thread()
    return 0

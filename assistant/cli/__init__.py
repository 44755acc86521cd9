"""The command line: `assistant ingest|ask|chat|ui|eval|bench|what-if|feedback`."""

from assistant.cli.commands import main

__all__ = ["main"]

"""The key the browser's saved conversations are encrypted with, kept in the store folder.

Gradio keeps a chat's saved history in the browser's local storage, encrypted with a secret it makes anew at each
launch unless it is given one: without a key that outlives the process, a restart loses every conversation. The key
is made on the first run, readable by its owner only, and read on every later run.
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from pathlib import Path

from assistant import AssistantRuntimeError

KEY_FILE = "saved-chats.key"


def saved_chats_key(store_dir: Path) -> str:
    """The key in `store_dir`, made there (owner-only, 0600) when there is none yet.

    Raises:
        AssistantRuntimeError: the key can be neither read nor written there.
    """
    path = store_dir / KEY_FILE
    try:
        return _read(path) or _create(path)
    except OSError as exc:
        raise AssistantRuntimeError(f"Cannot keep the saved conversations' key at {path}: {exc.strerror or exc}. "
                                    "Make the store folder writable, or point ASSISTANT_STORE_DIR at one.") from None


def _read(path: Path) -> str:
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ""
    if key and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        path.chmod(0o600)  # a copy made with looser permissions: the key is nobody else's to read
    return key


def _create(path: Path) -> str:
    """Write a new key beside `path` and link it into place: of two first runs at once, one key wins, and neither
    reads half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # made 0600
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(32) + "\n")
        try:
            os.link(partial, path)
        except FileExistsError:  # another process made it first: its key is the one, unless it is empty
            if not _read(path):
                os.replace(partial, path)
        except OSError:  # a file system without hard links
            os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)
    return _read(path)

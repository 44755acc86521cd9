"""The key of the browser's saved conversations: made once in the store folder, owner-only, and the one every later
run of the app gives the browser (the restart itself is walked in tests/test_ui_browser.py)."""

from __future__ import annotations

import stat

import pytest

from assistant import Assistant, AssistantRuntimeError
from ui.saved_chats import KEY_FILE, saved_chats_key


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_key_is_made_once_owner_only_and_read_on_later_runs(tmp_path):
    store = tmp_path / "store"  # not there yet: the first run makes it
    key = saved_chats_key(store)
    path = store / KEY_FILE
    assert len(key) >= 32 and path.read_text().strip() == key
    assert mode(path) == 0o600
    written = path.stat().st_mtime_ns
    assert saved_chats_key(store) == key and path.stat().st_mtime_ns == written, "read, not made again"
    assert sorted(p.name for p in store.iterdir()) == [KEY_FILE], "no partial file is left beside it"
    assert saved_chats_key(tmp_path / "another store") != key


def test_a_key_file_readable_by_others_is_closed_and_an_empty_one_replaced(tmp_path):
    path = tmp_path / KEY_FILE
    path.write_text("kept-key\n")
    path.chmod(0o644)
    assert saved_chats_key(tmp_path) == "kept-key" and mode(path) == 0o600
    path.write_text("")
    key = saved_chats_key(tmp_path)
    assert key and key != "kept-key" and path.read_text().strip() == key and mode(path) == 0o600


def test_a_store_where_no_key_can_be_kept_is_said_in_one_line(tmp_path):
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    with pytest.raises(AssistantRuntimeError, match="Cannot keep the saved conversations' key at .*STORE_DIR"):
        saved_chats_key(blocked / "store")


def test_every_app_over_a_store_gives_the_browser_that_stores_key(bot, tmp_path):
    from ui import create_app

    store = tmp_path / "store"
    served = Assistant(settings=bot.settings.model_copy(update={"store_dir": store}))

    def saved_chats(demo) -> dict:
        (state,) = [c["props"] for c in demo.config["components"] if c["type"] == "browserstate"]
        return state

    first, second = saved_chats(create_app(served)), saved_chats(create_app(served))
    assert first["secret"] == second["secret"] == (store / KEY_FILE).read_text().strip()
    assert first["storage_key"] == second["storage_key"]

"""Server mode: a real `chroma run` on 127.0.0.1 holds the index instead of the local store."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.cli.commands import main

_CHROMA = Path(sys.executable).parent / "chroma"
_STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _heartbeat(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """The URL of a Chroma server running in a subprocess for this module's tests."""
    if not _CHROMA.exists():
        pytest.skip(f"no chroma CLI at {_CHROMA}")
    root = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (root / "server.log").open("wb")
    process = subprocess.Popen(
        [str(_CHROMA), "run", "--path", str(root / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, cwd=root, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + _STARTUP_SECONDS
        while not _heartbeat(url):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = (root / "server.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"chroma server did not come up on {url} (exit code {process.poll()}):\n{tail}")
            time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        log.close()


@pytest.fixture
def server_env(chroma_server, monkeypatch, tmp_path):
    """ASSISTANT_CHROMA_URL points at the server; returns the local store dir that must stay untouched."""
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server)
    # Each test gets its own collections on the shared server.
    monkeypatch.setenv("ASSISTANT_COLLECTION", f"corpus{uuid.uuid4().hex[:10]}")
    return tmp_path / "store"


def test_ingest_and_ask_through_a_chroma_server(server_env, corpus_copy):
    local_store = server_env
    bot = Assistant(corpus_dir=corpus_copy)
    assert bot.settings.chroma_url is not None

    first = bot.ingest()
    assert first.added == first.chunk_count > 0

    answer = bot.ask("Until when does the partnership last?")
    assert not answer.abstained
    assert "2030" in answer.text
    assert answer.citations
    cited = (corpus_copy / answer.citations[0].source).read_text(encoding="utf-8")
    quote = answer.citations[0]
    assert cited[quote.start : quote.end] == quote.quote
    assert "2030" in " ".join(c.quote for c in answer.citations)

    second = bot.ingest()
    assert (second.added, second.removed, second.unchanged) == (0, 0, first.chunk_count)
    assert not second.changed

    assert not local_store.exists(), "server mode wrote to the local store dir"


def test_a_fresh_assistant_reads_the_index_the_server_already_holds(server_env, corpus_copy):
    first = Assistant(corpus_dir=corpus_copy).ingest()

    later = Assistant(corpus_dir=corpus_copy)
    info = later.status()
    assert info is not None and info.chunk_count == first.chunk_count
    assert info.fingerprint == first.fingerprint
    answer = later.ask("Until when does the partnership last?")
    assert "2030" in answer.text and answer.citations
    assert answer.provenance.index_fingerprint == first.fingerprint
    assert not server_env.exists()


def test_a_changed_corpus_updates_the_server_index(server_env, corpus_copy):
    bot = Assistant(corpus_dir=corpus_copy)
    first = bot.ingest()
    (corpus_copy / "note.md").write_text(
        "# Note\n\nThe Zanzibar accord between the two firms was signed in Reykjavik in 2031.\n", encoding="utf-8")

    update = bot.ingest()
    assert update.added >= 1 and update.unchanged == first.chunk_count and update.removed == 0

    answer = bot.ask("Where was the Zanzibar accord signed?")
    assert "Reykjavik" in answer.text
    assert any(c.source == "note.md" for c in answer.citations)
    assert not server_env.exists()


def test_cli_says_how_to_start_the_server_when_it_is_down(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", f"http://127.0.0.1:{_free_port()}")

    code = main(["ask", "Until when does the partnership last?"])

    err = capsys.readouterr().err.strip()
    assert code == 1
    assert len(err.splitlines()) == 1
    assert "Cannot reach the Chroma server" in err and "chroma run" in err
    assert not (tmp_path / "store").exists()

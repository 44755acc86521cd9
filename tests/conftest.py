"""Fixtures: every store in a temp dir, no network but loopback, one shared ingested assistant."""

from __future__ import annotations

import atexit
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from assistant import Assistant

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "corpus"  # the live folder: a user may drop documents of their own into it


def shipped_corpus(folder: Path = SHIPPED) -> Path:
    """A copy of the documents the project ships in `folder` (those git tracks), without any a user added: the
    tests' corpus, so that a document dropped into corpus/ changes no test's outcome."""
    listed = subprocess.run(["git", "ls-files", "-z", "--", "."], cwd=folder, capture_output=True, check=False)
    names = [n for n in listed.stdout.decode().split("\0") if n] if listed.returncode == 0 else []
    copy = Path(tempfile.mkdtemp(prefix="shipped-corpus-"))
    atexit.register(shutil.rmtree, copy, True)
    for name in names or [p.name for p in folder.iterdir() if p.is_file()]:  # outside git: every file
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / name, copy / name)
    return copy


CORPUS = shipped_corpus()
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_real_connect = socket.socket.connect


def _guarded_connect(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in _LOOPBACK:
        raise RuntimeError(f"test tried to reach the network: {address!r}")
    return _real_connect(sock, address)


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Fail any test that reaches beyond this machine."""
    socket.socket.connect = _guarded_connect
    yield
    socket.socket.connect = _real_connect


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory) -> Path:
    """One cache directory for the session: the embedding model is exported to ONNX once, not per test."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch, session_cache):
    """No user config or ASSISTANT_* variable leaks in; the default store lives in tmp_path, the cache in a temp dir."""
    import os

    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    empty = tmp_path / "assistant.toml"
    empty.write_text("")
    monkeypatch.setenv("ASSISTANT_CONFIG", str(empty))
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("ASSISTANT_CACHE_DIR", str(session_cache))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(CORPUS))  # never the live corpus/, which a user may add to
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def shared_store(tmp_path_factory) -> Path:
    """A store ingested once from the real corpus, for tests that only read."""
    store = tmp_path_factory.mktemp("shared") / "chroma"
    Assistant(store_dir=store, corpus_dir=CORPUS).ingest()
    return store


@pytest.fixture
def bot(shared_store) -> Assistant:
    """An extractive assistant over the real corpus."""
    return Assistant(store_dir=shared_store, corpus_dir=CORPUS, backend="extractive")


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def one_document_bot(tmp_path_factory, filename: str, text: str) -> Assistant:
    """An extractive assistant over a corpus of one document, ingested into a store of its own."""
    name = filename.split(".")[0]
    corpus = tmp_path_factory.mktemp(f"{name}-corpus")
    (corpus / filename).write_text(text, encoding="utf-8")
    bot = Assistant(corpus_dir=corpus, store_dir=tmp_path_factory.mktemp(f"{name}-store"), backend="extractive")
    bot.ingest()
    return bot


def source_text(source: str, corpus_dir: Path = CORPUS) -> str:
    """The text a citation's offsets index into."""
    return (corpus_dir / source).read_text(encoding="utf-8")


def quoted_exactly(citation) -> bool:
    """Whether a citation's quote is exactly the text at its span of its source file."""
    return source_text(citation.source)[citation.start : citation.end] == citation.quote

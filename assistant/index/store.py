"""The Chroma store: a local persistent one or a Chroma server, and the pointer that names the live index (its
collection and, for a local store, its generation of files): the one write that makes a new index live."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from assistant.config import Settings
from assistant.errors import AssistantRuntimeError, ConfigError

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

    from assistant.index.sentence_vectors import StoredSentences

_SENTENCES_SUFFIX = "-sentences"
# The sentence collection is read by id and scanned exactly (HybridIndex.nearest_sentences), never searched
# through its graph: a sparse HNSW graph builds ~5x faster.
_SENTENCES_HNSW = {"space": "cosine", "max_neighbors": 4, "ef_construction": 8}


@dataclass
class IndexInfo:
    """What an index was built from: a local index's `info.json`, a server index's collection metadata."""

    collection: str
    embedding_model: str
    chunk_size: int
    chunk_overlap: int
    chunker_version: str
    fingerprint: str
    built_at: str
    chunk_count: int
    files: dict[str, str] = field(default_factory=dict)  # source -> sha256
    signature: str = ""  # the corpus files' names, sizes and times at ingest (corpus.corpus_signature)
    file_stats: dict[str, list[int]] = field(default_factory=dict)  # source -> [size, mtime_ns] at ingest
    languages: dict[str, str] = field(default_factory=dict)  # source -> its language (`language.document_language`)
    generation: str = ""  # a local index's folder of `index_files` ("" for a Chroma server's index)

    @property
    def written_in(self) -> list[str]:
        """The languages the documents are written in."""
        return sorted(set(self.languages.values()))

    def to_dict(self) -> dict[str, Any]:
        """What the index was built from, as a local index's files keep it (the store names the collection)."""
        data = asdict(self)
        for key in ("collection", "generation"):
            data.pop(key)
        return data

    def to_metadata(self) -> dict[str, Any]:
        """Chroma metadata holds scalars only, so the file map travels as JSON."""
        data = self.to_dict()
        data["files"] = json.dumps(self.files, sort_keys=True)
        data["file_stats"] = json.dumps(self.file_stats, sort_keys=True)
        data["languages"] = json.dumps(self.languages)
        return data

    @classmethod
    def from_metadata(cls, name: str, meta: dict[str, Any]) -> IndexInfo:
        """Read the metadata written by `to_metadata`."""
        return cls(
            collection=name,
            embedding_model=str(meta["embedding_model"]),
            chunk_size=int(meta["chunk_size"]),
            chunk_overlap=int(meta["chunk_overlap"]),
            chunker_version=str(meta["chunker_version"]),
            fingerprint=str(meta["fingerprint"]),
            built_at=str(meta["built_at"]),
            chunk_count=int(meta["chunk_count"]),
            files=json.loads(str(meta.get("files", "{}"))),
            signature=str(meta.get("signature", "")),
            file_stats=json.loads(str(meta.get("file_stats", "{}"))),
            languages=json.loads(str(meta.get("languages", "{}"))),
        )


def describe_store(settings: Settings) -> str:
    """Where the store lives, for messages."""
    return f"Chroma server {settings.chroma_url}" if settings.chroma_url else str(settings.store_dir)


def open_client(settings: Settings) -> ClientAPI:
    """A Chroma client: HTTP when `chroma_url` is set, else a persistent local store."""
    if settings.chroma_url:
        return _http_client(settings.chroma_url)
    return _local_client(str(settings.store_dir))


_clients: dict[str, ClientAPI] = {}
_clients_lock = threading.Lock()


def _local_client(path: str) -> ClientAPI:
    """One persistent client per store folder and process. Made under a lock: two requests opening the same
    store at once made two clients, and the second failed ("Could not connect to tenant default_tenant")."""
    with _clients_lock:
        if path not in _clients:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            try:
                _clients[path] = chromadb.PersistentClient(path=path, settings=ChromaSettings(anonymized_telemetry=False))
            except Exception as exc:
                raise AssistantRuntimeError(
                    f"Cannot open the index store at {path} ({type(exc).__name__}: {exc}). Check that the folder "
                    "is writable and the disk has room, or point ASSISTANT_STORE_DIR at another folder.") from None
        return _clients[path]


@lru_cache(maxsize=8)
def _http_client(url: str) -> ClientAPI:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigError(f"ASSISTANT_CHROMA_URL must look like http://HOST:PORT, got {url!r}.")
    port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    try:
        return chromadb.HttpClient(
            host=parsed.hostname, port=port, ssl=parsed.scheme == "https",
            settings=ChromaSettings(anonymized_telemetry=False),
        )
    except Exception as exc:  # connection refused, bad handshake...
        raise AssistantRuntimeError(
            f"Cannot reach the Chroma server at {url} ({type(exc).__name__}). Start it with "
            f"`chroma run --host {parsed.hostname} --port {port}`, or unset ASSISTANT_CHROMA_URL."
        ) from None


class Store:
    """Named indexes in one Chroma database; a pointer collection says which one is live."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.client = open_client(settings)
        self._pointer_name = f"{settings.collection}-pointer"

    @property
    def local(self) -> bool:
        """Whether the store is a folder on this machine (not a Chroma server), so that an index keeps its
        files beside it (`index_files`)."""
        return not self.settings.chroma_url

    def active(self) -> tuple[Collection, IndexInfo] | None:
        """The live collection and its info, or None."""
        pointed = self._pointed()
        name, generation = pointed.get("active"), pointed.get("generation")
        if not name:
            return None
        try:
            collection = self.client.get_collection(name)
        except Exception:  # the pointer names a collection someone deleted
            return None
        if not generation:
            return collection, IndexInfo.from_metadata(name, collection.metadata or {})
        from assistant.index import files as index_files

        saved = index_files.read_info(index_files.folder(self.settings.store_dir, generation))
        if saved is None:  # someone deleted the index's files
            return None
        return collection, IndexInfo(collection=name, generation=generation, **saved)

    def create_staging(self) -> Collection:
        """A new, empty collection to build the next index in."""
        name = f"{self.settings.collection}-{uuid.uuid4().hex[:12]}"
        return self.client.create_collection(name, configuration={"hnsw": {"space": "cosine"}})

    def sentences(self, name: str, create: bool = False) -> Collection | None:
        """The collection of precomputed sentence vectors that belongs to index `name` (None if it has none)."""
        companion = name + _SENTENCES_SUFFIX
        if create:
            return self.client.create_collection(companion, configuration={"hnsw": _SENTENCES_HNSW})
        try:
            return self.client.get_collection(companion)
        except Exception:  # an index built before sentence vectors were stored
            return None

    def stored_sentences(self, info: IndexInfo) -> StoredSentences | None:
        """The sentence vectors an index stored at ingest: a local index's matrix file, a server index's
        companion collection; None for an index that has none."""
        if info.generation:
            from assistant.index import files as index_files

            return index_files.sentence_matrix(self.files(info))
        collection = self.sentences(info.collection)
        if collection is None:
            return None
        from assistant.index.sentence_vectors import ChromaSentences

        return ChromaSentences(collection)

    def remember_signature(self, collection: Collection, info: IndexInfo, signature: str,
                           stats: dict[str, tuple[int, int]]) -> None:
        """Record the corpus's current names, sizes and times on an index whose contents still match them."""
        info.signature = signature
        info.file_stats = {source: list(stat) for source, stat in stats.items()}
        if info.generation:
            from assistant.index import files as index_files

            index_files.write_info(self.files(info), info.to_dict())
        else:
            collection.modify(metadata=info.to_metadata())

    def activate(self, collection: Collection, info: IndexInfo) -> None:
        """Point the pointer at `collection` (and, for a local index, at its complete generation of files), then
        drop what it replaces: the previous collection if it was another, and older generations."""
        if not info.generation:
            collection.modify(metadata=info.to_metadata())
        pointed = self._pointed()
        previous, previous_generation = pointed.get("active"), pointed.get("generation", "")
        pointer = self._pointer(create=True)
        pointer.modify(metadata={"active": collection.name, "generation": info.generation})
        if previous and previous != collection.name:
            self.drop(previous)
        if self.local:
            from assistant.index import files as index_files

            # The generation just replaced stays one cycle: a process may be opening it right now.
            keep = {info.generation} | ({previous_generation} if previous == collection.name else set())
            index_files.remove_all_but(self.settings.store_dir, self.settings.collection, keep)

    def drop(self, name: str) -> None:
        """Delete an index's collection and its sentence collection, ignoring what is already gone."""
        for victim in (name, name + _SENTENCES_SUFFIX):
            try:
                self.client.delete_collection(victim)
            except Exception:
                pass

    def files(self, info: IndexInfo) -> Path | None:
        """The folder of a local index's files (see `index_files`); None with a Chroma server, whose indexes
        other machines share: files beside one machine's store would go stale there."""
        from assistant.index import files as index_files

        return index_files.folder(self.settings.store_dir, info.generation) if info.generation else None

    def _pointed(self) -> dict[str, Any]:
        pointer = self._pointer(create=False)
        return {} if pointer is None else dict(pointer.metadata or {})

    def _pointer(self, create: bool) -> Collection | None:
        if create:
            return self.client.get_or_create_collection(self._pointer_name)
        try:
            return self.client.get_collection(self._pointer_name)
        except Exception:
            return None

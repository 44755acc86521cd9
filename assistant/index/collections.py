"""Reading and writing a whole Chroma collection, in batches (Chroma caps one call's size)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

_BATCH = 2000


def read_all(collection: Collection, include: list[str]) -> dict[str, list]:
    """Every record of a collection, read in batches (`include=[]`: the ids alone)."""
    total = collection.count()
    out: dict[str, list] = {"ids": []}
    for key in include:
        out[key] = []
    for offset in range(0, total, _BATCH):
        page = collection.get(include=include, limit=_BATCH, offset=offset)
        out["ids"].extend(page["ids"])
        for key in include:
            out[key].extend(page[key])
    return out


def write_all(collection: Collection, ids: list[str], embeddings: Any, documents: list[str], metadatas: list[dict]) -> None:
    """Add records in batches (Chroma caps one call's size)."""
    for lo in range(0, len(ids), _BATCH):
        hi = lo + _BATCH
        collection.add(ids=ids[lo:hi], embeddings=embeddings[lo:hi], documents=documents[lo:hi], metadatas=metadatas[lo:hi])

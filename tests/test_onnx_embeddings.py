"""The torch-free query path: the bundled model exported to ONNX embeds like sentence-transformers."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from assistant.config import DEFAULT_EMBEDDING_MODEL
from assistant.index.embeddings import Embedder, resolve_model_path
from assistant.index.onnx_embeddings import OnnxEncoder, export, export_path, is_exportable

TEXTS = [
    "Until when does the partnership last?",
    "OpenAI — Location: United States, California, San Francisco",
    "Naïve café ünïcödé — 2030 and $13B",
    "a",
    "The right of first refusal " * 120,  # longer than the model's 256 tokens: truncated the same way
]


def _export(cache) -> tuple[str, object]:
    model_dir = resolve_model_path(DEFAULT_EMBEDDING_MODEL)
    target = export_path(cache, model_dir)
    if not target.exists():
        export(model_dir, target)
    return model_dir, target


def test_onnx_vectors_match_sentence_transformers(session_cache):
    model_dir, target = _export(session_cache)
    onnx = OnnxEncoder(target, model_dir).encode(TEXTS)
    torch = Embedder(DEFAULT_EMBEDDING_MODEL).embed_texts(TEXTS)  # no cache dir: sentence-transformers
    assert onnx.shape == torch.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    assert (onnx * torch).sum(axis=1).min() > 0.999


def test_many_texts_of_mixed_lengths_come_back_in_their_order(session_cache):
    model_dir, target = _export(session_cache)
    encoder = OnnxEncoder(target, model_dir)
    rng = np.random.default_rng(3)
    words = "turbine audit gearbox partnership exclusive cloud capacity funding right refusal".split()
    texts = [" ".join(rng.choice(words, size=int(n))) for n in rng.integers(1, 300, size=60)]  # several runs
    together = encoder.encode(texts)
    alone = np.concatenate([encoder.encode([text]) for text in texts])
    assert together.shape == (60, 384)
    assert np.allclose(together, alone, atol=1e-5)


def test_embedder_uses_the_export_once_it_exists(session_cache, tmp_path):
    _export(session_cache)
    assert Embedder(DEFAULT_EMBEDDING_MODEL, session_cache).backend == "onnx"
    assert Embedder(DEFAULT_EMBEDDING_MODEL, tmp_path / "empty-cache").backend == "sentence-transformers"
    assert not is_exportable(tmp_path)  # not a sentence-transformers model: the torch path stays


def test_ingest_exports_and_ask_then_runs_without_torch_or_spacy(bot, session_cache):
    bot.ingest()  # the shared store exists; this makes sure the export does too
    _export(session_cache)
    script = ("import sys; from assistant.cli import main; code = main(['ask', 'Until when does the partnership last?']);"
              "print('TORCH', 'torch' in sys.modules, 'SPACY', 'spacy' in sys.modules); sys.exit(code)")
    env = {**os.environ, "ASSISTANT_STORE_DIR": str(bot.settings.store_dir),
           "ASSISTANT_CORPUS_DIR": str(bot.settings.corpus_dir), "ASSISTANT_CACHE_DIR": str(session_cache)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "2030" in done.stdout
    assert "TORCH False" in done.stdout
    assert "SPACY False" in done.stdout  # entities were found at ingest: a question runs no recogniser


def test_a_model_saved_by_sentence_transformers_6_is_exported_too(tmp_path):
    """A fine-tuned model (issue 32) is saved with version 6's module paths and pooling config: the same pipeline."""
    import json
    import shutil

    model_dir = tmp_path / "tuned"
    shutil.copytree(resolve_model_path(DEFAULT_EMBEDDING_MODEL), model_dir)
    modules = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.base.modules.transformer.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling",
                "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling"},
               {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.base.modules.normalize.Normalize"}]
    (model_dir / "modules.json").write_text(json.dumps(modules), encoding="utf-8")
    (model_dir / "1_Pooling" / "config.json").write_text(json.dumps({"embedding_dimension": 384, "pooling_mode": "mean"}))
    assert is_exportable(model_dir)
    (model_dir / "1_Pooling" / "config.json").write_text(json.dumps({"embedding_dimension": 384, "pooling_mode": "cls"}))
    assert not is_exportable(model_dir)  # another pooling: the torch path

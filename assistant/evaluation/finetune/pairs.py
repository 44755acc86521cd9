"""The data the embedding model is fine-tuned and measured on, made from a suite's questions (issue 32).

    .venv/bin/python -m assistant.evaluation.finetune.pairs --store-root /tmp/ft-stores --out /tmp/ft/data.json

Every corpus of the suite (and the article, `corpus/` with `evals/questions.jsonl` and
`evals/heldout_questions.jsonl`) is ingested with the shipped model and cut into the sentence units the extractive
answerer reads (`sentence_units`, each once, as displayed). Each answerable question (kind "fact": what-ifs go to
the clause engine) is read as the answerer reads it: a follow-up folded into the conversation it leans on
(`condense`), the corpus's acronyms spelled out. Recorded per question:

- `right`: the units that hold one of its evidence strings (the positives);
- `dense_pool`: the 20 units nearest the question by the shipped model's cosine, over the whole corpus;
- `pool`: the units of the five passages hybrid retrieval gives the answerer (its candidate pool);
- `negatives`: up to 10 units of either pool that hold no evidence, nearest first by the shipped model (the hard
  negatives).

Held-out questions are recorded too, for measuring; `training_rows` takes dev questions only. Everything is
deterministic: corpora by name, questions in file order, ties by position.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from assistant.config import DEFAULT_EMBEDDING_MODEL, project_root

EVALS = project_root() / "evals"
DENSE_POOL = 20
ANSWERER_K = 5  # the `k` setting: passages the answerer reads
MAX_NEGATIVES = 10
ARTICLE = "article"  # the shipped corpus/, measured on its own question sets, never trained on


@dataclass
class Item:
    """One answerable question read against its corpus's units (indices into the corpus's `units`)."""

    id: str
    split: str  # "dev", "heldout", or the article's "article-dev" / "article-heldout"
    query: str
    follow_up: bool
    right: list[int]
    dense_pool: list[int]
    pool: list[int]
    negatives: list[int]


@dataclass
class CorpusData:
    name: str
    units: list[str]
    items: list[Item] = field(default_factory=list)


def holds(text: str, evidence: list[str]) -> bool:
    """Whether a unit holds an evidence string (or, a long unit, lies inside one: evidence spanning two units)."""
    from assistant.evaluation.matching import normalise

    haystack = normalise(text)
    return any(e.strip() and (normalise(e) in haystack or len(haystack) >= 25 and haystack in normalise(e))
               for e in evidence)


def corpus_units(index) -> tuple[list[str], dict[tuple[str, int], int]]:
    """Every sentence unit of an index once (overlapping chunks share units), as displayed, and where each is."""
    from assistant.index.sentences import sentence_units

    texts: list[str] = []
    at: dict[tuple[str, int], int] = {}
    for pos in range(len(index)):
        for unit in sentence_units(index.passage(pos, 0.0)):
            key = (unit.passage.source, unit.start)
            if key not in at and unit.display.strip():
                at[key] = len(texts)
                texts.append(unit.display)
    return texts, at


def read_corpus(name: str, bot, questions, encode) -> CorpusData:
    """The corpus's units and each answerable question's record (see the module docstring)."""
    import numpy as np

    from assistant.answer.conversation import condense
    from assistant.answer.validation import validate_history
    from assistant.index.sentences import sentence_units

    index = bot.index()
    texts, at = corpus_units(index)
    data = CorpusData(name, texts)
    vectors = encode(texts)
    for q in questions:
        if q.kind != "fact" or not q.evidence:
            continue
        query = condense(q.question, validate_history(q.history))
        search_text = index.spell_out(query.search_text)
        also = index.spell_out(query.question) if query.is_follow_up else None
        right = [i for i, text in enumerate(texts) if holds(text, q.evidence)]
        similarity = vectors @ encode([search_text])[0]
        order = np.argsort(-similarity, kind="stable")
        dense_pool = [int(i) for i in order[:DENSE_POOL]]
        pool: list[int] = []
        for passage in index.search(search_text, ANSWERER_K, also=also):
            for unit in sentence_units(passage):
                i = at.get((unit.passage.source, unit.start))
                if i is not None and i not in pool:
                    pool.append(i)
        right_texts = {texts[i] for i in right}
        candidates = sorted(set(dense_pool) | set(pool), key=lambda i: (-similarity[i], i))
        negatives = [i for i in candidates if i not in right and texts[i] not in right_texts][:MAX_NEGATIVES]
        data.items.append(Item(q.id, q.split, search_text, query.is_follow_up, right, dense_pool, pool, negatives))
    return data


def base_encoder(model_path: str):
    """A function from texts to normalised vectors by the model at `model_path` (sentence-transformers, CPU)."""
    import numpy as np
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_path, device="cpu")
    return lambda texts: np.asarray(model.encode(texts, batch_size=32, normalize_embeddings=True,
                                                 show_progress_bar=False), dtype=np.float32)


def build(suite: Path, store_root: Path) -> dict:
    """The data of every corpus of the suite and of the article, as a JSON-ready dict."""
    import torch
    from tqdm import tqdm

    from assistant import Assistant, load_settings
    from assistant.evaluation.questions import load_questions
    from assistant.evaluation.suite import discover_suite
    from assistant.index.embeddings import resolve_model_path

    torch.set_num_threads(2)
    settings = load_settings(embedding_model=DEFAULT_EMBEDDING_MODEL)
    model_path = resolve_model_path(DEFAULT_EMBEDDING_MODEL)
    encode = base_encoder(model_path)
    article = [*(_with_split(q, "article-dev") for q in load_questions(EVALS / "questions.jsonl")),
               *(_with_split(q, "article-heldout") for q in load_questions(EVALS / "heldout_questions.jsonl"))]
    sources = [(c.name, c.corpus_dir, c.questions) for c in discover_suite(suite)]
    sources.append((ARTICLE, settings.corpus_dir, article))
    corpora = []
    for name, corpus_dir, questions in tqdm(sources, desc="corpora", unit="corpus", file=sys.stderr):
        bot = Assistant(settings.model_copy(update={"corpus_dir": corpus_dir, "store_dir": store_root / name,
                                                    "chroma_url": None}))
        bot.ingest()
        corpora.append(read_corpus(name, bot, questions, encode))
    return {"suite": str(suite), "base_model": DEFAULT_EMBEDDING_MODEL, "dense_pool": DENSE_POOL,
            "answerer_k": ANSWERER_K, "corpora": [asdict(c) for c in corpora]}


def _with_split(question, split: str):
    from dataclasses import replace

    return replace(question, split=split)


def load(path: Path) -> list[CorpusData]:
    """The corpora of a data file written by `build`."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return [CorpusData(c["name"], c["units"], [Item(**i) for i in c["items"]]) for c in raw["corpora"]]


def training_rows(corpora: list[CorpusData], names: set[str], negatives: int) -> list[dict[str, str]]:
    """(anchor, positive, negative_1..n) rows from the dev questions of the named corpora: one per positive unit
    (a question with two units holding its evidence gives two rows), the n nearest hard negatives each. A
    question with fewer than n hard negatives is left out when n > 0 (the loss needs the same columns in
    every row)."""
    rows = []
    for corpus in corpora:
        if corpus.name not in names:
            continue
        for item in corpus.items:
            if item.split != "dev" or not item.right or len(item.negatives) < negatives:
                continue
            for positive in dict.fromkeys(corpus.units[i] for i in item.right):  # each distinct text once
                row = {"anchor": item.query, "positive": positive}
                row.update({f"negative_{n + 1}": corpus.units[i] for n, i in enumerate(item.negatives[:negatives])})
                rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, default=EVALS / "corpora")
    parser.add_argument("--store-root", type=Path, required=True, help="the corpora's stores (kept, reused)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    data = build(args.suite, args.store_root)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    for corpus in data["corpora"]:
        items = corpus["items"]
        dev = [i for i in items if i["split"] == "dev"]
        print(f"{corpus['name']:26} units {len(corpus['units']):4}  answerable {len(items):3} (dev {len(dev):3}), "
              f"with a right unit {sum(bool(i['right']) for i in items):3}, "
              f"right in dense top {DENSE_POOL} {sum(bool(set(i['right']) & set(i['dense_pool'])) for i in items):3}, "
              f"in the answerer's pool {sum(bool(set(i['right']) & set(i['pool'])) for i in items):3}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

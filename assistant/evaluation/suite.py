"""A suite of corpora (EVAL_FORMAT.md): each corpus ingested into a store of its own, its questions run, and the
figures given per corpus and pooled over all, each also split into the dev and held-out parts."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.evaluation.metrics import retrieval_metrics, summarise
from assistant.evaluation.questions import SPLITS, Question, QuestionSetError, load_questions
from assistant.evaluation.runner import Answerer, EvalRun, QuestionResult, run_eval

# (corpus, stage, done, total): stage is "ingest", "questions" or "baseline".
SuiteProgress = Callable[[str, str, int, int], None]
AnswererFactory = Callable[[Settings], Answerer]


@dataclass(frozen=True)
class SuiteCorpus:
    """One corpus of a suite: its documents and its questions."""

    name: str
    corpus_dir: Path
    questions: list[Question]


@dataclass
class CorpusRun:
    """What running one corpus gave: every question's result and, when measured, the baseline's ranks."""

    corpus: SuiteCorpus
    results: list[QuestionResult]
    k: int
    baseline_ranks: list[int | None] | None = None
    baseline_chunks: int = 0
    chunks: int = 0


def discover_suite(suite_dir: Path) -> list[SuiteCorpus]:
    """The corpora of a suite: every sub-folder with a `corpus/` folder and a `questions.jsonl`, by name."""
    suite_dir = Path(suite_dir)
    if not suite_dir.is_dir():
        raise QuestionSetError(f"No suite folder at {suite_dir}. Pass --suite DIR (e.g. evals/corpora).")
    corpora = [SuiteCorpus(sub.name, sub / "corpus", load_questions(sub / "questions.jsonl"))
               for sub in sorted(suite_dir.iterdir())
               if (sub / "corpus").is_dir() and (sub / "questions.jsonl").is_file()]
    if not corpora:
        raise QuestionSetError(f"{suite_dir} holds no corpus: each needs a sub-folder with corpus/ and questions.jsonl.")
    return corpora


def with_questions(corpora: list[SuiteCorpus], asked: dict[str, set[str]]) -> list[SuiteCorpus]:
    """The corpora named in `asked` (corpus -> question texts), each with only those of its questions.

    Raises QuestionSetError naming a corpus the suite does not hold or a question none of its corpus's is.
    """
    by_name = {corpus.name: corpus for corpus in corpora}
    unknown = sorted(set(asked) - set(by_name))
    if unknown:
        raise QuestionSetError(f"No corpus {', '.join(unknown)} in the suite; its corpora: {', '.join(by_name)}.")
    chosen = []
    for name, texts in sorted(asked.items()):
        questions = [q for q in by_name[name].questions if q.question in texts]
        missing = sorted(texts - {q.question for q in questions})
        if missing:
            raise QuestionSetError(f"{name} has no question {missing[0]!r} ({len(missing)} unknown in all).")
        chosen.append(SuiteCorpus(name, by_name[name].corpus_dir, questions))
    return chosen


def run_suite(corpora: list[SuiteCorpus], settings: Settings, *, k: int | None = None, baseline: bool = True,
              store_root: Path | None = None, make_answerer: AnswererFactory | None = None,
              progress: SuiteProgress | None = None) -> list[CorpusRun]:
    """Ingest and ask each corpus with `settings` (its corpus and store swapped in).

    Each corpus gets a store under `store_root` (kept, so a second run reuses it), or a temporary one.
    """
    with tempfile.TemporaryDirectory(prefix="assistant-suite-", ignore_cleanup_errors=True) as tmp:
        root = Path(store_root) if store_root else Path(tmp)
        return [_run_corpus(corpus, settings, root / corpus.name, k=k, baseline=baseline,
                            make_answerer=make_answerer, progress=progress) for corpus in corpora]


def _run_corpus(corpus: SuiteCorpus, settings: Settings, store_dir: Path, *, k: int | None, baseline: bool,
                make_answerer: AnswererFactory | None, progress: SuiteProgress | None) -> CorpusRun:
    from assistant import Assistant

    local = settings.model_copy(update={"corpus_dir": corpus.corpus_dir, "store_dir": store_dir, "chroma_url": None})
    bot = (make_answerer or Assistant)(local)
    report = Assistant(local).ingest(progress=_stage(progress, corpus.name, "ingest"))
    run = run_eval(bot, corpus.questions, k=k, progress=_stage(progress, corpus.name, "questions"))
    result = CorpusRun(corpus, run.results, run.k, chunks=report.chunk_count)
    if baseline:
        from assistant.evaluation.baseline import baseline_ranks

        result.baseline_ranks, result.baseline_chunks = baseline_ranks(
            local, run.retrieval_questions(), progress=_stage(progress, corpus.name, "baseline"))
    return result


def _stage(progress: SuiteProgress | None, corpus: str, stage: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(corpus, stage, done, total)


def suite_summary(runs: list[CorpusRun], *, meta: dict[str, Any] | None = None) -> dict[str, Any]:
    """summary.json of a suite: the pooled figures at the top (the keys of EVAL_FORMAT.md), then `corpora` (one
    summary per corpus) and `pooled`, each with its `dev` and `heldout` parts."""
    k = runs[0].k if runs else None
    pooled_results = [r for run in runs for r in run.results]
    pooled = _with_splits(pooled_results, k)
    measured_baseline = [run for run in runs if run.baseline_ranks is not None]
    if measured_baseline:
        pooled["baseline"] = _baseline(pooled_results, [r for run in measured_baseline for r in run.baseline_ranks],
                                       sum(run.baseline_chunks for run in measured_baseline), k)
    corpora = {}
    for run in runs:
        corpus = _with_splits(run.results, run.k)
        corpus["chunks"] = run.chunks
        if run.baseline_ranks is not None:
            corpus["baseline"] = _baseline(run.results, run.baseline_ranks, run.baseline_chunks, run.k)
        corpus["per_question"] = [_record(run.corpus, r) for r in run.results]
        corpora[run.corpus.name] = corpus
    summary = {key: value for key, value in pooled.items() if key not in SPLITS}
    summary.update(meta or {})
    summary["corpora"] = corpora
    summary["pooled"] = pooled
    summary["per_question"] = [record for corpus in corpora.values() for record in corpus["per_question"]]
    return summary


def _with_splits(results: list[QuestionResult], k: int | None) -> dict[str, Any]:
    figures = summarise(EvalRun(results, k))
    for split in SPLITS:
        figures[split] = summarise(EvalRun([r for r in results if r.question.split == split], k))
    return figures


def _baseline(results: list[QuestionResult], ranks: list[int | None], chunks: int, k: int | None) -> dict[str, Any]:
    """The baseline's figures beside ours at its depth, over the same (retrieval) questions."""
    from assistant.evaluation.baseline import BASELINE_K, baseline_summary

    ours = [r.retrieval_rank for r in results if r.retrieval_counted]
    figures = baseline_summary(ranks, chunks)
    figures["ours_at_same_k"] = {"k": BASELINE_K, **retrieval_metrics(ours, BASELINE_K)} if (k or 0) >= BASELINE_K else None
    return figures


def _record(corpus: SuiteCorpus, result: QuestionResult) -> dict[str, Any]:
    return {"corpus": corpus.name, "split": result.question.split, **result.to_json()}

"""A real model's recorded replies, replayed through a loopback OpenAI-compatible server and the real LLM path, the
eval runner asking the questions: replies that hold a supported answer keep an LLM answer, every citation is an
exact span, and the LLM path answers at least as well as the extractive reader on the same questions.

The replies are Qwen2.5-Coder 1.5B Instruct's to held-out suite questions (../shared/llm-replies, see its README);
ASSISTANT_TEST_REPLIES=PATH runs another model's, or the same model's to other questions. To print the figures:

    HF_HUB_OFFLINE=1 .venv/bin/python -m tests.test_llm_replay [PATH]
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.answer.llm import NO_ANSWER
from assistant.answer.markers import marked_sentences, without_markers
from assistant.config import Settings
from assistant.evaluation.matching import missing_groups
from assistant.evaluation.questions import Question
from assistant.evaluation.suite import SuiteCorpus, discover_suite, run_suite, suite_summary, with_questions
from assistant.testing import ReplayServer, load_replies

REPO = Path(__file__).resolve().parent.parent
SUITE = REPO / "evals" / "corpora"
# Read when the module is collected: the autouse fixture clears ASSISTANT_* variables before each test.
REPLIES = Path(os.environ.get("ASSISTANT_TEST_REPLIES") or REPO.parent / "shared" / "llm-replies")
KEPT_AT_LEAST = 0.9  # the bound: replies holding a supported answer that keep an LLM answer


@dataclass
class Replayed:
    """The replies and what the eval runner made of them on each backend."""

    asked: dict[str, tuple[str, Question, str]]  # question id -> (corpus, question, the model's reply)
    llm: dict  # suite summary.json of the llm backend, the model replayed
    extractive: dict  # the same questions on the extractive backend
    requests: int  # requests the replay server answered or refused
    bound: int  # the most it would answer


def replay(replies: Path, store_root: Path, cache_dir: Path | None = None) -> Replayed:
    """Ask every replied question on both backends through the suite runner (one store per corpus, shared), the
    llm backend's model a loopback server replaying the replies."""
    records = load_replies(replies)
    by_corpus: dict[str, set[str]] = {}
    for record in records:
        by_corpus.setdefault(record["corpus"], set()).add(record["question"])
    corpora = with_questions(discover_suite(SUITE), by_corpus)
    text = {(r["corpus"], r["question"]): r["reply"] for r in records}
    asked = {q.id: (c.name, q, text[c.name, q.question]) for c in corpora for q in c.questions}
    bound = 3 * (len(asked) + len(corpora))  # an answer, a rewriting and a tool call a question, a warm-up a corpus
    with ReplayServer({r["question"]: r["reply"] for r in records}, max_requests=bound) as server:
        settings = Settings(backend="llm", llm="openai:replay", llm_base_url=server.base_url, llm_timeout=10,
                            **_cache(cache_dir))
        llm, extractive = run_both(corpora, settings, store_root, cache_dir)
        requests = len(server.requests)
    return Replayed(asked, llm, extractive, requests, bound)


def run_both(corpora: list[SuiteCorpus], llm_settings: Settings, store_root: Path, cache_dir: Path | None,
             make_answerer=None) -> tuple[dict, dict]:
    """The suite summaries of the llm backend (with `llm_settings`) and of the extractive one, same stores."""
    llm = suite_summary(run_suite(corpora, llm_settings, baseline=False, store_root=store_root,
                                  make_answerer=make_answerer))
    extractive = suite_summary(run_suite(corpora, Settings(backend="extractive", **_cache(cache_dir)), baseline=False,
                                         store_root=store_root))
    return llm, extractive


def _cache(cache_dir: Path | None) -> dict:
    return {"cache_dir": cache_dir} if cache_dir else {}


def holds_supported_answer(question: Question, reply: str, record: dict) -> bool:
    """Whether a reply holds the required answer and the model was given a passage with its evidence."""
    return (question.answerable and NO_ANSWER not in reply.upper() and record["retrieval_rank"] is not None
            and not missing_groups(without_markers(reply), question.answer_must_include))


def correct(question: Question, record: dict) -> bool:
    """answer_accuracy's test: answered, every group of the question matched."""
    return not record["abstained"] and not missing_groups(record["answer"], question.answer_must_include)


def figures(replayed: Replayed) -> dict:
    """The issue's "done when" figures over the replayed questions."""
    llm = {r["id"]: r for r in replayed.llm["per_question"]}
    extractive = {r["id"]: r for r in replayed.extractive["per_question"]}
    holding = [i for i, (_, q, reply) in replayed.asked.items() if holds_supported_answer(q, reply, llm[i])]
    kept = [i for i in holding if llm[i]["backend"] == "llm" and not llm[i]["abstained"]]
    citations = [(replayed.asked[r["id"]][0], c) for r in llm.values() for c in r["citations"]]
    exact = [c for corpus, c in citations if c["quote"] == source_text(corpus, c["source"])[c["start"]:c["end"]]]
    llm_answers = [r for r in llm.values() if r["backend"] == "llm" and not r["abstained"]]
    return {
        "questions": len(replayed.asked),
        "holding": len(holding),
        "kept": len(kept),
        "kept_share": len(kept) / len(holding) if holding else None,
        "fallen_back": sorted(set(holding) - set(kept)),
        "citations": len(citations),
        "exact": len(exact),
        "llm_answers": len(llm_answers),
        "every_sentence_cited": sum(all(s.numbers for s in marked_sentences(r["answer"])) for r in llm_answers),
        "llm_accuracy": replayed.llm["answer_accuracy"],
        "extractive_accuracy": replayed.extractive["answer_accuracy"],
        "llm_accuracy_holding": sum(correct(replayed.asked[i][1], llm[i]) for i in holding),
        "extractive_accuracy_holding": sum(correct(replayed.asked[i][1], extractive[i]) for i in holding),
        "answerable": replayed.llm["counts"]["fact"] + replayed.llm["counts"]["what_if"],
        "fallback_rate": replayed.llm["fallback_rate"],
        **{f"{name}_{key}": summary[key] for name, summary in (("llm", replayed.llm), ("extractive", replayed.extractive))
           for key in ("citation_precision", "abstention_accuracy", "false_abstention_rate")},
        "requests": replayed.requests,
        "request_bound": replayed.bound,
    }


def describe(f: dict) -> str:
    """The figures as a few lines for people."""
    share = "n/a" if f["kept_share"] is None else f"{f['kept_share']:.3f}"
    return "\n".join([
        f"{f['questions']} questions replayed ({f['answerable']} answerable); {f['requests']} requests "
        f"(bound {f['request_bound']})",
        f"replies holding a supported answer: {f['holding']}; keep an LLM answer: {f['kept']} ({share}); "
        f"fell back: {', '.join(f['fallen_back']) or 'none'}",
        f"citations in the llm run: {f['citations']}, exact spans: {f['exact']}; LLM answers with every sentence "
        f"cited: {f['every_sentence_cited']} of {f['llm_answers']}",
        f"answer accuracy, all replayed answerable questions: llm {f['llm_accuracy']}, extractive "
        f"{f['extractive_accuracy']}; over the replies holding a supported answer: llm {f['llm_accuracy_holding']}"
        f"/{f['holding']}, extractive {f['extractive_accuracy_holding']}/{f['holding']}",
        f"fallback_rate {f['fallback_rate']}; citation precision llm {f['llm_citation_precision']}, extractive "
        f"{f['extractive_citation_precision']}; abstention accuracy llm {f['llm_abstention_accuracy']}, extractive "
        f"{f['extractive_abstention_accuracy']}; false abstention llm {f['llm_false_abstention_rate']}, extractive "
        f"{f['extractive_false_abstention_rate']}",
    ])


def source_text(corpus: str, source: str) -> str:
    from assistant.ingest.readers import read_text

    return read_text(SUITE / corpus / "corpus" / source)


@pytest.fixture(scope="module")
def replayed_figures(tmp_path_factory, session_cache) -> dict:
    if not REPLIES.exists():
        pytest.skip(f"no recorded replies at {REPLIES}")
    result = figures(replay(REPLIES, tmp_path_factory.mktemp("replay-stores"), session_cache))
    print("\n" + describe(result))
    return result


def test_replies_holding_a_supported_answer_keep_an_llm_answer(replayed_figures):
    f = replayed_figures
    assert f["holding"] > 0
    assert f["kept_share"] >= KEPT_AT_LEAST, describe(f)


def test_every_citation_of_the_llm_path_is_an_exact_span_and_every_sentence_is_cited(replayed_figures):
    f = replayed_figures
    assert f["citations"] > 0 and f["exact"] == f["citations"], describe(f)
    assert f["every_sentence_cited"] == f["llm_answers"], describe(f)


def test_the_llm_path_answers_at_least_as_well_as_the_extractive_reader_on_the_same_questions(replayed_figures):
    f = replayed_figures
    assert f["llm_accuracy"] >= f["extractive_accuracy"], describe(f)
    assert f["llm_accuracy_holding"] >= f["extractive_accuracy_holding"], describe(f)


def test_the_replay_stays_within_its_request_bound(replayed_figures):
    assert replayed_figures["requests"] <= replayed_figures["request_bound"]


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory(prefix="llm-replay-") as tmp:
        print(describe(figures(replay(Path(sys.argv[1]) if sys.argv[1:] else REPLIES, Path(tmp)))))

"""Opt-in: the LLM path against a real OpenAI-compatible server (llama.cpp's llama-server, Ollama's /v1, vLLM, ...),
held to the same bounds as the recorded replies (tests/test_llm_replay.py), its replies kept for replaying:

    ASSISTANT_TEST_LLM_URL=http://127.0.0.1:8080/v1 [ASSISTANT_TEST_LLM_MODEL=local] \\
    [ASSISTANT_TEST_LLM_CORPORA=xz-faq,leave-policy] [ASSISTANT_TEST_LLM_TIMEOUT=120] \\
    HF_HUB_OFFLINE=1 .venv/bin/python -m pytest -q -s tests/test_llm_real_server.py

The held-out questions of the named suite corpora are asked. Tests reach 127.0.0.1 only (conftest's guard): run
the server on this machine. Skipped unless ASSISTANT_TEST_LLM_URL is set.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from assistant import Assistant
from assistant.answer.llm import make_chat_model
from assistant.config import Settings
from assistant.evaluation.suite import SuiteCorpus, discover_suite

from tests.test_llm_replay import KEPT_AT_LEAST, SUITE, Replayed, describe, figures, run_both

URL = os.environ.get("ASSISTANT_TEST_LLM_URL")
MODEL = os.environ.get("ASSISTANT_TEST_LLM_MODEL", "local")
CORPORA = [c.strip() for c in os.environ.get("ASSISTANT_TEST_LLM_CORPORA", "xz-faq").split(",") if c.strip()]
TIMEOUT = float(os.environ.get("ASSISTANT_TEST_LLM_TIMEOUT", "120"))

pytestmark = pytest.mark.skipif(not URL, reason="set ASSISTANT_TEST_LLM_URL=http://127.0.0.1:PORT/v1 of a real "
                                "OpenAI-compatible server to run")


class ReplyRecorder:
    """Keeps each answer prompt's question line and the model's raw reply to it, through LangChain's callbacks."""

    def __init__(self):
        from langchain_core.callbacks import BaseCallbackHandler

        recorder = self
        self.asked: dict = {}  # run id -> the prompt's question line
        self.replies: dict[str, str] = {}  # question line -> raw reply

        class Handler(BaseCallbackHandler):
            def on_chat_model_start(self, serialized, messages, *, run_id, **kwargs):
                content = messages[0][-1].content if messages and messages[0] else ""
                _, marker, tail = str(content).rpartition("Question:")
                if marker:
                    recorder.asked[run_id] = " ".join(tail.split())

            def on_llm_end(self, response, *, run_id, **kwargs):
                question = recorder.asked.pop(run_id, None)
                if question is not None:
                    recorder.replies[question] = response.generations[0][0].text

        self.handler = Handler()

    def reply_to(self, question: str) -> str:
        """The raw reply to the prompt that asked `question` (its words, perhaps with acronyms spelled out)."""
        words = set(re.findall(r"\w+", question.casefold()))
        for line, reply in self.replies.items():
            if words <= set(re.findall(r"\w+", line.casefold())):
                return reply
        return ""  # not put to the model: a note, a tool's answer, or a follow-up the model rewrote


def test_a_real_models_replies_keep_their_citations(tmp_path, session_cache):
    suite = {c.name: c for c in discover_suite(SUITE)}
    unknown = sorted(set(CORPORA) - set(suite))
    assert not unknown, f"ASSISTANT_TEST_LLM_CORPORA names no suite corpus: {unknown}"
    corpora = [SuiteCorpus(name, suite[name].corpus_dir, [q for q in suite[name].questions if q.split == "heldout"])
               for name in CORPORA]
    recorder = ReplyRecorder()
    settings = Settings(backend="llm", llm=f"openai:{MODEL}", llm_base_url=URL, llm_timeout=TIMEOUT,
                        cache_dir=session_cache)

    def recording_assistant(local: Settings) -> Assistant:
        model = make_chat_model(local)
        model.callbacks = [recorder.handler]
        return Assistant(local, chat_model=model)

    llm, extractive = run_both(corpora, settings, tmp_path / "stores", session_cache, recording_assistant)
    asked = {q.id: (c.name, q, recorder.reply_to(q.question)) for c in corpora for q in c.questions}
    replies = tmp_path / "replies.jsonl"
    replies.write_text("".join(json.dumps({"corpus": corpus, "question": q.question, "reply": reply},
                                          ensure_ascii=False) + "\n" for corpus, q, reply in asked.values() if reply),
                       encoding="utf-8")
    f = figures(Replayed(asked, llm, extractive, len(recorder.replies), len(recorder.replies)))
    print(f"\n{MODEL} at {URL}; its replies, to replay: {replies}\n{describe(f)}")

    assert f["exact"] == f["citations"], describe(f)
    assert f["every_sentence_cited"] == f["llm_answers"], describe(f)
    assert f["holding"] == 0 or f["kept_share"] >= KEPT_AT_LEAST, describe(f)
    assert f["llm_accuracy_holding"] >= f["extractive_accuracy_holding"], describe(f)

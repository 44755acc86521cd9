"""The Assistant: ingest, retrieve and answer, behind one object."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from assistant.answer.calibration import Calibration, fitted
from assistant.config import Settings, load_settings
from assistant.answer.conversation import Query, condense
from assistant.errors import IndexMismatchError, LLMUnavailableError
from assistant.models import Answer, Citation, Passage, Turn
from assistant.answer.routing import Route, ask_model_for_tool_call
from assistant.answer.validation import validate_history, validate_question
from assistant.text import terms

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.runnables import Runnable

    from assistant.ingest.pipeline import IngestReport, Progress
    from assistant.index.search import HybridIndex
    from assistant.index.store import IndexInfo
    from assistant.retriever import AssistantRetriever

log = logging.getLogger(__name__)


class StreamEvent(BaseModel):
    """One event of `Assistant.stream`: a text delta, then the citations, then the whole answer."""

    type: Literal["text", "citations", "answer"]
    text: str = ""
    citations: list[Citation] = []
    answer: Answer | None = None


class Assistant:
    """Question answering over the corpus, with citations."""

    def __init__(self, settings: Settings | None = None, *, chat_model: BaseChatModel | None = None,
                 calibration: Calibration | None = None, **overrides: Any):
        """Settings come from defaults, config file, ASSISTANT_* env vars, then `overrides`.

        Args:
            chat_model: a LangChain chat model to use for the llm backend instead of `settings.llm`.
            calibration: the extractive answerer's weight and abstention thresholds, instead of those fitted on
                the suite (`assistant/answer/calibration.json`); may be changed later by setting `calibration`.
        """
        if settings is None:
            settings = load_settings(**overrides)
        elif overrides:
            settings = Settings(**{**settings.model_dump(), **overrides})
        if chat_model is not None and "backend" not in overrides and settings.backend == "extractive" and settings.llm is None:
            settings = settings.model_copy(update={"backend": "llm"})
        self.settings = settings
        self._chat_model = chat_model
        self.calibration = calibration
        self._shared = _SharedIndex()
        self._extractive = None
        self._llm = None
        self._chain: Runnable | None = None

    def derive(self, **overrides: Any) -> Assistant:
        """An assistant with some settings changed (the backend, k) that shares this one's open index, so that
        both answer from the same index and it is opened once."""
        sibling = Assistant(settings=self.settings, chat_model=self._chat_model, calibration=self.calibration,
                            **overrides)
        if all(getattr(sibling.settings, name) == getattr(self.settings, name) for name in _INDEX_SETTINGS):
            sibling._shared = self._shared
        return sibling

    # -- the index -------------------------------------------------------------------------

    def ingest(self, rebuild: bool = False, progress: Progress | None = None) -> IngestReport:
        """Bring the index in line with the corpus directory."""
        from assistant.ingest.pipeline import ingest

        with self._shared.lock:
            report = ingest(self.settings, rebuild=rebuild, progress=progress)
            index = self._shared.index
            if report.changed or index is None or index.info.fingerprint != report.fingerprint:
                self._shared.index = None
            return report

    def needs_ingest(self) -> bool:
        """Whether the next question would ingest first: there is no index yet, or the corpus changed since
        (file names, sizes and modification times; nothing is read or hashed)."""
        from assistant.ingest.corpus import corpus_signature

        with self._shared.lock:
            index = self._shared.index
            if index is not None:
                return self._shared.signature != corpus_signature(self.settings.corpus_dir)
            info = self.status()
            return info is None or info.signature != corpus_signature(self.settings.corpus_dir)

    def status(self) -> IndexInfo | None:
        """What the live index was built from, or None before the first ingest."""
        from assistant.index.store import Store

        active = Store(self.settings).active()
        return None if active is None else active[1]

    def index(self) -> HybridIndex:
        """The live index, opened once (under a lock: concurrent first questions wait for it), ingesting first
        when there is none or the corpus changed."""
        from assistant.ingest.corpus import corpus_signature

        with self._shared.lock:
            shared = self._shared
            if shared.index is not None and time.monotonic() < shared.next_check:
                return shared.index
            started = time.monotonic()
            signature = corpus_signature(self.settings.corpus_dir)
            # A corpus of thousands of files takes tens of ms to look at: questions that follow within a few
            # times that reuse the look, so that it never costs more than a tenth of the time.
            shared.next_check = time.monotonic() + _CHECK_SPACING * (time.monotonic() - started)
            if shared.index is not None and shared.signature == signature:
                return shared.index
            shared.index = self._open_index(signature)
            shared.signature = signature
            return shared.index

    def _live_index(self) -> HybridIndex:
        """The index this question is being answered from: checked for freshness once, when the question came
        in (`index()` in `_prepare`), not again at every step of the answer."""
        return self._shared.index or self.index()

    def _open_index(self, signature: str) -> HybridIndex:
        from assistant.ingest.chunking import CHUNKER_VERSION
        from assistant.ingest.corpus import changed_contents, file_stats
        from assistant.index.embeddings import load_embedder
        from assistant.ingest.pipeline import is_compatible
        from assistant.index.search import open_index
        from assistant.index.store import Store, describe_store

        store = Store(self.settings)
        active = store.active()
        if active is not None and not is_compatible(active[1], self.settings):
            info = active[1]
            raise IndexMismatchError(
                f"The index at {describe_store(self.settings)} was built with {info.embedding_model} "
                f"(chunks {info.chunk_size}/{info.chunk_overlap}, chunker v{info.chunker_version}), but the settings ask for "
                f"{self.settings.embedding_model} (chunks {self.settings.chunk_size}/{self.settings.chunk_overlap}, "
                f"chunker v{CHUNKER_VERSION}). "
                "Run `assistant ingest --rebuild`."
            )
        stale = active is None
        if not stale and active[1].signature != signature:  # names, sizes or times changed: are the contents?
            stats = file_stats(self.settings.corpus_dir)
            stale = bool(stats) and changed_contents(self.settings.corpus_dir, stats, active[1].files,
                                                     active[1].file_stats)
            if not stale:
                store.remember_signature(active[0], active[1], signature, stats)
        if stale:
            log.info("Index missing or out of date: ingesting %s", self.settings.corpus_dir)
            from assistant.ingest.pipeline import ingest

            ingest(self.settings)
            active = store.active()
        collection, info = active
        return open_index(store, collection, info, load_embedder(self.settings.embedding_model, self.settings.cache_dir))

    # -- asking ----------------------------------------------------------------------------

    def retrieve(self, question: str, history: list[Turn] | None = None, k: int | None = None) -> list[Passage]:
        """The ranked passages for a question (read with its history)."""
        query = condense(validate_question(question), validate_history(history))
        also = query.question if query.is_follow_up else None
        return self.index().search(query.search_text, k or self.settings.k, also=also)

    def as_retriever(self, k: int | None = None) -> AssistantRetriever:
        """This assistant's retrieval as a LangChain `BaseRetriever`: each Document a passage, with its file and span
        (`source`, `start`, `end`) in its metadata. `k` passages (default: the `k` setting)."""
        from assistant.retriever import AssistantRetriever

        return AssistantRetriever(assistant=self, k=k)

    def ask(self, question: str, history: list[Turn | dict] | None = None) -> Answer:
        """A cited answer, or an abstention when the documents do not say."""
        return self.chain().invoke({"question": question, "history": history})

    def stream(self, question: str, history: list[Turn | dict] | None = None) -> Iterator[StreamEvent]:
        """The answer as it is written: text deltas, then the citations, then the whole Answer."""
        query, passages, routed = self._prepare(question, history)
        answer = None
        if routed.answer is not None or routed.hypothetical:
            answer = self._answer(query, passages, routed)
            yield from _word_events(answer.text)
        elif self._uses_llm():
            deltas: list[str] = []
            try:
                for delta in self._llm_answerer().stream(query, passages):
                    deltas.append(delta)
                    yield StreamEvent(type="text", text=delta)
                answer = self._checked_llm_answer(query, passages, "".join(deltas))
            except LLMUnavailableError as exc:
                answer = self._fallback(query, passages, f"The language model failed ({exc})")
                if not deltas:
                    yield from _word_events(answer.text)
        else:
            answer = self._answer(query, passages, routed)
            yield from _word_events(answer.text)
        yield StreamEvent(type="citations", citations=answer.citations)
        yield StreamEvent(type="answer", answer=answer)

    def chain(self) -> Runnable:
        """The LangChain chain behind `ask`: prepare (validate, condense), retrieve, answer."""
        if self._chain is None:
            from langchain_core.runnables import RunnableLambda

            prepare = RunnableLambda(lambda x: self._prepare(x["question"], x.get("history")), name="condense_and_retrieve")
            answer = RunnableLambda(lambda prepared: self._answer(*prepared), name="route_and_answer")
            self._chain = prepare | answer
        return self._chain

    # -- internals -------------------------------------------------------------------------

    def _prepare(self, question: str, history: Any) -> tuple[Query, list[Passage], Route]:
        from assistant.answer.routing import language_route, route

        cleaned = validate_question(question)
        turns = validate_history(history)
        index = self.index()
        query = condense(cleaned, turns)
        # On either backend: the search reads the documents' language alone, so a model asked anyway is given
        # passages that only look related (a real one invented a fact from them, in the question's language).
        other = language_route(cleaned, index.info.written_in, self.settings.cache_dir)
        if other is not None:
            return query, [], other
        routed = route(cleaned, self.settings.corpus_dir)
        if routed.answer is not None and not self._uses_llm():
            return query, [], routed
        if query.is_follow_up and self._uses_llm():
            try:
                rewritten = self._llm_answerer().condense(cleaned, turns)
                query = Query(cleaned, rewritten, query.previous, query.said)
            except LLMUnavailableError:
                pass  # the rule-based condensation above still holds
        query, passages = self._search(query)
        return query, passages, routed

    def _search(self, query: Query) -> tuple[Query, list[Passage]]:
        """The query with the corpus's acronyms spelled out, and its passages."""
        index = self._live_index()
        query = replace(query, search_text=index.spell_out(query.search_text))
        also = index.spell_out(query.question) if query.is_follow_up else None
        return query, index.search(query.search_text, self.settings.k, also=also)

    def _answer(self, query: Query, passages: list[Passage], routed: Route) -> Answer:
        if self._uses_llm() and routed.hypothetical:
            try:
                chosen = ask_model_for_tool_call(self._llm_answerer().chat_model, query.question, self.settings.corpus_dir)
                if chosen is not None:
                    return self._stamp(self._link_chunks(chosen))
            except Exception as exc:  # the model server is down or cannot call tools: the rules still answer
                if routed.answer is not None:
                    routed.answer.notice = _join(f"The language model failed ({type(exc).__name__}); the clause engine answered", routed.answer.notice)
        if routed.answer is not None:
            return self._stamp(self._link_chunks(routed.answer))
        if self._uses_llm():
            try:
                answer = self._llm_answerer().answer(query, passages)
                answer = self._checked(query, passages, answer)
            except LLMUnavailableError as exc:
                answer = self._fallback(query, passages, f"The language model failed ({exc})")
        else:
            answer = self._extractive_parts(query, passages)
            if query.either_way:  # "What did Acme say about it?": read alone too, and the better supported kept
                alone = self._extractive_parts(*self._search(Query(query.question, query.question)))
                conversation = f"{query.previous} {query.said or ''}"
                answer = _better_supported(answer, alone, conversation,
                                           self._extractive_answerer().calibration.already_said)
            answer = self._stamp(answer)
        answer.notice = _join(routed.notice, answer.notice)
        return answer

    def _extractive_parts(self, query: Query, passages: list[Passage]) -> Answer:
        """The extractive answer; a question that asks two things has each part answered on its own, at any turn:
        the first read with the conversation it leans on, the later parts as follow-ups of the earlier
        (`question_parts`)."""
        from assistant.answer.question_parts import join_answers, split_question

        answerer = self._extractive_answerer()
        parts = split_question(query.question)
        if len(parts) < 2:
            return answerer.answer(query, passages)
        from assistant.answer.compose import abstain

        answered: list[tuple[str, Answer]] = []
        turns = [Turn(role="user", content=query.previous), Turn(role="assistant", content=query.said or "")] \
            if query.previous else []
        for part in parts:
            part_query = condense(part, turns)
            if part_query.is_follow_up and answered and answered[-1][1].abstained:
                answer = abstain(part)  # about what the documents do not know ("... 3.9, and what did it change?")
            else:
                answer = answerer.answer(*self._search(part_query))
            answered.append((part, answer))
            turns = [Turn(role="user", content=part), Turn(role="assistant", content=answer.text)]
        if all(answer.abstained for _, answer in answered):
            # "between A and B, which was founded first, and how many years earlier?": neither part alone names
            # what the whole computes with
            computed = answerer.computed(query, passages)
            if computed is not None:
                return computed
        return join_answers(query.question, answered)

    def _checked_llm_answer(self, query: Query, passages: list[Passage], reply: str) -> Answer:
        return self._checked(query, passages, self._llm_answerer().finish(query, passages, reply))

    def _checked(self, query: Query, passages: list[Passage], answer: Answer) -> Answer:
        if not answer.abstained and not any(s.supported for s in answer.provenance.sentences):
            return self._fallback(query, passages,
                                  "No sentence of the language model's answer was supported by the passages it was given")
        return self._stamp(answer)

    def _fallback(self, query: Query, passages: list[Passage], reason: str) -> Answer:
        answer = self._extractive_answerer().answer(query, passages)
        answer.notice = f"{reason}; {FALLBACK_NOTICE}."
        return self._stamp(answer)

    def _link_chunks(self, answer: Answer) -> Answer:
        """Give a clause citation the id of the indexed chunk its quote lies in, as document citations have."""
        index = self._live_index()
        for citation in answer.citations:
            if citation.chunk_id is None:
                citation.chunk_id = index.chunk_containing(citation.source, citation.start, citation.end)
        return answer

    def _stamp(self, answer: Answer) -> Answer:
        index = self._live_index()
        answer.provenance.embedding_model = index.info.embedding_model
        answer.provenance.index_fingerprint = index.info.fingerprint
        return answer

    def _uses_llm(self) -> bool:
        return self.settings.backend == "llm"

    def _extractive_answerer(self):
        index = self._live_index()
        wanted = self.calibration or fitted(index.info.embedding_model)  # fitted around the model's dense signal
        if self._extractive is None or self._extractive.index is not index or self._extractive.calibration != wanted:
            from assistant.answer.extractive import ExtractiveAnswerer

            self._extractive = ExtractiveAnswerer(index, wanted)
        return self._extractive

    def _llm_answerer(self):
        if self._llm is None:
            from assistant.answer.llm import LLMAnswerer, make_chat_model

            model = self._chat_model or make_chat_model(self.settings)
            self._llm = LLMAnswerer(model, self._live_index().embedder)
        return self._llm


# Ends the notice of an llm-backend answer replaced by the extractive one (the eval counts them by it).
FALLBACK_NOTICE = "this answer comes from the extractive backend"
_CHECK_SPACING = 10  # the corpus is looked at again after this many times what the last look took

# Settings that shape the index: assistants that agree on them can share one open index.
_INDEX_SETTINGS = ("corpus_dir", "store_dir", "cache_dir", "chroma_url", "collection", "embedding_model", "chunk_size",
                   "chunk_overlap")


class _SharedIndex:
    """The open index of one store, shared by an assistant and those derived from it, guarded by one lock."""

    def __init__(self):
        self.lock = threading.RLock()
        self.index: HybridIndex | None = None
        self.signature: str | None = None  # the corpus's names, sizes and times when the index was opened
        self.next_check = 0.0  # time.monotonic() before which the corpus is not looked at again


def _better_supported(leaning: Answer, alone: Answer, conversation: str, repeats: float) -> Answer:
    """Of the two readings of a question that names a subject of its own and also points back ("And what about
    Initech?"): the one with the conversation, unless it finds no answer, or only what the conversation already
    holds (the `repeats` share of its terms or more, the calibration's `already_said`), where the one alone finds
    another. Their scores do not compare: the conversation's words weigh in one and not the other."""
    if alone.abstained:
        return leaning
    own = set(terms(leaning.text))
    if leaning.abstained or own and len(own & set(terms(conversation))) >= repeats * len(own):
        return alone
    return leaning


def _join(*notices: str | None) -> str | None:
    return "; ".join(n for n in notices if n) or None


def _word_events(text: str) -> Iterator[StreamEvent]:
    words = text.split(" ")
    for i, word in enumerate(words):
        yield StreamEvent(type="text", text=word if i == 0 else " " + word)

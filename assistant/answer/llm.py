"""The LLM backend: any LangChain chat model, made to cite the numbered passages it is given."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.answer.conversation import Query
from assistant.index.embeddings import Embedder
from assistant.errors import ConfigError, LLMUnavailableError
from assistant.models import Answer, Passage, Provenance, Turn
from assistant.answer.prompts import load_prompt
from assistant.answer.markers import marked_sentences
from assistant.answer.support import CheckedText, check_text

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

NO_ANSWER = "NOT IN DOCUMENTS"
# How a provider's LangChain model names the cap on a reply's tokens, where it is not `max_tokens`.
_REPLY_CAP = {"ollama": "num_predict"}


def make_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model named by `settings.llm` (provider:model), through LangChain's init_chat_model."""
    if not settings.llm or ":" not in settings.llm:
        raise ConfigError(
            "The llm backend needs ASSISTANT_LLM=provider:model, e.g. ollama:llama3.1 or openai:gpt-4o-mini."
        )
    from langchain.chat_models import init_chat_model

    provider, model = settings.llm.split(":", 1)
    kwargs: dict = {"temperature": 0, "timeout": settings.llm_timeout, "max_retries": 0,
                    _REPLY_CAP.get(provider, "max_tokens"): settings.llm_max_tokens}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    if provider == "openai":
        # OpenAI-compatible local servers accept any key; the client refuses to start without one.
        kwargs["api_key"] = settings.llm_api_key or "not-needed"
        if settings.llm_base_url:
            # The client sends the cap as `max_completion_tokens`, which older llama.cpp servers, llamafile and
            # others ignore: an OpenAI-compatible server is sent `max_tokens` as well.
            kwargs["extra_body"] = {"max_tokens": settings.llm_max_tokens}
    elif settings.llm_api_key:
        kwargs["api_key"] = settings.llm_api_key
    try:
        return init_chat_model(model, model_provider=provider, **kwargs)
    except ImportError as exc:
        raise ConfigError(f"The {provider} provider needs its package: `pip install langchain-{provider}` ({exc}).") from None
    except ValueError as exc:
        raise ConfigError(f"Cannot set up the chat model {settings.llm!r}: {exc}") from None


def format_passages(passages: list[Passage]) -> str:
    """Passages numbered as the model must cite them."""
    return "\n\n".join(f"[{n}] ({p.source}, {p.section})\n{p.text}" for n, p in enumerate(passages, start=1))


class LLMAnswerer:
    """Asks a chat model with the retrieved passages and checks what it cites."""

    def __init__(self, chat_model: BaseChatModel, embedder: Embedder | None):
        self.chat_model = chat_model
        self.embedder = embedder

    def messages(self, question: str, passages: list[Passage]) -> list:
        """The prompt: system rules, then the numbered passages and the question."""
        from langchain_core.messages import HumanMessage, SystemMessage

        user = load_prompt("answer_user").format(passages=format_passages(passages), question=question)
        return [SystemMessage(load_prompt("answer_system")), HumanMessage(user)]

    def condense(self, question: str, history: list[Turn]) -> str:
        """A standalone version of a follow-up question, written by the model."""
        transcript = "\n".join(f"{t.role}: {t.content}" for t in history[-6:])
        prompt = load_prompt("condense").format(history=transcript, question=question)
        return _content(self._invoke(prompt)).strip() or question

    def answer(self, query: Query, passages: list[Passage]) -> Answer:
        """The model's cited answer; raises LLMUnavailableError when the model cannot be used."""
        message = self._invoke(self.messages(query.search_text, passages))
        return self.finish(query, passages, _content(message), cut=_was_cut(message))

    def stream(self, query: Query, passages: list[Passage]) -> Iterator[str]:
        """Text deltas as the model writes them."""
        try:
            for chunk in self.chat_model.stream(self.messages(query.search_text, passages)):
                delta = _content(chunk)
                if delta:
                    yield delta
        except Exception as exc:
            raise LLMUnavailableError(_describe(exc)) from exc

    def finish(self, query: Query, passages: list[Passage], reply: str, cut: bool = False) -> Answer:
        """Turn the model's full reply into a checked Answer: its supported sentences, each cited with exact spans.

        Args:
            cut: the model stopped at the reply-token cap, so its last sentence may be unfinished.
        """
        if NO_ANSWER in reply.upper() or not reply.strip():
            return Answer(question=query.question, text="The documents don't say. Nothing in the corpus answers this question.",
                          abstained=True, provenance=Provenance(backend="llm"))
        notices = []
        if cut:
            reply, unfinished = _without_unfinished_end(reply)
            if unfinished:
                notices.append("The model's reply reached the reply-token cap (llm_max_tokens); its unfinished last "
                               "sentence was left out")
        checked: CheckedText = check_text(reply, passages, self.embedder, query.question)
        if checked.dropped_markers:
            notices.append(f"The model cited passage(s) {checked.dropped_markers} that do not exist; those markers "
                           "were dropped")
        if checked.unsupported and checked.any_supported:
            notices.append(f"{checked.unsupported} sentence(s) of the model's answer that no passage supports were "
                           "left out")
        return Answer(
            question=query.question, text=checked.text, citations=checked.citations,
            notice="; ".join(notices) + "." if notices else None,
            provenance=Provenance(backend="llm", sentences=checked.sentences, dropped_markers=checked.dropped_markers),
        )

    def _invoke(self, prompt):
        try:
            return self.chat_model.invoke(prompt)
        except Exception as exc:
            raise LLMUnavailableError(_describe(exc)) from exc


def _was_cut(message) -> bool:
    """Whether the model stopped because it reached the reply-token cap (as OpenAI, Ollama or Anthropic say it)."""
    meta = getattr(message, "response_metadata", None) or {}
    return "length" in (meta.get("finish_reason"), meta.get("done_reason")) or meta.get("stop_reason") == "max_tokens"


def _without_unfinished_end(reply: str) -> tuple[str, bool]:
    """The reply without a last sentence that stops before its closing punctuation, and whether there was one."""
    sentences = marked_sentences(reply)
    if not sentences or sentences[-1].plain.rstrip().endswith((".", "!", "?")):
        return reply, False
    return reply[: sentences[-1].start], True


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else 'no detail'}"


def _content(message) -> str:
    content = getattr(message, "content", message)
    if isinstance(content, list):
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content)

"""The chat handler and the Documents tab's actions, called without a server."""

from __future__ import annotations

import html
import re

from assistant import Assistant, AssistantRuntimeError, StreamEvent
from tests.conftest import CORPUS, source_text
from ui.assistant_pool import AssistantPool
from ui.chat_tab import EMPTY_MESSAGE, EXTRAS_MARKER, TRACE_TITLE, respond
from ui.documents_tab import add_documents, document_rows, documents_html, index_status, reingest, remove
from ui.formatting import ERROR_PREFIX

SOURCE = "microsoft-openai-partnership.md"


def final(pool, message, history=(), backend="extractive", k=5) -> list[dict]:
    replies = list(respond(pool, message, list(history), backend, k))
    assert replies, "the handler must always reply"
    return replies[-1]


def test_a_question_streams_then_ends_with_a_cited_answer_whose_footnote_marks_the_source(bot):
    replies = list(respond(AssistantPool(bot), "Until when does the partnership last?", [], "extractive", 5))
    assert len(replies) > 2, "the answer should arrive in pieces"
    partial = [r[0]["content"] for r in replies[:-1]]
    assert all(a in b or b.startswith(a) for a, b in zip(partial, partial[1:]))
    (message,) = replies[-1]
    text, extras = message["content"].split(EXTRAS_MARKER)
    assert "2030" in text and re.search(r"\[\d\]", text)
    quote = re.search(r"<mark>(.*?)</mark>", extras).group(1)
    assert "until 2030" in quote
    start, end = map(int, re.search(r"characters (\d+)–(\d+)", extras).groups())
    assert source_text(SOURCE)[start:end].replace("'", "&#x27;") == quote


def test_follow_up_questions_carry_the_chat_history(bot):
    pool = AssistantPool(bot)
    first = final(pool, "Who has the right of first refusal?")
    history = [{"role": "user", "content": [{"type": "text", "text": "Who has the right of first refusal?"}]}, *first]
    seen = []

    class Recording(Assistant):
        def stream(self, question, history=None):
            seen.append(history)
            yield from super().stream(question, history)

    recording = Recording(settings=bot.settings)
    reply = final(AssistantPool(recording), "And until when does their partnership last?", history)
    assert seen[0][0] == {"role": "user", "content": "Who has the right of first refusal?"}
    assert seen[0][1]["role"] == "assistant" and EXTRAS_MARKER not in seen[0][1]["content"]
    assert "2030" in reply[-1]["content"].split(EXTRAS_MARKER)[0]


def test_empty_and_too_long_questions_get_a_polite_message(bot):
    pool = AssistantPool(bot)
    assert final(pool, "   ") == [{"role": "assistant", "content": ERROR_PREFIX + EMPTY_MESSAGE}]
    (long,) = final(pool, "why " * 1000)
    assert long["content"].startswith(ERROR_PREFIX) and "limit is 2000" in long["content"]


class ScriptedAssistant:
    """Stands in for an Assistant: streams a fixed answer from a real one's index, or fails."""

    def __init__(self, bot, answer=None, error=None):
        self.settings = bot.settings
        self.index = bot.index
        self.answer = answer
        self.error = error

    def needs_ingest(self):
        return False

    def stream(self, question, history=None):
        if self.error:
            raise self.error
        yield StreamEvent(type="text", text=self.answer.text)
        yield StreamEvent(type="citations", citations=self.answer.citations)
        yield StreamEvent(type="answer", answer=self.answer)


def test_a_clause_tool_answer_shows_its_trace_as_a_collapsed_message_first(bot, monkeypatch):
    import assistant.clauses
    import assistant.clauses.reader
    from assistant.answer.routing import clause_answer

    article = assistant.clauses.load_pack(CORPUS / "microsoft-openai-partnership.clauses.yaml")
    answer = clause_answer("q", article, assistant.clauses.evaluate(
        article, {"microsoft_can_meet_demand": False, "provider": "aws"}))
    answer.provenance.backend = "llm"  # the model chose the tool: the trace is of its facts, not of a re-read question

    def not_again(*args, **kwargs):
        raise AssertionError("the chat draws the trace the answer carries; it does not run the clause engine again")

    monkeypatch.setattr(assistant.clauses, "evaluate", not_again)
    monkeypatch.setattr(assistant.clauses.reader, "read_question", not_again)
    pool = AssistantPool(bot)
    pool._pool[("extractive", 5)] = ScriptedAssistant(bot, answer)
    trace, reply = final(pool, "What if it turns elsewhere?")
    assert trace["metadata"] == {"title": f"{TRACE_TITLE} (clause_engine)", "status": "done"}
    assert trace["content"] == answer.trace
    assert "Right of first refusal on new compute" in trace["content"]
    assert "- Microsoft can't meet the need: true" in trace["content"]
    assert reply["content"].startswith(answer.text)
    quotes = re.findall(r"<mark>(.*?)</mark>", reply["content"])
    assert len(quotes) == len(answer.citations) and "class=\"where\">" + SOURCE + ", characters" in reply["content"]
    (plain,) = final(pool_with(bot, answer.model_copy(update={"trace": None, "tool": None})), "Until when?")
    assert plain["content"].startswith(answer.text), "an answer without a trace is one message"


def pool_with(bot, answer) -> AssistantPool:
    pool = AssistantPool(bot)
    pool._pool[("extractive", 5)] = ScriptedAssistant(bot, answer)
    return pool


def test_failures_become_a_message_never_a_stack_trace(bot):
    pool = AssistantPool(bot)
    pool._pool[("extractive", 5)] = ScriptedAssistant(bot, error=AssistantRuntimeError("Chroma is down. Start it."))
    (message,) = final(pool, "Until when?")
    assert message["content"] == ERROR_PREFIX + "The assistant could not answer: Chroma is down. Start it."
    pool._pool[("extractive", 5)] = ScriptedAssistant(bot, error=KeyError("boom"))
    (message,) = final(pool, "Until when?")
    assert message["content"].startswith(ERROR_PREFIX + "Something went wrong (KeyError)")
    assert "Traceback" not in message["content"] and "boom" not in message["content"]


def test_settings_pick_an_assistant_per_backend_and_k(bot):
    pool = AssistantPool(bot)
    assert pool.backends() == ["extractive"]
    assert pool.get("extractive", 5) is bot
    other = pool.get("extractive", 2)
    assert other.settings.k == 2 and other.settings.store_dir == bot.settings.store_dir
    assert pool.get("extractive", 2.0) is other
    assert pool.get("llm", 5) is bot, "llm is not offered without a configured model"
    llm_pool = AssistantPool(Assistant(settings=bot.settings, llm="ollama:llama3.1"))
    assert llm_pool.backends() == ["extractive", "llm"]
    assert llm_pool.get("llm", 3).settings.backend == "llm"


def test_documents_tab_adds_lists_removes_and_reingests(tmp_path, corpus_copy):
    bot = Assistant(store_dir=tmp_path / "store", corpus_dir=corpus_copy)
    pool = AssistantPool(bot)
    assert "No index yet" in index_status(pool)
    summary = reingest(pool)
    assert re.match(r"Index: (\d+) chunks from 1 file\(s\): \1 added, 0 removed, 0 unchanged; 1 clause pack\(s\)$", summary)
    assert "Embedding model" in index_status(pool)
    assert documents_html(bot.settings).count('class="chunk-start"') == bot.status().chunk_count

    (tmp_path / "upload").mkdir()
    upload = tmp_path / "upload" / "../note.md"  # a name with a path in it is kept as its last part
    (tmp_path / "note.md").write_text("# Note\n\nThe partnership has a new clause about quantum computing.\n")
    steps = []
    report = add_documents(pool, [str(upload)], replace=False, progress=lambda done, total: steps.append((done, total)))
    assert report.startswith("Added note.md.") and "from 2 file(s)" in report and steps
    assert (corpus_copy / "note.md").exists()
    assert ["note.md", 1] in document_rows(pool)
    assert "already in the corpus" in add_documents(pool, [str(tmp_path / "note.md")], replace=False)
    assert "Nothing changed" in add_documents(pool, [str(tmp_path / "note.md")], replace=True)
    (tmp_path / "tool.exe").write_bytes(b"MZ")
    assert "is not a document the assistant reads" in add_documents(pool, [str(tmp_path / "tool.exe")], replace=False)

    assert "quantum" in bot.ask("What new clause does the partnership have?").text
    report = remove(pool, "note.md")
    assert report.startswith("Removed note.md.") and "from 1 file(s)" in report
    assert not (corpus_copy / "note.md").exists() and [r[0] for r in document_rows(pool)] == ["microsoft-openai-partnership.md"]
    assert "No document '../corpus'" in html.unescape(remove(pool, "../corpus"))
    assert reingest(pool).endswith("Nothing changed.")


def test_sources_say_so_when_the_corpus_is_missing(tmp_path):
    bot = Assistant(store_dir=tmp_path / "store", corpus_dir=tmp_path / "nowhere")
    assert "corpus directory does not exist" in documents_html(bot.settings)


def test_a_document_changed_outside_the_ui_is_read_again_before_the_answer_and_the_chat_says_so(tmp_path, corpus_copy):
    bot = Assistant(store_dir=tmp_path / "store", corpus_dir=corpus_copy)
    bot.ingest()
    pool = AssistantPool(bot)
    list(respond(pool, "Until when does the partnership last?", [], "extractive", 5))
    (corpus_copy / "lease.txt").write_text("The tenant pays a monthly rent of 1,200 euros.\n")
    replies = list(respond(pool, "What is the monthly rent?", [], "extractive", 5))
    assert replies[0][0]["content"].startswith("⏳ The documents changed")
    assert "1,200 euros" in replies[-1][-1]["content"]
    assert not list(respond(pool, "What is the monthly rent?", [], "extractive", 5))[0][0]["content"].startswith("⏳")

"""The UI's pure functions: footnotes, history, traces, chunk maps, what-if controls, serving options; and what the
UI may not do: re-run the clause engine or read files to draw a chat answer, name the article's parties."""

from __future__ import annotations

import html
import re
import subprocess
import sys

import pytest

from assistant import Answer, Citation, Provenance
from assistant.answer.routing import clause_answer
from assistant.clauses import evaluate, load_pack
from assistant.clauses.render import render_answer
from assistant.clauses.trace import trace_markdown
from tests.conftest import CORPUS, REPO, source_text
from ui.chat_tab import EXTRAS_MARKER, answer_markdown, history_turns
from ui.documents_tab import chunks_html, status_markdown
from ui.formatting import error_message
from ui.sources_panel import Excerpt, cited_excerpts, citation_html, footnotes_html, locate_quote, passage_window

SOURCE = "microsoft-openai-partnership.md"
TEXT = source_text(SOURCE)
QUOTE = "The partnership is set to last until 2030"


def cite(quote: str = QUOTE, n: int = 1, start: int | None = None) -> Citation:
    begin = TEXT.index(quote) if start is None else start
    return Citation(n=n, source=SOURCE, title="Partnership", quote=quote, start=begin, end=begin + len(quote))


def marked(fragment: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", fragment)]


def test_footnote_marks_exactly_the_cited_span_inside_its_passage():
    note = citation_html(cite(), Excerpt(TEXT))
    assert marked(note) == [QUOTE]
    passage = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<div class="passage">(.*?)</div>', note).group(1)))
    assert "Microsoft’s commitment to OpenAI remains strong. " + QUOTE in passage
    assert note.startswith("<details") and "<summary><b>[1]</b>" in note
    assert f"characters {TEXT.index(QUOTE)}–{TEXT.index(QUOTE) + len(QUOTE)}" in note


def test_footnote_finds_a_quote_whose_offsets_went_stale_and_says_when_it_is_gone():
    stale = cite(start=0)
    assert locate_quote(Excerpt(TEXT), stale) == (TEXT.index(QUOTE), TEXT.index(QUOTE) + len(QUOTE))
    assert marked(citation_html(stale, Excerpt(TEXT))) == [QUOTE]
    gone = citation_html(cite(start=0).model_copy(update={"quote": "not in the file"}), Excerpt(TEXT))
    assert marked(gone) == ["not in the file"] and "re-ingest" in gone


def test_passage_window_stays_in_the_paragraph_and_shows_cuts():
    text = "First paragraph.\n\nAlpha beta gamma delta epsilon zeta.\n\nLast."
    start = text.index("gamma")
    before, span, after = passage_window(text, start, start + 5, context=6)
    assert span == "gamma"
    assert before == "… beta " and after == " delta…"
    assert passage_window(text, start, start + 5, context=500) == ("Alpha beta ", "gamma", " delta epsilon zeta.")


def test_footnotes_escape_html_and_markdown_triggers():
    text = "Pay <script>alert(1)</script> $100 billion now."
    quote = "<script>alert(1)</script> $100"
    c = Citation(n=1, source="x.md", title="T <b>", quote=quote, start=4, end=4 + len(quote))
    note = footnotes_html([c], {1: Excerpt(text)})
    assert "<script>" not in note and "<b>" not in note.replace("<b>[1]</b>", "")
    assert "$" not in note and marked(note) == [quote]


def test_footnotes_follow_marker_order():
    notes = footnotes_html([cite("until 2030", n=2), cite(QUOTE, n=1)], {1: Excerpt(TEXT), 2: Excerpt(TEXT)})
    assert [int(n) for n in re.findall(r'data-n="(\d+)"', notes)] == [1, 2]
    assert footnotes_html([], {}) == ""


def answer(text: str, citations=(), notice=None, tool=None) -> Answer:
    return Answer(question="q", text=text, citations=list(citations), notice=notice, tool=tool,
                  provenance=Provenance(backend="extractive"))


def test_answer_message_puts_text_first_then_notice_and_footnotes_after_the_marker():
    message = answer_markdown(answer(f"{QUOTE}. [1]", [cite()], notice="LLM down"), {1: Excerpt(TEXT)})
    text, extras = message.split(EXTRAS_MARKER)
    assert text.strip() == f"{QUOTE}. [1]"
    assert "Note: LLM down" in extras and marked(extras) == [QUOTE]
    assert answer_markdown(answer("The documents do not say."), {}) == "The documents do not say."


def test_history_keeps_only_the_conversation():
    reply = answer_markdown(answer("Until 2030. [1]", [cite()]), {1: Excerpt(TEXT)})
    messages = [
        {"role": "user", "content": [{"type": "text", "text": "Until when?"}]},
        {"role": "assistant", "content": "trace", "metadata": {"title": "How the clause engine decided"}},
        {"role": "assistant", "content": [{"type": "text", "text": reply}]},
        {"role": "user", "content": "   "},
        {"role": "assistant", "content": error_message("Please type a question")},
        {"role": "user", "content": "x" * 3000},
        {"role": "assistant", "content": error_message("too long")},
    ]
    assert history_turns(messages) == [
        {"role": "user", "content": "Until when?"},
        {"role": "assistant", "content": "Until 2030. [1]"},
    ]


def _article():
    return load_pack(CORPUS / "microsoft-openai-partnership.clauses.yaml")


def test_trace_markdown_shows_facts_conditions_and_quotes_the_answer_cites():
    article = _article()
    evaluation = evaluate(article, {"microsoft_can_meet_demand": False, "provider": "aws"})
    text, citations = render_answer(article.pack, evaluation)
    trace = clause_answer("q", article, evaluation).trace
    assert trace == trace_markdown(article.pack, evaluation, citations)
    assert "- Whether Microsoft can meet OpenAI's new computing needs: no (question)" in trace
    assert "- The cloud provider OpenAI would use: AWS (question)" in trace
    assert "**Right of first refusal on new compute** (decided)" in trace
    assert "- Microsoft can't meet the need: true" in trace
    assert "_" not in trace.replace("\\_", ""), "no field name is shown as code"
    shown = {int(n) for n in re.findall(r"^> \[(\d+)\]", trace, flags=re.M)}
    assert shown and shown <= {c.n for c in citations}, "the trace cites only quotes the answer lists"
    for citation in citations:
        if citation.n in shown:
            assert f"> [{citation.n}] {citation.quote[:40]}" in trace


def test_trace_markdown_writes_amounts_for_people():
    article = _article()
    trace = trace_markdown(article.pack, evaluate(article, {"profit_usd": "150B"}))
    assert "The system's profit: \\$150 billion (question)" in trace
    assert "The system's profit (\\$150 billion) is over \\$100 billion: true" in trace


def test_status_markdown_with_and_without_an_index(bot):
    assert "No index yet" in status_markdown(None)
    status = status_markdown(bot.status())
    assert bot.settings.embedding_model in status and f"Chunks: {bot.status().chunk_count}" in status


def test_chunk_map_marks_every_chunk_and_keeps_the_text():
    from assistant.ingest.chunking import chunk_document
    from assistant.ingest.corpus import load_corpus

    document = load_corpus(CORPUS).documents[0]
    chunks = chunk_document(document, 700, 100)
    view = chunks_html(document.title, document.source, document.text, chunks)
    chunk_map = re.search(r'<div class="chunk-map">(.*)</div></details>$', view, re.S).group(1)
    assert html.unescape(re.sub(r"<span[^>]*>[^<]*</span>", "", chunk_map)) == document.text
    assert len(re.findall(r'class="chunk-start"', view)) == len(chunks) == len(re.findall(r'class="chunk-end"', view))
    assert f"{chunks[0].start}–{chunks[0].end}" in view


class FakeIndex:
    """Chunks as the live index holds them: their texts, and their source and offsets as metadata columns."""

    def __init__(self, chunks: list[tuple[str, int, str]]):
        self.texts = [text for _, _, text in chunks]
        self.metas = self
        self._columns = {"source": [s for s, _, _ in chunks], "start": [b for _, b, _ in chunks],
                         "end": [b + len(t) for _, b, t in chunks]}

    def column(self, name: str) -> list:
        return self._columns.get(name) or [None] * len(self.texts)  # as ChunkMetas: None where a chunk has none


def test_the_sources_panel_joins_the_indexed_chunks_around_a_quote():
    text = "Alpha beta gamma.\n\nDelta epsilon zeta eta.\n\nTheta."
    at = text.index
    index = FakeIndex([
        ("f.md", 0, text[: at("gamma") + 6]),  # the first paragraph
        ("f.md", at("Delta"), text[at("Delta") : at("zeta") + 4]),  # the second, in two overlapping chunks
        ("f.md", at("epsilon"), text[at("epsilon") : at("eta.") + 4]),
        ("f.md", at("Theta"), "Theta."),
        ("g.md", 0, "Delta epsilon zeta eta."),  # another file with the same words
    ])

    def cite_f(quote: str, n: int, start: int | None = None) -> Citation:
        begin = at(quote) if start is None else start
        return Citation(n=n, source="f.md", title="F", quote=quote, start=begin, end=begin + len(quote))

    near_edge, stale, gone = cite_f("zeta eta", 1), cite_f("Theta", 2, start=0), cite_f("Omega", 3, start=0)
    excerpts = cited_excerpts(index, [near_edge, stale, gone])
    assert excerpts[1] == Excerpt("Delta epsilon zeta eta.", at("Delta")), "overlapping chunks are joined"
    assert excerpts[2] == Excerpt("Theta.", at("Theta")), "a quote whose offsets went stale is found where it is"
    assert 3 not in excerpts
    assert marked(citation_html(near_edge, excerpts[1])) == ["zeta eta"]
    assert '<div class="passage">Delta epsilon <mark>zeta eta</mark>.</div>' in citation_html(near_edge, excerpts[1])
    assert f"characters {at('zeta eta')}–{at('zeta eta') + 8}" in citation_html(near_edge, excerpts[1])
    assert f"characters {at('Theta')}–{at('Theta') + 5}" in citation_html(stale, excerpts[2])


def test_the_sources_panel_drawn_from_the_index_shows_what_the_file_shows(bot):
    citations = [cite(QUOTE, n=1), cite("Microsoft’s commitment to OpenAI remains strong", n=2)]
    excerpts = cited_excerpts(bot.index(), citations)
    for citation in citations:
        excerpt = excerpts[citation.n]
        assert TEXT[excerpt.start : excerpt.end] == excerpt.text
        assert citation_html(citation, excerpt) == citation_html(citation, Excerpt(TEXT))


def test_drawing_a_chat_answer_neither_runs_the_clause_engine_nor_reads_files():
    import ast

    for name in ("chat_tab.py", "sources_panel.py", "formatting.py", "assistant_pool.py"):
        tree = ast.parse((REPO / "ui" / name).read_text())
        imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        assert not [m for m in imported if m.startswith(("assistant.clauses", "assistant.ingest"))], (name, imported)


def test_no_ui_file_names_the_article_parties():
    parties = re.compile(r"microsoft|openai|oracle|stargate|azure|softbank", re.IGNORECASE)
    named = {path.name: parties.findall(path.read_text()) for path in (REPO / "ui").glob("*.py")}
    assert not any(named.values()), named


# -- what-if -----------------------------------------------------------------------------------


def test_every_fact_of_a_pack_has_a_control_with_an_unknown_choice():
    from ui.whatif_tab import field_controls

    article = _article()
    controls = field_controls(article)
    assert [c.name for c in controls] == list(article.pack.facts)
    for control in controls:
        if control.kind != "text":
            assert control.choices[0] == ("unknown", "unknown")
    assert {c.kind for c in controls} == {"yes/no", "text", "choice"}


def test_control_values_become_facts():
    from ui.whatif_tab import facts_from_values, field_controls

    article = _article()
    controls = field_controls(article)
    values = {c.name: ("unknown" if c.kind != "text" else None) for c in controls}
    assert facts_from_values(article, controls, list(values.values())) == {}
    values.update(year=" 2031 ", microsoft_can_meet_demand="no", provider="Amazon", profit_usd="$150 billion")
    facts = facts_from_values(article, controls, list(values.values()))
    assert facts == {"year": 2031, "microsoft_can_meet_demand": False, "provider": "aws", "profit_usd": 150 * 10**9}
    values["year"] = "soon"
    with pytest.raises(ValueError, match=r"^The year: expected a year such as 2031, got 'soon'$"):
        facts_from_values(article, controls, list(values.values()))
    values["year"] = ""
    values["profit_usd"] = "lots"
    with pytest.raises(ValueError, match=r"^The system's profit: not a figure: 'lots'"):
        facts_from_values(article, controls, list(values.values()))


def test_explore_gives_outcome_quotes_and_trace_without_a_model():
    from ui.whatif_tab import explore, field_controls

    article = _article()
    controls = field_controls(article)
    values = [{"microsoft_can_meet_demand": "no", "provider": "aws"}.get(c.name) for c in controls]
    outcome, quotes, trace = explore(article, controls, values)
    assert outcome.startswith("Microsoft can't meet the need, so OpenAI can turn to competitors such as AWS")
    assert "if Microsoft can't meet those demands, OpenAI can turn to competitors" in " ".join(marked(quotes))
    assert "Right of first refusal" in trace
    bad = [{"profit_usd": "lots"}.get(c.name) for c in controls]
    assert explore(article, controls, bad)[0].startswith("⚠️ The system's profit:")


# -- serving -----------------------------------------------------------------------------------


def test_serving_defaults_to_loopback_and_reads_flags_then_env(monkeypatch):
    from ui import serving_options

    assert serving_options() == {"host": "127.0.0.1", "port": 7860, "auth": None}
    monkeypatch.setenv("ASSISTANT_UI_HOST", "0.0.0.0")
    monkeypatch.setenv("ASSISTANT_UI_PORT", "8123")
    monkeypatch.setenv("ASSISTANT_UI_AUTH", "ann:s3:cret")
    assert serving_options() == {"host": "0.0.0.0", "port": 8123, "auth": ("ann", "s3:cret")}
    assert serving_options("127.0.0.1", 9000)["port"] == 9000
    monkeypatch.setenv("ASSISTANT_UI_AUTH", "nopassword")
    with pytest.raises(ValueError, match="user:password"):
        serving_options()
    monkeypatch.setenv("ASSISTANT_UI_AUTH", "")
    monkeypatch.setenv("ASSISTANT_UI_PORT", "http")
    with pytest.raises(ValueError, match="ASSISTANT_UI_PORT"):
        serving_options()


def test_ui_command_is_registered_and_the_library_does_not_load_gradio():
    code = (
        "import sys; from assistant.cli.commands import build_parser; import assistant, assistant.cli.ui, ui; "
        "args = build_parser().parse_args(['ui', '--host', '127.0.0.1', '--port', '7999']); "
        "assert args.run.__name__ == 'run_ui' and args.port == 7999; "
        "assert 'gradio' not in sys.modules, 'gradio imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=120)


def test_ui_command_turns_a_bad_auth_setting_into_a_one_line_error(monkeypatch, capsys):
    from assistant.cli.commands import main

    monkeypatch.setenv("ASSISTANT_UI_AUTH", "nopassword")
    assert main(["ui"]) == 2
    assert capsys.readouterr().err.strip() == "error: --auth (or ASSISTANT_UI_AUTH) must be user:password, both non-empty."


def test_ui_command_refuses_to_serve_beyond_loopback_without_auth(monkeypatch, capsys):
    from assistant.cli.commands import main

    assert main(["ui", "--host", "0.0.0.0", "--port", "7998"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Serving on 0.0.0.0") and "--auth user:password" in err and err.count("\n") == 1

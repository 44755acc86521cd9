"""Questions in another language than the documents get a note, not unrelated sentences."""

from __future__ import annotations

from assistant import Assistant
from assistant.ingest.language import document_language, identify, min_confidence, other_language


def test_the_identifier_tells_languages_apart(tmp_path):
    assert identify("Until when does the partnership between Microsoft and OpenAI last?", tmp_path)[0] == "en"
    assert identify("Bis wann läuft die Partnerschaft zwischen Microsoft und OpenAI?", tmp_path)[0] == "de"
    assert identify("这个合作持续到什么时候？", tmp_path)[0] == "zh"
    assert (tmp_path / "langid" / "complete").exists()  # unpacked once, memory-mapped next time
    assert identify("¿Quién tiene el derecho de tanteo?", tmp_path)[0] == "es"


def test_only_a_question_in_a_language_the_documents_lack_is_other():
    assert 0 < min_confidence() < 1  # fitted by python -m assistant.evaluation.fit_language
    assert other_language("Quel est le budget du projet Stargate ?", ["en"]) == "fr"
    assert other_language("Quel est le budget du projet Stargate ?", ["en", "fr"]) is None
    assert other_language("What is the budget of the Stargate project?", ["en"]) is None
    assert other_language("Quel est le budget du projet Stargate ?", []) is None  # an index that did not record them
    assert document_language("The partnership lasts until 2030. " * 20) == "en"
    assert document_language("Der Vertrag gilt bis 2030 und wird dann verlängert. " * 20) == "de"


def test_a_question_in_another_language_is_told_so_and_an_english_one_answered(shared_store):
    bot = Assistant(store_dir=shared_store)
    assert bot.status().written_in == ["en"]
    answer = bot.ask("Bis wann läuft die Partnerschaft zwischen Microsoft und OpenAI?")
    assert answer.abstained and not answer.citations
    assert "German" in answer.text and "English" in answer.text
    chinese = bot.ask("这个合作持续到什么时候？")
    assert chinese.abstained and "Chinese" in chinese.text
    assert "2030" in bot.ask("Until when does the partnership last?").text

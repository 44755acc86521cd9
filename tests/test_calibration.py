"""The answerer's fitted calibration: read from the shipped file, and honoured when one is given."""

import json
from dataclasses import replace

import pytest

from assistant import Assistant, Calibration
from assistant.answer.calibration import FILE, fitted
from assistant.errors import AssistantRuntimeError

from tests.conftest import CORPUS, one_document_bot

QUESTION = "Until when does the partnership last?"


def test_the_shipped_calibration_is_the_file_the_fit_wrote():
    written = json.loads(FILE.read_text(encoding="utf-8"))
    assert fitted() == Calibration.from_dict(written["calibration"])
    assert fitted().to_dict() == written["calibration"]


def test_a_calibration_missing_a_value_is_refused():
    values = fitted().to_dict()
    del values["min_score"]
    with pytest.raises(KeyError):
        Calibration.from_dict(values)


def test_an_unreadable_calibration_file_says_how_to_fix_it(tmp_path, monkeypatch):
    import assistant.answer.calibration as calibration

    broken = tmp_path / "calibration.json"
    broken.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(calibration, "FILE", broken)
    calibration.fitted.cache_clear()
    try:
        with pytest.raises(AssistantRuntimeError, match="fit_calibration.py"):
            calibration.fitted()
    finally:
        calibration.fitted.cache_clear()


def test_an_assistant_answers_by_the_calibration_it_is_given(bot):
    assert not bot.ask(QUESTION).abstained
    bot.calibration = replace(fitted(), min_score=2.0, winner_margin=2.0, min_typed_dense=2.0)  # nothing can pass
    assert bot.ask(QUESTION).abstained
    bot.calibration = None  # back to the fitted one
    assert not bot.ask(QUESTION).abstained


def test_a_derived_assistant_keeps_the_calibration(shared_store):
    strict = replace(fitted(), min_score=2.0, winner_margin=2.0, min_typed_dense=2.0)
    bot = Assistant(store_dir=shared_store, corpus_dir=CORPUS, calibration=strict)
    assert bot.derive(k=4).ask(QUESTION).abstained


JOBS = """# The March jobs report

## Health care

Hospitals added 11,000 jobs in March, and home health care services added 15,000.

## Retail

Retail trade changed little in March, losing 15,000 jobs over the month.

## Construction

Construction employment rose by 9,000 in March, as builders of bridges hired.
"""


@pytest.fixture(scope="module")
def jobs_bot(tmp_path_factory):
    return one_document_bot(tmp_path_factory, "jobs.md", JOBS)


def test_a_sentence_lacking_a_rare_question_word_cannot_answer_when_the_fit_says_so(jobs_bot):
    # "bridges" is in the corpus (once), but not in any sentence about retail
    question = "How many jobs did retail bridges lose in March?"
    lenient = replace(fitted(), max_missing=1.01, min_dense=0.0, min_score=0.0)
    jobs_bot.calibration = lenient
    assert "Retail" in jobs_bot.ask(question).text
    jobs_bot.calibration = replace(lenient, max_missing=0.9)
    assert jobs_bot.ask(question).abstained
    assert "15,000" in jobs_bot.ask("How many jobs did retail trade lose in March?").text

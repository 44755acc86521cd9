"""The answerer's fitted calibration: read from the shipped file, and honoured when one is given."""

import json
from dataclasses import replace

import pytest

from assistant import Assistant, Calibration
from assistant.answer.calibration import FILE, fitted
from assistant.errors import AssistantRuntimeError

from tests.conftest import CORPUS

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
        with pytest.raises(AssistantRuntimeError, match="assistant.evaluation.fit_calibration"):
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


def test_a_model_folder_with_its_own_calibration_is_answered_by_it(tmp_path):
    """A fine-tuned embedding model carries the calibration fitted around its dense signal (issue 32); any other
    model is answered by the shipped one."""
    from assistant.answer.calibration import MODEL_FILE, file_for

    own = {**fitted().to_dict(), "dense_weight": 0.65}
    (tmp_path / MODEL_FILE).write_text(json.dumps({"calibration": own}), encoding="utf-8")
    assert file_for(str(tmp_path)) == tmp_path / MODEL_FILE
    assert fitted(str(tmp_path)).dense_weight == 0.65
    assert fitted("sentence-transformers/all-MiniLM-L6-v2") == fitted() and file_for(None) == FILE

"""A quoted answer reads as a whole: each citation a whole unit of its document, or a run of them."""

from __future__ import annotations

from assistant.evaluation.readability import CorpusReading

TEXT = """# Rules

Members may use the shed for:

- Storing tools
- Drying seeds

The shed is locked every night.
"""


def _record(start: int, end: int) -> dict:
    return {"id": "q", "citations": [{"source": "rules.md", "quote": TEXT[start:end], "start": start, "end": end}]}


def _reading(tmp_path) -> CorpusReading:
    (tmp_path / "rules.md").write_text(TEXT, encoding="utf-8")
    return CorpusReading(tmp_path)


def test_a_lead_in_with_its_list_reads_as_a_whole(tmp_path):
    start, end = TEXT.index("Members"), TEXT.index("Drying seeds") + len("Drying seeds")
    assert _reading(tmp_path).problems(_record(start, end), ["Drying seeds"]) == []


def test_a_quote_cut_inside_a_unit_does_not(tmp_path):
    start, end = TEXT.index("Members"), TEXT.index("Drying") + len("Drying")
    [problem] = _reading(tmp_path).problems(_record(start, end), ["Drying seeds"])
    assert problem.problem == "not a whole unit"


def test_a_run_of_units_that_does_not_open_on_a_lead_in_does_not(tmp_path):
    start, end = TEXT.index("Storing tools"), TEXT.index("locked every night.") + len("locked every night.")
    [problem] = _reading(tmp_path).problems(_record(start, end), ["Drying seeds"])
    assert problem.problem == "not a whole unit"

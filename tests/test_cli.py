"""The command line: thin over the API, one-line errors, exit codes."""

import json
import os
import subprocess
import sys

import pytest

from assistant.cli.commands import main

from tests.conftest import CORPUS, REPO


@pytest.fixture
def env(shared_store, monkeypatch):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(shared_store))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(CORPUS))


def test_ask_prints_the_answer_and_its_citations(env, capsys):
    assert main(["ask", "Until when does the partnership last?"]) == 0
    out = capsys.readouterr().out
    assert "2030" in out and "[1] microsoft-openai-partnership.md:" in out


def test_ask_json_is_the_answer_model(env, capsys):
    assert main(["ask", "Who has the right of first refusal?", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["abstained"] is False and data["citations"][0]["quote"]
    assert set(data) >= {"text", "citations", "abstained", "tool", "notice", "provenance"}


def test_ask_routes_what_if_to_the_clause_tool(env, capsys):
    assert main(["ask", "What if Microsoft can't meet OpenAI's compute needs?", "--json"]) == 0
    first = capsys.readouterr().out
    assert main(["ask", "What if Microsoft can't meet OpenAI's compute needs?", "--json"]) == 0
    assert capsys.readouterr().out == first
    data = json.loads(first)
    assert data["tool"] == "clause_engine"
    assert "competitors" in data["text"]
    assert any("Microsoft gets the first shot" in c["quote"] for c in data["citations"])


@pytest.mark.parametrize("question", ["", "   ", "q" * 2001])
def test_bad_questions_exit_2_with_one_line(env, capsys, question):
    assert main(["ask", question]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err


def test_bad_setting_exits_2(env, capsys, monkeypatch):
    monkeypatch.setenv("ASSISTANT_K", "many")
    assert main(["ask", "Who has the right of first refusal?"]) == 2
    assert "Invalid setting k" in capsys.readouterr().err


def test_ingest_reports_what_changed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(tmp_path / "s"))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(CORPUS))
    assert main(["ingest"]) == 0
    assert "added" in capsys.readouterr().out
    assert main(["ingest"]) == 0
    assert " 0 added, 0 removed" in capsys.readouterr().out


def test_chat_keeps_history(env, monkeypatch, capsys):
    lines = iter(["What are the new terms between Microsoft and OpenAI?", "And until when will it run?", ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(lines))
    assert main(["chat"]) == 0
    assert "2030" in capsys.readouterr().out


def test_console_script_never_shows_a_trace(shared_store):
    env = {**os.environ, "ASSISTANT_STORE_DIR": str(shared_store), "ASSISTANT_CORPUS_DIR": str(CORPUS),
           "ASSISTANT_CHUNK_SIZE": "600"}
    result = subprocess.run([sys.executable, "-m", "assistant.cli.commands", "ask", "Who has the right of first refusal?"],
                            capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "assistant ingest --rebuild" in result.stderr


@pytest.mark.parametrize("argv, message", [
    (["ask", "x", "--bogus"], "unrecognized arguments: --bogus"),
    (["nonsense"], "invalid choice: 'nonsense'"),
    (["ask"], "the following arguments are required: question"),
    (["eval", "-k", "many"], "invalid int value: 'many'"),
])
def test_a_mistyped_command_is_one_error_line_with_exit_code_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_a_store_that_cannot_be_opened_is_named_with_what_to_do(tmp_path, monkeypatch, capsys):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the store should be")
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(blocked / "chroma"))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(CORPUS))
    assert main(["ask", "Until when does the partnership last?"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(blocked / "chroma") in err and "ASSISTANT_STORE_DIR" in err
    assert err.count("\n") == 1


def test_a_changed_corpus_is_ingested_before_the_next_answer_and_said_once(tmp_path, monkeypatch, capsys, corpus_copy):
    (corpus_copy / "broken.txt").write_bytes(b"\x00\x01binary")
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus_copy))
    assert main(["ingest"]) == 0
    assert capsys.readouterr().out.count("broken.txt") == 1  # a skipped file is reported once, by the ingest

    assert main(["ask", "Until when does the partnership last?"]) == 0
    first = capsys.readouterr()
    assert "broken.txt" not in first.err + first.out and "ingesting" not in first.err  # nothing changed: silent

    (corpus_copy / "lease.txt").write_text("The tenant pays a monthly rent of 1,200 euros.\n")
    assert main(["ask", "What is the monthly rent?"]) == 0
    second = capsys.readouterr()
    assert "The documents changed" in second.err and "1 added" in second.err
    assert "1,200 euros" in second.out and "lease.txt" in second.out

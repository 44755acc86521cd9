"""Validate an eval question set (JSON Lines) against /work/shared/EVAL_FORMAT.md.

Usage: python -m assistant.evaluation.check_questions evals/questions.jsonl [--corpus DIR]

Checks: valid JSON per line, required fields and types, allowed kinds, unique
ids, history roles/content, answer_must_include is a list of non-empty lists of
non-empty strings, evidence is a list of strings each occurring in the corpus
(whitespace-normalised, case-insensitive), and unanswerable questions have
empty answer_must_include and evidence.  Prints problems; exits 1 if any.
"""
import argparse
import json
import os
import re
import sys
from collections import Counter

from assistant.config import project_root

KINDS = {"fact", "what_if", "unanswerable"}
ROLES = {"user", "assistant"}
REQUIRED = ("id", "kind", "question", "answer_must_include", "evidence")
DEFAULT_CORPUS = str(project_root() / "corpus")


def norm(text):
    return re.sub(r"\s+", " ", text).strip().casefold()


def load_corpus(corpus_dir):
    texts = []
    for root, _dirs, files in os.walk(corpus_dir):
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                with open(path, encoding="utf-8") as fh:
                    texts.append(norm(fh.read()))
            except (UnicodeDecodeError, OSError):
                continue
    return texts


def is_str_list(value):
    return isinstance(value, list) and all(isinstance(s, str) and s.strip() for s in value)


def check(path, corpus_dir):
    problems = []
    corpus = load_corpus(corpus_dir)
    if not corpus:
        problems.append(f"no readable corpus files under {corpus_dir}")
    ids = Counter()
    kinds = Counter()
    n = 0
    with open(path, encoding="utf-8") as fh:
        lines = fh.readlines()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"line {lineno}"
        try:
            q = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: invalid JSON: {exc}")
            continue
        if not isinstance(q, dict):
            problems.append(f"{where}: not a JSON object")
            continue
        n += 1
        qid = q.get("id")
        if isinstance(qid, str) and qid:
            where = f"line {lineno} ({qid})"
            ids[qid] += 1
        for field in REQUIRED:
            if field not in q:
                problems.append(f"{where}: missing field '{field}'")
        if "id" in q and not (isinstance(qid, str) and qid.strip()):
            problems.append(f"{where}: 'id' must be a non-empty string")
        kind = q.get("kind")
        if "kind" in q:
            if kind not in KINDS:
                problems.append(f"{where}: kind {kind!r} not in {sorted(KINDS)}")
            else:
                kinds[kind] += 1
        if "question" in q and not (isinstance(q["question"], str) and q["question"].strip()):
            problems.append(f"{where}: 'question' must be a non-empty string")
        if "history" in q:
            hist = q["history"]
            if not isinstance(hist, list):
                problems.append(f"{where}: 'history' must be a list")
            else:
                for i, turn in enumerate(hist):
                    if not isinstance(turn, dict):
                        problems.append(f"{where}: history[{i}] is not an object")
                        continue
                    if turn.get("role") not in ROLES:
                        problems.append(f"{where}: history[{i}] role {turn.get('role')!r} not user/assistant")
                    if not (isinstance(turn.get("content"), str) and turn["content"].strip()):
                        problems.append(f"{where}: history[{i}] content must be a non-empty string")
        ami = q.get("answer_must_include")
        if "answer_must_include" in q:
            if not isinstance(ami, list):
                problems.append(f"{where}: 'answer_must_include' must be a list of groups")
            else:
                for i, group in enumerate(ami):
                    if not is_str_list(group) or not group:
                        problems.append(f"{where}: answer_must_include[{i}] must be a non-empty list of non-empty strings")
        ev = q.get("evidence")
        if "evidence" in q:
            if not isinstance(ev, list):
                problems.append(f"{where}: 'evidence' must be a list of strings")
            else:
                for i, snippet in enumerate(ev):
                    if not (isinstance(snippet, str) and snippet.strip()):
                        problems.append(f"{where}: evidence[{i}] must be a non-empty string")
                    elif corpus and not any(norm(snippet) in text for text in corpus):
                        problems.append(f"{where}: evidence[{i}] not found in corpus: {snippet!r}")
        if kind == "unanswerable":
            if ami:
                problems.append(f"{where}: unanswerable question must have answer_must_include []")
            if ev:
                problems.append(f"{where}: unanswerable question must have evidence []")
        elif kind in ("fact", "what_if"):
            if isinstance(ami, list) and not ami:
                problems.append(f"{where}: {kind} question has no answer_must_include groups")
            if isinstance(ev, list) and not ev:
                problems.append(f"{where}: {kind} question has no evidence")
    for qid, count in ids.items():
        if count > 1:
            problems.append(f"duplicate id {qid!r} ({count} times)")
    for p in problems:
        print(p)
    summary = ", ".join(f"{k}={kinds[k]}" for k in sorted(KINDS))
    n_hist = sum(1 for line in lines if line.strip() and '"history"' in line)
    print(f"{n} questions ({summary}; with history ~{n_hist}); {len(problems)} problem(s)")
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("questions")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    args = ap.parse_args()
    sys.exit(check(args.questions, args.corpus))


if __name__ == "__main__":
    main()

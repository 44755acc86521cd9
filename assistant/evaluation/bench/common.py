"""What the benchmark's parent and its phases share: paths, the evidence match, percentiles, memory readings."""

from __future__ import annotations

import json
import re
import resource
import sys
from pathlib import Path

from assistant.config import project_root

EVALS = project_root() / "evals"  # the report's default home, and the eval set's
REAL_CORPUS = project_root() / "corpus"
QUESTIONS = EVALS / "questions.jsonl"
RESULT_TAG = "BENCH_RESULT "  # a child's result is the stdout line that starts with this
COLD_QUESTION = "Until when does the partnership last?"


def normalise(text: str) -> str:
    """Whitespace-normalised, case-folded text, as the eval's evidence matching uses."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def hits(passage_text: str, evidence: list[str]) -> bool:
    """Whether a passage contains one of the evidence strings."""
    text = normalise(passage_text)
    return any(normalise(e) in text for e in evidence)


def fact_questions() -> list[dict]:
    """The eval's fact questions that carry evidence."""
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["kind"] == "fact" and r["evidence"] and not r.get("history")]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summary_ms(seconds: list[float]) -> dict[str, float]:
    """p50 and p95 of durations, in milliseconds."""
    return {"p50": round(1000 * percentile(seconds, 50), 2), "p95": round(1000 * percentile(seconds, 95), 2)}


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (Linux reports ru_maxrss in KB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rss_split_mb() -> dict[str, float]:
    """This process's resident memory now, split into anonymous memory (its own) and file-backed pages (memory-
    mapped index files and libraries: the page cache's, shared and reclaimable), from /proc (Linux only)."""
    status = Path("/proc/self/status")
    if not status.exists():
        return {}
    fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
    return {f"{key.lower()}_mb": round(int(fields[key].split()[0]) / 1024, 1) for key in ("RssAnon", "RssFile")
            if key in fields}


def progress_bar(total: int, desc: str):
    """A progress bar on stderr (stdout carries the child's result)."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="it", file=sys.stderr, leave=False, mininterval=0.5)

"""The benchmark's parent: corpora, a child process per phase, cold starts, then the report and the chart."""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from assistant.evaluation.bench.chart import write_chart
from assistant.evaluation.bench.common import COLD_QUESTION, EVALS, REAL_CORPUS, RESULT_TAG
from assistant.evaluation.bench.corpus import insert_line, write_big_file, write_corpus
from assistant.evaluation.bench.phases import child_argv
from assistant.evaluation.bench.report import render_report

EDIT_LINE = "A line added by the benchmark, to be re-ingested."


def child_env(workdir: Path) -> dict[str, str]:
    """The environment of every child: no user config or ASSISTANT_* variable, offline, local store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    config = workdir / "assistant.toml"
    config.write_text("")
    env.update(ASSISTANT_CONFIG=str(config), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               TOKENIZERS_PARALLELISM="false", HF_HUB_DISABLE_PROGRESS_BARS="1", TRANSFORMERS_VERBOSITY="error")
    return env


def run_phase(name: str, params: dict, env: dict[str, str]) -> dict:
    """Run one phase in a child process; its progress goes to stderr, its result comes back as JSON."""
    proc = subprocess.run(child_argv(name, params), env=env, stdout=subprocess.PIPE, text=True, cwd=params.get("cwd"))
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_TAG)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"benchmark phase {name} failed with exit code {proc.returncode}")
    return json.loads(lines[-1][len(RESULT_TAG):])


def time_command(argv: list[str], env: dict[str, str], cwd: Path, until_output: bool) -> float:
    """Wall seconds from spawning a command until its first stdout line (or its exit)."""
    with tempfile.TemporaryFile("w+") as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=errors, text=True)
        first = proc.stdout.readline()
        elapsed = time.perf_counter() - start
        proc.stdout.read()
        code = proc.wait()
        if code != 0 or (until_output and not first):
            errors.seek(0)
            raise RuntimeError(f"{' '.join(argv)} exited with {code}: {errors.read()[-500:]}")
    return elapsed if until_output else time.perf_counter() - start


def _assistant_argv() -> list[str]:
    """The `assistant` command of this interpreter's environment (or the same entry point through `python -c`)."""
    exe = Path(sys.executable).parent / "assistant"
    return [str(exe)] if exe.exists() else [sys.executable, "-c", "import sys; from assistant.cli import main; sys.exit(main())"]


def cold_start(work: Path, env: dict[str, str], reps: int) -> dict:
    """Median wall time of `assistant --help` and of `assistant ask` in fresh processes (after one untimed run)."""
    base = _assistant_argv()
    env = {**env, "ASSISTANT_CORPUS_DIR": str(REAL_CORPUS), "ASSISTANT_STORE_DIR": str(work / "cold-store")}
    subprocess.run(base + ["ingest"], env=env, cwd=work, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = {}
    for key, args, until_output in (("help_s", ["--help"], False), ("ask_s", ["ask", COLD_QUESTION], True)):
        time_command(base + args, env, work, until_output)  # fills the page cache: we time process start, not disk
        runs = [time_command(base + args, env, work, until_output) for _ in range(reps)]
        out[key] = round(statistics.median(runs), 3)
        out[key + "_runs"] = [round(r, 3) for r in runs]
    return out


def machine() -> dict:
    """What the numbers were measured on."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    from importlib.metadata import version

    versions = {name: version(name) for name in ("torch", "sentence-transformers", "chromadb", "bm25s",
                                                  "langchain-core", "langchain-chroma", "transformers", "onnxruntime")}
    return {"nproc": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)), "memory": memory, "cpu": cpu,
            "python": platform.python_version(), "platform": platform.platform(), "versions": versions,
            "load_avg": [round(x, 2) for x in os.getloadavg()]}


def plan(quick: bool, scales: list[int] | None) -> dict:
    """Scales and repetitions for a quick or full run."""
    if quick:
        return {"scales": scales or [1000], "reps": 1, "cold_reps": 2, "latency_questions": 20}
    return {"scales": scales or [1000, 10000, 100000], "reps": 3, "cold_reps": 5, "latency_questions": None}


def run(quick: bool = False, out: Path | None = None, scales: list[int] | None = None,
        budget_minutes: float = 30.0, command: str = "assistant bench") -> Path:
    """Run the benchmark and write BENCHMARKS.md and bench.png to `out`; returns the report's path."""
    from tqdm import tqdm

    out = Path(out or EVALS)
    out.mkdir(parents=True, exist_ok=True)
    settings = plan(quick, scales)
    started = time.perf_counter()
    results: dict = {"machine": machine(), "command": command, "quick": quick, "reps": settings["reps"],
                     "started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "scales": [], "skipped": []}
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as tmp:
        work = Path(tmp)
        env = child_env(work)
        steps = tqdm(total=2 + 3 * len(settings["scales"]), desc="bench", unit="step", file=sys.stderr)
        steps.set_postfix_str("imports")
        results["imports"] = run_phase("imports", {"cwd": str(work)}, env)
        results["imports_onnx"] = run_phase("imports_onnx", {"cwd": str(work)}, env)
        steps.update()
        steps.set_postfix_str("cold start")
        results["cold"] = cold_start(work, env, settings["cold_reps"])
        steps.update()
        if not quick:
            steps.set_postfix_str("re-ingest")
            results["reingest"] = reingest(work, env, settings)
        for target in settings["scales"]:
            vectors = _vectors_for(target, results, budget_minutes, started, quick)
            if vectors is None:
                steps.update(3)
                continue
            results["scales"].append(_run_scale(work, env, target, vectors, settings, steps))
            shutil.rmtree(work / f"scale-{target}", ignore_errors=True)
        steps.close()
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    results["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    chart = out / "bench.png"
    write_chart(results, chart)
    report = out / "BENCHMARKS.md"
    report.write_text(render_report(results, chart.name), encoding="utf-8")
    return report


def reingest(work: Path, env: dict[str, str], settings: dict) -> dict:
    """The article plus one 5 MB text file, ingested (borrowed vectors); then one line added in the middle and the
    index brought up to date, in a fresh process (`ingest()` timed inside it) and by `assistant ingest` (wall)."""
    root = work / "reingest"
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for path in REAL_CORPUS.glob("*.md"):
        shutil.copy(path, corpus / path.name)
    big = corpus / "report.txt"
    size = write_big_file(big)
    params = {"corpus": str(corpus), "store": str(root / "store"), "label": "5 MB", "vectors": "borrowed",
              "cwd": str(work)}
    build = run_phase("build", params, env)
    insert_line(big, EDIT_LINE, 0.5)
    edit = run_phase("reingest", params, env)
    insert_line(big, EDIT_LINE.replace("added", "inserted"), 0.25)
    base = _assistant_argv()
    cli_env = {**env, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_STORE_DIR": str(root / "store")}
    cli_s = time_command(base + ["ingest"], cli_env, work, until_output=False)
    cold = cold_ask(work, cli_env, settings["cold_reps"])
    shutil.rmtree(root, ignore_errors=True)
    return {"file_bytes": size, "build": build, "edit": edit, "cli_ingest_s": round(cli_s, 2), "cold": cold}


def _vectors_for(target: int, results: dict, budget_minutes: float, started: float, quick: bool) -> str | None:
    """'real' when embedding `target` chunks fits the time left, 'borrowed' when it does not (None: skip)."""
    measured = [s for s in results["scales"] if s["vectors"] == "real"]
    if not measured:
        return "real"
    ours = measured[-1]["build"]["chunks_per_s"]
    theirs = measured[-1]["langchain"]["chunks_per_s"] * measured[-1]["build"]["chunks"] / measured[-1]["langchain"]["chunks"]
    needed_s = target / ours + target / theirs + target / 1000 * 6  # embedding both pipelines, plus queries
    left_s = budget_minutes * 60 - (time.perf_counter() - started)
    estimate = {"chunks": target, "estimated_real_min": round(needed_s / 60, 1), "left_min": round(left_s / 60, 1)}
    if needed_s <= left_s:
        return "real"
    results["skipped"].append({**estimate, "instead": "borrowed vectors" if not quick else "skipped"})
    return None if quick else "borrowed"


def _run_scale(work: Path, env: dict[str, str], target: int, vectors: str, settings: dict, steps) -> dict:
    label = f"{target // 1000}k"
    root = work / f"scale-{target}"
    corpus = root / "corpus"
    steps.set_postfix_str(f"{label}: corpus")
    distractors = write_corpus(corpus, target)
    params = {"corpus": str(corpus), "store": str(root / "store"), "label": label, "reps": settings["reps"],
              "latency_questions": settings["latency_questions"],
              "vectors": vectors, "cwd": str(work), "raw_encode": True}
    steps.set_postfix_str(f"{label}: build")
    build = run_phase("build", params, env)
    steps.update()
    steps.set_postfix_str(f"{label}: ask")
    query = run_phase("query", params, env)
    steps.update()
    steps.set_postfix_str(f"{label}: cold ask")
    cold = cold_ask(work, {**env, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_STORE_DIR": str(root / "store")},
                    settings["cold_reps"])
    steps.set_postfix_str(f"{label}: langchain")
    langchain = run_phase("langchain", {**params, "store": str(root / "langchain")}, env)
    steps.update()
    return {"target": target, "label": label, "distractor_files": distractors, "vectors": vectors,
            "build": build, "query": query, "cold": cold, "langchain": langchain}


def cold_ask(work: Path, env: dict[str, str], reps: int) -> dict:
    """Median wall time of `assistant ask` in a fresh process on an ingested store (after one untimed run)."""
    base = _assistant_argv()
    time_command(base + ["ask", COLD_QUESTION], env, work, True)  # fills the page cache: process start, not disk
    runs = [time_command(base + ["ask", COLD_QUESTION], env, work, True) for _ in range(reps)]
    return {"ask_s": round(statistics.median(runs), 3), "ask_s_runs": [round(r, 3) for r in runs]}



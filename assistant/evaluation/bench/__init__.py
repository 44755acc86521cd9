"""The benchmark behind `assistant bench`: ingest speed, warm and cold latency, memory, scale and recall."""

# orchestrate.run() generates the corpora (corpus.py), starts one child process per measured phase
# (`python -m assistant.evaluation.bench.phases --phase NAME --params JSON`, phases.py) and writes BENCHMARKS.md
# (report.py) and bench.png (chart.py). A phase runs in a fresh process so that its peak RSS (`ru_maxrss`, which
# sees torch and Chroma's native memory, unlike tracemalloc) and its imports are its own. Nothing heavy (torch,
# numpy, chromadb, matplotlib) is imported at module level: the parent only generates, starts and writes.

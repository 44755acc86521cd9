"""The benchmark's chart, bench.png: latency by stage, ours against LangChain, build time and memory, cold path."""

from __future__ import annotations

from pathlib import Path

TARGETS = {"ask_p50_1k_ms": 30.0, "ask_p50_100k_ms": 30.0, "cold_ask_s": 2.5, "help_s": 0.5,
           "cold_ask_100k_ratio": 1.5, "ingest_vs_encode": 0.8, "reingest_s": 5.0,
           "ingest_memory_100k_mb": 1536.0, "serving_memory_100k_mb": 1024.0}
STAGES = ("embed", "dense", "bm25", "fusion", "answer")
STAGE_NAMES = {"embed": "query embedding", "dense": "dense search (Chroma)", "bm25": "BM25", "fusion": "fusion (RRF)",
               "answer": "answer composition"}


def write_chart(results: dict, path: Path) -> None:
    """Four panels: warm latency by stage per scale, ours vs LangChain, build time and memory, the cold path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scales = results["scales"]
    labels = [s["label"] + ("*" if s["vectors"] == "borrowed" else "") for s in scales]
    fig, axes = plt.subplots(1, 4, figsize=(19, 4.6))
    ax = axes[0]
    bottom = [0.0] * len(scales)
    for stage in STAGES:
        values = [s["query"]["stages_ms"][stage]["p50"] for s in scales]
        ax.bar(labels, values, bottom=bottom, label=STAGE_NAMES[stage])
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.plot(labels, [s["query"]["ask_new_ms"]["p50"] for s in scales], "ko--", label="Assistant.ask p50")
    for target, name in ((TARGETS["ask_p50_1k_ms"], "1k target"), (TARGETS["ask_p50_100k_ms"], "100k target")):
        ax.axhline(target, color="grey", linestyle=":", linewidth=1)
        ax.text(-0.45, target, name, fontsize=7, va="bottom", color="grey")
    ax.set_title("Warm ask p50 by stage (ms)")
    ax.legend(fontsize=7)
    ax = axes[1]
    x = range(len(scales))
    ax.bar([i - 0.2 for i in x], [s["query"]["stages_ms"]["total"]["p50"] for s in scales], 0.4, label="ours: retrieve + answer")
    ax.bar([i + 0.2 for i in x], [s["langchain"]["search_ms"]["p50"] for s in scales], 0.4, label="LangChain top-4 search")
    ax.set_xticks(list(x), labels)
    ax.set_ylabel("p50 ms")
    twin = ax.twinx()
    twin.plot(list(x), [s["query"]["recall_at_1"] if s["vectors"] == "real" else float("nan") for s in scales], "go-", label="ours recall@1")
    twin.plot(list(x), [s["langchain"]["recall_at_1"] if s["vectors"] == "real" else float("nan") for s in scales], "ro-", label="LangChain recall@1")
    twin.set_ylim(0, 1)
    twin.set_ylabel("recall@1")
    ax.legend(loc="upper left", fontsize=7)
    twin.legend(loc="upper right", fontsize=7)
    ax.set_title("Ours vs LangChain tutorial")
    ax = axes[2]
    ax.bar([i - 0.2 for i in x], [s["build"]["ingest_s"] for s in scales], 0.4, label="ingest s")
    ax.bar([i + 0.2 for i in x], [s["build"].get("raw_encode_s", float("nan")) for s in scales], 0.4,
           label="raw encode of the same texts s")
    ax.set_ylabel("seconds")
    twin = ax.twinx()
    twin.plot(list(x), [s["query"]["peak_rss_mb"] for s in scales], "mo-", label="serving peak RSS MB")
    twin.plot(list(x), [s["build"]["peak_rss_mb"] for s in scales], "co-", label="ingest peak RSS MB")
    twin.set_ylabel("MB")
    ax.set_xticks(list(x), labels)
    ax.legend(loc="upper left", fontsize=7)
    twin.legend(loc="lower right", fontsize=7)
    ax.set_title("Build time and memory")
    ax = axes[3]
    seed = results["cold"]["ask_s"]
    ax.bar(labels, [s.get("cold", {}).get("ask_s", float("nan")) for s in scales], label="cold `assistant ask` s")
    ax.axhline(seed, color="grey", linestyle=":", linewidth=1)
    ax.text(-0.45, seed, "the article alone", fontsize=7, va="bottom", color="grey")
    ax.axhline(seed * TARGETS["cold_ask_100k_ratio"], color="red", linestyle=":", linewidth=1)
    ax.text(-0.45, seed * TARGETS["cold_ask_100k_ratio"], "target: 1.5x", fontsize=7, va="bottom", color="red")
    reingest = results.get("reingest")
    if reingest:
        ax.bar(["re-ingest\n(5 MB, 1 line)"], [reingest["edit"]["ingest_s"]], color="tab:orange",
               label="re-ingest s (target 5 s)")
    ax.set_ylabel("seconds")
    ax.legend(fontsize=7)
    ax.set_title("Cold path")
    note = "* distractor vectors borrowed, not embedded (see BENCHMARKS.md)" if any(s["vectors"] == "borrowed" for s in scales) else ""
    fig.suptitle(f"assistant bench — {results['machine']['nproc']} CPU, {results['started']}  {note}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)

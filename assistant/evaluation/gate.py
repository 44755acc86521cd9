"""The CI gate: the minimum each metric must reach, read from evals/thresholds.json."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.config import project_root
from assistant.errors import ConfigError
from assistant.evaluation.metrics import METRIC_KEYS


def default_thresholds_path() -> Path:
    """evals/thresholds.json of the checkout."""
    return project_root() / "evals" / "thresholds.json"


EVAL_SET = "eval"  # the article's eval set, evals/questions.jsonl
SUITE_DEV = "suite_dev"  # the dev part of the suite, pooled over its corpora
# A suite gate names the corpora its floors were measured on ("corpora"): a corpus added to the suite later is held
# by a gate of its own, measured when it was added, not by floors measured without it.
CORPORA = "corpora"
# A suite gate names the suite folder its corpora are in ("suite"; evals/corpora when absent): the conversation
# suite's corpora share their names, not their questions, with the main suite's.
SUITE = "suite"
MAIN_SUITE = "corpora"


@dataclass(frozen=True)
class Thresholds:
    """One gate: the least each metric may be (`min`), and the most a rate of mistakes may be (`max`)."""

    minimum: dict[str, float] = field(default_factory=dict)
    maximum: dict[str, float] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.minimum or self.maximum)


def load_thresholds(path: Path | str | None = None, gate: str = EVAL_SET) -> Thresholds:
    """One gate of a JSON file {"<gate>": {"min": {"metric": value}, "max": {...}, ...}} (a file that is just
    {"min": {...}} holds one gate)."""
    path = Path(path) if path else default_thresholds_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"No thresholds file at {path}. Create it or pass --thresholds PATH.") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"Cannot read thresholds file {path}: {exc}.") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} must hold {{\"{gate}\": {{\"min\": {{\"metric\": value}}}}}}.")
    section = data if "min" in data else data.get(gate)
    if section is None:
        return Thresholds()  # no such gate yet: nothing to hold the run to
    if not isinstance(section, dict) or not isinstance(section.get("min", {}), dict):
        raise ConfigError(f"{path} must hold {{\"{gate}\": {{\"min\": {{\"metric\": value}}}}}}.")
    return Thresholds(_bounds(section.get("min") or {}, path), _bounds(section.get("max") or {}, path))


def suite_gates(path: Path | str | None = None, suite: str = MAIN_SUITE) -> dict[str, tuple[Thresholds, tuple[str, ...]]]:
    """Every gate of the thresholds file over the suite folder named `suite`: its bounds and the corpora it pools
    (none named: all of them)."""
    path = Path(path) if path else default_thresholds_path()
    load_thresholds(path, SUITE_DEV)  # the file's errors, said once
    data = json.loads(path.read_text(encoding="utf-8"))
    claimed = {entry[SUITE] for entry in data.values() if isinstance(entry, dict) and SUITE in entry}
    gates = {}
    for name, entry in data.items():
        if isinstance(entry, dict) and (name == SUITE_DEV or CORPORA in entry) and _holds(entry, suite, claimed):
            corpora = entry.get(CORPORA, [])
            if not isinstance(corpora, list) or not all(isinstance(c, str) for c in corpora):
                raise ConfigError(f"{path}: {name}.{CORPORA} must be a list of corpus names.")
            gates[name] = (load_thresholds(path, name), tuple(corpora))
    return gates


def _holds(entry: dict, suite: str, claimed: set[str]) -> bool:
    """Whether a gate holds the suite folder named `suite`: the one it names, or, naming none, any folder no gate
    names (the main suite, wherever a copy of it is run from)."""
    return entry[SUITE] == suite if SUITE in entry else suite not in claimed


def check_suite_gates(runs: list, path: Path | str | None = None,
                      suite: str = MAIN_SUITE) -> tuple[list[str], list[str]]:
    """Each gate of the suite folder `suite` whose corpora all ran (`runs`: each corpus's `CorpusRun`), over their dev
    questions pooled: (the gates checked, the failures, each named by its gate)."""
    from assistant.evaluation.metrics import summarise
    from assistant.evaluation.runner import EvalRun

    results_by_corpus = {run.corpus.name: run.results for run in runs}
    k = runs[0].k if runs else None
    checked, failures = [], []
    for name, (thresholds, corpora) in suite_gates(path, suite).items():
        names = corpora or tuple(results_by_corpus)
        if not thresholds or not set(names) <= set(results_by_corpus):
            continue
        dev = [r for c in names for r in results_by_corpus[c] if r.question.split != "heldout"]
        checked.append(name)
        failures += [f"{name}: {f}" for f in check_gate(summarise(EvalRun(dev, k)), thresholds)]
    return checked, failures


def _bounds(values: dict, path: Path) -> dict[str, float]:
    for name, value in values.items():
        if name not in METRIC_KEYS:
            raise ConfigError(f"{path}: unknown metric {name!r}; known: {', '.join(METRIC_KEYS)}.")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ConfigError(f"{path}: the bound of {name} must be a number.")
    return {name: float(value) for name, value in values.items()}


def check_gate(summary: dict[str, Any], minimums: dict[str, float] | Thresholds,
               maximums: dict[str, float] | None = None) -> list[str]:
    """One line per metric under its minimum or over its maximum (a metric that was not measured fails too);
    empty when the gate passes."""
    if isinstance(minimums, Thresholds):
        minimums, maximums = minimums.minimum, minimums.maximum
    failures = []
    for name, bound, below in [*((n, b, True) for n, b in minimums.items()),
                               *((n, b, False) for n, b in (maximums or {}).items())]:
        value = summary.get(name)
        if value is None:
            failures.append(f"{name} was not measured (no question of its kind); the gate needs "
                            f"{'>=' if below else '<='} {bound:g}")
        elif below and value < bound:
            failures.append(f"{name} {value:.3f} < {bound:g}")
        elif not below and value > bound:
            failures.append(f"{name} {value:.3f} > {bound:g}")
    return failures

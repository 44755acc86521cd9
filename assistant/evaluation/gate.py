"""The CI gate: the minimum each metric must reach, read from evals/thresholds.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..config import project_root
from ..errors import ConfigError
from .metrics import METRIC_KEYS


def default_thresholds_path() -> Path:
    """evals/thresholds.json of the checkout."""
    return project_root() / "evals" / "thresholds.json"


def load_thresholds(path: Path | str | None = None) -> dict[str, float]:
    """The minimum per metric, from a JSON file {"min": {"metric": value}}."""
    path = Path(path) if path else default_thresholds_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"No thresholds file at {path}. Create it or pass --thresholds PATH.") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"Cannot read thresholds file {path}: {exc}.") from None
    minimums = data.get("min") if isinstance(data, dict) else None
    if not isinstance(minimums, dict):
        raise ConfigError(f"{path} must hold {{\"min\": {{\"metric\": value}}}}.")
    for name, value in minimums.items():
        if name not in METRIC_KEYS:
            raise ConfigError(f"{path}: unknown metric {name!r}; known: {', '.join(METRIC_KEYS)}.")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ConfigError(f"{path}: the minimum of {name} must be a number.")
    return {name: float(value) for name, value in minimums.items()}


def check_gate(summary: dict[str, Any], minimums: dict[str, float]) -> list[str]:
    """One line per metric under its minimum (a metric that was not measured fails too); empty when the gate passes."""
    failures = []
    for name, minimum in minimums.items():
        value = summary.get(name)
        if value is None:
            failures.append(f"{name} was not measured (no question of its kind); the gate needs >= {minimum:g}")
        elif value < minimum:
            failures.append(f"{name} {value:.3f} < {minimum:g}")
    return failures

"""The extractive answerer's fitted weight and abstention thresholds.

None is typed in: `evals/fit_calibration.py` fits them on the dev questions of every corpus of the suite
(`evals/corpora`), pooled, and writes them, with the figures they gave, to `calibration.json` beside this module.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from pathlib import Path

from .errors import AssistantRuntimeError

FILE = Path(__file__).with_name("calibration.json")


@dataclass(frozen=True)
class Calibration:
    """How a candidate sentence is scored, and when the best one is good enough to answer."""

    dense_weight: float  # score = w * dense similarity + (1 - w) * term coverage
    min_dense: float  # an answer's dense similarity to the question, unless it holds every question word
    min_score: float  # an answer's score
    winner_margin: float  # a best sentence this far ahead of the next ...
    winner_min_dense: float  # ... may answer down to this dense similarity
    min_typed_dense: float  # a sentence holding the asked kind of value next to what is asked about

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, float]) -> Calibration:
        return cls(**{f.name: float(values[f.name]) for f in fields(cls)})


@lru_cache(maxsize=1)
def fitted() -> Calibration:
    """The calibration `evals/fit_calibration.py` wrote."""
    try:
        return Calibration.from_dict(json.loads(FILE.read_text(encoding="utf-8"))["calibration"])
    except (OSError, ValueError, KeyError) as exc:
        raise AssistantRuntimeError(
            f"Cannot read the answerer's calibration {FILE.name} ({exc}): reinstall the package, or write it "
            "again with evals/fit_calibration.py.") from exc

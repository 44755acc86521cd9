"""The extractive answerer's fitted weight and abstention thresholds.

None is typed in: `python -m assistant.evaluation.fit_calibration` fits them on the dev questions of every corpus of the suite
(`evals/corpora`), pooled, and writes them, with the figures they gave, to `calibration.json` beside this module.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from pathlib import Path

from assistant.errors import AssistantRuntimeError

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
    # How a sentence's term coverage counts a question word it does not hold itself.
    nearby_share: float  # a word elsewhere in its passage ("the tech giant" is the company named two sentences up)
    soft_share: float  # a near-synonym of the word in the sentence (times their similarity)
    focus_idf_share: float  # a question word this rare (a share of the corpus's highest IDF) is what it is about
    soft_match_min: float  # two words this close by their embeddings' cosine are near-synonyms
    full_coverage: float  # a sentence holding this share of the question's word weight needs no dense floor
    earlier_turn_share: float  # an earlier turn's words weigh this share of the question's own
    value_window: float  # words either side of a number that must hold a focus word
    name_window: float  # characters either side of a name, place or date that must hold a focus word
    rank_penalty: float  # per rank of the sentence's passage in retrieval
    # What the question's form adds to a sentence's score.
    mirror_weight: float  # conditional (or negative) as the question is
    position_bonus: float  # where the text opens (or ends), when the question asks about its opening (or end)
    time_frame_weight: float  # about the time the question asks of ("before", "now")
    # Which sentences an answer cites, and which it reads.
    second_sentence_margin: float  # a second sentence this close to the best is cited too, if it adds to it ...
    same_idea_margin: float  # ... or this close, even if it adds no question word
    already_said: float  # a follow-up has heard a sentence this share of whose terms the last reply said
    max_sentences: float  # sentences an answer cites at most, besides what explains or is introduced
    max_followers: float  # sentences that continue the best one, added to an answer that explains

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, float]) -> Calibration:
        return cls(**{f.name: float(values[f.name]) for f in fields(cls)})


MODEL_FILE = "calibration.json"  # a model's own calibration, in its folder beside its weights


def file_for(model: str | None = None) -> Path:
    """The calibration fitted around an embedding model's dense signal: `calibration.json` in the model's folder
    when it is a local folder that has one (a fine-tuned model, issue 32), else the shipped one (`FILE`)."""
    if model:
        own = Path(model).expanduser() / MODEL_FILE
        if own.is_file():
            return own
    return FILE


@lru_cache(maxsize=4)
def fitted(model: str | None = None) -> Calibration:
    """The calibration `python -m assistant.evaluation.fit_calibration` wrote for an embedding model (the
    shipped model's when none is named, or the model has none of its own)."""
    path = file_for(model)
    try:
        return Calibration.from_dict(json.loads(path.read_text(encoding="utf-8"))["calibration"])
    except (OSError, ValueError, KeyError) as exc:
        raise AssistantRuntimeError(
            f"Cannot read the answerer's calibration {path} ({exc}): reinstall the package, or write it "
            "again with `python -m assistant.evaluation.fit_calibration`.") from exc

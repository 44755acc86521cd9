"""The clause engine: what-if questions answered deterministically from a document's clause pack — the rules it
states, as data beside it (`<document>.clauses.yaml`) — with every outcome cited."""

from assistant.clauses.engine import evaluate
from assistant.clauses.facts import Contradiction, Fact
from assistant.clauses.pack import FactError, Pack
from assistant.clauses.packs import PACK_SUFFIX, LoadedPack, PackError, find_packs, load_pack, load_packs
from assistant.clauses.results import ClauseResult, ConditionTrace, Evaluation

__all__ = [
    "PACK_SUFFIX",
    "ClauseResult",
    "ConditionTrace",
    "Contradiction",
    "Evaluation",
    "Fact",
    "FactError",
    "LoadedPack",
    "Pack",
    "PackError",
    "evaluate",
    "find_packs",
    "load_pack",
    "load_packs",
]

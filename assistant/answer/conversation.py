"""Multi-turn: folding a follow-up question into the conversation it depends on, and only such a question.

A question leans on the conversation when it needs it: a pronoun it does not resolve itself ("Where was he
before?") or an ellipsis, a question without a verb of its own ("And the FT?", "Until when?"). Where it also
names a subject of its own ("What did Acme say about it?"), it may be read either way, and the answerer tries both.
There is no rule of length: "What is Halcyon?" asked second is read as itself."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.models import Turn
from assistant.text import word_spans

# Words that point back at something said before ("the same" is "the" then "same").
_ANAPHORA = frozenset({"it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "he", "she",
                       "his", "her", "him", "there", "then", "such"})
_POSSESSIVES = frozenset({"its", "their", "his", "her"})
_VERB_TAGS = ("VB", "MD")  # the tagger's verb and modal tags (VB, VBD, VBZ, ... and MD)
_NAME_TAGS = frozenset({"NNP", "NNPS"})


@dataclass(frozen=True)
class Query:
    """A question ready for retrieval: the text to search with and the earlier question it leans on."""

    question: str
    search_text: str
    previous: str | None = None
    said: str | None = None  # the assistant's last reply: a follow-up wants something it has not said yet
    either_way: bool = False  # a follow-up that may also stand alone: answered both ways, the better kept

    @property
    def is_follow_up(self) -> bool:
        """Whether the question was read together with an earlier one."""
        return self.previous is not None


def _last_user_turn(history: list[Turn]) -> int | None:
    """Where the most recent (non-empty) user message of a conversation sits."""
    for at in range(len(history) - 1, -1, -1):
        if history[at].role == "user" and history[at].content.strip():
            return at
    return None


def last_reply(history: list[Turn]) -> str | None:
    """The most recent assistant message of a conversation."""
    for turn in reversed(history):
        if turn.role == "assistant" and turn.content.strip():
            return turn.content.strip()
    return None


def reading(question: str) -> str:
    """How a later question in a conversation reads: "alone", "leans" on the conversation, or "either"."""
    from assistant.ingest.entities import tagged

    tags = [tag for _, tag in tagged(question)]
    has_verb = any(tag.startswith(_VERB_TAGS) for tag in tags)
    names = any(tag in _NAME_TAGS for tag in tags)
    if _points_back(question) or not has_verb:
        return "either" if names else "leans"
    return "alone"


def _bound_in_question(question: str, pronoun: str, start: int) -> bool:
    """Whether a possessive belongs to a name said before it in the same question ("Acme ... its headquarters").

    Only possessives: "its", "their" mostly point at the clause's own subject, while "it" or "that" at the
    end of a question ("what did Acme say about it?") usually points back at the conversation.
    """
    if pronoun not in _POSSESSIVES:
        return False
    return any(word[:1].isupper() and word != "I" for word in question[:start].split()[1:])


def condense(question: str, history: list[Turn]) -> Query:
    """Read a follow-up together with the previous user question; a standalone question stays as it is.

    A question asked again word for word is read as it was the first time, not as a follow-up to itself.
    """
    last = _last_user_turn(history)
    if last is None:
        return Query(question, question)
    previous = history[last].content.strip()
    if previous.casefold().split() == question.casefold().split():  # case and spacing aside
        return condense(question, history[:last])
    how = reading(question)
    if how == "alone":
        return Query(question, question)
    # A pronoun in the previous question points further back: after "Who did Acme hire?", "Where was he
    # before?" and "How did Initech take that?" leans on all three. "And the FT?" names its own subject.
    leaned_on = condense(previous, history[:last]).search_text if _points_back(previous) else previous
    return Query(question, f"{leaned_on} {question}", previous, last_reply(history), either_way=how == "either")


def _points_back(question: str) -> bool:
    """Whether a question has a pronoun it does not itself resolve."""
    spans = word_spans(question)
    pointing = [(word, start) for i, (word, start, _) in enumerate(spans)
                if word in _ANAPHORA or word == "the" and i + 1 < len(spans) and spans[i + 1][0] == "same"]
    return any(not _bound_in_question(question, word, start) for word, start in pointing)

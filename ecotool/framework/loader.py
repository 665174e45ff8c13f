"""Read, validate and hash framework files (storing them is in operations.py)."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from ecotool.framework.schema import SCHEMA

# The words a trigger's prompt may fill in from its figure (supervision/prompts.py:fill).
PLACEHOLDERS = ("value", "count", "total", "of", "times")
_VALIDATOR = Draft202012Validator(SCHEMA)


class FrameworkError(Exception):
    """A framework file that cannot be loaded; carries every error found."""

    def __init__(self, source: str, errors: list[str]):
        super().__init__(f"{source}: {len(errors)} error(s)")
        self.source = source
        self.errors = errors


def _path_text(path: list[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


def _message(error) -> str:
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown key(s) not allowed")
    return error.message


def _items(data: dict, section: str) -> list[tuple[int, dict]]:
    """The well-formed items of a section (the schema reports the malformed ones)."""
    items = data.get(section)
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)] if isinstance(items, list) else []


def _cross_reference_errors(data: dict) -> list[str]:
    """Checks a JSON Schema cannot express: codes unique and every reference resolvable."""
    errors: list[str] = []
    for section in ("levels", "journey_stages", "response_types", "target_groups", "domains"):
        seen: set = set()
        for i, item in _items(data, section):
            code = item.get("code")
            if code is not None and code in seen:
                errors.append(f"{section}[{i}].code: {code!r} is used twice")
            seen.add(code)
    responses = {r.get("code") for _, r in _items(data, "response_types")}
    domains = {d.get("code") for _, d in _items(data, "domains")}
    for i, d in _items(data, "domains"):
        code, level = d.get("code"), d.get("level")
        if isinstance(code, str) and isinstance(level, str) and code.split(".", 1)[0] != level:
            errors.append(f"domains[{i}].code: {code!r} does not start with its level {level!r}")
        for j, response in enumerate(d.get("responses") or []):
            if isinstance(response, str) and response not in responses:
                errors.append(f"domains[{i}].responses[{j}]: {response!r} is not a response_types code")
    for i, t in _items(data, "triggers"):
        if isinstance(t.get("domain"), str) and t["domain"] not in domains:
            errors.append(f"triggers[{i}].domain: {t['domain']!r} is not a domain code")
        for name in re.findall(r"\{([^}]*)\}", t.get("prompt") if isinstance(t.get("prompt"), str) else ""):
            if name not in PLACEHOLDERS:
                errors.append(f"triggers[{i}].prompt: unknown placeholder {{{name}}}; use "
                              + ", ".join(PLACEHOLDERS))
    return errors


def validate(data: Any) -> list[str]:
    """Return every error in a parsed framework document, each with its path; empty if valid."""
    if not isinstance(data, dict):
        return ["(top): the file must hold a mapping (key: value pairs)"]
    errors = [
        f"{_path_text(list(e.absolute_path))}: {_message(e)}"
        for e in sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    return errors + _cross_reference_errors(data)


# A framework file is written by hand: aliases name a source once and cite it many times, but a few lines of
# aliases citing aliases could stand for billions of nodes (which every later walk of the data would expand), and
# deep nesting would end in a RecursionError. Both are refused.
MAX_DEPTH = 40
MAX_NODES = 200_000


class _PlainLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing nesting deeper than MAX_DEPTH and documents whose aliases would expand into
    more than MAX_NODES nodes."""

    depth = 0

    def compose_node(self, parent, index):
        """Compose one node, counting how deep it sits."""
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def compose_document(self):
        """Compose the document, then refuse it if its aliases expand into too many nodes."""
        node = super().compose_document()
        sizes: dict[int, int] = {}

        def expanded(item) -> int:
            if id(item) not in sizes:
                children = item.value if isinstance(item.value, list) else []
                parts = [part for child in children for part in (child if isinstance(child, tuple) else (child,))]
                sizes[id(item)] = 1 + sum(expanded(part) for part in parts)
            return sizes[id(item)]

        if node is not None and expanded(node) > MAX_NODES:
            raise yaml.composer.ComposerError(None, None, f"its aliases expand into more than {MAX_NODES:,} nodes",
                                              node.start_mark)
        return node


def read(path: str | Path) -> tuple[dict, str]:
    """Parse and validate a framework file; return (data, sha256) or raise FrameworkError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FrameworkError(path.name, [f"cannot read the file: {exc.strerror}"]) from exc
    return parse(raw, path.name)


def parse(raw: bytes, name: str) -> tuple[dict, str]:
    """Parse and validate a framework file's bytes (from disk or an upload named `name`); return (data, sha256)
    or raise FrameworkError with every error and its path."""
    path = Path(name)
    try:
        # _PlainLoader is a SafeLoader that also caps nesting and alias expansion.
        data = yaml.load(raw, Loader=_PlainLoader)  # nosec B506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise FrameworkError(path.name, [f"{where}not valid YAML ({getattr(exc, 'problem', exc)})"]) from exc
    errors = validate(data)
    if errors:
        raise FrameworkError(path.name, errors)
    return data, hashlib.sha256(raw).hexdigest()

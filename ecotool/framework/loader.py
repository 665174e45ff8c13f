"""Read, validate, hash and store framework files; every distinct content is a new version."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.framework.models import Domain, FrameworkVersion, Prompt, Trigger
from ecotool.framework.schema import SCHEMA

PLACEHOLDERS = {"value", "count", "total"}
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


def _cross_reference_errors(data: dict) -> list[str]:
    """Checks a JSON Schema cannot express: codes unique and every reference resolvable."""
    errors: list[str] = []
    for section in ("levels", "journey_stages", "response_types", "target_groups", "domains"):
        seen: set[str] = set()
        for i, item in enumerate(data.get(section, [])):
            code = item.get("code")
            if code in seen:
                errors.append(f"{section}[{i}].code: {code!r} is used twice")
            seen.add(code)
    responses = {r["code"] for r in data.get("response_types", [])}
    domains = {d["code"] for d in data.get("domains", [])}
    for i, d in enumerate(data.get("domains", [])):
        if d["code"].split(".", 1)[0] != d["level"]:
            errors.append(f"domains[{i}].code: {d['code']!r} does not start with its level {d['level']!r}")
        for j, code in enumerate(d.get("responses", [])):
            if code not in responses:
                errors.append(f"domains[{i}].responses[{j}]: {code!r} is not a response_types code")
    for i, t in enumerate(data.get("triggers", [])):
        if t["domain"] not in domains:
            errors.append(f"triggers[{i}].domain: {t['domain']!r} is not a domain code")
        for name in re.findall(r"\{([^}]*)\}", t["prompt"]):
            if name not in PLACEHOLDERS:
                errors.append(f"triggers[{i}].prompt: unknown placeholder {{{name}}}; use value, count or total")
    return errors


def validate(data: Any) -> list[str]:
    """Return every error in a parsed framework document, each with its path; empty if valid."""
    if not isinstance(data, dict):
        return ["(top): the file must hold a mapping (key: value pairs)"]
    errors = [
        f"{_path_text(list(e.absolute_path))}: {_message(e)}"
        for e in sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    return errors or _cross_reference_errors(data)


def read(path: str | Path) -> tuple[dict, str]:
    """Parse and validate a framework file; return (data, sha256) or raise FrameworkError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FrameworkError(path.name, [f"cannot read the file: {exc.strerror}"]) from exc
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise FrameworkError(path.name, [f"{where}not valid YAML ({getattr(exc, 'problem', exc)})"]) from exc
    errors = validate(data)
    if errors:
        raise FrameworkError(path.name, errors)
    return data, hashlib.sha256(raw).hexdigest()


def load_file(session: Session, path: str | Path) -> tuple[FrameworkVersion, bool]:
    """Store a framework file unless this exact content is stored; return (version, created)."""
    data, sha = read(path)
    existing = session.scalar(
        select(FrameworkVersion).where(FrameworkVersion.key == data["key"], FrameworkVersion.sha256 == sha)
    )
    if existing:
        return existing, False
    version = FrameworkVersion(
        key=data["key"], declared_version=data["version"], title=data["title"], sha256=sha,
        source_name=Path(path).name, content=data,
    )
    session.add(version)
    by_code: dict[str, Domain] = {}
    for position, d in enumerate(data["domains"]):
        domain = Domain(
            framework_version=version, code=d["code"], level=d["level"], name=d["name"],
            description=d["description"], position=position,
            example_barriers=d["example_barriers"], example_enablers=d.get("example_enablers", []),
            responses=d["responses"], evidence=d["evidence"],
        )
        for purpose in ("recording", "supervision"):
            for i, text in enumerate(d[f"{purpose}_prompts"]):
                domain.prompts.append(Prompt(purpose=purpose, position=i, text=text))
        session.add(domain)
        by_code[d["code"]] = domain
    session.flush()
    for position, t in enumerate(data.get("triggers", [])):
        session.add(Trigger(
            framework_version_id=version.id, domain_id=by_code[t["domain"]].id, position=position,
            indicator=t["indicator"], op=t["op"], value=float(t["value"]), prompt=t["prompt"],
        ))
    session.flush()
    return version, True


def load_directory(session: Session, directory: str | Path) -> list[tuple[FrameworkVersion, bool]]:
    """Load every *.yaml file in a directory, in name order."""
    return [load_file(session, p) for p in sorted(Path(directory).glob("*.yaml"))]


def current_version(session: Session, key: str = "social-ecological") -> FrameworkVersion | None:
    """Return the most recently loaded version of a framework."""
    return session.scalar(
        select(FrameworkVersion).where(FrameworkVersion.key == key).order_by(FrameworkVersion.id.desc()).limit(1)
    )

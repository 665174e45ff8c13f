"""Storing framework files: every distinct content is a new version, and old versions stay."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.clock import utcnow
from ecotool.db import atomic
from ecotool.framework.loader import read
from ecotool.framework.models import Domain, FrameworkVersion, Prompt, Trigger
from ecotool.vocab import PromptPurpose


@atomic
def load_file(session: Session, path: str | Path) -> tuple[FrameworkVersion, bool]:
    """Store a framework file unless this exact content is stored; return (version, created)."""
    data, sha = read(path)
    existing = session.scalar(
        select(FrameworkVersion).where(FrameworkVersion.key == data["key"], FrameworkVersion.sha256 == sha)
    )
    if existing:
        existing.last_loaded_at = utcnow()
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
        for purpose in PromptPurpose:
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


@atomic
def load_directory(session: Session, directory: str | Path) -> list[tuple[FrameworkVersion, bool]]:
    """Load every *.yaml file in a directory, in name order."""
    return [load_file(session, p) for p in sorted(Path(directory).glob("*.yaml"))]

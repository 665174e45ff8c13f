"""Storing framework files: every distinct content is a new version, and old versions stay."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecotool.clock import utcnow
from ecotool.db import atomic
from ecotool import audit
from ecotool.errors import OperationError
from ecotool.framework.loader import parse, read
from ecotool.framework.models import Domain, FrameworkVersion, Prompt, Trigger
from ecotool.framework.queries import current_version
from ecotool.vocab import PromptPurpose


@atomic
def load_file(session: Session, path: str | Path) -> tuple[FrameworkVersion, bool]:
    """Store a framework file unless this exact content is stored; return (version, created)."""
    data, sha = read(path)
    return _store(session, data, sha, Path(path).name, None)


@atomic
def load_upload(session: Session, actor_id: int, raw: bytes, name: str, expected_sha: str) -> tuple[FrameworkVersion, bool]:
    """Put an uploaded framework file in use, once confirmed: checked again, and refused if it is not the file
    that was compared (`expected_sha`). Its content becomes a new version unless stored already; either way it
    is the one in use from now on, and older records keep theirs. Audited."""
    data, sha = parse(raw, name)
    if sha != expected_sha:
        raise OperationError("This is not the file that was checked. Upload it again.")
    version, created = _store(session, data, sha, name, actor_id)
    audit.record(session, actor_id, "framework_version.load", version)
    return version, created


def _store(session: Session, data: dict, sha: str, name: str, uploader_id: int | None) -> tuple[FrameworkVersion, bool]:
    """Store new content as a new version in use; content stored already is put in use again, except that an
    unchanged file in frameworks/ (loaded again at every start) never replaces a version uploaded since."""
    existing = session.scalar(
        select(FrameworkVersion).where(FrameworkVersion.key == data["key"], FrameworkVersion.sha256 == sha)
    )
    if existing:
        in_use = current_version(session, data["key"])
        if uploader_id is not None or in_use is None or in_use.uploaded_by_id is None:
            existing.last_loaded_at = utcnow()
        return existing, False
    version = FrameworkVersion(
        key=data["key"], declared_version=data["version"], title=data["title"], sha256=sha,
        source_name=name, content=data, uploaded_by_id=uploader_id,
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

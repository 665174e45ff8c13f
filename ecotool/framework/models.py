"""A framework as loaded: every version kept, with its domains, prompts and triggers."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecotool.db import Base, in_list, utcnow
from ecotool.vocab import Level, PromptPurpose, TriggerOp



class FrameworkVersion(Base):
    """One distinct content of one framework file; never changed once loaded."""

    __tablename__ = "framework_version"
    __table_args__ = (UniqueConstraint("key", "sha256", name="key_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    declared_version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(200))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set each time this exact content is put in use, so going back to an older file makes it current again.
    last_loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The administrator who uploaded it in the browser; empty for a file loaded from frameworks/.
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    domains: Mapped[list[Domain]] = relationship(
        back_populates="framework_version", order_by="Domain.position"
    )
    triggers: Mapped[list[Trigger]] = relationship(order_by="Trigger.position")

    def __repr__(self) -> str:
        return f"<FrameworkVersion {self.key} v{self.declared_version} {self.sha256[:8]}>"

    def _named(self, section: str) -> list[dict[str, str]]:
        return list(self.content.get(section, []))

    @property
    def levels(self) -> list[dict[str, str]]:
        """The levels as declared in the file."""
        return self._named("levels")

    @property
    def journey_stages(self) -> list[dict[str, str]]:
        """The journey stages as declared in the file."""
        return self._named("journey_stages")

    @property
    def response_types(self) -> list[dict[str, str]]:
        """The response types as declared in the file."""
        return self._named("response_types")

    @property
    def target_groups(self) -> list[dict[str, str]]:
        """The target groups as declared in the file."""
        return self._named("target_groups")

    def domains_by_level(self, order: Iterable[Level] = tuple(Level)) -> list[tuple[str, list[Domain]]]:
        """The domains grouped under their level's title, e.g. "Society and policy (macro)", in this order."""
        names = {lvl["code"]: lvl["name"] for lvl in self.levels}
        return [(f"{names[level]} ({level})", [d for d in self.domains if d.level == level]) for level in order]


class Domain(Base):
    """A named area of influence inside one level of one framework version."""

    __tablename__ = "domain"
    __table_args__ = (
        UniqueConstraint("framework_version_id", "code", name="version_code"),
        CheckConstraint(in_list("level", Level), name="level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_version.id"), index=True)
    code: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    position: Mapped[int]
    example_barriers: Mapped[list[str]] = mapped_column(JSON)
    example_enablers: Mapped[list[str]] = mapped_column(JSON)
    responses: Mapped[list[str]] = mapped_column(JSON)
    evidence: Mapped[list[dict[str, str]]] = mapped_column(JSON)

    framework_version: Mapped[FrameworkVersion] = relationship(back_populates="domains")
    prompts: Mapped[list[Prompt]] = relationship(back_populates="domain", order_by="Prompt.position")

    def __repr__(self) -> str:
        return f"<Domain {self.code}>"

    def prompts_for(self, purpose: PromptPurpose) -> list[str]:
        """Return the prompt texts of this domain for recording or supervision."""
        return [p.text for p in self.prompts if p.purpose == purpose]


class Prompt(Base):
    """A question a framework domain asks when recording or in supervision."""

    __tablename__ = "prompt"
    __table_args__ = (CheckConstraint(in_list("purpose", PromptPurpose), name="purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("domain.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    domain: Mapped[Domain] = relationship(back_populates="prompts")

    def __repr__(self) -> str:
        return f"<Prompt {self.purpose} {self.position}>"


class Trigger(Base):
    """A data-driven supervision prompt: shown when an indicator crosses a value."""

    __tablename__ = "trigger"
    __table_args__ = (CheckConstraint(in_list("op", TriggerOp), name="op"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_version.id"), index=True)
    domain_id: Mapped[int] = mapped_column(ForeignKey("domain.id"))
    position: Mapped[int]
    indicator: Mapped[str] = mapped_column(String(60))
    op: Mapped[str] = mapped_column(String(2))
    value: Mapped[float]
    prompt: Mapped[str] = mapped_column(Text)

    domain: Mapped[Domain] = relationship()

    def __repr__(self) -> str:
        return f"<Trigger {self.indicator} {self.op} {self.value}>"

"""Exports for researchers in the REFI-QDA exchange standard (www.qdasoftware.org), which NVivo, MAXQDA, ATLAS.ti,
QualCoder and Taguette read: the framework as a codebook (.qdc), and a service's shareable observations as a
project (.qdpx: a zip holding project.qde), each coded with its domain and kind.

The same code always gets the same GUID (a UUID made from its name), so a second export maps onto the first.
"""
from __future__ import annotations

import io
import uuid
import zipfile
from datetime import datetime, timezone
# Only builds XML, never parses it (bandit's B405 is about parsing untrusted XML).
from xml.etree.ElementTree import Element, SubElement, tostring  # nosec B405

from ecotool.capture.models import Observation
from ecotool.framework.models import FrameworkVersion
from ecotool.vocab import Kind, Level

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
ORIGIN = "ecotool"
_NAMESPACE = uuid.UUID("6f1d3c0e-9a56-4a8e-9d0b-3a3f1f0f9c11")
LEVEL_COLOURS = {Level.MACRO: "#1F5F8B", Level.MESO: "#2E7D5B", Level.MICRO: "#B5651D"}
KIND_COLOURS = {kind: colour for kind, colour in zip(Kind, ("#8B1E3F", "#3C7A3C", "#666666", "#999999"))}


def guid(*parts: str) -> str:
    """A stable GUID for a named thing (a level, a domain, an observation, a variable)."""
    return str(uuid.uuid5(_NAMESPACE, ":".join(parts))).upper()


def _codes(parent: Element, version: FrameworkVersion, extra_domains: list) -> None:
    """Levels as groups holding their domains (codable), then the kinds of observation."""
    names = {level["code"]: level["name"] for level in version.levels}
    codes = {d.code for d in version.domains}
    domains = list(version.domains)
    for domain in extra_domains:  # domains of observations made with an older version, each once
        if domain.code not in codes:
            codes.add(domain.code)
            domains.append(domain)
    for level in Level:
        group = SubElement(parent, "Code", guid=guid("level", level), name=f"{names.get(level, level)} ({level})",
                           isCodable="false", color=LEVEL_COLOURS[level])
        SubElement(group, "Description").text = f"Domains of the {level} level of the social-ecological framework."
        for domain in (d for d in domains if d.level == level):
            code = SubElement(group, "Code", guid=guid("domain", domain.code), name=domain.name, isCodable="true",
                              color=LEVEL_COLOURS[level])
            SubElement(code, "Description").text = f"{domain.code}: {domain.description}"
    kinds = SubElement(parent, "Code", guid=guid("kind"), name="Kind of observation", isCodable="false")
    for kind in Kind:
        SubElement(kinds, "Code", guid=guid("kind", kind), name=kind.label, isCodable="true", color=KIND_COLOURS[kind])


def _xml(root: Element) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="utf-8", xml_declaration=False)


def codebook(version: FrameworkVersion) -> bytes:
    """The framework version as a REFI-QDA codebook (.qdc)."""
    root = Element("CodeBook", xmlns=CODEBOOK_NS, origin=f"{ORIGIN}: {version.title} {version.declared_version}")
    _codes(SubElement(root, "Codes"), version, [])
    return _xml(root)


VARIABLES = ("Level", "Domain code", "Journey stage", "Month observed", "About")


def _variable_values(source: Element, values: dict[str, str]) -> None:
    for name, value in values.items():
        holder = SubElement(source, "VariableValue")
        SubElement(holder, "VariableRef", targetGUID=guid("variable", name))
        SubElement(holder, "TextValue").text = value


def project(name: str, version: FrameworkVersion, observations: list[Observation], made_at: datetime) -> bytes:
    """A service's shareable observations as a REFI-QDA project (.qdpx): each a text source coded, over its whole
    text, with its domain and its kind, and described by level, domain code, journey stage, month and whether
    it is about a case or the service. No case reference, name or exact day leaves the app."""
    root = Element("Project", xmlns=PROJECT_NS, name=name, origin=ORIGIN,
                   creationDateTime=made_at.replace(tzinfo=timezone.utc, microsecond=0).isoformat().replace("+00:00", "Z"))
    _codes(SubElement(SubElement(root, "CodeBook"), "Codes"), version, [o.domain for o in observations])
    variables = SubElement(root, "Variables")
    for variable in VARIABLES:
        SubElement(variables, "Variable", guid=guid("variable", variable), name=variable, typeOfVariable="Text")
    if observations:
        sources = SubElement(root, "Sources")
        for o in observations:
            key = f"observation-{o.id}"
            source = SubElement(sources, "TextSource", guid=guid(key), name=f"Observation {o.id}")
            SubElement(source, "PlainTextContent").text = o.text
            selection = SubElement(source, "PlainTextSelection", guid=guid(key, "all"), name=f"Observation {o.id}",
                                   startPosition="0", endPosition=str(len(o.text)))
            for code in (("domain", o.domain.code), ("kind", o.kind)):
                coding = SubElement(selection, "Coding", guid=guid(key, *code))
                SubElement(coding, "CodeRef", targetGUID=guid(*code))
            _variable_values(source, {
                "Level": o.domain.level, "Domain code": o.domain.code, "Journey stage": o.journey_stage or "",
                "Month observed": f"{o.observed_on:%Y-%m}", "About": "a case" if o.case_id else "the service"})
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as qdpx:
        qdpx.writestr("project.qde", _xml(root))
    return archive.getvalue()

"""REFI-QDA exports validate against the standard's schemas: the framework as a codebook, a service's shareable
observations as a project, coded by domain and kind; nothing unshareable, identifying or from another service."""
from __future__ import annotations

import io
from datetime import date, timedelta
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import xmlschema

from ecotool.audit import AuditEvent
from ecotool.reports import refi

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas" / "refi-qda"
P = "{urn:QDA-XML:project:1.0}"


def test_the_codebook_is_valid_and_holds_every_domain_under_its_level(client, login, team, framework):
    login(team["supervisor"])
    response = client.get("/briefs/exports/codebook.qdc")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    xmlschema.XMLSchema(SCHEMAS / "Codebook.xsd").validate(response.data)
    root = ElementTree.fromstring(response.data)
    c = "{urn:QDA-XML:codebook:1.0}"
    levels = root.findall(f"{c}Codes/{c}Code")
    codable = [code.get("name") for level in levels[:3] for code in level.findall(f"{c}Code")]
    assert sorted(codable) == sorted(d.name for d in framework.domains)
    assert [lvl.get("isCodable") for lvl in levels] == ["false"] * 4  # three levels and the kinds


def test_the_project_holds_only_shareable_observations_of_the_service_and_is_valid(
        client, login, session, team, make_observation, make_service, make_person, make_case, framework):
    case = make_case(team["service"], team["supporter"])
    kept = make_observation(team["service"], team["supporter"], case=case, observed_on=date.today() - timedelta(days=3),
                            text="The bus to the clinic stopped running.", shareable=True)
    make_observation(team["service"], team["supporter"], text="Not for sharing at all.", shareable=False)
    make_observation(team["service"], team["supporter"], text="Her sister Maria answers the phone.", shareable=True)
    other = make_service("south", "South service")
    make_observation(other, make_person("peer_supporter", other), text="From another service.", shareable=True)
    session.commit()
    login(team["commissioner"])
    response = client.get(f"/briefs/exports/{team['service'].id}/observations.qdpx")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as qdpx:
        assert qdpx.namelist() == ["project.qde"]
        qde = qdpx.read("project.qde")
    xmlschema.XMLSchema(SCHEMAS / "Project.xsd").validate(qde)
    root = ElementTree.fromstring(qde)
    sources = root.findall(f"{P}Sources/{P}TextSource")
    assert [s.findtext(f"{P}PlainTextContent") for s in sources] == ["The bus to the clinic stopped running."]
    selection = sources[0].find(f"{P}PlainTextSelection")
    assert (selection.get("startPosition"), selection.get("endPosition")) == ("0", str(len(kept.text)))
    coded = {c.find(f"{P}CodeRef").get("targetGUID") for c in selection.findall(f"{P}Coding")}
    assert coded == {refi.guid("domain", kept.domain.code), refi.guid("kind", "barrier")}
    values = {v.find(f"{P}VariableRef").get("targetGUID"): v.findtext(f"{P}TextValue")
              for v in sources[0].findall(f"{P}VariableValue")}
    assert values[refi.guid("variable", "Month observed")] == f"{kept.observed_on:%Y-%m}"
    assert values[refi.guid("variable", "About")] == "a case"
    assert case.reference.encode() not in qde and kept.observed_on.isoformat().encode() not in qde
    assert session.query(AuditEvent).filter_by(action="service.export", object_id=team["service"].id).count() == 1


def test_another_services_observations_cannot_be_exported(client, login, team, make_service):
    other = make_service("south", "South service")
    login(team["commissioner"])
    assert client.get(f"/briefs/exports/{other.id}/observations.qdpx").status_code == 404

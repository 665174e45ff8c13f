"""The recurring-barriers page and the decision proposal drafted from it, on hand-built data.

The team service's target rule is IMD quintile 1 or a mother under 20. Four cases, referred 120 days ago:
a (quintile 1: target), b (quintile 4, under 20: target), c and d (quintiles 3 and 5: not target).
Barriers observed in the last 90 days (the page's default period):
- macro.deprivation-and-place: a, c, d                       -> 3 cases, 1 target (33%), 3 observations
- micro.language-and-culture: a, b, c, d                     -> 4 cases, 2 target (50%), 4 observations
- micro.household-gatekeeping: a twice, b, c, the service    -> 3 cases, 2 target (67%), 5 observations
- micro.money-food-housing: b, c, d                          -> 3 cases, 1 target (33%), 3 observations
Not recurring:
- micro.contactability: barriers in a, b and an enabler in c (enablers do not count), and barriers in three
  cases of another service;
- micro.transport-and-distance: barriers in a, b, and in d 100 days ago (outside the period);
- micro.others-present: barriers in a, b and one about the service as a whole (no case).
"""
from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from ecotool.clock import local_today
from ecotool.config import PROJECT_ROOT
from ecotool.decisions.models import Decision
from ecotool.decisions.operations import change_status, record_decision
from ecotool.decisions.queries import recurring_barriers
from ecotool.framework.operations import load_file
from ecotool.framework.queries import current_version
from tests.conftest import row_counts

TODAY = local_today()
START, END = TODAY - timedelta(days=90), TODAY

CASES = {"a": {"quintile": 1}, "b": {"quintile": 4, "age_band": "under 20"},
         "c": {"quintile": 3, "age_band": "25-29"}, "d": {"quintile": 5, "age_band": "30-34"}}
BARRIERS = {  # domain -> the cases with a barrier in it (None: about the service as a whole)
    "macro.deprivation-and-place": ["a", "c", "d"],
    "micro.language-and-culture": ["a", "b", "c", "d"],
    "micro.household-gatekeeping": ["a", "a", "b", "c", None],
    "micro.money-food-housing": ["b", "c", "d"],
    "micro.contactability": ["a", "b"],
    "micro.transport-and-distance": ["a", "b"],
    "micro.others-present": ["a", "b", None],
}


@pytest.fixture
def scene(team, make_service, make_person, make_case, make_observation, framework, session):
    """The cases and observations above, and a south service with contactability barriers in three cases."""
    service, supporter = team["service"], team["supporter"]
    referred = TODAY - timedelta(days=120)
    cases = {key: make_case(service, supporter, referral_date=referred, **values) for key, values in CASES.items()}
    ids: dict[str, list[int]] = {}
    day = 0
    for domain, keys in BARRIERS.items():
        for key in keys:
            day += 1  # a different day each, so no two are the same observation
            ids.setdefault(domain, []).append(make_observation(
                service, supporter, case=cases[key] if key else None, domain=domain,
                observed_on=TODAY - timedelta(days=day)).id)
    enabler = make_observation(service, supporter, case=cases["c"], domain="micro.contactability", kind="enabler",
                               text="Her sister passes messages on.")
    make_observation(service, supporter, case=cases["d"], domain="micro.transport-and-distance",
                     observed_on=TODAY - timedelta(days=100))

    south = make_service("south", "South service")
    south_supervisor = make_person("supervisor", south)
    south_supporter = make_person("peer_supporter", south, south_supervisor)
    south_ids = [make_observation(south, south_supporter, case=make_case(south, south_supporter, referral_date=referred),
                                  domain=domain).id
                 for domain in ("micro.contactability",) * 3 + ("micro.household-gatekeeping",)]
    return {"cases": cases, "ids": ids, "enabler": enabler.id, "south": south, "south_ids": south_ids}


def _domain(framework, code):
    return next(d for d in framework.domains if d.code == code)


def _decide(session, team, framework, code, status, title):
    decision = record_decision(session, team["supervisor"].id, team["service"], title=title,
                               rationale="Seen in several cases.", response_type="change-contact-timing",
                               target_group="imd-quintile-1", domain_ids=[_domain(framework, code).id],
                               start_date=TODAY - timedelta(days=5),
                               status="agreed" if status == "stopped" else status)
    if status == "stopped":
        change_status(session, team["supervisor"].id, decision, "stopped", "Nobody took the leaflets.")
    session.commit()
    return decision


def test_recurring_domains_by_level_with_cases_target_share_and_observations(session, team, framework, scene):
    levels = recurring_barriers(session, team["service"], framework, START, END)
    assert [title.rsplit(" ", 1)[-1] for title, _ in levels] == ["(macro)", "(micro)"]
    found = [[(f.domain.code, f.cases, f.target_cases, f.target_share, len(f.observation_ids)) for f in items]
             for _, items in levels]
    assert found == [
        [("macro.deprivation-and-place", 3, 1, 33, 3)],
        [("micro.language-and-culture", 4, 2, 50, 4),
         ("micro.household-gatekeeping", 3, 2, 67, 5),
         ("micro.money-food-housing", 3, 1, 33, 3)],
    ]
    gatekeeping = levels[1][1][1]
    assert sorted(gatekeeping.observation_ids) == sorted(scene["ids"]["micro.household-gatekeeping"])
    assert not set(gatekeeping.observation_ids) & set(scene["south_ids"])
    assert all(f.decisions == [] for _, items in levels for f in items)


def test_a_decision_answers_its_domain_unless_stopped(session, team, framework, scene):
    agreed = _decide(session, team, framework, "micro.household-gatekeeping", "agreed", "Call when she is alone")
    _decide(session, team, framework, "micro.language-and-culture", "stopped", "Leaflets in Polish")
    found = {f.domain.code: f for _, items in recurring_barriers(session, team["service"], framework, START, END)
             for f in items}
    assert [d.id for d in found["micro.household-gatekeeping"].decisions] == [agreed.id]
    assert found["micro.language-and-culture"].decisions == []


def test_the_page_lists_them_with_decisions_and_draft_links(client, login, session, team, framework, scene):
    _decide(session, team, framework, "micro.household-gatekeeping", "agreed", "Call when she is alone")
    _decide(session, team, framework, "micro.language-and-culture", "stopped", "Leaflets in Polish")
    login(team["supervisor"])
    response = client.get("/decisions/recurring")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    cards = [part.split('">', 1) for part in page.split('<li class="card" id="domain-')[1:]]
    assert [code for code, _ in cards] == ["macro.deprivation-and-place", "micro.language-and-culture",
                                           "micro.household-gatekeeping", "micro.money-food-housing"]
    card = dict(cards)
    gatekeeping = card["micro.household-gatekeeping"]
    assert "3 cases (2 target, 67%) · 5 observations" in gatekeeping
    assert "Call when she is alone" in gatekeeping and "Agreed" in gatekeeping
    assert "No decision yet" in card["micro.language-and-culture"] and "Leaflets in Polish" not in page
    assert "4 cases (2 target, 50%) · 4 observations" in card["micro.language-and-culture"]
    assert "Draft a proposal" in gatekeeping
    for code in ("micro.contactability", "micro.transport-and-distance", "micro.others-present"):
        assert f'id="domain-{code}"' not in page
    link = html.unescape(re.search(r'href="(/decisions/new\?[^"]+)"', gatekeeping).group(1))
    assert "domain=micro.household-gatekeeping" in link and f"service_id={team['service'].id}" in link
    assert f"period_start={START.isoformat()}" in link and f"period_end={END.isoformat()}" in link


def test_the_decisions_page_links_to_it(client, login, team):
    login(team["supervisor"])
    assert 'href="/decisions/recurring"' in client.get("/decisions/").get_data(as_text=True)


def test_a_period_that_leaves_out_the_barriers_lists_nothing(client, login, team, scene):
    login(team["supervisor"])
    old = TODAY - timedelta(days=200)
    page = client.get(f"/decisions/recurring?period_start={old.isoformat()}&period_end={(old + timedelta(days=30)).isoformat()}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "No barrier domain was recorded in 3 or more cases" in text and "Draft a proposal" not in text


@pytest.mark.parametrize("query, field", [
    ("period_start=2026-13-45", "period_start"),
    ("period_start=", "period_start"),
    (f"period_start={TODAY.isoformat()}&period_end={(TODAY - timedelta(days=1)).isoformat()}", "period_end"),
])
def test_a_bad_period_is_shown_next_to_its_field_with_no_results(client, login, team, scene, query, field):
    login(team["supervisor"])
    response = client.get(f"/decisions/recurring?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and "Draft a proposal" not in page and 'class="card"' not in page


def test_another_service_cannot_be_chosen(client, login, team, scene):
    login(team["supervisor"])
    assert client.get(f"/decisions/recurring?service_id={scene['south'].id}").status_code == 400
    assert client.get(f"/decisions/new?service_id={scene['south'].id}&domain=micro.contactability").status_code == 400


def test_a_peer_supporter_may_not_open_it(client, login, team):
    login(team["supporter"])
    assert client.get("/decisions/recurring").status_code == 403


def _draft_url(team, code="micro.household-gatekeeping"):
    return (f"/decisions/new?service_id={team['service'].id}&domain={code}"
            f"&period_start={START.isoformat()}&period_end={END.isoformat()}")


def _drafted(page: str) -> dict:
    """What the drafted form carries: ticked boxes, the observations offered, the reason, the response."""
    return {
        "ticked": re.findall(r'<input checked[^>]*value="(\d+)"', page),
        "observation_ids": re.findall(r'<input[^>]*name="observation_ids"[^>]*value="(\d+)"', page),
        "rationale": html.unescape(re.search(r'<textarea[^>]*name="rationale"[^>]*>\s*(.*?)</textarea>', page, re.S).group(1)),
        "title": re.search(r'<input[^>]*name="title"[^>]*>', page).group(0),
        "response_type": re.search(r'<option selected value="([^"]*)">[^<]*</option>', page.split('name="response_type"')[1]).group(1),
        "status": re.search(r'<option selected value="([^"]*)">', page.split('name="status"')[1]).group(1),
    }


def _save_draft(client, team, drafted: dict, observation_ids: list[str], domain_id: int):
    """Send the drafted form back with a title, its domain and these observations ticked, and a response."""
    return client.post(_draft_url(team), data={
        "service_id": str(team["service"].id), "title": "Call when she is alone", "rationale": drafted["rationale"],
        "domain_ids": [str(domain_id)], "response_type": "change-contact-timing", "target_group": "imd-quintile-1",
        "pathway_id": "", "start_date": TODAY.isoformat(), "review_date": "", "status": drafted["status"],
        "observation_ids": observation_ids})


def test_drafting_prefills_the_decision_form(client, login, team, framework, scene):
    login(team["supervisor"])
    response = client.get(_draft_url(team))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    gatekeeping = _domain(framework, "micro.household-gatekeeping")
    drafted = _drafted(page)
    assert drafted["ticked"] == []  # the domain and the observations are the supervisor's to choose
    assert sorted(map(int, drafted["observation_ids"])) == sorted(scene["ids"]["micro.household-gatekeeping"])
    assert drafted["rationale"].startswith("Recorded as a barrier in 3 cases (2 of them target cases) ")
    assert drafted["rationale"].endswith(", and 1 time about the service as a whole.")
    assert 'value=""' in drafted["title"] or "value" not in drafted["title"]
    assert drafted["response_type"] == ""
    assert drafted["status"] == "proposed"
    assert f'<option selected value="{team["service"].id}">' in page
    assert "Drafted from recurring barriers:" in page and gatekeeping.name in page
    suggested = {r["code"]: r["name"] for r in framework.response_types}
    assert all(suggested[code] in page for code in gatekeeping.responses)


def test_saving_a_draft_links_the_decision_to_its_observations(client, login, session, team, framework, scene):
    login(team["supervisor"])
    drafted = _drafted(client.get(_draft_url(team)).get_data(as_text=True))
    chosen = drafted["observation_ids"][:-1]  # all but one: she chooses
    gatekeeping = _domain(framework, "micro.household-gatekeeping")
    response = _save_draft(client, team, drafted, chosen, gatekeeping.id)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    decision = session.query(Decision).one()
    assert sorted(o.id for o in decision.observations) == sorted(map(int, chosen))
    assert [d.code for d in decision.domains] == ["micro.household-gatekeeping"] and decision.status == "proposed"
    # The page now shows it answering the domain, and the decision's page lists the observations behind it.
    page = client.get("/decisions/recurring").get_data(as_text=True)
    assert "Call when she is alone" in page
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Read the observations" in shown and "Who answers the phone</th><td>4</td>" in shown
    assert all(o.text in shown for o in decision.observations)


@pytest.mark.parametrize("tamper", ["another service", "an enabler", "not a number", "too large"])
def test_a_tampered_observation_id_is_refused_and_nothing_saved(client, login, team, framework, scene, tamper):
    login(team["supervisor"])
    drafted = _drafted(client.get(_draft_url(team)).get_data(as_text=True))
    extra = {"another service": str(scene["south_ids"][-1]), "an enabler": str(scene["enabler"]),
             "not a number": "x1", "too large": str(2**63)}[tamper]
    response = _save_draft(client, team, drafted, drafted["observation_ids"] + [extra],
                           _domain(framework, "micro.household-gatekeeping").id)
    assert response.status_code == 422
    assert 'id="observation_ids-error"' in response.get_data(as_text=True)
    assert row_counts(Decision) == {"Decision": 0}


def test_observations_can_be_linked_only_through_their_service(session, team, framework, scene):
    from ecotool.errors import OperationError

    with pytest.raises(OperationError) as refused:
        record_decision(session, team["supervisor"].id, team["service"], title="Call when she is alone",
                        rationale="Seen in several cases.", response_type="change-contact-timing",
                        target_group="imd-quintile-1", start_date=TODAY,
                        domain_ids=[_domain(framework, "micro.contactability").id],
                        observation_ids=[scene["south_ids"][0]])
    assert refused.value.field == "observation_ids"
    assert row_counts(Decision) == {"Decision": 0}


def test_a_domain_the_framework_does_not_have_is_not_found(client, login, team, scene):
    login(team["supervisor"])
    assert client.get(_draft_url(team, "micro.no-such-domain")).status_code == 404


def test_domains_and_decisions_are_matched_by_code_across_framework_versions(
        client, login, session, team, framework, scene, tmp_path):
    """Barriers and a decision recorded under one version still count, under the new version's domain."""
    agreed = _decide(session, team, framework, "micro.household-gatekeeping", "agreed", "Call when she is alone")
    data = yaml.safe_load((PROJECT_ROOT / "frameworks" / "social-ecological.yaml").read_text())
    data["version"] = "99"
    next(d for d in data["domains"] if d["code"] == "micro.household-gatekeeping")["name"] = "Someone else picks up"
    path = Path(tmp_path) / "social-ecological.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    newer, _ = load_file(session, path)
    session.commit()
    assert current_version(session).id == newer.id != framework.id
    found = {f.domain.code: f for _, items in recurring_barriers(session, team["service"], newer, START, END)
             for f in items}
    gatekeeping = found["micro.household-gatekeeping"]
    assert gatekeeping.domain.framework_version_id == newer.id and gatekeeping.domain.name == "Someone else picks up"
    assert (gatekeeping.cases, [d.id for d in gatekeeping.decisions]) == (3, [agreed.id])
    login(team["supervisor"])
    page = client.get(_draft_url(team)).get_data(as_text=True)
    assert _drafted(page)["ticked"] == []
    assert "</span> Someone else picks up</h2>" in page  # drafted from the newer version's domain
    assert f'name="domain_ids" type="checkbox" value="{_domain(newer, "micro.household-gatekeeping").id}"' in page


def test_a_decision_from_a_session_still_works_alongside(client, login, team, session):
    """The ?session_id= form is unchanged: it carries no observations."""
    from ecotool.supervision.models import SupervisionSession

    login(team["supervisor"])
    client.post("/supervision/new", data={
        "service_id": str(team["service"].id), "supervisee_ids": [str(team["supporter"].id)],
        "held_on": TODAY.isoformat(), "period_start": (TODAY - timedelta(days=28)).isoformat(),
        "period_end": TODAY.isoformat()})
    held = session.query(SupervisionSession).one()
    page = client.get(f"/decisions/new?session_id={held.id}").get_data(as_text=True)
    assert "Drafted from recurring barriers" not in page
    assert 'name="observation_ids"' not in page  # nothing behind its prompts to offer

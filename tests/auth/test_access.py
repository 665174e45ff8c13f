"""Who may open what: every endpoint x every role x own service / another service.

The expectation for each request is read from the access declared on the route (`@allow`, `@public`);
POLICY below states the same in the product's terms, so loosening a declaration fails as well.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from ecotool.auth.access import declared
from ecotool.capture.operations import add_observation
from ecotool.reports.operations import generate_brief
from ecotool.decisions.operations import record_decision
from ecotool.supervision.operations import close_session, open_session
from ecotool.vocab import Role

PS, SUP, COM, ADM = Role.PEER_SUPPORTER, Role.SUPERVISOR, Role.COMMISSIONER, Role.ADMIN
EVERYONE = frozenset(Role)
PUBLIC = "public"
POLICY = {
    "auth.login": PUBLIC,
    "auth.second_factor": PUBLIC,
    "auth.two_factor": EVERYONE,
    "auth.logout": EVERYONE,
    "auth.home": EVERYONE,
    "auth.account": EVERYONE,
    "auth.password": EVERYONE,
    "auth.sign_out_everywhere": EVERYONE,
    "capture.caseload": {PS, SUP},
    "capture.new_case": {PS},
    "capture.case_page": {PS, SUP},
    "capture.edit_case": {PS, SUP},
    "capture.new_contact": {PS, SUP},
    "capture.new_case_observation": {PS, SUP},
    "capture.new_service_observation": {PS, SUP},
    "capture.service_observations": {PS, SUP},
    "capture.closed_cases": {PS, SUP},
    "capture.close_case": {PS, SUP},
    "capture.reopen_case": {PS, SUP},
    "capture.edit_observation": {PS, SUP},
    "capture.delete_observation": {PS, SUP},
    "supervision.index": {SUP},
    "supervision.new": {SUP},
    "supervision.show": {SUP},
    "supervision.notes": {SUP},
    "supervision.observe": {SUP},
    "supervision.discard": {SUP},
    "supervision.comment": {SUP},
    "supervision.record_pdf": {SUP},
    "supervision.mine": {PS},
    "supervision.my_record": {PS},
    "decisions.index": {SUP, ADM},
    "decisions.new": {SUP},
    "decisions.recurring": {SUP},
    "decisions.show": {SUP, ADM},
    "decisions.chart": {SUP, ADM},
    "decisions.edit": {SUP},
    "decisions.status": {SUP},
    "decisions.review": {SUP},
    "decisions.mine": {PS},
    "reports.index": {COM, SUP, ADM},
    "reports.create": {COM, SUP, ADM},
    "reports.download": {COM, SUP, ADM},
    "reports.show": {COM, SUP, ADM},
    "reports.download_json": {COM, SUP, ADM},
    "reports.create_region": {COM, SUP, ADM},
    "reports.export_codebook": {COM, SUP, ADM},
    "reports.export_observations": {COM, SUP, ADM},
    "admin.index": {ADM},
    "admin.audit_log": {ADM},
    "admin.person": {ADM},
    "admin.set_person_active": {ADM},
    "admin.one_time_password": {ADM},
    "admin.sign_out_person": {ADM},
    "admin.hand_over": {ADM},
    "admin.turn_off_two_factor": {ADM},
    "admin.service_settings": {ADM},
    "admin.upload_framework": {ADM},
    "admin.erase": {ADM},
    "admin.confirm_framework": {ADM},
    "admin.target_rule": {ADM},
    "admin.add_service_pathway": {ADM},
    "admin.pathway_active": {ADM},
    "admin.new_service": {ADM},
    "admin.population": {ADM},
    "admin.new_person": {ADM},
    "admin.import_records": {ADM},
    "admin.reload_frameworks": {ADM},
}


def _endpoints(app) -> list[str]:
    return sorted(rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static")


def test_every_route_declares_who_may_open_it_and_matches_the_policy(app):
    for endpoint in _endpoints(app):
        access = declared(endpoint)
        assert access is not None, f"{endpoint} has no @allow or @public"
        assert endpoint in POLICY, f"{endpoint} is new: add it to POLICY with the roles the product intends"
        expected = POLICY[endpoint]
        assert (PUBLIC if access.public else set(access.roles)) == (expected if expected == PUBLIC else set(expected)), endpoint
    assert set(POLICY) == set(_endpoints(app)), "POLICY names routes that no longer exist"


@pytest.fixture
def two_services(session, team, make_service, make_person, make_case):
    """Each URL parameter filled with an object of the team's own service and one of another service."""
    def objects(service, supporter, supervisor):
        case = make_case(service, supporter)
        held = open_session(session, supervisor, service, [supporter.id], date.today(),
                            date.today() - timedelta(days=28), date.today())
        decision = record_decision(session, supervisor.id, service, title="Evening calls",
                                   rationale="By day the partner answers.", response_type="change-contact-timing",
                                   target_group="imd-quintile-1", domain_ids=[held.prompts[0].domain_id],
                                   start_date=date.today())
        # Closed, so its supervisee may read it; the pages that change a draft answer 409 (past the access check).
        close_session(session, supervisor.id, held)
        brief = generate_brief(session, supervisor.id, service, date.today() - timedelta(days=30), date.today())
        observation = add_observation(session, supporter.id, service, case=case, domain_id=held.prompts[0].domain_id,
                                      journey_stage="antenatal", kind="barrier", source="call",
                                      text="The bus does not run on Sundays.")
        session.commit()
        return {"case_id": case.id, "service_id": service.id, "session_id": held.id,
                "decision_id": decision.id, "brief_id": brief.id, "observation_id": observation.id,
                "person_id": supporter.id, "pathway_id": service.pathways[0].id}

    south = make_service("south", "South service")
    south_supervisor = make_person("supervisor", south)
    south_supporter = make_person("peer_supporter", south, south_supervisor)
    return {"own": objects(team["service"], team["supporter"], team["supervisor"]),
            "other": objects(south, south_supporter, south_supervisor)}


def _request(client, app, endpoint: str, ids: dict):
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        url = app.url_for(endpoint, **{name: ids[name] for name in rule.arguments})
    return (client.get(url) if "GET" in rule.methods else client.post(url, data={})), bool(rule.arguments)


def _expected(role: Role | None, endpoint: str, owned: bool, has_object: bool) -> str:
    access = declared(endpoint)
    if access.public:
        return "allow"
    if role is None:
        return "login"
    if role not in access.roles:
        return "deny"
    # Administrators work across every service; everyone else only in her own.
    if has_object and not owned and role != ADM:
        return "404"
    return "allow"


def _outcome(response) -> str:
    if response.status_code == 302 and "/login?next=" in response.headers["Location"]:
        return "login"
    if response.status_code == 403:
        return "deny"
    if response.status_code == 404:
        return "404"
    assert response.status_code < 500, response.status_code
    # 409: let in, but the object's state refuses the change (a closed session's notes).
    return "allow" if response.status_code in (200, 302, 409, 422) else f"status {response.status_code}"


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonymous")
def test_access_matrix(role, app, client, login, team, two_services):
    people = {PS: team["supporter"], SUP: team["supervisor"], COM: team["commissioner"], ADM: team["admin"]}
    wrong = []
    if role is None:
        client.post("/logout")
    else:
        login(people[role])
    # Deleting is walked near the end (it removes the object other pages open), signing out last: it
    # ends the session the rest of the walk needs, so she signs in again after each.
    ending = ("auth.sign_out_everywhere", "auth.logout")
    for endpoint in sorted(_endpoints(app), key=lambda e: (e in ending, "delete" in e)):
        for owned in (True, False):
            response, has_object = _request(client, app, endpoint, two_services["own" if owned else "other"])
            expected, got = _expected(role, endpoint, owned, has_object), _outcome(response)
            if expected != got:
                wrong.append(f"{endpoint} ({'own' if owned else 'other'} service): expected {expected}, got {got}")
            if endpoint in ending and role is not None:
                login(people[role])
            if not has_object:
                break
    assert wrong == [], "\n".join(wrong)

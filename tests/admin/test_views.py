"""Administrators set up services and people from pages."""
from __future__ import annotations

from ecotool.auth.models import Person
from ecotool.services.models import Service
from tests.conftest import row_counts


def test_admin_creates_a_service_and_a_person(client, team, login, session):
    login(team["admin"])
    response = client.post("/admin/services/new", data={"slug": "east-bay", "name": "East Bay BPS", "case_prefix": ""})
    assert response.status_code == 302
    assert session.query(Service).filter_by(slug="east-bay").one().case_prefix == "EB"
    response = client.post("/admin/people/new", data={
        "email": "new@example.org", "display_name": "New Supporter", "role": "peer_supporter",
        "service": "east-bay", "supervisor_id": ""})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    password = html.split('class="password">')[1].split("<")[0]
    client.post("/logout")
    assert client.post("/login", data={"email": "new@example.org", "password": password}).status_code == 302


def test_bad_admin_input_writes_nothing(client, team, login):
    login(team["admin"])
    before = row_counts(Service, Person)
    response = client.post("/admin/services/new", data={"slug": "Bad Slug", "name": "", "case_prefix": "x"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="slug-error"' in html and 'id="name-error"' in html and 'id="case_prefix-error"' in html
    response = client.post("/admin/services/new", data={"slug": team["service"].slug, "name": "Again"})
    assert response.status_code == 422 and "already exists" in response.get_data(as_text=True)
    response = client.post("/admin/people/new", data={
        "email": team["supporter"].email, "display_name": "Dup", "role": "peer_supporter",
        "service": team["service"].slug, "supervisor_id": ""})
    assert response.status_code == 422 and "already exists" in response.get_data(as_text=True)
    response = client.post("/admin/people/new", data={
        "email": "not-an-email", "display_name": "", "role": "boss", "service": "", "supervisor_id": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html and 'id="role-error"' in html and 'id="display_name-error"' in html
    assert row_counts(Service, Person) == before


def test_reload_frameworks_creates_no_version_for_unchanged_files(client, team, login):
    login(team["admin"])
    response = client.post("/admin/frameworks/reload", follow_redirects=True)
    assert "1 file(s), 0 new version(s)" in response.get_data(as_text=True)


def test_only_the_import_page_takes_a_large_upload(client, team, login):
    import io

    login(team["admin"])
    row = "ref,referral_date,imd_quintile,age_band,pathway,first_time,language_support,supporter_email\n"
    for size, expected in ((1024 * 1024, 422), (5 * 1024 * 1024, 413)):
        body = (row + "x" * size).encode()
        response = client.post("/admin/import", data={"service": team["service"].slug, "kind": "cases",
                                                      "file": (io.BytesIO(body), "cases.csv")},
                               content_type="multipart/form-data")
        assert response.status_code == expected, size
    response = client.post("/admin/services/new", data={"slug": "x", "name": "y" * 300_000})
    assert response.status_code == 413

"""Importing existing cases and contact attempts: all or nothing, with row numbers, and idempotent."""
from __future__ import annotations

import io
from datetime import date, timedelta

from ecotool.capture.models import Case, ContactAttempt
from tests.conftest import row_counts

D = (date.today() - timedelta(days=30)).isoformat()
W = (date.today() - timedelta(days=20)).isoformat() + "T10:30"


def _cases_csv(team) -> str:
    email = team["supporter"].email
    return ("ref,referral_date,imd_quintile,age_band,pathway,first_time,language_support,supporter_email\n"
            f"OLD-001,{D},1,Under 20,Midwife referral,Yes,no,{email}\n"
            f"OLD-002,{D},unknown,35+,self-referral,no,YES,{email.upper()}\n"
            f"old-003,{D},5,25-29,Midwife referral,,,{email}\n")


def _contacts_csv() -> str:
    return ("case_ref,when,channel,outcome\n"
            f"OLD-001,{W},Phone,No answer\n"
            f"OLD-001,{W[:-5]}12:00,text,reached\n"
            f"old-002,{W},home visit,Someone else answered\n")


def test_import_cases_and_contacts_from_the_command_line_twice(runner, session, team, tmp_path):
    cases, contacts = tmp_path / "cases.csv", tmp_path / "contacts.csv"
    cases.write_text(_cases_csv(team))
    contacts.write_text(_contacts_csv())
    slug = team["service"].slug
    result = runner.invoke(args=["import", "cases", "--service", slug, str(cases)])
    assert result.exit_code == 0, result.output
    assert "3 rows, 3 created, 0 already there" in result.output
    result = runner.invoke(args=["import", "contacts", "--service", slug, str(contacts)])
    assert "3 rows, 3 created, 0 already there" in result.output
    old1 = session.query(Case).filter_by(reference="OLD-001").one()
    assert (old1.imd_quintile, old1.age_band, old1.first_time, old1.language_support) == (1, "under 20", "yes", "no")
    old2 = session.query(Case).filter_by(reference="OLD-002").one()
    assert (old2.imd_quintile, old2.language_support, old2.pathway.name) == (None, "yes", "Self-referral")
    assert session.query(Case).filter_by(reference="OLD-003").one().first_time == "unknown"
    # Again: nothing new.
    assert "3 rows, 0 created, 3 already there" in runner.invoke(
        args=["import", "cases", "--service", slug, str(cases)]).output
    assert "3 rows, 0 created, 3 already there" in runner.invoke(
        args=["import", "contacts", "--service", slug, str(contacts)]).output
    assert row_counts(Case, ContactAttempt) == {"Case": 3, "ContactAttempt": 3}


def test_a_bad_file_changes_nothing_and_lists_rows_and_columns(runner, session, team, tmp_path):
    email = team["supporter"].email
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "ref,referral_date,imd_quintile,age_band,pathway,first_time,language_support,supporter_email\n"
        f"NEW-001,{D},1,20-24,Midwife referral,yes,no,{email}\n"
        f"NEW-002,31/12/2025,7,teen,Bus stop,maybe,no,{email}\n"
        f"NEW-001,{D},2,20-24,Midwife referral,yes,no,nobody@example.org\n"
        f"07700900123,{D},2,20-24,Midwife referral,yes,no,{email}\n")
    result = runner.invoke(args=["import", "cases", "--service", team["service"].slug, str(bad)])
    assert result.exit_code == 1
    out = result.output
    for expected in ("row 3, column referral_date", "row 3, column imd_quintile", "row 3, column age_band",
                     "row 3, column pathway", "row 3, column first_time", "row 4, column ref: NEW-001 appears twice",
                     "row 4, column supporter_email", "row 5, column ref"):
        assert expected in out, expected
    assert row_counts(Case) == {"Case": 0}


def test_unknown_or_missing_columns_are_refused(runner, team, tmp_path):
    bad = tmp_path / "names.csv"
    bad.write_text("case_ref,when,channel,outcome,mother_name\nX-1,2026-01-01T10:00,phone,reached,Jane\n")
    result = runner.invoke(args=["import", "contacts", "--service", team["service"].slug, str(bad)])
    assert result.exit_code == 1
    assert "row 1, column mother_name: ecotool does not import this column" in result.output
    missing = tmp_path / "missing.csv"
    missing.write_text("case_ref,channel,outcome\nX-1,phone,reached\n")
    result = runner.invoke(args=["import", "contacts", "--service", team["service"].slug, str(missing)])
    assert "row 1, column when: this column is missing" in result.output


def test_contacts_for_unknown_cases_or_bad_values(runner, session, team, tmp_path, make_case):
    case = make_case(team["service"], team["supporter"])
    bad = tmp_path / "contacts.csv"
    bad.write_text("case_ref,when,channel,outcome\n"
                   f"{case.reference},{W},phone,reached\n"
                   f"NOPE-1,{W},phone,reached\n"
                   f"{case.reference},2999-01-01T10:00,carrier pigeon,lost\n")
    result = runner.invoke(args=["import", "contacts", "--service", team["service"].slug, str(bad)])
    assert result.exit_code == 1
    for expected in ("row 3, column case_ref", "row 4, column when", "row 4, column channel", "row 4, column outcome"):
        assert expected in result.output
    assert row_counts(ContactAttempt) == {"ContactAttempt": 0}


def test_upload_page_for_admins(client, login, team, session):
    login(team["admin"])
    data = {"service": team["service"].slug, "kind": "cases",
            "file": (io.BytesIO(_cases_csv(team).encode()), "cases.csv")}
    response = client.post("/admin/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    assert row_counts(Case) == {"Case": 3}
    bad = {"service": team["service"].slug, "kind": "contacts",
           "file": (io.BytesIO(b"case_ref,when,channel,outcome\nOLD-001,yesterday,phone,reached\n"), "c.csv")}
    response = client.post("/admin/import", data=bad, content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nothing was imported: 1 problem" in html and "<td>2</td><td>when</td>" in html
    response = client.post("/admin/import", data={"service": team["service"].slug, "kind": "cases"},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a CSV file." in response.get_data(as_text=True)
    login(team["supporter"])
    assert client.get("/admin/import").status_code == 403

"""Importing existing cases and contact attempts: all or nothing, with row numbers, and idempotent."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from ecotool.capture.models import Case, ContactAttempt
from ecotool.clock import to_utc
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
        f"NEW-002,31/02/2026,7,teen,Bus stop,maybe,no,{email}\n"
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
    assert "row 1, column 5: column 5 is not a column we import" in result.output
    assert "mother_name" not in result.output and "Jane" not in result.output
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


def _errors(result) -> list[str]:
    """The problem lines the import command printed, without their indent."""
    return [line.strip() for line in result.output.splitlines()[1:]]


def test_dates_as_uk_services_write_them_and_as_iso_are_read_day_first(runner, session, team, tmp_path):
    email = team["supporter"].email
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "ref,referral_date,imd_quintile,age_band,pathway,first_time,language_support,supporter_email\n"
        f"UK-1,31/03/2026,1,20-24,Midwife referral,yes,no,{email}\n"
        f"UK-2,1/4/2026,1,20-24,Midwife referral,yes,no,{email}\n"
        f"UK-3,02-04-2026,1,20-24,Midwife referral,yes,no,{email}\n"
        f"UK-4,03/04/2026 00:00,1,20-24,Midwife referral,yes,no,{email}\n"
        f"ISO-5,2026-04-05,1,20-24,Midwife referral,yes,no,{email}\n")
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("case_ref,when,channel,outcome\n"
                        "UK-1,31/03/2026 14:30,phone,no answer\n"
                        "UK-1,1/4/2026 09:05,phone,no answer\n"
                        "UK-1,02-04-2026 10:00,phone,no answer\n"
                        "UK-1,03/04/2026,phone,no answer\n"
                        "UK-1,2026-04-04T14:30,phone,no answer\n"
                        "UK-1,2026-04-05 14:30,phone,reached\n")
    slug = team["service"].slug
    result = runner.invoke(args=["import", "cases", "--service", slug, str(cases)])
    assert result.exit_code == 0, result.output
    assert {c.reference: c.referral_date for c in session.query(Case)} == {
        "UK-1": date(2026, 3, 31), "UK-2": date(2026, 4, 1), "UK-3": date(2026, 4, 2), "UK-4": date(2026, 4, 3),
        "ISO-5": date(2026, 4, 5)}
    result = runner.invoke(args=["import", "contacts", "--service", slug, str(contacts)])
    assert result.exit_code == 0, result.output
    local = [datetime(2026, 3, 31, 14, 30), datetime(2026, 4, 1, 9, 5), datetime(2026, 4, 2, 10, 0),
             datetime(2026, 4, 3, 0, 0), datetime(2026, 4, 4, 14, 30), datetime(2026, 4, 5, 14, 30)]
    assert sorted(a.at for a in session.query(ContactAttempt)) == [to_utc(moment) for moment in local]


def test_a_day_that_does_not_exist_is_a_row_error_that_does_not_repeat_the_cell(runner, team, tmp_path):
    email = team["supporter"].email
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "ref,referral_date,imd_quintile,age_band,pathway,first_time,language_support,supporter_email\n"
        f"BAD-1,31/02/2026,1,20-24,Midwife referral,yes,no,{email}\n"
        f"BAD-2,03/31/2026,1,20-24,Midwife referral,yes,no,{email}\n"
        f"BAD-3,2026-02-30,1,20-24,Midwife referral,yes,no,{email}\n"
        f"BAD-4,31.03.2026,1,20-24,Midwife referral,yes,no,{email}\n")
    result = runner.invoke(args=["import", "cases", "--service", team["service"].slug, str(cases)])
    assert result.exit_code == 1
    no_such_day = "there is no such day; dates are read day first, as in 31/03/2026"
    assert _errors(result) == [
        f"row 2, column referral_date: {no_such_day}",
        f"row 3, column referral_date: {no_such_day}",
        f"row 4, column referral_date: {no_such_day}",
        "row 5, column referral_date: must be a date like 31/03/2026 or 2026-03-31",
    ]
    for cell in ("31/02/2026", "03/31/2026", "2026-02-30", "31.03.2026"):
        assert cell not in result.output
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("case_ref,when,channel,outcome\nX-1,30/02/2026 14:30,phone,reached\n"
                        "X-1,31/03/2026 24:30,phone,reached\n")
    result = runner.invoke(args=["import", "contacts", "--service", team["service"].slug, str(contacts)])
    assert _errors(result) == [
        "row 2, column case_ref: no case with this reference in this service",
        f"row 2, column when: {no_such_day}",
        "row 3, column case_ref: no case with this reference in this service",
        "row 3, column when: there is no such time of day; times are like 14:30",
    ]
    assert row_counts(Case, ContactAttempt) == {"Case": 0, "ContactAttempt": 0}


def test_semicolon_tab_and_bar_separated_files_are_read_as_such(runner, session, team, tmp_path):
    email = team["supporter"].email
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "ref;referral_date;imd_quintile;age_band;pathway;first_time;language_support;supporter_email\n"
        f"SEMI-1;31/03/2026;2;25-29;Self-referral;no;yes;{email}\n"
        ";;;;;;;\n")  # a row of empty cells, as spreadsheets export, is skipped
    slug = team["service"].slug
    result = runner.invoke(args=["import", "cases", "--service", slug, str(cases)])
    assert result.exit_code == 0, result.output
    assert "1 rows, 1 created, 0 already there" in result.output
    case = session.query(Case).one()
    assert (case.reference, case.referral_date, case.imd_quintile, case.age_band, case.pathway.name,
            case.first_time, case.language_support) == ("SEMI-1", date(2026, 3, 31), 2, "25-29", "Self-referral",
                                                        "no", "yes")
    tabs = tmp_path / "tabs.csv"
    tabs.write_text("case_ref\twhen\tchannel\toutcome\nSEMI-1\t01/04/2026 10:00\thome visit\treached\n")
    assert runner.invoke(args=["import", "contacts", "--service", slug, str(tabs)]).exit_code == 0
    bars = tmp_path / "bars.csv"
    bars.write_text("case_ref|when|channel|outcome\nSEMI-1|2026-04-02 11:00|text|no answer\n")
    assert runner.invoke(args=["import", "contacts", "--service", slug, str(bars)]).exit_code == 0
    assert sorted((a.at, a.channel, a.outcome) for a in session.query(ContactAttempt)) == [
        (to_utc(datetime(2026, 4, 1, 10, 0)), "home visit", "reached"),
        (to_utc(datetime(2026, 4, 2, 11, 0)), "text", "no answer"),
    ]


def test_header_and_row_problems_are_reported_together(runner, team, tmp_path, make_case):
    case = make_case(team["service"], team["supporter"], referral_date=date(2026, 1, 5))
    bad = tmp_path / "contacts.csv"
    bad.write_text("case_ref,when,channel\n"
                   f"{case.reference},31/03/2026 10:00,phone\n"
                   f"{case.reference},yesterday,pigeon\n"
                   "NOPE-1,2026-03-31T10:00,text\n")
    result = runner.invoke(args=["import", "contacts", "--service", team["service"].slug, str(bad)])
    assert result.exit_code == 1
    assert _errors(result) == [
        "row 1, column outcome: this column is missing",
        "row 3, column when: must be a date and time like 31/03/2026 14:30 or 2026-03-31T14:30",
        "row 3, column channel: must be one of: phone, text, home visit, hospital ward, clinic drop-in, group, "
        "online message",
        "row 4, column case_ref: no case with this reference in this service",
    ]
    assert row_counts(ContactAttempt) == {"ContactAttempt": 0}


def test_an_unknown_or_blank_header_is_named_by_its_position_only(runner, session, team, tmp_path):
    email = team["supporter"].email
    bad = tmp_path / "cases.csv"
    bad.write_text(
        "ref,referral_date,NS1 1EZ,imd_quintile,age_band,pathway,first_time,language_support,supporter_email,"
        ",07700 900123\n"
        f"OK-1,31/03/2026,x,1,20-24,Midwife referral,yes,no,{email},,y\n"
        f"OK-2,31/03/2026,x,1,teen,Midwife referral,yes,no,{email},,y\n")
    result = runner.invoke(args=["import", "cases", "--service", team["service"].slug, str(bad)])
    assert result.exit_code == 1
    assert _errors(result) == [
        "row 1, column 3: column 3 is not a column we import",
        "row 1, column 10: column 10 is not a column we import (its header is blank)",
        "row 1, column 11: column 11 is not a column we import",
        "row 3, column age_band: must be one of: under 20, 20-24, 25-29, 30-34, 35+, unknown",
    ]
    assert "NS1" not in result.output and "07700" not in result.output
    assert row_counts(Case) == {"Case": 0}


def test_a_cell_longer_than_the_csv_limit_is_a_clear_error(runner, client, login, session, team, tmp_path):
    huge = "x" * (csv.field_size_limit() + 1)
    text = ("case_ref,when,channel,outcome\n"
            "X-1,yesterday,phone,reached\n"
            f'X-2,2026-03-31T10:00,phone,"{huge}"\n')
    path = tmp_path / "huge.csv"
    path.write_text(text)
    result = runner.invoke(args=["import", "contacts", "--service", team["service"].slug, str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    limit = f"{csv.field_size_limit():,}"
    assert _errors(result) == [
        "row 2, column case_ref: no case with this reference in this service",
        "row 2, column when: must be a date and time like 31/03/2026 14:30 or 2026-03-31T14:30",
        f"row 3, column -: a cell is longer than we can read ({limit} characters at most)",
    ]
    login(team["admin"])
    data = {"service": team["service"].slug, "kind": "contacts", "file": (io.BytesIO(text.encode()), "huge.csv")}
    response = client.post("/admin/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nothing was imported: 3 problems" in html
    assert f"<td>3</td><td>-</td><td>a cell is longer than we can read ({limit} characters at most)</td>" in html
    assert row_counts(ContactAttempt) == {"ContactAttempt": 0}


def test_a_column_given_twice_is_refused(runner, team, tmp_path):
    bad = tmp_path / "contacts.csv"
    bad.write_text("case_ref,when,channel,outcome,When\nX-1,2026-03-31T10:00,phone,reached,2026-03-31T11:00\n")
    result = runner.invoke(args=["import", "contacts", "--service", team["service"].slug, str(bad)])
    assert result.exit_code == 1
    assert _errors(result) == ["row 1, column when: column 5 repeats this column",
                               "row 2, column case_ref: no case with this reference in this service"]
    assert row_counts(ContactAttempt) == {"ContactAttempt": 0}

"""Postcode -> quintile, and the postcode kept nowhere: database, logs, session, flash, error page."""
from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy import inspect, text

from ecotool.capture import deprivation
from ecotool.capture.models import Case, PostcodeQuintile
from tests.conftest import row_counts

POSTCODE = "NS1 1EZ"  # rank 6,499 in the demo file: 6499 * 5 / 32844 = 0.99 -> quintile 1
TYPED = "ns11ez"


@pytest.mark.parametrize("rank,quintile", [
    (1, 1), (6568, 1), (6569, 2), (13137, 2), (13138, 3), (26275, 4), (26276, 5), (32844, 5),
])
def test_quintile_from_rank_for_england(rank, quintile):
    # Quintile 1 is ranks up to 32,844 / 5 = 6,568.8, and so on.
    assert deprivation.quintile_from_rank(rank) == quintile


def test_quintile_from_rank_with_another_number_of_areas():
    assert [deprivation.quintile_from_rank(r, 10) for r in range(1, 11)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    with pytest.raises(ValueError):
        deprivation.quintile_from_rank(11, 10)


@pytest.mark.parametrize("typed,normal", [("ns11ez", "NS1 1EZ"), (" NS1  1EZ ", "NS1 1EZ"), ("sw1a1aa", "SW1A 1AA"),
                                          ("NS1 1EZ.", "NS1 1EZ"), ("ns1-1ez", "NS1 1EZ"),
                                          ("hello", None), ("NS1", None), ("12345", None)])
def test_normalise(typed, normal):
    assert deprivation.normalise(typed) == normal


def test_import_counts_and_lookup(session, postcodes):
    # The demo file has 306 rows: 300 English postcodes and 6 Welsh ones without an English rank.
    assert (postcodes.rows, postcodes.imported, postcodes.skipped, postcodes.unreadable) == (306, 300, 6, 0)
    assert deprivation.lookup(session, TYPED) == deprivation.Lookup("found", 1)
    assert deprivation.lookup(session, "NS1 1HF") == deprivation.Lookup("found", 2)  # rank 7,876
    assert deprivation.lookup(session, "NS9 9AA").status == "unknown"
    assert deprivation.lookup(session, "not a postcode").status == "invalid"


def test_import_command_and_bad_file(runner, session, tmp_path):
    good = tmp_path / "onspd.csv"
    good.write_text("pcd,pcds,doterm,imd\nAB1 0AA,AB1 0AA,,100\nAB1 0AB,AB1 0AB,,32000\nAB1 0AD,AB1 0AD,,\n")
    result = runner.invoke(args=["deprivation", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 postcodes from 3 rows (1 without an English IMD rank skipped)." in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("postcode,rank\nAB1 0AA,1\n")
    result = runner.invoke(args=["deprivation", "import", str(bad)])
    assert result.exit_code == 1 and "no column imd, pcds" in result.output
    worse = tmp_path / "worse.csv"
    worse.write_text("pcds,imd\nAB1 0AA,1\nAB1 0AB,forty\n")
    result = runner.invoke(args=["deprivation", "import", str(worse)])
    assert result.exit_code == 1 and "Row 3, column imd" in result.output
    assert row_counts(PostcodeQuintile) == {"PostcodeQuintile": 2}  # the good import stands


def _case_form(team, **overrides):
    data = {"service_id": str(team["service"].id), "postcode": TYPED, "imd_quintile": "", "age_band": "20-24", "first_time": "yes",
            "language_support": "no", "pathway_id": str(team["service"].pathways[0].id),
            "referral_date": date.today().isoformat(), "journey_stage": "antenatal"}
    data.update(overrides)
    return data


def _all_stored_text(session) -> str:
    """Every value in every table, as text (works on SQLite and PostgreSQL)."""
    out = []
    for table in inspect(session.get_bind()).get_table_names():
        for row in session.execute(text(f'SELECT * FROM "{table}"')):
            out.extend(str(v) for v in row)
    return "\n".join(out).upper()


def test_postcode_gives_the_quintile_and_is_kept_nowhere(app, client, login, team, session, postcodes, caplog):
    caplog.set_level(logging.DEBUG)
    login(team["supporter"])
    response = client.post("/cases/new", data=_case_form(team))
    assert response.status_code == 302
    case = session.query(Case).one()
    assert case.imd_quintile == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "from the postcode (the postcode was not kept)" in page
    # 1. database, 2. logs, 3. session (and so the flash messages in it), 4. the pages sent.
    stored = _all_stored_text(session)
    assert "NS11EZ" not in stored.replace(" ", "") and "NS1 1EZ" not in stored
    logs = "\n".join(r.getMessage() for r in caplog.records).upper()
    assert "NS1" not in logs
    with client.session_transaction() as cookie_session:
        assert "NS1" not in repr(dict(cookie_session)).upper()
    assert "NS1" not in page.upper()
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        raw = open(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):], "rb").read().upper()
        assert b"NS11EZ" not in raw and b"NS1 1EZ" not in raw


def test_unknown_postcode_lets_the_supporter_choose_by_hand(client, login, team, session, postcodes):
    login(team["supporter"])
    response = client.post("/cases/new", data=_case_form(team, postcode="NS9 9AA"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "That postcode is not in the lookup table. Choose the quintile by hand below, or Unknown." in html
    assert "NS9" not in html.upper()
    assert row_counts(Case) == {"Case": 0}
    response = client.post("/cases/new", data=_case_form(team, postcode="", imd_quintile="unknown"))
    assert response.status_code == 302
    assert session.query(Case).one().imd_quintile is None


def test_not_a_postcode_and_no_quintile(client, login, team, postcodes):
    login(team["supporter"])
    response = client.post("/cases/new", data=_case_form(team, postcode="XYZ", imd_quintile="3"))
    assert response.status_code == 422
    assert "That is not a UK postcode." in response.get_data(as_text=True)
    response = client.post("/cases/new", data=_case_form(team, postcode=""))
    assert response.status_code == 422
    assert "Type her postcode, or choose the quintile (or Unknown)." in response.get_data(as_text=True)
    assert row_counts(Case) == {"Case": 0}


def test_found_postcode_survives_other_errors_as_its_quintile_only(client, login, team, postcodes):
    login(team["supporter"])
    response = client.post("/cases/new", data=_case_form(team, age_band=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<option selected value="1">' in html and "Quintile 1 was found from the postcode" in html
    assert "NS1" not in html.upper() and 'id="age_band-error"' in html


def test_error_page_does_not_show_the_postcode(app, client, login, team, postcodes, monkeypatch):
    from ecotool.capture import operations

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(operations, "create_case", broken)
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)
    login(team["supporter"])
    response = client.post("/cases/new", data=_case_form(team))
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html and "NS1" not in html.upper()

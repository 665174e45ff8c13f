"""Every free-text field is declared in privacy.FREE_TEXT, and each one is guarded on its page and in
its operation. A new text field or column in neither FREE_TEXT nor STRUCTURED fails here."""
from __future__ import annotations

import importlib
import pkgutil
from datetime import datetime, timedelta

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import String, Text, func, select
from wtforms import FieldList, StringField
from wtforms.fields.core import UnboundField

import ecotool
from ecotool.capture import operations as capture
from ecotool.capture.models import ContactAttempt, Observation, ObservationComment
from ecotool.db import db
from ecotool.decisions import operations as decisions
from ecotool.decisions.models import Decision, DecisionChange, DecisionReview
from ecotool.errors import OperationError
from ecotool.privacy import FREE_TEXT, STRUCTURED, FreeText
from ecotool.supervision import operations as supervision
from ecotool.supervision.models import SessionPrompt, SupervisionSession
from ecotool.vocab import Kind, Source

POSTCODE = "She has moved in with her aunt at LS6 2BT this week."
NAME = "Her sister Sarah came to the visit and did most of the talking."


def _text_columns() -> set[str]:
    """Every String or Text column that is not held to a word list by a CHECK constraint."""
    found = set()
    for table in db.metadata.sorted_tables:
        checked = {c.name for c in table.constraints if c.name}
        for column in table.columns:
            if isinstance(column.type, (String, Text)) and f"ck_{table.name}_{column.name}" not in checked:
                found.add(f"{table.name}.{column.name}")
    return found


def _text_form_fields() -> set[str]:
    """Every field of every form class in ecotool that takes typed text."""
    found = set()
    for info in pkgutil.walk_packages(ecotool.__path__, "ecotool."):
        if not info.name.endswith("forms"):
            continue
        module = importlib.import_module(info.name)
        for form in vars(module).values():
            if isinstance(form, type) and issubclass(form, FlaskForm) and form.__module__ == module.__name__:
                for name, field in vars(form).items():
                    if isinstance(field, UnboundField) and _takes_text(field):
                        found.add(f"{module.__name__}:{form.__name__}.{name}")
    return found


def _takes_text(field: UnboundField) -> bool:
    if issubclass(field.field_class, FieldList):
        return _takes_text(field.args[0])
    return issubclass(field.field_class, StringField)


def test_every_text_column_is_declared(app):
    columns = _text_columns()
    assert "observation.text" in columns and "person.email" in columns
    undeclared = columns - {f.column for f in FREE_TEXT} - set(STRUCTURED)
    assert undeclared == set(), f"declare these in privacy.FREE_TEXT or STRUCTURED: {sorted(undeclared)}"
    gone = ({f.column for f in FREE_TEXT} | {k for k in STRUCTURED if ":" not in k}) - columns
    assert gone == set(), f"declared columns that do not exist: {sorted(gone)}"


def test_every_text_form_field_is_declared():
    fields = _text_form_fields()
    assert "ecotool.capture.forms:ObservationForm.text" in fields
    undeclared = fields - {f.form_field for f in FREE_TEXT} - set(STRUCTURED)
    assert undeclared == set(), f"declare these in privacy.FREE_TEXT or STRUCTURED: {sorted(undeclared)}"
    gone = ({f.form_field for f in FREE_TEXT} | {k for k in STRUCTURED if ":" in k}) - fields
    assert gone == set(), f"declared form fields that do not exist: {sorted(gone)}"


@pytest.fixture
def world(session, team, make_case, framework, client):
    """A case of the supporter's and a supervision session of the supervisor's, to write into."""
    case = make_case(team["service"], team["supporter"])
    domain = next(d for d in framework.domains if d.level == "micro")
    held = supervision.open_session(session, team["supervisor"], team["service"], [team["supporter"].id],
                                    datetime.now().date(), datetime.now().date() - timedelta(days=28),
                                    datetime.now().date())
    note = capture.add_observation(session, team["supporter"].id, team["service"], case=case, domain_id=domain.id,
                                   journey_stage="first-days", kind=Kind.BARRIER, source=Source.CALL,
                                   text="The bus does not run on Sundays.")
    decision = decisions.record_decision(
        session, team["supervisor"].id, team["service"], title="Evening calls", rationale="Partners answer by day.",
        response_type="change-contact-timing", target_group="imd-quintile-1", domain_ids=[domain.id],
        start_date=datetime.now().date() - timedelta(days=60), status="in effect")
    proposal = decisions.record_decision(
        session, team["supervisor"].id, team["service"], title="Bus fares", rationale="The bus costs too much.",
        response_type="change-contact-timing", target_group="imd-quintile-1", domain_ids=[domain.id],
        start_date=datetime.now().date())
    session.commit()
    return {**team, "case": case, "domain": domain, "held": held, "framework": framework, "note": note,
            "decision": decision, "proposal": proposal}


def _decision_form(w, **text):
    data = {"service_id": str(w["service"].id), "title": "Evening calls", "rationale": "Partners answer by day.",
            "domain_ids": [str(w["domain"].id)], "response_type": "change-contact-timing",
            "target_group": "imd-quintile-1", "pathway_id": "", "start_date": datetime.now().date().isoformat(),
            "review_date": "", "status": "proposed"}
    return {**data, **text}


def _stored(session) -> tuple:
    notes = session.scalar(select(func.count()).select_from(SessionPrompt).where(SessionPrompt.note.is_not(None)))
    agreed = session.scalar(select(func.count()).select_from(SupervisionSession)
                            .where(SupervisionSession.agreed.is_not(None)))
    models = (Observation, ContactAttempt, Decision, ObservationComment, DecisionChange, DecisionReview)
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in models) + (notes, agreed)


# How to type a text into each free-text field through its page: (who signs in, post, id of the field).
PAGES = {
    "ecotool.capture.forms:ObservationForm.text": ("supporter", lambda c, w, t: c.post(
        f"/cases/{w['case'].id}/observe?level=micro", data={
            "domain_id": str(w["domain"].id), "journey_stage": "first-days", "kind": "barrier", "source": "call",
            "text": t}), "text"),
    "ecotool.capture.forms:ContactAttemptForm.note_text": ("supporter", lambda c, w, t: c.post(
        f"/cases/{w['case'].id}/contact", data={
            "channel": "phone", "outcome": "no answer", "at": (datetime.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "note_domain_id": str(w["domain"].id), "note_kind": "barrier", "note_text": t}), "note_text"),
    "ecotool.capture.forms:ObservationEditForm.text": ("supporter", lambda c, w, t: c.post(
        f"/observations/{w['note'].id}/edit", data={
            "kind": "barrier", "observed_on": datetime.now().date().isoformat(), "text": t}), "text"),
    "ecotool.supervision.forms:NotesForm.notes": ("supervisor", lambda c, w, t: c.post(
        f"/supervision/{w['held'].id}/notes",
        data={f"notes-{i}": (t if i == 0 else "") for i in range(len(w["held"].prompts))}), "notes-0"),
    "ecotool.supervision.forms:NotesForm.agreed": ("supervisor", lambda c, w, t: c.post(
        f"/supervision/{w['held'].id}/notes",
        data={"agreed": t, **{f"notes-{i}": "" for i in range(len(w["held"].prompts))}}), "agreed"),
    "ecotool.supervision.forms:RaisedObservationForm.text": ("supervisor", lambda c, w, t: c.post(
        f"/supervision/{w['held'].id}/observe", data={
            "case_id": str(w["case"].id), "domain_id": str(w["domain"].id), "journey_stage": "first-days",
            "kind": "barrier", "text": t}), "text"),
    "ecotool.supervision.forms:CommentForm.text": ("supervisor", lambda c, w, t: c.post(
        f"/supervision/{w['held'].id}/observations/{w['note'].id}/comment", data={"text": t}), "text"),
    "ecotool.decisions.forms:DecisionForm.title": ("supervisor", lambda c, w, t: c.post(
        "/decisions/new", data=_decision_form(w, title=t[:200])), "title"),
    "ecotool.decisions.forms:DecisionForm.rationale": ("supervisor", lambda c, w, t: c.post(
        "/decisions/new", data=_decision_form(w, rationale=t)), "rationale"),
    "ecotool.decisions.forms:StatusForm.reason": ("supervisor", lambda c, w, t: c.post(
        f"/decisions/{w['decision'].id}/status", data={"status": "stopped", "reason": t}), "reason"),
    "ecotool.decisions.forms:ReviewForm.reason": ("supervisor", lambda c, w, t: c.post(
        f"/decisions/{w['decision'].id}/review", data={"outcome": "keep", "reason": t}), "reason"),
}

# How to hand a text to each free-text operation directly, as the CLI, an import or a test would.
OPERATIONS = {
    ("ecotool.capture.operations:add_observation", "text"): lambda s, w, t: capture.add_observation(
        s, w["supporter"].id, w["service"], case=w["case"], domain_id=w["domain"].id, journey_stage="first-days",
        kind=Kind.BARRIER, source=Source.CALL, text=t),
    ("ecotool.capture.operations:log_contact_with_note", "note_text"): lambda s, w, t: capture.log_contact_with_note(
        s, w["supporter"].id, w["case"], at=datetime.utcnow() - timedelta(hours=1), channel="phone",
        outcome="no answer", note_text=t, note_domain_id=w["domain"].id),
    ("ecotool.capture.operations:update_observation", "text"): lambda s, w, t: capture.update_observation(
        s, w["supporter"].id, w["note"], kind=Kind.BARRIER, text=t, shareable=False,
        observed_on=datetime.now().date()),
    ("ecotool.supervision.operations:record_notes", "notes"): lambda s, w, t: supervision.record_notes(
        s, w["supervisor"].id, w["held"], [t] + [""] * (len(w["held"].prompts) - 1)),
    ("ecotool.supervision.operations:record_notes", "agreed"): lambda s, w, t: supervision.record_notes(
        s, w["supervisor"].id, w["held"], [""] * len(w["held"].prompts), agreed=t),
    ("ecotool.supervision.operations:raise_observation", "text"): lambda s, w, t: supervision.raise_observation(
        s, w["supervisor"].id, w["held"], case=w["case"], domain_id=w["domain"].id, journey_stage="first-days",
        kind=Kind.BARRIER, text=t),
    ("ecotool.capture.operations:comment_on_observation", "text"): lambda s, w, t: capture.comment_on_observation(
        s, w["supervisor"].id, w["note"], t),
    ("ecotool.decisions.operations:record_decision", "title"): lambda s, w, t: decisions.record_decision(
        s, w["supervisor"].id, w["service"], title=t, rationale="Partners answer by day.",
        response_type="change-contact-timing", target_group="imd-quintile-1", domain_ids=[w["domain"].id],
        start_date=datetime.now().date()),
    ("ecotool.decisions.operations:change_status", "reason"): lambda s, w, t: decisions.change_status(
        s, w["supervisor"].id, w["decision"], "stopped", t),
    ("ecotool.decisions.operations:review_decision", "reason"): lambda s, w, t: decisions.review_decision(
        s, w["supervisor"].id, w["decision"], "keep", t),
    ("ecotool.decisions.operations:edit_decision", "title"): lambda s, w, t: decisions.edit_decision(
        s, w["supervisor"].id, w["proposal"], title=t, rationale="Partners answer by day.", response_type="change-contact-timing",
        target_group="imd-quintile-1", domain_ids=[w["domain"].id], start_date=datetime.now().date()),
    ("ecotool.decisions.operations:record_decision", "rationale"): lambda s, w, t: decisions.record_decision(
        s, w["supervisor"].id, w["service"], title="Evening calls", rationale=t,
        response_type="change-contact-timing", target_group="imd-quintile-1", domain_ids=[w["domain"].id],
        start_date=datetime.now().date()),
}


@pytest.mark.parametrize("entry", FREE_TEXT, ids=lambda f: f.form_field.split(":")[1])
def test_each_free_text_page_refuses_a_postcode_and_warns_about_a_name(entry: FreeText, world, client, login, session):
    assert entry.form_field in PAGES, f"add a page recipe for {entry.form_field} to this test"
    who, post, field_id = PAGES[entry.form_field]
    login(world[who])
    before = _stored(session)
    for text, says in ((POSTCODE, "a UK postcode"), (NAME, "look like names")):
        response = post(client, world, text)
        html = response.get_data(as_text=True)
        assert response.status_code == 422, f"{entry.form_field} took {text!r}"
        assert f'id="{field_id}-error"' in html and says in html
        session.expire_all()
        assert _stored(session) == before


@pytest.mark.parametrize("entry", FREE_TEXT, ids=lambda f: f"{f.operation.split(':')[1]}.{f.argument}")
def test_each_free_text_operation_refuses_a_postcode_and_keeps_nothing(entry: FreeText, world, session):
    key = (entry.operation, entry.argument)
    assert key in OPERATIONS, f"add an operation recipe for {key} to this test"
    before = _stored(session)
    with pytest.raises(OperationError) as error:
        OPERATIONS[key](session, world, POSTCODE)
    assert error.value.field == entry.argument and "a UK postcode" in error.value.message
    assert _stored(session) == before  # nothing flushed stays behind, not even the contact attempt
    session.rollback()

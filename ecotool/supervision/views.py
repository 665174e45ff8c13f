"""Pages for supervision sessions."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ecotool.auth.access import roles_required, service_or_404, services_of
from ecotool.db import db
from ecotool.services.operations import staff_names
from ecotool.supervision import operations
from ecotool.supervision.forms import NotesForm, SessionForm
from ecotool.supervision.models import SupervisionSession
from ecotool.web import form_page

bp = Blueprint("supervision", __name__, url_prefix="/supervision")


def _own_session(session_id: int) -> SupervisionSession:
    record = db.session.get(SupervisionSession, session_id)
    if record is None or record.supervisor_id != current_user.id:
        abort(404)
    return record


@bp.get("/")
@roles_required("supervisor")
def index():
    """The supervisor's sessions, newest first."""
    sessions = db.session.scalars(
        select(SupervisionSession).where(SupervisionSession.supervisor_id == current_user.id)
        .order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc())
    ).all()
    return render_template("supervision/index.html", sessions=sessions)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("supervisor")
def new():
    """Open a session for one or more supervisees."""
    form = SessionForm()
    form.service_id.choices = [(s.id, s.name) for s in services_of(db.session, current_user)]
    form.supervisee_ids.choices = [(p.id, p.display_name) for p in current_user.supervisees
                                   if p.active and p.role == "peer_supporter"]

    def open_session():
        service = service_or_404(db.session, current_user, form.service_id.data)
        record = operations.open_session(
            db.session, current_user, service, form.supervisee_ids.data, form.held_on.data,
            form.period_start.data, form.period_end.data,
        )
        flash("Session opened. The prompts below come from the framework and the caseload figures.", "success")
        return redirect(url_for("supervision.show", session_id=record.id))

    return form_page(form, "supervision/new.html", open_session)


def _notes_form(record: SupervisionSession, **kwargs) -> NotesForm:
    form = NotesForm(**kwargs)
    form.staff_names = staff_names(db.session, [record.service_id])
    for number, entry in enumerate(form.notes, start=1):
        entry.label.text = f"Note on prompt {number}"
    return form


@bp.get("/<int:session_id>")
@roles_required("supervisor")
def show(session_id: int):
    """A session's prompts, as shown when it opened, with notes."""
    record = _own_session(session_id)
    form = _notes_form(record, data={"notes": [p.note or "" for p in record.prompts]})
    return render_template("supervision/show.html", record=record, form=form)


@bp.post("/<int:session_id>/notes")
@roles_required("supervisor")
def notes(session_id: int):
    """Save every note of a session at once."""
    record = _own_session(session_id)
    form = _notes_form(record)

    def save():
        changed = operations.record_notes(db.session, current_user.id, record, [f.data for f in form.notes])
        flash(f"Notes saved ({changed} changed).", "success")
        return redirect(url_for("supervision.show", session_id=record.id))

    return form_page(form, "supervision/show.html", save, record=record)

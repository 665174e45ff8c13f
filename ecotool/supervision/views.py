"""Pages for supervision sessions."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ecotool.auth.access import roles_required, service_or_404, services_of
from ecotool.db import db
from ecotool.errors import OperationError
from ecotool.supervision import operations
from ecotool.supervision.forms import NoteForm, SessionForm
from ecotool.supervision.models import SessionPrompt, SupervisionSession
from ecotool.web import form_page, invalid, refuse

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
    form.supervisee_ids.choices = [(p.id, p.display_name) for p in current_user.supervisees if p.active]

    def open_session():
        service = service_or_404(db.session, current_user, form.service_id.data)
        record = operations.open_session(
            db.session, current_user, service, form.supervisee_ids.data, form.held_on.data,
            form.period_start.data, form.period_end.data,
        )
        flash("Session opened. The prompts below come from the framework and the caseload figures.", "success")
        return redirect(url_for("supervision.show", session_id=record.id))

    return form_page(form, "supervision/new.html", open_session)


@bp.get("/<int:session_id>")
@roles_required("supervisor")
def show(session_id: int):
    """A session's prompts, as shown when it opened, with notes."""
    record = _own_session(session_id)
    forms = {p.id: NoteForm(prefix=f"p{p.id}", note=p.note) for p in record.prompts}
    return render_template("supervision/show.html", record=record, forms=forms)


@bp.post("/<int:session_id>/prompts/<int:prompt_id>/note")
@roles_required("supervisor")
def note(session_id: int, prompt_id: int):
    """Save a note against one prompt."""
    record = _own_session(session_id)
    prompt = db.session.get(SessionPrompt, prompt_id)
    if prompt is None or prompt.session_id != record.id:
        abort(404)
    form = NoteForm(prefix=f"p{prompt.id}")
    if form.validate_on_submit():
        try:
            operations.record_note(db.session, current_user.id, prompt, form.note.data)
            flash("Note saved.", "success")
            return redirect(url_for("supervision.show", session_id=record.id, _anchor=f"prompt-{prompt.id}"))
        except OperationError as error:
            refuse(form, error)
    forms = {p.id: (form if p.id == prompt.id else NoteForm(prefix=f"p{p.id}", note=p.note)) for p in record.prompts}
    return invalid("supervision/show.html", record=record, forms=forms)

"""Pages for supervision sessions."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ecotool.auth.access import allow, get_or_404
from ecotool.db import db
from ecotool.services.models import Service
from ecotool.supervision import forms, operations, queries
from ecotool.supervision.models import SupervisionSession
from ecotool.vocab import Role
from ecotool.web import form_page, keeps_typing

bp = Blueprint("supervision", __name__, url_prefix="/supervision")


@bp.get("/")
@allow(Role.SUPERVISOR)
def index():
    """The supervisor's sessions, newest first."""
    return render_template("supervision/index.html", sessions=queries.sessions_of(db.session, current_user))


@bp.route("/new", methods=["GET", "POST"])
@keeps_typing
@allow(Role.SUPERVISOR)
def new():
    """Open a session for one or more supervisees."""
    form = forms.session_form(db.session, current_user)

    def open_session():
        service = get_or_404(db.session, current_user, Service, form.service_id.data)
        record = operations.open_session(
            db.session, current_user, service, form.supervisee_ids.data, form.held_on.data,
            form.period_start.data, form.period_end.data,
        )
        flash("Session opened. The prompts below come from the framework and the caseload figures.", "success")
        return redirect(url_for("supervision.show", session_id=record.id))

    return form_page(form, "supervision/new.html", open_session)


@bp.get("/<int:session_id>")
@allow(Role.SUPERVISOR)
def show(session_id: int):
    """A session's prompts, as shown when it opened, with notes."""
    record = get_or_404(db.session, current_user, SupervisionSession, session_id)
    form = forms.notes_form(db.session, record, data={"notes": [p.note or "" for p in record.prompts]})
    return render_template("supervision/show.html", record=record, form=form)


@bp.post("/<int:session_id>/notes")
@keeps_typing
@allow(Role.SUPERVISOR)
def notes(session_id: int):
    """Save every note of a session at once."""
    record = get_or_404(db.session, current_user, SupervisionSession, session_id)
    form = forms.notes_form(db.session, record)

    def save():
        changed = operations.record_notes(db.session, current_user.id, record, [f.data for f in form.notes])
        flash(f"Notes saved ({changed} changed).", "success")
        return redirect(url_for("supervision.show", session_id=record.id))

    return form_page(form, "supervision/show.html", save, record=record)

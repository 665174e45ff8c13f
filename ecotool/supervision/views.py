"""Pages for supervision: the supervisor's dashboard, sessions and their record, and the supervisee's copy."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ecotool.auth.access import allow, get_or_404
from ecotool.auth.queries import services_of
from ecotool.capture.models import Case, Observation
from ecotool.capture.operations import comment_on_observation
from ecotool.clock import local_today
from ecotool.db import db
from ecotool.framework.queries import current_version
from ecotool.pdf import render_pdf
from ecotool.services.models import Service
from ecotool.supervision import forms, indicators, operations, queries, render
from ecotool.supervision.models import SupervisionSession
from ecotool.vocab import Role
from ecotool.web import form_page, invalid, keeps_typing, id_value

bp = Blueprint("supervision", __name__, url_prefix="/supervision")
# What the figures tables (templates/supervision/_figures.html) need to name each row.
FIGURE_WORDS = dict(definitions=indicators.DEFINITIONS, population_names=indicators.POPULATION_NAMES,
                    counted_names=indicators.COUNTED_NAMES)


@bp.get("/")
@allow(Role.SUPERVISOR)
def index():
    """The dashboard: each supervisee's figures side by side for a period, and the sessions held."""
    form = forms.period_form(db.session, current_user, request.args)
    services = services_of(db.session, current_user)
    service = next((s for s in services if s.id == form.service_id.data), services[0] if services else None)
    context = dict(form=form, service=service, sessions=queries.sessions_of(db.session, current_user),
                   **FIGURE_WORDS)
    if form.errors:
        return invalid("supervision/index.html", columns=[], **context)
    start, end = form.period_start.data or forms.default_start(), form.period_end.data or local_today()
    people = queries.supervisees(db.session, current_user, service.id) if service else []
    columns = queries.dashboard(db.session, current_version(db.session), service, people, start, end) if service else []
    return render_template("supervision/index.html", columns=columns, start=start, end=end, **context)


@bp.route("/new", methods=["GET", "POST"])
@keeps_typing
@allow(Role.SUPERVISOR)
def new():
    """Open a session for one supervisee, or a group."""
    form = forms.session_form(db.session, current_user)
    if request.method == "GET":
        _prefill(form)

    def open_session():
        service = get_or_404(db.session, current_user, Service, form.service_id.data)
        record = operations.open_session(
            db.session, current_user, service, form.supervisee_ids.data, form.held_on.data,
            form.period_start.data, form.period_end.data,
        )
        flash("Session opened as a draft. Note what you discuss, then close it to share the record.", "success")
        return redirect(url_for("supervision.show", session_id=record.id))

    return form_page(form, "supervision/new.html", open_session)


def _draft(session_id: int) -> SupervisionSession:
    """A session of the supervisor's that may still change; a closed one answers 409."""
    record = get_or_404(db.session, current_user, SupervisionSession, session_id)
    if record.is_closed:
        abort(409)
    return record


def _prefill(form: forms.SessionForm) -> None:
    """Start from the dashboard's choices: ?supervisee=..&service_id=..&period_start=..&period_end=.."""
    form.supervisee_ids.data = request.args.getlist("supervisee", type=id_value) or None
    form.service_id.data = request.args.get("service_id", type=id_value) or form.service_id.data
    for field in (form.period_start, form.period_end):
        try:
            field.data = date.fromisoformat(request.args[field.name])
        except (KeyError, ValueError):
            pass  # a missing or mangled day keeps the default


def _session_context(record: SupervisionSession) -> dict:
    return dict(discard_form=forms.DiscardForm(), session_columns=queries.session_columns(record),
                behind_texts=queries.observations_behind(db.session, record), **FIGURE_WORDS)


def _notes_form(record: SupervisionSession) -> forms.NotesForm:
    return forms.notes_form(db.session, record, data={
        "notes": [p.note or "" for p in record.prompts], "shared": [p.shared for p in record.prompts],
        "agreed": record.agreed or "",
    })


@bp.get("/<int:session_id>")
@allow(Role.SUPERVISOR)
def show(session_id: int):
    """A session's prompts as shown when it opened, with notes; read-only once closed."""
    record = get_or_404(db.session, current_user, SupervisionSession, session_id)
    return render_template("supervision/show.html", record=record, form=_notes_form(record),
                           **_session_context(record))


@bp.post("/<int:session_id>/notes")
@keeps_typing
@allow(Role.SUPERVISOR)
def notes(session_id: int):
    """Save every note of a draft session at once; then, as the button pressed asks, close the session or go
    on to record an observation, comment or propose a decision, so nothing typed is lost on the way."""
    record = _draft(session_id)
    form = forms.notes_form(db.session, record)
    then = request.form.get("then", "")

    def save():
        changed = operations.record_notes(db.session, current_user.id, record, [f.data for f in form.notes],
                                          [f.data for f in form.shared], form.agreed.data or "",
                                          seen_version=form.seen_version())
        if then == "close":
            operations.close_session(db.session, current_user.id, record)
            flash("Session closed. The record is final and the supervisees can read it.", "success")
            return redirect(url_for("supervision.show", session_id=record.id))
        flash(f"Draft saved ({changed} changed).", "success")
        return redirect(_next_page(record, then))

    return form_page(form, "supervision/show.html", save, record=record, **_session_context(record))


def _next_page(record: SupervisionSession, then: str) -> str:
    """Where a saved draft goes on to: a page of this session, or the session itself."""
    if then == "observe":
        return url_for("supervision.observe", session_id=record.id)
    if then == "decide":
        return url_for("decisions.new", session_id=record.id)
    if then == "recurring":
        return url_for("decisions.recurring", service_id=record.service_id, session_id=record.id,
                       period_start=record.period_start.isoformat(), period_end=record.period_end.isoformat())
    observation_id = then.removeprefix("comment-")
    if observation_id.isdecimal() and int(observation_id) in record.observation_ids_behind():
        return url_for("supervision.comment", session_id=record.id, observation_id=int(observation_id))
    return url_for("supervision.show", session_id=record.id)


@bp.post("/<int:session_id>/discard")
@allow(Role.SUPERVISOR)
def discard(session_id: int):
    """Throw away a draft session (observations and decisions made in it stay)."""
    record = _draft(session_id)
    if not forms.DiscardForm().validate_on_submit():
        abort(400)
    operations.discard_session(db.session, current_user.id, record)
    flash("Draft discarded. Observations and decisions made in it are kept.", "success")
    return redirect(url_for("supervision.index"))


@bp.route("/<int:session_id>/observe", methods=["GET", "POST"])
@keeps_typing
@allow(Role.SUPERVISOR)
def observe(session_id: int):
    """Record an observation brought up in the session."""
    record = _draft(session_id)
    version = current_version(db.session)
    if version is None:
        abort(503)
    form = forms.raised_observation_form(db.session, record, version)

    def save():
        case = get_or_404(db.session, current_user, Case, form.case_id.data) if form.case_id.data else None
        operations.raise_observation(
            db.session, current_user.id, record, case=case, domain_id=form.domain_id.data,
            journey_stage=form.journey_stage.data or None, kind=form.kind.data, text=form.text.data,
            shareable=form.shareable.data, observed_on=form.observed_on.data,
        )
        flash("Observation saved with the session.", "success")
        return redirect(url_for("supervision.show", session_id=record.id, _anchor="raised"))

    return form_page(form, "supervision/observe.html", save, record=record)


@bp.route("/<int:session_id>/observations/<int:observation_id>/comment", methods=["GET", "POST"])
@keeps_typing
@allow(Role.SUPERVISOR)
def comment(session_id: int, observation_id: int):
    """Comment on a supervisee's observation from a session."""
    record = _draft(session_id)
    observation = get_or_404(db.session, current_user, Observation, observation_id)
    form = forms.comment_form(db.session, record.service_id)

    def save():
        comment_on_observation(db.session, current_user.id, observation, form.text.data, session_id=record.id)
        flash("Comment saved. Its writer will see it under the observation.", "success")
        return redirect(url_for("supervision.show", session_id=record.id))

    return form_page(form, "supervision/comment.html", save, record=record, observation=observation)


@bp.get("/<int:session_id>/record.pdf")
@allow(Role.SUPERVISOR)
def record_pdf(session_id: int):
    """The session's record as a PDF for the supervisee's file."""
    record = get_or_404(db.session, current_user, SupervisionSession, session_id)
    pdf = render_pdf(render.record_html(record))
    name = f"supervision-{record.held_on.isoformat()}-{record.id}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/mine")
@allow(Role.PEER_SUPPORTER)
def mine():
    """A supervisee's own closed sessions, newest first."""
    return render_template("supervision/mine.html", sessions=queries.sessions_attended(db.session, current_user))


@bp.get("/mine/<int:session_id>")
@allow(Role.PEER_SUPPORTER)
def my_record(session_id: int):
    """One of her sessions: the prompts, the notes marked for her, and the actions agreed."""
    record = queries.attended_session(db.session, current_user, session_id)
    if record is None:
        abort(404)
    return render_template("supervision/my_record.html", record=record)

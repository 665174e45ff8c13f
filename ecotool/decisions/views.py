"""Pages for service-development decisions."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ecotool.auth.access import allow, get_or_404
from ecotool.auth.queries import services_of
from ecotool.db import db
from ecotool.decisions import forms, operations, queries
from ecotool.decisions.models import Decision
from ecotool.framework.models import FrameworkVersion
from ecotool.framework.queries import current_version
from ecotool.services.models import Service
from ecotool.supervision.indicators import RECURRING_CASES
from ecotool.supervision.models import SupervisionSession
from ecotool.vocab import Role
from ecotool.web import form_page, keeps_typing

bp = Blueprint("decisions", __name__, url_prefix="/decisions")


@bp.get("/")
@allow(Role.SUPERVISOR, Role.ADMIN)
def index():
    """Decisions in the person's services, newest first."""
    ids = [s.id for s in services_of(db.session, current_user)]
    return render_template("decisions/index.html", decisions=queries.decisions_in(db.session, ids))


def _framework() -> FrameworkVersion:
    version = current_version(db.session)
    if version is None:
        abort(503)
    return version


def _period(services: list[Service]) -> tuple[forms.RecurringForm, Service | None]:
    """The recurring-barriers form read from the query string, and its service when it is valid."""
    if not services:
        abort(403)
    period = forms.recurring_form(services, request.args)
    valid = period.validate()
    return period, get_or_404(db.session, current_user, Service, period.service_id.data) if valid else None


@bp.get("/recurring")
@allow(Role.SUPERVISOR)
def recurring():
    """Barrier domains recurring across a service in a period, by level, and the decisions answering them."""
    version = _framework()
    form, service = _period(services_of(db.session, current_user))
    if service is None:
        return render_template("decisions/recurring.html", form=form, minimum=RECURRING_CASES, levels=None), 400
    levels = queries.recurring_barriers(db.session, service, version, form.period_start.data, form.period_end.data)
    return render_template("decisions/recurring.html", form=form, minimum=RECURRING_CASES, levels=levels,
                           service=service)


def _draft(version: FrameworkVersion, services: list[Service], code: str) -> dict:
    """What a decision drafted from a recurring barrier starts from (?domain=&service_id=&period_start=&period_end=)."""
    period, service = _period(services)
    if service is None:
        abort(400)
    start, end = period.period_start.data, period.period_end.data
    found = queries.barriers_in_domain(db.session, service, version, code, start, end)
    if found is None:
        abort(404)
    return {"found": found, "service": service, "start": start, "end": end,
            "suggested": forms.suggested_responses(version, found.domain)}


@bp.route("/new", methods=["GET", "POST"])
@keeps_typing
@allow(Role.SUPERVISOR)
def new():
    """Record a decision, optionally from a supervision session or drafted from a recurring barrier."""
    version = _framework()
    services = services_of(db.session, current_user)
    session_id = request.args.get("session_id", type=int)
    held = get_or_404(db.session, current_user, SupervisionSession, session_id) if session_id is not None else None
    code = request.args.get("domain")
    draft = _draft(version, services, code) if code is not None else None
    form = forms.decision_form(db.session, services, version)
    if request.method == "GET" and held is not None:
        form.service_id.data = held.service_id
        form.domain_ids.data = [p.domain_id for p in held.prompts if p.note]
    if request.method == "GET" and draft is not None:
        forms.draft_from(form, draft["found"], draft["service"], draft["start"], draft["end"])

    def record():
        service = get_or_404(db.session, current_user, Service, form.service_id.data)
        decision = operations.record_decision(
            db.session, current_user.id, service, title=form.title.data, rationale=form.rationale.data,
            response_type=form.response_type.data, target_group=form.target_group.data,
            domain_ids=form.domain_ids.data, start_date=form.start_date.data,
            review_date=form.review_date.data, pathway_id=form.pathway_id.data,
            status=form.status.data, session_id=held.id if held else None,
            observation_ids=form.observation_ids.data,
        )
        flash("Decision recorded.", "success")
        return redirect(url_for("decisions.show", decision_id=decision.id))

    return form_page(form, "decisions/new.html", record, held=held, draft=draft,
                     domain_groups=forms.domain_groups(version))


@bp.get("/<int:decision_id>")
@allow(Role.SUPERVISOR, Role.ADMIN)
def show(decision_id: int):
    """One decision."""
    return render_template("decisions/show.html", decision=get_or_404(db.session, current_user, Decision, decision_id))

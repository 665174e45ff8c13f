"""Pages for service-development decisions."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ecotool.auth.access import allow, get_or_404
from ecotool.auth.queries import services_of
from ecotool.db import db
from ecotool.decisions import forms, operations, queries
from ecotool.decisions.models import Decision
from ecotool.framework.queries import current_version
from ecotool.services.models import Service
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


@bp.route("/new", methods=["GET", "POST"])
@keeps_typing
@allow(Role.SUPERVISOR)
def new():
    """Record a decision, optionally from a supervision session."""
    version = current_version(db.session)
    if version is None:
        abort(503)
    session_id = request.args.get("session_id", type=int)
    held = get_or_404(db.session, current_user, SupervisionSession, session_id) if session_id is not None else None
    form = forms.decision_form(db.session, services_of(db.session, current_user), version)
    if request.method == "GET" and held is not None:
        form.service_id.data = held.service_id
        form.domain_ids.data = [p.domain_id for p in held.prompts if p.note]

    def record():
        service = get_or_404(db.session, current_user, Service, form.service_id.data)
        decision = operations.record_decision(
            db.session, current_user.id, service, title=form.title.data, rationale=form.rationale.data,
            response_type=form.response_type.data, target_group=form.target_group.data,
            domain_ids=form.domain_ids.data, start_date=form.start_date.data,
            review_date=form.review_date.data, pathway_id=form.pathway_id.data,
            status=form.status.data, session_id=held.id if held else None,
        )
        flash("Decision recorded.", "success")
        return redirect(url_for("decisions.show", decision_id=decision.id))

    return form_page(form, "decisions/new.html", record, held=held, domain_groups=forms.domain_groups(version))


@bp.get("/<int:decision_id>")
@allow(Role.SUPERVISOR, Role.ADMIN)
def show(decision_id: int):
    """One decision."""
    return render_template("decisions/show.html", decision=get_or_404(db.session, current_user, Decision, decision_id))

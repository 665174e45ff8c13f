"""Pages for service-development decisions."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ecotool.auth.access import roles_required, service_or_404, services_of
from ecotool.db import db
from ecotool.services.operations import staff_names
from ecotool.decisions import operations
from ecotool.decisions.forms import DecisionForm
from ecotool.decisions.models import Decision
from ecotool.framework.loader import current_version
from ecotool.supervision.models import SupervisionSession
from ecotool.web import form_page

bp = Blueprint("decisions", __name__, url_prefix="/decisions")


@bp.get("/")
@roles_required("supervisor", "admin")
def index():
    """Decisions in the person's services, newest first."""
    ids = [s.id for s in services_of(db.session, current_user)]
    decisions = db.session.scalars(
        select(Decision).where(Decision.service_id.in_(ids)).order_by(Decision.start_date.desc(), Decision.id.desc())
    ).all()
    return render_template("decisions/index.html", decisions=decisions)


@bp.route("/new", methods=["GET", "POST"])
@roles_required("supervisor")
def new():
    """Record a decision, optionally from a supervision session."""
    version = current_version(db.session)
    if version is None:
        abort(503)
    held = None
    session_id = request.args.get("session_id", type=int)
    if session_id is not None:
        held = db.session.get(SupervisionSession, session_id)
        if held is None or held.supervisor_id != current_user.id:
            abort(404)
    services = services_of(db.session, current_user)
    form = DecisionForm()
    form.staff_names = staff_names(db.session, [s.id for s in services])
    form.service_id.choices = [(s.id, s.name) for s in services]
    form.domain_ids.choices = [(d.id, d.name) for d in version.domains]
    domain_groups = [(f"{lvl['name']} ({lvl['code']})", [d.id for d in version.domains if d.level == lvl["code"]])
                     for lvl in version.levels]
    form.response_type.choices = [("", "Choose…")] + [(r["code"], r["name"]) for r in version.response_types]
    form.target_group.choices = [("", "Choose…")] + [(g["code"], g["name"]) for g in version.target_groups]
    form.pathway_id.choices = [("", "None in particular")] + [
        (p.id, f"{p.name} ({s.name})" if len(services) > 1 else p.name) for s in services for p in s.pathways
    ]
    if request.method == "GET" and held is not None:
        form.service_id.data = held.service_id
        form.domain_ids.data = [p.domain_id for p in held.prompts if p.note]

    def record():
        service = service_or_404(db.session, current_user, form.service_id.data)
        decision = operations.record_decision(
            db.session, current_user.id, service, title=form.title.data, rationale=form.rationale.data,
            response_type=form.response_type.data, target_group=form.target_group.data,
            domain_ids=form.domain_ids.data, start_date=form.start_date.data,
            review_date=form.review_date.data, pathway_id=form.pathway_id.data,
            status=form.status.data, session_id=held.id if held else None,
        )
        flash("Decision recorded.", "success")
        return redirect(url_for("decisions.show", decision_id=decision.id))

    return form_page(form, "decisions/new.html", record, held=held, domain_groups=domain_groups)


@bp.get("/<int:decision_id>")
@roles_required("supervisor", "admin")
def show(decision_id: int):
    """One decision."""
    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.service_id not in [s.id for s in services_of(db.session, current_user)]:
        abort(404)
    return render_template("decisions/show.html", decision=decision)

"""Pages for service-development decisions."""
from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from ecotool.auth.access import allow, get_or_404
from ecotool.auth.queries import services_of
from ecotool.db import db
from ecotool.clock import local_today
from ecotool.decisions import effect, forms, operations, queries, render
from ecotool.decisions.models import Decision
from ecotool.framework.models import FrameworkVersion
from ecotool.framework.queries import current_version
from ecotool.services.models import Service
from ecotool.supervision.indicators import RECURRING_CASES
from ecotool.supervision.models import SupervisionSession
from ecotool.vocab import DecisionStatus, Role
from ecotool.web import form_page, keeps_typing, id_value

bp = Blueprint("decisions", __name__, url_prefix="/decisions")


@bp.get("/")
@allow(Role.SUPERVISOR, Role.ADMIN)
def index():
    """Decisions in the person's services, the latest start first, filtered by status, level, domain, pathway."""
    services = services_of(db.session, current_user)
    form = forms.filter_form(services, _framework(), request.args)
    if not form.validate():
        return render_template("decisions/index.html", form=form, decisions=[]), 400
    chosen = [form.service_id.data] if form.service_id.data else [s.id for s in services]
    decisions = queries.decisions_in(
        db.session, chosen, status=form.status.data, level=form.level.data,
        domain=form.domain.data, pathway_id=form.pathway_id.data, due_on=local_today() if form.due.data else None)
    return render_template("decisions/index.html", form=form, decisions=decisions)


@bp.get("/mine")
@allow(Role.PEER_SUPPORTER)
def mine():
    """The decisions that change a peer supporter's work: agreed, in effect or reviewed in her services."""
    services = services_of(db.session, current_user)
    return render_template("decisions/mine.html",
                           decisions=queries.running_in(db.session, [s.id for s in services]))


@bp.app_template_global()
def decision_reviews_due(person) -> list[Decision]:
    """Decisions with a review due in a supervisor's services, for her dashboard."""
    return queries.reviews_due(db.session, [s.id for s in services_of(db.session, person)], local_today())


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


def _offered(held: SupervisionSession | None, draft: dict | None) -> list:
    """The barrier observations a new decision may be linked to: those behind the recurring barrier it was
    drafted from, or those behind a session's prompts and raised in it."""
    if draft is not None:
        return queries.barrier_observations(db.session, draft["service"].id, draft["found"].observation_ids)
    if held is not None:
        ids = held.observation_ids_behind() | {o.id for o in held.observations}
        return queries.barrier_observations(db.session, held.service_id, ids)
    return []


@bp.route("/new", methods=["GET", "POST"])
@keeps_typing
@allow(Role.SUPERVISOR)
def new():
    """Record a decision, optionally from a supervision session or drafted from a recurring barrier."""
    version = _framework()
    services = services_of(db.session, current_user)
    session_id = request.args.get("session_id", type=id_value)
    held = get_or_404(db.session, current_user, SupervisionSession, session_id) if session_id is not None else None
    code = request.args.get("domain")
    draft = _draft(version, services, code) if code is not None else None
    offered = _offered(held, draft)
    form = forms.decision_form(db.session, services, version, offered=offered)
    if request.method == "GET" and held is not None:
        form.service_id.data = held.service_id
    if request.method == "GET" and draft is not None:
        forms.draft_from(form, draft["found"], draft["service"], draft["start"], draft["end"])

    def record():
        service = get_or_404(db.session, current_user, Service, form.service_id.data)
        decision = operations.record_decision(
            db.session, current_user.id, service, **forms.decision_fields(form), status=form.status.data,
            session_id=held.id if held else None, observation_ids=form.observation_ids.data,
        )
        flash("Decision recorded.", "success")
        return redirect(url_for("decisions.show", decision_id=decision.id))

    noted = list({p.domain.id: p.domain for p in held.prompts if p.note and p.domain}.values()) if held else []
    opened = [d.id for d in noted] + ([draft["found"].domain.id] if draft else [])
    return form_page(form, "decisions/new.html", record, held=held, draft=draft, noted=noted, opened=opened,
                     offered={o.id: o for o in offered},
                     domain_groups=forms.domain_groups(version))


def _decision_page(decision: Decision, status: int = 200):
    """The page of one decision, with the given status (409 when an action does not fit where it is)."""
    return render_template("decisions/show.html", decision=decision, evidence=queries.evidence(decision),
                           effect=effect.measure(db.session, decision, local_today()), today=local_today(),
                           next_statuses=operations.NEXT[DecisionStatus(decision.status)],
                           chart_text=render.chart_text,
                           stored_effect=lambda r: effect.Effect.from_dict(r.figures)), status


def _not_now(decision: Decision, message: str):
    """Refuse an action that does not fit the decision's status: its page, the reason, and 409."""
    flash(message, "error")
    return _decision_page(decision, 409)


@bp.get("/<int:decision_id>")
@allow(Role.SUPERVISOR, Role.ADMIN)
def show(decision_id: int):
    """One decision: what changes and why, the evidence behind it, its measured effect, its history."""
    return _decision_page(get_or_404(db.session, current_user, Decision, decision_id))


@bp.get("/<int:decision_id>/effect.svg")
@allow(Role.SUPERVISOR, Role.ADMIN)
def chart(decision_id: int):
    """The before/after chart of a decision's effect as measured today, or as stored at one of its reviews."""
    decision = get_or_404(db.session, current_user, Decision, decision_id)
    review_id = request.args.get("review", type=id_value)
    if review_id is not None:
        review = next((r for r in decision.reviews if r.id == review_id), None)
        if review is None:
            abort(404)
        measured = effect.Effect.from_dict(review.figures)
    else:
        measured = effect.measure(db.session, decision, local_today())
    response = make_response(render.chart_svg(measured))
    response.headers["Content-Type"] = "image/svg+xml; charset=utf-8"
    return response


@bp.route("/<int:decision_id>/edit", methods=["GET", "POST"])
@keeps_typing
@allow(Role.SUPERVISOR)
def edit(decision_id: int):
    """Change a proposal (an agreed decision changes only through its lifecycle)."""
    decision = get_or_404(db.session, current_user, Decision, decision_id)
    if not decision.editable:
        return _not_now(decision, f"It is {decision.status}: only a proposal can be edited.")
    form = forms.decision_form(db.session, [decision.service], decision.framework_version, decision)

    def save():
        operations.edit_decision(db.session, current_user.id, decision, **forms.decision_fields(form),
                                 seen_version=form.seen_version())
        flash("Changes saved.", "success")
        return redirect(url_for("decisions.show", decision_id=decision.id))

    return form_page(form, "decisions/edit.html", save, decision=decision,
                     domain_groups=forms.domain_groups(decision.framework_version))


@bp.route("/<int:decision_id>/status", methods=["GET", "POST"])
@keeps_typing
@allow(Role.SUPERVISOR)
def status(decision_id: int):
    """Move a decision on: agree it, mark it in effect, or stop it, saying why."""
    decision = get_or_404(db.session, current_user, Decision, decision_id)
    if not operations.NEXT[DecisionStatus(decision.status)]:
        return _not_now(decision, "It has stopped: nothing comes after that.")
    form = forms.status_form(db.session, decision, request.args.get("to"))

    def save():
        operations.change_status(db.session, current_user.id, decision, form.status.data, form.reason.data,
                                 stopped_on=form.stopped_on.data, seen_version=form.seen_version())
        flash(f"It is now {decision.status}.", "success")
        return redirect(url_for("decisions.show", decision_id=decision.id))

    return form_page(form, "decisions/status.html", save, decision=decision)


@bp.route("/<int:decision_id>/review", methods=["GET", "POST"])
@keeps_typing
@allow(Role.SUPERVISOR)
def review(decision_id: int):
    """Review a decision in effect: its effect as it stands today is kept with the outcome."""
    decision = get_or_404(db.session, current_user, Decision, decision_id)
    if not decision.reviewable:
        return _not_now(decision, f"It is {decision.status}: only a decision in effect can be reviewed.")
    form = forms.review_form(db.session, decision)

    def save():
        operations.review_decision(db.session, current_user.id, decision, form.outcome.data, form.reason.data,
                                   next_review=form.next_review.data, seen_version=form.seen_version())
        flash("Review recorded, with the figures as they stand today.", "success")
        return redirect(url_for("decisions.show", decision_id=decision.id, _anchor="reviews"))

    return form_page(form, "decisions/review.html", save, decision=decision,
                     effect=effect.measure(db.session, decision, local_today()), chart_text=render.chart_text)

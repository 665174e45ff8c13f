"""Pages for the caseload, cases, contact attempts and observations."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ecotool.auth.access import case_or_404, roles_required, service_or_404, services_of, visible_cases
from ecotool.capture import operations
from ecotool.capture.forms import CaseForm, ContactAttemptForm, ObservationForm
from ecotool.capture.models import Case, Observation
from ecotool.clock import to_utc
from ecotool.db import db
from ecotool.framework.loader import current_version
from ecotool.framework.models import FrameworkVersion
from ecotool.services.models import Service
from ecotool.services.operations import is_target
from ecotool.web import form_page

bp = Blueprint("capture", __name__)
CASEWORKERS = ("peer_supporter", "supervisor")


def _framework() -> FrameworkVersion:
    version = current_version(db.session)
    if version is None:
        abort(503, "No framework is loaded.")
    return version


def _stage_choices(version: FrameworkVersion) -> list[tuple[str, str]]:
    return [("", "Choose…")] + [(s["code"], s["name"]) for s in version.journey_stages]


def _domain_choices(version: FrameworkVersion) -> dict[str, list[tuple[int, str]]]:
    groups: dict[str, list[tuple[int, str]]] = {}
    names = {lvl["code"]: lvl["name"] for lvl in version.levels}
    for d in version.domains:
        groups.setdefault(f"{d.level.capitalize()}: {names[d.level]}", []).append((d.id, d.name))
    return {"": [("", "Choose…")], **groups}


def _home_service() -> Service:
    services = services_of(db.session, current_user)
    if not services:
        abort(403)
    return services[0]


@bp.get("/cases")
@roles_required(*CASEWORKERS)
def caseload():
    """The cases this person works on (a supervisor: her supervisees' too)."""
    cases = db.session.scalars(visible_cases(current_user).order_by(Case.referral_date.desc(), Case.id.desc())).all()
    rows = [(c, operations.case_state(db.session, c)) for c in cases]
    return render_template("capture/caseload.html", rows=rows, is_target=is_target)


@bp.route("/cases/new", methods=["GET", "POST"])
@roles_required("peer_supporter")
def new_case():
    """Open a case without identifying data."""
    service, version = _home_service(), _framework()
    form = CaseForm()
    form.pathway_id.choices = [("", "Choose…")] + [(p.id, p.name) for p in service.pathways if p.active]
    form.journey_stage.choices = _stage_choices(version)

    def create():
        case = operations.create_case(
            db.session, current_user.id, service, imd_quintile=form.quintile(),
            age_band=form.age_band.data, first_time=form.first_time.data,
            language_support=form.language_support.data, pathway_id=form.pathway_id.data,
            referral_date=form.referral_date.data, journey_stage=form.journey_stage.data,
            supporter_id=current_user.id,
        )
        flash(f"Case {case.reference} created.", "success")
        return redirect(url_for("capture.case_page", case_id=case.id))

    return form_page(form, "capture/new_case.html", create, service=service)


@bp.get("/cases/<int:case_id>")
@roles_required(*CASEWORKERS)
def case_page(case_id: int):
    """One case: its figures and its timeline of contacts and observations."""
    case = case_or_404(db.session, current_user, case_id)
    state = operations.case_state(db.session, case)
    timeline = sorted(
        [("contact", a.at, a) for a in case.contact_attempts] + [("observation", o.created_at, o) for o in case.observations],
        # Times typed to the minute often tie; the order of entry breaks the tie.
        key=lambda item: (item[1], item[2].created_at, item[2].id), reverse=True,
    )
    return render_template("capture/case.html", case=case, state=state, timeline=timeline,
                           target=is_target(case.service, case.imd_quintile, case.age_band))


@bp.route("/cases/<int:case_id>/contact", methods=["GET", "POST"])
@roles_required(*CASEWORKERS)
def new_contact(case_id: int):
    """Log a contact attempt: channel, outcome, when."""
    case = case_or_404(db.session, current_user, case_id)
    form = ContactAttemptForm()

    def log():
        operations.log_contact_attempt(db.session, current_user.id, case, at=to_utc(form.at.data),
                                       channel=form.channel.data, outcome=form.outcome.data)
        flash("Contact attempt logged.", "success")
        return redirect(url_for("capture.case_page", case_id=case.id))

    return form_page(form, "capture/new_contact.html", log, case=case)


def _observation_page(service: Service, case: Case | None):
    version = _framework()
    form = ObservationForm()
    form.domain_id.choices = _domain_choices(version)
    form.journey_stage.choices = _stage_choices(version)
    if case is not None and request.method == "GET":
        form.journey_stage.data = case.journey_stage

    def save():
        operations.add_observation(
            db.session, current_user.id, service, case=case, domain_id=form.domain_id.data,
            journey_stage=form.journey_stage.data, kind=form.kind.data, source=form.source.data,
            text=form.text.data, shareable=form.shareable.data,
        )
        flash("Observation saved.", "success")
        if case is not None:
            return redirect(url_for("capture.case_page", case_id=case.id))
        return redirect(url_for("capture.service_observations", service_id=service.id))

    return form_page(form, "capture/new_observation.html", save, case=case, service=service, version=version)


@bp.route("/cases/<int:case_id>/observe", methods=["GET", "POST"])
@roles_required(*CASEWORKERS)
def new_case_observation(case_id: int):
    """Add an observation about one case."""
    case = case_or_404(db.session, current_user, case_id)
    return _observation_page(case.service, case)


@bp.route("/services/<int:service_id>/observe", methods=["GET", "POST"])
@roles_required(*CASEWORKERS)
def new_service_observation(service_id: int):
    """Add an observation about the service as a whole (macro and meso context)."""
    return _observation_page(service_or_404(db.session, current_user, service_id), None)


@bp.get("/services/<int:service_id>/observations")
@roles_required(*CASEWORKERS)
def service_observations(service_id: int):
    """Observations about the service as a whole."""
    service = service_or_404(db.session, current_user, service_id)
    observations = db.session.scalars(
        select(Observation).where(Observation.service_id == service.id, Observation.case_id.is_(None))
        .order_by(Observation.created_at.desc())
    ).all()
    return render_template("capture/service_observations.html", service=service, observations=observations)

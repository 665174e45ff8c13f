"""Pages for the caseload, cases, contact attempts and observations."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ecotool.auth.access import case_or_404, roles_required, service_or_404, services_of, visible_cases
from ecotool.capture import deprivation, operations
from ecotool.capture.forms import CaseForm, CaseloadFilterForm, CaseUpdateForm, ContactAttemptForm, ObservationForm
from ecotool.capture.models import Case, Observation
from ecotool.clock import to_utc
from ecotool.db import db
from ecotool.framework.loader import current_version
from ecotool.framework.models import FrameworkVersion
from ecotool.services.models import Service
from ecotool.services.operations import peer_supporters, staff_names
from ecotool.web import form_page

bp = Blueprint("capture", __name__)
CASEWORKERS = ("peer_supporter", "supervisor")
PAGE_SIZE = 40  # a page at a time keeps the list light on a phone


def _framework() -> FrameworkVersion:
    version = current_version(db.session)
    if version is None:
        abort(503)
    return version


def _stage_choices(version: FrameworkVersion) -> list[tuple[str, str]]:
    return [("", "Choose…")] + [(s["code"], s["name"]) for s in version.journey_stages]


def _stage_names() -> dict[str, str]:
    return {s["code"]: s["name"] for s in _framework().journey_stages}


@bp.get("/cases")
@roles_required(*CASEWORKERS)
def caseload():
    """Open cases, those needing action first; a supervisor sees each supervisee's."""
    form = CaseloadFilterForm(request.args)
    people = [current_user] + list(current_user.supervisees)
    form.supporter.choices = [("", "Everyone")] + [(p.id, p.display_name) for p in people]
    form.validate()
    number = max(request.args.get("page", 1, type=int), 1)
    services = services_of(db.session, current_user)
    rows, total = operations.caseload(
        db.session, visible_cases(current_user), services,
        target_only=form.target.data, not_reached=form.not_reached.data, quiet=form.quiet.data,
        supporter_id=form.supporter.data if current_user.role == "supervisor" else None,
        page=number, per_page=PAGE_SIZE,
    )
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("capture/caseload.html", rows=rows, total=total, form=form, page=number,
                           pages=max(1, -(-total // PAGE_SIZE)), args=args, stages=_stage_names(),
                           services=services)


@bp.route("/cases/new", methods=["GET", "POST"])
@roles_required("peer_supporter")
def new_case():
    """Open a case without identifying data; a typed postcode only finds the quintile."""
    services, version = services_of(db.session, current_user), _framework()
    if not services:
        abort(403)
    form = CaseForm(service_id=services[0].id)
    form.service_id.choices = [(s.id, s.name) for s in services]
    form.pathway_id.choices = [("", "Choose…")] + [
        (p.id, f"{p.name} ({s.name})" if len(services) > 1 else p.name) for s in services for p in s.pathways if p.active]
    form.journey_stage.choices = _stage_choices(version)
    form.lookup = lambda typed: deprivation.lookup(db.session, typed)

    def create():
        service = service_or_404(db.session, current_user, form.service_id.data)
        case = operations.create_case(
            db.session, current_user.id, service, imd_quintile=form.quintile(),
            age_band=form.age_band.data, first_time=form.first_time.data,
            language_support=form.language_support.data, pathway_id=form.pathway_id.data,
            referral_date=form.referral_date.data, journey_stage=form.journey_stage.data,
            supporter_id=current_user.id,
        )
        found = " from the postcode (the postcode was not kept)" if form.looked_up else ""
        flash(f"Case {case.reference} created, IMD quintile {case.quintile_label}{found}.", "success")
        return redirect(url_for("capture.case_page", case_id=case.id))

    return form_page(form, "capture/new_case.html", create, services=services)


@bp.get("/cases/<int:case_id>")
@roles_required(*CASEWORKERS)
def case_page(case_id: int):
    """One case: its figures and its timeline of contacts and observations."""
    case = case_or_404(db.session, current_user, case_id)
    return render_template("capture/case.html", row=operations.case_row(db.session, case),
                           timeline=operations.timeline(case), stages=_stage_names())


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@roles_required(*CASEWORKERS)
def edit_case(case_id: int):
    """Change the journey stage, close the case, or hand it over to a colleague."""
    case = case_or_404(db.session, current_user, case_id)
    form = CaseUpdateForm(obj=case)
    form.journey_stage.choices = _stage_choices(_framework())
    form.supporter_id.choices = [(p.id, p.display_name) for p in peer_supporters(db.session, case.service_id)]

    def save():
        operations.update_case(db.session, current_user.id, case, journey_stage=form.journey_stage.data,
                               status=form.status.data, supporter_id=form.supporter_id.data)
        flash(f"Case {case.reference} updated.", "success")
        if db.session.scalar(visible_cases(current_user).where(Case.id == case.id)) is None:
            return redirect(url_for("capture.caseload"))  # handed over beyond her view
        return redirect(url_for("capture.case_page", case_id=case.id))

    return form_page(form, "capture/edit_case.html", save, case=case)


@bp.route("/cases/<int:case_id>/contact", methods=["GET", "POST"])
@roles_required(*CASEWORKERS)
def new_contact(case_id: int):
    """Log a contact attempt in three taps: channel, outcome, save."""
    case = case_or_404(db.session, current_user, case_id)
    version = _framework()
    row = operations.case_row(db.session, case)
    form = ContactAttemptForm(channel=row.last_channel)
    form.staff_names = staff_names(db.session, [case.service_id])
    form.note_domain_id.choices = {"": [("", "Choose…")], **_domain_groups(version)}

    def log():
        operations.log_contact_attempt(db.session, current_user.id, case, at=to_utc(form.at.data),
                                       channel=form.channel.data, outcome=form.outcome.data)
        if (form.note_text.data or "").strip():
            operations.add_observation(
                db.session, current_user.id, case.service, case=case, domain_id=form.note_domain_id.data,
                journey_stage=case.journey_stage, kind=form.note_kind.data or "barrier",
                source="visit" if form.channel.data in ("home visit", "hospital ward", "clinic drop-in", "group")
                else "call", text=form.note_text.data,
            )
        flash("Contact attempt logged.", "success")
        return redirect(url_for("capture.case_page", case_id=case.id))

    return form_page(form, "capture/new_contact.html", log, case=case, row=row)


def _domain_groups(version: FrameworkVersion) -> dict[str, list[tuple[int, str]]]:
    """Domains grouped by level, closest to the mother first (micro, meso, macro)."""
    names = {lvl["code"]: lvl["name"] for lvl in version.levels}
    return {f"{names[level]} ({level})": [(d.id, d.name) for d in version.domains if d.level == level]
            for level in ("micro", "meso", "macro")}


def _observation_page(service: Service, case: Case | None):
    version = _framework()
    level = request.values.get("level", "")
    if level not in ("macro", "meso", "micro"):
        return render_template("capture/choose_level.html", version=version, case=case, service=service)
    domains = [d for d in version.domains if d.level == level]
    form = ObservationForm(level=level, journey_stage=case.journey_stage if case else None)
    form.domain_id.choices = [(d.id, d.name) for d in domains]
    form.journey_stage.choices = _stage_choices(version)
    form.staff_names = staff_names(db.session, [service.id])

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

    return form_page(form, "capture/new_observation.html", save, case=case, service=service,
                     level=next(lvl for lvl in version.levels if lvl["code"] == level),
                     guidance={d.id: d.prompts_for("recording") for d in domains})


@bp.route("/cases/<int:case_id>/observe", methods=["GET", "POST"])
@roles_required(*CASEWORKERS)
def new_case_observation(case_id: int):
    """Add an observation about one case: first the level, then the domain."""
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

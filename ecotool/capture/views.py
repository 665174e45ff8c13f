"""Pages for the caseload, cases, contact attempts and observations."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ecotool.auth.access import allow, get_or_404
from ecotool.auth.queries import services_of
from ecotool.capture import forms, operations, queries
from ecotool.capture.models import Case, Observation
from ecotool.clock import to_utc
from ecotool.db import db
from ecotool.framework.models import FrameworkVersion
from ecotool.framework.queries import current_version
from ecotool.services.models import Service
from ecotool.errors import OperationError
from ecotool.forms import ConfirmForm
from ecotool.vocab import CASEWORKERS, CaseStatus, Level, PromptPurpose, Role
from ecotool.web import form_page, keeps_typing, mark_failed, id_value

bp = Blueprint("capture", __name__)
PAGE_SIZE = 40  # a page at a time keeps the list light on a phone


def _framework() -> FrameworkVersion:
    version = current_version(db.session)
    if version is None:
        abort(503)
    return version


def _stage_names() -> dict[str, str]:
    return {s["code"]: s["name"] for s in _framework().journey_stages}


@bp.get("/cases")
@allow(*CASEWORKERS)
def caseload():
    """Open cases, those needing action first; a supervisor sees each supervisee's."""
    form = forms.caseload_filter_form(current_user, request.args)
    number = max(request.args.get("page", 1, type=id_value), 1)
    rows, total = queries.caseload(
        db.session, queries.visible_cases(current_user),
        target_only=form.target.data, not_reached=form.not_reached.data, quiet=form.quiet.data,
        supporter_id=form.supporter.data if current_user.role == Role.SUPERVISOR else None,
        page=number, per_page=PAGE_SIZE,
    )
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("capture/caseload.html", rows=rows, total=total, form=form, page=number,
                           pages=max(1, -(-total // PAGE_SIZE)), args=args, stages=_stage_names(),
                           services=services_of(db.session, current_user))


@bp.route("/cases/new", methods=["GET", "POST"])
@keeps_typing
@allow(Role.PEER_SUPPORTER)
def new_case():
    """Open a case without identifying data; a typed postcode only finds the quintile."""
    services = services_of(db.session, current_user)
    if not services:
        abort(403)
    form = forms.case_form(db.session, services, _framework())

    def create():
        service = get_or_404(db.session, current_user, Service, form.service_id.data)
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
@allow(*CASEWORKERS)
def case_page(case_id: int):
    """One case: its figures and its timeline of contacts and observations."""
    case = get_or_404(db.session, current_user, Case, case_id)
    operations.record_read(db.session, current_user.id, case)
    return render_template("capture/case.html", row=queries.case_row(db.session, case),
                           timeline=queries.timeline(case), stages=_stage_names(), reopen_form=ConfirmForm())


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@keeps_typing
@allow(*CASEWORKERS)
def edit_case(case_id: int):
    """Change the journey stage, or hand the case over to a colleague."""
    case = get_or_404(db.session, current_user, Case, case_id)
    form = forms.case_update_form(db.session, case, _framework())

    def save():
        operations.update_case(db.session, current_user.id, case, journey_stage=form.journey_stage.data,
                               supporter_id=form.supporter_id.data, seen_version=form.seen_version())
        flash(f"Case {case.reference} updated.", "success")
        if not queries.sees(db.session, current_user, case.id):
            return redirect(url_for("capture.caseload"))  # handed over beyond her view
        return redirect(url_for("capture.case_page", case_id=case.id))

    return form_page(form, "capture/edit_case.html", save, case=case)


@bp.route("/cases/<int:case_id>/contact", methods=["GET", "POST"])
@keeps_typing
@allow(*CASEWORKERS)
def new_contact(case_id: int):
    """Log a contact attempt in three taps: channel, outcome, save."""
    case = get_or_404(db.session, current_user, Case, case_id)
    if case.status == CaseStatus.CLOSED:
        mark_failed()
        return render_template("capture/case_closed.html", case=case, form=ConfirmForm()), 409
    row = queries.case_row(db.session, case)
    form = forms.contact_form(db.session, case, _framework(), row.last_channel)

    def log():
        operations.log_contact_with_note(
            db.session, current_user.id, case, at=to_utc(form.at.data), channel=form.channel.data,
            outcome=form.outcome.data, note_text=form.note_text.data or "",
            note_domain_id=form.note_domain_id.data, note_kind=form.note_kind.data,
        )
        flash("Contact attempt logged.", "success")
        return redirect(url_for("capture.case_page", case_id=case.id))

    return form_page(form, "capture/new_contact.html", log, case=case, row=row)


def _observation_page(service: Service, case: Case | None):
    version = _framework()
    level = request.values.get("level", "")
    if level not in Level.values():
        return render_template("capture/choose_level.html", version=version, case=case, service=service)
    form = forms.observation_form(db.session, service, case, version, Level(level))
    domains = [d for d in version.domains if d.level == level]

    def save():
        operations.add_observation(
            db.session, current_user.id, service, case=case, domain_id=form.domain_id.data,
            journey_stage=form.journey_stage.data or None, kind=form.kind.data, source=form.source.data,
            text=form.text.data, shareable=form.shareable.data, observed_on=form.observed_on.data,
        )
        flash("Observation saved.", "success")
        if case is not None:
            return redirect(url_for("capture.case_page", case_id=case.id))
        return redirect(url_for("capture.service_observations", service_id=service.id))

    return form_page(form, "capture/new_observation.html", save, case=case, service=service,
                     level=next(lvl for lvl in version.levels if lvl["code"] == level),
                     guidance={d.id: d.prompts_for(PromptPurpose.RECORDING) for d in domains})


@bp.route("/cases/<int:case_id>/observe", methods=["GET", "POST"])
@keeps_typing
@allow(*CASEWORKERS)
def new_case_observation(case_id: int):
    """Add an observation about one case: first the level, then the domain."""
    case = get_or_404(db.session, current_user, Case, case_id)
    return _observation_page(case.service, case)


@bp.route("/services/<int:service_id>/observe", methods=["GET", "POST"])
@keeps_typing
@allow(*CASEWORKERS)
def new_service_observation(service_id: int):
    """Add an observation about the service as a whole (macro and meso context)."""
    return _observation_page(get_or_404(db.session, current_user, Service, service_id), None)


@bp.get("/cases/closed")
@allow(*CASEWORKERS)
def closed_cases():
    """Closed cases, most recently closed first, each of which can be reopened."""
    return render_template("capture/closed.html", cases=queries.closed_cases(db.session, current_user),
                           form=ConfirmForm())


@bp.route("/cases/<int:case_id>/close", methods=["GET", "POST"])
@keeps_typing
@allow(*CASEWORKERS)
def close_case(case_id: int):
    """Close a case, saying why."""
    case = get_or_404(db.session, current_user, Case, case_id)
    form = forms.CloseCaseForm(version=case.version)

    def close():
        operations.close_case(db.session, current_user.id, case, reason=form.reason.data,
                              seen_version=form.seen_version())
        flash(f"Case {case.reference} closed. It is in the list of closed cases if it needs reopening.", "success")
        return redirect(url_for("capture.caseload"))

    return form_page(form, "capture/close_case.html", close, case=case)


@bp.post("/cases/<int:case_id>/reopen")
@allow(*CASEWORKERS)
def reopen_case(case_id: int):
    """Open a closed case again."""
    case = get_or_404(db.session, current_user, Case, case_id)
    if ConfirmForm().validate_on_submit():
        try:
            operations.reopen_case(db.session, current_user.id, case)
            flash(f"Case {case.reference} is open again.", "success")
        except OperationError as error:
            flash(error.message, "error")
    return redirect(url_for("capture.case_page", case_id=case.id))


@bp.route("/observations/<int:observation_id>/edit", methods=["GET", "POST"])
@keeps_typing
@allow(*CASEWORKERS)
def edit_observation(observation_id: int):
    """Correct an observation, or turn quoting on or off (its author or her supervisor)."""
    observation = get_or_404(db.session, current_user, Observation, observation_id)
    form = forms.observation_edit_form(db.session, observation)

    def save():
        operations.update_observation(db.session, current_user.id, observation, kind=form.kind.data,
                                      text=form.text.data, shareable=form.shareable.data,
                                      observed_on=form.observed_on.data, seen_version=form.seen_version())
        flash("Observation corrected.", "success")
        return redirect(_observation_home(observation))

    return form_page(form, "capture/edit_observation.html", save, observation=observation,
                     delete_form=ConfirmForm())


@bp.post("/observations/<int:observation_id>/delete")
@allow(*CASEWORKERS)
def delete_observation(observation_id: int):
    """Delete an observation (its author or her supervisor)."""
    observation = get_or_404(db.session, current_user, Observation, observation_id)
    home = _observation_home(observation)
    if ConfirmForm().validate_on_submit():
        try:
            operations.delete_observation(db.session, current_user.id, observation)
            flash("Observation deleted.", "success")
        except OperationError as error:
            flash(error.message, "error")
            return redirect(url_for("capture.edit_observation", observation_id=observation_id))
    return redirect(home)


def _observation_home(observation: Observation) -> str:
    if observation.case_id is not None:
        return url_for("capture.case_page", case_id=observation.case_id)
    return url_for("capture.service_observations", service_id=observation.service_id)


@bp.get("/services/<int:service_id>/observations")
@allow(*CASEWORKERS)
def service_observations(service_id: int):
    """Observations about the service as a whole."""
    service = get_or_404(db.session, current_user, Service, service_id)
    return render_template("capture/service_observations.html", service=service,
                           observations=queries.service_observations(db.session, service.id))

"""Pages for administrators: services, people, frameworks."""
from __future__ import annotations

import base64
import binascii

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.utils import secure_filename

from ecotool import audit
from ecotool.admin import forms
from ecotool.admin.operations import erase_case
from ecotool.clock import format_day
from ecotool.auth.access import allow, get_or_404
from ecotool.auth.models import Person
from ecotool.auth.operations import (
    create_person, end_sign_ins, issue_one_time_password, set_active, turn_off_totp, update_person,
)
from ecotool.auth.queries import all_people, open_sign_ins
from ecotool.capture.operations import hand_over_cases
from ecotool.capture.queries import case_by_reference, open_cases_of
from ecotool.capture.importing import CASE_COLUMNS, CONTACT_COLUMNS, IMPORTERS, ImportFailed
from ecotool.db import db
from ecotool.errors import OperationError
from ecotool.forms import ConfirmForm
from ecotool.framework.diff import compare
from ecotool.framework.loader import FrameworkError, parse
from ecotool.framework.operations import load_directory, load_upload
from ecotool.framework.queries import all_versions, current_version
from ecotool.services.models import Pathway, Service
from ecotool.services.operations import (
    add_pathway, change_target_rule, create_service, set_pathway_active, set_population, update_settings,
)
from ecotool.services.queries import all_services, get_service, population_periods
from ecotool.vocab import Role
from ecotool.web import INVALID, form_page, invalid, keeps_typing, mark_failed, submitted

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@allow(Role.ADMIN)
def index():
    """Services, people and framework versions at a glance."""
    versions = all_versions(db.session)
    in_use = {current_version(db.session, key).id for key in {v.key for v in versions}}
    return render_template("admin/index.html", services=all_services(db.session), people=all_people(db.session),
                           versions=versions, in_use=in_use)


@bp.route("/services/new", methods=["GET", "POST"])
@keeps_typing
@allow(Role.ADMIN)
def new_service():
    """Create a service."""
    form = forms.ServiceForm()

    def create():
        service = create_service(db.session, current_user.id, form.slug.data, form.name.data,
                                 form.case_prefix.data or None)
        flash(f"Service {service.name} created.", "success")
        return redirect(url_for("admin.index"))

    return form_page(form, "admin/new_service.html", create)


def _service_context(service: Service, **given) -> dict:
    """What a service's page shows beside its settings form: the target rule and pathway forms (as given after a
    refusal, else fresh)."""
    target = given.get("target") or forms.TargetRuleForm(
        formdata=None, prefix="rule", version=service.version, quintile_max=str(service.target_quintile_max or "none"),
        under_20=service.target_under_20)
    return dict(service=service, target=target,
                pathway=given.get("pathway") or forms.PathwayForm(formdata=None, prefix="pathway"),
                button=ConfirmForm())


def _refused_on_service_page(service: Service, **given):
    return render_template("admin/service.html", form=forms.ServiceSettingsForm(formdata=None, obj=service),
                           **_service_context(service, **given)), INVALID


@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
@keeps_typing
@allow(Role.ADMIN)
def service_settings(service_id: int):
    """A service's name and rules (engagement, prompts, small numbers, effect verdicts), target rule and pathways."""
    service = get_or_404(db.session, current_user, Service, service_id)
    form = forms.ServiceSettingsForm(obj=service)

    def save():
        update_settings(db.session, current_user.id, service, name=form.name.data,
                        engaged_threshold=form.engaged_threshold.data,
                        failed_attempt_threshold=form.failed_attempt_threshold.data,
                        disclosure_rule=form.disclosure_rule.data, disclosure_threshold=form.disclosure_threshold.data,
                        min_cell_count=form.min_cell_count.data, retention_months=form.retention_months.data,
                        seen_version=form.seen_version())
        flash("Settings saved.", "success")
        return redirect(url_for("admin.service_settings", service_id=service.id))

    return form_page(form, "admin/service.html", save, **_service_context(service))


@bp.post("/services/<int:service_id>/target-rule")
@allow(Role.ADMIN)
def target_rule(service_id: int):
    """Change the target rule from a day on; earlier cases keep theirs."""
    service = get_or_404(db.session, current_user, Service, service_id)
    form = forms.TargetRuleForm(prefix="rule")

    def change():
        change_target_rule(db.session, current_user.id, service, under_20=form.under_20.data,
                           quintile_max=None if form.quintile_max.data == "none" else int(form.quintile_max.data),
                           from_day=form.from_day.data, seen_version=form.seen_version())
        flash(f"Cases referred from {format_day(form.from_day.data)} are target if "
              f"{service.describe_target_rule()}.", "success")
        return redirect(url_for("admin.service_settings", service_id=service.id))

    return submitted(form, change) or _refused_on_service_page(service, target=form)


@bp.post("/services/<int:service_id>/pathways")
@allow(Role.ADMIN)
def add_service_pathway(service_id: int):
    """Add a pathway to a service."""
    service = get_or_404(db.session, current_user, Service, service_id)
    form = forms.PathwayForm(prefix="pathway")

    def add():
        added = add_pathway(db.session, current_user.id, service, form.name.data)
        flash(f"Pathway {added.name} added.", "success")
        return redirect(url_for("admin.service_settings", service_id=service.id))

    return submitted(form, add) or _refused_on_service_page(service, pathway=form)


@bp.route("/services/<int:service_id>/erase", methods=["GET", "POST"])
@allow(Role.ADMIN)
def erase(service_id: int):
    """Erase one case on request: find it by reference, see what goes, confirm. Nothing of it stays but an audit
    entry (and figures already stored in briefs)."""
    service = get_or_404(db.session, current_user, Service, service_id)
    form = forms.EraseForm()
    if not form.validate_on_submit():
        return (invalid if request.method == "POST" else render_template)("admin/erase.html", form=form,
                                                                           service=service, case=None)
    case = case_by_reference(db.session, service.id, form.reference.data)
    if case is None:
        form.reference.errors = list(form.reference.errors) + [f"{service.name} has no case {form.reference.data}."]
        return invalid("admin/erase.html", form=form, service=service, case=None)
    if form.confirm.data != case.reference:
        form.confirm.data = case.reference
        return render_template("admin/erase.html", form=form, service=service, case=case)
    reference = case.reference
    erase_case(db.session, current_user.id, case, "request")
    flash(f"Case {reference} is erased, with everything written about her.", "success")
    return redirect(url_for("admin.service_settings", service_id=service.id))


@bp.post("/pathways/<int:pathway_id>/active")
@allow(Role.ADMIN)
def pathway_active(pathway_id: int):
    """Close a pathway to new cases (its cases keep it), or open it again."""
    pathway = get_or_404(db.session, current_user, Pathway, pathway_id)
    if ConfirmForm().validate_on_submit():
        set_pathway_active(db.session, current_user.id, pathway, not pathway.active)
        flash(f"Pathway {pathway.name} is {'open' if pathway.active else 'closed to new cases'}.", "success")
    return redirect(url_for("admin.service_settings", service_id=pathway.service_id))


@bp.route("/services/<int:service_id>/population", methods=["GET", "POST"])
@keeps_typing
@allow(Role.ADMIN)
def population(service_id: int):
    """Births per quintile in the service's area, by period: what briefs show reach against."""
    service = get_or_404(db.session, current_user, Service, service_id)
    form = forms.PopulationForm()

    def save():
        set_population(db.session, current_user.id, service, form.period_start.data, form.period_end.data,
                       form.births())
        flash(f"Births saved for {format_day(form.period_start.data)} to {format_day(form.period_end.data)}.", "success")
        return redirect(url_for("admin.population", service_id=service.id))

    return form_page(form, "admin/population.html", save, service=service,
                     periods=population_periods(db.session, service))


@bp.route("/people/new", methods=["GET", "POST"])
@keeps_typing
@allow(Role.ADMIN)
def new_person():
    """Create a person and show her one-time password once."""
    form = forms.person_form(db.session)

    def create():
        person, password = create_person(
            db.session, current_user.id, form.email.data, form.role.data,
            [form.service.data] if form.service.data else [], form.display_name.data,
            form.supervisor_id.data,
        )
        return render_template("admin/person_created.html", person=person, password=password)

    return form_page(form, "admin/new_person.html", create)


def _person_context(person: Person, hand_over=None) -> dict:
    """What a person's page shows beside her edit form: her account's buttons and the hand-over of her cases."""
    return dict(person=person, button=ConfirmForm(), hand_over=hand_over or forms.hand_over_form(db.session, person),
                open_cases=open_cases_of(db.session, person.id), devices=open_sign_ins(db.session, person))


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@keeps_typing
@allow(Role.ADMIN)
def person(person_id: int):
    """A person: change her name, services and supervisor; her account's buttons."""
    person = get_or_404(db.session, current_user, Person, person_id)
    form = forms.person_edit_form(db.session, person)

    def save():
        update_person(db.session, current_user.id, person, display_name=form.display_name.data,
                      service_ids=form.service_ids.data or [],
                      supervisor_id=form.supervisor_id.data if "supervisor_id" in form else None)
        flash(f"{person.display_name} saved.", "success")
        return redirect(url_for("admin.person", person_id=person.id))

    return form_page(form, "admin/person.html", save, **_person_context(person))


@bp.post("/people/<int:person_id>/active")
@allow(Role.ADMIN)
def set_person_active(person_id: int):
    """Deactivate a person (signed out everywhere at once; her records stay), or let her back in."""
    person = get_or_404(db.session, current_user, Person, person_id)
    if ConfirmForm().validate_on_submit():
        try:
            set_active(db.session, current_user.id, person, not person.active)
            flash(f"{person.display_name} can sign in again." if person.active else
                  f"{person.display_name} is deactivated and signed out everywhere. Her records stay.", "success")
        except OperationError as error:
            flash(error.message, "error")
    return redirect(url_for("admin.person", person_id=person.id))


@bp.post("/people/<int:person_id>/one-time-password")
@allow(Role.ADMIN)
def one_time_password(person_id: int):
    """Give a person a new one-time password (she forgot hers): shown once, works once, for 24 hours."""
    person = get_or_404(db.session, current_user, Person, person_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("admin.person", person_id=person.id))
    password = issue_one_time_password(db.session, current_user.id, person)
    return render_template("admin/person_created.html", person=person, password=password, again=True)


@bp.post("/people/<int:person_id>/sign-out")
@allow(Role.ADMIN)
def sign_out_person(person_id: int):
    """Sign a person out on every device (a lost phone)."""
    person = get_or_404(db.session, current_user, Person, person_id)
    if ConfirmForm().validate_on_submit():
        count = end_sign_ins(db.session, current_user.id, person, "everywhere")
        flash(f"{person.display_name} is signed out on {count} {'device' if count == 1 else 'devices'}.", "success")
    return redirect(url_for("admin.person", person_id=person.id))


@bp.post("/people/<int:person_id>/two-factor-off")
@allow(Role.ADMIN)
def turn_off_two_factor(person_id: int):
    """Turn off a person's two-factor sign-in (a lost phone and no recovery code): she sets it up again at her next
    sign-in, and is signed out everywhere now."""
    person = get_or_404(db.session, current_user, Person, person_id)
    if ConfirmForm().validate_on_submit() and person.totp_secret:
        turn_off_totp(db.session, current_user.id, person)
        flash(f"Two-factor sign-in is off for {person.display_name}; she sets it up again when she next signs in.",
              "success")
    return redirect(url_for("admin.person", person_id=person.id))


@bp.post("/people/<int:person_id>/hand-over")
@allow(Role.ADMIN)
def hand_over(person_id: int):
    """Hand every open case of a supporter who is leaving to one colleague."""
    person = get_or_404(db.session, current_user, Person, person_id)
    form = forms.hand_over_form(db.session, person)

    def hand():
        moved = hand_over_cases(db.session, current_user.id, person, form.colleague_id.data)
        flash(f"{moved} open {'case' if moved == 1 else 'cases'} handed over.", "success")
        return redirect(url_for("admin.person", person_id=person.id))

    return submitted(form, hand) or (render_template(
        "admin/person.html", form=forms.person_edit_form(db.session, person, fresh=True),
        **_person_context(person, hand_over=form)), INVALID)


@bp.route("/import", methods=["GET", "POST"])
@allow(Role.ADMIN)
def import_records():
    """Upload existing cases or contact attempts (all or nothing)."""
    request.max_content_length = current_app.config["ECOTOOL_MAX_IMPORT_BYTES"]  # only here may a post be large
    form = forms.import_form(db.session)
    context = {"case_columns": CASE_COLUMNS, "contact_columns": CONTACT_COLUMNS}

    def run():
        service = get_service(db.session, form.service.data)
        try:
            text = form.file.data.read().decode("utf-8-sig")
            report = IMPORTERS[form.kind.data](db.session, current_user.id, service, text)
        except UnicodeDecodeError:
            form.file.errors = ["The file is not UTF-8 text; save it from the spreadsheet as CSV UTF-8."]
            return invalid("admin/import.html", form=form, **context)
        except ImportFailed as failed:
            return invalid("admin/import.html", form=form, errors=failed.errors, **context)
        flash(f"Imported {form.kind.data} into {service.name}: {report.rows} rows, {report.created} created, "
              f"{report.unchanged} already there.", "success")
        return redirect(url_for("admin.import_records"))

    return form_page(form, "admin/import.html", run, **context)


@bp.post("/frameworks/reload")
@allow(Role.ADMIN)
def reload_frameworks():
    """Load every framework file again; only changed files make new versions."""
    try:
        results = load_directory(db.session, current_app.config["FRAMEWORKS_DIR"])
    except FrameworkError as error:
        flash(f"{error.source}: " + "; ".join(error.errors[:5]), "error")
        return redirect(url_for("admin.index"))
    created = sum(1 for _, new in results if new)
    flash(f"Frameworks checked: {len(results)} file(s), {created} new version(s).", "success")
    return redirect(url_for("admin.index"))


# The confirmation carries the file again, base64 (4/3 as large), in a form of at most 256 KB.
MAX_FRAMEWORK_BYTES = 180 * 1024


@bp.route("/frameworks/upload", methods=["GET", "POST"])
@allow(Role.ADMIN)
def upload_framework():
    """Check a framework file: every error with its path, or what it changes against the version in use, to
    confirm before anything changes."""
    form = forms.FrameworkUploadForm()
    if form.validate_on_submit():
        raw = form.file.data.read(MAX_FRAMEWORK_BYTES + 1)
        name = secure_filename(form.file.data.filename or "") or "framework.yaml"
        try:
            if len(raw) > MAX_FRAMEWORK_BYTES:
                raise FrameworkError(name, [f"the file is over {MAX_FRAMEWORK_BYTES // 1024} KB"])
            data, sha = parse(raw, name)
        except FrameworkError as error:
            form.file.errors = list(form.file.errors) + error.errors
            mark_failed()
            return render_template("admin/framework_upload.html", form=form), INVALID
        in_use = current_version(db.session, data["key"])
        confirm = forms.FrameworkConfirmForm(
            content=base64.b64encode(raw).decode(), name=name, sha256=sha, formdata=None)
        return render_template("admin/framework_confirm.html", form=confirm, data=data, sha=sha, in_use=in_use,
                               same=in_use is not None and in_use.sha256 == sha,
                               changes=compare(in_use.content if in_use else None, data))
    if request.method == "POST":
        return invalid("admin/framework_upload.html", form=form)
    return render_template("admin/framework_upload.html", form=form)


@bp.post("/frameworks/confirm")
@allow(Role.ADMIN)
def confirm_framework():
    """Put a checked framework file in use (it is checked again); older records keep the version they had."""
    form = forms.FrameworkConfirmForm()
    if not form.validate_on_submit():
        flash("The checked file did not come back whole. Upload it again.", "error")
        return redirect(url_for("admin.upload_framework"))
    try:
        raw = base64.b64decode(form.content.data, validate=True)
        version, created = load_upload(db.session, current_user.id, raw, form.name.data, form.sha256.data)
    except (binascii.Error, FrameworkError, OperationError):
        flash("The checked file did not come back whole. Upload it again.", "error")
        return redirect(url_for("admin.upload_framework"))
    flash(f"{version.title} version {version.declared_version} is in use"
          f"{'' if created else ' again'}. Records made before keep the version they were made with.", "success")
    return redirect(url_for("admin.index"))


@bp.get("/audit")
@allow(Role.ADMIN)
def audit_log():
    """The audit log: who did what to which record, when; filtered, newest first."""
    form = forms.audit_filter_form(db.session, request.args, audit.actions(db.session))
    valid = {name: field.data if not field.errors else None for name, field in form._fields.items()}
    actor = valid["actor"] or ""
    found, more = audit.events(
        db.session, action=valid["action"] or None, system=actor == forms.SYSTEM,
        actor_id=int(actor) if actor.isdecimal() else None, object_type=valid["object_type"] or None,
        object_id=valid["object_id"], start=valid["start"], end=valid["end"], page=valid["page"] or 1)
    return render_template("admin/audit.html", form=form, events=found, more=more, page=valid["page"] or 1)

"""Pages for administrators: services, people, frameworks."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ecotool.admin import forms
from ecotool.auth.access import allow, get_or_404
from ecotool.auth.operations import create_person
from ecotool.auth.queries import all_people
from ecotool.capture.importing import CASE_COLUMNS, CONTACT_COLUMNS, IMPORTERS, ImportFailed
from ecotool.db import db
from ecotool.framework.loader import FrameworkError
from ecotool.framework.operations import load_directory
from ecotool.framework.queries import all_versions
from ecotool.services.models import Service
from ecotool.services.operations import create_service, set_population
from ecotool.services.queries import all_services, get_service, population_periods
from ecotool.vocab import Role
from ecotool.web import form_page, invalid, keeps_typing

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@allow(Role.ADMIN)
def index():
    """Services, people and framework versions at a glance."""
    return render_template("admin/index.html", services=all_services(db.session), people=all_people(db.session),
                           versions=all_versions(db.session))


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
        flash(f"Births saved for {form.period_start.data:%d %b %Y} to {form.period_end.data:%d %b %Y}.", "success")
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

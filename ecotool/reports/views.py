"""Pages for commissioner briefs."""
from __future__ import annotations

import re

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ecotool.auth.access import allow, get_or_404
from ecotool.auth.queries import services_of, staff_names
from ecotool.clock import local_today, utcnow
from ecotool.framework.queries import current_version
from ecotool.privacy import quotable
from ecotool.db import db
from ecotool.reports import operations, queries, refi, render
from ecotool.reports.forms import brief_form, region_form
from ecotool.reports.models import Brief
from ecotool.services.models import Service
from ecotool.vocab import Role
from ecotool.web import form_page, keeps_typing

bp = Blueprint("reports", __name__, url_prefix="/briefs")
READERS = (Role.COMMISSIONER, Role.SUPERVISOR, Role.ADMIN)


def _page() -> tuple:
    services = services_of(db.session, current_user)
    return (brief_form(services), region_form(services),
            queries.briefs_in(db.session, [s.id for s in services]))


def _stored(brief_id: int) -> Brief:
    """A stored brief this person may read: every service it covers must be one of hers (404 otherwise)."""
    brief = get_or_404(db.session, current_user, Brief, brief_id)
    if not set(brief.region_service_ids or []) <= {s.id for s in services_of(db.session, current_user)}:
        abort(404)
    return brief


@bp.get("/")
@allow(*READERS)
def index():
    """Briefs already made, and the forms to make one for a service or for several side by side."""
    form, region, stored = _page()
    return render_template("reports/index.html", single=form, region=region, briefs=stored)


@bp.post("/region")
@keeps_typing
@allow(*READERS)
def create_region():
    """Make and store a regional brief comparing services this person may see (never others: the form offers
    only hers, and refuses any other id next to the field)."""
    form, region, stored = _page()

    def make():
        services = [get_or_404(db.session, current_user, Service, i) for i in region.service_ids.data]
        brief = operations.generate_region_brief(db.session, current_user.id, services, region.period_start.data,
                                                 region.period_end.data)
        flash("Regional brief ready. It is stored and will not change.", "success")
        return redirect(url_for("reports.index", _anchor=f"brief-{brief.id}"))

    return form_page(region, "reports/index.html", make, single=form, region=region, briefs=stored)


@bp.post("/")
@keeps_typing
@allow(*READERS)
def create():
    """Make and store a brief for a service and period."""
    form, region, stored = _page()

    def make():
        service = get_or_404(db.session, current_user, Service, form.service_id.data)
        brief = operations.generate_brief(db.session, current_user.id, service, form.period_start.data,
                                          form.period_end.data)
        flash("Brief ready. It is stored and will not change.", "success")
        return redirect(url_for("reports.index", _anchor=f"brief-{brief.id}"))

    return form_page(form, "reports/index.html", make, single=form, region=region, briefs=stored)


def _read(brief_id: int, action: str, needs_data: bool = True) -> Brief:
    """A stored brief this person may read, its reading audited; 404 for a page or JSON of a brief stored before
    briefs kept their data."""
    brief = _stored(brief_id)
    if needs_data and not brief.data:
        abort(404)
    operations.record_read(db.session, current_user.id, brief, action)
    return brief


def _attachment(brief: Brief, body, mimetype: str, extension: str) -> Response:
    """A brief's file as a download named after its service and period."""
    name = f"brief-{brief.service.slug}-{brief.period_start}-{brief.period_end}.{extension}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/<int:brief_id>.pdf")
@allow(*READERS)
def download(brief_id: int):
    """The stored PDF of a brief."""
    brief = _read(brief_id, "brief.download", needs_data=False)
    return _attachment(brief, brief.pdf, "application/pdf", "pdf")


@bp.get("/<int:brief_id>")
@allow(*READERS)
def show(brief_id: int):
    """A stored brief as a page: the same template and the same figures as its PDF."""
    brief = _read(brief_id, "brief.read")
    return render.html(brief.data, brief.made_on, brief.created_by.display_name,
                       stylesheet=url_for("static", filename="brief.css"))


@bp.get("/<int:brief_id>.json")
@allow(*READERS)
def download_json(brief_id: int):
    """A stored brief's published figures as JSON, the same as its PDF shows."""
    brief = _read(brief_id, "brief.download")
    return _attachment(brief, render.as_json(brief.data, brief.made_on), "application/json", "json")


def _file(body: bytes, mimetype: str, name: str) -> Response:
    # The name carries a framework's declared version, written by hand: only safe characters reach the header.
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name)
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{safe}"'})


@bp.get("/exports/codebook.qdc")
@allow(*READERS)
def export_codebook():
    """The framework in use as a REFI-QDA codebook, for researchers' analysis software."""
    version = current_version(db.session)
    if version is None:
        abort(503)
    operations.record_read(db.session, current_user.id, version, "framework_version.export")
    return _file(refi.codebook(version), "application/xml", f"ecotool-{version.key}-{version.declared_version}.qdc")


@bp.get("/exports/<int:service_id>/observations.qdpx")
@allow(*READERS)
def export_observations(service_id: int):
    """A service's observations marked shareable (those the privacy guard still passes) as a REFI-QDA project,
    coded by domain and kind."""
    service = get_or_404(db.session, current_user, Service, service_id)
    version = current_version(db.session)
    if version is None:
        abort(503)
    staff = tuple(staff_names(db.session, [service.id]))
    shared = [o for o in queries.shareable_observations(db.session, service.id) if quotable(o.text, staff)]
    operations.record_read(db.session, current_user.id, service, "service.export")
    body = refi.project(f"{service.name}: shareable observations", version, shared, utcnow())
    return _file(body, "application/zip", f"ecotool-{service.slug}-observations-{local_today()}.qdpx")

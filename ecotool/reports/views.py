"""Pages for commissioner briefs."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user

from ecotool.auth.access import allow, get_or_404
from ecotool.auth.queries import services_of
from ecotool.db import db
from ecotool.reports import operations, queries
from ecotool.reports.forms import brief_form
from ecotool.reports.models import Brief
from ecotool.services.models import Service
from ecotool.vocab import Role
from ecotool.web import form_page, keeps_typing

bp = Blueprint("reports", __name__, url_prefix="/briefs")
READERS = (Role.COMMISSIONER, Role.SUPERVISOR, Role.ADMIN)


def _page() -> tuple:
    services = services_of(db.session, current_user)
    return brief_form(services), queries.briefs_in(db.session, [s.id for s in services])


@bp.get("/")
@allow(*READERS)
def index():
    """Briefs already made, and the form to make one."""
    form, stored = _page()
    return render_template("reports/index.html", form=form, briefs=stored)


@bp.post("/")
@keeps_typing
@allow(*READERS)
def create():
    """Make and store a brief for a service and period."""
    form, stored = _page()

    def make():
        service = get_or_404(db.session, current_user, Service, form.service_id.data)
        brief = operations.generate_brief(db.session, current_user.id, service, form.period_start.data,
                                          form.period_end.data)
        flash("Brief ready. It is stored and will not change.", "success")
        return redirect(url_for("reports.index", _anchor=f"brief-{brief.id}"))

    return form_page(form, "reports/index.html", make, briefs=stored)


@bp.get("/<int:brief_id>.pdf")
@allow(*READERS)
def download(brief_id: int):
    """The stored PDF of a brief."""
    brief = get_or_404(db.session, current_user, Brief, brief_id)
    name = f"brief-{brief.service.slug}-{brief.period_start}-{brief.period_end}.pdf"
    return Response(brief.pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

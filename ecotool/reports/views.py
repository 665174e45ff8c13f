"""Pages for commissioner briefs."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ecotool.auth.access import roles_required, service_or_404, services_of
from ecotool.db import db
from ecotool.reports import brief as briefs
from ecotool.reports.forms import BriefForm
from ecotool.reports.models import Brief
from ecotool.web import form_page

bp = Blueprint("reports", __name__, url_prefix="/briefs")
READERS = ("commissioner", "supervisor", "admin")


def _form() -> BriefForm:
    form = BriefForm()
    form.service_id.choices = [(s.id, s.name) for s in services_of(db.session, current_user)]
    return form


def _stored() -> list[Brief]:
    ids = [s.id for s in services_of(db.session, current_user)]
    return list(db.session.scalars(
        select(Brief).where(Brief.service_id.in_(ids)).order_by(Brief.created_at.desc(), Brief.id.desc())
    ))


@bp.get("/")
@roles_required(*READERS)
def index():
    """Briefs already made, and the form to make one."""
    return render_template("reports/index.html", form=_form(), briefs=_stored())


@bp.post("/")
@roles_required(*READERS)
def create():
    """Make and store a brief for a service and period."""
    form = _form()

    def make():
        service = service_or_404(db.session, current_user, form.service_id.data)
        brief = briefs.generate(db.session, current_user.id, service, form.period_start.data, form.period_end.data)
        flash("Brief ready. It is stored and will not change.", "success")
        return redirect(url_for("reports.index", _anchor=f"brief-{brief.id}"))

    return form_page(form, "reports/index.html", make, briefs=_stored())


@bp.get("/<int:brief_id>.pdf")
@roles_required(*READERS)
def download(brief_id: int):
    """The stored PDF of a brief."""
    brief = db.session.get(Brief, brief_id)
    if brief is None or brief.service_id not in [s.id for s in services_of(db.session, current_user)]:
        abort(404)
    name = f"brief-{brief.service.slug}-{brief.period_start}-{brief.period_end}.pdf"
    return Response(brief.pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})

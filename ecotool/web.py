"""Small helpers shared by the thin views."""
from __future__ import annotations

from typing import Callable

from flask import flash, render_template, request
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ecotool.db import db
from ecotool.errors import OperationError

INVALID = 422


def refuse(form: FlaskForm, error: OperationError) -> None:
    """Show an operation's refusal next to its field (or at the top when it names none)."""
    db.session.rollback()
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        flash(error.message, "error")


def invalid(template: str, **context) -> tuple[str, int]:
    """Render a form page again with its errors and a 4xx status."""
    return render_template(template, **context), INVALID


def form_page(form: FlaskForm, template: str, action: Callable[[], Response | str], **context):
    """Run `action` for a valid submission; otherwise show the form, with a 4xx after a failed POST."""
    if form.validate_on_submit():
        try:
            return action()
        except OperationError as error:
            refuse(form, error)
    if request.method == "POST":
        _summarise(form)
        return invalid(template, form=form, **context)
    return render_template(template, form=form, **context)


def _summarise(form: FlaskForm) -> None:
    """Say at the top which fields need a look, and ask for a fresh confirmation of names."""
    labels = [f.label.text for f in form if f.errors and f.type not in ("CSRFTokenField", "HiddenField")]
    for f in form:
        if f.type == "FieldList":
            labels += [entry.label.text for entry in f if entry.errors]
    if labels:
        flash("Not saved yet. Please check: " + "; ".join(dict.fromkeys(labels)) + ".", "error")
    confirm = getattr(form, "confirm_names", None)
    if confirm is not None:
        # A tick given for one text must not carry over to the next.
        confirm.data, confirm.raw_data = False, []

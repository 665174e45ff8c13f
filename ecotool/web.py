"""Small helpers shared by the thin views."""
from __future__ import annotations

from flask import flash, render_template
from flask_wtf import FlaskForm

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

"""Small helpers shared by the thin views, and the rule for when a request's work is kept."""
from __future__ import annotations

from typing import Callable

from flask import Flask, flash, has_request_context, message_flashed, render_template, request
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ecotool.errors import OperationError

INVALID = 422
_FAILED = "ecotool.failed"  # kept on the request itself, never shared with another request


def succeeded(status_code: int) -> bool:
    """Whether this request's work may be committed: the view answered without an error status and
    flashed no error. A view that reports a failure and redirects (a 302) keeps nothing it wrote."""
    return status_code < 400 and not (has_request_context() and request.environ.get(_FAILED, False))


def mark_failed() -> None:
    """Record that this request failed, so nothing it wrote is committed."""
    if has_request_context():
        request.environ[_FAILED] = True


def _note_failure(_app: Flask, message: str, category: str) -> None:
    if category == "error":
        mark_failed()


def watch_failures(app: Flask) -> None:
    """Count any error flashed during a request as a failure of that request."""
    message_flashed.connect(_note_failure, app)


def refuse(form: FlaskForm, error: OperationError) -> None:
    """Show an operation's refusal next to its field (or at the top when it names none)."""
    mark_failed()
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

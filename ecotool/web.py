"""Small helpers shared by the thin views, and the rule for when a request's work is kept."""
from __future__ import annotations

from typing import Callable

from flask import Flask, flash, has_request_context, message_flashed, redirect, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

from ecotool import audit, submissions
from ecotool.db import db
from ecotool.errors import OperationError, StaleEdit

INVALID = 422
_FAILED = "ecotool.failed"  # kept on the request itself, never shared with another request


_KEEP = "ecotool.keep_refusal"


def succeeded(status_code: int) -> bool:
    """Whether this request's work may be committed: the view answered without an error status (or with a
    refusal it asked to keep) and flashed no error. A view that reports a failure and redirects (a 302) keeps
    nothing it wrote."""
    if has_request_context() and request.environ.get(_FAILED, False):
        return False
    return status_code < 400 or (status_code < 500 and has_request_context() and request.environ.get(_KEEP, False))


def keep_refusal() -> None:
    """Let this refused request (4xx) keep what it wrote: only for a refusal whose one write is its own audit
    entry (a failed sign-in), which must outlast the refusal."""
    if has_request_context():
        request.environ[_KEEP] = True


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


def submitted(form: FlaskForm, action: Callable[[], Response]) -> Response | None:
    """For one of several forms on a page: run `action` for a valid submission and return its response; after
    invalid input or a refusal (shown next to its field), mark the request failed and return None, for the caller
    to draw its page again with a 4xx."""
    if form.validate_on_submit():
        try:
            return action()
        except OperationError as error:
            refuse(form, error)
    mark_failed()
    return None


def invalid(template: str, **context) -> tuple[str, int]:
    """Render a form page again with its errors and a 4xx status."""
    return render_template(template, **context), INVALID


EXPIRED = ("This page was open so long that its security check ran out, so nothing was saved yet. "
           "Everything you typed is still here: check it and save again.")
ALREADY_SAVED = "That was saved already (it was sent twice); here it is."


def keeps_typing(view: Callable) -> Callable:
    """Mark a form view to be shown again with what was typed when its CSRF token has expired, instead
    of an error page. Only for views that act through `form_page`, which refuses the expired form."""
    view.keeps_typing = True
    return view


def form_page(form: FlaskForm, template: str, action: Callable[[], Response | str], **context):
    """Run `action` for a valid submission; otherwise show the form, with a 4xx after a failed POST.

    A form with a one-time token (`forms.SentOnce`) is acted on once: a copy of a saved submission is
    sent to the page the first led to, and creates nothing."""
    if form.validate_on_submit():
        token = getattr(form, "once", None)
        token = token.data if token is not None else None
        sent = _sent_before(token) if token else None
        if sent is not None:
            return sent
        def run():
            return _unless_stale(form, template, action, context)

        try:
            return _once(token, run) if token else run()
        except OperationError as error:
            refuse(form, error)
        except IntegrityError:
            # The same submission, sent at the same moment, was saved by the other request; the savepoint
            # in _once has undone this one's writes.
            sent = _sent_before(token)
            if sent is None:
                raise
            return sent
    if request.method == "POST":
        _summarise(form)
        return invalid(template, form=form, **context)
    return render_template(template, form=form, **context)


STALE = 409


def _unless_stale(form: FlaskForm, template: str, action: Callable[[], Response | str], context: dict):
    """Run the action; if someone else saved the record since this page was read, show the page again with what
    she typed, what is saved now and who saved it, and a 409. Her own save sent twice (a double tap: she made
    the last change, and what she sends is what is saved) simply goes through."""
    try:
        return action()
    except StaleEdit as stale:
        record = stale.record
        db.session.refresh(record)
        form.read_at(record.version)
        changed = form.meanwhile(record)
        by = audit.last_change(db.session, record)
        if not changed and by is not None and by.actor_id == current_user.id:
            return action()
        mark_failed()
        flash(stale.message, "error")
        meanwhile = {"changed": changed, "by": by}
        return render_template(template, form=form, meanwhile=meanwhile, **context), STALE


def _sent_before(token: str) -> Response | None:
    """The page a saved submission with this token led to, if there is one."""
    earlier = submissions.earlier(db.session, token, current_user.id)
    if earlier is None:
        return None
    flash(ALREADY_SAVED, "info")
    return redirect(earlier.location)


def _once(token: str, action: Callable[[], Response | str]):
    with db.session.begin_nested():
        response = action()
        if isinstance(response, Response) and 300 <= response.status_code < 400 and succeeded(200):
            db.session.add(submissions.Submission(token=token, person_id=current_user.id,
                                                  location=response.location))
            db.session.flush()
    return response


def _summarise(form: FlaskForm) -> None:
    """Say at the top which fields need a look, and ask for a fresh confirmation of names."""
    csrf = getattr(form, "csrf_token", None)
    if csrf is not None and csrf.errors:
        flash(EXPIRED, "error")
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


# The largest id an integer column holds on both databases; a larger one in a URL is simply not found.
LARGEST_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a whole number up to LARGEST_ID (a larger one is a 404, not a database error)."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def id_value(text: str) -> int:
    """A whole number from a query string that fits an id column (or a page number); anything else counts as
    absent, since `request.args.get(..., type=id_value)` treats its ValueError so."""
    number = int(text)
    if not 0 <= number <= LARGEST_ID:
        raise ValueError(text)
    return number

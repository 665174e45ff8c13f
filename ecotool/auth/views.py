"""Sign in, sign out, and the home page that sends each role where it works."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ecotool.auth import queries
from ecotool.auth.access import public, signed_in
from ecotool.auth.forms import LoginForm
from ecotool.auth.models import Person
from ecotool.auth.operations import authenticate, record_sign_out
from ecotool.db import db
from ecotool.extensions import limiter, login_manager
from ecotool.vocab import Role
from ecotool.web import invalid, keep_refusal

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {
    Role.PEER_SUPPORTER: "capture.caseload",
    Role.SUPERVISOR: "supervision.index",
    Role.COMMISSIONER: "reports.index",
    Role.ADMIN: "admin.index",
}


@login_manager.user_loader
def _load_person(person_id: str) -> Person | None:
    return queries.person(db.session, int(person_id))


def _local_path(target: str) -> bool:
    """Whether a sign-in's "next" is a path on this site: it starts with one slash, and holds no backslash, no
    control character or space (browsers drop a tab or a newline, so "/\t/evil.example" would become
    "//evil.example", another host) and no scheme or host of its own."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    if any(ord(c) < 33 or ord(c) == 127 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def _login_limit() -> str:
    return current_app.config["ECOTOOL_LOGIN_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Sign in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        person = authenticate(db.session, form.email.data, form.password.data)
        if person is not None:
            login_user(person)
            target = request.args.get("next", "")
            return redirect(target if _local_path(target) else url_for("auth.home"))
        form.password.errors.append("That e-mail and password do not match.")
        keep_refusal()  # the refused sign-in's audit entry is all it wrote, and it must be kept
    if request.method == "POST":
        return invalid("auth/login.html", form=form)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@signed_in
def logout():
    """Sign out."""
    record_sign_out(db.session, current_user._get_current_object())
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/")
@signed_in
def home():
    """Send each role to the page it starts from."""
    return redirect(url_for(HOME_BY_ROLE[Role(current_user.role)]))

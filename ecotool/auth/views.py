"""Sign in, sign out, and the home page that sends each role where it works."""
from __future__ import annotations

from urllib.parse import urlsplit

import hashlib
import secrets
import time
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from ecotool.auth.access import public, signed_in
from ecotool.auth import two_factor as totp
from ecotool.auth.forms import CodeForm, LoginForm, PasswordForm, SignOutEverywhereForm, TwoFactorForm
from ecotool.auth.models import Person
from ecotool.auth.operations import (
    authenticate, check_second_factor, end_sign_in, end_sign_ins, enrol_totp, resume_sign_in, set_password,
    start_sign_in,
)
from ecotool.auth import queries
from ecotool.auth.queries import recovery_codes_left
from ecotool.db import db
from ecotool.extensions import limiter, login_manager
from ecotool.vocab import Role
from ecotool.web import form_page, invalid, keep_refusal

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {
    Role.PEER_SUPPORTER: "capture.caseload",
    Role.SUPERVISOR: "supervision.index",
    Role.COMMISSIONER: "reports.index",
    Role.ADMIN: "admin.index",
}


SIGN_IN = "sign_in"  # the key of the browser's sign-in token in its (signed) session cookie
TIMED_OUT = {
    "idle": "You were signed out after {idle} minutes without using ecotool. Please sign in again.",
    "time limit": "You were signed out after {hours} hours. Please sign in again.",
}
# Pages she may open before she has chosen her own password, or set up a second factor her role needs.
_FIRST_THINGS = {"auth.password", "auth.two_factor", "auth.logout", "static"}
PENDING = "second_factor"  # the person whose password was right, waiting for her code (5 minutes)
PENDING_SECONDS = 300
ENROL = "totp_nonce"  # while she sets up her app: the nonce its secret is made from (never the secret)


@login_manager.user_loader
def _load_person(person_id: str) -> Person | None:
    # The cookie names a person, but only a sign-in that has not ended (on the server) lets her in.
    config = current_app.config
    person, why = resume_sign_in(
        db.session, int(person_id), session.get(SIGN_IN),
        idle=timedelta(minutes=config["ECOTOOL_IDLE_MINUTES"]), longest=timedelta(hours=config["ECOTOOL_SESSION_HOURS"]))
    if person is None:
        session.clear()
        if why:
            flash(TIMED_OUT[why].format(idle=config["ECOTOOL_IDLE_MINUTES"], hours=config["ECOTOOL_SESSION_HOURS"]),
                  "info")
    return person


def two_factor_required(person: Person) -> bool:
    """Whether her role must sign in with an authenticator app too (set per deployment)."""
    roles = {r.strip() for r in current_app.config["ECOTOOL_TWO_FACTOR_ROLES"].split(",")}
    return person.role in roles


def first_things_first():
    """Before anything else a request does (registered ahead of the CSRF check, so no view is reached another
    way): decide who is signed in from this request's own cookie; then someone who signed in with a one-time
    password chooses her own, and someone whose role needs it sets up her authenticator app."""
    # A server gives every request a fresh `g`; the tests keep one app context across requests, where `g` would
    # carry the last request's person.
    g.pop("_login_user", None)
    if request.endpoint in _FIRST_THINGS or not current_user.is_authenticated:
        return None
    if current_user.must_set_password:
        return redirect(url_for("auth.password"))
    if current_user.totp_secret is None and two_factor_required(current_user):
        return redirect(url_for("auth.two_factor"))
    return None


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


def _address_limit() -> str:
    return current_app.config["ECOTOOL_LOGIN_LIMIT"]


def _account_limit() -> str:
    return current_app.config["ECOTOOL_ACCOUNT_LIMIT"]


def _address_key() -> str:
    """The throttle's key for the address an attempt comes from (under the deployment's prefix)."""
    return f"{current_app.config['ECOTOOL_THROTTLE_PREFIX']}:address:{get_remote_address()}"


def _account_key() -> str:
    """The throttle's key for the account an attempt names: a hash of the e-mail typed (never the e-mail)."""
    typed = request.form.get("email", "").strip().lower()
    return f"{current_app.config['ECOTOOL_THROTTLE_PREFIX']}:account:{hashlib.sha256(typed.encode()).hexdigest()}"


def _pending_key() -> str:
    """The throttle's key for a second-factor attempt: the person waiting for her code."""
    pending = session.get(PENDING) or {}
    return f"{current_app.config['ECOTOOL_THROTTLE_PREFIX']}:code:{pending.get('id', '')}"


def _own_key() -> str:
    """The throttle's key for a signed-in person checking her own password or code again."""
    return f"{current_app.config['ECOTOOL_THROTTLE_PREFIX']}:own:{current_user.get_id()}"


def _failed(response) -> bool:
    # Only failed attempts count: a team signing in behind one address is not locked out by its own use.
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed, key_func=_address_key)
@limiter.limit(_account_limit, methods=["POST"], deduct_when=_failed, key_func=_account_key)
def login():
    """Sign in with e-mail and password."""
    if request.is_json:
        # Only the page's own form signs in: the per-account throttle reads the e-mail from a form.
        abort(415)
    form = LoginForm()
    if form.validate_on_submit():
        person = authenticate(db.session, form.email.data, form.password.data)
        if person is not None:
            # A fresh cookie: nothing from before sign-in (its CSRF token included) carries over.
            session.clear()
            if person.totp_secret:
                session[PENDING] = {"id": person.id, "at": int(time.time())}
                return redirect(url_for("auth.second_factor", next=_next_path()))
            return _signed_in_as(person)
        form.password.errors.append("That e-mail and password do not match.")
        keep_refusal()  # the refused sign-in's audit entry is all it wrote, and it must be kept
    if request.method == "POST":
        return invalid("auth/login.html", form=form)
    return render_template("auth/login.html", form=form)


def _next_path() -> str | None:
    target = request.args.get("next", "")
    return target if _local_path(target) else None


def _signed_in_as(person: Person):
    """Start her session (both factors checked) and send her where she was going."""
    session[SIGN_IN] = start_sign_in(db.session, person)
    login_user(person)
    return redirect(_next_path() or url_for("auth.home"))


def _pending_person() -> Person | None:
    """The person whose password was right in the last five minutes and who now owes her code."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    person = queries.person(db.session, int(pending.get("id", 0)))
    return person if person is not None and person.active and person.totp_secret else None


@bp.route("/login/code", methods=["GET", "POST"])
@public
@limiter.limit(_account_limit, methods=["POST"], deduct_when=_failed, key_func=_pending_key)
def second_factor():
    """The second step of signing in: the code from her authenticator app, or a recovery code."""
    person = _pending_person()
    if person is None:
        session.pop(PENDING, None)
        flash("Please sign in again.", "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if check_second_factor(db.session, person, form.code.data):
            session.clear()
            return _signed_in_as(person)
        form.code.errors.append("That code is not right. Type the six digits your app shows now, or a recovery code.")
        keep_refusal()  # the refused code's audit entry must be kept
    if request.method == "POST":
        return invalid("auth/code.html", form=form)
    return render_template("auth/code.html", form=form)


@bp.post("/logout")
@signed_in
def logout():
    """Sign out."""
    end_sign_in(db.session, current_user._get_current_object(), session.get(SIGN_IN))
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@signed_in
def account():
    """Her account: change her password, sign out on every device."""
    me = current_user._get_current_object()
    return render_template("auth/account.html", everywhere=SignOutEverywhereForm(),
                           codes_left=recovery_codes_left(db.session, me), required=two_factor_required(me))


@bp.route("/account/two-factor", methods=["GET", "POST"])
@signed_in
@limiter.limit(_account_limit, methods=["POST"], deduct_when=_failed, key_func=_own_key)
def two_factor():
    """Set up her authenticator app (again, for a new phone): scan the QR code, type the code it shows, keep
    the recovery codes."""
    me = current_user._get_current_object()
    nonce = session.get(ENROL) or secrets.token_urlsafe(16)
    session[ENROL] = nonce
    secret = totp.new_secret(current_app.config["SECRET_KEY"], me.id, nonce)
    form = TwoFactorForm()

    def save():
        codes = enrol_totp(db.session, me, secret, form.code.data, form.current.data, keep=session.get(SIGN_IN))
        session.pop(ENROL, None)
        return render_template("auth/recovery_codes.html", codes=codes)

    return form_page(form, "auth/two_factor.html", save, qr=totp.qr_data_uri(totp.app_address(me, secret)),
                     secret=totp.spaced(secret), required=two_factor_required(me))


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
@limiter.limit(_account_limit, methods=["POST"], deduct_when=_failed, key_func=_own_key)
def password():
    """Choose a new password (her first, after a one-time password)."""
    form = PasswordForm()
    me = current_user._get_current_object()

    def save():
        set_password(db.session, me, form.current.data, form.password.data, keep=session.get(SIGN_IN))
        flash("Your password is saved. Any other device you were signed in on is signed out.", "success")
        return redirect(url_for("auth.home"))

    return form_page(form, "auth/password.html", save)


@bp.post("/account/sign-out-everywhere")
@signed_in
def sign_out_everywhere():
    """End every signed-in session of hers, this one too."""
    if not SignOutEverywhereForm().validate_on_submit():
        return redirect(url_for("auth.account"))
    me = current_user._get_current_object()
    count = end_sign_ins(db.session, me.id, me, "everywhere")
    logout_user()
    session.clear()
    flash(f"You are signed out everywhere ({count} {'device' if count == 1 else 'devices'}).", "info")
    return redirect(url_for("auth.login"))


@bp.get("/")
@signed_in
def home():
    """Send each role to the page it starts from."""
    return redirect(url_for(HOME_BY_ROLE[Role(current_user.role)]))

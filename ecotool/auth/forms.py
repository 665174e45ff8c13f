"""Sign-in and password forms."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField("Sign in")


class PasswordForm(FlaskForm):
    """Choose a new password (the current one asked for unless she signed in with a one-time password)."""

    current = PasswordField("Current password", validators=[Length(max=200)],
                            render_kw={"autocomplete": "current-password"})
    password = PasswordField(
        "New password", validators=[DataRequired(), Length(max=200)],
        description="At least 12 characters. A few unrelated words are long and easy to remember.",
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("New password again",
                            validators=[DataRequired(), EqualTo("password", "The two do not match.")],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Save password")


class CodeForm(FlaskForm):
    """The six digits her authenticator app shows (or, at sign-in, one of her recovery codes)."""

    code = StringField("Code", validators=[DataRequired("Type the code."), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    submit = SubmitField("Continue")


class TwoFactorForm(CodeForm):
    """Set up her authenticator app: its code, and (when it replaces one already set up) her password."""

    current = PasswordField("Your password", validators=[Length(max=200)],
                            render_kw={"autocomplete": "current-password"},
                            description="Asked because this replaces the app you use now.")


class SignOutEverywhereForm(FlaskForm):
    """One button: end every signed-in session of hers, on every device."""

    submit = SubmitField("Sign out everywhere")

"""Forms for setting up services and people."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import EmailField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from ecotool.auth.models import ROLE_NAMES
from ecotool.forms import optional_int


class ServiceForm(FlaskForm):
    """A new service."""

    slug = StringField("Short name (slug)", validators=[DataRequired(), Length(max=60),
                       Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message="Lowercase letters, digits and hyphens only.")],
                       description="Used in commands and links, e.g. north-shore")
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    case_prefix = StringField("Case prefix", validators=[Optional(), Regexp(r"^[A-Z]{2,4}$",
                              message="2 to 4 capital letters.")], description="Starts every case reference, e.g. NS")
    submit = SubmitField("Create service")


class PersonForm(FlaskForm):
    """A new person with a login."""

    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    display_name = StringField("Name shown to colleagues", validators=[DataRequired(), Length(max=120)])
    role = SelectField("Role", choices=list(ROLE_NAMES.items()), validators=[DataRequired()])
    service = SelectField("Service", validators=[Optional()])
    supervisor_id = SelectField("Supervisor", coerce=optional_int, validators=[Optional()])
    submit = SubmitField("Create person")


class ImportForm(FlaskForm):
    """Upload a CSV of existing cases or contact attempts."""

    service = SelectField("Service", validators=[DataRequired()])
    kind = RadioField("What the file holds", choices=[("cases", "Cases"), ("contacts", "Contact attempts")],
                      default="cases", validators=[DataRequired()])
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file."),
                                             FileAllowed(["csv"], "Upload a .csv file.")],
                     description="Columns as listed below; first row is the header. Nothing is imported if any row is wrong.")
    submit = SubmitField("Import")

"""Forms for setting up services and people, and the factories that fill their choices."""
from __future__ import annotations

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import EmailField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from ecotool.auth.queries import supervisors
from ecotool.forms import optional_int
from ecotool.services.models import PREFIX_PATTERN, SLUG_PATTERN
from ecotool.services.queries import all_services
from ecotool.vocab import ImportKind, Role


class ServiceForm(FlaskForm):
    """A new service."""

    slug = StringField("Short name (slug)", validators=[DataRequired(), Length(max=60),
                       Regexp(SLUG_PATTERN, message="Lowercase letters, digits and hyphens only.")],
                       description="Used in commands and links, e.g. north-shore")
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    case_prefix = StringField("Case prefix", validators=[Optional(), Regexp(PREFIX_PATTERN,
                              message="2 to 4 capital letters.")], description="Starts every case reference, e.g. NS")
    submit = SubmitField("Create service")


class PersonForm(FlaskForm):
    """A new person with a login."""

    email = EmailField("E-mail", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    display_name = StringField("Name shown to colleagues", validators=[DataRequired(), Length(max=120)])
    role = SelectField("Role", choices=Role.choices(), validators=[DataRequired()])
    service = SelectField("Service", validators=[Optional()])
    supervisor_id = SelectField("Supervisor", coerce=optional_int, validators=[Optional()])
    submit = SubmitField("Create person")


class ImportForm(FlaskForm):
    """Upload a CSV of existing cases or contact attempts."""

    service = SelectField("Service", validators=[DataRequired()])
    kind = RadioField("What the file holds", choices=ImportKind.choices(), default=ImportKind.CASES,
                      validators=[DataRequired()])
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file."),
                                             FileAllowed(["csv"], "Upload a .csv file.")],
                     description="Columns as listed below; first row is the header. Nothing is imported if any row is wrong.")
    submit = SubmitField("Import")


def person_form(session: Session) -> PersonForm:
    """A new-person form offering every service and every supervisor."""
    form = PersonForm()
    form.service.choices = [("", "None (administrators only)")] + [(s.slug, s.name) for s in all_services(session)]
    form.supervisor_id.choices = [("", "None")] + [(p.id, p.display_name) for p in supervisors(session)]
    return form


def import_form(session: Session) -> ImportForm:
    """An import form offering every service."""
    form = ImportForm()
    form.service.choices = [(s.slug, s.name) for s in all_services(session)]
    return form

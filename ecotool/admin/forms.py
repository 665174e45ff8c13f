"""Forms for setting up services and people, and the factories that fill their choices."""
from __future__ import annotations

from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, EmailField, IntegerField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp

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


def _births(quintile: int) -> IntegerField:
    """The births field of one quintile."""
    return IntegerField(f"Births in quintile {quintile}", validators=[
        InputRequired("Enter the births in this quintile (0 if none)."),
        NumberRange(min=0, max=1_000_000, message="A whole number from 0 to 1,000,000.")])


class PopulationForm(FlaskForm):
    """Births per deprivation quintile in a service's area over a period."""

    period_start = DateField("From", validators=[InputRequired("Enter the first day.")])
    period_end = DateField("To", validators=[InputRequired("Enter the last day.")])
    q1, q2, q3, q4, q5 = (_births(q) for q in range(1, 6))
    submit = SubmitField("Save births")

    def births(self) -> list[int]:
        """The births in quintiles 1 to 5, as entered."""
        return [self.q1.data, self.q2.data, self.q3.data, self.q4.data, self.q5.data]


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

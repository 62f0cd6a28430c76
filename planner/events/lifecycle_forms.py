"""Forms of a round's life cycle (organisers only): the registration rules, cloning, and the
buttons that change a round or a registration; field validators only."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from planner.text.fields import LocalDateField, LocalTimeField
from planner.text.i18n import _l

SLUG = Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Use lower-case Latin letters, digits and hyphens."))


class RegistrationRulesForm(FlaskForm):
    deadline_day = LocalDateField(_l("Registration deadline: day"), validators=[Optional()])
    deadline_time = LocalTimeField(_l("Time (Tehran)"), validators=[Optional()])
    approve_firms = BooleanField(_l("Firms that join wait for an organiser's approval"))
    submit = SubmitField(_l("Save the registration rules"))


class CloneForm(FlaskForm):
    exhibition_id = SelectField(_l("Exhibition whose days the new round uses"), coerce=int,
                                validators=[NumberRange(min=1, message=_l("Choose an exhibition."))])
    slug = StringField(_l("Short name (in the address)"), validators=[DataRequired(), Length(max=80), SLUG])
    name_fa = StringField(_l("Name in Persian"), validators=[Optional(), Length(max=300)])
    name_ru = StringField(_l("Name in Russian"), validators=[Optional(), Length(max=300)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Create the new round"))


class ActionForm(FlaskForm):
    """A button that changes something (archive, restore, delete, approve, refuse): CSRF only."""

    submit = SubmitField(_l("Confirm"))

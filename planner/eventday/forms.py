"""Forms of the event day: the backfill's day and start time."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, SubmitField
from wtforms.validators import DataRequired, InputRequired

from planner.text.fields import LocalTimeField
from planner.text.i18n import _l


class BackfillForm(FlaskForm):
    """Re-plan the day `day` from `start` (the event's local time) onwards."""

    day = SelectField(_l("Day"), validators=[DataRequired(message=_l("Choose a day."))])
    start = LocalTimeField(_l("Re-plan from (local time)"), validators=[InputRequired(message=_l("Give the time to re-plan from."))])
    submit = SubmitField(_l("Prepare the new plan"))

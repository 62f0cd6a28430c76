"""The feedback form of one meeting, answered by one side."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from planner.models.enums import FollowUp
from planner.outcomes.services import FOLLOW_UP_LABELS, RATINGS
from planner.text.i18n import _l


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class FeedbackForm(FlaskForm):
    held = RadioField(_l("Did the meeting take place?"), choices=[SelectChoice("1", _l("Yes")), SelectChoice("0", _l("No"))],
                      validators=[DataRequired(message=_l("Say whether the meeting took place."))])
    rating = RadioField(_l("How useful was it?"), choices=[SelectChoice(str(n), str(n)) for n in RATINGS],
                        validators=[Optional()])
    follow_up = RadioField(_l("What did you agree to do next?"),
                           choices=[SelectChoice(code.value, label) for code, label in FOLLOW_UP_LABELS.items()],
                           default=FollowUp.NONE, validators=[Optional()])
    note = TextAreaField(_l("Anything else (optional)"), filters=[_strip],
                         validators=[Length(max=2000, message=_l("At most %(max)d characters."))])
    submit = SubmitField(_l("Save my answers"))

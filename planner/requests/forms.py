"""Forms for meeting requests: asking for a meeting, and answering or withdrawing one."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from planner.models.enums import RequestPriority
from planner.text.i18n import _l


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class RequestForm(FlaskForm):
    """A request to meet one firm; organisers may accept it on both firms' behalf at once."""

    target = HiddenField(validators=[DataRequired(message=_l("Choose the firm to meet."))])
    priority = RadioField(_l("Priority"), choices=[SelectChoice(RequestPriority.MUST, _l("We must meet this firm")),
                                                   SelectChoice(RequestPriority.WOULD_LIKE, _l("We would like to meet this firm"))],
                          default=RequestPriority.WOULD_LIKE, validators=[DataRequired(message=_l("Choose a priority."))])
    message = TextAreaField(_l("Message to the firm"), filters=[_strip], validators=[
        Length(max=1000, message=_l("At most %(max)d characters."))])
    accept = BooleanField(_l("Record as accepted by both firms (organisers)"))
    submit = SubmitField(_l("Send the request"))


class RespondForm(FlaskForm):
    """Accept, decline (with an optional reason) or withdraw."""

    reason = TextAreaField(_l("Reason (optional)"), filters=[_strip], validators=[
        Length(max=500, message=_l("At most %(max)d characters."))])

"""Log-in, registration and password reset forms."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from planner.accounts.services import MIN_PASSWORD_LENGTH
from planner.text.i18n import _l, local_digits, ngettext


class MinimumLength:
    """Like wtforms' Length(min=…), with the number in the reader's digits."""

    def __init__(self, minimum: int):
        self.minimum = minimum
        self.field_flags = {"minlength": minimum}

    def __call__(self, form, field):
        if field.data and len(field.data) < self.minimum:
            raise ValidationError(ngettext("The password must have at least %(num)s character.",
                                           "The password must have at least %(num)s characters.",
                                           self.minimum, num=local_digits(self.minimum)))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=_l("Please enter your e-mail.")),
                                                 Email(message=_l("This is not a valid e-mail address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Please enter your password."))])
    remember = BooleanField(_l("Remember me"))
    submit = SubmitField(_l("Log in"))


class RegisterForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(message=_l("Please enter your name.")), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=_l("Please enter your e-mail.")),
                                                 Email(message=_l("This is not a valid e-mail address."))])
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Please choose a password.")),
            MinimumLength(MIN_PASSWORD_LENGTH),
        ],
    )
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[EqualTo("password", message=_l("The two passwords differ."))])
    locale = SelectField(_l("Preferred language"), choices=[SelectChoice("fa", "فارسی"), SelectChoice("ru", "Русский"),
                                                                  SelectChoice("en", "English")])
    submit = SubmitField(_l("Create account"))


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=_l("Please enter your e-mail.")),
                                                 Email(message=_l("This is not a valid e-mail address."))])
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=_l("Please choose a password.")),
            MinimumLength(MIN_PASSWORD_LENGTH),
        ],
    )
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[EqualTo("password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Set new password"))

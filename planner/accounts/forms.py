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


# Attributes that let browsers and password managers fill the fields in (render_kw); e-mail
# addresses and passwords read left to right on Persian pages too.
_LTR = {"dir": "ltr"}


def _email(autocomplete: str = "email"):
    """The e-mail field every account form asks for."""
    return EmailField(_l("E-mail"), validators=[DataRequired(message=_l("Please enter your e-mail.")),
                                                Email(message=_l("This is not a valid e-mail address."))],
                      render_kw={**_LTR, "autocomplete": autocomplete})


def _new_password(label, description: str = ""):
    """A new password of at least MIN_PASSWORD_LENGTH characters and its repetition (`password`,
    `confirm`), as registration and reset ask for it."""
    typed = {**_LTR, "autocomplete": "new-password"}
    return (PasswordField(label, description=description, render_kw=typed,
                          validators=[DataRequired(message=_l("Please choose a password.")), MinimumLength(MIN_PASSWORD_LENGTH)]),
            PasswordField(_l("Repeat the password"), render_kw=typed,
                          validators=[EqualTo("password", message=_l("The two passwords differ."))]))


class LoginForm(FlaskForm):
    email = _email(autocomplete="username")
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Please enter your password."))],
                             render_kw={**_LTR, "autocomplete": "current-password"})
    remember = BooleanField(_l("Remember me"))
    submit = SubmitField(_l("Log in"))


class RegisterForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(message=_l("Please enter your name.")), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    email = _email()
    password, confirm = _new_password(_l("Password"), _l("At least 10 characters."))
    locale = SelectField(_l("Preferred language"), choices=[SelectChoice("fa", "فارسی"), SelectChoice("ru", "Русский"),
                                                                  SelectChoice("en", "English")])
    submit = SubmitField(_l("Create account"))


class ResetRequestForm(FlaskForm):
    email = _email()
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(FlaskForm):
    password, confirm = _new_password(_l("New password"))
    submit = SubmitField(_l("Set new password"))

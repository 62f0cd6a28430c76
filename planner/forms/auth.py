"""Log-in, registration and password reset forms."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from planner.i18n import _l
from planner.services.accounts import MIN_PASSWORD_LENGTH


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
            Length(min=MIN_PASSWORD_LENGTH, message=_l("The password must have at least %(min)d characters.")),
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
            Length(min=MIN_PASSWORD_LENGTH, message=_l("The password must have at least %(min)d characters.")),
        ],
    )
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[EqualTo("password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Set new password"))

"""Log-in, log-out, registration and password reset."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from planner.accounts import services as accounts
from planner.accounts.forms import LoginForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from planner.errors import ServiceError
from planner.extensions import db
from planner.text.i18n import _, current_locale

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(default: str) -> str:
    target = request.args.get("next") or ""
    parts = urlsplit(target)
    return target if target.startswith("/") and not parts.netloc and not target.startswith("//") else default


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in; failed attempts are counted per e-mail and address."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data, request.remote_addr)
        except ServiceError as error:
            db.session.commit()  # keep the failed attempt for rate limiting
            flash(error.message, "error")
            status = 401
        else:
            db.session.commit()
            login_user(user, remember=form.remember.data)
            if user.locale:
                session["lang"] = user.locale
            flash(_("Welcome back."), "success")
            return redirect(_safe_next(url_for("main.home")))
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create a firm member's account; the firm profile is filled in next."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = request.args.get("lang") or session.get("lang") or form.locale.data
    if form.validate_on_submit():
        try:
            user = accounts.create_user(form.email.data, form.password.data, name=form.name.data,
                                        locale=form.locale.data)
        except ServiceError as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            db.session.commit()
            login_user(user)
            session["lang"] = user.locale
            flash(_("Your account is ready. Tell us about your firm next."), "success")
            return redirect(_safe_next(url_for("main.after_register")))
    return render_template("auth/register.html", form=form), (422 if form.errors else 200)


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(
            form.email.data, lambda token: url_for("auth.reset_password", token=token, _external=True),
            locale=current_locale(),
        )
        db.session.commit()
        flash(_("If an account exists for this address, a reset link is on its way."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = accounts.user_for_reset_token(token)
    if user is None:
        flash(_("This reset link is invalid or has expired."), "error")
        return redirect(url_for("auth.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.reset_password(user, form.password.data)
        db.session.commit()
        flash(_("Your password has been changed. Please log in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)

"""Log-in, log-out, registration, password reset and the language choice."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from planner.accounts import confirmation
from planner.accounts import services as accounts
from planner.accounts.forms import LoginForm, RegisterForm, ResetPasswordForm, ResetRequestForm
from planner.accounts.limits import RateLimited
from planner.errors import ServiceError
from planner.extensions import db
from planner.text.i18n import _, current_locale
from planner.urls import safe_next

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _safe_next(default: str) -> str:
    return safe_next(request.args.get("next"), default)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in; failed attempts are counted per e-mail and address."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except RateLimited as error:
            flash(error.message, "error")
            return render_template("auth/login.html", form=form), 429, {"Retry-After": str(error.retry_after)}
        except ServiceError as error:
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
    """Log out, ending this account's sessions and remember cookies everywhere (a copied cookie dies too)."""
    if current_user.is_authenticated:
        current_user.end_sessions()
        db.session.commit()
    logout_user()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create a firm member's account, confirmed through a link sent to the address. The answer is
    the same whether or not the address already has an account (its owner gets a note instead)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if request.method == "GET":
        form.locale.data = request.args.get("lang") or session.get("lang") or form.locale.data
    if form.validate_on_submit():
        try:
            confirmation.register_account(form.email.data, form.password.data, name=form.name.data,
                                          locale=form.locale.data, client_address=request.remote_addr or "")
        except RateLimited as error:
            flash(error.message, "error")
            return render_template("auth/register.html", form=form), 429, {"Retry-After": str(error.retry_after)}
        except ServiceError as error:
            db.session.rollback()
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            db.session.commit()
            session["lang"] = form.locale.data
            return render_template("auth/check_email.html", email=accounts.normalise_email(form.email.data))
    return render_template("auth/register.html", form=form), (422 if form.errors else 200)


@bp.route("/confirm/<token>")
def confirm_email(token: str):
    """The link from the confirmation e-mail: the address is proven; on to the firm's profile."""
    user = confirmation.confirm_email(token)
    if user is None:
        flash(_("This confirmation link is invalid or has expired. Log in to get a new one."), "error")
        return redirect(url_for("auth.login"))
    db.session.commit()
    if not current_user.is_authenticated or current_user.id != user.id:
        logout_user()
        login_user(user)
    if user.locale:
        session["lang"] = user.locale
    flash(_("Your e-mail address is confirmed. Tell us about your firm next."), "success")
    return redirect(url_for("main.after_register"))


@bp.route("/confirm", methods=["GET", "POST"])
@login_required
def unconfirmed():
    """For an account that has not opened its link yet: what to do, and another link."""
    if current_user.email_confirmed:
        return redirect(url_for("main.home"))
    if request.method == "POST":
        try:
            confirmation.resend_confirmation(current_user, request.remote_addr or "")
        except RateLimited as error:
            flash(error.message, "error")
            return render_template("auth/unconfirmed.html"), 429, {"Retry-After": str(error.retry_after)}
        db.session.commit()
        flash(_("A new link is on its way to %(email)s.", email=current_user.email), "success")
        return redirect(url_for("auth.unconfirmed"))
    return render_template("auth/unconfirmed.html")


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            accounts.request_password_reset(form.email.data, request.remote_addr or "", locale=current_locale())
        except RateLimited as error:
            flash(error.message, "error")
            return render_template("auth/reset_request.html", form=form), 429, {"Retry-After": str(error.retry_after)}
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


@bp.route("/language", methods=["POST"])
def language():
    """The language switch: the choice lasts for the visit and, when logged in, is saved on the
    account (e-mails use it). Only this explicit choice changes the saved language."""
    code = request.form.get("lang")
    if code not in current_app.config["LANGUAGES"]:
        abort(400)
    session["lang"] = code
    if current_user.is_authenticated and current_user.locale != code:
        current_user.locale = code
        db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))

"""Every template global, filter and context value, registered once (`register(app)`).

Each helper here only binds the reader's locale to the one function that owns the rule
(`planner.text` for dates, digits, names and lists; the feature packages for their labels),
so two blueprints can no longer register one name with two different rules.
"""
from __future__ import annotations

from flask import Flask, url_for
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from planner.eventday.passes import checkin_pass
from planner.events.lifecycle import deadline_text, registration_status_label
from planner.matching.reasons import describe_reason
from planner.models.base import localized
from planner.outcomes.services import feedback_token, follow_up_label
from planner.requests import services as requests_service
from planner.scheduling.display import solver_method_label, solver_status_label
from planner.scheduling.explain import zero_label
from planner.scheduling.publishing import version_status_label
from planner.taxonomy.codes import code_title
from planner.text import labels, scripts
from planner.text.i18n import (
    LANGUAGE_NAMES,
    current_locale,
    format_clock,
    format_day,
    format_day_range,
    jalali_date,
    language_name,
    local_digits,
    text_direction,
)
from planner.text.numbers import format_number
from planner.timetables import entries as timetables
from planner.urls import external_url


def _inbox_badge() -> dict:
    """How many requests wait for the signed-in firm member's answer (shown beside Inbox)."""
    user = current_user._get_current_object()  # None when rendering outside a request (e-mails)
    if user is None or not user.is_authenticated or not user.firm_id:
        return {}
    return {"waiting_for_answer": requests_service.waiting_for_answer(user.firm_id)}


def register(app: Flask) -> None:
    """Bind every template helper to `app` (called once by `create_app`)."""

    @app.context_processor
    def _reader() -> dict:
        locale = current_locale()
        return {
            "current_locale": locale,
            "text_direction": text_direction(locale),
            "language_names": LANGUAGE_NAMES,
            "supported_locales": app.config["LANGUAGES"],
        }

    app.context_processor(_inbox_badge)

    @pass_eval_context
    def join_list(context: EvalContext, items, each=None, groups: bool = False) -> str:
        """Items joined the reader's way (`text.scripts.join_list`), each rendered by `each` first
        when given (a macro giving an item's HTML, such as a name in <bdi>, or any callable) and
        escaped in HTML templates (plain-text e-mails get plain text)."""
        shown = [each(item) if each is not None else item for item in items]
        if not context.autoescape:
            return scripts.join_list(shown, current_locale(), groups=groups)
        # CLDR's list patterns hold only commas, spaces, marks and words ("and", «و»): no markup.
        return Markup(scripts.join_list([escape(item) for item in shown], current_locale(), groups=groups))

    @pass_eval_context
    def join_parts(context: EvalContext, *parts) -> str:
        """The parts of one line joined by the reader's list comma (`text.scripts.join_parts`),
        each escaped in HTML templates (a part may be HTML, such as a name in <bdi>)."""
        if not context.autoescape:
            return scripts.join_parts(parts, current_locale())
        return Markup(scripts.join_parts([escape(part) for part in parts], current_locale()))

    app.jinja_env.filters.update(
        day=format_day,
        day_range=format_day_range,
        clock=format_clock,
        digits=local_digits,
        jalali=jalali_date,
        number=lambda value, decimals=1: format_number(value, decimals=decimals),
        join_list=join_list,
        clock_range=timetables.format_range,
    )
    app.jinja_env.globals.update(
        external_url=external_url,
        language_name=language_name,
        localized=localized,
        language_label=labels.language_label,
        exhibition_status_label=labels.exhibition_status_label,
        exhibition_field_label=labels.exhibition_field_label,
        firm_size_label=labels.firm_size_label,
        role_label=labels.role_label,
        language_list=lambda codes: labels.language_list(codes, current_locale()),
        join_list=join_list,
        join_parts=join_parts,
        dot=lambda: scripts.item_separator(current_locale()),
        person_name=lambda person: scripts.participant_name(person, current_locale()),
        interpreter_name=lambda interpreter: scripts.interpreter_name(interpreter, current_locale()),
        firm_city=lambda firm: scripts.city_for(firm, current_locale()),
        code_title=lambda node: code_title(node, current_locale()) if node is not None else "",
        reason_text=lambda reason: describe_reason(reason, current_locale()),
        request_status_label=requests_service.status_label,
        request_mode_label=requests_service.request_mode_label,
        priority_label=requests_service.priority_label,
        version_status_label=version_status_label,
        solver_status_label=solver_status_label,
        solver_method_label=solver_method_label,
        zone_time=lambda zone: timetables.zone_time(zone) if zone else "",
        event_offset=lambda event: timetables.event_offset_label(event, current_locale()),
        zone_differs=timetables.differs,
        checkin_pass=checkin_pass,
        feedback_url=lambda request_id, participant_id: url_for(
            "outcomes.feedback", token=feedback_token(request_id, participant_id)),
        follow_up_label=follow_up_label,
        zero_reason=zero_label,
        registration_status_label=registration_status_label,
        deadline_text=lambda event: deadline_text(event, current_locale()),
    )

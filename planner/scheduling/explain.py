"""What a schedule could not do, and why: reason codes for unscheduled meetings and for
firms without a meeting (with their translated labels), and keeping interpreters that the
solver only swapped. Pure functions over `solver` types."""
from __future__ import annotations

from collections import defaultdict

from markupsafe import Markup

import solver
from planner.models.shapes import ZeroMeetingFirm
from planner.text.i18n import _l
from planner.text.labels import language_label

UNSCHEDULED_REASONS = {
    "not_registered": _l("a firm is not registered for the event"),
    "same_region": _l("the event only lets firms of different regions meet"),
    "no_participants": _l("a firm has nobody attending on the event's days"),
    "no_people": _l("a firm has nobody registered to attend"),
    "no_sessions": _l("the event has no sessions on its open days"),
    "not_attending_days": _l("a firm's people attend none of the days with sessions"),
    "outside_travel_window": _l("a firm's people are outside their delegation's travel window on every day with "
                                "sessions"),
    "home_holidays": _l("every day with sessions is a public holiday in a firm's home country"),
    "no_common_slot": _l("the two firms are never available at the same time"),
    "no_interpreter": _l("no interpreter speaks both firms' languages"),
    "no_interpreter_available": _l("no suitable interpreter is free when both firms are"),
    "host_tables_clash": _l("both firms meet only at their own stands"),
    "max_meetings_reached": _l("a firm already has its maximum number of meetings"),
    "no_room": _l("no free slot, table or interpreter was left for it"),
    "both_busy": _l("whenever both firms are free, one of them already has another meeting"),
    "no_table": _l("no table is free when both firms are"),
    "interpreters_busy": _l("every suitable interpreter is busy when both firms are free"),
    "not_reached": _l("the scheduler ran out of time before placing it; it can be placed by hand"),
    "required_infeasible": _l("the must-meet requests cannot all fit; this one was left out"),
    "no_show": _l("someone it needs was confirmed absent that day"),
    "slot_changed": _l("the slot length changed and its slot no longer exists; place it by hand or run the scheduler"),
}
ZERO_REASONS = {
    "no_requests": _l("no accepted meeting request"),
    "requests_unscheduled": _l("its requests could not be scheduled"),
    "no_participants": _l("nobody attends on the event's days"),
    "no_people": _l("nobody of the firm is registered to attend"),
    "no_sessions": _l("the event has no sessions on its open days"),
    "not_attending_days": _l("its people attend none of the days with sessions"),
    "outside_travel_window": _l("its people are outside their delegation's travel window on every day with sessions"),
    "home_holidays": _l("every day with sessions is a public holiday in its home country"),
    "not_registered": _l("its requests are with firms not registered for the event"),
    "same_region": _l("its requests are with firms of its own region, and the event only lets different regions meet"),
}


def unscheduled_label(code: str) -> str:
    return str(UNSCHEDULED_REASONS.get(code, code))


def zero_label(code: str) -> str:
    return str(ZERO_REASONS.get(code) or UNSCHEDULED_REASONS.get(code, code))


LANGUAGE_REASONS = {
    "no_interpreter": _l("%(person)s speaks only %(languages)s; no %(pair)s interpreter works at this event."),
    "no_interpreter_available": _l("%(person)s speaks only %(languages)s; no %(pair)s interpreter is available "
                                   "when both firms are."),
    "interpreters_busy": _l("%(person)s speaks only %(languages)s; every %(pair)s interpreter is busy in the "
                            "free slots."),
}
LANGUAGE_ORDER = ("fa", "ru", "en")


def person_languages(person) -> frozenset[str]:
    """The languages the scheduler counts for a person: their own, else their firm's."""
    return frozenset(person.languages or person.firm.languages or [])


def ordered_languages(codes) -> list[str]:
    return sorted(codes, key=lambda c: (LANGUAGE_ORDER.index(c) if c in LANGUAGE_ORDER else len(LANGUAGE_ORDER), c))


def _names(codes, joiner: str) -> str:
    return joiner.join(language_label(code) for code in ordered_languages(codes))


def side_languages(people) -> list[str]:
    """The languages every attending person of one firm speaks (what the scheduler can rely on)."""
    sets = [person_languages(p) for p in people]
    return ordered_languages(frozenset.intersection(*sets)) if sets else []


def shared_languages(sides) -> list[str]:
    """The languages every person at the meeting speaks; empty when an interpreter is needed."""
    sets = [person_languages(p) for side in sides for p in side]
    return ordered_languages(frozenset.intersection(*sets)) if sets else []


def unscheduled_text(code: str, sides, locale: str) -> str:
    """The reason for an unscheduled meeting; for a language gap it names the person who
    speaks the fewest languages and the interpreter pair needed. `sides`: the attending
    people of each firm (as the scheduler saw them)."""
    if code not in LANGUAGE_REASONS or len(sides) != 2 or not all(sides):
        return unscheduled_label(code)
    own, person = min(((n, p) for n, side in enumerate(sides) for p in side),
                      key=lambda np: (len(person_languages(np[1])), np[0], np[1].id))
    mine = person_languages(person)
    others = sides[1 - own]
    theirs = frozenset(side_languages(others)) or frozenset().union(*[person_languages(p) for p in others])
    listing = ("، " if locale == "fa" else ", ").join(language_label(c) for c in ordered_languages(mine))
    pair = f"{_names(mine, '/')}–{_names(theirs, '/')}"
    name = Markup("<bdi>%s</bdi>") % person.display_name(locale)
    return Markup(str(LANGUAGE_REASONS[code])) % {"person": name, "languages": listing, "pair": pair}


def explain_unscheduled(problem: solver.Problem, solution: solver.Solution, meeting_ids) -> dict[str, str]:
    """A reason code for each unscheduled meeting in `meeting_ids`."""
    people = {p.id: p for p in problem.participants}
    all_slots = [s.id for s in problem.slots]
    count: dict[str, int] = defaultdict(int)
    by_id = {m.id: m for m in problem.meetings}
    busy: dict[str, set] = {"people": set(), "tables": set(), "interpreters": set()}
    for a in solution.assignments:
        busy["tables"].add((a.slot, a.table))
        if a.interpreter:
            busy["interpreters"].add((a.slot, a.interpreter))
        for person in by_id[a.meeting].participants:
            count[person] += 1
            busy["people"].add((a.slot, person))
    reasons = {}
    for key in meeting_ids:
        meeting = by_id[key]
        members = [people[p] for p in meeting.participants]
        free = [s for s in all_slots if not any(s in p.unavailable for p in members)]
        languages = [p.languages for p in members]
        needs = not frozenset.intersection(*languages)
        qualified = [i for i in problem.interpreters if all(i.languages & langs for langs in languages)]
        host_tables = {p.table for p in members if p.table}
        if not free:
            reasons[key] = "no_common_slot"
        elif needs and not qualified:
            reasons[key] = "no_interpreter"
        elif needs and not any(s not in i.unavailable for i in qualified for s in free):
            reasons[key] = "no_interpreter_available"
        elif len(host_tables) > 1:
            reasons[key] = "host_tables_clash"
        elif any(p.max_meetings is not None and count[p.id] >= p.max_meetings for p in members):
            reasons[key] = "max_meetings_reached"
        else:
            reasons[key] = _crowded_reason(meeting, free, needs, qualified, host_tables, busy, problem)
    return reasons


def _crowded_reason(meeting, free, needs, qualified, host_tables, busy, problem) -> str:
    """Why a meeting that could fit in principle found no place in this plan."""
    open_slots = [s for s in free if not any((s, p) in busy["people"] for p in meeting.participants)]
    if not open_slots:
        return "both_busy"
    stands = {p.table for p in problem.participants if p.table}
    tables = list(host_tables) if host_tables else [t.id for t in problem.tables if t.id not in stands]
    with_table = [s for s in open_slots if any((s, t) not in busy["tables"] for t in tables)]
    if not with_table:
        return "no_table"
    if needs and not any((s, i.id) not in busy["interpreters"] and s not in i.unavailable
                         for s in with_table for i in qualified):
        return "interpreters_busy"
    return "not_reached"


def zero_meeting_firms(translation, assignments) -> list[ZeroMeetingFirm]:
    """Registered firms without any meeting, with the reason code (`translation`: a
    `scheduling.Translation`): why nobody of it attends (`Translation.absent`), that its
    requests could not be placed, why its accepted requests were left out of the problem,
    or that it has no accepted request at all."""
    placed = {a.meeting for a in assignments}
    per_firm: dict[int, list[str]] = defaultdict(list)
    for key, pair in translation.firm_of_meeting.items():
        if key in translation.suggestions:
            continue
        for firm_id in pair:
            per_firm[firm_id].append(key)
    left_out: dict[int, str] = {}
    for entry in translation.skipped:
        for firm_id in translation.skipped_pairs.get(entry["request_id"], ()):
            left_out.setdefault(firm_id, entry["reason"])
    met = {firm_id for key, pair in translation.firm_of_meeting.items() if key in placed for firm_id in pair}
    out = []
    for registration in translation.event.registrations:
        firm_id = registration.firm_id
        if firm_id in met:
            continue
        if firm_id not in translation.firm_people:
            reason = translation.absent.get(firm_id, "no_participants")
        elif per_firm.get(firm_id):
            reason = "requests_unscheduled"
        elif firm_id in left_out:
            reason = left_out[firm_id]
        else:
            reason = "no_requests"
        out.append(ZeroMeetingFirm(firm_id=firm_id, reason=reason))
    return out



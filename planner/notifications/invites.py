"""Calendar invitations by e-mail: one message per meeting change, and a digest per publish.

After every publish, `queue_publish_notices()` takes the one diff (`timetables.changes`) of the
new version against the previous one and queues, for every participant concerned, in their
language:

- one **invitation** per meeting change, holding exactly one inline
  `text/calendar; method=…` part with one VEVENT: REQUEST for a meeting new to them or
  changed (same UID, the stored SEQUENCE), CANCEL for a meeting they no longer have (same UID,
  higher SEQUENCE; STATUS:CANCELLED when the meeting is off, none when it still happens
  without them, RFC 5546 §3.2.5). Outlook and Gmail apply one iTIP object per message, so a
  message never carries two meetings;
- one **digest** listing all their changes in words, with the link to their personal
  calendar feed and to their timetable; it carries no calendar part.

Replies are not asked for (RSVP=FALSE): Karvan reads no mailbox, so a "No" clicked in a
calendar app would reach nobody. Every invitation says instead how to decline in Karvan
(withdraw the request), where the other firm and the organisers see it. This keeps one place
where a meeting's fate is decided, and no mailbox credentials in the app.

`queue_meeting_cancellations()` serves changes after publication (a withdrawn request, a firm
that left, a person who no longer comes that day, …): CANCELs for the meetings called off at
once, without a new publish, and for people taken off a meeting that goes on (with its update
to those who stay).
"""
from __future__ import annotations

from dataclasses import replace
from email.message import EmailMessage

from flask import render_template
from flask_babel import force_locale

from planner.errors import ServiceError
from planner.extensions import db
from planner.models import Event, Meeting, OutgoingMessage, Participant, ScheduleVersion
from planner.models.enums import MailKind
from planner.notifications.outbox import composer, external_url, new_email, queue_message, set_bodies
from planner.text.i18n import _
from planner.text.scripts import participant_name
from planner.timetables.changes import diff_versions
from planner.timetables.entries import Entry, _entry, meeting_people, recipient_locale
from planner.timetables.feeds import ics_record, issue_feed_token, organiser
from planner.timetables.ics import IcsPerson, cancel_ics, request_ics

# What an invitation tells its reader.
NEW, CHANGED, CANCELLED, LEFT = "new", "changed", "cancelled", "left"


def cancel_sequence(meeting: Meeting) -> int:
    """A CANCEL must outrank what the reader holds: the request's raised sequence at least."""
    return max(meeting.request.ical_sequence, meeting.sequence + 1)


def _queue_invitation(person: Participant, meeting: Meeting, what: str, version_id: int, sequence: int) -> OutgoingMessage:
    payload = {"meeting_id": meeting.id, "request_id": meeting.request_id, "what": what, "sequence": sequence}
    return queue_message(kind=MailKind.INVITATION, recipient=person.email, locale=recipient_locale(person),
                         payload=payload, event_id=meeting.version.event_id, participant_id=person.id,
                         version_id=version_id)


def queue_publish_notices(event_id: int, published_version_id: int, previous_version_id: int | None) -> list[OutgoingMessage]:
    """Queue the invitations and digests of a publish (called by `publish_version`).

    Per participant concerned (with a mailbox): one invitation per meeting added, changed or
    removed for them, in request order, then their digest. Composed and flushed in the
    caller's transaction; delivery starts when the caller commits.
    """
    event = db.session.get(Event, event_id)
    version = db.session.get(ScheduleVersion, published_version_id)
    if event is None or version is None or version.event_id != event.id:
        raise ServiceError(_("This schedule version does not belong to the event."))
    previous = db.session.get(ScheduleVersion, previous_version_id) if previous_version_id else None
    diff = diff_versions(previous, version)
    messages = []
    for person_id, changes in diff.by_person().items():
        person = db.session.get(Participant, person_id)
        if person is None or not person.email:
            continue
        for request_id in changes.added:
            messages.append(_queue_invitation(person, diff.after[request_id], NEW, version.id,
                                              diff.after[request_id].sequence))
        for request_id in changes.changed:
            messages.append(_queue_invitation(person, diff.after[request_id], CHANGED, version.id,
                                              diff.after[request_id].sequence))
        for request_id in changes.removed:
            old = diff.before[request_id]
            what = LEFT if request_id in changes.left else CANCELLED
            messages.append(_queue_invitation(person, old, what, version.id, cancel_sequence(old)))
        payload = {"version_id": version.id, "previous_version_id": previous.id if previous else None,
                   "added": changes.added, "changed": changes.changed, "removed": changes.removed}
        messages.append(queue_message(kind=MailKind.SCHEDULE_UPDATE, recipient=person.email,
                                      locale=recipient_locale(person), payload=payload, event_id=event.id,
                                      participant_id=person.id, version_id=version.id))
    return messages


def queue_meeting_cancellations(meeting: Meeting, people: list[Participant] | None = None) -> list[OutgoingMessage]:
    """Messages for a published meeting changed after publication, with its stored SEQUENCE
    (the caller raised it). Called off (`people` None): a CANCEL to everyone on it. Else
    `people` were taken off a meeting that still happens: a CANCEL naming only them, and the
    meeting's update (REQUEST, its new attendee list) to the people who stay, as a publish
    would send them."""
    if people is None:
        return [_queue_invitation(person, meeting, CANCELLED, meeting.version_id, meeting.sequence)
                for person in meeting_people(meeting) if person.email]
    leaving = {person.id for person in people}
    messages = [_queue_invitation(person, meeting, LEFT, meeting.version_id, meeting.sequence)
                for person in people if person.email]
    messages += [_queue_invitation(person, meeting, CHANGED, meeting.version_id, meeting.sequence)
                 for person in meeting_people(meeting) if person.email and person.id not in leaving]
    return messages


# --- composing -------------------------------------------------------------------------------

def feed_links(person: Participant, event: Event) -> dict[str, str | None]:
    """The person's calendar feed (a secret URL, issued now if they had none) and timetable."""
    token = person.feed_token or issue_feed_token(person)
    return {"feed_url": external_url("feeds.participant_feed", token=token),
            "timetable_url": external_url("timetables.participant", slug=event.slug, participant_id=person.id),
            "requests_url": external_url("requests.inbox", event=event.slug)}


def _subject(what: str, entry: Entry, event: Event, locale: str) -> str:
    other = entry.counterpart.display_name(locale) if entry.counterpart else event.display_name(locale)
    subjects = {
        NEW: _("Meeting with %(firm)s", firm=other),
        CHANGED: _("Changed: meeting with %(firm)s", firm=other),
        CANCELLED: _("Cancelled: meeting with %(firm)s", firm=other),
        LEFT: _("You no longer attend the meeting with %(firm)s", firm=other),
    }
    return subjects[what]


@composer(MailKind.INVITATION)
def compose_invitation(message: OutgoingMessage) -> EmailMessage:
    """Text, HTML and ONE inline calendar part (REQUEST or CANCEL) for one meeting."""
    person = db.session.get(Participant, message.participant_id)
    payload = message.payload
    meeting = db.session.get(Meeting, payload["meeting_id"])
    event = meeting.version.event
    locale, what, home = message.locale, payload["what"], person.home_timezone
    entry = _entry(meeting, person.firm)
    with force_locale(locale):
        subject = _subject(what, entry, event, locale)
        context = dict(person=person, event=event, entry=entry, what=what, home_zone=home, locale=locale,
                       **feed_links(person, event))
        text = render_template("mail/invitation.txt", **context)
        html = render_template("mail/invitation.html", **context)
        record = ics_record(event, entry, locale, home, sequence=payload["sequence"],
                            status="CANCELLED" if what == CANCELLED else "CONFIRMED")
        if what == LEFT:  # only this reader leaves; the meeting goes on (RFC 5546 §3.2.5). Named
            # from the row, not from the meeting, which no longer lists them after a change
            # after publication.
            record = replace(record, attendees_removed=True,
                             attendees=(IcsPerson(participant_name(person, locale), person.email),))
        calendar_name = event.display_name(locale)
        method = "REQUEST" if what in (NEW, CHANGED) else "CANCEL"
        build = request_ics if method == "REQUEST" else cancel_ics
        ics = build(record, calendar_name=calendar_name, organiser=organiser(locale))
    email = new_email(message, subject)
    set_bodies(email, text, html, locale)
    email.add_alternative(ics, maintype="text", subtype="calendar", params={"method": method, "charset": "UTF-8"})
    return email


def _entries(version_id: int | None, request_ids: list[int], person: Participant) -> list[Entry]:
    if not version_id or not request_ids:
        return []
    wanted = set(request_ids)
    version = db.session.get(ScheduleVersion, version_id)
    meetings = [m for m in version.meetings if m.request_id in wanted]
    return sorted((_entry(m, person.firm) for m in meetings), key=lambda e: e.start)


@composer(MailKind.SCHEDULE_UPDATE)
def compose_schedule_update(message: OutgoingMessage) -> EmailMessage:
    """The digest of a publish: every change in words and the links; no calendar part."""
    person = db.session.get(Participant, message.participant_id)
    event = db.session.get(Event, message.event_id)
    payload = message.payload
    locale = message.locale
    added = _entries(payload["version_id"], payload["added"], person)
    changed = _entries(payload["version_id"], payload["changed"], person)
    cancelled = _entries(payload.get("previous_version_id"), payload.get("removed", []), person)
    # What each changed meeting was, so the digest can say what changed (time or table, or
    # only the interpreter), not merely that something did.
    before = {entry.meeting.request_id: entry
              for entry in _entries(payload.get("previous_version_id"), payload["changed"], person)}
    with force_locale(locale):
        subject = _("Your meetings at %(event)s have changed", event=event.display_name(locale))
        context = dict(person=person, event=event, added=added, changed=changed, cancelled=cancelled, before=before,
                       home_zone=person.home_timezone, locale=locale, **feed_links(person, event))
        text = render_template("mail/schedule_update.txt", **context)
        html = render_template("mail/schedule_update.html", **context)
    email = new_email(message, subject)
    set_bodies(email, text, html, locale)
    return email

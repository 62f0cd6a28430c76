"""Timetables on screen, in print and as PDF: per participant, firm, delegation and table.

Participants see their own and their firm's timetables, delegation heads their delegation's,
organisers everything (including the table sheets for the hall). Only the published version
is ever shown.
"""
from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from planner.access import event_by_slug, load_or_404, of_event, organiser_required
from planner.extensions import db
from planner.models import Delegation, Event, Firm, MeetingTable, Participant
from planner.models.enums import Role
from planner.paging import page_url, paginate, requested_page
from planner.text.i18n import _, current_locale
from planner.timetables import artefacts
from planner.timetables import entries as tt
from planner.timetables.feeds import delegation_feed, participant_feed
from planner.timetables.overview import members_overview

bp = Blueprint("timetables", __name__, url_prefix="/timetables")
SHEETS_PER_PAGE = 20  # a delegation's members or a round's tables on one screen page


# --- access -------------------------------------------------------------------------------

def _is_head_of(delegation: Delegation | None) -> bool:
    if delegation is None or not current_user.is_authenticated:
        return False
    if current_user.is_organiser:
        return True
    head = delegation.head
    return current_user.role == Role.DELEGATION_HEAD and (
        current_user.delegation_id == delegation.id or (head is not None and head.email == current_user.email))


def can_see_participant(participant: Participant) -> bool:
    return current_user.is_authenticated and (
        current_user.can_manage_firm(participant.firm_id) or any(_is_head_of(d) for d in participant.delegations))


def can_see_firm(firm: Firm) -> bool:
    if not current_user.is_authenticated:
        return False
    if current_user.can_manage_firm(firm.id):
        return True
    return any(_is_head_of(d) for p in firm.participants for d in p.delegations)


def _context(event: Event, firm_ids=None, *, table_id: int | None = None):
    """The published version and its meetings (only those of `firm_ids` or `table_id`: a page
    reads its reader's meetings, not the round's); no version when nothing is published yet."""
    version = tt.published_version(event)
    return version, tt.version_meetings(version, firm_ids, table_id=table_id)


def _pdf(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _large_pdf(event, version, pages: int, kind: str, owner_id: int | None, pdf_name: str):
    """A PDF of many (`pages`) sheets comes from the artefact store: sent when built, else built
    in the background while the page says it is being prepared (and reloads itself). Nothing is
    rendered here, so the answer comes at once however large the PDF."""
    locale = current_locale()
    stored = artefacts.pdf_name(f"{kind}-{owner_id or event.id}", locale, version)
    if artefacts.pdf_ready(stored) is None:
        artefacts.request_pdf(stored, kind=kind, event_id=event.id, owner_id=owner_id, locale=locale)
    ready = artefacts.pdf_ready(stored)  # at once when jobs run synchronously
    accel = artefacts.accel_redirect(stored)
    if ready is not None and accel:
        response = _pdf(b"", pdf_name)
        response.headers["X-Accel-Redirect"] = accel
        return response
    if ready is not None:
        return _pdf(ready.read_bytes(), pdf_name)
    return render_template("timetables/preparing.html", event=event, pages=pages), 202


def _sheet_route(rule: str, *formats: str):
    """Register a timetable view at `rule` (on screen) and at `rule.<format>` for each of
    `formats` ("pdf", "ics"; endpoint `<view>_<format>`, the view called with `as_=<format>`)."""

    def register(view):
        bp.add_url_rule(rule, view_func=view)
        for fmt in formats:
            bp.add_url_rule(f"{rule}.{fmt}", endpoint=f"{view.__name__}_{fmt}", view_func=view, defaults={"as_": fmt})
        return view

    return register


def _alternate(fmt: str) -> str | None:
    """The address of the page being shown in another format (`_sheet_route`), if it has one."""
    endpoint = f"{request.url_rule.endpoint}_{fmt}"
    if endpoint not in current_app.view_functions:
        return None
    return url_for(endpoint, **{k: v for k, v in request.view_args.items() if k != "as_"})


def _show(event, title, sheets, *, kind, as_, pdf_name, feed=None, version=None, owner=None, links=(), page=None):
    """The sheets on screen (with links to the PDF and .ics of the same page; `page`: the
    screen page of a long list of sheets), or as a PDF."""
    locale = current_locale()
    if as_ == "pdf":
        return _pdf(tt.sheets_pdf(event, title, sheets, locale, version, overview=kind == "delegation"), pdf_name)
    return render_template("timetables/page.html", event=event, title=title, sheets=sheets, kind=kind,
                           pdf_url=_alternate("pdf"), ics_url=_alternate("ics"), feed=feed, version=version, owner=owner,
                           links=links, page=page, url_for_page=page_url(),
                           overview=members_overview(sheets) if kind == "delegation" and version is not None else None,
                           meeting_link=lambda entry: url_for("feeds.meeting", slug=event.slug, request_id=entry.meeting.request_id))


def _ics_download(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- my timetable -------------------------------------------------------------------------

@bp.route("/mine")
@login_required
def mine():
    """The signed-in person's timetable (or their firm's) in the latest published event the
    firm takes part in (any event for organisers)."""
    person = db.session.scalar(select(Participant).where(Participant.email == current_user.email))
    firm_id = current_user.firm_id or (person.firm_id if person is not None else None)
    event = tt.latest_published_event(None if current_user.is_organiser else firm_id)
    if event is None:
        flash(_("None of the rounds your firm takes part in has a published schedule yet.") if firm_id and not current_user.is_organiser
              else _("No schedule has been published yet."), "warning")
        return redirect(url_for("main.home"))
    if person is not None and can_see_participant(person):
        return redirect(url_for(".participant", slug=event.slug, participant_id=person.id))
    if current_user.firm_id:
        return redirect(url_for(".firm", slug=event.slug, firm_id=current_user.firm_id))
    if current_user.is_organiser:
        return redirect(url_for(".tables", slug=event.slug))
    flash(_("Your account is not linked to a firm taking part."), "warning")
    return redirect(url_for("main.home"))


@bp.route("/delegation")
@login_required
def my_delegation():
    """The delegation head's way in: the delegation timetable of the latest published event."""
    event = tt.latest_published_event()
    if event is None or not current_user.delegation_id:
        flash(_("No schedule has been published yet."), "warning")
        return redirect(url_for("main.home"))
    return redirect(url_for(".delegation", slug=event.slug, delegation_id=current_user.delegation_id))


# --- sheets (on screen, as PDF, and as .ics where a calendar has a reader) ----------------

@_sheet_route("/<slug>/participants/<int:participant_id>", "pdf", "ics")
@login_required
def participant(slug: str, participant_id: int, as_: str = "html"):
    """One person's meetings by day, with tables, counterparts and interpreters; as .ics, the
    person's meetings of this event in one file."""
    event = event_by_slug(slug)
    person = load_or_404(Participant, participant_id, allowed=can_see_participant)
    if as_ == "ics":
        return _ics_download(participant_feed(person, current_locale(), [event]), f"timetable-{slug}-p{person.id}.ics")
    version, meetings = _context(event, [person.firm_id])
    sheet = tt.person_sheet(event, meetings, person, current_locale())
    links = [(_("Timetable of the whole firm"), url_for(".firm", slug=slug, firm_id=person.firm_id))]
    return _show(event, sheet.title, [sheet], kind="person", version=version, as_=as_, owner=person, links=links,
                 feed=("participant", person), pdf_name=f"timetable-{slug}-p{person.id}.pdf")


@_sheet_route("/<slug>/firms/<int:firm_id>", "pdf")
@login_required
def firm(slug: str, firm_id: int, as_: str = "html"):
    """All meetings of a firm, with who of the firm attends each."""
    event = event_by_slug(slug)
    firm = load_or_404(Firm, firm_id, allowed=can_see_firm)
    version, meetings = _context(event, [firm.id])
    sheet = tt.firm_sheet(event, meetings, firm, current_locale())
    return _show(event, sheet.title, [sheet], kind="firm", version=version, as_=as_, owner=firm,
                 pdf_name=f"timetable-{slug}-f{firm.id}.pdf")


@_sheet_route("/<slug>/delegations/<int:delegation_id>", "pdf", "ics")
@login_required
def delegation(slug: str, delegation_id: int, as_: str = "html"):
    """Every member of the delegation by day (one printed page per person), for the head; as
    .ics, the delegation's meetings of this event in one file. On screen a page of members at a
    time; a PDF of many members comes from the artefact store (`_large_pdf`)."""
    event = event_by_slug(slug)
    delegation = load_or_404(Delegation, delegation_id, allowed=_is_head_of)
    locale = current_locale()
    if as_ == "ics":
        return _ics_download(delegation_feed(delegation, locale, [event]), f"timetable-{slug}-delegation-{delegation.id}.ics")
    pdf_name = f"timetable-{slug}-delegation-{delegation.id}.pdf"
    members, version = tt.delegation_members(delegation), tt.published_version(event)
    as_pdf = as_ == "pdf"
    if as_pdf and version is not None and len(members) > artefacts.PDF_INLINE_MAX:
        return _large_pdf(event, version, len(members), "delegation", delegation.id, pdf_name)
    page = paginate(members, None if as_pdf else requested_page(), max(1, len(members)) if as_pdf else SHEETS_PER_PAGE)
    meetings = tt.version_meetings(version, {member.firm_id for member in page.items})
    sheets = tt.member_sheets(event, meetings, delegation, locale, page.items)
    return _show(event, delegation.display_name(locale), sheets, kind="delegation", version=version, as_=as_, page=page,
                 owner=delegation, feed=("delegation", delegation), pdf_name=pdf_name)


@_sheet_route("/<slug>/tables", "pdf")
@organiser_required
def tables(slug: str, as_: str = "html"):
    """Every table's sheet for the hall (one printed page per table)."""
    event = event_by_slug(slug)
    version, tables = tt.published_version(event), list(event.tables)
    as_pdf = as_ == "pdf"
    if as_pdf and version is not None and len(tables) > artefacts.PDF_INLINE_MAX:
        return _large_pdf(event, version, len(tables), "tables", None, f"tables-{slug}.pdf")
    page = paginate(tables, None if as_pdf else requested_page(), max(1, len(tables)) if as_pdf else SHEETS_PER_PAGE)
    meetings = tt.version_meetings(version, table_ids=[table.id for table in page.items])
    locale = current_locale()
    sheets = tt.table_sheets(event, meetings, locale, page.items)
    links = [(delegation.display_name(locale), url_for(".delegation", slug=slug, delegation_id=delegation.id))
             for delegation in db.session.scalars(select(Delegation).order_by(Delegation.id))]
    return _show(event, tt.table_sheets_title(locale), sheets, kind="table", version=version, as_=as_, page=page,
                 pdf_name=f"tables-{slug}.pdf", links=links)


@_sheet_route("/<slug>/tables/<int:table_id>", "pdf")
@organiser_required
def table(slug: str, table_id: int, as_: str = "html"):
    """One table's sheet for the hall."""
    event = event_by_slug(slug)
    table = of_event(event, MeetingTable, table_id)
    version, meetings = _context(event, table_id=table.id)
    sheet = tt.table_sheet(event, meetings, table, current_locale())
    return _show(event, sheet.title, [sheet], kind="table", version=version, as_=as_,
                 pdf_name=f"table-{slug}-{table.id}.pdf")

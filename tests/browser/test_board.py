"""Browser: the organiser opens the demo event, runs the scheduler and watches its progress,
drags one meeting to another table and publishes the new version."""
import pytest
from sqlalchemy import func, select

from planner.demo.seed import DEMO_ORGANISER_EMAIL, DEMO_PASSWORD
from planner.extensions import db
from planner.models import Event, Meeting, OutgoingMessage, ScheduleVersion
from planner.models.enums import MailKind
from planner.text.i18n import local_digits
from tests.browser import click_nav

pytestmark = pytest.mark.browser

# A movable meeting and a cell of another (non-host) table in the same slot whose occupancy is
# `occupied`: the page's function takes it as its argument.
FIND_TARGET = """(occupied) => {
  const rows = [...document.querySelectorAll('#board tbody tr')].filter(r => !r.querySelector('th.host'));
  for (const row of rows) {
    for (const cell of row.querySelectorAll('td.cell')) {
      const meeting = cell.querySelector('.meeting[draggable=true]');
      if (!meeting) continue;
      const column = [...row.children].indexOf(cell);
      for (const other of rows) {
        const target = other.children[column];
        if (other !== row && Boolean(target.querySelector('.meeting')) === occupied) {
          return {meeting: meeting.dataset.meeting, slot: target.dataset.slot, table: target.dataset.table};
        }
      }
    }
  }
  return null;
}"""


def _drag(page, move):
    """HTML5 drag and drop, event by event (headless chromium does not synthesise native drags)."""
    source = page.locator(f".meeting[data-meeting='{move['meeting']}']")
    target = page.locator(f"td.cell[data-slot='{move['slot']}'][data-table='{move['table']}']")
    data = page.evaluate_handle("() => new DataTransfer()")
    source.dispatch_event("dragstart", {"dataTransfer": data})
    target.dispatch_event("dragover", {"dataTransfer": data})
    target.dispatch_event("drop", {"dataTransfer": data})
    source.dispatch_event("dragend", {"dataTransfer": data})


def test_organiser_runs_scheduler_moves_a_meeting_and_publishes(live_server, demo_app, page):
    demo_app.config["KARVAN_JOBS"] = "thread"  # a real background run, as in production
    event = db.session.scalar(select(Event).where(Event.slug == "demo"))
    first = db.session.scalar(select(ScheduleVersion).where(ScheduleVersion.event_id == event.id,
                                                            ScheduleVersion.status == "published"))
    assert first is not None, "the demo event comes with a published schedule"

    page.goto(live_server.url + "/auth/login?lang=en")
    page.fill("input[name=email]", DEMO_ORGANISER_EMAIL)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main form [type=submit]")
    page.wait_for_load_state()
    click_nav(page, "nav >> text=Events & schedules")
    page.click(f"tr:has-text('{event.slug}') >> text=Scheduler and versions")
    page.wait_for_load_state()

    versions_before = page.locator("#versions tbody tr").count()
    page.fill("input[name=time_limit]", "4")
    page.click("#solve-form [type=submit]")
    page.wait_for_selector("#job progress")
    page.wait_for_selector(".job-status[data-status=running]", timeout=10000)
    fractions, figures = set(), set()
    for _ in range(8):
        fractions.add(float(page.locator("#job progress").get_attribute("value") or 0))
        figures.add(page.locator(".job-figures").inner_text())
        page.wait_for_timeout(300)
    assert len(fractions) > 1, "the progress bar moves while the scheduler runs"
    assert any("placed so far" in text and "Time left" in text for text in figures), figures
    page.wait_for_selector(".job-result a", state="visible", timeout=30000)
    assert page.locator(".job-status").get_attribute("data-status") == "done"
    assert "accepted requests placed" in page.locator(".job-figures").inner_text()
    # the versions list and the Run button come back without a reload (htmx, "solve-finished")
    page.wait_for_function(f"document.querySelectorAll('#versions tbody tr').length > {versions_before}", timeout=10000)
    assert page.locator("#solve-form [type=submit]").is_enabled()
    page.click(".job-result a")
    page.wait_for_selector("#board")
    assert "draft" in page.locator(".board-head").inner_text()

    move = page.evaluate(FIND_TARGET, False)  # a free cell
    assert move, "some meeting can move to a free table in its slot"
    clash = page.evaluate(FIND_TARGET, True)  # a cell with a meeting
    _drag(page, clash)  # onto a taken table: refused with the reason, nothing changes
    page.wait_for_selector("#board-error:not([hidden])")
    assert "already" in page.locator("#board-error").inner_text()
    _drag(page, move)
    page.wait_for_selector(f"td.cell[data-slot='{move['slot']}'][data-table='{move['table']}'] "
                           f".meeting[data-meeting='{move['meeting']}']", timeout=15000)
    db.session.expire_all()
    moved = db.session.get(Meeting, int(move["meeting"]))
    assert (moved.slot_id, moved.table_id) == (int(move["slot"]), int(move["table"]))

    # Publishing first shows who will be told; nothing is queued before the confirmation.
    page.click("#publish-submit")
    page.wait_for_selector("#publish-preview")
    emails = page.locator("[data-figure=emails]").inner_text()
    # every message of a publish: one iTIP message per meeting change and a digest per person
    updates = select(func.count(OutgoingMessage.id)).where(
        OutgoingMessage.kind.in_((MailKind.SCHEDULE_UPDATE, MailKind.INVITATION)))
    before = db.session.scalar(updates)
    page.click("#publish-confirm")
    page.wait_for_selector(".flash-success")
    queued = db.session.scalar(updates) - before
    assert queued > 0 and emails in (str(queued), local_digits(queued, "fa"))
    assert "is published" in page.locator(".flash-success").inner_text()
    db.session.expire_all()
    assert moved.version.status == "published"
    assert db.session.get(ScheduleVersion, first.id).status == "superseded"

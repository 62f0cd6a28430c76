"""Review: an over-long value in the exhibition CSV is reported with its line and column
(PostgreSQL used to refuse the row at flush time, a server error instead of the report)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from planner.exhibitions.services import import_exhibitions
from planner.extensions import db
from planner.models import Exhibition
from tests.exhibitions.test_exhibitions import HEADER, _row


@pytest.mark.parametrize("column, good, bad", [
    ("title_en", "Test show", "Test show " + "x" * 300),
    ("key", "test-1405", "k" * 81),
    ("venue", "Mashhad International Exhibition Center", "V" * 301),
])
def test_over_long_values_are_reported_not_crashing(any_app, column, good, bad):
    row = _row().replace(good, bad, 1)
    report = import_exhibitions("\n".join([HEADER, _row(key="good-1405"), row]) + "\n")
    assert not report.ok
    assert any(e.line == 3 and e.column == column for e in report.errors), [str(e) for e in report.errors]
    assert db.session.scalar(select(func.count()).select_from(Exhibition)) == 0

"""The demo's final report for last year prints the figures it was approved with, after a
correction to last year's records changes the dashboard's, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from demo_databases import demo_database
from sqlalchemy import func, select, text

from thep_desktop.models.annual_report import AnnualReport
from thep_desktop.services.annual_report.annual_report_service import (
    last_complete_year,
    report_sections,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role

LAST_YEAR = last_complete_year(date.today())


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_correction_after_approval_leaves_the_final_report_as_approved(
    request: pytest.FixtureRequest, kind: str
) -> None:
    actor = Actor("jo.bloggs", Role.ADMIN)
    with demo_database(request, kind) as db:
        services = Services(db, actor)
        report = services.annual_report
        approved = report.report_data(actor, LAST_YEAR)
        assert approved.final
        with db.read_session() as session:
            kept = session.scalars(select(AnnualReport.figures).order_by(AnnualReport.id)).all()
            inspections = session.scalar(text("SELECT count(*) FROM ofsted_inspection"))
        assert [figures is not None for figures in kept] == [True, False]  # final; draft
        assert inspections

        # Last year's inspections found to be wrong and taken out after the approval.
        with db.engine.begin() as connection:
            connection.execute(text("DELETE FROM ofsted_inspection"))

        now = report_sections(services.dashboard, actor, LAST_YEAR, LAST_YEAR.last_day, {})
        inspection_now = next(s for s in now if s.key == "inspection")
        inspection_then = next(s for s in approved.sections if s.key == "inspection")
        assert inspection_now.figures != inspection_then.figures  # the records did change

        again = report.report_data(actor, LAST_YEAR)
        assert again.sections == approved.sections
        assert (again.as_at, again.final, again.finalised_by) == (
            approved.as_at,
            True,
            approved.finalised_by,
        )
        # This year's draft is worked out from the records as they are now.
        this_year = report.report_data(actor, LAST_YEAR.next())
        assert not this_year.final
        with db.read_session() as session:
            assert session.scalar(select(func.count(AnnualReport.id))) == 2

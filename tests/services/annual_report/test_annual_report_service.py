"""The annual report's narrative, its lock once final (in the service and in the database),
and the report made from it: PDF text and xlsx appendix, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.annual_report import NARRATIVE_COLUMNS, ReportStatus
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.roles import Role
from thep_desktop.models.annual_report import AnnualReport
from thep_desktop.models.audit import AuditEvent
from thep_desktop.reports.shared.chart_data import Chart, ChartKind, Drill, Series, Unit
from thep_desktop.services.annual_report.annual_report_service import AnnualReportService
from thep_desktop.services.dashboard.dashboard_data import Dashboard, DrillList, DrillRow, Tile
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    ConflictError,
    PermissionDeniedError,
    ServiceError,
    ValidationError,
)

LAST_YEAR = AcademicYear(2024)
TODAY = date(2026, 12, 1)  # a day after 2024/25 and 2025/26 are over
TRICKY = (
    "We welcomed <b>two</b> schools: St Mary & St John.\n=SUM(A1) stays text.\n\nSecond paragraph."
)


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _row(db: Database, year: AcademicYear) -> AnnualReport | None:
    with db.read_session() as session:
        row = session.scalar(
            select(AnnualReport).where(AnnualReport.academic_year == year.start_year)
        )
        if row is not None:
            session.expunge(row)
        return row


def _final_report(db: Database, actor: Actor) -> AnnualReportService:
    service = AnnualReportService(db)
    saved = service.save_narrative(actor, LAST_YEAR, {"membership_text": "Kept as approved."})
    service.mark_final(
        actor, LAST_YEAR, "Grace Mensah", date(2025, 10, 20), saved.version, today=TODAY
    )
    return service


def test_a_year_not_written_yet_is_an_empty_draft_not_saved(db: Database, actor: Actor) -> None:
    narrative = AnnualReportService(db).narrative(actor, LAST_YEAR)
    assert not narrative.saved and narrative.status is ReportStatus.DRAFT
    assert narrative.title == "Annual report to the Advisory Council 2024/25"
    assert set(narrative.texts) == set(NARRATIVE_COLUMNS) and narrative.is_empty
    assert _row(db, LAST_YEAR) is None


def test_the_narrative_is_saved_as_written_and_read_back(db: Database, actor: Actor) -> None:
    service = AnnualReportService(db)
    first = service.save_narrative(actor, LAST_YEAR, {"membership_text": TRICKY}, title="Our year")
    assert first.saved and first.texts["membership_text"] == TRICKY
    second = service.save_narrative(
        actor, LAST_YEAR, {"finances_text": "Fees came in."}, expected_version=first.version
    )
    again = service.narrative(actor, LAST_YEAR)
    assert again == second
    assert again.title == "Our year"
    assert again.texts["membership_text"] == TRICKY  # left as it was
    assert again.texts["finances_text"] == "Fees came in."
    assert [y.year for y in service.years(actor)] == [LAST_YEAR]
    with db.read_session() as session:
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.table_name == "annual_report")
        ).all()
    assert len(audited) == 2


def test_a_save_over_someone_elses_is_refused_and_changes_nothing(
    db: Database, actor: Actor
) -> None:
    service = AnnualReportService(db)
    first = service.save_narrative(actor, LAST_YEAR, {"membership_text": "Mine"})
    service.save_narrative(
        actor, LAST_YEAR, {"membership_text": "Theirs"}, expected_version=first.version
    )
    with pytest.raises(ConflictError):
        service.save_narrative(
            actor, LAST_YEAR, {"membership_text": "Mine again"}, expected_version=first.version
        )
    assert service.narrative(actor, LAST_YEAR).texts["membership_text"] == "Theirs"


def test_bad_input_is_refused_in_words(db: Database, actor: Actor) -> None:
    service = AnnualReportService(db)
    with pytest.raises(ValidationError, match="no section called"):
        service.save_narrative(actor, LAST_YEAR, {"salaries_text": "x"})
    with pytest.raises(ValidationError, match="Title is too long"):
        service.save_narrative(actor, LAST_YEAR, {}, title="x" * 201)
    viewer = Actor("vera", Role.VIEWER)
    with pytest.raises(PermissionDeniedError):
        service.save_narrative(viewer, LAST_YEAR, {"membership_text": "x"})
    assert _row(db, LAST_YEAR) is None


def test_marking_final_is_refused_for_an_empty_report_an_unfinished_year_or_a_future_day(
    db: Database, actor: Actor
) -> None:
    service = AnnualReportService(db)
    with pytest.raises(ValidationError, match="no text yet"):
        service.mark_final(actor, LAST_YEAR, "Grace", date(2025, 10, 1), today=TODAY)
    saved = service.save_narrative(actor, LAST_YEAR, {"introduction": "Hello"})
    with pytest.raises(ValidationError, match="once the year is over, from 01/09/2025"):
        service.mark_final(actor, LAST_YEAR, "Grace", date(2025, 8, 31), today=TODAY)
    with pytest.raises(ValidationError, match="cannot be after today"):
        service.mark_final(actor, LAST_YEAR, "Grace", date(2026, 12, 2), today=TODAY)
    with pytest.raises(ValidationError, match="Approved by is required"):
        service.mark_final(actor, LAST_YEAR, " ", date(2025, 10, 1), today=TODAY)
    assert service.narrative(actor, LAST_YEAR) == saved


def test_a_final_report_is_refused_through_the_service_and_nothing_changes(
    db: Database, actor: Actor
) -> None:
    service = _final_report(db, actor)
    final = service.narrative(actor, LAST_YEAR)
    assert final.final and final.finalised_by == "Grace Mensah"
    assert final.finalised_on == date(2025, 10, 20)
    with pytest.raises(ServiceError, match="final and cannot be changed; nothing was saved"):
        service.save_narrative(
            actor, LAST_YEAR, {"membership_text": "Rewritten"}, expected_version=final.version
        )
    with pytest.raises(ServiceError, match="final and cannot be changed"):
        service.mark_final(actor, LAST_YEAR, "Someone else", date(2025, 11, 1), today=TODAY)
    assert service.narrative(actor, LAST_YEAR) == final


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE annual_report SET membership_text = 'Rewritten'",
        "UPDATE annual_report SET status = 'draft'",
        "UPDATE annual_report SET figures = '{}'",
        "DELETE FROM annual_report",
    ],
)
def test_a_final_report_is_refused_by_the_database_itself(
    db: Database, actor: Actor, statement: str
) -> None:
    service = _final_report(db, actor)
    before = service.narrative(actor, LAST_YEAR)
    with pytest.raises(DBAPIError, match="This annual report is final and cannot be changed"):
        with db.engine.begin() as connection:
            connection.execute(text(statement))
    assert service.narrative(actor, LAST_YEAR) == before
    row = _row(db, LAST_YEAR)
    assert row is not None and row.figures is not None and row.figures != "{}"


def test_a_final_report_needs_its_figures_in_the_database_too(db: Database, actor: Actor) -> None:
    """Nothing can mark a report final without keeping its figures: a CHECK refuses it."""
    AnnualReportService(db).save_narrative(actor, LAST_YEAR, {"membership_text": "Draft"})
    with pytest.raises(DBAPIError, match="final_report_keeps_figures"):
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE annual_report SET status = 'final', finalised_on = '2025-10-20', "
                    "finalised_by = 'Grace Mensah'"
                )
            )
    row = _row(db, LAST_YEAR)
    assert row is not None and row.status is ReportStatus.DRAFT and row.figures is None


def test_a_final_report_prints_the_figures_it_was_approved_with(db: Database, actor: Actor) -> None:
    service = AnnualReportService(db)
    figures = _Figures()
    service._dashboard = figures  # type: ignore[assignment]
    saved = service.save_narrative(actor, LAST_YEAR, {"membership_text": "As approved."})
    draft = service.report_data(actor, LAST_YEAR, today=TODAY)
    service.mark_final(
        actor, LAST_YEAR, "Grace Mensah", date(2025, 10, 20), saved.version, today=TODAY
    )
    figures.full_members = 80  # last year's records corrected after the approval
    approved = service.report_data(actor, LAST_YEAR, today=date(2027, 3, 1))
    assert approved.final and approved.as_at == date(2025, 8, 31)
    assert approved.sections == draft.sections  # the figures, charts and tables as approved
    membership = next(s for s in approved.sections if s.key == "membership")
    assert membership.narrative == "As approved."
    assert [f.value for f in membership.figures][:1] == ["75"]
    # The window's figures beside each section: the same kept ones, without the tables.
    as_at, beside = service.section_figures(actor, LAST_YEAR, today=date(2027, 3, 1))
    assert as_at == date(2025, 8, 31)
    assert [(s.figures, s.charts) for s in beside] == [
        (s.figures, s.charts) for s in draft.sections
    ]
    assert not any(s.tables for s in beside) and any(s.tables for s in draft.sections)
    # Read from what was kept, not worked out again: the dashboard was asked twice (the
    # draft, and the figures kept when it was marked final), not a third time.
    assert figures.asked == [date(2025, 8, 31), date(2025, 8, 31)]


def test_a_draft_may_still_be_changed_directly(db: Database, actor: Actor) -> None:
    """The triggers refuse only final reports: a draft is the office's to rewrite."""
    AnnualReportService(db).save_narrative(actor, LAST_YEAR, {"membership_text": "Draft"})
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE annual_report SET membership_text = 'Redrafted'"))
    row = _row(db, LAST_YEAR)
    assert row is not None and row.membership_text == "Redrafted"


def test_a_year_with_no_records_makes_a_report_that_says_so(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    service = AnnualReportService(db)
    year = AcademicYear(2019)
    service.save_narrative(actor, year, {"membership_text": TRICKY})
    data = service.report_data(actor, year, today=TODAY)
    assert data.as_at == date(2020, 8, 31)
    assert [s.empty_words for s in data.sections[1:]] == ["No records for 2019/20."] * 5
    pdf = tmp_path / "report.pdf"
    service.write_pdf(actor, year, pdf, today=TODAY)
    words = _pdf_text(pdf)
    assert "Annual report to the Advisory Council 2019/20" in words
    assert words.count("No records for 2019/20.") == 5
    assert "Draft: not yet approved" in words and "Contents" in words
    # The narrative prints as written: markup shown, not obeyed; a formula as text.
    assert "We welcomed <b>two</b> schools: St Mary & St John." in words
    assert "=SUM(A1) stays text." in words
    appendix = tmp_path / "appendix.xlsx"
    service.write_appendix(actor, year, appendix, today=TODAY)
    book = load_workbook(appendix)
    assert book.sheetnames == ["Contents"]
    assert "No records for 2019/20 in: Membership" in book["Contents"]["A2"].value


def test_a_year_not_begun_is_refused_in_words(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationError, match="2027/28 has not begun yet"):
        AnnualReportService(db).report_data(actor, AcademicYear(2027), today=TODAY)


# -- the dashboard's figures in the report ------------------------------------------------------


class _Figures:
    """The dashboard as the report reads it: known figures, charts and one list behind."""

    def __init__(self) -> None:
        self.asked: list[date | None] = []
        self.full_members = 75

    def dashboard(self, actor: Actor, as_at: date | None = None, **_: Any) -> Dashboard:
        self.asked.append(as_at)
        drill = Drill("members_joined", {"year": "2024"}, "Members who joined in 2024/25")
        tiles = (
            Tile("membership.full_members", "membership", "Full members", self.full_members),
            Tile("membership.joined_this_year", "membership", "Joined this year", 2, drill=drill),
            Tile(
                "money.invoiced_this_year",
                "money",
                "Fees invoiced",
                Decimal("41250.50"),
                Unit.MONEY,
                detail="last year £40,000.00",
            ),
            Tile(
                "membership.share_of_pupils",
                "membership",
                "Share of pupils",
                Decimal("45.25"),
                Unit.PERCENT,
            ),
        )
        charts = (
            Chart(
                "money.aged_debt",
                "Aged debt",
                ChartKind.BAR,
                ("Not yet due", "Over 90 days"),
                (Series("Owed", (Decimal("1200.00"), Decimal("350.75"))),),
                Unit.MONEY,
            ),
        )
        assert as_at is not None
        return Dashboard(as_at, AcademicYear.of(as_at), 4, tiles, charts, 9)

    def records_behind(
        self, actor: Actor, drill: Drill, as_at: date | None = None, **_: Any
    ) -> DrillList:
        rows = (
            DrillRow(
                1,
                100001,
                ('=HYPERLINK("x")', "02/09/2024", "£1,234.50"),
                ('=HYPERLINK("x")', date(2024, 9, 2), Decimal("1234.50")),
            ),
            DrillRow(
                2,
                100002,
                ("St Mary & St John", "01/03/2025", "£99.00"),
                ("St Mary & St John", date(2025, 3, 1), Decimal("99.00")),
            ),
        )
        return DrillList(drill.title, drill.kind, ("School", "Joined", "Fee"), rows)


def test_the_report_prints_the_dashboards_figures_and_the_appendix_holds_them(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    service = AnnualReportService(db)
    figures = _Figures()
    service._dashboard = figures  # type: ignore[assignment]
    pdf, appendix = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    data = service.write_pdf(actor, LAST_YEAR, pdf, today=TODAY)
    service.write_appendix(actor, LAST_YEAR, appendix, today=TODAY)
    assert figures.asked == [date(2025, 8, 31), date(2025, 8, 31)]  # the year's last day
    words = _pdf_text(pdf)
    for expected in (
        "Full members",
        "75",
        "£41,250.50",
        "last year £40,000.00",
        "45.3%",
        "Aged debt",
        "£1,200.00",
        "£350.75",
        "Members who joined in 2024/25",
        '=HYPERLINK("x")',
        "St Mary & St John",
        "02/09/2024",
        "£1,234.50",
    ):
        assert expected in words, expected
    membership = next(s for s in data.sections if s.key == "membership")
    assert not membership.empty_words and len(membership.tables) == 1
    assert [s.empty_words for s in data.sections if s.key in ("peer_review", "governance")] == [
        "No records for 2024/25.",
        "No records for 2024/25.",
    ]

    book = load_workbook(appendix)
    assert book.sheetnames[0] == "Contents"
    contents = [[c.value for c in row] for row in book["Contents"].iter_rows(min_row=4)]
    assert contents == [
        ["1. Members who joined in 2024 2", "Membership", "Members who joined in 2024/25", 2],
        ["2. Aged debt", "Finances", "Aged debt", 2],
    ]
    joined = book[book.sheetnames[1]]
    header = [c.value for c in joined[3]]
    assert header == ["School", "Joined", "Fee"]
    first, second = ([c for c in row] for row in joined.iter_rows(min_row=4, max_row=5))
    assert first[0].value == '=HYPERLINK("x")' and first[0].data_type == "s"
    assert first[1].value.date() == date(2024, 9, 2) and first[1].number_format == "dd/mm/yyyy"
    assert first[2].value == Decimal("1234.50") or first[2].value == 1234.5
    assert "£" in first[2].number_format
    assert second[0].value == "St Mary & St John"
    debt = book[book.sheetnames[2]]
    rows = [[c.value for c in row] for row in debt.iter_rows(min_row=4)]
    assert rows == [["Not yet due", 1200], ["Over 90 days", 350.75]]


def test_the_files_are_written_whole_or_not_at_all(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    service = AnnualReportService(db)
    tmp_path = tmp_path / "files"
    tmp_path.mkdir()
    earlier = tmp_path / "report.pdf"
    earlier.write_bytes(b"the earlier report")
    with pytest.raises(ValidationError, match="has not begun yet"):
        service.write_pdf(actor, AcademicYear(2027), earlier, today=TODAY)
    assert earlier.read_bytes() == b"the earlier report"
    with pytest.raises(ValidationError, match="ending in .xlsx"):
        service.write_appendix(actor, LAST_YEAR, tmp_path / "appendix.pdf", today=TODAY)
    missing = tmp_path / "no such folder" / "report.pdf"
    with pytest.raises(OfficeError) as refused:
        service.write_pdf(actor, LAST_YEAR, missing, today=TODAY)
    assert "no such folder" in str(refused.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]

"""The annual report to the Advisory Council: the office's narrative for one academic year.

What is kept is what the office writes, section by section. A draft's figures, tables and
charts are worked out from the records each time it is made; marking the report final
keeps them with it (``figures``), as they stood on the year's last day. From then on it
never changes: the service refuses, and so does the database (triggers made by migration
0015 refuse an UPDATE or DELETE of a final report).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from thep_desktop.domain.annual_report import ReportStatus
from thep_desktop.models.base import Base, RecordMixin, value_enum


class AnnualReport(RecordMixin, Base):
    """One academic year's report (``academic_year`` is its first calendar year)."""

    __tablename__ = "annual_report"
    __table_args__ = (
        CheckConstraint(
            "status <> 'final' OR (finalised_on IS NOT NULL AND finalised_by <> '')",
            name="final_report_is_dated",
        ),
        CheckConstraint(
            "status <> 'final' OR figures IS NOT NULL", name="final_report_keeps_figures"
        ),
    )

    academic_year: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[ReportStatus] = mapped_column(
        value_enum(ReportStatus, "report_status"), default=ReportStatus.DRAFT
    )
    title: Mapped[str] = mapped_column(String(200), default="")
    introduction: Mapped[str] = mapped_column(Text, default="")
    membership_text: Mapped[str] = mapped_column(Text, default="")
    finances_text: Mapped[str] = mapped_column(Text, default="")
    peer_review_text: Mapped[str] = mapped_column(Text, default="")
    inspection_text: Mapped[str] = mapped_column(Text, default="")
    governance_text: Mapped[str] = mapped_column(Text, default="")
    finalised_on: Mapped[date | None] = mapped_column(Date)
    finalised_by: Mapped[str] = mapped_column(String(200), default="")
    # A final report's figures, charts and tables as JSON (reports/annual_report/
    # report_snapshot.py); none while it is a draft.
    figures: Mapped[str | None] = mapped_column(Text)

"""A review cycle's schedule as an Excel workbook: every review, and each school's year."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.peer_reviews import ReviewStatus
from thep_desktop.domain.progress import Progress
from thep_desktop.reports.peer_reviews.schedule_data import ReviewSchedule, ScheduledReview
from thep_desktop.reports.shared.spreadsheet import ColumnSpec, ExportError, TableData, write_xlsx

# One line a cell: a cell with line breaks shows only its first line until it is widened
# and wrapped, and a filter on "contains" reads one line as well as many.

REVIEW_COLUMNS = (
    ColumnSpec("Cluster"),
    ColumnSpec("First day", "date"),
    ColumnSpec("Last day", "date"),
    ColumnSpec("Day"),
    ColumnSpec("Host URN", "integer"),
    ColumnSpec("Host school"),
    ColumnSpec("Reviewing schools"),
    ColumnSpec("Lead reviewer"),
    ColumnSpec("Reviewers"),
    ColumnSpec("Focus"),
    ColumnSpec("Status"),
    *(ColumnSpec(f"{status.label} on", "date") for status in ReviewStatus),
    ColumnSpec("QA outcome"),
)
SCHOOL_COLUMNS = (
    ColumnSpec("School"),
    ColumnSpec("URN", "integer"),
    ColumnSpec("Clusters"),
    ColumnSpec("Hosts on", "date"),
    ColumnSpec("Host status"),
    ColumnSpec("Reviewed by"),
    ColumnSpec("Reviews given", "count"),
    ColumnSpec("Reviews at"),
)


def _review_row(review: ScheduledReview) -> tuple[object, ...]:
    lead = review.lead
    return (
        review.cluster_label,
        review.starts_on,
        review.ends_on,
        review.day_names,
        review.host.urn,
        review.host.name,
        ", ".join(review.team_names),
        lead.short_label if lead is not None else "",
        "; ".join(reviewer.label for reviewer in review.reviewers),
        "; ".join(review.focus),
        review.status.label,
        *(review.status_dates.get(status) for status in ReviewStatus),
        review.qa_outcome.label if review.qa_outcome is not None else "",
    )


def _visit(review: ScheduledReview) -> str:
    """``Bow School on 04/11/2025`` (``… (no date yet)``)."""
    if review.starts_on is None:
        return f"{review.host.name} (no date yet)"
    if review.ends_on and review.ends_on != review.starts_on:
        when = f"{format_date(review.starts_on)} to {format_date(review.ends_on)}"
    else:
        when = format_date(review.starts_on)
    return f"{review.host.name} on {when}"


def _school_rows(schedule: ReviewSchedule) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for school in schedule.schools:
        hosting = schedule.hosting(school.school_id)
        reviewing = schedule.reviewing(school.school_id)
        clusters = sorted({r.cluster_label for r in (*hosting, *reviewing)}, key=str.casefold)
        # A school hosts once a cycle; should it host twice, every date is listed.
        first_hosting = hosting[0] if hosting else None
        rows.append(
            (
                school.name,
                school.urn,
                ", ".join(clusters),
                first_hosting.starts_on if first_hosting else None,
                "; ".join(r.status.label for r in hosting),
                "; ".join(", ".join(r.team_names) for r in hosting),
                len(reviewing),
                "; ".join(_visit(r) for r in reviewing),
            )
        )
    return rows


def schedule_table(schedule: ReviewSchedule, *, source: str = "") -> TableData:
    """The workbook's sheets: "Reviews" (one row a review) and "By school" (one row a school)."""
    school_rows = _school_rows(schedule)
    by_school = TableData(
        title="By school",
        subtitle=f"{schedule.heading}: the review each school hosts and those it reviews at",
        columns=list(SCHOOL_COLUMNS),
        rows=school_rows,
        row_count=len(school_rows),
        source=source,
        exported_at=schedule.printed_at,
    )
    return TableData(
        title="Reviews",
        subtitle=f"{schedule.heading}. {schedule.summary()}",
        columns=list(REVIEW_COLUMNS),
        rows=[_review_row(review) for review in schedule.reviews],
        row_count=len(schedule.reviews),
        source=source,
        exported_at=schedule.printed_at,
        more_sheets=[by_school],
    )


def write_schedule_xlsx(
    path_or_stream: str | Path | BinaryIO,
    schedule: ReviewSchedule,
    *,
    source: str = "",
    progress: Progress | None = None,
) -> int:
    """The schedule as a workbook, written whole or not at all; returns the reviews written.

    Dates are real dates shown dd/mm/yyyy; each sheet has a frozen header with a filter.
    """
    if isinstance(path_or_stream, str | Path) and Path(path_or_stream).suffix.casefold() != (
        ".xlsx"
    ):
        raise ExportError("Choose a file ending .xlsx for the schedule as a workbook.")
    return write_xlsx(path_or_stream, schedule_table(schedule, source=source), progress)

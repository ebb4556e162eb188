"""The annual report to the Advisory Council: the office's narrative per academic year, kept
until the report is marked final and locked like approved minutes, and the report's plain data
(narrative with the dashboard's figures, charts and the tables behind them) for the PDF and
the xlsx appendix.

Marking a report final keeps its figures, charts and tables with it, as they stood on the
year's last day (reports/annual_report/report_snapshot.py): a final report prints the same
figures however last year's records are corrected later. A final report is refused here in
words, and by the database's triggers (migration 0015) if anything else tries to UPDATE or
DELETE it; that refusal is said in the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.annual_report import NARRATIVE_COLUMNS, SECTIONS, ReportStatus
from thep_desktop.domain.dates import format_date
from thep_desktop.models.annual_report import AnnualReport
from thep_desktop.reports.annual_report.report_data import (
    COUNT,
    DATE,
    MONEY,
    TEXT,
    AnnualReportData,
    Figure,
    ReportSection,
    ReportTable,
    value_words,
)
from thep_desktop.reports.annual_report.report_snapshot import (
    SnapshotError,
    sections_from_json,
    sections_to_json,
)
from thep_desktop.reports.shared.chart_data import Chart, ChartKind, Unit
from thep_desktop.services.annual_report.annual_report_permissions import WRITE_ANNUAL_REPORT
from thep_desktop.services.dashboard.dashboard_data import Dashboard, DrillList, Tile
from thep_desktop.services.dashboard.dashboard_service import DashboardService
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    ServiceError,
    ValidationError,
    changed_meanwhile,
)
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

# Each section's dashboard area (the introduction has no figures of its own).
SECTION_AREAS: dict[str, str] = {
    "membership": "membership",
    "finances": "money",
    "peer_review": "peer_review",
    "inspection": "inspection",
    "governance": "governance",
}
TRIGGER_WORDS = "final and cannot be changed"
LABELS = {
    "title": "Title",
    "finalised_by": "Approved by",
    "finalised_on": "Approved on",
    **{column: f"{heading} text" for _key, heading, column in SECTIONS},
}


def default_title(year: AcademicYear) -> str:
    return f"Annual report to the Advisory Council {year.label}"


def last_complete_year(today: date) -> AcademicYear:
    """The academic year the Advisory Council would expect a report on: the last one over."""
    return AcademicYear.of(today).previous()


def final_refusal(year: AcademicYear) -> ServiceError:
    return ServiceError(
        f"The annual report for {year.label} is final and cannot be changed; nothing was saved."
    )


@dataclass(frozen=True)
class Narrative:
    """One year's narrative as the office wrote it (or an empty draft not yet saved)."""

    year: AcademicYear
    title: str
    texts: Mapping[str, str]  # NARRATIVE_COLUMNS -> text
    status: ReportStatus = ReportStatus.DRAFT
    version: int | None = None  # None: not saved yet
    finalised_on: date | None = None
    finalised_by: str = ""
    updated_by: str = ""

    @property
    def saved(self) -> bool:
        return self.version is not None

    @property
    def final(self) -> bool:
        return self.status is ReportStatus.FINAL

    @property
    def is_empty(self) -> bool:
        return not any(t.strip() for t in self.texts.values())

    @property
    def status_words(self) -> str:
        if self.final and self.finalised_on is not None:
            return (
                f"Final: approved on {format_date(self.finalised_on)} by {self.finalised_by}. "
                "It can no longer be changed."
            )
        return "Draft: not saved yet." if not self.saved else "Draft."


@dataclass(frozen=True)
class YearReport:
    year: AcademicYear
    status: ReportStatus
    finalised_on: date | None = None
    finalised_by: str = ""


class AnnualReportService:
    def __init__(self, database: Database) -> None:
        self.db = database
        self._dashboard = DashboardService(database)

    # -- the narrative ----------------------------------------------------------------------
    def narrative(self, actor: Actor, year: AcademicYear) -> Narrative:
        """The year's narrative, or an empty draft not yet saved."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.scalar(
                select(AnnualReport).where(AnnualReport.academic_year == year.start_year)
            )
            if row is None:
                return Narrative(year, default_title(year), dict.fromkeys(NARRATIVE_COLUMNS, ""))
            return _narrative(row)

    def years(self, actor: Actor) -> list[YearReport]:
        """The years that have a report, latest first, with their status."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            rows = session.execute(
                select(
                    AnnualReport.academic_year,
                    AnnualReport.status,
                    AnnualReport.finalised_on,
                    AnnualReport.finalised_by,
                ).order_by(AnnualReport.academic_year.desc())
            ).all()
        return [YearReport(AcademicYear(y), s, on, by) for y, s, on, by in rows]

    @save
    def save_narrative(
        self,
        actor: Actor,
        year: AcademicYear,
        texts: Mapping[str, str],
        title: str | None = None,
        expected_version: int | None = None,
    ) -> Narrative:
        """Save the sections' texts given (others left as they are); the first save makes the
        year's report. ``expected_version`` is the version read (None for a report not yet
        saved): a report changed meanwhile by someone else is not overwritten."""
        actor.require(WRITE_ANNUAL_REPORT)
        unknown = sorted(set(texts) - set(NARRATIVE_COLUMNS))
        if unknown:
            raise ValidationError({unknown[0]: f"The report has no section called {unknown[0]!r}."})
        checker = FieldChecker(AnnualReport.__table__, LABELS)  # type: ignore[arg-type]
        cleaned = {column: _keep_text(checker, column, text) for column, text in texts.items()}
        new_title = checker.text("title", title) if title is not None else None
        if checker.errors:
            raise ValidationError(checker.errors)
        try:
            with self.db.session() as session:
                row = session.scalar(
                    select(AnnualReport).where(AnnualReport.academic_year == year.start_year)
                )
                if row is None:
                    if expected_version is not None:
                        raise changed_meanwhile("annual report")
                    row = AnnualReport(
                        academic_year=year.start_year,
                        status=ReportStatus.DRAFT,
                        title=new_title or default_title(year),
                        created_by=actor.name,
                        updated_by=actor.name,
                        **dict.fromkeys(NARRATIVE_COLUMNS, ""),
                    )
                    session.add(row)
                else:
                    if row.status is ReportStatus.FINAL:
                        raise final_refusal(year)
                    if expected_version is None or row.version != expected_version:
                        raise changed_meanwhile("annual report")
                    row.updated_by = actor.name
                    if new_title is not None:
                        row.title = new_title or default_title(year)
                for column, text in cleaned.items():
                    setattr(row, column, text)
                session.flush()
                return _narrative(row)
        except StaleDataError:
            raise changed_meanwhile("annual report") from None
        except IntegrityError as exc:
            if TRIGGER_WORDS in str(exc.orig):
                raise final_refusal(year) from None
            # Two people saving the year's first draft at once: the second is told.
            raise changed_meanwhile("annual report") from None
        except DBAPIError as exc:
            if TRIGGER_WORDS in str(exc.orig):
                raise final_refusal(year) from None
            raise

    @save
    def mark_final(
        self,
        actor: Actor,
        year: AcademicYear,
        by: str,
        on: date,
        expected_version: int | None = None,
        *,
        today: date | None = None,
    ) -> Narrative:
        """Mark the year's report final, approved by ``by`` on ``on``: from then on it never
        changes. Refused while every section is empty, before the year is over (its figures
        could still change), and for a day after today."""
        actor.require(WRITE_ANNUAL_REPORT)
        today = today or date.today()
        checker = FieldChecker(AnnualReport.__table__, LABELS)  # type: ignore[arg-type]
        by = checker.text("finalised_by", by, required=True)
        if on > today:
            checker.fail("finalised_on", "The day it was approved cannot be after today.")
        elif on <= year.last_day:
            checker.fail(
                "finalised_on",
                f"The report for {year.label} can be approved once the year is over, "
                f"from {format_date(year.next().first_day)}: "
                "until then its figures may still change.",
            )
        if checker.errors:
            raise ValidationError(checker.errors)
        # The figures as at the year's last day, kept with the report from now on (the year
        # is over, so they are the figures a print made today shows).
        figures = sections_to_json(report_sections(self._dashboard, actor, year, year.last_day, {}))
        try:
            with self.db.session() as session:
                row = session.scalar(
                    select(AnnualReport).where(AnnualReport.academic_year == year.start_year)
                )
                if row is None or not any(getattr(row, c).strip() for c in NARRATIVE_COLUMNS):
                    raise ValidationError(
                        {
                            "narrative": f"The report for {year.label} has no text yet: write "
                            "at least one section before marking it final."
                        }
                    )
                if row.status is ReportStatus.FINAL:
                    raise final_refusal(year)
                if expected_version is not None and row.version != expected_version:
                    raise changed_meanwhile("annual report")
                row.status = ReportStatus.FINAL
                row.finalised_on = on
                row.finalised_by = by
                row.figures = figures
                row.updated_by = actor.name
                session.flush()
                return _narrative(row)
        except StaleDataError:
            raise changed_meanwhile("annual report") from None
        except DBAPIError as exc:
            if TRIGGER_WORDS in str(exc.orig):
                raise final_refusal(year) from None
            raise

    # -- the report's data and files --------------------------------------------------------
    def report_data(
        self, actor: Actor, year: AcademicYear, *, today: date | None = None
    ) -> AnnualReportData:
        """The report for ``year``: its narrative, and the dashboard's figures, charts and
        the records behind them as at the year's last day (today while the year runs); a
        final report's as they were kept when it was marked final."""
        today = today or date.today()
        narrative = self.narrative(actor, year)
        as_at, sections = self._sections(actor, narrative, today, tables=True)
        organisation = _organisation_name(self.db, actor)
        return AnnualReportData(
            year_label=year.label,
            title=narrative.title or default_title(year),
            organisation=organisation,
            as_at=as_at,
            final=narrative.final,
            finalised_on=narrative.finalised_on,
            finalised_by=narrative.finalised_by,
            sections=sections,
            made_on=today,
            year_ends_on=year.last_day,
        )

    def section_figures(
        self, actor: Actor, year: AcademicYear, *, today: date | None = None
    ) -> tuple[date, tuple[ReportSection, ...]]:
        """The day the report's figures describe, and each section's figures and charts as
        the report prints them (kept ones for a final report), without the tables behind
        them: what the window shows beside each section's text."""
        narrative = self.narrative(actor, year)
        return self._sections(actor, narrative, today or date.today(), tables=False)

    def _sections(
        self, actor: Actor, narrative: Narrative, today: date, *, tables: bool
    ) -> tuple[date, tuple[ReportSection, ...]]:
        year = narrative.year
        if year.first_day > today:
            raise ValidationError(
                {
                    "year": f"{year.label} has not begun yet: it starts on "
                    f"{format_date(year.first_day)}."
                }
            )
        kept = self._kept_figures(year) if narrative.final else None
        if kept is not None:
            # As approved: the figures kept when it was marked final, with its locked text.
            texts = {key: narrative.texts[column] for key, _heading, column in SECTIONS}
            return year.last_day, tuple(
                replace(s, narrative=texts.get(s.key, ""), tables=s.tables if tables else ())
                for s in kept
            )
        as_at = min(year.last_day, today)
        return as_at, report_sections(
            self._dashboard, actor, year, as_at, narrative.texts, tables=tables
        )

    def write_pdf(
        self, actor: Actor, year: AcademicYear, out: str | Path, *, today: date | None = None
    ) -> AnnualReportData:
        """The report's PDF on the letterhead at ``out``, written whole or not at all."""
        from thep_desktop.reports.annual_report.annual_report_pdf import annual_report_pdf_bytes
        from thep_desktop.reports.governance.governance_pdf import write_pdf
        from thep_desktop.services.letters.mail_merge import letterhead_from
        from thep_desktop.services.settings.organisation_service import OrganisationService

        data = self.report_data(actor, year, today=today)
        letterhead = letterhead_from(OrganisationService(self.db).get_profile(actor))
        write_pdf(_target(out, ".pdf"), annual_report_pdf_bytes(data, letterhead))
        return data

    def write_appendix(
        self, actor: Actor, year: AcademicYear, out: str | Path, *, today: date | None = None
    ) -> AnnualReportData:
        """The xlsx appendix of the tables behind the report at ``out``, whole or not at all."""
        from thep_desktop.reports.annual_report.annual_report_workbook import write_appendix

        data = self.report_data(actor, year, today=today)
        write_appendix(_target(out, ".xlsx"), data)
        return data

    def _kept_figures(self, year: AcademicYear) -> tuple[ReportSection, ...] | None:
        with self.db.read_session() as session:
            text = session.scalar(
                select(AnnualReport.figures).where(AnnualReport.academic_year == year.start_year)
            )
        if text is None:
            return None
        try:
            return sections_from_json(text)
        except SnapshotError as exc:
            raise ServiceError(str(exc)) from None


def report_sections(
    figures: DashboardService,
    actor: Actor,
    year: AcademicYear,
    as_at: date,
    texts: Mapping[str, str],
    *,
    tables: bool = True,
) -> tuple[ReportSection, ...]:
    """Each section of the report for ``year``: its narrative (``texts`` by column), and the
    dashboard's figures, charts and (with ``tables``) the records behind them as at
    ``as_at``."""
    dashboard = figures.dashboard(actor, as_at)
    return tuple(
        _section(figures, actor, dashboard, year, key, heading, texts.get(column, ""), tables)
        for key, heading, column in SECTIONS
    )


def _section(
    figures: DashboardService,
    actor: Actor,
    dashboard: Dashboard,
    year: AcademicYear,
    key: str,
    heading: str,
    text: str,
    with_tables: bool = True,
) -> ReportSection:
    area = SECTION_AREAS.get(key)
    if area is None:
        return ReportSection(key, heading, text)
    tiles, charts = dashboard.in_area(area)
    if not any(t.value for t in tiles) and all(c.is_empty for c in charts):
        return ReportSection(key, heading, text, empty_words=f"No records for {year.label}.")
    shown_figures = tuple(
        Figure(t.key, t.label, value_words(t.value, t.unit), t.detail) for t in tiles
    )
    shown = tuple(c for c in charts if not c.is_empty)
    if not with_tables:
        return ReportSection(key, heading, text, shown_figures, shown)
    tables = [chart_table(c) for c in shown]
    listed: set[object] = set()
    for tile in tiles:
        # Two figures counting the same records (members, and their share of the
        # borough) list them once.
        if tile.drill is None or tile.drill.key() in listed:
            continue
        listed.add(tile.drill.key())
        records = _records(figures, actor, tile, dashboard)
        if records is not None:
            tables.append(records)
    return ReportSection(key, heading, text, shown_figures, shown, tuple(tables))


def _records(
    figures: DashboardService, actor: Actor, tile: Tile, dashboard: Dashboard
) -> ReportTable | None:
    """The records a tile counts, as a table (None when it counts none or has no list)."""
    # A share (percent) lists the same schools as the count it is a share of.
    if tile.drill is None or not tile.value or tile.unit is Unit.PERCENT:
        return None
    try:
        records = figures.records_behind(
            actor,
            tile.drill,
            dashboard.as_at,
            inspection_years=dashboard.inspection_years,
        )
    except ValidationError:
        return None  # a figure with no list behind it
    return drill_table(tile.drill.title or tile.label, records)


# -- plain helpers ----------------------------------------------------------------------------


def _keep_text(checker: FieldChecker, column: str, text: object) -> str:
    """A narrative as written: its line breaks and blank lines (paragraphs) kept."""
    value = "" if text is None else str(text)
    checked = checker.text(column, value)
    # FieldChecker trims the ends; the inside (blank lines between paragraphs) is kept.
    return checked.replace("\r\n", "\n")


def _narrative(row: AnnualReport) -> Narrative:
    return Narrative(
        year=AcademicYear(row.academic_year),
        title=row.title,
        texts={column: getattr(row, column) or "" for column in NARRATIVE_COLUMNS},
        status=row.status,
        version=row.version,
        finalised_on=row.finalised_on,
        finalised_by=row.finalised_by,
        updated_by=row.updated_by,
    )


def _organisation_name(db: Database, actor: Actor) -> str:
    from thep_desktop.services.settings.organisation_service import OrganisationService

    return OrganisationService(db).get_profile(actor).name


def _target(out: str | Path, suffix: str) -> Path:
    path = Path(out)
    if path.suffix.lower() != suffix:
        raise ValidationError({"out": f"Give a file name ending in {suffix}, e.g. report{suffix}."})
    return path


def chart_table(chart: Chart) -> ReportTable:
    """A chart's figures as a table: a row per category, a column per series."""
    kind = MONEY if chart.unit is Unit.MONEY else TEXT if chart.unit is Unit.PERCENT else COUNT
    if chart.kind is ChartKind.PIE:
        names = tuple(s.name for s in chart.series[:1])
    else:
        names = tuple(s.name for s in chart.series)
    rows = []
    for index, category in enumerate(chart.categories):
        values: list[object] = []
        for series in chart.series[: len(names)]:
            value = series.values[index]
            values.append(value_words(value, Unit.PERCENT) if kind == TEXT else value)
        rows.append((category, *values))
    return ReportTable(
        title=chart.title,
        columns=("", *names),
        kinds=(TEXT, *([kind] * len(names))),
        rows=tuple(rows),
        note=chart.note,
    )


def drill_table(title: str, records: DrillList) -> ReportTable:
    """The records behind a figure as a table: dates and money typed from the list's sort
    keys (for the appendix), everything else as the list shows it."""
    width = len(records.columns)
    kinds: list[str] = []
    for index in range(width):
        seen = [
            _typed(row, index)
            for row in records.rows
            if index < len(row.cells) and row.cells[index]
        ]
        if seen and all(isinstance(v, date) for v in seen):
            kinds.append(DATE)
        elif seen and all(isinstance(v, Decimal) for v in seen):
            kinds.append(MONEY)
        else:
            kinds.append(TEXT)
    rows = []
    for row in records.rows:
        cells: list[object] = []
        for index in range(width):
            text = row.cells[index] if index < len(row.cells) else ""
            cells.append(_typed(row, index) if kinds[index] != TEXT and text else text)
        rows.append(tuple(cells))
    return ReportTable(
        title=title, columns=tuple(records.columns), kinds=tuple(kinds), rows=tuple(rows)
    )


def _typed(row: object, index: int) -> object:
    keys = getattr(row, "sort_keys", ())
    cells = getattr(row, "cells", ())
    key = keys[index] if index < len(keys) else None
    text = cells[index] if index < len(cells) else ""
    if isinstance(key, date) and not hasattr(key, "hour"):
        return key
    if isinstance(key, Decimal) and "£" in text:
        return key
    return text

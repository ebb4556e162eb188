"""The annual report made from the demo borough carries the dashboard's own figures for the
year, in the PDF's text and in the appendix's tables, on SQLite and PostgreSQL (the demo is
loaded once per database for the module)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pg_databases import PgDatabases
from pypdf import PdfReader

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.reports.annual_report.report_data import value_words
from thep_desktop.reports.shared.chart_data import ChartKind, Unit
from thep_desktop.services.annual_report.annual_report_service import (
    SECTION_AREAS,
    last_complete_year,
)
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.shared.actor import Actor

LAST_YEAR = last_complete_year(date.today())


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Services]:
    databases: PgDatabases | None = None
    if request.param == "sqlite":
        address = str(tmp_path_factory.mktemp("annual") / "demo.sqlite3")
    else:
        databases = PgDatabases(request.getfixturevalue("pg_server_url"))
        address = databases.create()
    services, _note = open_services(address, Actor("office"), create=True)
    try:
        DemoService(services.db).load(services.actor)
        yield services
    finally:
        services.close()
        if databases is not None:
            databases.drop_all()


@pytest.fixture(scope="module")
def made(demo: Services, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path]:
    folder = tmp_path_factory.mktemp("annual-files")
    pdf, appendix = folder / "report.pdf", folder / "appendix.xlsx"
    demo.annual_report.write_pdf(demo.actor, LAST_YEAR, pdf)
    demo.annual_report.write_appendix(demo.actor, LAST_YEAR, appendix)
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    return re.sub(r"\s+", " ", text), appendix, pdf


def test_the_demo_has_last_years_report_final_and_this_years_a_draft(demo: Services) -> None:
    years = {r.year: r for r in demo.annual_report.years(demo.actor)}
    assert years[LAST_YEAR].status.value == "final" and years[LAST_YEAR].finalised_by
    assert years[LAST_YEAR.next()].status.value == "draft"
    last = demo.annual_report.narrative(demo.actor, LAST_YEAR)
    assert all(last.texts.values())  # every section written
    assert all(text.count("\n\n") >= 1 for text in last.texts.values())  # in paragraphs


def test_the_pdf_carries_the_dashboards_figures_for_the_years_last_day(
    demo: Services, made: tuple[str, Path, Path]
) -> None:
    text, _appendix, _pdf = made
    dashboard = demo.dashboard.dashboard(demo.actor, LAST_YEAR.last_day)
    assert dashboard.tiles, "the dashboard has figures on the demo"
    assert "Final, approved on" in text and "Contents" in text
    assert "Figures as at " + LAST_YEAR.last_day.strftime("%d/%m/%Y") in text
    shown = 0
    for area in SECTION_AREAS.values():
        tiles, charts = dashboard.in_area(area)
        if not any(t.value for t in tiles) and all(c.is_empty for c in charts):
            continue  # the section says it has no records instead
        for tile in tiles:
            assert value_words(tile.value, tile.unit) in text, tile.key
            assert " ".join(tile.label.split()[:3]) in text, tile.key
            shown += 1
        for chart in charts:
            if not chart.is_empty:
                assert chart.title in text, chart.key
    assert shown >= 10


def test_every_font_the_pdf_names_is_embedded(made: tuple[str, Path, Path]) -> None:
    """Charts and the contents page included: reportlab starts both in Helvetica unless told,
    and a PDF naming a font it does not carry prints differently on each computer."""
    _text, _appendix, pdf = made
    fonts = {}
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        assert "Carlito" in name, name
        described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        assert "/FontFile2" in described["/FontDescriptor"].get_object(), name


def test_the_appendix_holds_each_charts_figures(
    demo: Services, made: tuple[str, Path, Path]
) -> None:
    _text, appendix, _pdf = made
    dashboard = demo.dashboard.dashboard(demo.actor, LAST_YEAR.last_day)
    book = load_workbook(appendix)
    sheets = {book[name]["A1"].value.split(" — ")[0]: book[name] for name in book.sheetnames}
    checked = 0
    for chart in dashboard.charts:
        if chart.is_empty:
            continue
        sheet = next(s for title, s in sheets.items() if title.split(". ", 1)[-1] == chart.title)
        rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
        series = chart.series[:1] if chart.kind is ChartKind.PIE else chart.series
        assert [r[0] for r in rows] == list(chart.categories), chart.key
        for index, one in enumerate(series, start=1):
            column = [r[index] for r in rows]
            if chart.unit is Unit.MONEY:
                assert [Decimal(str(v or 0)) for v in column] == [Decimal(v) for v in one.values], (
                    chart.key
                )
            elif chart.unit is Unit.COUNT:
                assert [v or 0 for v in column] == list(one.values), chart.key
        checked += 1
    assert checked >= 3


def test_this_years_draft_is_made_with_todays_figures(demo: Services, tmp_path: Path) -> None:
    this_year = AcademicYear.of(date.today())
    data = demo.annual_report.report_data(demo.actor, this_year)
    assert data.as_at == date.today() and not data.final
    assert data.status_line == "Draft: not yet approved"
    assert f"The year runs to 31/08/{this_year.start_year + 1}" in data.figures_line

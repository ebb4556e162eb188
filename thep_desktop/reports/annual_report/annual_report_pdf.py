"""The annual report to the Advisory Council as a PDF on the letterhead.

A title page (marked DRAFT on every page until the report is final, then "Final, approved on
…"), a contents page with page numbers (reportlab's ``TableOfContents``, laid out in as many
passes as it needs), then each section: its heading, the office's narrative (escaped: what
the office typed prints as written, blank lines between paragraphs), its figures, charts and
the tables behind them. Page x of y in the footer.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from thep_desktop.domain.dates import format_date
from thep_desktop.reports.annual_report.report_data import (
    AnnualReportData,
    ReportSection,
    ReportTable,
)
from thep_desktop.reports.governance.governance_pdf import (
    GovernanceDocument,
    para,
    styles,
    table,
)
from thep_desktop.reports.letters.letter_data import Letterhead
from thep_desktop.reports.letters.letter_text import ACCENT, FONT, FONT_BOLD, INK
from thep_desktop.reports.letters.letterhead_document import SectionStart, _canvas_maker
from thep_desktop.reports.shared.charts_pdf import chart_drawing

PDF_ROWS = 30  # rows of a table printed in a section; the appendix has them all
TEXT_WIDTH = 170 * mm
SECTION_STYLE = "section"


class AnnualReportDocument(GovernanceDocument):
    """The letterhead document with a table of contents filled in over several passes."""

    def beforeDocument(self) -> None:  # noqa: N802 - reportlab's name
        # Each pass of multiBuild lays the document out again on a new canvas: its sections
        # and the forms drawn once per canvas start afresh.
        self.section_number = 0
        self.section_first_page = 1
        self.pages_per_section = []
        self._forms = {}

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's name
        if isinstance(flowable, Paragraph) and flowable.style.name == SECTION_STYLE:
            self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))

    def build_story(self, story: list[Flowable]) -> None:
        self.multiBuild(story, canvasmaker=_canvas_maker(self))


def _styles() -> dict[str, ParagraphStyle]:
    style = styles()
    style[SECTION_STYLE] = ParagraphStyle(
        SECTION_STYLE,
        fontName=FONT_BOLD,
        fontSize=16,
        leading=20,
        textColor=ACCENT,
        spaceAfter=6,
    )
    style["cover"] = ParagraphStyle(
        "cover", fontName=FONT_BOLD, fontSize=24, leading=30, textColor=ACCENT, spaceAfter=8
    )
    style["status"] = ParagraphStyle(
        "status", fontName=FONT_BOLD, fontSize=13, leading=17, textColor=INK, spaceBefore=10
    )
    style["figure"] = ParagraphStyle(
        "figure", fontName=FONT_BOLD, fontSize=10.5, leading=13, textColor=INK
    )
    style["chart_title"] = ParagraphStyle(
        "chart_title", fontName=FONT_BOLD, fontSize=10.5, leading=13, textColor=INK, spaceBefore=8
    )
    return style


def _contents() -> TableOfContents:
    contents = TableOfContents()
    contents.levelStyles = [
        ParagraphStyle(
            "contents",
            fontName=FONT,
            fontSize=12,
            leading=18,
            leftIndent=0,
            firstLineIndent=0,
            textColor=INK,
        )
    ]
    contents.dotsMinLevel = 0
    # reportlab's own style, with the letters' font: a table starts its cells in Helvetica
    # otherwise, and the PDF would name a font it never embeds.
    contents.tableStyle = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("FONTNAME", (0, 0), (-1, -1), FONT),
        ]
    )
    return contents


def annual_report_story(data: AnnualReportData) -> list[Flowable]:
    style = _styles()
    story: list[Flowable] = [
        SectionStart(),
        Spacer(1, 30 * mm),
        para(data.title, style["cover"]),
        para(data.organisation, style["subtitle"]),
        Spacer(1, 4 * mm),
        para(f"Academic year {data.year_label}", style["body"]),
        para(data.figures_line, style["body"]),
        para(data.status_line, style["status"]),
    ]
    if not data.final:
        story.append(
            para(
                "This is a draft: its text may still change before the Advisory Council "
                "approves it.",
                style["note"],
            )
        )
    story += [
        Spacer(1, 6 * mm),
        para(f"Made on {format_date(data.made_on)}.", style["small"]),
        PageBreak(),
        para("Contents", style["title"]),
        Spacer(1, 5 * mm),
        _contents(),
    ]
    for section in data.sections:
        story += [PageBreak(), *_section_story(data, section, style)]
    return story


def _section_story(
    data: AnnualReportData, section: ReportSection, style: dict[str, ParagraphStyle]
) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(section.heading, style[SECTION_STYLE])]
    paragraphs = section.paragraphs
    story += [para(text, style["text"]) for text in paragraphs]
    if not paragraphs and not data.final:
        story.append(para("The office has not written this section yet.", style["note"]))
    if section.empty_words:
        story += [Spacer(1, 3 * mm), para(section.empty_words, style["body"])]
        return story
    if section.figures:
        story += [Spacer(1, 3 * mm), para("Figures", style["heading"]), _figures(section, style)]
    for chart in section.charts:
        block: list[Flowable] = [
            para(chart.title, style["chart_title"]),
            chart_drawing(chart),
        ]
        if chart.note:
            block.append(para(chart.note, style["small"]))
        story += [CondPageBreak(90 * mm), KeepTogether(block)]
    for report_table in section.tables:
        story += [CondPageBreak(40 * mm), *_table(report_table, style)]
    return story


def _figures(section: ReportSection, style: dict[str, ParagraphStyle]) -> Flowable:
    rows: list[list[Any]] = []
    for figure in section.figures:
        words = figure.label + (f"\n{figure.detail}" if figure.detail else "")
        rows.append([para(words, style["cell"]), para(figure.value, style["figure"])])
    return table(("Figure", "Value"), rows, (130 * mm, 40 * mm), style, "")


def _table(report_table: ReportTable, style: dict[str, ParagraphStyle]) -> list[Flowable]:
    cells = report_table.cells()
    shown = cells[:PDF_ROWS]
    count = len(report_table.columns)
    first = min(60 * mm, TEXT_WIDTH / count * 1.6) if count > 1 else TEXT_WIDTH
    rest = (TEXT_WIDTH - first) / (count - 1) if count > 1 else 0
    widths = [first, *([rest] * (count - 1))]
    out: list[Flowable] = [
        para(report_table.title, style["chart_title"]),
        table(report_table.columns, shown, widths, style, "None."),
    ]
    if len(cells) > PDF_ROWS:
        out.append(Spacer(1, 1.5 * mm))
        out.append(
            para(
                f"The first {PDF_ROWS} of {len(cells)}; the appendix (Excel) lists them all.",
                style["small"],
            )
        )
    if report_table.note:
        out += [Spacer(1, 1.5 * mm), para(report_table.note, style["small"])]
    return out


def annual_report_pdf_bytes(data: AnnualReportData, letterhead: Letterhead) -> bytes:
    document = AnnualReportDocument(io.BytesIO(), letterhead, data.title, draft=not data.final)
    document.build_story(annual_report_story(data))
    target = document.filename
    assert isinstance(target, io.BytesIO)
    return target.getvalue()

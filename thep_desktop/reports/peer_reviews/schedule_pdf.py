"""A review cycle's schedule as a landscape PDF on the letterhead, one table per cluster.

Each cluster's reviews by date: the visit's date(s) with the day's name, the host, the
reviewing schools, the lead reviewer, the focus areas and the status (with the day it was
reached). "Page x of y" and the day and time it was printed are in every page's footer.
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, LongTable, Paragraph, Spacer, TableStyle

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.progress import Progress
from thep_desktop.reports.letters.letter_data import Letterhead
from thep_desktop.reports.letters.letter_text import ACCENT, FONT, FONT_BOLD, GREY, INK, _para_text
from thep_desktop.reports.letters.letterhead_document import (
    FOOTER_HEIGHT,
    LETTERHEAD_RULE,
    MARGIN_RIGHT,
    LetterheadDocument,
    SectionStart,
)
from thep_desktop.reports.peer_reviews.schedule_data import ReviewSchedule, ScheduledReview
from thep_desktop.reports.shared.spreadsheet import replacing

PAGE_SIZE = landscape(A4)  # six columns of names read better across the page
FIRST_TOP = LETTERHEAD_RULE + 8 * mm
# Date(s), host, reviewing schools, lead reviewer, focus, status: 257 mm, the text width.
COLUMN_WIDTHS = (40 * mm, 52 * mm, 52 * mm, 44 * mm, 44 * mm, 25 * mm)
HEADERS = ("Date", "Host school", "Reviewing schools", "Lead reviewer", "Focus", "Status")
HEADER_FILL = HexColor("#e8eef4")
RULE = HexColor("#c8c8c8")
BAND = HexColor("#f6f8fa")
# A cluster's heading starts a new page when less than this is left of the page: it then
# has its table's header and first reviews under it, and a long table runs on over pages.
ROOM_FOR_A_CLUSTER = 45 * mm


class _ScheduleDocument(LetterheadDocument):
    def __init__(self, target: io.BytesIO, letterhead: Letterhead, schedule: ReviewSchedule):
        super().__init__(
            target, letterhead, first_top=FIRST_TOP, pagesize=PAGE_SIZE, title=schedule.heading
        )
        self.schedule = schedule

    def continuation_detail(self) -> str:
        return self.schedule.heading

    def decorate_page(self, canvas: Canvas) -> None:
        # Under "Page x of y", right of the legal lines: a printed copy says how old it is.
        printed = self.schedule.printed_at
        canvas.setFont(FONT, 7)
        canvas.setFillColor(GREY)
        canvas.drawRightString(
            self.page_width - MARGIN_RIGHT,
            FOOTER_HEIGHT - 13 * mm,
            f"Printed {format_date(printed.date())} {printed:%H:%M}",
        )


def _styles() -> dict[str, ParagraphStyle]:
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11.5, textColor=INK)
    return {
        "title": ParagraphStyle(
            "title", fontName=FONT_BOLD, fontSize=18, leading=22, textColor=ACCENT
        ),
        "note": ParagraphStyle("note", fontName=FONT, fontSize=9.5, leading=12.5, textColor=GREY),
        "cluster": ParagraphStyle(
            "cluster",
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            textColor=ACCENT,
        ),
        "cell": cell,
        "head": ParagraphStyle("head", parent=cell, fontName=FONT_BOLD),
        "small": ParagraphStyle("small", parent=cell, fontSize=8, leading=10, textColor=GREY),
        # One school or focus area a bullet: a long name wrapped onto a second line is
        # then not read as two.
        "item": ParagraphStyle("item", parent=cell, leftIndent=7, bulletIndent=0),
    }


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_para_text(text, keep_lines=True), style)


def _date_cell(review: ScheduledReview, styles: dict[str, ParagraphStyle]) -> Paragraph:
    days = review.days
    if not days:
        return _para("No date yet", styles["small"])
    dates = (
        format_date(days[0])
        if len(days) == 1
        else f"{format_date(days[0])} to\n{format_date(days[-1])}"
    )
    # The date in bold, the day's name under it in grey: scanning down a column of dates.
    return Paragraph(
        f"<b>{_para_text(dates, keep_lines=True)}</b><br/>"
        f'<font color="#555555" size="8">{_para_text(review.day_names)}</font>',
        styles["cell"],
    )


def _list_cell(items: tuple[str, ...], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    return [Paragraph(_para_text(item), styles["item"], bulletText="•") for item in items]


def _status_cell(review: ScheduledReview, styles: dict[str, ParagraphStyle]) -> Paragraph:
    on = review.status_dates.get(review.status)
    text = _para_text(review.status.label)
    if on is not None:
        text += f'<br/><font color="#555555" size="8">{format_date(on)}</font>'
    return Paragraph(text, styles["cell"])


def _lead_cell(review: ScheduledReview, styles: dict[str, ParagraphStyle]) -> Paragraph:
    lead = review.lead
    if lead is None:
        return _para("Not named yet", styles["small"])
    text = _para_text(lead.name)
    if lead.school_name:
        text += f'<br/><font color="#555555" size="8">{_para_text(lead.school_name)}</font>'
    return Paragraph(text, styles["cell"])


def _cluster_table(
    reviews: tuple[ScheduledReview, ...], styles: dict[str, ParagraphStyle], heading: str
) -> LongTable:
    """The reviews under their column headers; with a ``heading`` (the cluster) above them.

    The heading is the table's first row, repeated with the column headers on each page the
    table runs on to, so a continued page still says whose reviews it lists.
    """
    top = 1 if heading else 0  # the row of column headers
    rows: list[list[Flowable | list[Flowable] | str]] = []
    if heading:
        rows.append([_para(heading, styles["cluster"]), "", "", "", "", ""])
    rows.append([_para(h, styles["head"]) for h in HEADERS])
    commands: list[tuple[object, ...]] = [
        # The cells are paragraphs in our font; without this the table names Helvetica too.
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("BACKGROUND", (0, top), (-1, top), HEADER_FILL),
        ("LINEBELOW", (0, top), (-1, top), 0.8, ACCENT),
        ("LINEBELOW", (0, top + 1), (-1, -1), 0.4, RULE),
    ]
    if heading:
        commands += [
            ("SPAN", (0, 0), (-1, 0)),
            ("LEFTPADDING", (0, 0), (-1, 0), 0),
            ("TOPPADDING", (0, 0), (-1, 0), 0),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 2 * mm),
        ]
    for review in reviews:
        rows.append(
            [
                _date_cell(review, styles),
                _para(review.host.name, styles["cell"]),
                _list_cell(review.team_names, styles) or _para("None yet", styles["small"]),
                _lead_cell(review, styles),
                _list_cell(review.focus, styles),
                _status_cell(review, styles),
            ]
        )
    # Every other row lightly banded, so a row of several lines is read across as one.
    commands.extend(
        ("BACKGROUND", (0, row), (-1, row), BAND) for row in range(top + 2, len(rows), 2)
    )
    table = LongTable(rows, colWidths=COLUMN_WIDTHS, repeatRows=top + 1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def schedule_story(schedule: ReviewSchedule) -> list[Flowable]:
    """The title and summary, then each cluster's heading and table of reviews."""
    styles = _styles()
    story: list[Flowable] = [
        SectionStart(),
        _para(schedule.heading, styles["title"]),
        Spacer(1, 1.5 * mm),
        _para(schedule.summary(), styles["note"]),
    ]
    clusters = schedule.clusters
    for name in clusters:
        reviews = schedule.of_cluster(name)
        heading = ""
        if len(clusters) > 1 or not schedule.cluster:
            heading = f"{name} ({len(reviews)} review{'s' if len(reviews) != 1 else ''})"
        story += [
            CondPageBreak(ROOM_FOR_A_CLUSTER),
            Spacer(1, 7 * mm),
            _cluster_table(reviews, styles, heading),
        ]
    return story


def schedule_pdf_bytes(schedule: ReviewSchedule, letterhead: Letterhead) -> bytes:
    buffer = io.BytesIO()
    _ScheduleDocument(buffer, letterhead, schedule).build_story(schedule_story(schedule))
    return buffer.getvalue()


def write_schedule_pdf(
    path: str | Path,
    schedule: ReviewSchedule,
    letterhead: Letterhead,
    progress: Progress | None = None,
) -> None:
    """The schedule as a PDF at ``path``, written whole or not at all.

    Raises :class:`~thep_desktop.reports.shared.spreadsheet.ExportError` (in words) when the
    folder is missing, read-only or full, or the file is open in another program; Cancel
    (through ``progress``) before it is saved leaves no file either.
    """
    if progress is not None:
        progress.report(0, 0, f"Laying out {len(schedule.reviews):,} reviews…")
    data = schedule_pdf_bytes(schedule, letterhead)
    if progress is not None:
        progress.report(0, 0, "Saving the PDF…")
    with replacing(Path(path)) as temporary:
        temporary.write_bytes(data)

"""One Ofsted inspection of a school, as Ofsted published it: its fields follow its kind.

A graded inspection has an overall grade (none from September 2024, when Ofsted stopped
giving one: the grade is then disabled with a note); a report card (from 10 November 2025)
has safeguarding met or not met and a grade for each evaluation area; an ungraded inspection
or a monitoring visit has neither.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLineEdit, QPlainTextEdit, QWidget

from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.domain.ofsted import (
    EVALUATION_AREAS,
    NO_OVERALL_GRADE_FROM,
    AreaGrade,
    InspectionKind,
    OverallGrade,
    Safeguarding,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.ofsted_service import InspectionDetail, InspectionInput
from thep_desktop.ui.schools.school_record_dialog import SchoolRecordDialog, note_label
from thep_desktop.ui.shared.forms import date_field

NO_GRADE_NOTE = (
    "Ofsted stopped giving an overall grade from September 2024: a graded inspection from "
    "then has none."
)


def _combo(name: str, items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for words, value in items:
        combo.addItem(words, value)
    return combo


class InspectionDialog(SchoolRecordDialog):
    """``InspectionDialog(services, school_id, inspection_id=None, parent=None)``: a new
    inspection of the school, or the inspection ``inspection_id`` to change."""

    what = "the inspection"

    def __init__(
        self,
        services: Services,
        school_id: int,
        inspection_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        actor = services.actor
        school = services.schools.get_school(actor, school_id)
        detail = (
            services.ofsted.get_inspection(actor, inspection_id)
            if inspection_id is not None
            else None
        )
        title = "New inspection" if detail is None else "Inspection"
        super().__init__(services, f"{title}: {school.name}", parent)
        self.setObjectName("inspection_dialog")
        self.school_id = school_id
        self.detail = detail

        self.inspected_on = date_field(
            format_date(detail.inspected_on) if detail else "", "The first day of the inspection"
        )
        self.inspected_on.setObjectName("inspected_on")
        self.inspected_on.setMaximumWidth(140)
        self.messages.add_row(self.form, "inspected_on", "&Inspected on:", self.inspected_on)
        self.kind = _combo("kind", [(k.words, k.value) for k in InspectionKind])
        self.kind.setCurrentIndex(
            self.kind.findData(detail.kind.value if detail else InspectionKind.GRADED.value)
        )
        self.messages.add_row(self.form, "kind", "&Kind:", self.kind)
        self.published_on = date_field(
            format_date(detail.published_on) if detail and detail.published_on else "",
            "The day Ofsted published the report",
        )
        self.published_on.setObjectName("published_on")
        self.published_on.setMaximumWidth(140)
        self.messages.add_row(self.form, "published_on", "&Published on:", self.published_on)

        self.overall_grade = _combo("overall_grade", [(g.words, g.value) for g in OverallGrade])
        self.overall_grade.setCurrentIndex(
            self.overall_grade.findData(detail.overall_grade.value if detail else "")
        )
        grade_box = QWidget()
        grade_layout = QFormLayout(grade_box)
        grade_layout.setContentsMargins(0, 0, 0, 0)
        self.grade_note = note_label(NO_GRADE_NOTE)
        self.grade_note.setObjectName("grade_note")
        holder, _message = self.messages.with_message("overall_grade", self.overall_grade)
        grade_layout.addRow(holder)
        grade_layout.addRow(self.grade_note)
        self.form.addRow("Overall &grade:", grade_box)
        self.form.labelForField(grade_box).setBuddy(self.overall_grade)  # type: ignore[attr-defined]
        self.grade_row = grade_box

        self.card = QGroupBox("Report card")
        self.card.setObjectName("report_card")
        card_form = QFormLayout(self.card)
        self.safeguarding = _combo(
            "safeguarding",
            [("Not recorded", "")] + [(s.words, s.value) for s in Safeguarding if s.value],
        )
        self.messages.add_row(card_form, "safeguarding", "&Safeguarding:", self.safeguarding)
        grades = [("Not graded", "")] + [(g.words, g.value) for g in AreaGrade if g.value]
        given = dict(detail.areas) if detail else {}
        self.areas: dict[str, QComboBox] = {}
        for column, words in EVALUATION_AREAS:
            combo = _combo(column, grades)
            combo.setCurrentIndex(combo.findData(given.get(column, AreaGrade.NONE).value))
            self.areas[column] = combo
            self.messages.add_row(card_form, column, f"{words}:", combo)
        if detail:
            self.safeguarding.setCurrentIndex(self.safeguarding.findData(detail.safeguarding.value))
        self.areas_message = self.messages.message_label("areas")
        card_form.addRow(self.areas_message)
        self.messages.register("areas", self.card, self.areas_message)
        self.form.addRow(self.card)

        self.report_url = QLineEdit(detail.report_url if detail else "")
        self.report_url.setObjectName("report_url")
        self.report_url.setPlaceholderText("https://reports.ofsted.gov.uk/…")
        self.messages.add_row(self.form, "report_url", "Report's &web address:", self.report_url)
        self.notes = QPlainTextEdit(detail.notes if detail else "")
        self.notes.setObjectName("notes")
        self.notes.setMaximumHeight(80)
        self.messages.add_row(self.form, "notes", "&Notes:", self.notes)
        if detail is not None:
            source = note_label(f"{detail.source_words}; last changed by {detail.updated_by}.")
            source.setObjectName("source")
            self.form.addRow(source)
        self.finish()
        self.kind.currentIndexChanged.connect(lambda _i: self.follow_kind())
        self.inspected_on.textChanged.connect(lambda _t: self.follow_kind())
        self.follow_kind()
        self.resize(580, self.sizeHint().height())  # grows as a report card's rows appear
        self.inspected_on.setFocus()

    def chosen_kind(self) -> InspectionKind:
        return InspectionKind(self.kind.currentData())

    def follow_kind(self) -> None:
        """Show the fields the chosen kind has; the grade only where Ofsted gave one."""
        kind = self.chosen_kind()
        graded = kind is InspectionKind.GRADED
        self.form.setRowVisible(self.grade_row, graded)
        self.form.setRowVisible(self.card, kind is InspectionKind.REPORT_CARD)
        try:
            on = parse_date(self.inspected_on.text().strip())
        except ValueError:
            on = None
        no_grade = graded and on is not None and on >= NO_OVERALL_GRADE_FROM
        self.grade_note.setVisible(no_grade)
        self.overall_grade.setEnabled(self.editable and not no_grade)

    def inspection_input(self) -> InspectionInput:
        kind = self.chosen_kind()
        grade = ""
        if kind is InspectionKind.GRADED and self.overall_grade.isEnabled():
            grade = self.overall_grade.currentData()
        card = kind is InspectionKind.REPORT_CARD
        return InspectionInput(
            inspected_on=self.inspected_on.text(),
            kind=kind,
            published_on=self.published_on.text(),
            overall_grade=grade,
            safeguarding=self.safeguarding.currentData() if card else "",
            areas={c: combo.currentData() for c, combo in self.areas.items()} if card else {},
            report_url=self.report_url.text(),
            notes=self.notes.toPlainText(),
        )

    def write(self) -> InspectionDetail:
        ofsted = self.services.ofsted
        actor = self.services.actor
        if self.detail is None:
            return ofsted.add_inspection(actor, self.school_id, self.inspection_input())
        return ofsted.update_inspection(
            actor, self.detail.id, self.detail.version, self.inspection_input()
        )

"""The steps of a meeting's minutes: circulated (on a date), approved at a later meeting of the
body (a decision there), signed by the chair (name and date), and corrected after approval by
a dated erratum that keeps the original text."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from thep_desktop.domain.dates import format_date
from thep_desktop.services.governance.governance_data import (
    DecisionDetail,
    ErratumDetail,
    MeetingDetail,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.governance.decision_dialog import VotesRow, quorum_words
from thep_desktop.ui.governance.meeting_fields import (
    combo_value,
    fill_items,
    html,
    read_date,
)
from thep_desktop.ui.governance.meeting_form import MeetingForm
from thep_desktop.ui.shared.forms import date_field, show_field_text


def _dated(form: MeetingForm, field: str, caption: str, value: date | None, hint: str) -> QLineEdit:
    edit = date_field(format_date(value), hint)
    edit.setObjectName(field)
    edit.setMaximumWidth(140)
    form.messages.add_row(form.form, field, caption, edit)
    return edit


def _day(edit: QLineEdit, field: str, what: str) -> tuple[date | None, dict[str, str]]:
    value = read_date(edit.text())
    if isinstance(value, str):
        return None, {field: value}
    if value is None:
        return None, {field: f"Type the date {what}."}
    return value, {}


class CirculateDialog(MeetingForm):
    """The day the draft minutes went to the members."""

    aliases = {"circulated_on": "on"}
    unsaved_what = "the date"

    def __init__(self, services: Services, meeting: MeetingDetail, parent: QWidget | None) -> None:
        super().__init__(services, "Circulate the minutes", parent)
        self.setObjectName("circulate_dialog")
        self.meeting = meeting
        self.say(f"The draft minutes of {html(meeting.label)} were sent to the members on:")
        self.on = _dated(self, "on", "&Circulated on:", date.today(), "The day they were sent")
        self.finish("the date")

    def state(self) -> object:
        return self.on.text()

    def check(self) -> dict[str, str]:
        return _day(self.on, "on", "they were sent")[1]

    def write(self) -> object:
        on, _ = _day(self.on, "on", "")
        return self.services.meetings.circulate_minutes(
            self.services.actor, self.meeting.id, on, self.meeting.version
        )


class ApproveMinutesDialog(MeetingForm):
    """Choose the later meeting of the body that approved the minutes, and its item; the
    approval is recorded there as a decision (votes optional)."""

    aliases = {"for_": "votes", "against": "votes", "abstaining": "votes"}
    unsaved_what = "the approval"

    def __init__(self, services: Services, meeting: MeetingDetail, parent: QWidget | None) -> None:
        super().__init__(services, "Approve the minutes", parent)
        self.setObjectName("approve_minutes_dialog")
        self.meeting = meeting
        self.later: MeetingDetail | None = None
        self.resize(600, 360)
        self.say(
            f"The minutes of {html(meeting.label)} are approved at a later meeting of "
            f"{html(meeting.body.name)}; it is recorded there as a decision."
        )
        self.at_meeting = QComboBox()
        self.at_meeting.setObjectName("at_meeting")
        later = [
            m
            for m in services.meetings.list_meetings(services.actor, body_id=meeting.body.id)
            if m.meets_on > meeting.meets_on and not m.cancelled and m.id != meeting.id
        ]
        for summary in sorted(later, key=lambda m: m.meets_on):
            self.at_meeting.addItem(summary.label, summary.id)
        if not later:
            self.at_meeting.setPlaceholderText("No later meeting of the body is recorded")
        self.messages.add_row(self.form, "at_meeting_id", "&At the meeting:", self.at_meeting)
        self.item = QComboBox()
        self.item.setObjectName("item")
        self.messages.add_row(self.form, "agenda_item_id", "&Item:", self.item)
        self.quorum_label = QLabel()
        self.quorum_label.setWordWrap(True)
        self.form.addRow("", self.quorum_label)
        self.votes = VotesRow()
        self.messages.add_row(self.form, "votes", "&Votes:", self.votes)
        self.form.addRow("", QLabel("<i>Leave the votes blank when they were not counted.</i>"))
        self.at_meeting.currentIndexChanged.connect(lambda _i: self._meeting_chosen())
        self.item.currentIndexChanged.connect(lambda _i: self._show_quorum())
        self._meeting_chosen()
        self.finish("the approval")

    def _meeting_chosen(self) -> None:
        meeting_id = combo_value(self.at_meeting)
        self.later = None
        if isinstance(meeting_id, int):
            try:
                self.later = self.services.meetings.get_meeting(self.services.actor, meeting_id)
            except ServiceError:
                self.later = None
        items = self.later.items if self.later else ()
        usual = next((i.id for i in items if "minutes" in i.title.casefold()), None)
        fill_items(self.item, items, usual)
        self._show_quorum()

    def _show_quorum(self) -> None:
        later = self.later
        item_id = combo_value(self.item)
        position = (
            next((i.position for i in later.items if i.id == item_id), None) if later else None
        )
        at = later.quorum_at(position) if later and position is not None else None
        words, style = quorum_words(at)
        self.quorum_label.setText(html(words))
        self.quorum_label.setStyleSheet(style)

    def state(self) -> tuple[object, ...]:
        return (self.at_meeting.currentIndex(), self.item.currentIndex(), self.votes.value())

    def check(self) -> dict[str, str]:
        if self.later is None:
            return {"at_meeting_id": "Choose the later meeting that approved the minutes."}
        if not isinstance(combo_value(self.item), int):
            return {"agenda_item_id": "Choose the item the minutes were approved at."}
        return {}

    def write(self) -> DecisionDetail:
        assert self.later is not None
        return self.services.meetings.approve_minutes(
            self.services.actor,
            self.meeting.id,
            self.later.id,
            combo_value(self.item),
            self.votes.value(),
        )


class SignMinutesDialog(MeetingForm):
    """The chair's name (prefilled) and the day they signed the approved minutes."""

    unsaved_what = "the signature"

    def __init__(self, services: Services, meeting: MeetingDetail, parent: QWidget | None) -> None:
        super().__init__(services, "Sign the minutes", parent)
        self.setObjectName("sign_minutes_dialog")
        self.meeting = meeting
        self.resize(480, 200)
        self.say(f"The approved minutes of {html(meeting.label)} signed as a true record by:")
        self.signed_by = QLineEdit()
        show_field_text(self.signed_by, meeting.signed_by or meeting.chair_name)
        self.signed_by.setObjectName("signed_by")
        self.messages.add_row(self.form, "signed_by", "&Signed by:", self.signed_by)
        self.signed_on = _dated(
            self, "signed_on", "&On:", meeting.approved_on or date.today(), "The day they signed"
        )
        self.finish("the signature")

    def state(self) -> tuple[object, ...]:
        return (self.signed_by.text(), self.signed_on.text())

    def check(self) -> dict[str, str]:
        problems = dict(_day(self.signed_on, "signed_on", "they were signed")[1])
        if not self.signed_by.text().strip():
            problems["signed_by"] = "Type the name of the chair who signed them."
        return problems

    def write(self) -> object:
        on, _ = _day(self.signed_on, "signed_on", "")
        return self.services.meetings.sign_minutes(
            self.services.actor,
            self.meeting.id,
            self.signed_by.text().strip(),
            on,
            self.meeting.version,
        )


class ErratumDialog(MeetingForm):
    """A correction to approved minutes: the item, the day it was noted, the correction and
    why. The approved text stays as it was; the erratum is shown under it."""

    unsaved_what = "the erratum"

    def __init__(
        self,
        services: Services,
        meeting: MeetingDetail,
        parent: QWidget | None,
        item_id: int | None = None,
    ) -> None:
        super().__init__(services, "Add an erratum", parent)
        self.setObjectName("erratum_dialog")
        self.meeting = meeting
        self.resize(600, 400)
        self.say(
            f"The minutes of {html(meeting.label)} were approved and do not change: the "
            "correction is recorded beside them, dated, with the original text kept."
        )
        self.item = QComboBox()
        self.item.setObjectName("item")
        fill_items(self.item, meeting.items, item_id, "The minutes as a whole")
        self.messages.add_row(self.form, "agenda_item_id", "&Item:", self.item)
        self.noted_on = _dated(self, "noted_on", "&Noted on:", date.today(), "The day it was noted")
        self.correction = QPlainTextEdit()
        self.correction.setObjectName("correction")
        self.correction.setPlaceholderText("e.g. For “£12,500” read “£15,200”.")
        self.messages.add_row(self.form, "correction", "&Correction:", self.correction)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("e.g. A typing error noticed by the treasurer")
        self.messages.add_row(self.form, "reason", "&Reason:", self.reason)
        self.finish("the erratum")
        self.correction.setFocus()

    def state(self) -> tuple[object, ...]:
        return (
            self.item.currentIndex(),
            self.noted_on.text(),
            self.correction.toPlainText(),
            self.reason.text(),
        )

    def check(self) -> dict[str, str]:
        problems = dict(_day(self.noted_on, "noted_on", "the error was noted")[1])
        if not self.correction.toPlainText().strip():
            problems["correction"] = "Type the correction."
        return problems

    def write(self) -> ErratumDetail:
        on, _ = _day(self.noted_on, "noted_on", "")
        item = combo_value(self.item)
        return self.services.meetings.add_erratum(
            self.services.actor,
            self.meeting.id,
            item if isinstance(item, int) else None,
            on,
            self.correction.toPlainText().strip(),
            self.reason.text().strip(),
        )

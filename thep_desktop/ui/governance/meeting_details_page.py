"""The meeting editor's first page: the body, kind, title, date and times, venue, chair, and
the notice, checked against the body's clear-days rule as the dates are typed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import BodyKind, MeetingKind, Voters, check_notice
from thep_desktop.services.governance.governance_data import (
    BodyDetail,
    MeetingDetail,
    MeetingInput,
    time_label,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.governance.meeting_fields import (
    GOOD_STYLE,
    PAUSE_MS,
    WARNING_SIGN,
    WARNING_STYLE,
    chosen_enum,
    combo_value,
    html,
    read_date,
    read_time,
)
from thep_desktop.ui.shared.forms import FieldMessages, date_field, show_field_text

NO_CHAIR = "(not recorded)"


class MeetingDetailsPage(QWidget):
    """``value()`` is the meeting as typed, with words for what cannot be read (by field)."""

    changed = Signal()

    def __init__(self, services: Services, messages: FieldMessages) -> None:
        super().__init__()
        self.services = services
        self.messages = messages
        self.bodies: list[BodyDetail] = services.governing_bodies.list_bodies(services.actor)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(PAUSE_MS)
        self._notice_timer.timeout.connect(self.show_notice)
        self._build()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        add = self.messages.add_row
        self.body = QComboBox()
        self.body.setObjectName("body")
        self.body.setMinimumWidth(320)
        for body in self.bodies:
            if body.active:
                self.body.addItem(body.name, body.id)
        self.body.setCurrentIndex(-1)
        self.body.setPlaceholderText("Choose the body that meets")
        add(form, "body_id", "&Body:", self.body)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in MeetingKind:
            self.kind.addItem(kind.label, kind)
        add(form, "kind", "&Kind:", self.kind)
        self.title = QLineEdit()
        self.title.setObjectName("title")
        self.title.setPlaceholderText("Blank: named after the body (e.g. Board of Directors)")
        add(form, "title", "&Title:", self.title)
        self.meets_on = date_field(hint="The day of the meeting")
        self.meets_on.setObjectName("meets_on")
        self.meets_on.setMaximumWidth(140)
        add(form, "meets_on", "&Date:", self.meets_on)
        self.starts_at = _time_box("starts_at", "When it starts, e.g. 18:00")
        self.ends_at = _time_box("ends_at", "When it ended (or is to end), e.g. 19:30")
        times = QWidget()
        row = QHBoxLayout(times)
        row.setContentsMargins(0, 0, 0, 0)
        starts, _ = self.messages.with_message("starts_at", self.starts_at)
        ends, _ = self.messages.with_message("ends_at", self.ends_at)
        row.addWidget(starts)
        to = QLabel("to")
        to.setBuddy(self.ends_at)
        row.addWidget(to)
        row.addWidget(ends)
        row.addStretch(1)
        starts_caption = QLabel("&Starts at:")
        starts_caption.setBuddy(self.starts_at)
        form.addRow(starts_caption, times)
        self.venue = QLineEdit()
        self.venue.setObjectName("venue")
        self.venue.setPlaceholderText("e.g. Bonner Primary School, Stepney Way")
        add(form, "venue", "&Venue:", self.venue)
        self.online_link = QLineEdit()
        self.online_link.setObjectName("online_link")
        self.online_link.setPlaceholderText("The link to join online, if it is held online too")
        add(form, "online_link", "Online &link:", self.online_link)
        self.chair = QComboBox()
        self.chair.setObjectName("chair")
        self.chair.setMinimumWidth(320)
        add(form, "chair_person_id", "C&hair:", self.chair)
        self.notice_sent_on = date_field(hint="The day the notice of the meeting was sent")
        self.notice_sent_on.setObjectName("notice_sent_on")
        self.notice_sent_on.setMaximumWidth(140)
        add(form, "notice_sent_on", "&Notice sent on:", self.notice_sent_on)
        self.notice = QLabel()
        self.notice.setObjectName("notice_check")
        self.notice.setWordWrap(True)
        form.addRow("", self.notice)
        self.cancelled = QCheckBox("This meeting was &cancelled")
        self.cancelled.setObjectName("cancelled")
        add(form, "cancelled", "", self.cancelled)
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setMaximumHeight(90)
        add(form, "notes", "N&otes:", self.notes)
        outer.addStretch(1)

        self.body.currentIndexChanged.connect(self._body_changed)
        self.meets_on.textChanged.connect(self._dates_changed)
        self.notice_sent_on.textChanged.connect(self._dates_changed)
        for edit in (self.title, self.starts_at, self.ends_at, self.venue, self.online_link):
            edit.textChanged.connect(lambda _t: self.changed.emit())
        self.kind.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.chair.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.cancelled.toggled.connect(lambda _on: self.changed.emit())
        self.notes.textChanged.connect(self.changed.emit)

    # -- filling ----------------------------------------------------------------------------
    def show_new(self, body_id: int | None) -> None:
        if body_id is not None:
            self._choose_body(body_id, "")
        self._fill_chairs(None)
        self.show_notice()

    def show_detail(self, detail: MeetingDetail) -> None:
        for widget in self._widgets():
            widget.blockSignals(True)
        self._choose_body(detail.body.id, detail.body.name)
        self.body.setEnabled(False)
        self.body.setToolTip("A meeting stays with the body that met")
        self.kind.setCurrentIndex(self.kind.findData(detail.kind))
        show_field_text(self.title, detail.title)
        self.meets_on.setText(format_date(detail.meets_on))
        self.starts_at.setText(time_label(detail.starts_at))
        self.ends_at.setText(time_label(detail.ends_at))
        show_field_text(self.venue, detail.venue)
        show_field_text(self.online_link, detail.online_link)
        self.notice_sent_on.setText(format_date(detail.notice_sent_on))
        self.cancelled.setChecked(detail.cancelled)
        self.notes.setPlainText(detail.notes)
        self._fill_chairs(detail.chair_person_id, detail.chair_name)
        for widget in self._widgets():
            widget.blockSignals(False)
        self.show_notice()

    def _choose_body(self, body_id: int, name: str) -> None:
        index = self.body.findData(body_id)
        if index < 0:  # retired since: still this meeting's body
            self.body.addItem(name or self._body_name(body_id), body_id)
            index = self.body.count() - 1
        self.body.setCurrentIndex(index)

    def _body_name(self, body_id: int) -> str:
        return next((b.name for b in self.bodies if b.id == body_id), "")

    def _fill_chairs(self, chosen: int | None, chosen_name: str = "") -> None:
        """The body's people in office on the day (today while no date is typed); a general
        meeting of members has no people of its own, and is chaired from the Board."""
        body = self.chosen_body()
        day = self._meets_on() or date.today()
        people: list[tuple[int, str]] = []
        if body is not None:
            sources = [body.id]
            if body.voters == Voters.MEMBER_SCHOOLS:
                sources = [b.id for b in self.bodies if b.kind == BodyKind.BOARD] or sources
            seen: set[int] = set()
            for body_id in sources:
                try:
                    members = self.services.governance_people.members_of(
                        self.services.actor, body_id, day
                    )
                except ServiceError:
                    members = []
                for member in members:
                    if member.person_id not in seen:
                        seen.add(member.person_id)
                        people.append(
                            (member.person_id, f"{member.person_name} ({member.capacity.label})")
                        )
        keep = chosen if chosen is not None else combo_value(self.chair)
        # Someone who chaired but is not in office that day stays the chair, by name.
        chosen_name = chosen_name or (self.chair.currentText() if keep is not None else "")
        self.chair.blockSignals(True)
        self.chair.clear()
        self.chair.addItem(NO_CHAIR, None)
        for person_id, label in people:
            self.chair.addItem(label, person_id)
        if keep is not None and self.chair.findData(keep) < 0 and chosen_name:
            self.chair.addItem(chosen_name, keep)  # not in office that day any more: still so
        index = self.chair.findData(keep) if keep is not None else 0
        self.chair.setCurrentIndex(max(index, 0))
        self.chair.blockSignals(False)

    # -- as the person types ----------------------------------------------------------------
    def body_id(self) -> int | None:
        value = combo_value(self.body)
        return value if isinstance(value, int) else None

    def chosen_body(self) -> BodyDetail | None:
        body_id = self.body_id()
        return next((b for b in self.bodies if b.id == body_id), None)

    def _meets_on(self) -> date | None:
        value = read_date(self.meets_on.text())
        return value if isinstance(value, date) else None

    def _body_changed(self) -> None:
        self._fill_chairs(None)
        self.show_notice()
        self.changed.emit()

    def _dates_changed(self) -> None:
        self._notice_timer.start()  # the chairs in office that day are offered after the pause
        self.changed.emit()

    def show_notice(self) -> None:
        """The notice given, in clear days, against the body's rule (a warning, never a
        refusal: a meeting held at short notice is still recorded)."""
        self._notice_timer.stop()
        if self.chair.isEnabled():
            self._fill_chairs(None)
        body = self.chosen_body()
        meets_on = read_date(self.meets_on.text())
        sent_on = read_date(self.notice_sent_on.text())
        if body is None or not isinstance(meets_on, date):
            self._say("<i>Choose the body and type the date to check the notice.</i>", "")
            return
        if isinstance(sent_on, str):
            self._say(f"{WARNING_SIGN} {html(sent_on)}", WARNING_STYLE)
            return
        check = check_notice(sent_on, meets_on, body.notice_clear_days)
        rule = f"{body.name} needs {body.notice_clear_days} clear days' notice."
        if check.short:
            self._say(
                f"{WARNING_SIGN} {html(check.message)} The meeting can still be saved.",
                WARNING_STYLE,
            )
        elif check.given is None:
            self._say(f"{html(check.message)} ({html(rule)})", "")
        else:
            self._say(f"✓ {html(check.message)} ({html(rule)})", GOOD_STYLE)

    def _say(self, text: str, style: str) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet(style)

    def notice_text(self) -> str:
        return self.notice.text()

    def value(self) -> tuple[MeetingInput, dict[str, str]]:
        problems: dict[str, str] = {}
        read: dict[str, object] = {}
        for field, edit, reader in (
            ("meets_on", self.meets_on, read_date),
            ("notice_sent_on", self.notice_sent_on, read_date),
            ("starts_at", self.starts_at, read_time),
            ("ends_at", self.ends_at, read_time),
        ):
            value = reader(edit.text())
            if isinstance(value, str):
                problems[field] = value
                value = None
            read[field] = value
        chair = combo_value(self.chair)
        kind = chosen_enum(self.kind, MeetingKind)
        return (
            MeetingInput(
                body_id=self.body_id(),
                meets_on=read["meets_on"],  # type: ignore[arg-type]
                title=self.title.text().strip(),
                kind=kind if isinstance(kind, MeetingKind) else MeetingKind.ORDINARY,
                starts_at=read["starts_at"],  # type: ignore[arg-type]
                ends_at=read["ends_at"],  # type: ignore[arg-type]
                venue=self.venue.text().strip(),
                online_link=self.online_link.text().strip(),
                notice_sent_on=read["notice_sent_on"],  # type: ignore[arg-type]
                chair_person_id=chair if isinstance(chair, int) else None,
                cancelled=self.cancelled.isChecked(),
                notes=self.notes.toPlainText(),
            ),
            problems,
        )

    def state(self) -> tuple[object, ...]:
        return tuple(
            (w.currentText() if isinstance(w, QComboBox) else _text(w)) for w in self._widgets()
        )

    def _widgets(self) -> tuple[QWidget, ...]:
        return (
            self.body,
            self.kind,
            self.title,
            self.meets_on,
            self.starts_at,
            self.ends_at,
            self.venue,
            self.online_link,
            self.chair,
            self.notice_sent_on,
            self.cancelled,
            self.notes,
        )

    def set_read_only(self) -> None:
        for widget in self._widgets():
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(True)
                if isinstance(widget, QLineEdit):
                    widget.setClearButtonEnabled(False)
            else:
                widget.setEnabled(False)


def _time_box(name: str, tip: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText("hh:mm")
    edit.setToolTip(f"{tip}. Type it as 18:30 (or 6.30pm).")
    edit.setMaximumWidth(80)
    return edit


def _text(widget: QWidget) -> object:
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    return None

"""A governing body's form: its name and code, who votes, its quorum rule, the notice its
meetings need, how often it must meet."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.governance import BodyKind, Frequency, QuorumRule, Voters
from thep_desktop.services.governance.governance_data import BodyDetail, BodyInput
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.governance.governing_bodies_service import USUAL_BODIES
from thep_desktop.services.registry import Services
from thep_desktop.ui.governance.governance_forms import GovernanceForm

# What a new body of each kind starts with: the rules of the usual one of its kind (14 clear
# days' notice and the member schools' votes for a general meeting, the Advisory Council at
# least once a term), and for a committee a week's notice and no required frequency.
KIND_DEFAULTS: dict[BodyKind, tuple[int, Voters, Frequency, int]] = {
    BodyKind.COMMITTEE: (7, Voters.APPOINTED, Frequency.NONE, 0),
    **{
        body.kind: (body.notice_clear_days, body.voters, body.frequency, body.min_meetings)
        for body in USUAL_BODIES
    },
}


def _spin(low: int, high: int, value: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    if suffix:
        spin.setSuffix(suffix)
    return spin


def _combo(name: str, items: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for label, value in items:
        # Qt keeps a str enum as plain text: the value goes in, the enum comes back out.
        combo.addItem(label, value)
    return combo


def _choose(combo: QComboBox, value: str) -> None:
    combo.setCurrentIndex(max(combo.findData(value), 0))


class BodyEditor(GovernanceForm):
    """``BodyEditor(services, None, parent)``: a new body; with an id, that body.

    ``saved(BodyDetail)`` is emitted once it is saved. Someone without MANAGE_GOVERNANCE
    sees the body's rules, read only.
    """

    saved = Signal(object)
    unsaved_what = "the body"

    def __init__(
        self, services: Services, body_id: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        actor = services.actor
        self.editable = actor.can(MANAGE_GOVERNANCE)
        self.detail: BodyDetail | None = (
            services.governing_bodies.get_body(actor, body_id) if body_id is not None else None
        )
        self.setObjectName("body_editor")
        self.setWindowTitle(f"Body – {self.detail.name}" if self.detail else "New body")
        self.resize(640, 620)
        self._kind_shown: BodyKind | None = None
        self._build()
        self._show(self.detail.as_input() if self.detail else None)
        self._initial = self.state()

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        outer, form = self.start_form()
        assert form is not None

        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setPlaceholderText("e.g. Finance and Audit Committee")
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setMaxLength(10)
        self.code.setPlaceholderText("e.g. B")
        self.code.setToolTip(
            "Starts the number of each of its decisions: B/2025/07/3 is the Board's third "
            "decision at its meeting of July 2025"
        )
        self.kind = _combo("kind", [(k.label, k.value) for k in BodyKind])
        self.voters = _combo("voters", [(v.label, v.value) for v in Voters])

        quorum = QWidget()
        quorum.setObjectName("quorum")
        rows = QVBoxLayout(quorum)
        rows.setContentsMargins(0, 0, 0, 0)
        self.by_number = QRadioButton("A number of voting members &present:")
        self.quorum_number = _spin(1, 999, 3)
        self.quorum_number.setObjectName("quorum_number")
        first = QHBoxLayout()
        first.addWidget(self.by_number)
        first.addWidget(self.quorum_number)
        first.addStretch(1)
        self.by_fraction = QRadioButton("A &fraction of the voting members:")
        self.numerator = _spin(1, 99, 1)
        self.numerator.setObjectName("quorum_numerator")
        self.denominator = _spin(1, 99, 3)
        self.denominator.setObjectName("quorum_denominator")
        self.minimum = _spin(0, 999, 0)
        self.minimum.setObjectName("quorum_minimum")
        self.minimum.setSpecialValueText("no least number")
        self.minimum.setToolTip("A floor under the fraction (0: none)")
        second = QHBoxLayout()
        second.addWidget(self.by_fraction)
        second.addWidget(self.numerator)
        second.addWidget(QLabel("/"))
        second.addWidget(self.denominator)
        least = QLabel("and at &least")
        least.setBuddy(self.minimum)
        second.addWidget(least)
        second.addWidget(self.minimum)
        second.addStretch(1)
        self.quorum_way = QButtonGroup(self)
        self.quorum_way.addButton(self.by_number)
        self.quorum_way.addButton(self.by_fraction)
        self.observers_count = QCheckBox("O&bservers and others in attendance count towards it")
        self.quorum_words = QLabel()
        self.quorum_words.setObjectName("quorum_words")
        self.quorum_words.setWordWrap(True)
        self.quorum_words.setStyleSheet("color: #444;")
        rows.addLayout(first)
        rows.addLayout(second)
        rows.addWidget(self.observers_count)
        rows.addWidget(self.quorum_words)

        self.notice = _spin(0, 365, 7, " clear days")
        self.notice.setObjectName("notice_clear_days")
        self.notice.setToolTip(
            "Neither the day the notice is sent nor the day of the meeting counts"
        )
        frequency = QWidget()
        line = QHBoxLayout(frequency)
        line.setContentsMargins(0, 0, 0, 0)
        self.frequency = _combo(
            "frequency",
            [
                ("No required frequency", Frequency.NONE.value),
                ("At least … times each term", Frequency.TERM.value),
                ("At least … times each academic year", Frequency.YEAR.value),
            ],
        )
        self.min_meetings = _spin(0, 99, 0, " times")
        self.min_meetings.setObjectName("min_meetings")
        line.addWidget(self.frequency, 1)
        line.addWidget(self.min_meetings)
        self.active = QCheckBox("Active (a retired body keeps its meetings and appointments)")
        self.active.setObjectName("active")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("notes")
        self.notes.setMaximumHeight(80)

        for field, label, widget in (
            ("name", "&Name", self.name),
            ("code", "Co&de", self.code),
            ("kind", "&Kind", self.kind),
            ("voters", "&Who votes", self.voters),
            ("quorum", "&Quorum", quorum),
            ("notice_clear_days", "No&tice", self.notice),
            ("frequency", "Must &meet", frequency),
            ("active", "", self.active),
            ("notes", "N&otes", self.notes),
        ):
            message = self.messages.add_row(form, field, label, widget)
            if field == "frequency":
                # A refusal of the number of meetings shows under the frequency's row.
                self.messages.register("min_meetings", self.min_meetings, message)

        self.end_form(outer, "the body")

        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        for spin in (self.quorum_number, self.numerator, self.denominator, self.minimum):
            spin.valueChanged.connect(lambda _v: self._quorum_changed())
        self.quorum_way.buttonToggled.connect(lambda *_a: self._quorum_changed())
        self.observers_count.toggled.connect(lambda _on: self._quorum_changed())
        self.frequency.currentIndexChanged.connect(lambda _i: self._frequency_changed())
        if not self.editable:
            for edit in (self.name, self.code):
                edit.setReadOnly(True)
            self.notes.setReadOnly(True)
            for widget in (self.kind, self.voters, quorum, self.notice, frequency, self.active):
                widget.setEnabled(False)

    # -- showing ----------------------------------------------------------------------------
    def _show(self, data: BodyInput | None) -> None:
        if data is None:
            notice, voters, frequency, times = KIND_DEFAULTS[BodyKind.COMMITTEE]
            data = BodyInput(
                "", "", BodyKind.COMMITTEE, voters, QuorumRule(number=3), notice, frequency, times
            )
        self.name.setText(data.name)
        self.code.setText(data.code)
        self._kind_shown = BodyKind(data.kind)
        self.kind.blockSignals(True)
        _choose(self.kind, data.kind.value)
        self.kind.blockSignals(False)
        _choose(self.voters, data.voters.value)
        rule = data.quorum
        if rule.number is not None:
            self.by_number.setChecked(True)
            self.quorum_number.setValue(rule.number)
        else:
            self.by_fraction.setChecked(True)
            self.numerator.setValue(rule.numerator or 1)
            self.denominator.setValue(rule.denominator or 1)
        self.minimum.setValue(rule.minimum)
        self.observers_count.setChecked(rule.observers_count)
        self.notice.setValue(data.notice_clear_days)
        _choose(self.frequency, data.frequency.value)
        self.min_meetings.setValue(data.min_meetings)
        self.active.setChecked(data.active)
        self.notes.setPlainText(data.notes)
        self._quorum_changed()
        self._frequency_changed()

    def _kind_changed(self) -> None:
        """A new body takes the usual rules of its kind: a general meeting 14 clear days'
        notice and the member schools' votes, the Advisory Council a meeting each term.
        A rule the person has changed from the last kind's usual one is left as typed."""
        kind = BodyKind(self.kind.currentData())
        before, self._kind_shown = self._kind_shown, kind
        if self.detail is not None or before is None:
            return
        old = KIND_DEFAULTS[before]
        new = KIND_DEFAULTS[kind]
        if self.notice.value() == old[0]:
            self.notice.setValue(new[0])
        if self.voters.currentData() == old[1].value:
            _choose(self.voters, new[1].value)
        if self.frequency.currentData() == old[2].value and self.min_meetings.value() == old[3]:
            _choose(self.frequency, new[2].value)
            self.min_meetings.setValue(new[3])

    def quorum_rule(self) -> QuorumRule:
        observers = self.observers_count.isChecked()
        if self.by_number.isChecked():
            return QuorumRule(number=self.quorum_number.value(), observers_count=observers)
        return QuorumRule(
            numerator=self.numerator.value(),
            denominator=self.denominator.value(),
            minimum=self.minimum.value(),
            observers_count=observers,
        )

    def _quorum_changed(self) -> None:
        by_number = self.by_number.isChecked()
        self.quorum_number.setEnabled(by_number)
        for spin in (self.numerator, self.denominator, self.minimum):
            spin.setEnabled(not by_number)
        rule = self.quorum_rule()
        problems = rule.problems()
        if problems:
            self.quorum_words.setText(problems["quorum"])
            return
        words = f"Quorum: {rule.label}."
        if self.detail is not None and self.detail.voting_members:
            count = self.detail.voting_members
            words += (
                f" With the {count} voting member{'s' if count != 1 else ''} of today, "
                f"{rule.needed(count)} must be present."
            )
        self.quorum_words.setText(words)

    def _frequency_changed(self) -> None:
        required = self.frequency.currentData() != Frequency.NONE.value
        self.min_meetings.setEnabled(required and self.editable)
        if required and self.min_meetings.value() == 0:
            self.min_meetings.setValue(1)
        if not required:
            self.min_meetings.setValue(0)

    # -- saving -----------------------------------------------------------------------------
    def body_input(self) -> BodyInput:
        return BodyInput(
            name=self.name.text(),
            code=self.code.text(),
            kind=BodyKind(self.kind.currentData()),
            voters=Voters(self.voters.currentData()),
            quorum=self.quorum_rule(),
            notice_clear_days=self.notice.value(),
            frequency=Frequency(self.frequency.currentData()),
            min_meetings=self.min_meetings.value(),
            active=self.active.isChecked(),
            notes=self.notes.toPlainText(),
        )

    def state(self) -> BodyInput:
        return self.body_input()

    def save(self) -> bool:
        """Save (Ctrl+S): saved and closed, or the reasons shown beside the fields."""
        data = self.body_input()
        actor = self.services.actor
        return self.save_typed(
            (data, data.quorum.problems()),
            lambda typed, found, version: self.services.governing_bodies.save_body(
                actor, typed, found, version
            ),
        )

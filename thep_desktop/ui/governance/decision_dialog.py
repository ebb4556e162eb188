"""One decision of a meeting: the item it was taken at, its words, kind, result and the votes,
with the quorum at that item and how many there may vote shown as the item is chosen."""

from __future__ import annotations

from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from thep_desktop.domain.governance import (
    DecisionKind,
    DecisionResult,
    QuorumAt,
    Votes,
    result_problem,
)
from thep_desktop.services.governance.governance_data import (
    AgendaItemDetail,
    DecisionDetail,
    DecisionInput,
)
from thep_desktop.services.registry import Services
from thep_desktop.ui.governance.meeting_fields import (
    ALARM_STYLE,
    GOOD_STYLE,
    WARNING_SIGN,
    WARNING_STYLE,
    chosen_enum,
    combo_value,
    fill_items,
    html,
    read_count,
)
from thep_desktop.ui.governance.meeting_form import MeetingForm


def quorum_words(at: QuorumAt | None) -> tuple[str, str]:
    """The quorum at an item, and the style to show it in."""
    if at is None:
        return "Choose the item the decision was taken at.", ""
    there = f"{at.voting} there may vote"
    if at.quorate:
        return (
            f"At item {at.item}: quorate: {at.present} present of {at.needed} needed; {there}.",
            GOOD_STYLE,
        )
    return (
        f"{WARNING_SIGN} At item {at.item}: NOT quorate: {at.present} present of {at.needed} "
        f"needed; no decision can be recorded there.",
        ALARM_STYLE,
    )


class VotesRow(QWidget):
    """For, against and abstaining: blank when the votes were not counted."""

    def __init__(self, votes: Votes | None = None) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QLineEdit] = {}
        votes = votes or Votes()
        for name, caption, value in (
            ("for_", "For", votes.for_),
            ("against", "Against", votes.against),
            ("abstaining", "Abstaining", votes.abstaining),
        ):
            edit = QLineEdit("" if value is None else str(value))
            edit.setObjectName(f"votes_{name.rstrip('_')}")
            edit.setValidator(QIntValidator(0, 99_999, edit))
            edit.setMaximumWidth(70)
            label = QLabel(f"{caption}:")
            label.setBuddy(edit)
            row.addWidget(label)
            row.addWidget(edit)
            self.boxes[name] = edit
        row.addStretch(1)

    def value(self) -> Votes:
        return Votes(*(read_count(self.boxes[n]) for n in ("for_", "against", "abstaining")))

    def edits(self) -> list[QLineEdit]:
        return list(self.boxes.values())


class DecisionDialog(MeetingForm):
    """A new decision (``decision`` None) or a change to one; ``result_value`` is what was
    saved."""

    aliases = {"for_": "votes", "against": "votes", "abstaining": "votes", "item": "agenda_item_id"}
    unsaved_what = "this decision"

    def __init__(
        self,
        services: Services,
        meeting_id: int,
        items: tuple[AgendaItemDetail, ...],
        quorum: dict[int, QuorumAt],
        decision: DecisionDetail | None,
        parent: QWidget | None = None,
    ) -> None:
        title = "New decision" if decision is None else f"Decision {decision.reference}"
        super().__init__(services, title, parent)
        self.setObjectName("decision_dialog")
        self.meeting_id = meeting_id
        self.detail = decision
        self.quorum = quorum  # by agenda item id
        self.resize(620, 460)
        self.item = QComboBox()
        self.item.setObjectName("item")
        fill_items(self.item, items, decision.agenda_item_id if decision else None)
        self.messages.add_row(self.form, "agenda_item_id", "&Item:", self.item)
        self.quorum_label = QLabel()
        self.quorum_label.setObjectName("decision_quorum")
        self.quorum_label.setWordWrap(True)
        self.form.addRow("", self.quorum_label)
        self.text = QPlainTextEdit(decision.text if decision else "")
        self.text.setObjectName("text")
        self.text.setPlaceholderText("That the budget for 2025/26 be approved.")
        self.messages.add_row(self.form, "text", "&Resolution:", self.text)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in DecisionKind:
            self.kind.addItem(kind.label, kind)
        self.kind.setCurrentIndex(self.kind.findData(decision.kind if decision else None))
        if self.kind.currentIndex() < 0:
            self.kind.setCurrentIndex(0)
        self.messages.add_row(self.form, "kind", "&Kind:", self.kind)
        self.outcome = QComboBox()
        self.outcome.setObjectName("result")
        for result in DecisionResult:
            self.outcome.addItem(result.label, result)
        self.outcome.setCurrentIndex(
            max(self.outcome.findData(decision.result if decision else None), 0)
        )
        self.messages.add_row(self.form, "result", "Res&ult:", self.outcome)
        self.votes = VotesRow(decision.votes if decision else Votes())
        self.messages.add_row(self.form, "votes", "&Votes:", self.votes)
        self.votes_check = QLabel()
        self.votes_check.setObjectName("votes_check")
        self.votes_check.setWordWrap(True)
        self.form.addRow("", self.votes_check)
        self.finish("the decision")
        self.item.currentIndexChanged.connect(lambda _i: self.show_checks())
        self.kind.currentIndexChanged.connect(lambda _i: self.show_checks())
        self.outcome.currentIndexChanged.connect(lambda _i: self.show_checks())
        for edit in self.votes.edits():
            edit.textChanged.connect(lambda _t: self.show_checks())
        self.show_checks()
        self.text.setFocus()

    def item_id(self) -> int | None:
        value = combo_value(self.item)
        return value if isinstance(value, int) else None

    def show_checks(self) -> None:
        """The quorum at the item chosen, and any problem with the votes (before saving)."""
        at = self.quorum.get(self.item_id() or -1)
        words, style = quorum_words(at)
        self.quorum_label.setText(html(words))
        self.quorum_label.setStyleSheet(style)
        problem = self.votes_problem(at)
        self.votes_check.setText(f"{WARNING_SIGN} {html(problem)}" if problem else "")
        self.votes_check.setStyleSheet(WARNING_STYLE if problem else "")

    def votes_problem(self, at: QuorumAt | None) -> str | None:
        votes = self.votes.value()
        if at is not None and votes.counted and votes.total > at.voting:
            return (
                f"{votes.total} votes are more than the {at.voting} present and entitled to "
                f"vote at item {at.item}."
            )
        kind = chosen_enum(self.kind, DecisionKind)
        result = chosen_enum(self.outcome, DecisionResult)
        if isinstance(kind, DecisionKind) and isinstance(result, DecisionResult):
            return result_problem(kind, result, votes)
        return None

    def state(self) -> tuple[object, ...]:
        return (
            self.item.currentIndex(),
            self.text.toPlainText(),
            self.kind.currentIndex(),
            self.outcome.currentIndex(),
            self.votes.value(),
        )

    def check(self) -> dict[str, str]:
        if self.item_id() is None:
            return {"agenda_item_id": "Choose the item the decision was taken at."}
        return {}

    def write(self) -> DecisionDetail:
        data = DecisionInput(
            agenda_item_id=self.item_id() or 0,
            text=self.text.toPlainText().strip(),
            kind=chosen_enum(self.kind, DecisionKind) or DecisionKind.ORDINARY,
            result=chosen_enum(self.outcome, DecisionResult) or DecisionResult.CARRIED,
            votes=self.votes.value(),
        )
        actor = self.services.actor
        decision = self.detail
        return self.services.meetings.save_decision(
            actor,
            self.meeting_id,
            data,
            decision.id if decision else None,
            decision.version if decision else None,
        )

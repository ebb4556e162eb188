"""The application form (a new member, or a member re-joining) and the member's details form."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.domain.memberships import Category, MemberKind
from thep_desktop.models import SchoolStatus
from thep_desktop.services.memberships.member_data import (
    ApplicationInput,
    MemberDetail,
    MemberInput,
)
from thep_desktop.services.memberships.memberships_permissions import OVERRIDE_ELIGIBILITY
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.ui.memberships.membership_form import MembershipForm
from thep_desktop.ui.shared.forms import ERROR_STYLE, date_field, searchable_combo

NEW, REJOIN, EDIT = "new", "rejoin", "edit"
_OWN_FIELDS = ("name", "address", "postcode")  # an organisation's or person's own
_APPLICATION_FIELDS = (
    "category",
    "applied_on",
    "supports_aims",
    "agrees_to_pay_fee",
    "guarantee",
    "eligibility",
    "eligibility_override",
)
_MEMBER_FIELDS = ("kind", "school_id", *_OWN_FIELDS, "contact_name", "email", "phone", "notes")


def school_chooser() -> QComboBox:
    """A box to choose a school by typing any part of its name or URN."""
    return searchable_combo("Type part of the school's name or URN")


class ApplicationDialog(MembershipForm):
    """``mode`` NEW: a new member and its application; REJOIN: a new application of
    ``member``; EDIT: ``member``'s own details only."""

    def __init__(
        self,
        services: Services,
        mode: str,
        member: MemberDetail | None = None,
        parent: QWidget | None = None,
    ) -> None:
        self.services = services
        self.mode = mode
        self.member = member
        self.saved_member: MemberDetail | None = None
        actor = services.actor
        self.kind = QComboBox()
        for kind in MemberKind:
            self.kind.addItem(kind.label, kind.value)
        self.school = school_chooser()
        self.name_edit = QLineEdit()
        self.address = QPlainTextEdit()
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(72)
        self.postcode = QLineEdit()
        self.contact = QLineEdit()
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.notes = QLineEdit()
        self.category = QComboBox()
        for category in Category:
            self.category.addItem(category.label, category.value)
        self.applied_on = date_field(format_date(date.today()), "The day the application came in")
        self.supports_aims = QCheckBox("Supports the partnership's aims and values")
        self.supports_aims.setChecked(True)
        self.agrees_to_pay = QCheckBox("Agrees to pay the annual fee")
        self.agrees_to_pay.setChecked(True)
        self.guarantee = QLineEdit()
        self.eligibility = QLabel()
        self.eligibility.setObjectName("eligibility")
        self.eligibility.setWordWrap(True)
        self.eligibility.setStyleSheet(ERROR_STYLE)
        self.override = QLineEdit()
        self.override.setPlaceholderText("Why this body may be a full member all the same")
        self.can_override = actor.can(OVERRIDE_ELIGIBILITY)
        self.override_offered = False
        fields: dict[str, tuple[str, QWidget]] = {
            "kind": ("&Kind of member", self.kind),
            "school_id": ("&School", self.school),
            "name": ("&Name", self.name_edit),
            "address": ("&Address", self.address),
            "postcode": ("&Postcode", self.postcode),
            "contact_name": ("C&ontact", self.contact),
            "email": ("&Email", self.email),
            "phone": ("P&hone", self.phone),
            "notes": ("No&tes", self.notes),
            "category": ("&Category", self.category),
            "applied_on": ("&Date of application", self.applied_on),
            "supports_aims": ("Commitments", self.supports_aims),
            "agrees_to_pay_fee": ("", self.agrees_to_pay),
            "guarantee": ("&Guarantee", self.guarantee),
            "eligibility": ("Eligibility", self.eligibility),
            "eligibility_override": ("&Override, with reason", self.override),
        }
        title, intro, what = {
            NEW: (
                "New application for membership",
                "Record an application: a school of the register, or an organisation or "
                "person with their own address.",
                "the application",
            ),
            REJOIN: (
                f"Re-join – {member.name if member else ''}",
                "A new period of membership; the earlier ones are kept as they were.",
                "the application",
            ),
            EDIT: (
                f"Member's details – {member.name if member else ''}",
                "A school member's name and address come from the schools register.",
                "the member's details",
            ),
        }[mode]
        super().__init__(title, intro, fields, self._save_now, parent, what=what)
        self.setObjectName("application_dialog")
        self._fill()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        # As each letter is typed: a school is chosen once its name reads as in the list.
        self.school.currentTextChanged.connect(self._check_eligibility)
        self.category.currentIndexChanged.connect(self._check_eligibility)
        self._kind_changed()

    # -- filling ----------------------------------------------------------------------------
    def _fill(self) -> None:
        actor = self.services.actor
        member = self.member
        if self.mode != EDIT:
            try:
                self.guarantee.setText(money(self.services.fees.rules(actor).default_guarantee))
            except ServiceError:
                self.guarantee.setText("")
        if self.mode == NEW:
            taken = {
                d.school_id
                for d in self.services.members.list_member_details(actor)
                if d.school_id is not None
            }
            for row in self.services.schools.list_schools(actor):
                if row.id in taken or row.status == SchoolStatus.CLOSED:
                    continue
                self.school.addItem(f"{row.name} (URN {row.urn})", row.id)
            self.school.setCurrentIndex(-1)
            self.school.setEditText("")
            return
        assert member is not None
        self.kind.setCurrentIndex(self.kind.findData(member.kind.value))
        self.kind.setEnabled(False)  # a member's kind never changes
        if member.school_id is not None:
            self.school.addItem(f"{member.name} (URN {member.urn})", member.school_id)
            self.school.setCurrentIndex(0)
        self.school.setEnabled(False)
        self.name_edit.setText(member.name)
        self.address.setPlainText(member.address)
        self.postcode.setText(member.postcode)
        self.contact.setText(member.contact_name)
        own = member.as_input()
        self.email.setText(own.email)
        self.phone.setText(own.phone)
        self.notes.setText(member.notes)
        if member.latest is not None and self.mode == REJOIN:
            self.category.setCurrentIndex(self.category.findData(member.latest.category.value))

    def _kind_changed(self) -> None:
        school = self.kind.currentData() == MemberKind.SCHOOL.value
        if self.mode == NEW and not school:
            # Only schools can be full members: an organisation or person is an associate.
            self.category.setCurrentIndex(self.category.findData(Category.ASSOCIATE.value))
        editing = self.mode == EDIT
        rejoining = self.mode == REJOIN
        for name in _MEMBER_FIELDS:
            visible = not rejoining
            if name == "school_id":
                visible = visible and school
            elif name in _OWN_FIELDS:
                visible = visible and not school
            self.show_field(name, visible)
        for name in _APPLICATION_FIELDS:
            self.show_field(name, not editing)
        self._check_eligibility()

    def chosen_school_id(self) -> int | None:
        """The school chosen, from the list or typed in full as the list shows it."""
        if self.kind.currentData() != MemberKind.SCHOOL.value:
            return None
        number = self.school.findText(self.school.currentText(), Qt.MatchFlag.MatchFixedString)
        return None if number < 0 else self.school.itemData(number)

    def _check_eligibility(self) -> None:
        """Full membership chosen: say at once why the body could not be a full member."""
        problems: list[str] = []
        if self.mode != EDIT and self.category.currentData() == Category.FULL.value:
            kind = self.kind.currentData()
            school_id = self.chosen_school_id()
            if kind != MemberKind.SCHOOL.value or school_id is not None:
                try:
                    problems = self.services.members.eligibility_problems(
                        self.services.actor, MemberInput(kind=kind, school_id=school_id)
                    )
                except ServiceError as exc:
                    problems = [exc.message]
        if problems:
            text = "Not eligible for full membership: " + " ".join(problems)
            if not self.can_override:
                text += " Choose associate membership (only an administrator can override this)."
            self.eligibility.setText(text)
        self.override_offered = bool(problems) and self.can_override
        self.show_field("eligibility", bool(problems))
        self.show_field("eligibility_override", self.override_offered)

    # -- saving -----------------------------------------------------------------------------
    def member_input(self) -> MemberInput:
        return MemberInput(
            kind=self.kind.currentData(),
            school_id=self.chosen_school_id(),
            name=self.name_edit.text(),
            contact_name=self.contact.text(),
            address=self.address.toPlainText(),
            postcode=self.postcode.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            notes=self.notes.text(),
        )

    def application_input(self) -> ApplicationInput:
        return ApplicationInput(
            category=self.category.currentData(),
            applied_on=self.applied_on.text(),
            supports_aims=self.supports_aims.isChecked(),
            agrees_to_pay_fee=self.agrees_to_pay.isChecked(),
            guarantee=self.guarantee.text(),
            eligibility_override=self.override.text() if self.override_offered else "",
        )

    def _save_now(self) -> MemberDetail:
        members, actor = self.services.members, self.services.actor
        if self.mode == NEW:
            saved = members.apply(actor, self.member_input(), self.application_input())
        elif self.mode == REJOIN:
            assert self.member is not None
            saved = members.apply_again(actor, self.member.id, self.application_input())
        else:
            assert self.member is not None
            saved = members.update_member(
                actor, self.member.id, self.member.version, self.member_input()
            )
        self.saved_member = saved
        return saved

"""Letters > Mail merge to "All members" and "All full members": schools, organisations, people."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from letters_ui_helpers import choose_template, on_its_text, open_merge, wait_done
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.memberships import MemberKind
from thep_desktop.services.memberships.fees_service import ScheduleInput
from thep_desktop.services.memberships.member_data import ApplicationInput, MemberInput
from thep_desktop.services.registry import Services
from thep_desktop.ui.letters.mail_merge_dialog import MailMergeDialog
from thep_desktop.ui.letters.mail_merge_recipients import ALL_FULL, ALL_MEMBERS
from thep_desktop.ui.main_window import MainWindow


def _admit(services: Services, data: MemberInput, category: str, admitted: date) -> int:
    actor = services.actor
    member = services.members.apply(
        actor, data, ApplicationInput(category=category, applied_on=admitted)
    )
    period = member.periods[-1]
    services.members.admit(actor, period.id, period.version, admitted)
    return member.id


@pytest.fixture
def members(services: Services, schools: dict[str, int]) -> dict[str, int]:
    """Bow as an associate member school, an organisation and a person; this year's fees."""
    made = {
        "bow": _admit(
            services,
            MemberInput(kind=MemberKind.SCHOOL, school_id=schools["bow"]),
            "associate",
            date(2024, 9, 1),
        ),
        "trust": _admit(
            services,
            MemberInput(
                kind=MemberKind.ORGANISATION,
                name="Stepney Music Trust",
                contact_name="Mr Daniel Osei",
                address="12 Whitehorse Road\nLondon",
                postcode="E1 0ND",
            ),
            "associate",
            date(2021, 1, 11),
        ),
        "person": _admit(
            services,
            MemberInput(
                kind=MemberKind.INDIVIDUAL,
                name="Dr Amara Nwosu",
                address="31 Mile End Road\nLondon",
                postcode="E1 4TP",
            ),
            "associate",
            date(2024, 1, 15),
        ),
    }
    services.fees.save_schedule(
        services.actor,
        ScheduleInput(
            academic_year=AcademicYear.of(date.today()),
            rate_per_pupil=Decimal("5.00"),
            associate_fee=Decimal("250.00"),
        ),
    )
    return made


def test_all_members_get_the_welcome_letter_at_their_own_addresses(
    qtbot: QtBot,
    services: Services,
    members: dict[str, int],
    window: MainWindow,
    merges: list[MailMergeDialog],
    tmp_path: Path,
) -> None:
    dialog = open_merge(window, merges)
    everyone = dialog.radios[ALL_MEMBERS]
    assert everyone.text() == "All &members (3)" and everyone.isEnabled()
    # No full members: that choice is there, and off.
    assert dialog.radios[ALL_FULL].text() == "All f&ull members (0)"
    assert not dialog.radios[ALL_FULL].isEnabled()
    choose_template(dialog, "Welcome to membership")
    qtbot.mouseClick(everyone, Qt.MouseButton.LeftButton, pos=on_its_text(everyone))
    assert everyone.isChecked()
    qtbot.waitUntil(lambda: "Stepney Music Trust" in {r[0] for r in dialog.recipient_rows()})
    assert len(dialog.recipient_rows()) == 3
    rows = {school: (to, note) for school, to, note in dialog.recipient_rows()}
    assert rows["Stepney Music Trust"] == ("Mr Daniel Osei", "")
    assert rows["Dr Amara Nwosu"] == ("Dr Amara Nwosu", "")
    assert "3 letters." in dialog.check_summary.text()
    target = tmp_path / "Welcome.pdf"
    dialog.combined_path.setText(str(target))
    qtbot.waitUntil(lambda: dialog.produce_button.isEnabled())
    qtbot.mouseClick(dialog.produce_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)
    assert dialog.merge_result is not None and dialog.merge_result.letters == 3
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(str(target)).pages]
    trust = next(p for p in pages if "Stepney Music Trust was admitted" in p)
    assert "Mr Daniel Osei Stepney Music Trust 12 Whitehorse Road London E1 0ND" in trust
    assert "on 11/01/2021 (associate member)" in trust and "is £250.00" in trust
    history = services.letters.member_correspondence(services.actor, members["person"])
    assert [(h.template_name, h.school_id) for h in history] == [("Welcome to membership", None)]


def test_a_member_without_notice_is_left_out_of_the_acknowledgement_saying_why(
    qtbot: QtBot,
    members: dict[str, int],
    window: MainWindow,
    merges: list[MailMergeDialog],
) -> None:
    dialog = open_merge(window, merges)
    choose_template(dialog, "Acknowledgement of withdrawal notice")
    everyone = dialog.radios[ALL_MEMBERS]
    qtbot.mouseClick(everyone, Qt.MouseButton.LeftButton, pos=on_its_text(everyone))
    qtbot.waitUntil(lambda: "Dr Amara Nwosu" in {r[0] for r in dialog.recipient_rows()})
    assert len(dialog.recipient_rows()) == 3
    notes = {note for _school, _to, note in dialog.recipient_rows()}
    assert notes == {
        "Left out: the letter needs the date notice to leave was received, why membership "
        "ends when it does, date membership ends, and no notice to leave is recorded; no "
        "date is recorded for the membership to end"
    }
    assert not dialog.produce_button.isEnabled()


def test_a_letter_to_one_member_opens_with_that_member_and_letter_chosen(
    qtbot: QtBot,
    services: Services,
    members: dict[str, int],
    tmp_path: Path,
) -> None:
    """What the Memberships tab opens: the mail merge window for the member it has selected."""
    from thep_desktop.ui.letters.mail_merge_recipients import CHOSEN_MEMBERS
    from thep_desktop.ui.letters.member_letters import open_member_letter

    dialog = open_member_letter(services, members["trust"], "welcome")
    qtbot.addWidget(dialog)
    told: list[str] = []
    dialog.inform = lambda _parent, _title, text: told.append(text)
    shown: list[str] = []  # the letters' document window, as the main window's tests do
    dialog.show_pdf = lambda _parent, _data, title, _name: shown.append(title)
    assert dialog.isVisible() and dialog.template_combo.currentText() == "Welcome to membership"
    chosen = dialog.radios[CHOSEN_MEMBERS]
    assert chosen.isChecked() and chosen.text() == "The member &chosen in the Memberships tab (1)"
    qtbot.waitUntil(lambda: len(dialog.recipient_rows()) == 1)
    assert dialog.recipient_rows() == [("Stepney Music Trust", "Mr Daniel Osei", "")]
    # The other choices are still there, for a wider mailing from the same window.
    everyone = dialog.radios[ALL_MEMBERS]
    qtbot.mouseClick(everyone, Qt.MouseButton.LeftButton, pos=on_its_text(everyone))
    qtbot.waitUntil(lambda: len(dialog.recipient_rows()) == 3)
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton, pos=on_its_text(chosen))
    qtbot.waitUntil(lambda: len(dialog.recipient_rows()) == 1)
    target = tmp_path / "Welcome trust.pdf"
    dialog.combined_path.setText(str(target))
    qtbot.waitUntil(lambda: dialog.produce_button.isEnabled())
    qtbot.mouseClick(dialog.produce_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)
    assert dialog.merge_result is not None and dialog.merge_result.letters == 1
    assert told and told[0].startswith("1 letter (1 page) produced")
    assert len(shown) == 1  # the letter opened to print
    text = " ".join(PdfReader(str(target)).pages[0].extract_text().split())
    assert "Stepney Music Trust was admitted" in text
    history = services.letters.member_correspondence(services.actor, members["trust"])
    assert [h.template_name for h in history] == ["Welcome to membership"]
    dialog.close()


def test_a_letter_to_one_member_names_a_template_that_is_not_there(
    services: Services, members: dict[str, int]
) -> None:
    from thep_desktop.services.shared.errors import NotFoundError
    from thep_desktop.ui.letters.member_letters import member_letter_dialog

    with pytest.raises(NotFoundError, match="no letter template called “nothing”"):
        member_letter_dialog(services, members["trust"], "nothing")

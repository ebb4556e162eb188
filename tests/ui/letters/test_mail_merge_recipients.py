"""Who a mail merge writes to, on its own: the choice of schools and the ranked check list."""

from __future__ import annotations

import pytest
from letters_ui_helpers import ADVERSARIAL, on_its_text
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from thep_desktop.services.registry import Services
from thep_desktop.ui.letters.mail_merge_recipients import (
    ALL_OPEN,
    LEFT_OUT,
    SELECTED,
    SHOWN,
    RecipientCheck,
    RecipientChoice,
    check_rows,
)
from thep_desktop.ui.shared.forms import FieldMessages

pytestmark = pytest.mark.gui


def test_check_rows_put_schools_left_out_first_then_fallbacks_then_named_contacts(
    services: Services, schools: dict[str, int]
) -> None:
    ids = [schools["nowhere"], schools["bow"], schools["mary"]]
    recipients, skipped = services.letters.recipients(services.actor, ids, "Head teacher")

    rows, fallbacks = check_rows(recipients, skipped, [])
    assert [(rank, school) for rank, school, _to, _note in rows] == [
        (0, "Nowhere School"),  # no postal address
        (2, "Bow Common Nursery School"),  # its head teacher is a named contact
        (2, ADVERSARIAL),  # GIAS's head teacher, by name
    ]
    assert rows[0][3].startswith(LEFT_OUT + "no postal address")
    assert rows[2][2] == "Ms Rahima Begum" and fallbacks == 0

    # Writing to a role only one school has: the other is addressed to the role, with why.
    recipients, skipped = services.letters.recipients(
        services.actor, ids[1:], "School business manager"
    )
    rows, fallbacks = check_rows(recipients, skipped, [])
    assert fallbacks == 1
    assert rows[0][:3] == (1, "Bow Common Nursery School", "The School Business Manager")
    assert rows[0][3].startswith("No school business manager is recorded")
    assert rows[1][:3] == (2, ADVERSARIAL, "Mr Tom Price")

    # A letter that needs the membership record leaves out schools without one.
    rows, fallbacks = check_rows(recipients, skipped, ["member.fee_due"])
    assert {r[0] for r in rows} == {0} and fallbacks == 0
    assert all("membership record" in r[3] for r in rows)


def test_the_choice_of_schools_counts_them_and_says_when_it_changes(qtbot: QtBot) -> None:
    choice = RecipientChoice(
        FieldMessages(), [], [1, 2], [1, 2, 3], [9], ["Head teacher", "School business manager"]
    )
    qtbot.addWidget(choice)
    choice.show()
    qtbot.waitExposed(choice)
    changes: list[None] = []
    choice.changed.connect(lambda: changes.append(None))
    assert not choice.radios[SELECTED].isEnabled()  # no schools selected in the Schools tab
    choice.choose_default()
    assert choice.recipients_key() == SHOWN and choice.school_ids() == [1, 2]
    assert not choice.proposed_check.isEnabled()  # only for all open schools
    assert len(changes) == 1
    changes.clear()

    every = choice.radios[ALL_OPEN]
    qtbot.mouseClick(every, Qt.MouseButton.LeftButton, pos=on_its_text(every))
    assert choice.school_ids() == [1, 2, 3] and len(changes) == 1
    assert choice.proposed_check.isEnabled()
    qtbot.mouseClick(
        choice.proposed_check,
        Qt.MouseButton.LeftButton,
        pos=on_its_text(choice.proposed_check),
    )
    assert choice.school_ids() == [1, 2, 3, 9] and len(changes) == 2
    assert every.text() == "&All open schools (4)"

    choice.contact_role.setFocus()
    choice.contact_role.lineEdit().selectAll()
    qtbot.keyClicks(choice.contact_role, "Bursar")
    assert choice.contact_role.currentText() == "Bursar" and len(changes) > 2


def test_the_check_list_shows_rows_in_the_order_given(qtbot: QtBot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    check = RecipientCheck()
    qtbot.addWidget(check)
    check.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    rows = [("Zeta School", "", LEFT_OUT + "no address"), ("Alpha School", "Ms A", "")]
    check.show_rows(rows)
    assert check.rows() == rows  # the order given: what needs attention first
    assert check.table.horizontalHeader().sortIndicatorSection() == -1
    check.show_note("1 letter; 1 school left out.", problem=True)
    assert check.check_summary.text() == "1 letter; 1 school left out."
    assert "color" in check.check_summary.styleSheet()
    qtmodeltester.check(check.model)

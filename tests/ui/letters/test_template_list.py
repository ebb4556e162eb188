"""The templates' list pane on its own: what it lists, and which selections it reports."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from thep_desktop.services.letters.letter_fields import BUILTINS_BY_KEY
from thep_desktop.services.registry import Services
from thep_desktop.ui.letters.template_list import BUILT_IN, OWN, TemplateList

pytestmark = pytest.mark.gui


def shown_list(qtbot: QtBot, services: Services) -> TemplateList:
    pane = TemplateList()
    qtbot.addWidget(pane)
    pane.set_templates(services.letters.list_templates(services.actor))
    pane.resize(400, 700)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def row_of(pane: TemplateList, name: str) -> int:
    return pane.names_shown().index(name)


def test_lists_each_template_by_name_with_its_kind(
    qtbot: QtBot, services: Services, own_template: int, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    pane = shown_list(qtbot, services)
    shipped = sorted(t.name for t in BUILTINS_BY_KEY.values())
    assert pane.names_shown() == sorted([*shipped, "Summer programme"])
    kinds = {
        pane.model.row_values(r)[0]: pane.model.row_values(r)[2] for r in range(len(shipped) + 1)
    }
    assert kinds["Summer programme"] == OWN
    assert all(kinds[name] == BUILT_IN for name in shipped)
    assert pane.template_id_at(row_of(pane, "Summer programme")) == own_template
    qtmodeltester.check(pane.model)


def test_a_click_reports_the_template_chosen_and_the_program_s_own_selections_do_not(
    qtbot: QtBot, services: Services, own_template: int
) -> None:
    pane = shown_list(qtbot, services)
    chosen: list[int] = []
    pane.chosen.connect(chosen.append)
    # Chosen by the program (after a reload or a save): nothing to act on.
    assert pane.select_row_of(own_template)
    pane.set_templates(services.letters.list_templates(services.actor))
    assert chosen == [] and pane.selected_id() is None  # a new list has nothing chosen
    # Chosen by a click: reported, with the template's id.
    first = pane.template_id_at(0)
    cell = pane.table.visualRect(pane.model.index(row_of(pane, "Summer programme"), 0)).center()
    qtbot.mouseClick(pane.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert chosen == [own_template]
    # Ctrl+Home moves to the first template: that one is reported too.
    qtbot.keyClick(pane.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert chosen == [own_template, first]
    assert pane.selected_id() == first

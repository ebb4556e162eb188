"""The Memberships tab, driven through real widgets on a real temporary database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QMenu
from qt_driving import Modals, button, choose, menu_action, press, push

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import add_months
from thep_desktop.domain.dates import format_date
from thep_desktop.reports.schools.schools_table import COL_MEMBERSHIP
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.ui.main_window import MainWindow
from thep_desktop.ui.memberships.application_dialog import ApplicationDialog
from thep_desktop.ui.memberships.members_table_model import (
    COL_ADMITTED,
    COL_LEAVING,
    COL_STATUS,
)
from thep_desktop.ui.memberships.membership_form import MembershipForm
from thep_desktop.ui.memberships.memberships_tab import MembershipsTab

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
TODAY = date.today()


def names_shown(tab: MembershipsTab) -> list[str]:
    return [tab.proxy.member_at(r).name for r in range(tab.proxy.rowCount())]


def cell(tab: MembershipsTab, name: str, column: int) -> str:
    row = names_shown(tab).index(name)
    return str(tab.proxy.index(row, column).data())


def select(qtbot, tab: MembershipsTab, name: str) -> None:  # type: ignore[no-untyped-def]
    """Click the member's row, as a person does."""
    row = names_shown(tab).index(name)
    rect = tab.table.visualRect(tab.proxy.index(row, 0))
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tab.selected_id() == tab.proxy.member_at(row).id


def retype(qtbot, edit: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def member_named(services: Services, name: str):  # type: ignore[no-untyped-def]
    found = [d for d in services.members.list_member_details(services.actor) if d.name == name]
    return found[0] if found else None


def history_count(services: Services, name: str) -> int:
    member = member_named(services, name)
    return len(services.audit.history(services.actor, member.uuid))


# -- the list ---------------------------------------------------------------------------------
def test_the_list_shows_members_and_applications_with_the_counts(window: MainWindow) -> None:
    tab = window.memberships_tab
    assert window.tabs.tabText(window.tabs.indexOf(tab)) == "&Memberships"
    assert window.tabs.indexOf(tab) == window.tabs.indexOf(window.schools_tab) + 1
    assert names_shown(tab) == [
        "Alder Primary School",
        "Beech Primary School",
        "Bow Arts Trust",
        "Damson Primary School",
    ]
    leaving = format_date(add_months(TODAY, 12))
    assert cell(tab, "Beech Primary School", COL_STATUS) == f"Full member, leaving {leaving}"
    assert cell(tab, "Beech Primary School", COL_LEAVING) == leaving
    assert cell(tab, "Damson Primary School", COL_STATUS) == "Application received"
    assert cell(tab, "Bow Arts Trust", COL_STATUS) == "Associate member"
    summary = tab.summary_label.text()
    for words in (
        "<b>2</b> full members",
        "<b>1</b> associate member",
        "<b>1</b> under notice",
        "<b>1</b> application",
        "<b>720</b> pupils covered",
        "<b>2</b> of 7 open schools (29%)",
        "no change on a year ago",
    ):
        assert words in summary
    assert tab.count_label.text() == "4 of 5 members shown"
    window.tabs.setCurrentWidget(tab)  # the status bar counts what the tab in view lists
    assert window.count_label.text() == "4 of 5 members shown"
    window.tabs.setCurrentWidget(window.schools_tab)
    assert window.count_label.text() == "7 schools in the register"


def test_status_category_and_search_filters(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    tab = window.memberships_tab
    window.tabs.setCurrentWidget(tab)
    choose(qtbot, tab.status_filter, "Under notice")
    assert names_shown(tab) == ["Beech Primary School"]
    choose(qtbot, tab.status_filter, "Ceased or declined")
    assert names_shown(tab) == ["Cedar Primary School"]
    assert cell(tab, "Cedar Primary School", COL_STATUS) == "Left 31/08/2024"
    choose(qtbot, tab.status_filter, "Applications")
    assert names_shown(tab) == ["Damson Primary School"]
    tab.status_filter.setFocus()
    qtbot.keyClick(tab.status_filter, Qt.Key.Key_End)  # the last choice: All
    assert tab.status_filter.currentText() == "All"
    assert len(names_shown(tab)) == 5
    assert tab.count_label.text() == "5 members"
    choose(qtbot, tab.category_filter, "Associate members")
    assert names_shown(tab) == ["Bow Arts Trust"]
    tab.category_filter.setFocus()
    qtbot.keyClick(tab.category_filter, Qt.Key.Key_Home)  # the first choice: both
    assert tab.category_filter.currentText() == "Full and associate"
    qtbot.keyClicks(tab.search, "cedar")
    assert names_shown(tab) == ["Cedar Primary School"]
    assert tab.count_label.text() == "1 of 5 members shown"
    press(qtbot, tab.search, Qt.Key.Key_Escape)
    assert tab.search.text() == "" and len(names_shown(tab)) == 5


def test_the_list_and_counts_as_at_an_earlier_date(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    tab = window.memberships_tab
    tab.as_at.setFocus()
    tab.as_at.setSelectedSection(tab.as_at.Section.DaySection)  # as a click on the day does
    qtbot.keyClicks(tab.as_at, "01062024")
    assert tab.as_at_date() == date(2024, 6, 1)
    # Cedar had not yet left; Bow Arts and Damson had not yet applied.
    assert names_shown(tab) == [
        "Alder Primary School",
        "Beech Primary School",
        "Cedar Primary School",
    ]
    assert cell(tab, "Beech Primary School", COL_STATUS) == "Full member"
    assert "<b>3</b> full members" in tab.summary_label.text()
    assert "<b>0</b> applications" in tab.summary_label.text()


# -- the lifecycle ----------------------------------------------------------------------------
def test_new_application_then_admit_then_notice_shows_the_leaving_date(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], services: Services, modals: Modals
) -> None:
    tab = window.memberships_tab
    press(qtbot, tab.table, Qt.Key.Key_N, CTRL)
    (dialog,) = opened
    assert isinstance(dialog, ApplicationDialog)
    qtbot.keyClicks(dialog.school.lineEdit(), "Elm Primary School (URN 100005)")
    assert dialog.chosen_school_id() is not None
    assert dialog.guarantee.text() == "£25.00"  # the rules' default
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    assert tab.proxy.member_at(tab.table.currentIndex().row()).name == "Elm Primary School"
    assert cell(tab, "Elm Primary School", COL_STATUS) == "Application received"

    menu_action(window, "Memberships", "Admit…").trigger()
    admit = opened[-1]
    assert isinstance(admit, MembershipForm)
    retype(qtbot, admit.inputs["admitted_on"], format_date(TODAY))
    qtbot.keyClicks(admit.inputs["admission_decision"], "Board minute 7")
    modals.click("Not now")  # the welcome letter, offered once admitted
    press(qtbot, admit.inputs["admission_decision"], Qt.Key.Key_S, CTRL)
    modals.wait_answered()
    assert not admit.isVisible()
    assert modals.seen[-1].title == "Welcome letter"
    assert window.memberships_tab.letter_window is None
    assert cell(tab, "Elm Primary School", COL_STATUS) == "Full member"
    assert cell(tab, "Elm Primary School", COL_ADMITTED) == format_date(TODAY)
    assert tab.selected_id() == member_named(services, "Elm Primary School").id

    menu_action(window, "Memberships", "Record notice…").trigger()
    notice = opened[-1]
    retype(qtbot, notice.inputs["notice_received_on"], format_date(TODAY))
    leaving = format_date(add_months(TODAY, 12))
    # The leaving date the rule gives shows before anything is saved.
    assert notice.preview.isVisibleTo(notice)
    assert f"Leaving date: {leaving}" in notice.preview.text()
    assert member_named(services, "Elm Primary School").latest.notice_received_on is None
    push(qtbot, button(notice, "Save"))
    assert not notice.isVisible()
    assert cell(tab, "Elm Primary School", COL_STATUS) == f"Full member, leaving {leaving}"
    assert cell(tab, "Elm Primary School", COL_LEAVING) == leaving
    stored = member_named(services, "Elm Primary School").latest
    assert stored.admission_decision == "Board minute 7"
    assert stored.ends_on == add_months(TODAY, 12)
    assert f"a member until {leaving}" in window.statusBar().currentMessage()


def test_a_refused_admission_keeps_the_form_and_changes_nothing(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], services: Services
) -> None:
    tab = window.memberships_tab
    select(qtbot, tab, "Damson Primary School")
    before = member_named(services, "Damson Primary School")
    events = history_count(services, "Damson Primary School")
    qtbot.mouseClick(tab.toolbar.widgetForAction(tab.admit_action), Qt.MouseButton.LeftButton)
    form = opened[-1]
    retype(qtbot, form.inputs["admitted_on"], "01/01/2020")
    qtbot.keyClicks(form.inputs["admission_decision"], "Board minute 3")
    push(qtbot, button(form, "Save"))
    assert form.isVisible()
    assert "before the application" in form.messages.message("admitted_on")
    assert form.inputs["admitted_on"].text() == "01/01/2020"
    assert form.inputs["admission_decision"].text() == "Board minute 3"
    assert member_named(services, "Damson Primary School") == before
    assert history_count(services, "Damson Primary School") == events
    assert cell(tab, "Damson Primary School", COL_STATUS) == "Application received"


def test_withdrawing_notice_and_rejoining(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], services: Services, modals: Modals
) -> None:
    tab = window.memberships_tab
    select(qtbot, tab, "Beech Primary School")
    assert tab.withdraw_notice_action.isEnabled() and not tab.notice_action.isEnabled()
    modals.click("Withdraw notice")
    menu_action(window, "Memberships", "Withdraw notice").trigger()
    modals.wait_answered()
    assert cell(tab, "Beech Primary School", COL_STATUS) == "Full member"
    assert member_named(services, "Beech Primary School").latest.ends_on is None

    choose(qtbot, tab.status_filter, "Ceased or declined")
    select(qtbot, tab, "Cedar Primary School")
    assert tab.rejoin_action.isEnabled() and not tab.admit_action.isEnabled()
    menu_action(window, "Memberships", "Re-join…").trigger()
    dialog = opened[-1]
    assert isinstance(dialog, ApplicationDialog)
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    cedar = member_named(services, "Cedar Primary School")
    assert len(cedar.periods) == 2 and cedar.periods[0].ends_on == date(2024, 8, 31)
    # Its row stays selected: the filter that would now hide it shows every member instead.
    assert tab.status_filter.currentText() == "All"
    assert tab.selected_id() == cedar.id
    assert cell(tab, "Cedar Primary School", COL_STATUS) == "Application received"


def test_ending_a_membership_from_the_context_menu(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], services: Services
) -> None:
    tab = window.memberships_tab
    row = names_shown(tab).index("Alder Primary School")
    rect = tab.table.visualRect(tab.proxy.index(row, 0))
    tab.table.customContextMenuRequested.emit(rect.center())
    menu = tab.table_menu
    assert isinstance(menu, QMenu)
    texts = [a.text().replace("&", "") for a in menu.actions() if a.isEnabled()]
    assert "End membership…" in texts and "Admit…" not in texts
    next(a for a in menu.actions() if a.text().replace("&", "") == "End membership…").trigger()
    form = opened[-1]
    push(qtbot, button(form, "Save"))  # no reason given: refused
    assert form.isVisible() and form.messages.message("end_reason")
    assert member_named(services, "Alder Primary School").latest.ends_on is None
    qtbot.keyClicks(form.inputs["end_reason"], "The school closed")
    push(qtbot, button(form, "Save"))
    assert not form.isVisible()
    assert member_named(services, "Alder Primary School").latest.end_reason == "The school closed"


def test_full_membership_for_an_ineligible_school_needs_an_override(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], services: Services
) -> None:
    tab = window.memberships_tab
    press(qtbot, tab.table, Qt.Key.Key_N, CTRL)
    dialog = opened[-1]
    assert isinstance(dialog, ApplicationDialog)
    qtbot.keyClicks(dialog.school.lineEdit(), "Oak Independent School (URN 100007)")
    assert "not a publicly funded school" in dialog.eligibility.text()
    assert dialog.eligibility.isVisibleTo(dialog)
    assert dialog.override.isVisibleTo(dialog)  # an administrator may override
    count = len(services.members.list_member_details(services.actor))
    push(qtbot, button(dialog, "Save"))
    assert dialog.isVisible() and "Not eligible" in dialog.messages.message("category")
    assert len(services.members.list_member_details(services.actor)) == count
    qtbot.keyClicks(dialog.override, "Board agreed: serves borough pupils")
    push(qtbot, button(dialog, "Save"))
    assert not dialog.isVisible()
    oak = member_named(services, "Oak Independent School")
    assert oak.latest.eligibility_override == "Board agreed: serves borough pupils"


def test_staff_cannot_override_eligibility(  # type: ignore[no-untyped-def]
    qtbot, sqlite_db: Database, services: Services
) -> None:
    staff = Services(sqlite_db, Actor("sam.staff", Role.STAFF))
    w = MainWindow(staff)
    qtbot.addWidget(w)
    w.show()
    w.load()
    tab = w.memberships_tab
    shown: list[QDialog] = []
    tab.run_dialog = lambda d: (shown.append(d), d.show())  # type: ignore[method-assign]
    w.tabs.setCurrentWidget(tab)
    press(qtbot, tab.table, Qt.Key.Key_N, CTRL)
    dialog = shown[-1]
    assert isinstance(dialog, ApplicationDialog)
    qtbot.keyClicks(dialog.school.lineEdit(), "Oak Independent School (URN 100007)")
    assert dialog.eligibility.isVisibleTo(dialog)
    assert "only an administrator" in dialog.eligibility.text()
    assert not dialog.override.isVisibleTo(dialog)


def test_a_viewer_sees_no_enabled_actions(qtbot, sqlite_db: Database, services: Services) -> None:  # type: ignore[no-untyped-def]
    viewer = Services(sqlite_db, Actor("val.viewer", Role.VIEWER))
    w = MainWindow(viewer)
    qtbot.addWidget(w)
    w.show()
    w.load()
    w.tabs.setCurrentWidget(w.memberships_tab)
    tab = w.memberships_tab
    for name in ("Damson Primary School", "Alder Primary School", "Beech Primary School"):
        select(qtbot, tab, name)
        assert not tab.new_action.isEnabled()
        assert [a for a in tab.member_actions if a.isEnabled()] == []
        assert not tab.payment_action.isEnabled()
        assert tab.history_action.isEnabled()  # looking is allowed
    menu = next(a.menu() for a in w.menuBar().actions() if a.menu() and a.text() == "Mem&berships")
    enabled = {a.text().replace("&", "") for a in menu.actions() if a.isEnabled() and a.text()}
    assert enabled == {
        "History…",
        "Export to Excel…",
        "Register of members…",
        "Fee schedules…",
        "Membership rules…",
    }


def test_ctrl_h_shows_the_members_history(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.memberships_tab
    select(qtbot, tab, "Beech Primary School")
    press(qtbot, tab.table, Qt.Key.Key_H, CTRL)
    history = opened[-1]
    assert history.windowTitle() == "History – Beech Primary School"
    texts = [history.model.row_values(r)[2] for r in range(history.model.rowCount())]
    # The member, its application, and the period's admission and notice after it.
    assert texts[-2:] == ["Created – Membership period", "Created"] or texts[-1] == "Created"
    assert len(texts) == 4, texts


# -- the Schools tab --------------------------------------------------------------------------
def test_the_schools_tab_shows_each_schools_membership(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], modals: Modals
) -> None:
    schools = window.schools_tab

    def membership(name: str) -> str:
        model = schools.model
        row = next(r for r in range(model.rowCount()) if model.row_at(r).name == name)
        return str(model.index(row, COL_MEMBERSHIP).data())

    assert schools.model.headerData(COL_MEMBERSHIP, Qt.Orientation.Horizontal) == "Membership"
    assert COL_MEMBERSHIP in schools.visible_columns()
    leaving = format_date(add_months(TODAY, 12))
    assert membership("Alder Primary School") == "Full member"
    assert membership("Beech Primary School") == f"Full member, leaving {leaving}"
    beech = next(
        r
        for r in range(schools.model.rowCount())
        if schools.model.row_at(r).name == "Beech Primary School"
    )
    tip = schools.model.index(beech, COL_MEMBERSHIP).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == f"Full member, leaving {leaving}"  # in full, wider than the column
    assert membership("Cedar Primary School") == "Left 31/08/2024"
    assert membership("Damson Primary School") == "Application received"
    assert membership("Fig Tree Primary School") == ""
    # Admitting in the Memberships tab shows in the Schools tab at once.
    tab = window.memberships_tab
    select(qtbot, tab, "Damson Primary School")
    menu_action(window, "Memberships", "Admit…").trigger()
    modals.click("Not now")
    push(qtbot, button(opened[-1], "Save"))
    modals.wait_answered()
    assert membership("Damson Primary School") == "Full member"


# -- fee schedules ----------------------------------------------------------------------------
def test_the_fee_schedule_editor_refuses_bad_years_and_overlaps_then_quotes(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], services: Services
) -> None:
    def run(dialog: QDialog) -> None:
        opened.append(dialog)
        if hasattr(dialog, "run_dialog"):
            dialog.run_dialog = run  # type: ignore[attr-defined]
        dialog.show()

    window.run_dialog = run  # type: ignore[method-assign]
    menu_action(window, "Memberships", "Fee schedules…").trigger()
    schedules = opened[-1]
    push(qtbot, button(schedules, "New year…"))
    editor = opened[-1]
    qtbot.keyClicks(editor.year, "2025/27")
    qtbot.keyClicks(editor.rate, "5.00")
    qtbot.keyClicks(editor.associate_fee, "250.00")
    push(qtbot, button(editor, "Save"))
    assert editor.isVisible()
    assert "is not an academic year" in editor.messages.message("academic_year")
    assert services.fees.list_schedules(services.actor) == []

    retype(qtbot, editor.year, "2025/26")
    retype(qtbot, editor.rate, "-5.00")
    push(qtbot, button(editor, "Save"))
    assert (
        editor.messages.message("rate_per_pupil") and editor.messages.message("academic_year") == ""
    )
    assert services.fees.list_schedules(services.actor) == []

    retype(qtbot, editor.rate, "5.00")
    qtbot.keyClicks(editor.census, "15/01/2026")  # the census the schools' figures are from
    push(qtbot, editor.periods.add_button)
    push(qtbot, editor.periods.add_button)
    first, second = editor.periods.rows
    qtbot.keyClicks(first.starts_on, "01/09/2025")
    qtbot.keyClicks(first.ends_on, "31/12/2025")
    qtbot.keyClicks(second.starts_on, "01/12/2025")
    qtbot.keyClicks(second.ends_on, "31/03/2026")
    push(qtbot, button(editor, "Save"))
    assert "overlap" in editor.messages.message("periods")
    assert editor.year.text() == "2025/26" and second.starts_on.text() == "01/12/2025"
    assert services.fees.list_schedules(services.actor) == []

    push(qtbot, second.remove)
    push(qtbot, button(editor, "Save"))
    assert not editor.isVisible()
    (saved,) = services.fees.list_schedules(services.actor)
    assert saved.year.label == "2025/26" and len(saved.periods) == 1
    assert saved.periods[0].charged is False
    assert schedules.model.row_values(0)[0] == "2025/26"

    push(qtbot, button(schedules, "New year…"))
    following = opened[-1]
    assert following.year.text() == "2026/27" and following.rate.text() == "£5.00"
    following.reject()

    push(qtbot, button(schedules, "Quote…"))
    quote = opened[-1]
    # Alder 420 and Beech 300 pupils, Bow Arts associate; the autumn term is free: 8/12.
    assert "£2,566.67" in quote.total_label.text()
    workings = [quote.model.row_values(r)[5] for r in range(quote.model.rowCount())]
    assert any("420 pupils x £5.00" in w for w in workings)


def test_membership_rules_refuse_a_negative_guarantee(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], services: Services
) -> None:
    menu_action(window, "Memberships", "Membership rules…").trigger()
    rules = opened[-1]
    retype(qtbot, rules.guarantee, "-25.00")
    push(qtbot, button(rules, "Save"))
    assert rules.isVisible() and rules.messages.message("default_guarantee")
    assert services.fees.rules(services.actor).version == 0
    retype(qtbot, rules.guarantee, "30.00")
    retype(qtbot, rules.notice_months, "6")
    push(qtbot, button(rules, "Save"))
    assert not rules.isVisible()
    saved = services.fees.rules(services.actor)
    assert saved.notice_months == 6 and str(saved.default_guarantee) == "30.00"


def test_changing_category_and_editing_a_members_details(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], services: Services
) -> None:
    tab = window.memberships_tab
    select(qtbot, tab, "Bow Arts Trust")
    menu_action(window, "Memberships", "Change category…").trigger()
    form = opened[-1]
    choose(qtbot, form.inputs["category"], "Full member")
    # An organisation is not eligible: the check says so before saving, and saving is refused.
    assert "Full membership is for schools" in form.preview.text()
    push(qtbot, button(form, "Save"))
    assert form.isVisible() and "Not eligible" in form.messages.message("category")
    assert member_named(services, "Bow Arts Trust").latest.category.value == "associate"
    form.reject()

    press(qtbot, tab.table, Qt.Key.Key_Return)  # Enter opens the member's details
    details = opened[-1]
    assert isinstance(details, ApplicationDialog)
    assert details.name_edit.text() == "Bow Arts Trust"
    retype(qtbot, details.email, "not-an-email")
    push(qtbot, button(details, "Save"))
    assert details.isVisible() and details.messages.message("email")
    assert member_named(services, "Bow Arts Trust").email == ""
    retype(qtbot, details.email, "office@bowarts.org.uk")
    retype(qtbot, details.contact, "Sam Lee")
    push(qtbot, button(details, "Save"))
    assert not details.isVisible()
    saved = member_named(services, "Bow Arts Trust")
    assert (saved.email, saved.contact_name) == ("office@bowarts.org.uk", "Sam Lee")
    assert tab.selected_id() == saved.id


def test_export_to_excel_writes_the_members_as_shown(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], modals: Modals, tmp_path
) -> None:
    import openpyxl

    target = tmp_path / "Members.xlsx"
    window.ask_save_path = lambda *_args: (str(target), "")  # type: ignore[method-assign]
    modals.click("Close")  # the file is written: not opening it
    menu_action(window, "Memberships", "Export to Excel…").trigger()
    qtbot.waitUntil(target.exists, timeout=10_000)
    job = window.export_job
    assert job is not None
    qtbot.waitUntil(lambda: not job.thread.isRunning() and job.dialog is None, timeout=10_000)
    modals.wait_answered()
    sheet = openpyxl.load_workbook(target).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header_row = next(n for n, r in enumerate(rows) if r[:3] == ["Name", "Kind", "URN"])
    body = rows[header_row + 1 :]
    assert [r[0] for r in body] == names_shown(window.memberships_tab)
    alder = body[0]
    assert alder[2] == 100001 and alder[5] == "Full member"
    assert alder[7].date() == date(2020, 10, 1)  # a date cell, not text
    assert alder[10] == 420


def test_ctrl_n_makes_a_new_record_of_the_tab_in_view(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog]
) -> None:
    from thep_desktop.ui.schools.school_dialog import SchoolDialog

    window.schools_tab.run_dialog = lambda d: (opened.append(d), d.show())  # type: ignore[method-assign]
    press(qtbot, window.memberships_tab.table, Qt.Key.Key_N, CTRL)
    assert isinstance(opened[-1], ApplicationDialog)
    opened[-1].reject()
    window.tabs.setCurrentWidget(window.schools_tab)
    press(qtbot, window.schools_tab.table, Qt.Key.Key_N, CTRL)
    assert isinstance(opened[-1], SchoolDialog)
    assert len(opened) == 2
    opened[-1].reject()


def test_the_members_model_passes_qts_model_checks(qtmodeltester, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    tab = window.memberships_tab
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.proxy)


# -- letters ----------------------------------------------------------------------------------
def letter_recipients(qtbot, tab: MembershipsTab) -> list[str]:  # type: ignore[no-untyped-def]
    from thep_desktop.ui.letters.mail_merge_recipients import CHOSEN_MEMBERS

    dialog = tab.letter_window
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    assert dialog.radios[CHOSEN_MEMBERS].isChecked()
    qtbot.waitUntil(lambda: len(dialog.recipient_rows()) == 1)
    return [row[0] for row in dialog.recipient_rows()]


def test_admitting_offers_the_welcome_letter_to_that_member(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog], modals: Modals
) -> None:
    tab = window.memberships_tab
    select(qtbot, tab, "Damson Primary School")
    assert not tab.welcome_action.isEnabled()  # not a member yet
    menu_action(window, "Memberships", "Admit…").trigger()
    modals.click("Welcome letter…")
    push(qtbot, button(opened[-1], "Save"))
    modals.wait_answered()
    assert tab.letter_window.template_combo.currentText() == "Welcome to membership"
    assert letter_recipients(qtbot, tab) == ["Damson Primary School"]
    tab.letter_window.close()


def test_welcome_and_acknowledgement_letters_from_the_menu(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, opened: list[QDialog]
) -> None:
    tab = window.memberships_tab
    select(qtbot, tab, "Alder Primary School")
    assert not tab.acknowledge_action.isEnabled()  # no notice given
    menu_action(window, "Memberships", "Welcome letter…").trigger()
    assert letter_recipients(qtbot, tab) == ["Alder Primary School"]
    tab.letter_window.close()
    select(qtbot, tab, "Beech Primary School")
    menu_action(window, "Memberships", "Acknowledge notice…").trigger()
    assert tab.letter_window.template_combo.currentData() is not None
    assert "notice" in tab.letter_window.template_combo.currentText().lower()
    assert letter_recipients(qtbot, tab) == ["Beech Primary School"]
    tab.letter_window.close()

"""The import window: choose a file, preview what would change, apply it, on a real database."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from gias_files import FIXTURES, HEADER_2025, gias_row, write_gias
from lock_holders import write_lock_held
from qt_driving import choose, menu_action, push

from thep_desktop.database import Database
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.import_export.import_dialog import ImportDialog
from thep_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def services(sqlite_db: Database, actor: Actor) -> Services:
    s = Services(sqlite_db, actor)
    s.schools.create_school(
        actor, SchoolInput(urn="100001", name="Old Name School", la_code="211", postcode="E2 6AB")
    )
    return s


@pytest.fixture
def dialogs(window: MainWindow) -> Iterator[list[ImportDialog]]:
    opened: list[ImportDialog] = []

    def show(dialog):  # type: ignore[no-untyped-def]
        opened.append(dialog)
        dialog.show()

    window.run_dialog = show  # type: ignore[method-assign]
    yield opened
    # A job a test left running (a preview still reading) must not outlive the database it
    # reads: it failed the next test's set-up with "disk I/O error" on a loaded machine.
    for dialog in opened:
        if dialog.job is not None:
            assert dialog.job.wait(30_000)


@pytest.fixture
def gias_file(tmp_path: Path) -> Path:
    return write_gias(
        tmp_path / "edubasealldata.csv",
        [
            gias_row(100001, EstablishmentName="Bow Common Primary School"),
            gias_row(100002, EstablishmentName="Stepney Green School"),
            gias_row(100003, **{"LA (code)": "202", "LA (name)": "Camden"}),
            gias_row(100004, Postcode="not a postcode"),
        ],
    )


def preview(qtbot, dialog: ImportDialog, path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog.path_edit.selectAll()
    qtbot.keyClicks(dialog.path_edit, str(path))  # typed (or pasted) into the File box
    push(qtbot, dialog.preview_button)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)


def shown(model) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [model.row_values(r) for r in range(model.rowCount())]


def test_preview_then_apply_from_the_file_menu(qtbot, window, dialogs, gias_file) -> None:  # type: ignore[no-untyped-def]
    menu_action(window, "File", "Import schools from GIAS…").trigger()
    dialog = dialogs[0]
    assert dialog.only_la.isChecked() and dialog.la_edit.text() == "211"
    assert not dialog.apply_button.isEnabled()
    preview(qtbot, dialog, gias_file)
    assert [r[1] for r in shown(dialog.new_model)] == [100002]
    assert ("School name", "Old Name School", "Bow Common Primary School") in [
        r[3:] for r in shown(dialog.change_model)
    ]
    assert [(r[0], r[1], r[2]) for r in shown(dialog.rejected_model)] == [
        (5, "Postcode", "not a postcode")
    ]
    assert (
        "1 new school, 1 school with changes (18 fields), 0 schools closed in GIAS, "
        "1 row rejected, 0 unchanged. 1 row for other local authorities was left out."
    ) in dialog.summary.text()
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles == ["New schools (1)", "Changes (18)", "Closed in GIAS (0)", "Rejected rows (1)"]
    assert dialog.apply_button.isEnabled()
    push(qtbot, dialog.apply_button)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert "Done" in dialog.summary.text() and not dialog.apply_button.isEnabled()
    tab = window.schools_tab
    assert sorted(tab.proxy.row_at(r).name for r in range(tab.proxy.rowCount())) == [
        "Bow Common Primary School",
        "Stepney Green School",
    ]
    assert "Imported: 1 new school, 1 updated, 0 closed" in window.statusBar().currentMessage()
    # The same file again: nothing to apply.
    preview(qtbot, dialog, gias_file)
    assert not dialog.apply_button.isEnabled()
    assert "Nothing in the register would change" in dialog.summary.text()


def test_changing_the_file_or_the_schools_makes_the_preview_stale(
    qtbot, window, dialogs, gias_file
) -> None:  # type: ignore[no-untyped-def]
    menu_action(window, "File", "Import schools from GIAS…").trigger()
    dialog = dialogs[0]
    preview(qtbot, dialog, gias_file)
    push(qtbot, dialog.all_england)
    assert dialog.preview is None and not dialog.apply_button.isEnabled()
    assert "preview again" in dialog.summary.text()
    preview(qtbot, dialog, gias_file)
    assert [r[1] for r in shown(dialog.new_model)] == [100002, 100003]


def test_bad_choices_and_bad_files_are_explained(
    qtbot, window, dialogs, tmp_path, services, actor, modals
) -> None:  # type: ignore[no-untyped-def]
    before = services.schools.list_school_details(actor)
    menu_action(window, "File", "Import schools from GIAS…").trigger()
    dialog = dialogs[0]
    push(qtbot, dialog.preview_button)
    assert "Choose the file" in dialog.option_message.text()
    qtbot.keyClicks(dialog.path_edit, str(tmp_path / "missing.csv"))
    push(qtbot, dialog.preview_button)
    assert "There is no file" in dialog.option_message.text()
    other = tmp_path / "other.csv"
    other.write_text("Name,Value\nA,1\n")
    dialog.path_edit.selectAll()
    qtbot.keyClicks(dialog.path_edit, str(other))
    dialog.la_edit.selectAll()
    qtbot.keyClicks(dialog.la_edit, "21")
    push(qtbot, dialog.preview_button)
    assert "three digits" in dialog.option_message.text()
    qtbot.keyClicks(dialog.la_edit, "1")
    modals.click("OK")
    push(qtbot, dialog.preview_button)
    modals.wait_answered()
    title, text = modals.seen[0].title, modals.seen[0].text
    assert title == "The file was not read" and "URN" in text
    assert dialog.preview is None
    assert services.schools.list_school_details(actor) == before


def test_a_school_changed_meanwhile_stops_the_apply_and_offers_a_new_preview(
    qtbot, window, dialogs, gias_file, services, actor
) -> None:  # type: ignore[no-untyped-def]
    menu_action(window, "File", "Import schools from GIAS…").trigger()
    dialog = dialogs[0]
    preview(qtbot, dialog, gias_file)
    # A colleague, on a connection of their own, adds a note to the school meanwhile.
    colleague_db = Database(services.db.url)
    colleague = Services(colleague_db, Actor("sam.colleague"))
    school = colleague.schools.get_school_by_urn(colleague.actor, 100001)
    colleague.schools.update_school(
        colleague.actor,
        school.id,
        school.version,
        dataclasses.replace(school.as_input(), notes="Rang today"),
    )
    colleague_db.dispose()
    push(qtbot, dialog.apply_button)
    qtbot.waitUntil(dialog.changed_notice.isVisible, timeout=10_000)
    assert dialog.changed_text.text() == (
        "The register changed since this preview (someone changed or removed Old Name "
        "School (URN 100001)); make a new preview. Nothing was imported."
    )
    assert dialog.preview is None and not dialog.apply_button.isEnabled()
    assert services.schools.count(actor) == 1
    kept = services.schools.get_school_by_urn(actor, 100001)
    assert (kept.name, kept.notes) == ("Old Name School", "Rang today")
    # The file and the choice of schools are as they were; one click previews again.
    assert dialog.path_edit.text() == str(gias_file)
    assert dialog.only_la.isChecked() and dialog.la_edit.text() == "211"
    push(qtbot, dialog.preview_again_button)
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)
    assert not dialog.changed_notice.isVisible() and dialog.apply_button.isEnabled()
    push(qtbot, dialog.apply_button)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    kept = services.schools.get_school_by_urn(actor, 100001)
    assert (kept.name, kept.notes) == ("Bow Common Primary School", "Rang today")


def test_the_same_file_imported_by_a_colleague_meanwhile_leaves_nothing_to_change(
    qtbot, window, dialogs, gias_file, services, actor
) -> None:  # type: ignore[no-untyped-def]
    menu_action(window, "File", "Import schools from GIAS…").trigger()
    dialog = dialogs[0]
    preview(qtbot, dialog, gias_file)
    colleague_db = Database(services.db.url)
    colleague = Services(colleague_db, Actor("sam.colleague"))
    theirs = colleague.gias_import.preview(colleague.actor, gias_file, la_code="211")
    colleague.gias_import.apply(colleague.actor, theirs)
    colleague_db.dispose()
    after_theirs = services.schools.list_school_details(actor)
    push(qtbot, dialog.apply_button)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert dialog.summary.text() == (
        "<b>Nothing left to change:</b> someone else made the same changes to the register "
        "after this preview. The register is up to date."
    )
    assert services.schools.list_school_details(actor) == after_theirs


def test_pupil_numbers_with_a_census_date_for_rows_without_one(
    qtbot, window, dialogs, tmp_path, services, actor
) -> None:  # type: ignore[no-untyped-def]
    sheet = tmp_path / "pupils.csv"
    sheet.write_text("URN,Number of pupils\n100001,433\n")
    menu_action(window, "File", "Refresh pupil numbers…").trigger()
    dialog = dialogs[0]
    assert dialog.tabs.count() == 2  # changes and rejected rows only
    qtbot.keyClicks(dialog.census_edit, "15/01/2026")
    preview(qtbot, dialog, sheet)
    assert sorted(r[3:] for r in shown(dialog.change_model)) == [
        ("Census date", "", "15/01/2026"),
        ("Pupils on roll", "", "433"),
    ]
    push(qtbot, dialog.apply_button)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    detail = services.schools.get_school_by_urn(actor, 100001)
    assert detail.pupils_on_roll == 433 and detail.pupils_census_date.isoformat() == "2026-01-15"


def test_preview_tables_pass_model_checks(qtbot, qtmodeltester, window, dialogs, gias_file) -> None:  # type: ignore[no-untyped-def]
    menu_action(window, "File", "Import schools from GIAS…").trigger()
    dialog = dialogs[0]
    preview(qtbot, dialog, gias_file)
    for model in (dialog.new_model, dialog.change_model, dialog.rejected_model):
        qtmodeltester.check(model)


def test_the_rejected_rows_can_be_exported_to_correct_them(
    qtbot, window, dialogs, gias_file, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    menu_action(window, "File", "Import schools from GIAS…").trigger()
    dialog = dialogs[0]
    assert not dialog.export_button.isEnabled()
    preview(qtbot, dialog, gias_file)
    dialog.tabs.setCurrentWidget(dialog.views["rejected"])
    target = tmp_path / "rejected.csv"
    dialog.ask_save_path = lambda *_a: (str(target), "")
    dialog.ask = lambda *_a: "Close"
    push(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: target.exists(), timeout=10_000)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Row,Column,Value,Reason"
    assert lines[1].startswith("5,Postcode,not a postcode,")


def test_one_phase_filter_finds_all_through_schools_from_2018_and_2023_files(
    qtbot, window, dialogs, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """2018's "All through" and 2023's "All-through" come in as one phase in the filter."""
    newer = write_gias(
        tmp_path / "2023.csv",
        [
            gias_row(
                138291,
                EstablishmentName="Bow Quay School",
                **{"PhaseOfEducation (name)": "All-through"},
            )
        ],
        header=HEADER_2025,
    )
    window.import_gias_action.trigger()
    dialog = dialogs[0]
    dialog.all_england.setChecked(True)
    for path in (FIXTURES / "gias-sample-rows-2018.csv", newer):
        preview(qtbot, dialog, path)
        assert "Done" not in dialog.summary.text()
        dialog.apply_button.click()
        qtbot.waitUntil(lambda: "Done" in dialog.summary.text(), timeout=10_000)
    tab = window.schools_tab
    phases = [tab.phase_filter.itemText(i) for i in range(tab.phase_filter.count())]
    assert phases == ["Any phase", "All-through", "Primary", "Secondary"]
    choose(qtbot, tab.phase_filter, "All-through")
    shown_names = sorted(tab.proxy.row_at(r).name for r in range(tab.proxy.rowCount()))
    assert shown_names == [
        "Bow Quay School",
        "Saint Mary Magdalene Church of England All Through School",
    ]


def test_an_import_waiting_for_a_colleague_s_save_shows_the_wait_then_applies(
    qtbot, window, dialogs, gias_file, services, actor
) -> None:  # type: ignore[no-untyped-def]
    menu_action(window, "File", "Import schools from GIAS…").trigger()
    dialog = dialogs[0]
    preview(qtbot, dialog, gias_file)
    services.db.lock_wait.attempt_seconds = 0.1
    bar = window.statusBar()
    with write_lock_held(services.db):
        push(qtbot, dialog.apply_button)  # the import waits on its own thread
        qtbot.waitUntil(
            lambda: bar.currentMessage().startswith("Waiting for the database: someone else"),
            timeout=10_000,
        )
        assert window.database_wait.notice.isVisible()
        assert dialog.result is None
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    assert str(dialog.result) == "1 new school, 1 updated, 0 closed; 2 Ofsted inspections added"
    qtbot.waitUntil(lambda: not window.database_wait.notice.isVisible(), timeout=20_000)
    assert not bar.currentMessage().startswith("Waiting")

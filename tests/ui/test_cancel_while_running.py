"""Cancel pressed while a real job runs: GIAS preview and apply, export, mail merge.

Each job is big enough to be running when its progress dialog shows (after 0.3 s), and
the dialog's own Cancel button is clicked, as a person would. Then nothing may have
changed: the register's rows and fields, the files in the folder, the letters' history.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gias_files import gias_row, write_gias
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from qt_driving import Modals, activate, choose, click_tab, menu_action, press, push
from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.models import Correspondence, Document, School
from thep_desktop.services.letters.letters_service import TemplateInput
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.import_export.import_dialog import ImportDialog
from thep_desktop.ui.letters.mail_merge_dialog import MailMergeDialog
from thep_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
ROWS = 40_000  # about 1.5 s to read and 1 s to apply: long enough to be running at 0.3 s
LETTER_EVERY = 25  # every 25th school is a "Letter School": 1,600 letters, about 4 s


@pytest.fixture(scope="module")
def big_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = [
        gias_row(
            100000 + i,
            EstablishmentName=(
                f"Letter School {i}" if i % LETTER_EVERY == 0 else f"Generated School {i}"
            ),
        )
        for i in range(ROWS)
    ]
    return write_gias(tmp_path_factory.mktemp("big") / "edubasealldata-big.csv", rows)


@pytest.fixture(scope="module")
def big_register(big_extract: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register holding every school of the big extract, and a template of our own."""
    path = tmp_path_factory.mktemp("big-register") / "office.sqlite3"
    db = Database(path)
    db.upgrade(create=True)
    services = Services(db, Actor("office"))
    preview = services.gias_import.preview(services.actor, big_extract, la_code=None)
    services.gias_import.apply(services.actor, preview)
    services.letters.create_template(
        services.actor,
        TemplateInput(
            name="Summer programme",
            subject="Summer programme for {school.name}",
            body="We would like to invite {school.name} to the summer programme.",
            signatory="Jo Bloggs",
        ),
    )
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


def open_window(qtbot: QtBot, services: Services) -> MainWindow:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.load()
    activate(qtbot, window)
    click_tab(qtbot, window.tabs, window.schools_tab)  # it opens on the Dashboard
    return window


def register_state(db: Database) -> tuple[int, list[tuple[object, ...]]]:
    """The number of schools, and every field of a sample of them, as stored."""
    with db.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(School)).scalar_one()
        sample = conn.execute(select(School.__table__).order_by(School.id).limit(50)).fetchall()
    return count, [tuple(row) for row in sample]


def history_state(db: Database) -> tuple[int, int]:
    with db.engine.connect() as conn:
        letters = conn.execute(select(func.count()).select_from(Correspondence)).scalar_one()
        documents = conn.execute(select(func.count()).select_from(Document)).scalar_one()
    return letters, documents


def in_dialog(qtbot: QtBot, fill: Callable[[QWidget], None]) -> Callable[[QWidget], None]:
    def answer(box: QWidget) -> None:
        activate(qtbot, box)
        fill(box)

    return answer


# -- importing -------------------------------------------------------------------------------
@pytest.fixture
def small_register(sqlite_db: Database, actor: Actor) -> Services:
    services = Services(sqlite_db, actor)
    services.schools.create_school(
        actor, SchoolInput(urn="100001", name="Old Name School", la_code="211", postcode="E2 6AB")
    )
    return services


def test_cancel_while_a_gias_file_is_read_and_while_it_is_applied_changes_nothing(
    qtbot: QtBot, small_register: Services, big_extract: Path, modals: Modals
) -> None:
    window = open_window(qtbot, small_register)
    db = small_register.db
    before = register_state(db)
    summaries: list[str] = []

    def import_by_hand(box: QWidget) -> None:
        assert isinstance(box, ImportDialog)
        # Ctrl+O: the file dialog, typed into; reading starts at once; Cancel is clicked.
        press(qtbot, box, Qt.Key.Key_O, CTRL)
        qtbot.waitUntil(lambda: box.job is not None and box.job.cancelled, timeout=30_000)
        summaries.append(box.summary.text())
        assert box.preview is None and not box.apply_button.isEnabled()
        # Read it whole this time, then Apply, and Cancel that.
        push(qtbot, box.preview_button)
        qtbot.waitUntil(lambda: box.preview is not None, timeout=60_000)
        assert box.preview.rows_read == ROWS
        modals.cancel_progress()
        push(qtbot, box.apply_button)
        qtbot.waitUntil(lambda: box.job is not None and box.job.cancelled, timeout=30_000)
        summaries.append(box.summary.text())
        assert register_state(db) == before
        push(qtbot, box.close_button)

    modals.then(in_dialog(qtbot, import_by_hand))
    modals.type(str(big_extract), then="Open").cancel_progress()
    press(qtbot, window.schools_tab.table, Qt.Key.Key_I, CTRL)
    modals.wait_answered(timeout=120_000)
    progress = [s for s in modals.seen if s.kind == "progress"]
    assert len(progress) == 2
    assert summaries[0] == "Reading the file was cancelled."
    assert summaries[1].startswith("Cancelled: nothing was changed in the register.")
    assert register_state(db) == before
    assert window.schools_tab.model.total_count() == 1


# -- exporting and mail merge on a big register ------------------------------------------------
@pytest.fixture
def big(big_register: Path, tmp_path: Path) -> Iterator[Services]:
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(big_register, path)
    services = Services(Database(path), Actor("office"))
    yield services
    services.close()


def test_cancel_while_exporting_writes_no_file(
    qtbot: QtBot, big: Services, modals: Modals, tmp_path: Path
) -> None:
    window = open_window(qtbot, big)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "Schools.xlsx"
    modals.click("As shown").type(str(target), then="Save").cancel_progress()
    press(qtbot, window.schools_tab.table, Qt.Key.Key_E, CTRL)
    modals.wait_answered(timeout=60_000)
    qtbot.waitUntil(
        lambda: window.export_job is not None and window.export_job.cancelled, timeout=30_000
    )
    assert [box.kind for box in modals.seen] == ["message", "QFileDialog", "progress"]
    assert modals.seen[2].title == f"Exporting {ROWS:,} rows…"
    assert sorted(out.iterdir()) == []  # not the file, nor any half-written part of it
    assert window.statusBar().currentMessage() == "Export cancelled: Schools.xlsx was not written."


def test_cancel_while_letters_are_produced_saves_and_records_nothing(
    qtbot: QtBot, big: Services, modals: Modals, tmp_path: Path
) -> None:
    window = open_window(qtbot, big)
    tab = window.schools_tab
    press(qtbot, tab.table, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(tab.search, "letter school")
    assert tab.proxy.rowCount() == ROWS // LETTER_EVERY
    out = tmp_path / "letters"
    out.mkdir()
    target = out / "Summer programme.pdf"
    before = history_state(big.db), register_state(big.db)
    banners: list[str] = []

    def merge_by_hand(box: QWidget) -> None:
        assert isinstance(box, MailMergeDialog)
        choose(qtbot, box.template_combo, "Summer programme")
        push(qtbot, box.radios["shown"])
        box.combined_path.setFocus()
        box.combined_path.selectAll()
        qtbot.keyClicks(box.combined_path, str(target))
        push(qtbot, box.check_button)  # the list on the right, checked for this template
        modals.cancel_progress()
        push(qtbot, box.produce_button)
        qtbot.waitUntil(lambda: box.job is not None and box.job.cancelled, timeout=60_000)
        banners.append(box.banner.text())
        assert box.produce_button.isEnabled()
        press(qtbot, box, Qt.Key.Key_Escape)

    modals.then(in_dialog(qtbot, merge_by_hand))
    menu_action(window, "Letters", "Mail merge…").trigger()
    modals.wait_answered(timeout=120_000)
    assert banners == ["Cancelled: no letters were saved and nothing was recorded."]
    assert sorted(out.iterdir()) == []
    assert (history_state(big.db), register_state(big.db)) == before

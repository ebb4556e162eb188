"""Habits of the office's Windows PCs, checked on any computer.

A user folder with a space and an accent (``C:\\Users\\Zoë Ahmed\\…``, simulated through the
variables platformdirs reads), paths longer than Windows' old 260 characters, school names
that make file names Windows refuses, a PDF handed to the computer's own viewer through Qt's
desktop services, and the program started twice on one database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path, PureWindowsPath

import pytest
from desktop_urls import opened_files
from pathvalidate import validate_filename
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from qt_driving import Modals, activate, menu_action, press
from sqlalchemy import text

from thep_desktop import config
from thep_desktop.cli.commands import run_main
from thep_desktop.crash_log import log_path, stop_log
from thep_desktop.database import Database, DatabaseError, sqlite_file_of, sqlite_url
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parent.parent
ZOE = "Zoë Ahmed"
VISIT = [
    "--set",
    "visit.date=Tuesday 9 March 2027",
    "--set",
    "visit.focus=Reading",
    "--set",
    "visit.team=Ms Begum",
]


@pytest.fixture
def zoe_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Zoë's user folders, found by platformdirs itself (no THEP_* overrides)."""
    home = tmp_path / "Users" / ZOE
    local = home / "AppData" / "Local"
    for name in ("THEP_DATA_DIR", "THEP_CONFIG_DIR", "THEP_LOG_DIR"):
        monkeypatch.delenv(name, raising=False)
    # What platformdirs reads on Linux; on Windows it asks the shell for %LOCALAPPDATA%.
    monkeypatch.setenv("XDG_DATA_HOME", str(local))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "AppData" / "Roaming"))
    monkeypatch.setenv("XDG_STATE_HOME", str(local / "State"))
    monkeypatch.setenv("HOME", str(home))
    stop_log()
    yield home
    stop_log()


def test_a_user_folder_with_a_space_and_an_accent_holds_everything(
    zoe_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """thep-admin with no --db: the local database, backups and exports in Zoë's folders."""
    assert config.data_dir().is_relative_to(zoe_home)
    assert config.log_dir().is_relative_to(zoe_home)
    assert run_main(["init"]) == 0
    database = config.default_database_path()
    assert database.is_file() and ZOE in str(database)
    assert str(database) in capsys.readouterr().out  # named as it is, accent and all
    assert run_main(["demo"]) == 0
    documents = zoe_home / "Documents" / "Schools – Zoë's lists"
    documents.mkdir(parents=True)
    assert run_main(["export", "schools", str(documents / "Régister 2026.xlsx")]) == 0
    assert (documents / "Régister 2026.xlsx").stat().st_size > 0
    capsys.readouterr()
    assert run_main(["backup", "--json"]) == 0
    backup = Path(json.loads(capsys.readouterr().out)["file"])
    assert backup.is_relative_to(config.data_dir() / "backups") and backup.is_file()
    letters = documents / "Lettres à l'école"
    letters.mkdir()
    render = ["letters", "render", "review_visit", "--to", "urn:100981", *VISIT]
    assert run_main([*render, "--out", str(letters)]) == 0
    assert [p.suffix for p in letters.iterdir()] == [".pdf"]


@pytest.mark.gui
def test_the_window_starts_and_logs_in_zoes_folders(
    qtbot: QtBot, zoe_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    from thep_desktop import app

    assert app.main(["--quit-when-ready"]) == 0  # the first start makes the local database
    assert app.READY_MARKER in capsys.readouterr().out
    assert config.default_database_path().is_file()
    last = config.last_database_url()
    assert last is not None and sqlite_file_of(last) == config.default_database_path()
    assert log_path().is_relative_to(zoe_home) and log_path().parent.is_dir()


def long_folder(base: Path, length: int = 300) -> Path:
    folder = base
    n = 0
    while len(str(folder)) < length:
        n += 1
        folder = folder / f"Partnership office folder {n:02d} – année"
    folder.mkdir(parents=True)
    return folder


def test_paths_longer_than_260_characters_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Windows 10 and 11 take long paths (with Python's own manifest); nothing here refuses them."""
    folder = long_folder(tmp_path)
    db = folder / "partnership-office.sqlite3"
    assert len(str(db)) > 260
    assert run_main(["--db", str(db), "init"]) == 0
    assert run_main(["--db", str(db), "demo"]) == 0
    xlsx = folder / "register.xlsx"
    assert run_main(["--db", str(db), "export", "schools", str(xlsx)]) == 0
    assert xlsx.stat().st_size > 0
    assert run_main(["--db", str(db), "backup", "--to", str(folder)]) == 0
    assert len(list(folder.glob("partnership-office-backup-*.sqlite3"))) == 1
    assert run_main(["--db", str(db), "check"]) == 0


def test_a_long_windows_path_is_taken_and_an_overlong_name_is_refused_in_words() -> None:
    long_path = PureWindowsPath("C:/Users", ZOE, *["Dossier de l'école partenaire"] * 12, "x.db")
    assert len(str(long_path)) > 260
    assert sqlite_url(str(long_path), windows=True).endswith("x.db")
    with pytest.raises(DatabaseError, match="at most 255 characters"):
        sqlite_url(f"C:\\Users\\{ZOE}\\{'é' * 256}.sqlite3", windows=True)


REFUSED_BY_WINDOWS = [
    "CON",
    "aux",
    "NUL.",
    "COM1 Primary",
    'St Mary: "Upper" <Juniors>?',
    "Bow / Poplar \\ Federation*",
    "Trailing dots and spaces. . ",
]


def test_schools_whose_names_windows_would_refuse_get_files_windows_takes(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The demo's organisation and its signatory, then the schools with awkward names.
    assert run_main(["--db", db.address, "demo"]) == 0
    services = Services(db, actor)
    urns = []
    for n, name in enumerate(REFUSED_BY_WINDOWS):
        urn = 200100 + n
        services.schools.create_school(
            actor,
            SchoolInput(
                urn=str(urn), name=name, la_code="211", street="Bow Road", postcode="E3 4PX"
            ),
        )
        urns.append(str(urn))
    out = tmp_path / "letters"
    out.mkdir()
    render = ["--db", db.address, "letters", "render", "review_visit", *VISIT]
    assert run_main([*render, "--to", "urn:" + ",".join(urns), "--out", str(out)]) == 0
    made = sorted(p.name for p in out.iterdir())
    assert len(made) == len(REFUSED_BY_WINDOWS)
    for name in made:
        validate_filename(name, platform="windows")  # raises for a name Windows refuses
        assert name.endswith(".pdf")


@pytest.mark.gui
def test_a_pdf_is_opened_in_the_system_viewer_through_qt(qtbot: QtBot, tmp_path: Path) -> None:
    """The PDF window's *Open in system viewer*: the real openUrl, caught by a URL handler."""
    from reportlab.pdfgen import canvas

    from thep_desktop.ui.shared.pdf_window import PdfWindow

    pdf_path = tmp_path / "letter.pdf"
    page = canvas.Canvas(str(pdf_path))
    page.drawString(72, 720, "Dear Ms Ahmed")
    page.save()
    pdf = pdf_path.read_bytes()
    window = PdfWindow(pdf, "Letter to Zoë's school", "Lettre à l'école")
    qtbot.addWidget(window)
    window.show()
    with opened_files() as opened:
        window.open_viewer_action.trigger()
    assert len(opened) == 1
    (shown,) = opened
    assert shown.suffix == ".pdf" and shown.read_bytes() == pdf
    assert shown.name == "Lettre à l'école.pdf"
    validate_filename(shown.name, platform="windows")


# -- the same local database opened twice on one PC ----------------------------------------
def program_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


@pytest.fixture
def window(qtbot: QtBot, sqlite_db: Database, actor: Actor) -> MainWindow:
    w = MainWindow(Services(sqlite_db, actor))
    qtbot.addWidget(w)
    w.load()
    activate(qtbot, w)
    return w


def logins(db: Database) -> int:
    with db.engine.connect() as conn:
        return conn.execute(
            text("SELECT count(*) FROM audit_event WHERE action = 'login'")
        ).scalar()


@pytest.mark.gui
def test_starting_the_program_again_on_an_open_database_brings_its_window_forward(
    qtbot: QtBot, window: MainWindow
) -> None:
    db = window.services.db
    before = logins(db)
    window.showMinimized()
    second = subprocess.Popen(
        [sys.executable, "-m", "thep_desktop", "--db", str(db.sqlite_path)],
        env=program_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # This window answers from its own event loop while the second start asks.
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=60_000)
    finally:
        if second.poll() is None:
            second.kill()
    out, err = second.communicate()
    assert second.returncode == 0, err
    assert "is already open in THE Partnership Office" in out
    assert not window.isMinimized()
    assert "started again on this database" in window.statusBar().currentMessage()
    assert logins(db) == before  # the second start opened nothing


@pytest.fixture
def other_program(tmp_path: Path, actor: Actor) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    """Another copy of the program, in its own process, with a database open."""
    held = tmp_path / "held.sqlite3"
    other_db = Database(held)
    other_db.upgrade(create=True)
    Services(other_db, actor).schools.create_school(
        actor, SchoolInput(urn="100001", name="Held Elsewhere Primary", la_code="211")
    )
    other_db.dispose()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "single_window_holder.py"), str(held)],
        env=program_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    yield held, process
    if process.poll() is None:
        process.communicate("", timeout=30)


@pytest.mark.gui
def test_opening_a_file_another_window_has_open_offers_to_show_that_window(
    qtbot: QtBot, window: MainWindow, modals: Modals, other_program
) -> None:  # type: ignore[no-untyped-def]
    held, process = other_program
    before = window.services
    modals.type(str(held), then="Open").click("Show that window")
    press(qtbot, window.schools_tab.table, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    modals.wait_answered()
    question = modals.seen[1]
    assert f"{held} is already open in another window" in question.text
    assert window.services is before  # this window keeps its database
    out, _ = process.communicate("", timeout=30)
    assert out.strip() == "shown"


@pytest.mark.gui
def test_opening_it_here_as_well_opens_it(
    qtbot: QtBot, window: MainWindow, modals: Modals, other_program
) -> None:  # type: ignore[no-untyped-def]
    held, process = other_program
    modals.type(str(held), then="Open").click("Open it here as well")
    menu_action(window, "File", "Open database…").trigger()
    modals.wait_answered()
    assert window.services.db.sqlite_path == held
    assert str(held) in window.database_label.text()
    out, _ = process.communicate("", timeout=30)
    assert out.strip() == ""  # not asked to come forward


@pytest.mark.gui
def test_cancel_keeps_the_open_database(
    qtbot: QtBot, window: MainWindow, modals: Modals, other_program
) -> None:  # type: ignore[no-untyped-def]
    held, _process = other_program
    before = window.services
    modals.type(str(held), then="Open").click("Cancel")
    menu_action(window, "File", "Open database…").trigger()
    modals.wait_answered()
    assert window.services is before

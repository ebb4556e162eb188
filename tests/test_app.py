"""Starting the program: ``python -m thep_desktop --db ...`` opens the window on that database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from qt_driving import Modals

from thep_desktop import app, config
from thep_desktop.database import Database

pytestmark = pytest.mark.gui


def test_the_first_start_creates_the_local_database_and_remembers_it(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("THEP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "config"))
    path = config.default_database_path()
    assert app.main(["--quit-when-ready"]) == 0
    assert app.READY_MARKER in capsys.readouterr().out
    db = Database(path)
    assert db.recognise().state == "ours" and not db.needs_upgrade()
    db.dispose()
    assert config.last_database_url() == f"sqlite:///{path.resolve()}"


def test_a_db_that_is_not_there_is_refused_and_not_created(
    qtbot, tmp_path: Path, modals: Modals, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    """--db names a file; only File > New database or the first start make one."""
    missing = tmp_path / "typo.sqlite3"
    before = config.load_settings()
    modals.click("Quit")
    assert app.main(["--db", str(missing), "--quit-when-ready"]) == 1
    (box,) = modals.seen
    assert box.title == "Cannot open the database"
    assert f"There is no database file at {missing}." in box.text
    assert "File > New database" in box.text
    assert app.READY_MARKER not in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == [] and config.load_settings() == before


def test_python_dash_m_starts_the_gui_process(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "THEP_CONFIG_DIR": str(tmp_path / "config"),
        "THEP_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "thep_desktop", "--quit-when-ready"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert app.READY_MARKER in done.stdout
    # With no --db and nothing used before, the local database in the user data folder.
    assert (tmp_path / "data" / config.DEFAULT_DB_FILENAME).exists()


# -- an address that cannot be opened: a box in words, then the database chooser -----------------
def _settings_text() -> str:
    path = config.config_dir() / "settings.json"
    return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("postgresql://u@:notaport/db", "“notaport” is not a port number"),
        ("mysql://x/y", "“mysql” databases are not supported"),
        ("sqlite://", "names no database file"),
    ],
)
def test_a_bad_address_shows_a_box_and_quit_ends_the_program(
    qtbot, modals, tmp_path: Path, address: str, said: str
) -> None:  # type: ignore[no-untyped-def]
    before = _settings_text()
    modals.click("Quit")
    assert app.main(["--db", address, "--quit-when-ready"]) == 1
    (box,) = modals.seen
    assert (box.kind, box.title) == ("message", "Cannot open the database")
    assert said in box.text
    assert _settings_text() == before  # nothing remembered


def test_after_a_bad_address_the_chooser_opens_a_database_file(
    qtbot, modals, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "office.sqlite3"
    db = Database(good)
    db.upgrade(create=True)
    db.dispose()
    folder = tmp_path / "a folder"
    folder.mkdir()
    modals.click("Open a database file…").type(str(good), then="Open")
    assert app.main(["--db", str(folder), "--quit-when-ready"]) == 0
    box, picker = modals.seen
    assert box.text == f"{folder} is a folder, not a database file. Choose the database file " + (
        "inside it (its name ends in .sqlite3)."
    )
    assert picker.title == "Open database"
    assert app.READY_MARKER in capsys.readouterr().out
    assert config.last_database_url() == f"sqlite:///{good}"


def test_after_a_bad_address_the_chooser_makes_a_new_database(
    qtbot, modals, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    new = tmp_path / "fresh"
    # Cancelling the file dialog comes back to the chooser; the program does not end.
    modals.click("New database…").press_escape().click("New database…")
    modals.type(str(new), then="Save")
    assert app.main(["--db", "oracle://x/y", "--quit-when-ready"]) == 0
    assert [s.title for s in modals.seen] == [
        "Cannot open the database",
        "New database",
        "Cannot open the database",
        "New database",
    ]
    assert app.READY_MARKER in capsys.readouterr().out
    made = Database(tmp_path / "fresh.sqlite3")
    assert not made.needs_upgrade()
    made.dispose()


def test_a_relative_address_is_remembered_as_the_file_it_named(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    made = Database(tmp_path / "office" / "x.sqlite3")
    made.upgrade(create=True)
    made.dispose()
    assert app.main(["--db", "sqlite:///office/x.sqlite3", "--quit-when-ready"]) == 0
    assert config.last_database_url() == f"sqlite:///{tmp_path / 'office' / 'x.sqlite3'}"


def test_a_password_in_the_address_never_reaches_the_settings(
    qtbot, pg_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    """Given as user:password@ or as ?password=, the password is used but not written."""
    from sqlalchemy.engine import URL, make_url

    url = make_url(pg_database_url)
    password = url.password or ""
    assert password, "the test server's address has a password"
    bare = URL.create("postgresql+psycopg", url.username, None, url.host, url.port, url.database)
    in_query = bare.update_query_dict({"password": password})
    for address in (pg_database_url, in_query.render_as_string(hide_password=False)):
        assert password in address
        assert app.main(["--db", address, "--quit-when-ready"]) == 0
        assert app.READY_MARKER in capsys.readouterr().out
        text = _settings_text()
        assert url.database in text and password not in text
        assert config.last_database_url() == bare.render_as_string(hide_password=False)


def test_a_failure_nobody_expected_before_the_window_is_shown_not_swallowed(
    qtbot, tmp_path: Path, modals: Modals, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """On Windows a traceback on a console nobody sees is the program doing nothing at all."""

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk went away")

    from thep_desktop.ui import app as gui_app

    monkeypatch.setattr(gui_app, "open_services", broken)
    modals.click("OK")
    assert app.main(["--db", str(tmp_path / "x.sqlite3"), "--quit-when-ready"]) == 1
    [box] = modals.seen
    assert box.title == "Something went wrong"
    assert not (tmp_path / "x.sqlite3").exists()


def test_a_refusal_in_words_that_no_form_caught_is_said_without_a_traceback(
    qtbot, modals: Modals, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    """The server gone during something without a form of its own: its words, no crash box."""
    from thep_desktop.services.shared.errors import ServerUnavailableError
    from thep_desktop.ui.shared.crash_dialog import CrashReporter

    gone = ServerUnavailableError("db.office.local")
    modals.click("OK")
    reporter = CrashReporter(None)
    reporter.report(type(gone), gone, None)
    assert reporter.reported == []  # nothing logged as a crash
    modals.wait_answered()
    [box] = modals.seen
    assert box.title == "THE Partnership Office"
    assert box.text.startswith("The office server (db.office.local) cannot be reached.")
    assert "Traceback" not in capsys.readouterr().err

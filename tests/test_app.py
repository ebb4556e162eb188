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

"""Starting the program: ``python -m thep_desktop --db ...`` opens the window on that database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from thep_desktop import app, config
from thep_desktop.database import Database

pytestmark = pytest.mark.gui


def test_start_on_a_new_file_creates_and_migrates_it_and_remembers_it(
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "office.sqlite3"
    assert app.main(["--db", str(path), "--quit-when-ready"]) == 0
    assert app.READY_MARKER in capsys.readouterr().out
    db = Database(path)
    assert not db.needs_upgrade()
    db.dispose()
    assert config.last_database_url() == f"sqlite:///{path.resolve()}"


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

"""The program's own files: one resources/ folder, found at run time, and a damaged install named.

A font or a migration missing from an install (an antivirus that quarantined a file, a copy
cut short) is said in words naming the file and what to do, by both programs, before any
database is touched.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from qt_driving import Modals

from thep_desktop import installation
from thep_desktop.cli.commands import run_main
from thep_desktop.installation import (
    FONTS,
    ICON,
    DamagedInstallation,
    check_installation,
    font_path,
    resources_dir,
)

ROOT = Path(__file__).resolve().parent.parent


def test_the_repository_keeps_one_resources_folder_at_its_top() -> None:
    assert resources_dir() == ROOT / "resources"
    assert not (ROOT / "thep_desktop" / "resources").exists()  # no second copy
    for name in FONTS:
        assert font_path(name).read_bytes()[:4] == b"\x00\x01\x00\x00"  # TrueType
    assert (ROOT / "resources" / ICON).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    check_installation()


def test_the_windows_icon_holds_every_size_windows_asks_for() -> None:
    import struct

    data = (ROOT / "resources" / "app-icon.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for n in range(count):
        width, height, *_rest, size, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * n : 22 + 16 * n]
        )
        assert width == height
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + size <= len(data)
        sizes.add(width or 256)
    assert {16, 24, 32, 48, 256} <= sizes


def installed_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the installed package's files (resources and migrations), used as the package."""
    package = tmp_path / "Program Files" / "thep_desktop"
    shutil.copytree(ROOT / "resources", package / "resources")
    shutil.copytree(
        ROOT / "thep_desktop" / "migrations",
        package / "migrations",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    monkeypatch.setattr(installation, "PACKAGE", package)
    return package


def test_an_installed_package_reads_its_own_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in a wheel or the packaged program: thep_desktop/resources beside the code."""
    package = installed_copy(tmp_path, monkeypatch)
    assert resources_dir() == package / "resources"
    assert font_path("Carlito-Bold.ttf") == package / "resources" / "fonts" / "Carlito-Bold.ttf"
    check_installation()


def test_a_missing_font_is_named_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = installed_copy(tmp_path, monkeypatch)
    (package / "resources" / "fonts" / "Carlito-Italic.ttf").unlink()
    with pytest.raises(DamagedInstallation) as raised:
        check_installation()
    assert "Carlito-Italic.ttf is missing" in raised.value.message
    assert "install THE Partnership Office again" in raised.value.message
    assert "database and backups" in raised.value.message


def test_a_migration_missing_from_the_middle_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = installed_copy(tmp_path, monkeypatch)
    (package / "migrations" / "versions" / "0003_signatories.py").unlink()
    with pytest.raises(DamagedInstallation) as raised:
        check_installation()
    assert "migration 0003_signatories" in raised.value.message
    assert "install THE Partnership Office again" in raised.value.message


def test_no_migrations_at_all_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = installed_copy(tmp_path, monkeypatch)
    shutil.rmtree(package / "migrations" / "versions")
    (package / "migrations" / "versions").mkdir()
    with pytest.raises(DamagedInstallation, match="migrations are missing"):
        check_installation()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ("resources/fonts/Carlito-Regular.ttf", "Carlito-Regular.ttf"),
        ("migrations/versions/0002_letters.py", "migration 0002_letters"),
    ],
)
def test_thep_admin_refuses_a_damaged_install_and_changes_nothing(
    missing: str,
    named: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "office.sqlite3"
    assert run_main(["--db", str(db), "init"]) == 0
    before = digest(db)
    capsys.readouterr()
    package = installed_copy(tmp_path, monkeypatch)
    (package / missing).unlink()
    for command in (["schools", "list"], ["migrate"], ["demo"]):
        assert run_main(["--db", str(db), *command]) == 1
        err = capsys.readouterr().err
        assert named in err and "install THE Partnership Office again" in err
        assert digest(db) == before
    # And a database not yet made is not made.
    assert run_main(["--db", str(tmp_path / "new.sqlite3"), "init"]) == 1
    assert not (tmp_path / "new.sqlite3").exists()


@pytest.mark.gui
def test_the_window_names_a_damaged_install_and_opens_nothing(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, modals: Modals
) -> None:  # type: ignore[no-untyped-def]
    from thep_desktop import app

    package = installed_copy(tmp_path, monkeypatch)
    (package / "resources" / "fonts" / "Carlito-Bold.ttf").unlink()
    modals.click("OK")
    assert app.main(["--db", str(tmp_path / "office.sqlite3"), "--quit-when-ready"]) == 1
    modals.wait_answered()
    [box] = modals.seen
    assert "Carlito-Bold.ttf is missing" in box.text
    assert "install THE Partnership Office again" in box.text
    assert not (tmp_path / "office.sqlite3").exists()


def test_a_database_from_a_newer_program_is_named_with_what_to_do_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An older install opening what a newer one upgraded (a PC not yet updated)."""
    import sqlite3

    db = tmp_path / "office.sqlite3"
    assert run_main(["--db", str(db), "init"]) == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_a_newer_release'")
    conn.close()
    before = digest(db)
    capsys.readouterr()
    for command in (["schools", "list"], ["migrate"], ["init"]):
        assert run_main(["--db", str(db), *command]) == 1
        err = capsys.readouterr().err
        assert "made by a newer version of THE Partnership Office" in err
        assert "update the program" in err
        assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["office.sqlite3"]  # no copy made


@pytest.mark.gui
def test_check_install_imports_every_module_and_says_the_install_is_whole(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from thep_desktop import app

    assert app.main(["--check-install"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("THEP-INSTALL-OK") and " modules are there" in out
    assert "thep_desktop.ui.shared.pdf_window" in __import__("sys").modules  # imported too


@pytest.mark.gui
def test_check_install_names_a_module_whose_library_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As a bundle would be with a library its builder forgot."""
    import thep_desktop
    from thep_desktop import app

    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "fee_letters.py").write_text('"""Needs a library."""\nimport a_library_left_out\n')
    monkeypatch.setattr(thep_desktop, "__path__", [*thep_desktop.__path__, str(extra)])
    assert app.main(["--check-install"]) == 1
    err = capsys.readouterr().err
    assert "installation is incomplete" in err
    assert "thep_desktop.fee_letters: ModuleNotFoundError" in err and "a_library_left_out" in err

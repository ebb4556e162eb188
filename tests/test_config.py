"""Which database the program opens, and where it keeps its files."""

from __future__ import annotations

from pathlib import Path

import pytest

from thep_desktop import config
from thep_desktop.database import normalise_url


def test_default_is_a_local_file_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("THEP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "config"))
    url = config.resolve_database_url(None)
    assert url == f"sqlite:///{tmp_path / 'data' / 'partnership-office.sqlite3'}"


def test_last_used_database_is_remembered(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "config"))
    config.remember_database_url("postgresql+psycopg://office@server/partnership")
    config.remember_database_url("sqlite:////tmp/a.sqlite3")
    assert config.resolve_database_url(None) == "sqlite:////tmp/a.sqlite3"
    assert config.load_settings()["recent_databases"] == [
        "sqlite:////tmp/a.sqlite3",
        "postgresql+psycopg://office@server/partnership",
    ]
    # An explicit --db wins over the remembered one.
    assert config.resolve_database_url("/tmp/b.sqlite3") == "sqlite:////tmp/b.sqlite3"


def test_a_damaged_settings_file_is_ignored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path))
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    assert config.load_settings() == {}


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@127.0.0.1:5432/db", "postgresql+psycopg://u:p@127.0.0.1:5432/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////office/x.db", "sqlite:////office/x.db"),
    ],
)
def test_database_addresses_are_normalised(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_a_relative_sqlite_address_is_made_absolute_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Three slashes is a path from the current folder: the address names that file."""
    monkeypatch.chdir(tmp_path)
    assert normalise_url("sqlite:///office/x.db") == f"sqlite:///{tmp_path / 'office' / 'x.db'}"
    assert normalise_url("office/x.db") == f"sqlite:///{tmp_path / 'office' / 'x.db'}"


def test_passwords_are_never_written_to_the_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path))
    config.remember_database_url("postgresql+psycopg://office:s3cret@server:5432/partnership")
    assert config.last_database_url() == "postgresql+psycopg://office@server:5432/partnership"
    assert "s3cret" not in (tmp_path / "settings.json").read_text(encoding="utf-8")
    assert config.recent_database_urls() == ["postgresql+psycopg://office@server:5432/partnership"]


def test_window_layouts_are_kept_per_user_and_a_damaged_one_is_ignored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path))
    assert config.ui_state("schools_tab") == {}
    config.remember_database_url("sqlite:////tmp/a.sqlite3")
    config.save_ui_state("schools_tab", {"detail_width": 320})
    config.save_ui_state("other", {"x": 1})
    assert config.ui_state("schools_tab") == {"detail_width": 320}
    assert config.last_database_url() == "sqlite:////tmp/a.sqlite3"  # other settings kept
    settings = config.load_settings()
    settings["ui"] = "not a mapping"
    config.save_settings(settings)
    assert config.ui_state("schools_tab") == {}


@pytest.mark.parametrize(
    ("address", "kept"),
    [
        (
            "postgresql+psycopg://office:s3cret@server:5432/partnership",
            "postgresql+psycopg://office@server:5432/partnership",
        ),
        (
            "postgresql+psycopg://office@server/partnership?password=s3cret",
            "postgresql+psycopg://office@server/partnership",
        ),
        (
            "postgresql+psycopg://server/partnership?user=office&password=s3cret",
            "postgresql+psycopg://server/partnership?user=office",
        ),
        (
            "postgresql+psycopg://office:s3cret@server/partnership?PASSWORD=s3cret&sslmode=require"
            "&sslpassword=s3cret",
            "postgresql+psycopg://office@server/partnership?sslmode=require",
        ),
        # Not an address anything parses: whatever looks like a password still goes.
        ("host=server user=office password=s3cret dbname=partnership", None),
        ("postgresql://office:s3cret@:notaport/db", "postgresql://office@:notaport/db"),
    ],
)
def test_no_form_of_password_reaches_the_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, address: str, kept: str | None
) -> None:
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path))
    if kept is not None:
        assert config.without_password(address) == kept
    config.remember_database_url(address)
    # Any other write of the settings (a window layout, say) keeps them free of it too.
    settings = config.load_settings()
    settings["recent_databases"] = [address, *settings["recent_databases"]]  # type: ignore[misc]
    settings["demo_declined"] = [address]
    config.save_settings(settings)
    config.save_ui_state("schools_tab", {"detail_width": 320})
    written = (tmp_path / "settings.json").read_text(encoding="utf-8")
    assert "s3cret" not in written
    assert "office" in written  # the rest of the address is kept


@pytest.mark.parametrize(
    "address",
    [
        "postgresql://office:s3cret@:notaport/db",
        "postgresql://office:s3cret@my server/db",
        "postgresql://office:s3cret@server",
        "postgresql://office@/db?password=s3cret",
        "mysql://office:s3cret@server/db",
        "host=server password=s3cret",
        "postgresql: //office:s3cret@server/db",
    ],
)
def test_messages_about_an_address_never_show_its_password(address: str) -> None:
    from thep_desktop.database import Database, DatabaseError

    with pytest.raises(DatabaseError) as refused:
        Database(address)
    assert "s3cret" not in str(refused.value)


def test_a_config_folder_that_cannot_be_written_to_does_not_stop_the_program(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Remembering a folder or the last database must not crash when settings.json cannot be
    written: the warning says why in words, and the settings already there are kept."""
    from read_only_folders import read_only_folder  # tests/read_only_folders.py

    folder = tmp_path / "config"
    monkeypatch.setenv("THEP_CONFIG_DIR", str(folder))
    config.remember_folder("export_folder", tmp_path)
    before = (folder / "settings.json").read_bytes()
    with read_only_folder(folder):
        config.remember_folder("export_folder", tmp_path / "elsewhere")
        config.remember_database_url("sqlite:////tmp/other.sqlite3")
        config.save_ui_state("schools", {"columns": [1, 2]})
        assert sorted(p.name for p in folder.iterdir()) == ["settings.json"]
    assert (folder / "settings.json").read_bytes() == before
    assert config.save_settings({"x": 1}) is True  # writable again: saved as ever
    assert (
        f"Your settings were not saved. The folder {folder} cannot be written to (it is "
        "read-only or you do not have permission). Choose another folder."
    ) in caplog.text


def test_a_config_folder_under_a_file_does_not_stop_the_program(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    monkeypatch.setenv("THEP_CONFIG_DIR", str(blocker / "config"))
    assert config.save_settings({"last_database": "x"}) is False
    config.remember_folder("export_folder", tmp_path)
    assert blocker.read_text() == "x"

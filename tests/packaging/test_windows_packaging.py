"""The Windows installer script and version information, checked where they cannot be compiled.

Inno Setup runs on Windows only, so CI cannot build the installer; these tests read the
script and the version template and hold them to what the office needs: a per-user install
without administrator rights, shortcuts to the program and to the log folder where the
program really writes it, an uninstaller that leaves the data, the version in the name.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path, PureWindowsPath

import pytest

from thep_desktop import __version__, config

ROOT = Path(__file__).resolve().parent.parent.parent
ISS = ROOT / "resources" / "windows" / "thep-office.iss"
SPEC = ROOT / "packaging" / "thep.spec"
sys.path.insert(0, str(ROOT / "packaging"))

from windows_version import version_info_text, version_numbers  # noqa: E402


def iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text("utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        if re.fullmatch(r"\[\w+\]", line):
            current = line[1:-1]
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def setup_value(key: str) -> str:
    for line in iss_sections()["Setup"]:
        name, _, value = line.partition("=")
        if name.strip() == key:
            return value.strip()
    raise AssertionError(f"{key} is not set in [Setup]")


def defined(name: str) -> str:
    match = re.search(rf"^#define {name} (.+)$", ISS.read_text("utf-8"), re.M)
    assert match, name
    return match.group(1).strip()


def test_the_installer_needs_no_administrator_and_installs_for_the_user() -> None:
    assert setup_value("PrivilegesRequired") == "lowest"
    assert setup_value("DefaultDirName").startswith("{autopf}")  # %LOCALAPPDATA%\Programs
    assert "{#AppVersion}" in setup_value("OutputBaseFilename")
    assert setup_value("AppId").startswith("{{")  # one id in every version: upgrades in place


def test_the_installer_wraps_the_folder_the_spec_builds() -> None:
    spec = SPEC.read_text("utf-8")
    folder = re.search(r'^NAME = "([^"]+)"', spec, re.M).group(1)
    files = " ".join(iss_sections()["Files"])
    assert f"dist\\{folder}\\*" in files and "recursesubdirs" in files
    for program in re.findall(r'name="(thep-[a-z]+)"', spec):
        assert f"{program}.exe" in ISS.read_text("utf-8") or program == "thep-admin"
    assert (ROOT / setup_value("SetupIconFile").replace("\\", "/")).is_file()
    # An upgrade removes the older version's modules before copying the new ones.
    assert any("{app}\\_internal" in line for line in iss_sections()["InstallDelete"])


def test_the_log_folder_shortcut_opens_where_the_program_writes_its_log(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """platformdirs' Windows answer, for a user with an accent and a space in their name."""
    from platformdirs.windows import Windows

    local = r"C:\Users\Zoë Ahmed\AppData\Local"
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", local)
    logs = PureWindowsPath(Windows(config.APP_NAME, config.APP_AUTHOR).user_log_dir)
    data = PureWindowsPath(Windows(config.APP_NAME, config.APP_AUTHOR).user_data_dir)
    log_folder = defined("LogFolder").replace('DataFolder + "', defined("DataFolder")[:-1])
    assert log_folder.replace('"', "") == "{localappdata}\\" + str(logs.relative_to(local))
    assert defined("DataFolder").strip('"') == "{localappdata}\\" + str(data.relative_to(local))
    icons = iss_sections()["Icons"]
    assert any('Filename: "{#LogFolder}"' in line and "log folder" in line for line in icons)
    assert any('Filename: "{app}\\thep-desktop.exe"' in line for line in icons)


def test_uninstalling_leaves_the_database_backups_and_log() -> None:
    sections = iss_sections()
    assert "UninstallDelete" not in sections
    # The log folder the installer makes is never removed either.
    assert any("uninsneveruninstall" in line for line in sections["Dirs"])
    # The program folder and the data folder are apart: removing one leaves the other.
    assert not defined("DataFolder").strip('"').startswith("{autopf}")


def test_the_version_information_carries_the_program_version() -> None:
    made: dict[str, object] = {}

    def record(kind: str):  # type: ignore[no-untyped-def]
        def build(*args: object, **kwargs: object) -> tuple[str, tuple[object, ...], dict]:
            made.setdefault(kind, []).append((args, kwargs))  # type: ignore[union-attr]
            return kind, args, kwargs

        return build

    names = [
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    ]
    text = version_info_text(__version__, "thep-desktop", "THE Partnership Office")
    eval(text, {name: record(name) for name in names})  # the form PyInstaller evaluates
    (fixed,) = made["FixedFileInfo"]
    assert fixed[1]["filevers"] == version_numbers(__version__)
    strings = {args[0]: args[1] for args, _ in made["StringStruct"]}
    assert strings["FileVersion"] == strings["ProductVersion"] == __version__
    assert strings["OriginalFilename"] == "thep-desktop.exe"
    assert strings["ProductName"] == "THE Partnership Office"


@pytest.mark.parametrize(
    ("version", "numbers"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2.3.4", (1, 2, 3, 4)), ("2.0rc1", (2, 0, 0, 0))],
)
def test_version_numbers_are_four_numbers_as_windows_wants(
    version: str, numbers: tuple[int, ...]
) -> None:
    assert version_numbers(version) == numbers

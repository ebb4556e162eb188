"""The Windows installer (NSIS) compiled with makensis, its script and the version information.

makensis runs on Linux too, so the installer is compiled here against a small stand-in for the
one-folder build; these tests also hold the script to what the office needs: a per-user
install without administrator rights, shortcuts to the program and to the log folder where the
program really writes it, an uninstaller that leaves the data, the version in the name.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

from thep_desktop import __version__, config

ROOT = Path(__file__).resolve().parent.parent.parent
NSI = ROOT / "resources" / "windows" / "thep-office.nsi"
SPEC = ROOT / "packaging" / "thep.spec"
sys.path.insert(0, str(ROOT / "packaging"))

from windows_version import version_info_text, version_numbers  # noqa: E402


def script() -> str:
    """The script without its comments, a line ending in a backslash joined to the next."""
    text = re.sub(r"\\\n\s*", "", NSI.read_text("utf-8"))
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith(";"))


def defined(name: str) -> str:
    match = re.search(rf'^!define {name} "(.+)"$', script(), re.M)
    assert match, name
    return match.group(1)


def section(name: str) -> str:
    match = re.search(rf'^Section "{name}"$(.*?)^SectionEnd$', script(), re.M | re.S)
    assert match, name
    return match.group(1)


def makensis() -> str:
    found = shutil.which("makensis")
    if found is None:
        reason = "makensis (NSIS 3) is not installed, so the installer cannot be compiled"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " and CI=true, so this fails instead of skipping")
        pytest.skip(reason)
    return found


def compile_installer(bundle: Path, out: Path, version: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            makensis(),
            "-V2",
            f"-DVERSION={version}",
            f"-DBUNDLE={bundle}",
            f"-DOUTDIR={out}",
            str(NSI),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def fake_bundle(tmp_path: Path) -> Path:
    """The shape of the one-folder build: the two programs and their libraries folder."""
    bundle = tmp_path / "thep-office"
    (bundle / "_internal" / "thep_desktop" / "resources").mkdir(parents=True)
    (bundle / "thep-desktop.exe").write_bytes(b"MZ desktop" * 100)
    (bundle / "thep-admin.exe").write_bytes(b"MZ admin" * 100)
    (bundle / "_internal" / "thep_desktop" / "resources" / "app-icon.png").write_bytes(
        (ROOT / "resources" / "app-icon.png").read_bytes()
    )
    return bundle


def test_makensis_compiles_the_installer_named_with_the_version(
    fake_bundle: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out folder"  # a space, as in a Windows user's folders
    out.mkdir()
    result = compile_installer(fake_bundle, out, __version__)
    assert result.returncode == 0, result.stdout + result.stderr
    installer = out / f"THE-Partnership-Office-{__version__}-setup.exe"
    assert [p.name for p in out.iterdir()] == [installer.name]
    data = installer.read_bytes()
    assert data[:2] == b"MZ"  # a Windows program
    assert len(data) > 30_000  # the NSIS stub, the icon and the compressed bundle


def test_makensis_refuses_without_the_version_or_the_bundle(tmp_path: Path) -> None:
    """A build that names no version, or points at no bundle, makes no installer at all."""
    out = tmp_path / "out"
    out.mkdir()
    missing = compile_installer(tmp_path / "no such folder", out, __version__)
    assert missing.returncode != 0
    result = subprocess.run(
        [makensis(), "-V2", f"-DOUTDIR={out}", str(NSI)], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Give the version" in result.stdout + result.stderr
    assert list(out.iterdir()) == []


def test_the_installer_needs_no_administrator_and_installs_for_the_user() -> None:
    text = script()
    assert re.search(r"^RequestExecutionLevel user$", text, re.M)
    assert re.search(r'^InstallDir "\$LOCALAPPDATA\\Programs\\\$\{APPNAME\}"$', text, re.M)
    assert defined("APPNAME") == "THE Partnership Office"
    assert re.search(r"THE-Partnership-Office-\$\{VERSION\}-setup\.exe", text)
    # Registered for this user only (HKCU), never for the machine (HKLM needs an administrator).
    assert "HKLM" not in text
    assert 'WriteRegStr HKCU "${UNINSTKEY}" "UninstallString"' in text
    assert re.search(r"^VIProductVersion ", text, re.M)
    assert 'VIAddVersionKey /LANG=2057 "ProductVersion" "${VERSION}"' in text
    assert (NSI.parent / re.search(r'^Icon "(.+)"$', text, re.M).group(1)).is_file()


def test_the_installer_wraps_the_folder_the_spec_builds() -> None:
    spec = SPEC.read_text("utf-8")
    folder = re.search(r'^NAME = "([^"]+)"', spec, re.M).group(1)
    assert defined("BUNDLE").endswith(f"/dist/{folder}")
    install = section("Install")
    assert 'File /r "${BUNDLE}/*"' in install
    for program in re.findall(r'name="(thep-[a-z]+)"', spec):
        assert f"$INSTDIR\\{program}.exe" in install
    # An upgrade removes the older version's modules before copying the new ones.
    assert install.index('RMDir /r "$INSTDIR\\_internal"') < install.index("File /r")


def test_the_log_folder_shortcut_opens_where_the_program_writes_its_log(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """platformdirs' Windows answer, for a user with an accent and a space in their name."""
    from platformdirs.windows import Windows

    local = r"C:\Users\Zoë Ahmed\AppData\Local"
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", local)
    logs = PureWindowsPath(Windows(config.APP_NAME, config.APP_AUTHOR).user_log_dir)
    data = PureWindowsPath(Windows(config.APP_NAME, config.APP_AUTHOR).user_data_dir)
    data_folder = defined("DATAFOLDER")
    log_folder = defined("LOGFOLDER").replace("${DATAFOLDER}", data_folder)
    assert log_folder == "$LOCALAPPDATA\\" + str(logs.relative_to(local))
    assert data_folder == "$LOCALAPPDATA\\" + str(data.relative_to(local))
    install = section("Install")
    assert 'CreateDirectory "${LOGFOLDER}"' in install
    assert re.search(r'CreateShortCut "[^"]+ log folder\.lnk" "\$\{LOGFOLDER\}"', install)
    assert re.search(r'CreateShortCut "[^"]+\.lnk" "\$INSTDIR\\thep-desktop\.exe"', install)
    assert re.search(r'CreateShortCut "[^"]+\.lnk" "\$SYSDIR\\cmd\.exe"[^\n]*thep-admin', install)


def test_uninstalling_leaves_the_database_backups_and_log() -> None:
    uninstall = section("Uninstall")
    # Nothing in the data folder (the database, backups, settings, log) is named for removal.
    assert "DATAFOLDER" not in uninstall and "LOGFOLDER" not in uninstall
    assert "$LOCALAPPDATA" not in uninstall
    # The program folder is emptied of what the installer put there, not removed whole.
    assert 'RMDir /r "$INSTDIR"' not in uninstall
    assert 'RMDir "$INSTDIR"' in uninstall
    for shortcut in re.findall(r'CreateShortCut "([^"]+\.lnk)"', section("Install")):
        assert f'Delete "{shortcut}"' in uninstall
    assert 'DeleteRegKey HKCU "${UNINSTKEY}"' in uninstall
    # The program folder and the data folder are apart: removing one leaves the other.
    assert not defined("DATAFOLDER").startswith("$LOCALAPPDATA\\Programs")


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

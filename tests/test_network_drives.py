"""A database file on a network drive is found, so the program can warn about it."""

from __future__ import annotations

from pathlib import Path

import pytest

from thep_desktop import database
from thep_desktop.cli.commands import run_main
from thep_desktop.database import Database
from thep_desktop.network_drives import network_location, network_warning

MOUNTS = """\
sysfs /sys sysfs rw,nosuid 0 0
/dev/sda1 / ext4 rw,relatime 0 0
/dev/sdb1 /mnt ext4 rw,relatime 0 0
//fs1/office /mnt/office cifs rw,vers=3.0 0 0
fs2:/export /home/jo/shared\\040drive nfs4 rw 0 0
jo@host: /home/jo/remote fuse.sshfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/mnt/office/partnership.sqlite3", "a Windows share (SMB) mounted at /mnt/office"),
        ("/mnt/office", "a Windows share (SMB) mounted at /mnt/office"),
        ("/home/jo/shared drive/x.sqlite3", "an NFS share mounted at /home/jo/shared drive"),
        ("/home/jo/remote/x.sqlite3", "a network file system (sshfs) mounted at /home/jo/remote"),
        ("/mnt/officecopy/x.sqlite3", None),  # beside the share, not in it
        ("/mnt/x.sqlite3", None),
        ("/home/jo/x.sqlite3", None),
    ],
)
def test_mounted_network_file_systems_are_found_by_the_mount_the_file_is_in(
    path: str, where: str | None
) -> None:
    assert network_location(path, windows=False, mounts=MOUNTS) == where


@pytest.mark.parametrize(
    ("path", "where"),
    [
        (r"\\fs1\office\partnership.sqlite3", r"the network share \\fs1\office"),
        ("//fs1/office/partnership.sqlite3", r"the network share \\fs1\office"),
        (r"\\?\UNC\fs1\office\partnership.sqlite3", r"the network share \\?\UNC\fs1\office"),
        (r"\\?\C:\office\partnership.sqlite3", None),
        (r"C:\Users\jo\partnership.sqlite3", None),
    ],
)
def test_windows_shares_are_found_by_their_address(path: str, where: str | None) -> None:
    assert network_location(path, windows=True) == where


def test_this_computer_s_temporary_folder_is_not_a_network_drive(tmp_path: Path) -> None:
    assert network_location(tmp_path / "x.sqlite3") is None


def test_the_warning_says_why_and_points_to_the_server() -> None:
    text = network_warning(r"the network share \\fs1\office")
    assert text.startswith(r"This database file is on the network share \\fs1\office.")
    assert "can be damaged" in text and "File > Connect to server" in text


@pytest.fixture
def on_a_share(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database file that the mount table shows on a Windows share."""
    path = tmp_path / "office.sqlite3"
    made = Database(path)
    made.upgrade(create=True)
    made.dispose()
    share = MOUNTS + f"//fs1/office {tmp_path} cifs rw 0 0\n"
    monkeypatch.setattr(
        database, "network_location", lambda p: network_location(p, windows=False, mounts=share)
    )
    return path


def test_thep_admin_warns_on_stderr_and_still_does_the_work(
    on_a_share: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(["--db", str(on_a_share), "schools", "list"]) == 0
    out, err = capsys.readouterr()
    assert "0 schools" in out or "no schools" in out.lower()
    assert err.startswith(
        f"Warning: This database file is on a Windows share (SMB) mounted at {on_a_share.parent}."
    )


def test_a_local_file_gets_no_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "office.sqlite3"
    made = Database(path)
    made.upgrade(create=True)
    made.dispose()
    assert run_main(["--db", str(path), "schools", "list"]) == 0
    assert "Warning" not in capsys.readouterr().err

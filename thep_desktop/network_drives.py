"""Is a database file on a network drive? SQLite's locking is not to be trusted there.

SQLite's own documentation warns that its file locks are broken on many network file systems
(SMB/CIFS shares, NFS), and two computers writing one file over a share is a known way to
corrupt it. The office server (PostgreSQL) is the way to share a register; this module only
finds out where a file is, so the program can say so.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePath, PureWindowsPath

# File system types (as /proc/mounts names them) that reach another computer over a network.
NETWORK_FILE_SYSTEMS = frozenset(
    {
        "cifs",
        "smb3",
        "smbfs",
        "nfs",
        "nfs4",
        "afs",
        "ncpfs",
        "9p",
        "ceph",
        "glusterfs",
        "davfs",
        "fuse.sshfs",
        "fuse.davfs2",
        "fuse.rclone",
        "fuse.gvfsd-fuse",
    }
)
_DRIVE_REMOTE = 4  # GetDriveTypeW's answer for a mapped network drive


def network_location(
    path: PurePath | str, *, windows: bool | None = None, mounts: str | None = None
) -> str | None:
    """How ``path`` reaches another computer ("the network share \\\\server\\office", "an NFS
    mount at /mnt/office"), or None when it is on this computer's own disks.

    ``windows`` reads the path as Windows does (by default as this computer does); ``mounts``
    is the text of /proc/mounts (read from the system when not given). Nothing here raises:
    where the answer cannot be found, the file is taken to be local.
    """
    windows = os.name == "nt" if windows is None else windows
    if windows:
        return _windows_location(PureWindowsPath(str(path)))
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:  # macOS and others: no mount table to read; say nothing
            return None
    return _mounted_location(str(path), mounts)


def _windows_location(path: PureWindowsPath) -> str | None:
    drive = path.drive
    if drive.startswith(("\\\\", "//")):
        if drive.lower().startswith(("\\\\?\\", "\\\\.\\")) and "unc" not in drive.lower():
            return None  # a local device path
        return f"the network share {drive}"
    if len(drive) == 2 and drive[1] == ":" and os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        kind = ctypes.windll.kernel32.GetDriveTypeW(f"{drive}\\")  # type: ignore[attr-defined]
        if kind == _DRIVE_REMOTE:
            return f"the network drive {drive}"
    return None


def _mounted_location(path: str, mounts: str) -> str | None:
    """The file system under ``path`` by the longest mount point it lies in."""
    best = ("", "")
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best[0]):
            best = (point, fields[2])
    point, kind = best
    if kind not in NETWORK_FILE_SYSTEMS:
        return None
    if kind in ("cifs", "smb3", "smbfs"):
        name = "a Windows share (SMB)"
    elif kind.startswith("nfs"):
        name = "an NFS share"
    else:
        name = f"a network file system ({kind.removeprefix('fuse.')})"
    return f"{name} mounted at {point}"


def network_warning(where: str) -> str:
    """What to tell the person, in words."""
    return (
        f"This database file is on {where}. A database file used over a network can be "
        "damaged, above all when two computers use it at once: keep it on this computer's "
        "own disk, and share the register through the office server instead (File > "
        "Connect to server)."
    )

"""A folder nobody may write in, even the root user the tests run as in CI.

Root ignores permission bits, so under root the folder is made immutable (``chattr +i``,
which the kernel enforces for root too); anyone else gets the usual read-only mode. The
test is skipped where neither can be done, rather than pass without the folder refusing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _as_root() -> bool:
    return getattr(os, "geteuid", lambda: -1)() == 0


@contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    if _as_root():
        chattr = shutil.which("chattr")
        done = chattr and subprocess.run([chattr, "+i", str(folder)], capture_output=True)
        if not done or done.returncode != 0:
            pytest.skip("running as root and this file system cannot make a folder immutable")
        undo = [chattr, "-i", str(folder)]
    else:
        folder.chmod(0o555)
        undo = None
    try:
        probe = folder / f"probe-{uuid.uuid4().hex}"
        try:
            probe.touch()
        except PermissionError:
            pass
        else:
            probe.unlink()
            pytest.skip("this system lets the tests write in a read-only folder")
        yield folder
    finally:
        if undo is not None:
            subprocess.run(undo, check=True)
        else:
            folder.chmod(0o755)

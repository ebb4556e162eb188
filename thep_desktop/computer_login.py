"""Who is logged in to this computer, from the operating system rather than the environment."""

from __future__ import annotations

import getpass
import os
import sys


def computer_login() -> str:
    """The login name of the person running the program.

    Asked of the operating system (Windows: GetUserNameW; elsewhere the password database
    for the process's user id), not of the USER or USERNAME variables, which anyone can set
    on a command line (``USER=anyone thep-admin …``). On a local database file this is the
    user the audit trail names, and whose role applies.
    """
    try:
        if sys.platform == "win32":
            import ctypes

            size = ctypes.c_ulong(257)
            buffer = ctypes.create_unicode_buffer(size.value)
            if ctypes.windll.advapi32.GetUserNameW(buffer, ctypes.byref(size)):  # type: ignore[attr-defined]
                return buffer.value
        else:
            import pwd

            return pwd.getpwuid(os.getuid()).pw_name
    except (KeyError, OSError, AttributeError):
        pass
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some Windows service accounts
        return "office"

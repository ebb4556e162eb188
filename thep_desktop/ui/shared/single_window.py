"""One window per local database on a PC: a second start hands over to the window already open.

A person who starts the program again (a second click on the Start menu, say) while it
already has the database open gets that window brought forward instead of a second window
on the same file. The window that has a local file open listens on a local channel named
from the file and the computer's user (a named pipe on Windows, a socket elsewhere); the
channel goes with the process, so a program that was ended from Task Manager leaves
nothing that stops the next start.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_MS = 500
ANSWER_MS = 2000

# The channels this process listens on: a second window of the same process (tests, and
# nothing else) on the same file leaves the first one its channel.
_listening: set[str] = set()


def channel_name(path: Path) -> str:
    """The same for every window of this user on this file, whatever way the path was typed."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name: the path alone still tells files apart
        user = ""
    where = os.path.normcase(str(path.resolve()))
    digest = hashlib.sha256(f"{user}\n{where}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"thep-office-{digest[:24]}"


def _ask(path: Path, request: bytes) -> bool:
    """Send ``request`` to the window that has ``path`` open; True when it answered."""
    socket = QLocalSocket()
    socket.connectToServer(channel_name(path))
    if not socket.waitForConnected(CONNECT_MS):
        return False
    try:
        socket.write(request + b"\n")
        socket.flush()
        answered = b""
        while b"\n" not in answered:
            if not socket.waitForReadyRead(ANSWER_MS):
                return False
            answered += bytes(socket.readAll().data())
        return answered.startswith(b"ok")
    finally:
        socket.disconnectFromServer()


def open_elsewhere(path: Path) -> bool:
    """Has another window of the program on this computer this file open?"""
    return _ask(path, b"ping")


def hand_over(path: Path) -> bool:
    """Bring forward the window that has ``path`` open; False when there is none."""
    return _ask(path, b"show")


class DatabaseOwner(QObject):
    """Listens for a later start on the same file, and asks its window to come forward."""

    show_requested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server: QLocalServer | None = None
        self.path: Path | None = None

    def claim(self, path: Path | None) -> bool:
        """Listen for ``path`` (None: a server database, nothing to listen for)."""
        self.release()
        if path is None:
            return False
        name = channel_name(path)
        if name in _listening:
            return False
        server = QLocalServer(self)
        # Only this user's processes may ask (the channel names no one else's files).
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(name):
            if open_elsewhere(path):
                server.deleteLater()
                return False  # another window has it: that one answers
            # A channel left behind by a program that was killed (a socket file on Linux).
            QLocalServer.removeServer(name)
            if not server.listen(name):
                server.deleteLater()
                return False
        server.newConnection.connect(self._answer)
        self.server, self.path = server, path
        _listening.add(name)
        return True

    def release(self) -> None:
        if self.server is not None:
            _listening.discard(self.server.serverName())
            self.server.close()
            self.server.deleteLater()
        self.server, self.path = None, None

    def _answer(self) -> None:
        server = self.server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        request = bytes(socket.readAll().data()).strip()
        socket.write(b"ok\n")
        socket.flush()
        if request == b"show":
            self.show_requested.emit()

"""Another running copy of the program that has a database open, for the tests.

    python tests/single_window_holder.py FILE

Holds FILE's channel as a real window of the program does (DatabaseOwner), prints ``ready``,
and prints ``shown`` when another start asks it to come forward; ends when stdin closes.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from thep_desktop.ui.shared.single_window import DatabaseOwner  # noqa: E402


def main() -> int:
    app = QApplication(sys.argv[:1])
    owner = DatabaseOwner()
    if not owner.claim(Path(sys.argv[1])):
        print("not claimed", flush=True)
        return 1
    owner.show_requested.connect(lambda: print("shown", flush=True))
    ended = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), ended.set()), daemon=True).start()
    timer = QTimer()
    timer.timeout.connect(lambda: app.quit() if ended.is_set() else None)
    timer.start(50)
    print("ready", flush=True)
    app.exec()
    owner.release()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Screenshots of the program on demo data, for looking at it as a user would.

    python scripts/screenshots.py [--out screenshots] [--readme]

Writes PNGs of the main window and the school dialog's pages to ``--out`` (default
``screenshots/``, which git ignores); ``--readme`` also refreshes ``docs/schools-tab.png``.
Runs offscreen; nothing of the user's own settings or databases is touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--readme", action="store_true", help="also update docs/schools-tab.png")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    work = Path(tempfile.mkdtemp(prefix="thep-shots-"))
    os.environ["THEP_CONFIG_DIR"] = str(work / "config")
    os.environ["THEP_DATA_DIR"] = str(work / "data")

    from PySide6.QtWidgets import QApplication

    from thep_desktop.services.actor import Actor, Role
    from thep_desktop.services.demo_service import DemoService
    from thep_desktop.services.registry import open_services
    from thep_desktop.ui.main_window import MainWindow
    from thep_desktop.ui.school_dialog import SchoolDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    services, _ = open_services(str(work / "demo.sqlite3"), Actor("office", Role.ADMIN))
    DemoService(services.db).load(services.actor)
    args.out.mkdir(parents=True, exist_ok=True)

    window = MainWindow(services)
    window.resize(1440, 860)
    window.show()
    window.load()
    tab = window.schools_tab
    tab.select_ids([tab.proxy.row_at(4).id])
    app.processEvents()
    shots = [("main-window.png", window)]
    window.grab().save(str(args.out / "main-window.png"))

    tab.search.setText("primary")
    app.processEvents()
    window.grab().save(str(args.out / "main-window-filtered.png"))
    tab.search.clear()

    dialog = SchoolDialog(services, tab.selected_id(), window)
    dialog.show()
    for page in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(page)
        app.processEvents()
        dialog.grab().save(str(args.out / f"school-dialog-{page + 1}.png"))
    dialog.tabs.setCurrentIndex(1)
    dialog.inputs["postcode"].setText("E3 XYZ")  # type: ignore[attr-defined]
    dialog.save()
    app.processEvents()
    dialog.grab().save(str(args.out / "school-dialog-error.png"))
    dialog.done(0)

    if args.readme:
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(args.out / "main-window.png", ROOT / "docs" / "schools-tab.png")
    del shots
    window.close()
    print(f"screenshots written to {args.out}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

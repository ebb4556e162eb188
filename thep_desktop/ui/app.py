"""Starting the desktop program: the Qt application, the first database, the main window."""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from importlib import resources
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from thep_desktop import config
from thep_desktop.database import DatabaseError, sqlite_url
from thep_desktop.services.registry import Services, open_services
from thep_desktop.ui.settings.database_chooser import choose_database
from thep_desktop.ui.shared.database_messages import refusal_text

READY_MARKER = "THEP-READY"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="thep-desktop", description="THE Partnership Office, the desktop program."
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="the database to open: a SQLite file path or a postgresql:// address "
        "(default: the one used last, else the local database)",
    )
    parser.add_argument(
        "--quit-when-ready",
        action="store_true",
        help="start, fill the window, print how long that took, and exit (a start-up check, "
        "used by the benchmarks)",
    )
    return parser.parse_args(argv)


def _show_unexpected(kind: type[BaseException], value: BaseException, tb: TracebackType | None):  # type: ignore[no-untyped-def]
    """Never vanish silently: show an unexpected error, and keep the program running."""
    text = "".join(traceback.format_exception(kind, value, tb))
    sys.stderr.write(text)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Something went wrong",
        "The program met a problem it did not expect. What you were doing may not have been "
        "saved. Please tell whoever supports this program, with the details below.",
    )
    box.setDetailedText(text)
    box.exec()


def creates_on_first_start(url: str) -> bool:
    """Only the local default database is made by opening it (the very first start)."""
    return url == sqlite_url(config.default_database_path())


def open_first_database(url: str) -> Services | None:
    """Open ``url``; if that fails, say why and let the person choose another database.

    Whatever was wrong with the address or the file, a box says so in words and the
    database chooser follows (a file, a new file, a server, the local database, or quit):
    the program never ends without a window or a word.
    """
    create = creates_on_first_start(url)
    while True:
        try:
            services, _note = open_services(url, create=create)
        except DatabaseError as exc:
            chosen = choose_database(None, refusal_text(exc), url)
            if chosen is None:
                return None
            url, create = chosen
            create = create or creates_on_first_start(url)
            continue
        # The address as opened (a relative path made absolute), never the password.
        config.remember_database_url(services.db.address)
        return services


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(config.APP_NAME)
    app.setOrganizationName(config.APP_AUTHOR)
    app.setWindowIcon(QIcon(str(resources.files("thep_desktop") / "resources" / "app-icon.svg")))
    # --db as typed: open_first_database reads it, and says what is wrong with it in a box.
    url = args.db or config.resolve_database_url(None)
    try:
        services = open_first_database(url)
    except Exception as exc:  # noqa: BLE001 - before the window too: never end without a word
        _show_unexpected(type(exc), exc, exc.__traceback__)
        return 1
    if services is None:
        return 1
    from thep_desktop.ui.main_window import MainWindow

    window = MainWindow(services)
    window.daily_backups = True  # a local database is backed up once a day as it opens
    window.show()
    window.load()
    if args.quit_when_ready:
        app.processEvents()
        # Every school read into the table (closed ones are there, a filter click away).
        loaded = window.schools_tab.model.total_count()
        print(f"{READY_MARKER} {time.perf_counter() - started:.3f} s, {loaded} rows", flush=True)
        QTimer.singleShot(0, window.close)
    else:
        sys.excepthook = _show_unexpected
        QTimer.singleShot(0, window.offer_demo)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

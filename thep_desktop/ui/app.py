"""Starting the desktop program: the Qt application, the first database, the main window."""

from __future__ import annotations

import argparse
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from thep_desktop import config
from thep_desktop.connections import ServerLogin
from thep_desktop.crash_log import start_log
from thep_desktop.database import DatabaseError, sqlite_file_of, sqlite_url
from thep_desktop.installation import (
    ICON,
    DamagedInstallation,
    check_installation,
    missing_modules,
    resource,
)
from thep_desktop.services.registry import Services, open_services
from thep_desktop.ui.settings.database_chooser import choose_database
from thep_desktop.ui.settings.server_login import open_database
from thep_desktop.ui.shared.crash_dialog import CrashReporter
from thep_desktop.ui.shared.database_messages import refusal_text
from thep_desktop.ui.shared.single_window import hand_over

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
    parser.add_argument(
        "--check-install",
        action="store_true",
        help="check that every part of the program is installed (its files, and every module "
        "it loads), say what is missing, and exit",
    )
    return parser.parse_args(argv)


def check_install() -> int:
    """``--check-install``: the install's files and modules, said in one line, 0 when whole."""
    try:
        check_installation()
        count, failed = missing_modules()
    except DamagedInstallation as exc:
        failed, count = [exc.message], 0
    if failed:
        text = "The program's installation is incomplete:\n" + "\n".join(failed)
    else:
        text = f"THEP-INSTALL-OK: all the program's files and its {count} modules are there."
    if sys.stdout is None:  # the windowed program on Windows: say it in a box instead
        QApplication.instance() or QApplication(sys.argv[:1])
        QMessageBox.information(None, config.APP_NAME, text)
    else:
        print(text, file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def creates_on_first_start(url: str) -> bool:
    """Only the local default database is made by opening it (the very first start)."""
    return url == sqlite_url(config.default_database_path())


def open_first_database(url: str) -> Services | None:
    """Open ``url``; if that fails, say why and let the person choose another database.

    Whatever was wrong with the address or the file, a box says so in words and the
    database chooser follows (a file, a new file, a server, the local database, or quit):
    the program never ends without a window or a word. A server is opened with the password
    kept on this computer, without asking; else its password is asked for.
    """
    target: str | ServerLogin = url
    create = creates_on_first_start(url)
    while True:
        try:
            opened = _open(target, create)
        except DatabaseError as exc:
            shown = target.url if isinstance(target, ServerLogin) else target
            chosen = choose_database(None, refusal_text(exc), shown)
            if chosen is None:
                return None
            target, create = chosen
            create = create or (isinstance(target, str) and creates_on_first_start(target))
            continue
        if opened is None:  # the password was not given: choose again
            shown = target.url if isinstance(target, ServerLogin) else target
            chosen = choose_database(
                None, "No password was given for the server, so it was not opened.", shown
            )
            if chosen is None:
                return None
            target, create = chosen
            continue
        services = opened
        # The address as opened (a relative path made absolute), never the password.
        config.remember_database_url(services.db.address)
        return services


def _open(target: str | ServerLogin, create: bool) -> Services | None:
    """Open a file, or a server with a password that works (None: the person gave none).

    Who the person is, and their role, is found from the database itself (identity.py)."""
    opened = open_database(None, target, lambda url: open_services(url, create=create)[0])
    return None if opened is None else opened[0]


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = parse_args(argv)
    if args.check_install:
        return check_install()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(config.APP_NAME)
    app.setOrganizationName(config.APP_AUTHOR)
    # From here on nothing unexpected ends the program without a word: it is logged and said.
    reporter = CrashReporter(start_log())
    reporter.install()
    try:
        return _run(app, args, reporter, started)
    finally:
        reporter.uninstall()


def _run(
    app: QApplication, args: argparse.Namespace, reporter: CrashReporter, started: float
) -> int:
    try:
        # A damaged install (a font or a migration missing) is named before any database is
        # touched, with what to do about it.
        check_installation()
    except DamagedInstallation as exc:
        if sys.stderr is not None:
            print(exc.message, file=sys.stderr)
        QMessageBox.critical(None, config.APP_NAME, exc.message)
        return 1
    app.setWindowIcon(QIcon(str(resource(ICON))))
    # --db as typed: open_first_database reads it, and says what is wrong with it in a box.
    url = args.db or config.resolve_database_url(None)
    path = sqlite_file_of(url)
    if path is not None and not args.quit_when_ready and hand_over(path):
        # Started again on a database already open here: its window comes forward instead.
        print(f"{path} is already open in {config.APP_NAME}: its window was brought forward.")
        return 0
    try:
        services = open_first_database(url)
    except Exception as exc:  # noqa: BLE001 - before the window too: never end without a word
        reporter.report(type(exc), exc, exc.__traceback__)
        return 1
    if services is None:
        return 1
    from thep_desktop.ui.main_window import MainWindow

    window = MainWindow(services)
    reporter.describe_database = lambda: str(window.services.db.describe())
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
        QTimer.singleShot(0, window.offer_demo)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

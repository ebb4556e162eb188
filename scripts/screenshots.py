"""Screenshots of the program on demo data, for looking at it as a user would.

    python scripts/screenshots.py [--out screenshots] [--readme]

Writes PNGs of the main window (at 1366x768, the usual office laptop, and at 1920x1080), the
school dialog's pages, the letter templates window and the mail merge window (with the
letters it made, and a school's record listing them) to ``--out`` (default
``screenshots/``, which git ignores); ``--readme`` also refreshes ``docs/schools-tab.png``
(the README's, at 1366x768), ``docs/schools-tab-1366x768.png`` and
``docs/schools-tab-1920x1080.png``. The demo database is opened as
``partnership-office.sqlite3`` in a temporary folder made the current one, so the status bar
names no temporary path.
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

    from thep_desktop.services.demo.demo_service import DemoService
    from thep_desktop.services.registry import open_services
    from thep_desktop.services.shared.actor import Actor, Role
    from thep_desktop.ui.letters.mail_merge_dialog import MailMergeDialog
    from thep_desktop.ui.letters.templates_dialog import TemplatesDialog
    from thep_desktop.ui.main_window import MainWindow
    from thep_desktop.ui.schools.school_dialog import SchoolDialog
    from thep_desktop.ui.shared.pdf_window import show_pdf

    app = QApplication.instance() or QApplication(sys.argv[:1])
    args.out = args.out.resolve()
    os.chdir(work)  # a relative address: the status bar shows just the file's name
    services, _ = open_services(
        "sqlite:///partnership-office.sqlite3", Actor("office", Role.ADMIN), create=True
    )
    DemoService(services.db).load(services.actor)
    args.out.mkdir(parents=True, exist_ok=True)

    window = MainWindow(services)
    window.show()
    window.load()
    tab = window.schools_tab
    # A school causing concern, so the red name and its key are both in the picture.
    shown = [tab.proxy.row_at(r) for r in range(tab.proxy.rowCount())]
    concern = next(r for r in shown if r.causing_concern)
    tab.select_ids([concern.id])
    sizes = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}
    for size, (width, height) in sizes.items():
        window.resize(width, height)
        settle(app, 0.3)
        window.grab().save(str(args.out / f"main-window-{size}.png"))
    window.resize(*sizes["1366x768"])
    settle(app, 0.3)
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

    # Letters: the templates window, one with a mistake in it, and a mail merge.
    templates = TemplatesDialog(services, window)
    templates.show()
    templates.select_template("Notice of general meeting")
    wait_for(app, lambda: templates.preview_pages > 0)
    settle(app)  # the PDF view draws its pages on a thread of its own
    templates.grab().save(str(args.out / "letter-templates.png"))
    subject = templates.inputs["subject"]
    subject.setText(subject.text().replace("{meeting.name}", "{meeting.nmae}"))  # type: ignore[union-attr]
    # The preview follows a pause in typing: wait for it to keep the last good letter and name
    # the mistake beside it, then try to save, as a person would.
    templates.refresh_preview()  # what the pause in typing does (setText is not typing)
    wait_for(app, lambda: "meeting.nmae" in templates.preview_pane.note.text())
    templates.save()
    settle(app)  # the message bar moves the preview, which draws its page again on its thread
    templates.grab().save(str(args.out / "letter-templates-error.png"))
    templates.done(0)

    tab.select_ids(tab.shown_ids()[3:7])
    merge = MailMergeDialog(services, tab.selected_ids(), tab.shown_ids(), window)
    merge.show()
    merge.template_combo.setCurrentIndex(
        merge.template_combo.findText("Peer-review visit confirmation")
    )
    merge.contact_role.setCurrentText("School business manager")
    for name, value in (
        ("visit.date", "Tuesday 9 February 2027"),
        ("visit.focus", "Reading in Key Stage 2"),
        ("visit.team", "Ms A Khan (lead), Mr B Osei"),
    ):
        merge.mailing_inputs[name].setText(value)
    merge.combined_path.setText(str(work / "Peer review visits.pdf"))
    merge.check_recipients()
    app.processEvents()
    merge.grab().save(str(args.out / "mail-merge.png"))
    merge.inform = lambda *_args: None
    letters: list = []
    merge.show_pdf = lambda _parent, data, title, name: letters.append(
        show_pdf(None, data, title, name)
    )
    merge.produce()
    wait_for(app, lambda: bool(letters))
    wait_for(app, lambda: letters[0].page_count > 0)
    letters[0].grab().save(str(args.out / "mail-merge-letters.png"))
    letters[0].close()
    tab.select_ids(tab.shown_ids()[3:4])
    app.processEvents()
    window.grab().save(str(args.out / "school-letters-sent.png"))

    if args.readme:
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(args.out / "main-window.png", ROOT / "docs" / "schools-tab.png")
        for size in sizes:
            shutil.copyfile(
                args.out / f"main-window-{size}.png", ROOT / "docs" / f"schools-tab-{size}.png"
            )
    del shots
    window.close()
    print(f"screenshots written to {args.out}")
    os.chdir(ROOT)
    shutil.rmtree(work, ignore_errors=True)
    return 0


def settle(app, seconds: float = 1.0) -> None:  # type: ignore[no-untyped-def]
    """Let Qt run for a moment (for work it does on threads of its own)."""
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def wait_for(app, condition, seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Let Qt run until ``condition()`` holds (a preview drawn, a background job done)."""
    import time

    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out waiting for the window to be ready")
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


if __name__ == "__main__":
    sys.exit(main())

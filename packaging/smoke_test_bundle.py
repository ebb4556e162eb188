"""Smoke-test the packaged program (the folder packaging/thep.spec builds), not the source tree.

    python packaging/smoke_test_bundle.py dist/thep-office

Runs the bundled thep-admin (init, demo, schools list --json, letters render, export schools,
the peer reviews' and governance's commands, the dashboard, the annual report and a school's
profile) and the bundled thep-desktop (offscreen: up for
5 s with no traceback, and a start that fills its window), in a folder of its own with the
source tree out of reach; with
``THEP_TEST_DATABASE_URL`` set, thep-admin also makes and reads a database on that PostgreSQL
server (psycopg's binary driver). Then it damages the install for a moment (a font, then a
migration, set aside and put back) and expects both named. Prints each step and the folder's
size; exits 1 on the first failure, naming it. qpdf and pdffonts check the letters' PDF.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

LIMIT_MB = 200
UP_SECONDS = 5
SIGNS_OF_TROUBLE = ("Traceback", "ModuleNotFoundError", "ImportError", "No module named")


class SmokeFailure(Exception):
    pass


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def program(folder: Path, name: str) -> Path:
    path = folder / (f"{name}.exe" if sys.platform == "win32" else name)
    if not path.is_file():
        raise SmokeFailure(f"{path} is not in the bundle")
    return path


def environment(home: Path) -> dict[str, str]:
    """Only what a user's computer would have: no PYTHONPATH, no virtual environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "VIRTUAL_ENV", "THEP_"))
    }
    (home / "tmp").mkdir(exist_ok=True)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        # What the programs leave in the temporary folder (a window's local socket, when it
        # is ended) goes with the test's own folder.
        TMPDIR=str(home / "tmp"),
        THEP_DATA_DIR=str(home / "data"),
        THEP_CONFIG_DIR=str(home / "config"),
        THEP_LOG_DIR=str(home / "logs"),
    )
    return env


def run(cmd: list[str], home: Path, *, expect: int = 0, timeout: int = 300) -> str:
    shown = " ".join(Path(cmd[0]).name if i == 0 else c for i, c in enumerate(cmd))
    shown = re.sub(r"(://[^:/@\s]+):[^@\s]+@", r"\1:***@", shown)  # no password in the log
    started = time.perf_counter()
    done = subprocess.run(
        cmd, cwd=home, env=environment(home), capture_output=True, text=True, timeout=timeout
    )
    took = time.perf_counter() - started
    trouble = [sign for sign in SIGNS_OF_TROUBLE if sign in done.stderr + done.stdout]
    if done.returncode != expect or trouble:
        raise SmokeFailure(
            f"{shown}: exit {done.returncode} (expected {expect})"
            + (f", {', '.join(trouble)} in its output" if trouble else "")
            + f"\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
        )
    print(f"ok   {shown}  ({took:.1f} s)", flush=True)
    return done.stdout + done.stderr


def check_admin(folder: Path, home: Path) -> Path:
    admin = str(program(folder, "thep-admin"))
    db = home / "office.sqlite3"
    run([admin, "--db", str(db), "init"], home)
    run([admin, "--db", str(db), "demo"], home)
    listed = json.loads(run([admin, "--db", str(db), "schools", "list", "--json"], home))
    if listed["count"] < 80 or len(listed["schools"]) != listed["count"]:
        raise SmokeFailure(f"schools list --json gave {listed['count']} schools, not the demo's")
    pdf = home / "agm.pdf"
    run(
        [
            admin,
            "--db",
            str(db),
            "letters",
            "render",
            "general_meeting",
            "--to",
            "all-open-schools",
            "--out",
            str(pdf),
            "--set",
            "meeting.name=Annual General Meeting",
            "--set",
            "meeting.date=Thursday 14 January 2027",
            "--set",
            "meeting.time=4.00 pm",
            "--set",
            "meeting.place=the Professional Development Centre",
            "--set",
            "meeting.business=to receive the accounts and to appoint directors",
        ],
        home,
    )
    check_pdf(pdf)
    xlsx = home / "register.xlsx"
    run([admin, "--db", str(db), "export", "schools", str(xlsx)], home)
    check_workbook(xlsx, listed["count"])
    check_peer_reviews(admin, db, home)
    check_governance(admin, db, home)
    check_knowing_schools(admin, db, home, listed["schools"][0]["urn"])
    return db


def check_knowing_schools(admin: str, db: Path, home: Path, urn: int) -> None:
    """The dashboard's figures, and the annual report (its charts drawn by reportlab, its
    appendix by openpyxl) and a school's profile as PDFs, as the bundle makes them."""
    figures = json.loads(run([admin, "--db", str(db), "dashboard", "--json"], home))
    members = figures["membership"]["full_members"] + figures["membership"]["associate_members"]
    if not members or not figures["inspection"]["by_outcome"]["member_schools"]:
        raise SmokeFailure(f"the dashboard shows no members or inspections: {figures}")
    report, appendix = home / "annual-report.pdf", home / "annual-report.xlsx"
    year = _this_year()
    command = [admin, "--db", str(db), "report", "annual", "--year", year, "--out", str(report)]
    run([*command, "--appendix", str(appendix), "--json"], home)
    check_pdf(report)
    if not appendix.is_file() or appendix.stat().st_size == 0:
        raise SmokeFailure(f"report annual wrote no appendix at {appendix}")
    profile = home / "profile.pdf"
    run([admin, "--db", str(db), "schools", "profile", str(urn), "--out", str(profile)], home)
    check_pdf(profile)


def check_governance(admin: str, db: Path, home: Path) -> None:
    """The demo's meetings, and the minutes of its latest signed Board meeting as a PDF."""
    listed = json.loads(run([admin, "--db", str(db), "governance", "meetings", "--json"], home))
    signed = [m for m in listed["meetings"] if m["minutes_status"] == "signed"]
    if not signed:
        raise SmokeFailure(f"the demo has no signed minutes: {listed['count']} meetings")
    pdf = home / "minutes.pdf"
    run(
        [
            admin,
            "--db",
            str(db),
            "governance",
            "render",
            "minutes",
            str(signed[0]["id"]),
            "--out",
            str(pdf),
        ],
        home,
    )
    check_pdf(pdf)


def check_peer_reviews(admin: str, db: Path, home: Path) -> None:
    """The scheduler's calendar with England's bank holidays (the holidays package loads its
    countries by name) and the calendar files (icalendar), as the bundle runs them."""
    year = _this_year()
    terms = json.loads(
        run([admin, "--db", str(db), "reviews", "terms", "--year", "2030/31", "--json"], home)
    )
    if not any(h["date"].endswith("-12-25") for h in terms["bank_holidays"]):
        raise SmokeFailure(f"reviews terms gave no Christmas Day among the bank holidays: {terms}")
    listed = json.loads(
        run([admin, "--db", str(db), "reviews", "list", "--year", year, "--json"], home)
    )
    if not listed["count"]:
        raise SmokeFailure(f"the demo has no peer reviews in {year}")
    folder = home / "calendars"
    folder.mkdir()
    command = [admin, "--db", str(db), "reviews", "export-ics", "--year", year]
    written = json.loads(run([*command, "--out", str(folder), "--json"], home))
    files = sorted(folder.glob("*.ics"))
    if not files or len(files) != len(written["files"]):
        raise SmokeFailure(f"reviews export-ics wrote {len(files)} calendar files: {written}")
    if "BEGIN:VEVENT" not in files[0].read_text(encoding="utf-8"):
        raise SmokeFailure(f"{files[0].name} holds no event")


def _this_year() -> str:
    """The academic year of today (the demo's "this year"), written 2026/27."""
    today = date.today()
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def check_pdf(pdf: Path) -> None:
    qpdf = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    if qpdf.returncode != 0:
        raise SmokeFailure(f"qpdf refuses {pdf.name}: {qpdf.stdout[-2000:]}{qpdf.stderr}")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in fonts.stdout.splitlines()[2:] if line.strip()]
    if not rows:
        raise SmokeFailure(f"{pdf.name} has no fonts")
    for row in rows:
        # name type encoding emb sub uni object ID: "emb" is the 4th field from the end.
        if row[-5] != "yes":
            raise SmokeFailure(f"a font is not embedded in {pdf.name}: {' '.join(row)}")
    if not any("Carlito" in row[0] for row in rows):
        raise SmokeFailure(f"{pdf.name} does not use the program's Carlito fonts")
    print(f"ok   {pdf.name}: qpdf --check passes, {len(rows)} fonts, all embedded", flush=True)


def check_workbook(xlsx: Path, schools: int) -> None:
    from openpyxl import load_workbook

    book = load_workbook(xlsx, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    # The title row and the header, then one row per school.
    if len(rows) < schools + 2:
        raise SmokeFailure(f"{xlsx.name} holds {len(rows)} rows for {schools} schools")
    print(f"ok   {xlsx.name}: {len(rows) - 2} schools", flush=True)


def check_desktop(folder: Path, home: Path, db: Path) -> None:
    desktop = str(program(folder, "thep-desktop"))
    # Every module of the program, including those only a window or a command far from the
    # start loads (the PDF viewer, printing, imports): one the spec forgot fails here.
    checked = run([desktop, "--check-install"], home, timeout=120)
    if "THEP-INSTALL-OK" not in checked:
        raise SmokeFailure(f"thep-desktop --check-install said:\n{checked}")
    out = run([desktop, "--db", str(db), "--quit-when-ready"], home, timeout=120)
    if "THEP-READY" not in out:
        raise SmokeFailure(f"thep-desktop --quit-when-ready did not fill its window:\n{out}")
    process = subprocess.Popen(
        [desktop, "--db", str(db)],
        cwd=home,
        env=environment(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(UP_SECONDS)
        ended = process.poll()
    finally:
        if process.poll() is None:
            process.terminate()
        stdout, stderr = process.communicate(timeout=30)
    if ended is not None:
        raise SmokeFailure(f"thep-desktop ended within {UP_SECONDS} s (exit {ended}):\n{stderr}")
    trouble = [sign for sign in SIGNS_OF_TROUBLE if sign in stdout + stderr]
    log = home / "logs" / "thep-desktop.log"
    logged = log.read_text("utf-8") if log.exists() else ""
    if trouble or "Traceback" in logged:
        raise SmokeFailure(f"thep-desktop wrote {trouble or 'a traceback'}:\n{stderr}\n{logged}")
    print(f"ok   thep-desktop stayed up {UP_SECONDS} s offscreen, no traceback", flush=True)


def check_server(folder: Path, home: Path) -> None:
    """psycopg's binary driver in the bundle: a new database on the test server, made and read."""
    server = os.environ.get("THEP_TEST_DATABASE_URL")
    if not server:
        print("skip the PostgreSQL server (THEP_TEST_DATABASE_URL is not set)", flush=True)
        return
    import psycopg  # the CI Python's own, only to make and drop the database

    name = f"thep_bundle_smoke_{os.getpid()}"
    base, _, _ = server.rpartition("/")
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        admin = str(program(folder, "thep-admin"))
        url = f"{base}/{name}"
        run([admin, "--db", url, "init"], home)
        run([admin, "--db", url, "demo"], home)
        listed = json.loads(run([admin, "--db", url, "schools", "list", "--json"], home))
        if listed["count"] < 80:
            raise SmokeFailure(f"the server's register holds {listed['count']} schools")
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def check_damaged_install(folder: Path, home: Path, db: Path) -> None:
    """A font or a migration missing: a message naming it and what to do, nothing changed."""
    admin = str(program(folder, "thep-admin"))
    internal = folder / "_internal" if (folder / "_internal").is_dir() else folder
    before = db.read_bytes()
    for missing in (
        internal / "thep_desktop" / "resources" / "fonts" / "Carlito-Bold.ttf",
        internal / "thep_desktop" / "migrations" / "versions" / "0002_letters.py",
    ):
        if not missing.is_file():
            raise SmokeFailure(f"{missing} is not in the bundle")
        aside = missing.with_name(missing.name + ".aside")
        missing.rename(aside)
        try:
            said = run([admin, "--db", str(db), "schools", "list"], home, expect=1)
        finally:
            aside.rename(missing)
        if "install THE Partnership Office again" not in said or missing.stem not in said:
            raise SmokeFailure(f"without {missing.name} thep-admin said: {said}")
        if db.read_bytes() != before:
            raise SmokeFailure(f"without {missing.name} the database was changed")
    print("ok   a missing font or migration is named, with what to do; database unchanged")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[0]).resolve()
    if not folder.is_dir():
        print(f"smoke test: there is no bundle at {folder}", file=sys.stderr)
        return 1
    size_mb = folder_size(folder) / 1e6
    print(f"bundle: {folder}, {size_mb:.1f} MB (limit {LIMIT_MB} MB)", flush=True)
    home = Path(tempfile.mkdtemp(prefix="thep-bundle-smoke-"))
    try:
        if size_mb > LIMIT_MB:
            raise SmokeFailure(f"the bundle is {size_mb:.1f} MB, over {LIMIT_MB} MB")
        db = check_admin(folder, home)
        check_desktop(folder, home, db)
        check_server(folder, home)
        check_damaged_install(folder, home, db)
    except (SmokeFailure, subprocess.SubprocessError, OSError, ValueError) as exc:
        print(f"FAIL {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print("bundle smoke test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""``thep-admin``: commands, output for people and for scripts, errors and exit codes."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from pg_databases import described

from thep_desktop import config
from thep_desktop.cli import commands
from thep_desktop.cli.admin import main
from thep_desktop.cli.schools.schools_commands import CONTACT_KEYS, SCHOOL_KEYS
from thep_desktop.cli.shared.output import json_value, parse_date
from thep_desktop.database import Database, head_revision
from thep_desktop.domain.census import spring_census
from thep_desktop.domain.dates import format_date
from thep_desktop.models import SchoolStatus
from thep_desktop.services.demo.demo_borough import CENSUS_DAY
from thep_desktop.services.demo.demo_members import FOUNDING_CENSUS
from thep_desktop.services.demo.demo_service import DEMO_STEPS, DemoService
from thep_desktop.services.demo.demo_steps import DemoStep
from thep_desktop.services.registry import open_services
from thep_desktop.services.schools.schools_service import SCHOOL_LABELS, SchoolsService
from thep_desktop.services.shared.actor import Actor

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_KEYS = ("open_date", "close_date", "pupils_census_date", "ofsted_date")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_file(demo_db: str) -> str:
    """A database with the demo borough (a file, and a server database), for reading only."""
    return demo_db


@pytest.fixture
def demo_details(demo_file: str) -> dict[int, object]:
    services, _note = open_services(demo_file, Actor("office"))
    try:
        return {d.urn: d for d in services.schools.list_school_details(services.actor)}
    finally:
        services.close()


def school_count(path: str) -> int:
    db = Database(path)
    try:
        return SchoolsService(db).count(Actor("test"))
    finally:
        db.dispose()


def school_count_or_none(address: str) -> int | None:
    """The schools in the register, or None where no database has been made."""
    db = Database(address)
    try:
        return None if db.recognise().state != "ours" else SchoolsService(db).count(Actor("t"))
    finally:
        db.dispose()


# -- init, migrate, demo --------------------------------------------------------------------------
def test_init_creates_a_database_then_finds_it_up_to_date(capsys, tmp_path: Path) -> None:
    path = tmp_path / "new" / "office.sqlite3"
    code, out, err = run(capsys, "--db", str(path), "init")
    assert (code, err) == (0, "")
    assert f"Database: Local file: {path}" in out
    assert "A new, empty database was created." in out
    assert "The register has no schools yet." in out
    assert path.exists()
    code, out, _ = run(capsys, "--db", str(path), "init")
    assert code == 0
    assert "The database was already up to date; nothing was changed." in out


def test_init_creates_the_tables_in_an_empty_server_database(capsys, new_pg_database) -> None:  # type: ignore[no-untyped-def]
    address = new_pg_database.create()
    code, out, err = run(capsys, "--db", address, "init")
    assert (code, err) == (0, "")
    assert f"Database: {described(address)}" in out and "Server: " in out
    assert "A new, empty database was created." in out
    assert "The register has no schools yet." in out
    db = Database(address)
    assert db.current_revision() == head_revision()
    db.dispose()
    code, out, _ = run(capsys, "--db", address, "init")
    assert code == 0
    assert "The database was already up to date; nothing was changed." in out


def test_migrate_needs_an_existing_database(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite3"
    code, out, err = run(capsys, "--db", str(missing), "migrate")
    assert (code, out) == (1, "")
    assert err == (
        f"thep-admin: There is no database file at {missing}; create one with: "
        f"thep-admin --db {missing} init\n"
    )
    assert not missing.exists()
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    code, _out, err = run(capsys, "--db", str(empty), "migrate")
    assert code == 1 and f"{empty} is empty or damaged" in err and "restore it from" in err
    assert empty.stat().st_size == 0  # no tables were made behind the user's back
    assert sorted(tmp_path.iterdir()) == [empty]


def test_migrate_needs_a_server_database_with_tables(capsys, new_pg_database) -> None:  # type: ignore[no-untyped-def]
    address = new_pg_database.create()
    code, out, err = run(capsys, "--db", address, "migrate")
    assert (code, out) == (1, "")
    shown = address.replace(":thep_ci_pw@", ":***@")
    assert err == (
        f"thep-admin: The database ({described(address)}) has no tables yet; create them "
        f"with: thep-admin --db {shown} init\n"
    )
    assert "thep_ci_pw" not in err
    db = Database(address)
    assert db.is_empty()  # nothing was made
    db.dispose()


def test_migrate_an_up_to_date_database(capsys, new_db: str) -> None:
    path = new_db
    assert run(capsys, "--db", path, "init")[0] == 0
    code, out, err = run(capsys, "--db", path, "migrate")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "The database was already up to date; nothing was changed."


def test_demo_loads_once(capsys, new_db: str) -> None:
    path = new_db
    code, out, err = run(capsys, "--db", path, "demo")  # only init creates a database
    assert (code, out) == (1, "") and err.endswith(" init\n") and "with: thep-admin --db " in err
    assert school_count_or_none(path) is None  # nothing was made
    assert run(capsys, "--db", path, "init")[0] == 0
    code, out, err = run(capsys, "--db", path, "demo")
    assert code == 0
    match = re.fullmatch(
        r"Demo data loaded: (\d+) schools, (\d+) contacts, 6 link officers, "
        r"\d+ Ofsted inspections and \d+ notes on schools\.\n"
        r"Members: (\d+) full members and 3 associates \(1 under notice\), 1 application "
        r"waiting; fee schedules for 2016/17, \d{4}/\d\d and \d{4}/\d\d\.\n"
        r"Peer reviews: 12 clusters; \d{4}/\d\d: (\d+) reviews \(.*\); \d{4}/\d\d: (\d+) reviews "
        r"\(\5 quality assured\)\.\n"
        r"Governance: 3 bodies; \d+ meetings \(\d+ draft, \d+ circulated, \d+ signed\); "
        r"\d+ actions \(\d+ open, \d+ overdue\)\.\n",
        out,
    )
    assert match and 85 <= int(match[1]) <= 95
    assert f"Loading demo data ({described(path)})" in err
    assert "Traceback" not in err

    code, out, err = run(capsys, "--db", path, "demo")
    assert (code, out) == (1, "")
    assert err.endswith(
        f"thep-admin: The register already has {match[1]} schools; demo data only goes into "
        "an empty database.\n"
    )
    assert school_count(path) == int(match[1])


def test_ctrl_c_during_demo_exits_130_and_adds_nothing(capsys, new_db: str, monkeypatch) -> None:
    def interrupt(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(
        commands,
        "DemoService",
        lambda db: DemoService(db, steps=(*DEMO_STEPS, DemoStep("interrupt", 1, interrupt))),
    )
    path = new_db
    assert run(capsys, "--db", path, "init")[0] == 0
    code, out, err = run(capsys, "--db", path, "demo")
    assert (code, out) == (130, "")
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert school_count(path) == 0  # the whole load was rolled back


# -- schools list ---------------------------------------------------------------------------------
def test_list_is_an_aligned_table(capsys, demo_file: str, demo_details) -> None:
    code, out, err = run(capsys, "--db", demo_file, "schools", "list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    header = lines[0]
    assert header.split() == ["URN", "DfE", "number", "Name", "Phase", "Status", "Pupils"]
    assert set(lines[1]) == {"-", " "}
    rows = lines[2:-2]
    assert len(rows) == len(demo_details)
    assert lines[-2:] == ["", f"{len(demo_details)} schools"]
    dfe, name, pupils_end = header.index("DfE"), header.index("Name"), len(header)
    for row in rows:
        urn = int(row[:6])
        school = demo_details[urn]
        assert row[dfe : dfe + 8] == school.laestab
        assert row[name:].startswith(school.name + "  ")
        if school.pupils_on_roll is not None:
            assert row[:pupils_end].endswith(f"{school.pupils_on_roll:,}")
    secondary = next(s for s in demo_details.values() if (s.pupils_on_roll or 0) >= 1000)
    assert f"{secondary.pupils_on_roll:,}" in out  # thousands separated: 1,234


def test_list_json(capsys, demo_file: str, demo_details) -> None:
    code, out, err = run(capsys, "--db", demo_file, "schools", "list", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == ["schools", "count"]
    assert data["count"] == len(data["schools"]) == len(demo_details)
    for item in data["schools"]:
        assert tuple(item) == SCHOOL_KEYS  # the same keys, in the same order, every time
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", key) for key in item)
        for key in DATE_KEYS:
            assert item[key] is None or ISO_DATE.match(item[key]), (key, item[key])
        school = demo_details[item["urn"]]
        assert isinstance(item["urn"], int)
        assert item["pupils_on_roll"] == school.pupils_on_roll
        assert item["status"] == school.status.value
        assert item["dfe_number"] == school.laestab
        assert item["trust"] == (school.trust or None)  # missing is null, never ""
        assert item["link_officer"] == (school.link_officer_name or None)
        assert isinstance(item["causing_concern"], bool)
    census = {item["pupils_census_date"] for item in data["schools"] if item["status"] == "open"}
    assert census == {"2026-01-15"}


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (["--status", "closed"], lambda s: s.status is SchoolStatus.CLOSED),
        (["--status", "proposed"], lambda s: s.status is SchoolStatus.PROPOSED),
        (["--status", "open"], lambda s: s.status is SchoolStatus.OPEN),
        (["--phase", "nursery"], lambda s: s.phase == "Nursery"),
        (["--phase", "16 Plus"], lambda s: s.phase == "16 plus"),
        (
            ["--search", "catholic PRIMARY"],
            lambda s: "catholic" in s.name.lower() and "primary" in s.name.lower(),
        ),
        (
            ["--phase", "Primary", "--status", "closed"],
            lambda s: s.phase == "Primary" and s.status is SchoolStatus.CLOSED,
        ),
    ],
)
def test_list_filters(capsys, demo_file: str, demo_details, args, check) -> None:
    expected = sorted(urn for urn, s in demo_details.items() if check(s))
    assert expected  # the demo has some of each
    code, out, _ = run(capsys, "--db", demo_file, "schools", "list", "--json", *args)
    data = json.loads(out)
    assert code == 0
    assert sorted(item["urn"] for item in data["schools"]) == expected
    assert data["count"] == len(expected)
    code, out, _ = run(capsys, "--db", demo_file, "schools", "list", *args)
    assert sorted(int(line[:6]) for line in out.splitlines()[2:-2]) == expected
    assert out.splitlines()[-1] == f"{len(expected)} of {len(demo_details)} schools"


def test_search_by_urn_and_postcode(capsys, demo_file: str, demo_details) -> None:
    school = next(iter(demo_details.values()))
    for words in (str(school.urn), school.postcode.replace(" ", "").lower()):
        _code, out, _ = run(
            capsys, "--db", demo_file, "schools", "list", "--json", "--search", words
        )
        assert school.urn in [item["urn"] for item in json.loads(out)["schools"]]


def test_list_says_when_nothing_matches(capsys, demo_file: str) -> None:
    code, out, _ = run(capsys, "--db", demo_file, "schools", "list", "--search", "zzzz")
    assert code == 0 and out.startswith("No schools match (the register has ")
    code, out, _ = run(capsys, "--db", demo_file, "schools", "list", "--json", "--search", "zzzz")
    assert json.loads(out) == {"schools": [], "count": 0}


def test_an_unknown_phase_is_a_mistake(capsys, demo_file: str, demo_details) -> None:
    code, out, err = run(capsys, "--db", demo_file, "schools", "list", "--phase", "primery")
    assert (code, out) == (1, "")
    assert err.startswith("thep-admin: “primery” is not a phase; the phases are: ")
    assert "Primary" in err and err.count("\n") == 1
    assert school_count(demo_file) == len(demo_details)


def test_db_may_follow_the_command(capsys, demo_file: str) -> None:
    before = run(capsys, "--db", demo_file, "schools", "list")
    after = run(capsys, "schools", "list", "--db", demo_file)
    assert before == after and before[0] == 0


# -- schools show ---------------------------------------------------------------------------------
def test_show_text(capsys, demo_file: str, demo_details) -> None:
    school = next(s for s in demo_details.values() if s.ofsted_date and len(s.contacts) >= 3)
    code, out, err = run(capsys, "--db", demo_file, "schools", "show", str(school.urn))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == school.name
    for label in SCHOOL_LABELS.values():
        assert any(line.startswith(label + " ") or line == label for line in lines), label
    width = max(len(label) for label in SCHOOL_LABELS.values()) + 2  # values line up here
    fields = {
        line[:width].strip(): line[width:]
        for line in lines[2:]
        if line and line[:width].strip() in {*SCHOOL_LABELS.values(), "DfE number"}
    }
    assert len(fields) == len(SCHOOL_LABELS) + 1
    assert fields["URN"] == str(school.urn)
    assert fields["DfE number"] == school.laestab
    assert fields["Census date"] == format_date(CENSUS_DAY)
    # Every census figure kept, newest first, under its own heading.
    at = lines.index("Census figures")
    assert lines[at + 1] == "-" * len("Census figures")
    assert lines[at + 2].split() == ["Census", "date", "Pupils"]
    last_year = spring_census(CENSUS_DAY.year - 1)
    kept = [line.split() for line in lines[at + 4 : at + 6]]
    assert kept[0] == [format_date(CENSUS_DAY), f"{school.pupils_on_roll:,}"]
    assert kept[1][0] == format_date(last_year) and kept[1][1] != kept[0][1]
    # A founding member also has January 2017's figure (its 2016/17 fees), and no other.
    older = lines[at + 6 : lines.index("", at + 6)]
    assert [line.split()[0] for line in older] in ([], [format_date(FOUNDING_CENSUS)])
    assert fields["Ofsted inspection date"] == school.ofsted_date.strftime("%d/%m/%Y")
    assert fields["Status"] == "Open"
    assert fields["Link officer"] == school.link_officer_name
    assert fields["School causing concern"] in ("Yes", "No")
    contacts = lines[lines.index("Contacts") + 4 :]
    for contact in school.contacts:
        assert any(
            line.startswith(contact.role) and contact.full_name in line and contact.email in line
            for line in contacts
        )


def test_show_json(capsys, demo_file: str, demo_details) -> None:
    school = next(s for s in demo_details.values() if s.status is SchoolStatus.CLOSED)
    code, out, err = run(capsys, "--db", demo_file, "schools", "show", str(school.urn), "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert tuple(data) == (*SCHOOL_KEYS, "contacts", "census_figures")
    assert [tuple(f) for f in data["census_figures"]] == [("census_date", "pupils")] * 2
    closed_census = spring_census(school.close_date.year)  # the last before it closed
    assert [f["census_date"] for f in data["census_figures"]] == [
        closed_census.isoformat(),
        spring_census(closed_census.year - 1).isoformat(),
    ]
    assert data["census_figures"][0]["pupils"] == school.pupils_on_roll
    assert data["urn"] == school.urn and data["name"] == school.name
    assert data["status"] == "closed"
    assert data["close_date"] == school.close_date.isoformat()
    assert data["link_officer"] is None and data["contacts"] == []
    open_school = next(s for s in demo_details.values() if len(s.contacts) == 4)
    _code, out, _ = run(
        capsys, "--db", demo_file, "schools", "show", str(open_school.urn), "--json"
    )
    data = json.loads(out)
    assert [tuple(c) for c in data["contacts"]] == [CONTACT_KEYS] * 4
    assert [c["full_name"] for c in data["contacts"]] == [c.full_name for c in open_school.contacts]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00", data["updated_at"])


# -- errors ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("urn", "message"),
    [
        ("12ab", "thep-admin: “12ab” is not a URN: a URN is 6 digits, for example 100492\n"),
        ("999999", "thep-admin: There is no school with URN 999999 in the register.\n"),
    ],
)
def test_show_refuses_a_bad_or_unknown_urn(
    capsys, demo_file: str, demo_details, urn: str, message: str
) -> None:
    assert run(capsys, "--db", demo_file, "schools", "show", urn) == (1, "", message)
    assert school_count(demo_file) == len(demo_details)


def test_reading_a_missing_file_creates_nothing(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite3"
    code, out, err = run(capsys, "--db", str(missing), "schools", "list")
    assert (code, out) == (1, "")
    assert err == (
        f"thep-admin: There is no database file at {missing}; create one with: "
        f"thep-admin --db {missing} init\n"
    )
    assert not missing.exists()


def test_an_unreachable_server_is_one_line(capsys) -> None:
    code, out, err = run(
        capsys, "--db", "postgresql://nobody:secret@127.0.0.1:1/none", "schools", "list"
    )
    assert (code, out) == (1, "")
    assert err.startswith("thep-admin: Cannot open the database (Server: 127.0.0.1:1 / none)")
    assert err.count("\n") == 1
    assert "secret" not in err and "Traceback" not in err and "sqlalche.me" not in err


@pytest.mark.parametrize(
    "args",
    [[], ["schools"], ["schools", "list", "--status", "shut"], ["schools", "show"], ["frobnicate"]],
)
def test_usage_errors_exit_2(capsys, args: list[str]) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert "usage: thep-admin" in err and "Traceback" not in err


def test_help_exits_0(capsys) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("init", "migrate", "demo", "schools"):
        assert command in out


# -- where the database is ------------------------------------------------------------------------
def test_default_database_is_the_desktop_programs(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("THEP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "config"))
    code, out, _ = run(capsys, "init")
    assert code == 0
    assert f"Local file: {config.default_database_path()}" in out
    assert config.default_database_path().exists()
    # After the desktop program has opened another database, thep-admin uses that one too.
    other = tmp_path / "other.sqlite3"
    config.remember_database_url(f"sqlite:///{other}")
    code, out, _ = run(capsys, "init")
    assert f"Local file: {other}" in out


# -- dates and JSON values ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text", ["2026-01-15", "15/01/2026", " 15/1/2026 ", "15-01-2026", "15/1/26", "15-01-26"]
)
def test_parse_date_accepts_iso_and_uk_dates(text: str) -> None:
    assert parse_date(text) == date(2026, 1, 15)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02/2026", "is not a real date"),
        ("tomorrow", "write it as dd/mm/yyyy"),
        ("", "is not a date"),
    ],
)
def test_parse_date_refuses_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=reason):
        parse_date(text)


def test_json_values() -> None:
    assert json_value(Decimal("412.5")) == "412.50"
    assert json_value(Decimal("5")) == "5.00"
    assert json_value("") is None and json_value("  ") is None
    assert json_value(date(2026, 1, 15)) == "2026-01-15"
    assert json_value(SchoolStatus.PROPOSED) == "proposed_to_open"
    assert json_value({"a": [1, "", True]}) == {"a": [1, None, True]}
    with pytest.raises(TypeError):
        json_value(1.5)


# -- the installed program, and PostgreSQL --------------------------------------------------------
def test_the_console_script_runs(demo_file: str, demo_details) -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "thep-admin"]
    assert script.value == "thep_desktop.cli.admin:main"
    command = shutil.which("thep-admin")
    argv = [command] if command else [sys.executable, "-m", "thep_desktop.cli.admin"]
    result = subprocess.run(
        [*argv, "--db", demo_file, "schools", "list", "--json", "--status", "closed"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert (result.returncode, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    assert data["count"] == 3
    result = subprocess.run(
        [sys.executable, "-m", "thep_desktop.cli.admin", "--db", demo_file, "schools", "show", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_list_on_both_databases(capsys, db: Database, actor: Actor) -> None:
    summary = DemoService(db).load(actor)
    url = db.url.render_as_string(hide_password=False)
    code, out, err = run(capsys, "--db", url, "schools", "list", "--json", "--status", "all")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["count"] == summary.schools
    assert {item["created_by"] for item in data["schools"]} == {actor.name}
    code, out, _ = run(capsys, "--db", url, "schools", "list", "--phase", "secondary")
    assert code == 0 and out.splitlines()[-1].endswith(f"of {summary.schools} schools")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is how Ctrl+C arrives on POSIX")
def test_ctrl_c_cancels_the_demo_at_its_next_step(capsys, new_db: str, monkeypatch) -> None:
    """The signal only sets the cancel flag; the load stops at its next report, rolled back."""
    reports_after_signal: list[int] = []

    def press_ctrl_c(_session, _rng, _actor, progress) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # the handler runs here; the step carries on regardless
        reports_after_signal.append(1)
        progress.report(1, 1, "after Ctrl+C")

    monkeypatch.setattr(
        commands,
        "DemoService",
        lambda db: DemoService(db, steps=(*DEMO_STEPS, DemoStep("ctrl-c", 1, press_ctrl_c))),
    )
    path = new_db
    assert run(capsys, "--db", path, "init")[0] == 0
    code, out, err = run(capsys, "--db", path, "demo")
    assert (code, out) == (130, "")
    assert reports_after_signal == [1]  # no KeyboardInterrupt cut the step short
    assert "Traceback" not in err
    assert school_count(path) == 0
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # put back


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is how Ctrl+C arrives on POSIX")
def test_a_real_ctrl_c_exits_130_without_a_traceback(tmp_path: Path) -> None:
    path = str(tmp_path / "office.sqlite3")
    made = Database(path)
    made.upgrade(create=True)
    made.dispose()
    child = subprocess.Popen(
        [sys.executable, "-m", "thep_desktop.cli.admin", "--db", path, "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    seen = ""
    while not seen.startswith("Loading demo data"):  # the program is running, not starting
        seen = child.stderr.readline()
        assert seen, "the program ended before loading"
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    if child.returncode == 0:
        pytest.skip("the demo data finished loading before Ctrl+C arrived")
    assert child.returncode == 130, err
    assert out == "" and "Traceback" not in err
    assert school_count(path) == 0

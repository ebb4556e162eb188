"""``thep-admin offline checkout|status|sync``: a real PostgreSQL office, SQLite copies."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from offline_records import office_with_demo, rename_school, school_name
from pg_databases import PgDatabases
from server_backups import sums
from server_logins import ServerLogins
from sqlalchemy import func, select

from thep_desktop.cli.admin import main
from thep_desktop.connections import remember_password
from thep_desktop.database import Database, ServerAddress
from thep_desktop.domain.roles import Role
from thep_desktop.models import AuditEvent
from thep_desktop.services.invoices.catalogue_service import ServiceItemDetail, ServiceItemInput
from thep_desktop.services.offline.offline_rows import synced_tables
from thep_desktop.services.registry import Services, open_services

PASSWORD = "thep_ci_pw"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def address(office: Services) -> str:
    return office.db.url.render_as_string(hide_password=False)


def keep_password(office: Services) -> None:
    """The office server's password kept on this computer, as the program's login keeps it."""
    found = ServerAddress.from_url(address(office))
    assert found is not None
    password = office.db.url.password
    assert password
    remember_password(found.credential_key, password)


def checkout(capsys: pytest.CaptureFixture[str], office: Services, path: Path) -> dict:
    code, out, err = run(capsys, "--db", address(office), "offline", "checkout", "--out", str(path))
    assert code == 0, err
    code, out, err = run(capsys, "offline", "status", str(path), "--json")
    assert code == 0, err
    return json.loads(out)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line_error(err: str) -> str:
    """A refusal: one line on stderr, the program's name first, no traceback."""
    assert err.startswith("thep-admin: ") and err.endswith("\n"), err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def offline_events(office: Services) -> int:
    with office.db.read_session() as session:
        return session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "offline")
        )


def set_price(services: Services, code: str, price: str) -> None:
    item = next(i for i in services.catalogue.list_items(services.actor) if i.code == code)
    services.catalogue.save_item(
        services.actor,
        replace_item(item, price),
        item.id,
        item.version,
    )


def replace_item(item: ServiceItemDetail, price: str) -> ServiceItemInput:
    return ServiceItemInput(
        code=item.code,
        name=item.name,
        description=item.description,
        unit=item.unit,
        unit_price=Decimal(price),
        vat_code=item.vat_code,
        account_code=item.account_code,
        active=item.active,
    )


# -- checkout ------------------------------------------------------------------------------------
def test_checkout_writes_a_copy_and_says_what_it_holds(capsys, pg_db: Database, tmp_path: Path):
    office = office_with_demo(pg_db)
    path = tmp_path / "laptop.sqlite3"
    code, out, err = run(capsys, "--db", address(office), "offline", "checkout", "--out", str(path))
    assert code == 0, err
    assert "Taking an offline copy (Server: " in err
    header = dict(line.split(None, 1) for line in out.splitlines()[:1])
    assert header == {"Offline": f"copy   {path}"}
    schools = len(office.schools.list_schools(office.actor))
    assert any(
        line.split()[:3] == ["Schools", "and", "contacts"] and int(line.split()[3]) > schools
        for line in out.splitlines()
    ), out
    assert f"thep-admin offline sync {path}" in out
    # The copy keeps the server's address, never its password (the file goes on a laptop).
    assert PASSWORD not in out and PASSWORD.encode() not in path.read_bytes()

    second = tmp_path / "second.sqlite3"
    code, out, err = run(
        capsys, "--db", address(office), "offline", "checkout", "--out", str(second), "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    with office.db.read_session() as session:
        total = sum(
            session.scalar(select(func.count()).select_from(table)) for table in synced_tables()
        )
    assert data["records_total"] == total == sum(data["records"].values())
    assert data["records"]["school"] > schools and data["records"]["invoices"] > 0
    assert data["server"] == f"{pg_db.url.host}:{pg_db.url.port} / {pg_db.url.database}"
    assert data["server_url"] == (
        f"postgresql://{pg_db.url.username}@{pg_db.url.host}:{pg_db.url.port}/{pg_db.url.database}"
    )
    assert data["login"] == pg_db.url.username and data["role"] == "admin"
    assert data["last_synced_at"] is None and data["syncs"] == 0
    assert (
        data["taken_at"].endswith("+00:00")
        and data["copy_id"]
        != json.loads(run(capsys, "offline", "status", str(path), "--json")[1])["copy_id"]
    )


def test_checkout_refuses_an_existing_file_and_a_local_database(
    capsys, pg_db: Database, sqlite_db: Database, tmp_path: Path
):
    office = office_with_demo(pg_db)
    taken = offline_events(office)
    existing = tmp_path / "notes.sqlite3"
    existing.write_bytes(b"the treasurer's own file")
    code, out, err = run(
        capsys, "--db", address(office), "offline", "checkout", "--out", str(existing)
    )
    assert code == 1 and out == ""
    assert "already exists; an offline copy goes into a new file" in one_line_error(
        err.splitlines(keepends=True)[-1]
    )
    assert existing.read_bytes() == b"the treasurer's own file"
    assert offline_events(office) == taken  # no copy recorded at the office

    local = Path(str(sqlite_db.sqlite_path))
    sqlite_db.dispose()
    before = digest(local)
    out_file = tmp_path / "from-local.sqlite3"
    code, out, err = run(capsys, "--db", str(local), "offline", "checkout", "--out", str(out_file))
    assert code == 1 and out == ""
    assert "taken from the office's server" in one_line_error(err)
    assert digest(local) == before and not out_file.exists()


# -- status --------------------------------------------------------------------------------------
def test_status_shows_the_header_and_the_changes_waiting_without_a_connection(
    capsys, pg_db: Database, tmp_path: Path
):
    office = office_with_demo(pg_db)
    path = tmp_path / "copy.sqlite3"
    header = checkout(capsys, office, path)
    urn = office.schools.list_schools(office.actor)[0].urn
    copy, _ = open_services(str(path))
    rename_school(copy, urn, "Renamed On The Laptop School")
    school_uuid = str(copy.schools.get_school_by_urn(copy.actor, urn).uuid)
    copy.close()
    before = digest(path)

    # --db names a server nobody answers at: status never connects.
    nowhere = "postgresql://nobody@127.0.0.1:1/nothing"
    code, out, err = run(capsys, "--db", nowhere, "offline", "status", str(path))
    assert code == 0, err
    fields = dict(line.split("  ", 1) for line in out.splitlines()[:7])
    assert {k: v.strip() for k, v in fields.items()} == {
        "Offline copy": str(path),
        "Copy id": header["copy_id"],
        "Office server": header["server"],
        "Taken by": f"{pg_db.url.username} (admin)",
        "Taken at": fields["Taken at"].strip(),
        "Last synchronised": "never",
        "Synchronisations": "0",
    }
    assert out.splitlines()[7:] == [
        "Changes waiting to be sent to the office (1):",
        "  Changed school “Renamed On The Laptop School”: name",
    ]

    code, out, err = run(capsys, "offline", "status", str(path), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["changes"] == [
        {
            "table": "school",
            "uuid": school_uuid,
            "label": "Renamed On The Laptop School",
            "kind": "changed",
            "fields": ["name"],
            "description": "Changed school “Renamed On The Laptop School”: name",
        }
    ]
    assert data["copy_id"] == header["copy_id"] and data["syncs"] == 0
    assert digest(path) == before  # reading the copy changes nothing in it


# -- sync ---------------------------------------------------------------------------------------
def _both_sides_changed(capsys, office: Services, path: Path) -> dict[str, int]:
    """The copy and the office each rename a school; both rename a third, differently."""
    checkout(capsys, office, path)
    schools = office.schools.list_schools(office.actor)
    urns = {"mine": schools[0].urn, "theirs": schools[1].urn, "both": schools[2].urn}
    copy, _ = open_services(str(path))
    rename_school(copy, urns["mine"], "Mine Only School")
    rename_school(copy, urns["both"], "Mine Both School")
    copy.close()
    rename_school(office, urns["theirs"], "Theirs Only School")
    rename_school(office, urns["both"], "Theirs Both School")
    return urns


def test_dry_run_previews_everything_and_changes_nothing_on_either_side(
    capsys, pg_db: Database, tmp_path: Path
):
    office = office_with_demo(pg_db)
    keep_password(office)
    path = tmp_path / "copy.sqlite3"
    original = school_name(office, office.schools.list_schools(office.actor)[2].urn)
    _both_sides_changed(capsys, office, path)
    office_before, copy_before = sums(office.db), digest(path)

    code, out, err = run(capsys, "offline", "sync", str(path), "--dry-run")
    assert code == 0, err
    assert out.splitlines()[1:] == [
        "To send to the office (1):",
        "  Changed school “Mine Only School”: name",
        "To receive from the office (1):",
        "  Changed school “Theirs Only School”: name",
        "Conflicts (1), resolved in the program (File > Synchronise):",
        "  School “Mine Both School”: changed here and at the office",
        f"      name: original “{original}”; mine “Mine Both School”; theirs “Theirs Both School”",
        "Dry run: nothing was sent or received.",
    ]

    code, out, err = run(capsys, "offline", "sync", str(path), "--dry-run", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["dry_run"] is True and data["nothing_to_do"] is False
    assert [c["label"] for c in data["send"]] == ["Mine Only School"]
    assert [c["label"] for c in data["receive"]] == ["Theirs Only School"]
    (conflict,) = data["conflicts"]
    assert conflict["kind"] == "both_changed" and conflict["whole_record"] is False
    assert conflict["fields"] == [
        {
            "name": "name",
            "original": original,
            "mine": "Mine Both School",
            "theirs": "Theirs Both School",
        }
    ]
    assert data["flags"] == []
    # Nothing changed: every table at the office (its audit trail too) and the copy's file.
    assert sums(office.db) == office_before
    assert digest(path) == copy_before


def test_sync_with_conflicts_is_refused_listing_them_in_json(
    capsys, pg_db: Database, tmp_path: Path
):
    office = office_with_demo(pg_db)
    keep_password(office)
    path = tmp_path / "copy.sqlite3"
    urns = _both_sides_changed(capsys, office, path)
    # A money field in conflict too: the values as strings with two decimals.
    item = office.catalogue.list_items(office.actor)[0]
    copy, _ = open_services(str(path))
    set_price(copy, item.code, "100.00")
    copy.close()
    set_price(office, item.code, "120.50")
    office_before, copy_before = sums(office.db), digest(path)

    code, out, err = run(capsys, "offline", "sync", str(path), "--json")
    assert code == 1
    assert "2 conflicts between the copy and the office wait for a choice" in one_line_error(err)
    assert "File > Synchronise" in err and "Nothing was sent or received" in err
    data = json.loads(out)
    assert data["synchronised"] is False
    by_label = {c["label"]: c for c in data["conflicts"]}
    assert by_label["Mine Both School"]["fields"][0]["theirs"] == "Theirs Both School"
    price = next(c for c in data["conflicts"] if c["table"] == "service_item")
    assert price["fields"] == [
        {
            "name": "unit_price",
            "original": f"{item.unit_price:.2f}",
            "mine": "100.00",
            "theirs": "120.50",
        }
    ]
    assert sums(office.db) == office_before and digest(path) == copy_before
    assert school_name(office, urns["mine"]) != "Mine Only School"

    code, out, err = run(capsys, "offline", "sync", str(path))
    assert code == 1 and out.startswith("Conflicts (2):\n")
    assert (
        f"unit price: original “£{item.unit_price:,.2f}”; mine “£100.00”; theirs “£120.50”" in out
    )
    one_line_error(err)
    assert sums(office.db) == office_before and digest(path) == copy_before


def test_sync_sends_and_receives_then_finds_nothing_left(capsys, pg_db: Database, tmp_path: Path):
    office = office_with_demo(pg_db)
    keep_password(office)
    path = tmp_path / "copy.sqlite3"
    header = checkout(capsys, office, path)
    schools = office.schools.list_schools(office.actor)
    mine, theirs = schools[0].urn, schools[1].urn
    copy, _ = open_services(str(path))
    rename_school(copy, mine, "Renamed Offline School")
    copy.close()
    rename_school(office, theirs, "Renamed At The Office School")

    code, out, err = run(capsys, "offline", "sync", str(path))
    assert code == 0, err
    assert "Synchronising (" in err
    lines = out.splitlines()
    assert lines[:4] == [
        "Sent to the office (1):",
        "  Changed school “Renamed Offline School”: name",
        "Received from the office (1):",
        "  Changed school “Renamed At The Office School”: name",
    ]
    assert lines[4].startswith(f"Synchronised with {header['server']} at ")
    assert "1 change sent, 1 change received" in lines[4]
    assert school_name(office, mine) == "Renamed Offline School"
    copy, _ = open_services(str(path))
    assert school_name(copy, theirs) == "Renamed At The Office School"
    copy.close()

    code, out, err = run(capsys, "offline", "status", str(path), "--json")
    status = json.loads(out)
    assert status["syncs"] == 1 and status["last_synced_at"] is not None
    assert status["changes"] == [] and status["copy_id"] == header["copy_id"]

    # Again: nothing is sent twice.
    office_before = sums(office.db, audit=False)
    code, out, err = run(capsys, "offline", "sync", str(path), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["synchronised"] is True and data["sent"] == 0 and data["received"] == 0
    assert data["send"] == [] and data["receive"] == [] and data["conflicts"] == []
    assert data["syncs"] == 2 and data["synced_at"] == data["last_synced_at"]
    assert sums(office.db, audit=False) == office_before


def test_sync_takes_the_password_from_pgpassword_and_says_how_to_give_one(
    capsys, pg_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    office = office_with_demo(pg_db)
    path = tmp_path / "copy.sqlite3"
    checkout(capsys, office, path)
    copy, _ = open_services(str(path))
    rename_school(copy, office.schools.list_schools(office.actor)[0].urn, "Laptop School")
    copy.close()
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-pgpass"))
    office_before, copy_before = sums(office.db), digest(path)

    code, out, err = run(capsys, "offline", "sync", str(path))
    assert code == 1 and out == ""
    assert "refused the password" in one_line_error(err)
    assert "PGPASSWORD" in err and "Remember the password on this computer" in err
    user, host, port, name = (
        pg_db.url.username,
        pg_db.url.host,
        pg_db.url.port,
        pg_db.url.database,
    )
    assert f"--db postgresql://{user}:PASSWORD@{host}:{port}/{name}" in err
    assert sums(office.db) == office_before and digest(path) == copy_before

    # A server nobody answers at: said in one line, nothing changed.
    code, out, err = run(
        capsys, "offline", "sync", str(path), "--db", f"postgresql://{user}@127.0.0.1:1/{name}"
    )
    assert code == 1 and out == ""
    assert "Cannot open the database (Server: 127.0.0.1:1 / " in one_line_error(err)
    # The address given with its password, the same office database: previewed.
    code, out, err = run(capsys, "offline", "sync", str(path), "--dry-run", "--db", address(office))
    assert code == 0, err
    assert "  Changed school “Laptop School”: name" in out
    assert sums(office.db) == office_before and digest(path) == copy_before

    monkeypatch.setenv("PGPASSWORD", str(pg_db.url.password))
    code, out, err = run(capsys, "offline", "sync", str(path))
    assert code == 0, err
    assert "1 change sent" in out


def test_sync_with_another_office_database_is_refused(
    capsys, pg_db: Database, tmp_path: Path, new_pg_database: PgDatabases
):
    office = office_with_demo(pg_db)
    path = tmp_path / "copy.sqlite3"
    checkout(capsys, office, path)
    copy, _ = open_services(str(path))
    rename_school(copy, office.schools.list_schools(office.actor)[0].urn, "Laptop School")
    copy.close()
    other_address = new_pg_database.create()
    other, _ = open_services(other_address, create=True)
    office_before, other_before, copy_before = sums(office.db), sums(other.db), digest(path)

    code, out, err = run(capsys, "--db", other_address, "offline", "sync", str(path), "--dry-run")
    assert code == 1 and out == ""
    assert "taken from another office database" in one_line_error(err)
    code, out, err = run(capsys, "offline", "sync", str(path), "--db", other_address)
    assert code == 1 and out == ""
    assert "can only be synchronised with the database it was taken from" in one_line_error(err)
    assert sums(office.db) == office_before and sums(other.db) == other_before
    assert digest(path) == copy_before
    other.close()


# -- files that are not copies ----------------------------------------------------------------
@pytest.mark.parametrize(
    "action", [["status"], ["status", "--json"], ["sync", "--dry-run"], ["sync"]]
)
def test_a_file_that_is_not_a_copy_is_refused_in_one_line(
    capsys, sqlite_db: Database, tmp_path: Path, action: list[str]
):
    text = tmp_path / "minutes.txt"
    text.write_text("Minutes of the Board, 12/01/2026\n", encoding="utf-8")
    office_file = Path(str(sqlite_db.sqlite_path))
    sqlite_db.dispose()
    missing = tmp_path / "nowhere.sqlite3"
    before = {text: digest(text), office_file: digest(office_file)}

    verb, *options = action
    said = {}
    for path in (text, office_file, missing):
        code, out, err = run(capsys, "offline", verb, str(path), *options)
        assert code == 1 and out == "", (path, out)
        said[path] = one_line_error(err)
    assert "is not a THE Partnership Office database" in said[text]
    assert "is an office database of its own, not an offline copy" in said[office_file]
    assert said[missing] == f"thep-admin: There is no file {missing}.\n"
    assert {path: digest(path) for path in before} == before
    assert not missing.exists()


def test_a_treasurer_whose_role_was_taken_away_is_refused_with_nothing_changed(
    capsys, pg_db: Database, tmp_path: Path, server_logins: ServerLogins
):
    office = office_with_demo(pg_db)
    login = server_logins.name("treasurer")
    office.users.add_user(office.actor, login, Role.TREASURER, password="Pw-treasurer-1")
    treasurer_address = server_logins.url(address(office), login, "Pw-treasurer-1")
    path = tmp_path / "treasurer.sqlite3"
    code, out, err = run(
        capsys, "--db", treasurer_address, "offline", "checkout", "--out", str(path), "--json"
    )
    assert code == 0, err
    taken = json.loads(out)
    assert taken["login"] == login and taken["role"] == "treasurer"
    assert "Pw-treasurer-1" not in out and b"Pw-treasurer-1" not in path.read_bytes()
    item = office.catalogue.list_items(office.actor)[0]
    copy, _ = open_services(str(path))
    assert copy.actor.name == login and copy.actor.role == Role.TREASURER
    set_price(copy, item.code, "99.00")
    copy.close()
    office.users.set_role(office.actor, login, Role.VIEWER)
    office_before, copy_before = sums(office.db), digest(path)

    # The password the treasurer's login kept on this computer, for the copy's address.
    found = ServerAddress.from_url(treasurer_address)
    assert found is not None
    remember_password(found.credential_key, "Pw-treasurer-1")
    code, out, err = run(capsys, "offline", "sync", str(path))
    assert code == 1 and out == ""
    said, refusal = err.splitlines(keepends=True)  # the progress line's title, then why
    assert said.startswith("Synchronising (")
    assert f"{login}'s role at the office is now viewer" in one_line_error(refusal)
    assert (
        "1 service catalogue item" in err
        and "the copy was taken as treasurer" in err
        and "Nothing was sent or received" in err
    )
    assert sums(office.db) == office_before and digest(path) == copy_before
    price = next(i for i in office.catalogue.list_items(office.actor) if i.code == item.code)
    assert price.unit_price == item.unit_price != Decimal("99.00")


def test_a_payment_against_an_invoice_the_office_credited_is_flagged(
    capsys, pg_db: Database, tmp_path: Path
):
    office = office_with_demo(pg_db)
    keep_password(office)
    path = tmp_path / "copy.sqlite3"
    checkout(capsys, office, path)
    code, out, err = run(capsys, "--db", address(office), "invoices", "list", "--json")
    invoice = next(
        i for i in json.loads(out)["invoices"] if i["status"] == "issued" and i["kind"] == "invoice"
    )
    number = invoice["number"]
    code, out, err = run(
        capsys, "--db", str(path), "invoices", "pay", number, "--amount", "100.00",
        "--date", "01/12/2026", "--method", "BACS",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run(
        capsys, "--db", address(office), "invoices", "credit", number, "--reason", "Wrong school"
    )
    assert code == 0, err
    credit_note = out.split()[2]

    code, out, err = run(capsys, "offline", "sync", str(path), "--dry-run", "--json")
    assert code == 0, err
    data = json.loads(out)
    (flag,) = data["flags"]
    assert flag.startswith(
        f"A payment of £100.00 recorded in the copy is set against {number}, which the office "
        f"credited meanwhile ({credit_note}, dated "
    )
    assert [c["table"] for c in data["send"]] == ["payment", "allocation"]

    code, out, err = run(capsys, "offline", "sync", str(path))
    assert code == 0, err
    assert f"Check: A payment of £100.00 recorded in the copy is set against {number}" in out
    assert "2 changes sent" in out
    code, out, err = run(capsys, "--db", address(office), "invoices", "show", number, "--json")
    shown = json.loads(out)
    assert shown["paid"] == "100.00" and shown["credited"] == invoice["total"]

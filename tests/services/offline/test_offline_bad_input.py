"""Bad input, refused in words with nothing changed on either side: another office database,
files that are not copies, a login whose role lost the right (or was disabled) since the copy
was taken. On the copy, the acting user is the copy's login with its role."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

import pytest
from alembic import command
from offline_records import nothing_changed, office_with_demo, refused, rename_school
from pg_databases import PgDatabases
from server_logins import ServerLogins

from thep_desktop.database import Database, alembic_config
from thep_desktop.domain.invoices import VatCode
from thep_desktop.domain.roles import Role
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.invoices.invoice_data import DraftInput, LineInput
from thep_desktop.services.offline.offline_data import OfflineError
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.shared.errors import PermissionDeniedError

PASSWORD = "Pw-offline-1"


def test_a_copy_meets_another_office_database_or_a_file_that_is_not_a_copy(
    pg_db: Database, new_pg_database: PgDatabases, tmp_path: Path
) -> None:
    office = office_with_demo(pg_db)
    path = tmp_path / "copy.sqlite3"
    office.offline.checkout(office.db, path)
    copy, _ = open_services(str(path))
    rename_school(copy, copy.schools.list_schools(copy.actor)[0].urn, "Renamed Offline")
    copy.db.dispose()
    # Another office's database, with the same demo (the same schools, other records).
    other, _ = open_services(new_pg_database.create(migrated=True))
    DemoService(other.db).load(other.actor)
    with nothing_changed(other.db), nothing_changed(office.db, path):
        for attempt in (
            partial(office.offline.preview, path, other.db),
            partial(office.offline.sync, path, other.db),
        ):
            with pytest.raises(
                OfflineError, match="taken from another office database.*Nothing was sent"
            ):
                attempt()

    # Files that are not copies: a text file, an office database on this computer.
    text = tmp_path / "notes.sqlite3"
    text.write_text("Minutes of the board, 12 January\n", encoding="utf-8")
    plain = tmp_path / "office.sqlite3"
    local = Database(plain)
    local.upgrade(create=True)
    local.dispose()
    # One of an older version of the program, from before offline copies: looked at, not
    # brought up to date (nor backed up) by a synchronisation it is no part of.
    older = tmp_path / "older-office.sqlite3"
    local = Database(older)
    local.upgrade(create=True)
    command.downgrade(alembic_config(local.engine), "0013_governance")
    local.dispose()
    files_before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    with nothing_changed(office.db, path):
        for not_a_copy, words in (
            (text, "cannot be read as an offline copy"),
            (plain, "is an office database of its own, not an offline copy"),
            (older, "is an office database of its own, not an offline copy"),
        ):
            for attempt in (
                partial(office.offline.status, not_a_copy),
                partial(office.offline.preview, not_a_copy, office.db),
                partial(office.offline.sync, not_a_copy, office.db),
            ):
                with pytest.raises(OfflineError, match=words):
                    attempt()
        # An office database on this computer is not a server to synchronise with.
        with pytest.raises(OfflineError, match="not with a database file.*Nothing was sent"):
            office.offline.sync(path, Database(plain))
        with pytest.raises(OfflineError, match="There is no file"):
            office.offline.sync(tmp_path / "missing.sqlite3", office.db)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == files_before


def a_draft(services: Services, customer_id: int) -> int:
    return services.invoices.create_draft(
        services.actor,
        DraftInput(
            customer_id=customer_id,
            invoice_date=date.today(),
            reference="Prepared offline",
            lines=(LineInput("Ofsted preparation day", "1", "450.00", VatCode.STANDARD, "200"),),
        ),
    ).id


def test_a_copy_acts_as_its_login_and_cannot_send_what_the_login_may_no_longer_change(
    pg_db: Database, server_logins: ServerLogins, tmp_path: Path
) -> None:
    office = office_with_demo(pg_db)
    url = pg_db.url.render_as_string(hide_password=False)
    treasurer_login = server_logins.name("treasurer")
    viewer_login = server_logins.name("viewer")
    office.users.add_user(office.actor, treasurer_login, Role.TREASURER, password=PASSWORD)
    office.users.add_user(office.actor, viewer_login, Role.VIEWER, password=PASSWORD)
    treasurer, _ = open_services(server_logins.url(url, treasurer_login, PASSWORD))
    viewer, _ = open_services(server_logins.url(url, viewer_login, PASSWORD))
    treasurer_path, viewer_path = tmp_path / "treasurer.sqlite3", tmp_path / "viewer.sqlite3"
    treasurer.offline.checkout(treasurer.db, treasurer_path)
    viewer.offline.checkout(viewer.db, viewer_path)
    customer_id = office.invoices.list_invoices(office.actor)[0].customer_id
    school = office.schools.list_schools(office.actor)[0].urn

    # On the copies, each acts as the copy's login with its role, in the services' words.
    copy, _ = open_services(str(viewer_path))
    assert (copy.actor.name, copy.actor.role) == (viewer_login, Role.VIEWER)
    with nothing_changed(office.db, viewer_path, refusals_recorded=True):
        with pytest.raises(
            PermissionDeniedError, match=rf"{viewer_login} \(viewer\) is not allowed"
        ):
            a_draft(copy, customer_id)
        with pytest.raises(PermissionDeniedError, match="is not allowed"):
            rename_school(copy, school, "Viewer's Rename")
    copy.db.dispose()
    copy, _ = open_services(str(treasurer_path))
    assert (copy.actor.name, copy.actor.role) == (treasurer_login, Role.TREASURER)
    with nothing_changed(office.db, treasurer_path, refusals_recorded=True):
        with pytest.raises(PermissionDeniedError, match=rf"{treasurer_login} \(treasurer\)"):
            rename_school(copy, school, "Treasurer's Rename")
    a_draft(copy, customer_id)  # what the treasurer may do
    copy.db.dispose()

    # An administrator makes the treasurer a viewer: the copy's invoices are refused, named.
    office.users.set_role(office.actor, treasurer_login, Role.VIEWER)
    for attempt in (
        lambda: treasurer.offline.sync(treasurer_path, treasurer.db),
        lambda: office.offline.sync(treasurer_path, treasurer.db),
    ):
        with refused(
            office.db,
            treasurer_path,
            match=(
                rf"{treasurer_login}'s role at the office is now viewer \(the copy was taken as "
                r"treasurer\), which may no longer change what the copy changed: "
                r"1 invoice or credit note, 1 invoice line\. Nothing was sent or received"
            ),
        ):
            attempt()
    # Another login cannot synchronise the treasurer's copy either.
    with refused(office.db, treasurer_path, match=f"is {treasurer_login}'s.*not by"):
        office.offline.sync(treasurer_path, office.db)

    # The role given back, the login disabled instead: refused too.
    office.users.set_role(office.actor, treasurer_login, Role.TREASURER)
    office.users.set_active(office.actor, treasurer_login, False)
    treasurer.close()
    treasurer_db = Database(server_logins.url(url, treasurer_login, PASSWORD))
    try:
        with refused(
            office.db,
            treasurer_path,
            match=(
                rf"The login {treasurer_login} is disabled at the office.*enable it again.*"
                "Nothing was sent or received"
            ),
        ):
            office.offline.sync(treasurer_path, treasurer_db)
    finally:
        treasurer_db.dispose()

    # Enabled again, the copy's draft goes through.
    office.users.set_active(office.actor, treasurer_login, True)
    treasurer, _ = open_services(server_logins.url(url, treasurer_login, PASSWORD))
    result = treasurer.offline.sync(treasurer_path, treasurer.db)
    assert result.sent == 2
    assert [
        r.reference
        for r in office.invoices.list_invoices(office.actor)
        if r.reference == "Prepared offline"
    ] == ["Prepared offline"]
    treasurer.close()
    viewer.close()

"""Who is using the database: the server's session user on PostgreSQL, the computer's login
on a local file; never the environment's USER or LOGNAME."""

from __future__ import annotations

import os
import pwd
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from lock_holders import write_lock_held
from server_logins import ServerLogins
from sqlalchemy import func, select

from thep_desktop.audit_trail import Action
from thep_desktop.computer_login import computer_login
from thep_desktop.database import Database, DatabaseError, PasswordRefusedError
from thep_desktop.domain.roles import Role
from thep_desktop.models import AppUser, AuditEvent
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.users.identity import NoRoleError

PASSWORD = "Correct-Horse-7"


def someone_else_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("USER", "LOGNAME", "USERNAME", "LNAME"):
        monkeypatch.setenv(name, "anyone")


def users_and_logins(database: Database) -> tuple[list[tuple[str, str, bool]], int]:
    """Every user record (login, role, active), and how many logins the trail holds."""
    with database.read_session() as session:
        users = [
            (u.login, Role(u.role).value, u.active)
            for u in session.scalars(select(AppUser).order_by(AppUser.login))
        ]
        logins = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == Action.LOGIN)
        )
    return users, int(logins or 0)


# -- PostgreSQL -------------------------------------------------------------------------------
@pytest.fixture
def owner(pg_db: Database) -> Iterator[Services]:
    """The database opened by the owner of its tables (who set it up): an administrator."""
    services, _note = open_services(pg_db.address)
    yield services
    services.close()


def test_a_login_made_by_an_admin_is_identified_as_itself_with_its_role(
    owner: Services, server_logins: ServerLogins, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert owner.actor.role == Role.ADMIN
    login = server_logins.name("treasurer")
    owner.users.add_user(
        owner.actor, login, Role.TREASURER, full_name="Tess Urer", password=PASSWORD
    )
    someone_else_in_the_environment(monkeypatch)

    services, _note = open_services(server_logins.url(owner.db.address, login, PASSWORD))
    try:
        assert services.actor.name == login
        assert services.actor.role == Role.TREASURER
        with services.db.read_session() as session:
            last = session.execute(
                select(AuditEvent.action, AuditEvent.actor, AuditEvent.record_label)
                .order_by(AuditEvent.seq.desc())
                .limit(1)
            ).one()
        assert tuple(last) == ("login", login, login)
    finally:
        services.close()


def test_the_environment_does_not_change_who_the_server_says_you_are(
    owner: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    someone_else_in_the_environment(monkeypatch)
    services, _note = open_services(owner.db.address)
    try:
        assert services.actor.name == owner.db.url.username != "anyone"
        users, _logins = users_and_logins(services.db)
        assert "anyone" not in [login for login, _role, _active in users]
    finally:
        services.close()


def test_a_login_without_a_user_record_is_refused_naming_it(
    owner: Services, server_logins: ServerLogins
) -> None:
    before = users_and_logins(owner.db)
    for group in (Role.VIEWER, None):  # in a group role but unknown; in none at all
        login = server_logins.make("stranger", PASSWORD, group=group)
        with pytest.raises(NoRoleError) as refused:
            open_services(server_logins.url(owner.db.address, login, PASSWORD))
        assert f"The login “{login}” reached the server, but has no role" in str(refused.value)
        assert f"thep-admin users add {login} --role staff" in str(refused.value)
    assert users_and_logins(owner.db) == before


def test_a_disabled_login_is_refused_in_words(owner: Services, server_logins: ServerLogins) -> None:
    login = server_logins.name("clerk")
    owner.users.add_user(owner.actor, login, Role.CLERK, password=PASSWORD)
    owner.users.set_active(owner.actor, login, False)
    before = users_and_logins(owner.db)
    with pytest.raises(NoRoleError) as refused:
        open_services(server_logins.url(owner.db.address, login, PASSWORD))
    assert f"The login “{login}” is disabled" in str(refused.value)
    assert f"thep-admin users enable {login}" in str(refused.value)
    assert users_and_logins(owner.db) == before

    owner.users.set_active(owner.actor, login, True)  # enabled again: it opens
    services, _note = open_services(server_logins.url(owner.db.address, login, PASSWORD))
    assert (services.actor.name, services.actor.role) == (login, Role.CLERK)
    services.close()


def test_a_wrong_password_is_refused_in_words(owner: Services, server_logins: ServerLogins) -> None:
    login = server_logins.name("staff")
    owner.users.add_user(owner.actor, login, Role.STAFF, password=PASSWORD)
    before = users_and_logins(owner.db)
    with pytest.raises(DatabaseError) as refused:
        open_services(server_logins.url(owner.db.address, login, PASSWORD.lower()))
    message = str(refused.value)
    # The window asks for the password again on this kind of refusal (server_login.py).
    assert isinstance(refused.value, PasswordRefusedError)
    assert f"The server refused the password for {login}" in message
    assert "FATAL" not in message
    assert users_and_logins(owner.db) == before


# -- a local file -----------------------------------------------------------------------------
@pytest.fixture
def office_file(tmp_path: Path) -> str:
    services, _note = open_services(str(tmp_path / "office.sqlite3"), Actor("setup"), create=True)
    services.close()
    return str(tmp_path / "office.sqlite3")


def test_on_a_file_the_computers_login_is_an_admin_by_default_and_is_added(
    office_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    someone_else_in_the_environment(monkeypatch)
    me = pwd.getpwuid(os.getuid()).pw_name
    assert computer_login() == me != "anyone"
    services, _note = open_services(office_file)
    try:
        assert (services.actor.name, services.actor.role) == (me, Role.ADMIN)
        users, logins = users_and_logins(services.db)
        assert users == [(me, "admin", True)]
        assert logins == 1
        detail = services.users.get_user(services.actor, me)
        assert "Administrator by default" in detail.note
    finally:
        services.close()
    services, _note = open_services(office_file)  # the second time: found, not added again
    try:
        assert users_and_logins(services.db) == ([(me, "admin", True)], 2)
    finally:
        services.close()


def test_on_a_file_a_listed_viewer_is_a_viewer_and_a_disabled_one_is_refused(
    office_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    someone_else_in_the_environment(monkeypatch)
    me = computer_login()
    admin, _note = open_services(office_file, Actor("head.admin", Role.ADMIN))
    try:
        admin.users.add_user(admin.actor, "head.admin", Role.ADMIN)
        admin.users.add_user(admin.actor, me, Role.VIEWER, full_name="Me")
        services, _note = open_services(office_file)
        assert (services.actor.name, services.actor.role) == (me, Role.VIEWER)
        services.close()

        admin.users.set_active(admin.actor, me, False)
        before = users_and_logins(admin.db)
        with pytest.raises(NoRoleError) as refused:
            open_services(office_file)
        assert f"The login “{me}” is disabled in this office database" in str(refused.value)
        assert users_and_logins(admin.db) == before
    finally:
        admin.close()


def test_two_programs_opening_a_file_at_once_both_open_and_the_login_is_added_once(
    office_file: str,
) -> None:
    """Both read "not listed" while someone else saves; the second must not add it again."""
    opened: list[Services] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            opened.append(open_services(office_file)[0])
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    database = Database(office_file)
    try:
        with write_lock_held(database, release_after=0.6):
            threads = [threading.Thread(target=open_one) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(20)
        assert errors == []
        assert [s.actor for s in opened] == [Actor(computer_login(), Role.ADMIN)] * 2
        assert users_and_logins(database) == ([(computer_login(), "admin", True)], 2)
    finally:
        for services in opened:
            services.close()
        database.dispose()


def test_opening_waits_for_someone_elses_save_and_says_so_then_gives_up_in_words(
    office_file: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(office_file)
    waits: list[float | None] = []
    try:
        with write_lock_held(database, release_after=0.8):
            services, _note = open_services(office_file, lock_notify=waits.append)
        services.close()
        assert waits and waits[0] == pytest.approx(0, abs=0.7) and waits[-1] is None
        before = users_and_logins(database)

        monkeypatch.setenv("THEP_SAVE_WAIT_SECONDS", "1")
        with write_lock_held(database), pytest.raises(DatabaseError) as busy:
            open_services(office_file)
        assert str(busy.value).startswith("The database is busy: someone else is saving")
        assert users_and_logins(database) == before
    finally:
        database.dispose()

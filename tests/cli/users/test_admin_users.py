"""``thep-admin users``: list, add, set-role, disable and enable, on a file and on a server."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from server_logins import ServerLogins
from sqlalchemy import func, select

from thep_desktop.cli.admin import main
from thep_desktop.cli.users import users_commands
from thep_desktop.computer_login import computer_login
from thep_desktop.database import Database
from thep_desktop.models import AppUser, AuditEvent
from thep_desktop.services.registry import open_services

PASSWORD = "Staff-Room-42"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


def state(address: str) -> tuple[list[tuple[str, str, str, bool]], int]:
    """Every user (login, name, role, active) and the audit rows other than logins.

    Each command opens the database, and that login is a row of the trail: the rest must not
    change when a command is refused.
    """
    database = Database(address)
    try:
        with database.read_session() as session:
            users = [
                (u.login, u.full_name, str(u.role), u.active)
                for u in session.scalars(select(AppUser).order_by(AppUser.login))
            ]
            audit = session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action != "login")
            )
    finally:
        database.dispose()
    return users, int(audit or 0)


@pytest.fixture
def office(db: Database, request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty register; its address. On the server, opened once by its owner (grants)."""
    address = db.url.render_as_string(hide_password=False)
    services, _note = open_services(address)  # the computer's login, or the tables' owner
    services.close()
    yield address


@pytest.fixture
def logins(db: Database, request: pytest.FixtureRequest) -> ServerLogins | None:
    if db.is_sqlite:
        return None
    return request.getfixturevalue("server_logins")


def login_name(logins: ServerLogins | None, stem: str) -> str:
    return logins.name(stem) if logins is not None else f"{stem}.person"


def password_input(monkeypatch: pytest.MonkeyPatch, office: str, text: str = PASSWORD) -> None:
    """The password on standard input, as a script gives it (a server only)."""
    monkeypatch.setattr("sys.stdin", _Pipe(text + "\n"))


def add_args(office: str, login: str, role: str, *more: str) -> list[str]:
    extra = ["--password-stdin"] if office.startswith("postgresql") else []
    return ["--db", office, "users", "add", login, "--role", role, *more, *extra]


def test_add_list_set_role_disable_enable(capsys, office, logins, monkeypatch):  # type: ignore[no-untyped-def]
    me = state(office)[0][0][0]
    login = login_name(logins, "nadia")
    password_input(monkeypatch, office)
    code, out, err = run(capsys, *add_args(office, login, "staff", "--name", "Nadia Rahman"))
    assert code == 0, err
    assert f"Added {login}" in out and "as staff: Office staff" in out
    assert (login, "Nadia Rahman", "staff", True) in state(office)[0]

    code, out, err = run(capsys, "--db", office, "users", "list")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["Login", "Name", "Role", "Active", "Added", "on", "Added", "by"]
    row = next(line for line in lines if line.startswith(login))
    assert "Nadia Rahman" in row and "staff" in row and "Yes" in row
    assert date.today().strftime("%d/%m/%Y") in row and row.rstrip().endswith(me)
    assert lines[-1] == "2 people"

    code, out, err = run(capsys, "--db", office, "users", "list", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["count"] == 2
    nadia = next(u for u in data["users"] if u["login"] == login)
    assert set(nadia) == set(users_commands.USER_KEYS)
    assert nadia["full_name"] == "Nadia Rahman" and nadia["role"] == "staff"
    assert nadia["active"] is True and nadia["created_by"] == me
    assert nadia["created_at"].startswith(date.today().isoformat()[:7])

    code, out, err = run(capsys, "--db", office, "users", "set-role", login, "Treasurer")
    assert (code, out.strip()) == (0, f"{login} is now treasurer (was staff)."), err
    code, out, err = run(capsys, "--db", office, "users", "disable", login)
    assert code == 0 and "is disabled" in out, err
    assert (login, "Nadia Rahman", "treasurer", False) in state(office)[0]
    code, out, err = run(capsys, "--db", office, "users", "enable", login)
    assert code == 0 and "is enabled" in out, err
    assert (login, "Nadia Rahman", "treasurer", True) in state(office)[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["add", "9lives", "--role", "staff"], "A login is 1 to 63 letters"),
        (["add", "someone", "--role", "boss"], "“boss” is not a role; the roles are admin"),
        (["set-role", "nobody.here", "staff"], "nobody.here is not a user of this database"),
        (["disable", "nobody.here"], "nobody.here is not a user of this database"),
    ],
)
def test_bad_input_is_refused_on_stderr_with_nothing_changed(  # type: ignore[no-untyped-def]
    capsys, office, monkeypatch, args, expected
):
    before = state(office)
    if args[0] == "add" and office.startswith("postgresql"):
        args = [*args, "--password-stdin"]
        password_input(monkeypatch, office)
    code, out, err = run(capsys, "--db", office, "users", *args)
    assert code == 1 and out == ""
    assert err.startswith("thep-admin: ") and expected in err
    assert state(office) == before


def test_the_only_admin_cannot_be_disabled_or_demoted(capsys, office):  # type: ignore[no-untyped-def]
    before = state(office)
    me = before[0][0][0]
    for args, expected in (
        (["disable", me], "You cannot disable your own login; another administrator can."),
        (["set-role", me, "viewer"], "is the only active administrator, so you cannot change"),
    ):
        code, out, err = run(capsys, "--db", office, "users", *args)
        assert code == 1 and out == "" and err.startswith("thep-admin: "), err
        assert expected in err
    assert state(office)[0] == before[0]


def test_someone_not_an_admin_is_refused_and_the_refusal_is_audited(capsys, tmp_path: Path):  # type: ignore[no-untyped-def]
    address = str(tmp_path / "office.sqlite3")
    setup, _note = open_services(address, _admin(), create=True)
    setup.users.add_user(setup.actor, "head.admin", "admin")
    setup.users.add_user(setup.actor, computer_login(), "clerk")
    setup.close()
    before_users, before_audit = state(address)
    code, out, err = run(capsys, "--db", address, "users", "add", "new.one", "--role", "staff")
    assert code == 1 and out == ""
    assert f"{computer_login()} (clerk) is not allowed to add people" in err
    users, audit = state(address)
    assert users == before_users
    assert audit == before_audit + 1  # the refusal


def _admin():  # type: ignore[no-untyped-def]
    from thep_desktop.services.shared.actor import Actor

    return Actor("head.admin")


# -- passwords on a server --------------------------------------------------------------------
@pytest.fixture
def server_office(pg_db: Database) -> str:
    address = pg_db.address
    services, _note = open_services(address)
    services.close()
    return address


def test_on_a_server_the_password_is_asked_twice_at_a_terminal(  # type: ignore[no-untyped-def]
    capsys, server_office, server_logins, monkeypatch
):
    login = server_logins.name("bola")
    asked: list[str] = []
    answers = iter([PASSWORD, PASSWORD])

    def typed(prompt: str, stream=None) -> str:  # type: ignore[no-untyped-def]
        asked.append(prompt)
        return next(answers)

    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr(users_commands.getpass, "getpass", typed)
    code, out, err = run(capsys, "--db", server_office, "users", "add", login, "--role", "clerk")
    assert code == 0, err
    assert asked == [f"Password for {login}: ", "The same password again: "]
    assert "with a login on the server" in out
    services, _note = open_services(server_logins.url(server_office, login, PASSWORD))
    assert (services.actor.name, services.actor.role.value) == (login, "clerk")
    services.close()


def test_on_a_server_two_different_passwords_or_no_terminal_are_refused(  # type: ignore[no-untyped-def]
    capsys, server_office, server_logins, monkeypatch
):
    login = server_logins.name("sam")
    before = state(server_office)
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setattr(users_commands.getpass, "getpass", lambda *_a, **_k: next(answers))
    code, out, err = run(capsys, "--db", server_office, "users", "add", login, "--role", "staff")
    assert code == 1 and out == ""
    assert "The two passwords typed are not the same. Nothing was changed." in err

    monkeypatch.setattr("sys.stdin", _Pipe(""))
    code, out, err = run(capsys, "--db", server_office, "users", "add", login, "--role", "staff")
    assert code == 1 and out == ""
    assert "this is not a terminal" in err and "--password-stdin" in err
    assert state(server_office) == before
    with Database(server_office).engine.connect() as conn:
        made = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_roles WHERE rolname = %(n)s", {"n": login}
        ).scalar()
    assert made == 0  # no login was made on the server either


def test_on_a_file_a_password_is_refused(capsys, tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    address = str(tmp_path / "office.sqlite3")
    open_services(address, _admin(), create=True)[0].close()
    open_services(address)[0].close()  # the computer's login, an administrator by default
    before = state(address)
    monkeypatch.setattr("sys.stdin", _Pipe(PASSWORD + "\n"))
    code, out, err = run(
        capsys, "--db", address, "users", "add", "jo", "--role", "staff", "--password-stdin"
    )
    assert code == 1 and out == "" and "A local database file has no passwords" in err
    assert state(address) == before

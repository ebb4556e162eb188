"""Saved connections (no passwords in the settings), passwords in the credential store, and
what Test connection says, on the real PostgreSQL test server."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail
from memory_keyring import MemoryKeyring
from sqlalchemy.engine import make_url

from thep_desktop import config, connections, database
from thep_desktop.connections import (
    KEYRING_SERVICE,
    SavedConnection,
    ServerLogin,
    forget_password,
    remember_password,
    save_connections,
    saved_connections,
    stored_password,
    try_connection,
    unused_name,
    with_stored_password,
)
from thep_desktop.database import (
    Database,
    DatabaseError,
    PasswordRefusedError,
    connection_problem,
    is_lost_connection,
)
from thep_desktop.services.registry import open_services
from thep_desktop.services.shared.actor import Actor, Role

OFFICE = SavedConnection(
    "Office server", "db.office.local", 5433, "partnership", "alice", "require"
)


@pytest.fixture(autouse=True)
def own_settings(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A settings file of this test's own: saved connections start from none."""
    monkeypatch.setenv("THEP_CONFIG_DIR", str(tmp_path / "config"))


def settings_text() -> str:
    path = config.config_dir() / "settings.json"
    return path.read_text(encoding="utf-8") if path.exists() else ""


class BrokenKeyring(MemoryKeyring):
    """A store that fails as a locked or crashed one does."""

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("the store is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("the store is locked")


# -- saved connections -------------------------------------------------------------------------
def test_saved_connections_come_back_as_saved_and_hold_no_password(
    credential_store: MemoryKeyring,
) -> None:
    second = SavedConnection("Home", "10.0.0.5", 5432, "partnership", "alice")
    assert save_connections([OFFICE, second])
    assert remember_password(OFFICE.credential_key, "S3cret-pw")
    assert saved_connections() == [OFFICE, second]
    assert "S3cret-pw" not in settings_text() and "password" not in settings_text()
    assert credential_store.passwords == {
        (KEYRING_SERVICE, "alice@db.office.local:5433/partnership"): "S3cret-pw"
    }


def test_broken_entries_in_the_settings_are_left_out_not_fatal() -> None:
    settings = config.load_settings()
    settings["connections"] = [
        {"name": "Good", "host": "db", "port": 5432, "database": "p", "user": "a"},
        {"host": "no name"},
        {"name": "Bad port", "port": 99999},
        {"name": "Odd SSL", "ssl_mode": "sometimes", "extra": 1},
        "not a connection",
    ]
    config.save_settings(settings)
    found = saved_connections()
    assert [c.name for c in found] == ["Good", "Odd SSL"]
    assert found[1].ssl_mode == "prefer"


def test_a_new_name_never_repeats_one_in_use() -> None:
    assert unused_name([OFFICE], "Home") == "Home"
    assert unused_name([OFFICE], "office server") == "office server (2)"
    taken = [OFFICE, SavedConnection("Office server (2)")]
    assert unused_name(taken, "Office server") == "Office server (3)"


def test_the_address_carries_the_ssl_mode_and_the_key_names_the_login() -> None:
    url = OFFICE.address("pw").url()
    assert url == "postgresql+psycopg://alice:pw@db.office.local:5433/partnership?sslmode=require"
    assert SavedConnection.from_url(url, "Office server") == OFFICE
    assert SavedConnection("x", "h", 5432, "d", "u").address().url().endswith("/d")
    assert SavedConnection.from_url("/home/jo/office.sqlite3") is None


# -- the credential store ----------------------------------------------------------------------
def test_no_store_on_this_computer_means_asking_never_a_crash() -> None:
    keyring.set_keyring(fail.Keyring())
    assert not connections.credential_store_works()
    assert stored_password(OFFICE.credential_key) is None
    assert remember_password(OFFICE.credential_key, "pw") is False
    forget_password(OFFICE.credential_key)  # nothing to forget, nothing raised
    bare = "postgresql://alice@db.office.local:5433/partnership"
    assert with_stored_password(bare) == bare


def test_a_store_that_fails_is_treated_as_none() -> None:
    keyring.set_keyring(BrokenKeyring())
    assert stored_password(OFFICE.credential_key) is None
    assert remember_password(OFFICE.credential_key, "pw") is False


def test_forgetting_takes_the_password_out(credential_store: MemoryKeyring) -> None:
    remember_password(OFFICE.credential_key, "pw")
    forget_password(OFFICE.credential_key)
    assert credential_store.passwords == {}
    assert stored_password(OFFICE.credential_key) is None


def test_an_address_without_a_password_takes_the_kept_one() -> None:
    remember_password("alice@db.office.local:5433/partnership", "kept-pw")
    filled = with_stored_password("postgresql://alice@db.office.local:5433/partnership")
    assert make_url(filled).password == "kept-pw"
    # A password given, another user or server, no user, or a file: unchanged.
    for url in (
        "postgresql://alice:typed@db.office.local:5433/partnership",
        "postgresql://bob@db.office.local:5433/partnership",
        "postgresql://alice@db.office.local:5432/partnership",
        "postgresql://db.office.local:5433/partnership",
        "/home/alice/office.sqlite3",
    ):
        assert with_stored_password(url) == url


def test_a_login_from_an_address_uses_its_password_and_keeps_the_store_as_it_is() -> None:
    login = ServerLogin.from_url("postgresql://alice:pw@db:5432/partnership?password=x")
    assert login.password == "pw" and login.remember is None and "pw" not in login.url
    assert ServerLogin.from_url("postgresql://alice@db/p?password=q").password == "q"
    assert ServerLogin.from_url("postgresql://alice@db/p") == ServerLogin(
        "postgresql://alice@db/p", "", True
    )


# -- what a failure is ---------------------------------------------------------------------------
class _Orig(Exception):
    pass


def _operational(message: str) -> Exception:
    from sqlalchemy.exc import OperationalError

    return OperationalError("SELECT 1", {}, _Orig(message))


@pytest.mark.parametrize(
    ("said", "lost"),
    [
        ("terminating connection due to administrator command", True),
        ("server closed the connection unexpectedly", True),
        ('connection to server at "10.0.0.5", port 5432 failed: Connection refused', True),
        ("connection failed: timeout expired", True),
        ("consuming input failed: server closed the connection unexpectedly", True),
        ('password authentication failed for user "alice"', False),
        ('database "partnership" does not exist', False),
        ("division by zero", False),
    ],
)
def test_a_lost_server_is_told_from_a_refusal(said: str, lost: bool) -> None:
    assert is_lost_connection(_operational(said)) is lost


def test_a_silent_server_is_said_as_such() -> None:
    url = make_url("postgresql+psycopg://alice@10.0.0.5:5432/partnership")
    said = connection_problem(_operational("connection failed: timeout expired"), url)
    assert said == (
        "The server 10.0.0.5 did not answer within 5 seconds: it may be switched off, or a "
        "firewall stops the connection."
    )
    hba = 'no pg_hba.conf entry for host "10.0.0.9", user "alice", database "p", SSL off'
    assert "does not let alice connect from this computer" in connection_problem(
        _operational(hba), url
    )


def test_connections_give_up_after_the_connect_timeout() -> None:
    """A silent server is given up on after 5 s (the driver's connect_timeout), not libpq's
    default of waiting as long as the network does."""
    from sqlalchemy import event

    given: list[dict[str, object]] = []
    for url, expected in (
        ("postgresql://alice:pw@127.0.0.1:1/partnership", 5),
        ("postgresql://alice:pw@127.0.0.1:1/partnership?connect_timeout=2", "2"),
    ):
        db = Database(url)
        event.listen(db.engine, "do_connect", lambda _d, _r, _a, params: given.append(params))
        assert not db.is_reachable()
        db.dispose()
        assert given[-1]["connect_timeout"] == expected


# -- Test connection, on the real server ---------------------------------------------------
def _with(url: str, **parts: object) -> str:
    # _replace, not set(): set() leaves a part given as None as it was.
    return make_url(url)._replace(**parts).render_as_string(hide_password=False)


def test_test_connection_says_what_it_found(pg_database_url: str, pg_server_url: str) -> None:
    found = try_connection(pg_database_url)
    assert found.reached and found.ours and not found.password_refused
    assert found.text.startswith("Reached the server ")
    assert "(PostgreSQL 1" in found.text
    assert "holds THE Partnership Office data" in found.text

    empty = try_connection(pg_server_url)  # the test server's own database: not set up
    assert empty.reached and not empty.ours
    assert "has not been set up for THE Partnership Office yet" in empty.text
    assert " init" in empty.text

    user = make_url(pg_database_url).username
    wrong = try_connection(_with(pg_database_url, password="not-the-password"))
    assert (wrong.reached, wrong.password_refused) == (False, True)
    assert wrong.text == f"The server refused the password for {user}."

    missing = try_connection(_with(pg_database_url, database="no_such_database_here"))
    assert not missing.reached
    assert "has no database called “no_such_database_here”" in missing.text

    closed = try_connection(_with(pg_database_url, port=1))
    assert closed.text.startswith("Nothing answers at 127.0.0.1 on port 1")

    ssl = try_connection(_with(pg_database_url, query={"sslmode": "require"}))
    assert "does not offer one" in ssl.text  # the test server runs without SSL


def test_a_server_older_than_we_support_is_refused_everywhere(
    pg_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The test server is 15: the threshold is raised above it to see the refusal."""
    from thep_desktop.cli.admin import main as admin

    monkeypatch.setattr(database, "OLDEST_SERVER_VERSION_NUM", 990000)
    expected = "which this program does not support: it needs PostgreSQL 99 or newer"
    with pytest.raises(DatabaseError, match=expected):
        Database(pg_database_url).check_connection()
    with pytest.raises(DatabaseError, match=expected):
        open_services(pg_database_url, Actor("jo", Role.ADMIN))
    found = try_connection(pg_database_url)
    assert not found.reached and expected in found.text
    assert admin(["--db", pg_database_url, "schools", "list"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and expected in err and "Traceback" not in err
    monkeypatch.setattr(database, "OLDEST_SERVER_VERSION_NUM", 130000)
    assert Database(pg_database_url).check_connection().startswith("15")


def test_a_refused_password_is_its_own_error(pg_database_url: str) -> None:
    db = Database(_with(pg_database_url, password="not-the-password"))
    try:
        with pytest.raises(PasswordRefusedError) as refused:
            db.check_connection()
    finally:
        db.dispose()
    assert refused.value.user == make_url(pg_database_url).username
    assert refused.value.reason.startswith("The server refused the password for ")


# -- thep-admin ------------------------------------------------------------------------------
def test_thep_admin_takes_the_kept_password_for_an_address_without_one(
    pg_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from thep_desktop.cli.admin import main as admin

    url = make_url(pg_database_url)
    bare = _with(pg_database_url, password=None)
    assert admin(["--db", bare, "schools", "list"]) == 1  # nothing kept: refused in words
    out, err = capsys.readouterr()
    assert out == "" and f"The server refused the password for {url.username}." in err
    key = f"{url.username}@{url.host}:{url.port}/{url.database}"
    remember_password(key, url.password or "")
    assert admin(["--db", bare, "schools", "list"]) == 0, capsys.readouterr().err
    out, err = capsys.readouterr()
    assert "Traceback" not in err and (url.password or "") not in out + err


def test_thep_admin_says_the_server_went_away_in_one_line(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """thep-admin does not keep trying as the window does: its line says so."""
    from thep_desktop.cli.admin import main as admin
    from thep_desktop.services.schools.schools_service import SchoolsService
    from thep_desktop.services.shared.errors import ServerUnavailableError

    def gone(*_args: object, **_kwargs: object) -> None:
        raise ServerUnavailableError("db.office.local")

    monkeypatch.setattr(SchoolsService, "list_schools", gone)
    assert admin(["--db", str(sqlite_db.sqlite_path), "schools", "list"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "thep-admin: The office server (db.office.local) cannot be reached; what this command "
        "had not finished was not saved.\n"
    )

"""The office server stopped and started again during a session: said in words, nothing lost.

A PostgreSQL server of the test's own (tests/own_pg_server.py) is stopped with
``pg_ctl stop -m fast``, as an administrator restarting it would, while the program has it
open; then started again. The suite's own server is not touched.
"""

from __future__ import annotations

import time

import pytest
from own_pg_server import OwnPgServer, own_pg_server  # noqa: F401 - the fixture
from sqlalchemy import func, select

from thep_desktop.models import School
from thep_desktop.services.registry import open_services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import ServerUnavailableError

ACTOR = Actor("jo.bloggs", Role.ADMIN)
TRIALS = 2


def _school(urn: str, name: str) -> SchoolInput:
    return SchoolInput(urn=urn, name=name, phase="Primary", la_code="203")


def test_reads_and_saves_carry_on_after_a_restart(
    own_pg_server: OwnPgServer,  # noqa: F811 - the fixture imported above
    reliability,
) -> None:
    """Read, stop, read/save -> ServerUnavailableError; start, read and save work on their own."""
    services, _note = open_services(own_pg_server.url, ACTOR, create=True)
    failures = 0
    problems: list[str] = []
    started = time.monotonic()
    try:
        services.schools.create_school(ACTOR, _school("100001", "Ash Grove Primary"))
        for trial in range(TRIALS):
            before = [s.name for s in services.schools.list_schools(ACTOR)]
            own_pg_server.stop()
            read_refused = save_refused = False
            try:
                services.schools.list_schools(ACTOR)
            except ServerUnavailableError as exc:
                read_refused = "cannot be reached" in exc.message and "127.0.0.1" in exc.message
            try:
                services.schools.create_school(ACTOR, _school(f"20000{trial}", f"Gone {trial}"))
            except ServerUnavailableError:
                save_refused = True
            own_pg_server.start()
            # No reconnect by hand: the same services read and save again.
            after = [s.name for s in services.schools.list_schools(ACTOR)]
            services.schools.create_school(ACTOR, _school(f"30000{trial}", f"Back {trial}"))
            with services.db.read_session() as session:
                gone = session.scalar(
                    select(func.count()).select_from(School).where(School.name.like("Gone%"))
                )
            ok = read_refused and save_refused and after == before and gone == 0
            if not ok:
                failures += 1
                problems.append(
                    f"trial {trial}: read refused {read_refused}, save refused {save_refused}, "
                    f"rows kept {after == before}, half-saved {gone}"
                )
        names = sorted(s.name for s in services.schools.list_schools(ACTOR))
    finally:
        services.close()
    reliability(
        "server stopped and started mid-session, services",
        trials=TRIALS,
        failures=failures,
        database="postgresql",
        kill_points="pg_ctl stop -m fast between a read and a save",
        detail=f"ServerUnavailableError on read and save, carried on without reconnecting; "
        f"{time.monotonic() - started:.1f} s",
    )
    assert failures == 0, problems
    assert names == sorted(["Ash Grove Primary", *(f"Back {t}" for t in range(TRIALS))])


def test_a_refusal_is_not_a_lost_server(own_pg_server: OwnPgServer) -> None:  # noqa: F811
    """A save the server refuses for another reason is not reported as the server gone."""
    services, _note = open_services(own_pg_server.url, ACTOR, create=True)
    try:
        services.schools.create_school(ACTOR, _school("100001", "Ash Grove Primary"))
        with pytest.raises(Exception) as raised:
            with services.db.session() as session:
                session.execute(select(func.count()).select_from(School).where(School.id / 0 > 1))
        assert not isinstance(raised.value, ServerUnavailableError)
        assert [s.name for s in services.schools.list_schools(ACTOR)] == ["Ash Grove Primary"]
    finally:
        services.close()

"""The demo's office people: one colleague of each role on a local file, none on a server."""

from __future__ import annotations

from thep_desktop.database import Database
from thep_desktop.domain.roles import Role
from thep_desktop.services.demo.demo_people import DEMO_PEOPLE
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.users.users_service import UsersService


def test_the_demo_adds_a_colleague_of_each_role_on_a_local_file_only(db: Database, actor) -> None:
    DemoService(db).load(actor)
    people = {u.login: u.role for u in UsersService(db).list_users(actor)}
    if db.is_sqlite:
        assert {login: role for login, _name, role in DEMO_PEOPLE}.items() <= people.items()
        assert set(people.values()) >= set(Role) - {Role.ADMIN}
    else:  # a server's people are logins with passwords someone chooses
        assert not set(people) & {login for login, _name, _role in DEMO_PEOPLE}

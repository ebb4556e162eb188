"""The demo's office: a few colleagues with the roles an office has, on a local file."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.domain.roles import Role
from thep_desktop.models import AppUser
from thep_desktop.services.demo.demo_steps import StepProgress
from thep_desktop.services.shared.actor import Actor

# Login, name, role: one of each role the office has besides the administrator.
DEMO_PEOPLE = (
    ("priya.shah", "Priya Shah", Role.STAFF),
    ("david.okafor", "David Okafor", Role.TREASURER),
    ("margaret.lee", "Margaret Lee", Role.CLERK),
    ("tom.hughes", "Tom Hughes", Role.VIEWER),
)


def people_step(
    session: Session, _rng: random.Random, actor: Actor, progress: StepProgress
) -> None:
    """Colleagues for Settings > Users, on a local file only.

    On a server each person is a login the server checks, with a password someone must
    choose: the demo never makes those (add people there with thep-admin users add).
    """
    if session.connection().dialect.name != "sqlite":
        progress.report(1, 1)
        return
    taken = set(session.scalars(select(AppUser.login)))
    for done, (login, name, role) in enumerate(DEMO_PEOPLE, start=1):
        if login not in taken:
            session.add(
                AppUser(
                    login=login,
                    full_name=name,
                    role=role,
                    active=True,
                    note="Demo colleague.",
                    created_by=actor.name,
                    updated_by=actor.name,
                )
            )
        progress.report(done, len(DEMO_PEOPLE), "Adding the office's people…")
    session.flush()

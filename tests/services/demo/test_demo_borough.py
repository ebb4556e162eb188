"""The demo borough: the same invented schools from the same seed, different from another."""

from __future__ import annotations

import random

from thep_desktop.services.demo.demo_borough import STAFF, _Borough, _borough
from thep_desktop.services.schools.schools_service import SCHOOL_FIELDS
from thep_desktop.services.shared.actor import Actor, Role


def test_the_same_borough_every_time() -> None:
    actor = Actor("a", Role.ADMIN)
    links = {name: i for i, (name, _job, _patch) in enumerate(STAFF)} | {
        "E1": 2,
        "E2 E3": 3,
        "E14": 4,
        "inclusion": 5,
    }

    def make() -> list[dict[str, object]]:
        schools = _borough(_Borough(random.Random("211/schools"), links, actor))
        return [
            {name: getattr(s, name) for name in SCHOOL_FIELDS}
            | {"contacts": [(c.full_name, c.role, c.email) for c in s.contacts]}
            for s in schools
        ]

    first, second = make(), make()
    assert first == second
    other = _borough(_Borough(random.Random("another seed"), links, actor))
    assert [s.name for s in other] != [s["name"] for s in first]

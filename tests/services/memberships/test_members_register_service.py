"""The register of members from the membership periods: who is on it as at a date, and how."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from thep_desktop.database import Database
from thep_desktop.domain.memberships import MemberKind
from thep_desktop.services.memberships.member_data import ApplicationInput, MemberInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ServiceError


def _member(services: Services, name: str, applied: date, admitted: date | None) -> int:
    actor = services.actor
    member = services.members.apply(
        actor,
        MemberInput(
            kind=MemberKind.ORGANISATION,
            name=name,
            address="12 Whitehorse Road\nLondon",
            postcode="e1 0nd",
        ),
        ApplicationInput(category="associate", applied_on=applied),
    )
    if admitted is not None:
        period = member.periods[-1]
        services.members.admit(actor, period.id, period.version, admitted)
    return member.id


@pytest.fixture
def services(db: Database) -> Services:
    return Services(db, Actor("office"))


def test_the_register_as_at_dates_around_admission_and_ceasing(services: Services) -> None:
    actor = services.actor
    left = _member(services, "Bow Arts Trust", date(2019, 1, 2), date(2019, 2, 1))
    period = services.members.get_member(actor, left).periods[-1]
    services.members.cease(actor, period.id, period.version, date(2022, 8, 31), "Wound up")
    leaving = _member(services, "Limehouse Youth Forum", date(2020, 5, 1), date(2020, 6, 1))
    period = services.members.get_member(actor, leaving).periods[-1]
    member = services.members.record_notice(actor, period.id, period.version, date(2025, 3, 31))
    leaves_on = member.periods[-1].ends_on
    assert leaves_on == date(2026, 3, 31)
    _member(services, "Waiting Applicant", date(2021, 1, 1), None)  # never admitted

    def entries(day: date) -> list[tuple[str, date, date | None]]:
        register = services.members_register.register(actor, day)
        assert register.as_at == day
        return [(e.name, e.admitted_on, e.ceased_on) for e in register.entries]

    assert entries(date(2019, 1, 31)) == []
    assert entries(date(2019, 2, 1)) == [("Bow Arts Trust", date(2019, 2, 1), None)]
    assert entries(date(2022, 8, 30)) == [
        ("Bow Arts Trust", date(2019, 2, 1), None),
        ("Limehouse Youth Forum", date(2020, 6, 1), None),
    ]
    # Ceased on 31/08/2022 (its first day no longer a member); still listed, with the date.
    assert entries(date(2022, 8, 31))[0] == ("Bow Arts Trust", date(2019, 2, 1), date(2022, 8, 31))
    # Under notice is still a member until the notice runs out.
    assert entries(date(2026, 3, 30))[1] == ("Limehouse Youth Forum", date(2020, 6, 1), None)
    assert entries(date(2026, 3, 31))[1] == (
        "Limehouse Youth Forum",
        date(2020, 6, 1),
        date(2026, 3, 31),
    )
    entry = services.members_register.register(actor, date(2026, 1, 1)).entries[0]
    assert entry.address == ("12 Whitehorse Road", "London", "E1 0ND")
    assert entry.category == "Associate member"


def test_a_re_joiner_has_an_entry_for_each_period(services: Services) -> None:
    actor = services.actor
    member_id = _member(services, "Bow Arts Trust", date(2019, 1, 2), date(2019, 2, 1))
    period = services.members.get_member(actor, member_id).periods[-1]
    services.members.cease(actor, period.id, period.version, date(2020, 9, 1), "Left")
    member = services.members.apply_again(
        actor, member_id, ApplicationInput(category="associate", applied_on=date(2023, 8, 1))
    )
    period = member.periods[-1]
    services.members.admit(actor, period.id, period.version, date(2023, 9, 1))
    register = services.members_register.register(actor, date(2024, 1, 1))
    assert [(e.admitted_on, e.ceased_on) for e in register.entries] == [
        (date(2019, 2, 1), date(2020, 9, 1)),
        (date(2023, 9, 1), None),
    ]
    assert (register.members, register.former) == (1, 1)


def test_writing_the_register_takes_pdf_or_xlsx_only(services: Services, tmp_path: Path) -> None:
    _member(services, "Bow Arts Trust", date(2019, 1, 2), date(2019, 2, 1))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ServiceError, match=r"\.pdf or \.xlsx"):
        services.members_register.write_register(services.actor, out / "register.docx")
    assert list(out.iterdir()) == []
    register = services.members_register.write_register(
        services.actor, out / "register.pdf", date(2020, 1, 1)
    )
    assert len(register.entries) == 1
    assert (out / "register.pdf").read_bytes().startswith(b"%PDF")

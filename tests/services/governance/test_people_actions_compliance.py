"""People, appointments and the register of directors; actions carried forward as matters
arising until closed; the compliance panel's findings. On both databases."""

from __future__ import annotations

from datetime import date

import pytest
from governance_records import appoint, attend, board, bodies, governance_sums, meeting, person

from thep_desktop.database import Database
from thep_desktop.domain.governance import (
    ActionStatus,
    Capacity,
    HowAppointed,
    SchoolRole,
    WhyEnded,
)
from thep_desktop.services.governance.governance_data import (
    ActionFilter,
    ActionInput,
    AppointmentInput,
    PersonInput,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError, ValidationError


def test_a_director_appointed_twice_over_the_same_dates_is_refused(
    services: Services, db: Database
) -> None:
    ids = bodies(services)
    who = person(services, "Kevan Collins")
    appoint(services, who, ids["B"], starts_on=date(2024, 9, 1), term_ends_on=date(2027, 9, 1))
    before = governance_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.governance_people.save_appointment(
            services.actor,
            AppointmentInput(
                who, ids["B"], Capacity.CHAIR, HowAppointed.CO_OPTED, date(2025, 1, 1)
            ),
        )
    words = refused.value.field_errors["starts_on"]
    assert "Kevan Collins is already appointed to Board of Directors from 01/09/2024" in words
    assert governance_sums(db) == before
    # The same person may sit on another body at the same time.
    appoint(services, who, ids["AC"], Capacity.OBSERVER, starts_on=date(2025, 1, 1))


def test_appointments_end_by_resignation_and_the_register_as_at_dates(
    services: Services,
) -> None:
    ids = bodies(services)
    gilbert = person(
        services,
        "Christine Gilbert",
        title="Ms",
        birth_month=3,
        birth_year=1950,
        service_address="229 Bethnal Green Road, London E2 6AB",
        nationality="British",
        occupation="Visiting professor",
        country_of_residence="England",
    )
    first = appoint(services, gilbert, ids["B"], Capacity.CHAIR, date(2017, 4, 1))
    detail = services.governance_people.get_appointment(services.actor, first)
    services.governance_people.end_appointment(
        services.actor, first, date(2020, 4, 1), WhyEnded.TERM_ENDED, detail.version
    )
    appoint(services, gilbert, ids["B"], Capacity.CHAIR, date(2020, 4, 1))
    ahmed = person(services, "Aziz Ahmed")
    second = appoint(services, ahmed, ids["B"], Capacity.DIRECTOR, date(2017, 4, 1))
    detail = services.governance_people.get_appointment(services.actor, second)
    ended = services.governance_people.end_appointment(
        services.actor, second, date(2023, 1, 31), WhyEnded.RESIGNED, detail.version
    )
    assert ended.why_ended == WhyEnded.RESIGNED
    observer = person(services, "Observer")
    appoint(services, observer, ids["B"], Capacity.OBSERVER, date(2017, 4, 1))

    before = services.governance_people.register_of_directors(services.actor, date(2017, 3, 31))
    assert before.entries == ()
    in_2022 = services.governance_people.register_of_directors(services.actor, date(2022, 6, 1))
    assert [(e.name, e.appointed_on, e.ceased_on) for e in in_2022.entries] == [
        ("Aziz Ahmed", date(2017, 4, 1), None),
        ("Ms Christine Gilbert", date(2017, 4, 1), None),
    ]
    gilbert_line = in_2022.entries[1]
    assert gilbert_line.born == "March 1950"
    assert gilbert_line.service_address.startswith("229 Bethnal Green Road")
    in_2024 = services.governance_people.register_of_directors(services.actor, date(2024, 6, 1))
    assert [e.name for e in in_2024.current] == ["Ms Christine Gilbert"]
    assert [(e.name, e.ceased_on, e.why_ended) for e in in_2024.former] == [
        ("Aziz Ahmed", date(2023, 1, 31), WhyEnded.RESIGNED)
    ]
    members = services.governance_people.members_of(services.actor, ids["B"], date(2023, 1, 31))
    assert [m.person_name for m in members] == ["Ms Christine Gilbert", "Observer"]


def test_people_are_checked_and_kept_while_they_have_a_record(
    services: Services, db: Database
) -> None:
    ids = bodies(services)
    before = governance_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.governance_people.save_person(
            services.actor,
            PersonInput(
                "",
                email="not an email",
                school_role=SchoolRole.GOVERNOR,
                birth_month=13,
                birth_year=1960,
            ),
        )
    errors = refused.value.field_errors
    assert set(errors) >= {"full_name", "email", "school_id", "birth_month"}
    assert governance_sums(db) == before
    who = person(services, "Rob Hopkins")
    appoint(services, who, ids["B"])
    found = services.governance_people.get_person(services.actor, who)
    with pytest.raises(ServiceError) as refused:
        services.governance_people.delete_person(services.actor, who, found.version)
    assert "1 appointment" in str(refused.value)
    assert services.governance_people.list_people(services.actor, "hopk")[0].id == who


def test_actions_carry_forward_as_matters_arising_until_closed(services: Services) -> None:
    board_id, people = board(services)
    july = attend(services, meeting(services, board_id, date(2025, 7, 14)), present=people[:4])
    action = services.governance_actions.save_action(
        services.actor,
        ActionInput(
            july.id,
            "Draft the risk register.",
            owner_person_id=people[2],
            due_on=date(2025, 9, 1),
            agenda_item_id=july.items[5].id,
        ),
    )
    assert action.owner_label == "Kevan Collins"
    assert action.item_position == 6
    september = attend(services, meeting(services, board_id, date(2025, 9, 22)), people[:4])
    november = attend(services, meeting(services, board_id, date(2025, 11, 17)), people[:4])
    assert [a.id for a in september.matters_arising] == [action.id]
    # Still open in November: carried forward again.
    assert [
        a.id for a in services.governance_actions.matters_arising(services.actor, november.id)
    ] == [action.id]
    overdue = services.governance_actions.list_actions(
        services.actor, ActionFilter(overdue_on=date(2025, 10, 1))
    )
    assert [a.id for a in overdue] == [action.id]
    assert action.overdue(date(2025, 10, 1))
    done = services.governance_actions.set_action_status(
        services.actor,
        action.id,
        ActionStatus.DONE,
        date(2025, 11, 17),
        "Presented and adopted.",
        action.version,
        at_meeting_id=november.id,
    )
    assert (done.closed_on, done.closed_at_meeting_id) == (date(2025, 11, 17), november.id)
    # It shows at November's meeting (closed there), not at the next one.
    assert [
        a.id for a in services.governance_actions.matters_arising(services.actor, november.id)
    ] == [action.id]
    january = meeting(services, board_id, date(2026, 1, 19))
    assert january.matters_arising == ()
    assert not services.governance_actions.list_actions(
        services.actor, ActionFilter(open_only=True)
    )
    assert not services.governance_actions.list_actions(
        services.actor, ActionFilter(overdue_on=date(2025, 12, 1))
    )


def test_an_action_needs_an_owner_and_a_date_after_its_meeting(
    services: Services, db: Database
) -> None:
    board_id, _ = board(services)
    july = meeting(services, board_id, date(2025, 7, 14))
    before = governance_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.governance_actions.save_action(services.actor, ActionInput(july.id, "Do it."))
    assert "Say who will do it" in refused.value.field_errors["owner_name"]
    with pytest.raises(ValidationError) as refused:
        services.governance_actions.save_action(
            services.actor,
            ActionInput(july.id, "Do it.", owner_name="Clerk", due_on=date(2025, 7, 1)),
        )
    assert "14/07/2025" in refused.value.field_errors["due_on"]
    assert governance_sums(db) == before


def test_compliance_finds_what_needs_attention(services: Services) -> None:
    ids = bodies(services)
    board_id, people = board(services)
    as_at = date(2026, 2, 2)  # the spring term 2026
    # The Advisory Council met in the autumn, not yet this term; the board is on course.
    meeting(services, ids["AC"], date(2025, 11, 10), date(2025, 11, 1))
    for day in (date(2025, 9, 22), date(2025, 11, 17), date(2026, 1, 19), date(2026, 3, 16)):
        meeting(services, board_id, day, date(2025, 9, 1))
    # A general meeting with short notice, within the last year.
    meeting(services, ids["GM"], date(2025, 12, 8), date(2025, 12, 1))
    july = meeting(services, board_id, date(2025, 7, 14))
    late = services.governance_actions.save_action(
        services.actor,
        ActionInput(
            july.id,
            "Review the website.",
            owner_name="Executive Director",
            due_on=date(2026, 1, 31),
        ),
    )
    services.governance_actions.save_action(
        services.actor,
        ActionInput(july.id, "Not yet due.", owner_name="Clerk", due_on=date(2026, 3, 1)),
    )
    ending = appoint(
        services,
        person(services, "Michael Keith"),
        ids["AC"],
        Capacity.MEMBER,
        starts_on=date(2023, 4, 1),
        term_ends_on=date(2026, 4, 1),
    )
    appoint(
        services,
        person(services, "Later term"),
        ids["AC"],
        Capacity.MEMBER,
        starts_on=date(2023, 4, 1),
        term_ends_on=date(2026, 9, 1),
    )
    report = services.governance_compliance.compliance(services.actor, as_at)
    assert [(g.body_name, g.held, g.planned) for g in report.behind] == [("Advisory Council", 0, 0)]
    assert "Advisory Council has not met in the spring term 2026" in report.behind[0].message
    assert "at least once each term" in report.behind[0].message
    assert [m.title for m in report.short_notices] == ["General meeting"]
    assert [a.id for a in report.overdue_actions] == [late.id]
    assert [a.id for a in report.terms_ending] == [ending]
    assert not report.all_clear

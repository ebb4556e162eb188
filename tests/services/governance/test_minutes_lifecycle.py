"""The minutes' lifecycle on both databases: circulated, approved at a later meeting (as a
decision there), signed by the chair, then locked: changes refused, errata added."""

from __future__ import annotations

from datetime import date

import pytest
from governance_records import attend, board, governance_sums, meeting

from thep_desktop.database import Database
from thep_desktop.domain.governance import MinutesStatus, Votes
from thep_desktop.services.governance.governance_data import (
    ActionInput,
    DecisionInput,
    MeetingInput,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError, ValidationError

FIRST = date(2025, 7, 14)
NEXT = date(2025, 9, 22)


def _two_meetings(services: Services) -> tuple[int, int, list[int]]:
    board_id, people = board(services)
    first = attend(services, meeting(services, board_id, FIRST), present=people[:4])
    services.meetings.save_decision(
        services.actor, first.id, DecisionInput(first.items[3].id, "To note the report.")
    )
    second = attend(services, meeting(services, board_id, NEXT), present=people[:5])
    return first.id, second.id, people


def test_minutes_go_from_draft_to_signed(services: Services) -> None:
    first, second, _ = _two_meetings(services)
    detail = services.meetings.get_meeting(services.actor, first)
    assert detail.minutes_status == MinutesStatus.DRAFT
    detail = services.meetings.circulate_minutes(
        services.actor, first, date(2025, 7, 21), detail.version
    )
    assert (detail.minutes_status, detail.circulated_on) == (
        MinutesStatus.CIRCULATED,
        date(2025, 7, 21),
    )
    later = services.meetings.get_meeting(services.actor, second)
    decision = services.meetings.approve_minutes(
        services.actor, first, second, later.items[2].id, Votes(5, 0, 0)
    )
    assert decision.reference == "B/2025/09/1"
    assert "held on 14/07/2025 be approved as a true record" in decision.text
    assert decision.approves_meeting_id == first
    detail = services.meetings.get_meeting(services.actor, first)
    assert detail.minutes_status == MinutesStatus.APPROVED
    assert (detail.approved_on, detail.approved_at_meeting_id) == (NEXT, second)
    assert detail.approved_at_label == "Board of Directors, 22/09/2025"
    detail = services.meetings.sign_minutes(
        services.actor, first, "Christine Gilbert", NEXT, detail.version
    )
    assert (detail.minutes_status, detail.signed_by, detail.signed_on) == (
        MinutesStatus.SIGNED,
        "Christine Gilbert",
        NEXT,
    )


def test_approved_minutes_cannot_be_changed_through_the_service(
    services: Services, db: Database
) -> None:
    first, second, people = _two_meetings(services)
    later = services.meetings.get_meeting(services.actor, second)
    services.meetings.approve_minutes(services.actor, first, second, later.items[2].id)
    detail = services.meetings.get_meeting(services.actor, first)
    assert detail.locked
    before = governance_sums(db)
    attempts = [
        lambda: services.meetings.save_meeting(
            services.actor,
            MeetingInput(detail.body.id, FIRST, venue="Elsewhere"),
            first,
            detail.version,
        ),
        lambda: services.meetings.save_agenda(
            services.actor, first, [i.as_input() for i in detail.items][:-1], detail.version
        ),
        lambda: services.meetings.save_item_minutes(
            services.actor, detail.items[0].id, "Rewritten.", detail.items[0].version
        ),
        lambda: services.meetings.save_attendance(services.actor, first, [], detail.version),
        lambda: services.meetings.save_decision(
            services.actor, first, DecisionInput(detail.items[3].id, "Another.")
        ),
        lambda: services.meetings.delete_decision(
            services.actor, detail.decisions[0].id, detail.decisions[0].version
        ),
        lambda: services.meetings.add_paper(services.actor, detail.items[0].id, "a.pdf", b"x"),
        lambda: services.meetings.delete_meeting(services.actor, first, detail.version),
        lambda: services.meetings.circulate_minutes(
            services.actor, first, date(2025, 7, 20), detail.version
        ),
        lambda: services.governance_actions.save_action(
            services.actor, ActionInput(first, "Late action.", owner_name="Clerk")
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ServiceError) as refused:
            attempt()
        assert "approved on 22/09/2025 and cannot be changed" in str(refused.value)
    # The decision that approved them stays too.
    approval = services.meetings.get_meeting(services.actor, second).decisions[0]
    with pytest.raises(ServiceError) as refused:
        services.meetings.delete_decision(services.actor, approval.id, approval.version)
    assert "approved the minutes of Board of Directors, 14/07/2025" in str(refused.value)
    assert governance_sums(db) == before


def test_an_erratum_keeps_the_original_text(services: Services) -> None:
    first, second, _ = _two_meetings(services)
    detail = services.meetings.get_meeting(services.actor, first)
    services.meetings.save_item_minutes(
        services.actor, detail.items[3].id, "Income was £120,000.", detail.items[3].version
    )
    with pytest.raises(ServiceError) as refused:
        services.meetings.add_erratum(
            services.actor, first, detail.items[3].id, NEXT, "Income was £102,000."
        )
    assert "not approved yet" in str(refused.value)
    later = services.meetings.get_meeting(services.actor, second)
    services.meetings.approve_minutes(services.actor, first, second, later.items[2].id)
    with pytest.raises(ValidationError):
        services.meetings.add_erratum(
            services.actor, first, detail.items[3].id, date(2025, 9, 1), "Too early."
        )
    erratum = services.meetings.add_erratum(
        services.actor,
        first,
        detail.items[3].id,
        date(2025, 10, 1),
        "Income was £102,000.",
        "A typing error in the figure.",
    )
    assert erratum.item_position == 4
    detail = services.meetings.get_meeting(services.actor, first)
    assert detail.items[3].minutes == "Income was £120,000."
    assert [(e.noted_on, e.correction) for e in detail.errata] == [
        (date(2025, 10, 1), "Income was £102,000.")
    ]


def test_minutes_of_a_meeting_that_has_not_happened_cannot_be_approved(
    services: Services, db: Database
) -> None:
    board_id, people = board(services)
    past = attend(services, meeting(services, board_id, FIRST), present=people[:4])
    ahead = meeting(services, board_id, date(2099, 3, 2))
    before = governance_sums(db)
    with pytest.raises(ServiceError) as refused:
        services.meetings.approve_minutes(services.actor, ahead.id, past.id, past.items[2].id)
    assert "has not happened yet" in str(refused.value)
    # Nor at a meeting before it, nor at one that has not met.
    earlier = attend(services, meeting(services, board_id, date(2025, 6, 2)), people[:4])
    before = governance_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.meetings.approve_minutes(services.actor, past.id, earlier.id, earlier.items[2].id)
    assert "approved at a later meeting" in refused.value.field_errors["at_meeting_id"]
    with pytest.raises(ServiceError) as refused:
        services.meetings.approve_minutes(services.actor, past.id, ahead.id, ahead.items[2].id)
    assert "has not happened yet" in str(refused.value)
    assert governance_sums(db) == before


def test_minutes_are_approved_only_at_a_quorate_meeting(services: Services, db: Database) -> None:
    board_id, people = board(services)
    first = attend(services, meeting(services, board_id, FIRST), present=people[:4])
    thin = attend(services, meeting(services, board_id, NEXT), present=people[:2])
    before = governance_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.meetings.approve_minutes(services.actor, first.id, thin.id, thin.items[2].id)
    assert "not quorate" in refused.value.field_errors["votes"]
    assert governance_sums(db) == before
    assert services.meetings.get_meeting(services.actor, first.id).minutes_status == (
        MinutesStatus.DRAFT
    )


def test_signing_needs_approval_and_a_name(services: Services, db: Database) -> None:
    first, second, _ = _two_meetings(services)
    detail = services.meetings.get_meeting(services.actor, first)
    before = governance_sums(db)
    with pytest.raises(ServiceError) as refused:
        services.meetings.sign_minutes(services.actor, first, "C Gilbert", NEXT, detail.version)
    assert "once a later meeting has approved them" in str(refused.value)
    later = services.meetings.get_meeting(services.actor, second)
    services.meetings.approve_minutes(services.actor, first, second, later.items[2].id)
    detail = services.meetings.get_meeting(services.actor, first)
    before = governance_sums(db)
    with pytest.raises(ValidationError):
        services.meetings.sign_minutes(services.actor, first, "  ", NEXT, detail.version)
    with pytest.raises(ValidationError) as refused:
        services.meetings.sign_minutes(
            services.actor, first, "C Gilbert", date(2025, 9, 1), detail.version
        )
    assert "22/09/2025" in refused.value.field_errors["signed_on"]
    assert governance_sums(db) == before


def test_actions_in_approved_minutes_keep_what_they_say_but_move_on(
    services: Services, db: Database
) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from thep_desktop.domain.governance import ActionStatus

    first, second, people = _two_meetings(services)
    action = services.governance_actions.save_action(
        services.actor,
        ActionInput(
            first, "Draft the risk register.", owner_person_id=people[2], due_on=date(2025, 9, 1)
        ),
    )
    later = services.meetings.get_meeting(services.actor, second)
    services.meetings.approve_minutes(services.actor, first, second, later.items[2].id)
    before = governance_sums(db)
    with pytest.raises(ServiceError) as refused:
        services.governance_actions.save_action(
            services.actor,
            ActionInput(first, "Something else.", owner_name="Clerk"),
            action.id,
            action.version,
        )
    assert "approved on 22/09/2025" in str(refused.value)
    with pytest.raises(ServiceError):
        services.governance_actions.delete_action(services.actor, action.id, action.version)
    for statement in (
        "UPDATE governance_action SET text = 'Rewritten.' WHERE id = :id",
        "UPDATE governance_action SET due_on = NULL WHERE id = :id",
        "DELETE FROM governance_action WHERE id = :id",
    ):
        with pytest.raises(IntegrityError, match="Approved minutes cannot be changed"):
            with db.engine.begin() as conn:
                conn.execute(text(statement), {"id": action.id})
    assert governance_sums(db) == before
    done = services.governance_actions.set_action_status(
        services.actor,
        action.id,
        ActionStatus.DONE,
        NEXT,
        "Adopted.",
        action.version,
        at_meeting_id=second,
    )
    assert (done.status, done.closed_on, done.text) == (
        ActionStatus.DONE,
        NEXT,
        "Draft the risk register.",
    )

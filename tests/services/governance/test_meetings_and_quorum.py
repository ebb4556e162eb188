"""Meetings on both databases: notice in clear days, attendance and the quorum at each item,
decisions refused when inquorate or over-voted, and nothing changed by a refusal."""

from __future__ import annotations

from datetime import date

import pytest
from governance_records import attend, board, bodies, governance_sums, meeting

from thep_desktop.database import Database
from thep_desktop.domain.governance import (
    Attendance,
    DecisionKind,
    DecisionResult,
    MeetingKind,
    Votes,
)
from thep_desktop.domain.roles import Role
from thep_desktop.services.governance.governance_data import (
    AgendaItemInput,
    AttendanceInput,
    DecisionInput,
    DeclarationInput,
    MeetingInput,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    ConflictError,
    PermissionDeniedError,
    ServiceError,
    ValidationError,
)

MET = date(2025, 7, 14)


def test_a_new_meeting_has_the_usual_agenda_and_its_notice_checked(
    services: Services,
) -> None:
    board_id, _ = board(services)
    detail = meeting(services, board_id, MET, notice_sent_on=date(2025, 7, 6))
    assert detail.title == "Board of Directors"
    assert [i.position for i in detail.items] == list(range(1, len(detail.items) + 1))
    assert detail.items[0].title == "Welcome and apologies for absence"
    assert detail.items[-1].title == "Date of the next meeting"
    # 7 clear days: the 6th (sent) and the 14th (meeting) do not count: 7th to 13th.
    assert detail.notice.given == 7
    assert not detail.notice.short
    later = services.meetings.save_meeting(
        services.actor,
        MeetingInput(board_id, MET, notice_sent_on=date(2025, 7, 7)),
        detail.id,
        detail.version,
    )
    assert later.notice.given == 6
    assert later.notice.short
    assert "Short notice" in later.notice.message
    assert "06/07/2025" in later.notice.message


def test_general_meetings_need_fourteen_clear_days(services: Services) -> None:
    gm = bodies(services)["GM"]
    on_time = meeting(services, gm, MET, date(2025, 6, 29), kind=MeetingKind.ANNUAL)
    assert on_time.title == "Annual General Meeting"
    assert (on_time.notice.given, on_time.notice.short) == (14, False)
    late = meeting(services, gm, date(2025, 7, 15), date(2025, 7, 1))
    assert (late.notice.given, late.notice.short) == (13, True)


def test_a_meeting_without_a_body_is_refused_and_nothing_saved(
    services: Services, db: Database
) -> None:
    bodies(services)
    before = governance_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.meetings.save_meeting(services.actor, MeetingInput(None, MET))
    assert "Choose the body" in refused.value.field_errors["body_id"]
    with pytest.raises(ValidationError) as refused:
        services.meetings.save_meeting(
            services.actor,
            MeetingInput(bodies(services)["B"], MET, notice_sent_on=date(2025, 7, 15)),
        )
    assert "before the meeting" in refused.value.field_errors["notice_sent_on"]
    assert governance_sums(db) == before


def test_an_agm_is_a_general_meeting(services: Services, db: Database) -> None:
    ids = bodies(services)
    before = governance_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.meetings.save_meeting(
            services.actor, MeetingInput(ids["B"], MET, kind=MeetingKind.ANNUAL)
        )
    assert "Only a general meeting" in refused.value.field_errors["kind"]
    assert governance_sums(db) == before


def test_quorum_exactly_met_and_one_short(services: Services) -> None:
    board_id, people = board(services)  # six directors, quorum 3, one observer
    detail = meeting(services, board_id, MET)
    detail = attend(services, detail, present=people[:3], apologies=people[3:6])
    assert detail.entitled == 6
    assert all(q.quorate and q.present == 3 and q.needed == 3 for q in detail.quorum)
    detail = attend(services, detail, present=people[:2], in_attendance=[people[6]])
    assert not any(q.quorate for q in detail.quorum)
    observer = next(a for a in detail.attendance if a.person_id == people[6])
    assert not observer.votes
    assert "observer" in observer.why_no_vote


def test_observers_count_only_when_the_rule_says(services: Services) -> None:
    board_id, people = board(services)
    body = services.governing_bodies.get_body(services.actor, board_id)
    detail = meeting(services, board_id, MET)
    detail = attend(services, detail, present=people[:2], in_attendance=[people[6]])
    assert not detail.quorum[0].quorate
    from dataclasses import replace

    services.governing_bodies.save_body(
        services.actor,
        replace(body.as_input(), quorum=replace(body.quorum, observers_count=True)),
        board_id,
        body.version,
    )
    detail = services.meetings.get_meeting(services.actor, detail.id)
    assert detail.quorum[0].quorate
    assert detail.quorum[0].voting == 2


def test_late_arrivals_and_early_leavers_change_the_quorum_by_item(
    services: Services, db: Database
) -> None:
    board_id, people = board(services)
    detail = meeting(services, board_id, MET)
    # Two from the start, a third arrives at item 3 and one leaves before item 6.
    detail = attend(services, detail, present=people[:3], late={people[2]: 3}, left={people[0]: 6})
    quorate = {q.item: q.quorate for q in detail.quorum}
    assert quorate == {1: False, 2: False, 3: True, 4: True, 5: True, 6: False, 7: False, 8: False}
    items = {i.position: i.id for i in detail.items}
    # Someone leaving before a vote: a decision at item 6 is refused, nothing saved.
    before = governance_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.meetings.save_decision(
            services.actor, detail.id, DecisionInput(items[6], "To approve the budget.")
        )
    assert "not quorate at item 6" in refused.value.field_errors["votes"]
    assert governance_sums(db) == before
    made = services.meetings.save_decision(
        services.actor,
        detail.id,
        DecisionInput(items[4], "To approve the budget for 2025/26.", votes=Votes(3, 0, 0)),
    )
    assert made.reference == "B/2025/07/1"
    assert made.quorum.quorate and made.quorum.voting == 3
    # Attendance that would leave the recorded decision inquorate is refused.
    before = governance_sums(db)
    detail = services.meetings.get_meeting(services.actor, detail.id)
    with pytest.raises(ValidationError) as refused:
        attend(services, detail, present=people[:3], late={people[2]: 5}, left={people[0]: 6})
    assert "B/2025/07/1 would no longer stand" in refused.value.field_errors["attendance"]
    assert governance_sums(db) == before


def test_votes_more_than_those_present_and_entitled_are_refused(
    services: Services, db: Database
) -> None:
    board_id, people = board(services)
    detail = meeting(services, board_id, MET)
    detail = attend(services, detail, present=people[:4], in_attendance=[people[6]])
    item = detail.items[3].id
    before = governance_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.meetings.save_decision(
            services.actor, detail.id, DecisionInput(item, "To agree the plan.", votes=Votes(4, 1))
        )
    assert "5 votes" in refused.value.field_errors["votes"]
    assert "more than the 4 voting members present" in refused.value.field_errors["votes"]
    with pytest.raises(ValidationError) as refused:
        services.meetings.save_decision(
            services.actor,
            detail.id,
            DecisionInput(
                item, "To agree the plan.", result=DecisionResult.CARRIED, votes=Votes(2, 2)
            ),
        )
    assert "not carried" in refused.value.field_errors["votes"]
    with pytest.raises(ValidationError) as refused:
        services.meetings.save_decision(
            services.actor,
            detail.id,
            DecisionInput(
                item,
                "To change the articles.",
                DecisionKind.SPECIAL,
                DecisionResult.CARRIED,
                Votes(2, 1, 1),
            ),
        )
    assert "three quarters" in refused.value.field_errors["votes"]
    assert governance_sums(db) == before
    special = services.meetings.save_decision(
        services.actor,
        detail.id,
        DecisionInput(
            item,
            "To change the articles.",
            DecisionKind.SPECIAL,
            DecisionResult.CARRIED,
            Votes(3, 1, 0),
        ),
    )
    assert special.number == 1


def test_decisions_are_numbered_per_meeting_and_renumbered_on_delete(
    services: Services,
) -> None:
    board_id, people = board(services)
    first = attend(services, meeting(services, board_id, MET), present=people[:4])
    second = attend(services, meeting(services, board_id, date(2025, 7, 21)), present=people[:4])
    item = first.items[3].id
    made = [
        services.meetings.save_decision(
            services.actor, first.id, DecisionInput(item, f"Decision {n}.")
        )
        for n in (1, 2, 3)
    ]
    assert [d.reference for d in made] == ["B/2025/07/1", "B/2025/07/2", "B/2025/07/3"]
    other = services.meetings.save_decision(
        services.actor, second.id, DecisionInput(second.items[3].id, "Another month's first.")
    )
    assert other.reference == "B/2025/07b/1"
    services.meetings.delete_decision(services.actor, made[0].id, made[0].version)
    left = services.meetings.get_meeting(services.actor, first.id).decisions
    assert [(d.reference, d.text) for d in left] == [
        ("B/2025/07/1", "Decision 2."),
        ("B/2025/07/2", "Decision 3."),
    ]


def test_no_decision_before_the_meeting_has_happened(services: Services, db: Database) -> None:
    board_id, people = board(services)
    ahead = meeting(services, board_id, date(2099, 1, 5))
    before = governance_sums(db)
    with pytest.raises(ServiceError) as refused:
        services.meetings.save_decision(
            services.actor, ahead.id, DecisionInput(ahead.items[0].id, "Too early.")
        )
    assert "has not happened yet" in str(refused.value)
    assert governance_sums(db) == before


def test_the_agenda_is_reordered_and_an_item_with_a_decision_stays(
    services: Services, db: Database
) -> None:
    board_id, people = board(services)
    detail = attend(services, meeting(services, board_id, MET), present=people[:4])
    items = [i.as_input() for i in detail.items]
    items.insert(3, AgendaItemInput("Safeguarding report", "Executive Director", "Noted."))
    detail = services.meetings.save_agenda(services.actor, detail.id, items, detail.version)
    assert detail.items[3].title == "Safeguarding report"
    assert detail.items[3].minutes == "Noted."
    assert [i.position for i in detail.items] == list(range(1, len(items) + 1))
    services.meetings.save_decision(
        services.actor, detail.id, DecisionInput(detail.items[3].id, "To adopt the policy.")
    )
    detail = services.meetings.get_meeting(services.actor, detail.id)
    before = governance_sums(db)
    without = [i.as_input() for i in detail.items if i.position != 4]
    with pytest.raises(ValidationError) as refused:
        services.meetings.save_agenda(services.actor, detail.id, without, detail.version)
    assert "Safeguarding report" in refused.value.field_errors["items"]
    assert governance_sums(db) == before
    with pytest.raises(ConflictError):
        services.meetings.save_agenda(
            services.actor, detail.id, [i.as_input() for i in detail.items], detail.version - 1
        )


def test_papers_and_declarations(services: Services) -> None:
    board_id, people = board(services)
    detail = meeting(services, board_id, MET)
    item = detail.items[4]
    paper = services.meetings.add_paper(
        services.actor, item.id, r"C:\Papers\Finance report Q1.pdf", b"%PDF-1.4 report"
    )
    assert paper.file_name == "Finance report Q1.pdf"
    assert services.meetings.paper_content(services.actor, paper.id) == (
        "Finance report Q1.pdf",
        b"%PDF-1.4 report",
    )
    with pytest.raises(ValidationError):
        services.meetings.add_paper(services.actor, item.id, "empty.pdf", b"")
    detail = services.meetings.save_declarations(
        services.actor,
        detail.id,
        [DeclarationInput("Rob Hopkins", "Governor of a school bidding for the contract", item.id)],
        services.meetings.get_meeting(services.actor, detail.id).version,
    )
    assert detail.declarations[0].item_position == item.position
    assert detail.items[4].papers[0].size == len(b"%PDF-1.4 report")
    services.meetings.remove_paper(services.actor, paper.id, paper.version)
    assert not services.meetings.get_meeting(services.actor, detail.id).items[4].papers


def test_attendance_lines_are_checked(services: Services, db: Database) -> None:
    board_id, people = board(services)
    detail = meeting(services, board_id, MET)
    before = governance_sums(db)
    bad = [
        AttendanceInput(Attendance.PRESENT, person_id=people[0]),
        AttendanceInput(Attendance.PRESENT, person_id=people[0]),
        AttendanceInput(Attendance.APOLOGIES, person_id=people[1], arrived_at_item=2),
        AttendanceInput(Attendance.PRESENT, person_id=people[2], arrived_at_item=4, left_at_item=3),
        AttendanceInput(Attendance.IN_ATTENDANCE),
    ]
    with pytest.raises(ValidationError) as refused:
        services.meetings.save_attendance(services.actor, detail.id, bad, detail.version)
    errors = refused.value.field_errors
    assert "listed twice" in errors["line_2"]
    assert "Only someone who was there" in errors["line_3"]
    assert "cannot leave before" in errors["line_4"]
    assert "give the name" in errors["line_5"]
    assert governance_sums(db) == before
    proposed = services.meetings.proposed_attendance(services.actor, detail.id)
    assert {p.person_id for p in proposed} == set(people)
    assert all(p.status == Attendance.ABSENT and p.id is None for p in proposed)


def test_only_the_clerk_and_administrators_change_governance(db: Database) -> None:
    clerk = Services(db, Actor("clerk", Role.CLERK))
    board_id, _ = board(clerk)
    staff = Services(db, Actor("sam", Role.STAFF))
    before = governance_sums(db)
    with pytest.raises(PermissionDeniedError):
        staff.meetings.save_meeting(staff.actor, MeetingInput(board_id, MET))
    assert governance_sums(db) == before
    assert staff.governing_bodies.list_bodies(staff.actor)

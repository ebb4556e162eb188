"""General meetings on both databases: one school, one vote, from the schools entitled on
the meeting's day (admitted by then, not yet ceased, full members), in person or by proxy."""

from __future__ import annotations

from datetime import date

import pytest
from governance_records import bodies, governance_sums, meeting
from membership_records import join, make_school

from thep_desktop.database import Database
from thep_desktop.domain.governance import Attendance, MeetingKind, Votes
from thep_desktop.domain.memberships import Category
from thep_desktop.services.governance.governance_data import AttendanceInput, DecisionInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ValidationError

AGM = date(2025, 7, 14)


@pytest.fixture
def members(office: Services) -> dict[str, int]:
    """Member ids: entitled on the AGM's day or not, around admission and cessation."""
    made = {}
    for key, urn, name, admitted in (
        ("long", "100929", "Arnhem Wharf Primary School", date(2020, 1, 6)),
        ("that_day", "100932", "Bangabandhu Primary School", AGM),
        ("day_after", "100933", "Bigland Green Primary School", date(2025, 7, 15)),
        ("ceased", "100936", "Blue Gate Fields Infants' School", date(2019, 9, 2)),
        ("ceases_after", "100940", "Canon Barnett Primary School", date(2019, 9, 2)),
    ):
        school = make_school(office, urn, name)
        made[key] = join(office, school, date(2019, 6, 1), admitted).id
    for key, ends_on in (("ceased", AGM), ("ceases_after", date(2025, 7, 15))):
        member = office.members.get_member(office.actor, made[key])
        period = member.latest
        assert period is not None
        office.members.cease(office.actor, period.id, period.version, ends_on, "School closed")
    school = make_school(office, "100941", "Cayley Primary School")
    made["associate"] = join(
        office, school, date(2019, 6, 1), date(2020, 1, 6), Category.ASSOCIATE
    ).id
    return made


def test_only_schools_entitled_on_the_day_vote(
    services: Services, members: dict[str, int], db: Database
) -> None:
    gm = bodies(services)["GM"]
    detail = meeting(services, gm, AGM, date(2025, 6, 20), kind=MeetingKind.ANNUAL)
    # Entitled: admitted before or on the day, ceasing after it. Not: admitted the day
    # after, ceased on the day (the first day it is no longer a member), associates.
    assert detail.entitled == 3
    proposed = services.meetings.proposed_attendance(services.actor, detail.id)
    assert {p.member_id for p in proposed} == {
        members["long"],
        members["that_day"],
        members["ceases_after"],
    }
    lines = [
        AttendanceInput(Attendance.PRESENT, member_id=members["long"], name="Amina Rahman"),
        AttendanceInput(
            Attendance.PRESENT,
            member_id=members["that_day"],
            by_proxy=True,
            proxy_name="The chair of the meeting",
        ),
        AttendanceInput(Attendance.PRESENT, member_id=members["day_after"], name="Helen Marsh"),
        AttendanceInput(Attendance.PRESENT, member_id=members["ceased"], name="Sadia Begum"),
        AttendanceInput(Attendance.PRESENT, member_id=members["associate"], name="Ruth Adeyemi"),
        AttendanceInput(Attendance.APOLOGIES, member_id=members["ceases_after"]),
    ]
    detail = services.meetings.save_attendance(services.actor, detail.id, lines, detail.version)
    votes = {a.member_id: (a.votes, a.why_no_vote) for a in detail.attendance}
    assert votes[members["long"]] == (True, "")
    assert votes[members["that_day"]] == (True, "")
    for key in ("day_after", "ceased", "associate"):
        assert votes[members[key]] == (False, "not a full member entitled to vote on 14/07/2025")
    proxy = next(a for a in detail.attendance if a.member_id == members["that_day"])
    assert proxy.by_proxy and proxy.proxy_name == "The chair of the meeting"
    # Quorum 1/10 of 3 entitled, at least 2: the school present and the one by proxy.
    assert detail.quorum[0].needed == 2
    assert detail.quorum[0].voting == 2 and detail.quorum[0].quorate
    item = next(i for i in detail.items if "directors" in i.title.lower()).id
    before = governance_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.meetings.save_decision(
            services.actor,
            detail.id,
            DecisionInput(
                item, "To re-appoint Christine Gilbert as a director.", votes=Votes(3, 0, 0)
            ),
        )
    assert (
        "more than the 2 member schools present and entitled to vote"
        in (refused.value.field_errors["votes"])
    )
    assert governance_sums(db) == before
    made = services.meetings.save_decision(
        services.actor,
        detail.id,
        DecisionInput(item, "To re-appoint Christine Gilbert as a director.", votes=Votes(2, 0, 0)),
    )
    assert made.reference == "GM/2025/07/1"


def test_a_proxy_is_a_member_school_present_and_named(
    services: Services, members: dict[str, int], db: Database
) -> None:
    gm = bodies(services)["GM"]
    detail = meeting(services, gm, AGM)
    before = governance_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.meetings.save_attendance(
            services.actor,
            detail.id,
            [
                AttendanceInput(Attendance.PRESENT, member_id=members["long"], by_proxy=True),
                AttendanceInput(Attendance.PRESENT, name="A guest", by_proxy=True, proxy_name="X"),
            ],
            detail.version,
        )
    assert "name the proxy" in refused.value.field_errors["line_1"]
    assert "only a member school votes by proxy" in refused.value.field_errors["line_2"]
    assert governance_sums(db) == before

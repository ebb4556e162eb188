"""The governance documents from real records on both databases: notice, agenda, minutes,
logs, register of directors and the workbook; refusals write no file and change nothing."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from governance_records import appoint, attend, board, bodies, governance_sums, meeting, person
from invoice_records import set_up_office, table_sums
from membership_records import join, make_school
from openpyxl import load_workbook
from pypdf import PdfReader

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.governance import (
    ActionStatus,
    Attendance,
    Capacity,
    DecisionKind,
    DecisionResult,
    MeetingKind,
    Votes,
)
from thep_desktop.domain.memberships import Category
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.domain.roles import Role
from thep_desktop.models import Correspondence, Document
from thep_desktop.services.governance.governance_data import (
    ActionInput,
    AttendanceInput,
    DecisionInput,
    DeclarationInput,
    MeetingDetail,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.school_data import SchoolInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    NotFoundError,
    PermissionDeniedError,
    ServiceError,
    ValidationError,
)

MET = date(2025, 7, 14)
NEXT = date(2025, 9, 22)
LETTERS_TABLES = (Document, Correspondence)


def pages_text(path: Path) -> list[str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def text_of(path: Path) -> str:
    return " ".join(pages_text(path))


def everything(db: Database) -> tuple[object, ...]:
    return governance_sums(db), table_sums(db, LETTERS_TABLES)


@pytest.fixture
def office_set_up(office: Services) -> Services:
    set_up_office(office)
    profile = office.organisation.get_profile(office.actor)
    office.organisation.update_profile(
        office.actor, replace(profile, company_secretary="Joan Clerk", company_number="08123456")
    )
    return office


@pytest.fixture
def held(services: Services, office_set_up: Services) -> dict[str, object]:
    """A board meeting on 14/07/2025 with attendance, an interest, minutes, a decision and an
    action; and the next meeting on 22/09/2025."""
    board_id, people = board(services)
    clerk = person(services, "Joan Clerk")
    appoint(services, clerk, board_id, Capacity.CLERK)
    first = meeting(services, board_id, MET, notice_sent_on=date(2025, 7, 1))
    first = attend(
        services,
        first,
        present=people[:5],
        apologies=[people[5]],
        late={people[1]: 3},
        in_attendance=[people[6]],
    )
    finance = first.items[4]
    first = services.meetings.save_declarations(
        services.actor,
        first.id,
        [DeclarationInput("Kevan Collins", "governor of Bow School", finance.id)],
        first.version,
    )
    services.meetings.save_item_minutes(
        services.actor,
        finance.id,
        "The treasurer presented the accounts & budget.",
        finance.version,
    )
    services.meetings.save_decision(
        services.actor,
        first.id,
        DecisionInput(finance.id, "That the budget for 2025/26 be approved.", votes=Votes(4, 1, 0)),
    )
    services.governance_actions.save_action(
        services.actor,
        ActionInput(
            first.id, "Send the budget to the auditors", people[2], "", date(2025, 8, 1), finance.id
        ),
    )
    second = meeting(services, board_id, NEXT, notice_sent_on=date(2025, 9, 10))
    second = attend(services, second, present=people[:4])
    return {"board": board_id, "people": people, "first": first.id, "second": second.id}


def detail(services: Services, meeting_id: object) -> MeetingDetail:
    return services.meetings.get_meeting(services.actor, meeting_id)  # type: ignore[arg-type]


def test_the_agenda_lists_numbered_items_with_date_time_venue_and_papers(
    services: Services, held: dict[str, object], tmp_path: Path
) -> None:
    first = detail(services, held["first"])
    services.meetings.add_paper(services.actor, first.items[4].id, "Budget 2025-26.pdf", b"%PDF")
    out = tmp_path / "agenda.pdf"
    services.governance_documents.agenda(services.actor, first.id, out)
    text = text_of(out)
    assert "Agenda Board of Directors – Tower Hamlets Education Partnership" in text
    assert "Date Monday 14 July 2025 Time 6.00 pm" in text
    assert "Venue Professional Development Centre, 229 Bethnal Green Road" in text
    assert "1. Welcome and apologies for absence" in text
    assert "5. Finance report • Budget 2025-26.pdf" in text
    assert "8. Date of the next meeting" in text
    assert "Issued 01/07/2025." in text


def test_draft_minutes_carry_attendance_quorum_interest_decision_action_and_blank_signature(
    services: Services, held: dict[str, object], tmp_path: Path
) -> None:
    out = tmp_path / "minutes.pdf"
    services.governance_documents.minutes(services.actor, held["first"], out)
    pages = pages_text(out)
    text = " ".join(pages)
    assert "Minutes: Board of Directors" in text
    assert (
        "Meeting held on Monday 14 July 2025 at 6.00 pm, at Professional Development Centre" in text
    )
    assert "Status: Draft (not yet approved)" in text
    assert "Members present (voting) Christine Gilbert (Chair)" in text
    assert "Aziz Ahmed (Vice-chair), joined at item 3 Kevan Collins (Director)" in text
    assert "In attendance Observer 1 (Observer, no vote)" in text
    assert "Apologies Alasdair Macdonald (Director)" in text
    assert (
        "The meeting was quorate throughout: 3 needed (3 voting members present), and at least "
        "4 present at every item."
    ) in text
    assert "Kevan Collins: governor of Bow School (item 5)" in text
    assert (
        "5. Finance report Interest declared: Kevan Collins: governor of Bow School The "
        "treasurer presented the accounts & budget."
    ) in text
    assert "In the chair: Christine Gilbert" in text
    assert (
        "Resolved B/2025/07/1: That the budget for 2025/26 be approved. Ordinary resolution · "
        "4 for, 1 against, 0 abstaining · Carried"
    ) in text
    assert "Action: Send the budget to the auditors Owner: Kevan Collins · Due: 01/08/2025" in text
    assert "Signed as a correct record: " + "_" * 28 + " Chair Date: " + "_" * 14 in text
    assert all("DRAFT" in page for page in pages)


def test_approved_and_signed_minutes_say_where_and_who_and_keep_errata(
    services: Services, held: dict[str, object], tmp_path: Path
) -> None:
    second = detail(services, held["second"])
    services.meetings.approve_minutes(
        services.actor, held["first"], second.id, second.items[2].id, Votes(4, 0, 0)
    )
    first = detail(services, held["first"])
    services.meetings.sign_minutes(
        services.actor, first.id, "Christine Gilbert", NEXT, first.version
    )
    services.meetings.add_erratum(
        services.actor,
        first.id,
        first.items[4].id,
        date(2025, 10, 1),
        "The vote was 4 to 1",
        "slip",
    )
    out = tmp_path / "minutes.pdf"
    services.governance_documents.minutes(services.actor, first.id, out)
    text = text_of(out)
    assert "DRAFT" not in text and "Status: Signed" in text
    assert "Approved at the meeting of the Board of Directors on 22/09/2025." in text
    assert "Signed as a correct record: Christine Gilbert Chair Date: 22/09/2025" in text
    assert text.index("The treasurer presented") < text.index(
        "Erratum noted 01/10/2025: The vote was 4 to 1 (slip)."
    )
    # The approval is itself a decision of the later meeting, in its minutes and the log.
    later = tmp_path / "later.pdf"
    services.governance_documents.minutes(services.actor, second.id, later)
    assert "Resolved B/2025/09/1: That the minutes of the meeting held on 14/07/2025" in text_of(
        later
    )


def test_matters_arising_carry_open_actions_into_the_next_minutes(
    services: Services, held: dict[str, object], tmp_path: Path
) -> None:
    out = tmp_path / "next.pdf"
    services.governance_documents.minutes(services.actor, held["second"], out)
    text = text_of(out)
    assert "Matters arising: actions carried forward" in text
    assert "Send the budget to the auditors Raised at Board of Directors, 14/07/2025" in text
    assert "Kevan Collins 01/08/2025 Open – OVERDUE" in text


def test_the_decision_log_and_an_empty_one(
    services: Services, held: dict[str, object], tmp_path: Path
) -> None:
    out = tmp_path / "decisions.pdf"
    count = services.governance_documents.decision_log(services.actor, out)
    assert count == 1
    text = text_of(out)
    assert "Decision log" in text and "All bodies, all years" in text
    assert (
        "B/2025/07/1 14/07/2025 Board of Directors That the budget for 2025/26 be approved. "
        "Item 5. Finance report Ordinary resolution 4 for, 1 against, 0 abstaining Carried"
    ) in text
    ac = bodies(services)["AC"]
    empty = tmp_path / "none.pdf"
    assert (
        services.governance_documents.decision_log(services.actor, empty, ac, AcademicYear(2025))
        == 0
    )
    words = text_of(empty)
    assert "No decisions recorded." in words
    assert "Advisory Council, academic year 2025/26" in words


def test_the_action_log_marks_overdue_and_closed_actions(
    services: Services, held: dict[str, object], tmp_path: Path
) -> None:
    first = detail(services, held["first"])
    second = services.governance_actions.save_action(
        services.actor, ActionInput(first.id, "Renew the insurance", None, "Executive Director")
    )
    services.governance_actions.set_action_status(
        services.actor, second.id, ActionStatus.DONE, date(2025, 8, 20), "Renewed", second.version
    )
    out = tmp_path / "actions.pdf"
    count = services.governance_documents.action_log(services.actor, out, as_at=date(2025, 9, 1))
    assert count == 2
    text = text_of(out)
    assert "2 actions, 1 overdue on 01/09/2025." in text
    assert "Send the budget to the auditors Kevan Collins 01/08/2025 Open – OVERDUE" in text
    assert "Renew the insurance Executive Director No date set Done on 20/08/2025 Renewed" in text
    open_only = tmp_path / "open.pdf"
    assert (
        services.governance_documents.action_log(
            services.actor, open_only, held["board"], open_only=True, as_at=date(2025, 7, 20)
        )
        == 1
    )
    words = text_of(open_only)
    assert "Renew the insurance" not in words and "OVERDUE" not in words
    assert "Board of Directors, open actions only, as at 20/07/2025" in words


def test_the_register_of_directors_as_at_a_date(
    services: Services, office_set_up: Services, tmp_path: Path
) -> None:
    board_id = bodies(services)["B"]
    chair = person(
        services,
        "Christine Gilbert",
        title="Dame",
        former_names="Christine Smith",
        service_address="229 Bethnal Green Road\nLondon E2 6AB",
        country_of_residence="United Kingdom",
        nationality="British",
        occupation="Retired civil servant",
        birth_month=3,
        birth_year=1950,
    )
    appoint(services, chair, board_id, Capacity.CHAIR, starts_on=date(2024, 9, 1))
    gone = person(services, "Rob Hopkins", nationality="Irish", occupation="Accountant")
    appoint(services, gone, board_id, Capacity.DIRECTOR, date(2020, 9, 1), date(2025, 3, 31))
    out = tmp_path / "directors.pdf"
    assert (
        services.governance_documents.directors_register(services.actor, date(2025, 6, 1), out) == 2
    )
    text = text_of(out)
    assert (
        "Register of directors Tower Hamlets Education Partnership, company number 08123456" in text
    )
    assert "As at 01/06/2025" in text
    assert (
        "Dame Christine Gilbert Chair Christine Smith 229 Bethnal Green Road, London E2 6AB "
        "United Kingdom British Retired civil servant March 1950 01/09/2024"
    ) in text
    assert "Former directors" in text
    assert "Rob Hopkins Director None" in text and "01/09/2020 31/03/2025 Resigned" in text
    assert (
        text.index("Dame Christine Gilbert")
        < text.index("Former directors")
        < text.index("Rob Hopkins")
    )
    before = tmp_path / "before.pdf"
    services.governance_documents.directors_register(services.actor, date(2022, 1, 1), before)
    early = text_of(before)
    assert "Rob Hopkins" in early and "Christine Gilbert" not in early
    assert "Former directors" not in early


def test_the_workbook_of_decisions_and_actions(
    services: Services, held: dict[str, object], tmp_path: Path
) -> None:
    out = tmp_path / "governance.xlsx"
    assert services.governance_documents.decisions_and_actions_xlsx(services.actor, out) == (1, 1)
    book = load_workbook(out)
    decisions, actions = book["Decisions"], book["Actions"]
    row = [c.value for c in decisions[4]]
    assert row[0] == "B/2025/07/1" and row[1].date() == MET
    assert row[2:] == [
        "Board of Directors",
        "Board of Directors, 14/07/2025",
        "5. Finance report",
        "That the budget for 2025/26 be approved.",
        "Ordinary resolution",
        4,
        1,
        0,
        "Carried",
    ]
    assert decisions["B4"].number_format == "dd/mm/yyyy" and decisions.freeze_panes == "A4"
    action = [c.value for c in actions[4]]
    assert action[:2] == ["Send the budget to the auditors", "Kevan Collins"]
    assert action[2].date() == date(2025, 8, 1) and actions["C4"].number_format == "dd/mm/yyyy"
    assert action[3] == "Open" and action[8].date() == MET
    assert actions.auto_filter.ref == "A3:J4"


SCHOOLS = (
    ("100200", "Arnhem Wharf Primary School", "Ms Rahima Begum"),
    ("100201", "Bangabandhu Primary School", "Mr Luke Rahman"),
    ("100202", "Bigland Green Primary School", "Ms Ann Tutt"),
    ("100203", "Blue Gate Fields Infants' School", "Mr Tom Okafor"),
    ("100204", "Cayley Primary School", "Ms Helen Marsh"),
)


def schools(office: Services) -> list[int]:
    """Five open community schools with their heads and postal addresses."""
    ids = []
    for urn, name, head in SCHOOLS:
        title, first, last = head.split(" ", 2)
        ids.append(
            office.schools.create_school(
                office.actor,
                SchoolInput(
                    urn=urn,
                    name=name,
                    la_code="211",
                    establishment_type="Community school",
                    phase="Primary",
                    street="1 School Lane",
                    town="London",
                    postcode="E1 2AA",
                    head_title=title,
                    head_first_name=first,
                    head_last_name=last,
                ),
            ).id
        )
    return ids


def general_meeting(services: Services, office: Services) -> tuple[MeetingDetail, dict[str, int]]:
    """An AGM on 14/07/2025; Arnhem Wharf and Bangabandhu full members, Bigland associate,
    Blue Gate ceased before the notice, Cayley only applied."""
    ids = schools(office)
    join(office, ids[0], date(2024, 9, 1), date(2024, 9, 10))
    join(office, ids[1], date(2024, 9, 1), date(2024, 9, 10))
    join(office, ids[2], date(2024, 9, 1), date(2024, 9, 10), Category.ASSOCIATE)
    left = join(office, ids[3], date(2023, 9, 1), date(2023, 9, 10))
    assert left.latest is not None
    office.members.cease(
        office.actor, left.latest.id, left.latest.version, date(2025, 1, 31), "Left"
    )
    join(office, ids[4], date(2025, 6, 1), None)
    gm = bodies(services)["GM"]
    agm = meeting(services, gm, MET, kind=MeetingKind.ANNUAL)
    names = dict(zip(("arnhem", "bangabandhu", "bigland", "blue_gate", "cayley"), ids, strict=True))
    return agm, names


def test_a_general_meetings_notice_goes_to_every_member_with_its_voting_rights(
    services: Services, office_set_up: Services, tmp_path: Path
) -> None:
    agm, ids = general_meeting(services, office_set_up)
    out = tmp_path / "notice.pdf"
    count = services.governance_documents.notice(services.actor, agm.id, out, on=date(2025, 6, 20))
    assert count == 3
    pages = pages_text(out)
    assert len(pages) == 3
    for page in pages:
        assert (
            "NOTICE IS HEREBY GIVEN that the Annual General Meeting of Tower Hamlets Education "
            "Partnership will be held at Professional Development Centre, 229 Bethnal Green Road "
            "on Monday 14 July 2025 at 6.00 pm for the following business:"
        ) in page
        assert "4. Annual report and accounts" in page
        assert "By order of the Board Joan Clerk Company Secretary, 20 June 2025" in page
        assert "Proxies:" in page
    full = [p for p in pages if "your school has one vote" in p]
    associate = [p for p in pages if "As an associate member you may attend but do not vote." in p]
    assert len(full) == 2 and len(associate) == 1
    assert "Bigland" in associate[0]
    assert not any("your school has one vote" in p for p in associate)
    history = services.letters
    for key in ("arnhem", "bangabandhu", "bigland"):
        rows = history.correspondence(services.actor, ids[key])
        assert [r.template_name for r in rows] == ["Notice of meeting"]
        assert rows[0].subject.startswith("Notice of the ")
    for key in ("blue_gate", "cayley"):
        assert history.correspondence(services.actor, ids[key]) == []
    # The meeting now records the day notice was sent, and checks it: 23 clear days.
    sent = services.meetings.get_meeting(services.actor, agm.id)
    assert sent.notice_sent_on == date(2025, 6, 20) and sent.notice.given == 23
    assert not sent.notice.short
    # A day already recorded stands when the notices are printed again.
    again = tmp_path / "again.pdf"
    services.governance_documents.notice(services.actor, agm.id, again, on=date(2025, 6, 25))
    assert services.meetings.get_meeting(services.actor, agm.id).notice_sent_on == date(2025, 6, 20)


def test_another_bodys_notice_is_one_page_naming_its_members(
    services: Services, held: dict[str, object], tmp_path: Path
) -> None:
    out = tmp_path / "notice.pdf"
    assert services.governance_documents.notice(services.actor, held["second"], out) == 1
    pages = pages_text(out)
    assert len(pages) == 1
    assert "Notice of meeting: Board of Directors" in pages[0]
    assert (
        "To the members of the Board of Directors: Christine Gilbert (Chair), Aziz Ahmed "
        "(Vice-chair), Alasdair Macdonald, Kevan Collins, Michael Keith, Rob Hopkins and "
        "Observer 1 (Observer, no vote)."
    ) in pages[0]
    assert (
        "NOTICE IS HEREBY GIVEN that a meeting of the Board of Directors of Tower Hamlets"
        in pages[0]
    )
    assert "Joan Clerk Clerk to the Board of Directors" in pages[0]


def test_refusals_write_no_file_and_change_nothing(
    services: Services, held: dict[str, object], tmp_path: Path, db: Database
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    before = everything(db)
    documents = services.governance_documents
    with pytest.raises(NotFoundError):
        documents.minutes(services.actor, 999_999, folder / "minutes.pdf")
    with pytest.raises(NotFoundError):
        documents.notice(services.actor, 999_999, folder / "notice.pdf")
    with pytest.raises(ValidationError) as wrong:
        documents.agenda(services.actor, held["first"], folder / "agenda.docx")
    assert "PDF" in wrong.value.field_errors["out"]
    with pytest.raises(ValidationError):
        documents.action_log(services.actor, folder / "missing" / "actions.pdf")
    with pytest.raises(ValidationError):
        documents.decisions_and_actions_xlsx(services.actor, folder / "log.csv")
    with pytest.raises(ValidationError):
        documents.notice(services.actor, held["first"], folder / "n.pdf", on=date(2999, 1, 1))
    assert list(folder.iterdir()) == []
    assert everything(db) == before


def test_only_the_clerk_and_administrators_send_a_general_meetings_notice(
    services: Services, office_set_up: Services, tmp_path: Path, db: Database
) -> None:
    agm, _ids = general_meeting(services, office_set_up)
    staff = Services(db, Actor("staff", Role.STAFF))
    folder = tmp_path / "out"
    folder.mkdir()
    before = everything(db)
    with pytest.raises(PermissionDeniedError):
        staff.governance_documents.notice(staff.actor, agm.id, folder / "notice.pdf")
    assert list(folder.iterdir()) == [] and everything(db) == before
    # Reading is open to everyone: staff may print the agenda.
    staff.governance_documents.agenda(staff.actor, agm.id, folder / "agenda.pdf")
    assert "Annual report and accounts" in text_of(folder / "agenda.pdf")


def test_a_notice_that_cannot_take_its_place_records_nothing(
    services: Services, office_set_up: Services, tmp_path: Path, db: Database
) -> None:
    agm, _ids = general_meeting(services, office_set_up)
    (tmp_path / "notice.pdf").mkdir()  # a folder where the file should go
    before = everything(db)
    with pytest.raises(ServiceError) as refused:
        services.governance_documents.notice(services.actor, agm.id, tmp_path / "notice.pdf")
    assert "No notices were recorded." in refused.value.message
    assert (tmp_path / "notice.pdf").is_dir()
    assert everything(db) == before


def test_a_decision_not_carried_and_a_special_resolution_read_right(
    services: Services, held: dict[str, object], tmp_path: Path
) -> None:
    first = detail(services, held["first"])
    services.meetings.save_decision(
        services.actor,
        first.id,
        DecisionInput(
            first.items[5].id,
            "That the articles be amended.",
            DecisionKind.SPECIAL,
            DecisionResult.NOT_CARRIED,
            Votes(3, 2, 0),
        ),
    )
    out = tmp_path / "decisions.pdf"
    assert services.governance_documents.decision_log(services.actor, out, held["board"]) == 2
    text = text_of(out)
    assert (
        "B/2025/07/2 14/07/2025 Board of Directors That the articles be amended. Item 6. Risk "
        "register Special resolution 3 for, 2 against, 0 abstaining Not carried"
    ) in text


def test_a_member_without_a_postal_address_stops_the_notices_before_anything_is_written(
    services: Services, office_set_up: Services, tmp_path: Path, db: Database
) -> None:
    agm, _ids = general_meeting(services, office_set_up)
    nowhere = make_school(office_set_up, "100299", "Nowhere Primary School")  # a postcode only
    join(office_set_up, nowhere, date(2024, 9, 1), date(2024, 9, 10))
    folder = tmp_path / "out"
    folder.mkdir()
    before = everything(db)
    with pytest.raises(ServiceError) as refused:
        services.governance_documents.notice(services.actor, agm.id, folder / "notice.pdf")
    assert "every member must be given notice" in refused.value.message
    assert "Nowhere Primary School: no postal address is recorded" in refused.value.message
    assert list(folder.iterdir()) == [] and everything(db) == before


def test_cancelled_while_laying_out_the_notices_leaves_nothing(
    services: Services, office_set_up: Services, tmp_path: Path, db: Database
) -> None:
    agm, _ids = general_meeting(services, office_set_up)
    progress = Progress()
    progress.cancel()
    folder = tmp_path / "out"
    folder.mkdir()
    before = everything(db)
    with pytest.raises(Cancelled):
        services.governance_documents.notice(
            services.actor, agm.id, folder / "notice.pdf", progress=progress
        )
    assert list(folder.iterdir()) == [] and everything(db) == before


def test_the_log_numbers_decisions_as_their_meetings_do_with_two_meetings_in_a_month(
    services: Services, held: dict[str, object], tmp_path: Path
) -> None:
    board_id, people = held["board"], held["people"]
    extra = meeting(services, board_id, date(2025, 7, 28))  # type: ignore[arg-type]
    extra = attend(services, extra, present=people[:4])  # type: ignore[index]
    services.meetings.save_decision(
        services.actor, extra.id, DecisionInput(extra.items[3].id, "That the report be noted.")
    )
    out = tmp_path / "decisions.xlsx"
    assert services.governance_documents.decisions_and_actions_xlsx(
        services.actor, out, held["board"], AcademicYear(2024)
    ) == (2, 1)
    logged = [row[0].value for row in load_workbook(out)["Decisions"].iter_rows(min_row=4)]
    recorded = [
        d.reference
        for meeting_id in (held["first"], extra.id)
        for d in detail(services, meeting_id).decisions
    ]
    assert logged == recorded == ["B/2025/07/1", "B/2025/07b/1"]
    assert services.governance_documents.decisions_and_actions_xlsx(
        services.actor, out, held["board"], AcademicYear(2025)
    ) == (0, 0)


def test_a_general_meetings_minutes_name_the_schools_their_representatives_and_proxies(
    services: Services, office_set_up: Services, tmp_path: Path
) -> None:
    agm, ids = general_meeting(services, office_set_up)
    members = {
        m.school_id: m.id for m in office_set_up.members.list_member_details(office_set_up.actor)
    }
    agm = services.meetings.save_attendance(
        services.actor,
        agm.id,
        [
            AttendanceInput(
                Attendance.PRESENT, member_id=members[ids["arnhem"]], name="Amina Rahman"
            ),
            AttendanceInput(
                Attendance.PRESENT,
                member_id=members[ids["bangabandhu"]],
                by_proxy=True,
                proxy_name="The chair of the meeting",
            ),
            AttendanceInput(
                Attendance.PRESENT, member_id=members[ids["bigland"]], name="Ruth Adeyemi"
            ),
        ],
        agm.version,
    )
    out = tmp_path / "agm.pdf"
    services.governance_documents.minutes(services.actor, agm.id, out)
    text = text_of(out)
    assert (
        "Members present (voting, in person or by proxy) Arnhem Wharf Primary School, represented "
        "by Amina Rahman Bangabandhu Primary School, by proxy: The chair of the meeting"
    ) in text
    assert (
        "In attendance Bigland Green Primary School, represented by Ruth Adeyemi, no vote:" in text
    )

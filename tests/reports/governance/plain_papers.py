"""Plain governance papers for the report tests: a board meeting, an AGM, logs and a register."""

from __future__ import annotations

from datetime import date, datetime, time

from thep_desktop.reports.governance.governance_papers import (
    ActionLine,
    ActionLog,
    Agenda,
    AgendaEntry,
    AttendanceLine,
    DecisionLine,
    DecisionLog,
    DirectorLine,
    DirectorsRegisterPaper,
    MeetingHeading,
    Minutes,
    MinutesItem,
    Notice,
    NoticeRecipient,
)
from thep_desktop.reports.letters.letter_data import Letterhead

COMPANY = "Tower Hamlets Education Partnership"
LETTERHEAD = Letterhead(
    COMPANY,
    ("229 Bethnal Green Road", "London E2 6AB"),
    company_number="08123456",
    registered_office="229 Bethnal Green Road\nLondon E2 6AB",
)
PRINTED = datetime(2026, 12, 1, 9, 30)

BOARD = MeetingHeading(
    company=COMPANY,
    body_name="Board of Directors",
    title="Board of Directors",
    meets_on=date(2026, 7, 14),
    starts_at=time(18, 0),
    ends_at=time(19, 30),
    venue="Bow School, Paton Close, London E3 2QD",
)
AGM = MeetingHeading(
    company=COMPANY,
    body_name="General meeting of members",
    title="Annual General Meeting",
    meets_on=date(2026, 7, 14),
    starts_at=time(18, 0),
    venue="St Mary & St John's C of E Primary, Bow Road, London E3 3AE",
    online_link="https://meet.example.org/agm-2026",
)
ITEMS = (
    AgendaEntry(1, "Welcome and apologies", "Chair"),
    AgendaEntry(2, "Declarations of interest", "Chair"),
    AgendaEntry(3, "Budget 2026/27", "Treasurer", ("Budget 2026-27.pdf", "Cash flow.xlsx")),
    AgendaEntry(4, "Any other business"),
)


def agenda() -> Agenda:
    return Agenda(BOARD, ITEMS, issued_on=date(2026, 7, 1))


def agm_notice() -> Notice:
    return Notice(
        heading=AGM,
        items=(
            AgendaEntry(1, "Welcome and apologies"),
            AgendaEntry(2, "Annual report and accounts"),
            AgendaEntry(3, "Directors' appointments"),
        ),
        dated=date(2026, 6, 22),
        signatory="Ms Joan Clerk",
        signatory_role="Company Secretary",
        general_meeting=True,
    )


def recipients() -> tuple[NoticeRecipient, ...]:
    return (
        NoticeRecipient(
            "Bow School",
            ("Ms Rahima Begum", "Head Teacher", "Bow School", "Paton Close", "London", "E3 2QD"),
            "Dear Ms Begum,",
            full_member=True,
            reference="100200",
        ),
        NoticeRecipient(
            "Olga Primary School",
            ("Mr Luke Rahman", "Head Teacher", "Olga Primary School", "Lanfranc Road", "E3 5DN"),
            "Dear Mr Rahman,",
            full_member=False,
            reference="100201",
        ),
    )


def board_notice() -> Notice:
    return Notice(
        heading=BOARD,
        items=ITEMS,
        dated=date(2026, 7, 1),
        signatory="Ms Joan Clerk",
        signatory_role="Clerk to the Board",
        members=("Ms Ann Chair", "Mr Bob Director", "Dr Cy Member"),
    )


BUDGET = DecisionLine(
    "B/2026/07/1",
    "That the budget for 2026/27 be approved.",
    "Ordinary resolution",
    "Carried",
    "5 for, 1 against, 0 abstaining",
    date(2026, 7, 14),
    "Board of Directors",
    "Board of Directors, 14/07/2026",
    "3. Budget 2026/27",
    5,
    1,
    0,
)
AUDIT_ACTION = ActionLine(
    "Send the budget to the auditors",
    "Mr Bob Director",
    date(2026, 8, 1),
    "Open",
    raised_at="Board of Directors, 14/07/2026",
    raised_on=date(2026, 7, 14),
    body_name="Board of Directors",
)
OLD_ACTION = ActionLine(
    "Renew the insurance",
    "Executive Director",
    date(2026, 6, 1),
    "In progress",
    overdue=True,
    raised_at="Board of Directors, 12/05/2026",
    raised_on=date(2026, 5, 12),
    progress="Quotes requested",
    body_name="Board of Directors",
)


def minutes(**changes: object) -> Minutes:
    values: dict[str, object] = dict(
        heading=BOARD,
        status="Draft",
        draft=True,
        present=(
            AttendanceLine("Ms Ann Chair", "Chair"),
            AttendanceLine("Mr Bob Director", "Director", "joined at item 3"),
            AttendanceLine("Dr Cy Member", "Director", "left after item 3"),
        ),
        in_attendance=(AttendanceLine("Ms Joan Clerk", "Clerk"),),
        apologies=(AttendanceLine("Mrs Dee Absent", "Director"),),
        absent=(AttendanceLine("Mr Ed Away", "Director"),),
        quorum="The meeting was quorate throughout: 3 voting members needed.",
        items=(
            MinutesItem(1, "Welcome and apologies", "Chair", "The chair welcomed everyone."),
            MinutesItem(
                3,
                "Budget 2026/27",
                "Treasurer",
                "The treasurer presented the budget.\n\nQuestions were answered.",
                decisions=(BUDGET,),
                actions=(AUDIT_ACTION,),
                declarations=("Dr Cy Member: governor of Bow School",),
            ),
        ),
        declarations=("Dr Cy Member: governor of Bow School (item 3)",),
        matters_arising=(OLD_ACTION,),
        chair="Ms Ann Chair",
    )
    values.update(changes)
    return Minutes(**values)  # type: ignore[arg-type]


def decision_log(*entries: DecisionLine) -> DecisionLog:
    return DecisionLog(COMPANY, "All bodies, all years", entries, PRINTED)


def action_log(*entries: ActionLine) -> ActionLog:
    return ActionLog(COMPANY, "All bodies, as at 01/12/2026", date(2026, 12, 1), entries, PRINTED)


def directors() -> DirectorsRegisterPaper:
    current = DirectorLine(
        "Ms Ann Chair",
        "Ann Smith",
        "229 Bethnal Green Road, London E2 6AB",
        "United Kingdom",
        "British",
        "Head teacher",
        "March 1971",
        "Chair",
        date(2024, 9, 1),
    )
    former = DirectorLine(
        "Mr Old Director",
        "",
        "229 Bethnal Green Road, London E2 6AB",
        "United Kingdom",
        "Irish",
        "Accountant",
        "June 1960",
        "Director",
        date(2020, 9, 1),
        date(2025, 8, 31),
        "Resigned",
    )
    return DirectorsRegisterPaper(
        COMPANY, "08123456", "Board of Directors", date(2026, 12, 1), (current,), (former,), PRINTED
    )

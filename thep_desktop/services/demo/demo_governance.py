"""The demo's governance: the usual bodies, their people, and a year of meetings to today."""

# What the demo shows, dated from the day it is loaded (like the peer reviews):
# - The Board of Directors, the Advisory Council and the general meeting of members, with
#   the rules an office starts from (the governing bodies service's usual bodies).
# - The Board: 8 directors in office today (a chair, a vice-chair, the Executive Director ex
#   officio, a director co-opted in the year after another resigned, a director whose term
#   ends within 90 days, and others), the resigned director as a former director, an observer
#   from the local authority, the clerk and the Deputy Director in attendance.
# - The Advisory Council: 12 head teachers and governors of member schools of every phase,
#   one of them its chair, two of them with terms ending within 90 days.
# - The Board met every seven weeks or so (about once each half term) for the year before
#   today: minutes approved at the next meeting and signed by the chair, except the last
#   meeting held (circulated, awaiting approval) and the next one, booked ahead (draft, agenda
#   set). One meeting had short notice; one met online; a director arrived late at one and
#   another left early at another; an erratum corrects approved minutes.
# - The Advisory Council met in each of the three terms before the term of today, and has not
#   met in the term of today, nor has a meeting booked: that is the term it missed, and the
#   compliance panel shows it behind.
# - One annual general meeting (the July before today): notice to every member, member
#   schools voting in person or by proxy, an associate member in attendance without a vote,
#   two directors re-appointed, the annual report received and a special resolution.
# - Actions done, dropped, in progress, open and overdue, carried forward as matters arising.

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import (
    ActionStatus,
    Attendance,
    BodyKind,
    Capacity,
    DecisionKind,
    DecisionResult,
    HowAppointed,
    MeetingKind,
    MinutesStatus,
    Presence,
    SchoolRole,
    Votes,
    WhyEnded,
    in_office,
    quorum_at,
    result_problem,
)
from thep_desktop.domain.memberships import Category, MemberKind, PeriodDates, member_on
from thep_desktop.domain.school_calendar import default_terms
from thep_desktop.models import (
    AgendaItem,
    Appointment,
    Decision,
    GovernanceAction,
    GovernancePerson,
    GoverningBody,
    InterestDeclaration,
    Meeting,
    MeetingAttendance,
    Member,
    MembershipPeriod,
    MinutesErratum,
    School,
)
from thep_desktop.services.demo.demo_borough import STAFF
from thep_desktop.services.demo.demo_profile import DEMO_PROFILE
from thep_desktop.services.demo.demo_steps import StepProgress
from thep_desktop.services.governance.governance_records import quorum_of
from thep_desktop.services.governance.governing_bodies_service import USUAL_BODIES, body_values
from thep_desktop.services.shared.actor import Actor

SERVICE_ADDRESS = DEMO_PROFILE["registered_office"]
BOARD_VENUE = "Professional Development Centre, 229 Bethnal Green Road, London E2 6AB"
ONLINE_LINK = "https://meet.the-partnership.example/board"
# The Board meets about once each half term: every seven weeks, on a Tuesday.
BOARD_EVERY = timedelta(days=49)
BOARD_MEETINGS_HELD = 8
# The Advisory Council has missed the term of today (see the module's comment).
AC_TERMS_MET = 3


@dataclass
class _Person:
    key: str
    row: GovernancePerson
    name: str
    school: str = ""  # the name of their school


@dataclass
class _Seat:
    person: _Person
    capacity: Capacity
    starts_on: date
    ends_on: date | None = None

    def on(self, day: date) -> bool:
        return in_office(self.starts_on, self.ends_on, day)


@dataclass
class _Decision:
    text: str
    kind: DecisionKind = DecisionKind.ORDINARY
    result: DecisionResult = DecisionResult.CARRIED
    counted: bool = False  # votes counted (else agreed without a count)
    against: int = 0
    abstaining: int = 0
    approves: int | None = None  # the index of the meeting whose minutes it approves
    sitting_out: int = 0  # voting members there who took no part (an interest declared)


@dataclass
class _Action:
    text: str
    owner: str  # a person's key, or words ("Executive Director")
    due_in: int  # days after the meeting
    # how it ends: ("done" | "dropped", meetings later) or "open" / "in_progress"
    outcome: tuple[str, int] | str = "open"
    progress: str = ""


@dataclass
class _Item:
    title: str
    presenter: str = ""
    minutes: str = ""
    decisions: list[_Decision] = field(default_factory=list)
    actions: list[_Action] = field(default_factory=list)


@dataclass
class _Plan:
    body: GoverningBody
    meets_on: date
    starts_at: time
    title: str
    venue: str
    notice_sent_on: date | None
    items: list[_Item]
    kind: MeetingKind = MeetingKind.ORDINARY
    online_link: str = ""
    held: bool = True
    # Who was there (people, or member schools at a general meeting), and the same as the
    # quorum sees it.
    attendance: list[MeetingAttendance] = field(default_factory=list)
    presences: list[Presence] = field(default_factory=list)
    declarations: list[tuple[str, str, int | None]] = field(default_factory=list)
    entitled: int = 0  # who may vote on the day: voting members, or entitled schools
    row: Meeting | None = None


def governance_step(
    session: Session, rng: random.Random, actor: Actor, progress: StepProgress
) -> None:
    """The demo's step: governance as it stands on the day the demo is loaded."""
    add_governance(session, rng, actor, progress, date.today())


def add_governance(
    session: Session, rng: random.Random, actor: Actor, progress: StepProgress, today: date
) -> None:
    audit = {"created_by": actor.name, "updated_by": actor.name}
    bodies = [GoverningBody(**body_values(body), **audit) for body in USUAL_BODIES]
    session.add_all(bodies)
    session.flush()
    board, council, general = bodies
    progress.report(1, 4, "Governing bodies")
    agm_on = _agm_day(today)
    board_days = _board_days(today)
    order = _business_order(board_days, agm_on)
    # A director resigned after the meeting before the one that co-opted his successor.
    co_opting = board_days[order.index(RESIGNATION)]
    people, seats = _add_people(
        session, rng, audit, board, council, today, board_days, agm_on, co_opting
    )
    progress.report(2, 4, "Directors and council members")
    plans = _board_meetings(board, board_days, order, people, seats, today)
    plans += _council_meetings(council, today, seats, people)
    plans.append(_agm(session, general, agm_on, people, rng))
    plans.append(_next_agm(general, _agm_day(agm_on.replace(year=agm_on.year + 1, day=28))))
    _record(session, plans, people, audit, today)
    progress.report(3, 4, "Meetings, decisions and actions")
    _erratum(session, plans, audit)
    session.flush()
    progress.report(4, 4)


# -- dates ----------------------------------------------------------------------------------
def _tuesday_on_or_before(day: date) -> date:
    return day - timedelta(days=(day.weekday() - 1) % 7)


def _board_days(today: date) -> list[date]:
    """The Board's meetings: eight held, the last a week or so ago, then the dates booked for
    the rest of the academic year (at least the next one)."""
    last = _tuesday_on_or_before(today - timedelta(days=6))
    days = [last - BOARD_EVERY * n for n in range(BOARD_MEETINGS_HELD - 1, -1, -1)]
    year_ends = AcademicYear.of(today).last_day
    ahead = last + BOARD_EVERY
    days.append(ahead)
    while ahead + BOARD_EVERY <= year_ends:
        ahead += BOARD_EVERY
        days.append(ahead)
    return days


def _business_order(days: Sequence[date], agm_on: date) -> list[int]:
    """Which of BOARD_BUSINESS each held meeting takes: in turn, except that the AGM's
    arrangements go to the last meeting at least three weeks before the AGM."""
    order = list(range(BOARD_MEETINGS_HELD))
    before = [k for k in order if days[k] <= agm_on - timedelta(days=21)]
    if before:
        k = before[-1]
        at = order.index(AGM_ARRANGEMENTS)
        order[k], order[at] = order[at], order[k]
    return order


def _agm_day(today: date) -> date:
    """The second Tuesday of the July before today (at least a week before)."""
    year = today.year if date(today.year, 7, 21) < today else today.year - 1
    first = date(year, 7, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)


# -- people ---------------------------------------------------------------------------------
# key, title, name, occupation, born (month, year), nationality
DIRECTORS = (
    ("chair", "Dr", "Catherine Ashworth", "Retired head teacher", (3, 1958)),
    ("vice", "Mr", "Daniel Adebayo", "Chartered accountant", (11, 1971)),
    ("ed", "Ms", "Helen Marsh", "Executive Director", (6, 1969)),
    ("adeyemi", "Mr", "Samuel Adeyemi", "Solicitor", (1, 1975)),
    ("begum", "Ms", "Fatima Begum", "Human resources consultant", (9, 1980)),
    ("ellison", "Mr", "Tom Ellison", "Finance director", (4, 1977)),
    ("harrington", "Mr", "James Harrington", "Chief operating officer", (8, 1966)),
)
GOVERNOR_NAMES = (
    ("Mrs", "Josephine Clarke"),
    ("Mr", "Abdul Karim"),
    ("Ms", "Nadia Hussain"),
    ("Mr", "Peter Lawson"),
    ("Mrs", "Grace Osei"),
    ("Dr", "Imran Siddiqui"),
)


def _person(
    session: Session, audit: dict[str, str], key: str, title: str, full_name: str, **details: object
) -> _Person:
    row = GovernancePerson(
        title=title,
        full_name=full_name,
        school_role=details.pop("school_role", SchoolRole.NONE),
        **details,
        **audit,
    )
    session.add(row)
    return _Person(key, row, f"{title} {full_name}".strip())


def _add_people(
    session: Session,
    rng: random.Random,
    audit: dict[str, str],
    board: GoverningBody,
    council: GoverningBody,
    today: date,
    board_days: Sequence[date],
    agm_on: date,
    co_opting: date,
) -> tuple[dict[str, _Person], dict[str, list[_Seat]]]:
    people: dict[str, _Person] = {}
    for key, title, name, occupation, (month, year) in DIRECTORS:
        people[key] = _person(
            session,
            audit,
            key,
            title,
            name,
            email=f"{name.split()[0].casefold()}.{name.split()[-1].casefold()}@directors.example",
            service_address=SERVICE_ADDRESS,
            occupation=occupation,
            nationality="British",
            country_of_residence="United Kingdom",
            birth_month=month,
            birth_year=year,
        )
    people["ed"].row.email = "helen.marsh@the-partnership.example"
    schools = _member_schools(session, today)
    primaries = [s for s in schools if s.phase == "Primary"]
    others = [s for s in schools if s.phase != "Primary"]
    # Two head teachers of member schools sit on the Board.
    heads_on_board = [primaries[0], next(s for s in others if s.phase == "Secondary")]
    for key, school in zip(("head_primary", "head_secondary"), heads_on_board, strict=True):
        people[key] = _person(
            session,
            audit,
            key,
            school.head_title or "Ms",
            f"{school.head_first_name} {school.head_last_name}".strip(),
            school_id=school.id,
            school_role=SchoolRole.HEAD_TEACHER,
            email=f"head@{school.email.partition('@')[2] or 'school.example'}",
            service_address=SERVICE_ADDRESS,
            occupation="Head teacher",
            nationality="British",
            country_of_residence="United Kingdom",
            birth_month=rng.randint(1, 12),
            birth_year=rng.randint(1965, 1982),
        )
    people["observer"] = _person(
        session,
        audit,
        "observer",
        "Ms",
        "Angela Murphy",
        occupation="Head of School Improvement, the local authority",
        email="angela.murphy@council.example",
    )
    people["clerk"] = _person(
        session,
        audit,
        "clerk",
        "Ms",
        "Margaret Lee",
        occupation="Clerk to the Board",
        email="margaret.lee@the-partnership.example",
    )
    deputy = STAFF[1]
    people["deputy"] = _person(
        session,
        audit,
        "deputy",
        "Mr",
        deputy[0],
        occupation=deputy[1],
        email="rafiq.chowdhury@the-partnership.example",
    )
    # The Advisory Council: twelve from member schools not already on the Board, phases
    # mixed, head teachers and governors.
    taken = {s.id for s in heads_on_board}
    chosen = _mixed_phases([s for s in schools if s.id not in taken], 12, rng)
    governors = iter(GOVERNOR_NAMES)
    council_keys = []
    for n, school in enumerate(chosen):
        key = f"council{n + 1}"
        if n % 2 == 1 and n < 2 * len(GOVERNOR_NAMES):
            title, name = next(governors)
            role = SchoolRole.GOVERNOR
            domain = "governors.example"
            email = f"{name.split()[0].casefold()}.{name.split()[-1].casefold()}@{domain}"
        else:
            title = school.head_title or "Ms"
            name = f"{school.head_first_name} {school.head_last_name}".strip()
            role = SchoolRole.HEAD_TEACHER
            email = f"head@{school.email.partition('@')[2] or 'school.example'}"
        people[key] = _person(
            session,
            audit,
            key,
            title,
            name,
            school_id=school.id,
            school_role=role,
            email=email,
            occupation="Head teacher" if role is SchoolRole.HEAD_TEACHER else "School governor",
        )
        people[key].school = school.name
        council_keys.append(key)
    session.flush()

    seats: dict[str, list[_Seat]] = {"board": [], "council": []}
    years = 365 * 3 + 1
    first_meeting = board_days[0]
    # Who resigned, and the director co-opted in their place at the next Board meeting.
    resigned_on = co_opting - timedelta(days=BOARD_EVERY.days // 2)
    # From the day after the meeting that co-opted him: he took no part in his own co-option.
    co_opted_on = co_opting + timedelta(days=1)
    begum_term = today + timedelta(days=50)
    earlier_agm = _agm_day(first_meeting)  # the AGM before the year's first Board meeting
    later = agm_on.replace(year=agm_on.year + 2)  # terms that end after the next AGM
    board_plan = (
        # key, capacity, how, starts, term ends, ends, why ended, notes
        (
            "chair",
            Capacity.CHAIR,
            HowAppointed.ELECTED_AT_AGM,
            earlier_agm.replace(year=earlier_agm.year - 5),
            agm_on + timedelta(days=years),
            None,
            None,
            f"Re-appointed at the annual general meeting on {format_date(agm_on)}.",
        ),
        (
            "vice",
            Capacity.VICE_CHAIR,
            HowAppointed.ELECTED_AT_AGM,
            earlier_agm.replace(year=earlier_agm.year - 2),
            later,
            None,
            None,
            "",
        ),
        ("ed", Capacity.DIRECTOR, HowAppointed.EX_OFFICIO, date(2019, 4, 1), None, None, None, ""),
        (
            "adeyemi",
            Capacity.DIRECTOR,
            HowAppointed.ELECTED_AT_AGM,
            earlier_agm.replace(year=earlier_agm.year - 3),
            agm_on + timedelta(days=years),
            None,
            None,
            f"Re-appointed at the annual general meeting on {format_date(agm_on)}.",
        ),
        (
            "begum",
            Capacity.DIRECTOR,
            HowAppointed.APPOINTED_BY_BOARD,
            begum_term - timedelta(days=years),
            begum_term,
            None,
            None,
            "Appointed by the Board for three years; eligible for re-appointment.",
        ),
        (
            "head_primary",
            Capacity.DIRECTOR,
            HowAppointed.ELECTED_BY_MEMBERS,
            earlier_agm.replace(year=earlier_agm.year - 1),
            later,
            None,
            None,
            "Elected by the member schools as a serving head teacher.",
        ),
        (
            "head_secondary",
            Capacity.DIRECTOR,
            HowAppointed.ELECTED_BY_MEMBERS,
            earlier_agm.replace(year=earlier_agm.year - 2),
            later,
            None,
            None,
            "Elected by the member schools as a serving head teacher.",
        ),
        (
            "harrington",
            Capacity.DIRECTOR,
            HowAppointed.ELECTED_AT_AGM,
            earlier_agm.replace(year=earlier_agm.year - 1),
            later,
            resigned_on,
            WhyEnded.RESIGNED,
            "Resigned on moving away from London.",
        ),
        (
            "ellison",
            Capacity.DIRECTOR,
            HowAppointed.CO_OPTED,
            co_opted_on,
            co_opted_on + timedelta(days=years),
            None,
            None,
            "Co-opted by the Board to fill the vacancy left by Mr Harrington's resignation.",
        ),
        (
            "observer",
            Capacity.OBSERVER,
            HowAppointed.NOMINATED,
            date(2021, 9, 1),
            None,
            None,
            None,
            "Nominated by the local authority; attends without a vote.",
        ),
        (
            "clerk",
            Capacity.CLERK,
            HowAppointed.APPOINTED_BY_BOARD,
            date(2022, 1, 10),
            None,
            None,
            None,
            "",
        ),
        (
            "deputy",
            Capacity.STAFF,
            HowAppointed.EX_OFFICIO,
            date(2019, 4, 1),
            None,
            None,
            None,
            "Deputy Director and Company Secretary; attends without a vote.",
        ),
    )
    rows = []
    for key, capacity, how, starts, term_ends, ends, why, notes in board_plan:
        rows.append(
            Appointment(
                person_id=people[key].row.id,
                body_id=board.id,
                capacity=capacity,
                how_appointed=how,
                starts_on=starts,
                term_ends_on=term_ends,
                ends_on=ends,
                why_ended=why,
                notes=notes,
                **audit,
            )
        )
        seats["board"].append(_Seat(people[key], capacity, starts, ends))
    # Council members serve two years from an autumn; two terms end within 90 days.
    this_year = AcademicYear.of(today)
    for n, key in enumerate(council_keys):
        starts = this_year.previous().first_day - timedelta(days=365 * (n % 2))
        term_ends = this_year.next().last_day + timedelta(days=365 * (n % 2))
        if n in (4, 9):
            term_ends = today + timedelta(days=40 + 3 * n)
        capacity = Capacity.CHAIR if n == 0 else Capacity.MEMBER
        rows.append(
            Appointment(
                person_id=people[key].row.id,
                body_id=council.id,
                capacity=capacity,
                how_appointed=HowAppointed.ELECTED_BY_MEMBERS,
                starts_on=starts,
                term_ends_on=term_ends,
                **audit,
            )
        )
        seats["council"].append(_Seat(people[key], capacity, starts))
    rows.append(
        Appointment(
            person_id=people["clerk"].row.id,
            body_id=council.id,
            capacity=Capacity.CLERK,
            how_appointed=HowAppointed.APPOINTED_BY_BOARD,
            starts_on=date(2022, 1, 10),
            **audit,
        )
    )
    session.add_all(rows)
    return people, seats


@dataclass(frozen=True)
class _School:
    id: int
    name: str
    phase: str
    head_title: str
    head_first_name: str
    head_last_name: str
    email: str


def _member_schools(session: Session, day: date) -> list[_School]:
    """The full member schools entitled to vote on ``day``, by name."""
    entitled = {member_id for member_id, *_ in _voting_members(session, day)}
    rows = session.execute(
        select(
            Member.id,
            School.id,
            School.name,
            School.phase,
            School.head_title,
            School.head_first_name,
            School.head_last_name,
            School.email,
        )
        .join(School, School.id == Member.school_id)
        .order_by(School.name)
    )
    return [_School(*row[1:]) for row in rows if row[0] in entitled]


def _voting_members(session: Session, day: date) -> list[tuple[int, str, str]]:
    """(member id, school name, head teacher) of each full member school on ``day``.

    As the members service's voters on a day: the latest period applied for by then, full,
    admitted and not ceased (under notice still votes).
    """
    periods: dict[int, MembershipPeriod] = {}
    for period in session.scalars(
        select(MembershipPeriod)
        .where(MembershipPeriod.applied_on <= day)
        .order_by(MembershipPeriod.applied_on, MembershipPeriod.id)
    ):
        periods[period.member_id] = period
    schools = session.execute(
        select(
            Member.id, School.name, School.head_title, School.head_first_name, School.head_last_name
        )
        .join(School, School.id == Member.school_id)
        .where(Member.kind == MemberKind.SCHOOL)
        .order_by(School.name)
    )
    voters = []
    for member_id, name, title, first, last in schools:
        latest = periods.get(member_id)
        if (
            latest is not None
            and latest.category is Category.FULL
            and latest.admitted_on is not None
            and member_on(_dates(latest), day)
        ):
            voters.append((member_id, name, " ".join(p for p in (title, first, last) if p)))
    return voters


def _dates(period: MembershipPeriod) -> PeriodDates:
    return PeriodDates(
        period.applied_on, period.admitted_on, period.notice_received_on, period.ends_on
    )


def _associate(session: Session, day: date) -> tuple[int, str, str] | None:
    """An associate member organisation on ``day``: (member id, name, contact)."""
    for member_id, name, contact in session.execute(
        select(Member.id, Member.name, Member.contact_name)
        .where(Member.kind == MemberKind.ORGANISATION)
        .order_by(Member.id)
    ):
        periods = list(
            session.scalars(
                select(MembershipPeriod).where(
                    MembershipPeriod.member_id == member_id, MembershipPeriod.applied_on <= day
                )
            )
        )
        if any(
            p.category is Category.ASSOCIATE
            and member_on(
                PeriodDates(p.applied_on, p.admitted_on, p.notice_received_on, p.ends_on), day
            )
            for p in periods
        ):
            return member_id, name, contact.split(" (")[0]
    return None


def _mixed_phases(schools: Sequence[_School], count: int, rng: random.Random) -> list[_School]:
    """``count`` schools taking each phase in turn, so the council has every phase."""
    by_phase: dict[str, list[_School]] = {}
    for school in schools:
        if school.head_last_name:
            by_phase.setdefault(school.phase or "Other", []).append(school)
    for group in by_phase.values():
        rng.shuffle(group)
    chosen: list[_School] = []
    while len(chosen) < count and any(by_phase.values()):
        for phase in sorted(by_phase, key=lambda p: (p != "Primary", p)):
            if by_phase[phase] and len(chosen) < count:
                chosen.append(by_phase[phase].pop())
    return chosen


# -- the Board's meetings -------------------------------------------------------------------
# The business of each Board meeting besides the usual items: (title, presenter, minutes,
# decisions, actions). Written once; each meeting of the demo takes the next.
BOARD_BUSINESS: tuple[tuple[_Item, ...], ...] = (
    (
        _Item(
            "Management accounts and forecast",
            "Vice-chair",
            "Mr Adebayo presented the management accounts. Income from fees is in line with "
            "the budget; spending on the peer-review programme is below budget because two "
            "training days moved into the next term.\n\nDirectors asked for the forecast to "
            "show the reserves held against the reserves policy.",
            actions=[
                _Action(
                    "Add the reserves position against the reserves policy to the forecast",
                    "vice",
                    35,
                    ("done", 1),
                )
            ],
        ),
        _Item(
            "Risk register",
            "Executive Director",
            "The Executive Director took directors through the risk register. The risk of "
            "member schools leaving as budgets tighten was raised from medium to high.",
            decisions=[_Decision("That the updated risk register be adopted.")],
            actions=[
                _Action(
                    "Draft a retention plan for schools at risk of leaving",
                    "ed",
                    60,
                    ("done", 2),
                )
            ],
        ),
    ),
    (
        _Item(
            "Membership: applications and notices",
            "Executive Director",
            "Two applications for full membership were considered; both schools meet the "
            "eligibility rules. One member school has given notice to leave at the end of its "
            "notice period.",
            decisions=[
                _Decision("That both applicants be admitted as full members.", counted=True),
                _Decision("That the notice to leave be noted.", result=DecisionResult.NOTED),
            ],
            actions=[
                _Action(
                    "Write to the school leaving to ask what would have kept it",
                    "ed",
                    21,
                    ("dropped", 2),
                    "The school's head teacher declined a meeting; nothing more to do.",
                )
            ],
        ),
        _Item(
            "Safeguarding and data protection",
            "Deputy Director",
            "The annual safeguarding report was received. No data breaches were reported in "
            "the period. Training for the office's staff is up to date.",
            decisions=[
                _Decision("That the safeguarding report be received.", result=DecisionResult.NOTED)
            ],
        ),
    ),
    (
        _Item(
            "Fee schedule for next year",
            "Vice-chair",
            "Directors considered the fee per pupil for next year. Holding the rate was "
            "weighed against the rising cost of the programme; a rise of 10p per pupil was "
            "proposed.\n\nThe head teacher directors had declared their interest and took no "
            "part in the vote.",
            decisions=[
                _Decision(
                    "That the fee for next year be £5.10 per pupil, and £250 for associate "
                    "members, subject to the members' views at the annual general meeting.",
                    counted=True,
                    against=1,
                    sitting_out=2,
                )
            ],
            actions=[
                _Action(
                    "Write to every member school with next year's fees",
                    "deputy",
                    28,
                    ("done", 1),
                )
            ],
        ),
    ),
    (
        _Item(
            "Peer review programme",
            "Executive Director",
            "The autumn visits went ahead as scheduled. Quality assurance found the reports "
            "consistent with what the visits saw, with one exception now being followed up "
            "by the partnership's adviser.",
            decisions=[
                _Decision("That the peer review report be noted.", result=DecisionResult.NOTED)
            ],
            actions=[
                _Action(
                    "Share the quality assurance findings with the Advisory Council",
                    "ed",
                    45,
                    ("done", 2),
                ),
                _Action(
                    "Review the training offer for lead reviewers",
                    "head_secondary",
                    70,
                    "in_progress",
                    "A draft programme has been shared with three lead reviewers.",
                ),
            ],
        ),
    ),
    (
        _Item(
            "Directors: resignation and co-option",
            "Chair",
            "The Chair reported the resignation of Mr James Harrington, who is moving away "
            "from London, and thanked him for his service to the partnership.\n\nDirectors "
            "considered co-opting Mr Tom Ellison, a finance director with experience of "
            "charities, to fill the vacancy until the next annual general meeting.",
            decisions=[
                _Decision(
                    "That the resignation of Mr James Harrington as a director be noted.",
                    result=DecisionResult.NOTED,
                ),
                _Decision("That Mr Tom Ellison be co-opted as a director.", counted=True),
            ],
            actions=[
                _Action(
                    "File the change of directors with Companies House",
                    "deputy",
                    14,
                    ("done", 1),
                )
            ],
        ),
        _Item(
            "Budget for next year",
            "Vice-chair",
            "The draft budget assumes the fee agreed at the last meeting and 88 member "
            "schools. It sets aside a contingency of 5% of income.",
            decisions=[_Decision("That the budget for next year be approved.", counted=True)],
        ),
    ),
    (
        _Item(
            "Annual general meeting: arrangements",
            "Clerk",
            "The Clerk set out the arrangements for the annual general meeting: notice to "
            "every member school at least 14 clear days before, with the proxy form.\n\nDr "
            "Ashworth and Mr Adeyemi retire by rotation and offer themselves for "
            "re-appointment.",
            decisions=[
                _Decision(
                    "That the annual general meeting be held on the date set out in the notice, "
                    "and the notice be sent to every member school."
                )
            ],
            actions=[
                _Action(
                    "Send the notice of the annual general meeting to every member school",
                    "clerk",
                    10,
                    ("done", 1),
                ),
                _Action(
                    "Prepare the annual report and accounts for the members",
                    "ed",
                    30,
                    ("done", 1),
                ),
            ],
        ),
    ),
    (
        _Item(
            "Policies: whistleblowing and complaints",
            "Deputy Director",
            "Both policies were reviewed against the current guidance. The complaints policy "
            "now names the Clerk as the first contact for complaints about a director.",
            decisions=[_Decision("That the whistleblowing and complaints policies be approved.")],
            actions=[
                _Action(
                    "Publish the updated policies on the website",
                    "deputy",
                    21,
                    "open",
                ),
                _Action(
                    "Arrange a board development session on governance",
                    "chair",
                    40,
                    "open",
                ),
            ],
        ),
    ),
    (
        _Item(
            "Management accounts and the year ahead",
            "Vice-chair",
            "Mr Adebayo presented the management accounts for the first months of the year. "
            "Income is slightly ahead of budget as two schools joined in September.",
            decisions=[
                _Decision("That the management accounts be received.", result=DecisionResult.NOTED)
            ],
            actions=[
                _Action(
                    "Bring options for the office lease to the next meeting",
                    "ed",
                    40,
                    "open",
                ),
                _Action(
                    "Update the register of interests for every director",
                    "clerk",
                    30,
                    "in_progress",
                    "Returns received from six directors.",
                ),
            ],
        ),
    ),
)
FEES = 2  # the business in which the head teacher directors declare an interest
RESIGNATION = 4  # the business in which a director's resignation is noted
AGM_ARRANGEMENTS = 5  # the business that sets the AGM's date
# The next meeting's business (its agenda is set; it has not met).
NEXT_BOARD_BUSINESS = (
    _Item("Office lease: options", "Executive Director"),
    _Item("Mid-year review of the budget", "Vice-chair"),
)
ED_REPORTS = (
    "The Executive Director reported on the first weeks of term: every member school has a "
    "named link officer, and the new head teachers' induction was well attended.",
    "The Executive Director reported that membership stands steady, and that the partnership's "
    "conference drew speakers from three other partnerships.",
    "The Executive Director reported on the Ofsted outcomes of member schools in the term: "
    "of the inspections, all but one kept or improved their judgement.",
    "The Executive Director reported that recruitment to the peer review training was strong, "
    "with 41 schools sending a reviewer.",
    "The Executive Director reported on the spring term: the SEND network has met twice, and "
    "the attendance project now runs in twelve schools.",
    "The Executive Director reported on the summer term's programme and on the borough's plans "
    "for falling rolls in primary schools.",
    "The Executive Director welcomed schools back for the new year and reported that two "
    "schools had joined over the summer.",
    "The Executive Director reported on the autumn term so far: peer review visits are under "
    "way and the governors' training programme is full.",
)


def _board_meetings(
    board: GoverningBody,
    days: Sequence[date],
    order: Sequence[int],
    people: dict[str, _Person],
    seats: dict[str, list[_Seat]],
    today: date,
) -> list[_Plan]:
    plans = []
    held = days[:BOARD_MEETINGS_HELD]
    for k, day in enumerate(days):
        is_next = k >= BOARD_MEETINGS_HELD
        sent: date | None = day - timedelta(days=9 + k % 3)
        if k == 3:
            sent = day - timedelta(days=4)  # short notice: 3 clear days of the 7 needed
        if is_next:
            soon = k == BOARD_MEETINGS_HELD and day - today <= timedelta(days=14)
            sent = day - timedelta(days=9) if soon else None
        items = [
            _Item("Welcome and apologies", "Chair"),
            _Item("Declarations of interest", "Chair"),
            _Item("Minutes of the last meeting and matters arising", "Chair"),
            _Item("Executive Director's report", "Executive Director"),
        ]
        if k == BOARD_MEETINGS_HELD:  # the next meeting's agenda is set; later ones usual
            items += [_Item(i.title, i.presenter) for i in NEXT_BOARD_BUSINESS]
        elif not is_next:
            items[3].minutes = ED_REPORTS[k % len(ED_REPORTS)]
            items += [_copy_item(item) for item in BOARD_BUSINESS[order[k]]]
        items += [_Item("Any other business", "Chair"), _Item("Date of the next meeting", "Chair")]
        plan = _Plan(
            board,
            day,
            time(17, 30),
            board.name,
            "" if k == 2 else BOARD_VENUE,
            sent,
            items,
            online_link=ONLINE_LINK if k == 2 else "",
            held=not is_next,
        )
        if not is_next:
            _board_attendance(plan, k, order[k], seats["board"], people)
            _board_minutes(plan, k, held, people)
        plans.append(plan)
    return plans


def _copy_item(item: _Item) -> _Item:
    return _Item(
        item.title,
        item.presenter,
        item.minutes,
        [_Decision(**vars(d)) for d in item.decisions],
        [_Action(**vars(a)) for a in item.actions],
    )


def _board_attendance(
    plan: _Plan, k: int, business: int, seats: Sequence[_Seat], people: dict[str, _Person]
) -> None:
    day = plan.meets_on
    voting = [s for s in seats if s.on(day) and s.capacity.votes]
    plan.entitled = len(voting)
    # One director sends apologies at most meetings, a different one each time.
    away = voting[(k * 3 + 1) % len(voting)].person.key if k % 4 != 2 else None
    for seat in seats:
        if not seat.on(day):
            continue
        key = seat.person.key
        status = Attendance.PRESENT if seat.capacity.votes else Attendance.IN_ATTENDANCE
        if key == away or (key == "observer" and k % 3 == 1):
            status = Attendance.APOLOGIES
        arrived = left = None
        if k == 4 and key == "adeyemi" and status is Attendance.PRESENT:
            arrived = 4  # joined during the Executive Director's report
        if k == 5 and key == "head_secondary" and status is Attendance.PRESENT:
            left = 6  # left before any other business
        _attend(plan, seat.person, status, seat.capacity.votes, arrived, left, seat.capacity.label)
    if business == FEES:
        plan.declarations.append(
            (
                people["head_primary"].name,
                "Head teacher of a member school: an interest in the fee schedule.",
                5,
            )
        )
        plan.declarations.append(
            (
                people["head_secondary"].name,
                "Head teacher of a member school: an interest in the fee schedule.",
                5,
            )
        )


def _attend(
    plan: _Plan,
    person: _Person,
    status: Attendance,
    votes: bool,
    arrived: int | None = None,
    left: int | None = None,
    role: str = "",
) -> None:
    plan.attendance.append(
        MeetingAttendance(
            person_id=person.row.id,
            status=status,
            role=role.replace(" (no vote)", ""),
            arrived_at_item=arrived,
            left_at_item=left,
        )
    )
    plan.presences.append(Presence(person.key, status, votes, arrived, left))


def _names(plan: _Plan, people: dict[str, _Person], status: Attendance) -> str:
    by_id = {p.row.id: p.name for p in people.values()}
    names = [by_id[a.person_id] for a in plan.attendance if a.status is status and a.person_id]
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _board_minutes(plan: _Plan, k: int, held: Sequence[date], people: dict[str, _Person]) -> None:
    items = plan.items
    apologies = _names(plan, people, Attendance.APOLOGIES)
    welcome = "The Chair welcomed directors and those in attendance."
    if plan.online_link:
        welcome = "The Chair welcomed directors to the meeting, held online."
    welcome += (
        f"\n\nApologies were received from {apologies} and accepted."
        if apologies
        else "\n\nThere were no apologies."
    )
    if k == 3:
        welcome += (
            "\n\nThe Chair noted that notice of this meeting was shorter than the seven clear "
            "days the Board's rules ask for, because the meeting was brought forward to suit "
            "the auditors; directors present agreed to proceed."
        )
    items[0].minutes = welcome
    items[1].minutes = "No interests were declared beyond those on the register of interests."
    if plan.declarations:
        names = " and ".join(name for name, _interest, _item in plan.declarations)
        items[1].minutes = (
            f"{names} declared an interest in item 5 as head teachers of member schools, and "
            "took no part in the decision."
        )
    if k == 0:
        items[2].minutes = (
            "The minutes of the previous meeting had been approved and signed. Matters "
            "arising were reviewed against the action log."
        )
    else:
        items[2].minutes = (
            f"The minutes of the meeting held on {format_date(held[k - 1])} were approved as a "
            "true record and signed by the Chair.\n\nMatters arising: the Clerk took directors "
            "through the open actions; progress is recorded against each one in the action log."
        )
        items[2].decisions.append(
            _Decision(
                f"That the minutes of the meeting held on {format_date(held[k - 1])} be "
                "approved as a true record.",
                approves=k - 1,
            )
        )
    items[-2].minutes = "There was no other business."
    following = held[k + 1] if k + 1 < len(held) else held[k] + BOARD_EVERY
    items[-1].minutes = f"The next meeting will be held on {format_date(following)} at 5.30 pm."


# -- the Advisory Council's meetings --------------------------------------------------------
COUNCIL_TOPICS = (
    _Item(
        "Recruitment and retention of teachers",
        "Council chair",
        "Members shared how their schools are recruiting. Secondary schools report the "
        "hardest vacancies in mathematics and physics; primary schools in early years.\n\n"
        "The Council asked the partnership to look at a shared early-career programme.",
        decisions=[
            _Decision(
                "That the Council recommend to the Board a shared early-career programme for "
                "member schools.",
                counted=True,
                abstaining=1,
            )
        ],
        actions=[
            _Action(
                "Put the Council's recommendation on early-career teachers to the Board",
                "ed",
                30,
                ("done", 1),
            )
        ],
    ),
    _Item(
        "Peer review programme: what schools said",
        "Executive Director",
        "The Executive Director presented the quality assurance findings shared by the Board. "
        "Members welcomed the visits; governors asked for a short summary they can take to "
        "their boards.",
        actions=[
            _Action(
                "Write a one-page summary of the peer review for governing boards",
                "council2",
                35,
                ("done", 1),
            ),
            _Action(
                "Survey schools on the dates of next year's visits",
                "clerk",
                20,
                ("dropped", 1),
                "Overtaken: the calendar is now set with the cycle's schedule.",
            ),
        ],
    ),
    _Item(
        "SEND and inclusion in the borough",
        "Council chair",
        "Members discussed the borough's plans for inclusion. Special school heads described "
        "the pressure on places; mainstream heads the wait for assessments.",
        decisions=[
            _Decision(
                "That the Council's views on inclusion be sent to the local authority.",
            )
        ],
        actions=[
            _Action(
                "Send the Council's views on inclusion to the local authority",
                "council1",
                21,
                "open",
            ),
            _Action(
                "Invite the borough's SEND lead to the next meeting",
                "clerk",
                45,
                "in_progress",
                "Two dates offered; awaiting a reply.",
            ),
        ],
    ),
)


def _council_terms(today: date) -> list[tuple[str, date]]:
    """The three terms before the term of today (the one the Council missed), as (name, a
    Wednesday four weeks into the term and not in half term)."""
    year = AcademicYear.of(today)
    terms = [
        t for y in (year.previous().previous(), year.previous(), year) for t in default_terms(y)
    ]
    started = [t for t in terms if t.starts_on <= today]
    chosen = started[-1 - AC_TERMS_MET : -1]
    days = []
    for term in chosen:
        day = term.starts_on + timedelta(days=28)
        day += timedelta(days=(2 - day.weekday()) % 7)
        while term.in_half_term(day):
            day += timedelta(days=7)
        days.append((f"{term.name.label} {term.starts_on.year}", day))
    return days


def _council_meetings(
    council: GoverningBody, today: date, seats: dict[str, list[_Seat]], people: dict[str, _Person]
) -> list[_Plan]:
    plans = []
    held = [day for _name, day in _council_terms(today)]
    member_seats = seats["council"]
    for k, day in enumerate(held):
        items = [
            _Item("Welcome and apologies", "Council chair"),
            _Item("Declarations of interest", "Council chair"),
            _Item("Minutes of the last meeting and matters arising", "Council chair"),
            _Item(
                "Partnership update",
                "Executive Director",
                "The Executive Director updated members on the Board's recent decisions and "
                "the programme for the term.",
            ),
            _copy_item(COUNCIL_TOPICS[k % len(COUNCIL_TOPICS)]),
            _Item("Any other business", "Council chair", "There was no other business."),
        ]
        plan = _Plan(
            council,
            day,
            time(16, 0),
            council.name,
            "Professional Development Centre, 229 Bethnal Green Road, London E2 6AB",
            day - timedelta(days=12),
            items,
        )
        voting = [s for s in member_seats if s.on(day)]
        plan.entitled = len(voting)
        for n, seat in enumerate(voting):
            status = Attendance.APOLOGIES if (n + k) % 4 == 3 else Attendance.PRESENT
            _attend(plan, seat.person, status, True, role=_council_role(seat))
        _attend(plan, people["ed"], Attendance.IN_ATTENDANCE, False, role="Executive Director")
        _attend(plan, people["clerk"], Attendance.IN_ATTENDANCE, False, role="Clerk")
        apologies = _names(plan, people, Attendance.APOLOGIES)
        items[0].minutes = (
            "The Council chair welcomed members and the Executive Director.\n\nApologies were "
            f"received from {apologies} and accepted."
        )
        items[1].minutes = "No interests were declared."
        if k == 0:
            items[2].minutes = "The minutes of the previous meeting had been approved and signed."
        else:
            items[2].minutes = (
                f"The minutes of the meeting held on {format_date(held[k - 1])} were approved as "
                "a true record.\n\nMatters arising were taken from the action log."
            )
            items[2].decisions.append(
                _Decision(
                    f"That the minutes of the meeting held on {format_date(held[k - 1])} be "
                    "approved as a true record.",
                    approves=k - 1,
                )
            )
        plans.append(plan)
    return plans


def _council_role(seat: _Seat) -> str:
    """``Head teacher, Bonner Primary School`` (the council's chair says so first)."""
    role = f"{seat.person.row.school_role.label}, {seat.person.school}"
    return f"Chair; {role}" if seat.capacity is Capacity.CHAIR else role


# -- the annual general meeting -------------------------------------------------------------
def _agm(
    session: Session,
    general: GoverningBody,
    day: date,
    people: dict[str, _Person],
    rng: random.Random,
) -> _Plan:
    voters = _voting_members(session, day)
    rng.shuffle(voters)
    # A third of the entitled schools came, and a handful voted by proxy (the Chair of the
    # meeting as their proxy, as the notice's proxy form offers).
    present = voters[: len(voters) // 3]
    proxies = voters[len(voters) // 3 : len(voters) // 3 + 6]
    chair = people["chair"]
    items = [
        _Item("Welcome and apologies", "Chair"),
        _Item("Declarations of interest", "Chair"),
        _Item("Minutes of the last annual general meeting", "Chair"),
        _Item("Annual report and accounts", "Executive Director"),
        _Item("Directors' appointments", "Chair"),
        _Item("Amendment to the articles: meetings held online", "Clerk"),
        _Item("Any other business", "Chair"),
    ]
    plan = _Plan(
        general,
        day,
        time(18, 0),
        "Annual General Meeting",
        "Professional Development Centre, 229 Bethnal Green Road, London E2 6AB",
        day - timedelta(days=21),  # 20 clear days of the 14 needed
        items,
        kind=MeetingKind.ANNUAL,
        entitled=len(voters),
    )
    for member_id, _name, head in present:
        plan.attendance.append(
            MeetingAttendance(member_id=member_id, status=Attendance.PRESENT, name=head)
        )
        plan.presences.append(Presence(member_id, Attendance.PRESENT, True))
    for member_id, _name, _head in proxies:
        plan.attendance.append(
            MeetingAttendance(
                member_id=member_id,
                status=Attendance.PRESENT,
                by_proxy=True,
                proxy_name=f"{chair.name} (Chair of the meeting)",
            )
        )
        plan.presences.append(Presence(member_id, Attendance.PRESENT, True))
    associate = _associate(session, day)
    if associate is not None:
        member_id, _name, contact = associate
        plan.attendance.append(
            MeetingAttendance(
                member_id=member_id,
                status=Attendance.IN_ATTENDANCE,
                name=contact,
                role="Associate member",
            )
        )
        plan.presences.append(Presence(member_id, Attendance.IN_ATTENDANCE, False))
    for key in ("chair", "vice", "ed", "adeyemi"):
        _attend(plan, people[key], Attendance.IN_ATTENDANCE, False, role="Director")
    _attend(plan, people["clerk"], Attendance.IN_ATTENDANCE, False, role="Clerk")
    schools = len(present) + len(proxies)
    items[0].minutes = (
        f"{chair.name}, Chair of the Board, chaired the meeting and welcomed members. "
        f"{schools} member schools were represented, {len(proxies)} of them by proxy; the "
        "meeting was quorate."
    )
    items[1].minutes = "No interests were declared."
    last_year = _agm_day(day - timedelta(days=200))
    items[2].minutes = (
        f"The minutes of the annual general meeting held on {format_date(last_year)} were "
        "approved as a true record and signed by the Chair."
    )
    items[3].minutes = (
        "The Executive Director presented the annual report: membership, the peer review "
        "programme and the training offer. The accounts show a small surplus, added to the "
        "reserves."
    )
    items[3].decisions.append(
        _Decision("That the annual report and accounts be received.", result=DecisionResult.NOTED)
    )
    items[4].minutes = (
        f"{chair.name} and {people['adeyemi'].name} retired by rotation and, being eligible, "
        "offered themselves for re-appointment. Each was re-appointed on a show of voting "
        "cards."
    )
    items[4].decisions += [
        _Decision(f"That {chair.name} be re-appointed as a director.", counted=True, abstaining=2),
        _Decision(
            f"That {people['adeyemi'].name} be re-appointed as a director.",
            counted=True,
            against=1,
            abstaining=1,
        ),
    ]
    items[5].minutes = (
        "The Clerk explained the amendment, which lets general meetings be held online or in "
        "a hybrid form with members voting remotely."
    )
    items[5].decisions.append(
        _Decision(
            "That the articles of association be amended to allow general meetings to be held "
            "online, as set out in the notice.",
            kind=DecisionKind.SPECIAL,
            counted=True,
            against=2,
            abstaining=1,
        )
    )
    items[6].minutes = "There was no other business. The Chair thanked members for attending."
    return plan


def _next_agm(general: GoverningBody, day: date) -> _Plan:
    """Next year's AGM: the date is set (the company must hold one each year); no notice yet."""
    titles = (
        "Welcome and apologies",
        "Declarations of interest",
        "Minutes of the last annual general meeting",
        "Annual report and accounts",
        "Directors' appointments",
        "Any other business",
    )
    return _Plan(
        general,
        day,
        time(18, 0),
        "Annual General Meeting",
        "Professional Development Centre, 229 Bethnal Green Road, London E2 6AB",
        None,
        [_Item(title) for title in titles],
        kind=MeetingKind.ANNUAL,
        held=False,
    )


# -- recording ------------------------------------------------------------------------------
def _record(
    session: Session,
    plans: Sequence[_Plan],
    people: dict[str, _Person],
    audit: dict[str, str],
    today: date,
) -> None:
    """The meetings and everything in them, added while their minutes are drafts; then each
    meeting's minutes moved on (approved minutes are locked: nothing is added to them after)."""
    chairs = {
        BodyKind.BOARD: people["chair"],
        BodyKind.GENERAL_MEETING: people["chair"],
        BodyKind.ADVISORY_COUNCIL: people["council1"],
    }
    for plan in plans:
        plan.row = Meeting(
            body_id=plan.body.id,
            kind=plan.kind,
            title=plan.title,
            meets_on=plan.meets_on,
            starts_at=plan.starts_at,
            ends_at=(datetime.combine(plan.meets_on, plan.starts_at) + timedelta(hours=2)).time(),
            venue=plan.venue,
            online_link=plan.online_link,
            notice_sent_on=plan.notice_sent_on,
            chair_person_id=chairs[plan.body.kind].row.id,
            minutes_status=MinutesStatus.DRAFT,
            **audit,
        )
        session.add(plan.row)
    session.flush()
    items: dict[int, list[AgendaItem]] = {}
    for plan in plans:
        assert plan.row is not None
        items[plan.row.id] = [
            AgendaItem(
                meeting_id=plan.row.id,
                position=n,
                title=item.title,
                presenter=item.presenter,
                minutes=item.minutes,
                **audit,
            )
            for n, item in enumerate(plan.items, start=1)
        ]
        session.add_all(items[plan.row.id])
        for line in plan.attendance:
            line.meeting_id = plan.row.id
            line.created_by = line.updated_by = audit["created_by"]
        session.add_all(plan.attendance)
    session.flush()
    by_body: dict[int, list[_Plan]] = {}
    for plan in plans:
        by_body.setdefault(plan.body.id, []).append(plan)
    approved_at: dict[int, _Plan] = {}
    rows: list[object] = []
    for body_plans in by_body.values():
        for plan in body_plans:
            assert plan.row is not None
            meeting_items = items[plan.row.id]
            rule = quorum_of(plan.body)
            number = 0
            for position, (item, row) in enumerate(
                zip(plan.items, meeting_items, strict=True), start=1
            ):
                for planned in item.decisions:
                    number += 1
                    quorum = quorum_at(rule, plan.entitled, plan.presences, position)
                    if not quorum.quorate:
                        raise RuntimeError(f"Demo: {plan.title} on {plan.meets_on} inquorate")
                    votes = Votes()
                    if planned.counted:
                        cast = quorum.voting - planned.sitting_out
                        votes = Votes(
                            cast - planned.against - planned.abstaining,
                            planned.against,
                            planned.abstaining,
                        )
                    problem = result_problem(planned.kind, planned.result, votes)
                    if problem:
                        raise RuntimeError(f"Demo: {problem}")
                    approves: int | None = None
                    if planned.approves is not None:
                        earlier = body_plans[planned.approves]
                        assert earlier.row is not None
                        approves = earlier.row.id
                        approved_at[earlier.row.id] = plan
                    rows.append(
                        Decision(
                            meeting_id=plan.row.id,
                            agenda_item_id=row.id,
                            number=number,
                            text=planned.text,
                            kind=planned.kind,
                            result=planned.result,
                            votes_for=votes.for_,
                            votes_against=votes.against,
                            votes_abstaining=votes.abstaining,
                            approves_meeting_id=approves,
                            **audit,
                        )
                    )
                for action in item.actions:
                    rows.append(_action_row(action, plan, body_plans, row, people, audit))
            for name, interest, at_item in plan.declarations:
                rows.append(
                    InterestDeclaration(
                        meeting_id=plan.row.id,
                        agenda_item_id=meeting_items[at_item - 1].id if at_item else None,
                        name=name,
                        interest=interest,
                        **audit,
                    )
                )
    session.add_all(rows)
    session.flush()
    for plan in plans:
        meeting_row = plan.row
        assert meeting_row is not None
        if not plan.held:
            continue
        meeting_row.circulated_on = min(plan.meets_on + timedelta(days=4), today)
        later = approved_at.get(meeting_row.id)
        if later is None:
            meeting_row.minutes_status = MinutesStatus.CIRCULATED
            continue
        assert later.row is not None
        meeting_row.minutes_status = MinutesStatus.SIGNED
        meeting_row.approved_on = later.meets_on
        meeting_row.approved_at_meeting_id = later.row.id
        meeting_row.signed_by = chairs[plan.body.kind].name
        meeting_row.signed_on = later.meets_on
    session.flush()


def _action_row(
    action: _Action,
    plan: _Plan,
    body_plans: Sequence[_Plan],
    item: AgendaItem,
    people: dict[str, _Person],
    audit: dict[str, str],
) -> GovernanceAction:
    assert plan.row is not None
    owner = people.get(action.owner)
    status, closed_on, closed_at = ActionStatus.OPEN, None, None
    if isinstance(action.outcome, tuple):
        how, later = action.outcome
        index = body_plans.index(plan) + later
        closing = body_plans[index] if index < len(body_plans) else None
        if closing is not None and closing.held and closing.row is not None:
            status = ActionStatus.DONE if how == "done" else ActionStatus.DROPPED
            closed_on, closed_at = closing.meets_on, closing.row.id
    elif action.outcome == "in_progress":
        status = ActionStatus.IN_PROGRESS
    return GovernanceAction(
        body_id=plan.body.id,
        meeting_id=plan.row.id,
        agenda_item_id=item.id,
        text=action.text,
        owner_person_id=owner.row.id if owner is not None else None,
        owner_name="" if owner is not None else action.owner,
        due_on=plan.meets_on + timedelta(days=action.due_in),
        status=status,
        progress=action.progress,
        closed_on=closed_on,
        closed_at_meeting_id=closed_at,
        **audit,
    )


def _erratum(session: Session, plans: Sequence[_Plan], audit: dict[str, str]) -> None:
    """A correction to the Board's approved minutes of its third meeting, noted two meetings on."""
    board = [p for p in plans if p.body.kind is BodyKind.BOARD and p.held]
    corrected, noted_at = board[2], board[4]
    assert corrected.row is not None
    report = session.scalar(
        select(AgendaItem).where(
            AgendaItem.meeting_id == corrected.row.id, AgendaItem.position == 4
        )
    )
    session.add(
        MinutesErratum(
            meeting_id=corrected.row.id,
            agenda_item_id=report.id if report is not None else None,
            noted_on=noted_at.meets_on,
            correction="In the Executive Director's report, for \"all but one kept or improved "
            'their judgement" read "all but two kept or improved their judgement".',
            reason="A second school's inspection report was published after the meeting with "
            "a lower judgement; the Board asked for the record to be corrected.",
            **audit,
        )
    )

"""The plain data the governance services take and give (no database objects leave them)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import (
    ActionStatus,
    Attendance,
    BodyKind,
    Capacity,
    DecisionKind,
    DecisionResult,
    Frequency,
    HowAppointed,
    MeetingKind,
    MinutesStatus,
    NoticeCheck,
    QuorumAt,
    QuorumRule,
    SchoolRole,
    Voters,
    Votes,
    WhyEnded,
    in_office,
)


def meeting_label(title: str, meets_on: date) -> str:
    """``Board of Directors, 14/07/2025``: how a meeting is named in lists and messages."""
    return f"{title}, {format_date(meets_on)}"


def born_label(month: int | None, year: int | None) -> str:
    """The month and year of birth, as the public register shows them (``March 1961``)."""
    if year is None:
        return ""
    if month is None:
        return str(year)
    return f"{date(year, month, 1):%B %Y}"


def time_label(value: time | None) -> str:
    return "" if value is None else f"{value:%H:%M}"


# -- bodies ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyInput:
    name: str
    code: str
    kind: BodyKind
    voters: Voters = Voters.APPOINTED
    quorum: QuorumRule = QuorumRule(number=3)
    notice_clear_days: int = 7
    frequency: Frequency = Frequency.NONE
    min_meetings: int = 0
    active: bool = True
    notes: str = ""


@dataclass(frozen=True)
class BodyDetail:
    id: int
    version: int
    name: str
    code: str
    kind: BodyKind
    voters: Voters
    quorum: QuorumRule
    notice_clear_days: int
    frequency: Frequency
    min_meetings: int
    active: bool
    notes: str
    voting_members: int  # voting members in office today (for a general meeting: entitled)
    meetings: int  # meetings recorded; a body with meetings is retired, not deleted
    uuid: uuid.UUID | None = None  # for its History

    @property
    def frequency_label(self) -> str:
        if self.frequency == Frequency.NONE or self.min_meetings == 0:
            return "No required frequency"
        times = "once" if self.min_meetings == 1 else f"{self.min_meetings} times"
        period = "each term" if self.frequency == Frequency.TERM else "each academic year"
        return f"At least {times} {period}"

    def as_input(self) -> BodyInput:
        return BodyInput(
            self.name,
            self.code,
            self.kind,
            self.voters,
            self.quorum,
            self.notice_clear_days,
            self.frequency,
            self.min_meetings,
            self.active,
            self.notes,
        )


# -- people and appointments ----------------------------------------------------------------


@dataclass(frozen=True)
class PersonInput:
    full_name: str
    title: str = ""
    email: str = ""
    phone: str = ""
    service_address: str = ""
    school_id: int | None = None
    school_role: SchoolRole = SchoolRole.NONE
    former_names: str = ""
    occupation: str = ""
    nationality: str = ""
    country_of_residence: str = ""
    birth_month: int | None = None
    birth_year: int | None = None
    notes: str = ""


@dataclass(frozen=True)
class AppointmentInput:
    person_id: int
    body_id: int
    capacity: Capacity
    how_appointed: HowAppointed
    starts_on: date
    term_ends_on: date | None = None
    ends_on: date | None = None  # the date ceased: no longer in office from that day
    why_ended: WhyEnded | None = None
    notes: str = ""


@dataclass(frozen=True)
class AppointmentDetail:
    id: int
    version: int
    person_id: int
    person_name: str
    body_id: int
    body_name: str
    capacity: Capacity
    how_appointed: HowAppointed
    starts_on: date
    term_ends_on: date | None
    ends_on: date | None
    why_ended: WhyEnded | None
    notes: str
    school_name: str = ""
    school_phase: str = ""
    school_role: SchoolRole = SchoolRole.NONE
    uuid: uuid.UUID | None = None  # for its History

    @property
    def votes(self) -> bool:
        return self.capacity.votes

    def in_office(self, day: date) -> bool:
        return in_office(self.starts_on, self.ends_on, day)

    @property
    def period_label(self) -> str:
        """``01/09/2024 to 31/08/2027`` (a term), ``from 01/09/2024``, or with the date ceased."""
        if self.ends_on is not None:
            return f"From {format_date(self.starts_on)}, ceased {format_date(self.ends_on)}"
        if self.term_ends_on is not None:
            return f"From {format_date(self.starts_on)}, term ends {format_date(self.term_ends_on)}"
        return f"From {format_date(self.starts_on)}"

    def as_input(self) -> AppointmentInput:
        return AppointmentInput(
            self.person_id,
            self.body_id,
            self.capacity,
            self.how_appointed,
            self.starts_on,
            self.term_ends_on,
            self.ends_on,
            self.why_ended,
            self.notes,
        )


@dataclass(frozen=True)
class PersonDetail:
    id: int
    version: int
    title: str
    full_name: str
    email: str
    phone: str
    service_address: str
    school_id: int | None
    school_name: str
    school_phase: str
    school_role: SchoolRole
    former_names: str
    occupation: str
    nationality: str
    country_of_residence: str
    birth_month: int | None
    birth_year: int | None
    notes: str
    appointments: tuple[AppointmentDetail, ...] = ()
    uuid: uuid.UUID | None = None  # for their History

    @property
    def name(self) -> str:
        return f"{self.title} {self.full_name}".strip()

    @property
    def born_label(self) -> str:
        return born_label(self.birth_month, self.birth_year)

    def roles_on(self, day: date) -> tuple[AppointmentDetail, ...]:
        return tuple(a for a in self.appointments if a.in_office(day))

    def as_input(self) -> PersonInput:
        return PersonInput(
            self.full_name,
            self.title,
            self.email,
            self.phone,
            self.service_address,
            self.school_id,
            self.school_role,
            self.former_names,
            self.occupation,
            self.nationality,
            self.country_of_residence,
            self.birth_month,
            self.birth_year,
            self.notes,
        )


@dataclass(frozen=True)
class DirectorEntry:
    """One line of the register of directors (Companies Act 2006, s 162)."""

    appointment_id: int
    person_id: int
    name: str
    former_names: str
    service_address: str
    country_of_residence: str
    nationality: str
    occupation: str
    born: str  # month and year only
    capacity: Capacity
    how_appointed: HowAppointed
    appointed_on: date
    ceased_on: date | None  # None while still a director on the register's date
    why_ended: WhyEnded | None


@dataclass(frozen=True)
class DirectorsRegister:
    as_at: date
    body_name: str
    entries: tuple[DirectorEntry, ...]  # everyone appointed by then, current first

    @property
    def current(self) -> tuple[DirectorEntry, ...]:
        return tuple(e for e in self.entries if e.ceased_on is None)

    @property
    def former(self) -> tuple[DirectorEntry, ...]:
        return tuple(e for e in self.entries if e.ceased_on is not None)


# -- meetings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingInput:
    body_id: int | None
    meets_on: date | None
    title: str = ""  # empty: named from the body and kind ("Board of Directors")
    kind: MeetingKind = MeetingKind.ORDINARY
    starts_at: time | None = None
    ends_at: time | None = None
    venue: str = ""
    online_link: str = ""
    notice_sent_on: date | None = None
    chair_person_id: int | None = None
    cancelled: bool = False
    notes: str = ""


@dataclass(frozen=True)
class PaperDetail:
    id: int
    version: int
    file_name: str
    size: int


@dataclass(frozen=True)
class AgendaItemInput:
    title: str
    presenter: str = ""
    minutes: str = ""
    item_id: int | None = None  # None: a new item


@dataclass(frozen=True)
class AgendaItemDetail:
    id: int
    version: int
    position: int
    title: str
    presenter: str
    minutes: str
    papers: tuple[PaperDetail, ...] = ()

    def as_input(self) -> AgendaItemInput:
        return AgendaItemInput(self.title, self.presenter, self.minutes, self.id)


@dataclass(frozen=True)
class AttendanceInput:
    status: Attendance
    person_id: int | None = None
    member_id: int | None = None
    name: str = ""  # a guest's name, or who represented a member school
    role: str = ""  # e.g. "Head teacher, Bonner Primary School" or "Auditor"
    by_proxy: bool = False
    proxy_name: str = ""
    arrived_at_item: int | None = None
    left_at_item: int | None = None


@dataclass(frozen=True)
class AttendanceDetail:
    id: int | None  # None: proposed from the body's members, not yet saved
    status: Attendance
    person_id: int | None
    member_id: int | None
    name: str
    role: str
    by_proxy: bool
    proxy_name: str
    arrived_at_item: int | None
    left_at_item: int | None
    label: str  # the person's name, or the member school's
    votes: bool  # may vote at this meeting
    why_no_vote: str  # words when not: "observer", "not a full member on 14/07/2025"

    def as_input(self) -> AttendanceInput:
        return AttendanceInput(
            self.status,
            self.person_id,
            self.member_id,
            self.name,
            self.role,
            self.by_proxy,
            self.proxy_name,
            self.arrived_at_item,
            self.left_at_item,
        )


@dataclass(frozen=True)
class DeclarationInput:
    name: str
    interest: str
    agenda_item_id: int | None = None


@dataclass(frozen=True)
class DeclarationDetail:
    id: int
    name: str
    interest: str
    agenda_item_id: int | None
    item_position: int | None

    def as_input(self) -> DeclarationInput:
        return DeclarationInput(self.name, self.interest, self.agenda_item_id)


@dataclass(frozen=True)
class DecisionInput:
    agenda_item_id: int
    text: str
    kind: DecisionKind = DecisionKind.ORDINARY
    result: DecisionResult = DecisionResult.CARRIED
    votes: Votes = Votes()


@dataclass(frozen=True)
class DecisionDetail:
    id: int
    version: int
    meeting_id: int
    number: int
    reference: str  # B/2025/07/3
    agenda_item_id: int
    item_position: int
    item_title: str
    text: str
    kind: DecisionKind
    result: DecisionResult
    votes: Votes
    approves_meeting_id: int | None
    quorum: QuorumAt
    meeting_title: str = ""
    meets_on: date | None = None

    def as_input(self) -> DecisionInput:
        return DecisionInput(self.agenda_item_id, self.text, self.kind, self.result, self.votes)


@dataclass(frozen=True)
class ErratumDetail:
    id: int
    agenda_item_id: int | None
    item_position: int | None
    noted_on: date
    correction: str
    reason: str


@dataclass(frozen=True)
class ActionInput:
    meeting_id: int
    text: str
    owner_person_id: int | None = None
    owner_name: str = ""  # someone not on the body (e.g. "Executive Director")
    due_on: date | None = None
    agenda_item_id: int | None = None


@dataclass(frozen=True)
class ActionDetail:
    id: int
    version: int
    body_id: int
    body_name: str
    meeting_id: int
    meeting_label: str  # "Board of Directors, 14/07/2025"
    raised_on: date
    agenda_item_id: int | None
    item_position: int | None
    text: str
    owner_person_id: int | None
    owner_name: str
    owner_label: str
    due_on: date | None
    status: ActionStatus
    progress: str
    closed_on: date | None
    closed_at_meeting_id: int | None
    uuid: uuid.UUID | None = None  # for its History

    @property
    def is_open(self) -> bool:
        return self.status.is_open

    def overdue(self, on: date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < on

    def as_input(self) -> ActionInput:
        return ActionInput(
            self.meeting_id,
            self.text,
            self.owner_person_id,
            self.owner_name,
            self.due_on,
            self.agenda_item_id,
        )


@dataclass(frozen=True)
class ActionFilter:
    body_id: int | None = None
    open_only: bool = False
    overdue_on: date | None = None  # only actions overdue on this day
    owner: str = ""
    search: str = ""


@dataclass(frozen=True)
class MeetingSummary:
    id: int
    version: int
    body_id: int
    body_name: str
    body_code: str
    kind: MeetingKind
    title: str
    meets_on: date
    starts_at: time | None
    venue: str
    cancelled: bool
    minutes_status: MinutesStatus
    notice: NoticeCheck
    decisions: int
    open_actions: int  # raised at this meeting and still open
    uuid: uuid.UUID | None = None  # for its History

    @property
    def label(self) -> str:
        return meeting_label(self.title, self.meets_on)


@dataclass(frozen=True)
class MeetingDetail:
    id: int
    version: int
    body: BodyDetail
    kind: MeetingKind
    title: str
    meets_on: date
    starts_at: time | None
    ends_at: time | None
    venue: str
    online_link: str
    notice_sent_on: date | None
    notice: NoticeCheck
    cancelled: bool
    chair_person_id: int | None
    chair_name: str
    minutes_status: MinutesStatus
    circulated_on: date | None
    approved_on: date | None
    approved_at_meeting_id: int | None
    approved_at_label: str
    signed_by: str
    signed_on: date | None
    notes: str
    items: tuple[AgendaItemDetail, ...]
    attendance: tuple[AttendanceDetail, ...]
    declarations: tuple[DeclarationDetail, ...]
    decisions: tuple[DecisionDetail, ...]
    actions: tuple[ActionDetail, ...]  # raised at this meeting
    matters_arising: tuple[ActionDetail, ...]  # open from earlier meetings of the body
    errata: tuple[ErratumDetail, ...]
    entitled: int  # who may vote on the day: voting members, or entitled member schools
    quorum: tuple[QuorumAt, ...]  # at each agenda item, in order
    today: date = field(default_factory=date.today)

    @property
    def label(self) -> str:
        return meeting_label(self.title, self.meets_on)

    @property
    def held(self) -> bool:
        return not self.cancelled and self.meets_on <= self.today

    @property
    def locked(self) -> bool:
        return self.minutes_status.locked

    def quorum_at(self, position: int) -> QuorumAt | None:
        return next((q for q in self.quorum if q.item == position), None)

    def as_input(self) -> MeetingInput:
        return MeetingInput(
            self.body.id,
            self.meets_on,
            self.title,
            self.kind,
            self.starts_at,
            self.ends_at,
            self.venue,
            self.online_link,
            self.notice_sent_on,
            self.chair_person_id,
            self.cancelled,
            self.notes,
        )


# -- compliance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FrequencyGap:
    body_id: int
    body_name: str
    period_label: str  # "Autumn term 2026" or "2026/27"
    required: int
    held: int
    planned: int  # meetings booked later in the period
    message: str


@dataclass(frozen=True)
class ComplianceReport:
    as_at: date
    behind: tuple[FrequencyGap, ...]
    short_notices: tuple[MeetingSummary, ...]  # in the last twelve months and ahead
    overdue_actions: tuple[ActionDetail, ...]
    terms_ending: tuple[AppointmentDetail, ...]  # in office, term ending within 90 days

    @property
    def all_clear(self) -> bool:
        return not (self.behind or self.short_notices or self.overdue_actions or self.terms_ending)

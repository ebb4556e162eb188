"""What the governance documents print, as plain data: a meeting's heading, its agenda, notice
and minutes, the decision and action logs and the register of directors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from thep_desktop.domain.dates import format_date, format_long_date


def time_words(value: time) -> str:
    """``6.00 pm``, ``10.30 am``, ``12.00 noon``: how a notice states the time."""
    if value.hour == 12 and value.minute == 0:
        return "12.00 noon"
    hour = value.hour % 12 or 12
    return f"{hour}.{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"


def day_words(value: date) -> str:
    """``Tuesday 14 July 2026``."""
    return f"{value:%A} {format_long_date(value)}"


def joined(names: list[str] | tuple[str, ...]) -> str:
    """``A, B and C``."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class MeetingHeading:
    """Which meeting a document is about, and when and where it is held."""

    company: str  # the organisation's name
    body_name: str  # "Board of Directors"
    title: str  # "Annual General Meeting", "Board of Directors"
    meets_on: date
    starts_at: time | None = None
    ends_at: time | None = None
    venue: str = ""
    online_link: str = ""

    @property
    def place(self) -> str:
        """``Bow School, Paton Close, E3 2QD`` or ``online (https://…)``, or both."""
        venue = ", ".join(p.strip() for p in self.venue.splitlines() if p.strip())
        if venue and self.online_link:
            return f"{venue}, and online at {self.online_link}"
        if self.online_link:
            return f"online at {self.online_link}"
        return venue or "a place to be confirmed"

    @property
    def when(self) -> str:
        """``Tuesday 14 July 2026 at 6.00 pm``."""
        if self.starts_at is None:
            return day_words(self.meets_on)
        return f"{day_words(self.meets_on)} at {time_words(self.starts_at)}"

    @property
    def times(self) -> str:
        """``6.00 pm to 7.30 pm``, ``6.00 pm`` or ""."""
        if self.starts_at is None:
            return ""
        if self.ends_at is None:
            return time_words(self.starts_at)
        return f"{time_words(self.starts_at)} to {time_words(self.ends_at)}"

    @property
    def label(self) -> str:
        """``Board of Directors, 14/07/2026``."""
        return f"{self.title}, {format_date(self.meets_on)}"


@dataclass(frozen=True)
class AgendaEntry:
    number: int
    title: str
    presenter: str = ""
    papers: tuple[str, ...] = ()  # the papers' file names


@dataclass(frozen=True)
class Agenda:
    heading: MeetingHeading
    items: tuple[AgendaEntry, ...]
    issued_on: date | None = None


# -- the notice -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A notice of meeting: for a general meeting one letter to each member, else one page."""

    heading: MeetingHeading
    items: tuple[AgendaEntry, ...]
    dated: date  # the day the notice is made and sent
    signatory: str  # the clerk or company secretary, "By order of the Board"
    signatory_role: str = ""
    general_meeting: bool = False
    members: tuple[str, ...] = ()  # another body's members, named on its notice
    given_by: str = "By order of the Board"  # a council's notice: "By order of the Chair"

    @property
    def title(self) -> str:
        """``Notice of the Annual General Meeting``, ``Notice of meeting: Board of Directors``."""
        if self.general_meeting:
            return f"Notice of the {self.heading.title}"
        return f"Notice of meeting: {self.heading.body_name}"


@dataclass(frozen=True)
class NoticeRecipient:
    """One member written to: the address block, whom to greet, and whether it votes."""

    member_name: str  # the school's (or organisation's) name
    address: tuple[str, ...]  # name, role, school, street..., postcode
    salutation: str  # "Dear Ms Begum,"
    full_member: bool
    reference: str = ""  # the school's URN or the member's number


# -- the minutes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceLine:
    name: str
    role: str = ""  # "Chair", "Head teacher, Bow School", "Auditor"
    note: str = ""  # "joined at item 3", "by proxy: Mr J Smith"

    @property
    def text(self) -> str:
        parts = [self.name]
        if self.role:
            parts[0] += f" ({self.role})"
        if self.note:
            parts.append(self.note)
        return ", ".join(parts)


@dataclass(frozen=True)
class DecisionLine:
    reference: str
    text: str
    kind: str  # "Ordinary resolution"
    result: str  # "Carried"
    votes: str = ""  # "7 for, 1 against, 0 abstaining", "" when not counted
    meets_on: date | None = None
    body_name: str = ""
    meeting: str = ""  # "Board of Directors, 14/07/2026"
    item: str = ""  # "3. Budget 2026/27"
    # The votes as numbers (None when not counted), for a spreadsheet to add up.
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstaining: int | None = None


@dataclass(frozen=True)
class ActionLine:
    text: str
    owner: str
    due_on: date | None
    status: str  # "Open", "In progress", "Done", "Dropped"
    is_open: bool = True
    overdue: bool = False
    raised_at: str = ""  # "Board of Directors, 14/07/2026"
    raised_on: date | None = None
    closed_on: date | None = None
    progress: str = ""
    body_name: str = ""

    @property
    def due_label(self) -> str:
        return format_date(self.due_on) if self.due_on else "No date set"

    @property
    def state(self) -> str:
        """``Open (overdue)``, ``Done on 01/09/2026``: the status as the logs print it."""
        if self.overdue:
            return f"{self.status} – OVERDUE"
        if self.closed_on is not None and not self.is_open:
            return f"{self.status} on {format_date(self.closed_on)}"
        return self.status


@dataclass(frozen=True)
class ErratumLine:
    noted_on: date
    correction: str
    reason: str = ""
    item: int | None = None  # the agenda item it corrects; None: the minutes as a whole


@dataclass(frozen=True)
class MinutesItem:
    number: int
    title: str
    presenter: str = ""
    minutes: str = ""
    decisions: tuple[DecisionLine, ...] = ()
    actions: tuple[ActionLine, ...] = ()
    declarations: tuple[str, ...] = ()  # interests declared at this item
    quorum_note: str = ""  # only when the quorum changed at this item


@dataclass(frozen=True)
class Minutes:
    heading: MeetingHeading
    status: str  # "Draft", "Circulated", "Approved", "Signed"
    draft: bool  # marked DRAFT on every page until approved
    present: tuple[AttendanceLine, ...]
    in_attendance: tuple[AttendanceLine, ...]
    apologies: tuple[AttendanceLine, ...]
    absent: tuple[AttendanceLine, ...]
    quorum: str  # "The meeting was quorate: 6 of the 5 needed were present."
    items: tuple[MinutesItem, ...]
    declarations: tuple[str, ...] = ()  # "Ms A Khan: governor of Bow School (item 4)"
    matters_arising: tuple[ActionLine, ...] = ()
    errata: tuple[ErratumLine, ...] = ()
    other_actions: tuple[ActionLine, ...] = ()  # raised at the meeting, at no item
    chair: str = ""
    chair_label: str = "Chair"
    signed_by: str = ""
    signed_on: date | None = None
    approved_on: date | None = None
    approved_at: str = ""  # "Board of Directors, 22/09/2026"
    circulated_on: date | None = None
    general_meeting: bool = False
    notes: str = ""


# -- the logs and the register --------------------------------------------------------------


@dataclass(frozen=True)
class DecisionLog:
    company: str
    scope: str  # "All bodies, all years" / "Board of Directors, 2025/26"
    entries: tuple[DecisionLine, ...]
    printed_at: datetime = field(default_factory=datetime.now)


@dataclass(frozen=True)
class ActionLog:
    company: str
    scope: str  # "All bodies, open actions, as at 01/12/2026"
    as_at: date
    entries: tuple[ActionLine, ...]
    printed_at: datetime = field(default_factory=datetime.now)

    @property
    def overdue(self) -> int:
        return sum(1 for e in self.entries if e.overdue)


@dataclass(frozen=True)
class DirectorLine:
    """One line of the register of directors (Companies Act 2006, s 162)."""

    name: str
    former_names: str
    service_address: str
    country_of_residence: str
    nationality: str
    occupation: str
    born: str  # "March 1961"
    capacity: str  # "Chair", "Director"
    appointed_on: date
    ceased_on: date | None = None
    why_ended: str = ""


@dataclass(frozen=True)
class DirectorsRegisterPaper:
    company: str
    company_number: str
    body_name: str
    as_at: date
    current: tuple[DirectorLine, ...]
    former: tuple[DirectorLine, ...]
    printed_at: datetime = field(default_factory=datetime.now)

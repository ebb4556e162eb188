"""Governance: bodies and their rules, attendance and quorum, notice in clear days,
decisions and their votes, minutes and actions (plain Python: no database)."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from thep_desktop.domain.dates import format_date


class _Labelled(enum.StrEnum):
    """An enumeration with words for people, and parsing from its value or its words."""

    @property
    def label(self) -> str:
        return _LABELS[(type(self), self.value)]

    @classmethod
    def parse(cls, text: str) -> _Labelled:
        wanted = " ".join((text or "").split()).casefold()
        for item in cls:
            if wanted in (item.value, item.label.casefold()):
                return item
        choices = ", ".join(item.label for item in cls)
        raise ValueError(f"{text!r} is not one of: {choices}.")


class BodyKind(_Labelled):
    BOARD = "board"
    ADVISORY_COUNCIL = "advisory_council"
    GENERAL_MEETING = "general_meeting"
    COMMITTEE = "committee"


class Voters(_Labelled):
    """Who votes at a body's meetings."""

    APPOINTED = "appointed"  # its voting members (directors, council members)
    MEMBER_SCHOOLS = "member_schools"  # the full member schools entitled on the day


class Frequency(_Labelled):
    """How often a body must meet: ``min_meetings`` in each period."""

    NONE = "none"
    TERM = "term"
    YEAR = "year"


class Capacity(_Labelled):
    """In what capacity a person sits on a body."""

    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    DIRECTOR = "director"
    MEMBER = "member"
    OBSERVER = "observer"
    STAFF = "staff"
    CLERK = "clerk"

    @property
    def votes(self) -> bool:
        """Observers, staff and the clerk attend without a vote."""
        return self not in (Capacity.OBSERVER, Capacity.STAFF, Capacity.CLERK)


class HowAppointed(_Labelled):
    ELECTED_AT_AGM = "elected_at_agm"
    ELECTED_BY_MEMBERS = "elected_by_members"
    CO_OPTED = "co_opted"
    EX_OFFICIO = "ex_officio"
    APPOINTED_BY_BOARD = "appointed_by_board"
    NOMINATED = "nominated"


class WhyEnded(_Labelled):
    RESIGNED = "resigned"
    TERM_ENDED = "term_ended"
    REMOVED = "removed"
    NOT_RE_ELECTED = "not_re_elected"
    DIED = "died"
    OTHER = "other"


class SchoolRole(_Labelled):
    """What a council member is at their school."""

    NONE = "none"
    HEAD_TEACHER = "head_teacher"
    GOVERNOR = "governor"
    OTHER_LEADER = "other_leader"


class MeetingKind(_Labelled):
    ORDINARY = "ordinary"
    ANNUAL = "annual"  # the annual general meeting
    EXTRAORDINARY = "extraordinary"


class Attendance(_Labelled):
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"
    IN_ATTENDANCE = "in_attendance"  # staff, observers, guests: present without a vote


class DecisionKind(_Labelled):
    ORDINARY = "ordinary"
    SPECIAL = "special"


class DecisionResult(_Labelled):
    CARRIED = "carried"
    NOT_CARRIED = "not_carried"
    NOTED = "noted"
    DEFERRED = "deferred"


class MinutesStatus(_Labelled):
    DRAFT = "draft"
    CIRCULATED = "circulated"
    APPROVED = "approved"
    SIGNED = "signed"

    @property
    def locked(self) -> bool:
        """Approved minutes do not change: a correction is a dated erratum."""
        return self in (MinutesStatus.APPROVED, MinutesStatus.SIGNED)

    @property
    def order(self) -> int:
        return list(MinutesStatus).index(self)


class ActionStatus(_Labelled):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def is_open(self) -> bool:
        return self in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


# Pairs, not a dict keyed by member: members of two kinds with the same value (MeetingKind and
# DecisionKind "ordinary", Frequency and SchoolRole "none") are equal as strings and would
# overwrite each other's words.
_LABEL_PAIRS: tuple[tuple[enum.Enum, str], ...] = (
    (BodyKind.BOARD, "Board of Directors"),
    (BodyKind.ADVISORY_COUNCIL, "Advisory Council"),
    (BodyKind.GENERAL_MEETING, "General meeting of members"),
    (BodyKind.COMMITTEE, "Committee"),
    (Voters.APPOINTED, "Its voting members"),
    (Voters.MEMBER_SCHOOLS, "Member schools entitled to vote (one school, one vote)"),
    (Frequency.NONE, "No required frequency"),
    (Frequency.TERM, "Each term"),
    (Frequency.YEAR, "Each academic year"),
    (Capacity.CHAIR, "Chair"),
    (Capacity.VICE_CHAIR, "Vice-chair"),
    (Capacity.DIRECTOR, "Director"),
    (Capacity.MEMBER, "Member"),
    (Capacity.OBSERVER, "Observer (no vote)"),
    (Capacity.STAFF, "Staff (no vote)"),
    (Capacity.CLERK, "Clerk (no vote)"),
    (HowAppointed.ELECTED_AT_AGM, "Elected at the AGM"),
    (HowAppointed.ELECTED_BY_MEMBERS, "Elected by the member schools"),
    (HowAppointed.CO_OPTED, "Co-opted"),
    (HowAppointed.EX_OFFICIO, "Ex officio"),
    (HowAppointed.APPOINTED_BY_BOARD, "Appointed by the Board"),
    (HowAppointed.NOMINATED, "Nominated"),
    (WhyEnded.RESIGNED, "Resigned"),
    (WhyEnded.TERM_ENDED, "Term ended"),
    (WhyEnded.REMOVED, "Removed"),
    (WhyEnded.NOT_RE_ELECTED, "Not re-elected"),
    (WhyEnded.DIED, "Died"),
    (WhyEnded.OTHER, "Other"),
    (SchoolRole.NONE, "Not from a school"),
    (SchoolRole.HEAD_TEACHER, "Head teacher"),
    (SchoolRole.GOVERNOR, "Governor"),
    (SchoolRole.OTHER_LEADER, "Other school leader"),
    (MeetingKind.ORDINARY, "Meeting"),
    (MeetingKind.ANNUAL, "Annual general meeting"),
    (MeetingKind.EXTRAORDINARY, "Extraordinary meeting"),
    (Attendance.PRESENT, "Present"),
    (Attendance.APOLOGIES, "Apologies"),
    (Attendance.ABSENT, "Absent"),
    (Attendance.IN_ATTENDANCE, "In attendance"),
    (DecisionKind.ORDINARY, "Ordinary resolution"),
    (DecisionKind.SPECIAL, "Special resolution"),
    (DecisionResult.CARRIED, "Carried"),
    (DecisionResult.NOT_CARRIED, "Not carried"),
    (DecisionResult.NOTED, "Noted"),
    (DecisionResult.DEFERRED, "Deferred"),
    (MinutesStatus.DRAFT, "Draft"),
    (MinutesStatus.CIRCULATED, "Circulated"),
    (MinutesStatus.APPROVED, "Approved"),
    (MinutesStatus.SIGNED, "Signed"),
    (ActionStatus.OPEN, "Open"),
    (ActionStatus.IN_PROGRESS, "In progress"),
    (ActionStatus.DONE, "Done"),
    (ActionStatus.DROPPED, "Dropped"),
)
_LABELS: dict[tuple[type, str], str] = {
    (type(member), member.value): text for member, text in _LABEL_PAIRS
}


# --- Notice --------------------------------------------------------------------------------


def clear_days(sent_on: date, meeting_on: date) -> int:
    """Clear days of notice: neither the day it was sent nor the day of the meeting counts."""
    return (meeting_on - sent_on).days - 1


def latest_notice_day(meeting_on: date, required_clear_days: int) -> date:
    """The last day notice can be sent and still give ``required_clear_days``."""
    return meeting_on - timedelta(days=required_clear_days + 1)


@dataclass(frozen=True)
class NoticeCheck:
    sent_on: date | None
    meeting_on: date
    required: int
    given: int | None  # clear days given, None when no notice is recorded

    @property
    def short(self) -> bool:
        return self.given is not None and self.given < self.required

    @property
    def message(self) -> str:
        last = format_date(latest_notice_day(self.meeting_on, self.required))
        if self.given is None:
            if self.required <= 0:
                return "No notice recorded."
            return f"No notice recorded yet: {self.required} clear days need it sent by {last}."
        if self.short:
            return (
                f"Short notice: sent on {format_date(self.sent_on)}, it gives {max(self.given, 0)} "
                f"clear days; {self.required} were needed (sent by {last})."
            )
        return f"Notice sent on {format_date(self.sent_on)}: {self.given} clear days given."


def check_notice(sent_on: date | None, meeting_on: date, required: int) -> NoticeCheck:
    given = None if sent_on is None else clear_days(sent_on, meeting_on)
    return NoticeCheck(sent_on, meeting_on, required, given)


# --- Quorum --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuorumRule:
    """A fixed number of voting members present, or a fraction of those entitled (rounded
    up); ``minimum`` puts a floor under a fraction. Observers count only when the rule says."""

    number: int | None = None
    numerator: int | None = None
    denominator: int | None = None
    minimum: int = 0
    observers_count: bool = False

    def problems(self) -> dict[str, str]:
        problems = {}
        if self.number is None and self.numerator is None:
            problems["quorum"] = "Give the quorum as a number or as a fraction of voting members."
        if self.number is not None and self.number < 1:
            problems["quorum"] = "A quorum is at least one person."
        if self.numerator is not None:
            if not self.denominator or self.denominator < 1:
                problems["quorum"] = "A fraction needs a number below the line of 1 or more."
            elif not 0 < self.numerator <= self.denominator:
                problems["quorum"] = "A fraction of the members is between 0 and 1 (e.g. 1/3)."
        if self.minimum < 0:
            problems["quorum"] = "The least number for a quorum cannot be negative."
        return problems

    def needed(self, voting_members: int) -> int:
        """How many must be present, for a body with ``voting_members`` who may vote."""
        if self.number is not None:
            return self.number
        share = math.ceil(voting_members * (self.numerator or 0) / (self.denominator or 1))
        return max(share, self.minimum, 1)

    @property
    def label(self) -> str:
        observers = "; observers count" if self.observers_count else ""
        if self.number is not None:
            return f"{self.number} voting members present{observers}"
        floor = f", and at least {self.minimum}" if self.minimum else ""
        return f"{self.numerator}/{self.denominator} of voting members{floor}{observers}"


@dataclass(frozen=True)
class Presence:
    """One attendance line as far as quorum and votes go.

    ``arrived_at`` is the first agenda item the person was there for; ``left_at`` the first
    item they missed after leaving (None: there to the end). ``votes`` is whether they may
    vote (a voting member; at a general meeting a member school entitled on the day, in
    person or by proxy).
    """

    key: object
    status: Attendance
    votes: bool
    arrived_at: int | None = None
    left_at: int | None = None

    def there_at(self, item: int) -> bool:
        if self.status not in (Attendance.PRESENT, Attendance.IN_ATTENDANCE):
            return False
        if self.arrived_at is not None and item < self.arrived_at:
            return False
        return not (self.left_at is not None and item >= self.left_at)


@dataclass(frozen=True)
class QuorumAt:
    item: int
    present: int  # who count towards the quorum, there at the item
    voting: int  # who may vote, there at the item
    needed: int

    @property
    def quorate(self) -> bool:
        return self.present >= self.needed

    @property
    def message(self) -> str:
        state = "quorate" if self.quorate else "NOT quorate"
        return f"Item {self.item}: {state}: {self.present} present of {self.needed} needed."


def quorum_at(rule: QuorumRule, entitled: int, people: Iterable[Presence], item: int) -> QuorumAt:
    """The quorum at agenda item ``item`` (its number), from who was there at it."""
    there = [p for p in people if p.there_at(item)]
    voting = sum(1 for p in there if p.votes and p.status == Attendance.PRESENT)
    counted = voting + (
        sum(1 for p in there if not (p.votes and p.status == Attendance.PRESENT))
        if rule.observers_count
        else 0
    )
    return QuorumAt(item, counted, voting, rule.needed(entitled))


def presence_problems(presence: Presence, items: Sequence[int]) -> str | None:
    """Words for an impossible arrival or departure, or None."""
    if presence.arrived_at is None and presence.left_at is None:
        return None
    if presence.status not in (Attendance.PRESENT, Attendance.IN_ATTENDANCE):
        return "Only someone who was there can arrive late or leave early."
    known = set(items)
    for value in (presence.arrived_at, presence.left_at):
        if value is not None and value not in known:
            return f"There is no agenda item {value}."
    if (
        presence.arrived_at is not None
        and presence.left_at is not None
        and presence.left_at <= presence.arrived_at
    ):
        return "They cannot leave before the item they arrived at."
    return None


# --- Decisions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Votes:
    for_: int | None = None
    against: int | None = None
    abstaining: int | None = None

    @property
    def counted(self) -> bool:
        return any(v is not None for v in (self.for_, self.against, self.abstaining))

    @property
    def total(self) -> int:
        return (self.for_ or 0) + (self.against or 0) + (self.abstaining or 0)

    @property
    def label(self) -> str:
        if not self.counted:
            return ""
        return (
            f"{self.for_ or 0} for, {self.against or 0} against, {self.abstaining or 0} abstaining"
        )


def result_problem(kind: DecisionKind, result: DecisionResult, votes: Votes) -> str | None:
    """Words when the recorded result does not follow from the votes, or None.

    An ordinary resolution passes by a simple majority of the votes cast; a special
    resolution needs at least three quarters of them (Companies Act 2006, ss 282-283).
    Abstentions are not votes cast.
    """
    if any(v is not None and v < 0 for v in (votes.for_, votes.against, votes.abstaining)):
        return "Votes cannot be negative."
    if not votes.counted or result not in (DecisionResult.CARRIED, DecisionResult.NOT_CARRIED):
        return None
    cast = (votes.for_ or 0) + (votes.against or 0)
    if kind == DecisionKind.SPECIAL:
        passes = cast > 0 and 4 * (votes.for_ or 0) >= 3 * cast
        rule = "a special resolution needs at least three quarters of the votes cast"
    else:
        passes = (votes.for_ or 0) > (votes.against or 0)
        rule = "an ordinary resolution needs more votes for than against"
    if passes and result == DecisionResult.NOT_CARRIED:
        return f"With {votes.label} the resolution was carried ({rule})."
    if not passes and result == DecisionResult.CARRIED:
        return f"With {votes.label} the resolution was not carried ({rule})."
    return None


def decision_reference(code: str, meeting_on: date, number: int, suffix: str = "") -> str:
    """A decision's number within its meeting, e.g. ``B/2025/07/3``.

    ``suffix`` tells apart two meetings of one body in the same month (``B/2025/07b/1``).
    """
    return f"{code}/{meeting_on.year}/{meeting_on.month:02d}{suffix}/{number}"


# --- Appointments --------------------------------------------------------------------------


def in_office(starts_on: date, ends_on: date | None, day: date) -> bool:
    """``ends_on`` is the date ceased: from that day the person no longer holds office."""
    return starts_on <= day and (ends_on is None or day < ends_on)


def periods_overlap(first: tuple[date, date | None], second: tuple[date, date | None]) -> bool:
    (a_start, a_end), (b_start, b_end) = first, second
    return (a_end is None or b_start < a_end) and (b_end is None or a_start < b_end)

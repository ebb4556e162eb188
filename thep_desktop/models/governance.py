"""Governing bodies, their people and appointments, meetings with their agenda, attendance,
minutes, decisions and actions.

Approved minutes never change: the service refuses, and so does the database (triggers made
by migration 0013 refuse an UPDATE or DELETE of an approved or signed meeting's record, its
agenda and minutes, attendance, declarations, decisions and errata, and of what its actions
say; the one change allowed is the chair's signature on approved minutes, and an action's
status and progress still move on).
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
    SchoolRole,
    Voters,
    WhyEnded,
)
from thep_desktop.models.base import Base, RecordMixin, value_enum


class GoverningBody(RecordMixin, Base):
    """The Board, the Advisory Council, the general meeting of members, or a committee."""

    __tablename__ = "governing_body"
    __table_args__ = (
        CheckConstraint("name <> ''", name="has_a_name"),
        CheckConstraint("code <> ''", name="has_a_code"),
        CheckConstraint(
            "(quorum_number IS NULL) <> (quorum_numerator IS NULL)", name="quorum_one_way"
        ),
        CheckConstraint("notice_clear_days >= 0", name="notice_not_negative"),
        CheckConstraint("min_meetings >= 0", name="min_meetings_not_negative"),
    )

    name: Mapped[str] = mapped_column(String(200), unique=True)
    # Starts each decision's number: B/2025/07/3.
    code: Mapped[str] = mapped_column(String(10), unique=True)
    kind: Mapped[BodyKind] = mapped_column(value_enum(BodyKind, "body_kind"))
    voters: Mapped[Voters] = mapped_column(value_enum(Voters, "body_voters"))
    quorum_number: Mapped[int | None] = mapped_column(Integer)
    quorum_numerator: Mapped[int | None] = mapped_column(Integer)
    quorum_denominator: Mapped[int | None] = mapped_column(Integer)
    quorum_minimum: Mapped[int] = mapped_column(Integer, default=0)
    observers_count: Mapped[bool] = mapped_column(Boolean, default=False)
    notice_clear_days: Mapped[int] = mapped_column(Integer, default=7)
    frequency: Mapped[Frequency] = mapped_column(value_enum(Frequency, "body_frequency"))
    min_meetings: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")


class GovernancePerson(RecordMixin, Base):
    """A director, council member, observer or member of staff who sits on a body.

    The register of directors' statutory details (Companies Act 2006, ss 162-163) are kept
    here: a service address, former names, country of residence, nationality, occupation and
    the month and year of birth (the day is not kept: it is not on the public register).
    """

    __tablename__ = "governance_person"
    __table_args__ = (
        CheckConstraint("full_name <> ''", name="has_a_name"),
        CheckConstraint(
            "birth_month IS NULL OR (birth_month BETWEEN 1 AND 12)", name="birth_month_is_a_month"
        ),
    )

    title: Mapped[str] = mapped_column(String(30), default="")
    full_name: Mapped[str] = mapped_column(String(200), index=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    service_address: Mapped[str] = mapped_column(Text, default="")
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="SET NULL"), index=True
    )
    school_role: Mapped[SchoolRole] = mapped_column(value_enum(SchoolRole, "school_role"))
    former_names: Mapped[str] = mapped_column(String(200), default="")
    occupation: Mapped[str] = mapped_column(String(200), default="")
    nationality: Mapped[str] = mapped_column(String(100), default="")
    country_of_residence: Mapped[str] = mapped_column(String(100), default="")
    birth_month: Mapped[int | None] = mapped_column(Integer)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")


class Appointment(RecordMixin, Base):
    """A person's seat on a body from ``starts_on`` until ``ends_on`` (the date ceased: no
    longer in office from that day), with the end of their term when they were appointed."""

    __tablename__ = "appointment"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="ends_after_it_starts"),
        CheckConstraint(
            "term_ends_on IS NULL OR term_ends_on > starts_on", name="term_ends_after_it_starts"
        ),
    )

    person_id: Mapped[int] = mapped_column(
        ForeignKey("governance_person.id", ondelete="RESTRICT"), index=True
    )
    body_id: Mapped[int] = mapped_column(
        ForeignKey("governing_body.id", ondelete="RESTRICT"), index=True
    )
    capacity: Mapped[Capacity] = mapped_column(value_enum(Capacity, "appointment_capacity"))
    how_appointed: Mapped[HowAppointed] = mapped_column(value_enum(HowAppointed, "how_appointed"))
    starts_on: Mapped[date] = mapped_column(Date)
    term_ends_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    why_ended: Mapped[WhyEnded | None] = mapped_column(value_enum(WhyEnded, "why_ended"))
    notes: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[GovernancePerson] = relationship(lazy="raise")
    body: Mapped[GoverningBody] = relationship(lazy="raise")


class Meeting(RecordMixin, Base):
    """A meeting of a body: when and where, its notice, and where its minutes have got to."""

    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint("title <> ''", name="has_a_title"),
        CheckConstraint(
            "(minutes_status IN ('draft', 'circulated')) OR approved_on IS NOT NULL",
            name="approved_minutes_are_dated",
        ),
        CheckConstraint(
            "minutes_status <> 'signed' OR (signed_on IS NOT NULL AND signed_by <> '')",
            name="signed_minutes_name_the_signer",
        ),
    )

    body_id: Mapped[int] = mapped_column(
        ForeignKey("governing_body.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[MeetingKind] = mapped_column(value_enum(MeetingKind, "meeting_kind"))
    title: Mapped[str] = mapped_column(String(200))
    meets_on: Mapped[date] = mapped_column(Date, index=True)
    starts_at: Mapped[time | None] = mapped_column(Time)
    ends_at: Mapped[time | None] = mapped_column(Time)
    venue: Mapped[str] = mapped_column(Text, default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    notice_sent_on: Mapped[date | None] = mapped_column(Date)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    chair_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_person.id", ondelete="RESTRICT")
    )
    minutes_status: Mapped[MinutesStatus] = mapped_column(
        value_enum(MinutesStatus, "minutes_status")
    )
    circulated_on: Mapped[date | None] = mapped_column(Date)
    approved_on: Mapped[date | None] = mapped_column(Date)
    # The later meeting whose decision approved these minutes.
    approved_at_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="RESTRICT")
    )
    signed_by: Mapped[str] = mapped_column(String(200), default="")
    signed_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    body: Mapped[GoverningBody] = relationship(lazy="raise")
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        order_by="AgendaItem.position",
        lazy="raise",
    )


class AgendaItem(RecordMixin, Base):
    """One numbered item of a meeting's agenda, with its minutes."""

    __tablename__ = "agenda_item"
    __table_args__ = (
        UniqueConstraint("meeting_id", "position"),
        CheckConstraint("position >= 1", name="numbered_from_one"),
        CheckConstraint("title <> ''", name="has_a_title"),
    )

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str] = mapped_column(String(200), default="")
    minutes: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship(back_populates="items", lazy="raise")


class AgendaPaper(RecordMixin, Base):
    """A paper attached to an agenda item, kept in the database so every desk can open it."""

    __tablename__ = "agenda_paper"
    __table_args__ = (CheckConstraint("file_name <> ''", name="has_a_name"),)

    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class MeetingAttendance(RecordMixin, Base):
    """Who was at a meeting: a person (a body's meeting) or a member school (a general
    meeting, in person through its representative or by proxy)."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (
        UniqueConstraint("meeting_id", "person_id", name="uq_meeting_attendance_person"),
        UniqueConstraint("meeting_id", "member_id", name="uq_meeting_attendance_member"),
        CheckConstraint(
            "person_id IS NOT NULL OR member_id IS NOT NULL OR name <> ''",
            name="names_someone",
        ),
        CheckConstraint("NOT by_proxy OR member_id IS NOT NULL", name="proxies_are_members"),
        CheckConstraint(
            "arrived_at_item IS NULL OR left_at_item IS NULL OR left_at_item > arrived_at_item",
            name="leaves_after_arriving",
        ),
    )

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_person.id", ondelete="RESTRICT")
    )
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="RESTRICT"))
    # The guest's name, or who represented the member school.
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[Attendance] = mapped_column(value_enum(Attendance, "attendance"))
    by_proxy: Mapped[bool] = mapped_column(Boolean, default=False)
    proxy_name: Mapped[str] = mapped_column(String(200), default="")
    arrived_at_item: Mapped[int | None] = mapped_column(Integer)
    left_at_item: Mapped[int | None] = mapped_column(Integer)


class InterestDeclaration(RecordMixin, Base):
    """An interest declared at a meeting, at an item or for the whole meeting."""

    __tablename__ = "interest_declaration"
    __table_args__ = (CheckConstraint("interest <> ''", name="says_what"),)

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(200))
    interest: Mapped[str] = mapped_column(Text)


class Decision(RecordMixin, Base):
    """A decision or resolution, numbered within its meeting and taken at an agenda item."""

    __tablename__ = "decision"
    __table_args__ = (
        UniqueConstraint("meeting_id", "number"),
        CheckConstraint("number >= 1", name="numbered_from_one"),
        CheckConstraint("text <> ''", name="says_what"),
        CheckConstraint(
            "(votes_for IS NULL OR votes_for >= 0) AND (votes_against IS NULL OR "
            "votes_against >= 0) AND (votes_abstaining IS NULL OR votes_abstaining >= 0)",
            name="votes_not_negative",
        ),
    )

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[DecisionKind] = mapped_column(value_enum(DecisionKind, "decision_kind"))
    result: Mapped[DecisionResult] = mapped_column(value_enum(DecisionResult, "decision_result"))
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    votes_abstaining: Mapped[int | None] = mapped_column(Integer)
    # When this decision approved the minutes of an earlier meeting.
    approves_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="RESTRICT"), unique=True
    )


class GovernanceAction(RecordMixin, Base):
    """An action agreed at a meeting, carried forward as a matter arising until closed."""

    __tablename__ = "governance_action"
    __table_args__ = (
        CheckConstraint("text <> ''", name="says_what"),
        CheckConstraint(
            "(status IN ('open', 'in_progress')) = (closed_on IS NULL)",
            name="closed_actions_are_dated",
        ),
    )

    body_id: Mapped[int] = mapped_column(
        ForeignKey("governing_body.id", ondelete="RESTRICT"), index=True
    )
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="RESTRICT"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("governance_person.id", ondelete="RESTRICT")
    )
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(value_enum(ActionStatus, "action_status"))
    progress: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_at_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL")
    )


class MinutesErratum(RecordMixin, Base):
    """A dated correction to approved minutes; the original text is kept as it was."""

    __tablename__ = "minutes_erratum"
    __table_args__ = (CheckConstraint("correction <> ''", name="says_what"),)

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="RESTRICT"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="RESTRICT")
    )
    noted_on: Mapped[date] = mapped_column(Date)
    correction: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")

"""Members, their membership periods, fee schedules and the membership rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thep_desktop.domain.fees import ProRating
from thep_desktop.domain.memberships import Category, MemberKind
from thep_desktop.models.base import Base, Money, RecordMixin, value_enum
from thep_desktop.models.school import School


class Member(RecordMixin, Base):
    """A member of the company: a school, another organisation, or an individual.

    A school's name and address are the register's; an organisation or an individual has its
    own. A member keeps its periods of membership: re-joining after leaving is a new period.
    """

    __tablename__ = "member"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'school') = (school_id IS NOT NULL)", name="school_members_name_a_school"
        ),
        CheckConstraint("kind = 'school' OR name <> ''", name="others_have_a_name"),
    )

    kind: Mapped[MemberKind] = mapped_column(value_enum(MemberKind, "member_kind"))
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("school.id", ondelete="RESTRICT"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(8), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    school: Mapped[School | None] = relationship(lazy="raise")
    periods: Mapped[list[MembershipPeriod]] = relationship(
        back_populates="member",
        order_by="MembershipPeriod.applied_on",
        lazy="raise",
    )


class MembershipPeriod(RecordMixin, Base):
    """One membership, from application to ceasing, with its commitments.

    ``ends_on`` is the first day the member is no longer a member (the effective date of
    withdrawal); it is set when notice is received (from the notice rule) or when the
    membership is ended at once. An application that ends before admission was declined.
    """

    __tablename__ = "membership_period"
    __table_args__ = (
        CheckConstraint(
            "admitted_on IS NULL OR admitted_on >= applied_on", name="admitted_after_applying"
        ),
        CheckConstraint(
            "notice_received_on IS NULL OR (admitted_on IS NOT NULL "
            "AND notice_received_on >= admitted_on)",
            name="notice_after_admission",
        ),
        CheckConstraint("ends_on IS NULL OR ends_on >= applied_on", name="ends_after_applying"),
        CheckConstraint("guarantee >= 0", name="guarantee_not_negative"),
    )

    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="RESTRICT"), index=True)
    category: Mapped[Category] = mapped_column(value_enum(Category, "membership_category"))
    applied_on: Mapped[date] = mapped_column(Date)
    admitted_on: Mapped[date | None] = mapped_column(Date, index=True)
    # The board's decision that admitted it, e.g. "Board minute B/2017/03/4" (optional).
    admission_decision: Mapped[str] = mapped_column(String(200), default="")
    supports_aims: Mapped[bool] = mapped_column(Boolean, default=False)
    agrees_to_pay_fee: Mapped[bool] = mapped_column(Boolean, default=False)
    guarantee: Mapped[Decimal] = mapped_column(Money, default=Decimal("25.00"))
    # Full membership granted to a member the eligibility check refuses: the reason given.
    eligibility_override: Mapped[str] = mapped_column(Text, default="")
    notice_received_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    end_reason: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    member: Mapped[Member] = relationship(back_populates="periods", lazy="raise")


class MembershipRules(RecordMixin, Base):
    """A single row: the notice period and the defaults the prospectus sets, all editable."""

    __tablename__ = "membership_rules"
    __table_args__ = (
        CheckConstraint("notice_months >= 0 AND notice_months <= 120", name="notice_months_range"),
        CheckConstraint("default_guarantee >= 0", name="guarantee_not_negative"),
    )

    notice_months: Mapped[int] = mapped_column(Integer, default=12)
    default_guarantee: Mapped[Decimal] = mapped_column(Money, default=Decimal("25.00"))
    # The payment terms are the invoices' (invoice_settings): one setting for every invoice.


class NoticeException(RecordMixin, Base):
    """A dated window in which a member may leave at once, without the notice period."""

    __tablename__ = "notice_exception"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(300), default="")


class FeeSchedule(RecordMixin, Base):
    """The membership fees for one academic year (``academic_year`` is its first calendar year)."""

    __tablename__ = "fee_schedule"
    __table_args__ = (
        CheckConstraint("rate_per_pupil >= 0", name="rate_not_negative"),
        CheckConstraint("associate_fee >= 0", name="associate_fee_not_negative"),
    )

    academic_year: Mapped[int] = mapped_column(Integer, unique=True)
    rate_per_pupil: Mapped[Decimal] = mapped_column(Money)
    associate_fee: Mapped[Decimal] = mapped_column(Money)
    # Whose pupils count: each school's figure at this census (the latest on or before it).
    census_date: Mapped[date] = mapped_column(Date)
    pro_rating: Mapped[ProRating] = mapped_column(
        value_enum(ProRating, "pro_rating"), default=ProRating.MONTHS
    )
    notes: Mapped[str] = mapped_column(Text, default="")

    periods: Mapped[list[FeePeriodRow]] = relationship(
        back_populates="schedule",
        cascade="all, delete-orphan",
        order_by="FeePeriodRow.starts_on",
        lazy="raise",
    )


class FeePeriodRow(RecordMixin, Base):
    """A dated part of a fee year that is free or charged pro rata."""

    __tablename__ = "fee_period"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("fee_schedule.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    charged: Mapped[bool] = mapped_column(Boolean)
    description: Mapped[str] = mapped_column(String(300), default="")

    schedule: Mapped[FeeSchedule] = relationship(back_populates="periods", lazy="raise")

"""Clusters, term dates and closures, review cycles and their reviews."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thep_desktop.domain.peer_reviews import (
    ClosureKind,
    ClusterKind,
    QaOutcome,
    ReviewStatus,
    TermName,
)
from thep_desktop.models.base import Base, RecordMixin, value_enum
from thep_desktop.models.school import School


class Cluster(RecordMixin, Base):
    """A group of schools that review each other; a school may be in several."""

    __tablename__ = "cluster"
    __table_args__ = (CheckConstraint("name <> ''", name="has_a_name"),)

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[ClusterKind] = mapped_column(value_enum(ClusterKind, "cluster_kind"))
    lead_contact_name: Mapped[str] = mapped_column(String(200), default="")
    lead_contact_email: Mapped[str] = mapped_column(String(254), default="")
    lead_contact_phone: Mapped[str] = mapped_column(String(30), default="")
    # The lead contact's school, when the lead is a head teacher of the cluster.
    lead_school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    members: Mapped[list[ClusterSchool]] = relationship(
        back_populates="cluster",
        cascade="all, delete-orphan",
        order_by="ClusterSchool.id",
        lazy="raise",
    )


class ClusterSchool(RecordMixin, Base):
    """A school's place in a cluster."""

    __tablename__ = "cluster_school"
    __table_args__ = (UniqueConstraint("cluster_id", "school_id"),)

    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), index=True
    )
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="RESTRICT"), index=True)

    cluster: Mapped[Cluster] = relationship(back_populates="members", lazy="raise")
    school: Mapped[School] = relationship(lazy="raise")


class TermDates(RecordMixin, Base):
    """One term of an academic year with its half term (every date inclusive)."""

    __tablename__ = "term_dates"
    __table_args__ = (
        UniqueConstraint("academic_year", "term"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_it_starts"),
        CheckConstraint(
            "(half_term_starts_on IS NULL) = (half_term_ends_on IS NULL)",
            name="half_term_has_both_ends",
        ),
    )

    academic_year: Mapped[int] = mapped_column(Integer, index=True)
    term: Mapped[TermName] = mapped_column(value_enum(TermName, "term_name"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    half_term_starts_on: Mapped[date | None] = mapped_column(Date)
    half_term_ends_on: Mapped[date | None] = mapped_column(Date)


class SchoolClosure(RecordMixin, Base):
    """A day a school is closed in term time (INSET, occasional day), beyond the terms."""

    __tablename__ = "school_closure"
    __table_args__ = (UniqueConstraint("school_id", "closed_on"),)

    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    closed_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[ClosureKind] = mapped_column(value_enum(ClosureKind, "closure_kind"))
    reason: Mapped[str] = mapped_column(String(200), default="")


class ReviewCycle(RecordMixin, Base):
    """The peer reviews of one academic year, and the rules their schedule keeps."""

    __tablename__ = "review_cycle"
    __table_args__ = (
        CheckConstraint("team_size >= 1", name="team_has_a_school"),
        CheckConstraint("reviews_per_school >= 1", name="each_school_reviews"),
        CheckConstraint("visit_days BETWEEN 1 AND 5", name="visit_within_a_week"),
    )

    academic_year: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    team_size: Mapped[int] = mapped_column(Integer, default=2)
    reviews_per_school: Mapped[int] = mapped_column(Integer, default=2)
    visit_days: Mapped[int] = mapped_column(Integer, default=1)
    avoid_same_trust: Mapped[bool] = mapped_column(Boolean, default=True)
    no_mutual_in_same_term: Mapped[bool] = mapped_column(Boolean, default=True)
    one_visit_per_week: Mapped[bool] = mapped_column(Boolean, default=True)
    # The terms that take visits, e.g. "autumn,spring,summer".
    terms: Mapped[str] = mapped_column(String(50), default="autumn,spring,summer")
    seed: Mapped[int] = mapped_column(Integer, default=0)
    focus: Mapped[str] = mapped_column(Text, default="")  # the cycle's usual focus areas
    notes: Mapped[str] = mapped_column(Text, default="")


class Review(RecordMixin, Base):
    """One school's review: when, by whom, about what, and how far it has got."""

    __tablename__ = "review"
    __table_args__ = (
        CheckConstraint("(starts_on IS NULL) = (ends_on IS NULL)", name="visit_has_both_ends"),
        CheckConstraint("ends_on >= starts_on", name="visit_ends_after_it_starts"),
    )

    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("review_cycle.id", ondelete="RESTRICT"), index=True
    )
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("cluster.id", ondelete="RESTRICT"), index=True
    )
    host_school_id: Mapped[int] = mapped_column(
        ForeignKey("school.id", ondelete="RESTRICT"), index=True
    )
    starts_on: Mapped[date | None] = mapped_column(Date, index=True)
    ends_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ReviewStatus] = mapped_column(value_enum(ReviewStatus, "review_status"))
    proposed_on: Mapped[date | None] = mapped_column(Date)
    confirmed_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    report_received_on: Mapped[date | None] = mapped_column(Date)
    quality_assured_on: Mapped[date | None] = mapped_column(Date)
    focus: Mapped[str] = mapped_column(Text, default="")  # one focus area a line
    notes: Mapped[str] = mapped_column(Text, default="")
    qa_outcome: Mapped[QaOutcome | None] = mapped_column(value_enum(QaOutcome, "qa_outcome", 30))
    qa_notes: Mapped[str] = mapped_column(Text, default="")

    host: Mapped[School] = relationship(foreign_keys=[host_school_id], lazy="raise")
    team: Mapped[list[ReviewSchool]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="ReviewSchool.position",
        lazy="raise",
    )
    reviewers: Mapped[list[Reviewer]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="Reviewer.position",
        lazy="raise",
    )


class ReviewSchool(RecordMixin, Base):
    """A school sending reviewers to a review."""

    __tablename__ = "review_school"
    __table_args__ = (UniqueConstraint("review_id", "school_id"),)

    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    review: Mapped[Review] = relationship(back_populates="team", lazy="raise")
    school: Mapped[School] = relationship(lazy="raise")


class Reviewer(RecordMixin, Base):
    """A named reviewer on a review's team; one of them leads."""

    __tablename__ = "reviewer"
    __table_args__ = (CheckConstraint("name <> ''", name="has_a_name"),)

    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    # The reviewer's school; None for someone from outside the schools (an adviser).
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    review: Mapped[Review] = relationship(back_populates="reviewers", lazy="raise")

"""Schools register: schools (identified by DfE URN), their contacts and census figures."""

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

from thep_desktop.domain.ofsted import AreaGrade, InspectionKind, OverallGrade, Safeguarding
from thep_desktop.domain.schools import SchoolStatus
from thep_desktop.models.base import Base, RecordMixin, value_enum
from thep_desktop.models.staff import StaffMember


class School(RecordMixin, Base):
    __tablename__ = "school"
    __table_args__ = (
        CheckConstraint("urn BETWEEN 100000 AND 999999", name="urn_six_digits"),
        CheckConstraint(
            "pupils_on_roll IS NULL OR pupils_on_roll >= 0", name="pupils_not_negative"
        ),
    )

    urn: Mapped[int] = mapped_column(Integer, unique=True)
    la_code: Mapped[str] = mapped_column(String(3), default="")
    establishment_number: Mapped[str] = mapped_column(String(4), default="")
    name: Mapped[str] = mapped_column(String(200), index=True)
    establishment_type: Mapped[str] = mapped_column(String(100), default="")
    phase: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[SchoolStatus] = mapped_column(
        value_enum(SchoolStatus, "school_status"),
        default=SchoolStatus.OPEN,
    )
    open_date: Mapped[date | None] = mapped_column(Date)
    close_date: Mapped[date | None] = mapped_column(Date)
    statutory_low_age: Mapped[int | None] = mapped_column(Integer)
    statutory_high_age: Mapped[int | None] = mapped_column(Integer)
    pupils_on_roll: Mapped[int | None] = mapped_column(Integer)
    pupils_census_date: Mapped[date | None] = mapped_column(Date)
    trust: Mapped[str] = mapped_column(String(200), default="")
    diocese: Mapped[str] = mapped_column(String(200), default="")
    religious_character: Mapped[str] = mapped_column(String(100), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    locality: Mapped[str] = mapped_column(String(200), default="")
    address3: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(100), default="")
    county: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str] = mapped_column(String(8), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    head_title: Mapped[str] = mapped_column(String(30), default="")
    head_first_name: Mapped[str] = mapped_column(String(100), default="")
    head_last_name: Mapped[str] = mapped_column(String(100), default="")
    head_job_title: Mapped[str] = mapped_column(String(100), default="")
    chair_of_governors: Mapped[str] = mapped_column(String(200), default="")
    ofsted_grade: Mapped[str] = mapped_column(String(50), default="")
    ofsted_date: Mapped[date | None] = mapped_column(Date)
    causing_concern: Mapped[bool] = mapped_column(Boolean, default=False)
    link_officer_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    notes: Mapped[str] = mapped_column(Text, default="")

    link_officer: Mapped[StaffMember | None] = relationship(lazy="raise")
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="school",
        cascade="all, delete-orphan",
        order_by="Contact.id",
        lazy="raise",
    )


class Contact(RecordMixin, Base):
    __tablename__ = "contact"

    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")

    school: Mapped[School] = relationship(back_populates="contacts", lazy="raise")


class SchoolCensus(RecordMixin, Base):
    """A school's pupil number at one census date, kept after a newer census replaces it.

    Fees are charged on a schedule's census date (the 2025/26 fees use the January 2025
    census), so every figure is kept; ``School.pupils_on_roll`` stays the latest one.
    ``source`` says where it came from: gias, pupil import, form, migration or demo.
    """

    __tablename__ = "school_census"
    __table_args__ = (
        UniqueConstraint("school_id", "census_date", name="uq_school_census_school_date"),
        CheckConstraint("pupils >= 0", name="pupils_not_negative"),
    )

    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    census_date: Mapped[date] = mapped_column(Date)
    pupils: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(30), default="")


def _area_grade(column: str) -> Mapped[AreaGrade]:
    return mapped_column(value_enum(AreaGrade, f"{column}_grade", 30), default=AreaGrade.NONE)


class OfstedInspection(RecordMixin, Base):
    """One Ofsted inspection of a school, kept as Ofsted published it (domain/ofsted.py).

    Entered by the office, or taken from GIAS while GIAS still carried the rating
    (``source`` "gias"); a later import never overwrites one. A graded inspection has an
    overall grade until August 2024; a report card (from 10 November 2025) has its
    safeguarding and a grade for each evaluation area the school has.
    """

    __tablename__ = "ofsted_inspection"
    __table_args__ = (
        UniqueConstraint("school_id", "inspected_on", name="uq_ofsted_inspection_school_date"),
        CheckConstraint(
            "overall_grade = '' OR kind = 'graded'", name="only_graded_has_overall_grade"
        ),
        CheckConstraint(
            "safeguarding = '' OR kind = 'report_card'", name="only_report_card_has_safeguarding"
        ),
    )

    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    inspected_on: Mapped[date] = mapped_column(Date, index=True)
    published_on: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[InspectionKind] = mapped_column(value_enum(InspectionKind, "inspection_kind"))
    overall_grade: Mapped[OverallGrade] = mapped_column(
        value_enum(OverallGrade, "overall_grade", 30), default=OverallGrade.NONE
    )
    safeguarding: Mapped[Safeguarding] = mapped_column(
        value_enum(Safeguarding, "safeguarding"), default=Safeguarding.NONE
    )
    inclusion: Mapped[AreaGrade] = _area_grade("inclusion")
    curriculum_teaching: Mapped[AreaGrade] = _area_grade("curriculum_teaching")
    achievement: Mapped[AreaGrade] = _area_grade("achievement")
    attendance_behaviour: Mapped[AreaGrade] = _area_grade("attendance_behaviour")
    personal_development: Mapped[AreaGrade] = _area_grade("personal_development")
    leadership_governance: Mapped[AreaGrade] = _area_grade("leadership_governance")
    early_years: Mapped[AreaGrade] = _area_grade("early_years")
    sixth_form: Mapped[AreaGrade] = _area_grade("sixth_form")
    source: Mapped[str] = mapped_column(String(20), default="office")  # office, gias, demo
    report_url: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    school: Mapped[School] = relationship(lazy="raise")


class SchoolNote(RecordMixin, Base):
    """A dated note on a school: the link officer's visit, a call, a concern raised."""

    __tablename__ = "school_note"
    __table_args__ = (CheckConstraint("text <> ''", name="has_text"),)

    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    noted_on: Mapped[date] = mapped_column(Date, index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"))
    author_name: Mapped[str] = mapped_column(String(200), default="")  # when not on the staff list
    subject: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)

    school: Mapped[School] = relationship(lazy="raise")
    author: Mapped[StaffMember | None] = relationship(lazy="raise")

"""Each school's Ofsted history: every inspection kept as Ofsted published it.

Entered by the office, or taken from GIAS while GIAS still carried it (the import adds an
inspection only on a date the school has none: see services/import_export/gias_rows.py).
The rules of what an inspection can say are in domain/ofsted.py (``check_inspection``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.ofsted import (
    EVALUATION_AREAS,
    AreaGrade,
    InspectionKind,
    InspectionRecord,
    OverallGrade,
    Safeguarding,
    check_inspection,
)
from thep_desktop.models import OfstedInspection, School
from thep_desktop.services.schools.schools_permissions import EDIT_SCHOOLS
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError, ValidationError, changed_meanwhile
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

INSPECTION_LABELS = {
    "inspected_on": "Inspection date",
    "published_on": "Report published",
    "kind": "Kind of inspection",
    "overall_grade": "Overall grade",
    "safeguarding": "Safeguarding",
    "report_url": "Report's web address",
    "notes": "Notes",
    **dict(EVALUATION_AREAS),
}
AREA_COLUMNS = tuple(column for column, _ in EVALUATION_AREAS)
SOURCE_WORDS = {"office": "Entered by the office", "gias": "From GIAS", "demo": "Demo data"}
_GONE = "This inspection is no longer there: someone else may have deleted it."
_NO_SCHOOL = "This school is no longer in the register (someone removed it)."


@dataclass(frozen=True)
class InspectionInput:
    """An inspection as typed: dates as date or text (15/01/2026), choices as values or words."""

    inspected_on: date | str | None
    kind: InspectionKind | str
    published_on: date | str | None = None
    overall_grade: OverallGrade | str = OverallGrade.NONE
    safeguarding: Safeguarding | str = Safeguarding.NONE
    areas: dict[str, AreaGrade | str] = field(default_factory=dict)
    report_url: str = ""
    notes: str = ""


@dataclass(frozen=True)
class InspectionDetail:
    id: int
    version: int
    school_id: int
    inspected_on: date
    published_on: date | None
    kind: InspectionKind
    overall_grade: OverallGrade
    safeguarding: Safeguarding
    areas: tuple[tuple[str, AreaGrade], ...]  # every evaluation area, in Ofsted's order
    source: str
    report_url: str
    notes: str
    updated_by: str

    @property
    def record(self) -> InspectionRecord:
        return InspectionRecord(
            self.inspected_on,
            self.kind,
            self.overall_grade,
            self.safeguarding,
            tuple((c, g) for c, g in self.areas if g is not AreaGrade.NONE),
        )

    @property
    def outcome_words(self) -> str:
        return self.record.outcome_words

    @property
    def source_words(self) -> str:
        return SOURCE_WORDS.get(self.source, self.source)

    def as_input(self) -> InspectionInput:
        return InspectionInput(
            inspected_on=self.inspected_on,
            kind=self.kind,
            published_on=self.published_on,
            overall_grade=self.overall_grade,
            safeguarding=self.safeguarding,
            areas=dict(self.areas),
            report_url=self.report_url,
            notes=self.notes,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data (ISO dates, snake_case keys), for ``thep-admin --json``."""
        return {
            "id": self.id,
            "version": self.version,
            "inspected_on": self.inspected_on.isoformat(),
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "kind": self.kind.value,
            "kind_words": self.kind.words,
            "overall_grade": self.overall_grade.value or None,
            "safeguarding": self.safeguarding.value or None,
            "areas": {c: g.value for c, g in self.areas if g is not AreaGrade.NONE},
            "outcome": self.record.outcome.value if self.record.outcome else None,
            "outcome_words": self.outcome_words,
            "source": self.source,
            "report_url": self.report_url,
            "notes": self.notes,
        }


def _choice(enum_type: Any, value: object, label: str, errors: dict[str, str], key: str) -> Any:
    """An enum member from its value or its words ("Requires improvement", "not-met")."""
    if isinstance(value, enum_type):
        return value
    text = " ".join(str(value or "").split()).casefold()
    for member in enum_type:
        words = member.words.casefold() if member.words else ""
        if text in (member.value, member.value.replace("_", " "), member.value.replace("_", "-")):
            return member
        if words and text == words:
            return member
    choices = ", ".join(m.words for m in enum_type if m.value)
    errors[key] = f"{label}: “{value}” is not one of {choices}"
    return None


def check_input(data: InspectionInput, today: date) -> dict[str, Any]:
    """The inspection's column values, or :class:`ValidationError` naming every wrong field."""
    c = FieldChecker(OfstedInspection.__table__, INSPECTION_LABELS)  # type: ignore[arg-type]
    inspected_on = c.date("inspected_on", data.inspected_on)
    published_on = c.date("published_on", data.published_on)
    report_url = c.text("report_url", data.report_url, column="report_url")
    notes = c.text("notes", data.notes, column="notes")
    errors = c.errors
    kind = _choice(InspectionKind, data.kind, "Kind of inspection", errors, "kind")
    if not str(data.kind or "").strip():
        errors["kind"] = "Choose the kind of inspection"
    grade = _choice(OverallGrade, data.overall_grade, "Overall grade", errors, "overall_grade")
    safeguarding = _choice(Safeguarding, data.safeguarding, "Safeguarding", errors, "safeguarding")
    areas: dict[str, AreaGrade] = {}
    for column, value in data.areas.items():
        if column not in AREA_COLUMNS:
            errors["areas"] = f"“{column}” is not an evaluation area of a report card"
            continue
        found = _choice(AreaGrade, value, INSPECTION_LABELS[column], errors, column)
        if found is not None:
            areas[column] = found
    if kind is not None and "inspected_on" not in errors and "published_on" not in errors:
        rules = check_inspection(
            inspected_on=inspected_on,
            published_on=published_on,
            kind=kind,
            overall_grade=grade or OverallGrade.NONE,
            safeguarding=safeguarding or Safeguarding.NONE,
            areas=areas,
            report_url=report_url,
            today=today,
        )
        for key, words in rules.items():
            errors.setdefault(key, words)
    elif inspected_on is None and "inspected_on" not in errors:
        errors["inspected_on"] = "Give the date of the inspection"
    if errors:
        raise ValidationError(errors)
    return {
        "inspected_on": inspected_on,
        "published_on": published_on,
        "kind": kind,
        "overall_grade": grade,
        "safeguarding": safeguarding,
        **{column: areas.get(column, AreaGrade.NONE) for column in AREA_COLUMNS},
        "report_url": report_url,
        "notes": notes,
    }


class OfstedService:
    def __init__(self, database: Database) -> None:
        self.db = database

    # reading ---------------------------------------------------------------------------
    def list_inspections(self, actor: Actor, school_id: int) -> list[InspectionDetail]:
        """A school's inspections, the newest first."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            if session.get(School, school_id) is None:
                raise NotFoundError(_NO_SCHOOL)
            rows = session.scalars(
                select(OfstedInspection)
                .where(OfstedInspection.school_id == school_id)
                .order_by(OfstedInspection.inspected_on.desc())
            )
            return [_detail(row) for row in rows]

    def get_inspection(self, actor: Actor, inspection_id: int) -> InspectionDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.get(OfstedInspection, inspection_id)
            if row is None:
                raise NotFoundError(_GONE)
            return _detail(row)

    def inspection_on(self, actor: Actor, school_id: int, on: date) -> InspectionDetail:
        """The school's inspection on ``on`` (one a day at most)."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.scalar(
                select(OfstedInspection).where(
                    OfstedInspection.school_id == school_id, OfstedInspection.inspected_on == on
                )
            )
            if row is None:
                raise NotFoundError(f"This school has no inspection on {format_date(on)}.")
            return _detail(row)

    # writing ---------------------------------------------------------------------------
    @save
    def add_inspection(
        self, actor: Actor, school_id: int, data: InspectionInput
    ) -> InspectionDetail:
        """Record an inspection of the school (source "office")."""
        actor.require(EDIT_SCHOOLS)
        values = check_input(data, date.today())
        try:
            with self.db.session() as session:
                if session.get(School, school_id) is None:
                    raise NotFoundError(_NO_SCHOOL)
                _check_day_free(session, school_id, values["inspected_on"], None)
                row = OfstedInspection(
                    school_id=school_id,
                    source="office",
                    **values,
                    created_by=actor.name,
                    updated_by=actor.name,
                )
                session.add(row)
                session.flush()
                new_id = row.id
        except IntegrityError:
            raise _same_day(values["inspected_on"]) from None
        return self.get_inspection(actor, new_id)

    @save
    def update_inspection(
        self, actor: Actor, inspection_id: int, expected_version: int, data: InspectionInput
    ) -> InspectionDetail:
        """Save changes to an inspection loaded at ``expected_version`` (whatever its source)."""
        actor.require(EDIT_SCHOOLS)
        values = check_input(data, date.today())
        try:
            with self.db.session() as session:
                row = session.get(OfstedInspection, inspection_id)
                if row is None:
                    raise NotFoundError(_GONE)
                if row.version != expected_version:
                    raise changed_meanwhile("inspection")
                _check_day_free(session, row.school_id, values["inspected_on"], row.id)
                for name, value in values.items():
                    setattr(row, name, value)
                row.updated_by = actor.name
                session.flush()
        except StaleDataError:
            raise changed_meanwhile("inspection") from None
        except IntegrityError:
            raise _same_day(values["inspected_on"]) from None
        return self.get_inspection(actor, inspection_id)

    @save
    def delete_inspection(self, actor: Actor, inspection_id: int, expected_version: int) -> None:
        """Remove an inspection recorded in error."""
        actor.require(EDIT_SCHOOLS)
        try:
            with self.db.session() as session:
                row = session.get(OfstedInspection, inspection_id)
                if row is None:
                    raise NotFoundError(_GONE)
                if row.version != expected_version:
                    raise changed_meanwhile("inspection")
                session.delete(row)
        except StaleDataError:
            raise changed_meanwhile("inspection") from None


def _check_day_free(session: Session, school_id: int, on: date, own_id: int | None) -> None:
    other = session.scalar(
        select(OfstedInspection.id).where(
            OfstedInspection.school_id == school_id, OfstedInspection.inspected_on == on
        )
    )
    if other is not None and other != own_id:
        raise _same_day(on)


def _same_day(on: date) -> ValidationError:
    return ValidationError(
        {
            "inspected_on": f"This school already has an inspection on {format_date(on)}: "
            "change that one instead"
        }
    )


def _detail(row: OfstedInspection) -> InspectionDetail:
    return InspectionDetail(
        id=row.id,
        version=row.version,
        school_id=row.school_id,
        inspected_on=row.inspected_on,
        published_on=row.published_on,
        kind=InspectionKind(row.kind),
        overall_grade=OverallGrade(row.overall_grade),
        safeguarding=Safeguarding(row.safeguarding),
        areas=tuple((c, AreaGrade(getattr(row, c))) for c in AREA_COLUMNS),
        source=row.source,
        report_url=row.report_url,
        notes=row.notes,
        updated_by=row.updated_by,
    )

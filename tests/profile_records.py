"""A demo borough with a few records of the profile tests' own (inspections, notes, a letter),
loaded once per module on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pg_databases import PgDatabases
from sqlalchemy import delete, func, select

from thep_desktop.database import Database
from thep_desktop.domain.ofsted import (
    AreaGrade,
    InspectionKind,
    OverallGrade,
    Safeguarding,
)
from thep_desktop.models import (
    Correspondence,
    Customer,
    Document,
    Invoice,
    Member,
    OfstedInspection,
    Review,
    School,
    SchoolNote,
    StaffMember,
)
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.shared.actor import Actor

MARKUP_NOTE = "Head asked about <b>attendance</b> & =SUM(A1) in the bid"


@dataclass(frozen=True)
class ProfileDemo:
    db: Database
    urn: int  # a member school with invoices, reviews, inspections, notes and a letter
    school_id: int
    quiet_urn: int  # an open school that is not a member and has no inspection


def add_profile_records(db: Database) -> ProfileDemo:
    """The member school with the most invoices that hosts a review gets two inspections,
    two notes (one with markup) and a letter; an open non-member school is left as it is."""
    with db.session() as session:
        hosts = select(Review.host_school_id)
        school_id, _count = session.execute(
            select(Member.school_id, func.count(Invoice.id))
            .join(Customer, Customer.member_id == Member.id)
            .join(Invoice, Invoice.customer_id == Customer.id)
            .where(Member.school_id.in_(hosts))
            .group_by(Member.school_id)
            .order_by(func.count(Invoice.id).desc(), Member.school_id)
            .limit(1)
        ).one()
        school = session.get(School, school_id)
        assert school is not None
        officer = session.get(StaffMember, school.link_officer_id)
        assert officer is not None, "the demo names each member school's link officer"
        who = {"created_by": "test", "updated_by": "test"}
        # The school's history is the two inspections below alone (the demo gives one too).
        session.execute(delete(OfstedInspection).where(OfstedInspection.school_id == school.id))
        session.add_all(
            [
                OfstedInspection(
                    school_id=school_id,
                    inspected_on=date(2019, 3, 12),
                    published_on=date(2019, 4, 2),
                    kind=InspectionKind.GRADED,
                    overall_grade=OverallGrade.GOOD,
                    source="office",
                    **who,
                ),
                OfstedInspection(
                    school_id=school_id,
                    inspected_on=date(2026, 1, 20),
                    published_on=date(2026, 2, 24),
                    kind=InspectionKind.REPORT_CARD,
                    safeguarding=Safeguarding.MET,
                    inclusion=AreaGrade.STRONG,
                    achievement=AreaGrade.NEEDS_ATTENTION,
                    source="office",
                    **who,
                ),
                SchoolNote(
                    school_id=school_id,
                    noted_on=date(2026, 3, 4),
                    author_id=officer.id,
                    subject="Visit",
                    text="Met the head; new SENCo in post.",
                    **who,
                ),
                SchoolNote(
                    school_id=school_id,
                    noted_on=date(2026, 5, 6),
                    author_name="A governor",
                    subject="Call",
                    text=MARKUP_NOTE,
                    **who,
                ),
            ]
        )
        pdf = b"%PDF-1.4 letter"
        document = Document(
            title="Letter",
            filename="letter.pdf",
            sha256=hashlib.sha256(pdf).hexdigest(),
            pages=1,
            size=len(pdf),
            pdf=pdf,
            **who,
        )
        session.add(document)
        session.flush()
        session.add(
            Correspondence(
                school_id=school_id,
                document_id=document.id,
                template_name="Welcome",
                subject="Welcome back",
                recipient_name="The Headteacher",
                **who,
            )
        )
        # An open school that is not a member, its inspections taken away (the demo gives
        # nearly every school a history).
        quiet = session.execute(
            select(School.id, School.urn)
            .where(
                School.status == "open",
                School.id.not_in(select(Member.school_id).where(Member.school_id.is_not(None))),
            )
            .order_by(School.urn)
            .limit(1)
        ).one()
        session.execute(delete(OfstedInspection).where(OfstedInspection.school_id == quiet.id))
        quiet_urn = quiet.urn
        return ProfileDemo(db, school.urn, school_id, quiet_urn)


def _sqlite(folder: Path, template: Path) -> Database:
    path = folder / "profile.sqlite3"
    shutil.copyfile(template, path)
    return Database(path)


def open_profile_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProfileDemo]:
    """The demo with the profile's records, for a module-scoped fixture parametrised over
    "sqlite" and "postgresql" (``yield from`` it)."""
    databases: PgDatabases | None = None
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        db = _sqlite(tmp_path_factory.mktemp("profile"), template)
    else:
        databases = PgDatabases(request.getfixturevalue("pg_server_url"))
        db = Database(databases.create(migrated=True))
    try:
        DemoService(db).load(Actor("office"))
        yield add_profile_records(db)
    finally:
        db.dispose()
        if databases is not None:
            databases.drop_all()

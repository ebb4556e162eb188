"""Each school's and member's correspondence: the letters sent, shown again exactly as sent."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from thep_desktop.database import Database
from thep_desktop.models import Correspondence, Document, LetterBatch, Member
from thep_desktop.services.letters.merge_batches import CONFIRMED
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import NotFoundError, ServiceError
from thep_desktop.services.shared.permissions import VIEW


@dataclass(frozen=True)
class CorrespondenceRow:
    id: int
    school_id: int | None  # None for a letter to an organisation or individual member
    sent_at: datetime
    sent_by: str
    template_name: str
    subject: str
    recipient_name: str
    recipient_role: str
    our_ref: str
    pages: int
    sha256: str
    filename: str
    member_id: int | None = None


class CorrespondenceHistory:
    """Reading back the letters sent (part of the letters service)."""

    db: Database

    def correspondence(self, actor: Actor, school_id: int) -> list[CorrespondenceRow]:
        """The letters sent to a school (as a member or not), newest first."""
        actor.require(VIEW)
        return self._history(Correspondence.school_id == school_id)

    def member_correspondence(self, actor: Actor, member_id: int) -> list[CorrespondenceRow]:
        """The letters sent to a member, newest first; for a member school, all its letters."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            school_id = session.scalar(select(Member.school_id).where(Member.id == member_id))
        kept = Correspondence.member_id == member_id
        return self._history(
            kept if school_id is None else or_(kept, Correspondence.school_id == school_id)
        )

    def _history(self, whose: ColumnElement[bool]) -> list[CorrespondenceRow]:
        with self.db.read_session() as session:
            return correspondence_rows(session, whose)

    def correspondence_pdf(self, actor: Actor, correspondence_id: int) -> bytes:
        """The letter exactly as sent: its own PDF, or its pages of the print run it was in."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            found = session.execute(
                select(Correspondence, Document)
                .join(Document, Document.id == Correspondence.document_id)
                .outerjoin(LetterBatch, LetterBatch.id == Correspondence.batch_id)
                .where(Correspondence.id == correspondence_id, _sent())
            ).first()
            if found is None:
                raise NotFoundError("That letter is no longer in the records.")
            row, document = found
            data = document.pdf
            if hashlib.sha256(data).hexdigest() != document.sha256:
                raise ServiceError(
                    "The stored copy of this letter does not match its fingerprint; it may "
                    "have been damaged. Ask whoever looks after the database to check it."
                )
            if row.first_page == 1 and row.pages == document.pages:
                return data
            return _pages_of(data, row.first_page, row.pages)


def correspondence_rows(session: Session, whose: ColumnElement[bool]) -> list[CorrespondenceRow]:
    """The letters sent that ``whose`` picks, newest first: one statement."""
    rows = session.execute(
        select(Correspondence, Document.sha256, Document.filename)
        .join(Document, Document.id == Correspondence.document_id)
        .outerjoin(LetterBatch, LetterBatch.id == Correspondence.batch_id)
        .where(whose, _sent())
        .order_by(Correspondence.created_at.desc(), Correspondence.id.desc())
    ).all()
    return [
        CorrespondenceRow(
            id=c.id,
            school_id=c.school_id,
            sent_at=c.created_at,
            sent_by=c.created_by,
            template_name=c.template_name,
            subject=c.subject,
            recipient_name=c.recipient_name,
            recipient_role=c.recipient_role,
            our_ref=c.our_ref,
            pages=c.pages,
            sha256=sha,
            filename=filename,
            member_id=c.member_id,
        )
        for c, sha, filename in rows
    ]


def school_letters(school_id: int, member_id: int | None) -> ColumnElement[bool]:
    """The letters sent to a school: to it, or to it as a member."""
    kept = Correspondence.school_id == school_id
    return kept if member_id is None else or_(kept, Correspondence.member_id == member_id)


def _sent() -> ColumnElement[bool]:
    """Letters sent: of a finished mail merge, or made before merges were kept as batches.

    A merge still running, or killed part-way, has its history pending: not sent (yet).
    """
    return or_(Correspondence.batch_id.is_(None), LetterBatch.state == CONFIRMED)


def _pages_of(data: bytes, first_page: int, count: int) -> bytes:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    for number in range(first_page - 1, first_page - 1 + count):
        writer.add_page(reader.pages[number])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

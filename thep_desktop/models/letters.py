"""Letter templates, the documents produced from them, and each school's correspondence."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from thep_desktop.models.base import Base, RecordMixin


class LetterTemplate(RecordMixin, Base):
    """A letter the office sends again and again; subject and body hold merge fields.

    Built-in templates have a ``key`` (``welcome``, ``fee_letter``…) so they can be reset
    to the wording the program ships; the office's own have none.
    """

    __tablename__ = "letter_template"

    key: Mapped[str | None] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    salutation: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    sign_off: Mapped[str] = mapped_column(String(100), default="Yours sincerely")
    # Who signs: blank ``signatory`` means the organisation profile's default signatory.
    signatory: Mapped[str] = mapped_column(String(200), default="")
    signatory_role: Mapped[str] = mapped_column(String(200), default="")
    signature_image: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature_image_filename: Mapped[str] = mapped_column(String(255), default="")
    contact_role: Mapped[str] = mapped_column(String(100), default="")
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)


class LetterBatch(RecordMixin, Base):
    """One mail merge's files and history: ``pending`` until every file is in its place.

    A merge killed part-way (power cut, Task Manager) leaves its batch pending; the next
    letters command on the same computer finds it, and either confirms it (every file is
    in its place) or removes its files and its history. Pending letters are never shown as
    sent. ``lock_path`` is a file the running merge holds locked; the operating system
    releases it when the process dies, which tells a dead merge from one still running.
    """

    __tablename__ = "letter_batch"

    state: Mapped[str] = mapped_column(String(20), default="pending")  # pending | confirmed
    computer: Mapped[str] = mapped_column(String(255), default="")
    lock_path: Mapped[str] = mapped_column(Text, default="")
    # JSON: the hidden folders the files are written in, and each file placed with its
    # SHA-256 (so only a file this merge wrote is ever removed).
    staging: Mapped[str] = mapped_column(Text, default="[]")
    files: Mapped[str] = mapped_column(Text, default="[]")


class Document(RecordMixin, Base):
    """A PDF the program produced, kept byte for byte so it can be shown again as sent."""

    __tablename__ = "document"

    title: Mapped[str] = mapped_column(String(300))
    filename: Mapped[str] = mapped_column(String(300), default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    pages: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


class Correspondence(RecordMixin, Base):
    """One document sent to one school or member: what, to whom, when, by whom, from which template.

    A letter to a member school names both (it shows in the school's history and the
    member's); one to an organisation or individual member names the member only. A combined
    print run is one :class:`Document`; each letter is the page range ``first_page`` to
    ``first_page + pages - 1`` of it. Never changed once written.
    """

    __tablename__ = "correspondence"
    __table_args__ = (
        CheckConstraint(
            "school_id IS NOT NULL OR member_id IS NOT NULL", name="sent_to_a_school_or_member"
        ),
    )

    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), index=True)
    first_page: Mapped[int] = mapped_column(Integer, default=1)
    pages: Mapped[int] = mapped_column(Integer, default=1)
    template_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(500), default="")
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    recipient_role: Mapped[str] = mapped_column(String(100), default="")
    our_ref: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    # The mail merge that wrote it: sent once the batch is confirmed. None for letters
    # recorded before batches were kept (all of them sent).
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("letter_batch.id"), index=True)

    document: Mapped[Document] = relationship(lazy="raise")

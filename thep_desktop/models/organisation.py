"""The organisation profile: who we are, printed on every letter."""

from __future__ import annotations

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from thep_desktop.models.base import Base, RecordMixin


class OrganisationProfile(RecordMixin, Base):
    """A single row; the service creates it with the defaults on first use."""

    __tablename__ = "organisation_profile"

    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(8), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    company_number: Mapped[str] = mapped_column(String(8), default="")
    charity_number: Mapped[str] = mapped_column(String(20), default="")
    vat_number: Mapped[str] = mapped_column(String(20), default="")
    registered_office: Mapped[str] = mapped_column(Text, default="")
    la_code: Mapped[str] = mapped_column(String(3), default="")
    bank_name: Mapped[str] = mapped_column(String(100), default="")
    bank_account_name: Mapped[str] = mapped_column(String(200), default="")
    bank_sort_code: Mapped[str] = mapped_column(String(8), default="")
    bank_account_number: Mapped[str] = mapped_column(String(8), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_filename: Mapped[str] = mapped_column(String(255), default="")
    # Who signs a letter whose template names nobody, and the company's secretary, who
    # signs formal notices "By order of the Board".
    signatory_name: Mapped[str] = mapped_column(String(200), default="")
    signatory_position: Mapped[str] = mapped_column(String(200), default="")
    signature_image: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature_image_filename: Mapped[str] = mapped_column(String(255), default="")
    company_secretary: Mapped[str] = mapped_column(String(200), default="")

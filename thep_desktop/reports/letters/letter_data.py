"""What a letter is made of, as plain data: the letterhead, each letter, the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class LetterError(ValueError):
    """A letter cannot be laid out as asked; the message says which and why."""


@dataclass(frozen=True)
class Letterhead:
    name: str
    address_lines: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    website: str = ""
    company_number: str = ""
    charity_number: str = ""
    vat_number: str = ""
    registered_office: str = ""
    logo: bytes | None = None

    def legal_lines(self) -> list[str]:
        """The footer: who the organisation is in law."""
        first: list[str] = []
        if self.company_number:
            first.append(
                f"{self.name} is a company limited by guarantee registered in England and "
                f"Wales, company number {self.company_number}"
            )
        if self.charity_number:
            first.append(f"registered charity number {self.charity_number}")
        lines = ["; ".join(first) + "." if first else ""]
        second: list[str] = []
        if self.registered_office:
            office = ", ".join(p.strip() for p in self.registered_office.splitlines() if p.strip())
            second.append(f"Registered office: {office}")
        if self.vat_number:
            second.append(f"VAT registration number {self.vat_number}")
        if second:
            lines.append(". ".join(second) + ".")
        return [line for line in lines if line]


@dataclass(frozen=True)
class Letter:
    """One letter to one recipient, every value already merged, as plain text."""

    recipient: tuple[str, ...]  # the address block: name, role, school, street..., postcode
    date: date
    salutation: str  # "Dear Ms Begum,"
    body: str  # paragraphs separated by a blank line; lines starting "- " or "• " are bullets
    subject: str = ""
    our_ref: str = ""
    your_ref: str = ""
    sign_off: str = "Yours sincerely"
    signatory: str = ""
    signatory_role: str = ""
    signature_image: bytes | None = None  # drawn in the space above the signatory's name
    recipient_label: str = ""  # short name for the continuation header; default first line
    cc: tuple[str, ...] = field(default_factory=tuple)

    @property
    def short_recipient(self) -> str:
        if self.recipient_label:
            return self.recipient_label
        return self.recipient[0] if self.recipient else ""


@dataclass(frozen=True)
class RenderResult:
    letters: int
    pages: int
    pages_per_letter: tuple[int, ...]

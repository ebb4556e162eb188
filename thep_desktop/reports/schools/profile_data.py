"""A school's profile as plain data: the register, membership and fees, invoices and balance,
peer reviews hosted and given, Ofsted history, letters sent and the link officer's notes.

Built by ``services/schools/school_profile_service.py``; shown by the profile window, printed
by ``school_profile_pdf.py`` and given as JSON by ``thep-admin schools profile``. Every line
carries its date; every section has the words to show when it is empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.ofsted import NOT_YET_INSPECTED, InspectionRecord

# What each section says when it has nothing to show.
NO_MEMBERSHIP = "Not a member: no application or membership recorded."
NO_FEES = "No membership fees: no fee schedule covers a year of membership."
NO_INVOICES = "No invoices."
NO_REVIEWS_HOSTED = "No peer reviews hosted."
NO_REVIEWS_GIVEN = "No peer reviews given: none of the school's people has reviewed another school."
NO_INSPECTIONS = f"{NOT_YET_INSPECTED}: no inspection recorded."
NO_LETTERS = "No letters sent."
NO_NOTES = "No notes."

# The sections in the order the window and the PDF show them: (key, heading).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("register", "Register"),
    ("membership", "Membership and fees"),
    ("invoices", "Invoices and balance"),
    ("reviews", "Peer reviews"),
    ("inspections", "Ofsted history"),
    ("letters", "Correspondence"),
    ("notes", "Link officer's notes"),
)


@dataclass(frozen=True)
class RegisterDetails:
    """The school as the register holds it, with its link officer."""

    urn: int
    name: str
    dfe_number: str  # "211/2345", empty when not known
    establishment_type: str
    phase: str
    status: str  # "Open", "Closed"…
    open_date: date | None
    close_date: date | None
    age_range: str  # "3 to 11", empty when not known
    pupils_on_roll: int | None
    pupils_census_date: date | None
    trust: str
    diocese: str
    religious_character: str
    address_lines: tuple[str, ...]
    phone: str
    email: str
    website: str
    head: str
    chair_of_governors: str
    causing_concern: bool
    link_officer: str  # empty when none is named
    link_officer_email: str
    link_officer_phone: str
    notes: str


@dataclass(frozen=True)
class MembershipLine:
    """One period of membership, from application to leaving."""

    category: str  # "Full member", "Associate member"
    applied_on: date
    admitted_on: date | None
    notice_received_on: date | None
    ceased_on: date | None
    status: str  # its standing on the profile's date, in the members list's words


@dataclass(frozen=True)
class FeeLine:
    """One academic year's membership fee: what it was (or is), and what was invoiced for it."""

    year: str  # "2025/26"
    start_year: int
    category: str
    fee: Decimal | None  # None: it cannot be worked out (the reason is in ``working``)
    working: str
    invoiced: Decimal  # issued fee invoices for the year
    outstanding: Decimal  # still owed on them on the profile's date


@dataclass(frozen=True)
class InvoiceLine:
    """An issued invoice or credit note, with its figures on the profile's date."""

    kind: str  # "Invoice" or "Credit note"
    number: str
    invoice_date: date
    due_date: date | None  # None for a credit note
    reference: str
    total: Decimal
    paid: Decimal  # by payments (invoices only)
    credited: Decimal  # by credit notes (invoices only)
    outstanding: Decimal  # an invoice: still owed; a credit note: its credit not yet used (< 0)


@dataclass(frozen=True)
class ReviewLine:
    """A peer review the school hosted, or one its people gave at another school."""

    review_id: int
    starts_on: date | None
    ends_on: date | None
    cycle: str  # "2025/26"
    status: str  # "Proposed", "Quality assured"…
    status_on: date | None  # the day it reached that status
    schools: tuple[str, ...]  # hosted: the visiting schools; given: the host school
    reviewers: tuple[str, ...]  # hosted: every reviewer; given: the school's own people


@dataclass(frozen=True)
class InspectionLine:
    """One Ofsted inspection as Ofsted published it."""

    id: int
    version: int
    record: InspectionRecord
    published_on: date | None
    source: str  # "office", "gias", "demo"
    report_url: str
    notes: str

    @property
    def inspected_on(self) -> date:
        return self.record.inspected_on

    @property
    def kind(self) -> str:
        return self.record.kind.words

    @property
    def outcome(self) -> str:
        return self.record.outcome_words


@dataclass(frozen=True)
class LetterLine:
    """A letter sent to the school (or to it as a member)."""

    id: int
    sent_on: date
    subject: str
    template_name: str
    recipient: str
    our_ref: str
    sent_by: str
    pages: int


@dataclass(frozen=True)
class NoteLine:
    """One of the link officer's (or the office's) dated notes on the school."""

    id: int
    version: int
    noted_on: date
    author: str
    subject: str
    text: str


@dataclass(frozen=True)
class SchoolProfile:
    """Everything the office knows of one school, as at ``as_at``."""

    school_id: int
    as_at: date
    register: RegisterDetails
    membership_status: str  # "Full member", "Not a member"…
    memberships: tuple[MembershipLine, ...]
    fees: tuple[FeeLine, ...]
    invoices: tuple[InvoiceLine, ...]  # newest first
    owed: Decimal  # on invoices
    credit_held: Decimal  # payments and credit notes not yet set against invoices
    reviews_hosted: tuple[ReviewLine, ...]  # newest first
    reviews_given: tuple[ReviewLine, ...]
    inspections: tuple[InspectionLine, ...]  # newest first
    latest_outcome: str  # "Good", "Not yet inspected"…
    letters: tuple[LetterLine, ...]  # newest first
    notes: tuple[NoteLine, ...]  # newest first

    @property
    def balance(self) -> Decimal:
        """What the school owes less the credit it holds (below nothing: in credit)."""
        return self.owed - self.credit_held

    @property
    def balance_words(self) -> str:
        if self.balance > 0:
            return "owed to us"
        if self.balance < 0:
            return "in credit"
        return "nothing owed"


def register_facts(profile: SchoolProfile, *, line_break: str = "\n") -> list[tuple[str, str]]:
    """The register's details as (label, words), blank ones left out: what the window's
    Register tab and the PDF's first section both show. ``line_break`` joins the address."""
    r = profile.register
    pupils = ""
    if r.pupils_on_roll is not None:
        pupils = f"{r.pupils_on_roll:,}"
        if r.pupils_census_date is not None:
            pupils += f" (census of {format_date(r.pupils_census_date)})"
    status = r.status
    if r.close_date is not None:
        status += (
            f", closing {format_date(r.close_date)}"
            if r.status != "Closed"
            else f" on {format_date(r.close_date)}"
        )
    officer = r.link_officer or "None named"
    contact = ", ".join(p for p in (r.link_officer_email, r.link_officer_phone) if p)
    if r.link_officer and contact:
        officer += f" ({contact})"
    facts = [
        ("URN", str(r.urn)),
        ("DfE number", r.dfe_number),
        ("Type", r.establishment_type),
        ("Phase", r.phase),
        ("Status", status),
        ("Opened", format_date(r.open_date)),
        ("Ages", r.age_range),
        ("Pupils", pupils),
        ("Trust", r.trust),
        ("Diocese", r.diocese),
        ("Religious character", r.religious_character),
        ("Address", line_break.join(r.address_lines)),
        ("Telephone", r.phone),
        ("Email", r.email),
        ("Website", r.website),
        ("Headteacher", r.head),
        ("Chair of governors", r.chair_of_governors),
        ("Link officer", officer),
        ("Membership", profile.membership_status),
        ("Latest Ofsted outcome", profile.latest_outcome),
        ("Causing concern", "Yes" if r.causing_concern else "No"),
        ("Register notes", r.notes),
    ]
    return [(label, value) for label, value in facts if value]

"""A school's profile printed on the letterhead: the register, membership and fees, invoices
and balance, peer reviews, Ofsted history, letters sent and notes, each line with its date."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from thep_desktop.domain.dates import format_date
from thep_desktop.reports.governance.governance_pdf import (
    GovernanceDocument,
    para,
    pdf_bytes,
    styles,
    table,
)
from thep_desktop.reports.letters.letter_data import Letterhead
from thep_desktop.reports.letters.letterhead_document import SectionStart
from thep_desktop.reports.schools.profile_data import (
    NO_FEES,
    NO_INSPECTIONS,
    NO_INVOICES,
    NO_LETTERS,
    NO_MEMBERSHIP,
    NO_NOTES,
    NO_REVIEWS_GIVEN,
    NO_REVIEWS_HOSTED,
    SECTIONS,
    ReviewLine,
    SchoolProfile,
    register_facts,
)

TITLE = "School profile"
TEXT_WIDTH = 170 * mm  # A4 less the letterhead's margins
HEADINGS = dict(SECTIONS)
_RIGHT = ParagraphStyle("cell_right", parent=styles()["cell"], alignment=TA_RIGHT)


def _sub(words: str) -> list[Flowable]:
    """A sub-heading kept with the start of its table."""
    return [CondPageBreak(30 * mm), para(words, styles()["item"]), Spacer(1, 1.5 * mm)]


def _money(value: Decimal | None) -> Paragraph:
    """An amount in a table cell, to the right."""
    return Paragraph(pounds(value), _RIGHT)


def pounds(value: Decimal | None) -> str:
    """£1,234.50 (-£12.00 below nothing); empty for no figure."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def _cols(*fractions: float) -> tuple[float, ...]:
    """Column widths as shares of the text width (they add up to 1)."""
    return tuple(TEXT_WIDTH * f for f in fractions)


def _section(key: str) -> list[Flowable]:
    return [CondPageBreak(30 * mm), para(HEADINGS[key], styles()["heading"])]


def _register(profile: SchoolProfile) -> list[Flowable]:
    style = styles()
    facts = register_facts(profile)
    rows = [[para(label, style["head"]), value] for label, value in facts]
    return [
        *_section("register"),
        table(("Detail", "Recorded"), rows, _cols(0.28, 0.72), style, ""),
    ]


def _membership(profile: SchoolProfile) -> list[Flowable]:
    style = styles()
    periods = [
        [
            m.category,
            format_date(m.applied_on),
            format_date(m.admitted_on),
            format_date(m.notice_received_on),
            format_date(m.ceased_on),
            m.status,
        ]
        for m in profile.memberships
    ]
    fees = [
        [
            f.year,
            f.category,
            _money(f.fee) if f.fee is not None else para(f.working, style["cell_warning"]),
            _money(f.invoiced),
            _money(f.outstanding),
        ]
        for f in profile.fees
    ]
    return [
        *_section("membership"),
        table(
            ("Category", "Applied", "Admitted", "Notice given", "Ceased", "Standing"),
            periods,
            _cols(0.18, 0.13, 0.13, 0.14, 0.13, 0.29),
            style,
            NO_MEMBERSHIP,
        ),
        Spacer(1, 3 * mm),
        *_sub("Fees by academic year"),
        table(
            ("Year", "Category", "Fee", "Invoiced", "Still owed"),
            fees,
            _cols(0.14, 0.26, 0.22, 0.19, 0.19),
            style,
            NO_FEES,
        ),
    ]


def _invoices(profile: SchoolProfile) -> list[Flowable]:
    style = styles()
    rows = [
        [
            format_date(i.invoice_date),
            i.number,
            i.kind,
            format_date(i.due_date),
            _money(i.total),
            _money(i.paid) if i.kind == "Invoice" else "",
            _money(i.credited) if i.kind == "Invoice" else "",
            _money(i.outstanding),
        ]
        for i in profile.invoices
    ]
    balance = (
        f"Balance on {format_date(profile.as_at)}: {pounds(abs(profile.balance))} "
        f"{profile.balance_words} (owed on invoices {pounds(profile.owed)}, credit held "
        f"{pounds(profile.credit_held)})."
    )
    return [
        *_section("invoices"),
        table(
            ("Date", "Number", "Kind", "Due", "Total", "Paid", "Credited", "Outstanding"),
            rows,
            _cols(0.12, 0.14, 0.13, 0.12, 0.13, 0.12, 0.12, 0.12),
            style,
            NO_INVOICES,
        ),
        Spacer(1, 2 * mm),
        para(balance, style["subtitle"]),
    ]


def _review_rows(lines: Sequence[ReviewLine]) -> list[list[Flowable | str]]:
    return [
        [
            format_date(r.starts_on) or "Not yet dated",
            r.cycle,
            r.status + (f" ({format_date(r.status_on)})" if r.status_on else ""),
            "\n".join(r.schools),
            "\n".join(r.reviewers),
        ]
        for r in lines
    ]


def _reviews(profile: SchoolProfile) -> list[Flowable]:
    style = styles()
    widths = _cols(0.13, 0.1, 0.22, 0.29, 0.26)
    return [
        *_section("reviews"),
        *_sub("Hosted"),
        table(
            ("Visit", "Cycle", "Status", "Visiting schools", "Reviewers"),
            _review_rows(profile.reviews_hosted),
            widths,
            style,
            NO_REVIEWS_HOSTED,
        ),
        Spacer(1, 3 * mm),
        *_sub("Given at other schools"),
        table(
            ("Visit", "Cycle", "Status", "School reviewed", "The school's reviewers"),
            _review_rows(profile.reviews_given),
            widths,
            style,
            NO_REVIEWS_GIVEN,
        ),
    ]


def _inspections(profile: SchoolProfile) -> list[Flowable]:
    style = styles()
    rows = [
        [
            format_date(i.inspected_on),
            format_date(i.published_on),
            i.kind,
            i.outcome + (f"\n{i.notes}" if i.notes else ""),
        ]
        for i in profile.inspections
    ]
    return [
        *_section("inspections"),
        table(
            ("Inspected", "Published", "Type", "Outcome"),
            rows,
            _cols(0.13, 0.13, 0.22, 0.52),
            style,
            NO_INSPECTIONS,
        ),
    ]


def _letters(profile: SchoolProfile) -> list[Flowable]:
    style = styles()
    rows = [
        [
            format_date(letter.sent_on),
            letter.subject or letter.template_name,
            letter.recipient,
            letter.our_ref,
            letter.sent_by,
        ]
        for letter in profile.letters
    ]
    return [
        *_section("letters"),
        table(
            ("Sent", "Subject", "To", "Our ref", "Sent by"),
            rows,
            _cols(0.12, 0.38, 0.22, 0.14, 0.14),
            style,
            NO_LETTERS,
        ),
    ]


def _notes(profile: SchoolProfile) -> list[Flowable]:
    style = styles()
    story = [*_section("notes")]
    if not profile.notes:
        return [*story, para(NO_NOTES, style["body"])]
    for note in profile.notes:
        heading = f"{format_date(note.noted_on)}  {note.subject}".rstrip()
        story.append(
            KeepTogether(
                [
                    para(heading, style["item"]),
                    para(note.author or "Author not recorded", style["small"]),
                    para(note.text, style["text"]),
                ]
            )
        )
    return story


def school_profile_story(profile: SchoolProfile) -> list[Flowable]:
    style = styles()
    r = profile.register
    return [
        SectionStart(),
        para(TITLE, style["title"]),
        Spacer(1, 1.5 * mm),
        para(f"{r.name} (URN {r.urn})", style["subtitle"]),
        para(f"As at {format_date(profile.as_at)}", style["body"]),
        Spacer(1, 2 * mm),
        *_register(profile),
        *_membership(profile),
        *_invoices(profile),
        *_reviews(profile),
        *_inspections(profile),
        *_letters(profile),
        *_notes(profile),
    ]


def school_profile_pdf_bytes(profile: SchoolProfile, letterhead: Letterhead) -> bytes:
    document = GovernanceDocument(io.BytesIO(), letterhead, f"{TITLE}: {profile.register.name}")
    return pdf_bytes(document, school_profile_story(profile))

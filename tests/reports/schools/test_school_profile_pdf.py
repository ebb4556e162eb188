"""The school profile PDF: read back, it carries each section's values, dates dd/mm/yyyy,
money £1,234.50, page x of y, user text as written, and says so when a section is empty."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from thep_desktop.domain.ofsted import (
    AreaGrade,
    InspectionKind,
    InspectionRecord,
    OverallGrade,
    Safeguarding,
)
from thep_desktop.reports.letters.letter_data import Letterhead
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
    FeeLine,
    InspectionLine,
    InvoiceLine,
    LetterLine,
    MembershipLine,
    NoteLine,
    RegisterDetails,
    ReviewLine,
    SchoolProfile,
)
from thep_desktop.reports.schools.school_profile_pdf import pounds, school_profile_pdf_bytes

NAME = "St Mary & St John <CE> Primary"
MARKUP = "Asked about <b>attendance</b> & =SUM(A1)"
LETTERHEAD = Letterhead(name="Tower Hamlets Education Partnership", address_lines=("1 Road",))


def _register(name: str = NAME) -> RegisterDetails:
    return RegisterDetails(
        urn=100946,
        name=name,
        dfe_number="211/2345",
        establishment_type="Voluntary aided school",
        phase="Primary",
        status="Open",
        open_date=date(1998, 9, 1),
        close_date=None,
        age_range="3 to 11",
        pupils_on_roll=412,
        pupils_census_date=date(2026, 1, 15),
        trust="",
        diocese="Diocese of Westminster",
        religious_character="Roman Catholic",
        address_lines=("Cable Street", "London", "E1 0AA"),
        phone="020 7946 0001",
        email="office@stmary.example",
        website="",
        head="Mrs A Khan",
        chair_of_governors="Mr B Shah",
        causing_concern=True,
        link_officer="Helen Marsh",
        link_officer_email="helen@the-partnership.example",
        link_officer_phone="",
        notes="",
    )


def _empty(name: str = NAME) -> SchoolProfile:
    return SchoolProfile(
        school_id=1,
        as_at=date(2026, 12, 1),
        register=_register(name),
        membership_status="Not a member",
        memberships=(),
        fees=(),
        invoices=(),
        owed=Decimal("0.00"),
        credit_held=Decimal("0.00"),
        reviews_hosted=(),
        reviews_given=(),
        inspections=(),
        latest_outcome="Not yet inspected",
        letters=(),
        notes=(),
    )


def _full() -> SchoolProfile:
    report_card = InspectionRecord(
        date(2026, 1, 20),
        InspectionKind.REPORT_CARD,
        safeguarding=Safeguarding.MET,
        areas=(("inclusion", AreaGrade.STRONG), ("achievement", AreaGrade.NEEDS_ATTENTION)),
    )
    graded = InspectionRecord(date(2019, 3, 12), InspectionKind.GRADED, OverallGrade.GOOD)
    return SchoolProfile(
        school_id=1,
        as_at=date(2026, 12, 1),
        register=_register(),
        membership_status="Full member",
        memberships=(
            MembershipLine(
                "Full member", date(2016, 6, 8), date(2016, 9, 1), date(2026, 3, 31), None, "x"
            ),
        ),
        fees=(
            FeeLine(
                "2025/26",
                2025,
                "Full member",
                Decimal("2060.00"),
                "412 pupils x £5.00",
                Decimal("2060.00"),
                Decimal("825.50"),
            ),
            FeeLine(
                "2016/17",
                2016,
                "Full member",
                None,
                "Cannot be worked out: no pupil figure at the census of 19/01/2017.",
                Decimal("0.00"),
                Decimal("0.00"),
            ),
        ),
        invoices=(
            InvoiceLine(
                "Invoice",
                "INV-000084",
                date(2025, 9, 1),
                date(2025, 10, 1),
                "Membership fee 2025/26",
                Decimal("2060.00"),
                Decimal("1234.50"),
                Decimal("0.00"),
                Decimal("825.50"),
            ),
            InvoiceLine(
                "Credit note",
                "CN-000004",
                date(2025, 10, 2),
                None,
                "",
                Decimal("40.00"),
                Decimal("0.00"),
                Decimal("0.00"),
                Decimal("-40.00"),
            ),
        ),
        owed=Decimal("825.50"),
        credit_held=Decimal("40.00"),
        reviews_hosted=(
            ReviewLine(
                7,
                date(2026, 5, 7),
                date(2026, 5, 7),
                "2025/26",
                "Quality assured",
                date(2026, 6, 30),
                ("Tannery Academy", "Saltwell Academy"),
                ("Mr G O'Brien (lead)",),
            ),
        ),
        reviews_given=(),
        inspections=(
            InspectionLine(2, 1, report_card, date(2026, 2, 24), "office", "", ""),
            InspectionLine(1, 1, graded, date(2019, 4, 2), "gias", "", ""),
        ),
        latest_outcome="Report card: an area needing attention",
        letters=(
            LetterLine(3, date(2026, 4, 1), "Welcome back", "Welcome", "Mrs A Khan", "", "jo", 1),
        ),
        notes=(NoteLine(4, 1, date(2026, 5, 6), "A governor", "Call & visit", MARKUP),),
    )


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_section_prints_its_values_in_order() -> None:
    text = _flat(_text(school_profile_pdf_bytes(_full(), LETTERHEAD)))
    assert "School profile" in text
    assert f"{NAME} (URN 100946)" in text
    assert "As at 01/12/2026" in text
    positions = [text.index(heading) for _key, heading in SECTIONS]
    assert positions == sorted(positions)
    for value in (
        "211/2345",
        "412 (census of 15/01/2026)",
        "Helen Marsh (helen@the-partnership.example)",
        "Causing concern Yes",
        "08/06/2016",
        "31/03/2026",
        "£2,060.00",
        "£825.50",
        "Cannot be worked out: no pupil figure",
        "INV-000084",
        "£1,234.50",
        "CN-000004",
        "-£40.00",
        "Balance on 01/12/2026: £785.50 owed to us",
        "07/05/2026",
        "Quality assured (30/06/2026)",
        "Tannery Academy",
        "Mr G O'Brien (lead)",
        NO_REVIEWS_GIVEN,
        "20/01/2026",
        "Achievement: Needs attention",
        "12/03/2019",
        "Good",
        "Welcome back",
        "06/05/2026 Call & visit",
        "A governor",
        MARKUP,
    ):
        assert value in text, value
    assert "Report card: an area needing attention" in text


def test_user_text_prints_as_written_and_pages_are_numbered() -> None:
    text = _text(school_profile_pdf_bytes(_full(), LETTERHEAD))
    assert NAME in _flat(text)
    assert "<b>attendance</b>" in _flat(text)
    pages = len(PdfReader(io.BytesIO(school_profile_pdf_bytes(_full(), LETTERHEAD))).pages)
    flat = _flat(text)
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat


def test_an_empty_profile_says_so_in_each_section() -> None:
    text = _flat(_text(school_profile_pdf_bytes(_empty("Bow School"), LETTERHEAD)))
    for words in (
        NO_MEMBERSHIP,
        NO_FEES,
        NO_INVOICES,
        NO_REVIEWS_HOSTED,
        NO_REVIEWS_GIVEN,
        NO_INSPECTIONS,
        NO_LETTERS,
        NO_NOTES,
        "Not yet inspected",
        "Balance on 01/12/2026: £0.00 nothing owed",
    ):
        assert words in text, words


def test_money_is_in_pounds_to_the_penny() -> None:
    assert pounds(Decimal("1234.5")) == "£1,234.50"
    assert pounds(Decimal("-12")) == "-£12.00"
    assert pounds(None) == ""

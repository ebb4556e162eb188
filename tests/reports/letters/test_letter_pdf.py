"""The letter engine: what prints, where it prints, and how letters flow over pages."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from thep_desktop.reports.letters.letter_pdf import (
    ENVELOPE_WINDOW,
    Letter,
    LetterError,
    Letterhead,
    render_letter_bytes,
    render_letters,
)

PAGE_HEIGHT = A4[1]

HEAD = Letterhead(
    name="Tower Hamlets Education Partnership",
    address_lines=("229 Bethnal Green Road", "London E2 6AB"),
    phone="020 7364 0000",
    email="info@the-partnership.org.uk",
    website="www.the-partnership.org.uk",
    company_number="08123456",
    charity_number="1150000",
    registered_office="229 Bethnal Green Road\nLondon E2 6AB",
    vat_number="GB 123 4567 89",
)
SCHOOL = "St Mary & St John's <Primary>"
ADVERSARIAL = "St Mary & St John's <Primary> “Ça va” Zoë £5 <b>x</b> &amp;"


def letter(body: str = "Thank you for your letter.", **kw) -> Letter:  # type: ignore[no-untyped-def]
    values = dict(
        recipient=("Ms Rahima Begum", "Head Teacher", SCHOOL, "Ben Jonson Road", "E1 4SD"),
        date=date(2026, 11, 22),
        salutation="Dear Ms Begum,",
        subject="Membership 2026/27",
        body=body,
        our_ref="THEP/MEM/100234",
        signatory="Jo Bloggs",
        signatory_role="Chief Executive",
    )
    values.update(kw)
    return Letter(**values)  # type: ignore[arg-type]


def pages_text(data: bytes) -> list[str]:
    """Each page's text, with runs of white space as one space."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def positions(data: bytes, page: int = 0) -> list[tuple[str, float, float]]:
    """Each piece of text on a page with where it starts (points from the bottom-left)."""
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):  # type: ignore[no-untyped-def]
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y))

    PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=visit)
    return found


def test_merged_values_print_exactly_as_given_including_markup_characters() -> None:
    data = render_letter_bytes(HEAD, letter(body=f"Your school, {ADVERSARIAL}, is a member."))
    text = pages_text(data)[0]
    assert text.count(SCHOOL) == 2  # in the address block and the body
    assert f"Your school, {ADVERSARIAL}, is a member." in text
    assert "22 November 2026" in text
    assert "THEP/MEM/100234" in text
    assert "company number 08123456" in text and "VAT registration number GB 123 4567 89" in text
    assert "Page 1 of 1" in text


def test_the_address_lies_inside_the_envelope_window() -> None:
    data = render_letter_bytes(HEAD, letter())
    window_left = ENVELOPE_WINDOW.left
    window_right = ENVELOPE_WINDOW.right
    window_top = PAGE_HEIGHT - ENVELOPE_WINDOW.top  # in PDF coordinates, from the bottom
    window_bottom = PAGE_HEIGHT - ENVELOPE_WINDOW.bottom
    address = ["Ms Rahima Begum", "Head Teacher", SCHOOL, "Ben Jonson Road", "E1 4SD"]
    placed = {t: (x, y) for t, x, y in positions(data) if t in address}
    assert set(placed) == set(address)
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for text, (x, y) in placed.items():
        assert window_left < x and x + stringWidth(text, "Carlito", 10.5) < window_right, text
        assert window_bottom < y - 3 and y + 10.5 < window_top, text
    # The window is where a DL envelope shows it: 20 mm in, 50 to 95 mm down.
    assert round(ENVELOPE_WINDOW.left / 72 * 25.4) == 20
    assert round(ENVELOPE_WINDOW.top / 72 * 25.4) == 50
    assert round(ENVELOPE_WINDOW.bottom / 72 * 25.4) == 95


def test_a_long_letter_flows_onto_a_second_page_with_the_continuation_header() -> None:
    body = "\n\n".join(f"Paragraph {n}: " + "The partnership thanks you. " * 12 for n in range(14))
    data = render_letter_bytes(HEAD, letter(body=body))
    first, second = pages_text(data)
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    header_line = [t for t, _x, y in positions(data, 1) if y > PAGE_HEIGHT - 60]
    assert "Tower Hamlets Education Partnership" in header_line
    assert any("22 November 2026" in t and "Ms Rahima Begum" in t for t in header_line)
    assert "Paragraph 13" in second and "Yours sincerely" in second
    assert "Ben Jonson Road" not in second  # no address block after the first page


def test_page_numbers_count_within_each_letter_of_a_merge(tmp_path: Path) -> None:
    long_body = "\n\n".join("A long paragraph of text. " * 15 for _ in range(14))
    target = tmp_path / "merge.pdf"
    result = render_letters(
        target, HEAD, [letter(), letter(body=long_body), letter(salutation="Dear Mr Khan,")]
    )
    assert result.pages_per_letter == (1, 2, 1)
    texts = pages_text(target.read_bytes())
    assert ["Page 1 of 1" in texts[0], "Page 1 of 2" in texts[1], "Page 2 of 2" in texts[2]] == [
        True,
        True,
        True,
    ]
    assert "Page 1 of 1" in texts[3] and "Dear Mr Khan," in texts[3]


def test_letters_are_laid_out_one_at_a_time() -> None:
    pulled = 0
    seen: list[tuple[int, int]] = []

    def letters():  # type: ignore[no-untyped-def]
        nonlocal pulled
        for _ in range(30):
            pulled += 1
            yield letter()

    render_letters(io.BytesIO(), HEAD, letters(), on_letter=lambda n: seen.append((n, pulled)))
    assert len(seen) == 30
    assert all(pulled_then <= n + 2 for n, pulled_then in seen)


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_pdfs_pass_qpdf_check(tmp_path: Path) -> None:
    target = tmp_path / "letters.pdf"
    render_letters(target, HEAD, [letter(), letter(body="Second letter.")])
    done = subprocess.run(["qpdf", "--check", str(target)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_fonts_are_embedded() -> None:
    reader = PdfReader(io.BytesIO(render_letter_bytes(HEAD, letter())))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    described = [f.get_object()["/FontDescriptor"].get_object() for f in fonts.values()]
    assert described and all("/FontFile2" in d for d in described)
    assert all("Carlito" in str(d["/FontName"]) for d in described)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: [letter(recipient=())], "no recipient address"),
        (lambda: [letter(recipient=("  ", ""))], "no recipient address"),
        (lambda: [letter(recipient=tuple(f"Line {n}" for n in range(12)))], "envelope window"),
        (lambda: [], "list of recipients is empty"),
    ],
)
def test_letters_that_cannot_be_printed_are_refused_clearly(make, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LetterError, match=message):
        render_letters(io.BytesIO(), HEAD, make())


def test_a_logo_that_is_not_an_image_is_refused() -> None:
    head = Letterhead(name="X", logo=b"this is not a picture")
    with pytest.raises(LetterError, match="logo"):
        render_letter_bytes(head, letter())


def test_a_real_logo_is_drawn(tmp_path: Path) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 120), "navy").save(buffer, "PNG")
    data = render_letter_bytes(Letterhead(name="X", logo=buffer.getvalue()), letter())
    images = PdfReader(io.BytesIO(data)).pages[0].images
    assert len(images) == 1

"""The letter engine: what prints, where it prints, and how letters flow over pages."""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
import sys
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
    address_block_lines,
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


MM = 72 / 25.4
SEVEN_LINES = (
    "Ms Rahima Begum",
    "Head Teacher",
    "Bow Common Primary School",
    "Ben Jonson Road",
    "Stepney",
    "London",
    "E1 4SD",
)


def word_boxes(data: bytes, tmp_path: Path) -> list[tuple[str, float, float, float, float]]:
    """Each word on page 1 with its box in mm from the page's top-left, as pdftotext reads it."""
    source = tmp_path / "letter.pdf"
    source.write_bytes(data)
    done = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(source), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    words = re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', done.stdout
    )
    return [
        (html.unescape(w), float(x0) / MM, float(y0) / MM, float(x1) / MM, float(y1) / MM)
        for x0, y0, x1, y1, w in words
    ]


def address_words(data: bytes, tmp_path: Path, lines: tuple[str, ...]) -> list[tuple]:  # type: ignore[type-arg]
    wanted = {w for line in lines for w in line.split()}
    # The address block is the first thing printed below the letterhead's rule (44 mm).
    return [b for b in word_boxes(data, tmp_path) if b[0] in wanted and 45 < b[2] < 95]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler is not installed")
def test_a_seven_line_address_shows_through_a_dl_window_with_the_letter_at_top_or_bottom(
    tmp_path: Path,
) -> None:
    """DL envelope 110 x 220 mm, window 90 x 45 mm, 20 mm from the left and 15 mm from the
    bottom; the letter folded in three is 99 mm tall, so it can sit 11 mm either way."""
    data = render_letter_bytes(HEAD, letter(recipient=SEVEN_LINES))
    words = address_words(data, tmp_path, SEVEN_LINES)
    assert {w[0] for w in words} == {w for line in SEVEN_LINES for w in line.split()}
    rows = sorted({round(w[2], 1) for w in words})
    assert len(rows) == 7
    window_top_on_envelope, window_bottom_on_envelope = 110 - 15 - 45, 110 - 15
    for slack in (0, 11):  # letter against the top of the envelope, then slipped down 11 mm
        seen_from = window_top_on_envelope - slack
        seen_to = window_bottom_on_envelope - slack
        for text, left, top, right, bottom in words:
            assert seen_from <= top and bottom <= seen_to, (slack, text, top, bottom)
            assert 20 <= left and right <= 110, (text, left, right)
    # The band both positions show, as the issue put it.
    assert min(w[2] for w in words) >= 50 and max(w[4] for w in words) <= 84
    assert ENVELOPE_WINDOW.top / MM == pytest.approx(50)
    assert ENVELOPE_WINDOW.bottom / MM == pytest.approx(84)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler is not installed")
def test_an_eight_line_address_is_folded_to_seven_keeping_every_word(tmp_path: Path) -> None:
    eight = (*SEVEN_LINES[:5], "Tower Hamlets", "London", "E1 4SD")
    data = render_letter_bytes(HEAD, letter(recipient=eight))
    words = address_words(data, tmp_path, eight)
    assert sorted(w[0] for w in words) == sorted(w for line in eight for w in line.split())
    assert len({round(w[2], 1) for w in words}) == 7
    assert min(w[2] for w in words) >= 50 and max(w[4] for w in words) <= 84
    assert max(w[3] for w in words) <= 110
    # The postcode joins the town, as an office would type it; the name stays on its own.
    assert address_block_lines(eight) == [*SEVEN_LINES[:5], "Tower Hamlets", "London E1 4SD"]


def test_an_address_that_cannot_be_folded_into_the_window_is_refused() -> None:
    long_lines = tuple(f"The Very Long Building Name Number {n} of the Estate" for n in range(9))
    with pytest.raises(LetterError, match="at most 7 show through the envelope window"):
        render_letter_bytes(HEAD, letter(recipient=long_lines))


def test_the_pdf_is_dated_today_not_1_january_2000() -> None:
    meta = PdfReader(io.BytesIO(render_letter_bytes(HEAD, letter()))).metadata
    assert meta is not None and meta.creation_date is not None
    assert abs((meta.creation_date.date() - date.today()).days) <= 1


def test_a_signature_image_is_drawn_above_the_name(tmp_path: Path) -> None:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 100), "navy").save(buffer, "PNG")
    data = render_letter_bytes(HEAD, letter(signature_image=buffer.getvalue()))
    assert len(PdfReader(io.BytesIO(data)).pages[0].images) == 1
    assert "Jo Bloggs" in pages_text(data)[0] and "Page 1 of 1" in pages_text(data)[0]
    with pytest.raises(LetterError, match="signature image"):
        render_letter_bytes(HEAD, letter(signature_image=b"not a picture"))


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
        (
            lambda: [
                letter(recipient=tuple(f"A long address line number {n} here" for n in range(12)))
            ],
            "envelope window",
        ),
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


WELSH_SOURCE = Path("/usr/share/i18n/locales/cy_GB")
UNDER_ANOTHER_LOCALE = """
import io, locale, sys
from datetime import date
from pypdf import PdfReader
locale.setlocale(locale.LC_ALL, "")  # as Qt does at start-up: the computer's language
assert date(2026, 11, 22).strftime("%B") == "Tachwedd", "the Welsh locale is not in force"
from thep_desktop.reports.letters.letter_pdf import Letter, Letterhead, render_letter_bytes
from thep_desktop.services.letters.letter_templates import TemplateInput
from thep_desktop.services.letters.mail_merge import _letter_values
letter = Letter(recipient=("Ms Begum", "E1 4SD"), date=date(2026, 11, 22),
                salutation="Dear Ms Begum,", body="Hello.", signatory="Jo")
data = render_letter_bytes(Letterhead(name="THEP"), letter)
print(" ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split()))
print("today:", _letter_values(date(2026, 11, 22), TemplateInput(name="x"), "100234")["today"])
"""


@pytest.mark.skipif(
    shutil.which("localedef") is None or not WELSH_SOURCE.exists(),
    reason="needs glibc's localedef and the cy_GB locale source to build a Welsh locale",
)
def test_a_letter_is_dated_in_english_under_a_welsh_locale(tmp_path: Path) -> None:
    """A PC set to Welsh once printed "22 Tachwedd 2026" on an English letter."""
    subprocess.run(
        ["localedef", "-i", "cy_GB", "-f", "UTF-8", str(tmp_path / "cy_GB.UTF-8")],
        check=True,
        capture_output=True,
    )
    env = {
        **os.environ,
        "LOCPATH": str(tmp_path),
        "LC_ALL": "cy_GB.UTF-8",
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
    }
    done = subprocess.run(
        [sys.executable, "-c", UNDER_ANOTHER_LOCALE], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Date 22 November 2026" in done.stdout
    assert "today: 22 November 2026" in done.stdout
    assert "Tachwedd" not in done.stdout

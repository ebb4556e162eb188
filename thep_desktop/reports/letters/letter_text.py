"""The letter's fonts and type styles, and its body text as reportlab paragraphs and lists."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph

from thep_desktop.installation import font_path

FONT = "Carlito"
FONT_BOLD = "Carlito-Bold"
FONT_ITALIC = "Carlito-Italic"
FONT_BOLD_ITALIC = "Carlito-BoldItalic"

INK = HexColor("#1a1a1a")
GREY = HexColor("#555555")
ACCENT = HexColor("#1f4e79")


# -- fonts -----------------------------------------------------------------------------------
_fonts_ready = False


def register_fonts() -> None:
    """Register the embedded letter fonts with reportlab (once per process)."""
    global _fonts_ready
    if _fonts_ready:
        return
    for name, file in (
        (FONT, "Carlito-Regular.ttf"),
        (FONT_BOLD, "Carlito-Bold.ttf"),
        (FONT_ITALIC, "Carlito-Italic.ttf"),
        (FONT_BOLD_ITALIC, "Carlito-BoldItalic.ttf"),
    ):
        # A missing font is a damaged installation, named with what to do.
        pdfmetrics.registerFont(TTFont(name, str(font_path(file))))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    _fonts_ready = True


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=11,
        leading=14.5,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=7,
    )
    return {
        "body": body,
        "subject": ParagraphStyle(
            "subject", parent=body, fontName=FONT_BOLD, spaceBefore=0, spaceAfter=9
        ),
        "salutation": ParagraphStyle("salutation", parent=body, spaceAfter=9),
        "bullet": ParagraphStyle("bullet", parent=body, spaceAfter=3),
        "signature": ParagraphStyle("signature", parent=body, spaceAfter=0),
        "role": ParagraphStyle("role", parent=body, textColor=GREY, spaceAfter=0),
    }


# -- the body as flowables ---------------------------------------------------------------------
def text_to_flowables(text: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Plain text to paragraphs and bullet lists; every character prints as typed."""
    flowables: list[Flowable] = []
    for block in _blocks(text):
        lines = block.splitlines()
        if all(_is_bullet(line) for line in lines):
            items = [
                ListItem(Paragraph(_para_text(_bullet_text(line)), styles["bullet"]))
                for line in lines
            ]
            flowables.append(
                ListFlowable(
                    items,
                    bulletType="bullet",
                    start="•",
                    leftIndent=14,
                    bulletFontName=FONT,
                    bulletFontSize=11,
                    spaceAfter=7,
                )
            )
        else:
            flowables.append(Paragraph(_para_text(block, keep_lines=True), styles["body"]))
    return flowables


def _blocks(text: str) -> list[str]:
    blocks: list[str] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def _is_bullet(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(("- ", "• ", "* "))


def _bullet_text(line: str) -> str:
    return line.lstrip()[2:].strip()


def _para_text(text: str, *, keep_lines: bool = False) -> str:
    """Escape for reportlab's paragraph markup; single line breaks stay line breaks."""
    escaped = escape(text, {'"': "&quot;"})
    if keep_lines:
        escaped = escaped.replace("\n", "<br/>")
    return escaped

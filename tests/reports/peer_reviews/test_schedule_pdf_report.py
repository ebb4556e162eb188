"""The schedule as a PDF on the letterhead: clusters, dates with day names, teams, status."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from plain_schedules import schedule
from pypdf import PdfReader

from thep_desktop.reports.letters.letter_data import Letterhead
from thep_desktop.reports.peer_reviews.schedule_pdf import schedule_pdf_bytes, write_schedule_pdf
from thep_desktop.reports.shared.spreadsheet import ExportError

LETTERHEAD = Letterhead(
    "Tower Hamlets Education Partnership",
    ("229 Bethnal Green Road", "London E2 6AB"),
    company_number="08123456",
)


def pages_text(data: bytes) -> list[str]:
    # pypdf reads the bullet of the font's subset as DEL (pdftotext reads it as "•").
    return [
        " ".join((page.extract_text() or "").replace("\x7f", "•").split())
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def test_the_schedule_lists_each_cluster_with_its_reviews_by_date() -> None:
    data = schedule_pdf_bytes(schedule(), LETTERHEAD)
    reader = PdfReader(io.BytesIO(data))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert width > height  # landscape
    text = " ".join(pages_text(data))
    assert "Tower Hamlets Education Partnership" in text
    assert "Peer reviews 2025/26" in text
    assert "4 reviews: 3 proposed, 1 confirmed, 1 without a date yet." in text
    assert "Bow and Poplar (2 reviews)" in text and "Poplar & Limehouse (2 reviews)" in text
    for header in ("Date", "Host school", "Reviewing schools", "Lead reviewer", "Focus", "Status"):
        assert header in text
    assert "04/11/2025 to 05/11/2025 Tuesday to Wednesday Bow School" in text
    assert "18/11/2025 Tuesday Marner Primary School" in text
    assert "13/01/2026 Tuesday St Mary & St John's C of E Primary" in text
    assert "No date yet Olga Primary School" in text
    assert (
        "Bow School • Marner Primary School • St Mary & St John's C of E Primary "
        "Head of Marner Primary School Marner Primary School "
        "• Reading in Key Stage 1 • Attendance & punctuality Confirmed 12/09/2025"
    ) in text
    assert "Head of Marner Primary School" in text
    # Bow's cluster before Poplar's; within each, by date.
    assert text.index("Bow and Poplar") < text.index("04/11/2025") < text.index("18/11/2025")
    assert text.index("18/11/2025") < text.index("Poplar & Limehouse (2") < text.index("13/01/2026")
    assert "Page 1 of 1" in text
    assert "Printed 30/11/2026 14:05" in text


def test_a_long_schedule_runs_over_pages_each_numbered_and_dated() -> None:
    plan = schedule()
    many = tuple(replace(plan.reviews[1], cluster=f"Cluster {n:02d}") for n in range(40))
    data = schedule_pdf_bytes(replace(plan, reviews=many), LETTERHEAD)
    pages = pages_text(data)
    assert len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Printed 30/11/2026 14:05" in text
    # A later page names the schedule in its header.
    assert "Peer reviews 2025/26" in pages[-1]
    assert all(f"Cluster {n:02d} (1 review)" in " ".join(pages) for n in range(40))


def test_one_clusters_schedule_is_titled_by_it() -> None:
    plan = schedule()
    one = replace(plan, reviews=plan.reviews[:2], cluster="Bow and Poplar")
    text = " ".join(pages_text(schedule_pdf_bytes(one, LETTERHEAD)))
    assert "Peer reviews 2025/26: Bow and Poplar" in text
    assert "St Mary & St John's C of E Primary" in text  # on Bow's team
    assert "Olga" not in text and "13/01/2026" not in text


def test_the_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "schedule.pdf"
    write_schedule_pdf(target, schedule(), LETTERHEAD)
    assert "Bow School" in " ".join(pages_text(target.read_bytes()))
    with pytest.raises(ExportError, match="does not exist"):
        write_schedule_pdf(tmp_path / "gone" / "schedule.pdf", schedule(), LETTERHEAD)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["schedule.pdf"]


def test_a_cluster_running_over_pages_is_named_again_above_its_continued_table() -> None:
    plan = schedule()
    long = tuple(replace(plan.reviews[1], cluster="Bow and Poplar") for _ in range(30))
    pages = pages_text(
        schedule_pdf_bytes(replace(plan, reviews=(*long, plan.reviews[2])), LETTERHEAD)
    )
    assert len(pages) >= 3
    for text in pages[:-1]:
        assert "Bow and Poplar (30 reviews) Date Host school Reviewing schools" in text
    assert "Poplar & Limehouse (1 review) Date Host school" in pages[-1]
    assert sum(text.count("18/11/2025 Tuesday Marner Primary School") for text in pages) == 30


def test_a_review_without_a_team_yet_says_so() -> None:
    plan = schedule()
    bare = replace(plan.reviews[3], team=(), reviewers=())
    text = " ".join(pages_text(schedule_pdf_bytes(replace(plan, reviews=(bare,)), LETTERHEAD)))
    assert "No date yet Olga Primary School None yet Not named yet Proposed 01/09/2025" in text

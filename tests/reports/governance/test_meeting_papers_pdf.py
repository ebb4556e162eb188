"""A meeting's papers from plain data: the agenda, the notices, the minutes and their signature."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, time
from pathlib import Path

import pytest
from plain_papers import (
    AGM,
    BOARD,
    LETTERHEAD,
    agenda,
    agm_notice,
    board_notice,
    minutes,
    recipients,
)
from pypdf import PdfReader

from thep_desktop.reports.governance.governance_papers import (
    AgendaEntry,
    ErratumLine,
    MinutesItem,
    time_words,
)
from thep_desktop.reports.governance.governance_pdf import write_pdf
from thep_desktop.reports.governance.meeting_papers_pdf import (
    agenda_pdf_bytes,
    minutes_pdf_bytes,
    notice_pdf_bytes,
)
from thep_desktop.reports.governance.notice_text import (
    ASSOCIATE_MEMBER_VOTES,
    FULL_MEMBER_VOTES,
    notice_letter,
)
from thep_desktop.reports.letters.letter_pdf import render_letters
from thep_desktop.reports.shared.spreadsheet import ExportError


def pages_text(data: bytes) -> list[str]:
    return [
        " ".join((page.extract_text() or "").replace("\x7f", "•").split())
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def text_of(data: bytes) -> str:
    return " ".join(pages_text(data))


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (time(18, 0), "6.00 pm"),
        (time(9, 30), "9.30 am"),
        (time(12, 0), "12.00 noon"),
        (time(0, 15), "12.15 am"),
        (time(12, 45), "12.45 pm"),
    ],
)
def test_times_are_written_as_a_notice_states_them(value: time, words: str) -> None:
    assert time_words(value) == words


def test_the_agenda_numbers_its_items_with_presenters_papers_date_time_and_venue() -> None:
    text = text_of(agenda_pdf_bytes(agenda(), LETTERHEAD))
    assert "Agenda Board of Directors – Tower Hamlets Education Partnership" in text
    assert "Date Tuesday 14 July 2026" in text
    assert "Time 6.00 pm to 7.30 pm" in text
    assert "Venue Bow School, Paton Close, London E3 2QD" in text
    assert "1. Welcome and apologies Chair" in text
    assert "3. Budget 2026/27 Treasurer • Budget 2026-27.pdf • Cash flow.xlsx" in text
    assert "4. Any other business" in text
    assert "Issued 01/07/2026." in text
    assert "Page 1 of 1" in text


def test_an_agenda_with_no_items_says_so_and_an_online_meeting_gives_its_link() -> None:
    online = replace(BOARD, venue="", online_link="https://meet.example.org/board")
    text = text_of(agenda_pdf_bytes(replace(agenda(), heading=online, items=()), LETTERHEAD))
    assert "No items are on the agenda yet." in text
    assert "Online https://meet.example.org/board" in text
    assert "Venue" not in text


def test_each_member_gets_a_notice_with_its_own_voting_rights() -> None:
    notice = agm_notice()
    buffer = io.BytesIO()
    result = render_letters(buffer, LETTERHEAD, [notice_letter(notice, r) for r in recipients()])
    pages = pages_text(buffer.getvalue())
    assert result.letters == 2 and len(pages) == 2
    full, associate = pages
    for page in pages:
        assert (
            "NOTICE IS HEREBY GIVEN that the Annual General Meeting of Tower Hamlets Education "
            "Partnership will be held at St Mary & St John's C of E Primary, Bow Road, London "
            "E3 3AE, and online at https://meet.example.org/agm-2026 on Tuesday 14 July 2026 at "
            "6.00 pm for the following business:"
        ) in page
        assert (
            "1. Welcome and apologies 2. Annual report and accounts 3. Directors' appointments"
        ) in page
        assert "may appoint a proxy to attend, speak and vote instead of it" in page
        assert "By order of the Board Ms Joan Clerk Company Secretary, 22 June 2026" in page
        assert "Notice of the Annual General Meeting: Tuesday 14 July 2026 at 6.00 pm" in page
    assert "Ms Rahima Begum Head Teacher Bow School Paton Close London E3 2QD" in full
    assert "Dear Ms Begum," in full and "Our ref 100200" in full
    assert FULL_MEMBER_VOTES in full and ASSOCIATE_MEMBER_VOTES not in full
    assert "Dear Mr Rahman," in associate
    assert ASSOCIATE_MEMBER_VOTES in associate and FULL_MEMBER_VOTES not in associate


def test_a_bodys_notice_is_one_page_naming_its_members() -> None:
    pages = pages_text(notice_pdf_bytes(board_notice(), LETTERHEAD))
    assert len(pages) == 1
    text = pages[0]
    assert "Notice of meeting: Board of Directors" in text
    assert (
        "To the members of the Board of Directors: Ms Ann Chair, Mr Bob Director and Dr Cy Member."
    ) in text
    assert (
        "NOTICE IS HEREBY GIVEN that a meeting of the Board of Directors of Tower Hamlets "
        "Education Partnership will be held at Bow School, Paton Close, London E3 2QD on "
        "Tuesday 14 July 2026 at 6.00 pm for the following business:"
    ) in text
    assert "3. Budget 2026/27" in text
    assert "proxy" not in text.casefold()  # only members of a company appoint proxies
    assert "By order of the Board Ms Joan Clerk Clerk to the Board Dated 1 July 2026" in text


def test_draft_minutes_carry_attendance_quorum_interests_items_and_a_blank_signature() -> None:
    data = minutes_pdf_bytes(minutes(), LETTERHEAD)
    pages = pages_text(data)
    text = " ".join(pages)
    assert "Minutes: Board of Directors" in text
    assert "Meeting held on Tuesday 14 July 2026 at 6.00 pm, at Bow School" in text
    assert "Status: Draft (not yet approved)" in text
    assert "In the chair: Ms Ann Chair" in text
    assert (
        "Members present (voting) Ms Ann Chair (Chair) Mr Bob Director (Director), joined at item 3"
    ) in text
    assert "Dr Cy Member (Director), left after item 3" in text
    assert "In attendance Ms Joan Clerk (Clerk)" in text
    assert "Apologies Mrs Dee Absent (Director)" in text
    assert "Absent Mr Ed Away (Director)" in text
    assert "The meeting was quorate throughout: 3 voting members needed." in text
    assert "Dr Cy Member: governor of Bow School (item 3)" in text
    assert (
        "Renew the insurance Raised at Board of Directors, 12/05/2026 Executive Director "
        "01/06/2026 In progress – OVERDUE Quotes requested"
    ) in text
    assert "3. Budget 2026/27 (Treasurer)" in text
    assert "The treasurer presented the budget. Questions were answered." in text
    assert (
        "Resolved B/2026/07/1: That the budget for 2026/27 be approved. Ordinary resolution · "
        "5 for, 1 against, 0 abstaining · Carried"
    ) in text
    assert (
        "Action: Send the budget to the auditors Owner: Mr Bob Director · Due: 01/08/2026"
    ) in text
    assert "Signed as a correct record: " + "_" * 28 + " Chair Date: " + "_" * 14 in text
    assert "Approved" not in text
    # The DRAFT mark on every page, and in the continuation header.
    assert all("DRAFT" in page for page in pages)
    assert "Minutes: Board of Directors, 14/07/2026 – DRAFT" in text


def test_signed_minutes_name_the_signer_the_approval_and_keep_errata_after_their_item() -> None:
    signed = minutes(
        status="Signed",
        draft=False,
        signed_by="Ms Ann Chair",
        signed_on=date(2026, 9, 30),
        approved_on=date(2026, 9, 22),
        approved_at="the Board of Directors meeting",
        errata=(
            ErratumLine(date(2026, 10, 1), "Dr Cy Member left after item 2", "a slip", 3),
            ErratumLine(date(2026, 10, 2), "The meeting ended at 7.45 pm"),
        ),
    )
    text = text_of(minutes_pdf_bytes(signed, LETTERHEAD))
    assert "DRAFT" not in text and "Status: Signed" in text
    assert "Approved at the Board of Directors meeting on 22/09/2026." in text
    assert "Signed as a correct record: Ms Ann Chair Chair Date: 30/09/2026" in text
    # The original minutes stay; the erratum follows its item, dated.
    assert text.index("The treasurer presented the budget.") < text.index(
        "Erratum noted 01/10/2026: Dr Cy Member left after item 2 (a slip)."
    )
    assert text.index("Erratum noted 01/10/2026") < text.index("Errata Erratum noted 02/10/2026")
    assert "Dr Cy Member (Director), left after item 3" in text


def test_user_text_prints_as_typed() -> None:
    item = MinutesItem(1, "Fees <2027> & reserves", minutes="Costs > income & <b>not</b> bold")
    text = text_of(minutes_pdf_bytes(minutes(items=(item,)), LETTERHEAD))
    assert "1. Fees <2027> & reserves" in text
    assert "Costs > income & <b>not</b> bold" in text


def test_a_general_meetings_minutes_count_member_schools_present_in_person_or_by_proxy() -> None:
    agm = minutes(heading=AGM, general_meeting=True, matters_arising=())
    text = text_of(minutes_pdf_bytes(agm, LETTERHEAD))
    assert "Members present (voting, in person or by proxy)" in text
    assert "Matters arising" not in text


def test_write_pdf_writes_whole_or_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "agenda.pdf"
    data = agenda_pdf_bytes(agenda(), LETTERHEAD)
    write_pdf(target, data)
    assert target.read_bytes() == data
    missing = tmp_path / "no such folder" / "agenda.pdf"
    with pytest.raises(ExportError):
        write_pdf(missing, data)
    assert not missing.parent.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["agenda.pdf"]


def test_a_long_agenda_runs_on_with_its_header_repeated() -> None:
    many = tuple(AgendaEntry(n, f"Item number {n}", "Chair") for n in range(1, 41))
    pages = pages_text(agenda_pdf_bytes(replace(agenda(), items=many), LETTERHEAD))
    assert len(pages) >= 2
    assert all("No. Item Presented by Papers" in page for page in pages)
    assert "Page 2 of" in pages[1] and "Agenda: Board of Directors, 14/07/2026" in pages[1]

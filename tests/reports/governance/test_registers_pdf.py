"""The decision log, the action log and the register of directors from plain data."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from plain_papers import (
    AUDIT_ACTION,
    BUDGET,
    LETTERHEAD,
    OLD_ACTION,
    action_log,
    decision_log,
    directors,
)
from pypdf import PdfReader

from thep_desktop.reports.governance.decisions_workbook import write_decisions_and_actions
from thep_desktop.reports.governance.registers_pdf import (
    action_log_pdf_bytes,
    decision_log_pdf_bytes,
    directors_pdf_bytes,
)
from thep_desktop.reports.shared.spreadsheet import ExportError


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_the_decision_log_lists_reference_date_body_text_kind_votes_and_result() -> None:
    special = replace(
        BUDGET,
        reference="GM/2026/07/2",
        text="That the articles be amended.",
        kind="Special resolution",
        body_name="General meeting of members",
        votes="",
        result="Carried",
    )
    text = text_of(decision_log_pdf_bytes(decision_log(BUDGET, special), LETTERHEAD))
    assert "Decision log Tower Hamlets Education Partnership All bodies, all years" in text
    assert "2 decisions." in text
    assert (
        "B/2026/07/1 14/07/2026 Board of Directors That the budget for 2026/27 be approved. "
        "Item 3. Budget 2026/27 Ordinary resolution 5 for, 1 against, 0 abstaining Carried"
    ) in text
    assert (
        "GM/2026/07/2 14/07/2026 General meeting of members That the articles be amended."
    ) in text
    assert "Special resolution Not counted Carried" in text
    assert "Printed 01/12/2026 09:30" in text


def test_an_empty_decision_log_says_no_decisions_recorded() -> None:
    text = text_of(decision_log_pdf_bytes(decision_log(), LETTERHEAD))
    assert "No decisions recorded." in text
    assert "decisions." not in text


def test_the_action_log_marks_overdue_actions_in_words() -> None:
    done = replace(
        AUDIT_ACTION,
        text="File the accounts",
        status="Done",
        is_open=False,
        closed_on=date(2026, 7, 30),
    )
    text = text_of(action_log_pdf_bytes(action_log(AUDIT_ACTION, OLD_ACTION, done), LETTERHEAD))
    assert "3 actions, 1 overdue on 01/12/2026." in text
    assert (
        "Send the budget to the auditors Mr Bob Director 01/08/2026 Open Board of Directors, "
        "14/07/2026"
    ) in text
    assert (
        "Renew the insurance Executive Director 01/06/2026 In progress – OVERDUE Quotes "
        "requested Board of Directors, 12/05/2026"
    ) in text
    assert (
        "File the accounts Mr Bob Director 01/08/2026 Done on 30/07/2026 Board of Directors, "
        "14/07/2026 30/07/2026"
    ) in text
    empty = text_of(action_log_pdf_bytes(action_log(), LETTERHEAD))
    assert empty.count("No actions recorded.") == 1


def test_the_register_of_directors_lists_current_then_former_with_statutory_details() -> None:
    text = text_of(directors_pdf_bytes(directors(), LETTERHEAD))
    assert (
        "Register of directors Tower Hamlets Education Partnership, company number 08123456"
    ) in text
    assert "As at 01/12/2026" in text
    assert (
        "Kept under section 162 of the Companies Act 2006. 1 director in office on 01/12/2026; "
        "1 former director."
    ) in text
    headers = "Name Former names Service address Country of residence Nationality Occupation"
    for header in (*headers.split(), "Born", "Appointed", "Ceased"):
        assert header in text
    assert (
        "Ms Ann Chair Chair Ann Smith 229 Bethnal Green Road, London E2 6AB United Kingdom "
        "British Head teacher March 1971 01/09/2024"
    ) in text
    assert text.index("Directors Name") < text.index("Ms Ann Chair")
    assert text.index("Ms Ann Chair") < text.index("Former directors")
    assert text.index("Former directors") < text.index("Mr Old Director")
    assert "June 1960 01/09/2020 31/08/2025 Resigned" in text


def test_a_register_with_no_directors_says_so() -> None:
    empty = replace(directors(), current=(), former=())
    text = text_of(directors_pdf_bytes(empty, LETTERHEAD))
    assert "No one was a director on 01/12/2026." in text
    assert "Former directors" not in text


def test_the_workbook_has_decisions_and_actions_sheets_with_typed_cells(tmp_path: Path) -> None:
    target = tmp_path / "governance.xlsx"
    written = write_decisions_and_actions(
        target, decision_log(BUDGET), action_log(AUDIT_ACTION, OLD_ACTION)
    )
    assert written == 1
    book = load_workbook(target)
    assert book.sheetnames == ["Decisions", "Actions"]
    decisions, actions = book["Decisions"], book["Actions"]
    assert [c.value for c in decisions[3]] == [
        "Reference",
        "Date",
        "Body",
        "Meeting",
        "Item",
        "Decision",
        "Kind",
        "Votes for",
        "Against",
        "Abstaining",
        "Result",
    ]
    row = [c.value for c in decisions[4]]
    assert row[0] == "B/2026/07/1"
    assert row[1].date() == date(2026, 7, 14) and decisions["B4"].number_format == "dd/mm/yyyy"
    assert row[2:] == [
        "Board of Directors",
        "Board of Directors, 14/07/2026",
        "3. Budget 2026/27",
        "That the budget for 2026/27 be approved.",
        "Ordinary resolution",
        5,
        1,
        0,
        "Carried",
    ]
    assert decisions.freeze_panes == "A4" and decisions.auto_filter.ref == "A3:K4"
    assert decisions.column_dimensions["F"].width > decisions.column_dimensions["H"].width
    assert [c.value for c in actions[3]][:5] == ["Action", "Owner", "Due", "Status", "Overdue"]
    overdue = [c.value for c in actions[5]]
    assert overdue[0] == "Renew the insurance" and overdue[2].date() == date(2026, 6, 1)
    assert overdue[4] == "Overdue on 01/12/2026" and overdue[5] == "Quotes requested"
    assert actions["C5"].number_format == "dd/mm/yyyy"
    assert actions.freeze_panes == "A4" and actions.auto_filter.ref == "A3:J5"


def test_the_workbook_must_be_an_xlsx_and_a_refusal_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"\.xlsx"):
        write_decisions_and_actions(tmp_path / "log.csv", decision_log(), action_log())
    with pytest.raises(ExportError):
        write_decisions_and_actions(tmp_path / "gone" / "log.xlsx", decision_log(), action_log())
    assert list(tmp_path.iterdir()) == []

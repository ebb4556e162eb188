"""The governance logs and register on the letterhead, landscape: the decision log, the action
log (overdue actions said in words) and the register of directors (Companies Act 2006 s 162)."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from thep_desktop.domain.dates import format_date
from thep_desktop.reports.governance.governance_papers import (
    ActionLog,
    DecisionLog,
    DirectorLine,
    DirectorsRegisterPaper,
)
from thep_desktop.reports.governance.governance_pdf import (
    GovernanceDocument,
    para,
    pdf_bytes,
    styles,
    table,
)
from thep_desktop.reports.letters.letter_data import Letterhead
from thep_desktop.reports.letters.letterhead_document import SectionStart

PAGE_SIZE = landscape(A4)  # 257 mm of text across
NO_DECISIONS = "No decisions recorded."
NO_ACTIONS = "No actions recorded."
DIRECTORS_STATUTE = "Kept under section 162 of the Companies Act 2006."


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def _heading(title: str, company: str, scope: str, note: str) -> list[Flowable]:
    style = styles()
    story: list[Flowable] = [
        SectionStart(),
        para(title, style["title"]),
        Spacer(1, 1.5 * mm),
        para(company, style["subtitle"]),
        para(scope, style["body"]),
    ]
    if note:
        story += [Spacer(1, 1.5 * mm), para(note, style["note"])]
    story.append(Spacer(1, 5 * mm))
    return story


# -- the decision log -------------------------------------------------------------------------


def decision_log_story(log: DecisionLog) -> list[Flowable]:
    style = styles()
    note = _count(len(log.entries), "decision", "decisions") + "." if log.entries else ""
    story = _heading("Decision log", log.company, log.scope, note)
    rows = []
    for entry in log.entries:
        rows.append(
            [
                para(entry.reference, style["head"]),
                format_date(entry.meets_on),
                entry.body_name,
                entry.text + (f"\nItem {entry.item}" if entry.item else ""),
                entry.kind,
                entry.votes or "Not counted",
                entry.result,
            ]
        )
    story.append(
        table(
            ("Reference", "Date", "Body", "Decision", "Kind", "Votes", "Result"),
            rows,
            (30 * mm, 20 * mm, 34 * mm, 95 * mm, 26 * mm, 32 * mm, 20 * mm),
            style,
            NO_DECISIONS,
        )
    )
    return story


def decision_log_pdf_bytes(log: DecisionLog, letterhead: Letterhead) -> bytes:
    document = GovernanceDocument(
        io.BytesIO(), letterhead, "Decision log", pagesize=PAGE_SIZE, printed=log.printed_at
    )
    return pdf_bytes(document, decision_log_story(log))


# -- the action log ---------------------------------------------------------------------------


def action_log_story(log: ActionLog) -> list[Flowable]:
    style = styles()
    note = ""
    if log.entries:
        note = _count(len(log.entries), "action", "actions")
        if log.overdue:
            note += f", {log.overdue:,} overdue on {format_date(log.as_at)}"
        note += "."
    story = _heading("Action log", log.company, log.scope, note)
    rows = []
    for entry in log.entries:
        state = entry.state + (f"\n{entry.progress}" if entry.progress else "")
        rows.append(
            [
                entry.text,
                entry.owner or "Not named",
                para(entry.due_label, style["cell_warning" if entry.overdue else "cell"]),
                para(state, style["cell_warning" if entry.overdue else "cell"]),
                entry.raised_at,
                format_date(entry.closed_on),
            ]
        )
    story.append(
        table(
            ("Action", "Owner", "Due", "Status", "Raised at", "Closed"),
            rows,
            (92 * mm, 38 * mm, 22 * mm, 38 * mm, 45 * mm, 22 * mm),
            style,
            NO_ACTIONS,
        )
    )
    return story


def action_log_pdf_bytes(log: ActionLog, letterhead: Letterhead) -> bytes:
    document = GovernanceDocument(
        io.BytesIO(), letterhead, "Action log", pagesize=PAGE_SIZE, printed=log.printed_at
    )
    return pdf_bytes(document, action_log_story(log))


# -- the register of directors ----------------------------------------------------------------


_DIRECTOR_HEADERS = (
    "Name",
    "Former names",
    "Service address",
    "Country of residence",
    "Nationality",
    "Occupation",
    "Born",
    "Appointed",
    "Ceased",
)
_DIRECTOR_WIDTHS = (
    38 * mm,
    24 * mm,
    52 * mm,
    24 * mm,
    22 * mm,
    28 * mm,
    21 * mm,
    22 * mm,
    26 * mm,
)


def _director_row(line: DirectorLine) -> list[str]:
    name = line.name + (f"\n{line.capacity}" if line.capacity else "")
    ceased = format_date(line.ceased_on)
    if line.ceased_on and line.why_ended:
        ceased += f"\n{line.why_ended}"
    return [
        name,
        line.former_names or "None",
        line.service_address,
        line.country_of_residence,
        line.nationality,
        line.occupation,
        line.born,
        format_date(line.appointed_on),
        ceased,
    ]


def directors_story(register: DirectorsRegisterPaper) -> list[Flowable]:
    style = styles()
    company = register.company
    if register.company_number:
        company += f", company number {register.company_number}"
    summary = (
        f"{_count(len(register.current), 'director', 'directors')} in office on "
        f"{format_date(register.as_at)}"
    )
    if register.former:
        summary += f"; {_count(len(register.former), 'former director', 'former directors')}"
    story = _heading(
        "Register of directors",
        company,
        f"As at {format_date(register.as_at)}",
        f"{DIRECTORS_STATUTE} {summary}.",
    )
    story.append(para("Directors", style["heading"]))
    story.append(
        table(
            _DIRECTOR_HEADERS,
            [_director_row(line) for line in register.current],
            _DIRECTOR_WIDTHS,
            style,
            f"No one was a director on {format_date(register.as_at)}.",
        )
    )
    if register.former:
        story += [
            CondPageBreak(35 * mm),
            para("Former directors", style["heading"]),
            table(
                _DIRECTOR_HEADERS,
                [_director_row(line) for line in register.former],
                _DIRECTOR_WIDTHS,
                style,
                "",
            ),
        ]
    return story


def directors_pdf_bytes(register: DirectorsRegisterPaper, letterhead: Letterhead) -> bytes:
    document = GovernanceDocument(
        io.BytesIO(),
        letterhead,
        f"Register of directors as at {format_date(register.as_at)}",
        pagesize=PAGE_SIZE,
        printed=register.printed_at,
    )
    return pdf_bytes(document, directors_story(register))

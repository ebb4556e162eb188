"""A meeting's papers on the letterhead: the agenda, the notice to a body's members (one page),
and the minutes with their signature block (marked DRAFT until approved)."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from thep_desktop.domain.dates import format_date, format_long_date
from thep_desktop.reports.governance.governance_papers import (
    ActionLine,
    Agenda,
    AttendanceLine,
    DecisionLine,
    ErratumLine,
    MeetingHeading,
    Minutes,
    MinutesItem,
    Notice,
    joined,
)
from thep_desktop.reports.governance.governance_pdf import (
    GovernanceDocument,
    para,
    pdf_bytes,
    styles,
    table,
)
from thep_desktop.reports.governance.notice_text import notice_body
from thep_desktop.reports.letters.letter_data import Letterhead
from thep_desktop.reports.letters.letter_text import FONT
from thep_desktop.reports.letters.letterhead_document import SectionStart

TEXT_WIDTH = 170 * mm  # A4 portrait less the margins
SIGNATURE_LINE = "_" * 28
DATE_LINE = "_" * 14


def _when_and_where(heading: MeetingHeading) -> list[tuple[str, str]]:
    rows = [("Date", f"{heading.meets_on:%A} {format_long_date(heading.meets_on)}")]
    if heading.times:
        rows.append(("Time", heading.times))
    venue = ", ".join(p.strip() for p in heading.venue.splitlines() if p.strip())
    if venue:
        rows.append(("Venue", venue))
    if heading.online_link:
        rows.append(("Online", heading.online_link))
    if not venue and not heading.online_link:
        rows.append(("Venue", "To be confirmed"))
    return rows


def _facts(rows: list[tuple[str, str]], style: dict) -> Table:
    """``Date  Tuesday 14 July 2026`` … as two aligned columns."""
    data = [[para(label, style["head"]), para(value, style["body"])] for label, value in rows]
    facts = Table(data, colWidths=[22 * mm, TEXT_WIDTH - 22 * mm], hAlign="LEFT")
    facts.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 10),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return facts


# -- the agenda -------------------------------------------------------------------------------


def agenda_story(agenda: Agenda) -> list[Flowable]:
    style = styles()
    heading = agenda.heading
    story: list[Flowable] = [
        SectionStart(),
        para("Agenda", style["title"]),
        Spacer(1, 1.5 * mm),
        para(f"{heading.title} – {heading.company}", style["subtitle"]),
        Spacer(1, 3 * mm),
        _facts(_when_and_where(heading), style),
        Spacer(1, 6 * mm),
    ]
    rows = []
    for item in agenda.items:
        papers = "\n".join(f"• {name}" for name in item.papers)
        rows.append(
            [para(f"{item.number}.", style["head"]), item.title, item.presenter, papers or ""]
        )
    story.append(
        table(
            ("No.", "Item", "Presented by", "Papers"),
            rows,
            (12 * mm, 78 * mm, 35 * mm, 45 * mm),
            style,
            "No items are on the agenda yet.",
        )
    )
    if agenda.issued_on is not None:
        story += [
            Spacer(1, 5 * mm),
            para(f"Issued {format_date(agenda.issued_on)}.", style["note"]),
        ]
    return story


def agenda_pdf_bytes(agenda: Agenda, letterhead: Letterhead) -> bytes:
    document = GovernanceDocument(io.BytesIO(), letterhead, f"Agenda: {agenda.heading.label}")
    return pdf_bytes(document, agenda_story(agenda))


# -- the notice to a body's members ---------------------------------------------------------


def notice_story(notice: Notice) -> list[Flowable]:
    """One page: to whom, the notice, the business, and who gives it."""
    style = styles()
    story: list[Flowable] = [
        SectionStart(),
        para(notice.title, style["title"]),
        Spacer(1, 3 * mm),
    ]
    members = list(notice.members)
    to = f"To the members of the {notice.heading.body_name}"
    story.append(para(f"{to}: {joined(members)}." if members else f"{to}.", style["text"]))
    story.append(Spacer(1, 2 * mm))
    for block in notice_body(notice).split("\n\n"):
        story.append(para(block, style["text"]))
    story += [
        Spacer(1, 4 * mm),
        para(notice.given_by, style["body"]),
        Spacer(1, 10 * mm),
        para(notice.signatory, style["body"]),
        para(notice.signatory_role or "Clerk", style["small"]),
        para(f"Dated {format_long_date(notice.dated)}", style["small"]),
    ]
    return story


def notice_pdf_bytes(notice: Notice, letterhead: Letterhead) -> bytes:
    document = GovernanceDocument(
        io.BytesIO(), letterhead, f"{notice.title}, {notice.heading.label}"
    )
    return pdf_bytes(document, notice_story(notice))


# -- the minutes ------------------------------------------------------------------------------


def _people(title: str, lines: tuple[AttendanceLine, ...], style: dict) -> list[Flowable]:
    if not lines:
        return []
    return [para(title, style["heading"])] + [para(line.text, style["indented"]) for line in lines]


def _decision(decision: DecisionLine, style: dict) -> Flowable:
    facts = [decision.kind]
    if decision.votes:
        facts.append(decision.votes)
    facts.append(decision.result)
    return para(
        f"Resolved {decision.reference}: {decision.text}\n{' · '.join(facts)}",
        style["indented"],
    )


def _action(action: ActionLine, style: dict) -> Flowable:
    return para(
        f"Action: {action.text}\nOwner: {action.owner or 'not named'} · Due: {action.due_label}",
        style["indented"],
    )


def _erratum(erratum: ErratumLine, style: dict) -> Flowable:
    reason = f" ({erratum.reason})" if erratum.reason else ""
    return para(
        f"Erratum noted {format_date(erratum.noted_on)}: {erratum.correction}{reason}. "
        "The minutes above are kept as approved.",
        style["indented"],
    )


def _item(item: MinutesItem, errata: list[ErratumLine], style: dict) -> list[Flowable]:
    title = f"{item.number}. {item.title}"
    if item.presenter:
        title += f" ({item.presenter})"
    story: list[Flowable] = [para(title, style["item"])]
    if item.quorum_note:
        story.append(para(item.quorum_note, style["small"]))
    for declaration in item.declarations:
        story.append(para(f"Interest declared: {declaration}", style["small"]))
    if item.minutes.strip():
        story += [para(block, style["text"]) for block in item.minutes.strip().split("\n\n")]
    story += [_decision(d, style) for d in item.decisions]
    story += [_action(a, style) for a in item.actions]
    story += [_erratum(e, style) for e in errata]
    return story


def _signature_block(minutes: Minutes, style: dict) -> list[Flowable]:
    signer = minutes.signed_by if minutes.signed_on else SIGNATURE_LINE
    day = format_date(minutes.signed_on) if minutes.signed_on else DATE_LINE
    lines: list[Flowable] = [Spacer(1, 8 * mm)]
    if minutes.approved_on is not None:
        at = f" at {minutes.approved_at}" if minutes.approved_at else ""
        lines.append(para(f"Approved{at} on {format_date(minutes.approved_on)}.", style["body"]))
        lines.append(Spacer(1, 4 * mm))
    # "Signed as a correct record: ______ Chair   Date: ______" as one row of a table, so the
    # name (once signed) sits on the line where the chair signs.
    row = [
        para("Signed as a correct record:", style["body"]),
        para(signer, style["body"]),
        para(minutes.chair_label, style["body"]),
        para("Date:", style["body"]),
        para(day, style["body"]),
    ]
    block = Table([row], colWidths=[45 * mm, 60 * mm, 18 * mm, 12 * mm, 35 * mm], hAlign="LEFT")
    block.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 10),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    lines.append(block)
    return [KeepTogether(lines)]


def minutes_story(minutes: Minutes) -> list[Flowable]:
    style = styles()
    heading = minutes.heading
    status = minutes.status + (" (not yet approved)" if minutes.draft else "")
    held = f"held on {heading.when}" + (
        f", at {heading.place}" if heading.venue or heading.online_link else ""
    )
    story: list[Flowable] = [
        SectionStart(),
        para(f"Minutes: {heading.title}", style["title"]),
        Spacer(1, 1.5 * mm),
        para(f"{heading.company}: {heading.body_name}", style["subtitle"]),
        para(f"Meeting {held}.", style["body"]),
        para(f"Status: {status}", style["warning" if minutes.draft else "small"]),
    ]
    if minutes.chair:
        story.append(para(f"In the chair: {minutes.chair}", style["body"]))
    if minutes.circulated_on is not None:
        story.append(para(f"Circulated {format_date(minutes.circulated_on)}.", style["small"]))
    present_title = (
        "Members present (voting)"
        if not minutes.general_meeting
        else ("Members present (voting, in person or by proxy)")
    )
    story += _people(present_title, minutes.present, style)
    story += _people("In attendance", minutes.in_attendance, style)
    story += _people("Apologies", minutes.apologies, style)
    story += _people("Absent", minutes.absent, style)
    story += [para("Quorum", style["heading"]), para(minutes.quorum, style["text"])]
    story.append(para("Declarations of interest", style["heading"]))
    if minutes.declarations:
        story += [para(d, style["indented"]) for d in minutes.declarations]
    else:
        story.append(para("None were declared.", style["text"]))
    if minutes.matters_arising:
        story.append(para("Matters arising: actions carried forward", style["heading"]))
        rows = [
            [
                a.text + (f"\nRaised at {a.raised_at}" if a.raised_at else ""),
                a.owner,
                a.due_label,
                para(
                    a.state + (f"\n{a.progress}" if a.progress else ""),
                    style["cell_warning" if a.overdue else "cell"],
                ),
            ]
            for a in minutes.matters_arising
        ]
        story.append(
            table(
                ("Action", "Owner", "Due", "Status"),
                rows,
                (85 * mm, 35 * mm, 20 * mm, 30 * mm),
                style,
                "",
            )
        )
    story.append(para("Business", style["heading"]))
    by_item: dict[int | None, list[ErratumLine]] = {}
    for erratum in minutes.errata:
        by_item.setdefault(erratum.item, []).append(erratum)
    known = {item.number for item in minutes.items}
    for item in minutes.items:
        story += _item(item, by_item.get(item.number, []), style)
    if minutes.other_actions:
        story.append(para("Other actions", style["heading"]))
        story += [_action(a, style) for a in minutes.other_actions]
    loose = [e for key, found in by_item.items() if key not in known for e in found]
    if loose:
        story.append(para("Errata", style["heading"]))
        story += [_erratum(e, style) for e in loose]
    if minutes.notes.strip():
        story += [para("Notes", style["heading"]), para(minutes.notes.strip(), style["text"])]
    story += _signature_block(minutes, style)
    return story


def minutes_pdf_bytes(minutes: Minutes, letterhead: Letterhead) -> bytes:
    document = GovernanceDocument(
        io.BytesIO(), letterhead, f"Minutes: {minutes.heading.label}", draft=minutes.draft
    )
    return pdf_bytes(document, minutes_story(minutes))

"""The selected school's details, as the HTML shown in the pane beside the Schools table."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from thep_desktop.domain.dates import format_date
from thep_desktop.domain.ofsted import NOT_YET_INSPECTED
from thep_desktop.models import SchoolStatus
from thep_desktop.services.schools.schools_service import SchoolDetail

if TYPE_CHECKING:
    from thep_desktop.services.letters.letters_service import CorrespondenceRow
    from thep_desktop.services.schools.ofsted_service import InspectionDetail
    from thep_desktop.services.schools.school_census import CensusFigure

LETTER_LINK = "letter"  # letter:ID opens that letter as it was sent


def detail_html(
    d: SchoolDetail,
    letters: Sequence[CorrespondenceRow] = (),
    census: Sequence[CensusFigure] = (),
    inspections: Sequence[InspectionDetail] | None = None,
) -> str:
    """The selected school as a short, readable page (every value escaped).

    ``letters``: the school's correspondence, newest first, each a link that opens it.
    ``census``: the pupil figures kept for the school, the newest census first.
    ``inspections``: its Ofsted history, newest first (None: GIAS's last rating is shown).
    """

    def e(value: object) -> str:
        return html.escape(str(value)) if value not in (None, "") else ""

    def row(label: str, value: str) -> str:
        if not value:
            return ""
        return f"<tr><td style='color:#555; padding-right:8px'>{e(label)}</td><td>{value}</td></tr>"

    status = e(d.status.label)
    if d.status == SchoolStatus.CLOSED and d.close_date:
        status += f" since {format_date(d.close_date)}"
    elif d.open_date:
        status += f" (opened {format_date(d.open_date)})"
    if d.closes_later and d.close_date:
        status += f"<br><b>Closes on {format_date(d.close_date)}</b>"
    pupils = ""
    if census:
        # Every census kept, newest first: fees use the figure at a schedule's census date.
        pupils = ",<br>".join(f"{f.pupils:,} (census {format_date(f.census_date)})" for f in census)
    elif d.pupils_on_roll is not None:
        pupils = f"{d.pupils_on_roll:,}"
        if d.pupils_census_date:
            pupils += f" (census {format_date(d.pupils_census_date)})"
    head = d.head_teacher
    if d.head_job_title and head:
        head += f" ({d.head_job_title})"
    ofsted = e(d.ofsted_grade)
    if d.ofsted_date:
        ofsted += f" ({format_date(d.ofsted_date)})"
    if inspections is not None:
        # The history as Ofsted published it, newest first.
        ofsted = ",<br>".join(
            f"{format_date(i.inspected_on)}: {e(i.kind.words)}, {e(i.outcome_words)}"
            for i in inspections
        ) or e(NOT_YET_INSPECTED)
    parts = [f"<h3 style='margin-bottom:2px'>{e(d.name)}</h3>"]
    if d.causing_concern:
        parts.append("<p style='color:#b00020; margin:2px'><b>School causing concern</b></p>")
    parts.append("<table cellspacing='2'>")
    parts += [
        row("URN", e(d.urn)),
        row("DfE number", e(d.laestab)),
        row("Type", e(d.establishment_type)),
        row("Phase", e(d.phase)),
        row("Status", status),
        row("Ages", e(d.age_range)),
        row("Pupils", pupils),
        row("Trust", e(d.trust)),
        row("Diocese", e(d.diocese)),
        row("Religious character", e(d.religious_character)),
        row("Address", "<br>".join(e(line) for line in d.address_lines)),
        row("Phone", e(d.phone)),
        row("Email", e(d.email)),
        row("Website", e(d.website)),
        row("Head teacher", e(head)),
        row("Chair of governors", e(d.chair_of_governors)),
        row("Ofsted", ofsted),
        row("Link officer", e(d.link_officer_name)),
    ]
    parts.append("</table>")
    if d.contacts:
        parts.append("<h4 style='margin-bottom:2px'>Contacts</h4><table cellspacing='2'>")
        for c in d.contacts:
            reach = " · ".join(e(v) for v in (c.email, c.phone) if v)
            parts.append(
                f"<tr><td><b>{e(c.full_name)}</b><br><span style='color:#555'>{e(c.role)}"
                f"</span></td><td style='padding-left:8px'>{reach}</td></tr>"
            )
        parts.append("</table>")
    if d.notes:
        notes = "<br>".join(e(line) for line in d.notes.splitlines())
        parts.append(f"<h4 style='margin-bottom:2px'>Notes</h4><p>{notes}</p>")
    if letters:
        parts.append("<h4 style='margin-bottom:2px'>Letters sent</h4><table cellspacing='2'>")
        for letter in letters:
            sent = letter.sent_at.astimezone()
            to = letter.recipient_name
            if letter.recipient_role and letter.recipient_role.casefold() not in to.casefold():
                to += f" ({letter.recipient_role})"
            what = letter.subject or letter.template_name
            parts.append(
                f"<tr><td style='padding-right:8px; color:#555'>{format_date(sent.date())}</td>"
                f"<td><a href='{LETTER_LINK}:{letter.id}'>{e(what)}</a><br>"
                f"<span style='color:#555'>to {e(to)} · by {e(letter.sent_by)}</span></td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append(
            "<h4 style='margin-bottom:2px'>Letters sent</h4>"
            "<p style='color:#777; margin-top:0'>None yet: letters made with Letters &gt; Mail "
            "merge are kept here.</p>"
        )
    when = d.updated_at.astimezone()
    parts.append(
        f"<p style='color:#777'>Last changed by {e(d.updated_by)} on "
        f"{format_date(when.date())} at {when:%H:%M}</p>"
    )
    return "".join(parts)

"""The words of a notice of meeting: what is given notice of, the business, the voting rights,
the proxy note; and each member's notice as a letter for the letters' engine."""

from __future__ import annotations

from thep_desktop.domain.dates import format_long_date
from thep_desktop.reports.governance.governance_papers import (
    AgendaEntry,
    Notice,
    NoticeRecipient,
)
from thep_desktop.reports.letters.letter_data import Letter

FULL_MEMBER_VOTES = (
    "As a full member your school has one vote; it may appoint a proxy to attend and vote instead."
)
ASSOCIATE_MEMBER_VOTES = "As an associate member you may attend but do not vote."
# Companies Act 2006 s 324 (a member may appoint a proxy) and s 327 (no more than 48 hours
# may be required for the appointment to arrive).
PROXY_NOTE = (
    "Proxies: a member entitled to attend and vote may appoint a proxy to attend, speak and "
    "vote instead of it; a proxy need not be a member. The appointment must be made in writing, "
    "signed on behalf of the member, and reach the Company Secretary at the registered office "
    "(or by email) at least 48 hours before the meeting."
)


def meeting_words(notice: Notice) -> str:
    """``the Annual General Meeting of Tower Hamlets Education Partnership``."""
    heading = notice.heading
    if notice.general_meeting:
        return f"the {heading.title} of {heading.company}"
    words = f"a meeting of the {heading.body_name} of {heading.company}"
    if heading.title and heading.title.casefold() != heading.body_name.casefold():
        words += f" ({heading.title})"
    return words


def given_words(notice: Notice) -> str:
    """``NOTICE IS HEREBY GIVEN that … will be held at … on … for the following business:``."""
    heading = notice.heading
    return (
        f"NOTICE IS HEREBY GIVEN that {meeting_words(notice)} will be held at {heading.place} "
        f"on {heading.when} for the following business:"
    )


def business_lines(items: tuple[AgendaEntry, ...]) -> str:
    """The agenda items, one numbered line each."""
    if not items:
        return "The business will be set out in the agenda, to follow."
    return "\n".join(f"{item.number}. {item.title}" for item in items)


def notice_body(notice: Notice, recipient: NoticeRecipient | None = None) -> str:
    """The notice's text (paragraphs separated by a blank line), with the recipient's voting
    rights when it goes to a member."""
    parts = [given_words(notice), business_lines(notice.items)]
    if recipient is not None:
        if recipient.full_member:
            parts.append(FULL_MEMBER_VOTES)
        else:
            parts.append(ASSOCIATE_MEMBER_VOTES)
    if notice.general_meeting:
        parts.append(PROXY_NOTE)
    return "\n\n".join(parts)


def notice_letter(notice: Notice, recipient: NoticeRecipient) -> Letter:
    """One member's notice, as a letter on the letterhead to its head at its address."""
    role = notice.signatory_role or "Company Secretary"
    return Letter(
        recipient=recipient.address,
        date=notice.dated,
        salutation=recipient.salutation,
        subject=f"{notice.title}: {notice.heading.when}",
        body=notice_body(notice, recipient),
        our_ref=recipient.reference,
        sign_off=notice.given_by,
        signatory=notice.signatory,
        signatory_role=f"{role}, {format_long_date(notice.dated)}",
        recipient_label=recipient.member_name,
    )

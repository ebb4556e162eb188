"""``thep-admin governance …``: the bodies, their meetings, the action tracker, the directors."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any, TextIO

from thep_desktop.cli.governance import governance_render_commands
from thep_desktop.cli.governance.governance_options import BODY_HELP, academic_year, find_body
from thep_desktop.cli.shared.output import (
    Column,
    parse_date,
    plural,
    text_value,
    write_fields,
    write_json,
    write_table,
)
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import MinutesStatus, Voters
from thep_desktop.services.governance.governance_data import (
    ActionDetail,
    ActionFilter,
    BodyDetail,
    DirectorEntry,
    MeetingSummary,
    time_label,
)
from thep_desktop.services.registry import Services


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    governance = commands.add_parser(
        "governance",
        help="governance: bodies, meetings, actions, directors, documents",
        description="Governance: the Board, the Advisory Council, the general meeting of "
        "members and any committee; their meetings with notice and minutes, the actions "
        "agreed at them, the register of directors, and the documents (notice, agenda, "
        "minutes, logs).",
    )
    actions = governance.add_subparsers(dest="governance_command", metavar="COMMAND", required=True)

    bodies = actions.add_parser(
        "bodies",
        parents=[common],
        help="the bodies and their rules: who votes, quorum, notice, frequency",
        description="Every body with its code, who votes, its quorum rule, the clear days of "
        "notice its meetings need, how often it must meet, its voting members today and "
        "the meetings recorded.",
    )
    bodies.add_argument("--json", action="store_true", help="print JSON instead of text")
    bodies.set_defaults(run=list_bodies, database="existing")

    meetings = actions.add_parser(
        "meetings",
        parents=[common],
        help="the meetings, newest first: notice, minutes, decisions, open actions",
        description="The meetings, newest first: date and time, body, title and venue; the "
        "notice sent and the clear days it gave against those the body needs (short notice "
        "is marked); where the minutes have got to; the decisions taken and the actions "
        "raised there still open.",
    )
    meetings.add_argument("--body", metavar="NAME", help=BODY_HELP)
    meetings.add_argument("--year", metavar="YEAR", help="only this academic year, e.g. 2025/26")
    meetings.add_argument("--json", action="store_true", help="print JSON instead of a table")
    meetings.set_defaults(run=list_meetings, database="existing")

    tracker = actions.add_parser(
        "actions",
        parents=[common],
        help="the action tracker: every action, its owner, due date and status",
        description="The actions agreed at meetings, due date first (undated last): owner, "
        "status, the body and the meeting that raised them, when they were closed, and "
        "whether they are overdue today.",
    )
    tracker.add_argument("--open", action="store_true", help="only actions still open")
    tracker.add_argument(
        "--overdue", action="store_true", help="only open actions whose due date has passed"
    )
    tracker.add_argument("--body", metavar="NAME", help=BODY_HELP)
    tracker.add_argument("--json", action="store_true", help="print JSON instead of a table")
    tracker.set_defaults(run=list_actions, database="existing")

    directors = actions.add_parser(
        "directors",
        parents=[common],
        help="the register of directors as at a date",
        description="The register of directors (Companies Act 2006 s.162) as it stood on a "
        "date: the directors then, then former directors with the date each ceased.",
    )
    directors.add_argument(
        "--as-at", type=parse_date, metavar="DATE", help="the register on this day (today)"
    )
    directors.add_argument("--json", action="store_true", help="print JSON instead of text")
    directors.set_defaults(run=list_directors, database="existing")

    governance_render_commands.add_render_command(actions, common)


def demo_summary(services: Services) -> str:
    """``3 bodies; 18 meetings (6 draft, 3 circulated, 9 signed); 18 actions (7 open,
    5 overdue)`` (the demo's closing summary)."""
    actor = services.actor
    bodies = services.governing_bodies.list_bodies(actor)
    meetings = services.meetings.list_meetings(actor)
    actions = services.governance_actions.list_actions(actor, ActionFilter())
    today = date.today()
    statuses = ", ".join(
        f"{sum(1 for m in meetings if m.minutes_status is status)} {status.label.lower()}"
        for status in MinutesStatus
        if any(m.minutes_status is status for m in meetings)
    )
    still_open = sum(1 for a in actions if a.is_open)
    overdue = sum(1 for a in actions if a.overdue(today))
    return (
        f"{len(bodies):,} {'body' if len(bodies) == 1 else 'bodies'}; "
        f"{plural(len(meetings), 'meeting')} ({statuses or 'none'}); "
        f"{plural(len(actions), 'action')} ({still_open:,} open, {overdue:,} overdue)"
    )


# -- bodies ----------------------------------------------------------------------------------
def list_bodies(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    bodies = services.governing_bodies.list_bodies(services.actor)
    if args.json:
        write_json({"bodies": [_body_json(b) for b in bodies], "count": len(bodies)}, out)
        return 0
    if not bodies:
        out.write(
            "There are no governing bodies yet; add them in the Governance tab of the desktop "
            "program.\n"
        )
        return 0
    for index, body in enumerate(bodies):
        if index:
            out.write("\n")
        retired = "" if body.active else ", retired"
        out.write(f"{body.name} ({body.code}, {body.kind.label}{retired})\n")
        write_fields(
            [
                ("Who votes", body.voters.label),
                ("Quorum", body.quorum.label),
                ("Notice", f"{plural(body.notice_clear_days, 'clear day')}"),
                ("Frequency", body.frequency_label),
                ("Voting members", _voting_members(body)),
                ("Meetings", str(body.meetings) if body.meetings else "none yet"),
            ],
            out,
            indent="  ",
        )
    return 0


def _voting_members(body: BodyDetail) -> str:
    if body.voters is Voters.MEMBER_SCHOOLS:
        return f"{plural(body.voting_members, 'member school')} entitled to vote today"
    return f"{body.voting_members:,} in office today"


def _body_json(body: BodyDetail) -> dict[str, Any]:
    rule = body.quorum
    return {
        "id": body.id,
        "name": body.name,
        "code": body.code,
        "kind": body.kind,
        "active": body.active,
        "voters": body.voters,
        "who_votes": body.voters.label,
        "quorum": rule.label,
        "quorum_number": rule.number,
        "quorum_fraction": (
            f"{rule.numerator}/{rule.denominator}" if rule.numerator is not None else None
        ),
        "quorum_minimum": rule.minimum,
        "observers_count": rule.observers_count,
        "notice_clear_days": body.notice_clear_days,
        "frequency": body.frequency,
        "min_meetings": body.min_meetings,
        "frequency_words": body.frequency_label,
        "voting_members": body.voting_members,
        "meetings": body.meetings,
        "notes": body.notes,
    }


# -- meetings --------------------------------------------------------------------------------
def list_meetings(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    body = find_body(services, args.body) if args.body else None
    year = academic_year(args.year) if args.year else None
    meetings = services.meetings.list_meetings(
        services.actor, body_id=body.id if body is not None else None, year=year
    )
    if args.json:
        write_json(
            {
                "body": body.name if body is not None else None,
                "year": year.label if year is not None else None,
                "meetings": [_meeting_json(m) for m in meetings],
                "count": len(meetings),
            },
            out,
        )
        return 0
    if not meetings:
        what = " of " + body.name if body is not None else ""
        when = f" in {year.label}" if year is not None else ""
        out.write(f"No meetings{what}{when} are recorded.\n")
        return 0
    write_table(
        [
            Column("Id", right=True),
            Column("Date"),
            Column("Time"),
            Column("Body"),
            Column("Title"),
            Column("Venue"),
            Column("Notice sent"),
            Column("Clear days"),
            Column("Short"),
            Column("Minutes"),
            Column("Decisions", right=True),
            Column("Open actions", right=True),
        ],
        (
            [
                str(m.id),
                format_date(m.meets_on),
                time_label(m.starts_at),
                m.body_code,
                m.title + (" (cancelled)" if m.cancelled else ""),
                _place(m),
                text_value(m.notice.sent_on),
                _clear_days(m),
                "Short" if m.notice.short else "",
                m.minutes_status.label,
                str(m.decisions),
                str(m.open_actions),
            ]
            for m in meetings
        ),
        out,
    )
    short = sum(1 for m in meetings if m.notice.short)
    tail = f"; {plural(short, 'meeting')} with short notice" if short else ""
    out.write(f"\n{plural(len(meetings), 'meeting')}{tail}.\n")
    return 0


def _clear_days(meeting: MeetingSummary) -> str:
    """``9 of 7`` (given of needed), or ``- of 7`` before the notice is sent."""
    notice = meeting.notice
    given = "-" if notice.given is None else str(max(notice.given, 0))
    return f"{given} of {notice.required}"


def _place(meeting: MeetingSummary) -> str:
    """The venue's first part (the building), enough to tell meetings apart in a table; an
    online meeting's link (the list gives it when there is no venue) as "Online"."""
    venue = _one_line(meeting.venue)
    if "://" in venue:
        return "Online"
    return venue.split(",")[0].strip()


def _one_line(text: str) -> str:
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())


def _meeting_json(meeting: MeetingSummary) -> dict[str, Any]:
    notice = meeting.notice
    return {
        "id": meeting.id,
        "date": meeting.meets_on,
        "time": time_label(meeting.starts_at) or None,
        "body": meeting.body_name,
        "body_code": meeting.body_code,
        "kind": meeting.kind,
        "title": meeting.title,
        "venue": meeting.venue,
        "cancelled": meeting.cancelled,
        "notice_sent_on": notice.sent_on,
        "clear_days_given": None if notice.given is None else max(notice.given, 0),
        "clear_days_needed": notice.required,
        "short_notice": notice.short,
        "minutes_status": meeting.minutes_status,
        "decisions": meeting.decisions,
        "open_actions": meeting.open_actions,
    }


# -- actions ---------------------------------------------------------------------------------
def list_actions(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    body = find_body(services, args.body) if args.body else None
    today = date.today()
    found = services.governance_actions.list_actions(
        services.actor,
        ActionFilter(
            body_id=body.id if body is not None else None,
            open_only=bool(args.open or args.overdue),
            overdue_on=today if args.overdue else None,
        ),
    )
    if args.json:
        write_json(
            {
                "as_at": today,
                "body": body.name if body is not None else None,
                "open_only": bool(args.open or args.overdue),
                "overdue_only": bool(args.overdue),
                "actions": [_action_json(a, today) for a in found],
                "count": len(found),
            },
            out,
        )
        return 0
    if not found:
        which = "overdue " if args.overdue else "open " if args.open else ""
        of = f" of {body.name}" if body is not None else ""
        out.write(f"No {which}actions{of} are recorded.\n")
        return 0
    write_table(
        [
            Column("Id", right=True),
            Column("Action"),
            Column("Owner"),
            Column("Due"),
            Column("Status"),
            Column("Body"),
            Column("Raised at"),
            Column("Closed"),
            Column("Overdue"),
        ],
        (
            [
                str(a.id),
                _one_line(a.text),
                a.owner_label,
                text_value(a.due_on),
                a.status.label,
                a.body_name,
                f"{a.meeting_id}: {format_date(a.raised_on)}",
                text_value(a.closed_on),
                "OVERDUE" if a.overdue(today) else "",
            ]
            for a in found
        ),
        out,
    )
    still_open = sum(1 for a in found if a.is_open)
    overdue = sum(1 for a in found if a.overdue(today))
    out.write(
        f"\n{plural(len(found), 'action')}: {still_open:,} open, {overdue:,} overdue on "
        f"{format_date(today)}.\n"
    )
    return 0


def _action_json(action: ActionDetail, today: date) -> dict[str, Any]:
    return {
        "id": action.id,
        "text": action.text,
        "owner": action.owner_label,
        "due_on": action.due_on,
        "status": action.status,
        "progress": action.progress,
        "body": action.body_name,
        "raised_at": {
            "meeting_id": action.meeting_id,
            "date": action.raised_on,
            "meeting": action.meeting_label,
            "item": action.item_position,
        },
        "closed_on": action.closed_on,
        "closed_at_meeting_id": action.closed_at_meeting_id,
        "open": action.is_open,
        "overdue": action.overdue(today),
    }


# -- directors -------------------------------------------------------------------------------
def list_directors(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    as_at = args.as_at or date.today()
    register = services.governance_people.register_of_directors(services.actor, as_at)
    if args.json:
        write_json(
            {
                "as_at": register.as_at,
                "body": register.body_name,
                "directors": [_director_json(e) for e in register.current],
                "former_directors": [_director_json(e) for e in register.former],
                "count": len(register.current),
            },
            out,
        )
        return 0
    out.write(f"Register of directors as at {format_date(register.as_at)}")
    out.write(f" ({register.body_name}):\n\n" if register.body_name else ":\n\n")
    if register.current:
        write_table(
            [
                Column("Name"),
                Column("As"),
                Column("Appointed"),
                Column("How"),
                Column("Occupation"),
                Column("Born"),
            ],
            (
                [
                    e.name,
                    e.capacity.label,
                    format_date(e.appointed_on),
                    e.how_appointed.label,
                    e.occupation,
                    e.born,
                ]
                for e in register.current
            ),
            out,
        )
    else:
        out.write("No directors in office on that day.\n")
    if register.former:
        out.write("\nFormer directors:\n")
        write_table(
            [Column("Name"), Column("Appointed"), Column("Ceased"), Column("Why")],
            (
                [
                    e.name,
                    format_date(e.appointed_on),
                    text_value(e.ceased_on),
                    e.why_ended.label if e.why_ended is not None else "",
                ]
                for e in register.former
            ),
            out,
        )
    out.write(
        f"\n{plural(len(register.current), 'director')} in office, {len(register.former):,} "
        "former.\n"
    )
    return 0


def _director_json(entry: DirectorEntry) -> dict[str, Any]:
    return {
        "name": entry.name,
        "former_names": entry.former_names,
        "service_address": entry.service_address,
        "country_of_residence": entry.country_of_residence,
        "nationality": entry.nationality,
        "occupation": entry.occupation,
        "born": entry.born,
        "capacity": entry.capacity,
        "how_appointed": entry.how_appointed,
        "appointed_on": entry.appointed_on,
        "ceased_on": entry.ceased_on,
        "why_ended": entry.why_ended,
    }

"""``thep-admin governance render …``: a meeting's notice, agenda or minutes, the logs and the
register of directors, as files."""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from thep_desktop.cli.governance.governance_options import BODY_HELP, academic_year, find_body
from thep_desktop.cli.shared.jobs import ProgressLine, ctrl_c_cancels
from thep_desktop.cli.shared.output import CommandError, parse_date, plural, write_json
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.governance import Voters, check_notice, latest_notice_day
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.services.governance.governance_data import MeetingDetail
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import NotFoundError

MEETING_DOCUMENTS = ("minutes", "agenda", "notice")
LOGS = ("decisions", "actions", "directors")
KIND_WORDS = ", ".join(MEETING_DOCUMENTS + LOGS)


def add_render_command(
    actions: argparse._SubParsersAction, common: argparse.ArgumentParser
) -> None:  # type: ignore[type-arg]
    """``governance render``: added by the ``governance`` group to its commands."""
    render = actions.add_parser(
        "render",
        parents=[common],
        help="a meeting's minutes, agenda or notice, a log or the register, as a file",
        description=textwrap.fill(
            "Write a governance document on the letterhead. minutes, agenda and "
            "notice take a MEETING_ID (the Id column of `governance meetings`); the notice of a "
            "general meeting goes to every member school, one page each. decisions and actions "
            "are the decision log and the action log: as .pdf, or as .xlsx a workbook with a "
            "Decisions sheet and an Actions sheet. directors is the register of directors as at "
            "a date. The file is written whole or not at all.",
            width=79,
        ),
        epilog="examples:\n"
        "  thep-admin governance render minutes 12 --out minutes.pdf\n"
        "  thep-admin governance render notice 15 --out agm-notice.pdf\n"
        "  thep-admin governance render decisions --body B --year 2025/26 --out log.pdf\n"
        "  thep-admin governance render actions --open --out actions.pdf\n"
        "  thep-admin governance render directors --as-at 31/03/2026 --out directors.pdf",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    render.add_argument("kind", metavar="KIND", help=f"one of: {KIND_WORDS}")
    render.add_argument(
        "meeting", nargs="?", metavar="MEETING_ID", help="the meeting (minutes, agenda, notice)"
    )
    render.add_argument(
        "--out", required=True, type=Path, metavar="FILE.pdf", help="the file to write"
    )
    render.add_argument("--body", metavar="NAME", help=f"decisions, actions: {BODY_HELP}")
    render.add_argument(
        "--year", metavar="YEAR", help="decisions: only this academic year, e.g. 2025/26"
    )
    render.add_argument("--open", action="store_true", help="actions: only those still open")
    render.add_argument(
        "--as-at",
        type=parse_date,
        metavar="DATE",
        help="directors: the register on this day; actions: overdue as at this day (today)",
    )
    render.add_argument("--json", action="store_true", help="print what was written as JSON")
    render.set_defaults(run=render_document, database="existing")


def render_document(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    kind = args.kind.strip().casefold()
    if kind not in MEETING_DOCUMENTS + LOGS:
        raise CommandError(f"{args.kind!r} is not a document; choose from {KIND_WORDS}.")
    target: Path = args.out
    suffix = target.suffix.casefold()
    if kind in ("decisions", "actions"):
        if suffix not in (".pdf", ".xlsx"):
            raise CommandError(
                f"--out must be a file ending .pdf or .xlsx ({target.name} is neither)."
            )
    elif suffix != ".pdf":
        raise CommandError(f"--out must be a file ending .pdf ({target.name} is not).")
    _refuse_options(kind, args)
    if kind in MEETING_DOCUMENTS:
        report = _meeting_document(services, kind, args, target)
    else:
        report = _log(services, kind, args, target)
    said = report.pop("said")
    if args.json:
        write_json({"document": kind, "file": str(target), **report}, out)
    else:
        out.write(f"{said} written to {target}.\n")
        if report.get("recorded"):
            out.write("Each notice is kept in the member's correspondence.\n")
    return 0


def _refuse_options(kind: str, args: argparse.Namespace) -> None:
    """An option the document does not take is an error, not silently ignored."""
    if kind in MEETING_DOCUMENTS:
        if args.meeting is None:
            raise CommandError(
                f"Name the meeting: {kind} MEETING_ID (see the Id column of: thep-admin "
                "governance meetings)."
            )
        given = [
            option
            for option, value in (
                ("--body", args.body),
                ("--year", args.year),
                ("--open", args.open),
                ("--as-at", args.as_at),
            )
            if value
        ]
    else:
        if args.meeting is not None:
            raise CommandError(f"The {kind} document takes no meeting ({args.meeting!r}).")
        allowed = {
            "decisions": ("--body", "--year"),
            "actions": ("--body", "--open", "--as-at"),
            "directors": ("--as-at",),
        }[kind]
        given = [
            option
            for option, value in (
                ("--body", args.body),
                ("--year", args.year),
                ("--open", args.open),
                ("--as-at", args.as_at),
            )
            if value and option not in allowed
        ]
    if given:
        raise CommandError(f"The {kind} document does not take {', '.join(given)}.")


def _meeting_id(text: str) -> int:
    try:
        number = int(text.strip().removeprefix("#"))
    except ValueError:
        raise CommandError(
            f"{text!r} is not a meeting's id: give the number in the Id column of: thep-admin "
            "governance meetings."
        ) from None
    if number < 1:
        raise CommandError(f"{text!r} is not a meeting's id.")
    return number


def _meeting_document(
    services: Services, kind: str, args: argparse.Namespace, target: Path
) -> dict[str, Any]:
    actor = services.actor
    documents = services.governance_documents
    meeting_id = _meeting_id(args.meeting)
    # Read first, so that a wrong id is refused in the command line's words (and before the
    # notice's progress line starts).
    try:
        meeting = services.meetings.get_meeting(actor, meeting_id)
    except NotFoundError:
        raise CommandError(
            f"There is no meeting {meeting_id}; see the Id column of: thep-admin governance "
            "meetings."
        ) from None
    if kind == "notice":
        warning = _notice_warning(meeting)
        if warning:
            print(f"Warning: {warning}", file=sys.stderr)
        line = ProgressLine(sys.stderr, "Notice of meeting", meeting.label)
        progress = Progress(line.report)
        try:
            with ctrl_c_cancels(progress):
                count = documents.notice(actor, meeting.id, target, progress)
        except Cancelled:
            raise KeyboardInterrupt from None  # nothing written; exit as any Ctrl+C does
        finally:
            line.finish()
        general = meeting.body.voters is Voters.MEMBER_SCHOOLS
        said = f"Notice of {meeting.label}: {plural(count, 'notice')}"
        extra: dict[str, Any] = {"notices": count, "recorded": general}
    elif kind == "agenda":
        meeting = documents.agenda(actor, meeting_id, target)
        said, extra = f"Agenda of {meeting.label}", {}
    else:
        meeting = documents.minutes(actor, meeting_id, target)
        status = meeting.minutes_status
        said = f"Minutes of {meeting.label} ({status.label.lower()})"
        extra = {"minutes_status": status}
    return {
        "meeting_id": meeting.id,
        "meeting": meeting.label,
        "title": meeting.title,
        "date": meeting.meets_on,
        **extra,
        "said": said,
    }


def _notice_warning(meeting: MeetingDetail) -> str:
    """Words when a notice sent today comes too late: the meeting is past, or notice short."""
    today = date.today()
    if meeting.meets_on <= today:
        return f"{meeting.label} is not ahead: notice can no longer be given for it."
    check = check_notice(today, meeting.meets_on, meeting.body.notice_clear_days)
    if not check.short:
        return ""
    last = format_date(latest_notice_day(meeting.meets_on, check.required))
    return (
        f"Sent today, the notice gives {max(check.given or 0, 0)} clear days; the "
        f"{meeting.body.name} needs {check.required} (it had to go by {last})."
    )


def _log(services: Services, kind: str, args: argparse.Namespace, target: Path) -> dict[str, Any]:
    actor = services.actor
    documents = services.governance_documents
    body = find_body(services, args.body) if args.body else None
    body_id = body.id if body is not None else None
    report: dict[str, Any] = {"body": body.name if body is not None else None}
    of = f" of {body.name}" if body is not None else ""
    if kind == "directors":
        as_at = args.as_at or date.today()
        count = documents.directors_register(actor, as_at, target)
        report["as_at"] = as_at
        report["entries"] = count
        entries = "1 entry" if count == 1 else f"{count:,} entries"
        report["said"] = f"Register of directors as at {format_date(as_at)} ({entries})"
        return report
    if target.suffix.casefold() == ".xlsx":
        year = academic_year(args.year) if args.year else None
        if kind == "actions" and (args.open or args.as_at):
            raise CommandError(
                "The workbook holds every decision and action; --open and --as-at are for the "
                "PDF action log."
            )
        decisions, actions = documents.decisions_and_actions_xlsx(
            actor, target, body_id=body_id, year=year
        )
        report["year"] = year.label if year is not None else None
        report["decisions"], report["actions"] = decisions, actions
        report["said"] = (
            f"Decisions and actions{of} ({plural(decisions, 'decision')}, "
            f"{plural(actions, 'action')})"
        )
        return report
    if kind == "decisions":
        year = academic_year(args.year) if args.year else None
        count = documents.decision_log(actor, target, body_id=body_id, year=year)
        report["year"] = year.label if year is not None else None
        report["decisions"] = count
        when = f" in {year.label}" if year is not None else ""
        report["said"] = f"Decision log{of}{when} ({plural(count, 'decision')})"
        return report
    as_at = args.as_at or date.today()
    count = documents.action_log(
        actor, target, body_id=body_id, open_only=bool(args.open), as_at=as_at
    )
    report["open_only"] = bool(args.open)
    report["as_at"] = as_at
    report["actions"] = count
    which = "open action" if args.open else "action"
    report["said"] = f"Action log ({plural(count, which)}{of}, as at {format_date(as_at)})"
    return report

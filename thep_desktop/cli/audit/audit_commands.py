"""``thep-admin audit``: read the audit trail, search it, or export it to Excel."""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path

from thep_desktop.audit_trail import Action
from thep_desktop.cli.shared.output import (
    Column,
    CommandError,
    parse_date,
    plural,
    write_json,
    write_table,
)
from thep_desktop.services.audit.audit_service import (
    DEFAULT_LIMIT,
    AuditEntry,
    AuditFilters,
    json_entry,
)
from thep_desktop.services.registry import Services

ACTIONS = tuple(action.value for action in Action)


def _record(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not a record's id: it looks like 1b4e28ba-2fa1-11d2-883f-0016d3cca427 "
            "(the History window and --json show each record's)"
        ) from None


def _limit(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"--limit takes a whole number from 1 up, not “{text}”")
    return number


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    audit = commands.add_parser(
        "audit",
        parents=[common],
        help="read the audit trail: who did what, and when",
        description="List the audit trail's events, newest first: every record created, "
        "changed, closed or deleted, every import, letter run, login, role change and refusal. "
        "--record lists one record's history (anyone may); everything else is for "
        "administrators.",
    )
    audit.add_argument("--record", metavar="UUID", type=_record, help="one record's history")
    audit.add_argument("--who", metavar="LOGIN", default="", help="only what LOGIN did")
    audit.add_argument(
        "--action",
        metavar="A",
        action="append",
        choices=ACTIONS,
        default=[],
        help=f"only this kind of event (may be given again): {', '.join(ACTIONS)}",
    )
    audit.add_argument("--since", metavar="DATE", type=parse_date, help="from this day on")
    audit.add_argument("--until", metavar="DATE", type=parse_date, help="up to this day")
    audit.add_argument("--search", metavar="TEXT", default="", help="text in the record or values")
    audit.add_argument(
        "--limit",
        metavar="N",
        type=_limit,
        default=DEFAULT_LIMIT,
        help=f"show at most N events (default {DEFAULT_LIMIT})",
    )
    audit.add_argument("--json", action="store_true", help="print JSON instead of text")
    audit.add_argument(
        "--xlsx", metavar="FILE", type=Path, help="write every matching event to an Excel file"
    )
    audit.set_defaults(run=run_audit, database="existing")


def run_audit(services: Services, args: argparse.Namespace) -> int:
    actor, service = services.actor, services.audit
    filters = AuditFilters(
        text=args.search,
        who=args.who,
        actions=tuple(args.action),
        date_from=args.since,
        date_to=args.until,
        record_uuid=args.record,
    )
    searching = filters != AuditFilters(record_uuid=args.record)
    if args.record is not None and not searching:
        # Anyone who can see a record sees its history (and what belongs to it).
        entries = service.history(actor, args.record)
        if args.xlsx:
            count = service.export(actor, entries, args.xlsx, title="History")
            print(f"Wrote {plural(count, 'event')} to {args.xlsx}.")
            return 0
        total = len(entries)
        entries = entries[: args.limit]
    else:
        if args.xlsx:
            count = service.export(actor, filters, args.xlsx)
            print(f"Wrote {plural(count, 'event')} to {args.xlsx}.")
            return 0
        page = service.search_filters(actor, filters, limit=args.limit)
        entries, total = page.entries, page.total
    if args.json:
        write_json({"total": total, "events": [json_entry(e) for e in entries]}, sys.stdout)
        return 0
    if not entries:
        if args.record is not None and not searching:
            raise CommandError(f"The audit trail has nothing about record {args.record}.")
        print("No events match.")
        return 0
    _print(entries, sys.stdout)
    shown = f"; showing the newest {len(entries):,}" if len(entries) < total else ""
    print(f"{plural(total, 'event')}{shown}.")
    return 0


def _print(entries: list[AuditEntry], out: object) -> None:
    rows = []
    for entry in entries:
        changes = entry.changes_text.replace("\n", "; ")
        rows.append(
            [
                str(entry.seq),
                f"{entry.when:%d/%m/%Y %H:%M}",
                entry.who,
                entry.action_words,
                entry.what,
                changes if len(changes) <= 80 else changes[:79] + "…",
            ]
        )
    columns = [
        Column("No.", right=True),
        Column("When"),
        Column("Who"),
        Column("What"),
        Column("Record"),
        Column("Changes"),
    ]
    write_table(columns, rows, out)  # type: ignore[arg-type]

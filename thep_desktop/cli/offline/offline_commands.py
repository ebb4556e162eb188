"""``thep-admin offline``: take an offline copy from the office's server, read it, synchronise it.

JSON keys (the same in every offline command):

- the copy: ``file``, ``copy_id``, ``server`` (host:port / database), ``server_url`` (its
  postgresql:// address, never with a password), ``login``, ``role``, ``schema_revision``,
  ``taken_at``, ``base_at`` (when the copy last matched the office), ``last_synced_at``
  (null: never), ``syncs``;
- a change: ``table``, ``uuid``, ``label``, ``kind`` (new, changed, deleted), ``fields`` (the
  fields changed), ``description`` (the sentence the text output shows);
- a conflict: ``table``, ``uuid``, ``label``, ``kind`` (both_changed, closed, deleted_here,
  deleted_at_office), ``whole_record`` (kept or deleted as one), ``description``, ``fields``:
  each ``name``, ``original``, ``mine`` and ``theirs`` (dates and times ISO, money "412.50",
  references to other records as their uuid, null where absent).

Each command's JSON is the copy's keys and: ``checkout``: ``records`` (records per area of the
office: school, staff, memberships, invoices, peer_reviews, governance, letters,
organisation, users) and ``records_total``; ``status``: ``changes`` (waiting to be sent);
``sync --dry-run``: ``dry_run`` (true), ``nothing_to_do``, ``send``, ``receive``,
``conflicts``, ``flags`` (payments recorded in the copy against invoices the office credited
meanwhile, in words); ``sync``: ``synchronised`` (false when refused for conflicts, exit 1),
``sent`` and ``received`` (counts), ``synced_at``, and the lists as for ``--dry-run``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.engine import make_url

from thep_desktop.cli.shared.jobs import ProgressLine, WaitLine
from thep_desktop.cli.shared.output import (
    CommandError,
    plural,
    text_value,
    write_fields,
    write_json,
)
from thep_desktop.connections import with_stored_password
from thep_desktop.database import (
    Database,
    PasswordRefusedError,
    normalise_url,
    sqlite_file_of,
)
from thep_desktop.services.offline.offline_data import (
    Conflict,
    CopyInfo,
    OfflineError,
    RecordChange,
    SyncPlan,
)
from thep_desktop.services.offline.offline_rows import area_words, typed_value
from thep_desktop.services.offline.offline_service import (
    OfflineService,
    copy_info_of,
    records_by_area,
)
from thep_desktop.services.registry import Services, open_services

RESOLVE_IN_PROGRAM = (
    "open the copy in THE Partnership Office and choose, field by field, whose value stands "
    "(File > Synchronise)"
)


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    offline = commands.add_parser(
        "offline",
        parents=[common],
        help="an offline copy to work away from the office: take, see, sync",
        description="An offline copy is a database file of the office's records to work on "
        "without a connection (a laptop away from the office), synchronised back later: what "
        "the copy changed goes to the office, what the office changed comes into the copy, "
        "and a record changed on both sides waits for a person to choose.",
    )
    actions = offline.add_subparsers(dest="offline_command", metavar="ACTION", required=True)

    checkout = actions.add_parser(
        "checkout",
        parents=[common],
        help="write a new offline copy of the office's server database",
        description="Copy every record your role may read from the office's server (--db, or "
        "the database the desktop program used last) into a new SQLite file, recording the "
        "server, the time and a copy id. The file must not exist yet. A database file on "
        "this computer is refused: it needs no offline copy.",
    )
    checkout.add_argument(
        "--out", metavar="FILE", type=Path, required=True, help="the new copy's file"
    )
    checkout.add_argument("--json", action="store_true", help="print JSON instead of text")
    checkout.set_defaults(run=run_checkout, database="address")

    status = actions.add_parser(
        "status",
        help="what an offline copy is and what it has changed (no connection needed)",
        description="Show an offline copy's header (copy id, server, login and role, when it "
        "was taken and last synchronised) and the changes waiting to be sent to the office. "
        "Nothing is connected to and nothing is changed.",
    )
    status.add_argument("file", metavar="FILE", type=Path, help="the offline copy")
    status.add_argument("--json", action="store_true", help="print JSON instead of text")
    status.set_defaults(run=run_status, database="none")

    sync = actions.add_parser(
        "sync",
        help="send a copy's changes to the office and bring the office's into the copy",
        description="Synchronise an offline copy with the office's server it was taken from "
        "(the address recorded in the copy, with the password kept on this computer, in "
        "PGPASSWORD or in .pgpass; or --db, which must be the same office database). "
        "--dry-run shows what would be sent, received and found in conflict, and changes "
        "nothing. Records changed on both sides are conflicts: they are resolved in the "
        "program (File > Synchronise), and sync refuses until then, listing them, with "
        "nothing changed on either side.",
    )
    sync.add_argument("file", metavar="FILE", type=Path, help="the offline copy")
    sync.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="the office's server, when not at the address the copy recorded (a "
        "postgresql:// address; it must be the same office database)",
    )
    sync.add_argument(
        "--dry-run", action="store_true", help="show what would be done, change nothing"
    )
    sync.add_argument("--json", action="store_true", help="print JSON instead of text")
    sync.set_defaults(run=run_sync, database="none")


# -- JSON ---------------------------------------------------------------------------------------
def copy_json(info: CopyInfo) -> dict[str, Any]:
    return {
        "file": str(info.path),
        "copy_id": info.copy_id,
        "server": info.server_words,
        "server_url": server_address(info),
        "login": info.login,
        "role": info.role,
        "schema_revision": info.schema_revision,
        "taken_at": info.taken_at,
        "base_at": info.base_at,
        "last_synced_at": info.synced_at,
        "syncs": info.syncs,
    }


def server_address(info: CopyInfo, password: str | None = None) -> str:
    """The copy's server as a person types it for --db (postgresql://login@host:port/db)."""
    address = make_url(info.server)
    address = address.set(drivername=address.get_backend_name())
    if password is not None:
        address = address.set(password=password)
    return address.render_as_string(hide_password=False)


def change_json(change: RecordChange) -> dict[str, Any]:
    return {
        "table": change.table,
        "uuid": change.uuid,
        "label": change.label,
        "kind": change.kind,
        "fields": list(change.fields),
        "description": change.words,
    }


def conflict_json(conflict: Conflict) -> dict[str, Any]:
    return {
        "table": conflict.table,
        "uuid": conflict.uuid,
        "label": conflict.label,
        "kind": conflict.kind,
        "whole_record": conflict.whole_record,
        "description": conflict.words,
        "fields": [
            {"name": f.name, "original": f.original, "mine": f.mine, "theirs": f.theirs}
            for f in conflict.fields
        ],
    }


def plan_json(plan: SyncPlan) -> dict[str, Any]:
    return {
        "send": [change_json(c) for c in plan.send],
        "receive": [change_json(c) for c in plan.receive],
        "conflicts": [conflict_json(c) for c in plan.conflicts],
        "flags": list(plan.flags),
    }


# -- text ---------------------------------------------------------------------------------------
def _copy_fields(info: CopyInfo) -> list[tuple[str, str]]:
    return [
        ("Offline copy", str(info.path)),
        ("Copy id", info.copy_id),
        ("Office server", info.server_words),
        ("Taken by", f"{info.login} ({info.role})"),
        ("Taken at", text_value(info.taken_at)),
        ("Last synchronised", text_value(info.synced_at) if info.synced_at else "never"),
        ("Synchronisations", str(info.syncs)),
    ]


def _write_changes(heading: str, changes: Sequence[RecordChange], out: TextIO) -> None:
    if not changes:
        return
    out.write(f"{heading} ({len(changes):,}):\n")
    for change in changes:
        out.write(f"  {change.words}\n")


def _shown(conflict: Conflict, name: str, value: Any, absent: str) -> str:
    """A field's value as a person reads it: dates dd/mm/yyyy, money in pounds, Yes/No."""
    if value is None:
        return absent
    if isinstance(value, bool):
        return text_value(value)
    return f"“{text_value(typed_value(conflict.table, name, value))}”"


def write_conflicts(conflicts: Iterable[Conflict], out: TextIO) -> None:
    for conflict in conflicts:
        out.write(f"  {conflict.words}\n")
        absent = "(deleted)" if conflict.whole_record else "(empty)"
        for f in conflict.fields:
            original = _shown(conflict, f.name, f.original, "(empty)")
            mine = _shown(conflict, f.name, f.mine, absent)
            theirs = _shown(conflict, f.name, f.theirs, absent)
            out.write(
                f"      {f.name.replace('_', ' ')}: original {original}; mine {mine}; "
                f"theirs {theirs}\n"
            )


def _write_plan(plan: SyncPlan, out: TextIO) -> None:
    if plan.nothing_to_do and not plan.flags:
        out.write("Nothing to send or receive: the copy and the office agree.\n")
        return
    _write_changes("To send to the office", plan.send, out)
    _write_changes("To receive from the office", plan.receive, out)
    if plan.conflicts:
        out.write(
            f"Conflicts ({len(plan.conflicts):,}), resolved in the program (File > Synchronise):\n"
        )
        write_conflicts(plan.conflicts, out)
    for flag in plan.flags:
        out.write(f"Check: {flag}\n")


# -- checkout -----------------------------------------------------------------------------------
def run_checkout(url: str, args: argparse.Namespace) -> int:
    services: Services | None = None
    if sqlite_file_of(url) is None:
        services, note = open_services(url, lock_notify=WaitLine(sys.stderr))
        if note:
            print(note, file=sys.stderr)
    # A file on this computer is never opened: the service refuses it in its own words.
    server = services.db if services is not None else Database(url)
    try:
        line = (
            ProgressLine(sys.stderr, "Taking an offline copy", str(server.describe()))
            if services is not None
            else None
        )
        try:
            info = OfflineService().checkout(
                server,
                args.out,
                actor=services.actor if services is not None else None,
                steps=(lambda what, done, total: line.report(done, total, what)) if line else None,
            )
        finally:
            if line is not None:
                line.finish()
    finally:
        if services is not None:
            services.close()
        else:
            server.dispose()
    areas = records_by_area(info.path)
    if args.json:
        write_json(
            {
                **copy_json(info),
                "records": areas,
                "records_total": sum(areas.values()),
            },
            sys.stdout,
        )
        return 0
    out = sys.stdout
    write_fields(_copy_fields(info)[:5], out)
    out.write("Records:\n")
    rows = [(area_words(area), f"{count:,}") for area, count in areas.items()]
    rows.append(("In all", f"{sum(areas.values()):,}"))
    width = max(len(words) for words, _ in rows)
    number = max(len(count) for _, count in rows)
    for words, count in rows:
        out.write(f"  {words.ljust(width)}  {count.rjust(number)}\n")
    out.write(
        "Work on it without a connection in the program (File > Open database…); send its "
        f"changes\nback to the office with: thep-admin offline sync {_typed(info.path)}\n"
    )
    return 0


def _typed(path: Path) -> str:
    text = str(path)
    return f'"{text}"' if any(c.isspace() for c in text) else text


# -- status -------------------------------------------------------------------------------------
def run_status(args: argparse.Namespace) -> int:
    info, changes = OfflineService().status(args.file)
    if args.json:
        write_json({**copy_json(info), "changes": [change_json(c) for c in changes]}, sys.stdout)
        return 0
    out = sys.stdout
    write_fields(_copy_fields(info), out)
    if not changes:
        out.write("No changes waiting to be sent to the office.\n")
    else:
        _write_changes("Changes waiting to be sent to the office", changes, out)
    return 0


# -- sync ---------------------------------------------------------------------------------------
def run_sync(args: argparse.Namespace) -> int:
    path: Path = args.file
    info = copy_info_of(path)
    given = getattr(args, "db", None)
    # The recorded address has no password: it comes the way any server's does for
    # thep-admin (kept on this computer, else PGPASSWORD or .pgpass through the driver).
    url = with_stored_password(normalise_url(given) if given else info.server)
    server = Database(url)
    # The office's side waits for anyone else's save: said on stderr, as every command does.
    server.lock_wait.notify = WaitLine(sys.stderr)
    service = OfflineService()
    try:
        try:
            plan = service.preview(path, server)
        except OfflineError as exc:
            if isinstance(exc.__cause__, PasswordRefusedError) and server.url.password is None:
                raise CommandError(f"{exc} {_password_help(info)}") from exc
            raise
        if args.dry_run:
            return _dry_run(plan, args.json)
        if plan.conflicts:
            _refuse_conflicts(plan, args.json)
        line = ProgressLine(sys.stderr, "Synchronising", info.server_words)
        try:
            result = service.sync(
                path, server, steps=lambda what, done, total: line.report(done, total, what)
            )
        finally:
            line.finish()
    finally:
        server.dispose()
    after = copy_info_of(path)
    if args.json:
        write_json(
            {
                **copy_json(after),
                "synchronised": True,
                "sent": result.sent,
                "received": result.received,
                "synced_at": result.synced_at,
                **plan_json(result.plan),
            },
            sys.stdout,
        )
        return 0
    out = sys.stdout
    _write_changes("Sent to the office", result.plan.send, out)
    _write_changes("Received from the office", result.plan.receive, out)
    for flag in result.plan.flags:
        out.write(f"Check: {flag}\n")
    out.write(
        f"Synchronised with {info.server_words} at {text_value(result.synced_at)}: "
        f"{plural(result.sent, 'change')} sent, {plural(result.received, 'change')} "
        f"received. The copy {path} now matches the office.\n"
    )
    return 0


def _password_help(info: CopyInfo) -> str:
    return (
        "The copy keeps the server's address without its password: connect to the server "
        "once in the program with “Remember the password on this computer” ticked, or set "
        "PGPASSWORD, or give the address with its password: --db "
        f"{server_address(info, 'PASSWORD')}"
    )


def _dry_run(plan: SyncPlan, as_json: bool) -> int:
    if as_json:
        write_json(
            {
                **copy_json(plan.copy),
                "dry_run": True,
                "nothing_to_do": plan.nothing_to_do,
                **plan_json(plan),
            },
            sys.stdout,
        )
        return 0
    out = sys.stdout
    out.write(f"Offline copy {plan.copy.path}, with {plan.copy.server_words}:\n")
    _write_plan(plan, out)
    out.write("Dry run: nothing was sent or received.\n")
    return 0


def _refuse_conflicts(plan: SyncPlan, as_json: bool) -> None:
    """List the conflicts on stdout, then refuse (the reason on stderr)."""
    if as_json:
        write_json(
            {
                **copy_json(plan.copy),
                "synchronised": False,
                **plan_json(plan),
            },
            sys.stdout,
        )
    else:
        sys.stdout.write(f"Conflicts ({len(plan.conflicts):,}):\n")
        write_conflicts(plan.conflicts, sys.stdout)
    count = len(plan.conflicts)
    raise CommandError(
        f"{plural(count, 'conflict')} between the copy and the office "
        f"{'waits' if count == 1 else 'wait'} for a choice: {RESOLVE_IN_PROGRAM}. Nothing was "
        "sent or received."
    )

"""``thep-admin backup``, ``restore`` and ``check``: copies of the database, and its checks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from thep_desktop.cli.shared.jobs import ProgressLine
from thep_desktop.cli.shared.output import CommandError, write_json
from thep_desktop.database import Database
from thep_desktop.services.backups.backup_service import BackupInfo, BackupService
from thep_desktop.services.backups.database_checks import (
    AUDIT_CHECK,
    audit_chain_head,
    head_problems,
    parse_head,
    run_checks,
)
from thep_desktop.services.backups.database_copy import copy_database
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import local_actor
from thep_desktop.services.users.identity import restorer


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    backup = commands.add_parser(
        "backup",
        parents=[common],
        help="back up the database to a dated, verified file",
        description="Copy the database to partnership-office-backup-YYYY-MM-DD-HHMM in the "
        "backups folder, or where --to says, and check the copy reads back the same (every "
        "table's rows and checksum) before saying it is done. A SQLite file is copied to a "
        ".sqlite3 file; a PostgreSQL database is dumped by pg_dump to a .dump file when "
        "pg_dump is found (on the PATH, or where PostgreSQL installs it), else exported by "
        "this program to a .zip it can restore itself.",
    )
    backup.add_argument(
        "--to", metavar="FOLDER|FILE", type=Path, help="a folder, or the backup's file name"
    )
    backup.add_argument("--json", action="store_true", help="print JSON instead of text")
    backup.set_defaults(run=run_backup, database="existing")

    restore = commands.add_parser(
        "restore",
        parents=[common],
        help="put a backup in place of the database (backing it up first)",
        description="Check a backup file, say what it holds, ask, back up the current "
        "database, then copy the backup into it (a server database: a .dump or .zip backup, "
        "restored in one transaction and checked against the backup's checksums). A damaged "
        "file, another program's file or a backup from a newer version is refused with "
        "nothing changed.",
    )
    restore.add_argument("file", metavar="FILE", type=Path, help="the backup file")
    restore.add_argument("--yes", action="store_true", help="do not ask before restoring")
    restore.set_defaults(run=run_restore, database="address")

    check = commands.add_parser(
        "check",
        parents=[common],
        help="check the database is whole and consistent",
        description="Run every check of the database (SQLite integrity check, foreign keys, "
        "schema revision, recognised as ours) and print OK or the problems of each. Exit 0 "
        "when all pass, 1 otherwise.",
    )
    check.add_argument("--json", action="store_true", help="print JSON instead of text")
    check.add_argument(
        "--head",
        metavar="NUMBER:HASH",
        type=_head,
        help="the audit trail's last row as an earlier check printed it: check that it is "
        "still there, unchanged (a trail cut short at its end is found this way)",
    )
    check.set_defaults(run=run_check, database="address")

    copy = commands.add_parser(  # its two addresses are its own: no --db
        "copy",
        help="copy the whole database into an empty one (onto the server)",
        description="Copy every table of one database into another that holds no data yet, "
        "keeping every row as it is (ids, who and when), in one transaction, then check that "
        "every table's rows and checksum are the same on both sides. The source is never "
        "changed (an older one is upgraded in a temporary copy). The target is an empty "
        "server database, or a SQLite file that does not exist yet.",
    )
    copy.add_argument(
        "--from",
        dest="source",
        metavar="URL",
        required=True,
        help="the database to copy: sqlite:///path/office.sqlite3 (or the path), or a "
        "postgresql:// address",
    )
    copy.add_argument(
        "--to",
        dest="target",
        metavar="URL",
        required=True,
        help="where to copy it: postgresql://user@server/database (empty), or a new file",
    )
    copy.add_argument("--json", action="store_true", help="print JSON instead of text")
    copy.set_defaults(run=run_copy, database="address")


# Tables with this many rows are named on stderr as they are copied.
PROGRESS_ROWS = 5000


def _info_json(info: BackupInfo) -> dict[str, object]:
    return {
        "file": str(info.path),
        "taken_at": info.taken_at,
        "size_bytes": info.size,
        "schools": info.schools,
        "schema_revision": info.revision,
        "automatic": info.automatic,
        "verified": True,
        "row_counts": info.row_counts,
        "kind": info.kind,
    }


def run_backup(services: Services, args: argparse.Namespace) -> int:
    info = services.backups.back_up(services.actor, args.to)
    if args.json:
        write_json(_info_json(info), sys.stdout)
    else:
        print(
            f"Backed up and verified: {info.path} ({info.size:,} bytes, "
            f"{info.schools:,} schools, every table's rows checked)."
        )
    return 0


def _confirm(question: str) -> bool:
    if not sys.stdin.isatty():
        raise CommandError(
            "Restoring replaces the database; add --yes to confirm it when not typing at a "
            "terminal. Nothing was changed."
        )
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def run_restore(url: str, args: argparse.Namespace) -> int:
    out = sys.stdout
    database = Database(url)
    try:
        service = BackupService(database)
        actor = restorer(database)  # a server's login and its role: administrators only
        _info, words = service.restore_plan(actor, args.file)
        print(words, file=out)
        if not args.yes and not _confirm("Restore it?"):
            print("Nothing was changed.", file=out)
            return 1
        before, note = service.restore(actor, args.file)
        print(f"Restored from {args.file}. The database as it was is kept at {before}.", file=out)
        if note:
            print(note, file=out)
    finally:
        database.dispose()
    return 0


def run_copy(_url: str, args: argparse.Namespace) -> int:
    out = sys.stdout
    line = ProgressLine(sys.stderr, "Copying", "every table, checked after")
    shown: set[str] = set()

    def progress(table: str, done: int, total: int) -> None:
        if total >= PROGRESS_ROWS and table not in shown and not line.live:
            shown.add(table)  # not a terminal: one line per large table
            print(f"  {table}: {total:,} rows", file=sys.stderr)
        line.report(done, total, f"{table}: {done:,} of {total:,} rows")

    try:
        result = copy_database(args.source, args.target, progress)
    finally:
        line.finish()
    if args.json:
        write_json(
            {
                "from": result.source,
                "to": result.target,
                "upgraded_from": result.upgraded_from,
                "verified": all(t.ok for t in result.tables),
                "tables": [
                    {"table": t.name, "rows": t.rows, "sha256": t.sha256, "checksum_ok": t.ok}
                    for t in result.tables
                ],
            },
            out,
        )
        return 0
    if result.upgraded_from:
        print(f"(The source is at schema {result.upgraded_from}; a copy was upgraded first.)")
    width = max([len("Table"), *(len(t.name) for t in result.tables)])
    print(f"{'Table':<{width}}  {'Rows':>9}  Checksum", file=out)
    for t in result.tables:
        print(f"{t.name:<{width}}  {t.rows:>9,}  {'OK' if t.ok else 'DIFFERS'}", file=out)
    print(
        f"Copied {result.rows:,} rows from {result.source} to {result.target}; every table "
        "checked.",
        file=out,
    )
    return 0


def _head(text: str) -> tuple[int, str]:
    try:
        return parse_head(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def run_check(url: str, args: argparse.Namespace) -> int:
    out = sys.stdout
    database = Database(url)
    head: tuple[int, str] | None = None
    try:
        results = run_checks(database, local_actor())
        trail = next((r for r in results if r.name == AUDIT_CHECK), None)
        if trail is not None:
            if args.head is not None:
                trail.problems.extend(head_problems(database, args.head))
            head = audit_chain_head(database)
    finally:
        database.dispose()
    passed = all(result.ok for result in results)
    if args.json:
        write_json(
            {
                "database": str(database.describe()),
                "passed": passed,
                "checks": [
                    {"name": r.name, "ok": r.ok, "problems": list(r.problems)} for r in results
                ],
                "audit_head": f"{head[0]}:{head[1]}" if head and head[0] else None,
            },
            out,
        )
    else:
        for result in results:
            print(f"{result.name}: {'OK' if result.ok else 'PROBLEMS'}", file=out)
            for problem in result.problems:
                print(f"  - {problem}", file=out)
        if head and head[0]:
            print(
                f"Audit trail head: {head[0]}:{head[1]} (note it: `check --head` with it "
                "later finds the trail cut short at its end)",
                file=out,
            )
        print("All checks passed." if passed else "Some checks found problems.", file=out)
    return 0 if passed else 1

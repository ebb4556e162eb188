"""``thep-admin members register``: the statutory register of members as at a date, to a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from thep_desktop.cli.shared.output import CommandError, parse_date, plural, write_json
from thep_desktop.domain.dates import format_date
from thep_desktop.services.registry import Services


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    """Add ``register`` to the ``members`` commands (making the group if it is not there yet)."""
    members = commands.choices.get("members")
    if members is None:
        members = commands.add_parser(
            "members",
            help="members of the company",
            description="Members of the company: schools, organisations and individuals.",
        )
        members.add_subparsers(dest="members_command", metavar="COMMAND", required=True)
    actions = next(a for a in members._actions if isinstance(a, argparse._SubParsersAction))
    register = actions.add_parser(
        "register",
        parents=[common],
        help="the register of members as at a date, as PDF or Excel",
        description="Write the statutory register of members (Companies Act 2006 s.113) as "
        "it stood on a date: each member's name, address, date admitted and date ceased, "
        "former members included. A .pdf file is printed on the letterhead; a .xlsx file is "
        "a workbook.",
    )
    register.add_argument(
        "--as-at",
        type=parse_date,
        metavar="DATE",
        help="the register as it stood at the end of this day (default: today)",
    )
    register.add_argument(
        "--out", required=True, type=Path, metavar="FILE.pdf|FILE.xlsx", help="the file to write"
    )
    register.add_argument("--json", action="store_true", help="print the entries as JSON")
    register.set_defaults(run=write_register, database="existing")


def write_register(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    target: Path = args.out
    if target.suffix.casefold() not in (".pdf", ".xlsx"):
        raise CommandError(f"--out must be a file ending .pdf or .xlsx ({target.name} is neither).")
    register = services.members_register.write_register(services.actor, target, args.as_at)
    if args.json:
        write_json(
            {
                "as_at": register.as_at,
                "file": str(target),
                "entries": [
                    {
                        "name": e.name,
                        "address": list(e.address),
                        "category": e.category,
                        "admitted_on": e.admitted_on,
                        "ceased_on": e.ceased_on,
                    }
                    for e in register.entries
                ],
                "count": len(register.entries),
                "members": register.members,
                "former_members": register.former,
            },
            out,
        )
        return 0
    out.write(
        f"Register of members as at {format_date(register.as_at)}: "
        f"{len(register.entries):,} {'entry' if len(register.entries) == 1 else 'entries'} "
        f"({plural(register.members, 'member')}, {register.former:,} former) "
        f"written to {target}.\n"
    )
    return 0

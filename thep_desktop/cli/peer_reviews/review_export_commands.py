"""``thep-admin reviews export-ics``: a review cycle's calendar files (.ics) into a folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from thep_desktop.cli.shared.output import CommandError, plural, write_json
from thep_desktop.domain.dates import format_date
from thep_desktop.services.registry import Services


def add_export_commands(
    actions: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
) -> None:
    """``reviews export-ics``: added by the ``reviews`` group to its commands."""
    export = actions.add_parser(
        "export-ics",
        parents=[common],
        help="the cycle's calendar files (.ics), for the whole cycle and each school",
        description="Write a year's peer reviews as calendar files (RFC 5545 .ics) that "
        "Outlook, Google Calendar and Apple Calendar import: one for the whole cycle and one "
        "per school with the review it hosts and those it reviews at. Each review is an "
        "all-day event that keeps its identity, so importing the files again after a change "
        "updates the events instead of adding them twice. Reviews without a date are left out.",
    )
    export.add_argument("--year", required=True, metavar="YEAR", help="the academic year, 2025/26")
    export.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="the folder to write the files in"
    )
    export.add_argument(
        "--school",
        metavar="URN",
        help="only this school's file (the review it hosts and those it reviews at)",
    )
    export.add_argument("--json", action="store_true", help="list the files written as JSON")
    export.set_defaults(run=export_ics, database="existing")


def export_ics(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    actor = services.actor
    folder: Path = args.out
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise CommandError(f"--out: {folder} {what}. Give a folder that exists.")
    school_id = None
    if args.school is not None:
        school_id = services.schools.get_school_by_urn(actor, args.school).id
    cycle = services.reviews.cycle_for_year(actor, args.year)
    written = services.review_exports.write_calendars(
        actor,
        cycle.id,
        folder,
        per_school=True,
        whole_cycle=school_id is None,
        school_id=school_id,
    )
    if args.json:
        write_json(
            {
                "academic_year": cycle.year.label,
                "cycle": cycle.title,
                "folder": str(folder),
                "files": [
                    {
                        "file": str(file.path),
                        "calendar": "school" if file.school else "cycle",
                        "school_urn": file.school.urn if file.school else None,
                        "school_name": file.school.name if file.school else None,
                        "events": file.events,
                        "first_day": file.first_day,
                        "last_day": file.last_day,
                    }
                    for file in written
                ],
                "count": len(written),
            },
            out,
        )
        return 0
    out.write(f"{cycle.title}: {plural(len(written), 'calendar file')} written to {folder}\n")
    for file in written:
        whose = file.school.name if file.school else "the whole cycle"
        span = f"{format_date(file.first_day)} to {format_date(file.last_day)}"
        out.write(f"  {file.path.name}  ({whose}: {plural(file.events, 'review')}, {span})\n")
    return 0

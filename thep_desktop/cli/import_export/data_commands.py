"""``thep-admin import-gias``, ``import-pupils`` and ``export``: data in and out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from thep_desktop import config
from thep_desktop.cli.schools.schools_commands import STATUS_CHOICES
from thep_desktop.cli.shared.jobs import ProgressLine, ctrl_c_cancels
from thep_desktop.cli.shared.output import (
    Column,
    CommandError,
    parse_date,
    plural,
    write_fields,
    write_json,
    write_table,
)
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.domain.schools import with_membership
from thep_desktop.reports.schools.schools_table import (
    LAYOUT_STATE,
    schools_table_data,
    shown_columns,
)
from thep_desktop.reports.shared.spreadsheet import (
    SUFFIX_MESSAGE,
    SUFFIXES,
    TableData,
    export_table,
)
from thep_desktop.services.import_export.import_preview import ImportPreview, ImportResult
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.schools_export import all_fields_table

SHOWN = 50  # rows of each list printed as text; --json has them all


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    gias = commands.add_parser(
        "import-gias",
        parents=[common],
        help="add and update schools from a GIAS establishment extract",
        description="Read a GIAS establishment extract (.csv as downloaded, or the same "
        "columns in .xlsx), show what it would change (new schools, changed fields, schools "
        "GIAS shows as closed, rows rejected with the reason) and apply it in one go. Fields "
        "that are the office's own (link officer, notes, contacts, chair of governors) are "
        "never overwritten.",
    )
    gias.add_argument("file", metavar="FILE", type=Path, help="the GIAS extract (.csv or .xlsx)")
    which = gias.add_mutually_exclusive_group()
    which.add_argument(
        "--la",
        metavar="CODE",
        help="only this local authority's schools (default: the LA code of the "
        "organisation profile, e.g. 211)",
    )
    which.add_argument("--all", action="store_true", help="every school in the file")
    gias.add_argument(
        "--dry-run", action="store_true", help="show what would change; change nothing"
    )
    gias.add_argument("--json", action="store_true", help="print the summary as JSON")
    gias.set_defaults(run=import_gias, database="existing")

    pupils = commands.add_parser(
        "import-pupils",
        parents=[common],
        help="refresh pupil numbers from a sheet",
        description="Read a sheet with the columns URN, Number of pupils and Census date "
        "(.xlsx or .csv), show what would change and apply it in one go. These are the "
        "figures membership fees are based on.",
    )
    pupils.add_argument("file", metavar="FILE", type=Path, help="the sheet (.csv or .xlsx)")
    pupils.add_argument(
        "--census-date",
        type=parse_date,
        help="the census date for rows that give none (2026-01-15, 15/01/2026 or 15/1/26)",
    )
    pupils.add_argument(
        "--dry-run", action="store_true", help="show what would change; change nothing"
    )
    pupils.add_argument("--json", action="store_true", help="print the summary as JSON")
    pupils.set_defaults(run=import_pupils, database="existing")

    export = commands.add_parser(
        "export",
        help="write a table to Excel or CSV",
        description="Write a table to an Excel workbook (.xlsx) or a CSV file (.csv).",
    )
    tables = export.add_subparsers(dest="export_table", metavar="TABLE", required=True)
    schools = tables.add_parser(
        "schools",
        parents=[common],
        help="the schools register",
        description="Write the schools register, in name order, to Excel or CSV: typed "
        "cells (numbers, real dates shown dd/mm/yyyy), a title row, a frozen header row. "
        "--fields shown (the default) writes the columns your Schools tab shows; --fields "
        "all writes every field, one row per school (address lines, phone, email, website, "
        "head teacher, each contact's name, role, email and phone, Ofsted, census, opening "
        "and closing dates), for address labels; a workbook also gets a sheet Contacts, "
        "one row per contact, for email lists.",
    )
    schools.add_argument("file", metavar="FILE.xlsx|FILE.csv", type=Path)
    schools.add_argument(
        "--fields",
        choices=["shown", "all"],
        default="shown",
        help="shown: the columns of your Schools tab (default); all: every field and contact",
    )
    schools.add_argument(
        "--status",
        choices=list(STATUS_CHOICES),
        default="all",
        help="only open, proposed or closed schools (default: all)",
    )
    schools.set_defaults(run=export_schools, database="existing")


# -- imports ------------------------------------------------------------------------------------
def import_gias(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    la_code: str | None
    if args.all:
        la_code = None
    elif args.la:
        la_code = args.la.strip()
    else:
        la_code = services.organisation.get_profile(services.actor).la_code or None
        if la_code is None:
            raise CommandError(
                "The organisation profile has no local authority code: give --la CODE "
                "(e.g. --la 211) or --all."
            )
    service = services.gias_import
    preview = _run_job(
        f"Reading {args.file.name}",
        lambda progress: service.preview(
            services.actor, _existing(args.file), la_code=la_code, progress=progress
        ),
    )
    return _finish(services, args, preview, service, out)


def import_pupils(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    service = services.pupil_import
    preview = _run_job(
        f"Reading {args.file.name}",
        lambda progress: service.preview(
            services.actor, _existing(args.file), progress, census_date=args.census_date
        ),
    )
    if args.census_date is not None and not args.json:
        # Shown in full, so whoever typed 15/1/26 sees which year it was taken as.
        out.write(f"Census date for rows that give none: {format_date(args.census_date)}.\n")
    return _finish(services, args, preview, service, out)


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise CommandError(f"There is no file at {path}.")
    return path


def _finish(
    services: Services,
    args: argparse.Namespace,
    preview: ImportPreview,
    service,
    out: TextIO,  # type: ignore[no-untyped-def]
) -> int:
    result: ImportResult | None = None
    if not args.dry_run and preview.has_changes:
        result = _run_job(
            "Applying the changes",
            lambda progress: service.apply(services.actor, preview, progress),
        )
    if args.json:
        data = preview.to_dict()
        data["dry_run"] = bool(args.dry_run)
        data["applied"] = (
            None
            if result is None
            else {
                "created": result.created,
                "updated": result.updated,
                "closed": result.closed,
                "already_applied": result.already_applied,
                "inspections_added": result.inspections,
            }
        )
        write_json(data, out)
        return 0
    write_preview(preview, out)
    if args.dry_run:
        out.write("\nDry run: nothing was changed.\n")
    elif result is None:
        out.write("\nNothing in the register needed changing.\n")
    elif result.already_applied:
        out.write(f"\n{str(result).capitalize()}.\n")
    else:
        out.write(f"\nApplied: {result}.\n")
    return 0


def write_preview(preview: ImportPreview, out: TextIO) -> None:
    """The same summary the import window shows: counts, then each list."""
    scope = ""
    if preview.kind == "gias":
        scope = f" (local authority {preview.la_code})" if preview.la_code else " (all of England)"
    out.write(f"{preview.source_name}: {plural(preview.rows_read, 'row')} read{scope}.\n")
    if preview.rows_other_la:
        out.write(f"{plural(preview.rows_other_la, 'row')} for other local authorities left out.\n")
    counts = preview.counts()
    fields = []
    if preview.kind == "gias":
        fields.append(("New schools", f"{counts['new']:,}"))
    changed_fields = sum(len(c.changes) for c in preview.changed)
    fields.append(
        ("Schools with changes", f"{counts['changed']:,} ({plural(changed_fields, 'field')})")
    )
    if preview.kind == "gias":
        fields.append(("Closed in GIAS", f"{counts['closed']:,}"))
    fields.append(("Rows rejected", f"{counts['rejected']:,}"))
    fields.append(("Unchanged", f"{counts['unchanged']:,}"))
    out.write("\n")
    write_fields(fields, out, indent="  ")
    if preview.inspections:
        out.write(f"\n{preview.inspections_words}.\n")
    for warning in preview.warnings:
        out.write(f"\nNote: {warning}\n")
    if preview.new:
        _section(
            out,
            "New schools",
            [Column("Row", right=True), Column("URN"), Column("School"), Column("Phase")],
            [[str(n.row_number), str(n.urn), n.name, str(n.data.phase)] for n in preview.new],
        )
    if preview.changed:
        _section(
            out,
            "Changes",
            [
                Column("URN"),
                Column("School"),
                Column("Field"),
                Column("Now"),
                Column("In the file"),
            ],
            [
                [str(c.urn), c.name, ch.label, ch.old, ch.new]
                for c in preview.changed
                for ch in c.changes
            ],
        )
    if preview.closed:
        _section(
            out,
            "Closed in GIAS",
            [Column("URN"), Column("School"), Column("Closing date")],
            [
                [str(c.urn), c.name, c.close_date.strftime("%d/%m/%Y") if c.close_date else ""]
                for c in preview.closed
            ],
        )
    if preview.rejected:
        _section(
            out,
            "Rejected rows",
            [Column("Row", right=True), Column("Column"), Column("Value"), Column("Reason")],
            [[str(r.row_number), r.column, r.value, r.reason] for r in preview.rejected],
        )


def _section(out: TextIO, title: str, columns: list[Column], rows: list[list[str]]) -> None:
    out.write(f"\n{title}\n{'-' * len(title)}\n")
    write_table(columns, [[_short(cell) for cell in row] for row in rows[:SHOWN]], out)
    if len(rows) > SHOWN:
        out.write(f"… and {len(rows) - SHOWN:,} more (--json lists them all)\n")


def _short(text: str, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# -- export ---------------------------------------------------------------------------
def export_schools(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    status = STATUS_CHOICES[args.status]
    rows = [
        r
        for r in with_membership(
            services.schools.list_schools(services.actor),
            services.members.statuses_of_schools(services.actor),
        )
        if status is None or r.status == status
    ]
    subtitle = "" if status is None else f"Filter: status {status.label} ({len(rows):,} schools)"
    source = str(services.db.describe())
    if args.file.suffix.casefold() not in SUFFIXES:
        raise CommandError(SUFFIX_MESSAGE)

    def table(progress: Progress) -> TableData:
        if args.fields == "all":
            progress.report(0, 0, "Reading the schools…")
            details = services.schools.list_school_details(services.actor, [r.id for r in rows])
            return all_fields_table(details, subtitle=subtitle, source=source)
        # The columns this user's Schools tab shows, in its order.
        columns = shown_columns(config.ui_state(LAYOUT_STATE))
        return schools_table_data(rows, columns=columns, subtitle=subtitle, source=source)

    written = _run_job(
        f"Writing {args.file.name}",
        lambda progress: export_table(args.file, table(progress), progress),
    )
    out.write(f"Exported {plural(written, 'school')} to {args.file}.\n")
    return 0


def _run_job(title: str, job):  # type: ignore[no-untyped-def]
    line = ProgressLine(sys.stderr, title, "Ctrl+C cancels")
    progress = Progress(line.report)
    try:
        with ctrl_c_cancels(progress):
            return job(progress)
    except Cancelled:
        raise KeyboardInterrupt from None  # rolled back; exit as any Ctrl+C does
    finally:
        line.finish()

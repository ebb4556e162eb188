"""``thep-admin schools inspections``/``inspection`` and ``schools notes``/``note``: each school's
Ofsted history and dated notes from the command line (the same services as the window)."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from thep_desktop.cli.shared.output import (
    Column,
    parse_date,
    plural,
    text_value,
    write_json,
    write_table,
)
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.ofsted import EVALUATION_AREAS, AreaGrade, InspectionKind, OverallGrade
from thep_desktop.domain.text_characters import visible
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.ofsted_service import InspectionInput
from thep_desktop.services.schools.school_notes_service import NoteInput

AREA_CHOICES = [g.value.replace("_", "-") for g in AreaGrade if g.value]
GRADE_CHOICES = [g.value.replace("_", "-") for g in OverallGrade if g.value]
KIND_CHOICES = [k.value for k in InspectionKind]


def add_commands(actions: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    """The commands, under ``thep-admin schools``."""
    listing = actions.add_parser(
        "inspections",
        parents=[common],
        help="a school's Ofsted inspections",
        description="List a school's Ofsted inspections, the newest first.",
    )
    listing.add_argument("urn", metavar="URN", help="the school's 6-digit URN")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(run=list_inspections, database="existing")

    inspection = actions.add_parser(
        "inspection",
        help="record or delete an Ofsted inspection",
        description="Record a school's Ofsted inspection, or delete one recorded in error.",
    )
    steps = inspection.add_subparsers(dest="inspection_command", metavar="COMMAND", required=True)
    add = steps.add_parser(
        "add",
        parents=[common],
        help="record an inspection of a school",
        description="Record an Ofsted inspection of a school, as Ofsted published it: an "
        "overall grade for a graded inspection until August 2024; safeguarding and the "
        "evaluation areas for a report card (from 10 November 2025).",
    )
    add.add_argument("urn", metavar="URN", help="the school's 6-digit URN")
    add.add_argument("--on", type=parse_date, required=True, metavar="DATE", help="inspected on")
    add.add_argument("--kind", choices=KIND_CHOICES, required=True, help="the kind of inspection")
    add.add_argument("--published", type=parse_date, metavar="DATE", help="report published on")
    add.add_argument("--grade", choices=GRADE_CHOICES, help="overall grade (graded, to 08/2024)")
    add.add_argument("--safeguarding", choices=["met", "not-met"], help="report card only")
    for column, words in EVALUATION_AREAS:
        add.add_argument(
            f"--{column.replace('_', '-')}",
            dest=column,
            choices=AREA_CHOICES,
            help=f"report card: {words.lower()}",
        )
    add.add_argument("--url", default="", help="the report's web address")
    add.add_argument("--notes", default="", help="notes on the inspection")
    add.add_argument("--json", action="store_true", help="print the inspection as JSON")
    add.set_defaults(run=add_inspection, database="existing")
    delete = steps.add_parser(
        "delete",
        parents=[common],
        help="delete an inspection recorded in error",
        description="Delete a school's inspection on a date (one recorded in error).",
    )
    delete.add_argument("urn", metavar="URN", help="the school's 6-digit URN")
    delete.add_argument("--on", type=parse_date, required=True, metavar="DATE", help="its date")
    delete.set_defaults(run=delete_inspection, database="existing")

    notes = actions.add_parser(
        "notes",
        parents=[common],
        help="a school's dated notes",
        description="List a school's dated notes, the newest first.",
    )
    notes.add_argument("urn", metavar="URN", help="the school's 6-digit URN")
    notes.add_argument("--json", action="store_true", help="print JSON instead of text")
    notes.set_defaults(run=list_notes, database="existing")

    note = actions.add_parser(
        "note",
        help="add a dated note on a school",
        description="Add a dated note on a school: a visit, a call, a concern raised.",
    )
    note_steps = note.add_subparsers(dest="note_command", metavar="COMMAND", required=True)
    add_note = note_steps.add_parser(
        "add",
        parents=[common],
        help="add a dated note on a school",
        description="Add a dated note on a school (a visit, a call, a concern raised).",
    )
    add_note.add_argument("urn", metavar="URN", help="the school's 6-digit URN")
    add_note.add_argument("--on", type=parse_date, required=True, metavar="DATE", help="its date")
    add_note.add_argument("--text", required=True, help="what the note says")
    add_note.add_argument("--subject", default="", help="a short subject")
    add_note.add_argument(
        "--author",
        default=None,
        help="who wrote it: a name on the staff list, or any name "
        "(default: the staff member named as you, else nobody)",
    )
    add_note.add_argument("--json", action="store_true", help="print the note as JSON")
    add_note.set_defaults(run=add_school_note, database="existing")


def _school(services: Services, urn: str) -> tuple[int, str, int]:
    """The school's id, name and URN (as a number, however it was typed)."""
    detail = services.schools.get_school_by_urn(services.actor, urn)
    return detail.id, detail.name, detail.urn


def list_inspections(
    services: Services, args: argparse.Namespace, out: TextIO | None = None
) -> int:
    out = out if out is not None else sys.stdout
    school_id, name, urn = _school(services, args.urn)
    found = services.ofsted.list_inspections(services.actor, school_id)
    if args.json:
        write_json(
            {
                "urn": urn,
                "school": name,
                "inspections": [i.to_dict() for i in found],
            },
            out,
        )
        return 0
    out.write(f"{visible(name)}: {plural(len(found), 'inspection')}\n")
    if not found:
        out.write("Not yet inspected (no inspection recorded).\n")
        return 0
    write_table(
        [
            Column("Inspected"),
            Column("Published"),
            Column("Kind"),
            Column("Outcome"),
            Column("Source"),
        ],
        (
            [
                format_date(i.inspected_on),
                text_value(i.published_on),
                i.kind.words,
                i.outcome_words,
                i.source_words,
            ]
            for i in found
        ),
        out,
    )
    return 0


def add_inspection(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    school_id, name, urn = _school(services, args.urn)
    areas = {c: getattr(args, c) for c, _ in EVALUATION_AREAS if getattr(args, c)}
    saved = services.ofsted.add_inspection(
        services.actor,
        school_id,
        InspectionInput(
            inspected_on=args.on,
            kind=args.kind,
            published_on=args.published,
            overall_grade=args.grade or "",
            safeguarding=args.safeguarding or "",
            areas=areas,
            report_url=args.url,
            notes=args.notes,
        ),
    )
    if args.json:
        write_json(saved.to_dict(), out)
    else:
        out.write(
            f"Recorded the {saved.kind.words.lower()} of {visible(name)} on "
            f"{format_date(saved.inspected_on)}: {saved.outcome_words}.\n"
        )
    return 0


def delete_inspection(
    services: Services, args: argparse.Namespace, out: TextIO | None = None
) -> int:
    out = out if out is not None else sys.stdout
    school_id, name, urn = _school(services, args.urn)
    found = services.ofsted.inspection_on(services.actor, school_id, args.on)
    services.ofsted.delete_inspection(services.actor, found.id, found.version)
    out.write(f"Deleted the inspection of {visible(name)} on {format_date(args.on)}.\n")
    return 0


def list_notes(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    school_id, name, urn = _school(services, args.urn)
    found = services.school_notes.list_notes(services.actor, school_id)
    if args.json:
        write_json(
            {
                "urn": urn,
                "school": name,
                "notes": [n.to_dict() for n in found],
            },
            out,
        )
        return 0
    out.write(f"{visible(name)}: {plural(len(found), 'note')}\n")
    for note in found:
        heading = " · ".join(
            p for p in (format_date(note.noted_on), note.subject, note.author) if p
        )
        out.write(f"\n{visible(heading)}\n{visible(note.text)}\n")
    return 0


def add_school_note(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    school_id, name, urn = _school(services, args.urn)
    author_id: int | None = None
    author_name = ""
    if args.author is None:
        author_id = services.school_notes.default_author(services.actor)
    else:
        typed = " ".join(args.author.split())
        staff = [
            s
            for s in services.staff.list_staff(services.actor)
            if s.full_name.casefold() == typed.casefold()
        ]
        if len(staff) == 1:
            author_id = staff[0].id
        else:
            author_name = typed
    saved = services.school_notes.add_note(
        services.actor,
        school_id,
        NoteInput(args.on, args.text, args.subject, author_id, author_name),
    )
    if args.json:
        write_json(saved.to_dict(), out)
    else:
        out.write(f"Added a note on {visible(name)} dated {format_date(saved.noted_on)}.\n")
    return 0

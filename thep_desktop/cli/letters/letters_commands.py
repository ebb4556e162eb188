"""``thep-admin letters templates`` and ``letters render``: letters from the command line."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from thep_desktop.cli.shared.jobs import ProgressLine, ctrl_c_cancels
from thep_desktop.cli.shared.output import (
    Column,
    CommandError,
    parse_date,
    plural,
    write_json,
    write_table,
)
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.domain.text_characters import check_characters
from thep_desktop.domain.validation import check_urn
from thep_desktop.services.letters.letter_fields import FIELDS_BY_NAME
from thep_desktop.services.registry import Services

AUDIENCES = "all-open-schools, members, full-members, cluster:NAME or urn:URN[,URN...]"
MEMBERS = ("members", "all-members")
FULL_MEMBERS = ("full-members", "all-full-members")


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    letters = commands.add_parser(
        "letters",
        help="letter templates and mail merge",
        description="Letter templates, and mail merge of a template to PDF letters.",
    )
    actions = letters.add_subparsers(dest="letters_command", metavar="COMMAND", required=True)

    templates = actions.add_parser(
        "templates",
        parents=[common],
        help="list the letter templates",
        description="List the letter templates (built in and the office's own).",
    )
    templates.add_argument("--json", action="store_true", help="print JSON instead of a table")
    templates.set_defaults(run=list_templates, database="existing")

    render = actions.add_parser(
        "render",
        parents=[common],
        help="mail-merge a template to PDF",
        description="Fill a template for each recipient and lay the letters out on the "
        "letterhead: into one PDF for printing (--out FILE.pdf) or one PDF per recipient "
        "(--out FOLDER). Each letter is recorded in its school's or member's correspondence "
        "history. --to members writes to every member on the letters' date (organisations "
        "and individuals at their own addresses), --to full-members to the full members, --to "
        "'cluster:Isle of Dogs' to the open schools of a peer-review cluster (the name in any "
        "case).",
    )
    render.add_argument("template", metavar="TEMPLATE", help="the template's name or key")
    render.add_argument("--to", required=True, metavar="WHO", help=f"recipients: {AUDIENCES}")
    render.add_argument(
        "--out", required=True, metavar="FILE.pdf|FOLDER", help="one PDF, or a folder"
    )
    render.add_argument(
        "--role",
        metavar="ROLE",
        help="the contact to write to, e.g. 'School business manager' "
        "(default: the template's own)",
    )
    render.add_argument(
        "--include-proposed",
        action="store_true",
        help="with --to all-open-schools, write also to schools only proposed to open",
    )
    render.add_argument("--date", type=parse_date, help="the letters' date (default: today)")
    render.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="a value typed once for the mailing, e.g. --set meeting.date='14 January 2027'",
    )
    render.add_argument("--json", action="store_true", help="print the result as JSON")
    render.set_defaults(run=render_letters, database="existing")


def finish_unfinished_merges(services: Services) -> None:
    """Every letters command first puts right a mail merge that was killed part-way here."""
    for note in services.finish_unfinished_merges():
        print(f"Note: {note}", file=sys.stderr)


def list_templates(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    finish_unfinished_merges(services)
    templates = services.letters.list_templates(services.actor)
    if args.json:
        write_json(
            {
                "templates": [
                    {
                        "id": t.id,
                        "key": t.key,
                        "name": t.name,
                        "description": t.description,
                        "built_in": t.builtin,
                        "changed_from_built_in": t.changed_from_builtin,
                        "contact_role": t.contact_role,
                        # Blank: the organisation profile's default signatory signs.
                        "signatory": t.signatory,
                        "signatory_role": t.signatory_role,
                        "subject": t.subject,
                        "fields": t.fields_used,
                        "mailing_fields": services.letters.mailing_fields(t),
                        "updated_at": t.updated_at,
                        "updated_by": t.updated_by,
                    }
                    for t in templates
                ],
                "count": len(templates),
            },
            out,
        )
        return 0
    write_table(
        [Column("Key"), Column("Name"), Column("Sent to"), Column("Typed for each mailing")],
        (
            [
                t.key or "",
                t.name + (" (changed)" if t.changed_from_builtin else ""),
                t.contact_role,
                ", ".join(services.letters.mailing_fields(t)),
            ]
            for t in templates
        ),
        out,
    )
    out.write(f"\n{plural(len(templates), 'template')}\n")
    return 0


def render_letters(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    finish_unfinished_merges(services)
    actor = services.actor
    template = services.letters.find_template(actor, args.template)
    member_ids = _members_audience(services, args.to, args.date)
    if member_ids is not None and args.include_proposed:
        raise CommandError("--include-proposed goes with --to all-open-schools only.")
    school_ids = (
        []
        if member_ids is not None
        else _audience(services, args.to, include_proposed=args.include_proposed)
    )
    mailing = _mailing_values(args.set)
    missing = [n for n in services.letters.mailing_fields(template) if not mailing.get(n)]
    if missing:
        typed = " ".join(f"--set {n}='…'" for n in missing)
        what = ", ".join(f"{n} ({FIELDS_BY_NAME[n].label.lower()})" for n in missing)
        raise CommandError(
            f"“{template.name}” needs a value typed for the mailing: {what}. Add {typed}, "
            f"e.g. --set {missing[0]}='{FIELDS_BY_NAME[missing[0]].example}'."
        )
    role = services.letters.check_contact_role(actor, args.role or template.contact_role)
    target = Path(args.out)
    combined = folder = None
    if target.suffix.lower() == ".pdf":
        combined = target
    elif target.is_dir():
        folder = target
    else:
        raise CommandError(
            f"--out must be a file ending .pdf, or a folder that exists ({target} is neither)."
        )
    line = ProgressLine(sys.stderr, f"Producing “{template.name}”", str(target))
    progress = Progress(line.report)
    try:
        with ctrl_c_cancels(progress):
            result = services.letters.produce(
                actor,
                template.id,
                school_ids,
                role,
                member_ids=member_ids or (),
                combined_file=combined,
                recipient_folder=folder,
                mailing=mailing,
                letter_date=args.date,
                progress=progress,
            )
    except Cancelled:
        raise KeyboardInterrupt from None  # nothing was written or recorded
    finally:
        line.finish()
    if args.json:
        write_json(
            {
                "template": template.name,
                "letters": result.letters,
                "pages": result.pages,
                "combined_file": str(result.combined_file) if result.combined_file else None,
                "recipient_files": [str(p) for p in result.recipient_files],
                "warnings": list(result.warnings),
                "skipped": [{"school": s.school_name, "reason": s.reason} for s in result.skipped],
            },
            out,
        )
        return 0
    where = result.combined_file or folder
    out.write(f"{template.name}: {result} written to {where}.\n")
    if args.to.strip() == "all-open-schools" and not args.include_proposed:
        proposed = len(services.letters.proposed_school_ids(actor))
        if proposed:
            out.write(
                f"Note: {plural(proposed, 'school')} proposed to open "
                f"{'was' if proposed == 1 else 'were'} not written to; add --include-proposed "
                "to write to them too.\n"
            )
    for warning in result.warnings:
        out.write(f"Note: {warning}\n")
    for skipped in result.skipped:
        out.write(f"Left out: {skipped.school_name}: {skipped.reason}\n")
    return 0


def _members_audience(services: Services, to: str, on: date | None) -> list[int] | None:
    """The member ids for ``--to members`` or ``full-members`` on the letters' date; else None."""
    text = to.strip()
    if text not in MEMBERS + FULL_MEMBERS:
        return None
    ids = services.letters.member_ids(services.actor, full_only=text in FULL_MEMBERS, on=on)
    if not ids:
        who = "full members" if text in FULL_MEMBERS else "members"
        raise CommandError(
            f"There are no {who} on {format_date(on or date.today())} to write to; record "
            "the members first (thep-admin members …)."
        )
    return ids


def _audience(services: Services, to: str, *, include_proposed: bool = False) -> list[int]:
    text = to.strip()
    actor = services.actor
    if text == "all-open-schools":
        return services.letters.open_school_ids(actor, include_proposed=include_proposed)
    if include_proposed:
        raise CommandError("--include-proposed goes with --to all-open-schools only.")
    if text.casefold().startswith("cluster:"):
        return _cluster_audience(services, text[len("cluster:") :])
    if text.startswith("urn:"):
        urns: list[int] = []
        for part in text[4:].split(","):
            try:
                urns.append(check_urn(part))
            except ValueError as exc:
                raise CommandError(f"--to urn:…: {exc}.") from None
        if not urns:
            raise CommandError("Give at least one URN after urn:")
        return services.letters.school_ids_for_urns(actor, urns)
    raise CommandError(f"--to must be {AUDIENCES}; “{to}” is none of these.")


def _cluster_audience(services: Services, name: str) -> list[int]:
    """The open schools of the cluster called ``name`` (any case); an unknown name is refused
    with the clusters there are."""
    if not name.strip():
        raise CommandError(
            "Give the cluster's name after cluster:, e.g. --to 'cluster:Isle of Dogs'."
        )
    actor = services.actor
    cluster = services.clusters.find_cluster(actor, name)
    ids = services.letters.cluster_school_ids(actor, cluster.id)
    if not ids:
        raise CommandError(f"The cluster {cluster.name} has no open schools to write to.")
    return ids


def _mailing_values(pairs: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise CommandError(
                f"--set takes FIELD=VALUE, e.g. meeting.date='14 January 2027'; "
                f"“{pair}” has no “=”."
            )
        info = FIELDS_BY_NAME.get(name)
        if info is None or info.source != "mailing":
            raise CommandError(f"{name} is not a field typed for a mailing.")
        try:
            values[name] = check_characters(value.strip(), f"The value of {name}")
        except ValueError as exc:
            raise CommandError(f"--set {name}=…: {exc}.") from None
    return values

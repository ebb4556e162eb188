"""``thep-admin schools list``, ``schools show`` and ``schools profile``: the register and
each school's profile from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, Protocol, TextIO

from thep_desktop.cli.schools import ofsted_commands
from thep_desktop.cli.shared.output import (
    Column,
    CommandError,
    parse_date,
    plural,
    text_value,
    write_fields,
    write_json,
    write_table,
)
from thep_desktop.domain.text_characters import visible
from thep_desktop.models import SchoolStatus
from thep_desktop.reports.schools.profile_data import SchoolProfile
from thep_desktop.services.registry import Services
from thep_desktop.services.schools.school_choices import PHASES
from thep_desktop.services.schools.school_contacts import CONTACT_LABELS
from thep_desktop.services.schools.schools_service import (
    SCHOOL_FIELDS,
    SCHOOL_LABELS,
    SchoolDetail,
)

STATUS_CHOICES = {
    "open": SchoolStatus.OPEN,
    "proposed": SchoolStatus.PROPOSED,
    "closed": SchoolStatus.CLOSED,
    "all": None,
}

# The keys of a school in JSON, in order: every field of the school form, with the DfE
# number beside its parts and the link officer's name in place of their record id.
SCHOOL_KEYS = tuple(
    key
    for name in SCHOOL_FIELDS
    for key in (
        ("establishment_number", "dfe_number")
        if name == "establishment_number"
        else ("link_officer",)
        if name == "link_officer_id"
        else (name,)
    )
) + ("uuid", "version", "created_at", "created_by", "updated_at", "updated_by")
CONTACT_KEYS = ("full_name", "role", "email", "phone")


class _Listed(Protocol):
    """What filtering needs; both the register's rows and full details have it."""

    @property
    def name(self) -> str: ...
    @property
    def urn(self) -> int: ...
    @property
    def postcode(self) -> str: ...
    @property
    def phase(self) -> str: ...
    @property
    def status(self) -> SchoolStatus: ...


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    schools = commands.add_parser(
        "schools", help="the schools register", description="The schools register."
    )
    actions = schools.add_subparsers(dest="schools_command", metavar="COMMAND", required=True)

    listing = actions.add_parser(
        "list",
        parents=[common],
        help="list schools, or filter them",
        description="List the schools in the register (all of them unless filtered).",
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.add_argument(
        "--status",
        choices=list(STATUS_CHOICES),
        default="all",
        help="only open, proposed or closed schools (default: all)",
    )
    listing.add_argument("--phase", metavar="TEXT", help="only this phase, e.g. Primary")
    listing.add_argument(
        "--search",
        metavar="TEXT",
        help="only schools whose name, URN or postcode contains every word of TEXT",
    )
    listing.set_defaults(run=list_schools, database="existing")

    show = actions.add_parser(
        "show",
        parents=[common],
        help="everything about one school",
        description="Show every field of one school, and its contacts.",
    )
    show.add_argument("urn", metavar="URN", help="the school's 6-digit URN")
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    show.set_defaults(run=show_school, database="existing")
    ofsted_commands.add_commands(actions, common)

    profile = actions.add_parser(
        "profile",
        parents=[common],
        help="one school's profile as a PDF, or its data as JSON",
        description="One school's profile: the register, membership periods and fees, "
        "invoices and balance, peer reviews hosted and given, Ofsted history, letters sent "
        "and the link officer's notes, each with its date.",
        epilog="examples:\n"
        "  thep-admin schools profile 100946 --out profile.pdf\n"
        "  thep-admin schools profile 100946 --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    profile.add_argument("urn", metavar="URN", help="the school's 6-digit URN")
    profile.add_argument("--out", type=Path, metavar="FILE.pdf", help="the PDF to write")
    profile.add_argument(
        "--as-at",
        type=parse_date,
        metavar="DATE",
        help="the profile as at this day: balance and membership then (default: today)",
    )
    profile.add_argument("--json", action="store_true", help="print the profile's data as JSON")
    profile.set_defaults(run=school_profile, database="existing")


# -- list ----------------------------------------------------------------------------------------
def list_schools(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    actor = services.actor
    status = STATUS_CHOICES[args.status]
    words = tuple((args.search or "").casefold().split())
    phase = (args.phase or "").strip()
    if args.json:
        details = services.schools.list_school_details(actor)
        _check_phase(phase, {d.phase for d in details})
        chosen = [d for d in details if _matches(d, status, phase, words)]
        write_json(
            {"schools": [school_json(d, contacts=False) for d in chosen], "count": len(chosen)},
            out,
        )
        return 0
    rows = services.schools.list_schools(actor)
    _check_phase(phase, {r.phase for r in rows})
    shown = [r for r in rows if _matches(r, status, phase, words)]
    if not rows:
        out.write("The register has no schools yet.\n")
        return 0
    if not shown:
        out.write(f"No schools match (the register has {plural(len(rows), 'school')}).\n")
        return 0
    write_table(
        [
            Column("URN"),
            Column("DfE number"),
            Column("Name"),
            Column("Phase"),
            Column("Status"),
            Column("Pupils", right=True),
        ],
        (
            [
                str(r.urn),
                r.laestab,
                r.name,
                r.phase,
                r.status.label,
                "" if r.pupils_on_roll is None else f"{r.pupils_on_roll:,}",
            ]
            for r in shown
        ),
        out,
    )
    if len(shown) == len(rows):
        out.write(f"\n{plural(len(rows), 'school')}\n")
    else:
        out.write(f"\n{len(shown):,} of {plural(len(rows), 'school')}\n")
    return 0


def _check_phase(phase: str, in_register: set[str]) -> None:
    """A phase nobody has is probably a typing mistake: say which phases there are."""
    known = {p.casefold() for p in (*PHASES, *in_register)}
    if phase and phase.casefold() not in known:
        names = ", ".join(sorted(set(PHASES) | {p for p in in_register if p}))
        raise CommandError(f"“{phase}” is not a phase; the phases are: {names}.")


def _matches(
    school: _Listed, status: SchoolStatus | None, phase: str, words: Sequence[str]
) -> bool:
    """The same search as the Schools tab: every word in the name, URN or postcode."""
    if status is not None and school.status != status:
        return False
    if phase and school.phase.casefold() != phase.casefold():
        return False
    if words:
        postcode = school.postcode
        key = f"{school.name} {school.urn} {postcode} {postcode.replace(' ', '')}".casefold()
        return all(word in key for word in words)
    return True


# -- show ----------------------------------------------------------------------------------------
def show_school(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    detail = services.schools.get_school_by_urn(services.actor, args.urn)
    census = services.schools.census_history(services.actor, detail.id)
    if args.json:
        data = school_json(detail, contacts=True)
        data["census_figures"] = [
            {"census_date": f.census_date, "pupils": f.pupils} for f in census
        ]
        write_json(data, out)
        return 0
    title = visible(detail.name)
    out.write(f"{title}\n{'=' * len(title)}\n")
    fields: list[tuple[str, str]] = []
    for name in SCHOOL_FIELDS:
        if name == "link_officer_id":
            fields.append((SCHOOL_LABELS[name], detail.link_officer_name))
            continue
        fields.append((SCHOOL_LABELS[name], text_value(getattr(detail, name))))
        if name == "establishment_number":
            fields.append(("DfE number", detail.laestab))
    write_fields(fields, out)
    # Every figure kept, newest first: a fee uses the one at its schedule's census date.
    out.write("\nCensus figures\n--------------\n")
    if census:
        write_table(
            [Column("Census date"), Column("Pupils", right=True)],
            ([text_value(f.census_date), f"{f.pupils:,}"] for f in census),
            out,
        )
    else:
        out.write("No pupil figures kept.\n")
    out.write("\nContacts\n--------\n")
    if detail.contacts:
        write_table(
            [Column(CONTACT_LABELS["role"]), Column("Name"), Column("Email"), Column("Phone")],
            ([c.role, c.full_name, c.email, c.phone] for c in detail.contacts),
            out,
        )
    else:
        out.write("No contacts.\n")
    out.write(
        f"\nAdded {text_value(detail.created_at)} by {visible(detail.created_by)}; "
        f"last changed {text_value(detail.updated_at)} by {visible(detail.updated_by)}.\n"
    )
    return 0


# -- profile ------------------------------------------------------------------------------------
def school_profile(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    if args.out is None and not args.json:
        raise CommandError("Say what to make: --out FILE.pdf for the PDF, or --json for the data.")
    target: Path | None = args.out
    if target is not None and target.suffix.casefold() != ".pdf":
        raise CommandError(f"--out must be a file ending .pdf ({target.name} is not).")
    if target is not None:
        found = services.school_profile.write_profile(services.actor, args.urn, target, args.as_at)
    else:
        found = services.school_profile.profile(services.actor, args.urn, args.as_at)
    if args.json:
        data = profile_json(found)
        if target is not None:
            data = {"file": str(target), **data}
        write_json(data, out)
    else:
        out.write(f"The profile of {visible(found.register.name)} written to {target}.\n")
    return 0


def profile_json(profile: SchoolProfile) -> dict[str, Any]:
    """The profile as JSON: its sections under snake_case keys, dates ISO, money "858.33"."""
    data: dict[str, Any] = {
        "urn": profile.register.urn,
        "name": profile.register.name,
        "as_at": profile.as_at,
        "register": asdict(profile.register),
        "membership_status": profile.membership_status,
        "memberships": [asdict(m) for m in profile.memberships],
        "fees": [asdict(f) for f in profile.fees],
        "invoices": [asdict(i) for i in profile.invoices],
        "owed": profile.owed,
        "credit_held": profile.credit_held,
        "balance": profile.balance,
        "reviews_hosted": [asdict(r) for r in profile.reviews_hosted],
        "reviews_given": [asdict(r) for r in profile.reviews_given],
        "latest_outcome": profile.latest_outcome,
        "inspections": [
            {
                "id": i.id,
                "inspected_on": i.inspected_on,
                "published_on": i.published_on,
                "kind": i.record.kind,
                "kind_words": i.kind,
                "overall_grade": i.record.overall_grade,
                "safeguarding": i.record.safeguarding,
                "areas": {column: grade for column, grade in i.record.areas},
                "outcome": i.record.outcome,
                "outcome_words": i.outcome,
                "source": i.source,
                "report_url": i.report_url,
                "notes": i.notes,
            }
            for i in profile.inspections
        ],
        "letters": [asdict(letter) for letter in profile.letters],
        "notes": [asdict(n) for n in profile.notes],
    }
    return data


# -- JSON ---------------------------------------------------------------------------------------
def school_json(detail: SchoolDetail, *, contacts: bool) -> dict[str, Any]:
    """A school as JSON: the keys of :data:`SCHOOL_KEYS`, and its contacts if asked."""
    derived = {"dfe_number": detail.laestab, "link_officer": detail.link_officer_name}
    data: dict[str, Any] = {
        key: derived[key] if key in derived else getattr(detail, key) for key in SCHOOL_KEYS
    }
    if contacts:
        data["contacts"] = [{key: getattr(c, key) for key in CONTACT_KEYS} for c in detail.contacts]
    return data

"""``thep-admin members …``: the members, their periods of membership, votes and payments."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import Any, TextIO

from thep_desktop.cli.memberships import register_commands
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
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.memberships import Category, MemberKind, MembershipStatus
from thep_desktop.domain.text_characters import visible
from thep_desktop.services.invoices.payment_data import PaymentDetail
from thep_desktop.services.memberships.member_data import (
    ApplicationInput,
    MemberDetail,
    MemberInput,
    MemberRow,
    PeriodDetail,
)
from thep_desktop.services.memberships.members_service import status_words
from thep_desktop.services.registry import Services

CATEGORIES = [c.value for c in Category]
# --status: what each word keeps, as the member stood on the list's date.
STATUS_CHOICES: dict[str, tuple[MembershipStatus, ...] | None] = {
    "member": (MembershipStatus.MEMBER, MembershipStatus.UNDER_NOTICE),
    "under-notice": (MembershipStatus.UNDER_NOTICE,),
    "applied": (MembershipStatus.APPLIED,),
    "ceased": (MembershipStatus.CEASED,),
    "declined": (MembershipStatus.DECLINED,),
    "all": None,
}
ROW_KEYS = (
    "id",
    "uuid",
    "kind",
    "name",
    "urn",
    "phase",
    "pupils",
    "category",
    "status",
    "status_text",
    "applied_on",
    "admitted_on",
    "notice_received_on",
    "ends_on",
    "periods",
)
MEMBER_KEYS = (
    "id",
    "uuid",
    "kind",
    "name",
    "urn",
    "school_id",
    "phase",
    "pupils",
    "contact_name",
    "address_lines",
    "postcode",
    "email",
    "phone",
    "notes",
    "version",
)
PERIOD_KEYS = (
    "id",
    "uuid",
    "category",
    "applied_on",
    "admitted_on",
    "admission_decision",
    "supports_aims",
    "agrees_to_pay_fee",
    "guarantee",
    "eligibility_override",
    "notice_received_on",
    "ends_on",
    "end_reason",
    "notes",
    "version",
)
PAYMENT_KEYS = ("id", "kind", "received_on", "amount", "method", "reference", "notes")
REFERENCE_HELP = "the member's number (see members list) or a school's 6-digit URN"


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    members = commands.add_parser(
        "members",
        help="members: applying, admission, notice, votes, fees paid",
        description="The members of the company (schools, other organisations and "
        "individuals) and their periods of membership. A member is named by its number in "
        "`members list` or, for a school, by its URN.",
    )
    actions = members.add_subparsers(dest="members_command", metavar="COMMAND", required=True)

    listing = actions.add_parser(
        "list",
        parents=[common],
        help="list the members as at a date",
        description="List the members and applicants as each stood on a date (today unless "
        "--as-at), with the counts.",
    )
    listing.add_argument("--as-at", type=parse_date, metavar="DATE", help="as at DATE (today)")
    listing.add_argument(
        "--status",
        choices=list(STATUS_CHOICES),
        default="all",
        help="only members (including those under notice), those under notice, applicants, "
        "those who left, or declined applications (default: all)",
    )
    listing.add_argument("--category", choices=CATEGORIES, help="only full or associate members")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(run=list_members, database="existing")

    show = _member_command(
        actions,
        common,
        "show",
        show_member,
        help="everything about one member",
        description="One member: its details, every period of membership with its "
        "commitments, any eligibility override, and its payments.",
    )
    show.add_argument("--json", action="store_true", help="print JSON instead of text")

    apply = actions.add_parser(
        "apply",
        parents=[common],
        help="record an application for membership",
        description="Record an application from a school of the register, another "
        "organisation or an individual. The applicant commits to the aims and values, the "
        "guarantee and the annual fee. Full membership is for the borough's publicly funded "
        "schools; anyone else needs --override-reason (and an administrator's right).",
    )
    who = apply.add_mutually_exclusive_group(required=True)
    who.add_argument("--school", metavar="URN", help="a school of the register, by its URN")
    who.add_argument("--organisation", metavar="NAME", help="an organisation's name")
    who.add_argument("--individual", metavar="NAME", help="a person's name")
    apply.add_argument(
        "--address",
        metavar="TEXT",
        default="",
        help="an organisation's or individual's address, its lines separated by commas",
    )
    apply.add_argument("--postcode", metavar="TEXT", default="")
    apply.add_argument("--contact", metavar="NAME", default="", help="who to write to")
    apply.add_argument("--email", metavar="ADDRESS", default="")
    apply.add_argument("--phone", metavar="NUMBER", default="")
    _application_arguments(apply)
    apply.set_defaults(run=apply_member, database="existing")

    admit = _member_command(
        actions,
        common,
        "admit",
        admit_member,
        help="admit an applicant",
        description="Admit an applicant on a date, optionally naming the board's decision.",
    )
    admit.add_argument("--on", required=True, type=parse_date, metavar="DATE")
    admit.add_argument("--decision", default="", metavar="TEXT", help="e.g. Board, 12/03/2026")

    notice = _member_command(
        actions,
        common,
        "notice",
        give_notice,
        help="record notice to leave",
        description="Record the member's notice to leave, received on a date; prints the "
        "date the membership ends under the rules (one year's notice unless received in a "
        "window when members could leave at once) and why.",
    )
    notice.add_argument("--received", required=True, type=parse_date, metavar="DATE")

    _member_command(
        actions,
        common,
        "withdraw-notice",
        withdraw_notice,
        help="the member withdrew its notice",
        description="The member withdrew its notice before it took effect: it stays a member.",
    )

    cease = _member_command(
        actions,
        common,
        "cease",
        cease_member,
        help="end a membership (or decline an application)",
        description="End a membership at once (a school that closed, a board decision) or "
        "decline an application. --on is the first day it is no longer a member.",
    )
    cease.add_argument("--on", required=True, type=parse_date, metavar="DATE")
    cease.add_argument("--reason", required=True, metavar="TEXT")

    rejoin = _member_command(
        actions,
        common,
        "rejoin",
        rejoin_member,
        help="a former member applies again",
        description="A new application from a member whose membership has ended; its old "
        "periods of membership are kept.",
    )
    _application_arguments(rejoin)

    voters = actions.add_parser(
        "voters",
        parents=[common],
        help="who may vote at a general meeting on a date",
        description="The full members on the day of a meeting: one vote each. Associate "
        "members do not vote.",
    )
    voters.add_argument("--on", required=True, type=parse_date, metavar="DATE")
    voters.add_argument("--json", action="store_true", help="print JSON instead of a table")
    voters.set_defaults(run=list_voters, database="existing")

    pay = _member_command(
        actions,
        common,
        "pay",
        record_payment,
        help="record a membership fee payment",
        description="Record a payment of a member's fee for an academic year: set against "
        "the member's fee invoices for that year, oldest first, and what they do not owe "
        "kept as the member's credit (thep-admin invoices pay records any other payment).",
    )
    pay.add_argument(
        "--year", required=True, metavar="YEAR", help="the academic year, e.g. 2025/26"
    )
    pay.add_argument("--amount", required=True, metavar="POUNDS", help="e.g. 858.33")
    pay.add_argument("--received", required=True, type=parse_date, metavar="DATE")
    pay.add_argument(
        "--method", default="BACS", metavar="TEXT", help="BACS (default), cheque or card"
    )
    pay.add_argument("--reference", default="", metavar="TEXT")
    register_commands.add_register_command(actions, common)


def _member_command(
    actions: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
    name: str,
    run: Callable[..., int],
    *,
    help: str,  # noqa: A002 - argparse's own name for it
    description: str,
) -> argparse.ArgumentParser:
    """A command about one member, named by its number or its school's URN."""
    parser: argparse.ArgumentParser = actions.add_parser(
        name, parents=[common], help=help, description=description
    )
    parser.add_argument("member", metavar="ID|URN", help=REFERENCE_HELP)
    parser.set_defaults(run=run, database="existing")
    return parser


def _application_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--category", required=True, choices=CATEGORIES)
    parser.add_argument(
        "--applied", required=True, type=parse_date, metavar="DATE", help="date of application"
    )
    parser.add_argument(
        "--guarantee", metavar="POUNDS", help="the guarantee (default: the rules', £25.00)"
    )
    parser.add_argument(
        "--override-reason",
        default="",
        metavar="TEXT",
        help="why a body the eligibility check refuses is made a full member",
    )
    parser.add_argument("--notes", default="", metavar="TEXT")


# -- list ----------------------------------------------------------------------------------------
def list_members(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    day = args.as_at or date.today()
    rows = services.members.list_members(services.actor, day)
    wanted = STATUS_CHOICES[args.status]
    shown = [
        r
        for r in rows
        if (wanted is None or r.status in wanted)
        and (args.category is None or r.category == args.category)
    ]
    if args.json:
        write_json(
            {
                "as_at": day,
                "members": [row_json(r, day) for r in shown],
                "count": len(shown),
                "counts": _counts(shown),
            },
            out,
        )
        return 0
    if not rows:
        out.write(f"There were no members or applications on {format_date(day)}.\n")
        return 0
    if not shown:
        out.write(
            f"No members match (on {format_date(day)} there were {plural(len(rows), 'record')}).\n"
        )
        return 0
    write_table(
        [
            Column("ID", right=True),
            Column("Name"),
            Column("Kind"),
            Column("URN"),
            Column("Status"),
            Column("Applied"),
            Column("Admitted"),
            Column("Pupils", right=True),
        ],
        (
            [
                str(r.id),
                r.name,
                r.kind.label,
                "" if r.urn is None else str(r.urn),
                _status_text(r, day),
                text_value(r.applied_on),
                text_value(r.admitted_on),
                "" if r.pupils is None else f"{r.pupils:,}",
            ]
            for r in shown
        ),
        out,
    )
    counts = _counts(shown)
    out.write(
        f"\nOn {format_date(day)}: {plural(counts['full'], 'full member')}, "
        f"{plural(counts['associate'], 'associate member')} "
        f"({counts['under_notice']:,} under notice), "
        f"{plural(counts['applications'], 'application')} waiting"
        + (f" ({len(shown):,} of {len(rows):,} shown)" if len(shown) != len(rows) else "")
        + ".\n"
    )
    return 0


def _counts(rows: list[MemberRow]) -> dict[str, int]:
    members = [r for r in rows if r.status is not None and r.status.is_member]
    return {
        "full": sum(1 for r in members if r.category is Category.FULL),
        "associate": sum(1 for r in members if r.category is Category.ASSOCIATE),
        "under_notice": sum(1 for r in members if r.status is MembershipStatus.UNDER_NOTICE),
        "applications": sum(1 for r in rows if r.status is MembershipStatus.APPLIED),
    }


def _status_text(row: MemberRow, day: date) -> str:
    """The list's words ("Full member, leaving 01/02/2027"), from the row's period."""
    if row.status is None or row.category is None:
        return ""
    if row.status is MembershipStatus.APPLIED:
        return f"Applied ({row.category.label.lower()})"
    if row.status is MembershipStatus.UNDER_NOTICE and row.ends_on is not None:
        return f"{row.category.label}, leaving {format_date(row.ends_on)}"
    if row.status is MembershipStatus.CEASED and row.ends_on is not None:
        return f"Left {format_date(row.ends_on)}"
    if row.status is MembershipStatus.MEMBER:
        return row.category.label
    return row.status.label


def row_json(row: MemberRow, day: date) -> dict[str, Any]:
    derived = {"status_text": _status_text(row, day)}
    return {key: derived[key] if key in derived else getattr(row, key) for key in ROW_KEYS}


# -- show ----------------------------------------------------------------------------------------
def show_member(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    actor = services.actor
    member = services.members.find_member(actor, args.member)
    payments = services.payments.payments(actor, member_id=member.id)
    today = date.today()
    if args.json:
        write_json(member_json(member, payments, today), out)
        return 0
    title = visible(member.name)
    out.write(f"{title}\n{'=' * len(title)}\n")
    current = member.period_on(today)
    fields = [
        ("Member number", str(member.id)),
        ("Kind", member.kind.label),
    ]
    if member.urn is not None:
        fields += [("URN", str(member.urn)), ("Phase", member.phase)]
        fields.append(("Pupils", "" if member.pupils is None else f"{member.pupils:,}"))
    fields += [
        ("Status today", status_words(current, today) if current else "Not yet applied"),
        ("Votes", "Yes (one vote)" if _votes(current, today) else "No"),
        ("Contact", member.contact_name),
        ("Address", "\n".join(member.address_lines)),
        ("Email", member.email),
        ("Phone", member.phone),
        ("Notes", member.notes),
    ]
    write_fields(fields, out)
    for number, period in enumerate(member.periods, start=1):
        heading = f"Period of membership {number} of {len(member.periods)}"
        out.write(f"\n{heading}\n{'-' * len(heading)}\n")
        write_fields(_period_fields(period), out)
    out.write("\nPayments\n--------\n")
    if payments:
        write_table(
            [
                Column("Date"),
                Column("Kind"),
                Column("Amount", right=True),
                Column("Method"),
                Column("Reference"),
                Column("Set against"),
                Column("Credit", right=True),
            ],
            (
                [
                    text_value(p.received_on),
                    p.kind_label,
                    text_value(p.amount),
                    p.method.label,
                    p.reference,
                    ", ".join(a.invoice_number for a in p.allocations),
                    text_value(p.unallocated) if p.unallocated else "",
                ]
                for p in payments
            ),
            out,
        )
    else:
        out.write("No payments recorded.\n")
    return 0


def _votes(period: PeriodDetail | None, day: date) -> bool:
    return (
        period is not None and period.category is Category.FULL and period.status_on(day).is_member
    )


def _period_fields(period: PeriodDetail) -> list[tuple[str, str]]:
    admitted = text_value(period.admitted_on) or "Not yet admitted"
    if period.admitted_on and period.admission_decision:
        admitted += f" ({period.admission_decision})"
    fields = [
        ("Category", period.category.label),
        ("Applied", text_value(period.applied_on)),
        ("Admitted", admitted),
        (
            "Commitments",
            f"Supports the aims and values: {text_value(period.supports_aims)}\n"
            f"Guarantee: {text_value(period.guarantee)}\n"
            f"Agrees to pay the annual fee: {text_value(period.agrees_to_pay_fee)}",
        ),
    ]
    if period.eligibility_override:
        fields.append(("Eligibility override", period.eligibility_override))
    if period.notice_received_on:
        fields.append(("Notice received", text_value(period.notice_received_on)))
    if period.ends_on:
        ended = "Declined or withdrawn" if period.admitted_on is None else "Member until"
        last_day = period.ends_on.fromordinal(period.ends_on.toordinal() - 1)
        fields.append(
            (
                ended,
                f"{format_date(last_day)} (no longer a member from {format_date(period.ends_on)})"
                if period.admitted_on
                else format_date(period.ends_on),
            )
        )
    if period.end_reason:
        fields.append(("Reason", period.end_reason))
    if period.notes:
        fields.append(("Notes", period.notes))
    return fields


def member_json(member: MemberDetail, payments: list[PaymentDetail], today: date) -> dict[str, Any]:
    data: dict[str, Any] = {key: getattr(member, key, None) for key in MEMBER_KEYS}
    # The address's own lines; the postcode has its key.
    data["address_lines"] = [line.strip() for line in member.address.splitlines() if line.strip()]
    current = member.period_on(today)
    data["status"] = current.status_on(today) if current else None
    data["status_text"] = status_words(current, today) if current else None
    data["votes"] = _votes(current, today)
    data["periods"] = [{key: getattr(p, key) for key in PERIOD_KEYS} for p in member.periods]
    data["payments"] = [
        {
            **{key: getattr(p, key) for key in PAYMENT_KEYS},
            "set_against": [
                {"invoice_number": a.invoice_number, "amount": a.amount} for a in p.allocations
            ],
            "credit": p.unallocated,
        }
        for p in payments
    ]
    return data


# -- changes -------------------------------------------------------------------------------------
def _application(args: argparse.Namespace) -> ApplicationInput:
    return ApplicationInput(
        category=args.category,
        applied_on=args.applied,
        guarantee=args.guarantee,
        eligibility_override=args.override_reason,
        notes=args.notes,
    )


def address_text(typed: str) -> str:
    """An address typed on one line, its lines separated by commas, as the stored lines."""
    lines = [part.strip() for chunk in typed.splitlines() for part in chunk.split(",")]
    return "\n".join(line for line in lines if line)


def apply_member(services: Services, args: argparse.Namespace) -> int:
    actor = services.actor
    if args.school is not None:
        for option in ("address", "postcode"):
            if getattr(args, option):
                raise CommandError(
                    f"--{option} is for an organisation or an individual; a school's address "
                    "is the register's."
                )
        school = services.schools.get_school_by_urn(actor, args.school)
        data = MemberInput(
            kind=MemberKind.SCHOOL,
            school_id=school.id,
            contact_name=args.contact,
            email=args.email,
            phone=args.phone,
        )
    else:
        kind = MemberKind.ORGANISATION if args.organisation is not None else MemberKind.INDIVIDUAL
        data = MemberInput(
            kind=kind,
            name=args.organisation if args.organisation is not None else args.individual,
            contact_name=args.contact,
            address=address_text(args.address),
            postcode=args.postcode,
            email=args.email,
            phone=args.phone,
        )
    member = services.members.apply(actor, data, _application(args))
    period = member.periods[-1]
    print(
        f"Application recorded: member {member.id}, {visible(member.name)}, for "
        f"{period.category.label.lower()}ship, applied on {format_date(period.applied_on)}."
    )
    if period.eligibility_override:
        print(f"Eligibility check overridden: {visible(period.eligibility_override)}")
    print(f"Admit it with: thep-admin members admit {member.id} --on DATE")
    return 0


def _latest(member: MemberDetail) -> PeriodDetail:
    period = member.latest
    if period is None:  # a member is always made with its first period
        raise CommandError(f"{member.name} has no period of membership.")
    return period


def admit_member(services: Services, args: argparse.Namespace) -> int:
    member = services.members.find_member(services.actor, args.member)
    period = _latest(member)
    member = services.members.admit(
        services.actor, period.id, period.version, args.on, args.decision
    )
    done = member.periods[-1]
    print(f"{visible(member.name)} admitted on {format_date(args.on)}: {done.category.label}.")
    return 0


def give_notice(services: Services, args: argparse.Namespace) -> int:
    member = services.members.find_member(services.actor, args.member)
    period = _latest(member)
    member = services.members.record_notice(
        services.actor, period.id, period.version, args.received
    )
    done = member.periods[-1]
    assert done.ends_on is not None
    why = services.fees.rules(services.actor).notice_rule.describe(args.received)
    if done.ends_on <= args.received:
        print(
            f"Notice from {visible(member.name)} received on {format_date(args.received)}: "
            f"{why}. The membership ended on {format_date(done.ends_on)}."
        )
    else:
        last_day = done.ends_on.fromordinal(done.ends_on.toordinal() - 1)
        print(
            f"Notice from {visible(member.name)} received on {format_date(args.received)}: "
            f"{why}. It stays a member (paying its fees and voting) until "
            f"{format_date(last_day)} and leaves on {format_date(done.ends_on)}."
        )
    return 0


def withdraw_notice(services: Services, args: argparse.Namespace) -> int:
    member = services.members.find_member(services.actor, args.member)
    period = _latest(member)
    member = services.members.withdraw_notice(services.actor, period.id, period.version)
    print(f"Notice withdrawn: {visible(member.name)} stays a member.")
    return 0


def cease_member(services: Services, args: argparse.Namespace) -> int:
    member = services.members.find_member(services.actor, args.member)
    period = _latest(member)
    member = services.members.cease(services.actor, period.id, period.version, args.on, args.reason)
    done = member.periods[-1]
    if done.admitted_on is None:
        print(f"Application from {visible(member.name)} declined on {format_date(args.on)}.")
    else:
        print(
            f"{visible(member.name)} is no longer a member from {format_date(args.on)} "
            f"({visible(done.end_reason)})."
        )
    return 0


def rejoin_member(services: Services, args: argparse.Namespace) -> int:
    member = services.members.find_member(services.actor, args.member)
    member = services.members.apply_again(services.actor, member.id, _application(args))
    period = member.periods[-1]
    print(
        f"New application recorded for {visible(member.name)} ({period.category.label.lower()}"
        f"ship, applied on {format_date(period.applied_on)}); its "
        f"{plural(len(member.periods) - 1, 'earlier period')} of membership kept."
    )
    print(f"Admit it with: thep-admin members admit {member.id} --on DATE")
    return 0


def list_voters(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    voters = services.members.voters_on(services.actor, args.on)
    if args.json:
        write_json(
            {
                "meeting_on": args.on,
                "voters": [
                    {
                        "member_id": v.member_id,
                        "name": v.name,
                        "urn": v.urn,
                        "admitted_on": v.admitted_on,
                    }
                    for v in voters
                ],
                "count": len(voters),
            },
            out,
        )
        return 0
    if not voters:
        out.write(
            f"Nobody may vote at a meeting on {format_date(args.on)}: there are no full members.\n"
        )
        return 0
    write_table(
        [Column("ID", right=True), Column("Member"), Column("URN"), Column("Admitted")],
        (
            [
                str(v.member_id),
                v.name,
                "" if v.urn is None else str(v.urn),
                text_value(v.admitted_on),
            ]
            for v in voters
        ),
        out,
    )
    out.write(
        f"\n{plural(len(voters), 'vote')} at a meeting on {format_date(args.on)}: one for each "
        "full member; associate members do not vote.\n"
    )
    return 0


def record_payment(services: Services, args: argparse.Namespace) -> int:
    member = services.members.find_member(services.actor, args.member)
    payment = services.payments.record_fee_payment(
        services.actor,
        member.id,
        args.year,
        args.amount,
        args.received,
        method=args.method,
        reference=args.reference,
    )
    year = AcademicYear.parse(args.year).label
    words = (
        f"Payment recorded: {text_value(payment.amount)} from {visible(member.name)} for "
        f"{year}, received {format_date(payment.received_on)} ({payment.method.label})."
    )
    if payment.allocations:
        words += (
            " Set against "
            + ", ".join(f"{a.invoice_number} ({text_value(a.amount)})" for a in payment.allocations)
            + "."
        )
    if payment.unallocated:
        words += f" Kept as credit: {text_value(payment.unallocated)}."
    print(words)
    return 0

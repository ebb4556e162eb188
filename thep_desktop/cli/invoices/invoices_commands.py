"""``thep-admin invoices …``: the invoices list, one invoice, payments, credit notes, reminders."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO

from thep_desktop.cli.invoices import invoice_output, invoice_runs_commands
from thep_desktop.cli.invoices.invoice_output import find
from thep_desktop.cli.shared.jobs import ProgressLine, ctrl_c_cancels
from thep_desktop.cli.shared.output import (
    Column,
    CommandError,
    parse_date,
    plural,
    text_value,
    write_json,
    write_table,
)
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import money
from thep_desktop.domain.invoices import ZERO, InvoiceKind, PaymentStatus, ReminderStage
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.services.invoices.invoice_data import (
    InvoiceFilter,
    running_totals,
)
from thep_desktop.services.invoices.invoice_records import statuses_from_words
from thep_desktop.services.invoices.payment_data import PaymentInput
from thep_desktop.services.memberships.fees_service import parse_year
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ValidationError

NUMBER_HELP = "the invoice's or credit note's number: INV-000123, or just 123 (id:N for a draft)"
STATUS_WORDS = ", ".join(s.label.lower() for s in PaymentStatus)
STAGE_WORDS = {
    "first": ReminderStage.FIRST,
    "second": ReminderStage.SECOND,
    "final": ReminderStage.FINAL,
}


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    invoices = commands.add_parser(
        "invoices",
        help="invoices: the list, payments, credit notes, reminders",
        description="Invoices and credit notes: the list with its totals, one invoice, "
        "payments, credit notes and the reminders of overdue invoices. An invoice is named "
        "by its number (INV-000123, or just 123).",
    )
    actions = invoices.add_subparsers(dest="invoices_command", metavar="COMMAND", required=True)

    listing = actions.add_parser(
        "list",
        parents=[common],
        help="the invoices and credit notes, newest first, with the totals",
        description="Invoices and credit notes, newest first, with what is paid and "
        "outstanding, and the totals (issued, paid, outstanding, overdue) of the invoices "
        "shown.",
    )
    listing.add_argument(
        "--status",
        action="append",
        metavar="STATUS",
        help=f"only these ({STATUS_WORDS}); may be given more than once",
    )
    listing.add_argument(
        "--customer", default="", metavar="TEXT", help="a customer's name, a number or a reference"
    )
    listing.add_argument("--overdue", action="store_true", help="only those overdue today")
    listing.add_argument(
        "--year", metavar="YEAR", help="only the membership fees of this year, e.g. 2025/26"
    )
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(run=list_invoices, database="existing")

    show = actions.add_parser(
        "show",
        parents=[common],
        help="one invoice or credit note: lines, payments, credit notes, reminders",
        description="One invoice or credit note with its lines, totals, what was paid or "
        "credited against it and the reminders sent.",
    )
    show.add_argument("number", metavar="NUMBER", help=NUMBER_HELP)
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    show.set_defaults(run=show_invoice, database="existing")

    pay = actions.add_parser(
        "pay",
        parents=[common],
        help="record a payment of an invoice",
        description="Record money received for an invoice. More than the invoice still owes "
        "is refused unless --credit-rest keeps the rest as the customer's credit.",
    )
    pay.add_argument("number", metavar="NUMBER", help=NUMBER_HELP)
    pay.add_argument("--amount", required=True, metavar="POUNDS", help="e.g. 858.33")
    pay.add_argument("--date", required=True, type=parse_date, metavar="DATE", help="received on")
    pay.add_argument("--method", required=True, metavar="METHOD", help="BACS, cheque or card")
    pay.add_argument("--reference", default="", metavar="TEXT", help="e.g. the bank's reference")
    pay.add_argument(
        "--credit-rest",
        action="store_true",
        help="keep what is more than the invoice owes as the customer's credit",
    )
    pay.add_argument("--json", action="store_true", help="print JSON instead of text")
    pay.set_defaults(run=pay_invoice, database="existing")

    credit = actions.add_parser(
        "credit",
        parents=[common],
        help="issue a credit note against an invoice",
        description="Issue a credit note against an issued invoice: all of it, or --amount "
        "of it. It is set against what the invoice still owes; any more becomes the "
        "customer's credit.",
    )
    credit.add_argument("number", metavar="NUMBER", help=NUMBER_HELP)
    credit.add_argument("--amount", metavar="POUNDS", help="part of the invoice (default: all)")
    credit.add_argument("--reason", required=True, metavar="TEXT", help="why it is credited")
    credit.add_argument("--date", type=parse_date, metavar="DATE", help="the credit note's date")
    credit.add_argument("--json", action="store_true", help="print JSON instead of text")
    credit.set_defaults(run=credit_invoice, database="existing")

    remind = actions.add_parser(
        "remind",
        parents=[common],
        help="send the reminders due: one PDF of letters, recorded",
        description="The 1st, 2nd and final reminders due on a date (today): every overdue "
        "invoice whose next stage has come, as letters on the letterhead in one PDF, each "
        "recorded against its invoice (and a member's correspondence). The stages' days are "
        "in the invoice settings. With --dry-run, only list them.",
    )
    remind.add_argument("--on", type=parse_date, metavar="DATE", help="the letters' date (today)")
    remind.add_argument("--out", type=Path, metavar="FILE.pdf", help="where to save the letters")
    remind.add_argument(
        "--stage",
        action="append",
        choices=list(STAGE_WORDS),
        help="only this stage (may be given more than once)",
    )
    remind.add_argument("--dry-run", action="store_true", help="list what is due; send nothing")
    remind.add_argument("--json", action="store_true", help="print JSON instead of text")
    remind.set_defaults(run=send_reminders, database="existing")
    invoice_runs_commands.add_commands(actions, common)


# -- list ----------------------------------------------------------------------------------------
def list_invoices(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    today = date.today()
    try:
        statuses = statuses_from_words(w for typed in args.status or () for w in typed.split(","))
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    fee_year = None
    if args.year:
        fee_year = parse_year(args.year).start_year
    rows = services.invoices.list_invoices(
        services.actor,
        InvoiceFilter(
            statuses=statuses,
            search=args.customer,
            overdue_on=today if args.overdue else None,
            fee_year=fee_year,
        ),
    )
    totals = running_totals(rows, today)
    if args.json:
        write_json(
            {
                "as_at": today,
                "invoices": [invoice_output.row_json(r, today) for r in rows],
                "count": len(rows),
                "totals": invoice_output.totals_json(totals),
            },
            out,
        )
        return 0
    if not rows:
        out.write("No invoices or credit notes match.\n")
        return 0
    write_table(
        [
            Column("Number"),
            Column("Date"),
            Column("Customer"),
            Column("Reference"),
            Column("Total", right=True),
            Column("Outstanding", right=True),
            Column("Due"),
            Column("Status"),
        ],
        (
            [
                r.display_number,
                format_date(r.invoice_date),
                r.customer_name,
                r.reference,
                money(-r.total) if r.kind is InvoiceKind.CREDIT_NOTE else money(r.total),
                text_value(r.outstanding) if r.kind is InvoiceKind.INVOICE else "",
                format_date(r.due_date) if r.kind is InvoiceKind.INVOICE else "",
                invoice_output.status_text(r, today),
            ]
            for r in rows
        ),
        out,
    )
    out.write(
        f"\n{plural(totals.count, 'invoice')} issued: {text_value(totals.issued)}; paid "
        f"{text_value(totals.paid)}, credited {text_value(totals.credited)}, outstanding "
        f"{text_value(totals.outstanding)}, of which overdue {text_value(totals.overdue)}."
    )
    if totals.drafts:
        out.write(f" {plural(totals.drafts, 'draft')} not yet issued.")
    out.write("\n")
    return 0


# -- show ----------------------------------------------------------------------------------------
def show_invoice(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    detail = find(services, args.number)
    today = date.today()
    if args.json:
        write_json(invoice_output.detail_json(detail, today), out)
        return 0
    invoice_output.write_detail(detail, today, out)
    return 0


# -- pay -----------------------------------------------------------------------------------------
def pay_invoice(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    detail = find(services, args.number)
    if detail.is_credit_note:
        raise CommandError(
            f"{detail.display_number} is a credit note: a payment is set against an invoice."
        )
    share: Decimal | str = args.amount
    try:
        typed = Decimal(args.amount.strip().replace(",", "").removeprefix("£"))
    except (InvalidOperation, AttributeError):
        typed = None
    # An issued invoice takes what it still owes; the rest is the customer's credit only when
    # asked. A draft is given the lot, for the service to refuse it in words.
    if typed is not None and not detail.is_draft and ZERO < detail.outstanding < typed:
        share = detail.outstanding
    try:
        payment = services.payments.record_payment(
            services.actor,
            PaymentInput(
                customer_id=detail.customer_id,
                received_on=args.date,
                amount=args.amount,
                method=args.method,
                reference=args.reference,
                allocations=((detail.id, share),),
                hold_rest_as_credit=args.credit_rest,
            ),
        )
    except ValidationError as exc:
        message = str(exc)
        if "keep it as credit" in message:
            message += " (--credit-rest keeps it as the customer's credit)."
        raise CommandError(message) from None
    after = services.invoices.get_invoice(services.actor, detail.id)
    if args.json:
        write_json(
            {
                "payment": invoice_output.payment_json(payment),
                "invoice": invoice_output.detail_json(after, date.today()),
            },
            out,
        )
        return 0
    out.write(
        f"Payment of {text_value(payment.amount)} recorded ({payment.method.label}, "
        f"{format_date(payment.received_on)}): {text_value(payment.allocated)} against "
        f"{after.display_number}, now {after.status.label.lower()}"
    )
    if after.outstanding > ZERO:
        out.write(f" with {text_value(after.outstanding)} outstanding")
    out.write(".\n")
    if payment.unallocated > ZERO:
        out.write(f"{text_value(payment.unallocated)} is kept as {after.customer_name}'s credit.\n")
    return 0


# -- credit --------------------------------------------------------------------------------------
def credit_invoice(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    detail = find(services, args.number)
    note = services.invoices.credit(
        services.actor, detail.id, args.reason, amount=args.amount, credit_date=args.date
    )
    after = services.invoices.get_invoice(services.actor, detail.id)
    if args.json:
        today = date.today()
        write_json(
            {
                "credit_note": invoice_output.detail_json(note, today),
                "invoice": invoice_output.detail_json(after, today),
            },
            out,
        )
        return 0
    out.write(
        f"Credit note {note.display_number} of {text_value(note.total)} issued against "
        f"{after.display_number}, which is now {after.status.label.lower()}"
    )
    if after.outstanding > ZERO:
        out.write(f" with {text_value(after.outstanding)} outstanding")
    out.write(".\n")
    unapplied = note.outstanding
    if unapplied > ZERO:
        out.write(
            f"{text_value(unapplied)} of it was more than the invoice owed: it is "
            f"{after.customer_name}'s credit, to refund or set against another invoice.\n"
        )
    return 0


# -- reminders -----------------------------------------------------------------------------------
def send_reminders(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    day = args.on or date.today()
    stages = {STAGE_WORDS[s] for s in args.stage} if args.stage else None
    if args.dry_run:
        due = services.reminders.due(services.actor, day, stages=stages)
        if args.json:
            write_json(
                {
                    "on": day,
                    "reminders": [invoice_output.due_json(r) for r in due],
                    "count": len(due),
                    "sent": False,
                },
                out,
            )
            return 0
        if not due:
            out.write(f"No reminders are due on {format_date(day)}.\n")
            return 0
        invoice_output.write_due(due, out)
        out.write(f"\n{plural(len(due), 'reminder')} due on {format_date(day)}; nothing sent.\n")
        return 0
    if args.out is None:
        raise CommandError("Give --out FILE.pdf for the letters, or --dry-run to list them.")
    line = ProgressLine(sys.stderr, "Reminders", str(args.out))
    progress = Progress(line.report)
    try:
        with ctrl_c_cancels(progress):
            result = services.reminders.send(
                services.actor, day, args.out, stages=stages, progress=progress
            )
    except Cancelled:
        raise KeyboardInterrupt from None
    finally:
        line.finish()
    if args.json:
        write_json(
            {
                "on": day,
                "reminders": [invoice_output.due_json(r) for r in result.sent],
                "count": result.letters,
                "pages": result.pages,
                "file": str(result.path) if result.path else None,
                "skipped": [
                    {"customer": s.school_name, "reason": s.reason} for s in result.skipped
                ],
                "sent": bool(result.letters),
            },
            out,
        )
        return 0
    if not result.letters:
        out.write(f"{result}\n")
        return 0
    invoice_output.write_due(list(result.sent), out)
    out.write(f"\n{result}: saved to {result.path}.\n")
    for skipped in result.skipped:
        out.write(f"Left out: {skipped.school_name}: {skipped.reason}\n")
    for warning in result.warnings:
        out.write(f"Note: {warning}\n")
    return 0

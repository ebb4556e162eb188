"""``thep-admin invoices fee-run|render|export-xero|aged-debt|statement``: runs and documents."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

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
from thep_desktop.domain.invoices import AGE_BUCKETS, ZERO
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.services.invoices.fee_runs_service import FeeRunPreview, FeeRunRow
from thep_desktop.services.invoices.invoice_data import InvoiceFilter
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import NotFoundError


def add_commands(actions: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    run = actions.add_parser(
        "fee-run",
        parents=[common],
        help="the membership fees of a year (or a fee period) as draft invoices",
        description="Print what the fee run would bill (each member's fee with its working; "
        "who is already billed; who has no pupil figure and is not billed), then make a "
        "draft invoice for every member to bill. With --issue, issue them all at once. A "
        "member already billed for the period is never billed again.",
    )
    run.add_argument("--year", required=True, metavar="YEAR", help="e.g. 2025/26")
    run.add_argument(
        "--period", metavar="NAME", help="one charged fee period of the year (its name or dates)"
    )
    run.add_argument("--date", type=parse_date, metavar="DATE", help="the invoice date (today)")
    run.add_argument("--issue", action="store_true", help="issue the drafts made")
    run.add_argument("--dry-run", action="store_true", help="only print what would be billed")
    run.add_argument("--json", action="store_true", help="print JSON instead of text")
    run.set_defaults(run=fee_run, database="existing")

    render = actions.add_parser(
        "render",
        parents=[common],
        help="invoices and credit notes as one PDF",
        description="Lay out invoices or credit notes (a draft by id:N) on the letterhead, "
        "each with its own page numbers, into one PDF.",
    )
    render.add_argument("numbers", nargs="+", metavar="NUMBER", help="INV-000123, 123, id:N")
    render.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    render.set_defaults(run=render_invoices, database="existing")

    xero = actions.add_parser(
        "export-xero",
        parents=[common],
        help="the issued invoices as Xero sales invoice CSV files",
        description="Issued invoices in Xero's sales invoice import format (one row per "
        "line, dates dd/mm/yyyy), at most 500 invoices a file: FILE.csv, then FILE-2.csv… "
        "Credit notes and drafts are left out and counted.",
    )
    xero.add_argument("file", type=Path, metavar="FILE.csv", help="or a folder")
    xero.add_argument("--from", dest="date_from", type=parse_date, metavar="DATE")
    xero.add_argument("--to", dest="date_to", type=parse_date, metavar="DATE")
    xero.set_defaults(run=export_xero, database="existing")

    aged = actions.add_parser(
        "aged-debt",
        parents=[common],
        help="what each customer owes, by how late: current, 1-30 … over 90 days",
        description="What each customer owed as at a date (today), in the columns current, "
        "1–30, 31–60, 61–90 and over 90 days past due, with the totals. --out writes it as "
        "a PDF or an Excel workbook.",
    )
    aged.add_argument("--as-at", type=parse_date, metavar="DATE", help="as at DATE (today)")
    aged.add_argument("--out", type=Path, metavar="FILE.pdf|FILE.xlsx")
    aged.add_argument("--detail", action="store_true", help="the PDF lists each invoice too")
    aged.add_argument("--json", action="store_true", help="print JSON instead of a table")
    aged.set_defaults(run=aged_debt, database="existing")

    statement = actions.add_parser(
        "statement",
        parents=[common],
        help="a customer's statement of account as a PDF",
        description="A statement of account: the balance brought forward, each invoice, "
        "credit note, payment and refund with the running balance, what is overdue and the "
        "credit held. CUSTOMER is a customer's name (or part of it), an invoice number of "
        "theirs, or `all` for everyone with a balance.",
    )
    statement.add_argument("customer", metavar="CUSTOMER")
    statement.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    statement.add_argument("--from", dest="date_from", type=parse_date, metavar="DATE")
    statement.add_argument("--to", dest="date_to", type=parse_date, metavar="DATE")
    statement.set_defaults(run=write_statement, database="existing")


def _with_progress(title: str, where: str, work: Any) -> Any:
    """``work(progress)`` with a progress line on stderr and Ctrl+C as Cancel."""
    line = ProgressLine(sys.stderr, title, where)
    progress = Progress(line.report)
    try:
        with ctrl_c_cancels(progress):
            return work(progress)
    except Cancelled:
        raise KeyboardInterrupt from None
    finally:
        line.finish()


# -- fee run -------------------------------------------------------------------------------------
def fee_run(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    actor = services.actor
    preview = services.fee_runs.preview(actor, args.year, args.period, args.date)
    data: dict[str, Any] = {**_preview_json(preview), "run_id": None, "draft_ids": []}
    data["issued"] = None
    if not args.json:
        _write_preview(preview, out)
    if args.dry_run:
        if args.json:
            write_json(data, out)
        else:
            out.write("\nNothing was made (--dry-run).\n")
        return 0
    result = _with_progress(
        "Fee run",
        preview.what,
        lambda progress: services.fee_runs.create_drafts(
            actor, args.year, args.period, args.date, progress
        ),
    )
    data["run_id"], data["draft_ids"] = result.run_id, list(result.draft_ids)
    if not args.json:
        out.write(f"\n{result.message}\n")
    # --issue issues this run's drafts, and those an earlier run of the same year (or
    # period) left as drafts: running again with --issue is how the drafts are issued.
    waiting = [
        r.id
        for r in services.fee_runs.runs(actor)
        if r.year == preview.year and r.period_label == preview.period_label and r.drafts
    ]
    if args.issue and waiting:
        issued_numbers: list[str] = []
        issued_total = ZERO
        for run_id in sorted(waiting):
            issued = _with_progress(
                "Issuing",
                preview.what,
                lambda progress, run_id=run_id: services.fee_runs.issue_run(
                    actor, run_id, progress
                ),
            )
            issued_numbers += issued.numbers
            issued_total += issued.total
        data["issued"] = {"numbers": issued_numbers, "total": issued_total}
        if not args.json:
            first, last = issued_numbers[0], issued_numbers[-1]
            shown = first if len(issued_numbers) == 1 else f"{first} to {last}"
            out.write(
                f"Issued {plural(len(issued_numbers), 'invoice')}, {shown}, "
                f"{text_value(issued_total)} in all.\n"
            )
    elif not args.json and waiting:
        out.write("Issue them in the Invoices tab, or run again with --issue.\n")
    if args.json:
        write_json(data, out)
    return 0


def _row_json(row: FeeRunRow) -> dict[str, Any]:
    return {
        "member_id": row.member_id,
        "name": row.name,
        "urn": row.urn,
        "category": row.category,
        "amount": row.amount,
        "working": row.working,
        "state": row.state.value.replace(" ", "_"),
        "billed_as": row.billed_as,
        "problem": row.problem,
        "supply_from": row.supply_from,
        "supply_to": row.supply_to,
    }


def _preview_json(preview: FeeRunPreview) -> dict[str, Any]:
    return {
        "academic_year": preview.year.label,
        "period": preview.period_label,
        "invoice_date": preview.invoice_date,
        "due_date": preview.due_date,
        "reference": preview.reference,
        "members": [_row_json(r) for r in preview.rows],
        "counts": {s.value.replace(" ", "_"): n for s, n in preview.counts.items()},
        "total": preview.total,
    }


def _write_preview(preview: FeeRunPreview, out: TextIO) -> None:
    out.write(
        f"{preview.summary}\nInvoice date {format_date(preview.invoice_date)}, due "
        f"{format_date(preview.due_date)}; reference “{preview.reference}”.\n\n"
    )
    if preview.to_bill:
        write_table(
            [
                Column("ID", right=True),
                Column("Member"),
                Column("Category"),
                Column("Fee", right=True),
                Column("Working"),
            ],
            (
                [str(r.member_id), r.name, r.category.label, text_value(r.amount), r.working]
                for r in preview.to_bill
            ),
            out,
        )
    for rows, heading, why in (
        (preview.already_billed, "Already billed, not billed again", lambda r: r.state_text),
        (preview.without_figures, "No pupil figure, not billed", lambda r: r.problem),
        (preview.nothing_to_pay, "Nothing to pay", lambda r: r.working),
    ):
        if rows:
            out.write(f"\n{heading} ({len(rows):,}):\n")
            for row in rows:
                out.write(f"  {row.name}: {why(row)}\n")


# -- documents -----------------------------------------------------------------------------------
def render_invoices(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    chosen = [find(services, number) for number in args.numbers]
    result = _with_progress(
        "Invoices",
        str(args.out),
        lambda progress: services.invoice_documents.render(
            services.actor, [d.id for d in chosen], args.out, progress
        ),
    )
    names = ", ".join(d.display_number for d in chosen)
    out.write(f"{names}: {plural(result.pages, 'page')}, saved to {args.out}.\n")
    return 0


def export_xero(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    wanted = None
    if args.date_from or args.date_to:
        wanted = InvoiceFilter(date_from=args.date_from, date_to=args.date_to)
    export = services.invoice_documents.export_xero(services.actor, args.file, wanted)
    out.write(export.message + "\n")
    for path in export:
        out.write(f"  {path}\n")
    return 0


def aged_debt(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    as_at = args.as_at or date.today()
    if args.out is not None:
        report = services.aged_debt.write_aged_debt(
            services.actor, as_at, args.out, detail=args.detail
        )
    else:
        report = services.aged_debt.aged_debt(services.actor, as_at)
    keys = [b.key for b in AGE_BUCKETS]
    if args.json:
        write_json(
            {
                "as_at": report.as_at,
                "columns": [{"key": b.key, "label": b.label} for b in AGE_BUCKETS],
                "customers": [
                    {
                        "customer": row.customer,
                        **dict(zip(keys, row.amounts, strict=True)),
                        "total": row.total,
                        "invoices": [
                            {
                                "number": i.number,
                                "invoice_date": i.invoice_date,
                                "due_date": i.due_date,
                                "days_overdue": i.days_overdue,
                                "outstanding": i.outstanding,
                            }
                            for i in row.invoices
                        ],
                    }
                    for row in report.rows
                ],
                "totals": {**dict(zip(keys, report.totals, strict=True)), "total": report.total},
                "file": str(args.out) if args.out is not None else None,
            },
            out,
        )
        return 0
    out.write(f"Aged debt as at {format_date(report.as_at)}\n\n")
    if not report.rows:
        out.write("Nobody owes anything.\n")
    else:
        columns = [Column("Customer")] + [Column(b.label, right=True) for b in AGE_BUCKETS]
        write_table(
            [*columns, Column("Total", right=True)],
            [
                *(
                    [row.customer, *(text_value(a) for a in row.amounts), text_value(row.total)]
                    for row in report.rows
                ),
                ["Total", *(text_value(a) for a in report.totals), text_value(report.total)],
            ],
            out,
        )
    if args.out is not None:
        out.write(f"\nSaved to {args.out}.\n")
    return 0


def write_statement(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    customer_ids = (
        None if args.customer.strip().casefold() == "all" else [_customer(services, args.customer)]
    )
    result = _with_progress(
        "Statements",
        str(args.out),
        lambda progress: services.statements.write_statements(
            services.actor,
            customer_ids,
            args.out,
            args.date_from,
            args.date_to,
            progress=progress,
        ),
    )
    out.write(
        f"{plural(result.documents, 'statement')}, {plural(result.pages, 'page')}, saved to "
        f"{args.out}.\n"
    )
    return 0


def _customer(services: Services, text: str) -> int:
    """The customer named (or partly named), or the customer of an invoice number."""
    wanted = " ".join(text.split()).casefold()
    choices = [c for c in services.invoices.customer_choices(services.actor)]
    exact = [c for c in choices if c.name.casefold() == wanted]
    found = exact or [c for c in choices if wanted and wanted in c.name.casefold()]
    if not found:
        try:
            return find(services, text).customer_id
        except NotFoundError:
            raise CommandError(
                f"No customer's name contains “{text.strip()}”, and no invoice has that number."
            ) from None
    if len(found) > 1:
        names = "; ".join(c.name for c in found[:8]) + ("…" if len(found) > 8 else "")
        raise CommandError(
            f"{len(found)} customers' names contain “{text.strip()}” ({names}): give more of "
            "the name."
        )
    if found[0].customer_id is None:
        raise CommandError(
            f"{found[0].name} has never been invoiced: there is no account to state."
        )
    return found[0].customer_id

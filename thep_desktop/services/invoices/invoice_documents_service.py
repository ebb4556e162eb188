"""Invoices and credit notes as PDF (one, a selection or a whole fee run), the register, and Xero.

An issued document prints from what was kept on it at issue (the customer's name and
address, and the organisation's: its ``supplier`` snapshot), so a reprint shows what was
sent even after the organisation or the school moves. A draft prints the organisation as
it is now. Every file appears whole or not at all: it is written beside its final name and
put in place at the end, and a folder that cannot be written is said in words.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from thep_desktop.database import Database
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.invoices import ZERO, InvoiceKind, InvoiceState
from thep_desktop.domain.progress import Progress
from thep_desktop.models import Invoice, OrganisationProfile, ServiceItem
from thep_desktop.reports.invoices.invoice_document import (
    DocumentLine,
    InvoiceDocument,
    InvoiceError,
    RenderResult,
    Supplier,
)
from thep_desktop.reports.invoices.invoice_pdf import render_invoices
from thep_desktop.reports.invoices.invoice_register import (
    RegisterRow,
    write_invoice_register_xlsx,
)
from thep_desktop.reports.invoices.xero_csv import (
    INVOICES_PER_FILE,
    XeroInvoice,
    XeroLine,
    write_xero_files,
)
from thep_desktop.reports.shared.spreadsheet import replacing
from thep_desktop.services.invoices.fee_runs_service import run_invoice_ids
from thep_desktop.services.invoices.invoice_data import (
    InvoiceDetail,
    InvoiceFilter,
    SettingsDetail,
)
from thep_desktop.services.invoices.invoice_records import (
    list_rows,
    load_invoices,
    load_settings,
    supplier_snapshot,
)
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.services.shared.permissions import VIEW


@dataclass(frozen=True)
class XeroExport:
    """The files written, how many invoices they hold, and what was left out and why.

    Iterating, ``len`` and indexing go through the files, as for a list of paths.
    """

    paths: tuple[Path, ...]
    invoices: int
    credit_notes_left_out: int
    drafts_left_out: int

    def __iter__(self) -> Iterator[Path]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int) -> Path:
        return self.paths[index]

    @property
    def message(self) -> str:
        files = len(self.paths)
        lines = [
            f"{self.invoices:,} invoice{'s' if self.invoices != 1 else ''} exported to Xero in "
            f"{files} file{'s' if files != 1 else ''} (Xero takes at most {INVOICES_PER_FILE} "
            "invoices a file; import them one after another)."
        ]
        if self.credit_notes_left_out:
            n = self.credit_notes_left_out
            lines.append(
                f"{n:,} credit note{'s were' if n != 1 else ' was'} left out: Xero's sales "
                "invoice import does not take credit notes; enter them in Xero by hand."
            )
        if self.drafts_left_out:
            n = self.drafts_left_out
            lines.append(f"{n:,} draft{'s were' if n != 1 else ' was'} left out (not issued).")
        return "\n".join(lines)


def document_of(
    detail: InvoiceDetail,
    settings: SettingsDetail,
    supplier_now: Mapping[str, str] | None = None,
) -> InvoiceDocument:
    """The printable document of an invoice or credit note.

    Issued: its own snapshots of the customer and the organisation. A draft: the customer
    as the draft holds it and the organisation as it is now (``supplier_now``).
    """
    snapshot = supplier_now if _needs_current(detail) else detail.supplier
    # The terms printed are those the invoice was given: its due date less its date.
    days = (detail.due_date - detail.invoice_date).days
    return InvoiceDocument(
        kind=detail.kind,
        number=None if detail.is_draft else detail.number,
        invoice_date=detail.invoice_date,
        due_date=detail.due_date,
        supply_from=detail.supply_from,
        supply_to=detail.supply_to,
        supplier=Supplier.from_snapshot(snapshot or {}),
        customer_name=detail.customer_name,
        customer_contact=detail.customer_contact,
        customer_address_lines=detail.address_lines,
        customer_postcode=detail.customer_postcode,
        purchase_order=detail.purchase_order,
        reference=detail.reference,
        notes=detail.notes,
        lines=tuple(
            DocumentLine(x.description, x.quantity, x.unit_price, x.vat_code, x.net, x.vat)
            for x in detail.lines
        ),
        total_net=detail.total_net,
        total_vat=detail.total_vat,
        total=detail.total,
        payment_terms_days=days if days >= 0 else settings.payment_terms_days,
        credits_number=detail.credits_number,
        credits_date=detail.credits_date,
        credit_reason=detail.credit_reason,
        footer_note=settings.invoice_note,
    )


class InvoiceDocumentsService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def documents(self, actor: Actor, invoice_ids: Sequence[int]) -> list[InvoiceDocument]:
        """The printable documents of these invoices, in the order asked."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            documents, _logo = _documents(session, list(invoice_ids))
        return documents

    def document_of(
        self,
        detail: InvoiceDetail,
        settings: SettingsDetail,
        supplier_now: Mapping[str, str] | None = None,
    ) -> InvoiceDocument:
        return document_of(detail, settings, supplier_now)

    def render(
        self,
        actor: Actor,
        invoice_ids: Sequence[int],
        path: str | Path,
        progress: Progress | None = None,
    ) -> RenderResult:
        """One PDF of these invoices and credit notes, each with its own page numbers."""
        actor.require(VIEW)
        target = _pdf_path(path)
        ids = list(dict.fromkeys(invoice_ids))
        if not ids:
            raise ServiceError("Choose the invoices to print.")
        with self.db.read_session() as session:
            documents, logo = _documents(session, ids)
        if len(documents) != len(ids):
            raise ServiceError(
                "Some of the invoices are no longer in the records (drafts someone deleted); "
                "nothing was printed. Look at the list again."
            )
        return _render(target, documents, logo, progress)

    def render_run(
        self,
        actor: Actor,
        run_id: int,
        path: str | Path,
        progress: Progress | None = None,
    ) -> RenderResult:
        """Every invoice of a fee run in one PDF (issued ones in number order)."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            ids = run_invoice_ids(session, run_id)
        if not ids:
            raise ServiceError("This fee run has no invoices left to print.")
        return self.render(actor, ids, path, progress)

    def write_register(self, actor: Actor, wanted: InvoiceFilter | None, path: str | Path) -> int:
        """The invoice register (the invoices and credit notes of ``wanted``) as .xlsx; rows."""
        actor.require(VIEW)
        target = Path(path)
        with self.db.read_session() as session:
            rows = list_rows(session, wanted or InvoiceFilter())
            amounts = {
                r.id: (r.total_net, r.total_vat)
                for r in session.execute(
                    select(Invoice.id, Invoice.total_net, Invoice.total_vat).where(
                        Invoice.id.in_([row.id for row in rows])
                    )
                )
            }
        register = [
            RegisterRow(
                number=row.number or "",
                kind=row.kind.label,
                invoice_date=row.invoice_date,
                due_date=row.due_date if row.kind is InvoiceKind.INVOICE else None,
                customer=row.customer_name,
                reference=row.reference,
                net=amounts[row.id][0],
                vat=amounts[row.id][1],
                total=row.total,
                paid=row.paid,
                credited=row.credited,
                outstanding=row.outstanding if row.kind is InvoiceKind.INVOICE else ZERO,
                status=row.status.label,
            )
            for row in sorted(rows, key=lambda r: (r.invoice_date, r.kind.value, r.number or ""))
        ]
        title = f"Invoice register, {format_date(date.today())}"
        return write_invoice_register_xlsx(target, register, title)

    def export_xero(
        self, actor: Actor, path: str | Path, wanted: InvoiceFilter | None = None
    ) -> XeroExport:
        """Issued invoices as Xero sales invoice CSV files of at most 500 invoices each.

        ``path`` is a folder (files ``invoices-001.csv``…) or a file ending .csv (then
        ``name-2.csv``…). Credit notes and drafts are left out and counted in the result.
        """
        actor.require(VIEW)
        with self.db.read_session() as session:
            rows = list_rows(session, wanted or InvoiceFilter())
            chosen = [
                r.id
                for r in sorted(rows, key=lambda r: r.number or "")
                if r.kind is InvoiceKind.INVOICE and r.state is InvoiceState.ISSUED
            ]
            details = load_invoices(session, chosen)
            item_ids = {x.service_item_id for d in details for x in d.lines if x.service_item_id}
            codes = dict(
                session.execute(
                    select(ServiceItem.id, ServiceItem.code).where(ServiceItem.id.in_(item_ids))
                ).all()
            )
        left_notes = sum(
            1 for r in rows if r.kind is InvoiceKind.CREDIT_NOTE and r.state is InvoiceState.ISSUED
        )
        left_drafts = sum(1 for r in rows if r.state is InvoiceState.DRAFT)
        if not details:
            raise ServiceError(
                "There are no issued invoices to export to Xero"
                + (" among those shown." if wanted is not None else ".")
            )
        invoices = [
            XeroInvoice(
                contact_name=d.customer_name,
                email=d.customer_email,
                address_lines=d.address_lines,
                postcode=d.customer_postcode,
                number=d.number or "",
                reference=" / ".join(
                    x for x in (d.purchase_order.strip(), d.reference.strip()) if x
                ),
                invoice_date=d.invoice_date,
                due_date=d.due_date,
                total=d.total,
                lines=tuple(
                    XeroLine(
                        item_code=codes.get(x.service_item_id, "") if x.service_item_id else "",
                        description=x.description,
                        quantity=x.quantity,
                        unit_amount=x.unit_price,
                        account_code=x.account_code,
                        vat_code=x.vat_code,
                        tax_amount=x.vat,
                    )
                    for x in d.lines
                ),
            )
            for d in details
        ]
        paths = write_xero_files(Path(path), invoices)
        return XeroExport(tuple(paths), len(invoices), left_notes, left_drafts)


def _needs_current(detail: InvoiceDetail) -> bool:
    """A draft prints the organisation as it is now; so does an invoice issued before the
    organisation's profile was ever filled in (it kept nothing to print)."""
    return detail.is_draft or not (detail.supplier or {}).get("name")


def _pdf_path(path: str | Path) -> Path:
    target = Path(path)
    if target.suffix.casefold() != ".pdf":
        raise ServiceError(f"Choose a file ending .pdf for the invoices ({target.name} is not).")
    return target


def _documents(session: Session, ids: list[int]) -> tuple[list[InvoiceDocument], bytes | None]:
    """The documents (in the order asked) and the logo to print them with: eight statements."""
    details = load_invoices(session, ids)
    settings = load_settings(session)
    now = supplier_snapshot(session) if any(_needs_current(d) for d in details) else {}
    logo = session.scalar(
        select(OrganisationProfile.logo).order_by(OrganisationProfile.id).limit(1)
    )
    return [document_of(d, settings, now) for d in details], logo


def _render(
    target: Path,
    documents: list[InvoiceDocument],
    logo: bytes | None,
    progress: Progress | None,
) -> RenderResult:
    total = len(documents)

    def started(n: int) -> None:
        if progress is not None and (n % 25 == 1 or n == total):
            progress.report(n - 1, total, f"Printing {n:,} of {total:,}")

    with replacing(target) as temporary:
        try:
            result = render_invoices(temporary, documents, logo, on_document=started)
        except InvoiceError as exc:
            raise ServiceError(str(exc)) from exc
    if progress is not None:
        progress.report(total, total, f"Printed {total:,}")
    return result

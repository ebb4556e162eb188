"""What the Invoices tab's buttons, menu and keys do: new, edit, delete, issue, credit, history.

A mixin of :class:`~thep_desktop.ui.invoices.invoices_tab.InvoicesTab`. Each action reads the
selected invoices afresh, asks what it must, saves through the service (a refusal keeps the
form open with what was typed) and then reads the list again with the invoices still selected.
Other parts of the program add their own actions with ``InvoicesTab.add_action``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from thep_desktop import config
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.errors import OfficeError
from thep_desktop.domain.files import safe_file_stem
from thep_desktop.domain.invoices import InvoiceKind
from thep_desktop.services.invoices.invoice_data import InvoiceDetail, InvoiceRow
from thep_desktop.services.invoices.invoices_permissions import MANAGE_INVOICES
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ServiceError
from thep_desktop.services.shared.permissions import Permission
from thep_desktop.ui.shared.background import BackgroundJob
from thep_desktop.ui.shared.forms import date_field
from thep_desktop.ui.shared.plain_table_model import display_value

ISSUE = "Issue"
PDF_FOLDER = "invoice_pdf_folder"


def money(value: Decimal) -> str:
    return display_value(value, "money") or "£0.00"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


# When each action applies to the selection.
def one_draft(rows: Sequence[InvoiceRow]) -> bool:
    return len(rows) == 1 and rows[0].is_draft


def only_drafts(rows: Sequence[InvoiceRow]) -> bool:
    return bool(rows) and all(r.is_draft for r in rows)


def one_row(rows: Sequence[InvoiceRow]) -> bool:
    return len(rows) == 1


def creditable(rows: Sequence[InvoiceRow]) -> bool:
    """One issued invoice not wholly credited yet."""
    if len(rows) != 1:
        return False
    row = rows[0]
    return row.kind is InvoiceKind.INVOICE and not row.is_draft and row.credited < row.total


def pdf_name(rows: Sequence[InvoiceRow]) -> str:
    """``INV-000123.pdf`` for one; ``Invoices INV-000120 to INV-000123.pdf`` for several."""
    names = [r.number or f"Draft {r.customer_name}" for r in rows]
    stem = names[0] if len(names) == 1 else f"Invoices {names[0]} to {names[-1]}"
    return f"{safe_file_stem(stem, 'Invoices')}.pdf"


def pdf_what(rows: Sequence[InvoiceRow]) -> str:
    if len(rows) == 1:
        row = rows[0]
        return f"{row.kind.label} {row.number}" if row.number else "The draft"
    return f"{len(rows):,} invoices"


def issue_question(count: int, total: Decimal) -> str:
    """The confirmation before issuing: how many, how much, and that it cannot be undone."""
    what = "this invoice" if count == 1 else f"{count:,} invoices"
    return (
        f"Issue {what} totalling {money(total)}? Once issued they cannot be changed, only credited."
    )


class InvoiceActions:
    """New invoice, edit draft, delete draft, issue, credit, history, invoice settings."""

    # What the tab provides (see InvoicesTab).
    services: Services
    status_message: Signal
    export_requested: Signal
    changed: Signal
    ask: Callable[..., str]
    tell: Callable[..., object]
    run_dialog: Callable[[QDialog], object]
    selected_rows: Callable[[], list[InvoiceRow]]
    reload: Callable[..., bool]
    action: Callable[..., QAction]
    add_action: Callable[..., QAction]
    ask_save_path: Callable[..., tuple[str, str]]
    open_url: Callable[[QUrl], object]
    pdf_job: BackgroundJob | None
    table: QWidget
    preview_path: Path | None

    def build_invoice_actions(self) -> None:
        """The tab's own actions, placed in the menu, toolbar and context menu."""
        add = self.add_action
        self.new_action = add(
            self.action(
                "&New invoice…", self.new_invoice, "Prepare a new invoice (a draft)", "Ctrl+N"
            ),
            "new",
            permission=MANAGE_INVOICES,
            toolbar=True,
        )
        self.edit_action = add(
            self.action(
                "&Edit draft…",
                self.open_selected,
                "Change the selected draft; an issued invoice opens to read (Enter or "
                "double-click)",
            ),
            "selected",
            permission=MANAGE_INVOICES,
            applies=one_draft,
            toolbar=True,
            context=True,
        )
        self.open_action = add(
            self.action(
                "&Open…",
                self.open_selected,
                "Show the selected invoice with its payments, credit notes and reminders",
            ),
            "selected",
            applies=lambda rows: (
                one_row(rows)
                and not (rows[0].is_draft and self.services.actor.can(MANAGE_INVOICES))
            ),
            context=True,
        )
        self.delete_action = add(
            self.action("&Delete draft…", self.delete_selected, "Throw away the selected draft"),
            "selected",
            permission=MANAGE_INVOICES,
            applies=one_draft,
            context=True,
        )
        self.issue_action = add(
            self.action(
                "&Issue…",
                self.issue_selected,
                "Give the selected drafts their numbers and make them final",
                "Ctrl+Shift+I",
            ),
            "selected",
            permission=MANAGE_INVOICES,
            applies=only_drafts,
            toolbar=True,
            context=True,
        )
        self.credit_action = add(
            self.action(
                "&Credit…",
                self.credit_selected,
                "Issue a credit note against the selected invoice: all of it or an amount",
            ),
            "selected",
            permission=MANAGE_INVOICES,
            applies=creditable,
            toolbar=True,
            context=True,
        )
        self.preview_action = add(
            self.action(
                "Pre&view",
                self.preview_selected,
                "The selected invoices as they print, opened in your PDF viewer",
                "Ctrl+Shift+P",
            ),
            "output",
            applies=bool,
            toolbar=True,
            context=True,
        )
        self.print_action = add(
            self.action(
                "&Print / Save PDF…",
                self.save_selected_pdf,
                "Save the selected invoices as one PDF, to print or send",
                "Ctrl+P",
            ),
            "output",
            applies=bool,
            toolbar=True,
            context=True,
        )
        self.history_action = add(
            self.action(
                "&History…",
                self.show_history,
                "Everything changed in the selected invoice",
                "Ctrl+H",
            ),
            "list",
            applies=one_row,
            context=True,
        )
        self.history_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.history_action)  # type: ignore[attr-defined]
        self.export_action = add(
            self.action(
                "E&xport list to Excel…",
                self.export_requested.emit,
                "Save the invoices as shown (filtered and sorted) to an Excel workbook or CSV file",
            ),
            "list",
        )
        self.settings_action = add(
            self.action(
                "Invoice &settings…",
                self.edit_settings,
                "Payment terms, reminder days, how fees are coded, the note on every invoice "
                "and the numbers' prefixes",
            ),
            "settings",
            permission=None,  # anyone may look; only the treasurer may change them
        )
        self.catalogue_action = add(
            self.action(
                "Service &catalogue…",
                self.edit_catalogue,
                "The services sold to schools and others, and their prices",
            ),
            "settings",
            permission=None,  # anyone may look; the treasurer and staff may change it
        )

    # -- helpers ----------------------------------------------------------------------------
    def _can(self, permission: Permission) -> bool:
        return self.services.actor.can(permission)

    def _read(self, invoice_id: int, doing: str) -> InvoiceDetail | None:
        """The invoice read afresh; None (having said why) when it is gone."""
        try:
            return self.services.invoices.get_invoice(self.services.actor, invoice_id)
        except ServiceError as exc:
            self.tell(self, f"Cannot {doing}", exc.message)
            self.reload()
            return None

    def show_changed(self, invoice_ids: Sequence[int], message: str) -> None:
        """After a change: read the list again with these selected, and say what was done."""
        self.reload(select_ids=list(invoice_ids))
        self.status_message.emit(message)
        self.changed.emit()

    # -- the editor -------------------------------------------------------------------------
    def new_invoice(self) -> None:
        if not self._can(MANAGE_INVOICES):
            return
        self._open_editor(None)

    def open_selected(self) -> None:
        """Enter or double-click: a draft opens to edit (for the treasurer), anything else to
        read, with its payments, credit notes and reminders."""
        rows = self.selected_rows()
        if len(rows) != 1:
            return
        detail = self._read(rows[0].id, "open this invoice")
        if detail is not None:
            self._open_editor(detail)

    def _open_editor(self, detail: InvoiceDetail | None) -> None:
        from thep_desktop.ui.invoices.invoice_editor import InvoiceEditor

        try:
            editor = InvoiceEditor(self.services, detail, self)  # type: ignore[arg-type]
        except ServiceError as exc:
            self.tell(self, "Cannot open the invoice", exc.message)
            return
        editor.ask = self.ask
        editor.tell = self.tell
        editor.run_dialog = self.run_dialog
        editor.saved.connect(self._editor_saved)
        self.run_dialog(editor)

    def _editor_saved(self, detail: InvoiceDetail, message: str) -> None:
        self.show_changed([detail.id], message)

    # -- delete -----------------------------------------------------------------------------
    def delete_selected(self) -> None:
        rows = self.selected_rows()
        if not self._can(MANAGE_INVOICES) or not one_draft(rows):
            return
        detail = self._read(rows[0].id, "delete this draft")
        if detail is None:
            return
        answer = self.ask(
            self,
            "Delete draft",
            f"Delete the draft invoice to {detail.customer_name} for {money(detail.total)}? "
            "It has no number yet, so nothing is missing from the numbering.",
            ["Delete", "Cancel"],
        )
        if answer != "Delete":
            return
        try:
            self.services.invoices.delete_draft(self.services.actor, detail.id, detail.version)
        except ServiceError as exc:
            self.tell(self, "The draft was not deleted", exc.message)
            self.reload()
            return
        self.show_changed([], f"Draft invoice to {detail.customer_name} deleted.")

    # -- issue ------------------------------------------------------------------------------
    def issue_selected(self) -> None:
        rows = self.selected_rows()
        if not self._can(MANAGE_INVOICES) or not only_drafts(rows):
            return
        self.issue_drafts([r.id for r in rows], sum((r.total for r in rows), Decimal("0.00")))

    def issue_drafts(self, invoice_ids: Sequence[int], total: Decimal) -> bool:
        """Ask, then issue these drafts; True when they were issued."""
        answer = self.ask(
            self,
            "Issue invoices" if len(invoice_ids) > 1 else "Issue invoice",
            issue_question(len(invoice_ids), total),
            [ISSUE, "Cancel"],
        )
        if answer != ISSUE:
            return False
        try:
            result = self.services.invoices.issue(self.services.actor, list(invoice_ids))
        except ServiceError as exc:
            self.tell(self, "Not issued", exc.message)
            self.reload()
            return False
        numbers = result.numbers
        said = (
            f"Issued {numbers[0]}"
            if len(numbers) == 1
            else f"Issued {len(numbers):,} invoices, {numbers[0]} to {numbers[-1]}"
        )
        self.show_changed(result.invoice_ids, f"{said}, totalling {money(result.total)}.")
        return True

    # -- credit -----------------------------------------------------------------------------
    def credit_selected(self) -> None:
        """A credit note against the selected invoice: all that is not yet credited, or an
        amount, with the reason; then what remains and the credit note's number."""
        from thep_desktop.ui.memberships.membership_form import MembershipForm

        rows = self.selected_rows()
        if not self._can(MANAGE_INVOICES) or not creditable(rows):
            return
        invoice = self._read(rows[0].id, "credit this invoice")
        if invoice is None:
            return
        may_credit = invoice.total - invoice.credited
        amount = QLineEdit()
        amount.setPlaceholderText(f"Blank: all of it ({money(may_credit)})")
        amount.setToolTip("Leave blank to credit the whole invoice, or type an amount, e.g. 150.00")
        reason = QLineEdit()
        reason.setPlaceholderText("e.g. Two training places cancelled")
        credit_date = date_field(format_date(date.today()), "The credit note's date")
        actor = self.services.actor
        facts = [
            f"{invoice.number} to {invoice.customer_name}, dated "
            f"{format_date(invoice.invoice_date)}: {money(invoice.total)}.",
            f"Paid {money(invoice.paid)}; credited so far {money(invoice.credited)}; "
            f"outstanding {money(invoice.outstanding)}.",
            f"Up to {money(may_credit)} may be credited. A credit note is set against what is "
            "still owed; any more becomes the customer's credit, to refund or set against "
            "another invoice.",
        ]

        def done(note: InvoiceDetail) -> None:
            after = self._read(invoice.id, "show the invoice")
            remains = money(after.outstanding) if after is not None else "?"
            message = (
                f"Credit note {note.number} for {money(note.total)} issued against "
                f"{invoice.number}. {invoice.number} now has {remains} outstanding."
            )
            self.show_changed([invoice.id], message)
            self.tell(self, "Credit note issued", message)

        form = MembershipForm(
            f"Credit {invoice.number} – {invoice.customer_name}",
            "\n".join(facts),
            {
                "amount": ("&Amount to credit (£)", amount),
                "credit_reason": ("&Reason", reason),
                "credit_date": ("Credit note &date", credit_date),
            },
            lambda: self.services.invoices.credit(
                actor, invoice.id, reason.text(), amount.text(), credit_date.text()
            ),
            self,  # type: ignore[arg-type]
            what="the credit note",
        )
        form.setObjectName("credit_form")
        form.accepted.connect(lambda: done(form.result_value))  # type: ignore[arg-type]
        self.run_dialog(form)

    # -- preview and print ------------------------------------------------------------------
    def preview_selected(self) -> BackgroundJob | None:
        """The selected invoices rendered to a PDF in a temporary folder and opened with the
        computer's PDF viewer (which prints it too)."""
        rows = self.selected_rows()
        if not rows:
            return None
        folder = Path(tempfile.mkdtemp(prefix="thep-invoices-"))
        path = folder / pdf_name(rows)

        def done(_result: object) -> None:
            self.preview_path = path
            self.status_message.emit(f"{pdf_what(rows)} opened in the PDF viewer.")
            self.open_url(QUrl.fromLocalFile(str(path)))

        return self._render(rows, path, done)

    def save_selected_pdf(self) -> BackgroundJob | None:
        """Print / Save PDF: the selected invoices as one PDF where the person chooses."""
        rows = self.selected_rows()
        if not rows:
            return None
        chosen, _filter = self.ask_save_path(
            self,  # type: ignore[arg-type]
            "Save invoices as PDF",
            str(config.remembered_folder(PDF_FOLDER) / pdf_name(rows)),
            "PDF document (*.pdf)",
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")

        def done(_result: object) -> None:
            config.remember_folder(PDF_FOLDER, path.parent)
            message = f"{pdf_what(rows)} saved to {path}."
            self.status_message.emit(message)
            answer = self.ask(self, "Saved", f"{message}\n\nOpen it now?", ["Open", "Close"])
            if answer == "Open":
                self.open_url(QUrl.fromLocalFile(str(path)))

        return self._render(rows, path, done)

    def _render(
        self, rows: Sequence[InvoiceRow], path: Path, done: Callable[[object], None]
    ) -> BackgroundJob:
        actor = self.services.actor
        documents = self.services.invoice_documents
        ids = [r.id for r in rows]

        def failed(exc: BaseException) -> None:
            text = exc.message if isinstance(exc, OfficeError) else f"Something went wrong: {exc}"
            self.tell(self, "The PDF was not made", text)

        self.pdf_job = BackgroundJob(
            self,  # type: ignore[arg-type]
            f"Making the PDF of {pdf_what(rows).lower()}…",
            lambda progress: documents.render(actor, ids, path, progress),
            on_done=done,
            on_error=failed,
        ).start()
        return self.pdf_job

    # -- history and settings ---------------------------------------------------------------
    def show_history(self) -> None:
        from thep_desktop.ui.audit.history_dialog import HistoryDialog

        rows = self.selected_rows()
        if len(rows) != 1:
            return
        row = rows[0]
        title = (
            f"{row.kind.label} {row.number} – {row.customer_name}"
            if row.number
            else f"Draft invoice – {row.customer_name}"
        )
        self.run_dialog(HistoryDialog(self.services, title, row.uuid, self))  # type: ignore[arg-type]

    def edit_catalogue(self) -> None:
        from thep_desktop.ui.invoices.catalogue_dialog import CatalogueDialog

        dialog = CatalogueDialog(self.services, self)  # type: ignore[arg-type]
        dialog.ask = self.ask
        dialog.tell = self.tell
        dialog.run_dialog = self.run_dialog
        self.run_dialog(dialog)

    def edit_settings(self) -> None:
        from thep_desktop.ui.invoices.invoice_settings_dialog import settings_form

        try:
            form = settings_form(self.services, self)  # type: ignore[arg-type]
        except ServiceError as exc:
            self.tell(self, "Cannot show the invoice settings", exc.message)
            return
        form.accepted.connect(
            lambda: self.status_message.emit("Invoice settings saved.")  # type: ignore[arg-type]
        )
        self.run_dialog(form)

"""The invoice editor: a draft's customer, dates, references and lines; Save draft, Save and issue.

An issued invoice or credit note opens in the same window to read, with what has been set
against it: payments, credit notes and reminders. Refusals are shown beside the fields (the
lines' beside the lines) and everything typed stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from thep_desktop.domain.dates import format_date, parse_date
from thep_desktop.domain.invoices import VatCode
from thep_desktop.services.invoices.invoice_data import (
    CustomerChoice,
    CustomerInput,
    DraftInput,
    InvoiceDetail,
)
from thep_desktop.services.invoices.invoices_permissions import MANAGE_INVOICES
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ConflictError, ServiceError, ValidationError
from thep_desktop.ui.invoices.invoice_actions import ISSUE, issue_question, money
from thep_desktop.ui.invoices.invoice_lines_editor import InvoiceLinesEditor
from thep_desktop.ui.shared.forms import (
    KEEP_EDITING,
    RELOAD,
    FieldMessages,
    ask_about_conflict,
    correction_summary,
    date_field,
    error_banner,
    field_text,
    may_close_unsaved,
    push_button,
    searchable_combo,
    show_field_text,
)
from thep_desktop.ui.shared.questions import Ask, ask, tell

NEW_CUSTOMER = "New customer…"
SAVE_DRAFT = "Save draft"
SAVE_AND_ISSUE = "Save and issue…"


class InvoiceEditor(QDialog):
    """``InvoiceEditor(services, None, parent)``: a new invoice; with a detail, that invoice
    (a draft to change, for one who may; anything else to read).

    ``saved(detail, message)`` is emitted once a draft is saved or issued.
    """

    saved = Signal(object, str)

    def __init__(
        self, services: Services, detail: InvoiceDetail | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.detail = detail
        self.ask: Ask = ask
        self.tell = tell
        # Opens the New customer form; tests replace it to drive the form without exec().
        self.run_dialog: Callable[[QDialog], object] = lambda dialog: dialog.exec()
        actor = services.actor
        self.editable = actor.can(MANAGE_INVOICES) and (detail is None or detail.is_draft)
        self.settings = services.invoices.settings(actor)
        self.vat_registered = bool(services.organisation.get_profile(actor).vat_number.strip())
        self.choices: list[CustomerChoice] = (
            services.invoices.customer_choices(actor) if self.editable else []
        )
        self._due_typed = False
        self.setObjectName("invoice_editor")
        self.setWindowTitle(self._title())
        self.resize(1040, 720)
        self._build()
        self._load()
        self._initial = self.state()

    # -- building ---------------------------------------------------------------------------
    def _title(self) -> str:
        detail = self.detail
        if detail is None:
            return "New invoice"
        if detail.is_draft:
            return f"Draft invoice – {detail.customer_name}"
        return f"{detail.kind.label} {detail.number} – {detail.customer_name}"

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = error_banner()
        outer.addWidget(self.banner)
        self.heading = QLabel()
        self.heading.setObjectName("invoice_heading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        outer.addWidget(self.heading)

        self.messages = FieldMessages()
        top = QHBoxLayout()
        left = QFormLayout()
        right = QFormLayout()
        top.addLayout(left, 3)
        top.addLayout(right, 2)
        outer.addLayout(top)

        # The customer: a searchable list of members and other customers.
        self.customer = searchable_combo("Type a few letters of the name")
        self.customer.setObjectName("customer")
        self.customer.completer().activated.connect(lambda _text: self.chosen_customer())
        self.customer.lineEdit().editingFinished.connect(self.chosen_customer)
        self.new_customer_button = push_button(
            NEW_CUSTOMER, self.new_customer, "A customer who is not a member: name and address"
        )
        customer_row = QWidget()
        row = QHBoxLayout(customer_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.customer, 1)
        row.addWidget(self.new_customer_button)
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        box.addWidget(customer_row)
        message = FieldMessages.message_label("customer")
        box.addWidget(message)
        self.messages.register("customer", self.customer, message)
        caption = QLabel("&Customer")
        caption.setBuddy(self.customer)
        left.addRow(caption, holder)

        self.invoice_date = date_field(format_date(date.today()), "The invoice (tax point) date")
        self.due_date = date_field(hint="The day payment is due: from the payment terms")
        self.supply_from = date_field(hint="The first day of what was supplied")
        self.supply_to = date_field(hint="The last day of what was supplied")
        self.purchase_order = QLineEdit()
        self.purchase_order.setPlaceholderText("The customer's order number, if it gave one")
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("e.g. Spring term training")
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Printed on the invoice")
        self.notes.setMaximumHeight(64)
        for layout, field, label, widget in (
            (left, "invoice_date", "Invoice &date", self.invoice_date),
            (left, "due_date", "D&ue date", self.due_date),
            (left, "supply_from", "Supply &from", self.supply_from),
            (left, "supply_to", "Supply &to", self.supply_to),
            (right, "purchase_order", "&PO reference", self.purchase_order),
            (right, "reference", "&Reference", self.reference),
            (right, "notes", "&Notes", self.notes),
        ):
            self.messages.add_row(layout, field, label, widget)
        terms = self.settings.payment_terms_days
        self.due_date.setToolTip(
            f"The day payment is due: {terms} days after the invoice date unless you type another"
        )

        lines_box = QGroupBox("Lines")
        lines_layout = QVBoxLayout(lines_box)
        self.lines = InvoiceLinesEditor(
            vat_code=VatCode.STANDARD if self.vat_registered else VatCode.OUTSIDE_SCOPE,
            account_code=self.settings.fee_account_code,
            show_vat=self.vat_registered,
            read_only=not self.editable,
        )
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.lines)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        lines_layout.addWidget(scroll, 1)
        line_buttons = QHBoxLayout()
        self.add_line_button = push_button("&Add line", self.add_line, "A new line at the end")
        line_buttons.addWidget(self.add_line_button)
        self.catalogue_button = push_button(
            "Add from &catalogue…",
            self.add_from_catalogue,
            "A line for a service in the catalogue, at its price",
        )
        line_buttons.addWidget(self.catalogue_button)
        line_buttons.addStretch(1)
        self.totals = QLabel()
        self.totals.setObjectName("invoice_totals")
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        self.totals.setAlignment(Qt.AlignmentFlag.AlignRight)
        line_buttons.addWidget(self.totals)
        lines_layout.addLayout(line_buttons)
        outer.addWidget(lines_box, 1)

        # What has been set against an issued invoice (or where a credit note went).
        self.settled = QLabel()
        self.settled.setObjectName("invoice_settled")
        self.settled.setTextFormat(Qt.TextFormat.RichText)
        self.settled.setWordWrap(True)
        self.settled.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.settled.hide()
        outer.addWidget(self.settled)

        if self.editable:
            self.buttons = QDialogButtonBox()
            self.save_button = QPushButton(SAVE_DRAFT)
            self.save_button.setToolTip(
                "Save the draft; it has no number until it is issued (Ctrl+S)"
            )
            self.issue_button = QPushButton(SAVE_AND_ISSUE)
            self.issue_button.setToolTip("Save, then issue it with the next number")
            self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.buttons.addButton(self.issue_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            self.save_button.clicked.connect(lambda _c=False: self.save_draft())
            self.issue_button.clicked.connect(lambda _c=False: self.save_and_issue())
            QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save_draft)
            for push in self.buttons.buttons():
                # Enter in a box moves on; it never saves, still less issues, by accident.
                push.setAutoDefault(False)
                push.setDefault(False)
        else:
            self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            for widget in (
                self.customer,
                self.new_customer_button,
                self.add_line_button,
                self.catalogue_button,
            ):
                widget.setVisible(False)
            self.customer_shown = QLabel()
            self.customer_shown.setObjectName("customer_shown")
            self.customer_shown.setTextFormat(Qt.TextFormat.RichText)
            row.insertWidget(0, self.customer_shown, 1)
            for edit in (
                self.invoice_date,
                self.due_date,
                self.supply_from,
                self.supply_to,
                self.purchase_order,
                self.reference,
            ):
                edit.setReadOnly(True)
                edit.setClearButtonEnabled(False)
                edit.setPlaceholderText("")
            self.notes.setReadOnly(True)
            self.notes.setPlaceholderText("")
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        self.lines.changed.connect(self._show_totals)
        self.invoice_date.textChanged.connect(lambda _t: self._follow_terms())
        self.due_date.textEdited.connect(lambda _t: self._due_was_typed())

    # -- filling ----------------------------------------------------------------------------
    def _load(self) -> None:
        detail = self.detail
        for choice in self.choices:
            self.customer.addItem(choice.label, choice)
        if detail is None:
            self.heading.setText(
                "A new invoice: it is saved as a draft, without a number, until it is issued."
            )
            self.customer.setCurrentIndex(-1)
            self.customer.setEditText("")
            self._follow_terms()
            self.lines.add_line()
            self.customer.setFocus()
        else:
            self._show(detail)
        self._show_totals()

    def _show(self, detail: InvoiceDetail) -> None:
        if self.editable:
            found = next(
                (n for n, c in enumerate(self.choices) if c.customer_id == detail.customer_id),
                -1,
            )
            if found < 0:  # a customer no longer active: still the draft's customer
                choice = CustomerChoice(
                    detail.customer_id, detail.member_id, detail.customer_name, ""
                )
                self.choices.append(choice)
                self.customer.addItem(choice.label, choice)
                found = self.customer.count() - 1
            self.customer.setCurrentIndex(found)
        else:
            # Names and addresses are shown as typed: "St Mary & St John" is not markup.
            name = escape(detail.customer_name)
            address = escape(", ".join((*detail.address_lines, detail.customer_postcode)))
            self.customer_shown.setText(f"<b>{name}</b><br>{address}" if address else name)
        self.invoice_date.setText(format_date(detail.invoice_date))
        self.due_date.setText(format_date(detail.due_date))
        terms = timedelta(days=self.settings.payment_terms_days)
        self._due_typed = detail.due_date != detail.invoice_date + terms
        self.supply_from.setText(format_date(detail.supply_from))
        self.supply_to.setText(format_date(detail.supply_to))
        self.purchase_order.setText(detail.purchase_order)
        self.reference.setText(detail.reference)
        self.notes.setPlainText(detail.notes)
        self.lines.set_lines(detail.lines)
        self.heading.setText(self._heading(detail))
        if not detail.is_draft:
            self.settled.setText(self._settled_text(detail))
            self.settled.show()

    def _heading(self, detail: InvoiceDetail) -> str:
        if detail.is_draft:
            return "A draft: it has no number until it is issued, and may be changed until then."
        issued = f"Issued {format_date(detail.issued_at.date())}" if detail.issued_at else ""
        by = f" by {escape(detail.issued_by)}" if detail.issued_by else ""
        status = detail.status.label
        words = f"<b>{detail.kind.label} {detail.number}</b> · {status} · {issued}{by}"
        if detail.is_credit_note:
            words += f" · credits <b>{detail.credits_number}</b>: {escape(detail.credit_reason)}"
        return (
            f"{words}<br>Issued {detail.kind.label.lower()}s cannot be changed; "
            "an invoice is corrected with a credit note."
        )

    @staticmethod
    def _settled_text(detail: InvoiceDetail) -> str:
        """Payments, credit notes and reminders (an invoice), or where a credit note went."""
        rows = []
        for allocation in detail.allocations:
            what = escape(
                f"Payment {allocation.source}"
                if allocation.payment_id is not None
                else f"Credit note {allocation.source}"
            )
            if detail.is_credit_note:
                what = f"Set against {allocation.invoice_number}"
            rows.append(
                f"<tr><td>{format_date(allocation.allocated_on)}</td><td>{what}</td>"
                f"<td align='right'>{money(allocation.amount)}</td></tr>"
            )
        parts = []
        if detail.is_credit_note:
            parts.append("<b>Applied</b>")
        else:
            parts.append(
                f"<b>Paid {money(detail.paid)} · credited {money(detail.credited)} · "
                f"outstanding {money(detail.outstanding)}</b>"
            )
        parts.append(f"<table cellspacing='4'>{''.join(rows)}</table>" if rows else "Nothing yet.")
        if detail.credit_notes:
            notes = ", ".join(f"{n} ({money(t)})" for n, t in detail.credit_notes)
            parts.append(f"Credit notes: {notes}")
        if detail.reminders:
            sent = "; ".join(
                f"{r.stage.label} sent {format_date(r.sent_on)} ({money(r.outstanding)} owed)"
                for r in detail.reminders
            )
            parts.append(f"Reminders: {sent}")
        elif not detail.is_credit_note:
            parts.append("Reminders: none sent.")
        return "<br>".join(parts)

    # -- as the person types ----------------------------------------------------------------
    def _due_was_typed(self) -> None:
        self._due_typed = bool(self.due_date.text().strip())

    def _follow_terms(self) -> None:
        """The due date follows the invoice date by the payment terms, until one is typed."""
        if self._due_typed or not self.editable:
            return
        try:
            day = parse_date(self.invoice_date.text())
        except ValueError:
            return
        self.due_date.setText(format_date(day + timedelta(days=self.settings.payment_terms_days)))

    def add_line(self) -> None:
        self.lines.add_line()

    def add_from_catalogue(self) -> None:
        """A service from the catalogue and how many: a new line at the service's price."""
        from thep_desktop.ui.invoices.catalogue_dialog import catalogue_line_form

        try:
            made = catalogue_line_form(self.services, self)
        except ServiceError as exc:
            self.tell(self, "Add from catalogue", exc.message)
            return
        if made is None:
            return
        form, line = made

        def add() -> None:
            chosen = line()
            if chosen is None:
                return
            rows = self.lines.rows
            # The first, empty line of a new invoice is filled rather than left blank.
            blank = len(rows) == 1 and not (
                rows[0].description.text().strip() or rows[0].unit_price.text().strip()
            )
            if blank:
                self.lines.remove_line(rows[0])
            self.lines.add_line(chosen)

        form.accepted.connect(add)
        self.run_dialog(form)

    def _show_totals(self) -> None:
        totals = self.lines.totals()
        if totals is None:
            self.totals.setText("<i>Totals once every line's quantity and price can be read</i>")
            return
        if self.vat_registered:
            self.totals.setText(
                f"Net <b>{money(totals.net)}</b> &nbsp; VAT <b>{money(totals.vat)}</b> "
                f"&nbsp; Total <b>{money(totals.total)}</b>"
            )
        else:
            self.totals.setText(f"Total <b>{money(totals.total)}</b>")

    def state(self) -> tuple[object, ...]:
        """What is typed, to tell whether anything changed since it was opened."""
        return (
            self.customer.currentText(),
            *(field_text(w) for w in self._text_boxes()),
            self.lines.state(),
        )

    # -- the customer -----------------------------------------------------------------------
    def chosen_customer(self) -> CustomerChoice | None:
        """The customer chosen from the list; None when the name typed is none of them."""
        index = self.customer.currentIndex()
        if index < 0 or self.customer.currentText() != self.customer.itemText(index):
            found = self.customer.findText(self.customer.currentText())
            if found < 0:
                return None
            self.customer.setCurrentIndex(found)
            index = found
        choice = self.customer.itemData(index)
        return choice if isinstance(choice, CustomerChoice) else None

    def new_customer(self) -> None:
        """A customer who is not a member, made now and chosen for this invoice."""
        from thep_desktop.ui.memberships.membership_form import MembershipForm

        actor = self.services.actor
        name = QLineEdit(self.customer.currentText() if self.chosen_customer() is None else "")
        contact = QLineEdit()
        contact.setPlaceholderText("Who the invoice is for the attention of")
        address = QPlainTextEdit()
        address.setPlaceholderText("One line per line of the address, without the postcode")
        address.setMaximumHeight(80)
        postcode = QLineEdit()
        email = QLineEdit()
        phone = QLineEdit()
        form = MembershipForm(
            "New customer",
            "A customer who is not a member (a member's name and address come from its "
            "membership: choose it from the list instead).",
            {
                "name": ("&Name", name),
                "contact_name": ("&Contact", contact),
                "address": ("&Address", address),
                "postcode": ("&Postcode", postcode),
                "email": ("&Email", email),
                "phone": ("P&hone", phone),
            },
            lambda: self.services.invoices.save_customer(
                actor,
                CustomerInput(
                    name.text(),
                    contact.text(),
                    address.toPlainText(),
                    postcode.text(),
                    email.text(),
                    phone.text(),
                ),
            ),
            self,
            what="the customer",
        )
        form.setObjectName("new_customer")
        form.accepted.connect(lambda: self._customer_made(form.result_value))
        self.run_dialog(form)

    def _customer_made(self, made: object) -> None:
        detail = made
        choice = CustomerChoice(
            detail.id,  # type: ignore[attr-defined]
            None,
            detail.name,  # type: ignore[attr-defined]
            detail.postcode,  # type: ignore[attr-defined]
        )
        self.choices.append(choice)
        self.customer.addItem(choice.label, choice)
        self.customer.setCurrentIndex(self.customer.count() - 1)
        self.invoice_date.setFocus()

    # -- saving -----------------------------------------------------------------------------
    def draft_input(self) -> DraftInput:
        choice = self.chosen_customer()
        return DraftInput(
            customer_id=choice.customer_id if choice is not None else None,
            member_id=choice.member_id
            if choice is not None and choice.customer_id is None
            else None,
            invoice_date=self.invoice_date.text(),
            due_date=self.due_date.text(),
            supply_from=self.supply_from.text(),
            supply_to=self.supply_to.text(),
            purchase_order=self.purchase_order.text(),
            reference=self.reference.text(),
            notes=self.notes.toPlainText(),
            lines=self.lines.values(),
        )

    def _save(self) -> InvoiceDetail | None:
        """Save the draft as typed; None (the reasons shown, nothing lost) when refused."""
        self.messages.clear()
        self.lines.clear_problems()
        self.banner.hide()
        data = self.draft_input()
        actor = self.services.actor
        invoices = self.services.invoices
        try:
            if self.detail is None:
                saved = invoices.create_draft(actor, data)
            else:
                saved = invoices.update_draft(actor, self.detail.id, self.detail.version, data)
        except ValidationError as exc:
            errors = dict(exc.field_errors)
            if "customer" in errors and self.customer.currentText().strip():
                errors["customer"] = (
                    f"“{self.customer.currentText().strip()}” is not in the list: choose the "
                    f"customer from it, or use {NEW_CUSTOMER}"
                )
            lines = errors.pop("lines", "")
            self.lines.show_problems(lines)
            unplaced = self.messages.show(errors)
            placed = len(errors) - len(unplaced) + (1 if lines else 0)
            summary = [correction_summary(placed)] if placed else ["Nothing has been saved."]
            self.banner.setText("\n".join([*summary, *unplaced]))
            self.banner.show()
            return None
        except ConflictError as exc:
            self._conflict(exc.message)
            return None
        except ServiceError as exc:
            self.banner.setText(f"{exc.message}\nNothing has been saved.")
            self.banner.show()
            return None
        self.detail = saved
        self._initial = self.state()
        return saved

    def _conflict(self, message: str) -> None:
        """Someone saved the draft meanwhile: theirs with my changes on top, theirs, or keep
        editing (and nothing is saved until the person saves again)."""
        self.banner.setText(message)
        self.banner.show()
        assert self.detail is not None
        answer = ask_about_conflict(self, self.ask, message)
        if answer == KEEP_EDITING:
            return
        try:
            theirs = self.services.invoices.get_invoice(self.services.actor, self.detail.id)
        except ServiceError as exc:
            self.banner.setText(f"{exc.message}\nNothing has been saved.")
            return
        if not theirs.is_draft:
            self.banner.setText(
                f"Someone else issued it meanwhile as {theirs.number}; it can no longer be "
                "changed. Nothing has been saved."
            )
            return
        if answer == RELOAD:
            self.detail = theirs
            self._show(theirs)
            self._initial = self.state()
            self.banner.hide()
        else:  # MERGE: their version, with what I changed put back on top
            self._bring_in(theirs)
            self.banner.setText(
                "Their version is in, with your changes on top. Check them and save again."
            )

    def _bring_in(self, theirs: InvoiceDetail) -> None:
        """Show ``theirs``, then put back each field (and the lines) this person changed."""
        mine, original = self.state(), self._initial
        my_lines = self.lines.values()
        self.detail = theirs
        self._show(theirs)
        self._initial = self.state()  # their version is what my changes now apply to
        boxes = self._text_boxes()
        if mine[0] != original[0]:
            self.customer.setEditText(str(mine[0]))
            self.chosen_customer()
        for number, box in enumerate(boxes, start=1):
            if mine[number] != original[number]:
                show_field_text(box, str(mine[number]))
        if mine[-1] != original[-1]:
            self.lines.set_lines(my_lines)
        self._show_totals()

    def _text_boxes(self) -> tuple[QLineEdit | QPlainTextEdit, ...]:
        return (
            self.invoice_date,
            self.due_date,
            self.supply_from,
            self.supply_to,
            self.purchase_order,
            self.reference,
            self.notes,
        )

    def save_draft(self) -> bool:
        """Save draft (Ctrl+S): saved and closed, or the reasons shown and kept open."""
        if not self.editable:
            return False
        saved = self._save()
        if saved is None:
            return False
        self.saved.emit(
            saved, f"Draft invoice to {saved.customer_name} saved: {money(saved.total)}."
        )
        self.accept()
        return True

    def save_and_issue(self) -> bool:
        """Save, then (once the person agrees) issue with the next number."""
        if not self.editable:
            return False
        saved = self._save()
        if saved is None:
            return False
        answer = self.ask(self, "Issue invoice", issue_question(1, saved.total), [ISSUE, "Cancel"])
        if answer != ISSUE:
            self.saved.emit(saved, f"Draft invoice to {saved.customer_name} saved, not issued.")
            self.accept()
            return False
        try:
            result = self.services.invoices.issue(self.services.actor, [saved.id])
        except ServiceError as exc:
            # The draft is saved; what stops it being issued is said, and it stays open.
            self.saved.emit(saved, f"Draft invoice to {saved.customer_name} saved, not issued.")
            self.banner.setText(f"The draft is saved but was not issued: {exc.message}")
            self.banner.show()
            return False
        self.saved.emit(
            saved,
            f"Issued {result.numbers[0]} to {saved.customer_name} for {money(result.total)}.",
        )
        self.accept()
        return True

    def reject(self) -> None:
        """Cancel or Esc: typed changes are not dropped without asking."""
        if self.editable and self.state() != self._initial:
            what = "this invoice" if self.detail is None else "the draft"
            # Save closes the form itself; then there is nothing more to do here.
            if not may_close_unsaved(self, self.ask, what, lambda: self.save_draft() and None):
                return
        super().reject()

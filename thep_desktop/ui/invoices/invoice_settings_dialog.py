"""Invoices > Invoice settings: payment terms, reminder days, fee coding, note and prefixes."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from thep_desktop.domain.invoices import VatCode
from thep_desktop.services.invoices.invoice_data import SettingsInput
from thep_desktop.services.invoices.invoices_permissions import INVOICE_SETTINGS
from thep_desktop.services.registry import Services
from thep_desktop.ui.memberships.membership_form import MembershipForm
from thep_desktop.ui.shared.forms import field_text


def vat_code_combo(chosen: VatCode = VatCode.STANDARD) -> QComboBox:
    """The four VAT codes by name, ``chosen`` chosen."""
    combo = QComboBox()
    for code in VatCode:
        combo.addItem(code.label, code.value)
    combo.setCurrentIndex(combo.findData(chosen.value))
    return combo


def settings_form(services: Services, parent: QWidget) -> MembershipForm:
    """The settings as they are, to change (the treasurer) or to read (anyone else)."""
    actor = services.actor
    current = services.invoices.settings(actor)
    can_edit = actor.can(INVOICE_SETTINGS)

    def number(value: int, tip: str) -> QLineEdit:
        edit = QLineEdit(str(value))
        edit.setToolTip(tip)
        edit.setMaximumWidth(80)
        return edit

    terms = number(current.payment_terms_days, "Days from the invoice date to the due date")
    first = number(current.first_reminder_days, "Days after the due date")
    second = number(current.second_reminder_days, "Days after the due date")
    final = number(current.final_reminder_days, "Days after the due date")
    vat = vat_code_combo(current.fee_vat_code)
    account = QLineEdit(current.fee_account_code)
    account.setToolTip("The sales account membership fees go to in the accounts (e.g. 200)")
    note = QPlainTextEdit(current.invoice_note)
    note.setPlaceholderText("e.g. Please quote the invoice number with your payment.")
    note.setMaximumHeight(70)
    invoice_prefix = QLineEdit(current.invoice_prefix)
    credit_prefix = QLineEdit(current.credit_note_prefix)
    for edit in (invoice_prefix, credit_prefix):
        edit.setMaximumWidth(120)
        edit.setToolTip("Numbers carry on from where they were when the prefix changes")
    fields: dict[str, tuple[str, QWidget]] = {
        "payment_terms_days": ("&Payment terms (days)", terms),
        "first_reminder_days": ("&1st reminder (days overdue)", first),
        "second_reminder_days": ("&2nd reminder (days overdue)", second),
        "final_reminder_days": ("F&inal reminder (days overdue)", final),
        "fee_vat_code": ("Membership fees' &VAT", vat),
        "fee_account_code": ("Membership fees' &account code", account),
        "invoice_note": ("&Note on every invoice", note),
        "invoice_prefix": ("Invoice numbers &start", invoice_prefix),
        "credit_note_prefix": ("&Credit note numbers start", credit_prefix),
    }
    if not can_edit:
        for _label, widget in fields.values():
            widget.setEnabled(False)
    form = MembershipForm(
        "Invoice settings",
        "How invoices are numbered and worded, when they fall due and when reminders go."
        if can_edit
        else "Only the treasurer may change these.",
        fields,
        lambda: services.invoices.save_settings(
            actor,
            current.version,
            SettingsInput(
                terms.text(),
                first.text(),
                second.text(),
                final.text(),
                vat.currentData(),
                account.text(),
                field_text(note),
                invoice_prefix.text(),
                credit_prefix.text(),
            ),
        ),
        parent,
        what="the settings",
        can_edit=can_edit,
    )
    form.setObjectName("invoice_settings")
    return form

"""What the invoices area lets each role do."""

from thep_desktop.domain.roles import Role
from thep_desktop.services.shared.permissions import Area, permission

MANAGE_INVOICES = permission(
    "manage_invoices",
    "prepare, issue and credit invoices, run the membership fees and send reminders",
    [Role.TREASURER],
)
RECORD_PAYMENTS = permission(
    "record_payments", "record payments and refunds and set them against invoices", [Role.TREASURER]
)
# Staff sell training places and SLA days too, so they keep the price list with the treasurer.
EDIT_CATALOGUE = permission(
    "edit_catalogue",
    "change the catalogue of services and their prices",
    [Role.TREASURER, Role.STAFF],
)
INVOICE_SETTINGS = permission(
    "invoice_settings",
    "change the payment terms, reminder stages and invoice numbering",
    [Role.TREASURER],
)

INVOICES_AREA = Area(
    "invoices",
    (MANAGE_INVOICES, RECORD_PAYMENTS, EDIT_CATALOGUE, INVOICE_SETTINGS),
    writes={
        "customer": MANAGE_INVOICES,
        "invoice": MANAGE_INVOICES,
        "invoice_line": MANAGE_INVOICES,
        "number_series": MANAGE_INVOICES,
        "fee_run": MANAGE_INVOICES,
        "invoice_reminder": MANAGE_INVOICES,
        "payment": RECORD_PAYMENTS,
        "allocation": RECORD_PAYMENTS,
        "service_item": EDIT_CATALOGUE,
        "invoice_settings": INVOICE_SETTINGS,
    },
)

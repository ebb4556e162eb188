"""Invoices, credit notes, statements, aged debt, the register and the export for Xero."""

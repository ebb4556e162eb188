"""Invoices, credit notes, payments, fee runs, reminders and aged debt."""

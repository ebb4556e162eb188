"""The annual fee run: 1,000 members' draft invoices, issuing them, and all of them in one PDF.

A temporary SQLite register of 1,000 schools, each a full member with January census
figures (as the fee quote benchmark makes them: some joined during the year, some are
leaving, some left before it), a dozen associates, the 2025/26 fee schedule and an
organisation profile with VAT and bank details. Each run is a child process of its own on
a fresh copy of that register (a run never finds the invoices of the one before: a second
run would bill nobody), and times, in turn:

- ``services.fee_runs.create_drafts``: the preview's quote and the already-billed check,
  and a draft per member with its working, in one transaction;
- ``services.fee_runs.issue_run``: numbering and fixing every draft in one transaction;
- the baseline: ``benchmarks/invoice_baseline.render_baseline``, a bare reportlab platypus
  ``SimpleDocTemplate`` laying out the same invoices' text in Helvetica (no letterhead);
- ``services.invoice_documents.render_run``: every invoice of the run read from the
  database and laid out on the letterhead into one PDF; of which the invoice engine
  (``invoice_pdf.render_invoices``), timed inside the very same call.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.harness import Figure, baseline, call_in_child, parts_within, time_calls

FULL_MEMBERS, FULL_REPEATS = 1000, 3
QUICK_MEMBERS, QUICK_REPEATS = 200, 2
YEAR = "2025/26"
DRAFT_AND_ISSUE_SECONDS = 2.0
PAGE_MS, PAGE_RATIO = 6.0, 2.5


def _register(folder: Path, members: int) -> Path:
    return folder / f"members-{members}.sqlite3"


def child_make_register(folder: str, members: int) -> str:
    """The register with members, census figures and the year's fee schedule."""
    from benchmarks.bench_fee_quote import fill_members
    from benchmarks.school_data import make_register_file

    path = make_register_file(_register(Path(folder), members), members)
    fill_members(path, members)
    return str(path)


def child_run(folder: str, members: int, attempt: int) -> dict[str, float]:
    """One fee run on a fresh copy of the register: drafts, issue, baseline, PDF."""
    from benchmarks.invoice_baseline import render_baseline
    from thep_desktop.database import sqlite_url
    from thep_desktop.reports.invoices import invoice_pdf
    from thep_desktop.services.registry import open_services
    from thep_desktop.services.shared.actor import local_actor

    register = Path(folder) / f"run-{attempt}.sqlite3"
    shutil.copyfile(_register(Path(folder), members), register)
    services, _note = open_services(sqlite_url(register), local_actor())
    try:
        actor = services.actor
        profile = services.organisation.get_profile(actor)
        services.organisation.update_profile(
            actor,
            replace(
                profile,
                phone="020 7364 0000",
                company_number="08123456",
                registered_office="229 Bethnal Green Road, London E2 6AB",
                vat_number="GB980780684",
                bank_name="Lloyds Bank",
                bank_account_name="Tower Hamlets Education Partnership Ltd",
                bank_sort_code="30-99-50",
                bank_account_number="12345678",
            ),
        )
        started = time.perf_counter()
        made = services.fee_runs.create_drafts(actor, YEAR, invoice_date="2025-09-15")
        drafts = time.perf_counter() - started
        assert made.run_id is not None
        started = time.perf_counter()
        issued = services.fee_runs.issue_run(actor, made.run_id)
        issuing = time.perf_counter() - started
        documents = services.invoice_documents.documents(
            actor, services.fee_runs.run_invoice_ids(actor, made.run_id)
        )
        bare_out = Path(folder) / f"bare-{attempt}.pdf"
        with open(bare_out, "wb") as handle:
            started = time.perf_counter()
            bare_pages = render_baseline(handle, documents)
            bare = time.perf_counter() - started
        out = Path(folder) / f"run-{attempt}.pdf"
        with time_calls(invoice_pdf, "render_invoices") as layout:
            started = time.perf_counter()
            result = services.invoice_documents.render_run(actor, made.run_id, out)
            rendering = time.perf_counter() - started
    finally:
        services.close()
    if layout.calls != 1:
        raise RuntimeError("render_run did not lay out through invoice_pdf.render_invoices")
    if len(issued.numbers) != len(made.draft_ids) or result.documents != len(made.draft_ids):
        raise RuntimeError(
            f"{len(made.draft_ids)} drafts, {len(issued.numbers)} issued, "
            f"{result.documents} printed"
        )
    for path in (register, bare_out, out):
        path.unlink()
    return {
        "invoices": len(made.draft_ids),
        "drafts_seconds": drafts,
        "issue_seconds": issuing,
        "pages": result.pages,
        "render_seconds": rendering,
        "layout_seconds": layout.seconds,
        "bare_seconds": bare,
        "bare_pages": bare_pages,
        "without_figures": len(made.without_figures),
    }


def run(quick: bool) -> list[Figure]:
    members = QUICK_MEMBERS if quick else FULL_MEMBERS
    repeats = QUICK_REPEATS if quick else FULL_REPEATS
    with tempfile.TemporaryDirectory(prefix="thep-bench-invoices-") as tmp:
        call_in_child(child_make_register, tmp, members)
        runs = [call_in_child(child_run, tmp, members, n) for n in range(repeats)]
    invoices = {int(r["invoices"]) for r in runs}
    if len(invoices) != 1 or min(invoices) < members * 0.9:
        raise RuntimeError(f"the runs made {invoices} invoices for {members:,} members")
    count = invoices.pop()
    group = (
        f"fee run: {YEAR}, {count:,} members billed (of {members:,} schools and 12 "
        f"associates), {repeats} runs"
    )

    def per_page(key: str, pages: str = "pages") -> list[float]:
        return [r[key] * 1000 / r[pages] for r in runs]

    both = [r["drafts_seconds"] + r["issue_seconds"] for r in runs]
    drafts, issuing = parts_within(both, [r["drafts_seconds"] for r in runs], "drafting")
    whole = Figure(
        group,
        f"drafts with their working, then issue them all ({count:,} invoices)",
        both,
        "s",
        target=f"< {DRAFT_AND_ISSUE_SECONDS:g} s",
    )
    whole.met = whole.value < DRAFT_AND_ISSUE_SECONDS
    bare = baseline(
        group,
        "bare reportlab SimpleDocTemplate, same text",
        per_page("bare_seconds", "bare_pages"),
        "ms/page",
    )
    pdf = Figure(
        group,
        f"all {count:,} invoices into one PDF (read and laid out)",
        per_page("render_seconds"),
        "ms/page",
        baseline=bare,
        baseline_name="bare",
        target=f"<= {PAGE_RATIO:g}x, < {PAGE_MS:g} ms",
    )
    pdf.met = pdf.value <= PAGE_RATIO * bare.value and pdf.value < PAGE_MS
    layout, rest = parts_within(
        per_page("render_seconds"), per_page("layout_seconds"), "laying out within the render"
    )
    return [
        whole,
        Figure(group, "  of which the drafts (same runs)", drafts, "s"),
        Figure(group, "  of which issuing (same runs)", issuing, "s"),
        pdf,
        Figure(
            group,
            "  of which laying out (same runs)",
            layout,
            "ms/page",
            baseline=bare,
            baseline_name="bare",
        ),
        Figure(group, "  of which reading the invoices (same runs)", rest, "ms/page"),
        bare,
        Figure(group, "pages in the PDF", [int(runs[0]["pages"])], ""),
    ]

"""Mail merge: 1,000 letters into one PDF, against bare reportlab in the same run.

Each run is a child process of its own (so its peak memory is its own), and the runs take
turns: baseline, mail merge of 1,000, mail merge of 250, then again, five times over.

- the program's mail merge (``services.letters.produce``) of a one-page letter to 1,000
  schools of a generated register: reading schools and contacts, merging fields, laying
  out on the letterhead with the window address, page numbers and footer, writing the PDF
  and recording each school's letter in the correspondence history;
- of which the letter engine (``letter_pdf.render_letters``, wrapped with a timer for the
  length of the merge): the layout's share is timed inside the very merge it belongs to,
  so it can never come out larger than the merge;
- the baseline: a bare reportlab platypus ``SimpleDocTemplate`` of the same paragraphs
  (greeting, body, close, signatory's name and role) in the standard Helvetica, one page
  per letter, no letterhead.

Peak memory is measured for 250 and for 1,000 recipients: it should stay flat, because the
letters are laid out one at a time rather than held in memory together.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.bench_startup import make_register_in_child
from benchmarks.harness import (
    Figure,
    baseline,
    call_in_child,
    parts_within,
    peak_rss_mb,
    time_calls,
)

FULL_LETTERS, FULL_SMALL, FULL_REPEATS = 1000, 250, 5
QUICK_LETTERS, QUICK_SMALL, QUICK_REPEATS = 200, 50, 2

BODY = (
    "Please find enclosed the invoice for the membership fee of {school.name} for the academic "
    "year {academic_year}. The fee is based on {school.pupils} pupils on roll at the census of "
    "{school.census_date}, and is payable in advance.\n\n"
    "Please pay by BACS to {org.bank_account_name}, sort code {org.bank_sort_code}, account "
    "number {org.bank_account_number}, quoting your school's URN, {school.urn}, as the "
    "reference.\n\n"
    "If anything on the invoice looks wrong, please tell us at {org.email} before paying. "
    "Thank you for your support of the partnership."
)

SIGNATORY, SIGNATORY_ROLE = "Ruth Adeyemi", "Executive Director"


def _register(folder: Path, count: int) -> Path:
    return folder / f"register-{count}.sqlite3"


def child_baseline(count: int, folder: str) -> dict[str, float]:
    """Bare reportlab: the same paragraphs, one page per letter, timed in this process."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    paragraphs = [p.replace("{", "").replace("}", "") for p in BODY.split("\n\n")]
    out = Path(folder) / f"baseline-{count}.pdf"
    started = time.perf_counter()
    story = []
    for n in range(count):
        story.append(Paragraph(f"Dear Head Teacher {n},", styles["Normal"]))
        story.extend(Paragraph(p, styles["Normal"]) for p in paragraphs)
        story.append(Paragraph("Yours sincerely", styles["Normal"]))
        story.append(Paragraph(SIGNATORY, styles["Normal"]))
        story.append(Paragraph(SIGNATORY_ROLE, styles["Normal"]))
        story.append(PageBreak())
    SimpleDocTemplate(str(out), pagesize=A4).build(story)
    elapsed = time.perf_counter() - started
    out.unlink()
    return {"seconds": elapsed, "pages": count, "peak_mb": peak_rss_mb()}


def child_merge(count: int, folder: str, attempt: int) -> dict[str, float]:
    """The program's mail merge of ``count`` letters, with the letter engine timed inside it."""
    from thep_desktop.database import sqlite_url
    from thep_desktop.reports.letters import letter_pdf
    from thep_desktop.services.letters.letters_service import TemplateInput
    from thep_desktop.services.registry import open_services
    from thep_desktop.services.shared.actor import local_actor

    # A fresh copy of a register made by another process: this process's peak memory is the
    # mail merge's own, and no run finds the history of the one before.
    register = Path(folder) / f"merge-{count}-{attempt}.sqlite3"
    shutil.copyfile(_register(Path(folder), count), register)
    out = Path(folder) / f"merge-{count}-{attempt}.pdf"
    services, _note = open_services(sqlite_url(register), local_actor())
    try:
        letters = services.letters
        template = letters.create_template(
            services.actor,
            TemplateInput(
                name="Fee letter",
                subject="Membership fee {academic_year}",
                body=BODY,
                # Named, so that no default signatory needs setting up in the register.
                signatory=SIGNATORY,
                signatory_role=SIGNATORY_ROLE,
            ),
        )
        ids = letters.open_school_ids(services.actor)[:count]
        with time_calls(letter_pdf, "render_letters") as layout:
            started = time.perf_counter()
            result = letters.produce(
                services.actor, template.id, ids, "Head teacher", combined_file=out
            )
            elapsed = time.perf_counter() - started
    finally:
        services.close()
    if layout.calls == 0:
        raise RuntimeError(
            "the mail merge never called letter_pdf.render_letters: the benchmark no longer "
            "times the layout it says it does"
        )
    register.unlink()
    out.unlink()
    return {
        "seconds": elapsed,
        "layout_seconds": layout.seconds,
        "pages": result.pages,
        "peak_mb": peak_rss_mb(),
    }


def run(quick: bool) -> list[Figure]:
    big = QUICK_LETTERS if quick else FULL_LETTERS
    small = QUICK_SMALL if quick else FULL_SMALL
    repeats = QUICK_REPEATS if quick else FULL_REPEATS
    bare: list[dict[str, float]] = []
    merges: list[dict[str, float]] = []
    small_merges: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="thep-bench-letters-") as tmp:
        folder = Path(tmp)
        for count in (small, big):
            # More schools than letters: some generated schools are closed.
            make_register_in_child(_register(folder, count), count * 13 // 10 + 10)
        # Taking turns, so that a change in the machine's load falls on every kind alike.
        for attempt in range(repeats):
            bare.append(call_in_child(child_baseline, big, folder))
            merges.append(call_in_child(child_merge, big, folder, attempt))
            small_merges.append(call_in_child(child_merge, small, folder, attempt))
    pages = {r["pages"] for r in merges}
    if pages != {big}:
        raise RuntimeError(f"the mail merge of {big:,} letters made {pages} pages")

    def per_page(results: list[dict[str, float]], key: str = "seconds") -> list[float]:
        return [r[key] * 1000 / r["pages"] for r in results]

    group = f"letters: a one-page letter to {big:,} schools, {repeats} runs of each in turn"
    layout, rest = parts_within(
        per_page(merges), per_page(merges, "layout_seconds"), "laying out within the merge"
    )
    bare_figure = baseline(
        group,
        "bare reportlab SimpleDocTemplate",
        per_page(bare),
        "ms/page",
    )
    merge = Figure(
        group,
        "mail merge into one PDF, with history",
        per_page(merges),
        "ms/page",
        baseline=bare_figure,
        baseline_name="bare",
        target="<= 2.5x, < 6 ms",
    )
    merge.met = merge.value <= 2.5 * bare_figure.value and merge.value < 6
    small_memory = baseline(
        group,
        f"peak memory, {small:,} letters",
        [r["peak_mb"] for r in small_merges],
        "MB",
    )
    return [
        merge,
        Figure(
            group,
            "  of which laying out (same runs)",
            layout,
            "ms/page",
            baseline=bare_figure,
            baseline_name="bare",
        ),
        Figure(
            group,
            "  of which all but the layout (same runs)",
            rest,
            "ms/page",
        ),
        bare_figure,
        Figure(
            group,
            f"peak memory, {big:,} letters",
            [r["peak_mb"] for r in merges],
            "MB",
            baseline=small_memory,
            baseline_name=f"{small:,}",
            target="stays flat",
        ),
        small_memory,
        Figure(
            group,
            "growth per 1,000 more letters (the PDF)",
            [
                (b["peak_mb"] - s["peak_mb"]) * 1000 / (big - small)
                for b, s in zip(merges, small_merges, strict=True)
            ],
            "MB",
        ),
    ]

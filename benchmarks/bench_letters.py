"""Mail merge: 1,000 letters into one PDF, against bare reportlab in the same run.

Measured in a child process each (so peak memory is the run's own):

- the program's mail merge (``LettersService.produce``) of a one-page letter to 1,000
  schools of a generated register: reading schools and contacts, merging fields, laying
  out on the letterhead with the window address, page numbers and footer, writing the PDF
  and recording each school's letter in the correspondence history;
- the same letters laid out by the letter engine alone (no database), to show what the
  layout costs by itself;
- the baseline: a bare reportlab platypus ``SimpleDocTemplate`` of the same paragraphs in
  the standard Helvetica, one page per letter, no letterhead.

Peak memory is measured for 250 and for 1,000 recipients: it should stay flat, because the
letters are laid out one at a time rather than held in memory together.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.bench_startup import make_register_in_child
from benchmarks.harness import ROOT, Figure

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

_CHILD = r"""
import json, sys, time
from pathlib import Path
mode, count, folder = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
body = json.loads(sys.argv[4])
out = folder / f"{mode}-{count}.pdf"
if mode == "baseline":
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate
    styles = getSampleStyleSheet()
    paragraphs = [p for p in body.split("\n\n")]
    started = time.perf_counter()
    story = []
    for n in range(count):
        story.append(Paragraph(f"Dear Head Teacher {n},", styles["Normal"]))
        plain = (p.replace("{", "").replace("}", "") for p in paragraphs)
        story.extend(Paragraph(p, styles["Normal"]) for p in plain)
        story.append(Paragraph("Yours sincerely", styles["Normal"]))
        story.append(PageBreak())
    SimpleDocTemplate(str(out), pagesize=A4).build(story)
    elapsed, pages = time.perf_counter() - started, count
else:
    import shutil
    from thep_desktop.services.shared.actor import local_actor
    from thep_desktop.services.letters.letters_service import LettersService, TemplateInput
    from thep_desktop.services.registry import open_services
    # A copy of the register made by another process, so that this one's peak memory is
    # the mail merge's own.
    register = folder / f"register-{mode}-{count}.sqlite3"
    shutil.copyfile(folder / f"register-{count}.sqlite3", register)
    services, _ = open_services(str(register), local_actor())
    letters = LettersService(services.db)
    template = letters.create_template(
        services.actor,
        TemplateInput(name="Fee letter", subject="Membership fee {academic_year}", body=body,
                      signatory="Helen Marsh", signatory_role="Executive Director"),
    )
    ids = letters.open_school_ids(services.actor)[:count]
    if mode == "engine":
        from thep_desktop.reports.letters.letter_pdf import render_letters
        from thep_desktop.services.letters import mail_merge as ls
        recipients, _ = letters.recipients(services.actor, ids, "Head teacher")
        profile = services.organisation.get_profile(services.actor)
        data = template.as_input()
        import datetime
        when = datetime.date(2026, 11, 25)
        common = ls._organisation_values(profile)
        def each():
            for r in recipients:
                values = dict(r.values); values.update(common)
                values.update(ls._letter_values(when, data, str(r.urn)))
                yield ls._letter(data, values, r.address, when)
        started = time.perf_counter()
        result = render_letters(out, ls.letterhead_from(profile), each())
        elapsed, pages = time.perf_counter() - started, result.pages
    else:
        started = time.perf_counter()
        result = letters.produce(
            services.actor, template.id, ids, "Head teacher", combined_file=out
        )
        elapsed, pages = time.perf_counter() - started, result.pages
    services.close()
from benchmarks.harness import peak_rss_mb
peak = peak_rss_mb()
print(json.dumps({"seconds": elapsed, "pages": pages, "peak_mb": peak}))
"""


def _run(mode: str, count: int, folder: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(count), str(folder), json.dumps(BODY)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(quick: bool) -> list[Figure]:
    big = 200 if quick else 1000
    small = 50 if quick else 250
    with tempfile.TemporaryDirectory(prefix="thep-bench-letters-") as tmp:
        folder = Path(tmp)
        for count in (small, big):
            # More schools than letters: some generated schools are closed.
            make_register_in_child(folder / f"register-{count}.sqlite3", count * 13 // 10 + 10)
        baseline = _run("baseline", big, folder)
        engine = _run("engine", big, folder)
        merge = _run("merge", big, folder)
        merge_small = _run("merge", small, folder)
    per_page = {
        name: r["seconds"] * 1000 / r["pages"]
        for name, r in (("baseline", baseline), ("engine", engine), ("merge", merge))
    }
    target = "<= 2.5x baseline and < 6 ms/page"
    return [
        Figure(
            "letters",
            f"mail merge of {big:,} letters into one PDF, with history "
            f"({merge['pages']:,.0f} pages)",
            per_page["merge"],
            "ms/page",
            baseline=per_page["baseline"],
            baseline_name="bare SimpleDocTemplate",
            target=target,
            met=per_page["merge"] <= 2.5 * per_page["baseline"] and per_page["merge"] < 6,
        ),
        Figure(
            "letters",
            "  of which laying out the letters (letter engine alone)",
            per_page["engine"],
            "ms/page",
            baseline=per_page["baseline"],
            baseline_name="bare SimpleDocTemplate",
        ),
        Figure(
            "letters",
            f"peak memory, mail merge of {big:,} letters",
            merge["peak_mb"],
            "MB",
            baseline=merge_small["peak_mb"],
            baseline_name=f"{small:,} letters",
            target="flat as recipients grow",
        ),
        Figure(
            "letters",
            "  growth per 1,000 more letters (the PDF itself: reportlab writes it at the end)",
            (merge["peak_mb"] - merge_small["peak_mb"]) * 1000 / (big - small),
            "MB",
        ),
    ]

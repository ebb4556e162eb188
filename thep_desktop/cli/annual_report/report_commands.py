"""``thep-admin report annual|narrative|final``: the annual report to the Advisory Council, its
narrative section by section, and marking it final."""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from thep_desktop.cli.governance.governance_options import academic_year
from thep_desktop.cli.shared.output import CommandError, parse_date, plural, write_json
from thep_desktop.domain.annual_report import SECTIONS
from thep_desktop.domain.dates import format_date
from thep_desktop.services.annual_report.annual_report_service import Narrative
from thep_desktop.services.registry import Services

SECTION_KEYS = tuple(key for key, _heading, _column in SECTIONS)
COLUMN_OF = {key: column for key, _heading, column in SECTIONS}
HEADING_OF = {key: heading for key, heading, _column in SECTIONS}


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    report = commands.add_parser(
        "report",
        help="the annual report to the Advisory Council, and its narrative",
        description="The annual report to the Advisory Council for an academic year: its "
        "narrative section by section, the PDF on the letterhead with its xlsx appendix, and "
        "marking it final (after which it never changes).",
    )
    actions = report.add_subparsers(dest="report_command", metavar="COMMAND", required=True)

    annual = actions.add_parser(
        "annual",
        parents=[common],
        help="the year's report as a PDF (and its tables as an xlsx appendix)",
        description=textwrap.fill(
            "Write the annual report for an academic year as a PDF on the letterhead: a "
            "contents page, then membership, finances, peer review, inspection outcomes and "
            "governance, each with the office's narrative, the dashboard's figures as at the "
            "year's last day (today while the year runs), charts and tables. Marked DRAFT "
            "until final. --appendix also writes the tables behind it as an Excel workbook. "
            "Each file is written whole or not at all.",
            width=79,
        ),
        epilog="example:\n  thep-admin report annual --year 2025/26 --out report.pdf "
        "--appendix appendix.xlsx",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    annual.add_argument("--year", required=True, metavar="YEAR", help="e.g. 2025/26")
    annual.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    annual.add_argument("--appendix", type=Path, metavar="FILE.xlsx")
    annual.add_argument("--json", action="store_true", help="print what was written as JSON")
    annual.set_defaults(run=write_report, database="existing")

    narrative = actions.add_parser(
        "narrative",
        parents=[common],
        help="show the year's narrative, or set one section's text",
        description=textwrap.fill(
            "Without --section, show the year's narrative section by section. With --section "
            "and --text (or --file, a UTF-8 text file; blank lines separate paragraphs), "
            f"replace that section's text. Sections: {', '.join(SECTION_KEYS)}. A final "
            "report cannot be changed.",
            width=79,
        ),
        epilog="examples:\n  thep-admin report narrative --year 2025/26\n"
        '  thep-admin report narrative --year 2025/26 --section membership --text "..."\n'
        "  thep-admin report narrative --year 2025/26 --section finances --file finances.txt",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    narrative.add_argument("--year", required=True, metavar="YEAR", help="e.g. 2025/26")
    narrative.add_argument("--section", metavar="SECTION", help=", ".join(SECTION_KEYS))
    source = narrative.add_mutually_exclusive_group()
    source.add_argument("--text", metavar="TEXT", help="the section's new text")
    source.add_argument("--file", type=Path, metavar="FILE", help="a text file with it")
    narrative.add_argument("--title", metavar="TITLE", help="the report's title")
    narrative.add_argument("--json", action="store_true", help="print JSON instead of text")
    narrative.set_defaults(run=show_or_set_narrative, database="existing")

    final = actions.add_parser(
        "final",
        parents=[common],
        help="mark the year's report final: it can never be changed after",
        description="Mark the year's report final, approved by the person named (e.g. the "
        "chair of the Advisory Council) on the day given (today if not given). From then on "
        "neither its narrative nor its status can change.",
        epilog='example:\n  thep-admin report final --year 2025/26 --by "Ruth Okafor" '
        "--on 15/10/2026",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    final.add_argument("--year", required=True, metavar="YEAR", help="e.g. 2025/26")
    final.add_argument("--by", required=True, metavar="NAME", help="who approved it")
    final.add_argument("--on", type=parse_date, metavar="DATE", help="when (default today)")
    final.add_argument("--json", action="store_true", help="print JSON instead of text")
    final.set_defaults(run=mark_final, database="existing")


def write_report(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    year = academic_year(args.year)
    pdf: Path = args.out
    if pdf.suffix.lower() != ".pdf":
        raise CommandError(f"--out must name a .pdf file, not {pdf.name!r}.")
    appendix: Path | None = args.appendix
    if appendix is not None and appendix.suffix.lower() != ".xlsx":
        raise CommandError(f"--appendix must name a .xlsx file, not {appendix.name!r}.")
    service = services.annual_report
    data = service.write_pdf(services.actor, year, pdf)
    if appendix is not None:
        service.write_appendix(services.actor, year, appendix)
    empty = [s.heading for s in data.sections if s.empty_words]
    if args.json:
        write_json(
            {
                "academic_year": data.year_label,
                "status": "final" if data.final else "draft",
                "as_at": data.as_at,
                "pdf": str(pdf),
                "appendix": str(appendix) if appendix is not None else None,
                "tables": len(data.tables()),
                "sections_without_records": empty,
            },
            out,
        )
        return 0
    state = "final" if data.final else "draft"
    out.write(
        f"Wrote the {state} annual report for {data.year_label} (figures as at "
        f"{format_date(data.as_at)}) to {pdf}.\n"
    )
    if appendix is not None:
        out.write(f"Wrote its appendix ({plural(len(data.tables()), 'table')}) to {appendix}.\n")
    if empty:
        out.write(f"No records for {data.year_label} in: {', '.join(empty)}.\n")
    return 0


def show_or_set_narrative(
    services: Services, args: argparse.Namespace, out: TextIO | None = None
) -> int:
    out = out if out is not None else sys.stdout
    year = academic_year(args.year)
    service = services.annual_report
    current = service.narrative(services.actor, year)
    changing = args.text is not None or args.file is not None
    if changing or args.title is not None:
        texts: dict[str, str] = {}
        if changing:
            if not args.section:
                raise CommandError(f"Say which section with --section ({', '.join(SECTION_KEYS)}).")
            texts[_section(args.section)] = _text(args)
        elif args.section:
            raise CommandError("Give the section's text with --text or --file.")
        current = service.save_narrative(
            services.actor, year, texts, title=args.title, expected_version=current.version
        )
        if not args.json:
            what = HEADING_OF[_key(args.section)] if changing else "The title"
            out.write(f"{what} saved for {year.label}.\n")
            return 0
    elif args.section:
        raise CommandError("Give the section's text with --text or --file.")
    if args.json:
        write_json(_narrative_json(current), out)
        return 0
    out.write(f"{current.title}\n{current.status_words}\n")
    for key, heading, column in SECTIONS:
        text = current.texts[column]
        out.write(f"\n== {heading} ({key}) ==\n{text if text else '(nothing written yet)'}\n")
    return 0


def mark_final(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    year = academic_year(args.year)
    service = services.annual_report
    current = service.narrative(services.actor, year)
    on: date = args.on or date.today()
    done = service.mark_final(services.actor, year, args.by, on, current.version)
    if args.json:
        write_json(_narrative_json(done), out)
        return 0
    out.write(f"The annual report for {year.label} is final: {done.status_words}\n")
    return 0


def _key(section: str) -> str:
    key = section.strip().casefold().replace("-", "_").replace(" ", "_")
    if key not in COLUMN_OF:
        raise CommandError(
            f"{section!r} is not a section of the report; choose from {', '.join(SECTION_KEYS)}."
        )
    return key


def _section(section: str) -> str:
    return COLUMN_OF[_key(section)]


def _text(args: argparse.Namespace) -> str:
    if args.text is not None:
        return str(args.text)
    path: Path = args.file
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"There is no file {str(path)!r}.") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path.name} is not a UTF-8 text file; save it as UTF-8.") from None
    except OSError as exc:
        raise CommandError(f"Could not read {path.name}: {exc.strerror}.") from None


def _narrative_json(narrative: Narrative) -> dict[str, Any]:
    return {
        "academic_year": narrative.year.label,
        "title": narrative.title,
        "status": narrative.status.value,
        "saved": narrative.saved,
        "finalised_on": narrative.finalised_on,
        "finalised_by": narrative.finalised_by,
        "sections": {key: narrative.texts[column] for key, _heading, column in SECTIONS},
    }

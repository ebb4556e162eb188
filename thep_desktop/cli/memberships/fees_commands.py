"""``thep-admin fees schedule|quote``: a year's fee schedule, and every member's fee, worked out."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from thep_desktop.cli.shared.output import (
    Column,
    CommandError,
    parse_date,
    plural,
    text_value,
    write_fields,
    write_json,
    write_table,
)
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.fees import ProRating
from thep_desktop.services.memberships.fees_service import (
    FeePeriodInput,
    FeeQuote,
    ScheduleDetail,
    ScheduleInput,
    parse_year,
)
from thep_desktop.services.registry import Services

QUOTE_KEYS = (
    "member_id",
    "name",
    "urn",
    "category",
    "pupils",
    "census_date",
    "basis",
    "amount",
    "working",
    "problem",
)
SETTINGS = ("rate_per_pupil", "associate_fee", "census_date", "free", "pro_rating", "notes")


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    fees = commands.add_parser(
        "fees",
        help="fee schedules by academic year, and the fee quote",
        description="Membership fees: a schedule for each academic year (1 September to 31 "
        "August, written 2025/26) and every member's fee worked out from it.",
    )
    actions = fees.add_subparsers(dest="fees_command", metavar="COMMAND", required=True)

    schedule = actions.add_parser(
        "schedule",
        parents=[common],
        help="show a year's fee schedule, or set one for a year that has none",
        description="Without settings, show the year's fee schedule. With them, set the "
        "schedule of a year that has none yet (a setting left out is taken from the year "
        "before, if it has a schedule). An existing schedule is never overwritten from here: "
        "change it in the desktop program's fee schedule editor (Memberships tab).",
    )
    schedule.add_argument("--year", required=True, metavar="YEAR", help="e.g. 2027/28")
    schedule.add_argument("--rate-per-pupil", metavar="POUNDS", help="full members, e.g. 5.00")
    schedule.add_argument("--associate-fee", metavar="POUNDS", help="a flat fee, e.g. 250.00")
    schedule.add_argument(
        "--census-date",
        type=parse_date,
        metavar="DATE",
        help="the census whose pupil figures are charged (default: the January census "
        "before the year starts)",
    )
    schedule.add_argument(
        "--free",
        action="append",
        metavar="FROM:TO[:WHY]",
        help="a period without fees, e.g. 2016-09-01:2017-03-31 (may be given more than once)",
    )
    schedule.add_argument(
        "--pro-rating",
        choices=[p.value for p in ProRating],
        help="part years by whole months (default) or by days",
    )
    schedule.add_argument("--notes", metavar="TEXT")
    schedule.add_argument("--json", action="store_true", help="print JSON instead of text")
    schedule.set_defaults(run=fee_schedule, database="existing")

    quote = actions.add_parser(
        "quote",
        parents=[common],
        help="every member's fee for a year, with its working and the total",
        description="Every member's fee for the academic year with its working (e.g. \"412 "
        'pupils x £5.00 x 5/12 = £858.33"), and the total. Schools without a pupil figure '
        "at the schedule's census date are listed apart: they are never billed at nothing.",
    )
    quote.add_argument("--year", required=True, metavar="YEAR", help="e.g. 2025/26")
    quote.add_argument("--json", action="store_true", help="print JSON instead of a table")
    quote.set_defaults(run=fee_quote, database="existing")


# -- schedule ------------------------------------------------------------------------------------
def fee_schedule(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    actor = services.actor
    year = parse_year(args.year)
    current = services.fees.get_schedule(actor, year)
    setting = any(getattr(args, name) is not None for name in SETTINGS)
    if setting:
        if current is not None:
            raise CommandError(
                f"{year.label} already has a fee schedule ({text_value(current.rate_per_pupil)} "
                f"per pupil, associate fee {text_value(current.associate_fee)}); it was not "
                "changed. Change it in the fee schedule editor of the desktop program's "
                "Memberships tab."
            )
        before = services.fees.get_schedule(actor, year.previous())
        data = ScheduleInput(
            academic_year=year,
            rate_per_pupil=_setting(args.rate_per_pupil, before, "rate_per_pupil", year.label),
            associate_fee=_setting(args.associate_fee, before, "associate_fee", year.label),
            census_date=args.census_date,
            pro_rating=args.pro_rating or (before.pro_rating if before else ProRating.MONTHS),
            periods=tuple(_free_period(text) for text in args.free or ()),
            notes=args.notes or "",
        )
        current = services.fees.save_schedule(actor, data)
        if not args.json:
            out.write(f"Fee schedule for {year.label} set.\n\n")
    elif current is None:
        raise CommandError(
            f"There is no fee schedule for {year.label} yet. Set one with: thep-admin fees "
            f"schedule --year {year.label} --rate-per-pupil 5.00 --associate-fee 250.00"
        )
    if args.json:
        write_json(schedule_json(current), out)
        return 0
    write_schedule(current, out)
    return 0


def _setting(typed: str | None, before: ScheduleDetail | None, name: str, label: str) -> Any:
    if typed is not None:
        return typed
    if before is not None:
        return getattr(before, name)
    option = name.replace("_", "-")
    raise CommandError(
        f"Give --{option} for {label}: the year before has no fee schedule to take it from."
    )


def _free_period(text: str) -> FeePeriodInput:
    """``FROM:TO[:WHY]``, each date as 2016-09-01 or 01/09/2016."""
    parts = text.split(":", 2)
    if len(parts) < 2:
        raise CommandError(
            f"--free {text}: give the first and last day without fees, e.g. "
            "--free 2016-09-01:2017-03-31"
        )
    try:
        first, last = parse_date(parts[0].strip()), parse_date(parts[1].strip())
    except argparse.ArgumentTypeError as exc:
        raise CommandError(f"--free {text}: {exc}") from None
    why = parts[2].strip() if len(parts) > 2 else ""
    return FeePeriodInput(first, last, charged=False, description=why)


def write_schedule(schedule: ScheduleDetail, out: TextIO) -> None:
    title = f"Fee schedule {schedule.year.label}"
    out.write(f"{title}\n{'=' * len(title)}\n")
    periods = [
        f"{p.dates_text}: "
        + ("charged" if p.charged else "no fee")
        + (f" ({p.description})" if p.description else "")
        for p in schedule.periods
    ]
    write_fields(
        [
            ("Academic year", f"{format_date(schedule.year.first_day)} to "
             f"{format_date(schedule.year.last_day)}"),
            ("Rate per pupil", f"{text_value(schedule.rate_per_pupil)} (full members)"),
            ("Associate fee", f"{text_value(schedule.associate_fee)} a year"),
            ("Census date", f"{format_date(schedule.census_date)} (the pupil figures charged)"),
            ("Pro-rating", schedule.pro_rating.label),
            ("Fee periods", "\n".join(periods) or "the whole year is charged"),
            ("Notes", schedule.notes),
        ],
        out,
    )  # fmt: skip


def schedule_json(schedule: ScheduleDetail) -> dict[str, Any]:
    return {
        "academic_year": schedule.year.label,
        "first_day": schedule.year.first_day,
        "last_day": schedule.year.last_day,
        "rate_per_pupil": schedule.rate_per_pupil,
        "associate_fee": schedule.associate_fee,
        "census_date": schedule.census_date,
        "pro_rating": schedule.pro_rating,
        "periods": [
            {
                "starts_on": p.starts_on,
                "ends_on": p.ends_on,
                "charged": p.charged,
                "description": p.description,
            }
            for p in schedule.periods
        ],
        "notes": schedule.notes,
        "version": schedule.version,
    }


# -- quote ---------------------------------------------------------------------------------------
def fee_quote(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    quote = services.fees.quote_year(services.actor, args.year)
    billed = [q for q in quote.quotes if q.amount is not None]
    missing = quote.without_figures
    if args.json:
        write_json(
            {
                "academic_year": quote.year.label,
                "schedule": schedule_json(quote.schedule),
                "quotes": [quote_json(q) for q in quote.quotes],
                "count": len(quote.quotes),
                "total": quote.total,
                "without_figures": [quote_json(q) for q in missing],
            },
            out,
        )
        return 0
    schedule = quote.schedule
    out.write(
        f"Membership fees {quote.year.label}: {text_value(schedule.rate_per_pupil)} per pupil "
        f"(census of {format_date(schedule.census_date)}), associate fee "
        f"{text_value(schedule.associate_fee)}\n\n"
    )
    if not quote.quotes:
        out.write(f"Nobody was a member at any time in {quote.year.label}.\n")
        return 0
    if billed:
        write_table(
            [
                Column("ID", right=True),
                Column("Member"),
                Column("Category"),
                Column("Fee", right=True),
                Column("Working"),
            ],
            (
                [str(q.member_id), q.name, q.category.label, text_value(q.amount), q.working]
                for q in billed
            ),
            out,
        )
    out.write(f"\nTotal {text_value(quote.total)} from {plural(len(billed), 'member')}.\n")
    if missing:
        out.write(
            f"\nNot billed: {plural(len(missing), 'member')} without a pupil figure "
            "(record the census figure, then quote again):\n"
        )
        write_table(
            [Column("ID", right=True), Column("Member"), Column("URN"), Column("Why")],
            (
                [str(q.member_id), q.name, "" if q.urn is None else str(q.urn), q.problem]
                for q in missing
            ),
            out,
        )
    return 0


def quote_json(quote: FeeQuote) -> dict[str, Any]:
    return {key: getattr(quote, key) for key in QUOTE_KEYS}

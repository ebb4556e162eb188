"""``thep-admin reviews …``: clusters, a year's cycle, its schedule and its checks, its list."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
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
from thep_desktop.domain.academic_years import AcademicYear, AcademicYearError
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.peer_reviews import Breach, ReviewStatus, Term, TermName
from thep_desktop.domain.review_checks import summary
from thep_desktop.services.peer_reviews.review_data import (
    ClusterDetail,
    CycleDetail,
    CycleInput,
    ReviewDetail,
    ReviewFilter,
    ScheduleProposal,
)
from thep_desktop.services.peer_reviews.scheduling_service import ScheduleImpossible
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import NotFoundError, ValidationError

PROG = "thep-admin"
YEAR_HELP = "the academic year, e.g. 2025/26"
STATUS_WORDS = ", ".join(status.label.lower() for status in ReviewStatus)
TERM_WORDS = ", ".join(term.value for term in TermName)


def add_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    reviews = commands.add_parser(
        "reviews",
        help="peer reviews: clusters, a year's cycle, its schedule, checks",
        description="Peer reviews: the clusters of schools, a year's review cycle and its "
        "rules, a fair schedule proposed by the scheduler (and saved on request), every "
        "breach of the rules in the reviews as they stand, and the list of reviews.",
    )
    actions = reviews.add_subparsers(dest="reviews_command", metavar="COMMAND", required=True)

    clusters = actions.add_parser(
        "clusters",
        parents=[common],
        help="the clusters, their lead contacts and schools",
        description="Every cluster with its kind, lead contact and schools (URN and name).",
    )
    clusters.add_argument("--json", action="store_true", help="print JSON instead of text")
    clusters.set_defaults(run=list_clusters, database="existing")

    cycle = actions.add_parser(
        "cycle",
        parents=[common],
        help="a year's review cycle: show it, create it or change its rules",
        description="A year's review cycle and the rules its schedule keeps. When the year has "
        "no cycle yet it is created, with the usual rules (teams of 2 schools, each school "
        "reviewing 2, one-day visits in all three terms, nobody reviewing a school of its own "
        "trust, no two schools reviewing each other in one term, one visit a week) unless "
        "options say otherwise; an existing cycle is shown, or changed by the options given.",
    )
    cycle.add_argument("--year", required=True, metavar="YEAR", help=YEAR_HELP)
    cycle.add_argument("--team-size", type=int, metavar="N", help="reviewer schools in a team")
    cycle.add_argument(
        "--reviews-per-school", type=int, metavar="N", help="reviews each school sends people to"
    )
    cycle.add_argument("--visit-days", type=int, metavar="N", help="days a visit lasts (1 to 5)")
    cycle.add_argument(
        "--terms", metavar="TERMS", help=f"the terms that take visits, e.g. {TERM_WORDS}"
    )
    cycle.add_argument(
        "--same-trust",
        choices=("avoid", "allow"),
        help="whether schools may review a school of their own trust",
    )
    cycle.add_argument(
        "--mutual-in-one-term",
        choices=("avoid", "allow"),
        help="whether two schools may review each other in the same term",
    )
    cycle.add_argument(
        "--visits-a-week",
        choices=("one", "any"),
        help="at most one visit a week for each school, or any number",
    )
    cycle.add_argument("--seed", type=int, metavar="N", help="the scheduler's starting number")
    cycle.add_argument(
        "--focus", metavar="TEXT", help="the cycle's usual focus areas, separated by ';'"
    )
    cycle.add_argument(
        "--name", metavar="TEXT", help="the cycle's name (default: Peer reviews YEAR)"
    )
    cycle.add_argument("--json", action="store_true", help="print JSON instead of text")
    cycle.set_defaults(run=cycle_command, database="existing")

    terms = actions.add_parser(
        "terms",
        parents=[common],
        help="a year's term dates: show them, or save them (--save)",
        description="A year's term dates, half terms, bank holidays and closure days. When "
        "none are saved, the usual London dates are shown as a proposal; --save saves what "
        "is shown, with the dates given by the options below in place of the shown ones. "
        "Scheduling needs the year's terms saved: visits are only in term time.",
    )
    terms.add_argument("--year", required=True, metavar="YEAR", help=YEAR_HELP)
    for term in TermName:
        terms.add_argument(
            f"--{term.value}",
            nargs=2,
            type=parse_date,
            metavar=("FIRST", "LAST"),
            help=f"the first and last day of the {term.label.lower()}",
        )
        terms.add_argument(
            f"--{term.value}-half-term",
            nargs=2,
            type=parse_date,
            metavar=("FIRST", "LAST"),
            help=f"the first and last day of the {term.label.lower()}'s half term",
        )
    terms.add_argument("--save", action="store_true", help="save the year's term dates")
    terms.add_argument("--json", action="store_true", help="print JSON instead of text")
    terms.set_defaults(run=terms_command, database="existing")

    schedule = actions.add_parser(
        "schedule",
        parents=[common],
        help="propose a fair schedule for clusters of a year (--apply saves it)",
        description="Propose a schedule for the year's cycle: every school of each cluster "
        "hosts one review, on a school day in term, with a team from its cluster, keeping "
        "the cycle's rules. Without --cluster, every active cluster whose reviews are all "
        "still proposed is scheduled. The schedule is printed; --apply saves it, replacing "
        "the proposed reviews of those clusters. When no schedule keeps every rule, each "
        "reason is printed and the exit code is 1.",
    )
    schedule.add_argument("--year", required=True, metavar="YEAR", help=YEAR_HELP)
    schedule.add_argument(
        "--cluster",
        action="append",
        metavar="NAME",
        help="a cluster to schedule (may be given more than once)",
    )
    schedule.add_argument(
        "--seed", type=int, metavar="N", help="another number gives another fair schedule"
    )
    schedule.add_argument("--apply", action="store_true", help="save the schedule")
    schedule.add_argument("--json", action="store_true", help="print JSON instead of text")
    schedule.set_defaults(run=schedule_command, database="existing")

    check = actions.add_parser(
        "check",
        parents=[common],
        help="every breach of the cycle's rules (exit 1 when there are some)",
        description="Check the year's reviews as they stand, generated or changed by hand, "
        "against every rule of the cycle, and list each breach in words. Exit code 0 when "
        "there are none, 1 when there are some.",
    )
    check.add_argument("--year", required=True, metavar="YEAR", help=YEAR_HELP)
    check.add_argument("--cluster", metavar="NAME", help="only this cluster's reviews")
    check.add_argument("--json", action="store_true", help="print JSON instead of text")
    check.set_defaults(run=check_command, database="existing")

    listing = actions.add_parser(
        "list",
        parents=[common],
        help="the year's reviews by date: host, team, lead, status",
        description="The year's reviews by visit date with the host, the reviewing schools, "
        "the lead reviewer, the focus areas and the status.",
    )
    listing.add_argument("--year", required=True, metavar="YEAR", help=YEAR_HELP)
    listing.add_argument(
        "--status",
        action="append",
        metavar="STATUS",
        help=f"only these ({STATUS_WORDS}); may be given more than once",
    )
    listing.add_argument(
        "--school", type=int, metavar="URN", help="only the reviews this school hosts or joins"
    )
    listing.add_argument("--cluster", metavar="NAME", help="only this cluster's reviews")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(run=list_reviews, database="existing")

    # Helper "exports" adds `reviews export-ics` in review_export_commands.py, beside this
    # module; the group takes it in when it is there.
    try:
        from thep_desktop.cli.peer_reviews import review_export_commands
    except ImportError:
        pass
    else:
        review_export_commands.add_export_commands(actions, common)


# -- clusters --------------------------------------------------------------------------------
def list_clusters(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    clusters = services.clusters.list_clusters(services.actor)
    if args.json:
        write_json({"clusters": [_cluster_json(c) for c in clusters], "count": len(clusters)}, out)
        return 0
    if not clusters:
        out.write("There are no clusters yet.\n")
        return 0
    for index, cluster in enumerate(clusters):
        if index:
            out.write("\n")
        retired = "" if cluster.active else ", retired"
        out.write(
            f"{cluster.name} ({cluster.kind.label}, {plural(len(cluster.schools), 'school')}"
            f"{retired})\n"
        )
        lead = ", ".join(
            part
            for part in (
                cluster.lead_label,
                cluster.lead_contact_email,
                cluster.lead_contact_phone,
            )
            if part
        )
        write_fields([("Lead contact", lead or "none named")], out, indent="  ")
        for school in cluster.schools:
            out.write(f"  {school.urn}  {school.name}\n")
    return 0


def _cluster_json(cluster: ClusterDetail) -> dict[str, Any]:
    lead_urn = next((s.urn for s in cluster.schools if s.school_id == cluster.lead_school_id), None)
    return {
        "name": cluster.name,
        "kind": cluster.kind,
        "active": cluster.active,
        "lead_contact_name": cluster.lead_contact_name,
        "lead_contact_email": cluster.lead_contact_email,
        "lead_contact_phone": cluster.lead_contact_phone,
        "lead_school_urn": lead_urn,
        "lead_school": cluster.lead_school_name,
        "schools": [{"urn": s.urn, "name": s.name} for s in cluster.schools],
    }


# -- the cycle -------------------------------------------------------------------------------
def cycle_command(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    year = _year(args.year)
    changes = _cycle_changes(args)
    try:
        found: CycleDetail | None = services.reviews.cycle_for_year(services.actor, year)
    except NotFoundError:
        found = None
    if found is not None and not changes:
        said = f"{found.title}: the rules of its schedule."
        saved = found
    else:
        base = found.as_input() if found is not None else CycleInput(year)
        data = replace(base, **changes)
        saved = services.reviews.save_cycle(
            services.actor,
            data,
            cycle_id=found.id if found else None,
            expected_version=found.version if found else None,
        )
        said = f"{saved.title} changed." if found is not None else f"{saved.title} created."
    if args.json:
        write_json(_cycle_json(saved), out)
        return 0
    out.write(said + "\n")
    rules = saved.rules
    write_fields(
        [
            ("Schools in each team", str(rules.team_size)),
            ("Reviews each school gives", str(rules.reviews_per_school)),
            ("Days a visit lasts", str(rules.visit_days)),
            ("Terms", ", ".join(term.label for term in rules.terms)),
            ("Own trust", "avoided" if rules.avoid_same_trust else "allowed"),
            (
                "Reviewing each other",
                "not in the same term" if rules.no_mutual_in_same_term else "allowed any time",
            ),
            ("Visits a week", "one a school" if rules.one_visit_per_week else "any number"),
            ("Seed", str(saved.seed)),
            ("Focus areas", saved.focus or "none set"),
            ("Reviews", status_counts(saved)),
        ],
        out,
        indent="  ",
    )
    return 0


def _cycle_changes(args: argparse.Namespace) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for option, field in (
        ("team_size", "team_size"),
        ("reviews_per_school", "reviews_per_school"),
        ("visit_days", "visit_days"),
        ("seed", "seed"),
        ("name", "name"),
    ):
        value = getattr(args, option)
        if value is not None:
            changes[field] = value
    if args.focus is not None:
        changes["focus"] = "\n".join(p.strip() for p in args.focus.split(";") if p.strip())
    if args.terms is not None:
        terms = []
        for word in args.terms.replace(";", ",").split(","):
            word = word.strip().casefold().removesuffix(" term")
            if not word:
                continue
            try:
                terms.append(TermName(word))
            except ValueError:
                raise CommandError(f"{word!r} is not a term; choose from {TERM_WORDS}.") from None
        changes["terms"] = tuple(terms)
    if args.same_trust is not None:
        changes["avoid_same_trust"] = args.same_trust == "avoid"
    if args.mutual_in_one_term is not None:
        changes["no_mutual_in_same_term"] = args.mutual_in_one_term == "avoid"
    if args.visits_a_week is not None:
        changes["one_visit_per_week"] = args.visits_a_week == "one"
    return changes


def status_counts(cycle: CycleDetail) -> str:
    """``87 reviews (53 proposed, 9 confirmed, …)`` (also the demo's closing summary)."""
    if not cycle.reviews:
        return "no reviews yet"
    counts = [
        f"{count} {status.label.lower()}" for status, count in cycle.by_status.items() if count
    ]
    return f"{plural(cycle.reviews, 'review')} ({', '.join(counts)})"


def _cycle_json(cycle: CycleDetail) -> dict[str, Any]:
    rules = cycle.rules
    return {
        "year": cycle.year.label,
        "name": cycle.title,
        "team_size": rules.team_size,
        "reviews_per_school": rules.reviews_per_school,
        "visit_days": rules.visit_days,
        "terms": [term.value for term in rules.terms],
        "avoid_same_trust": rules.avoid_same_trust,
        "no_mutual_in_same_term": rules.no_mutual_in_same_term,
        "one_visit_per_week": rules.one_visit_per_week,
        "seed": cycle.seed,
        "focus": list(line for line in cycle.focus.splitlines() if line.strip()),
        "reviews": cycle.reviews,
        "by_status": {status.value: count for status, count in cycle.by_status.items()},
    }


# -- term dates ------------------------------------------------------------------------------
def terms_command(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    year = _year(args.year)
    shown = services.school_calendar.year_terms(services.actor, year)
    terms = [_term_as_typed(args, term) for term in shown.terms]
    changed = terms != list(shown.terms)
    if changed and not args.save:
        raise CommandError("Add --save to save these term dates (nothing was saved).")
    if args.save:
        shown = services.school_calendar.save_terms(
            services.actor, year, terms, expected_versions=shown.versions
        )
    holidays = services.school_calendar.bank_holidays(services.actor, year)
    closures = services.school_calendar.closures(services.actor, year)
    if args.json:
        write_json(
            {
                "year": year.label,
                "saved": shown.saved,
                "terms": [
                    {
                        "term": term.name,
                        "starts_on": term.starts_on,
                        "ends_on": term.ends_on,
                        "half_term_starts_on": term.half_term_starts_on,
                        "half_term_ends_on": term.half_term_ends_on,
                    }
                    for term in shown.terms
                ],
                "bank_holidays": [{"date": day, "name": name} for day, name in holidays.items()],
                "closures": [
                    {
                        "date": c.closed_on,
                        "school": c.school_name,
                        "kind": c.kind,
                        "reason": c.reason,
                    }
                    for c in closures
                ],
            },
            out,
        )
        return 0
    if args.save:
        out.write(f"Term dates for {year.label} saved.\n")
    elif shown.saved:
        out.write(f"Term dates for {year.label}:\n")
    else:
        out.write(
            f"No term dates are saved for {year.label}; the usual dates would be (save them, "
            f"or your own, with --save):\n"
        )
    write_table(
        [Column("Term"), Column("First day"), Column("Last day"), Column("Half term")],
        (
            [
                term.name.label,
                format_date(term.starts_on),
                format_date(term.ends_on),
                _span(term.half_term_starts_on, term.half_term_ends_on),
            ]
            for term in shown.terms
        ),
        out,
    )
    listed = "; ".join(f"{format_date(day)} {name}" for day, name in holidays.items())
    out.write(f"\nBank holidays: {listed or 'none'}.\n")
    schools = len({c.school_id for c in closures})
    out.write(
        f"Closure days: {plural(len(closures), 'day')} at {plural(schools, 'school')}.\n"
        if closures
        else "Closure days: none recorded.\n"
    )
    return 0


def _term_as_typed(args: argparse.Namespace, term: Term) -> Term:
    """The term with the dates given on the command line in place of its own."""
    span = getattr(args, term.name.value)
    half = getattr(args, f"{term.name.value}_half_term")
    starts, ends = span if span else (term.starts_on, term.ends_on)
    half_starts, half_ends = half if half else (term.half_term_starts_on, term.half_term_ends_on)
    return Term(term.name, starts, ends, half_starts, half_ends)


def _span(first: Any, last: Any) -> str:
    if first is None:
        return "none"
    return f"{format_date(first)} to {format_date(last)}"


# -- schedule --------------------------------------------------------------------------------
def schedule_command(
    services: Services, args: argparse.Namespace, out: TextIO | None = None
) -> int:
    out = out if out is not None else sys.stdout
    cycle = _cycle(services, args.year)
    all_clusters = services.clusters.list_clusters(services.actor)
    left_out: list[str] = []
    if args.cluster:
        chosen = list(
            {c.id: c for c in (_cluster(services, name) for name in args.cluster)}.values()
        )
    else:
        settled = _settled_clusters(services, cycle)
        chosen = [c for c in all_clusters if c.active and c.id not in settled]
        left_out = [c.name for c in all_clusters if c.active and c.id in settled]
        if not chosen:
            raise CommandError(
                f"Every active cluster already has reviews beyond proposed in "
                f"{cycle.year.label}, and a new schedule would move them. Name a cluster with "
                "--cluster only once its reviews are back to proposed, or change them by hand."
            )
    try:
        proposal = services.scheduling.propose(
            services.actor, cycle.id, [c.id for c in chosen], args.seed
        )
    except ValidationError as exc:
        if "terms" not in exc.field_errors:
            raise
        raise CommandError(
            f"There are no term dates for {cycle.year.label} yet, and visits are only in term "
            f"time. See the usual dates with: {PROG} reviews terms --year {cycle.year.label}; "
            "save them (or your own) with --save."
        ) from None
    except ScheduleImpossible as exc:
        print(f"{PROG}: No schedule keeps every rule of {cycle.title}:", file=sys.stderr)
        for reason in exc.reasons:
            print(f"  - {reason}", file=sys.stderr)
        return 1
    applied = 0
    if args.apply:
        applied = services.scheduling.apply(services.actor, proposal)
    urns = {s.school_id: s.urn for c in chosen for s in c.schools}
    if args.json:
        write_json(_proposal_json(proposal, urns, bool(args.apply)), out)
        return 0
    out.write(
        f"{cycle.title}: a schedule for {plural(len(chosen), 'cluster')} (seed "
        f"{proposal.seed}), {plural(len(proposal.reviews), 'review')}.\n"
    )
    if left_out:
        out.write(f"Left out (reviews already confirmed or later): {', '.join(left_out)}.\n")
    out.write("\n")
    write_table(
        [Column("Date"), Column("Cluster"), Column("Host"), Column("Team"), Column("Lead school")],
        (
            [
                _days_label(planned.days),
                proposal.cluster_names.get(planned.cluster_id, ""),
                proposal.name(planned.host_id),
                ", ".join(proposal.name(s) for s in planned.reviewer_ids),
                proposal.name(planned.lead_school_id),
            ]
            for planned in proposal.reviews
        ),
        out,
    )
    out.write("\n")
    _write_breaches(proposal.breaches, out)
    replaces = plural(proposal.replaces, "proposed review")
    if args.apply:
        replaced = f", replacing {replaces}" if proposal.replaces else ""
        out.write(f"Saved: {plural(applied, 'review')} proposed{replaced}.\n")
    else:
        replaced = f" (it replaces the {replaces} of these clusters)" if proposal.replaces else ""
        out.write(f"Not saved: add --apply to save this schedule{replaced}.\n")
    return 0


def _settled_clusters(services: Services, cycle: CycleDetail) -> set[int]:
    """The clusters with a review beyond proposed: scheduling again would move it."""
    beyond = tuple(status for status in ReviewStatus if status is not ReviewStatus.PROPOSED)
    reviews = services.reviews.list_reviews(services.actor, cycle.id, ReviewFilter(statuses=beyond))
    return {r.cluster_id for r in reviews if r.cluster_id is not None}


def _days_label(days: Sequence[Any]) -> str:
    if not days:
        return "No date yet"
    if len(days) == 1:
        return format_date(days[0])
    return f"{format_date(days[0])} to {format_date(days[-1])}"


def _proposal_json(
    proposal: ScheduleProposal, urns: dict[int, int], applied: bool
) -> dict[str, Any]:
    return {
        "year": proposal.year.label,
        "seed": proposal.seed,
        "applied": applied,
        "clusters": [proposal.cluster_names[c] for c in proposal.cluster_ids],
        "replaces": proposal.replaces,
        "reviews": [
            {
                "cluster": proposal.cluster_names.get(planned.cluster_id),
                "host_urn": urns.get(planned.host_id),
                "host": proposal.name(planned.host_id),
                "dates": list(planned.days),
                "team": [
                    {"urn": urns.get(s), "name": proposal.name(s)} for s in planned.reviewer_ids
                ],
                "lead_urn": urns.get(planned.lead_school_id)
                if planned.lead_school_id is not None
                else None,
            }
            for planned in proposal.reviews
        ],
        "breaches": [_breach_json(b) for b in proposal.breaches],
    }


# -- check -----------------------------------------------------------------------------------
def check_command(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    cycle = _cycle(services, args.year)
    cluster = _cluster(services, args.cluster) if args.cluster else None
    breaches = services.scheduling.check(
        services.actor, cycle.id, cluster.id if cluster is not None else None
    )
    if args.json:
        write_json(
            {
                "year": cycle.year.label,
                "cluster": cluster.name if cluster is not None else None,
                "reviews": _count_reviews(services, cycle, cluster),
                "count": len(breaches),
                "breaches": [_breach_json(b) for b in breaches],
            },
            out,
        )
        return 1 if breaches else 0
    what = f"the cluster {cluster.name} in {cycle.title}" if cluster else cycle.title
    reviews = _count_reviews(services, cycle, cluster)
    if not breaches:
        if not reviews:
            out.write(f"{what[:1].upper()}{what[1:]} has no reviews yet: nothing to check.\n")
        else:
            out.write(f"No breaches: the {plural(reviews, 'review')} of {what} keep every rule.\n")
        return 0
    out.write(f"{what}, {plural(reviews, 'review')}:\n")
    _write_breaches(breaches, out)
    return 1


def _count_reviews(services: Services, cycle: CycleDetail, cluster: ClusterDetail | None) -> int:
    if cluster is None:
        return cycle.reviews
    return len(
        services.reviews.list_reviews(services.actor, cycle.id, ReviewFilter(cluster_id=cluster.id))
    )


def _write_breaches(breaches: Sequence[Breach], out: TextIO) -> None:
    out.write(summary(breaches) + "\n")
    for breach in breaches:
        out.write(f"  - {breach.rule.label}: {breach.message}\n")


def _breach_json(breach: Breach) -> dict[str, Any]:
    return {"rule": breach.rule, "message": breach.message}


# -- list ------------------------------------------------------------------------------------
def list_reviews(services: Services, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out if out is not None else sys.stdout
    cycle = _cycle(services, args.year)
    statuses = _statuses(args.status or ())
    cluster = _cluster(services, args.cluster) if args.cluster else None
    school_id = None
    if args.school is not None:
        school_id = services.schools.get_school_by_urn(services.actor, args.school).id
    reviews = services.reviews.list_reviews(
        services.actor,
        cycle.id,
        ReviewFilter(
            cluster_id=cluster.id if cluster is not None else None,
            school_id=school_id,
            statuses=statuses,
        ),
    )
    if args.json:
        write_json(
            {
                "year": cycle.year.label,
                "reviews": [_review_json(r) for r in reviews],
                "count": len(reviews),
            },
            out,
        )
        return 0
    if not reviews:
        out.write(f"No reviews of {cycle.title} match.\n")
        return 0
    write_table(
        [
            Column("Date"),
            Column("Host"),
            Column("Cluster"),
            Column("Team"),
            Column("Lead reviewer"),
            Column("Status"),
        ],
        (
            [
                r.visit_label,
                r.host_name,
                r.cluster_name,
                r.team_label,
                r.lead.name if r.lead is not None else "",
                _status_label(r),
            ]
            for r in reviews
        ),
        out,
    )
    out.write(f"\n{plural(len(reviews), 'review')}.\n")
    return 0


def _status_label(review: ReviewDetail) -> str:
    on = review.status_dates.get(review.status)
    label = review.status.label
    return f"{label} {text_value(on)}" if on is not None else label


def _statuses(typed: Sequence[str]) -> tuple[ReviewStatus, ...]:
    by_word = {}
    for status in ReviewStatus:
        by_word[status.value] = status
        by_word[status.label.casefold()] = status
    found = []
    for text in typed:
        for word in text.split(","):
            word = " ".join(word.replace("_", " ").split()).casefold()
            if not word:
                continue
            status = by_word.get(word) or by_word.get(word.replace(" ", "_"))
            if status is None:
                raise CommandError(f"{word!r} is not a status; choose from {STATUS_WORDS}.")
            found.append(status)
    return tuple(dict.fromkeys(found))


def _review_json(review: ReviewDetail) -> dict[str, Any]:
    return {
        "id": review.id,
        "cluster": review.cluster_name,
        "host_urn": review.host_urn,
        "host": review.host_name,
        "starts_on": review.starts_on,
        "ends_on": review.ends_on,
        "status": review.status,
        "status_dates": {status.value: on for status, on in review.status_dates.items()},
        "team": [{"urn": s.urn, "name": s.name} for s in review.team],
        "reviewers": [
            {
                "name": r.name,
                "job_title": r.job_title,
                "school": r.school_name,
                "email": r.email,
                "is_lead": r.is_lead,
            }
            for r in review.reviewers
        ],
        "focus": list(review.focus_areas),
        "qa_outcome": review.qa_outcome,
        "qa_notes": review.qa_notes,
    }


# -- shared ----------------------------------------------------------------------------------
def _year(text: str) -> AcademicYear:
    try:
        return AcademicYear.parse(text)
    except AcademicYearError as exc:
        raise CommandError(str(exc)) from None


def _cycle(services: Services, text: str) -> CycleDetail:
    year = _year(text)
    try:
        return services.reviews.cycle_for_year(services.actor, year)
    except NotFoundError:
        raise CommandError(
            f"There is no peer-review cycle for {year.label} yet; create it with: "
            f"{PROG} reviews cycle --year {year.label} (options such as --team-size change "
            "its rules)."
        ) from None


def _cluster(services: Services, name: str) -> ClusterDetail:
    return services.clusters.find_cluster(services.actor, name)

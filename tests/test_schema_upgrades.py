"""Upgrading a real database made by each released schema, with data in it, to the newest one.

The fixtures (``tests/fixtures/schema-NNNN.*``, made by ``make_schema_fixtures.py``) are a
SQLite file and a PostgreSQL dump at each released revision. Each is opened the way the
program opens a database (``open_services``: upgrade to head, copy of a SQLite file first),
and then every row and field that was there must still be there, read both as stored and
through the services the program uses.
"""

from __future__ import annotations

import enum
import re
import shutil
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fixtures.make_schema_fixtures import DROPPED, RELEASED, fixture_paths, rows_at
from hostile_databases import statement_fails
from pg_databases import PgDatabases
from server_backups import load_sql_dump
from sqlalchemy import MetaData, create_engine, inspect, select, text
from sqlalchemy.exc import IntegrityError

from thep_desktop.database import DatabaseError, head_revision, normalise_url, sqlite_url
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.invoices import PaymentKind
from thep_desktop.domain.memberships import MembershipStatus
from thep_desktop.domain.ofsted import OverallGrade, grade_from_gias
from thep_desktop.domain.peer_reviews import ReviewStatus, TermName
from thep_desktop.models.base import PENNY, Base, Money
from thep_desktop.services.backups.database_checks import run_checks
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.schools.schools_service import SchoolInput
from thep_desktop.services.shared.actor import Actor

Stored = dict[str, dict[Any, dict[str, Any]]]  # table -> id -> column -> value as stored


def stored_rows(url: str) -> tuple[str | None, Stored]:
    """The revision and every row of every table, as the database holds them (no types)."""
    engine = create_engine(normalise_url(url))
    try:
        meta = MetaData()
        meta.reflect(engine)
        found: Stored = {}
        with engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            for table in meta.sorted_tables:
                if table.name == "alembic_version":
                    continue
                key = table.c.id if "id" in table.c else list(table.c)[0]
                found[table.name] = {
                    row[key.name]: {
                        k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()
                    }
                    for row in conn.execute(select(table)).mappings()
                }
        return revision, found
    finally:
        engine.dispose()


def fee_payments_became_receipts(before: Stored, after: Stored) -> Stored:
    """0010 drops ``fee_payment``: each row is a receipt of its member's customer now (the
    customer made when the member had none), with its amount, date, reference and record, held
    as credit. Returns what the rest of the check expects: those receipts and customers."""
    expected = {table: dict(rows) for table, rows in before.items() if table != "fee_payment"}
    customers = {c["member_id"]: c for c in after["customer"].values() if c["member_id"]}
    payments = {p["uuid"]: p for p in after["payment"].values()}
    for fee in before["fee_payment"].values():
        customer = customers[fee["member_id"]]
        receipt = payments[fee["uuid"]]
        assert receipt["customer_id"] == customer["id"] and receipt["kind"] == "receipt"
        for column in ("amount", "received_on", "reference", "created_at", "created_by"):
            assert receipt[column] == fee[column], f"fee payment {fee['id']}.{column}"
        assert (receipt["updated_at"], receipt["version"]) == (fee["updated_at"], fee["version"])
        year = f"{fee['academic_year']}/{(fee['academic_year'] + 1) % 100:02d}"
        assert receipt["notes"].startswith(f"Recorded as a membership fee payment for {year}")
        if fee["method"] in ("BACS", "cheque", "card"):
            assert receipt["method"] == fee["method"]
        else:  # another way of paying is BACS, its words kept in the note
            assert receipt["method"] == "BACS" and f"(paid by: {fee['method']})" in receipt["notes"]
        assert not any(a["payment_id"] == receipt["id"] for a in after["allocation"].values())
        expected.setdefault("payment", {})[receipt["id"]] = receipt
        if customer["id"] not in before.get("customer", {}):
            assert (customer["name"], customer["active"]) == ("", True)  # the member's own
            expected.setdefault("customer", {})[customer["id"]] = customer
    return expected


def payment_terms_moved(before: Stored, after: Stored) -> Stored:
    """0011 drops ``membership_rules.payment_terms_days``: terms other than the 30 days of
    both defaults become the invoice settings' (the row changed, or made)."""
    expected = {table: dict(rows) for table, rows in before.items()}
    (rules,) = before["membership_rules"].values()
    terms = rules["payment_terms_days"]
    expected["membership_rules"] = {
        rules["id"]: {k: v for k, v in rules.items() if k != "payment_terms_days"}
    }
    settings = sorted(after.get("invoice_settings", {}).values(), key=lambda s: s["id"])
    if terms == 30:
        assert all(s["payment_terms_days"] == 30 for s in settings)
        return expected
    assert [s["payment_terms_days"] for s in settings][:1] == [terms]
    if before.get("invoice_settings"):
        old = min(before["invoice_settings"].values(), key=lambda s: s["id"])
        changed = {**old, "payment_terms_days": terms, "version": old["version"] + 1}
        expected["invoice_settings"] = {**before["invoice_settings"], old["id"]: changed}
    return expected


# What a later migration deliberately takes away (make_schema_fixtures.DROPPED), and the check
# of where its data went. Nothing else may change.
WHERE_IT_WENT = {
    ("0010", "fee_payment"): fee_payments_became_receipts,
    ("0011", "membership_rules"): payment_terms_moved,
}


def assert_survived(before: Stored, after: Stored, number: str) -> None:
    """Every table, row and column there before holds the same value after, but for what a
    later migration took away: that is where :data:`WHERE_IT_WENT` says, and nothing else
    changed or was added to the tables that were there."""
    for (revision, table), moved in WHERE_IT_WENT.items():
        if revision > number and table in before:
            before = moved(before, after)
    for table, rows in before.items():
        assert table in after, f"table {table} is gone"
        assert sorted(after[table]) == sorted(rows), f"rows of {table} differ"
        for row_id, columns in rows.items():
            for column, value in columns.items():
                assert after[table][row_id].get(column, "(column gone)") == value, (
                    f"{table} {row_id}.{column}"
                )


def assert_inspections_from_gias(before: Stored, after: Stored, services: Services) -> None:
    """Each school with GIAS's Ofsted rating and date has that as its one inspection (source
    "gias", graded, the grade mapped); other schools have none; the school rows as they were
    (checked by :func:`assert_survived`); no note or annual report appears."""
    if "ofsted_inspection" in before:  # a fixture of 0015 or later keeps its own rows
        return
    expected = {
        school_id: (
            str(row["ofsted_date"])[:10],
            # No overall grade from September 2024, whatever GIAS said.
            grade_from_gias(row["ofsted_grade"] or "")
            if str(row["ofsted_date"])[:10] < "2024-09-01"
            else None,
        )
        for school_id, row in before["school"].items()
        if row["ofsted_date"] is not None
    }
    assert expected, "the fixture has no school with an Ofsted rating and date"
    found = list(after["ofsted_inspection"].values())
    assert sorted(r["school_id"] for r in found) == sorted(expected)  # exactly one each
    for row in found:
        on, grade = expected[row["school_id"]]
        assert str(row["inspected_on"])[:10] == on
        assert (row["kind"], row["source"]) == ("graded", "gias")
        assert row["overall_grade"] == (grade.value if grade else "")
        assert row["safeguarding"] == "" and row["published_on"] is None
    assert after["school_note"] == {} and after["annual_report"] == {}
    for school_id, (on, grade) in expected.items():
        (inspection,) = services.ofsted.list_inspections(services.actor, school_id)
        assert inspection.inspected_on.isoformat() == on
        assert inspection.overall_grade == (grade or OverallGrade.NONE)


def plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def assert_fields(found: object, expected: dict[str, Any]) -> None:
    """Each expected column that the service's record also has, with the same value."""
    compared = [name for name in expected if hasattr(found, name)]
    assert len(compared) >= 5, f"too little of {type(found).__name__} compared"
    for name in compared:
        assert plain(getattr(found, name)) == expected[name], name


def assert_program_reads_the_data(services: Services, number: str) -> None:
    """What the office sees after the upgrade: the released data, field by field."""
    actor = services.actor
    data = rows_at(number)
    (profile_row,) = data["organisation_profile"]
    assert_fields(services.organisation.get_profile(actor), profile_row)
    staff = {s.id: s for s in services.staff.list_staff(actor)}
    assert sorted(staff) == [row["id"] for row in data["staff_member"]]
    for row in data["staff_member"]:
        assert_fields(staff[row["id"]], row)
    assert services.schools.count(actor) == len(data["school"])
    for row in data["school"]:
        school = services.schools.get_school_by_urn(actor, row["urn"])
        assert_fields(school, row)
        contacts = [c for c in data["contact"] if c["school_id"] == row["id"]]
        assert len(school.contacts) == len(contacts)
        by_id = {c.id: c for c in school.contacts}
        for contact in contacts:
            assert_fields(by_id[contact["id"]], contact)
    if "letter_template" in data:
        templates = {t.id: t for t in services.letters.list_templates(actor)}
        for row in data["letter_template"]:
            assert_fields(templates[row["id"]], row)
        documents = {row["id"]: row["pdf"] for row in data["document"]}
        for letter in data["correspondence"]:
            # A school's letters are on the school; since 0008 a member's are on the member.
            if letter["school_id"] is not None:
                sent = services.letters.correspondence(actor, letter["school_id"])
            else:
                sent = services.letters.member_correspondence(actor, letter["member_id"])
            (found,) = [c for c in sent if c.id == letter["id"]]
            assert_fields(found, letter)
            if letter.get("member_id") is not None:
                kept = services.letters.member_correspondence(actor, letter["member_id"])
                assert letter["id"] in {c.id for c in kept}
            pdf = services.letters.correspondence_pdf(actor, letter["id"])
            assert pdf == documents[letter["document_id"]]
    if "app_user" in data:
        # The people and their roles, and the audit trail with its chain unbroken: the
        # upgraded program reads the released chain and carries it on.
        users = {u.login: u for u in services.users.list_users(actor)}
        for row in data["app_user"]:
            assert_fields(users[row["login"]], row)
        released = data["audit_event"]
        check = services.audit.check(actor)
        assert check.ok, check.problems
        assert check.rows >= len(released)
        (school,) = [row for row in data["school"] if row["uuid"] == released[-1]["record_uuid"]]
        history = services.audit.history(actor, school["uuid"])
        assert [(e.seq, e.who, e.action) for e in history][-1:] == [
            (released[-1]["seq"], released[-1]["actor"], released[-1]["action"])
        ]
    # The upgraded data is sound by the program's own checks (thep-admin check): invoice
    # totals equal their lines, numbers have no gaps, nothing is over-paid, keys all hold.
    checks = run_checks(services.db, actor)
    assert "Invoice totals equal their lines" in {c.name for c in checks}
    assert [(c.name, c.problems) for c in checks if c.problems] == []
    assert_census_read(services, data)
    assert_members_read(services, data)
    assert_invoices_read(services, data)
    assert_peer_reviews_read(services, data)
    assert_governance_read(services, data)
    # And the upgraded register takes new work: ids carry on after the released ones.
    added = services.schools.create_school(
        actor,
        SchoolInput(
            urn=100009,
            name="Added After The Upgrade Primary",
            phase="Primary",
            la_code="211",
            establishment_number="2009",
            establishment_type="Community school",
            postcode="E1 6AB",
        ),
    )
    assert added.id > max(row["id"] for row in data["school"])


def pounds(pence: int) -> Decimal:
    return (Decimal(pence) / 100).quantize(PENNY)


def as_read(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A fixture row as the program reads it: money in pounds (it is stored as pence)."""
    columns = Base.metadata.tables[table].c
    return {
        name: pounds(value)
        if value is not None and name in columns and isinstance(columns[name].type, Money)
        else value
        for name, value in row.items()
    }


def assert_census_read(services: Services, data: dict[str, list[dict[str, Any]]]) -> None:
    """Each school's kept pupil figures; before 0006, the one figure it had (0006 keeps it)."""
    for school in data["school"]:
        found = services.schools.census_history(services.actor, school["id"])
        if "school_census" in data:
            expected = [
                (row["census_date"], row["pupils"])
                for row in data["school_census"]
                if row["school_id"] == school["id"]
            ]
        elif school["pupils_on_roll"] is not None and school["pupils_census_date"] is not None:
            expected = [(school["pupils_census_date"], school["pupils_on_roll"])]
        else:
            expected = []
        assert sorted((f.census_date, f.pupils) for f in found) == sorted(expected), school["id"]


def assert_members_read(services: Services, data: dict[str, list[dict[str, Any]]]) -> None:
    """Members with their periods (each at its stage), the rules and the fee years."""
    actor = services.actor
    members = {m.id: m for m in services.members.list_member_details(actor)}
    assert sorted(members) == [row["id"] for row in data.get("member", [])]
    if not members:
        return
    schools = {row["id"]: row for row in data["school"]}
    stage = {
        "applied": MembershipStatus.APPLIED,
        "admitted": MembershipStatus.MEMBER,
        "under notice": MembershipStatus.UNDER_NOTICE,
        "ceased": MembershipStatus.CEASED,
    }
    seen = set()
    for row in data["member"]:
        found = members[row["id"]]
        expected = dict(row)
        if row["school_id"] is not None:  # a school's name and address are the register's
            school = schools[row["school_id"]]
            expected.update(name=school["name"], postcode=school["postcode"], urn=school["urn"])
            del expected["address"]
        assert_fields(found, expected)
        periods = [p for p in data["membership_period"] if p["member_id"] == row["id"]]
        assert [p.id for p in found.periods] == [p["id"] for p in periods]
        for period, period_row in zip(found.periods, periods, strict=True):
            assert_fields(period, as_read("membership_period", period_row))
        latest = periods[-1]
        on = date(2026, 11, 1)
        status = (
            "ceased"
            if latest["ends_on"] and latest["ends_on"] <= on
            else "under notice"
            if latest["notice_received_on"]
            else "admitted"
            if latest["admitted_on"]
            else "applied"
        )
        assert found.status_on(on) is stage[status], row["id"]
        seen.add(status)
    assert seen == set(stage)  # the fixture holds a member at each stage

    (rules_row,) = data["membership_rules"]
    rules = services.fees.rules(actor)
    assert (rules.notice_months, rules.default_guarantee, rules.version) == (
        rules_row["notice_months"],
        as_read("membership_rules", rules_row)["default_guarantee"],
        rules_row["version"],
    )
    assert [(w.starts_on, w.ends_on, w.description) for w in rules.exceptions] == [
        (row["starts_on"], row["ends_on"], row["description"]) for row in data["notice_exception"]
    ]
    schedules = {s.id: s for s in services.fees.list_schedules(actor)}
    assert sorted(schedules) == [row["id"] for row in data["fee_schedule"]]
    for row in data["fee_schedule"]:
        schedule = schedules[row["id"]]
        assert schedule.year.start_year == row["academic_year"]
        assert_fields(schedule, as_read("fee_schedule", row))
        assert [(p.starts_on, p.ends_on, p.charged, p.description) for p in schedule.periods] == [
            (p["starts_on"], p["ends_on"], p["charged"], p["description"])
            for p in data["fee_period"]
            if p["schedule_id"] == row["id"]
        ]


def assert_invoices_read(services: Services, data: dict[str, list[dict[str, Any]]]) -> None:
    """Settings (with the terms 0011 moved), customers, the catalogue, invoices and credit
    notes with lines, allocations and reminders, payments, and fee payments as receipts."""
    actor = services.actor
    rules_terms = data.get("membership_rules", [{}])[0].get("payment_terms_days")
    moved = rules_terms is not None and rules_terms != 30  # by 0011, to the invoice settings
    settings = services.invoices.settings(actor)
    if "invoice_settings" in data:
        (row,) = data["invoice_settings"]
        if moved:
            row = {**row, "payment_terms_days": rules_terms, "version": row["version"] + 1}
        assert_fields(settings, row)
    elif moved:
        assert settings.payment_terms_days == rules_terms
    # Fee payments of before 0010 are receipts of the member's customer, held as credit.
    for fee in data.get("fee_payment", []):
        (receipt,) = [
            p
            for p in services.payments.payments(actor, member_id=fee["member_id"])
            if p.uuid == fee["uuid"]
        ]
        assert receipt.kind is PaymentKind.RECEIPT
        assert (receipt.amount, receipt.received_on, receipt.reference) == (
            pounds(fee["amount"]),  # the table is gone from today's models
            fee["received_on"],
            fee["reference"],
        )
        assert receipt.unallocated == receipt.amount
        customer = services.invoices.customer_for_member(actor, fee["member_id"])
        assert receipt.customer_id == customer.id
    if "invoice" not in data:
        return
    if "number_series" in data:
        assert (settings.invoice_prefix, settings.credit_note_prefix) == tuple(
            row["prefix"] for row in data["number_series"]
        )
    for row in data["customer"]:
        if row["member_id"] is not None:  # a member's name and address are the member's
            member = services.members.get_member(actor, row["member_id"])
            row = {**row, "name": member.name, "address": member.address}
            row["postcode"] = member.postcode
        assert_fields(services.invoices.get_customer(actor, row["id"]), row)
    items = {i.id: i for i in services.catalogue.list_items(actor, include_inactive=True)}
    assert sorted(items) == [row["id"] for row in data["service_item"]]
    for row in data["service_item"]:
        assert_fields(items[row["id"]], as_read("service_item", row))
    (run_row,) = data["fee_run"]
    run = services.fee_runs.get_run(actor, run_row["id"])
    assert (run.year.start_year, run.invoice_date, run.period_label) == (
        run_row["academic_year"],
        run_row["invoice_date"],
        run_row["period_label"],
    )
    assert run.issued == sum(1 for i in data["invoice"] if i["fee_run_id"] == run_row["id"])
    numbers = {row["id"]: row["number"] for row in data["invoice"]}
    for row in data["invoice"]:
        invoice = services.invoices.get_invoice(actor, row["id"])
        assert_fields(invoice, as_read("invoice", row))
        lines = sorted(
            (x for x in data["invoice_line"] if x["invoice_id"] == row["id"]),
            key=lambda x: x["position"],
        )
        assert len(invoice.lines) == len(lines) > 0
        for line, line_row in zip(invoice.lines, lines, strict=True):
            assert_fields(line, as_read("invoice_line", line_row))
        assert sorted((a.id, a.amount, a.allocated_on) for a in invoice.allocations) == sorted(
            (a["id"], as_read("allocation", a)["amount"], a["allocated_on"])
            for a in data["allocation"]
            if row["id"] in (a["invoice_id"], a["credit_note_id"])
        )
        if row["credits_invoice_id"] is not None:
            assert invoice.credits_number == numbers[row["credits_invoice_id"]]
        assert [(r.stage.value, r.sent_on, r.outstanding) for r in invoice.reminders] == [
            (r["stage"], r["sent_on"], as_read("invoice_reminder", r)["outstanding"])
            for r in data["invoice_reminder"]
            if r["invoice_id"] == row["id"]
        ]
    payments = {p.id: p for p in services.payments.payments(actor)}
    for row in data["payment"]:
        payment = payments[row["id"]]
        assert_fields(payment, as_read("payment", row))
        assert payment.allocated == sum(
            (
                as_read("allocation", a)["amount"]
                for a in data["allocation"]
                if a["payment_id"] == row["id"]
            ),
            Decimal("0.00"),
        )


def assert_peer_reviews_read(services: Services, data: dict[str, list[dict[str, Any]]]) -> None:
    """Clusters and their schools, the year's terms and closures, the cycle, and each review
    with its status dates, team and reviewers."""
    actor = services.actor
    clusters = {c.id: c for c in services.clusters.list_clusters(actor)}
    assert sorted(clusters) == [row["id"] for row in data.get("cluster", [])]
    if not clusters:
        return
    for row in data["cluster"]:
        cluster = clusters[row["id"]]
        assert_fields(cluster, row)
        assert sorted(cluster.school_ids) == sorted(
            m["school_id"] for m in data["cluster_school"] if m["cluster_id"] == row["id"]
        )
    (cycle_row,) = data["review_cycle"]
    year = AcademicYear(cycle_row["academic_year"])
    terms = services.school_calendar.year_terms(actor, year)
    assert terms.saved
    for row in data["term_dates"]:
        term = terms.term(TermName(row["term"]))
        assert term is not None
        assert_fields(term, {**row, "name": row["term"]})
    closures = services.school_calendar.closures(actor, year)
    assert [(c.id, c.school_id, c.closed_on, c.kind.value, c.reason) for c in closures] == [
        (r["id"], r["school_id"], r["closed_on"], r["kind"], r["reason"])
        for r in sorted(data["school_closure"], key=lambda r: r["closed_on"])
    ]
    cycle = services.reviews.get_cycle(actor, cycle_row["id"])
    assert_fields(cycle, cycle_row)
    terms_as_read = tuple(TermName(name) for name in cycle_row["terms"].split(","))
    assert_fields(cycle.rules, {**cycle_row, "terms": terms_as_read})
    reviews = services.reviews.list_reviews(actor, cycle.id)
    assert sorted(r.id for r in reviews) == [row["id"] for row in data["review"]]
    for row in data["review"]:
        review = services.reviews.get_review(actor, row["id"])
        assert_fields(review, row)
        assert review.status_dates == {
            status: row[f"{status.value}_on"]
            for status in ReviewStatus
            if row[f"{status.value}_on"] is not None
        }
        team = sorted(
            (m for m in data["review_school"] if m["review_id"] == row["id"]),
            key=lambda m: m["position"],
        )
        assert [t.school_id for t in review.team] == [m["school_id"] for m in team]
        reviewers = sorted(
            (r for r in data["reviewer"] if r["review_id"] == row["id"]),
            key=lambda r: r["position"],
        )
        assert [
            (r.id, r.name, r.school_id, r.job_title, r.email, r.is_lead) for r in review.reviewers
        ] == [
            (r["id"], r["name"], r["school_id"], r["job_title"], r["email"], r["is_lead"])
            for r in reviewers
        ]


def assert_governance_read(services: Services, data: dict[str, list[dict[str, Any]]]) -> None:
    """Bodies with their quorum, people with their appointments, and each meeting with its
    agenda, papers, attendance, declarations, decisions, actions, errata and its minutes'
    stage: approved minutes are still approved by the decision at the later meeting, and
    still refused any change."""
    actor = services.actor
    bodies = {b.id: b for b in services.governing_bodies.list_bodies(actor)}
    assert sorted(bodies) == sorted(row["id"] for row in data.get("governing_body", []))
    if not bodies:
        return
    for row in data["governing_body"]:
        body = bodies[row["id"]]
        assert_fields(body, row)
        assert (body.quorum.number, body.quorum.numerator, body.quorum.denominator) == (
            row["quorum_number"],
            row["quorum_numerator"],
            row["quorum_denominator"],
        )
        assert (body.quorum.minimum, body.quorum.observers_count) == (
            row["quorum_minimum"],
            row["observers_count"],
        )
    people = {p.id: p for p in services.governance_people.list_people(actor)}
    assert sorted(people) == sorted(row["id"] for row in data["governance_person"])
    for row in data["governance_person"]:
        found = people[row["id"]]
        assert_fields(found, row)
        assert sorted((a.id, a.body_id) for a in found.appointments) == sorted(
            (a["id"], a["body_id"]) for a in data["appointment"] if a["person_id"] == row["id"]
        )
    for row in data["appointment"]:
        assert_fields(services.governance_people.get_appointment(actor, row["id"]), row)

    summaries = {m.id: m for m in services.meetings.list_meetings(actor)}
    assert sorted(summaries) == sorted(row["id"] for row in data["meeting"])
    for row in data["meeting"]:
        meeting = services.meetings.get_meeting(actor, row["id"])
        assert_fields(meeting, row)
        assert meeting.body.id == row["body_id"]
        items = sorted(
            (i for i in data["agenda_item"] if i["meeting_id"] == row["id"]),
            key=lambda i: i["position"],
        )
        assert [(i.id, i.position, i.title, i.presenter, i.minutes) for i in meeting.items] == [
            (i["id"], i["position"], i["title"], i["presenter"], i["minutes"]) for i in items
        ]
        for item in meeting.items:
            papers = [p for p in data["agenda_paper"] if p["agenda_item_id"] == item.id]
            assert [(p.id, p.file_name, p.size) for p in item.papers] == [
                (p["id"], p["file_name"], p["size"]) for p in papers
            ]
            for paper in papers:
                assert services.meetings.paper_content(actor, paper["id"]) == (
                    paper["file_name"],
                    paper["content"],
                )
        attendance = [a for a in data["meeting_attendance"] if a["meeting_id"] == row["id"]]
        assert sorted(a.id for a in meeting.attendance) == sorted(a["id"] for a in attendance)
        by_id = {a.id: a for a in meeting.attendance}
        for line in attendance:
            assert_fields(by_id[line["id"]], line)
        assert sorted(
            (d.id, d.name, d.interest, d.agenda_item_id) for d in meeting.declarations
        ) == sorted(
            (d["id"], d["name"], d["interest"], d["agenda_item_id"])
            for d in data["interest_declaration"]
            if d["meeting_id"] == row["id"]
        )
        decisions = sorted(
            (d for d in data["decision"] if d["meeting_id"] == row["id"]),
            key=lambda d: d["number"],
        )
        assert [d.id for d in meeting.decisions] == [d["id"] for d in decisions]
        for found, decision in zip(meeting.decisions, decisions, strict=True):
            assert_fields(found, decision)
            assert (found.votes.for_, found.votes.against, found.votes.abstaining) == (
                decision["votes_for"],
                decision["votes_against"],
                decision["votes_abstaining"],
            )
        actions = [a for a in data["governance_action"] if a["meeting_id"] == row["id"]]
        assert sorted(a.id for a in meeting.actions) == sorted(a["id"] for a in actions)
        for found, action in zip(
            sorted(meeting.actions, key=lambda a: a.id),
            sorted(actions, key=lambda a: a["id"]),
            strict=True,
        ):
            assert_fields(found, action)
        errata = [e for e in data["minutes_erratum"] if e["meeting_id"] == row["id"]]
        assert [
            (e.id, e.agenda_item_id, e.noted_on, e.correction, e.reason) for e in meeting.errata
        ] == [
            (e["id"], e["agenda_item_id"], e["noted_on"], e["correction"], e["reason"])
            for e in errata
        ]
    approved = [row for row in data["meeting"] if row["minutes_status"] in ("approved", "signed")]
    assert approved, "the fixture needs approved minutes"
    for row in approved:
        (approval,) = [d for d in data["decision"] if d["approves_meeting_id"] == row["id"]]
        assert approval["meeting_id"] == row["approved_at_meeting_id"]
        meeting = services.meetings.get_meeting(actor, row["id"])
        assert meeting.locked and meeting.approved_at_meeting_id == approval["meeting_id"]
        # The upgraded database still keeps approved minutes as approved.
        before = stored_rows(services.db.address)[1]["meeting"][row["id"]]
        with pytest.raises(IntegrityError, match="Approved minutes cannot be changed"):
            with services.db.engine.begin() as conn:
                conn.execute(
                    text("UPDATE meeting SET notes = 'changed' WHERE id = :id"), {"id": row["id"]}
                )
        assert stored_rows(services.db.address)[1]["meeting"][row["id"]] == before


@pytest.mark.parametrize("number", sorted(RELEASED))
def test_a_released_sqlite_database_upgrades_with_its_data_intact(
    number: str, tmp_path: Path, actor: Actor
) -> None:
    fixture, _ = fixture_paths(number)
    path = tmp_path / "partnership-office.sqlite3"
    shutil.copyfile(fixture, path)
    revision, before = stored_rows(sqlite_url(path))
    assert revision == RELEASED[number]
    assert sum(len(rows) for rows in before.values()) == sum(
        len(rows) for rows in rows_at(number).values()
    )

    upgraded = RELEASED[number] != head_revision()  # the newest released one stays as it is
    services, note = open_services(sqlite_url(path), actor)
    try:
        assert ("was upgraded" in note) is upgraded
        assert services.db.current_revision() == head_revision()
        # The migrations ran in one transaction with foreign keys enforced, batch mode and all:
        # every reference still holds, and everyday connections still enforce them.
        with services.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        revision, after = stored_rows(sqlite_url(path))
        assert revision == head_revision()
        assert_survived(before, after, number)
        assert_inspections_from_gias(before, after, services)
        assert_program_reads_the_data(services, number)
    finally:
        services.close()
    # The copy taken before an upgrade is the file as it was.
    backups = list(tmp_path.glob(f"partnership-office.before-{RELEASED[number]}-*.sqlite3"))
    assert len(backups) == int(upgraded)
    if not upgraded:
        return
    (backup,) = backups
    assert stored_rows(sqlite_url(backup)) == (RELEASED[number], before)
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.fixture
def empty_pg_url(new_pg_database: PgDatabases) -> str:
    """A new, empty PostgreSQL database of this test's own, dropped afterwards."""
    return new_pg_database.create()


@pytest.mark.parametrize("number", sorted(RELEASED))
def test_a_released_postgresql_database_upgrades_with_its_data_intact(
    number: str, empty_pg_url: str, actor: Actor
) -> None:
    _, dump = fixture_paths(number)
    load_sql_dump(empty_pg_url, dump)
    revision, before = stored_rows(empty_pg_url)
    assert revision == RELEASED[number]
    assert sum(len(rows) for rows in before.values()) == sum(
        len(rows) for rows in rows_at(number).values()
    )

    services, note = open_services(empty_pg_url, actor)
    try:
        assert "new, empty" not in note
        assert services.db.current_revision() == head_revision()
        revision, after = stored_rows(empty_pg_url)
        assert revision == head_revision()
        assert_survived(before, after, number)
        assert_inspections_from_gias(before, after, services)
        assert_program_reads_the_data(services, number)
    finally:
        services.close()


def test_every_dropped_table_or_column_says_where_its_data_went() -> None:
    """A migration that takes data away is checked for where it put it, never skipped."""
    assert set(WHERE_IT_WENT) == {
        (revision, table) for revision, tables in DROPPED.items() for table in tables
    }


def test_every_released_schema_has_its_fixtures() -> None:
    """A released revision without fixtures would not be checked: make them when releasing."""
    for number, revision in RELEASED.items():
        sqlite_file, dump = fixture_paths(number)
        assert sqlite_file.exists() and dump.exists(), number
        assert revision.startswith(number)
        assert f"INSERT INTO public.alembic_version VALUES ('{revision}')" in dump.read_text(
            encoding="utf-8"
        )


def test_a_damaged_released_file_is_refused_and_left_as_it_was(
    tmp_path: Path, actor: Actor
) -> None:
    """A file from an unknown (newer) schema is refused in words; its data is not touched."""
    fixture, _ = fixture_paths("0001")
    path = tmp_path / "partnership-office.sqlite3"
    shutil.copyfile(fixture, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001_unknown'")
    before = stored_rows(sqlite_url(path))
    with pytest.raises(DatabaseError, match="newer version"):
        open_services(sqlite_url(path), actor)
    assert stored_rows(sqlite_url(path)) == before
    assert not list(tmp_path.glob("*.before-*"))  # no upgrade was started, so no copy


# -- a migration applies whole or not at all -------------------------------------------------------
def released_at(number: str, kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The address of a database of the released schema ``number``: a file, or a server's."""
    sqlite_file, dump = fixture_paths(number)
    if kind == "sqlite":
        path = tmp_path / "partnership-office.sqlite3"
        shutil.copyfile(sqlite_file, path)
        return sqlite_url(path)
    url = request.getfixturevalue("new_pg_database").create()
    load_sql_dump(url, dump)
    return url


def add_stray_correspondence_table(url: str) -> None:
    """The issue's case: a table the next migration creates is there already."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE correspondence (note VARCHAR(20))"))
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = create_engine(normalise_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_failed_migration_changes_nothing_and_says_so_every_time(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path, actor: Actor
) -> None:
    url = released_at("0001", kind, request, tmp_path)
    add_stray_correspondence_table(url)
    before = stored_rows(url)
    tables = table_names(url)
    messages = []
    for _attempt in range(2):  # the next start meets the same clear failure
        with pytest.raises(DatabaseError) as failed:
            open_services(url, actor)
        messages.append(str(failed.value))
        assert stored_rows(url) == before  # revision 0001 and every row as it was
        assert table_names(url) == tables
        assert not {"document", "letter_template"} & tables
    for message in messages:
        assert "could not be brought up to date from schema 0001_foundation" in message
        assert re.search(r'(table|relation) "?correspondence"? already exists\.', message)
        assert "Nothing in it was changed." in message
        assert "document" not in message and "Traceback" not in message
        # The file is as it was, so no copy of it is kept: none piles up at each attempt.
        assert "copy" not in message
    assert not list(tmp_path.glob("*.before-*"))


def test_a_failed_upgrade_that_could_not_be_undone_keeps_its_copy_and_names_it(
    tmp_path: Path, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the file not read back as it was, the copy taken before is the way back."""
    from thep_desktop import database

    url = released_at("0001", "sqlite", None, tmp_path)  # type: ignore[arg-type]  # a file needs no request
    add_stray_correspondence_table(url)
    before = stored_rows(url)
    monkeypatch.setattr(database.Database, "_unchanged_since", lambda self, revision: False)
    with pytest.raises(DatabaseError) as failed:
        open_services(url, actor)
    kept = re.search(r"A copy of it as it was is kept at (.+)\.$", str(failed.value))
    assert kept and stored_rows(sqlite_url(kept[1])) == before


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_migration_failing_half_way_leaves_the_database_as_it_was(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path, actor: Actor
) -> None:
    """0002 has run and 0003 is part done when a statement fails: all of it is undone."""
    url = released_at("0001", kind, request, tmp_path)
    before = stored_rows(url)
    tables = table_names(url)
    with (
        statement_fails(lambda sql: "signatory_position" in sql) as ran,
        pytest.raises(DatabaseError, match="injected fault. Nothing in it was changed."),
    ):
        open_services(url, actor)
    assert any(sql.startswith("CREATE TABLE letter_template") for sql in ran)  # 0002 had run
    assert stored_rows(url) == before and table_names(url) == tables
    # Nothing is left in the way: the next attempt upgrades it whole.
    services, note = open_services(url, actor)
    try:
        assert services.db.current_revision() == head_revision()
        assert_program_reads_the_data(services, "0001")
    finally:
        services.close()


def test_a_migration_that_would_leave_rows_pointing_nowhere_is_undone(
    tmp_path: Path, actor: Actor
) -> None:
    """Foreign keys are off while tables are re-made (SQLite's own procedure), and checked
    before the commit: a migration that orphans contacts is refused, and nothing changes."""
    from sqlalchemy import Engine, event

    path = tmp_path / "partnership-office.sqlite3"
    shutil.copyfile(fixture_paths("0001")[0], path)
    before = stored_rows(sqlite_url(path))
    assert before[1]["contact"], "the fixture needs contacts for this test"

    def orphan_contacts(_conn, cursor, statement: str, *_args: object) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().startswith("UPDATE alembic_version"):  # a migration done
            cursor.execute("DELETE FROM school")

    event.listen(Engine, "before_cursor_execute", orphan_contacts)
    try:
        with pytest.raises(DatabaseError, match="rows of contact would lose what they refer to"):
            open_services(sqlite_url(path), actor)
    finally:
        event.remove(Engine, "before_cursor_execute", orphan_contacts)
    assert stored_rows(sqlite_url(path)) == before

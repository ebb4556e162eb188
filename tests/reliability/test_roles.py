"""Roles, tried the hostile way: every role attempts every change it may not make.

Through the services, each refusal is a PermissionDeniedError, is written to the audit trail
as ``refused``, and leaves every other table exactly as it was (row counts and checksums).
On PostgreSQL each role's own login (made by the users service, as an administrator does)
runs raw INSERT, UPDATE and DELETE against every table: the server refuses every table its
role does not write, and lets through those it does.

What a role may do is expected twice over: from the areas' declarations (which the program
and the server's grants are made from) and from the hand-written tables below, so a wrong
declaration fails here instead of quietly changing who may do what.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from gias_files import gias_row, write_gias
from server_logins import ServerLogins
from sqlalchemy import select, text

from thep_desktop.database import Database
from thep_desktop.domain.academic_years import AcademicYear
from thep_desktop.domain.governance import BodyKind, Capacity, HowAppointed
from thep_desktop.domain.roles import Role
from thep_desktop.models import AuditEvent, Base
from thep_desktop.models.audit import AUDIT_TABLE
from thep_desktop.services.backups.backups_permissions import RESTORE_BACKUPS
from thep_desktop.services.demo.demo_service import DemoService
from thep_desktop.services.governance.governance_data import (
    ActionInput,
    AppointmentInput,
    BodyInput,
    MeetingInput,
    PersonInput,
)
from thep_desktop.services.governance.governance_permissions import MANAGE_GOVERNANCE
from thep_desktop.services.invoices.invoice_data import (
    CustomerInput,
    DraftInput,
    LineInput,
    SettingsInput,
)
from thep_desktop.services.invoices.invoices_permissions import (
    INVOICE_SETTINGS,
    MANAGE_INVOICES,
    RECORD_PAYMENTS,
)
from thep_desktop.services.letters.letter_templates import TemplateInput
from thep_desktop.services.letters.letters_permissions import EDIT_TEMPLATES, SEND_LETTERS
from thep_desktop.services.memberships.fees_service import ScheduleInput
from thep_desktop.services.memberships.member_data import ApplicationInput, MemberInput
from thep_desktop.services.memberships.memberships_permissions import (
    EDIT_FEES,
    MANAGE_MEMBERS,
    OVERRIDE_ELIGIBILITY,
)
from thep_desktop.services.peer_reviews.peer_reviews_permissions import (
    EDIT_TERM_DATES,
    MANAGE_REVIEWS,
)
from thep_desktop.services.peer_reviews.review_data import (
    ClosureInput,
    ClusterInput,
    CycleInput,
    ReviewInput,
)
from thep_desktop.services.registry import Services, open_services
from thep_desktop.services.schools.school_data import ContactInput, SchoolInput
from thep_desktop.services.schools.schools_permissions import EDIT_SCHOOLS
from thep_desktop.services.settings.organisation_service import ProfileData
from thep_desktop.services.settings.settings_permissions import EDIT_SETTINGS
from thep_desktop.services.settings.staff_service import StaffInput
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import PermissionDeniedError
from thep_desktop.services.shared.permissions import Permission
from thep_desktop.services.users.server_roles import READ_ONLY_TABLES, writers_by_table
from thep_desktop.services.users.users_permissions import MANAGE_USERS

ADMIN, STAFF, TREASURER, CLERK, VIEWER = Role
EVERY_ROLE = list(Role)

# Who may do each change, written out by hand (not read from the declarations).
MAY = {
    "edit_schools": {ADMIN, STAFF},
    "send_letters": {ADMIN, STAFF, TREASURER, CLERK},
    "edit_templates": {ADMIN, STAFF},
    "edit_settings": {ADMIN},
    "manage_users": {ADMIN},
    "restore_backups": {ADMIN},
    "manage_members": {ADMIN, STAFF},
    "override_eligibility": {ADMIN},
    "edit_fees": {ADMIN, STAFF, TREASURER},
    "manage_invoices": {ADMIN, TREASURER},
    "record_payments": {ADMIN, TREASURER},
    "edit_catalogue": {ADMIN, STAFF, TREASURER},
    "invoice_settings": {ADMIN, TREASURER},
    "manage_reviews": {ADMIN, STAFF},
    "edit_term_dates": {ADMIN, STAFF},
    "manage_governance": {ADMIN, CLERK},
    "write_annual_report": {ADMIN, STAFF},
}
# Who may write each of today's tables, written out by hand.
TABLE_WRITERS = {
    "school": {ADMIN, STAFF},
    "contact": {ADMIN, STAFF},
    "school_census": {ADMIN, STAFF},
    "ofsted_inspection": {ADMIN, STAFF},
    "school_note": {ADMIN, STAFF},
    "annual_report": {ADMIN, STAFF},
    "letter_template": {ADMIN, STAFF},
    "letter_batch": {ADMIN, STAFF, TREASURER, CLERK},
    "document": {ADMIN, STAFF, TREASURER, CLERK},
    "correspondence": {ADMIN, STAFF, TREASURER, CLERK},
    "organisation_profile": {ADMIN},
    "staff_member": {ADMIN},
    "app_user": {ADMIN},
    "member": {ADMIN, STAFF},
    "membership_period": {ADMIN, STAFF},
    "fee_schedule": {ADMIN, STAFF, TREASURER},
    "fee_period": {ADMIN, STAFF, TREASURER},
    "membership_rules": {ADMIN, STAFF, TREASURER},
    "notice_exception": {ADMIN, STAFF, TREASURER},
    "customer": {ADMIN, TREASURER},
    "invoice": {ADMIN, TREASURER},
    "invoice_line": {ADMIN, TREASURER},
    "number_series": {ADMIN, TREASURER},
    "fee_run": {ADMIN, TREASURER},
    "invoice_reminder": {ADMIN, TREASURER},
    "payment": {ADMIN, TREASURER},
    "allocation": {ADMIN, TREASURER},
    "service_item": {ADMIN, STAFF, TREASURER},
    "invoice_settings": {ADMIN, TREASURER},
    "cluster": {ADMIN, STAFF},
    "cluster_school": {ADMIN, STAFF},
    "review_cycle": {ADMIN, STAFF},
    "review": {ADMIN, STAFF},
    "review_school": {ADMIN, STAFF},
    "reviewer": {ADMIN, STAFF},
    "term_dates": {ADMIN, STAFF},
    "school_closure": {ADMIN, STAFF},
    "governing_body": {ADMIN, CLERK},
    "governance_person": {ADMIN, CLERK},
    "appointment": {ADMIN, CLERK},
    "meeting": {ADMIN, CLERK},
    "agenda_item": {ADMIN, CLERK},
    "agenda_paper": {ADMIN, CLERK},
    "meeting_attendance": {ADMIN, CLERK},
    "interest_declaration": {ADMIN, CLERK},
    "decision": {ADMIN, CLERK},
    "governance_action": {ADMIN, CLERK},
    "minutes_erratum": {ADMIN, CLERK},
}


# -- the register every attempt is made against -----------------------------------------------
@dataclass
class Register:
    """What an administrator set up: the records the attempts aim at."""

    school_id: int
    school_version: int
    staff_id: int
    staff_version: int
    template_id: int
    template_version: int
    own_template_id: int
    own_template_version: int
    gias_preview: Any
    pupils_preview: Any
    backup: Path
    folder: Path
    member_id: int
    period_id: int
    period_version: int
    applicant_period_id: int
    applicant_period_version: int
    customer_id: int = 0
    draft_id: int = 0
    draft_version: int = 0
    invoice_id: int = 0
    second_school_id: int = 0
    cycle_id: int = 0
    board_id: int = 0
    governance_person_id: int = 0
    meeting_id: int = 0


def a_school(urn: str = "100229", **more: Any) -> SchoolInput:
    values: dict[str, Any] = dict(
        urn=urn,
        name="Bethnal Green Primary School",
        la_code="211",
        establishment_number="2345",
        phase="Primary",
        postcode="E2 6AB",
        contacts=[ContactInput("Amina Rahman", "Head teacher", "head@bgps.sch.uk")],
    )
    values.update(more)
    return SchoolInput(**values)


def set_up(admin: Services, folder: Path) -> Register:
    actor = admin.actor
    school = admin.schools.create_school(actor, a_school())
    staff = admin.staff.create_staff(actor, StaffInput("Nadia Rahman", "Link officer"))
    profile = admin.organisation.get_profile(actor)
    admin.organisation.update_profile(
        actor, ProfileData(**{**vars(profile), "signatory_name": "Helen Marsh"})
    )
    templates = admin.letters.list_templates(actor)
    builtin = next(t for t in templates if t.builtin and not admin.letters.mailing_fields(t))
    own = admin.letters.create_template(
        actor, TemplateInput(**{**vars(builtin.as_input()), "name": "Our own letter"})
    )
    gias = write_gias(folder / "gias.csv", [gias_row("100229"), gias_row("100230")])
    gias_preview = admin.gias_import.preview(actor, gias, la_code="211")
    pupils = folder / "pupils.csv"
    pupils.write_text("URN,Number of pupils\n100229,450\n", encoding="utf-8")
    pupils_preview = admin.pupil_import.preview(actor, pupils, census_date="16/01/2026")
    if admin.db.is_sqlite:
        (folder / "backups").mkdir()
        backup = admin.backups.back_up(actor, folder / "backups").path
        admin.users.add_user(actor, "head.admin", ADMIN)  # whom "users: disable" aims at
    else:  # server backups are another part's: the refusal comes before the file is read
        backup = folder / "partnership-office-backup-2026-01-01-0900.sqlite3"
    # A member (admitted) and an applicant, for the memberships' changes.
    member = admin.members.apply(
        actor,
        MemberInput(kind="organisation", name="Governors' Network", address="1 Bow Road"),
        ApplicationInput("associate", date(2024, 1, 8)),
    )
    assert member.latest is not None
    member = admin.members.admit(actor, member.latest.id, member.latest.version, date(2024, 2, 1))
    applicant = admin.members.apply(
        actor,
        MemberInput(kind="individual", name="Patricia Hale", address="22 Linnet Road"),
        ApplicationInput("associate", date(2025, 1, 6)),
    )
    assert member.latest is not None and applicant.latest is not None
    admin.fees.save_schedule(actor, ScheduleInput("2025/26", "5.00", "250.00"))
    # A customer, a draft and an issued invoice, for the invoices' changes.
    customer = admin.invoices.save_customer(actor, CustomerInput("Bow Arts Trust"))
    line = (LineInput("Training place", "1", "95.00", "standard", "200"),)
    made = admin.invoices.create_draft(
        actor, DraftInput(customer.id, invoice_date=date(2026, 9, 1), lines=line)
    )
    sent = admin.invoices.create_draft(
        actor, DraftInput(customer.id, invoice_date=date(2026, 9, 1), lines=line)
    )
    admin.invoices.issue(actor, [sent.id])
    register = Register(
        school.id,
        school.version,
        staff.id,
        staff.version,
        builtin.id,
        builtin.version,
        own.id,
        own.version,
        gias_preview,
        pupils_preview,
        backup,
        folder,
        member.id,
        member.latest.id,
        member.latest.version,
        applicant.latest.id,
        applicant.latest.version,
    )
    register.customer_id = customer.id
    register.draft_id, register.draft_version = made.id, made.version
    register.invoice_id = sent.id
    # A second school and a cycle, for the peer reviews' changes.
    other = admin.schools.create_school(actor, a_school("100230", name="Olga Primary School"))
    register.second_school_id = other.id
    register.cycle_id = admin.reviews.save_cycle(actor, CycleInput("2025/26")).id
    # The usual bodies and a person, for the governance changes.
    admin.governing_bodies.add_usual_bodies(actor)
    bodies = admin.governing_bodies.list_bodies(actor)
    register.board_id = next(b.id for b in bodies if b.kind is BodyKind.BOARD)
    register.governance_person_id = admin.governance_people.save_person(
        actor, PersonInput("Margaret Okonkwo")
    ).id
    register.meeting_id = admin.meetings.save_meeting(
        actor, MeetingInput(register.board_id, date(2026, 3, 10))
    ).id
    return register


@dataclass(frozen=True)
class Attempt:
    name: str
    permission: Permission
    hand: str  # the key of MAY
    run: Callable[[Services, Register], object]


def _school(s: Services, r: Register) -> Any:
    return s.schools.get_school(s.actor, r.school_id)


ATTEMPTS = (
    Attempt("schools: create", EDIT_SCHOOLS, "edit_schools",
            lambda s, r: s.schools.create_school(s.actor, a_school("100999", name="New"))),
    Attempt("schools: update", EDIT_SCHOOLS, "edit_schools",
            lambda s, r: s.schools.update_school(
                s.actor, r.school_id, r.school_version,
                SchoolInput(**{**vars(_school(s, r).as_input()), "name": "Renamed"}))),
    Attempt("schools: contacts", EDIT_SCHOOLS, "edit_schools",
            lambda s, r: s.schools.update_school(
                s.actor, r.school_id, r.school_version,
                SchoolInput(**{**vars(_school(s, r).as_input()),
                               "contacts": [ContactInput("Tom Okafor", "SBM", "t@x.sch.uk")]}))),
    Attempt("schools: close", EDIT_SCHOOLS, "edit_schools",
            lambda s, r: s.schools.close_school(
                s.actor, r.school_id, r.school_version, date(2026, 8, 31))),
    Attempt("schools: delete", EDIT_SCHOOLS, "edit_schools",
            lambda s, r: s.schools.delete_school(s.actor, r.school_id, r.school_version)),
    Attempt("imports: GIAS apply", EDIT_SCHOOLS, "edit_schools",
            lambda s, r: s.gias_import.apply(s.actor, r.gias_preview)),
    Attempt("imports: pupil numbers apply", EDIT_SCHOOLS, "edit_schools",
            lambda s, r: s.pupil_import.apply(s.actor, r.pupils_preview)),
    Attempt("letters: produce", SEND_LETTERS, "send_letters",
            lambda s, r: s.letters.produce(
                s.actor, r.template_id, [r.school_id], "Head teacher",
                combined_file=r.folder / "letters.pdf")),
    Attempt("letters: template create", EDIT_TEMPLATES, "edit_templates",
            lambda s, r: s.letters.create_template(
                s.actor, TemplateInput(**{**vars(s.letters.get_template(
                    s.actor, r.own_template_id).as_input()), "name": "Another"}))),
    Attempt("letters: template update", EDIT_TEMPLATES, "edit_templates",
            lambda s, r: s.letters.update_template(
                s.actor, r.own_template_id, TemplateInput(**{**vars(s.letters.get_template(
                    s.actor, r.own_template_id).as_input()), "subject": "Changed"}),
                r.own_template_version)),
    Attempt("letters: template reset", EDIT_TEMPLATES, "edit_templates",
            lambda s, r: s.letters.reset_template(s.actor, r.template_id, r.template_version)),
    Attempt("letters: template delete", EDIT_TEMPLATES, "edit_templates",
            lambda s, r: s.letters.delete_template(
                s.actor, r.own_template_id, r.own_template_version)),
    Attempt("settings: organisation", EDIT_SETTINGS, "edit_settings",
            lambda s, r: s.organisation.update_profile(
                s.actor, ProfileData(**{**vars(s.organisation.get_profile(s.actor)),
                                        "phone": "020 7000 0000"}))),
    Attempt("settings: staff create", EDIT_SETTINGS, "edit_settings",
            lambda s, r: s.staff.create_staff(s.actor, StaffInput("Bola Adeyemi"))),
    Attempt("settings: staff update", EDIT_SETTINGS, "edit_settings",
            lambda s, r: s.staff.update_staff(
                s.actor, r.staff_id, r.staff_version, StaffInput("Nadia R", active=False))),
    Attempt("users: add", MANAGE_USERS, "manage_users",
            lambda s, r: s.users.add_user(s.actor, "new.person", Role.ADMIN, password="Pw-1x")),
    Attempt("users: set role", MANAGE_USERS, "manage_users",
            lambda s, r: s.users.set_role(s.actor, s.actor.name, Role.ADMIN)),
    Attempt("users: disable", MANAGE_USERS, "manage_users",
            lambda s, r: s.users.set_active(s.actor, "head.admin", False)),
    Attempt("backups: restore", RESTORE_BACKUPS, "restore_backups",
            lambda s, r: s.backups.restore(s.actor, r.backup, r.folder / "before")),
    Attempt("demo: load", EDIT_SETTINGS, "edit_settings",
            lambda s, r: DemoService(s.db).load(s.actor)),
    Attempt("members: apply", MANAGE_MEMBERS, "manage_members",
            lambda s, r: s.members.apply(
                s.actor, MemberInput(kind="individual", name="New", address="1 Bow Road"),
                ApplicationInput("associate", date(2025, 1, 6)))),
    Attempt("members: admit", MANAGE_MEMBERS, "manage_members",
            lambda s, r: s.members.admit(
                s.actor, r.applicant_period_id, r.applicant_period_version, date(2025, 2, 1))),
    Attempt("members: notice", MANAGE_MEMBERS, "manage_members",
            lambda s, r: s.members.record_notice(
                s.actor, r.period_id, r.period_version, date(2025, 2, 1))),
    Attempt("members: cease", MANAGE_MEMBERS, "manage_members",
            lambda s, r: s.members.cease(
                s.actor, r.period_id, r.period_version, date(2025, 2, 1), "Left")),
    Attempt("fees: new schedule", EDIT_FEES, "edit_fees",
            lambda s, r: s.fees.save_schedule(
                s.actor, ScheduleInput("2026/27", "5.50", "250.00"))),
    Attempt("fees: rules", EDIT_FEES, "edit_fees",
            lambda s, r: s.fees.save_rules(s.actor, 0, 6, "25.00", [])),
    Attempt("payments: a member's fee", RECORD_PAYMENTS, "record_payments",
            lambda s, r: s.payments.record_fee_payment(
                s.actor, r.member_id, "2025/26", "250.00", date(2025, 10, 1))),
    Attempt("invoices: customer", MANAGE_INVOICES, "manage_invoices",
            lambda s, r: s.invoices.save_customer(s.actor, CustomerInput("Limehouse Choir"))),
    Attempt("invoices: draft", MANAGE_INVOICES, "manage_invoices",
            lambda s, r: s.invoices.create_draft(
                s.actor, DraftInput(r.customer_id, lines=(LineInput("Room hire", "1", "50"),)))),
    Attempt("invoices: issue", MANAGE_INVOICES, "manage_invoices",
            lambda s, r: s.invoices.issue(s.actor, [r.draft_id])),
    Attempt("invoices: delete draft", MANAGE_INVOICES, "manage_invoices",
            lambda s, r: s.invoices.delete_draft(s.actor, r.draft_id, r.draft_version)),
    Attempt("invoices: credit", MANAGE_INVOICES, "manage_invoices",
            lambda s, r: s.invoices.credit(s.actor, r.invoice_id, "Cancelled")),
    Attempt("invoices: settings", INVOICE_SETTINGS, "invoice_settings",
            lambda s, r: s.invoices.save_settings(s.actor, 0, SettingsInput(45))),
    Attempt("reviews: cluster", MANAGE_REVIEWS, "manage_reviews",
            lambda s, r: s.clusters.save_cluster(s.actor, ClusterInput(
                "Bethnal Green", "geographical", (r.school_id, r.second_school_id)))),
    Attempt("reviews: cycle", MANAGE_REVIEWS, "manage_reviews",
            lambda s, r: s.reviews.save_cycle(s.actor, CycleInput("2026/27"))),
    Attempt("reviews: review", MANAGE_REVIEWS, "manage_reviews",
            lambda s, r: s.reviews.save_review(s.actor, ReviewInput(
                r.cycle_id, r.school_id, team_school_ids=(r.second_school_id,)))),
    Attempt("reviews: term dates", EDIT_TERM_DATES, "edit_term_dates",
            lambda s, r: s.school_calendar.save_terms(
                s.actor, AcademicYear(2025),
                s.school_calendar.year_terms(s.actor, AcademicYear(2025)).terms)),
    Attempt("reviews: closure", EDIT_TERM_DATES, "edit_term_dates",
            lambda s, r: s.school_calendar.add_closures(
                s.actor, ClosureInput(r.school_id, date(2025, 11, 21)))),
    Attempt("governance: usual bodies", MANAGE_GOVERNANCE, "manage_governance",
            lambda s, r: s.governing_bodies.add_usual_bodies(s.actor)),
    Attempt("governance: body", MANAGE_GOVERNANCE, "manage_governance",
            lambda s, r: s.governing_bodies.save_body(
                s.actor, BodyInput("Finance committee", "FC", BodyKind.COMMITTEE))),
    Attempt("governance: person", MANAGE_GOVERNANCE, "manage_governance",
            lambda s, r: s.governance_people.save_person(s.actor, PersonInput("Priya Raman"))),
    Attempt("governance: appointment", MANAGE_GOVERNANCE, "manage_governance",
            lambda s, r: s.governance_people.save_appointment(s.actor, AppointmentInput(
                r.governance_person_id, r.board_id, Capacity.DIRECTOR, HowAppointed.CO_OPTED,
                date(2025, 9, 1)))),
    Attempt("governance: meeting", MANAGE_GOVERNANCE, "manage_governance",
            lambda s, r: s.meetings.save_meeting(
                s.actor, MeetingInput(r.board_id, date(2026, 5, 12), venue="Globe Primary"))),
    Attempt("governance: action", MANAGE_GOVERNANCE, "manage_governance",
            lambda s, r: s.governance_actions.save_action(
                s.actor, ActionInput(r.meeting_id, "Book the venue for the AGM"))),
)  # fmt: skip


def table_checksums(database: Database) -> dict[str, tuple[int, str]]:
    """Every table but the audit trail: its row count and a SHA-256 of its rows by key."""
    sums: dict[str, tuple[int, str]] = {}
    with database.read_session() as session:
        for table in Base.metadata.sorted_tables:
            if table.name == AUDIT_TABLE:
                continue
            rows = session.execute(select(table).order_by(*table.primary_key.columns)).all()
            digest = hashlib.sha256("\n".join(repr(tuple(r)) for r in rows).encode()).hexdigest()
            sums[table.name] = (len(rows), digest)
    return sums


def refusals(database: Database) -> list[tuple[str, str]]:
    with database.read_session() as session:
        return [
            (row.actor, row.detail)
            for row in session.execute(
                select(AuditEvent.actor, AuditEvent.detail)
                .where(AuditEvent.action == "refused")
                .order_by(AuditEvent.seq)
            )
        ]


def test_the_declarations_match_the_hand_written_tables() -> None:
    """A permission or a table's writers changed in a declaration is caught here."""
    for attempt in ATTEMPTS:
        assert set(attempt.permission.roles) == MAY[attempt.hand], attempt.name
    # Overriding eligibility is tried in tests/services/memberships: a role without it is
    # refused managing members first, so it has no attempt of its own here.
    assert set(OVERRIDE_ELIGIBILITY.roles) == MAY["override_eligibility"]
    assert {t: set(r) for t, r in writers_by_table().items()} == TABLE_WRITERS
    known = set(TABLE_WRITERS) | {AUDIT_TABLE} | READ_ONLY_TABLES
    assert set(Base.metadata.tables) <= known, "a new table: say here who may write it"


@pytest.mark.parametrize("role", [r for r in EVERY_ROLE if r != ADMIN])
def test_every_role_is_refused_every_change_it_may_not_make_through_the_services(
    db: Database, tmp_path: Path, role: Role, reliability
) -> None:  # type: ignore[no-untyped-def]
    address = db.url.render_as_string(hide_password=False)
    admin, _note = open_services(address, Actor("head.admin", ADMIN))
    register = set_up(admin, tmp_path)
    name = f"{role.value}.person"
    person = Services(db, Actor(name, role))
    forbidden = [a for a in ATTEMPTS if role not in MAY[a.hand]]
    failures: list[str] = []
    for attempt in forbidden:
        before, before_refusals = table_checksums(db), refusals(db)
        try:
            attempt.run(person, register)
        except PermissionDeniedError as exc:
            if f"{name} ({role.value}) is not allowed to" not in str(exc):
                failures.append(f"{attempt.name}: said {exc}")
        except Exception as exc:  # noqa: BLE001 - anything but a refusal is a failure here
            failures.append(f"{attempt.name}: {type(exc).__name__}: {exc}")
        else:
            failures.append(f"{attempt.name}: was let through")
        if table_checksums(db) != before:
            failures.append(f"{attempt.name}: changed the database")
        added = refusals(db)[len(before_refusals) :]
        detail = f"{name} ({role.value}) was refused: {attempt.permission.words}"
        if len(added) != 1 or not added[0][1].startswith(detail):
            failures.append(f"{attempt.name}: audited as {added}")
        elif db.is_sqlite and added[0][0] != name:  # on a server, the session's login
            failures.append(f"{attempt.name}: audited as done by {added[0][0]}")
    admin.close()
    kind = "sqlite" if db.is_sqlite else "postgresql"
    reliability(
        f"{role.value}: every change it may not make, through the services",
        trials=len(forbidden),
        failures=len(failures),
        database=kind,
        detail=f"{len(forbidden)} refused and audited, nothing else changed",
    )
    assert not failures, failures
    assert len(forbidden) >= 4  # even the most trusted non-admin role is refused something


# -- PostgreSQL: the server refuses raw SQL ------------------------------------------------------
def statements(table: str) -> dict[str, str]:
    """Statements that touch no row but need the right to change ``table``."""
    quoted = f'"{table}"'
    # A column the table has (the offline copy's base rows are keyed by table and uuid, no id).
    column = (
        "version_num"
        if table == "alembic_version"
        else next(iter(Base.metadata.tables[table].primary_key)).name
    )
    return {
        "INSERT": f"INSERT INTO {quoted} SELECT * FROM {quoted} WHERE false",
        "UPDATE": f"UPDATE {quoted} SET {column} = {column} WHERE false",
        "DELETE": f"DELETE FROM {quoted} WHERE false",
    }


def expected_writers(table: str, verb: str) -> set[Role]:
    if table == AUDIT_TABLE:  # everyone adds to the trail; nobody but the owner changes it
        return set(EVERY_ROLE) if verb == "INSERT" else set()
    return TABLE_WRITERS.get(table, set())


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_on_the_server_each_roles_own_login_may_change_only_its_tables(
    pg_db: Database, server_logins: ServerLogins, role: Role, reliability
) -> None:  # type: ignore[no-untyped-def]
    owner, _note = open_services(pg_db.address)  # the tables' owner: grants brought up to date
    login = server_logins.name(role.value)
    owner.users.add_user(owner.actor, login, role, password="Pw-roles-1")
    before = table_checksums(pg_db)
    url = server_logins.url(pg_db.address, login, "Pw-roles-1")
    tables = sorted(Base.metadata.tables) + ["alembic_version"]
    failures: list[str] = []
    tried = refused = 0
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        assert conn.execute("SELECT session_user").fetchone()[0] == login
        for table in tables:
            for verb, statement in statements(table).items():
                tried += 1
                allowed = role in expected_writers(table, verb)
                try:
                    conn.execute(statement)
                except psycopg.errors.InsufficientPrivilege:
                    refused += 1
                    if allowed:
                        failures.append(f"{verb} {table}: refused, but {role.value} writes it")
                else:
                    if not allowed:
                        failures.append(f"{verb} {table}: let through")
                conn.rollback()
    owner.close()
    reliability(
        f"{role.value}: raw SQL with its own login",
        trials=tried,
        failures=len(failures),
        database="postgresql",
        detail=f"{len(tables)} tables x INSERT/UPDATE/DELETE: {refused} refused by the "
        f"server, {tried - refused} let through (tables its role writes, audit INSERT)",
    )
    assert not failures, failures
    assert table_checksums(pg_db) == before
    with pg_db.read_session() as session:  # the login's grants are its group's only
        direct = session.execute(
            text("SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = :g"),
            {"g": login},
        ).scalar_one()
    assert direct == 0

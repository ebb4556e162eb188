"""The fee run on both databases: drafts with their working, never billing twice, the listed."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest
from invoice_records import table_sums
from membership_records import join, make_school
from sqlalchemy import func, select

from thep_desktop.database import Database
from thep_desktop.domain.invoices import InvoiceState, VatCode
from thep_desktop.domain.memberships import Category, MemberKind
from thep_desktop.domain.progress import Cancelled, Progress
from thep_desktop.models.audit import AuditEvent
from thep_desktop.services.invoices.fee_runs_service import FeeRunResult, FeeRunState
from thep_desktop.services.invoices.invoice_data import InvoiceFilter, SettingsInput
from thep_desktop.services.memberships.fees_service import FeePeriodInput, ScheduleInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.actor import Actor, Role
from thep_desktop.services.shared.errors import ServiceError, ValidationError

YEAR = "2025/26"
ON = date(2025, 9, 15)
AUTUMN = FeePeriodInput(date(2025, 9, 1), date(2025, 12, 31), True, "Autumn term")
REST = FeePeriodInput(date(2026, 1, 1), date(2026, 8, 31), True, "Spring and summer terms")


def members(services: Services) -> dict[str, int]:
    """A school all year, one admitted in January, one without a pupil figure, an associate."""
    bow = make_school(services, "100001", "Bow Common Primary School", pupils=412)
    mile = make_school(services, "100002", "Mile End Primary School", pupils=300)
    none = make_school(services, "100003", "Old Ford Primary School", pupils=None)
    found = {
        "bow": join(services, bow, date(2019, 6, 1), date(2019, 9, 1)).id,
        "mile": join(services, mile, date(2025, 12, 1), date(2026, 1, 15)).id,
        "none": join(services, none, date(2019, 6, 1), date(2019, 9, 1)).id,
        "trust": join(
            services,
            None,
            date(2019, 6, 1),
            date(2019, 9, 1),
            Category.ASSOCIATE,
            kind=MemberKind.ORGANISATION,
            name="Tower Hamlets Education Trust",
            address="1 Bow Road\nLondon",
            postcode="E3 2AA",
        ).id,
    }
    return found


def fees(services: Services, *periods: FeePeriodInput) -> None:
    services.fees.save_schedule(
        services.actor,
        ScheduleInput(YEAR, "5.00", "250.00", date(2025, 1, 16), periods=periods),
    )


def test_the_preview_shows_each_members_amount_working_and_state(services: Services) -> None:
    ids = members(services)
    fees(services)
    preview = services.fee_runs.preview(services.actor, YEAR, invoice_date=ON)
    rows = {r.member_id: r for r in preview.rows}
    assert (rows[ids["bow"]].amount, rows[ids["bow"]].working) == (
        Decimal("2060.00"),
        "412 pupils x £5.00 = £2,060.00",
    )
    assert rows[ids["bow"]].urn == 100001 and rows[ids["bow"]].category is Category.FULL
    assert (rows[ids["mile"]].amount, rows[ids["mile"]].working) == (
        Decimal("1000.00"),
        "300 pupils x £5.00 x 8/12 = £1,000.00",
    )
    assert rows[ids["none"]].state is FeeRunState.NO_PUPIL_FIGURE
    assert rows[ids["none"]].amount is None and "no pupil figure" in rows[ids["none"]].problem
    assert rows[ids["trust"]].amount == Decimal("250.00")
    assert preview.total == Decimal("3310.00")
    assert preview.counts == {
        FeeRunState.TO_BILL: 3,
        FeeRunState.ALREADY_BILLED: 0,
        FeeRunState.NO_PUPIL_FIGURE: 1,
        FeeRunState.NOTHING_TO_PAY: 0,
    }
    assert preview.due_date == date(2025, 10, 15)
    assert "3 to bill, £3,310.00; 1 no pupil figure" in preview.summary


def test_the_run_makes_a_draft_per_member_with_its_working(services: Services) -> None:
    ids = members(services)
    fees(services)
    settings = services.invoices.settings(services.actor)
    services.invoices.save_settings(
        services.actor,
        settings.version,
        SettingsInput(payment_terms_days=14, fee_vat_code=VatCode.EXEMPT, fee_account_code="4000"),
    )
    result = services.fee_runs.create_drafts(services.actor, YEAR, invoice_date=ON)
    assert len(result.draft_ids) == 3 and result.total == Decimal("3310.00")
    assert result.without_figures == (
        "Old Ford Primary School: no pupil figure at the census of 16/01/2025",
    )
    drafts = {
        d.member_id: d for d in services.invoices.get_invoices(services.actor, result.draft_ids)
    }
    mile = drafts[ids["mile"]]
    assert mile.is_draft and mile.number is None
    assert mile.customer_name == "Mile End Primary School"
    assert mile.reference == "Membership fee 2025/26"
    assert (mile.invoice_date, mile.due_date) == (ON, date(2025, 9, 29))
    assert (mile.supply_from, mile.supply_to) == (date(2026, 1, 15), date(2026, 8, 31))
    assert mile.fee_year == 2025 and mile.fee_run_id == result.run_id
    [line] = mile.lines
    assert line.description == (
        "Membership fee 2025/26, 15/01/2026 to 31/08/2026: 300 pupils x £5.00 x 8/12 = £1,000.00"
    )
    assert (line.quantity, line.unit_price, line.vat_code, line.account_code) == (
        Decimal("1.00"),
        Decimal("1000.00"),
        VatCode.EXEMPT,
        "4000",
    )
    assert mile.total == Decimal("1000.00")
    assert drafts[ids["trust"]].customer_name == "Tower Hamlets Education Trust"
    assert ids["none"] not in drafts
    [run] = services.fee_runs.runs(services.actor)
    assert (run.id, run.year.label, run.period_label, run.drafts, run.issued, run.total) == (
        result.run_id,
        YEAR,
        "",
        3,
        0,
        Decimal("3310.00"),
    )
    assert run.made_on == date.today() and run.made_by == services.actor.name
    issued = services.fee_runs.issue_run(services.actor, run.id)
    assert issued.numbers == ("INV-000001", "INV-000002", "INV-000003")
    [run] = services.fee_runs.runs(services.actor)
    assert (run.drafts, run.issued) == (0, 3)
    with pytest.raises(ServiceError, match="no drafts left to issue"):
        services.fee_runs.issue_run(services.actor, run.id)


def test_running_again_never_bills_twice_and_says_who_is_billed(
    services: Services, db: Database
) -> None:
    ids = members(services)
    fees(services)
    first = services.fee_runs.create_drafts(services.actor, YEAR, invoice_date=ON)
    before = table_sums(db)
    again = services.fee_runs.create_drafts(services.actor, YEAR, invoice_date=ON)
    assert again.run_id is None and again.draft_ids == ()
    assert sorted(again.already_billed) == [
        "Bow Common Primary School (draft)",
        "Mile End Primary School (draft)",
        "Tower Hamlets Education Trust (draft)",
    ]
    assert "No drafts were made" in again.message and "3 already billed" in again.message
    assert table_sums(db) == before  # no run, no draft, no customer made
    services.fee_runs.issue_run(services.actor, first.run_id)
    preview = services.fee_runs.preview(services.actor, YEAR, invoice_date=ON)
    billed = {r.member_id: r.state_text for r in preview.already_billed}
    assert billed[ids["bow"]].startswith("Already billed (INV-00000")
    assert len(billed) == 3 and preview.to_bill == ()
    assert services.fee_runs.create_drafts(services.actor, YEAR, invoice_date=ON).draft_ids == ()
    # A part credit leaves the member billed; once wholly credited it may be billed again.
    bow = services.invoices.list_invoices(services.actor, InvoiceFilter(member_id=ids["bow"]))[0]
    services.invoices.credit(services.actor, bow.id, "Pupil figure corrected", "60.00", ON)
    assert services.fee_runs.create_drafts(services.actor, YEAR, invoice_date=ON).draft_ids == ()
    services.invoices.credit(services.actor, bow.id, "Pupil figure corrected", None, ON)
    rebill = services.fee_runs.create_drafts(services.actor, YEAR, invoice_date=ON)
    [made] = services.invoices.get_invoices(services.actor, rebill.draft_ids)
    assert made.member_id == ids["bow"] and made.total == Decimal("2060.00")
    assert len(rebill.already_billed) == 2


def test_period_runs_bill_their_part_and_never_overlap_a_whole_year_run(
    services: Services,
) -> None:
    ids = members(services)
    fees(services, AUTUMN, REST)
    assert [p.description for p in services.fee_runs.periods(services.actor, YEAR)] == [
        "Autumn term",
        "Spring and summer terms",
    ]
    autumn = services.fee_runs.create_drafts(services.actor, YEAR, "autumn term", ON)
    drafts = {
        d.member_id: d for d in services.invoices.get_invoices(services.actor, autumn.draft_ids)
    }
    assert set(drafts) == {ids["bow"], ids["trust"]}  # Mile End joins in January
    bow = drafts[ids["bow"]]
    assert bow.reference == "Membership fee 2025/26, Autumn term"
    assert (bow.supply_from, bow.supply_to) == (date(2025, 9, 1), date(2025, 12, 31))
    assert bow.lines[0].description.endswith("412 pupils x £5.00 x 4/12 = £686.67")
    # The whole year overlaps the autumn's invoices: those two are listed, not billed.
    whole = services.fee_runs.preview(services.actor, YEAR, invoice_date=ON)
    assert {r.member_id for r in whole.already_billed} == {ids["bow"], ids["trust"]}
    assert [r.member_id for r in whole.to_bill] == [ids["mile"]]
    # The rest of the year does not overlap the autumn: everyone in it is billed.
    rest = services.fee_runs.create_drafts(services.actor, YEAR, "01/01/2026 to 31/08/2026", ON)
    made = services.invoices.get_invoices(services.actor, rest.draft_ids)
    assert {d.member_id: d.total for d in made} == {
        ids["bow"]: Decimal("1373.33"),
        ids["mile"]: Decimal("1000.00"),
        ids["trust"]: Decimal("166.67"),
    }
    assert [r.what for r in services.fee_runs.runs(services.actor)] == [
        "2025/26, Spring and summer terms (01/01/2026 to 31/08/2026)",
        "2025/26, Autumn term (01/09/2025 to 31/12/2025)",
    ]
    after = services.fee_runs.preview(services.actor, YEAR, invoice_date=ON)
    assert after.to_bill == () and len(after.already_billed) == 3


def test_a_whole_year_run_leaves_nothing_for_a_period_run(services: Services) -> None:
    members(services)
    fees(services, AUTUMN, REST)
    services.fee_runs.create_drafts(services.actor, YEAR, None, ON)
    for period in ("Autumn term", "Spring and summer terms"):
        preview = services.fee_runs.preview(services.actor, YEAR, period, ON)
        assert preview.to_bill == ()
        assert len(preview.already_billed) == (2 if period == "Autumn term" else 3)


def test_a_free_period_is_nothing_to_pay_and_makes_no_invoice(services: Services) -> None:
    ids = members(services)
    fees(services, FeePeriodInput(date(2025, 9, 1), date(2026, 8, 31), False, "Fees waived"))
    preview = services.fee_runs.preview(services.actor, YEAR, invoice_date=ON)
    states = {r.member_id: r.state for r in preview.rows}
    assert states[ids["bow"]] is FeeRunState.NOTHING_TO_PAY
    assert states[ids["none"]] is FeeRunState.NO_PUPIL_FIGURE
    result = services.fee_runs.create_drafts(services.actor, YEAR, invoice_date=ON)
    assert result.draft_ids == () and len(result.nothing_to_pay) == 3


def test_bad_runs_are_refused_in_words_and_nothing_changes(
    services: Services, db: Database
) -> None:
    members(services)
    fees(services, AUTUMN, REST)
    before = table_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.fee_runs.create_drafts(services.actor, YEAR, "Summer half term", ON)
    assert "Choose one of: Autumn term (01/09/2025 to 31/12/2025)" in str(refused.value)
    with pytest.raises(ValidationError, match="not a valid academic year|academic year"):
        services.fee_runs.create_drafts(services.actor, "2025/27", None, ON)
    with pytest.raises(ValidationError):
        services.fee_runs.preview(services.actor, YEAR, None, "31/02/2026")
    with pytest.raises(ServiceError, match="no fee schedule for 2026/27"):
        services.fee_runs.create_drafts(services.actor, "2026/27", None, ON)
    assert table_sums(db) == before
    # Drafts dated before the last issued invoice could never be issued: refused.
    autumn = services.fee_runs.create_drafts(services.actor, YEAR, "Autumn term", ON)
    services.fee_runs.issue_run(services.actor, autumn.run_id)
    before = table_sums(db)
    with pytest.raises(ValidationError, match="dated 15/09/2025"):
        services.fee_runs.create_drafts(services.actor, YEAR, REST.description, date(2025, 9, 1))
    assert table_sums(db) == before


def test_issued_invoices_of_a_run_cannot_change(services: Services) -> None:
    members(services)
    fees(services)
    result = services.fee_runs.create_drafts(services.actor, YEAR, invoice_date=ON)
    services.fee_runs.issue_run(services.actor, result.run_id)
    states = {d.state for d in services.invoices.get_invoices(services.actor, result.draft_ids)}
    assert states == {InvoiceState.ISSUED}


def test_the_runs_records_are_in_the_audit_trail_and_the_chain_holds(
    services: Services, db: Database
) -> None:
    members(services)
    fees(services)
    result = services.fee_runs.create_drafts(services.actor, YEAR, invoice_date=ON)
    [made] = services.invoices.get_invoices(services.actor, result.draft_ids[:1])
    events = services.audit.history(services.actor, made.uuid)
    created = [e for e in events if e.action == "create" and e.table_name == "invoice"]
    assert len(created) == 1
    fields = {c.label: c.after for c in created[0].changes}
    assert any("Membership fee 2025/26" in value for value in fields.values())
    with db.read_session() as session:
        made_here = session.execute(
            select(AuditEvent.table_name, func.count())
            .where(AuditEvent.action == "create")
            .group_by(AuditEvent.table_name)
        ).all()
    counts = dict(made_here)
    assert (counts["invoice"], counts["invoice_line"], counts["customer"], counts["fee_run"]) == (
        3,
        3,
        3,
        1,
    )
    check = services.audit.check(services.actor)
    assert check.ok, check.words


def test_cancelling_a_run_leaves_nothing_behind(services: Services, db: Database) -> None:
    members(services)
    fees(services)
    before = table_sums(db)
    progress = Progress(lambda done, total, words: progress.cancel())
    with pytest.raises(Cancelled):
        services.fee_runs.create_drafts(services.actor, YEAR, None, ON, progress)
    assert table_sums(db) == before
    assert services.fee_runs.runs(services.actor) == []


def test_with_vat_on_fees_the_preview_and_drafts_add_it(services: Services) -> None:
    members(services)
    fees(services)
    settings = services.invoices.settings(services.actor)
    services.invoices.save_settings(
        services.actor, settings.version, SettingsInput(fee_vat_code=VatCode.STANDARD)
    )
    preview = services.fee_runs.preview(services.actor, YEAR, invoice_date=ON)
    assert preview.vat_code is VatCode.STANDARD and preview.account_code == "200"
    assert (preview.total, preview.total_payable) == (Decimal("3310.00"), Decimal("3972.00"))
    result = services.fee_runs.create_drafts(services.actor, YEAR, invoice_date=ON)
    made = services.invoices.get_invoices(services.actor, result.draft_ids)
    assert sum(d.total for d in made) == result.total == Decimal("3972.00")
    assert sum(d.total_vat for d in made) == Decimal("662.00")


def test_a_year_with_a_free_period_has_a_line_per_charged_part(services: Services) -> None:
    ids = members(services)
    fees(services, FeePeriodInput(date(2026, 1, 1), date(2026, 3, 31), False, "Spring waiver"))
    result = services.fee_runs.create_drafts(services.actor, YEAR, invoice_date=ON)
    made = {
        d.member_id: d for d in services.invoices.get_invoices(services.actor, result.draft_ids)
    }
    bow = made[ids["bow"]]
    assert [line.description for line in bow.lines] == [
        "Membership fee 2025/26, 01/09/2025 to 31/12/2025: 412 pupils x £5.00 x 4/12 = £686.67",
        "Membership fee 2025/26, 01/04/2026 to 31/08/2026: 412 pupils x £5.00 x 5/12 = £858.33",
    ]
    assert (bow.supply_from, bow.supply_to, bow.total) == (
        date(2025, 9, 1),
        date(2026, 8, 31),
        Decimal("1545.00"),
    )
    # Admitted on 15 January, Mile End pays only from April: one line.
    assert [line.unit_price for line in made[ids["mile"]].lines] == [Decimal("625.00")]
    assert made[ids["mile"]].supply_from == date(2026, 4, 1)


def test_two_people_running_the_same_fee_run_at_once_bill_each_member_once(
    services: Services, db: Database
) -> None:
    members(services)
    fees(services)
    other_db = Database(db.url)
    colleague = Services(other_db, Actor("sam.colleague", Role.ADMIN))
    start = threading.Barrier(2)
    results: list[FeeRunResult] = []
    failures: list[BaseException] = []

    def run(who: Services) -> None:
        try:
            start.wait()
            results.append(who.fee_runs.create_drafts(who.actor, YEAR, invoice_date=ON))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(s,)) for s in (services, colleague)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        other_db.dispose()
    assert failures == []
    made = sorted(len(r.draft_ids) for r in results)
    assert made == [0, 3]
    assert sorted(len(r.already_billed) for r in results) == [0, 3]
    rows = services.invoices.list_invoices(services.actor, InvoiceFilter(fee_year=2025))
    assert len(rows) == 3 and len({r.member_id for r in rows}) == 3

"""Conflicts of every kind, each carried out as it was resolved; a stale preview's choices and
a conflict left unresolved refused with nothing changed; two copies one after the other."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from offline_records import (
    change_school,
    office_with_demo,
    refused,
    rename_school,
    school_name,
    take_copy,
)

from thep_desktop.database import Database
from thep_desktop.domain.invoices import VatCode
from thep_desktop.domain.schools import SchoolStatus
from thep_desktop.services.invoices.invoice_data import DraftInput, LineInput
from thep_desktop.services.offline.offline_data import (
    WHOLE_RECORD,
    Choice,
    ConflictKind,
    Resolutions,
)
from thep_desktop.services.registry import Services
from thep_desktop.services.settings.staff_service import StaffInput
from thep_desktop.services.shared.errors import NotFoundError

CLOSED_ON = date(2026, 7, 31)


def draft(services: Services, customer_id: int, reference: str) -> int:
    return services.invoices.create_draft(
        services.actor,
        DraftInput(
            customer_id=customer_id,
            invoice_date=date.today(),
            reference=reference,
            lines=(LineInput("Governor training", "1", "300.00", VatCode.STANDARD, "200"),),
        ),
    ).id


def change_reference(services: Services, invoice_id: int, reference: str) -> None:
    found = services.invoices.get_invoice(services.actor, invoice_id)
    services.invoices.update_draft(
        services.actor,
        invoice_id,
        found.version,
        DraftInput(
            customer_id=found.customer_id,
            invoice_date=found.invoice_date,
            reference=reference,
            lines=tuple(
                LineInput(
                    line.description,
                    str(line.quantity),
                    str(line.unit_price),
                    line.vat_code,
                    line.account_code,
                )
                for line in found.lines
            ),
        ),
    )


def change_staff(services: Services, staff_id: int, **changes: object) -> None:
    found = services.staff.get_staff(services.actor, staff_id)
    data = StaffInput(found.full_name, found.job_title, found.email, found.phone, found.active)
    services.staff.update_staff(services.actor, staff_id, found.version, replace(data, **changes))


def reference_of(services: Services, invoice_id: int) -> str | None:
    try:
        return services.invoices.get_invoice(services.actor, invoice_id).reference
    except NotFoundError:
        return None


def test_each_kind_of_conflict_is_carried_out_as_chosen(pg_db: Database, tmp_path: Path) -> None:
    office = office_with_demo(pg_db)
    open_schools = [
        s
        for s in office.schools.list_schools(office.actor)
        if office.schools.get_school_by_urn(office.actor, s.urn).status == SchoolStatus.OPEN
    ]
    both_mine, both_theirs, closed_mixed, closed_mine = (s.urn for s in open_schools[:4])
    customer_id = office.invoices.list_invoices(office.actor)[0].customer_id
    gone_here_mine, gone_here_theirs, gone_there_mine, gone_there_theirs = (
        draft(office, customer_id, f"Draft {n}") for n in range(1, 5)
    )
    staff = next(s for s in office.staff.list_staff(office.actor) if s.active)
    copy, path = take_copy(office, tmp_path)

    # Offline.
    change_staff(copy, staff.id, phone="020 7946 0001")
    rename_school(copy, both_mine, "Both Mine Copy")
    rename_school(copy, both_theirs, "Both Theirs Copy")
    rename_school(copy, closed_mixed, "Closed Mixed Copy")
    rename_school(copy, closed_mine, "Closed Mine Copy")
    for invoice_id in (gone_here_mine, gone_here_theirs):
        version = copy.invoices.get_invoice(copy.actor, invoice_id).version
        copy.invoices.delete_draft(copy.actor, invoice_id, version)
    change_reference(copy, gone_there_mine, "Changed in the copy 3")
    change_reference(copy, gone_there_theirs, "Changed in the copy 4")
    copy.db.dispose()
    # At the office, meanwhile.
    change_staff(office, staff.id, active=False)  # left the partnership
    rename_school(office, both_mine, "Both Mine Office")
    rename_school(office, both_theirs, "Both Theirs Office")
    for urn in (closed_mixed, closed_mine):
        change_school(office, urn, status=SchoolStatus.CLOSED, close_date=CLOSED_ON)
    change_reference(office, gone_here_mine, "Changed at the office 1")
    change_reference(office, gone_here_theirs, "Changed at the office 2")
    for invoice_id in (gone_there_mine, gone_there_theirs):
        version = office.invoices.get_invoice(office.actor, invoice_id).version
        office.invoices.delete_draft(office.actor, invoice_id, version)

    plan = office.offline.preview(path, office.db)
    kinds = sorted((c.kind.value, c.label) for c in plan.conflicts)
    assert kinds == sorted(
        [
            (ConflictKind.BOTH_CHANGED.value, "Both Mine Copy"),
            (ConflictKind.BOTH_CHANGED.value, "Both Theirs Copy"),
            (ConflictKind.CLOSED.value, "Closed Mixed Copy"),
            (ConflictKind.CLOSED.value, "Closed Mine Copy"),
            (ConflictKind.CLOSED.value, staff.full_name),
            (ConflictKind.DELETED_HERE.value, "Changed at the office 1"),
            (ConflictKind.DELETED_HERE.value, "Changed at the office 2"),
            (ConflictKind.DELETED_AT_OFFICE.value, "Changed in the copy 3"),
            (ConflictKind.DELETED_AT_OFFICE.value, "Changed in the copy 4"),
        ]
    )
    by_label = {c.label: c for c in plan.conflicts}
    assert (
        by_label["Closed Mixed Copy"].words
        == "School “Closed Mixed Copy”: closed on one side and changed on the other"
    )
    closed_fields = {f.name: (f.mine, f.theirs) for f in by_label["Closed Mixed Copy"].fields}
    assert closed_fields["status"] == ("open", "closed")
    assert closed_fields["name"][0] == "Closed Mixed Copy"
    assert closed_fields["close_date"] == (None, CLOSED_ON.isoformat())
    assert by_label["Changed at the office 1"].whole_record
    assert by_label["Changed at the office 1"].keys()[0][2] == WHOLE_RECORD

    def choose(label: str, choice: Choice, **fields: Choice) -> Resolutions:
        conflict = by_label[label]
        return {
            (t, u, f): fields.get(f, choice) for (t, u, f) in conflict.keys()
        }  # each field as named, else ``choice``

    chosen: Resolutions = {
        **choose("Both Mine Copy", Choice.MINE),
        **choose("Both Theirs Copy", Choice.THEIRS),
        **choose("Closed Mixed Copy", Choice.THEIRS, name=Choice.MINE),
        **choose("Closed Mine Copy", Choice.MINE),
        **choose(staff.full_name, Choice.THEIRS, phone=Choice.MINE),
        **choose("Changed at the office 1", Choice.MINE),
        **choose("Changed at the office 2", Choice.THEIRS),
        **choose("Changed in the copy 3", Choice.MINE),
        **choose("Changed in the copy 4", Choice.THEIRS),
    }
    # One conflict left out: refused, nothing changed on either side.
    partial = {k: v for k, v in chosen.items() if k[1] != by_label["Both Theirs Copy"].uuid}
    with refused(office.db, path, match="must be resolved first.*Both Theirs Copy"):
        office.offline.sync(path, office.db, partial, fingerprint=plan.fingerprint)
    # The office changes a conflicting record after the preview: its choices are stale.
    rename_school(office, both_theirs, "Both Theirs Office Again")
    with refused(office.db, path, match="changed since the preview.*Look at the preview again"):
        office.offline.sync(path, office.db, chosen, fingerprint=plan.fingerprint)

    plan = office.offline.preview(path, office.db)
    assert len(plan.conflicts) == 9
    result = office.offline.sync(path, office.db, chosen, fingerprint=plan.fingerprint)
    assert result.resolved == 9

    # Each as chosen, at the office and in the copy alike.
    copy, _ = take_copy_services(path)
    for services in (office, copy):
        assert school_name(services, both_mine) == "Both Mine Copy"
        assert school_name(services, both_theirs) == "Both Theirs Office Again"
        mixed = services.schools.get_school_by_urn(services.actor, closed_mixed)
        assert (mixed.name, mixed.status, mixed.close_date) == (
            "Closed Mixed Copy",
            SchoolStatus.CLOSED,
            CLOSED_ON,
        )
        kept_open = services.schools.get_school_by_urn(services.actor, closed_mine)
        assert (kept_open.name, kept_open.status, kept_open.close_date) == (
            "Closed Mine Copy",
            SchoolStatus.OPEN,
            None,
        )
        left = services.staff.get_staff(services.actor, staff.id)
        assert (left.phone, left.active) == ("020 7946 0001", False)
    # Drafts: deleted in the copy (kept deleted / kept as the office changed it); changed in
    # the copy and deleted at the office (put back as the copy has it / left deleted).
    assert reference_of(office, gone_here_mine) is None
    assert reference_of(office, gone_here_theirs) == "Changed at the office 2"
    back = [
        r
        for r in office.invoices.list_invoices(office.actor)
        if r.reference in ("Changed in the copy 3", "Changed in the copy 4")
    ]
    assert [r.reference for r in back] == ["Changed in the copy 3"]
    assert office.invoices.get_invoice(office.actor, back[0].id).total > 0
    copy_refs = {r.reference for r in copy.invoices.list_invoices(copy.actor)}
    assert "Changed at the office 2" in copy_refs and "Changed in the copy 3" in copy_refs
    assert not copy_refs & {"Changed at the office 1", "Changed in the copy 4", "Draft 1"}
    copy.db.dispose()
    assert office.offline.preview(path, office.db).nothing_to_do


def take_copy_services(path: Path) -> tuple[Services, str]:
    from thep_desktop.services.registry import open_services

    return open_services(str(path))


def test_two_copies_synchronise_one_after_the_other(pg_db: Database, tmp_path: Path) -> None:
    office = office_with_demo(pg_db)
    urns = [s.urn for s in office.schools.list_schools(office.actor)[:3]]
    first, first_path = take_copy(office, tmp_path, "first.sqlite3")
    second, second_path = take_copy(office, tmp_path, "second.sqlite3")
    rename_school(first, urns[0], "First Copy School")
    rename_school(second, urns[1], "Second Copy School")
    rename_school(first, urns[2], "Shared First")
    rename_school(second, urns[2], "Shared Second")
    first.db.dispose()
    second.db.dispose()

    office.offline.sync(first_path, office.db)
    plan = office.offline.preview(second_path, office.db)
    assert {c.words for c in plan.send} == {"Changed school “Second Copy School”: name"}
    assert "Changed school “First Copy School”: name" in {c.words for c in plan.receive}
    (conflict,) = plan.conflicts
    assert conflict.kind is ConflictKind.BOTH_CHANGED
    ((field),) = conflict.fields
    assert (field.mine, field.theirs) == ("Shared Second", "Shared First")
    with pytest.raises(Exception, match="must be resolved first"):
        office.offline.sync(second_path, office.db)
    office.offline.sync(
        second_path, office.db, {conflict.keys()[0]: Choice.THEIRS}, fingerprint=plan.fingerprint
    )
    assert [school_name(office, u) for u in urns] == [
        "First Copy School",
        "Second Copy School",
        "Shared First",
    ]
    # The first copy brings in the second's change; nothing of its own goes twice.
    plan = office.offline.preview(first_path, office.db)
    assert plan.send == () and plan.conflicts == ()
    assert [c.words for c in plan.receive] == ["Changed school “Second Copy School”: name"]
    office.offline.sync(first_path, office.db)
    for path in (first_path, second_path):
        assert office.offline.preview(path, office.db).nothing_to_do

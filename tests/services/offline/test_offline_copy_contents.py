"""What a copy holds after checkout and after each synchronisation: the office's records
exactly (every column), its base the same records' fields; a synchronisation with nothing
to do changes only the copy's header."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from offline_records import office_with_demo, rename_school, school_name, take_copy

from thep_desktop.database import Database
from thep_desktop.services.backups.table_checksums import canonical
from thep_desktop.services.invoices.invoice_data import DraftInput, LineInput
from thep_desktop.services.invoices.payment_data import PaymentInput
from thep_desktop.services.offline import offline_service
from thep_desktop.services.offline.offline_copy_file import read_copy
from thep_desktop.services.offline.offline_rows import (
    BOOKKEEPING,
    State,
    read_state,
    references,
)
from thep_desktop.services.registry import Services, open_services


def office_state(db: Database) -> State:
    with db.read_session() as session:
        return read_state(session.connection())


def assert_copy_is_office(path: Path, office: Services) -> None:
    """Every record of the copy as the office has it (every column, ids and versions too),
    and the copy's base the office's fields."""
    contents = read_copy(path)
    theirs = office_state(office.db)
    assert contents.mine.keys() == theirs.keys()
    for name, records in theirs.items():
        mine = contents.mine[name]
        assert mine.keys() == records.keys(), name
        for key, record in records.items():
            assert mine[key].row == record.row, (name, key)
            assert mine[key].fields == record.fields, (name, key)
        assert contents.base.get(name, {}) == {k: r.fields for k, r in records.items()}, name


def test_a_record_is_compared_by_every_column_in_canonical_form_with_references_as_uuids(
    pg_db: Database,
) -> None:
    office = office_with_demo(pg_db)
    state = office_state(office.db)
    ids = {name: {r.id: key for key, r in records.items()} for name, records in state.items()}
    checked = 0
    for name, records in state.items():
        refs = references(name)
        for record in records.values():
            expected = {
                column: (
                    (None if value is None else ids[refs[column]][value])
                    if column in refs
                    else canonical(value)
                )
                for column, value in record.row.items()
                if column not in BOOKKEEPING
            }
            assert record.fields == expected, (name, record.uuid)
            checked += 1
    assert checked > 500  # the demo's schools, members, invoices, meetings...


def test_a_copy_holds_every_record_of_the_office_as_it_is(pg_db: Database, tmp_path: Path) -> None:
    office = office_with_demo(pg_db)
    copy, path = take_copy(office, tmp_path)
    copy.db.dispose()
    assert_copy_is_office(path, office)


def test_after_a_sync_the_copy_is_the_office_with_the_copys_changes_in_it(
    pg_db: Database, tmp_path: Path
) -> None:
    office = office_with_demo(pg_db)
    urn = office.schools.list_schools(office.actor)[0].urn
    customer = next(
        c for c in office.invoices.customer_choices(office.actor) if c.customer_id is not None
    )
    copy, path = take_copy(office, tmp_path)
    rename_school(copy, urn, "Renamed Offline School")
    draft = copy.invoices.create_draft(
        copy.actor,
        DraftInput(
            customer_id=customer.customer_id,
            invoice_date="2026-11-20",
            lines=(LineInput("Peer review day", "1", "450.00"), LineInput("Training", "2", "85")),
        ),
    )
    copy.payments.record_payment(
        copy.actor,
        PaymentInput(
            customer_id=customer.customer_id,
            received_on="2026-11-21",
            amount="120.00",
            hold_rest_as_credit=True,
        ),
    )
    copy.db.dispose()
    result = office.offline.sync(path, office.db)
    # The school, the draft, its two lines and the payment: written, then read back.
    assert result.sent == 5
    assert school_name(office, urn) == "Renamed Offline School"
    assert_copy_is_office(path, office)
    # A deletion may reach beyond its own record: the office is read again whole.
    written = read_copy(path).mine["invoice"][str(draft.uuid)]  # its id is the office's now
    again, _ = open_services(str(path))
    again.invoices.delete_draft(again.actor, written.id, written.row["version"])
    again.db.dispose()
    result = office.offline.sync(path, office.db)
    assert result.sent == 3  # the draft and its two lines
    assert_copy_is_office(path, office)
    assert str(draft.uuid) not in office_state(office.db)["invoice"]


def test_a_sync_brings_the_copy_up_to_date_in_place_never_writing_it_whole(
    pg_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = office_with_demo(pg_db)
    copy, path = take_copy(office, tmp_path)
    copy.db.dispose()
    first = office.offline.sync(path, office.db)
    before = read_copy(path).info

    def rewritten(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the copy was written whole")

    monkeypatch.setattr(offline_service, "write_copy", rewritten)
    second = office.offline.sync(path, office.db)
    assert second.sent == 0 and second.received == 0
    after = read_copy(path).info
    assert after.syncs == before.syncs + 1 == 2
    assert after.synced_at == second.synced_at and after.base_at == second.synced_at
    assert after.synced_at is not None and first.synced_at < after.synced_at
    assert (after.copy_id, after.taken_at) == (before.copy_id, before.taken_at)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no -wal, no .part
    assert_copy_is_office(path, office)
    # Changes on both sides, a new record in the copy among them: still in place, and the
    # copy then holds exactly the office's records, ids included, with nothing waiting.
    schools = office.schools.list_schools(office.actor)
    rename_school(office, schools[0].urn, "Renamed At The Office School")
    again, _ = open_services(str(path))
    rename_school(again, schools[1].urn, "Renamed Offline School")
    again.db.dispose()
    third = office.offline.sync(path, office.db)
    assert (third.sent, third.received) == (1, 1)
    assert_copy_is_office(path, office)
    assert office.offline.status(path)[1] == []


def test_a_copy_missing_a_change_trigger_is_compared_whole_and_written_afresh(
    pg_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a later version's migration rebuilding a table would leave: that table's triggers
    # gone. Every record is then compared (none is taken as unchanged), and the copy is
    # written whole with its triggers again.
    office = office_with_demo(pg_db)
    copy, path = take_copy(office, tmp_path)
    urn = office.schools.list_schools(office.actor)[0].urn
    copy.db.dispose()
    with closing(sqlite3.connect(path)) as raw:
        raw.execute('DROP TRIGGER "offline_changed_school_update"')
        raw.execute("UPDATE school SET name = 'Changed Behind The Triggers' WHERE urn = ?", (urn,))
        raw.commit()
    assert not read_copy(path).watching
    calls: list[Path] = []
    whole = offline_service.write_copy

    def counted(target: Path, *args: object, **kwargs: object) -> None:
        calls.append(target)
        whole(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(offline_service, "write_copy", counted)
    result = office.offline.sync(path, office.db)
    assert result.sent == 1 and calls == [path]
    assert school_name(office, urn) == "Changed Behind The Triggers"
    assert read_copy(path).watching
    assert_copy_is_office(path, office)

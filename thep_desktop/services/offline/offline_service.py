"""The treasurer's offline copy: taken from the office's server, worked on without a
connection, synchronised back without losing or duplicating anything.

- **Checkout** reads the office's records in one snapshot and writes them to a new SQLite
  file, with each record as it was then (the base) and a header: the copy's id, the server,
  the login and role, and when.
- **Synchronise** compares each record three ways by uuid (offline_merge.py): what the copy
  changed goes to the office, in one transaction under the office's write lock, each change
  in the audit trail with the copy's id; then the copy takes, in place and in one
  transaction, the office's records where they differ from its own (everyone's changes, the
  copy's among them, with the office's ids), and they become its new base. The copy's
  triggers name every record it changed (offline_copy_file.change_triggers), so only those
  are read in full; a copy missing a trigger is compared whole and written afresh.
- **Safe to repeat and to interrupt**: the office's transaction saves all or nothing; a copy
  whose synchronisation stopped after the office saved finds its changes already there
  (the same values on both sides are no change) and sends nothing twice. A copy is never
  half-written: its own transaction (or, written afresh, a ``.part`` file renamed into
  place) leaves it as it was or brought up to date.

Invoice numbers are given out only by the office's server (see services/shared/
offline_guard.py): a draft made offline is issued after it is synchronised, so no number is
used twice and none is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from thep_desktop.audit_trail import Action, Change, acting_copy, label_of, record_many
from thep_desktop.config import without_password
from thep_desktop.database import Database, DatabaseError, driver_message, head_revision
from thep_desktop.domain.dates import format_date
from thep_desktop.domain.roles import Role
from thep_desktop.models import AppUser, Base
from thep_desktop.models.base import utcnow
from thep_desktop.services.offline.offline_copy_file import (
    CopyContents,
    CopyHeader,
    Steps,
    copy_info,
    new_copy_id,
    open_copy,
    read_copy,
    refresh_copy,
    remove_part,
    server_identity,
    with_rows,
    write_copy,
)
from thep_desktop.services.offline.offline_data import (
    NOTHING_CHANGED,
    CopyInfo,
    OfflineError,
    RecordChange,
    Resolutions,
    SyncPlan,
    SyncResult,
)
from thep_desktop.services.offline.offline_merge import (
    Merge,
    Op,
    OpKind,
    check_resolutions,
    local_changes,
    merge,
    referenced_first,
    resolved_ops,
)
from thep_desktop.services.offline.offline_rows import (
    AREA_WORDS,
    Record,
    State,
    read_state,
    references,
    reread,
    synced_tables,
    table_areas,
    table_words,
)
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.users.identity import identify
from thep_desktop.services.users.server_roles import writers_by_table


class OfflineService:
    """Offline copies of the office's database. Works on two databases at once (the office's
    server and a copy's file), so each call names both; none keeps anything open."""

    # -- checkout -------------------------------------------------------------------------------
    def checkout(
        self, server: Database, out: Path, *, actor: Actor | None = None, steps: Steps | None = None
    ) -> CopyInfo:
        """Write a new offline copy of the office's database at ``out`` (a new file)."""
        out = Path(out)
        if server.is_sqlite:
            raise OfflineError(
                "An offline copy is taken from the office's server. This is a database file "
                "on this computer already: work on it as it is. No copy was made."
            )
        if out.exists():
            raise OfflineError(
                f"{out} already exists; an offline copy goes into a new file, never over an "
                "existing one. No copy was made."
            )
        if not out.parent.is_dir():
            raise OfflineError(f"There is no folder {out.parent}. No copy was made.")
        _check_server_schema(server)
        who = actor or identify(server)
        now = utcnow()
        copy_id = new_copy_id()
        # In the trail first: the office's database is then named by its first row, whatever
        # else the trail holds yet.
        _record_on_server(
            server, copy_id, f"Offline copy taken by {who.name} ({who.role.value}), to {out.name}."
        )
        with server.read_session() as session:
            conn = session.connection()
            _snapshot(conn)
            identity = server_identity(conn)
            state = read_state(conn)
        header = CopyHeader(
            copy_id=copy_id,
            server=address_without_password(server.url),
            server_identity=identity,
            login=who.name,
            role=str(who.role.value),
            taken_at=now,
            base_at=now,
            synced_at=None,
            syncs=0,
        )
        try:
            write_copy(out, state, header, steps)
        except DatabaseError as exc:
            raise OfflineError(f"The copy could not be written at {out}: {exc}") from exc
        return copy_info_of(out)

    # -- reading a copy ---------------------------------------------------------------------------
    def status(self, path: Path) -> tuple[CopyInfo, list[RecordChange]]:
        """The copy's header and what it has changed since its base (nothing is connected)."""
        contents = read_copy(Path(path), every_row=False)
        return contents.info, local_changes(contents.base, contents.mine)

    def preview(self, path: Path, server: Database) -> SyncPlan:
        """What a synchronisation would send, receive and find in conflict, changing nothing."""
        path = Path(path)
        info = copy_info_of(path)  # a file that is no copy is refused before connecting
        _check_pair(info, server)
        with server.read_session() as session:
            conn = session.connection()
            _check_identity(info, conn)
            theirs = read_state(conn)
        contents = read_copy(path, every_row=False)
        merged = merge(contents.base, contents.mine, theirs)
        return _plan(contents, merged, theirs)

    # -- synchronising ----------------------------------------------------------------------------
    def sync(
        self,
        path: Path,
        server: Database,
        resolutions: Resolutions | None = None,
        *,
        fingerprint: str | None = None,
        steps: Steps | None = None,
    ) -> SyncResult:
        """Send the copy's changes to the office and bring the office's into the copy.

        ``resolutions`` settle the conflicts a preview showed (``fingerprint`` is that
        preview's: if the conflicts are not the same now, nothing is done). Refused in words,
        with nothing changed on either side: another office database, another login, a
        conflict left unresolved, a change the login may no longer make, or a change the
        office's database refuses.
        """
        path = Path(path)
        remove_part(path)
        info = copy_info_of(path)  # a file that is no copy is refused before connecting
        _check_pair(info, server)
        chosen = dict(resolutions or {})
        if steps is not None:
            steps("Sending the copy's changes to the office", 1, 4)
        contents = read_copy(path, to_replace=True, every_row=False)
        # Set only for the office's transaction: every save after it is no copy's.
        token = acting_copy.set(info.copy_id)
        try:
            with server.session() as session:
                conn = session.connection()
                _check_identity(info, conn)
                role = _current_role(conn, info)
                theirs = read_state(conn)
                merged = merge(contents.base, contents.mine, theirs)
                plan = _plan(contents, merged, theirs)
                if merged.conflicts and fingerprint is not None and fingerprint != plan.fingerprint:
                    raise OfflineError(
                        "The office's records changed since the preview, so the choices made "
                        f"there may no longer fit. Look at the preview again. {NOTHING_CHANGED}"
                    )
                check_resolutions(merged, chosen)
                ops = resolved_ops(merged, chosen)
                _check_rights(ops, role, contents.info)
                mine = with_rows(path, contents.mine, ((op.table, op.uuid) for op in ops))
                changes = _apply(conn, ops, mine, theirs, contents.info)
                changes.append(
                    Change(
                        Action.OFFLINE,
                        detail=(
                            f"Offline copy synchronised: {len(ops)} change(s) sent, "
                            f"{len(plan.receive)} received, {len(merged.conflicts)} conflict(s) "
                            "resolved."
                        ),
                    )
                )
                record_many(session, changes)
                fresh = _office_after(conn, ops, theirs)
        except DBAPIError as exc:
            raise OfflineError(
                f"The office's database refused the copy's changes: {driver_message(exc)}. "
                f"{NOTHING_CHANGED}"
            ) from exc
        finally:
            acting_copy.reset(token)
        if steps is not None:
            steps("Bringing the office's records into the copy", 2, 4)
        now = self._refresh(path, fresh, contents, steps)
        return SyncResult(
            plan=plan,
            sent=len(ops),
            received=len(plan.receive),
            resolved=len(merged.conflicts),
            synced_at=now,
            audit_rows=len(changes),
        )

    def _refresh(
        self, path: Path, state: State, contents: CopyContents, steps: Steps | None
    ) -> datetime:
        """Bring the copy to the office's records as this synchronisation left them, with
        them as its new base, under the same copy id: in place, the records that differ, when
        its triggers are all there; else written afresh whole (with them)."""
        info = contents.info
        now = utcnow()
        header = CopyHeader(
            copy_id=info.copy_id,
            server=info.server,
            server_identity=info.server_identity,
            login=info.login,
            role=info.role,
            taken_at=info.taken_at,
            base_at=now,
            synced_at=now,
            syncs=info.syncs + 1,
        )
        if contents.watching:
            refresh_copy(path, state, _differences(contents, state), header, steps)
        else:
            write_copy(path, state, header, steps)
        return now


def copy_info_of(path: Path) -> CopyInfo:
    """The header of the offline copy at ``path`` (refused in words if it is not one)."""
    database = open_copy(Path(path))
    try:
        return copy_info(database, Path(path))
    finally:
        database.dispose()


def records_by_area(path: Path) -> dict[str, int]:
    """How many records the copy at ``path`` holds in each area of the office (see
    offline_rows.table_areas), in the order of AREA_WORDS, empty ones left out."""
    database = open_copy(Path(path))
    counts: dict[str, int] = {}
    areas = table_areas()
    try:
        with database.read_session() as session:
            for table in synced_tables():
                found = session.execute(select(func.count()).select_from(table)).scalar_one()
                if found:
                    area = areas[table.name]
                    counts[area] = counts.get(area, 0) + int(found)
    finally:
        database.dispose()
    order = list(AREA_WORDS)
    return dict(
        sorted(counts.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)
    )


def is_offline_copy_file(database: Database) -> CopyInfo | None:
    """The header when ``database`` is an offline copy; None for any other database."""
    path = database.sqlite_path
    if path is None:
        return None
    try:
        return copy_info(database, path)
    except Exception:  # noqa: BLE001 - no header (or no table yet): not a copy
        return None


# -- the pieces --------------------------------------------------------------------------------
def address_without_password(url: URL) -> str:
    """The server's address as the copy keeps it: never its password (the file travels on a
    laptop), in the address or in its query. ``URL.set(password=None)`` would keep it: None
    there means "unchanged"."""
    return without_password(url.render_as_string(hide_password=False))


def _snapshot(conn: Connection) -> None:
    """Every table read at one moment (a PostgreSQL transaction sees one snapshot only when
    asked for it before its first read)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def _check_server_schema(server: Database, outcome: str = "No copy was made.") -> None:
    try:
        found = server.recognise()
    except DatabaseError as exc:
        if _login_disabled(exc):
            raise OfflineError(
                f"The login {server.url.username} is disabled at the office, so it cannot open "
                "the office's database. An administrator can enable it again (Users). "
                f"{outcome}"
            ) from exc
        raise OfflineError(f"{exc} {outcome}") from exc
    if found.state in ("missing", "empty"):
        raise OfflineError(f"There is no office database at {server.describe()} yet.")
    if found.revision != head_revision():
        raise OfflineError(
            f"The office's database ({server.describe()}) is at schema {found.revision}, and "
            f"this program at {head_revision()}. Use the same version of the program as the "
            "office (ask whoever looks after the server), then try again. "
            f"{NOTHING_CHANGED}"
        )


def _check_pair(info: CopyInfo, server: Database) -> None:
    if server.is_sqlite:
        raise OfflineError(
            "An offline copy is synchronised with the office's server it was taken from "
            f"({info.server_words}), not with a database file. {NOTHING_CHANGED}"
        )
    _check_server_schema(server, NOTHING_CHANGED)


def _login_disabled(exc: BaseException) -> bool:
    """Did the server refuse the login itself (disabled: NOLOGIN), not the connection?"""
    found: BaseException | None = exc
    while found is not None:
        if "not permitted to log in" in str(found):
            return True
        found = found.__cause__ or found.__context__
    return False


def _check_identity(info: CopyInfo, conn: Connection) -> None:
    found = server_identity(conn)
    if found != info.server_identity:
        raise OfflineError(
            f"This offline copy was taken from another office database ({info.server_words}); it "
            "can only be synchronised with the database it was taken from. "
            f"{NOTHING_CHANGED}"
        )
    login = str(conn.exec_driver_sql("SELECT session_user").scalar_one())
    if login.lower() != info.login.lower():
        raise OfflineError(
            f"This offline copy is {info.login}'s; it is synchronised by the login that took "
            f"it, not by {login}. {NOTHING_CHANGED}"
        )


def _current_role(conn: Connection, info: CopyInfo) -> Role:
    found = conn.execute(
        select(AppUser.role, AppUser.active).where(func.lower(AppUser.login) == info.login.lower())
    ).first()
    if found is None or not found.active:
        raise OfflineError(
            f"The login {info.login} no longer has a role in the office's database, so the "
            f"copy's changes cannot be taken in. An administrator can restore it. {NOTHING_CHANGED}"
        )
    return Role(found.role)


def _check_rights(ops: list[Op], role: Role, info: CopyInfo) -> None:
    writers = writers_by_table()
    refused: dict[str, int] = {}
    for op in ops:
        if role not in writers.get(op.table, set()):
            refused[op.table] = refused.get(op.table, 0) + 1
    if refused:
        listed = ", ".join(
            f"{n} {table_words(t)}{'s' if n != 1 else ''}" for t, n in refused.items()
        )
        was = f" (the copy was taken as {info.role})" if info.role != role.value else ""
        raise OfflineError(
            f"{info.login}'s role at the office is now {role.value}{was}, which may no longer "
            f"change what the copy changed: {listed}. {NOTHING_CHANGED} An administrator can "
            "give the role back, or the copy can be set aside and a new one taken."
        )


def _plan(contents: CopyContents, merged: Merge, theirs: State) -> SyncPlan:
    return SyncPlan(
        copy=contents.info,
        send=tuple(merged.send),
        receive=tuple(merged.receive),
        conflicts=tuple(merged.conflicts),
        flags=tuple(credited_meanwhile(contents, theirs)),
        fingerprint=merged.fingerprint(),
    )


def credited_meanwhile(contents: CopyContents, theirs: State) -> Iterable[str]:
    """Payments recorded in the copy against invoices the office credited since the base."""
    base_invoices = contents.base.get("invoice", {})
    mine_allocations = contents.mine.get("allocation", {})
    base_allocations = contents.base.get("allocation", {})
    their_invoices = theirs.get("invoice", {})
    credits: dict[str, list[Record]] = {}
    for record in their_invoices.values():
        target = record.fields.get("credits_invoice_id")
        if target and record.uuid not in base_invoices:
            credits.setdefault(str(target), []).append(record)
    for key, allocation in mine_allocations.items():
        if key in base_allocations or not allocation.fields.get("payment_id"):
            continue
        invoice_uuid = str(allocation.fields.get("invoice_id"))
        for credit in credits.get(invoice_uuid, []):
            invoice = their_invoices.get(invoice_uuid)
            number = invoice.fields.get("number") if invoice is not None else "an invoice"
            amount = Decimal(str(allocation.fields.get("amount") or "0"))
            when = credit.fields.get("invoice_date")
            credit_number = credit.fields.get("number") or "a credit note"
            yield (
                f"A payment of £{amount:,.2f} recorded in the copy is set against {number}, "
                f"which the office credited meanwhile ({credit_number}"
                f"{', dated ' + format_date(_day(when)) if when else ''}). Check the customer's "
                "account after synchronising: the payment may now be money to refund or set "
                "against another invoice."
            )


def _day(text: Any) -> date:
    return date.fromisoformat(str(text))


def _apply(
    conn: Connection, ops: list[Op], mine: State, theirs: State, info: CopyInfo
) -> list[Change]:
    """Carry out ``ops`` at the office; the audit trail's rows for them."""
    ops = referenced_first(ops, mine)
    ids = {name: {key: r.id for key, r in records.items()} for name, records in theirs.items()}
    now = utcnow()
    changes: list[Change] = []
    tables = Base.metadata.tables
    for op in ops:
        table = tables[op.table]
        if op.kind == OpKind.DELETE:
            gone = theirs[op.table][op.uuid]
            _run(conn, table.delete().where(table.c.uuid == gone.row["uuid"]), gone)
            changes.append(
                Change(Action.DELETE, op.table, gone.row["uuid"], gone.label, _kept(gone.fields))
            )
            continue
        record = mine[op.table][op.uuid]
        if op.kind == OpKind.INSERT:
            values = {
                name: value
                for name, value in record.row.items()
                if name != "id" and name not in references(op.table)
            }
            for name, target in references(op.table).items():
                values[name] = _office_id(ids, record, name, target)
            values.update(updated_at=now, updated_by=info.login, version=1)
            new_id = _run(conn, table.insert().values(**values).returning(table.c.id), record)
            ids.setdefault(op.table, {})[op.uuid] = int(new_id)
            changes.append(
                Change(
                    Action.CREATE,
                    op.table,
                    record.row["uuid"],
                    label_of(record.row) or record.label,
                    None,
                    _kept(record.fields),
                )
            )
            continue
        current = theirs[op.table][op.uuid]
        values = {}
        for name in op.fields:
            refers_to = references(op.table).get(name)
            values[name] = (
                _office_id(ids, record, name, refers_to) if refers_to else record.row[name]
            )
        values.update(updated_at=now, updated_by=info.login, version=table.c.version + 1)
        _run(
            conn, table.update().where(table.c.uuid == current.row["uuid"]).values(**values), record
        )
        changes.append(
            Change(
                Action.UPDATE,
                op.table,
                current.row["uuid"],
                current.label,
                {n: current.fields.get(n) for n in op.fields},
                {n: record.fields.get(n) for n in op.fields},
            )
        )
    return changes


def _differences(contents: CopyContents, office: State) -> dict[str, list[str]]:
    """The records (table: uuids) the copy must take from the office to hold exactly what
    the office has: those it lacks, holds differently (every column: a record the copy made
    has its own id until then), holds and the office no longer has, or whose base differs."""
    found: dict[str, list[str]] = {}
    for name in contents.mine.keys() | office.keys() | contents.base.keys():
        records = office.get(name, {})
        mine = contents.mine.get(name, {})
        base = contents.base.get(name, {})
        keys = [
            key
            for key in records.keys() | mine.keys() | base.keys()
            if (record := records.get(key)) is None
            or (held := mine.get(key)) is None
            or base.get(key) != record.fields
            or (held.row != record.row if held.row else _moved(held, record))
        ]
        if keys:
            found[name] = keys
    return found


def _moved(held: Record, office: Record) -> bool:
    """A record of the copy unchanged since its base (read without its row), its fields the
    office's: does the office's row differ all the same (another id, a newer version)?"""
    return held.id != office.id or held.version != office.row_version


def _office_after(conn: Connection, ops: list[Op], theirs: State) -> State:
    """The office as this transaction leaves it, to be the copy's new base (no one else may
    save meanwhile: it holds the write lock). Inserts and updates change only their own
    records, so only those are read again; a deletion may reach further (records removed
    with it, references emptied), so after one everything is read again."""
    if any(op.kind == OpKind.DELETE for op in ops):
        return read_state(conn)
    written: dict[str, list[str]] = {}
    for op in ops:
        written.setdefault(op.table, []).append(op.uuid)
    return reread(conn, theirs, written)


def _kept(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k != "uuid"}


def _office_id(ids: Mapping[str, Mapping[str, int]], record: Record, name: str, target: str) -> Any:
    wanted = record.fields.get(name)
    if wanted is None:
        return None
    found = ids.get(target, {}).get(str(wanted))
    if found is None:
        raise OfflineError(
            f"The copy's {table_words(record.table)} “{record.label}” refers to "
            f"{_a(table_words(target))} the office no longer has (someone deleted it there "
            f"meanwhile). {NOTHING_CHANGED}"
        )
    return found


def _a(words: str) -> str:
    return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"


def _run(conn: Connection, statement: Any, record: Record) -> Any:
    try:
        result = conn.execute(statement)
    except DBAPIError as exc:
        raise OfflineError(
            f"The office's database refused the copy's {table_words(record.table)} "
            f"“{record.label}”: {driver_message(exc)}. {NOTHING_CHANGED}"
        ) from exc
    if statement.is_insert:
        return result.scalar_one()
    return None


def _record_on_server(server: Database, copy_id: str, detail: str) -> None:
    token = acting_copy.set(copy_id)
    try:
        with server.session() as session:
            record_many(session, [Change(Action.OFFLINE, detail=detail)])
    finally:
        acting_copy.reset(token)


__all__ = ["OfflineService", "copy_info_of", "is_offline_copy_file", "records_by_area"]
